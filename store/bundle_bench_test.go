package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"quyhoach/gis"
)

// cloneSource is a store of one 100 000-lot plan (the clone target).
func cloneSource(b *testing.B) *Store {
	s := openTemp(b)
	mustPlan(b, s, "p")
	mustImport(b, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: DefaultLayer, Features: genLots(100000, 1)}}})
	return s
}

// BenchmarkReadClone100k reads every bundle of a 100 000-lot plan, as the
// office's side of a clone reads them (here from SQLite).
func BenchmarkReadClone100k(b *testing.B) {
	s := cloneSource(b)
	b.ReportAllocs()
	for b.Loop() {
		if batch := readBatch(b, s, false); len(batch.Versions[0].Put) != 100000 {
			b.Fatal(len(batch.Versions[0].Put))
		}
	}
}

// BenchmarkTakeClone100k takes a 100 000-lot plan's bundles into an empty
// store in one transaction: bodies parsed, checked and written with their
// grid form, box and measure, the items written, the items state and seal
// recomputed and compared.
func BenchmarkTakeClone100k(b *testing.B) {
	batch := readBatch(b, cloneSource(b), false)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		s := openTemp(b)
		b.StartTimer()
		res, err := s.TakeBatch(context.Background(), batch, TakeOptions{Synced: true})
		if err != nil || len(res.Versions) != 1 || res.Versions[0].Status != UnpackNew {
			b.Fatal(res, err)
		}
	}
}

// BenchmarkTakeApproval1000 takes what a pull brings after an approval of
// 1 000 changed lots on a 100 000-lot plan: the new version as a delta
// from its parent and the approved dossier, into a copy of the store as it
// was before.
func BenchmarkTakeApproval1000(b *testing.B) {
	ctx := context.Background()
	s := cloneSource(b)
	twin := filepath.Join(b.TempDir(), "twin.db")
	if _, err := s.db.ExecContext(ctx, "VACUUM INTO ?", twin); err != nil {
		b.Fatal(err)
	}
	snap, err := s.Load(ctx, "p", 0)
	if err != nil {
		b.Fatal(err)
	}
	id, err := s.CreateDossier(ctx, NewDossier{Plan: "p", Kind: Local, Title: "1 000 lots"})
	if err != nil {
		b.Fatal(err)
	}
	changes := make([]gis.Feature, 1000)
	for k := range changes {
		f := snap.Layers[0].Features[k*97]
		f.Properties = withoutKeys(f.Properties)
		f.Properties["ghiChu"] = "điều chỉnh"
		changes[k] = f
	}
	if _, err := s.Apply(ctx, ApplyRequest{Dossier: id, Features: changes}); err != nil {
		b.Fatal(err)
	}
	for _, st := range []Step{{Action: "submit", DocNo: "1"}, {Action: "appraise"}, {Action: "appraised", DocNo: "2"}, {Action: "approve", DocNo: "3", DocDate: "2026-12-01"}} {
		if _, err := s.Advance(ctx, id, st); err != nil {
			b.Fatal(err)
		}
	}
	uids, err := s.VersionUIDs(ctx, snap.Plan.UID)
	if err != nil {
		b.Fatal(err)
	}
	v, err := s.ReadVersionBundle(ctx, uids[len(uids)-1], true)
	if err != nil || len(v.Put) != 1000 {
		b.Fatal(err)
	}
	d, err := s.ReadDossierBundle(ctx, uidOf(b, s, id))
	if err != nil {
		b.Fatal(err)
	}
	batch := Batch{Versions: []*VersionBundle{v}, Dossiers: []*DossierBundle{d}}
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
		res, err := t.TakeBatch(ctx, batch, TakeOptions{Synced: true})
		if err != nil || res.Versions[0].Status != UnpackNew || res.Dossiers[0].Status != UnpackNew {
			b.Fatal(res, err)
		}
		b.StopTimer()
		t.Close()
		b.StartTimer()
	}
}
