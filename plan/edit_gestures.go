package plan

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/edit"
	"quyhoach/gis/topo"
)

// The gestures of an edit session. Each builds the changes it makes in the
// grid and commits them as one edit (see commit). Topological editing is
// always on: a vertex shared by features of the layer moves (or goes) in
// all of them, and a new vertex that lands on a neighbour's side is put in
// that side too, so neighbours keep one boundary and no edit opens a
// sliver gap or overlap.

// SharedTolerance is how close, in metres, two vertices are the same
// corner, and a vertex lies on a side: a tenth of a millimetre, the
// precision of the store (1e-9°).
const SharedTolerance = 1e-4

// AdjustmentLayer is the layer of a local dossier's adjusted area.
const AdjustmentLayer = "KhuVucDieuChinh_A"

// SetbackLayer receives construction lines (chỉ giới xây dựng).
const SetbackLayer = "ChiGioiXayDung_L"

// ErrNoFeature is a gesture on a feature the proposal does not have.
var ErrNoFeature = errors.New("no such feature in the proposal")

func (s *Session) feature(layer, id string) (gis.Feature, error) {
	f, ok := s.Feature(layer, id)
	if !ok {
		return gis.Feature{}, fmt.Errorf("%w: %s in %s", ErrNoFeature, id, layer)
	}
	return *f, nil
}

// label names a feature in an edit's label: its code, else its id.
func label(f gis.Feature) string {
	if c := f.String("maDoiTuong"); c != "" {
		return c
	}
	return f.ID
}

// SetAttributes sets properties of features of a layer (nil removes one):
// one field on many lots is one edit.
func (s *Session) SetAttributes(ctx context.Context, layer string, ids []string, values map[string]any) (*Result, error) {
	var cs []change
	for _, id := range ids {
		f, err := s.feature(layer, id)
		if err != nil {
			return nil, err
		}
		f.Properties = copyProps(f.Properties)
		for k, v := range values {
			if v == nil {
				delete(f.Properties, k)
			} else {
				f.Properties[k] = v
			}
		}
		cs = append(cs, change{layer: layer, f: f})
	}
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	what := fmt.Sprintf("%d features", len(ids))
	if len(cs) == 1 {
		what = label(cs[0].f)
	}
	return s.commit(ctx, fmt.Sprintf("set %s of %s", strings.Join(keys, ", "), what), cs)
}

// AddFeature adds a feature drawn in the grid to a layer. An area is made
// valid first (a ring drawn clockwise is turned); its vertices that lie on
// a neighbour's side are put into that side, and the neighbours' corners
// that lie on its sides into it, so it takes their exact boundary.
func (s *Session) AddFeature(ctx context.Context, layer string, g orb.Geometry, props map[string]any) (*Result, error) {
	if g == nil {
		return nil, errors.New("a feature needs a geometry")
	}
	if gis.KindOfName(layer) == gis.AreaKind {
		p, err := edit.Polygon(g)
		if err != nil {
			return nil, err
		}
		g = orient(p)
		if inv := topo.Validate(g); inv != nil {
			return nil, fmt.Errorf("the area drawn is not a valid polygon: %s", inv.Reason)
		}
	}
	f := gis.Feature{Geometry: g, Properties: copyProps(props)}
	cs := s.noded(layer, []change{{layer: layer, f: f}})
	name := layer
	if c := f.String("maDoiTuong"); c != "" {
		name = c
	}
	return s.commit(ctx, "draw "+name, cs)
}

// orient makes a polygon's shell counter-clockwise and its holes clockwise.
func orient(p orb.Polygon) orb.Polygon {
	out := orb.Clone(p).(orb.Polygon)
	for i, r := range out {
		if (gis.SignedArea(r) < 0) == (i == 0) {
			r.Reverse()
		}
	}
	return out
}

// MoveVertex moves a vertex of a feature, and the same corner of every
// feature of the layer that shares it.
func (s *Session) MoveVertex(ctx context.Context, layer, id string, v edit.Vertex, to orb.Point) (*Result, error) {
	return s.reshapeCorner(ctx, "move a vertex of ", layer, id, v, func(g orb.Geometry, vs []edit.Vertex) (orb.Geometry, error) {
		for _, w := range vs {
			g = edit.MoveVertex(g, w, to)
		}
		return g, nil
	})
}

