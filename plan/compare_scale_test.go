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

// classVariants is a plan whose lots hold every kind of class property —
// catalogue codes, TT 16 names, other case and spaces, unknown codes,
// numbers, none — in two imported versions (re-classed, removed, added)
// and a draft on the second; it returns the dossier.
func classVariants(t *testing.T, st *store.Store) int64 {
	t.Helper()
	if err := st.CreatePlan(ctx, store.Plan{Code: "v", Name: "Variants", Level: "detailed", Scale: 500}); err != nil {
		t.Fatal(err)
	}
	classes := []any{"ONM", "DAT_Dichvu", " dv ", "cn", "ZZZ", 12.0, nil, "Đất lạ", "", "CXCC", "GT"}
	lots := func(shift int) []gis.Feature {
		var out []gis.Feature
		for i := range 60 {
			x, y := 106.70+float64(i%10)*0.0004, 21.90+float64(i/10)*0.0004
			f := gis.Feature{Geometry: orb.Polygon{{{x, y}, {x + 0.0004, y}, {x + 0.0004, y + 0.0004}, {x, y + 0.0004}, {x, y}}},
				Properties: map[string]any{"maDoiTuong": fmt.Sprint("V-", i)}}
			if c := classes[(i+shift)%len(classes)]; c != nil {
				f.Properties["phanLoai"] = c
			}
			out = append(out, f)
		}
		return out
	}
	imp := func(fs []gis.Feature) {
		if _, err := st.Import(ctx, store.ImportRequest{Plan: "v", Key: "maDoiTuong", Layers: []gis.Layer{{Name: gis.LandUseLayer, Features: fs}}}); err != nil {
			t.Fatal(err)
		}
	}
	imp(lots(0))
	v2 := lots(0)
	for i := range v2 {
		if i%4 == 1 {
			v2[i] = lots(3)[i]
		}
	}
	imp(append(v2[:50], v2[52:]...))
	d, err := st.CreateDossier(ctx, store.NewDossier{Plan: "v", Kind: store.Local, Title: "Đổi chức năng"})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := st.Load(ctx, "v", 2)
	if err != nil {
		t.Fatal(err)
	}
	a, b := snap.Layer(gis.LandUseLayer).Features[7], snap.Layer(gis.LandUseLayer).Features[8]
	a.Properties = map[string]any{"maDoiTuong": "V-7", "phanLoai": "DV"}
	b.Properties = map[string]any{"deleted": true}
	if _, err := st.Apply(ctx, store.ApplyRequest{Dossier: d, Features: []gis.Feature{a, b}}); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestBalanceOfIsCompare: BalanceOf and DiffLayer give, to the bit, what
// Balance, Compare and diff.Layers give on the states opened whole, for
// the sample plans and their dossiers and for lots of every class
// property, alone and against every version.
func TestBalanceOfIsCompare(t *testing.T) {
	st := sampleStore(t)
	cat := catalogue(t)
	d := classVariants(t, st)
	cases := map[string][]Ref{
		"truc-trung-tam": {{}, {Version: 1}, {Version: 2}, {Dossier: 1}},
		"chi-ma":         {{Version: 1}, {Dossier: 2}},
		"dong-banh":      {{Version: 1}, {Dossier: 3}},
		"v":              {{Version: 1}, {Version: 2}, {Dossier: d}},
	}
	compared := 0
	for code, refs := range cases {
		for _, ref := range refs {
			now, err := Open(ctx, st, code, ref)
			if err != nil {
				t.Fatal(err)
			}
			againsts := []int{0}
			for _, r := range refs {
				if r.Version != 0 {
					againsts = append(againsts, r.Version)
				}
			}
			for _, against := range againsts {
				got, err := BalanceOf(ctx, st, code, ref, against, cat)
				if err != nil {
					t.Fatal(err)
				}
				base := against
				if base == 0 && now.Dossier != nil {
					base = now.Dossier.Base
				}
				name := fmt.Sprintf("%s %v against %d", code, ref, against)
				if got.Of != now.Ref() {
					t.Errorf("%s: of %v, want %v", name, got.Of, now.Ref())
				}
				if base == 0 {
					if want := Balance(now, cat); !reflect.DeepEqual(got.Whole, want) || got.Compared() {
						t.Errorf("%s:\n got %+v\nwant %+v", name, got.Whole, want)
					}
					continue
				}
				before, err := Open(ctx, st, code, Ref{Version: base})
				if err != nil {
					t.Fatal(err)
				}
				want := Compare(before, now, cat)
				if !reflect.DeepEqual(got.Whole, want.Whole) || !reflect.DeepEqual(got.Adjusted, want.Adjusted) || got.Against != before.Ref() {
					t.Errorf("%s:\n got %+v\n     %+v\nwant %+v\n     %+v", name, got.Whole, got.Adjusted, want.Whole, want.Adjusted)
				}
				dl, err := DiffLayer(ctx, st, code, before.Ref(), ref, gis.LandUseLayer, true)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(dl.Diff, want.Diff) || dl.From != before.Ref() || dl.To != now.Ref() {
					t.Errorf("%s: the diff differs: %d changes, want %d", name, len(dl.Diff.Changes), len(want.Diff.Changes))
				}
				if len(want.Diff.Changes) > 0 {
					compared++
				}
			}
		}
	}
	if compared < 5 {
		t.Fatalf("only %d comparisons had changes", compared)
	}
}

// TestScaleErrors: a dossier of another plan and a version that does not
// exist are refused as Open refuses them.
func TestScaleErrors(t *testing.T) {
	st := sampleStore(t)
	cat := catalogue(t)
	var wp *WrongPlanError
	if _, err := BalanceOf(ctx, st, "huu-nghi", Ref{Dossier: 2}, 0, cat); !errors.As(err, &wp) || err.Error() != "dossier 2 belongs to plan chi-ma, not huu-nghi" {
		t.Errorf("balance of a foreign dossier: %v", err)
	}
	if _, err := DiffLayer(ctx, st, "huu-nghi", Ref{Version: 1}, Ref{Dossier: 2}, gis.LandUseLayer, false); !errors.As(err, &wp) {
		t.Errorf("diff with a foreign dossier: %v", err)
	}
	_, want := Open(ctx, st, "chi-ma", Ref{Version: 7})
	if _, err := BalanceOf(ctx, st, "chi-ma", Ref{Version: 1}, 7, cat); err == nil || err.Error() != want.Error() {
		t.Errorf("against a version that does not exist: %v, want %v", err, want)
	}
	if _, err := DiffLayer(ctx, st, "chi-ma", Ref{Version: 7}, Ref{Version: 1}, gis.LandUseLayer, true); err == nil || err.Error() != want.Error() {
		t.Errorf("diff from a version that does not exist: %v, want %v", err, want)
	}
	if d, err := DiffLayer(ctx, st, "chi-ma", Ref{}, Ref{Version: 1}, gis.LandUseLayer, true); err != nil || d.From != (Ref{Version: 1}) || len(d.Diff.Changes) != 0 {
		t.Errorf("the current version against itself: %+v %v", d, err)
	}
}
