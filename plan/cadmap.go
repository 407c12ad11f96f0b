package plan

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"quyhoach/gis/cadplan"
	"quyhoach/gis/landuse"
)

// CADLayerStore keeps a store's CAD layer table; *store.Store satisfies it.
type CADLayerStore interface {
	CADLayers(ctx context.Context) (string, error)
	SetCADLayers(ctx context.Context, csv string) error
}

// StoredCADTable is the store's CAD layer table (none: nil). Reading a
// drawing takes the user's table first, then this one (CADOptions.Table).
func StoredCADTable(ctx context.Context, st CADLayerStore, cat *landuse.Catalogue) (cadplan.Table, error) {
	text, err := st.CADLayers(ctx)
	if err != nil || text == "" {
		return nil, err
	}
	t, err := cadplan.ParseTable(strings.NewReader(text), cat)
	if err != nil {
		return nil, fmt.Errorf("the store's CAD layer table: %w", err)
	}
	return t, nil
}

// SetStoredCADTable keeps t as the store's CAD layer table (nil: none).
func SetStoredCADTable(ctx context.Context, st CADLayerStore, t cadplan.Table) error {
	if len(t) == 0 {
		return st.SetCADLayers(ctx, "")
	}
	var b bytes.Buffer
	if err := t.Write(&b); err != nil {
		return err
	}
	return st.SetCADLayers(ctx, b.String())
}
