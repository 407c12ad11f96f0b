// Package scene is the drawing model of a plan on screen: projected features
// with their symbology, indexed in R-trees for culling and picking, drawn with
// level-of-detail simplification and non-overlapping lot labels.
package scene

import (
	"image/color"
	"math"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/paulmach/orb"

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
	Class   string  // land-use class code of a lot
	AreaM2  float64 // planar area (official, EPSG:9215)

	// A lot's label and its anchor are made the first time a frame has
	// room for them (see Label, Anchor): most lots of a large plan are
	// never labelled, and the label's text and scan lines were half of
	// styling a lot and a tenth of the memory of a million.
	lang     string   // the label's language ("vi", "en"); "": no label
	label    []string // code, area, density, storeys, once made
	anchor   orb.Point
	anchored bool
	// ready, for a shape of a Builder, tells whether its feature has its
	// properties (Scene.Complete): no label before.
	ready *atomic.Bool
}

// lazyMu guards every shape's label and anchor: frames are drawn on
// several goroutines (map, twin, overview) and may want the same lot's.
var lazyMu sync.Mutex

// Label returns the lines of a lot's label (render.LotLabel: code, area,
// density, storeys), nil for a shape without one.
func (s *Shape) Label() []string {
	if s.lang == "" || s.ready != nil && !s.ready.Load() {
		return nil
	}
	lazyMu.Lock()
	defer lazyMu.Unlock()
	if s.label == nil {
		s.label = render.LotLabel(*s.Feature, s.AreaM2, s.lang)
	}
	return s.label
}

// Anchor returns the point of the shape's label (scene.Anchor of its
// geometry), found once.
func (s *Shape) Anchor() orb.Point {
	lazyMu.Lock()
	defer lazyMu.Unlock()
	if !s.anchored {
		s.anchor, s.anchored = Anchor(s.Feature.Geometry), true
	}
	return s.anchor
}

// Geometry returns the shape's projected geometry.
func (s *Shape) Geometry() orb.Geometry { return s.Feature.Geometry }

// Layer is a named list of shapes with its spatial index.
type Layer struct {
	Name   string
	Shapes []Shape
	idx    index
	// restroke holds the outlines of lots that Scene.Complete outlines
	// otherwise than they were built, by shape index (see stroke).
	restroke atomic.Pointer[map[int32]Stroke]
}

// Search calls fn with the index of each shape whose bound meets b, in
// index order, until fn returns false.
func (l *Layer) Search(b orb.Bound, fn func(i int) bool) { l.idx.search(b, fn) }

// Scene is what the map shows: layers in drawing order.
type Scene struct {
	Layers []*Layer
	Extent orb.Bound
	empty  bool
	ov     overviewCache // the coarse image of a large scene seen whole
	ready  *atomic.Bool  // a Builder's scene: Complete was called
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
	l.idx.build(l.Shapes)
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

// PlanLayer styles one projected layer, on all cores.
func PlanLayer(l gis.Layer, cat *landuse.Catalogue, lang string) *Layer {
	var at []int32 // the features that have a geometry
	for i := range l.Features {
		if l.Features[i].Geometry != nil {
			at = append(at, int32(i))
		}
	}
	out := &Layer{Name: l.Name, Shapes: make([]Shape, len(at))}
	workers := runtime.GOMAXPROCS(0)
	if len(at) < 4096 {
		workers = 1
	}
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := len(at)*w/workers, len(at)*(w+1)/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := lo; k < hi; k++ {
				out.Shapes[k] = StyleShape(l.Name, &l.Features[at[k]], cat, lang)
			}
		}()
	}
	wg.Wait()
	return out
}

// StyleShape styles one projected feature of the named layer.
func StyleShape(layer string, f *gis.Feature, cat *landuse.Catalogue, lang string) Shape {
	sh := Shape{ID: f.ID, Feature: f, Bound: bound(f.Geometry)}
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
	sh.lang, sh.label = lang, nil
}

// bound is g.Bound() for the polygons of a plan in one tight loop over the
// outer rings (orb's extends a bound point by point: a tenth of styling).
func bound(g orb.Geometry) orb.Bound {
	var polys []orb.Polygon
	switch g := g.(type) {
	case orb.Polygon:
		polys = []orb.Polygon{g}
	case orb.MultiPolygon:
		polys = g
	default:
		return g.Bound()
	}
	b, some := orb.Bound{}, false
	for _, p := range polys {
		if len(p) == 0 || len(p[0]) == 0 {
			continue
		}
		r := p[0]
		if !some {
			b, some = orb.Bound{Min: r[0], Max: r[0]}, true
		}
		for _, q := range r {
			b.Min[0], b.Max[0] = min(b.Min[0], q[0]), max(b.Max[0], q[0])
			b.Min[1], b.Max[1] = min(b.Min[1], q[1]), max(b.Max[1], q[1])
		}
	}
	if !some {
		return g.Bound()
	}
	return b
}
