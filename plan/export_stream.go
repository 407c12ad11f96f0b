package plan

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/paulmach/orb/project"

	"quyhoach/atomicfile"
	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/gis/geojson"
	"quyhoach/store"
)

// Exports to GeoJSON and GeoPackage are streamed from the store a batch at
// a time (store.WalkVersion, store.WalkProposal): memory follows the
// batch, not the plan, and the file is the one the whole-version path
// writes, byte for byte (GeoJSON) or row for row (GeoPackage). Sources
// that cannot walk take the whole-version path.

// versionWalker is a source that reads versions and proposals in batches:
// the store.
type versionWalker interface {
	WalkVersion(ctx context.Context, code string, number int, layers []string, fn func(*store.VersionWalk) error) error
	WalkProposal(ctx context.Context, id int64, fn func(*store.VersionWalk, store.Dossier) error) error
}

// exportStreamed writes req a batch at a time when it can (GeoJSON or
// GeoPackage from the store); done is false when it cannot. Errors are
// the whole-version path's.
func exportStreamed(ctx context.Context, src Source, req ExportRequest, format string, target crs.Code) (done bool, err error) {
	vw, ok := src.(versionWalker)
	if !ok || format != GeoJSON && format != GeoPackage {
		return false, nil
	}
	write := func(w *store.VersionWalk, layers []string) error {
		if format == GeoPackage {
			return w.GeoPackage(ctx, req.Path, layers, target)
		}
		if len(layers) == 0 {
			return &ExportError{fmt.Sprintf("version %d of %s holds no features", w.Version.Number, w.Plan.Code)}
		}
		if len(layers) > 1 {
			return &ExportError{fmt.Sprintf("a GeoJSON file holds one layer: choose one with --layer (%s), or export .gpkg for all of them", strings.Join(layers, ", "))}
		}
		if req.Out != nil {
			return writeLayerGeoJSON(ctx, w, layers[0], target, req.Out)
		}
		return atomicfile.Write(req.Path, func(f *os.File) error { return writeLayerGeoJSON(ctx, w, layers[0], target, f) })
	}
	if req.Dossier == 0 {
		err = vw.WalkVersion(ctx, req.Plan, req.Version, req.Layers, func(w *store.VersionWalk) error { return write(w, w.Layers) })
	} else {
		err = vw.WalkProposal(ctx, req.Dossier, func(w *store.VersionWalk, d store.Dossier) error {
			if req.Plan != "" && d.Plan != req.Plan {
				return &WrongPlanError{d.ID, d.Plan, req.Plan}
			}
			layers := w.Layers
			if len(req.Layers) > 0 {
				for _, name := range req.Layers {
					if !slices.Contains(w.Layers, name) {
						return &ExportError{fmt.Sprintf("dossier %d proposes no layer %s", req.Dossier, name)}
					}
				}
				layers = req.Layers
			}
			return write(w, layers)
		})
	}
	err, _ = store.ReadError(err) // the version could not be read: as Load says it
	return true, err
}

// writeLayerGeoJSON writes one layer of a walked version as a FeatureCollection
// in target: WGS84 from the bodies, the plan's grid from the stored grid
// form, any other CRS projected from WGS84 as the whole-version path does.
func writeLayerGeoJSON(ctx context.Context, w *store.VersionWalk, layer string, target crs.Code, out io.Writer) error {
	var tr func(*gis.Feature)
	if target != crs.WGS84 && target != crs.TM3LangSon {
		p, err := crs.New(crs.WGS84, target)
		if err != nil {
			return err
		}
		tr = func(f *gis.Feature) {
			if f.Geometry != nil {
				f.Geometry = project.Geometry(f.Geometry, p)
			}
		}
	}
	gw := geojson.NewWriter(out, target)
	var enc batchEncoder
	err := w.Features(ctx, layer, target == crs.TM3LangSon, func(fs []gis.Feature) error {
		if tr != nil {
			for i := range fs {
				tr(&fs[i])
			}
		}
		return enc.write(gw, fs)
	})
	if err != nil {
		return err
	}
	return gw.Close()
}

// batchEncoder encodes a batch of features on all cores, each core a
// contiguous run of them into a buffer of its own, reused batch to batch.
type batchEncoder struct {
	bufs [][]byte
	ends [][]int // where each feature of a run ends in its buffer
}

// write encodes fs and writes them to gw in order. A feature that cannot
// be encoded is handed to gw itself, which names it by its index.
func (e *batchEncoder) write(gw *geojson.Writer, fs []gis.Feature) error {
	workers := min(runtime.GOMAXPROCS(0), max(1, len(fs)/64))
	for len(e.bufs) < workers {
		e.bufs, e.ends = append(e.bufs, nil), append(e.ends, nil)
	}
	run := (len(fs) + workers - 1) / workers
	failed := make([]int, workers) // index of the first feature that failed, or -1
	var wg sync.WaitGroup
	for k := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			failed[k] = -1
			buf, ends := e.bufs[k][:0], e.ends[k][:0]
			for i := k * run; i < min((k+1)*run, len(fs)); i++ {
				var err error
				if buf, err = geojson.AppendFeature(buf, fs[i]); err != nil {
					failed[k] = i
					break
				}
				ends = append(ends, len(buf))
			}
			e.bufs[k], e.ends[k] = buf, ends
		}()
	}
	wg.Wait()
	for k := range workers {
		start := 0
		for _, end := range e.ends[k] {
			if err := gw.Encoded(e.bufs[k][start:end]); err != nil {
				return err
			}
			start = end
		}
		if failed[k] >= 0 {
			return gw.Feature(fs[failed[k]]) // the error, numbered as Write numbers it
		}
	}
	return nil
}
