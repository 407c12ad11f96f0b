package plan

import (
	"context"
	"errors"
	"strings"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/diff"
	"quyhoach/gis/landuse"
	"quyhoach/gis/render"
	"quyhoach/store"
)

// A large plan is printed without being loaded: its extent is read from the
// stored grid forms (store.VersionWalk.GridExtent), the sheet laid out, and
// the lots walked from the store a batch at a time while the map is drawn
// (render.Map.LotWalk: fills and outlines into two PDF layers compressed as
// they are written, the labels' candidates kept, the inset's silhouette
// gathered). Boundary and line layers are loaded whole (they are small),
// balances come from the stored measures (BalanceOf) and the adjusted area
// from the changed lots alone (DiffLayer): the same tables and outlines as
// the loaded path's. Memory follows the batch and the sheet, not the plan.
// Atlases load the plan.

// printWalkLots is the number of lots from which a print walks the plan.
// Below it the plan is loaded: the sheet looks the same either way (the
// map is then in the page's own content rather than in layers). A
// variable for the tests.
var printWalkLots = 20000

// errSmallPlan is a plan printed loaded.
var errSmallPlan = errors.New("small plan")

// printSource is a source a print can walk: the store.
type printSource interface {
	versionWalker
	ChangeSource
}

// openPrintWalk opens a state of r's plan for printing without its lots when
// it is large and the request can be drawn in one walk; ok is false when
// the plan must be loaded (openPrintState).
func openPrintWalk(ctx context.Context, src Source, cat *landuse.Catalogue, r PrintRequest) (ps printState, ok bool, err error) {
	ws, can := src.(printSource)
	if !can || r.Atlas {
		return ps, false, nil
	}
	code := r.Plan
	var walked Ref // the state walked again to draw: a version by its number
	read := func(w *store.VersionWalk, d *store.Dossier) error {
		if d != nil && d.Plan != code {
			return &WrongPlanError{d.ID, d.Plan, code}
		}
		ext, n, empty, known, err := w.GridExtent(ctx, gis.LandUseLayer)
		if err != nil {
			return err
		}
		if !known { // a proposal: walk it for its extent
			n, empty = 0, true
			err = w.Features(ctx, gis.LandUseLayer, true, func(fs []gis.Feature) error {
				for _, f := range fs {
					n++
					if f.Geometry == nil {
						continue
					}
					if b := f.Geometry.Bound(); empty {
						ext, empty = b, false
					} else {
						ext = ext.Union(b)
					}
				}
				return nil
			})
			if err != nil && !isNotFound(err) {
				return err
			}
		}
		if n < printWalkLots {
			return errSmallPlan
		}
		s := &State{Plan: w.Plan, Version: w.Version, Dossier: d}
		for _, name := range w.Layers {
			if name != gis.BoundaryLayer && gis.KindOfName(name) != gis.LineKind {
				continue
			}
			l := gis.Layer{Name: name}
			if err := w.Features(ctx, name, true, func(fs []gis.Feature) error {
				l.Features = append(l.Features, fs...)
				return nil
			}); err != nil {
				return err
			}
			s.Layers = append(s.Layers, l)
		}
		ps = printState{State: s, lotCount: n, lotsExt: ext, lotsEmpty: empty, lotsMemo: &lotsMemo{}}
		walked = Ref{Version: w.Version.Number}
		if d != nil {
			walked = Ref{Dossier: d.ID}
		}
		return nil
	}
	if r.Ref.Dossier != 0 {
		err = ws.WalkProposal(ctx, r.Ref.Dossier, func(w *store.VersionWalk, d store.Dossier) error { return read(w, &d) })
	} else {
		err = ws.WalkVersion(ctx, code, r.Ref.Version, nil, func(w *store.VersionWalk) error { return read(w, nil) })
	}
	if errors.Is(err, errSmallPlan) {
		return printState{}, false, nil
	}
	if err != nil {
		return ps, true, walkErr(err)
	}
	// The document is a value written later (the window previews it in one
	// task and saves it in another, after the first's context is done): its
	// walks keep the context's values, not its end.
	wctx := context.WithoutCancel(ctx)
	ps.walk = func(fn func([]gis.Feature) error) error { return walkLots(wctx, ws, code, walked, fn) }
	// What its dossier changes: the adjusted area outlined, the balances.
	if base := ps.Base(); base != 0 {
		ld, err := DiffLayer(ctx, ws, code, Ref{Version: base}, walked, gis.LandUseLayer, true)
		if err != nil {
			return ps, true, err
		}
		before, after := diff.AdjustedArea(ld.Diff)
		ps.changed = append(append([]gis.Feature(nil), after...), before...)
		if ps.dossier, err = AdjustingDossier(ctx, src, ps.State); err != nil && !errors.Is(err, store.ErrNotFound) {
			return ps, true, err
		}
	}
	if r.Balance {
		against := ps.Base()
		b, err := BalanceOf(ctx, ws, code, walked, against, cat)
		if err != nil {
			return ps, true, err
		}
		ps.walkedBalances = &sheetBalances{whole: &b.Whole}
		if against != 0 {
			ps.walkedBalances.adjusted = &b.Adjusted
		}
	}
	return ps, true, nil
}

