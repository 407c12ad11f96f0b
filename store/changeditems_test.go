package store

import (
	"context"
	"maps"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"

	"quyhoach/gis"
)

// TestChangedItemsIsTheMerge: for every pair of versions of a plan, both
// ways round and for each layer, the items the item rows that begin and
// end between them give are those a walk of both versions' items gives —
// over versions that add, delete and modify lots, modify one back to the
// body it had, add a layer, move lots in their file (same bodies, new
// rows) and import another layer alone; and the query reads them through
// the indexes, not the plan's whole history.
func TestChangedItemsIsTheMerge(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	mustPlan(t, s, "p")
	lots := genLots(60, 3)
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: DefaultLayer, Features: lots}}})
	byCode := func() map[string]gis.Feature {
		snap, err := s.Load(ctx, "p", 0)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]gis.Feature{}
		for _, f := range snap.Layers[0].Features {
			out[f.String("maDoiTuong")] = f
		}
		return out
	}
	edit := func(f gis.Feature, key string, v any) gis.Feature {
		f.Properties = maps.Clone(f.Properties)
		f.Properties[key] = v
		return f
	}
	cur := byCode()
	d := mustDossier(t, s)
	var fs []gis.Feature
	for _, code := range []string{"L-1", "L-2", "L-7", "L-30", "L-59"} {
		fs = append(fs, edit(cur[code], "ghiChu", "v2"))
	}
	for _, code := range []string{"L-3", "L-40", "L-41"} {
		fs = append(fs, edit(cur[code], "deleted", true))
	}
	mustApply(t, s, d, fs...)
	more := genLots(4, 9)
	for i := range more {
		more[i].Geometry = project.Geometry(more[i].Geometry, func(q orb.Point) orb.Point { return orb.Point{q[0], q[1] + 0.1} })
	}
	mustApply(t, s, d, more...)
	if _, err := s.Apply(ctx, ApplyRequest{Dossier: d, Layer: "Moc_P", Features: []gis.Feature{{Geometry: orb.Point{106.7, 21.95}, Properties: map[string]any{"ten": "mốc"}}}}); err != nil {
		t.Fatal(err)
	}
	toApproved(t, s, d)
	v1 := cur
	cur = byCode()
	d = mustDossier(t, s)
	mustApply(t, s, d, v1["L-1"], edit(cur["L-2"], "ghiChu", "v3")) // L-1 back to its first body
	toApproved(t, s, d)
	// the lots again from their file, two swapped, one changed: new rows
	// for the swapped ones with their bodies kept
	lots[10], lots[11] = lots[11], lots[10]
	lots[20] = edit(lots[20], "tangCaoMax", 99.0)
	mustImport(t, s, ImportRequest{Plan: "p", Key: "maDoiTuong", Layers: []gis.Layer{{Name: DefaultLayer, Features: lots}}})
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "Moc_P", Features: []gis.Feature{{Geometry: orb.Point{106.7, 21.96}}}}}})
	vs, err := s.Versions(ctx, "p")
	if err != nil || len(vs) != 5 {
		t.Fatalf("%d versions (%v)", len(vs), err)
	}
	found := 0
	for _, layer := range []string{DefaultLayer, "Moc_P"} {
		for _, a := range vs {
			for _, b := range vs {
				if a.Number == b.Number {
					continue
				}
				items := func(merge func(*comparing) func(context.Context) error) map[string][2]sideItem {
					c, err := newComparing(ctx, s.db, s.db, "p", StateRef{Version: a.Number}, StateRef{Version: b.Number}, layer, false)
					if err != nil {
						t.Fatal(err)
					}
					if err := merge(c)(ctx); err != nil {
						t.Fatal(err)
					}
					return c.items
				}
				want := items(func(c *comparing) func(context.Context) error { return c.mergeVersions })
				got := items(func(c *comparing) func(context.Context) error { return c.changedItems })
				if !maps.Equal(got, want) {
					t.Errorf("%s, versions %d → %d: changed items\n%v\nthe walk's\n%v", layer, a.Number, b.Number, got, want)
				}
				found += len(want)
			}
		}
	}
	if found < 100 {
		t.Fatalf("%d changed items in all: the versions should differ more", found)
	}
	var plan []string
	rows, err := s.db.Query("EXPLAIN QUERY PLAN " + changedItemsQuery(1, 2, 4))
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, parent, unused int
		var detail string
		rows.Scan(&id, &parent, &unused, &detail)
		plan = append(plan, detail)
	}
	rows.Close()
	if text := strings.Join(plan, "; "); !strings.Contains(text, "item_since") || !strings.Contains(text, "item_until") {
		t.Errorf("the changed items are not read through the indexes: %s", text)
	}
	// an index dropped behind the store's back: the long way, the same diff
	want, err := s.LayerChanges(ctx, "p", StateRef{Version: 1}, StateRef{Version: 4}, DefaultLayer, false)
	if err != nil {
		t.Fatal(err)
	}
	tamper(t, s, "DROP INDEX item_since")
	got, err := s.LayerChanges(ctx, "p", StateRef{Version: 1}, StateRef{Version: 4}, DefaultLayer, false)
	if err != nil || len(got.New) != len(want.New) || len(got.Old) != len(want.Old) || len(want.New) == 0 {
		t.Fatalf("without item_since: %d/%d features (%v), with it %d/%d", len(got.Old), len(got.New), err, len(want.Old), len(want.New))
	}
}
