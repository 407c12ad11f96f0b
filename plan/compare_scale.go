package plan

import (
	"context"
	"errors"

	"quyhoach/gis"
	"quyhoach/gis/diff"
	"quyhoach/gis/landuse"
	"quyhoach/store"
)

// Comparing two states of a plan of any size: the diff reads only the
// features whose items differ (bodies are content-addressed, so the store
// finds them without reading a body), and a balance reads the measures
// the store keeps beside each body (class and area) instead of the lots.
// The results are those of Compare and Balance on the whole states, to the
// bit: the same diff.Layers on the features that can differ, the same sums
// in the same order.

// ChangeSource reads what differs between states; *store.Store satisfies it.
type ChangeSource interface {
	ResolveState(ctx context.Context, code string, ref store.StateRef) (store.Side, error)
	LayerChanges(ctx context.Context, code string, from, to store.StateRef, layer string, grid bool) (*store.LayerChanges, error)
	CompareLayer(ctx context.Context, code string, from, to store.StateRef, layer string) (*store.LayerComparison, error)
	Measures(ctx context.Context, code string, ref store.StateRef, layer string) (store.Side, []store.Measure, error)
}

// LayerDiff is the diff of a layer between two states.
type LayerDiff struct {
	From, To Ref // as resolved: a version's number, never 0
	Diff     diff.Result
}

// DiffLayer compares a layer of two states of plan code: the same Result
// as diff.Layers on the two whole layers with to's lineage. grid gives the
// features in EPSG:9215 as Open does; otherwise in WGS84 as stored (Load),
// for output in WGS84.
func DiffLayer(ctx context.Context, src ChangeSource, code string, from, to Ref, layer string, grid bool) (*LayerDiff, error) {
	ch, err := src.LayerChanges(ctx, code, storeRef(from), storeRef(to), layer, grid)
	if err != nil {
		return nil, stateErr(err)
	}
	return &LayerDiff{From: sideRef(ch.From), To: sideRef(ch.To), Diff: diff.Layers(ch.Old, ch.New, diff.Lineage(ch.Lineage))}, nil
}

// Balances is the land-use balance a reviewer reads of a state: of the
// whole plan and, against another version, of the adjusted area.
type Balances struct {
	Of Ref
	// Against is the version compared with; zero for a balance alone.
	Against Ref
	// Whole is the balance of the whole plan (with Before columns when
	// compared), Adjusted that of the lots the changes touch.
	Whole, Adjusted diff.Balance
}

// Compared reports whether the balance is against another version.
func (b *Balances) Compared() bool { return b.Against != Ref{} }

// BalanceOf draws up the land-use balance of a state of plan code ("": a
// dossier's own), against version against when not 0, else a proposal
// against its base: Whole and Adjusted are Compare's (Balance's alone),
// read without loading the plan.
func BalanceOf(ctx context.Context, src ChangeSource, code string, ref Ref, against int, cat *landuse.Catalogue) (*Balances, error) {
	classify, order := measuredClass(cat), cat.Codes()
	if ref.Dossier != 0 && (against == 0 || code == "") {
		side, err := src.ResolveState(ctx, code, storeRef(ref))
		if err != nil {
			return nil, stateErr(err)
		}
		code = side.Plan
		if against == 0 { // a proposal: against its base
			against = side.Version
		}
	}
	if against == 0 {
		side, now, err := src.Measures(ctx, code, storeRef(ref), gis.LandUseLayer)
		if err != nil {
			return nil, stateErr(err)
		}
		return &Balances{Of: sideRef(side), Whole: diff.BalanceOfMeasured(classify(now), order)}, nil
	}
	// The changed lots and both states' measures, in one walk of the items.
	cl, err := src.CompareLayer(ctx, code, store.StateRef{Version: against}, storeRef(ref), gis.LandUseLayer)
	if err != nil {
		return nil, stateErr(err)
	}
	b := &Balances{Of: sideRef(cl.To), Against: sideRef(cl.From)}
	b.Whole = diff.CompareMeasured(classify(cl.Before), classify(cl.After), order)
	adjBefore, adjAfter := diff.AdjustedArea(diff.Layers(cl.Old, cl.New, diff.Lineage(cl.Lineage)))
	b.Adjusted = diff.Compare(adjBefore, adjAfter, ClassOf(cat), order)
	return b, nil
}

// measuredClass classifies measured features by ClassOf (the one rule),
// once per distinct class property.
func measuredClass(cat *landuse.Catalogue) func([]store.Measure) []diff.Measured {
	classOf := ClassOf(cat)
	seen := map[string]diff.Class{}
	return func(ms []store.Measure) []diff.Measured {
		out := make([]diff.Measured, len(ms))
		for i, m := range ms {
			c, ok := seen[m.Class]
			if !ok {
				c = classOf(gis.Feature{Properties: map[string]any{store.ClassProperty: m.Class}})
				seen[m.Class] = c
			}
			out[i] = diff.Measured{Class: c, M2: m.M2}
		}
		return out
	}
}

func storeRef(r Ref) store.StateRef { return store.StateRef{Version: r.Version, Dossier: r.Dossier} }

// sideRef is the Ref that opens a state the store resolved.
func sideRef(s store.Side) Ref {
	if s.Dossier != 0 {
		return Ref{Dossier: s.Dossier}
	}
	return Ref{Version: s.Version}
}

// stateErr is the plan's error for a dossier of another plan.
func stateErr(err error) error {
	if fe := (*store.ForeignDossierError)(nil); errors.As(err, &fe) {
		return &WrongPlanError{fe.Dossier, fe.Plan, fe.Asked}
	}
	return err
}
