// Package scene is the drawing model of a plan on screen: projected features
// with their symbology, indexed in R-trees for culling and picking, drawn with
// level-of-detail simplification and non-overlapping lot labels.
package scene

import (
	"image/color"
	"math"
	"slices"
	"strings"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"

	"quyhoach/gis"
	"quyhoach/gis/landuse"
	"quyhoach/gis/render"
)

// Kind says what a shape is, for styling and picking.
type Kind uint8

// Kinds of shape.
const (
	Lot      Kind = iota // a land-use lot (pickable, labelled)
	Boundary             // the plan boundary
	Road                 // a road centre line
	Other                // any other feature
	Change               // a compare-mode overlay
	Gone                 // the slot of a shape removed by an edit (see Scene.With)
)

// Stroke is an outline on screen, in logical pixels (multiplied by the
// pixel ratio when drawn).
type Stroke struct {
	Color color.NRGBA
	Width float64
	Dash  []float64 // on, off, …; nil for solid
}

// Shape is one projected feature with its style.
type Shape struct {
	ID      string
	Kind    Kind
	Feature *gis.Feature // projected (EPSG:9215 metres)
	Bound   orb.Bound
	Fill    color.NRGBA // zero: not filled
	Stroke  Stroke
	Class   string   // land-use class code of a lot
	AreaM2  float64  // planar area (official, EPSG:9215)
	Label   []string // label lines of a lot: code, area, density, storeys
	Anchor  orb.Point
}

// Geometry returns the shape's projected geometry.
func (s *Shape) Geometry() orb.Geometry { return s.Feature.Geometry }

// Layer is a named list of shapes with its R-tree.
type Layer struct {
	Name   string
	Shapes []Shape
	tree   rtree.RTreeG[int32]
}

// index builds the layer's R-tree.
func (l *Layer) index() {
	l.tree = rtree.RTreeG[int32]{}
	for i := range l.Shapes {
		b := l.Shapes[i].Bound
		l.tree.Insert([2]float64{b.Min[0], b.Min[1]}, [2]float64{b.Max[0], b.Max[1]}, int32(i))
	}
}

// Search calls fn with the index of each shape whose bound meets b, in
// index order, until fn returns false.
func (l *Layer) Search(b orb.Bound, fn func(i int) bool) {
	var hits []int32
	l.tree.Search([2]float64{b.Min[0], b.Min[1]}, [2]float64{b.Max[0], b.Max[1]}, func(_, _ [2]float64, i int32) bool {
		hits = append(hits, i)
		return true
	})
	slices.Sort(hits)
	for _, i := range hits {
		if !fn(int(i)) {
			return
		}
	}
}

// Scene is what the map shows: layers in drawing order.
type Scene struct {
	Layers []*Layer
	Extent orb.Bound
	empty  bool
	ov     overviewCache // the coarse image of a large scene seen whole
}

// Layer returns the named layer, or nil.
func (s *Scene) Layer(name string) *Layer {
	for _, l := range s.Layers {
		if l.Name == name {
			return l
		}
	}
	return nil
}

// Empty reports whether the scene has no shapes.
func (s *Scene) Empty() bool { return s == nil || s.empty }

// Add appends a layer of shapes, indexes it and grows the extent.
func (s *Scene) Add(l *Layer) {
	l.index()
	for i := range l.Shapes {
		b := l.Shapes[i].Bound
		if s.empty {
			s.Extent, s.empty = b, false
		} else {
			s.Extent = s.Extent.Union(b)
		}
	}
	s.Layers = append(s.Layers, l)
}

// New returns an empty scene.
func New() *Scene { return &Scene{empty: true} }

// Colours of the plan symbology: those of the printed sheet (gis/render),
// except road centre lines, white on screen to show over the grey road lots.
var (
	BoundaryColor = render.BoundaryColor
	RoadColor     = color.NRGBA{0xff, 0xff, 0xff, 0xd0}
	OtherColor    = color.NRGBA{0x30, 0x30, 0x90, 0xc0}
	OutlineColor  = render.OutlineColor
	UnknownFill   = render.UnknownFill
)

// screenPen turns a pen of the printed sheet (mm) into a screen stroke
// (logical pixels at 96 dpi, 0.8 × so thin outlines stay thin, ≥ 0.6 px).
func screenPen(p render.Pen) Stroke {
	st := Stroke{Color: p.Color, Width: math.Max(0.6, p.Width*pxPerMM*0.8)}
	for _, d := range p.Dash {
		st.Dash = append(st.Dash, d*pxPerMM)
	}
	return st
}

// pxPerMM is logical screen pixels per millimetre (Fyne's 96 dpi units).
const pxPerMM = 96 / 25.4

// Plan builds the scene of a plan version from its projected layers: lots
// filled by land-use class and outlined by stage, the boundary dashed red,
// roads grey, anything else thin. Lot labels are written in lang ("vi" or
// "en", render.LotLabel).
func Plan(layers []gis.Layer, cat *landuse.Catalogue, lang string) *Scene {
	s := New()
	for _, l := range layers {
		s.Add(PlanLayer(l, cat, lang))
	}
	return s
}

// PlanLayer styles one projected layer.
func PlanLayer(l gis.Layer, cat *landuse.Catalogue, lang string) *Layer {
	out := &Layer{Name: l.Name}
	for i := range l.Features {
		if f := &l.Features[i]; f.Geometry != nil {
			out.Shapes = append(out.Shapes, StyleShape(l.Name, f, cat, lang))
		}
	}
	return out
}

// StyleShape styles one projected feature of the named layer.
func StyleShape(layer string, f *gis.Feature, cat *landuse.Catalogue, lang string) Shape {
	sh := Shape{ID: f.ID, Feature: f, Bound: f.Geometry.Bound()}
	switch {
	case layer == gis.LandUseLayer:
		StyleLot(&sh, cat, lang)
	case layer == gis.BoundaryLayer:
		sh.Kind = Boundary
		sh.Stroke = screenPen(render.BoundaryPen)
		sh.Stroke.Width = math.Max(sh.Stroke.Width, 2)
	case gis.KindOfName(layer) == gis.LineKind && strings.Contains(layer, "Duong"):
		sh.Kind = Road
		sh.Stroke = Stroke{Color: RoadColor, Width: 1, Dash: []float64{12, 3, 2, 3}}
	default:
		sh.Kind = Other
		sh.Stroke = Stroke{Color: OtherColor, Width: 1.2, Dash: []float64{6, 4}}
	}
	return sh
}

// StyleLot gives a lot its fill by class and outline by stage, as the
// printed sheet draws it (render.Symbology), and its label in lang.
func StyleLot(sh *Shape, cat *landuse.Catalogue, lang string) {
	f := sh.Feature
	sh.Kind = Lot
	st := render.Symbology{Catalogue: cat}.Lot(*f)
	sh.Fill = st.Fill
	if st.Known {
		sh.Class = st.Class.Code
	}
	sh.Stroke = screenPen(st.Outline)
	sh.AreaM2 = gis.Area(f.Geometry)
	sh.Label = render.LotLabel(*f, sh.AreaM2, lang)
	sh.Anchor = Anchor(f.Geometry)
}
