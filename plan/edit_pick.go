package plan

import (
	"errors"
	"math"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/edit"
	"quyhoach/gis/scene"
	"quyhoach/gis/topo"
	"quyhoach/store"
)

// What the pointer finds in an edit session (snapping, vertices, features)
// and the adjusted area of a local dossier.

// Snap snaps p to the nearest vertex, else side, of the features of the
// given layers within tol metres (the window turns its pixel tolerance
// into metres at the current scale); skip, when set, leaves features out
// (the lot being drawn). It reads only the features near p.
func (s *Session) Snap(p orb.Point, tol float64, layers []string, skip func(id string) bool) edit.Snap {
	box := orb.Bound{Min: p, Max: p}.Pad(tol)
	var cands []edit.Candidate
	for _, name := range layers {
		for _, f := range s.Near(name, box) {
			if skip == nil || !skip(f.ID) {
				cands = append(cands, edit.Candidate{ID: f.ID, Geometry: f.Geometry})
			}
		}
	}
	return edit.SnapTo(p, tol, cands)
}

// VertexNear finds the vertex of a feature of layer nearest to p, within
// tol metres.
func (s *Session) VertexNear(layer string, p orb.Point, tol float64) (id string, v edit.Vertex, at orb.Point, ok bool) {
	return s.VertexNearIn(layer, p, tol, nil)
}

// VertexNearIn is VertexNear among the features keep accepts (the ones
// selected: a shared corner is found in the lot the officer works on, not
// in its neighbour).
func (s *Session) VertexNearIn(layer string, p orb.Point, tol float64, keep func(id string) bool) (id string, v edit.Vertex, at orb.Point, ok bool) {
	best := math.Inf(1)
	for _, f := range s.Near(layer, orb.Bound{Min: p, Max: p}.Pad(tol)) {
		if keep != nil && !keep(f.ID) {
			continue
		}
		i := 0
		for path := range gis.Paths(f.Geometry) {
			n := len(path.Points)
			if path.Kind.Closed() && n > 1 {
				n--
			}
			for k := 0; k < n; k++ {
				q := path.Points[k]
				if d := math.Hypot(q[0]-p[0], q[1]-p[1]); d <= tol && d < best {
					best, id, v, at, ok = d, f.ID, edit.Vertex{Path: i, Index: k}, q, true
				}
			}
			i++
		}
	}
	return id, v, at, ok
}

// FeatureAt finds the feature of layer at p: an area containing it (the
// last drawn, on top), else a line or point within tol metres.
func (s *Session) FeatureAt(layer string, p orb.Point, tol float64) (*gis.Feature, bool) {
	near := s.Near(layer, orb.Bound{Min: p, Max: p}.Pad(tol))
	for i := len(near) - 1; i >= 0; i-- {
		if scene.Contains(near[i].Geometry, p) {
			return near[i], true
		}
	}
	for i := len(near) - 1; i >= 0; i-- {
		if distance(near[i].Geometry, p) <= tol {
			return near[i], true
		}
	}
	return nil, false
}

// distance is how far p lies from g's vertices and sides.
func distance(g orb.Geometry, p orb.Point) float64 {
	_, _, _, d := edit.NearestEdge(g, p)
	for path := range gis.Paths(g) {
		for _, q := range path.Points {
			d = math.Min(d, math.Hypot(q[0]-p[0], q[1]-p[1]))
		}
	}
	return d
}

// AdjustedArea is the adjusted area of the dossier (its
// KhuVucDieuChinh_A features), nil when it has none.
func (s *Session) AdjustedArea() orb.Geometry {
	x := s.layers[AdjustmentLayer]
	if x == nil {
		return nil
	}
	return gis.Boundary(*x.features)
}

// OutsideAdjustedError is a gesture of a local dossier that reaches
// outside its adjusted area: the officer confirms extending it (Extend).
type OutsideAdjustedError struct{ Label string }

func (e *OutsideAdjustedError) Error() string {
	return e.Label + ": the edit reaches outside the dossier's adjusted area; extend the area to include it?"
}

// ErrOutsideAdjusted is what an *OutsideAdjustedError is.
var ErrOutsideAdjusted = errors.New("outside the adjusted area")

func (e *OutsideAdjustedError) Unwrap() error { return ErrOutsideAdjusted }

// ExtendNext lets the next gesture extend the adjusted area when it reaches
// outside it (the officer said yes).
func (s *Session) ExtendNext() { s.extend = true }

// AreaMargin is how far, in metres, an adjusted area derived from edits
// reaches around the lots edited.
const AreaMargin = 5.0

// adjust adds to a local dossier's gesture the adjusted area it needs:
// drawn around the lots edited when the dossier has none yet; for a
// gesture reaching outside the area, refused with *OutsideAdjustedError
// unless ExtendNext allowed it, then the area grows to the rectangle
// around both.
func (s *Session) adjust(label string, cs []change) ([]change, error) {
	defer func() { s.extend = false }()
	if s.Dossier().Kind != store.Local {
		return cs, nil
	}
	var box orb.Bound
	found := false
	grow := func(g orb.Geometry) {
		if g == nil {
			return
		}
		if !found {
			box, found = g.Bound(), true
		} else {
			box = box.Union(g.Bound())
		}
	}
	var lots []orb.Geometry
	for _, c := range cs {
		if c.layer == AdjustmentLayer {
			return cs, nil // the officer edits the area itself
		}
		if c.layer != gis.LandUseLayer || c.noded {
			continue // a neighbour that only gained a vertex is not adjusted
		}
		if !c.deleted {
			grow(c.f.Geometry)
			lots = append(lots, c.f.Geometry)
		}
		if old, ok := s.Feature(gis.LandUseLayer, c.f.ID); ok && c.f.ID != "" {
			grow(old.Geometry)
			lots = append(lots, old.Geometry)
		}
	}
	if !found {
		return cs, nil
	}
	area := s.AdjustedArea()
	if area == nil {
		rect := box.Pad(AreaMargin).ToPolygon()
		return append(cs, change{layer: AdjustmentLayer, auto: true, f: gis.Feature{Geometry: orient(rect),
			Properties: map[string]any{"tenDoiTuong": "Khu vực điều chỉnh"}}}), nil
	}
	if covers(area, lots) {
		return cs, nil
	}
	if !s.extend {
		return nil, &OutsideAdjustedError{Label: label}
	}
	x := s.layers[AdjustmentLayer]
	first := cloneFeature((*x.features)[0])
	rect := area.Bound().Union(box.Pad(AreaMargin)).ToPolygon()
	first.Geometry = orient(rect)
	cs = append(cs, change{layer: AdjustmentLayer, f: first, auto: true})
	for _, f := range (*x.features)[1:] { // one area from now on
		cs = append(cs, change{layer: AdjustmentLayer, f: f, deleted: true, auto: true})
	}
	return cs, nil
}

// covers tells whether every vertex of gs lies in area or on its edge.
func covers(area orb.Geometry, gs []orb.Geometry) bool {
	for _, g := range gs {
		for path := range gis.Paths(g) {
			for _, p := range path.Points {
				if loc, err := topo.Locate(area, p); err != nil || loc == topo.Outside {
					return false
				}
			}
		}
	}
	return true
}
