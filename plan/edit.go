package plan

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"
	"github.com/tidwall/rtree"

	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/gis/diff"
	"quyhoach/gis/landuse"
	"quyhoach/gis/topo"
	"quyhoach/store"
)

// An edit session is a draft dossier's proposal open for editing: the
// officer's gestures (a vertex moved, a lot split, a class set on many
// lots) become changes of the dossier's change set, each one edit of its
// undo history, saved as it is made. The session keeps the proposal
// projected (EPSG:9215) and indexed, in step with the store: after each
// gesture it reads back what the store kept. Geometry in and out is in the
// grid; the store keeps WGS84, and vertices the gesture did not move go
// back exactly as they were stored (see unproject).

// EditSource is what an edit session needs of the store; *store.Store
// satisfies it.
type EditSource interface {
	Source
	Apply(ctx context.Context, req store.ApplyRequest) (store.ApplyResult, error)
	Undo(ctx context.Context, dossier int64) (store.Edit, error)
	Redo(ctx context.Context, dossier int64) (store.Edit, error)
	Edits(ctx context.Context, dossier int64) ([]store.Edit, error)
	ProposalFeatures(ctx context.Context, dossier int64, ids []string) ([]store.ProposedFeature, error)
}

// NotEditableError is a state that cannot be edited: a version (edit a
// dossier made from it), or a dossier past its draft.
type NotEditableError struct {
	Ref   Ref
	State string // the dossier's state; "" for a version
}

func (e *NotEditableError) Error() string {
	if e.Ref.Dossier == 0 {
		return fmt.Sprintf("%s is approved and read-only: start an adjustment dossier from it to change it", e.Ref)
	}
	return fmt.Sprintf("%s is %s: only a draft dossier (or one returned to draft) can be edited", e.Ref, e.State)
}

// ErrNoChange is a gesture that changed nothing (a value set to what it
// was): no edit is made.
var ErrNoChange = errors.New("nothing changed")

// Session is a draft dossier open for editing. It is not safe for
// concurrent use: the window runs its gestures one at a time.
type Session struct {
	src EditSource
	cat *landuse.Catalogue
	// State is the proposal as the store has it, projected; Base the
	// dossier's base version, projected.
	State, Base *State

	tr, inv orb.Projection
	raw     map[string]orb.Geometry // each feature's stored (WGS84) geometry
	layers  map[string]*layerIndex  // the proposal's features by layer
	base    *layerIndex             // the base's lots
	touched map[string]bool         // ids the dossier (may) change
	undone  int                     // edits that can be redone
	done    int                     // edits that can be undone
	extend  bool                    // the next gesture may extend the adjusted area
	codes   map[string]int          // lots by code (maDoiTuong), made when first asked
}

// layerIndex finds a layer's features by id and by place.
type layerIndex struct {
	features *[]gis.Feature
	pos      map[string]int
	tree     rtree.RTreeG[string]
}

func newLayerIndex(fs *[]gis.Feature) *layerIndex {
	x := &layerIndex{features: fs, pos: make(map[string]int, len(*fs))}
	for i, f := range *fs {
		x.pos[f.ID] = i
		if f.Geometry != nil {
			b := f.Geometry.Bound()
			x.tree.Insert(b.Min, b.Max, f.ID)
		}
	}
	return x
}

func (x *layerIndex) get(id string) (*gis.Feature, bool) {
	i, ok := x.pos[id]
	if !ok {
		return nil, false
	}
	return &(*x.features)[i], true
}

// meeting lists the ids of the features whose bound meets b, in layer order.
func (x *layerIndex) meeting(b orb.Bound) []string {
	var out []string
	x.tree.Search(b.Min, b.Max, func(_, _ [2]float64, id string) bool {
		out = append(out, id)
		return true
	})
	sort.Slice(out, func(i, j int) bool { return x.pos[out[i]] < x.pos[out[j]] })
	return out
}

// put replaces or adds feature f (projected).
func (x *layerIndex) put(f gis.Feature) {
	if i, ok := x.pos[f.ID]; ok {
		old := (*x.features)[i]
		if old.Geometry != nil {
			b := old.Geometry.Bound()
			x.tree.Delete(b.Min, b.Max, f.ID)
		}
		(*x.features)[i] = f
	} else {
		x.pos[f.ID] = len(*x.features)
		*x.features = append(*x.features, f)
	}
	if f.Geometry != nil {
		b := f.Geometry.Bound()
		x.tree.Insert(b.Min, b.Max, f.ID)
	}
}

