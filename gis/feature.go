// Package gis holds the in-memory model of plan data (features, layers) and the
// planar measures every other package shares; its sub-packages hold coordinates,
// encodings, the land-use catalogue, checks, diffs and rendering.
package gis

import (
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"
)

// Feature is one GIS feature: a stable id, an orb geometry and its properties.
// Whether Geometry is in WGS84 lon/lat or projected metres is the holder's
// business; the store keeps WGS84, analysis works in EPSG:9215 metres.
type Feature struct {
	ID         string         // stable id (a UUID in the store); "" when the source had none
	Geometry   orb.Geometry   // nil for a feature without geometry
	Properties map[string]any // decoded JSON values: string, float64, bool, nil, []any, map[string]any
}

// Layer is a named feature class of a plan, e.g. ChucNangSuDungDat_A.
type Layer struct {
	Name     string
	Features []Feature
}

// String returns the property key as text (see Text).
func (f Feature) String(key string) string { return Text(f.Properties[key]) }

// Text writes a property value as text: a string as it is, a number
// without exponent ("17", "0.5"), anything else as "".
func Text(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return formatNumber(v)
	}
	return ""
}

// Number returns the property key as a float64 and whether it is a number
// (or a string that parses as one, as spreadsheets often write them).
func (f Feature) Number(key string) (float64, bool) {
	return parseNumber(f.Properties[key])
}

// Layer names of TT 16/2025 the program gives meaning to.
const (
	LandUseLayer  = "ChucNangSuDungDat_A" // land-use lots
	BoundaryLayer = "RanhGioiQuyHoach_A"  // the plan boundary
)

// Project returns copies of the layers with every geometry passed through
// tr (e.g. a crs transform to EPSG:9215); the input is not changed.
func Project(layers []Layer, tr orb.Projection) []Layer {
	out := make([]Layer, len(layers))
	for i, l := range layers {
		out[i] = Layer{Name: l.Name, Features: make([]Feature, len(l.Features))}
		for j, f := range l.Features {
			if f.Geometry != nil {
				f.Geometry = project.Geometry(orb.Clone(f.Geometry), tr)
			}
			out[i].Features[j] = f
		}
	}
	return out
}
