package plan

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"

	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/gis/edit"
	"quyhoach/gis/topo"
	"quyhoach/store"
)

// gridOrigin is the south-west corner of the edit fixture, in EPSG:9215.
var gridOrigin = orb.Point{444000, 2430000}

// editStore is a store with plan "p": n×n lots of 20 m (L<i>-<j>, class
// ONM) tiling a boundary, stored from grid coordinates; and a local draft
// dossier on it.
func editStore(t testing.TB, n int) (*store.Store, int64) {
	t.Helper()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "e.db"), store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.CreatePlan(ctx, store.Plan{Code: "p", Name: "Thử", Level: "detailed", Scale: 500}); err != nil {
		t.Fatal(err)
	}
	inv, _ := crs.New(crs.TM3LangSon, crs.WGS84)
	const side = 20.0
	var lots []gis.Feature
	for i := range n {
		for j := range n {
			x, y := gridOrigin[0]+float64(i)*side, gridOrigin[1]+float64(j)*side
			g := orb.Polygon{{{x, y}, {x + side, y}, {x + side, y + side}, {x, y + side}, {x, y}}}
			lots = append(lots, gis.Feature{Geometry: project.Geometry(g, inv), Properties: map[string]any{
				"maDoiTuong": fmt.Sprintf("L%d-%d", i, j), "phanLoai": "ONM", "matDoXayDung": 40.0,
			}})
		}
	}
	e := float64(n) * side
	o := gridOrigin
	bd := orb.Polygon{{o, {o[0] + e, o[1]}, {o[0] + e, o[1] + e}, {o[0], o[1] + e}, o}}
	_, err = st.Import(ctx, store.ImportRequest{Plan: "p", Key: "maDoiTuong", Layers: []gis.Layer{
		{Name: gis.LandUseLayer, Features: lots},
		{Name: gis.BoundaryLayer, Features: []gis.Feature{{Geometry: project.Geometry(bd, inv), Properties: map[string]any{"maDoiTuong": "RG"}}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	d, err := st.CreateDossier(ctx, store.NewDossier{Plan: "p", Kind: store.Local, Title: "Điều chỉnh thử"})
	if err != nil {
		t.Fatal(err)
	}
	return st, d
}

func openSession(t testing.TB, st *store.Store, d int64) *Session {
	t.Helper()
	s, err := OpenSession(ctx, st, catalogue(t), d)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// lotByCode finds a lot of the session by code.
func lotByCode(t testing.TB, s *Session, code string) gis.Feature {
	t.Helper()
	for _, f := range s.State.Lots() {
		if f.String("maDoiTuong") == code {
			return f
		}
	}
	t.Fatalf("no lot %s", code)
	return gis.Feature{}
}

// corner is grid point (i, j) of the fixture's 20 m grid, as drawn.
func corner(i, j float64) orb.Point { return orb.Point{gridOrigin[0] + 20*i, gridOrigin[1] + 20*j} }

// vertex is the lots' vertex at grid point (i, j) as the session has it:
// the trip through WGS84 storage shifts the whole plan by about a
// millimetre, so tests compare positions relative to what is stored.
func vertex(t testing.TB, s *Session, i, j float64) orb.Point {
	t.Helper()
	_, _, at, ok := s.VertexNear(gis.LandUseLayer, corner(i, j), 0.01)
	if !ok {
		t.Fatalf("no vertex at (%v, %v)", i, j)
	}
	return at
}

// stored reads a feature as the store keeps it (WGS84) through a new session.
func reopened(t testing.TB, st *store.Store, d int64) *Session {
	t.Helper()
	return openSession(t, st, d)
}

func lotsChanged(r *Result) int {
	n := 0
	for _, c := range r.Changed {
		if c.Layer == gis.LandUseLayer {
			n++
		}
	}
	return n
}

func near(a, b orb.Point, tol float64) bool { return math.Hypot(a[0]-b[0], a[1]-b[1]) <= tol }

func introduced(r *Result) []topo.Finding { return r.Check.Introduced }

func TestDrawLotStoresClickedAndTypedVertices(t *testing.T) {
	st, d := editStore(t, 4)
	s := openSession(t, st, d)
	// a lot north of the plan: clicked corners, then a side typed as
	// 25,37 m at 90°, then one typed as VN-2000 X/Y
	a := corner(0, 4)
	b := corner(1, 4) // snaps onto L0-3/L1-3's shared corner
	c := edit.Polar(b, 25.37, mustBearing(t, "90°00'00\""))
	xy, err := edit.ParseXY(fmt.Sprintf("%.3f %.3f", gridOrigin[1]+100, gridOrigin[0]+40))
	if err != nil {
		t.Fatal(err)
	}
	drawn := orb.Polygon{{a, b, c, xy, a}}
	res, err := s.AddFeature(ctx, gis.LandUseLayer, drawn, map[string]any{"maDoiTuong": "N-1", "phanLoai": "CXCC"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Added) != 1 {
		t.Fatalf("added %v", res.Added)
	}
	// after the trip through storage (WGS84): relative positions within 1 mm
	got := lotByCode(t, reopened(t, st, d), "N-1").Geometry.(orb.Polygon)[0]
	want := drawn[0]
	if len(got) < len(want) {
		t.Fatalf("ring %v", got)
	}
	for _, w := range want {
		found := false
		for _, g := range got {
			if near(orb.Point{g[0] - got[0][0], g[1] - got[0][1]}, orb.Point{w[0] - want[0][0], w[1] - want[0][1]}, 0.001) {
				found = true
			}
		}
		if !found {
			t.Errorf("vertex %v (relative to the first) not stored within 1 mm: %v", w, got)
		}
	}
	if math.Abs(gis.Area(orb.Polygon{got})-gis.Area(drawn)) > 0.01 {
		t.Errorf("area %v, drawn %v", gis.Area(orb.Polygon{got}), gis.Area(drawn))
	}
}

func mustBearing(t testing.TB, s string) float64 {
	b, err := edit.ParseBearing(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSnappedVertexIsTheNeighboursVertex: a corner snapped to a
// neighbour's is stored as exactly the neighbour's (bit for bit in WGS84),
// and a lot drawn along neighbours' sides takes their corners: drawn where
// two lots were deleted, it leaves no gap and no overlap.
func TestSnappedVertexIsTheNeighboursVertex(t *testing.T) {
	st, d := editStore(t, 4)
	s := openSession(t, st, d)
	s.ExtendNext()
	if _, err := s.Delete(ctx, gis.LandUseLayer, []string{lotByCode(t, s, "L1-3").ID, lotByCode(t, s, "L2-3").ID}); err != nil {
		t.Fatal(err)
	}
	snapAt := func(i, j float64) orb.Point {
		p := vertex(t, s, i, j)
		snap := s.Snap(orb.Point{p[0] + 0.3, p[1] - 0.2}, 0.5, []string{gis.LandUseLayer}, nil)
		if snap.Kind != edit.ToVertex || snap.Point != p {
			t.Fatalf("snap %+v, want the corner %v", snap, p)
		}
		return snap.Point
	}
	// corner (2,3) of the lots south lies on the new lot's south side
	drawn := orb.Polygon{{snapAt(1, 3), snapAt(3, 3), snapAt(3, 4), snapAt(1, 4), snapAt(1, 3)}}
	res, err := s.AddFeature(ctx, gis.LandUseLayer, drawn, map[string]any{"maDoiTuong": "N-2", "phanLoai": "CXCC"})
	if err != nil {
		t.Fatal(err)
	}
	if len(introduced(res)) != 0 {
		t.Errorf("a lot drawn against neighbours introduced %v", introduced(res))
	}
	if c, err := st.CheckProposal(ctx, d); err != nil || len(c.Introduced) != 0 {
		t.Errorf("the store finds %v (%v)", c.Introduced, err)
	}
	raw, err := st.ProposalFeatures(ctx, d, []string{res.Added[0], lotByCode(t, s, "L1-2").ID})
	if err != nil {
		t.Fatal(err)
	}
	mine := raw[0].Feature.Geometry.(orb.Polygon)[0]
	theirs := raw[1].Feature.Geometry.(orb.Polygon)[0]
	shared := 0
	for _, q := range mine[:len(mine)-1] {
		for _, r := range theirs[:len(theirs)-1] {
			if q == r {
				shared++
			}
		}
	}
	if shared != 2 { // (1,3) and (2,3), exactly
		t.Errorf("%d vertices shared bit for bit with L1-2, want 2: %v / %v", shared, mine, theirs)
	}
	if len(edit.VerticesAt(lotByCode(t, s, "N-2").Geometry, vertex(t, s, 2, 3), 1e-3)) != 1 {
		t.Errorf("the lot drawn along the neighbours' sides lacks their corner (2,3)")
	}
}

func TestMoveSharedVertexMovesItInEveryLot(t *testing.T) {
	st, d := editStore(t, 4)
	s := openSession(t, st, d)
	l11 := lotByCode(t, s, "L1-1")
	c22 := vertex(t, s, 2, 2)
	vs := edit.VerticesAt(l11.Geometry, c22, 1e-3)
	to := orb.Point{c22[0] + 3, c22[1] - 2}
	res, err := s.MoveVertex(ctx, gis.LandUseLayer, l11.ID, vs[0], to)
	if err != nil {
		t.Fatal(err)
	}
	if n := lotsChanged(res); n != 4 {
		t.Errorf("changed %d lots, want the 4 around the corner", n)
	}
	if len(introduced(res)) != 0 {
		t.Errorf("moving a shared corner introduced %v", introduced(res))
	}
	s2 := reopened(t, st, d)
	for _, code := range []string{"L1-1", "L2-1", "L1-2", "L2-2"} {
		if len(edit.VerticesAt(lotByCode(t, s2, code).Geometry, to, 1e-3)) != 1 {
			t.Errorf("%s does not have the moved corner", code)
		}
	}
	// lots around keep their area sum: the corner moved inside the block
	sum := 0.0
	for _, f := range s2.State.Lots() {
		sum += gis.Area(f.Geometry)
	}
	if math.Abs(sum-16*400) > 0.01 {
		t.Errorf("lots add up to %v m², want 6400", sum)
	}
}

func TestSplitsAndMerge(t *testing.T) {
	st, d := editStore(t, 4)
	s := openSession(t, st, d)
	parent := lotByCode(t, s, "L1-1")
	s.ExtendNext()
	// a drawn line across the lot
	res, err := s.Split(ctx, parent.ID, orb.LineString{{corner(1, 1)[0] + 7, corner(1, 1)[1] - 1}, {corner(1, 1)[0] + 12, corner(1, 2)[1] + 1}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Added) != 2 {
		t.Fatalf("parts %v", res.Added)
	}
	sum := 0.0
	for _, id := range res.Added {
		f, _ := s.Feature(gis.LandUseLayer, id)
		sum += gis.Area(f.Geometry)
		if p := s.State.Lineage[id]; len(p) != 1 || p[0] != parent.ID {
			t.Errorf("part %s parents %v", id, p)
		}
	}
	if math.Abs(sum-400) > topo.AreaTolerance {
		t.Errorf("parts add up to %v m²", sum)
	}
	if len(introduced(res)) != 0 {
		t.Errorf("split introduced %v", introduced(res))
	}
	codes := []string{lotByCode(t, s, "L1-1a").ID, lotByCode(t, s, "L1-1b").ID}
	if codes[0] == "" || codes[1] == "" {
		t.Error("part codes not derived")
	}
	// equal parts across the south side of L2-2
	l22 := lotByCode(t, s, "L2-2")
	s.ExtendNext()
	res, err = s.SplitEqual(ctx, l22.ID, 0, 3)
	if err != nil {
		t.Fatal(err)
	}
	var areas []float64
	for _, id := range res.Added {
		f, _ := s.Feature(gis.LandUseLayer, id)
		areas = append(areas, gis.Area(f.Geometry))
	}
	if len(areas) != 3 || math.Abs(areas[0]-areas[1]) > 0.01 || math.Abs(areas[1]-areas[2]) > 0.01 {
		t.Errorf("equal parts %v", areas)
	}
	if len(introduced(res)) != 0 {
		t.Errorf("equal split introduced %v", introduced(res))
	}
	// merge two neighbours
	a, b := lotByCode(t, s, "L3-0"), lotByCode(t, s, "L3-1")
	s.ExtendNext()
	res, err = s.Merge(ctx, []string{a.ID, b.ID})
	if err != nil {
		t.Fatal(err)
	}
	m, _ := s.Feature(gis.LandUseLayer, res.Added[0])
	if inv := topo.Validate(m.Geometry); inv != nil || math.Abs(gis.Area(m.Geometry)-800) > 0.01 {
		t.Errorf("merged lot: %v, %v m²", inv, gis.Area(m.Geometry))
	}
	if p := s.State.Lineage[m.ID]; len(p) != 2 {
		t.Errorf("merged lot parents %v", p)
	}
	// a part split again names the base lot
	s.ExtendNext()
	res, err = s.SplitEqual(ctx, codes[0], 0, 2)
	if err != nil {
		t.Fatal(err)
	}
	if p := s.State.Lineage[res.Added[0]]; len(p) != 1 || p[0] != parent.ID {
		t.Errorf("a part of a part names %v, want the base lot", p)
	}
	if _, err := st.CheckProposal(ctx, d); err != nil {
		t.Fatal(err)
	}
	if c, _ := st.CheckProposal(ctx, d); len(c.Errors()) != 0 {
		t.Errorf("the store finds %v", c.Errors())
	}
}

// TestUndoRedoEveryGesture: each gesture undone gives back the proposal as
// it was, redone as it was after; the history outlives the session.
func TestUndoRedoEveryGesture(t *testing.T) {
	st, d := editStore(t, 4)
	s := openSession(t, st, d)
	snapshot := func(s *Session) string {
		var lines []string
		for _, l := range s.State.Layers {
			for _, f := range l.Features {
				lines = append(lines, fmt.Sprintf("%s %s %s %v %v %v", l.Name, f.ID, f.String("maDoiTuong"), f.Properties["phanLoai"], f.Geometry, s.State.Lineage[f.ID]))
			}
		}
		slices.Sort(lines) // a reopened proposal lists additions in another order
		return strings.Join(lines, "\n")
	}
	id := func(code string) string { return lotByCode(t, s, code).ID }
	gestures := []func() (*Result, error){
		func() (*Result, error) {
			return s.SetAttributes(ctx, gis.LandUseLayer, []string{id("L0-0"), id("L0-1")}, map[string]any{"phanLoai": "DV", "matDoXayDung": nil})
		},
		func() (*Result, error) {
			f := lotByCode(t, s, "L1-1")
			c := vertex(t, s, 1, 1)
			return s.MoveVertex(ctx, gis.LandUseLayer, f.ID, edit.VerticesAt(f.Geometry, c, 1e-3)[0], orb.Point{c[0] + 1, c[1] + 1})
		},
		func() (*Result, error) { return s.SplitEqual(ctx, id("L2-2"), 0, 2) },
		func() (*Result, error) { return s.Merge(ctx, []string{id("L3-2"), id("L3-3")}) },
		func() (*Result, error) { return s.Delete(ctx, gis.LandUseLayer, []string{id("L2-0")}) },
		func() (*Result, error) { return s.Setback(ctx, id("L0-3"), 0, 4) },
		func() (*Result, error) {
			f := lotByCode(t, s, "L0-2")
			c := vertex(t, s, 0, 2)
			return s.InsertVertex(ctx, gis.LandUseLayer, f.ID, orb.Point{c[0] + 10, c[1]})
		},
		func() (*Result, error) { return s.Move(ctx, gis.LandUseLayer, []string{id("L2-0a")}, 0, 0) },
	}
	gestures = gestures[:len(gestures)-1] // (moving a deleted lot is no gesture)
	states := []string{snapshot(s)}
	for i, g := range gestures {
		s.ExtendNext() // the gestures spread over the plan: the adjusted area grows
		if _, err := g(); err != nil {
			t.Fatalf("gesture %d: %v", i, err)
		}
		states = append(states, snapshot(s))
	}
	for i := len(gestures); i > 0; i-- {
		if _, err := s.Undo(ctx); err != nil {
			t.Fatal(err)
		}
		if got := snapshot(s); got != states[i-1] {
			t.Fatalf("undo of gesture %d: the proposal differs", i-1)
		}
		if got := snapshot(reopened(t, st, d)); got != states[i-1] {
			t.Fatalf("undo of gesture %d: the store's proposal differs from the session's", i-1)
		}
	}
	if s.CanUndo() || !s.CanRedo() {
		t.Error("undo/redo availability")
	}
	s = reopened(t, st, d) // the history survives
	for i := 1; i <= len(gestures); i++ {
		if _, err := s.Redo(ctx); err != nil {
			t.Fatal(err)
		}
		if got := snapshot(s); got != states[i] {
			t.Fatalf("redo of gesture %d: the proposal differs", i-1)
		}
	}
}

func TestSetbackAndAttributes(t *testing.T) {
	st, d := editStore(t, 3)
	s := openSession(t, st, d)
	l := lotByCode(t, s, "L1-1")
	res, err := s.Setback(ctx, l.ID, 0, 6)
	if err != nil {
		t.Fatal(err)
	}
	lines := s.State.Layer(SetbackLayer)
	if len(lines) != 1 || res.Added[0] != lines[0].ID {
		t.Fatalf("setback layer %v", lines)
	}
	ls := lines[0].Geometry.(orb.LineString)
	a, b := vertex(t, s, 1, 1), vertex(t, s, 2, 1)
	if !near(ls[0], orb.Point{a[0], a[1] + 6}, 0.001) || !near(ls[1], orb.Point{b[0], b[1] + 6}, 0.001) {
		t.Errorf("setback line %v", ls)
	}
	if v, _ := lotByCode(t, s, "L1-1").Number("khoangLui"); v != 6 {
		t.Errorf("khoangLui %v", v)
	}
	// one field on many lots, typed in Vietnamese notation
	f, _ := FieldOf("matDoXayDung")
	v, err := ParseField(f, "55,5", s.cat)
	if err != nil || v != 55.5 {
		t.Fatalf("parse: %v %v", v, err)
	}
	ids := []string{lotByCode(t, s, "L0-0").ID, lotByCode(t, s, "L0-1").ID, lotByCode(t, s, "L0-2").ID}
	s.ExtendNext()
	res, err = s.SetAttributes(ctx, gis.LandUseLayer, ids, map[string]any{"matDoXayDung": v})
	if err != nil {
		t.Fatal(err)
	}
	if n := lotsChanged(res); n != 3 {
		t.Errorf("changed %d", n)
	}
	edits, _ := s.History(ctx)
	if len(edits) != 2 || edits[1].Features != 4 { // 3 lots and the adjusted area
		t.Errorf("history %+v", edits)
	}
	// the class changes the balance of the adjusted area
	res, err = s.SetAttributes(ctx, gis.LandUseLayer, ids[:1], map[string]any{"phanLoai": "DV"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Balance.Rows {
		if r.Code == "DV" && math.Abs(r.ChangeHa-0.04) > 1e-5 || r.Code == "ONM" && math.Abs(r.ChangeHa+0.04) > 1e-5 {
			t.Errorf("balance row %+v", r)
		}
	}
}

func TestFieldsRefuseBadValues(t *testing.T) {
	cat := catalogue(t)
	for _, c := range []struct{ field, text string }{
		{"phanLoai", "XYZ"}, {"tangCaoMin", "2,5"}, {"matDoXayDung", "bốn mươi"}, {"giaiDoan", "later"},
	} {
		f, _ := FieldOf(c.field)
		var fe *FieldError
		if _, err := ParseField(f, c.text, cat); !errors.As(err, &fe) {
			t.Errorf("%s = %q accepted", c.field, c.text)
		}
	}
	f, _ := FieldOf("phanLoai")
	if v, err := ParseField(f, "dat nhom nha o", cat); err != nil || v != "ONM" {
		t.Errorf("class by name without accents: %v %v", v, err)
	}
	if cs := MatchClasses(cat, "cong nghiep"); len(cs) == 0 || cs[0].Code != "CN" {
		t.Errorf("class search: %v", cs)
	}
	probs := CheckLotFields(map[string]any{"phanLoai": "ONM", "matDoXayDung": 120.0, "tangCaoMin": 5.0, "tangCaoMax": 3.0}, cat)
	if len(probs) != 2 {
		t.Errorf("problems %+v", probs)
	}
}

func TestAdjustedAreaAndReadOnly(t *testing.T) {
	st, d := editStore(t, 6)
	s := openSession(t, st, d)
	l := lotByCode(t, s, "L1-1")
	if _, err := s.SetAttributes(ctx, gis.LandUseLayer, []string{l.ID}, map[string]any{"phanLoai": "DV"}); err != nil {
		t.Fatal(err)
	}
	area := s.AdjustedArea()
	if area == nil || !area.Bound().Contains(corner(1, 1)) {
		t.Fatalf("adjusted area %v not derived from the first edit", area)
	}
	far := lotByCode(t, s, "L5-5")
	_, err := s.SetAttributes(ctx, gis.LandUseLayer, []string{far.ID}, map[string]any{"phanLoai": "DV"})
	if !errors.Is(err, ErrOutsideAdjusted) {
		t.Fatalf("an edit outside the area: %v", err)
	}
	s.ExtendNext()
	if _, err := s.SetAttributes(ctx, gis.LandUseLayer, []string{far.ID}, map[string]any{"phanLoai": "DV"}); err != nil {
		t.Fatal(err)
	}
	if !s.AdjustedArea().Bound().Contains(corner(5.5, 5.5)) {
		t.Error("the area did not grow")
	}
	// an approved version, a submitted dossier: read-only
	var ne *NotEditableError
	if _, err := st.Advance(ctx, d, store.Step{Action: "submit", DocNo: "1/TTr", DocDate: "2026-11-30", By: "t"}); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenSession(ctx, st, catalogue(t), d); !errors.As(err, &ne) {
		t.Errorf("a submitted dossier opened for editing: %v", err)
	}
}

// TestLiveCheckSeesWhereLotsWere: deleting a lot the dossier added (a part
// of a split) leaves a gap the live check reports; a lot drawn wholly
// outside the plan is outside.
func TestLiveCheckSeesWhereLotsWere(t *testing.T) {
	st, d := editStore(t, 4)
	s := openSession(t, st, d)
	s.ExtendNext()
	res, err := s.SplitEqual(ctx, lotByCode(t, s, "L1-1").ID, 0, 2)
	if err != nil {
		t.Fatal(err)
	}
	s.ExtendNext()
	res, err = s.Delete(ctx, gis.LandUseLayer, []string{res.Added[0]})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Check.Introduced) != 1 || res.Check.Introduced[0].Kind != topo.KindGap {
		t.Errorf("deleting a part: introduced %v", res.Check.Introduced)
	}
	o := vertex(t, s, 0, 0)
	far := orb.Polygon{{{o[0] - 100, o[1] - 100}, {o[0] - 80, o[1] - 100}, {o[0] - 80, o[1] - 80}, {o[0] - 100, o[1] - 80}, {o[0] - 100, o[1] - 100}}}
	s.ExtendNext()
	res, err = s.AddFeature(ctx, gis.LandUseLayer, far, map[string]any{"phanLoai": "ONM"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Check.Introduced) != 1 || res.Check.Introduced[0].Kind != topo.KindOutside {
		t.Errorf("a lot outside the plan: introduced %v", res.Check.Introduced)
	}
}
