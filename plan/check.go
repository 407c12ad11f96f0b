package plan

import (
	"context"
	"fmt"

	"quyhoach/gis"
	"quyhoach/gis/landuse"
	"quyhoach/gis/topo"
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
	c := topo.CoverageOf(s.Boundary(), checkOptions(cat, 0))
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
