package plan

import (
	"context"
	"slices"
	"time"

	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/gis/diff"
	"quyhoach/gis/landuse"
	"quyhoach/store"
)

// ReportSource is what the board's report reads; *store.Store satisfies it.
type ReportSource interface {
	AgencyReader
	Plans(ctx context.Context) ([]store.Plan, error)
	DossierHistories(ctx context.Context) ([]store.Dossier, error)
	ApprovalDelta(ctx context.Context, dossier int64) (store.ApprovalDelta, error)
}

// Period is the period of a report, both days included (YYYY-MM-DD).
type Period struct{ From, To string }

// YearPeriod is a calendar year.
func YearPeriod(year int) Period {
	return Period{time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly), time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)}
}

// Check refuses a period whose days are not dates, or that ends before it
// starts; the options at fault are "from" and "to".
func (p Period) Check() error {
	for _, f := range []struct{ opt, v string }{{"from", p.From}, {"to", p.To}} {
		if _, err := time.Parse(time.DateOnly, f.v); err != nil {
			return badRequest([]string{f.opt}, "%s %q: want a date YYYY-MM-DD", f.v)
		}
	}
	if p.To < p.From {
		return badRequest([]string{"to", "from"}, "%[1]s %[3]s is before %[2]s %[4]s", p.To, p.From)
	}
	return nil
}

// Contains reports whether a date (YYYY-MM-DD) is in the period.
func (p Period) Contains(date string) bool { return date != "" && p.From <= date && date <= p.To }

// Report is the board's report on adjustment dossiers over a period: the
// dossiers received (by the date of their submission), appraised (of the
// appraisal report), approved (of the decision), published and returned
// (of that step) within it; the net change per land-use class the
// approved ones made; the steps recorded per month by kind; and the
// dossiers still open at its end, the overdue flagged.
type Report struct {
	Period    Period
	Made      time.Time
	Plans     map[string]store.Plan // by code
	Agencies  Agencies              // of the board's plans: its letterhead
	Received  []ReportEntry
	Appraised []ReportEntry
	Approved  []ReportEntry
	Published []ReportEntry
	Returned  []ReportEntry
	Withdrawn []ReportEntry
	Open      []ReportEntry // not published or withdrawn at the period's end
	// Classes is the change in hectares per land-use class made by the
	// dossiers approved in the period (after − before), in catalogue order,
	// classes without a change left out; TotalHa its sum.
	Classes []ClassChange
	TotalHa float64
	Months  []MonthSteps
}

// ReportEntry is a dossier as a section of the report lists it.
type ReportEntry struct {
	Dossier  store.Dossier    // with its steps
	PlanName string           //
	Step     store.Transition // the step counted (Open: the last by the period's end)
	Date     string           // the step's date: its document's, else the day recorded
	Agency   string           // the step's agency, else the plan's for that step
	State    string           // the dossier's state at the period's end
	Due      string           // Open: the due date of that state's step
	Overdue  int              // Open: days overdue at the period's end (or today), 0 when not
	Version  int              // Approved: the version it made
	// AdjustedHa is, for an approved dossier, the area of the lots it
	// changed (the larger of before and after).
	AdjustedHa float64
}

// ClassChange is the net change of one land-use class.
type ClassChange struct {
	Code, Name string
	Ha         float64
}

// MonthSteps counts the steps recorded in one month by kind
// (store.ActionOf: submit, …, rebase, reappraise).
type MonthSteps struct {
	Month  string // YYYY-MM
	Counts map[string]int
}

// StepKinds are the kinds of step the monthly chart shows, in step order.
var StepKinds = append(append([]string(nil), store.Actions...), store.RebaseStep, store.ReappraiseStep)

// StepDate is the date of a step: its document's date, else the day it was
// recorded (local time).
func StepDate(t store.Transition) string {
	if _, err := time.Parse(time.DateOnly, t.DocDate); err == nil {
		return t.DocDate
	}
	if t.At.IsZero() {
		return ""
	}
	return t.At.Local().Format(time.DateOnly)
}