// remove takes feature id out of the layer: the last feature takes its
// slot (the order of a session's features means nothing; the store keeps
// the plan's), so a removal costs the same in a plan of 100 000 lots as in
// one of ten.
func (x *layerIndex) remove(id string) {
	i, ok := x.pos[id]
	if !ok {
		return
	}
	fs := *x.features
	if g := fs[i].Geometry; g != nil {
		b := g.Bound()
		x.tree.Delete(b.Min, b.Max, id)
	}
	last := len(fs) - 1
	if i != last {
		fs[i] = fs[last]
		x.pos[fs[i].ID] = i
	}
	fs[last] = gis.Feature{}
	*x.features = fs[:last]
	delete(x.pos, id)
}

// OpenSession opens dossier id for editing: it must be a draft.
func OpenSession(ctx context.Context, src EditSource, cat *landuse.Catalogue, id int64) (*Session, error) {
	snap, d, err := Load(ctx, src, "", Ref{Dossier: id})
	if err != nil {
		return nil, err
	}
	if d.State != store.Draft {
		return nil, &NotEditableError{Ref: Ref{Dossier: id}, State: d.State}
	}
	baseSnap, err := src.Load(ctx, d.Plan, d.Base)
	if err != nil {
		return nil, err
	}
	s := &Session{src: src, cat: cat, raw: map[string]orb.Geometry{}, layers: map[string]*layerIndex{}, touched: map[string]bool{}}
	if s.tr, err = crs.New(crs.WGS84, crs.TM3LangSon); err != nil {
		return nil, err
	}
	inv, err := crs.New(crs.TM3LangSon, crs.WGS84)
	if err != nil {
		return nil, err
	}
	s.inv = crs.Exact(s.tr, inv)
	for _, l := range snap.Layers {
		for _, f := range l.Features {
			if f.Geometry != nil {
				s.raw[f.ID] = orb.Clone(f.Geometry)
			}
		}
	}
	s.State = &State{Plan: snap.Plan, Version: snap.Version, Dossier: d, Layers: gis.Project(snap.Layers, s.tr), Lineage: snap.Lineage}
	s.Base = &State{Plan: baseSnap.Plan, Version: baseSnap.Version, Layers: gis.Project(baseSnap.Layers, s.tr), Lineage: baseSnap.Lineage}
	for i := range s.State.Layers {
		l := &s.State.Layers[i]
		s.layers[l.Name] = newLayerIndex(&l.Features)
	}
	lots := s.Base.Lots()
	s.base = newLayerIndex(&lots)
	for _, c := range d.Changes {
		s.touched[c.FeatureID] = true
	}
	if err := s.countEdits(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Dossier is the dossier being edited.
func (s *Session) Dossier() *store.Dossier { return s.State.Dossier }

// CanUndo and CanRedo tell whether there is an edit to undo, or to redo.
func (s *Session) CanUndo() bool { return s.done > 0 }
func (s *Session) CanRedo() bool { return s.undone > 0 }

func (s *Session) countEdits(ctx context.Context) error {
	edits, err := s.src.Edits(ctx, s.Dossier().ID)
	if err != nil {
		return err
	}
	s.done, s.undone = 0, 0
	for _, e := range edits {
		if e.Undone {
			s.undone++
		} else {
			s.done++
		}
	}
	return nil
}

// History is the dossier's undo history, oldest first.
func (s *Session) History(ctx context.Context) ([]store.Edit, error) {
	return s.src.Edits(ctx, s.Dossier().ID)
}

// Feature returns a feature of the proposal by layer and id.
func (s *Session) Feature(layer, id string) (*gis.Feature, bool) {
	x := s.layers[layer]
	if x == nil {
		return nil, false
	}
	return x.get(id)
}

// LayerOf returns the layer holding feature id.
func (s *Session) LayerOf(id string) (string, bool) {
	for name, x := range s.layers {
		if _, ok := x.pos[id]; ok {
			return name, true
		}
	}
	return "", false
}

// Near lists the features of layer whose bound meets b.
func (s *Session) Near(layer string, b orb.Bound) []*gis.Feature {
	x := s.layers[layer]
	if x == nil {
		return nil
	}
	var out []*gis.Feature
	for _, id := range x.meeting(b) {
		f, _ := x.get(id)
		out = append(out, f)
	}
	return out
}

// Changed is a feature a gesture (or an undo) changed, as the store now
// has it, projected: Feature is nil when it is gone.
type Changed struct {
	Layer   string
	ID      string
	Feature *gis.Feature
}

// Result is what a gesture did and what it made of the plan: the features
// changed, the dossier's land-use balance change, and the check of the
// edit's neighbourhood.
type Result struct {
	Label   string
	Changed []Changed
	Added   []string // ids of the features the gesture added, in order
	Balance diff.Balance
	Check   topo.EditCheck
	was     []orb.Bound // where the changed lots were before: a check looks there too
}

// change is one feature of a gesture, in the grid: its new state (nil
// geometry: deleted), its layer, and its parents for lineage.
type change struct {
	layer   string
	f       gis.Feature
	deleted bool
	parents []string
	auto    bool // added by the session, not the gesture (an adjusted area)
	// noded: a neighbour that only gained vertices on its sides, its shape
	// unchanged (see noded)
	noded bool
}

// commit writes a gesture's changes as one edit, reads back what the store
// kept, and checks the neighbourhood.
func (s *Session) commit(ctx context.Context, label string, cs []change) (*Result, error) {
	if len(cs) == 0 {
		return nil, errors.New("nothing to change")
	}
	cs, err := s.adjust(label, cs)
	if err != nil {
		return nil, err
	}
	var boundAll orb.Bound
	first := true
	for _, c := range cs {
		if c.f.Geometry == nil {
			continue
		}
		if first {
			boundAll, first = c.f.Geometry.Bound(), false
		} else {
			boundAll = boundAll.Union(c.f.Geometry.Bound())
		}
	}
	// a modification keeps its layer in the store; an addition goes to
	// its own (a lot and its setback line are one gesture)
	fs := make([]gis.Feature, len(cs))
	layers := make([]string, len(cs))
	res := &Result{Label: label}
	for i, c := range cs {
		wf := gis.Feature{ID: c.f.ID, Properties: copyProps(c.f.Properties)}
		if c.deleted {
			wf.Properties = map[string]any{"deleted": true}
		} else {
			wf.Geometry = s.unproject(c.f.Geometry, boundAll)
		}
		if len(c.parents) > 0 {
			ps := make([]any, len(c.parents))
			for k, p := range c.parents {
				ps[k] = p
			}
			wf.Properties["parents"] = ps
		}
		fs[i], layers[i] = wf, c.layer
	}
	ar, err := s.src.Apply(ctx, store.ApplyRequest{Dossier: s.Dossier().ID, Layer: cs[0].layer, Layers: layers, Features: fs, Label: label})
	if err != nil {
		return nil, err
	}
	if ar.Edit == 0 {
		return nil, ErrNoChange
	}
	return s.after(ctx, label, ar.IDs, res, cs)
}

// after reads back the features a gesture wrote (ids: the store's ids of
// the features in order) and updates the session.
func (s *Session) after(ctx context.Context, label string, ids []string, res *Result, cs []change) (*Result, error) {
	for i, c := range cs {
		if c.f.ID == "" && !c.auto && i < len(ids) {
			res.Added = append(res.Added, ids[i])
		}
	}
	if err := s.reload(ctx, ids, res); err != nil {
		return nil, err
	}
	s.done++
	s.undone = 0
	return s.finish(ctx, res)
}

// reload reads features back from the store into the session.
func (s *Session) reload(ctx context.Context, ids []string, res *Result) error {
	got, err := s.src.ProposalFeatures(ctx, s.Dossier().ID, ids)
	if err != nil {
		return err
	}
	for _, pf := range got {
		s.touched[pf.ID] = true
		old, hadLayer := s.LayerOf(pf.ID)
		if f, ok := s.Feature(old, pf.ID); ok && hadLayer && old == gis.LandUseLayer && f.Geometry != nil {
			res.was = append(res.was, f.Geometry.Bound())
		}
		if pf.Feature == nil {
			if hadLayer {
				s.recode(old, pf.ID, nil)
				s.layers[old].remove(pf.ID)
			}
			delete(s.raw, pf.ID)
			delete(s.State.Lineage, pf.ID)
			res.Changed = append(res.Changed, Changed{Layer: old, ID: pf.ID})
			continue
		}
		f := *pf.Feature
		f.ID = pf.ID
		s.recode(old, pf.ID, &f)
		s.raw[pf.ID] = orb.Clone(f.Geometry)
		if f.Geometry != nil {
			f.Geometry = project.Geometry(f.Geometry, s.tr)
		}
		if hadLayer && old != pf.Layer {
			s.layers[old].remove(pf.ID)
		}
		s.layer(pf.Layer).put(f)
		if len(pf.Parents) > 0 {
			s.State.Lineage[pf.ID] = pf.Parents
		} else {
			delete(s.State.Lineage, pf.ID)
		}
		x := s.layers[pf.Layer]
		nf, _ := x.get(pf.ID)
		res.Changed = append(res.Changed, Changed{Layer: pf.Layer, ID: pf.ID, Feature: nf})
	}
	return nil
}

// recode keeps the lot codes in step as feature id of layer becomes f
// (nil: goes).
func (s *Session) recode(layer, id string, f *gis.Feature) {
	if s.codes == nil {
		return
	}
	if layer == gis.LandUseLayer {
		if old, ok := s.Feature(layer, id); ok {
			if c := old.String("maDoiTuong"); c != "" {
				if s.codes[c]--; s.codes[c] <= 0 {
					delete(s.codes, c)
				}
			}
		}
	}
	if f != nil {
		if c := f.String("maDoiTuong"); c != "" {
			s.codes[c]++
		}
	}
}

// taken tells whether a lot of the proposal has code.
func (s *Session) taken(code string) bool {
	if s.codes == nil {
		s.codes = map[string]int{}
		for _, f := range s.State.Lots() {
			if c := f.String("maDoiTuong"); c != "" {
				s.codes[c]++
			}
		}
	}
	return s.codes[code] > 0
}

// layer returns the index of a layer, adding the layer to the state when
// it is new.
func (s *Session) layer(name string) *layerIndex {
	if x := s.layers[name]; x != nil {
		return x
	}
	s.State.Layers = append(s.State.Layers, gis.Layer{Name: name})
	// the slice may have moved: every index points into it again
	for i := range s.State.Layers {
		l := &s.State.Layers[i]
		if x := s.layers[l.Name]; x != nil {
			x.features = &l.Features
		} else {
			s.layers[l.Name] = newLayerIndex(&l.Features)
		}
	}
	return s.layers[name]
}

// finish adds the balance and the neighbourhood check to a result.
func (s *Session) finish(ctx context.Context, res *Result) (*Result, error) {
	res.Balance = s.Balance()
	var edited []string
	for _, c := range res.Changed {
		if c.Layer == gis.LandUseLayer || c.Layer == "" {
			edited = append(edited, c.ID)
		}
	}
	if len(edited) == 0 {
		return res, nil
	}
	chk, err := s.CheckAround(ctx, edited, res.was...)
	if err != nil {
		return nil, err
	}
	res.Check = chk
	return res, nil
}

// CheckAround checks the neighbourhood of lots ids (and of the places
// where lots were, also) against the base (see topo.CheckEdit): the same
// rule the store applies before a submission.
func (s *Session) CheckAround(ctx context.Context, ids []string, also ...orb.Bound) (topo.EditCheck, error) {
	var box orb.Bound
	found := false
	growB := func(b orb.Bound) {
		if !found {
			box, found = b, true
		} else {
			box = box.Union(b)
		}
	}
	grow := func(g orb.Geometry) {
		if g != nil {
			growB(g.Bound())
		}
	}
	for _, b := range also {
		growB(b)
	}
	lots := s.layers[gis.LandUseLayer]
	for _, id := range ids {
		if lots != nil {
			if f, ok := lots.get(id); ok {
				grow(f.Geometry)
			}
		}
		if f, ok := s.base.get(id); ok {
			grow(f.Geometry)
		}
	}
	if !found {
		return topo.EditCheck{}, nil
	}
	box = box.Pad(topo.Margin)
	var before, after []gis.Feature
	for _, id := range s.base.meeting(box) {
		f, _ := s.base.get(id)
		before = append(before, *f)
	}
	if lots != nil {
		for _, id := range lots.meeting(box) {
			f, _ := lots.get(id)
			after = append(after, *f)
		}
	}
	return topo.CheckBox(ctx, before, after, s.Base.Boundary(), s.State.Boundary(), box,
		topo.Options{KnownClass: func(p string) bool { _, ok := s.cat.Lookup(p); return ok }})
}

// CheckChanges checks around every lot the dossier changes (the check an
// officer sees when a dossier opens for editing again).
func (s *Session) CheckChanges(ctx context.Context) (topo.EditCheck, error) {
	var ids []string
	lots := s.layers[gis.LandUseLayer]
	for id := range s.touched {
		_, inBase := s.base.pos[id]
		inLots := false
		if lots != nil {
			_, inLots = lots.pos[id]
		}
		if inBase || inLots {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	if len(ids) == 0 {
		return topo.EditCheck{}, nil
	}
	return s.CheckAround(ctx, ids)
}

// Balance is the land-use balance of the lots the dossier changes, before
// and after (its ChangeHa is the change an officer watches while editing).
func (s *Session) Balance() diff.Balance {
	var before, after []gis.Feature
	ids := make([]string, 0, len(s.touched))
	for id := range s.touched {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	lots := s.layers[gis.LandUseLayer]
	for _, id := range ids {
		if f, ok := s.base.get(id); ok {
			before = append(before, *f)
		}
		if lots != nil {
			if f, ok := lots.get(id); ok {
				after = append(after, *f)
			}
		}
	}
	return diff.Compare(before, after, ClassOf(s.cat), s.cat.Codes())
}

// Undo takes back the last edit; the result lists what it touched.
func (s *Session) Undo(ctx context.Context) (*Result, error) {
	return s.replay(ctx, s.src.Undo)
}

// Redo does the edit undone last again.
func (s *Session) Redo(ctx context.Context) (*Result, error) {
	return s.replay(ctx, s.src.Redo)
}

func (s *Session) replay(ctx context.Context, fn func(context.Context, int64) (store.Edit, error)) (*Result, error) {
	e, err := fn(ctx, s.Dossier().ID)
	if err != nil {
		return nil, err
	}
	res := &Result{Label: e.Label}
	if err := s.reload(ctx, e.IDs, res); err != nil {
		return nil, err
	}
	if err := s.countEdits(ctx); err != nil {
		return nil, err
	}
	return s.finish(ctx, res)
}

// unproject turns grid geometry into WGS84 for the store. A vertex at the
// exact grid position of a stored vertex of a feature nearby (bound: where
// to look) is written as that stored vertex, so vertices a gesture did not
// move, and vertices snapped onto a neighbour's, are stored bit for bit as
// they were: an edit never drifts the lines it did not touch.
func (s *Session) unproject(g orb.Geometry, bound orb.Bound) orb.Geometry {
	known := map[orb.Point]orb.Point{}
	for _, x := range s.layers {
		for _, id := range x.meeting(bound.Pad(1)) {
			f, _ := x.get(id)
			raw := s.raw[id]
			if raw == nil || f.Geometry == nil {
				continue
			}
			pairVertices(f.Geometry, raw, known)
		}
	}
	return project.Geometry(orb.Clone(g), func(p orb.Point) orb.Point {
		if w, ok := known[p]; ok {
			return w
		}
		return s.inv(p)
	})
}

// pairVertices maps each vertex of a projected geometry to the same vertex
// of its stored one (same shape, vertex for vertex).
func pairVertices(projected, raw orb.Geometry, into map[orb.Point]orb.Point) {
	var ps, rs [][]orb.Point
	for p := range gis.Paths(projected) {
		ps = append(ps, p.Points)
	}
	for p := range gis.Paths(raw) {
		rs = append(rs, p.Points)
	}
	if len(ps) != len(rs) {
		return
	}
	for i := range ps {
		if len(ps[i]) != len(rs[i]) {
			continue
		}
		for k, p := range ps[i] {
			into[p] = rs[i][k]
		}
	}
}

func copyProps(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Snapshot is a copy of the proposal as it is now, for a reader that must
// not see the session's later edits (a frame being drawn, a print, a
// check): the layers' feature slices and the lineage are copied; features'
// geometries are shared, as an edit replaces a geometry and never changes
// one.
func (s *Session) Snapshot() *State {
	st := *s.State
	st.Layers = make([]gis.Layer, len(s.State.Layers))
	for i, l := range s.State.Layers {
		st.Layers[i] = gis.Layer{Name: l.Name, Features: slices.Clone(l.Features)}
	}
	st.Lineage = make(map[string][]string, len(s.State.Lineage))
	for k, v := range s.State.Lineage {
		st.Lineage[k] = v
	}
	return &st
}
