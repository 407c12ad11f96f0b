package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"

	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/gis/geojson"
	"quyhoach/gis/geombin"
)

// The bodies' geometry in the plan's grid, stored beside them (body_geom,
// migration 0007): a read of a version takes its geometry from there and
// parses only the properties of the body; nothing is projected again. The
// form is derived from the body alone — the projection of the coordinates
// the body holds (geojson.StoredCoord), bit for bit — so verify recomputes
// and compares it, and its own checksum is checked by every read.

var (
	gridOnce sync.Once
	toGrid   orb.Projection
)

// grid is the projection from stored WGS84 to EPSG:9215.
func grid() orb.Projection {
	gridOnce.Do(func() {
		var err error
		if toGrid, err = crs.New(crs.WGS84, crs.TM3LangSon); err != nil {
			panic(err) // both systems are the program's own
		}
	})
	return toGrid
}

// gridForm is the binary geometry of a body whose geometry is g (WGS84, as
// it came in, before the body rounded it); nil for no geometry.
func gridForm(g orb.Geometry) []byte {
	if g == nil {
		return nil
	}
	return geombin.Append(nil, toGridForm(g))
}

// GeometryError is a stored binary geometry that does not match its
// checksum, or its body: what every read refuses, naming the feature.
type GeometryError struct {
	Feature string
	Lot     string // its lot code, when damaged grid properties still tell it
	Err     error
}

func (e *GeometryError) Error() string {
	if errors.Is(e.Err, errPropsDamaged) {
		who := "feature " + e.Feature
		if e.Lot != "" {
			who = "lot " + e.Lot + " (" + who + ")"
		}
		return fmt.Sprintf("%s: the stored grid properties are damaged (%v); run quyhoach verify", who, e.Err)
	}
	return fmt.Sprintf("feature %s: the stored grid geometry is damaged (%v); run quyhoach verify", e.Feature, e.Err)
}

func (e *GeometryError) Unwrap() error { return e.Err }

// fillGeometry derives the grid geometry of every body already in a file
// (migration 0007), on all cores, a batch at a time.
func fillGeometry(ctx context.Context, tx *sql.Tx, _ string) error {
	return fillDerived(ctx, tx, "SELECT id, geojson, NULL FROM body WHERE id > ? ORDER BY id LIMIT ?", "body_geom (body_id, geom)",
		func(_ int64, text, _ []byte) []byte {
			f, err := geojson.ParseFeature(text)
			if err != nil {
				return nil // a damaged body keeps no grid form; verify reports the body
			}
			return gridForm(f.Geometry)
		})
}

// fillDerived is the fill of a migration adding what is derived from each
// body already in a file: query (with the last id and a batch size) gives
// rows of body id, text and grid form (or NULL), derive makes the derived
// form (nil: none), written into table "name (body_id, column)". Bodies
// are read a batch at a time, derived on all cores, inserted many rows per
// statement.
func fillDerived(ctx context.Context, tx *sql.Tx, query, table string, derive func(id int64, text, grid []byte) []byte) error {
	return deriveBodies(ctx, tx, query, derive, func(rs []derived) error {
		var args []any
		flush := func() error {
			if len(args) == 0 {
				return nil
			}
			_, err := tx.ExecContext(ctx, "INSERT INTO "+table+" VALUES "+placeholders(len(args)/2, 2), args...)
			args = args[:0]
			return err
		}
		for _, r := range rs {
			if r.form == nil {
				continue
			}
			if args = append(args, r.id, r.form); len(args) == 2*batchRows {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		return flush()
	})
}

// derived is a body's id and the form derived from it (nil: none).
type derived struct {
	id   int64
	form []byte
}

// deriveBodies reads the rows of query (with the last id and a batch
// size: body id and two byte columns) a batch at a time, derives a form
// of each on all cores and hands the batch to write.
func deriveBodies(ctx context.Context, tx *sql.Tx, query string, derive func(id int64, a, b []byte) []byte, write func([]derived) error) error {
	const batch = 4000
	last := int64(0)
	for {
		rows, err := tx.QueryContext(ctx, query, last, batch)
		if err != nil {
			return err
		}
		type row struct {
			id   int64
			a, b []byte
		}
		var rs []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.a, &r.b); err != nil {
				rows.Close()
				return err
			}
			rs = append(rs, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(rs) == 0 {
			return nil
		}
		out := make([]derived, len(rs))
		gis.Parallel(len(rs), func(i int) { out[i] = derived{rs[i].id, derive(rs[i].id, rs[i].a, rs[i].b)} })
		if err := write(out); err != nil {
			return err
		}
		last = rs[len(rs)-1].id
	}
}

// decodeGrid reads a feature from its body's properties and its binary
// grid geometry. Without a grid form (a body without geometry, or one the
// form is missing for: verify reports that) the body is read whole and its
// geometry projected, which gives the same bits.
func decodeGrid(id string, text, bin []byte) (gis.Feature, error) {
	if bin == nil {
		f, err := parseBody(id, text)
		if err == nil && f.Geometry != nil {
			f.Geometry = toGridForm(f.Geometry)
		}
		return f, err
	}
	f, err := geojson.ParseProperties(text)
	if err != nil {
		return gis.Feature{}, fmt.Errorf("feature %s: stored body: %w", id, err)
	}
	f.ID = id
	if f.Geometry, err = geombin.Decode(bin); err != nil {
		return gis.Feature{}, &GeometryError{Feature: id, Err: err}
	}
	return f, nil
}

// toGridForm projects a stored (WGS84) geometry into the grid as the grid
// form holds it.
func toGridForm(g orb.Geometry) orb.Geometry {
	p := grid()
	return project.Geometry(orb.Clone(g), func(q orb.Point) orb.Point {
		return p(orb.Point{geojson.StoredCoord(q[0]), geojson.StoredCoord(q[1])})
	})
}

// inGrid is a dossier whose changed features are in the grid, as LoadGrid
// gives the base they apply to.
func inGrid(d Dossier) Dossier {
	cs := make([]Change, len(d.Changes))
	for i, c := range d.Changes {
		cs[i] = c
		if c.Feature != nil && c.Feature.Geometry != nil {
			f := *c.Feature
			f.Geometry = toGridForm(f.Geometry)
			cs[i].Feature = &f
		}
	}
	d.Changes = cs
	return d
}

// ProposalGrid is Proposal in the plan's grid (see LoadGrid); the dossier
// returned has its changed features in the grid too.
func (s *Store) ProposalGrid(ctx context.Context, id int64) (*Snapshot, Dossier, error) {
	d, err := s.Dossier(ctx, id)
	if err != nil {
		return nil, d, err
	}
	snap, err := s.LoadGrid(ctx, d.Plan, d.Base)
	if err != nil {
		return nil, d, err
	}
	d = inGrid(d)
	propose(snap, d)
	return snap, d, nil
}
