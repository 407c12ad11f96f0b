package store

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"quyhoach/assets"
	"quyhoach/gis"
	"quyhoach/gis/diff"
)

const boundaryLayer = "MatNuoc_A" // another area layer (not the plan boundary: no gap check at submit)

// scaleFixture is a plan with every kind of change between its states:
// v1 imported (lots and another area layer); v2 imported over it by code with lots
// removed, added, re-classed, a property dropped or nulled, vertices
// moved; v3 approved from a dossier that splits, merges, cuts a piece off
// a lot that lives on and re-classes one; a draft on v3 (split, a lot
// naming an unchanged parent, a replacement, another layer's feature
// changed, a line added) and a draft on v1 (a lot v2 removed changed, two
// lots redivided, one added). It returns the states by name.
func scaleFixture(t *testing.T) (*Store, map[string]StateRef) {
	t.Helper()
	ctx := context.Background()
	s := openTemp(t)
	mustPlan(t, s, "p")
	lots := genLots(410, 1)
	boundary := gis.Feature{Geometry: rectLonLat(106.69, 21.89, 106.86, 21.91), Properties: map[string]any{"maDoiTuong": "RG", "ten": "ranh giới"}}
	mustImport(t, s, ImportRequest{Plan: "p", Key: "maDoiTuong", Layers: []gis.Layer{
		{Name: DefaultLayer, Features: slices.Clone(lots[:400])}, {Name: boundaryLayer, Features: []gis.Feature{boundary}}}})
	var v2 []gis.Feature
	for i, f := range genLots(410, 1) {
		switch {
		case i == 5 || i == 17 || i == 200:
			continue // removed
		case i%37 == 3:
			f.Properties["phanLoai"] = "DV"
		case i == 50:
			delete(f.Properties, "matDoXayDung")
		case i == 51:
			f.Properties["matDoXayDung"] = nil
		case i%53 == 7: // a vertex in the middle of the first side moves in by ~1 m
			ring := slices.Clone(f.Geometry.(orb.Polygon)[0])
			ring[2][1] += 0.00001
			f.Geometry = orb.Polygon{ring}
		case i == 120:
			f.Properties["phanLoai"] = 12.0 // a number where a code belongs
		case i == 121:
			delete(f.Properties, "phanLoai")
		}
		v2 = append(v2, f)
	}
	mustImport(t, s, ImportRequest{Plan: "p", Key: "maDoiTuong", Layers: []gis.Layer{{Name: DefaultLayer, Features: v2}}})
	ids := idsByCode(t, s, "p", 2)
	piece := func(code string, i int, geom orb.Polygon, props map[string]any) gis.Feature {
		f := genLots(410, 1)[i]
		f.Properties["maDoiTuong"] = code
		for k, v := range props {
			f.Properties[k] = v
		}
		f.Geometry = geom
		return f
	}
	x0 := func(i int) float64 { return 106.70 + float64(i%300)*0.0005 }
	y0 := func(i int) float64 { return 21.90 + float64(i/300)*0.0005 }
	half := func(i, k int) orb.Polygon { // the left (k=0) or right half of lot i
		return rectLonLat(x0(i)+float64(k)*0.00025, y0(i), x0(i)+float64(k+1)*0.00025, y0(i)+0.0005)
	}
	d3, err := s.CreateDossier(ctx, NewDossier{Plan: "p", Kind: Local, Title: "Điều chỉnh cục bộ"})
	if err != nil {
		t.Fatal(err)
	}
	cut := genLots(410, 1)[10]
	cut.ID, cut.Geometry = ids["L-10"], half(10, 0)
	relabel := genLots(410, 1)[30]
	relabel.ID, relabel.Properties["phanLoai"] = ids["L-30"], "CXCC"
	mustApply(t, s, d3,
		piece("A1", 0, half(0, 0), map[string]any{"parents": []any{ids["L-0"]}}),
		piece("A2", 0, half(0, 1), map[string]any{"parents": []any{ids["L-0"]}}),
		piece("M", 1, rectLonLat(x0(1), y0(1), x0(2)+0.0005, y0(1)+0.0005), map[string]any{"parents": []any{ids["L-1"], ids["L-2"]}}),
		piece("C10", 10, half(10, 1), map[string]any{"parents": []any{ids["L-10"]}}),
		cut, relabel,
		gis.Feature{ID: ids["L-0"], Properties: map[string]any{"deleted": true}},
		gis.Feature{ID: ids["L-1"], Properties: map[string]any{"deleted": true}},
		gis.Feature{ID: ids["L-2"], Properties: map[string]any{"deleted": true}})
	toApproved(t, s, d3)
	snap, err := s.Load(ctx, "p", 3)
	if err != nil {
		t.Fatal(err)
	}
	v3ids := idsByCode(t, s, "p", 3)
	d4, err := s.CreateDossier(ctx, NewDossier{Plan: "p", Kind: Local, Title: "Dự thảo"})
	if err != nil {
		t.Fatal(err)
	}
	redrawn := snap.Layer(boundaryLayer).Features[0]
	redrawn.Properties = map[string]any{"maDoiTuong": "RG", "ten": "ranh giới mới"}
	mustApply(t, s, d4,
		piece("B1", 60, half(60, 0), map[string]any{"parents": []any{v3ids["L-60"]}}),
		piece("B2", 60, half(60, 1), map[string]any{"parents": []any{v3ids["L-60"]}}),
		piece("X", 70, half(370, 0), map[string]any{"parents": []any{v3ids["L-70"]}}), // L-70 itself stays as it is
		gis.Feature{ID: v3ids["L-60"], Properties: map[string]any{"deleted": true}},
		gis.Feature{ID: v3ids["L-90"], Properties: map[string]any{"deleted": true}},
		piece("R", 90, genLots(410, 1)[90].Geometry.(orb.Polygon), map[string]any{"parents": []any{v3ids["L-90"]}}), // L-90 under a new id
		func() gis.Feature {
			f := genLots(410, 1)[80]
			f.ID, f.Properties["tangCaoMax"] = v3ids["L-80"], 30.0
			return f
		}(),
		redrawn)
	if _, err := s.Apply(ctx, ApplyRequest{Dossier: d4, Layer: "ChiGioiXayDung_L",
		Features: []gis.Feature{{Geometry: orb.LineString{{106.7, 21.9}, {106.701, 21.9}}, Properties: map[string]any{"khoangLui": 6.0}}}}); err != nil {
		t.Fatal(err)
	}
	d5, err := s.CreateDossier(ctx, NewDossier{Plan: "p", Kind: Local, Title: "Trên bản cũ", Base: 1})
	if err != nil {
		t.Fatal(err)
	}
	v1ids := idsByCode(t, s, "p", 1)
	mustApply(t, s, d5,
		func() gis.Feature {
			f := genLots(410, 1)[5]
			f.ID, f.Properties["phanLoai"] = v1ids["L-5"], "GT"
			return f
		}(),
		func() gis.Feature {
			f := genLots(410, 1)[100]
			f.ID, f.Properties["phanLoai"] = v1ids["L-100"], "GT"
			return f
		}(),
		gis.Feature{ID: v1ids["L-101"], Properties: map[string]any{"deleted": true}},
		// L-300 and L-301 redivided into P1 and P2
		gis.Feature{ID: v1ids["L-300"], Properties: map[string]any{"deleted": true}},
		gis.Feature{ID: v1ids["L-301"], Properties: map[string]any{"deleted": true}},
		piece("P1", 300, half(300, 1), map[string]any{"parents": []any{v1ids["L-300"], v1ids["L-301"]}}),
		piece("P2", 301, half(301, 0), map[string]any{"parents": []any{v1ids["L-300"], v1ids["L-301"]}}),
		piece("Y", 399, half(395, 1), nil))
	return s, map[string]StateRef{"v1": {Version: 1}, "v2": {Version: 2}, "v3": {Version: 3}, "current": {},
		"draft on v3": {Dossier: d4}, "draft on v1": {Dossier: d5}}
}

