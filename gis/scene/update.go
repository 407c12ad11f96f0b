package scene

import (
	"quyhoach/gis"
	"quyhoach/gis/landuse"
)

// Edits change a scene shape by shape. A scene being drawn on another
// goroutine is never written to: With returns a new scene that shares every
// layer the edit did not touch, and for the ones it did, a copy of the
// shapes (a plain copy of the slice) and of the index (index.go: the packed
// tree shared, the set of its shapes gone stale copied, the small R-tree of
// those placed since copy-on-write). A removed shape leaves its slot, as
// Gone, stale in the packed tree or out of the small one: indexes of the
// other shapes stay valid.

// Update is one feature changed by an edit: its new projected feature, or
// nil when it is gone.
type Update struct {
	Layer   string
	ID      string
	Feature *gis.Feature
}

// With returns the scene with the updates made, styled as Plan styles
// (lots by class in the catalogue, labels in lang).
func (s *Scene) With(updates []Update, cat *landuse.Catalogue, lang string) *Scene {
	out := &Scene{Layers: append([]*Layer(nil), s.Layers...), Extent: s.Extent, empty: s.empty}
	byLayer := map[string][]Update{}
	var order []string
	for _, u := range updates {
		if _, ok := byLayer[u.Layer]; !ok {
			order = append(order, u.Layer)
		}
		byLayer[u.Layer] = append(byLayer[u.Layer], u)
	}
	for _, name := range order {
		li := -1
		for i, l := range out.Layers {
			if l.Name == name {
				li = i
			}
		}
		var l *Layer
		if li < 0 {
			l = &Layer{Name: name}
			out.Layers = append(out.Layers, l)
		} else {
			old := out.Layers[li]
			l = &Layer{Name: name, Shapes: append([]Shape(nil), old.Shapes...), idx: old.idx.copy()}
			if m := old.restroke.Load(); m != nil { // the copy is nobody else's: its outlines in place
				for i, st := range *m {
					l.Shapes[i].Stroke = st
				}
			}
			out.Layers[li] = l
		}
		l.apply(byLayer[name], cat, lang)
		for _, u := range byLayer[name] {
			if u.Feature != nil && u.Feature.Geometry != nil {
				b := u.Feature.Geometry.Bound()
				if out.empty {
					out.Extent, out.empty = b, false
				} else {
					out.Extent = out.Extent.Union(b)
				}
			}
		}
	}
	return out
}

// apply makes updates in a layer the caller owns.
func (l *Layer) apply(us []Update, cat *landuse.Catalogue, lang string) {
	want := map[string]int{}
	for i, u := range us {
		want[u.ID] = i
	}
	done := make([]bool, len(us))
	for i := range l.Shapes {
		sh := &l.Shapes[i]
		k, ok := want[sh.ID]
		if !ok || sh.Kind == Gone {
			continue
		}
		done[k] = true
		l.idx.delete(sh.Bound, int32(i))
		u := us[k]
		if u.Feature == nil || u.Feature.Geometry == nil {
			*sh = Shape{ID: sh.ID, Kind: Gone}
			continue
		}
		*sh = StyleShape(l.Name, u.Feature, cat, lang)
		l.idx.insert(sh.Bound, int32(i))
	}
	for k, u := range us {
		if done[k] || u.Feature == nil || u.Feature.Geometry == nil {
			continue
		}
		sh := StyleShape(l.Name, u.Feature, cat, lang)
		l.Shapes = append(l.Shapes, sh)
		i := len(l.Shapes) - 1
		l.idx.insert(sh.Bound, int32(i))
	}
}
