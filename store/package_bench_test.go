package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"quyhoach/gis"
)

// packageFixture is a store of a 5 000-lot plan with a dossier changing
// 1 000 of its lots (new indicators, one new body each) and carrying a
// 1 MB document, and the file of a twin store taken before the dossier.
func packageFixture(b *testing.B) (s *Store, id int64, twin string) {
	ctx := context.Background()
	s = openTemp(b)
	mustPlan(b, s, "p")
	mustImport(b, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: DefaultLayer, Features: genLots(5000, 1)}}})
	twin = filepath.Join(b.TempDir(), "twin.db")
	if _, err := s.db.ExecContext(ctx, "VACUUM INTO ?", twin); err != nil {
		b.Fatal(err)
	}
	id, err := s.CreateDossier(ctx, NewDossier{Plan: "p", Kind: Overall, Title: "1 000 lots"})
	if err != nil {
		b.Fatal(err)
	}
	snap, err := s.Load(ctx, "p", 0)
	if err != nil {
		b.Fatal(err)
	}
	fs := snap.Layer(DefaultLayer).Features[:1000]
	for i := range fs {
		fs[i].Properties = withoutKeys(fs[i].Properties)
		fs[i].Properties["tangCaoMax"] = float64(20 + i%7)
	}
	if _, err := s.Apply(ctx, ApplyRequest{Dossier: id, Features: fs}); err != nil {
		b.Fatal(err)
	}
	if _, err := s.Attach(ctx, id, "thuyet_minh", "thuyet-minh.pdf", make([]byte, 1<<20)); err != nil {
		b.Fatal(err)
	}
	return s, id, twin
}

// BenchmarkPack1000: a dossier of 1 000 changes written as a package.
func BenchmarkPack1000(b *testing.B) {
	s, id, _ := packageFixture(b)
	path := filepath.Join(b.TempDir(), "p.gpkg")
	for b.Loop() {
		if res, err := s.PackDossier(context.Background(), id, path, PackOptions{}); err != nil || res.Changes != 1000 {
			b.Fatal(res, err)
		}
	}
}

// BenchmarkUnpack1000: the package of 1 000 changes taken into a store of
// the same plan (a fresh copy each time: a second unpack does nothing).
func BenchmarkUnpack1000(b *testing.B) {
	s, id, twin := packageFixture(b)
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "p.gpkg")
	if _, err := s.PackDossier(ctx, id, path, PackOptions{}); err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile(twin)
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for b.Loop() {
		b.StopTimer()
		n++
		dst := filepath.Join(b.TempDir(), fmt.Sprintf("t%d.db", n))
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			b.Fatal(err)
		}
		t, err := Open(ctx, dst, Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := t.UnpackDossier(ctx, path)
		if err != nil || res.Changes != 1000 || res.Status != UnpackNew {
			b.Fatal(res, err)
		}
		b.StopTimer()
		t.Close()
		b.StartTimer()
	}
}
