package ui

import (
	"context"
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"quyhoach/plan"
	"quyhoach/store"
)

// summarySource serves the dashboard n dossiers of four plans in every
// state, due dates from 100 days ago to 300 days ahead (as
// store.DossierSummaries reads them: BenchmarkDossierSummaries10k times
// that read).
type summarySource struct {
	fakeSource
	sums []store.DossierSummary
}

func newSummarySource(n int) summarySource {
	states := []string{store.Draft, store.Submitted, store.Appraising, store.Appraised, store.Approved, store.Published, store.Withdrawn}
	plans := []string{"truc-trung-tam", "huu-nghi", "chi-ma", "dong-banh"}
	day := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	out := make([]store.DossierSummary, n)
	for i := range out {
		s := store.DossierSummary{Dossier: store.Dossier{ID: int64(i + 1), Plan: plans[i%4], Kind: store.Local, State: states[i%7],
			Title: fmt.Sprintf("Điều chỉnh cục bộ lô %d khu %c", i*7919%10000, 'A'+rune(i%26)), Code: fmt.Sprintf("HS2026-%06d", i+1)},
			PlanName: "Quy hoạch " + plans[i%4]}
		if i%7 >= 1 && i%7 <= 4 {
			s.Due = day.AddDate(0, 0, i%400-100).Format(time.DateOnly)
			s.Last = store.Transition{ID: int64(i), From: store.Draft, To: s.State, At: day.AddDate(0, 0, -i%300), DocNo: fmt.Sprintf("%d/TTr-BQL", i)}
		}
		out[i] = s
	}
	return summarySource{sums: out}
}

func (s summarySource) DossierSummaries(context.Context) ([]store.DossierSummary, error) {
	return append([]store.DossierSummary(nil), s.sums...), nil
}

// BenchmarkDashboard10k opens the dashboard over 10 000 dossiers (its
// rows made, overdue first, filtered, counted, the table refreshed) and
// sorts it by title and by due date, as two clicks on headers.
func BenchmarkDashboard10k(b *testing.B) {
	a := test.NewApp()
	defer a.Quit()
	w, err := New(a, newSummarySource(10000), Options{Sync: true})
	if err != nil {
		b.Fatal(err)
	}
	w.Center.SelectIndex(dashboardTab)
	b.ReportAllocs()
	for b.Loop() {
		w.Dashboard.loaded = false
		w.loadDashboard()
		w.Dashboard.SortBy(plan.ColTitle)
		w.Dashboard.SortBy(plan.ColDue)
		if len(w.Dashboard.Rows()) != 10000 {
			b.Fatal(len(w.Dashboard.Rows()))
		}
	}
}
