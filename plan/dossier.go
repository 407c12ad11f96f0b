package plan

import (
	"context"
	"slices"
	"time"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/diff"
	"quyhoach/gis/landuse"
	"quyhoach/store"
)

// DossierSource is what a dossier's page reads; *store.Store satisfies it.
type DossierSource interface {
	Source
	AgencyReader
	Plan(ctx context.Context, code string) (store.Plan, error)
	DossierSeals(ctx context.Context, id int64) (store.Seals, error)
	Conflicts(ctx context.Context, id int64) ([]store.Conflict, error)
}

// Page is what a dossier's page shows: the dossier with its steps and
// documents, its plan and the plan's agencies, the deadline of its current
// step, the seal of each step and document, what it changes against its
// base, the lots in conflict with versions approved since its base, and
// the steps its state allows.
type Page struct {
	Dossier   store.Dossier
	Plan      store.Plan
	Agencies  Agencies
	Deadline  *store.Deadline // nil when no step is due
	Seals     store.Seals
	Changes   *Comparison // its proposal against its base
	Counts    []KindCount // its changes by kind
	Conflicts []ConflictLot
	Actions   []string // the steps its state allows, in step order
}

// KindCount is how many changes of one kind (diff.Added, …, diff.Split, …)
// a dossier makes.
type KindCount struct {
	Kind string
	N    int
}

// OpenPage reads everything a dossier's page shows.
func OpenPage(ctx context.Context, src DossierSource, id int64, cat *landuse.Catalogue) (*Page, error) {
	after, err := Open(ctx, src, "", Ref{Dossier: id})
	if err != nil {
		return nil, err
	}
	p := &Page{Dossier: *after.Dossier, Actions: store.ActionsFrom(after.Dossier.State)}
	if p.Plan, err = src.Plan(ctx, p.Dossier.Plan); err != nil {
		return nil, err
	}
	if p.Agencies, err = src.Agencies(ctx, p.Plan.Code); err != nil {
		return nil, err
	}
	if dl, ok := store.DeadlineOf(p.Dossier); ok {
		p.Deadline = &dl
	}
	if p.Seals, err = src.DossierSeals(ctx, id); err != nil {
		return nil, err
	}
	if p.Changes, err = Adjustment(ctx, src, after, cat); err != nil {
		return nil, err
	}
	p.Counts = countKinds(p.Changes.Rows)
	conflicts, err := src.Conflicts(ctx, id)
	if err != nil {
		return nil, err
	}
	if len(conflicts) > 0 {
		cur, err := Open(ctx, src, p.Plan.Code, Ref{})
		if err != nil {
			return nil, err
		}
		p.Conflicts = conflictLots(conflicts, cur, after)
	}
	return p, ctx.Err()
}

// countKinds counts change rows by kind: added, modified, removed, then
// the lineage kinds in name order.
func countKinds(rows []ChangeRow) []KindCount {
	n := map[string]int{}
	for _, r := range rows {
		n[r.Kind]++
	}
	order := []string{diff.Added, diff.Modified, diff.Removed}
	var rest []string
	for k := range n {
		if !slices.Contains(order, k) {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	var out []KindCount
	for _, k := range append(order, rest...) {
		if n[k] > 0 {
			out = append(out, KindCount{k, n[k]})
		}
	}
	return out
}

// Editable reports whether the dossier's change set may be edited: a
// draft, new or returned.
func (p *Page) Editable() bool { return p.Dossier.State == store.Draft }

// Returned reports whether the dossier was returned to draft.
func (p *Page) Returned() bool {
	ts := p.Dossier.Transitions
	return p.Dossier.State == store.Draft && len(ts) > 0 && store.ActionOf(ts[len(ts)-1]) == "return"
}

// NextVersion is the number the dossier's approval would give the plan's
// new version.
func (p *Page) NextVersion() int { return p.Plan.CurrentVersion + 1 }

// DaysLeft is how many days remain for the current step on the day of
// now (negative: overdue); false when none is due.
func (p *Page) DaysLeft(now time.Time) (int, bool) {
	if p.Deadline == nil {
		return 0, false
	}
	return p.Deadline.DaysLeft(now), true
}

// Defaults is what the form of a step starts with: the document's date
// today, the agency the step names from the plan's agencies, and for an
// approval a maThongTinQH proposed for today's decision.
func (p *Page) Defaults(action string, now time.Time) store.Step {
	st := store.Step{Action: action, DocDate: now.Format(time.DateOnly), Agency: p.Agencies.ForAction(action)}
	if action == "approve" {
		st.MaThongTinQH = p.ProposeMa(st.DocDate)
	}
	return st
}

// ProposeMa proposes the maThongTinQH of the version an approval dated
// date (YYYY-MM-DD) makes: TT 16's code for the plan's level and the
// dossier's kind, with five random digits.
func (p *Page) ProposeMa(date string) string {
	return store.MaThongTinQH(p.Plan.Level, p.Dossier.Kind, date)
}

// Check checks a step as its form is typed: the store's rules of the
// step's fields (store.CheckStep), for this dossier and plan.
func (p *Page) Check(st store.Step) error { return store.CheckStep(st, p.Dossier.Kind, p.Plan.Level) }

// ConflictLot is a lot both the dossier and a version approved since its
// base changed, with what a reviewer compares: the lot as approved
// (theirs) and as the dossier proposes it (ours), with the lots around it
// on each side; EPSG:9215.
type ConflictLot struct {
	ID, Code    string
	Theirs      *gis.Feature // in the plan's current version; nil where that deleted it
	Ours        *gis.Feature // in the dossier's proposal; nil where the dossier deletes it
	Around      []gis.Feature
	AroundOurs  []gis.Feature
	Bound       orb.Bound // both shapes, padded for a map
	TheirsClass string    // land-use classes, "" where absent
	OursClass   string
}

// conflictLots pairs each conflicting lot's shapes in the current version
// and the proposal.
func conflictLots(cs []store.Conflict, cur, ours *State) []ConflictLot {
	index := func(s *State) map[string]*gis.Feature {
		m := map[string]*gis.Feature{}
		for _, l := range s.Layers {
			for i := range l.Features {
				m[l.Features[i].ID] = &l.Features[i]
			}
		}
		return m
	}
	theirs, mine := index(cur), index(ours)
	out := make([]ConflictLot, len(cs))
	for i, c := range cs {
		cl := ConflictLot{ID: c.Feature, Code: c.Code, Theirs: theirs[c.Feature], Ours: mine[c.Feature]}
		var shapes []gis.Feature
		for _, f := range []*gis.Feature{cl.Theirs, cl.Ours} {
			if f != nil {
				shapes = append(shapes, *f)
			}
		}
		b, _ := Extent(shapes)
		cl.Bound = b.Pad(max(0.4*max(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]), 15))
		cl.Around, cl.AroundOurs = gis.Meeting(cur.Lots(), cl.Bound), gis.Meeting(ours.Lots(), cl.Bound)
		if cl.Theirs != nil {
			cl.TheirsClass = cl.Theirs.String("phanLoai")
		}
		if cl.Ours != nil {
			cl.OursClass = cl.Ours.String("phanLoai")
		}
		out[i] = cl
	}
	return out
}

// Resolution turns a reviewer's choice per conflicting lot (true: ours)
// into the store's rebase resolution.
func Resolution(takeOurs map[string]bool) store.Resolution {
	r := store.Resolution{Take: map[string]string{}}
	for id, ours := range takeOurs {
		r.Take[id] = "theirs"
		if ours {
			r.Take[id] = "ours"
		}
	}
	return r
}
