// Package plan is the application layer between the store and the two faces
// (the CLI and the window): it loads a plan state projected once, compares
// two states into one value (diff, balances, change rows), builds the sheets
// of a print request, checks a state, and reads and writes plan files. It
// returns data and typed errors; each face translates and formats them.
package plan

import (
	"context"
	"fmt"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/gis/landuse"
	"quyhoach/store"
)

// Source is what the layer reads of the store; *store.Store satisfies it.
type Source interface {
	Load(ctx context.Context, code string, number int, layers ...string) (*store.Snapshot, error)
	Proposal(ctx context.Context, id int64) (*store.Snapshot, store.Dossier, error)
	Dossier(ctx context.Context, id int64) (store.Dossier, error)
}

// Ref names a state of a plan: a version (0: the current one) or, when
// Dossier is set, that dossier's proposal.
type Ref struct {
	Version int
	Dossier int64
}

// State is one state of a plan as people look at it: a version, or a
// dossier's proposal (its base with its change set applied), with every
// layer projected once to the official grid, VN-2000 / TM-3 107-15
// (EPSG:9215) metres.
type State struct {
	Plan store.Plan
	// Version is the version shown; for a proposal, its base version with
	// Number 0.
	Version store.Version
	Dossier *store.Dossier // the dossier proposing this state, or nil
	Layers  []gis.Layer    // EPSG:9215 metres
	// Lineage maps a feature id to its parents' ids (split and merged lots).
	Lineage map[string][]string
}

// WrongPlanError is a dossier asked for as a state of another plan.
type WrongPlanError struct {
	Dossier     int64
	Plan, Asked string
}

func (e *WrongPlanError) Error() string {
	return fmt.Sprintf("dossier %d belongs to plan %s, not %s", e.Dossier, e.Plan, e.Asked)
}

// Open loads a state of plan code and projects it. With ref.Dossier set,
// code may be "" (the dossier's plan); otherwise it must be the dossier's.
func Open(ctx context.Context, src Source, code string, ref Ref) (*State, error) {
	if gs, ok := src.(GridSource); ok {
		snap, d, err := loadGrid(ctx, gs, code, ref)
		if err != nil {
			return nil, err
		}
		return &State{Plan: snap.Plan, Version: snap.Version, Dossier: d, Layers: snap.Layers, Lineage: snap.Lineage}, nil
	}
	snap, d, err := Load(ctx, src, code, ref)
	if err != nil {
		return nil, err
	}
	tr, _ := crs.New(crs.WGS84, crs.TM3LangSon)
	return &State{Plan: snap.Plan, Version: snap.Version, Dossier: d, Layers: gis.Project(snap.Layers, tr), Lineage: snap.Lineage}, nil
}

// GridSource reads states already in the grid (the store keeps each
// body's geometry projected beside it): Open then parses no geometry and
// projects nothing. *store.Store satisfies it.
type GridSource interface {
	LoadGrid(ctx context.Context, code string, number int, layers ...string) (*store.Snapshot, error)
	ProposalGrid(ctx context.Context, id int64) (*store.Snapshot, store.Dossier, error)
}

// loadGrid is Load from a GridSource.
func loadGrid(ctx context.Context, src GridSource, code string, ref Ref) (*store.Snapshot, *store.Dossier, error) {
	if ref.Dossier == 0 {
		snap, err := src.LoadGrid(ctx, code, ref.Version)
		return snap, nil, err
	}
	snap, dossier, err := src.ProposalGrid(ctx, ref.Dossier)
	if err != nil {
		return nil, nil, err
	}
	if code != "" && dossier.Plan != code {
		return nil, nil, &WrongPlanError{dossier.ID, dossier.Plan, code}
	}
	return snap, &dossier, nil
}

// Load loads a state as the store keeps it, in WGS84, for output in WGS84
// (a projection there and back would move vertices by a millimetre); d is
// the proposing dossier, or nil. Open is Load, projected.
func Load(ctx context.Context, src Source, code string, ref Ref) (snap *store.Snapshot, d *store.Dossier, err error) {
	if ref.Dossier == 0 {
		snap, err = src.Load(ctx, code, ref.Version)
		return snap, nil, err
	}
	snap, dossier, err := src.Proposal(ctx, ref.Dossier)
	if err != nil {
		return nil, nil, err
	}
	if code != "" && dossier.Plan != code {
		return nil, nil, &WrongPlanError{dossier.ID, dossier.Plan, code}
	}
	return snap, &dossier, nil
}

