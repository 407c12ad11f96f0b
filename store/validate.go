package store

import (
	"fmt"
	"runtime"
	"strings"
	"sync"

	"quyhoach/gis"
	"quyhoach/gis/topo"
)

// reservedLayer reports a layer name that GeoPackage or SQLite keep for
// themselves: such a layer would break every GeoPackage export of its plan.
func reservedLayer(name string) bool {
	n := strings.ToLower(name)
	return strings.HasPrefix(n, "gpkg_") || strings.HasPrefix(n, "sqlite_") || strings.HasPrefix(n, "rtree_")
}

// InvalidLotError is a lot an area layer cannot take: its geometry crosses
// itself or has a degenerate ring. It names the feature and the place.
type InvalidLotError struct {
	Layer   string
	Feature int // index in the input
	Lot     string
	Reason  string
	At      [2]float64 // lon, lat
}

func (e *InvalidLotError) Error() string {
	where := ""
	if e.Layer != "" {
		where = "layer " + e.Layer + ": "
	}
	if e.Lot != "" {
		where += fmt.Sprintf("feature %d (lot %s)", e.Feature, e.Lot)
	} else {
		where += fmt.Sprintf("feature %d", e.Feature)
	}
	return fmt.Sprintf("%s at %.7f,%.7f: %s; fix it, or import with --repair", where, e.At[0], e.At[1], e.Reason)
}

// validateLots checks the polygons of area layers (TT 16 _A) on all cores:
// each one valid (topo.Validate), or with repair made valid where topo.Repair
// can, which is reported one line per lot. layerOf names each feature's
// layer ("" skips it).
func validateLots(fs []gis.Feature, layerOf func(i int) string, repair bool) ([]string, error) {
	workers := runtime.GOMAXPROCS(0)
	errs := make([]error, len(fs))
	notes := make([]string, len(fs))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(fs); i += workers {
				layer := layerOf(i)
				if fs[i].Geometry == nil || gis.KindOfName(layer) != gis.AreaKind {
					continue
				}
				inv := topo.Validate(fs[i].Geometry)
				if inv == nil {
					continue
				}
				if repair {
					if g, what, err := topo.Repair(fs[i].Geometry); err == nil {
						fs[i].Geometry = g
						notes[i] = fmt.Sprintf("layer %s: feature %d%s: %s", layer, i, lotOf(fs[i]), what)
						continue
					} else {
						inv.Reason += "; it cannot be repaired: " + err.Error()
					}
				}
				errs[i] = &InvalidLotError{Layer: layer, Feature: i, Lot: fs[i].String("maDoiTuong"), Reason: inv.Reason, At: inv.At}
			}
		}()
	}
	wg.Wait()
	var out []string
	for i := range fs {
		if errs[i] != nil {
			return nil, errs[i]
		}
		if notes[i] != "" {
			out = append(out, notes[i])
		}
	}
	return out, nil
}

func lotOf(f gis.Feature) string {
	if c := f.String("maDoiTuong"); c != "" {
		return " (lot " + c + ")"
	}
	return ""
}
