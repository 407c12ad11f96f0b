package scene

import (
	"sync"
	"sync/atomic"

	"quyhoach/gis"
	"quyhoach/gis/landuse"
	"quyhoach/gis/render"
)

// A scene built in two steps, for a plan too large to wait for: a Builder
// styles features as they are read, from their geometry and land-use
// class alone (Scene indexes them once all are read); the scene can be
// drawn at once — lots filled by class and outlined as first-phase lots, without
// labels. Once the features have their properties, Complete makes it the
// scene Plan makes of them, in place, while it may be being drawn: lots
// whose stage outlines them otherwise get that outline (kept beside the
// shapes, which are never written again), and labels are made from then
// on. Nothing is copied: at a million lots the shapes are 190 MB.

// Builder makes a scene from batches of projected features.
type Builder struct {
	cat    *landuse.Catalogue
	lang   string
	s      *Scene
	styles map[string]Shape // a lot's first-phase style by its class text
}

// NewBuilder starts an empty scene styled with cat, its labels (once
// Complete) in lang.
func NewBuilder(cat *landuse.Catalogue, lang string) *Builder {
	s := New()
	s.ready = new(atomic.Bool)
	return &Builder{cat: cat, lang: lang, s: s, styles: map[string]Shape{}}
}

// Add styles a batch of the named layer's features, in the
// layer's order after those added before; total is how many the layer
// holds (room is made for them at once). fs must stay where they are (the
// shapes point at them). class gives feature i's land-use class (the
// phanLoai text) and its planar area (gis.Area of its geometry), as the
// store's measures hold them.
func (b *Builder) Add(layer string, total int, fs []gis.Feature, class func(i int) (string, float64)) {
	var l *Layer
	if n := len(b.s.Layers); n > 0 && b.s.Layers[n-1].Name == layer {
		l = b.s.Layers[n-1]
	} else {
		l = &Layer{Name: layer, Shapes: make([]Shape, 0, total)}
		b.s.Layers = append(b.s.Layers, l)
	}
	for i := range fs {
		f := &fs[i]
		if f.Geometry == nil {
			continue
		}
		var sh Shape
		if layer == gis.LandUseLayer {
			c, m2 := class(i)
			sh = b.lot(c)
			sh.AreaM2 = m2
			sh.ID, sh.Feature, sh.Bound = f.ID, f, bound(f.Geometry)
		} else {
			sh = StyleShape(layer, f, b.cat, "")
		}
		l.Shapes = append(l.Shapes, sh)
		if b.s.empty {
			b.s.Extent, b.s.empty = sh.Bound, false
		} else {
			b.s.Extent = b.s.Extent.Union(sh.Bound)
		}
	}
}

// lot is the first-phase style of a lot of class c (StyleLot's with the
// stage unknown, so the first phase's outline), made once per class.
func (b *Builder) lot(c string) Shape {
	st, ok := b.styles[c]
	if !ok {
		f := gis.Feature{Properties: map[string]any{classProperty: c}}
		st = Shape{Feature: &f}
		StyleLot(&st, b.cat, b.lang)
		st.Feature, st.ready = nil, b.s.ready
		b.styles[c] = st
	}
	return st
}

// classProperty is the property a lot's class is read from
// (landuse.Catalogue.Of, store.ClassProperty).
const classProperty = "phanLoai"

// Scene returns the scene built so far, indexed; the builder must not be
// used after.
func (b *Builder) Scene() *Scene {
	s := b.s
	for _, l := range s.Layers {
		l.idx.build(l.Shapes)
	}
	b.s = nil
	return s
}

// Complete makes a scene from a Builder the scene Plan makes of its
// features, now that they have their properties (written in place, before
// this call: see store.Attributes): lots outlined by their stage, labels
// in the builder's language. It may be called while the scene is drawn, once.
func (s *Scene) Complete(cat *landuse.Catalogue) {
	if s.ready == nil || s.ready.Load() {
		return
	}
	for _, l := range s.Layers {
		if l.Name != gis.LandUseLayer {
			continue
		}
		var mu sync.Mutex
		over := map[int32]Stroke{}
		gis.Parallel(len(l.Shapes), func(i int) {
			sh := &l.Shapes[i]
			if sh.ready == nil {
				return
			}
			st := screenPen(render.Symbology{Catalogue: cat}.Lot(*sh.Feature).Outline)
			if !sameStroke(st, sh.Stroke) {
				mu.Lock()
				over[int32(i)] = st
				mu.Unlock()
			}
		})
		if len(over) > 0 {
			l.restroke.Store(&over)
		}
	}
	s.ready.Store(true)
}

// stroke is shape i's outline: its own, or the one Complete found for it.
func (l *Layer) stroke(i int) Stroke {
	if m := l.restroke.Load(); m != nil {
		if st, ok := (*m)[int32(i)]; ok {
			return st
		}
	}
	return l.Shapes[i].Stroke
}

func sameStroke(a, b Stroke) bool {
	if a.Color != b.Color || a.Width != b.Width || len(a.Dash) != len(b.Dash) {
		return false
	}
	for i := range a.Dash {
		if a.Dash[i] != b.Dash[i] {
			return false
		}
	}
	return true
}