// DeleteVertex takes a vertex out of a feature and out of the neighbours
// that share the corner.
func (s *Session) DeleteVertex(ctx context.Context, layer, id string, v edit.Vertex) (*Result, error) {
	return s.reshapeCorner(ctx, "delete a vertex of ", layer, id, v, func(g orb.Geometry, vs []edit.Vertex) (orb.Geometry, error) {
		var err error
		for i := len(vs) - 1; i >= 0; i-- { // from the last, so the earlier indexes hold
			if g, err = edit.DeleteVertex(g, vs[i]); err != nil {
				return nil, err
			}
		}
		return g, nil
	})
}

// reshapeCorner changes vertex v of feature id, and the same corner of
// every feature of the layer sharing it, by fn; areas must stay valid.
func (s *Session) reshapeCorner(ctx context.Context, what, layer, id string, v edit.Vertex, fn func(orb.Geometry, []edit.Vertex) (orb.Geometry, error)) (*Result, error) {
	f, err := s.feature(layer, id)
	if err != nil {
		return nil, err
	}
	at, ok := edit.VertexAt(f.Geometry, v)
	if !ok {
		return nil, fmt.Errorf("%s has no vertex %d of path %d", label(f), v.Index, v.Path)
	}
	var cs []change
	for _, sh := range s.sharing(layer, at) {
		g, err := fn(sh.f.Geometry, sh.vertices)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", label(sh.f), err)
		}
		sh.f.Geometry = g
		cs = append(cs, change{layer: layer, f: sh.f})
	}
	cs = s.noded(layer, cs)
	if err := validAreas(cs); err != nil {
		return nil, err
	}
	return s.commit(ctx, what+label(f)+neighbours(cs), cs)
}

// neighbours says how many other features a gesture changed.
func neighbours(cs []change) string {
	switch n := len(cs) - 1; {
	case n == 1:
		return " and 1 neighbour"
	case n > 1:
		return fmt.Sprintf(" and %d neighbours", n)
	}
	return ""
}

// shared is a feature with the vertices it has at a corner.
type shared struct {
	f        gis.Feature
	vertices []edit.Vertex
}

// sharing lists the features of layer with a vertex at p.
func (s *Session) sharing(layer string, p orb.Point) []shared {
	var out []shared
	box := orb.Bound{Min: p, Max: p}.Pad(SharedTolerance)
	for _, f := range s.Near(layer, box) {
		if vs := edit.VerticesAt(f.Geometry, p, SharedTolerance); len(vs) > 0 {
			out = append(out, shared{f: cloneFeature(*f), vertices: vs})
		}
	}
	return out
}

func cloneFeature(f gis.Feature) gis.Feature {
	f.Properties = copyProps(f.Properties)
	if f.Geometry != nil {
		f.Geometry = orb.Clone(f.Geometry)
	}
	return f
}

// InsertVertex puts a vertex at p on the side of a feature nearest to it,
// and on the same side of the neighbours that share it.
func (s *Session) InsertVertex(ctx context.Context, layer, id string, p orb.Point) (*Result, error) {
	f, err := s.feature(layer, id)
	if err != nil {
		return nil, err
	}
	path, after, at, _ := edit.NearestEdge(f.Geometry, p)
	f = cloneFeature(f)
	f.Geometry = edit.InsertVertex(f.Geometry, path, after, at)
	cs := s.noded(layer, []change{{layer: layer, f: f}})
	return s.commit(ctx, "add a vertex to "+label(f)+neighbours(cs), cs)
}

// Move moves whole features by (dx, dy) metres.
func (s *Session) Move(ctx context.Context, layer string, ids []string, dx, dy float64) (*Result, error) {
	var cs []change
	for _, id := range ids {
		f, err := s.feature(layer, id)
		if err != nil {
			return nil, err
		}
		f = cloneFeature(f)
		f.Geometry = edit.Translate(f.Geometry, dx, dy)
		cs = append(cs, change{layer: layer, f: f})
	}
	return s.commit(ctx, fmt.Sprintf("move %s by %.2f m", what(cs), math.Hypot(dx, dy)), cs)
}

func what(cs []change) string {
	if len(cs) == 1 {
		return label(cs[0].f)
	}
	return fmt.Sprintf("%d features", len(cs))
}

// Delete deletes features.
func (s *Session) Delete(ctx context.Context, layer string, ids []string) (*Result, error) {
	var cs []change
	for _, id := range ids {
		f, err := s.feature(layer, id)
		if err != nil {
			return nil, err
		}
		cs = append(cs, change{layer: layer, f: f, deleted: true})
	}
	return s.commit(ctx, "delete "+what(cs), cs)
}

