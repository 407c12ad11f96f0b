package plan

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/paulmach/orb/project"

	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/gis/geojson"
	"quyhoach/store"
)

// Sources opens a file for a streaming import: its layers as the store's
// import takes them. A GeoJSON file going to one layer is read feature by
// feature while the store writes, so an import's memory follows the plan,
// not the file; other formats are read whole first (Read) and handed over
// from memory. The Reading says what was read (notes, mapping); for a
// streamed GeoJSON file it has the layer's name and no features.
func Sources(ctx context.Context, path string, o ReadOptions) ([]store.LayerSource, *Reading, error) {
	ff, err := Detect(path)
	if err != nil {
		return nil, nil, err
	}
	if ff.Format != GeoJSON || o.Layer == "" {
		r, err := Read(ctx, path, o)
		if err != nil {
			return nil, nil, err
		}
		out := make([]store.LayerSource, len(r.Layers))
		for i, l := range r.Layers {
			out[i] = store.Features(l)
		}
		return out, r, nil
	}
	given, _ := o.system()
	code := given.Code
	if given.Name != "" && code == 0 {
		return nil, nil, fmt.Errorf("%s: a GeoJSON file's system must be an EPSG code, not %s", path, given.Name)
	}
	r := &Reading{File: path, Format: ff, Layers: []gis.Layer{{Name: o.Layer}}}
	if r.System, _ = crs.Lookup(code); code == 0 {
		r.System, _ = crs.Lookup(crs.WGS84)
	}
	return []store.LayerSource{{Name: o.Layer, Features: func(yield func(gis.Feature) error) error {
		return streamGeoJSON(path, o, code, yield)
	}}}, r, nil
}

// streamGeoJSON reads a GeoJSON file feature by feature into WGS84 and
// hands each to yield, with the checks Read makes (an area layer takes
// areas, a lot needs a geometry, --crs agrees with the file).
func streamGeoJSON(path string, o ReadOptions, code crs.Code, yield func(gis.Feature) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	area := gis.KindOfName(o.Layer) == gis.AreaKind
	var from crs.Code
	var tr func(gis.Feature)
	_, err = geojson.Read(f, geojson.Options{RequireGeometry: o.RequireGeometry, CRS: code, Each: func(i int, ft gis.Feature, c crs.Code) error {
		if tr == nil {
			if code != 0 && c != code {
				return fmt.Errorf("the file says its CRS is %s but --crs says %s", c, code)
			}
			from = c
			tr = func(gis.Feature) {}
			if from != 0 && from != crs.WGS84 {
				p, err := crs.New(from, crs.WGS84)
				if err != nil {
					return err
				}
				tr = func(ft gis.Feature) { project.Geometry(ft.Geometry, p) }
			}
		}
		switch {
		case ft.Geometry == nil && o.RequireGeometry:
			return fmt.Errorf("feature %d has no geometry", i)
		case area && ft.Geometry != nil && !gis.Polygonal(ft.Geometry):
			return fmt.Errorf("feature %d: layer %s holds areas, not a %s", i, o.Layer, ft.Geometry.GeoJSONType())
		}
		if ft.Geometry != nil {
			tr(ft)
		}
		return yield(ft)
	}})
	if err != nil {
		if code == 0 && from == 0 && strings.Contains(err.Error(), "outside longitude/latitude range") {
			err = fmt.Errorf("%w\nthe coordinates look projected: if the file is in VN-2000 metres, give --crs EPSG:9215 (TM-3 107-15) or --crs EPSG:3405 (UTM 48N)", err)
		}
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
