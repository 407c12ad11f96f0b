package plan

import (
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/store"
)

// TestCheckStoredIsCheck: the command's check, reading only the lots and
// the boundary a batch at a time, finds what Check finds on the state
// opened whole, says the same checks ran, and counts the same lots — for
// every version of every sample plan and every dossier's proposal.
func TestCheckStoredIsCheck(t *testing.T) {
	st, cat := sampleStore(t), catalogue(t)
	faultyPlan(t, st)
	plans, err := st.Plans(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var refs []struct {
		code string
		ref  Ref
	}
	for _, p := range plans {
		vs, err := st.Versions(ctx, p.Code)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs {
			refs = append(refs, struct {
				code string
				ref  Ref
			}{p.Code, Ref{Version: v.Number}})
		}
	}
	ds, err := st.Dossiers(ctx, store.DossierFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		refs = append(refs, struct {
			code string
			ref  Ref
		}{d.Plan, Ref{Dossier: d.ID}})
	}
	findings := 0
	for _, r := range refs {
		s, err := Open(ctx, st, r.code, r.ref)
		if err != nil {
			t.Fatal(err)
		}
		want, err := Check(ctx, s, cat, 0.5)
		if err != nil {
			t.Fatalf("%s %v: %v", r.code, r.ref, err)
		}
		got, err := CheckStored(ctx, st, r.code, r.ref, cat, 0.5)
		if err != nil {
			t.Fatalf("%s %v: %v", r.code, r.ref, err)
		}
		if !reflect.DeepEqual(got.Findings, want) {
			t.Errorf("%s %v: findings\n%+v\nwant\n%+v", r.code, r.ref, got.Findings, want)
		}
		if !reflect.DeepEqual(got.Coverage, CheckCoverage(s, cat)) || got.Lots != len(s.Lots()) || got.Ref() != s.Ref() || got.Plan.Code != s.Plan.Code {
			t.Errorf("%s %v: coverage %+v, %d lots, %v; want %+v, %d, %v", r.code, r.ref, got.Coverage, got.Lots, got.Ref(), CheckCoverage(s, cat), len(s.Lots()), s.Ref())
		}
		findings += len(want)
	}
	if len(refs) < 6 || findings < 5 {
		t.Fatalf("%d states, %d findings: the samples should hold versions, dossiers and findings", len(refs), findings)
	}
}

// TestCheckStoredRefuses: a missing version, a dossier of another plan and
// a version without lots are refused as Open and Check refuse them.
func TestCheckStoredRefuses(t *testing.T) {
	st, cat := sampleStore(t), catalogue(t)
	if _, err := CheckStored(ctx, st, "chi-ma", Ref{Version: 99}, cat, 1); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a missing version: %v", err)
	}
	var wp *WrongPlanError
	if _, err := CheckStored(ctx, st, "huu-nghi", Ref{Dossier: 2}, cat, 1); !errors.As(err, &wp) || wp.Plan != "chi-ma" {
		t.Fatalf("a dossier of another plan: %v", err)
	}
	if err := st.CreatePlan(ctx, store.Plan{Code: "bare", Name: "Bare", Level: "zoning", Scale: 2000}); err != nil {
		t.Fatal(err)
	}
	ring := orb.Ring{{106.7, 21.9}, {106.71, 21.9}, {106.71, 21.91}, {106.7, 21.91}, {106.7, 21.9}}
	bnd := gis.Layer{Name: gis.BoundaryLayer, Features: []gis.Feature{{Geometry: orb.Polygon{ring}, Properties: map[string]any{}}}}
	if _, err := st.Import(ctx, store.ImportRequest{Plan: "bare", Layers: []gis.Layer{bnd}}); err != nil {
		t.Fatal(err)
	}
	var nl *NoLayerError
	if _, err := CheckStored(ctx, st, "bare", Ref{}, cat, 1); !errors.As(err, &nl) || nl.Layer != gis.LandUseLayer || nl.Ref != (Ref{Version: 1}) {
		t.Fatalf("no lots: %v", err)
	}
}

// faultyPlan adds plan "loi": a boundary and a 3 × 3 tiling of lots with
// a gap (one lot missing), an overlap, a lot sticking out, an unknown class
// and an implausible indicator.
func faultyPlan(t *testing.T, st *store.Store) {
	t.Helper()
	if err := st.CreatePlan(ctx, store.Plan{Code: "loi", Name: "Lỗi", Level: "detailed", Scale: 500}); err != nil {
		t.Fatal(err)
	}
	const d = 0.001
	sq := func(x0, y0, x1, y1 float64) orb.Polygon {
		return orb.Polygon{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}
	}
	var lots []gis.Feature
	for i := range 9 {
		if i == 4 {
			continue // a gap
		}
		x0, y0 := 106.7+float64(i%3)*d, 21.9+float64(i/3)*d
		x1, y1 := x0+d, y0+d
		props := map[string]any{"maDoiTuong": fmt.Sprintf("L-%d", i), "phanLoai": "ONM"}
		switch i {
		case 0:
			x1 += d / 4 // overlaps L-1
		case 8:
			y1 += d / 3 // sticks out of the boundary
		case 2:
			props["phanLoai"] = "XYZ"
		case 6:
			props["matDoXayDung"] = 150.0
		}
		lots = append(lots, gis.Feature{Geometry: sq(x0, y0, x1, y1), Properties: props})
	}
	layers := []gis.Layer{
		{Name: gis.BoundaryLayer, Features: []gis.Feature{{Geometry: sq(106.7, 21.9, 106.7+3*d, 21.9+3*d), Properties: map[string]any{}}}},
		{Name: gis.LandUseLayer, Features: lots},
	}
	if _, err := st.Import(ctx, store.ImportRequest{Plan: "loi", Layers: layers}); err != nil {
		t.Fatal(err)
	}
}