// MakeReport reads the store and makes the report of a period on the day
// of now.
func MakeReport(ctx context.Context, src ReportSource, p Period, cat *landuse.Catalogue, now time.Time) (*Report, error) {
	if err := p.Check(); err != nil {
		return nil, err
	}
	plans, err := src.Plans(ctx)
	if err != nil {
		return nil, err
	}
	r := &Report{Period: p, Made: now, Plans: map[string]store.Plan{}}
	agencies := map[string]Agencies{}
	var all []Agencies
	for _, pl := range plans {
		r.Plans[pl.Code] = pl
		if agencies[pl.Code], err = src.Agencies(ctx, pl.Code); err != nil {
			return nil, err
		}
		all = append(all, agencies[pl.Code])
	}
	r.Agencies = commonAgencies(all)
	ds, err := src.DossierHistories(ctx)
	if err != nil {
		return nil, err
	}
	months := r.monthIndex()
	end := min(p.To, now.Format(time.DateOnly))
	for _, d := range ds {
		entry := func(t store.Transition) ReportEntry {
			e := ReportEntry{Dossier: d, PlanName: r.Plans[d.Plan].Name, Step: t, Date: StepDate(t), State: stateAt(d, p.To)}
			e.Agency = cmpOr(t.Agency, agencies[d.Plan].ForAction(store.ActionOf(t)))
			return e
		}
		for _, t := range d.Transitions {
			date := StepDate(t)
			if !p.Contains(date) {
				continue
			}
			kind := store.ActionOf(t)
			if i, ok := months[date[:7]]; ok {
				r.Months[i].Counts[kind]++
			}
			switch kind {
			case "submit":
				r.Received = append(r.Received, entry(t))
			case "appraised":
				r.Appraised = append(r.Appraised, entry(t))
			case "approve":
				e := entry(t)
				if err := r.approved(ctx, src, &e, cat); err != nil {
					return nil, err
				}
				r.Approved = append(r.Approved, e)
			case "publish":
				r.Published = append(r.Published, entry(t))
			case "return":
				r.Returned = append(r.Returned, entry(t))
			case "withdraw":
				r.Withdrawn = append(r.Withdrawn, entry(t))
			}
		}
		if e, ok := openAt(d, p.To, end); ok {
			e.PlanName = r.Plans[d.Plan].Name
			r.Open = append(r.Open, e)
		}
	}
	for _, list := range [][]ReportEntry{r.Received, r.Appraised, r.Approved, r.Published, r.Returned, r.Withdrawn} {
		slices.SortStableFunc(list, func(a, b ReportEntry) int { return cmpEntries(a.Date, b.Date, a.Dossier.ID, b.Dossier.ID) })
	}
	slices.SortStableFunc(r.Open, func(a, b ReportEntry) int {
		if a.Overdue != b.Overdue {
			return b.Overdue - a.Overdue
		}
		return cmpEntries(a.Dossier.Plan, b.Dossier.Plan, a.Dossier.ID, b.Dossier.ID)
	})
	r.sortClasses(cat)
	return r, ctx.Err()
}

func cmpEntries(a, b string, ida, idb int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	case ida < idb:
		return -1
	case ida > idb:
		return 1
	}
	return 0
}

// monthIndex makes a zero count for each month of the period and returns
// where each month is.
func (r *Report) monthIndex() map[string]int {
	idx := map[string]int{}
	from, _ := time.Parse(time.DateOnly, r.Period.From)
	to, _ := time.Parse(time.DateOnly, r.Period.To)
	for m := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(to); m = m.AddDate(0, 1, 0) {
		idx[m.Format("2006-01")] = len(r.Months)
		r.Months = append(r.Months, MonthSteps{Month: m.Format("2006-01"), Counts: map[string]int{}})
	}
	return idx
}

