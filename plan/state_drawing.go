package plan

import (
	"context"

	"quyhoach/store"
)

// A version opened in two phases, for the window on a plan of any size:
// first what drawing it needs (OpenDrawing: ids, grid geometry, class and
// area, each form's own checksum checked), then the state itself
// (Attributes: every body checked and its properties read), which is what
// Open gives. The map can show the first while the second is read.

// DrawingSource reads versions in two phases; *store.Store satisfies it.
type DrawingSource interface {
	Drawing(ctx context.Context, code string, number int, fn func(store.DrawingBatch) error) (*store.Drawing, bool, error)
	Attributes(ctx context.Context, d *store.Drawing, progress func(done int)) (*store.Snapshot, error)
}

// OpenDrawing reads version number (0: the current one) of plan code as the
// map first draws it, handing fn each batch as it is read (see
// store.Drawing). ok is false when src cannot read it so (a source without
// the derived forms): then Open reads the state in one go.
func OpenDrawing(ctx context.Context, src Source, code string, number int, fn func(store.DrawingBatch) error) (d *store.Drawing, ok bool, err error) {
	ds, can := src.(DrawingSource)
	if !can {
		return nil, false, nil
	}
	return ds.Drawing(ctx, code, number, fn)
}

// Attributes reads the rest of a drawing's version: the state Open gives
// for it, its features sharing the drawing's geometry. progress, when set,
// hears how many of the drawing's features are read (see
// store.Attributes). src must be the DrawingSource the drawing came from.
func Attributes(ctx context.Context, src Source, d *store.Drawing, progress func(done, total int)) (*State, error) {
	total := d.Len()
	var hear func(int)
	if progress != nil {
		hear = func(n int) { progress(n, total) }
	}
	snap, err := src.(DrawingSource).Attributes(ctx, d, hear)
	if err != nil {
		return nil, err
	}
	return &State{Plan: snap.Plan, Version: snap.Version, Layers: snap.Layers, Lineage: snap.Lineage}, nil
}

// Drawn is the state of a drawing before its attributes are read: its plan
// and version, and no layers (nothing of it may be taken as the plan's
// lots until Attributes gives them).
func Drawn(d *store.Drawing) *State {
	return &State{Plan: d.Plan, Version: d.Version, Lineage: map[string][]string{}}
}