// whole loads a state whole, as plan.Open (grid) or plan.Load do.
func whole(t *testing.T, s *Store, ref StateRef, grid bool) *Snapshot {
	t.Helper()
	ctx := context.Background()
	var snap *Snapshot
	var err error
	switch {
	case ref.Dossier != 0 && grid:
		snap, _, err = s.ProposalGrid(ctx, ref.Dossier)
	case ref.Dossier != 0:
		snap, _, err = s.Proposal(ctx, ref.Dossier)
	case grid:
		snap, err = s.LoadGrid(ctx, "p", ref.Version)
	default:
		snap, err = s.Load(ctx, "p", ref.Version)
	}
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

func layerFeatures(s *Snapshot, name string) []gis.Feature {
	if l := s.Layer(name); l != nil {
		return l.Features
	}
	return nil
}

// TestLayerChangesGiveTheWholeDiff: for every pair of states of the
// fixture (versions imported and approved, the current one, proposals on
// new and old bases), every layer and both coordinate systems, diff.Layers
// on what LayerChanges reads is diff.Layers on the two whole layers:
// added, removed, modified (properties, geometry, areas) and lineage
// groups alike.
func TestLayerChangesGiveTheWholeDiff(t *testing.T) {
	s, states := scaleFixture(t)
	kinds := map[string]int{}
	if compareAll(t, s, "p", states, []string{DefaultLayer, boundaryLayer, "ChiGioiXayDung_L", "Nope_A"}, kinds) == 0 {
		t.Fatal("no change between any two states")
	}
	if kinds[diff.Split] == 0 || kinds[diff.Merge] == 0 || kinds[diff.Replace] == 0 || kinds[diff.Reparcel] == 0 {
		t.Errorf("lineage groups by kind %v: want splits, merges, replaces and reparcels", kinds)
	}
	// X names L-70 as its parent, and L-70 did not change: the group is
	// there only because L-70 is read all the same.
	l70 := idsByCode(t, s, "p", 3)["L-70"]
	ch, err := s.LayerChanges(context.Background(), "p", states["v3"], states["draft on v3"], DefaultLayer, true)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, g := range diff.Layers(ch.Old, ch.New, diff.Lineage(ch.Lineage)).Groups {
		found = found || slices.Equal(g.Parents, []string{l70})
	}
	if !found {
		t.Error("no lineage group from the unchanged L-70")
	}
}

// TestLayerChangesOnTheSamplePlans: the same on the sample plans and their
// dossiers.
func TestLayerChangesOnTheSamplePlans(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	if err := s.InstallSamples(ctx, assets.Samples); err != nil {
		t.Fatal(err)
	}
	ds, err := s.Dossiers(ctx, DossierFilter{})
	if err != nil {
		t.Fatal(err)
	}
	plans, err := s.Plans(ctx)
	if err != nil {
		t.Fatal(err)
	}
	changed := 0
	for _, p := range plans {
		vs, err := s.Versions(ctx, p.Code)
		if err != nil {
			t.Fatal(err)
		}
		states := map[string]StateRef{}
		layers := map[string]bool{}
		for _, v := range vs {
			states[fmt.Sprint("v", v.Number)] = StateRef{Version: v.Number}
			for _, l := range v.LayerNames {
				layers[l] = true
			}
		}
		for _, d := range ds {
			if d.Plan == p.Code {
				states[fmt.Sprint("dossier ", d.ID)] = StateRef{Dossier: d.ID}
			}
		}
		t.Run(p.Code, func(t *testing.T) {
			changed += compareAll(t, s, p.Code, states, slices.Sorted(keysOf(layers)), map[string]int{})
		})
	}
	if changed == 0 {
		t.Fatal("no change in the sample plans")
	}
}

func keysOf(m map[string]bool) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// compareAll compares every pair of states in every layer and returns
// how many changes there were.
func compareAll(t *testing.T, s *Store, code string, states map[string]StateRef, layers []string, kinds map[string]int) int {
	t.Helper()
	ctx := context.Background()
	loaded := map[string]*Snapshot{}
	load := func(name string, grid bool) *Snapshot {
		key := fmt.Sprint(name, grid)
		if loaded[key] == nil {
			ref := states[name]
			var err error
			switch {
			case ref.Dossier != 0 && grid:
				loaded[key], _, err = s.ProposalGrid(ctx, ref.Dossier)
			case ref.Dossier != 0:
				loaded[key], _, err = s.Proposal(ctx, ref.Dossier)
			case grid:
				loaded[key], err = s.LoadGrid(ctx, code, ref.Version)
			default:
				loaded[key], err = s.Load(ctx, code, ref.Version)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		return loaded[key]
	}
	names := slices.Sorted(func(yield func(string) bool) {
		for k := range states {
			if !yield(k) {
				return
			}
		}
	})
	changed := 0
	for _, from := range names {
		for _, to := range names {
			for _, layer := range layers {
				for _, grid := range []bool{true, false} {
					a, b := load(from, grid), load(to, grid)
					want := diff.Layers(layerFeatures(a, layer), layerFeatures(b, layer), diff.Lineage(b.Lineage))
					ch, err := s.LayerChanges(ctx, code, states[from], states[to], layer, grid)
					if err != nil {
						t.Fatalf("%s → %s %s: %v", from, to, layer, err)
					}
					got := diff.Layers(ch.Old, ch.New, diff.Lineage(ch.Lineage))
					if !reflect.DeepEqual(got, want) {
						t.Errorf("%s → %s, %s, grid %v:\n got %d changes %v groups %v\nwant %d changes %v groups %v", from, to, layer, grid,
							len(got.Changes), ids(got.Changes), got.Groups, len(want.Changes), ids(want.Changes), want.Groups)
					}
					changed += len(got.Changes)
					for _, g := range got.Groups {
						kinds[g.Kind]++
					}
					if wantSide := sideOf(t, s, a, states[from]); ch.From != wantSide {
						t.Errorf("%s: side %+v, want %+v", from, ch.From, wantSide)
					}
					if grid {
						// the same with both states' measures, read in the same walk
						cl, err := s.CompareLayer(ctx, code, states[from], states[to], layer)
						if err != nil {
							t.Fatal(err)
						}
						if got := diff.Layers(cl.Old, cl.New, diff.Lineage(cl.Lineage)); !reflect.DeepEqual(got, want) {
							t.Errorf("%s → %s, %s: CompareLayer's changes differ", from, to, layer)
						}
						for k, ref := range []StateRef{states[from], states[to]} {
							side, ms, err := s.Measures(ctx, code, ref, layer)
							if err != nil {
								t.Fatal(err)
							}
							got := [2][]Measure{cl.Before, cl.After}[k]
							if !slices.Equal(got, ms) || [2]Side{cl.From, cl.To}[k] != side {
								t.Errorf("%s → %s, %s: CompareLayer's measures of side %d differ from Measures' (%d, %d)", from, to, layer, k, len(got), len(ms))
							}
							if r, err := s.ResolveState(ctx, code, ref); err != nil || r != side {
								t.Errorf("ResolveState(%v) = %+v, %v; want %+v", ref, r, err, side)
							}
						}
						idList, err := s.ChangedIDs(ctx, code, states[from], states[to], layer)
						if err != nil {
							t.Fatal(err)
						}
						if w := ids(want.Changes); !slices.Equal(idList, w) && !(len(idList) == 0 && len(w) == 0) {
							t.Errorf("%s → %s, %s: changed ids %v, want %v", from, to, layer, idList, w)
						}
					}
				}
			}
		}
	}
	return changed
}

// sideOf is the side a state loaded whole is: a proposal's version is its
// base's.
func sideOf(t *testing.T, st *Store, s *Snapshot, ref StateRef) Side {
	if ref.Dossier != 0 {
		d, err := st.Dossier(context.Background(), ref.Dossier)
		if err != nil {
			t.Fatal(err)
		}
		return Side{Plan: s.Plan.Code, Version: d.Base, Dossier: ref.Dossier}
	}
	return Side{Plan: s.Plan.Code, Version: s.Version.Number}
}

func ids(cs []diff.Change) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.ID)
	}
	slices.Sort(out)
	return out
}

