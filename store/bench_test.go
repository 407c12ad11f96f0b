package store

import (
	"context"
	"flag"
	"fmt"
	"maps"
	"os"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"

	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/gis/geojson"
)

// BenchmarkImport100k imports 100 000 lots of 20 vertices into a fresh plan.
func BenchmarkImport100k(b *testing.B) {
	lots := genLots(100000, 1)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		s := openTemp(b)
		s.alone = true // as the import command opens it (Options.Alone)
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

// BenchmarkLoadGrid100k: the same version in the plan's grid, as the
// window, diff, balance, check and print open it: properties parsed, the
// geometry read from its stored grid form.
func BenchmarkLoadGrid100k(b *testing.B) {
	s := openTemp(b)
	mustPlan(b, s, "p")
	mustImport(b, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "L_A", Features: genLots(100000, 1)}}})
	b.ReportAllocs()
	for b.Loop() {
		snap, err := s.LoadGrid(context.Background(), "p", 0)
		if err != nil || len(snap.Layers[0].Features) != 100000 {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadProjected100k: what opening a state cost before the grid
// form: the version read and then projected.
func BenchmarkLoadProjected100k(b *testing.B) {
	s := openTemp(b)
	mustPlan(b, s, "p")
	mustImport(b, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "L_A", Features: genLots(100000, 1)}}})
	tr, _ := crs.New(crs.WGS84, crs.TM3LangSon)
	b.ReportAllocs()
	for b.Loop() {
		snap, err := s.Load(context.Background(), "p", 0)
		if err != nil || len(snap.Layers[0].Features) != 100000 {
			b.Fatal(err)
		}
		gis.Project(snap.Layers, tr)
	}
}

var (
	lotsFile = flag.String("write-lots", "", "write the benchmark lots as GeoJSON to this file (for the import comparison scripts)")
	lotsN    = flag.Int("lots", 100000, "how many lots -write-lots writes, and BenchmarkApprove1000's plan holds")
)

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
	if err := geojson.Write(f, &geojson.Collection{Features: genLots(*lotsN, 1)}); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkApprove1000 approves a dossier of 1 000 changed lots on a
// 100 000-lot plan (-lots N for another size; the version is written
// whole: 99 000 items carried over).
func BenchmarkApprove1000(b *testing.B) {
	ctx := context.Background()
	s := openTemp(b)
	mustPlan(b, s, "p")
	lots := genLots(*lotsN, 1)
	mustImport(b, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: DefaultLayer, Features: lots}}})
	snap, err := s.Load(ctx, "p", 0)
	if err != nil {
		b.Fatal(err)
	}
	base := snap.Layers[0].Features
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		d, err := s.CreateDossier(ctx, NewDossier{Plan: "p", Kind: Local, Title: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		changes := make([]gis.Feature, 1000)
		for k := range changes {
			f := base[(i*1000+k*97)%len(base)]
			props := map[string]any{}
			for key, v := range f.Properties {
				props[key] = v
			}
			props["ghiChu"] = fmt.Sprintf("điều chỉnh %d", i)
			f.Properties = props
			changes[k] = f
		}
		if _, err := s.Apply(ctx, ApplyRequest{Dossier: d, Features: changes}); err != nil {
			b.Fatal(err)
		}
		for _, st := range []Step{{Action: "submit", DocNo: "1"}, {Action: "appraise"}, {Action: "appraised", DocNo: "2"}} {
			if _, err := s.Advance(ctx, d, st); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		if _, err := s.Advance(ctx, d, Step{Action: "approve", DocNo: "3", DocDate: "2026-12-01"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkApply1000 applies 1 000 lots of a 100 000-lot plan to a dossier,
// each reclassified and come back through EPSG:9215 (vertices moved by
// ~1 mm), so each one's stored shape is read and compared.
func BenchmarkApply1000(b *testing.B) {
	ctx := context.Background()
	s := openTemp(b)
	mustPlan(b, s, "p")
	mustImport(b, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: DefaultLayer, Features: genLots(100000, 1)}}})
	snap, err := s.Load(ctx, "p", 0)
	if err != nil {
		b.Fatal(err)
	}
	to, _ := crs.New(crs.WGS84, crs.TM3LangSon)
	back, _ := crs.New(crs.TM3LangSon, crs.WGS84)
	changes := make([]gis.Feature, 1000)
	for k := range changes {
		f := snap.Layers[0].Features[k*97]
		f.Properties = maps.Clone(f.Properties)
		f.Properties["phanLoai"] = "DL"
		f.Geometry = project.Geometry(project.Geometry(orb.Clone(f.Geometry), to), back)
		changes[k] = f
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		d, err := s.CreateDossier(ctx, NewDossier{Plan: "p", Kind: Local, Title: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := s.Apply(ctx, ApplyRequest{Dossier: d, Features: changes})
		if err != nil || res.Modified != len(changes) {
			b.Fatalf("%+v %v", res, err)
		}
	}
}