// approved adds what an approval changed: the version it made, the area
// it touched and its change per land-use class.
func (r *Report) approved(ctx context.Context, src ReportSource, e *ReportEntry, cat *landuse.Catalogue) error {
	delta, err := src.ApprovalDelta(ctx, e.Dossier.ID)
	if err != nil {
		return err
	}
	e.Version = delta.Version
	tr, _ := crs.New(crs.WGS84, crs.TM3LangSon)
	lots := func(ls []gis.Layer) []gis.Feature {
		for _, l := range gis.Project(ls, tr) {
			if l.Name == gis.LandUseLayer {
				return l.Features
			}
		}
		return nil
	}
	b := diff.Compare(lots(delta.Before), lots(delta.After), ClassOf(cat), cat.Codes())
	e.AdjustedHa = max(b.TotalHa, b.BeforeTotalHa)
	for _, row := range b.Rows {
		if row.ChangeHa == 0 {
			continue
		}
		i := slices.IndexFunc(r.Classes, func(c ClassChange) bool { return c.Code == row.Code })
		if i < 0 {
			r.Classes = append(r.Classes, ClassChange{Code: row.Code, Name: row.Name})
			i = len(r.Classes) - 1
		}
		r.Classes[i].Ha += row.ChangeHa
	}
	return nil
}

// sortClasses orders the classes as the catalogue does and sums them.
func (r *Report) sortClasses(cat *landuse.Catalogue) {
	order := map[string]int{}
	for i, c := range cat.Codes() {
		order[c] = i + 1
	}
	rank := func(c ClassChange) int {
		if n, ok := order[c.Code]; ok {
			return n
		}
		return len(order) + 1
	}
	slices.SortStableFunc(r.Classes, func(a, b ClassChange) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		return cmpEntries(a.Code, b.Code, 0, 0)
	})
	r.TotalHa = 0
	for _, c := range r.Classes {
		r.TotalHa += c.Ha
	}
}

// stateAt is a dossier's state at the end of day date: where its last step
// dated on or before it left it.
func stateAt(d store.Dossier, date string) string {
	state := store.Draft
	for _, t := range d.Transitions {
		if sd := StepDate(t); sd != "" && sd <= date {
			state = t.To
		}
	}
	return state
}

// openAt is a dossier still open at the end of day date (made by then,
// neither published nor withdrawn), overdue when the due date of the step
// it stood at had passed by end (the period's end, or today if earlier).
func openAt(d store.Dossier, date, end string) (ReportEntry, bool) {
	if d.Created.IsZero() || d.Created.Local().Format(time.DateOnly) > date {
		return ReportEntry{}, false
	}
	e := ReportEntry{Dossier: d, State: store.Draft}
	for _, t := range d.Transitions {
		if sd := StepDate(t); sd != "" && sd <= date {
			e.Step, e.Date, e.State, e.Due = t, sd, t.To, t.Due
		}
	}
	if e.State == store.Published || e.State == store.Withdrawn {
		return ReportEntry{}, false
	}
	if e.Due != "" && e.Due < end {
		e.Overdue = store.DaysBetween(e.Due, end)
	}
	return e, true
}

// commonAgencies are the agencies most of the plans name (the board's own
// letterhead); the zone's defaults when there is no plan.
func commonAgencies(all []Agencies) Agencies {
	best, n := store.DefaultAgencies("zoning"), 0
	for _, a := range all {
		k := 0
		for _, b := range all {
			if a.Approver == b.Approver && a.Proposer == b.Proposer {
				k++
			}
		}
		if k > n {
			best, n = a, k
		}
	}
	return best
}

// Counts are how many dossiers each section lists.
func (r *Report) Counts() (received, appraised, approved, published, returned, open, overdue int) {
	for _, e := range r.Open {
		if e.Overdue > 0 {
			overdue++
		}
	}
	return len(r.Received), len(r.Appraised), len(r.Approved), len(r.Published), len(r.Returned), len(r.Open), overdue
}