// lot returns a lot of the proposal as one polygon.
func (s *Session) lot(id string) (gis.Feature, orb.Polygon, error) {
	f, err := s.feature(gis.LandUseLayer, id)
	if err != nil {
		return f, nil, err
	}
	p, err := edit.Polygon(f.Geometry)
	if err != nil {
		return f, nil, fmt.Errorf("%s: %w", label(f), err)
	}
	return f, p, nil
}

// Split cuts a lot along a drawn line into its parts.
func (s *Session) Split(ctx context.Context, id string, line orb.LineString) (*Result, error) {
	f, p, err := s.lot(id)
	if err != nil {
		return nil, err
	}
	parts, err := topo.Split(p, line)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", label(f), err)
	}
	return s.replaceByParts(ctx, "split "+label(f), f, parts)
}

// SplitAreas cuts a lot into parts of the given areas (m²; the last 0 for
// the rest) across its side (the shell's edge from vertex side), each part
// keeping frontage on that side.
func (s *Session) SplitAreas(ctx context.Context, id string, side int, areas []float64) (*Result, error) {
	f, p, err := s.lot(id)
	if err != nil {
		return nil, err
	}
	parts, err := topo.SplitAreas(p, side, areas)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", label(f), err)
	}
	return s.replaceByParts(ctx, fmt.Sprintf("split %s by areas", label(f)), f, parts)
}

// SplitEqual cuts a lot into n parts of equal area across its side.
func (s *Session) SplitEqual(ctx context.Context, id string, side, n int) (*Result, error) {
	f, p, err := s.lot(id)
	if err != nil {
		return nil, err
	}
	parts, err := topo.SplitEqual(p, side, n)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", label(f), err)
	}
	return s.replaceByParts(ctx, fmt.Sprintf("split %s into %d equal parts", label(f), n), f, parts)
}

// replaceByParts deletes a lot and adds its parts, with its attributes,
// codes derived from its own (CN-03a, CN-03b, …) and it as their parent.
func (s *Session) replaceByParts(ctx context.Context, what string, f gis.Feature, parts []orb.Polygon) (*Result, error) {
	codes := s.PartCodes(f.String("maDoiTuong"), len(parts))
	parents := s.lineageOf(f.ID)
	cs := []change{{layer: gis.LandUseLayer, f: f, deleted: true}}
	for i, part := range parts {
		pf := gis.Feature{Geometry: part, Properties: copyProps(f.Properties)}
		if codes[i] != "" {
			pf.Properties["maDoiTuong"] = codes[i]
		}
		cs = append(cs, change{layer: gis.LandUseLayer, f: pf, parents: parents})
	}
	return s.commit(ctx, what, s.noded(gis.LandUseLayer, cs))
}

// lineageOf is what a part of feature id descends from: the feature, when
// it is in the base; else (a lot this dossier added) the base lots it
// came from.
func (s *Session) lineageOf(id string) []string {
	if _, ok := s.base.get(id); ok {
		return []string{id}
	}
	return slices.Clone(s.State.Lineage[id])
}

// PartCodes derives n codes from a lot's code for its parts: CN-03a,
// CN-03b, … skipping codes the plan already has. No code: no codes.
func (s *Session) PartCodes(code string, n int) []string {
	out := make([]string, n)
	if code == "" {
		return out
	}
	k := 0
	for i := range out {
		for {
			c := code + suffix(k)
			k++
			if !s.taken(c) {
				out[i] = c
				break
			}
		}
	}
	return out
}

// suffix is a, b, … z, aa, ab, …
func suffix(k int) string {
	if k < 26 {
		return string(rune('a' + k))
	}
	return suffix(k/26-1) + string(rune('a'+k%26))
}

// Merge joins neighbouring lots into one, with the first lot's attributes
// and code; it names them as its parents.
func (s *Session) Merge(ctx context.Context, ids []string) (*Result, error) {
	if len(ids) < 2 {
		return nil, errors.New("select two lots or more to merge")
	}
	var ps []orb.Polygon
	var cs []change
	var parents, names []string
	for _, id := range ids {
		f, p, err := s.lot(id)
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
		cs = append(cs, change{layer: gis.LandUseLayer, f: f, deleted: true})
		for _, q := range s.lineageOf(id) {
			if !slices.Contains(parents, q) {
				parents = append(parents, q)
			}
		}
		names = append(names, label(f))
	}
	m, err := topo.Merge(ps)
	if err != nil {
		return nil, err
	}
	first := cs[0].f
	merged := gis.Feature{Geometry: m, Properties: copyProps(first.Properties)}
	cs = append(cs, change{layer: gis.LandUseLayer, f: merged, parents: parents})
	return s.commit(ctx, "merge "+strings.Join(names, ", "), cs)
}