// TestMeasuresAreTheLoadedLots: the measures of a layer are the class
// property and the area of the lots LoadGrid and ProposalGrid give, in
// their order, to the bit — whatever the class property holds.
func TestMeasuresAreTheLoadedLots(t *testing.T) {
	s, states := scaleFixture(t)
	checkMeasures(t, s, "p", states)
}

func checkMeasures(t *testing.T, s *Store, code string, states map[string]StateRef, layers ...string) {
	t.Helper()
	ctx := context.Background()
	for name, ref := range states {
		snap := whole(t, s, ref, true)
		for _, layer := range append([]string{DefaultLayer, boundaryLayer, "Nope_A"}, layers...) {
			side, got, err := s.Measures(ctx, code, ref, layer)
			if err != nil {
				t.Fatalf("%s %s: %v", name, layer, err)
			}
			var want []Measure
			for _, f := range layerFeatures(snap, layer) {
				want = append(want, Measure{f.String(ClassProperty), gis.Area(f.Geometry)})
			}
			if len(got) != len(want) {
				t.Fatalf("%s %s: %d measures, want %d", name, layer, len(got), len(want))
			}
			for i := range want {
				if got[i].Class != want[i].Class || math.Float64bits(got[i].M2) != math.Float64bits(want[i].M2) {
					t.Fatalf("%s %s: lot %d: %+v, want %+v", name, layer, i, got[i], want[i])
				}
			}
			if side != sideOf(t, s, snap, ref) {
				t.Errorf("%s: side %+v", name, side)
			}
		}
	}
}

