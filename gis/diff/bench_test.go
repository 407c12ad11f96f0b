package diff

import (
	"testing"
)

// BenchmarkDiffBalance is the DESIGN.md target "diff two 100 000-lot
// versions (1 % changed) with the balance table ≤ 200 ms": Layers, the
// whole-plan Compare and the Compare of the adjusted area.
func BenchmarkDiffBalance(b *testing.B) {
	b.Run("ordered", func(b *testing.B) { benchDiffBalance(b, false) })
	b.Run("shuffled", func(b *testing.B) { benchDiffBalance(b, true) })
}

func benchDiffBalance(b *testing.B, shuffle bool) {
	from := plan(100_000, 1)
	to, lineage := adjust(from, 1, shuffle)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		res := Layers(from, to, lineage)
		whole := Compare(from, to, classOf, catalogueOrder)
		before, after := AdjustedArea(res)
		local := Compare(before, after, classOf, catalogueOrder)
		if len(res.Changes) == 0 || len(whole.Rows) == 0 || len(local.Rows) == 0 {
			b.Fatal("empty result")
		}
	}
}

func BenchmarkLayers(b *testing.B) {
	from := plan(100_000, 1)
	to, lineage := adjust(from, 1, false)
	b.ReportAllocs()
	for b.Loop() {
		Layers(from, to, lineage)
	}
}

func BenchmarkCompare(b *testing.B) {
	from := plan(100_000, 1)
	to, _ := adjust(from, 1, false)
	b.ReportAllocs()
	for b.Loop() {
		Compare(from, to, classOf, catalogueOrder)
	}
}