// Setback draws the construction line of a lot at d metres inside its side
// (the shell's edge from vertex side) on the construction-line layer, and
// records the setback on the lot (khoangLui): one edit.
func (s *Session) Setback(ctx context.Context, id string, side int, d float64) (*Result, error) {
	f, p, err := s.lot(id)
	if err != nil {
		return nil, err
	}
	line, err := topo.Setback(p, side, d)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", label(f), err)
	}
	f = cloneFeature(f)
	f.Properties["khoangLui"] = d
	props := map[string]any{"khoangLui": d}
	if c := f.String("maDoiTuong"); c != "" {
		props["maDoiTuong"] = "CGXD-" + c
		props["tenDoiTuong"] = "Chỉ giới xây dựng lô " + c
	}
	cs := []change{{layer: gis.LandUseLayer, f: f}, {layer: SetbackLayer, f: gis.Feature{Geometry: line, Properties: props}}}
	return s.commit(ctx, fmt.Sprintf("setback %s m in %s", gis.FormatVN(d, 2), label(f)), cs)
}

// validAreas refuses a gesture that would leave an area invalid (a vertex
// dragged across a side).
func validAreas(cs []change) error {
	for _, c := range cs {
		if c.deleted || gis.KindOfName(c.layer) != gis.AreaKind {
			continue
		}
		if inv := topo.Validate(c.f.Geometry); inv != nil {
			return fmt.Errorf("%s would not be a valid area: %s", label(c.f), inv.Reason)
		}
	}
	return nil
}

// noded makes a gesture's features and their neighbours meet at common
// vertices: a vertex of a changed feature lying inside a neighbour's side is
// inserted into that side (the neighbour joins the gesture), and a corner of
// a neighbour lying inside a changed feature's side is inserted into it.
func (s *Session) noded(layer string, cs []change) []change {
	if gis.KindOfName(layer) == gis.PointKind {
		return cs
	}
	in := map[string]int{}
	var box orb.Bound
	first := true
	for i, c := range cs {
		if c.f.ID != "" {
			in[c.f.ID] = i
		}
		if c.deleted || c.f.Geometry == nil {
			continue
		}
		if first {
			box, first = c.f.Geometry.Bound(), false
		} else {
			box = box.Union(c.f.Geometry.Bound())
		}
	}
	if first {
		return cs
	}
	deleted := map[string]bool{}
	for _, c := range cs {
		if c.deleted {
			deleted[c.f.ID] = true
		}
	}
	var nbrs []*gis.Feature
	for _, f := range s.Near(layer, box.Pad(SharedTolerance)) {
		if !deleted[f.ID] {
			nbrs = append(nbrs, f)
		}
	}
	// corners of neighbours (and of the gesture's other features) onto the changed features' sides
	for i := range cs {
		if cs[i].deleted || cs[i].f.Geometry == nil {
			continue
		}
		for _, n := range nbrs {
			if n.ID == cs[i].f.ID {
				continue
			}
			cs[i].f.Geometry = insertOnSides(cs[i].f.Geometry, n.Geometry)
		}
		for k := range cs {
			if k != i && !cs[k].deleted && cs[k].f.Geometry != nil {
				cs[i].f.Geometry = insertOnSides(cs[i].f.Geometry, cs[k].f.Geometry)
			}
		}
	}
	// the changed features' vertices onto the neighbours' sides
	for _, n := range nbrs {
		if _, ok := in[n.ID]; ok {
			continue
		}
		g := n.Geometry
		for _, c := range cs {
			if !c.deleted && c.f.Geometry != nil {
				g = insertOnSides(g, c.f.Geometry)
			}
		}
		if !gis.SameShape(g, n.Geometry, 0) {
			nf := cloneFeature(*n)
			nf.Geometry = g
			cs = append(cs, change{layer: layer, f: nf, noded: true})
		}
	}
	return cs
}

// insertOnSides inserts into g every vertex of other that lies inside one
// of g's sides (not at its ends), within SharedTolerance.
func insertOnSides(g, other orb.Geometry) orb.Geometry {
	if !g.Bound().Pad(SharedTolerance).Intersects(other.Bound()) {
		return g
	}
	for q := range gis.Paths(other) {
		for _, p := range q.Points {
			if !g.Bound().Pad(SharedTolerance).Contains(p) {
				continue
			}
			if len(edit.VerticesAt(g, p, SharedTolerance)) > 0 {
				continue
			}
			if path, after, _, d := edit.NearestEdge(g, p); d <= SharedTolerance {
				g = edit.InsertVertex(g, path, after, p)
			}
		}
	}
	return g
}