// TestMeasuresOfAnOldStore: a store written before measures were kept
// gets them when opened (migration 0008), the same as one written since,
// and verifies clean.
func TestMeasuresOfAnOldStore(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	s, err := Open(ctx, path, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	mustPlan(t, s, "p")
	lots := genLots(50, 2)
	lots[3].Properties["phanLoai"] = 7.5
	delete(lots[4].Properties, "phanLoai")
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: DefaultLayer, Features: lots},
		{Name: "GhiChu", Features: []gis.Feature{{Properties: map[string]any{"phanLoai": "ONM", "ghiChu": "không có hình"}}}}}})
	// as schema 7 left it
	asSchema13(t, s)
	if _, err := s.db.Exec(`DROP TABLE body_measure; DROP TRIGGER version_opens; DROP TRIGGER version_closes_sealed;
		DROP TRIGGER version_closes_current; DROP TABLE version_open; DROP TABLE remote; DROP TABLE sync_dossier; DROP TABLE sync_version; DROP TABLE replay_open;
		DROP TABLE version_layer; DROP TRIGGER version_sealed_with_layers;
		PRAGMA user_version = 7`); err != nil { // and 0009's to 0012's
		t.Fatal(err)
	}
	s.Close()
	if s, err = Open(ctx, path, Options{}); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n := count(t, s, "SELECT count(*) FROM body_measure"); n != 51 {
		t.Fatalf("%d measures for 51 bodies", n)
	}
	checkMeasures(t, s, "p", map[string]StateRef{"v1": {Version: 1}}, "GhiChu")
	v, err := s.Verify(ctx, VerifyOptions{})
	if err != nil || len(v.Findings) != 0 {
		t.Fatalf("verify: %v %+v", err, v.Findings)
	}
}

