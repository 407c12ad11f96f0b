package topo

import (
	"context"
	"testing"
)

// BenchmarkCheck10k checks 10 000 lots of 20 vertices (a seeded, slightly
// irregular tiling at EPSG:9215 magnitudes, with five gaps, five enlarged
// lots overlapping their neighbours and two lots sticking out) against the
// tiling's outline. Target: ≤ 2 s an operation on the 2-core machine.
func BenchmarkCheck10k(b *testing.B) {
	lots, bnd := benchLayer()
	fs, err := Check(context.Background(), lots, bnd, Options{})
	if err != nil {
		b.Fatal(err)
	}
	if n := len(ofKind(fs, KindGap)); n != 5 {
		b.Fatalf("got %d gaps, want 5", n)
	}
	if n := len(ofKind(fs, KindOutside)); n != 2 {
		b.Fatalf("got %d outside, want 2", n)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Check(context.Background(), lots, bnd, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheck10kLooseBoundary is the same layer against a plain
// rectangle 0.3 m inside the outline: the boundary shares no vertex with the
// lots, so every border lot crosses it and every border tile needs overlays.
func BenchmarkCheck10kLooseBoundary(b *testing.B) {
	lots, _ := benchLayer()
	bnd := rect(0.3, 0.3, 3999.7, 3999.7)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Check(context.Background(), lots, bnd, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