// walkLots hands the lots of a state to fn a batch at a time, in the grid.
func walkLots(ctx context.Context, ws printSource, code string, ref Ref, fn func([]gis.Feature) error) error {
	var err error
	if ref.Dossier != 0 {
		err = ws.WalkProposal(ctx, ref.Dossier, func(w *store.VersionWalk, _ store.Dossier) error {
			return w.Features(ctx, gis.LandUseLayer, true, fn)
		})
	} else {
		err = ws.WalkVersion(ctx, code, ref.Version, []string{gis.LandUseLayer}, func(w *store.VersionWalk) error {
			return w.Features(ctx, gis.LandUseLayer, true, fn)
		})
	}
	return walkErr(err)
}

// walkErr gives a walk's reading error as Load gives it.
func walkErr(err error) error {
	if e, ok := store.ReadError(err); ok {
		return e
	}
	return err
}

func isNotFound(err error) bool {
	e, _ := store.ReadError(err)
	return errors.Is(e, store.ErrNotFound)
}

// walkedLotsExtent is lotsExtent over a walked plan's lots, walked once
// for a request (its layout and its fit both ask).
func (s printState) walkedLotsExtent(codes []string) (orb.Bound, error) {
	key := strings.Join(codes, "\x00")
	if m := s.lotsMemo; m.done && m.key == key {
		return m.b, m.err
	}
	b, err := s.walkLotsExtent(codes)
	*s.lotsMemo = lotsMemo{key, b, err, true}
	return b, err
}

// lotsMemo is the last walkedLotsExtent.
type lotsMemo struct {
	key  string
	b    orb.Bound
	err  error
	done bool
}

func (s printState) walkLotsExtent(codes []string) (orb.Bound, error) {
	want := map[string]bool{}
	for _, c := range codes {
		want[strings.TrimSpace(c)] = true
	}
	var sel []gis.Feature
	err := s.walk(func(fs []gis.Feature) error {
		for _, f := range fs {
			if want[f.String("maDoiTuong")] && f.Geometry != nil {
				sel = append(sel, gis.Feature{Geometry: orb.Clone(f.Geometry), Properties: map[string]any{"maDoiTuong": f.String("maDoiTuong")}})
			}
		}
		return nil
	})
	if err != nil {
		return orb.Bound{}, err
	}
	return lotsExtent(sel, codes)
}

// mapOf is what a sheet's map shows of a state: its lots held or walked.
func (s printState) mapOf(labels bool) render.Map {
	return render.Map{Lots: s.Lots(), LotWalk: s.walk, Lines: s.Lines(), Boundary: s.BoundaryFeatures(), Highlight: s.changed, Labels: labels}
}