// TestDamagedMeasures: a measure whose checksum fails stops a balance,
// naming the lot; one rewritten with its checksum made right, one deleted
// and one of no body are each reported by verify; a deleted one is
// derived from the body again by a read.
func TestDamagedMeasures(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	mustPlan(t, s, "p")
	mustImport(t, s, ImportRequest{Plan: "p", Key: "maDoiTuong", Layers: []gis.Layer{{Name: DefaultLayer, Features: genLots(4, 1)}}})
	v2 := genLots(4, 1)
	v2[3].Properties["phanLoai"] = "BTX"
	mustImport(t, s, ImportRequest{Plan: "p", Key: "maDoiTuong", Layers: []gis.Layer{{Name: DefaultLayer, Features: v2}}})
	_, before, err := s.Measures(ctx, "p", StateRef{}, DefaultLayer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec("DROP TRIGGER body_measure_no_update; DROP TRIGGER body_measure_no_delete"); err != nil {
		t.Fatal(err)
	}
	// a flipped bit in the first lot's area
	var form []byte
	s.db.QueryRow("SELECT measure FROM body_measure WHERE body_id = 1").Scan(&form)
	form[0] ^= 1
	s.db.Exec("UPDATE body_measure SET measure = ? WHERE body_id = 1", form)
	var de *MeasureError
	if _, _, err := s.Measures(ctx, "p", StateRef{}, DefaultLayer); !errors.As(err, &de) || de.Lot != "L-0" || !strings.Contains(err.Error(), "lot L-0") {
		t.Fatalf("a damaged measure read: %v", err)
	}
	if _, err := s.CompareLayer(ctx, "p", StateRef{Version: 1}, StateRef{Version: 2}, DefaultLayer); !errors.As(err, &de) || de.Lot != "L-0" {
		t.Fatalf("a damaged measure read walking two versions: %v", err)
	}
	// a metre added, with its checksum made right; one deleted; one of no body
	s.db.Exec("UPDATE body_measure SET measure = ? WHERE body_id = 1", measureForm(1, Measure{before[0].Class, before[0].M2 + 1}))
	s.db.Exec("DELETE FROM body_measure WHERE body_id = 2")
	conn, err := s.db.Conn(ctx) // foreign keys off on one connection, for a row of no body
	if err != nil {
		t.Fatal(err)
	}
	conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF")
	if _, err := conn.ExecContext(ctx, "INSERT INTO body_measure (body_id, measure) VALUES (99, ?)", measureForm(99, Measure{"ONM", 1})); err != nil {
		t.Fatal(err)
	}
	conn.ExecContext(ctx, "PRAGMA foreign_keys = ON")
	conn.Close()
	_, after, err := s.Measures(ctx, "p", StateRef{}, DefaultLayer)
	if err != nil || after[1] != before[1] || after[0].M2 != before[0].M2+1 {
		t.Fatalf("measures %v %v (before %v)", after, err, before)
	}
	v, err := s.Verify(ctx, VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{} // lot → problem
	for _, f := range v.Findings {
		if f.Check == "measure" {
			got[f.Lot] = f.Problem
		}
	}
	want := map[string]string{"": "without its body", "L-0": "differs from the body's", "L-1": "has no land-use measure"}
	for lot, problem := range want {
		if !strings.Contains(got[lot], problem) || len(got) != len(want) {
			t.Errorf("measure findings %q, want for %q %q (all: %+v)", got, lot, problem, v.Findings)
		}
	}
}

// TestForeignDossier: a dossier asked for as a state of another plan is
// refused with both plans named.
func TestForeignDossier(t *testing.T) {
	s, states := scaleFixture(t)
	mustPlan(t, s, "q")
	var fe *ForeignDossierError
	if _, err := s.LayerChanges(context.Background(), "q", states["draft on v3"], StateRef{Version: 1}, DefaultLayer, true); !errors.As(err, &fe) || fe.Plan != "p" || fe.Asked != "q" {
		t.Fatalf("got %v", err)
	}
	if _, _, err := s.Measures(context.Background(), "q", states["draft on v3"], DefaultLayer); !errors.As(err, &fe) {
		t.Fatalf("got %v", err)
	}
}

// TestMeasuresReadInHalves: a layer read in two halves of its ids at once
// gives the measures of one read, in order, to the bit; a damaged measure
// in either half stops the read, naming its lot.
func TestMeasuresReadInHalves(t *testing.T) {
	prev, procs := splitFrom, runtime.GOMAXPROCS(2) // read in halves on any machine
	splitFrom = 2
	t.Cleanup(func() { splitFrom = prev; runtime.GOMAXPROCS(procs) })
	s, states := scaleFixture(t)
	checkMeasures(t, s, "p", states)
	if key, err := splitKey(context.Background(), s.db, 1, 4); err != nil || key == "" {
		t.Fatalf("not read in halves: split at %q, %v", key, err)
	}

	ctx := context.Background()
	s = openTemp(t)
	mustPlan(t, s, "p")
	mustImport(t, s, ImportRequest{Plan: "p", Key: "maDoiTuong", Layers: []gis.Layer{{Name: DefaultLayer, Features: genLots(4, 1)}}})
	if _, err := s.db.Exec("DROP TRIGGER body_measure_no_update"); err != nil {
		t.Fatal(err)
	}
	for k, lot := range []string{"L-0", "L-3"} { // the first half's, the second's (ids in import order)
		var body int64
		var form []byte
		if err := s.db.QueryRow(`SELECT m.body_id, m.measure FROM body_measure m JOIN item i ON i.body_id = m.body_id
			ORDER BY i.seq LIMIT 1 OFFSET ?`, 3*k).Scan(&body, &form); err != nil {
			t.Fatal(err)
		}
		form[0] ^= 1
		s.db.Exec("UPDATE body_measure SET measure = ? WHERE body_id = ?", form, body)
		var de *MeasureError
		if _, _, err := s.Measures(ctx, "p", StateRef{}, DefaultLayer); !errors.As(err, &de) || de.Lot != lot {
			t.Fatalf("a damaged measure of %s read: %v", lot, err)
		}
		form[0] ^= 1
		s.db.Exec("UPDATE body_measure SET measure = ? WHERE body_id = ?", form, body)
	}
	if _, ms, err := s.Measures(ctx, "p", StateRef{}, DefaultLayer); err != nil || len(ms) != 4 {
		t.Fatalf("mended: %d measures, %v", len(ms), err)
	}
}
