package store

import (
	"context"
	"testing"

	"quyhoach/gis"
)

// changedStore is a plan of n lots in two imported versions, 1 % of the
// lots re-classed in the second (as .ci/bench-scale makes them).
func changedStore(b *testing.B, n int) *Store {
	s := openTemp(b)
	mustPlan(b, s, "p")
	lots := genLots(n, 1)
	mustImport(b, s, ImportRequest{Plan: "p", Key: "maDoiTuong", Layers: []gis.Layer{{Name: DefaultLayer, Features: lots}}})
	v2 := genLots(n, 1)
	for i := 0; i < n; i += 100 {
		v2[i].Properties["phanLoai"] = "BTX"
	}
	mustImport(b, s, ImportRequest{Plan: "p", Key: "maDoiTuong", Layers: []gis.Layer{{Name: DefaultLayer, Features: v2}}})
	return s
}

// BenchmarkChangedIDs100k: the store query of diff: which of 100 000 lots
// differ between two versions (1 000 do), without reading a body.
func BenchmarkChangedIDs100k(b *testing.B) {
	s := changedStore(b, 100_000)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		ids, err := s.ChangedIDs(ctx, "p", StateRef{Version: 1}, StateRef{Version: 2}, DefaultLayer)
		if err != nil || len(ids) != 1000 {
			b.Fatal(len(ids), err)
		}
	}
}

// BenchmarkLayerChanges100k: the same, and the 1 000 lots read on both
// sides in the grid, ready for diff.Layers.
func BenchmarkLayerChanges100k(b *testing.B) {
	s := changedStore(b, 100_000)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		ch, err := s.LayerChanges(ctx, "p", StateRef{Version: 1}, StateRef{Version: 2}, DefaultLayer, true)
		if err != nil || len(ch.New) != 1000 || len(ch.Old) != 1000 {
			b.Fatal(err)
		}
	}
}

// BenchmarkMeasures100k: the store query of balance: the class and area
// of 100 000 lots in order, from the stored measures.
func BenchmarkMeasures100k(b *testing.B) {
	s := changedStore(b, 100_000)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		_, ms, err := s.Measures(ctx, "p", StateRef{Version: 2}, DefaultLayer)
		if err != nil || len(ms) != 100_000 {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompareLayer100k: the store query of balance against another
// version: the changed lots read and both versions' measures, in one walk
// of their items.
func BenchmarkCompareLayer100k(b *testing.B) {
	s := changedStore(b, 100_000)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		cl, err := s.CompareLayer(ctx, "p", StateRef{Version: 1}, StateRef{Version: 2}, DefaultLayer)
		if err != nil || len(cl.New) != 1000 || len(cl.Before) != 100_000 || len(cl.After) != 100_000 {
			b.Fatal(err)
		}
	}
}
