package plan

import (
	"context"
	"fmt"
	"slices"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/landuse"
	"quyhoach/gis/topo"
	"quyhoach/store"
)

// NoLayerError is a state without a layer the work needs.
type NoLayerError struct {
	Plan  string
	Ref   Ref
	Layer string
}

func (e *NoLayerError) Error() string {
	return fmt.Sprintf("%s of plan %s has no %s layer", e.Ref, e.Plan, e.Layer)
}

// String names a reference as the CLI writes it: "version 2", "dossier 3".
func (r Ref) String() string {
	if r.Dossier != 0 {
		return fmt.Sprintf("dossier %d", r.Dossier)
	}
	return fmt.Sprintf("version %d", r.Version)
}

// CheckCoverage tells which checks Check makes on a state and why it
// leaves any out (no boundary layer: no gaps, no lots outside).
func CheckCoverage(s *State, cat *landuse.Catalogue) topo.Coverage {
	return coverage(s.Boundary(), cat)
}

func coverage(boundary orb.Geometry, cat *landuse.Catalogue) topo.Coverage {
	c := topo.CoverageOf(boundary, checkOptions(cat, 0))
	for i, sk := range c.Skipped {
		if sk.Why == "no plan boundary" {
			c.Skipped[i].Why = fmt.Sprintf("no plan boundary (layer %s)", gis.BoundaryLayer)
		}
	}
	return c
}

func checkOptions(cat *landuse.Catalogue, tolerance float64) topo.Options {
	return topo.Options{
		Tolerance:  tolerance,
		KnownClass: func(p string) bool { _, ok := cat.Lookup(p); return ok },
	}
}

// Check runs the topology and attribute checks on a state's lots: overlaps,
// gaps and parts outside the plan boundary of at least tolerance m², and
// classes outside the catalogue.
func Check(ctx context.Context, s *State, cat *landuse.Catalogue, tolerance float64) ([]topo.Finding, error) {
	if !s.Has(gis.LandUseLayer) {
		return nil, &NoLayerError{s.Plan.Code, s.Ref(), gis.LandUseLayer}
	}
	return topo.Check(ctx, s.Lots(), s.Boundary(), checkOptions(cat, tolerance))
}

// CheckReport is what CheckStored found in a stored state.
type CheckReport struct {
	Plan     store.Plan
	Version  store.Version  // the version checked; for a proposal, its base
	Dossier  *store.Dossier // the dossier whose proposal was checked, or nil
	Lots     int            // the land-use lots checked
	Findings []topo.Finding
	Coverage topo.Coverage
}

// Ref names the state checked as Open names it.
func (r *CheckReport) Ref() Ref {
	if r.Dossier != nil {
		return Ref{Dossier: r.Dossier.ID}
	}
	return Ref{Version: r.Version.Number}
}

// CheckStored is Check (with CheckCoverage) of a state in the store, for a
// command: only the lots and the plan boundary are read, in the grid, a
// batch at a time, each batch snapped to the checker's grid as it comes
// (topo.Lots: of a lot only its grid form, name and attribute problems
// are kept): no layer is loaded whole and nothing sorted.
// A source that cannot walk is opened and checked whole. code may be ""
// for a dossier's proposal; otherwise it must be the dossier's plan.
func CheckStored(ctx context.Context, src Source, code string, ref Ref, cat *landuse.Catalogue, tolerance float64) (*CheckReport, error) {
	vw, ok := src.(versionWalker)
	if !ok {
		s, err := Open(ctx, src, code, ref)
		if err != nil {
			return nil, err
		}
		fs, err := Check(ctx, s, cat, tolerance)
		if err != nil {
			return nil, err
		}
		return &CheckReport{Plan: s.Plan, Version: s.Version, Dossier: s.Dossier, Lots: len(s.Lots()), Findings: fs, Coverage: CheckCoverage(s, cat)}, nil
	}
	r := &CheckReport{}
	var lots *topo.Lots
	var bounds []gis.Feature
	read := func(w *store.VersionWalk) error {
		r.Plan, r.Version = w.Plan, w.Version
		if !slices.Contains(w.Layers, gis.LandUseLayer) {
			return &NoLayerError{r.Plan.Code, r.Ref(), gis.LandUseLayer}
		}
		lots = topo.NewLots(checkOptions(cat, tolerance), w.Version.Features)
		err := w.Features(ctx, gis.LandUseLayer, true, func(fs []gis.Feature) error {
			return lots.Add(ctx, fs)
		})
		if err != nil || !slices.Contains(w.Layers, gis.BoundaryLayer) {
			return err
		}
		return w.Features(ctx, gis.BoundaryLayer, true, func(fs []gis.Feature) error {
			for _, f := range fs {
				bounds = append(bounds, gis.Feature{ID: f.ID, Geometry: f.Geometry})
			}
			return nil
		})
	}
	var err error
	if ref.Dossier == 0 {
		err = vw.WalkVersion(ctx, code, ref.Version, nil, read)
	} else {
		err = vw.WalkProposal(ctx, ref.Dossier, func(w *store.VersionWalk, d store.Dossier) error {
			r.Dossier = &d
			if code != "" && d.Plan != code {
				return &WrongPlanError{d.ID, d.Plan, code}
			}
			return read(w)
		})
	}
	if err != nil {
		err, _ = store.ReadError(err) // as Open says it
		return nil, err
	}
	boundary := gis.Boundary(bounds)
	r.Lots = lots.Len()
	if r.Findings, err = lots.Check(ctx, boundary); err != nil {
		return nil, err
	}
	r.Coverage = coverage(boundary, cat)
	return r, nil
}
