package store

import (
	"context"
	"database/sql"

	"github.com/paulmach/orb"

	"quyhoach/gis/geombin"
)

// GridExtent is the extent, in the plan's grid (EPSG:9215), of the
// features of layer in the version walked, and how many of them there are,
// read from the stored grid forms alone (each form's checksum checked): what
// a print needs to lay out its sheet before it walks the features once to
// draw them. ok is false when it cannot be read that way — a proposal's
// walk, or a body without its grid form — and the features must be walked
// for it. empty is true when no feature has geometry.
func (w *VersionWalk) GridExtent(ctx context.Context, layer string) (ext orb.Bound, n int, empty, ok bool, err error) {
	layerID, has := w.layers[layer]
	if w.proposal != nil || !has {
		return orb.Bound{}, 0, true, w.proposal == nil, nil
	}
	rows, err := w.tx.QueryContext(ctx, `SELECT i.feature_id, g.geom FROM version_item i
		LEFT JOIN body_geom g ON g.body_id = i.body_id WHERE i.version_id = ? AND i.layer_id = ?`, w.verID, layerID)
	if err != nil {
		return ext, 0, true, false, &walkError{wrap("load "+w.Plan.Code, err)}
	}
	defer rows.Close()
	empty = true
	var form sql.RawBytes
	for rows.Next() {
		var id string
		if err := rows.Scan(&id, &form); err != nil {
			return ext, 0, true, false, &walkError{wrap("load "+w.Plan.Code, err)}
		}
		if form == nil {
			return orb.Bound{}, 0, true, false, nil
		}
		n++
		g, err := geombin.Decode(form)
		if err != nil {
			return ext, 0, true, false, &walkError{wrap("load "+w.Plan.Code, &GeometryError{Feature: id, Err: err})}
		}
		if g == nil {
			continue
		}
		if b := g.Bound(); empty {
			ext, empty = b, false
		} else {
			ext = ext.Union(b)
		}
	}
	if err := rows.Err(); err != nil {
		return ext, 0, true, false, &walkError{wrap("load "+w.Plan.Code, err)}
	}
	return ext, n, empty, true, nil
}
