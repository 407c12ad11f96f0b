package store

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"quyhoach/gis"
)

// manyDossiers makes n dossiers on a plan in one transaction, in every
// state: a fifth draft, the others with one to five steps recorded through
// the chain (the dashboard reads the last), due dates around now.
func manyDossiers(b *testing.B, n int) *Store {
	b.Helper()
	s := openTemp(b)
	mustPlan(b, s, "p")
	mustImport(b, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: DefaultLayer, Features: genLots(6, 1)}}})
	ctx := context.Background()
	path := []string{Submitted, Appraising, Appraised, Approved, Published}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
		for i := range n {
			id, err := createDossierTx(ctx, tx, NewDossier{Plan: "p", Kind: Local, Title: fmt.Sprintf("Điều chỉnh cục bộ số %d", i)}, now)
			if err != nil {
				return err
			}
			state := Draft
			for k := range i % 5 {
				t := Transition{From: state, To: path[k], At: now.Add(time.Duration(i) * time.Minute), By: "bench", DocNo: fmt.Sprintf("%d/TTr", i)}
				if rule, ok := DeadlineRules[t.To]; ok && rule.Setting != "" {
					t.Due = now.AddDate(0, 0, i%400-100).Format(time.DateOnly)
				}
				if err := appendTransition(ctx, tx, t, id, nil); err != nil {
					return err
				}
				state = t.To
				if _, err := tx.ExecContext(ctx, "UPDATE dossier SET state = ?, due = ? WHERE id = ?", state, t.Due, id); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkDossierSummaries10k reads the dashboard's rows: 10 000
// dossiers with their last steps.
func BenchmarkDossierSummaries10k(b *testing.B) {
	s := manyDossiers(b, 10000)
	b.ReportAllocs()
	for b.Loop() {
		sums, err := s.DossierSummaries(context.Background())
		if err != nil || len(sums) != 10000 {
			b.Fatal(err)
		}
	}
}