// Ref returns the reference that opens this state again.
func (s *State) Ref() Ref {
	if s.Dossier != nil {
		return Ref{Dossier: s.Dossier.ID}
	}
	return Ref{Version: s.Version.Number}
}

// Layer returns the features of the named layer, nil when the state has none.
func (s *State) Layer(name string) []gis.Feature {
	for _, l := range s.Layers {
		if l.Name == name {
			return l.Features
		}
	}
	return nil
}

// Has reports whether the state holds the named layer.
func (s *State) Has(name string) bool {
	for _, l := range s.Layers {
		if l.Name == name {
			return true
		}
	}
	return false
}

// Lots returns the land-use lots (ChucNangSuDungDat_A).
func (s *State) Lots() []gis.Feature { return s.Layer(gis.LandUseLayer) }

// BoundaryFeatures returns the features of the plan boundary layer.
func (s *State) BoundaryFeatures() []gis.Feature { return s.Layer(gis.BoundaryLayer) }

// Boundary returns the plan boundary as one geometry, nil when absent.
func (s *State) Boundary() orb.Geometry { return gis.Boundary(s.BoundaryFeatures()) }

// Lines returns the features of every line layer (_L), in layer order.
func (s *State) Lines() []gis.Feature {
	var out []gis.Feature
	for _, l := range s.Layers {
		if gis.KindOfName(l.Name) == gis.LineKind {
			out = append(out, l.Features...)
		}
	}
	return out
}

// Outline is the plan's outline for a location inset: its boundary, else its lots.
func (s *State) Outline() []gis.Feature {
	if b := s.BoundaryFeatures(); len(b) > 0 {
		return b
	}
	return s.Lots()
}

// Extent is the bound of the plan boundary, else of the lots; false when
// the state has no geometry at all.
func (s *State) Extent() (orb.Bound, bool) {
	return Extent(s.BoundaryFeatures(), s.Lots())
}

// Extent returns the bound of the first list that has geometry.
func Extent(lists ...[]gis.Feature) (orb.Bound, bool) {
	for _, l := range lists {
		var b orb.Bound
		ok := false
		for _, f := range l {
			if f.Geometry == nil {
				continue
			}
			if !ok {
				b, ok = f.Geometry.Bound(), true
			} else {
				b = b.Union(f.Geometry.Bound())
			}
		}
		if ok {
			return b, true
		}
	}
	return orb.Bound{}, false
}

// Base is the version a state is adjusted from: a dossier's base, or the
// parent of a version that a dossier's approval made; 0 when there is none.
func (s *State) Base() int {
	switch {
	case s.Dossier != nil:
		return s.Dossier.Base
	case s.Version.Dossier != 0 && s.Version.Parent != 0:
		return s.Version.Parent
	}
	return 0
}

// Adjustment compares a state with the version it is adjusted from (see
// Base): what its dossier changes. It returns nil when there is none.
func Adjustment(ctx context.Context, src Source, s *State, cat *landuse.Catalogue) (*Comparison, error) {
	base := s.Base()
	if base == 0 {
		return nil, nil
	}
	b, err := Open(ctx, src, s.Plan.Code, Ref{Version: base})
	if err != nil {
		return nil, err
	}
	return Compare(b, s, cat), nil
}

// AdjustingDossier returns the dossier behind a state's adjustment: its own,
// or the one whose approval made its version; nil when none.
func AdjustingDossier(ctx context.Context, src Source, s *State) (*store.Dossier, error) {
	if s.Dossier != nil {
		return s.Dossier, nil
	}
	if s.Version.Dossier == 0 {
		return nil, nil
	}
	d, err := src.Dossier(ctx, s.Version.Dossier)
	if err != nil {
		return nil, err
	}
	return &d, nil
}
