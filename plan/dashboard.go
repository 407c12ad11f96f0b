package plan

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"quyhoach/gis/scene"
	"quyhoach/store"
)

// DashboardRow is one dossier of the dashboard: where it stands and how
// long its current step has left.
type DashboardRow struct {
	ID       int64
	Plan     string // code
	PlanName string
	Title    string
	Kind     string
	State    string
	Due      string // YYYY-MM-DD, "" when no step is due
	DaysLeft int    // until Due on the day the rows were made; negative: overdue
	Overdue  bool
	Last     store.Transition // the last step (zero before the first)
	search   string           // what a filter's text is matched against, folded
	titleKey string           // the title folded, as titles sort
}

// HasDue reports whether a step of the dossier is due.
func (r DashboardRow) HasDue() bool { return r.Due != "" }

// DashboardRows makes the dashboard's rows on the day of now, overdue
// first (see SortOverdueFirst).
func DashboardRows(sums []store.DossierSummary, now time.Time) []DashboardRow {
	today := now.Format(time.DateOnly)
	rows := make([]DashboardRow, len(sums))
	for i, s := range sums {
		r := DashboardRow{ID: s.ID, Plan: s.Plan, PlanName: s.PlanName, Title: s.Title, Kind: s.Kind, State: s.State, Due: s.Due, Last: s.Last}
		if r.Due != "" {
			r.DaysLeft = store.DaysBetween(today, r.Due)
			r.Overdue = r.DaysLeft < 0
		}
		r.titleKey = scene.Fold(s.Title)
		r.search = scene.Fold(strings.Join([]string{s.Plan, s.PlanName, s.Code, s.Last.DocNo}, " ")) + " " + r.titleKey
		rows[i] = r
	}
	SortOverdueFirst(rows)
	return rows
}

// SortOverdueFirst orders rows as the board reads them: the overdue, the
// most overdue first; then those with a step due, the soonest first; then
// the rest, the newest first.
func SortOverdueFirst(rows []DashboardRow) {
	rank := func(r DashboardRow) int {
		switch {
		case r.Overdue:
			return 0
		case r.HasDue():
			return 1
		}
		return 2
	}
	slices.SortFunc(rows, func(a, b DashboardRow) int { // ids make the order total
		if c := cmp.Compare(rank(a), rank(b)); c != 0 {
			return c
		}
		if rank(a) < 2 {
			if c := cmp.Compare(a.DaysLeft, b.DaysLeft); c != 0 {
				return c
			}
		}
		return cmp.Compare(b.ID, a.ID)
	})
}

// Dashboard columns, for SortRows.
const (
	ColPlan = iota
	ColTitle
	ColState
	ColDue
	ColDaysLeft
	ColLast
	ColKind
	DashboardColumns // how many
)

// stateOrder ranks states in the order of the steps.
var stateOrder = map[string]int{store.Draft: 0, store.Submitted: 1, store.Appraising: 2, store.Appraised: 3,
	store.Approved: 4, store.Published: 5, store.Withdrawn: 6}

// SortRows orders rows by a column (ties by number); desc reverses it.
// Titles sort without accents and case (Fold).
// Rows without a due date go last by due date and by days left either way.
func SortRows(rows []DashboardRow, col int, desc bool) {
	sign := 1
	if desc {
		sign = -1
	}
	slices.SortFunc(rows, func(a, b DashboardRow) int { // ids make the order total
		var c int
		switch col {
		case ColPlan:
			c = cmp.Compare(a.PlanName, b.PlanName)
		case ColTitle:
			c = cmp.Compare(a.titleKey, b.titleKey)
		case ColKind:
			c = cmp.Compare(a.Kind, b.Kind)
		case ColState:
			c = cmp.Compare(stateOrder[a.State], stateOrder[b.State])
		case ColDue, ColDaysLeft:
			if a.HasDue() != b.HasDue() { // no due date: last, whichever the direction
				if a.HasDue() {
					return -1
				}
				return 1
			}
			c = cmp.Compare(a.Due, b.Due)
		case ColLast:
			c = a.Last.At.Compare(b.Last.At)
		}
		if c == 0 {
			c = cmp.Compare(a.ID, b.ID)
		}
		return sign * c
	})
}

// DashboardFilter narrows the dashboard's rows; zero fields match all.
type DashboardFilter struct {
	Text    string // in plan, title, code or last document number; accents and case ignored
	Plan    string // plan code
	State   string
	Overdue bool // only overdue dossiers
}

// Filter returns the rows f matches, in their order.
func (f DashboardFilter) Filter(rows []DashboardRow) []DashboardRow {
	words := strings.Fields(scene.Fold(f.Text))
	out := make([]DashboardRow, 0, len(rows))
	for _, r := range rows {
		if f.Plan != "" && r.Plan != f.Plan || f.State != "" && r.State != f.State || f.Overdue && !r.Overdue {
			continue
		}
		ok := true
		for _, w := range words {
			if !strings.Contains(r.search, w) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, r)
		}
	}
	return out
}

// StateCount is how many dossiers are in a state.
type StateCount struct {
	State string
	N     int
}

// CountByState counts rows per state, in the order of the steps, with the
// overdue counted apart (State "overdue").
func CountByState(rows []DashboardRow) (counts []StateCount, overdue int) {
	n := map[string]int{}
	for _, r := range rows {
		n[r.State]++
		if r.Overdue {
			overdue++
		}
	}
	for _, s := range []string{store.Draft, store.Submitted, store.Appraising, store.Appraised, store.Approved, store.Published, store.Withdrawn} {
		counts = append(counts, StateCount{s, n[s]})
	}
	return counts, overdue
}
