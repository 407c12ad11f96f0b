package store

import (
	"context"
	"flag"
	"os"
	"testing"

	"quyhoach/gis"
	"quyhoach/gis/geojson"
)

// BenchmarkImport100k imports 100 000 lots of 20 vertices into a fresh plan.
func BenchmarkImport100k(b *testing.B) {
	lots := genLots(100000, 1)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		s := openTemp(b)
		mustPlan(b, s, "p")
		b.StartTimer()
		mustImport(b, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "L_A", Features: lots}}})
	}
	b.ReportMetric(float64(len(lots)*b.N)/b.Elapsed().Seconds(), "features/s")
}

// BenchmarkLoad100k opens a 100 000-lot version back into memory.
func BenchmarkLoad100k(b *testing.B) {
	s := openTemp(b)
	mustPlan(b, s, "p")
	mustImport(b, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "L_A", Features: genLots(100000, 1)}}})
	b.ReportAllocs()
	for b.Loop() {
		snap, err := s.Load(context.Background(), "p", 0)
		if err != nil || len(snap.Layers[0].Features) != 100000 {
			b.Fatal(err)
		}
	}
}

var lotsFile = flag.String("write-lots", "", "write the 100 000 benchmark lots as GeoJSON to this file (for the import comparison script)")

// TestWriteBenchLots writes the benchmark lots to a file when -write-lots is given.
func TestWriteBenchLots(t *testing.T) {
	if *lotsFile == "" {
		t.Skip("no -write-lots")
	}
	f, err := os.Create(*lotsFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := geojson.Write(f, &geojson.Collection{Features: genLots(100000, 1)}); err != nil {
		t.Fatal(err)
	}
}
