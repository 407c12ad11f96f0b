package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"quyhoach/assets"
	"quyhoach/gis"
	"quyhoach/gis/landuse"
	"quyhoach/gis/topo"
)

// A dossier is submitted only when its proposal introduces no error into
// the lots (topo.CheckEdit on the neighbourhood of its change set: the
// window runs the same check after each edit) and the officer has
// acknowledged its warnings. The rule lives here, so no face can submit
// around it.

// FindingsError refuses a submission: the errors the change set
// introduces, and the warnings, unacknowledged.
type FindingsError struct {
	Dossier  int64
	Errors   []topo.Finding
	Warnings []topo.Finding
}

func (e *FindingsError) Error() string {
	if len(e.Errors) > 0 {
		return fmt.Sprintf("dossier %d introduces %s into the plan: %s; correct them, then submit", e.Dossier,
			plural(len(e.Errors), "error"), findingList(e.Errors))
	}
	return fmt.Sprintf("dossier %d introduces %s: %s; look at them, then submit acknowledging them (--ack-warnings)", e.Dossier,
		plural(len(e.Warnings), "warning"), findingList(e.Warnings))
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// findingList names up to five findings on one line.
func findingList(fs []topo.Finding) string {
	var parts []string
	for i, f := range fs {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("and %d more", len(fs)-5))
			break
		}
		parts = append(parts, f.Message)
	}
	return strings.Join(parts, "; ")
}

// CheckProposal checks what a dossier's change set does to its plan's lots
// (see topo.CheckEdit): the findings around its changes and those it
// introduced.
func (s *Store) CheckProposal(ctx context.Context, dossier int64) (topo.EditCheck, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return topo.EditCheck{}, err
	}
	defer tx.Rollback()
	c, err := s.checkProposal(ctx, tx, dossier)
	if err != nil {
		return c, wrap(fmt.Sprintf("check dossier %d", dossier), err)
	}
	return c, nil
}

func (s *Store) checkProposal(ctx context.Context, q querier, dossier int64) (topo.EditCheck, error) {
	d, err := s.dossierTx(ctx, q, dossier)
	if err != nil {
		return topo.EditCheck{}, err
	}
	if d.Changes, err = loadChanges(ctx, q, dossier); err != nil {
		return topo.EditCheck{}, err
	}
	_, baseID, err := versionID(ctx, q, d.Plan, d.Base)
	if err != nil {
		return topo.EditCheck{}, err
	}
	d = inGrid(d)
	lots, boundary, err := aroundChanges(ctx, q, baseID, d)
	if err != nil {
		return topo.EditCheck{}, err
	}
	before := &Snapshot{Layers: []gis.Layer{{Name: gis.LandUseLayer, Features: lots}, {Name: gis.BoundaryLayer, Features: boundary}}}
	prop := &Snapshot{Layers: []gis.Layer{{Name: gis.LandUseLayer, Features: slices.Clone(lots)}, {Name: gis.BoundaryLayer, Features: slices.Clone(boundary)}}}
	propose(prop, d)
	cat, err := landuse.Parse(assets.LandUse)
	if err != nil {
		return topo.EditCheck{}, err
	}
	var edited []string
	for _, c := range d.Changes {
		edited = append(edited, c.FeatureID)
	}
	return topo.CheckEdit(ctx, layerOf(before.Layers, gis.LandUseLayer), layerOf(prop.Layers, gis.LandUseLayer),
		gis.Boundary(layerOf(before.Layers, gis.BoundaryLayer)), gis.Boundary(layerOf(prop.Layers, gis.BoundaryLayer)), edited,
		topo.Options{KnownClass: func(p string) bool { _, ok := cat.Lookup(p); return ok }})
}

func layerOf(ls []gis.Layer, name string) []gis.Feature {
	for _, l := range ls {
		if l.Name == name {
			return l.Features
		}
	}
	return nil
}

// checkSubmission refuses a submission whose proposal introduces errors,
// or warnings not acknowledged. It reads in the step's transaction.
func (s *Store) checkSubmission(ctx context.Context, q querier, dossier int64, ackWarnings bool) error {
	c, err := s.checkProposal(ctx, q, dossier)
	if err != nil {
		return err
	}
	errs, warns := c.Errors(), c.Warnings()
	if len(errs) > 0 || len(warns) > 0 && !ackWarnings {
		return &FindingsError{Dossier: dossier, Errors: errs, Warnings: warns}
	}
	return nil
}
