// Package gis holds the in-memory model of plan data (features, layers) and the
// planar measures every other package shares; its sub-packages hold coordinates,
// encodings, the land-use catalogue, checks, diffs and rendering.
package gis

import (
	"strings"

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
	return Number(f.Properties[key])
}

// Layer names of TT 16/2025 the program gives meaning to.
const (
	LandUseLayer  = "ChucNangSuDungDat_A" // land-use lots
	BoundaryLayer = "RanhGioiQuyHoach_A"  // the plan boundary
)

// Project passes every geometry of the layers through tr (e.g. a crs
// transform to EPSG:9215) in place, and returns layers: it mutates the
// features' geometries (orb's project rewrites point slices), so a loaded
// plan is held once, in the grid, not twice. It is the one projection of
// layers; clone first (orb.Clone) to keep the input.
func Project(layers []Layer, tr orb.Projection) []Layer {
	for li := range layers {
		fs := layers[li].Features
		for i := range fs {
			if fs[i].Geometry != nil {
				fs[i].Geometry = project.Geometry(fs[i].Geometry, tr)
			}
		}
	}
	return layers
}

// Layer kinds: what a layer's features are, as TT 16/2025 names them by
// suffix (_A area, _L line, _P point).
const (
	AreaKind  = "area"
	LineKind  = "line"
	PointKind = "point"
	MixedKind = "mixed" // no suffix, and geometries of several kinds (or none)
)

// KindOfName returns the kind a layer name declares by its TT 16 suffix:
// _A area, _L line, _P point; "" for a name without one.
func KindOfName(name string) string {
	switch {
	case strings.HasSuffix(name, "_A"):
		return AreaKind
	case strings.HasSuffix(name, "_L"):
		return LineKind
	case strings.HasSuffix(name, "_P"):
		return PointKind
	}
	return ""
}

// Kind returns the layer's kind: the one its name declares, else the kind
// all its geometries share, else MixedKind.
func (l Layer) Kind() string {
	if k := KindOfName(l.Name); k != "" {
		return k
	}
	kind := ""
	for _, f := range l.Features {
		k := MixedKind
		switch f.Geometry.(type) {
		case orb.Polygon, orb.MultiPolygon:
			k = AreaKind
		case orb.LineString, orb.MultiLineString:
			k = LineKind
		case orb.Point, orb.MultiPoint:
			k = PointKind
		}
		if kind != "" && k != kind {
			return MixedKind
		}
		kind = k
	}
	if kind == "" {
		return MixedKind
	}
	return kind
}
