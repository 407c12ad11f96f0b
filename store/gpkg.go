package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/paulmach/orb"

	"quyhoach/atomicfile"
	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/gis/geojson"
	"quyhoach/gis/gpkg"
)

// WriteGeoPackage writes layers (coordinates already in c) as a new
// OGC GeoPackage 1.3 file, one feature table per layer, as TT 16/2025
// delivers plan data. Each feature keeps its stable id in feature_id. The
// file appears whole or not at all, exactly at path (taken literally), with
// the mode of every export (see atomicfile).
func WriteGeoPackage(ctx context.Context, path string, layers []gis.Layer, c crs.Code) error {
	srs, err := gpkg.SRSOf(c)
	if err != nil {
		return err
	}
	err = atomicfile.Write(path, func(f *os.File) error { return writeGPKG(ctx, f.Name(), layers, srs) })
	if err != nil {
		return fmt.Errorf("store: geopackage %s: %w", path, err)
	}
	return nil
}

// writeGPKG fills the empty file at path (SQLite opens it by name).
func writeGPKG(ctx context.Context, path string, layers []gis.Layer, srs gpkg.SRS) error {
	db, err := sql.Open("sqlite", fileURI(path)+"?_pragma=journal_mode(DELETE)")
	if err != nil {
		return err
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmts := []string{
		`PRAGMA application_id = 1196444487`, // "GPKG"
		`PRAGMA user_version = 10300`,
		`CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
			organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)`,
		`CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
			description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
			min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER REFERENCES gpkg_spatial_ref_sys (srs_id))`,
		`CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
			srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, PRIMARY KEY (table_name, column_name),
			UNIQUE (table_name), FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id),
			FOREIGN KEY (table_name) REFERENCES gpkg_contents (table_name))`,
	}
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	ins := `INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)`
	wgs, _ := gpkg.SRSOf(crs.WGS84)
	for _, r := range [][]any{
		{"Undefined cartesian SRS", -1, "NONE", -1, "undefined", ""},
		{"Undefined geographic SRS", 0, "NONE", 0, "undefined", ""},
		{wgs.Name, wgs.ID, "EPSG", wgs.ID, wgs.Definition, ""},
		{srs.Name, srs.ID, "EPSG", srs.ID, srs.Definition, ""},
	} {
		if _, err := tx.ExecContext(ctx, ins, r...); err != nil {
			return err
		}
	}
	for _, l := range layers {
		if err := writeGPKGLayer(ctx, tx, l, srs.ID); err != nil {
			return fmt.Errorf("layer %s: %w", l.Name, err)
		}
	}
	return tx.Commit()
}

// gpkgColumn is a property written as a column.
type gpkgColumn struct{ key, name, kind string }

func writeGPKGLayer(ctx context.Context, tx *sql.Tx, l gis.Layer, srsID int) error {
	cols := gpkgColumns(l.Features)
	defs := []string{`fid INTEGER PRIMARY KEY AUTOINCREMENT`, `geom ` + gpkgGeometryType(l.Features), `feature_id TEXT`}
	for _, c := range cols {
		defs = append(defs, quoteIdent(c.name)+" "+c.kind)
	}
	if _, err := tx.ExecContext(ctx, "CREATE TABLE "+quoteIdent(l.Name)+" ("+strings.Join(defs, ", ")+")"); err != nil {
		return err
	}
	names := []string{"geom", "feature_id"}
	for _, c := range cols {
		names = append(names, quoteIdent(c.name))
	}
	stmt, err := tx.PrepareContext(ctx, "INSERT INTO "+quoteIdent(l.Name)+" ("+strings.Join(names, ", ")+") VALUES ("+placeholders(len(names), 1)+")")
	if err != nil {
		return err
	}
	defer stmt.Close()
	var extent orb.Bound
	for i, f := range l.Features {
		g, err := gpkg.Encode(f.Geometry, srsID)
		if err != nil {
			return fmt.Errorf("feature %d: %w", i, err)
		}
		if f.Geometry != nil {
			if extent == (orb.Bound{}) {
				extent = f.Geometry.Bound()
			} else {
				extent = extent.Union(f.Geometry.Bound())
			}
		}
		args := []any{g, f.ID}
		for _, c := range cols {
			args = append(args, gpkgValue(f.Properties[c.key], c.kind))
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("feature %d: %w", i, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO gpkg_contents (table_name, data_type, identifier, min_x, min_y, max_x, max_y, srs_id)
		VALUES (?, 'features', ?, ?, ?, ?, ?, ?)`, l.Name, l.Name, extent.Min[0], extent.Min[1], extent.Max[0], extent.Max[1], srsID); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)`, l.Name, gpkgGeometryType(l.Features), srsID)
	return err
}

// gpkgColumns chooses a column per property key: REAL when every value is
// a number, BOOLEAN for booleans, TEXT otherwise (arrays and objects as JSON).
func gpkgColumns(fs []gis.Feature) []gpkgColumn {
	kinds := map[string]string{}
	for _, f := range fs {
		for k, v := range f.Properties {
			var kind string
			switch v.(type) {
			case nil:
				continue
			case float64:
				kind = "REAL"
			case bool:
				kind = "BOOLEAN"
			default:
				kind = "TEXT"
			}
			if prev, ok := kinds[k]; ok && prev != kind && prev != "" {
				kind = "TEXT"
			}
			kinds[k] = kind
		}
		for k := range f.Properties {
			if _, ok := kinds[k]; !ok {
				kinds[k] = "" // only nulls so far
			}
		}
	}
	keys := make([]string, 0, len(kinds))
	for k := range kinds {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	used := map[string]bool{"fid": true, "geom": true, "feature_id": true}
	var out []gpkgColumn
	for _, k := range keys {
		name := k
		for n := 2; used[strings.ToLower(name)]; n++ {
			name = fmt.Sprintf("%s_%d", k, n)
		}
		used[strings.ToLower(name)] = true
		kind := kinds[k]
		if kind == "" {
			kind = "TEXT"
		}
		out = append(out, gpkgColumn{k, name, kind})
	}
	return out
}

func gpkgValue(v any, kind string) any {
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		return v
	case float64:
		if kind == "REAL" {
			return v
		}
		return gis.Text(v)
	case bool:
		if kind == "BOOLEAN" {
			return v
		}
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// gpkgGeometryType is the layer's geometry type name, GEOMETRY when mixed.
func gpkgGeometryType(fs []gis.Feature) string {
	name := ""
	for _, f := range fs {
		if f.Geometry == nil {
			continue
		}
		n := strings.ToUpper(f.Geometry.GeoJSONType())
		if n == "GEOMETRYCOLLECTION" {
			n = "GEOMCOLLECTION"
		}
		if name != "" && name != n {
			return "GEOMETRY"
		}
		name = n
	}
	if name == "" {
		return "GEOMETRY"
	}
	return name
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// ReadGeoPackage reads one feature table of a GeoPackage (table "" when the
// file has only one): its features, with the feature_id column quyhoach
// exports as their id and NULL columns left out, and its CRS. Geometry is
// checked (closed rings of four or more positions, finite coordinates) and
// oriented as RFC 7946 asks. The file is opened read-only.
func ReadGeoPackage(ctx context.Context, path, table string) (gis.Layer, crs.Code, error) {
	db, err := sql.Open("sqlite", fileURI(path)+"?mode=ro")
	if err != nil {
		return gis.Layer{}, 0, err
	}
	defer db.Close()
	tables, err := gpkgTables(ctx, db)
	if err != nil {
		return gis.Layer{}, 0, fmt.Errorf("%s is not a GeoPackage (no gpkg_contents table)", path)
	}
	switch {
	case table == "" && len(tables) == 1:
		table = tables[0]
	case table == "" || !slices.Contains(tables, table):
		return gis.Layer{}, 0, fmt.Errorf("%s: choose a feature table with --table (%s)", path, strings.Join(tables, ", "))
	}
	var geomCol, org string
	var srsID, code int
	if err := db.QueryRowContext(ctx, `SELECT g.column_name, g.srs_id, coalesce(s.organization, ''), coalesce(s.organization_coordsys_id, 0)
		FROM gpkg_geometry_columns g LEFT JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id WHERE g.table_name = ?`, table).Scan(&geomCol, &srsID, &org, &code); err != nil {
		return gis.Layer{}, 0, fmt.Errorf("%s: table %s has no geometry column: %w", path, table, err)
	}
	if !strings.EqualFold(org, "EPSG") {
		return gis.Layer{}, 0, fmt.Errorf("%s: table %s is in SRS %d (%s %d), not an EPSG system quyhoach knows", path, table, srsID, org, code)
	}
	c, err := crs.Parse(fmt.Sprintf("EPSG:%d", code))
	if err != nil {
		return gis.Layer{}, 0, fmt.Errorf("%s: table %s: %w", path, table, err)
	}
	rows, err := db.QueryContext(ctx, "SELECT * FROM "+quoteIdent(table))
	if err != nil {
		return gis.Layer{}, 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return gis.Layer{}, 0, err
	}
	l := gis.Layer{Name: table}
	for n := 0; rows.Next(); n++ {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return gis.Layer{}, 0, err
		}
		f := gis.Feature{Properties: map[string]any{}}
		var fid any
		for i, col := range cols {
			v := vals[i]
			switch {
			case col == geomCol:
				blob, _ := v.([]byte)
				if blob == nil {
					continue
				}
				g, _, err := gpkg.Decode(blob)
				if err != nil {
					return gis.Layer{}, 0, fmt.Errorf("%s: table %s row %d: %w", path, table, n+1, err)
				}
				f.Geometry = g
			case strings.EqualFold(col, "fid"):
				fid = v
			case col == "feature_id":
				if s, ok := v.(string); ok {
					f.ID = s
				}
			case v == nil:
			default:
				f.Properties[col] = normaliseSQLValue(v)
			}
		}
		if err := checkGeometry(f.Geometry, c); err != nil {
			return gis.Layer{}, 0, fmt.Errorf("%s: table %s feature %v: %w", path, table, fid, err)
		}
		if f.Geometry != nil {
			geojson.Orient(f.Geometry)
		}
		l.Features = append(l.Features, f)
	}
	return l, c, rows.Err()
}

// checkGeometry refuses what the GeoJSON reader refuses: open or short
// rings, lines of one position, non-finite or (geographic) out-of-range
// coordinates.
func checkGeometry(g orb.Geometry, c crs.Code) error {
	var err error
	pts := func(ps []orb.Point) {
		for _, p := range ps {
			switch {
			case err != nil:
			case math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0):
				err = fmt.Errorf("coordinate (%v, %v) is not a number", p[0], p[1])
			case c.Geographic() && (math.Abs(p[0]) > 180 || math.Abs(p[1]) > 90):
				err = fmt.Errorf("position (%v, %v) is outside longitude/latitude range", p[0], p[1])
			}
		}
	}
	ring := func(r orb.Ring) {
		switch {
		case err != nil:
		case len(r) < 4:
			err = fmt.Errorf("ring of %d positions (a ring needs 4 or more)", len(r))
		case r[0] != r[len(r)-1]:
			err = errors.New("ring not closed")
		}
		pts(r)
	}
	var walk func(orb.Geometry)
	walk = func(g orb.Geometry) {
		switch g := g.(type) {
		case orb.Point:
			pts([]orb.Point{g})
		case orb.MultiPoint:
			pts(g)
		case orb.LineString:
			if len(g) < 2 && err == nil {
				err = errors.New("line of fewer than 2 positions")
			}
			pts(g)
		case orb.MultiLineString:
			for _, l := range g {
				walk(l)
			}
		case orb.Polygon:
			for _, r := range g {
				ring(r)
			}
		case orb.MultiPolygon:
			for _, p := range g {
				walk(p)
			}
		case orb.Collection:
			for _, s := range g {
				walk(s)
			}
		}
	}
	walk(g)
	return err
}

// GeoPackageTables lists a GeoPackage's feature tables.
func GeoPackageTables(ctx context.Context, path string) ([]string, error) {
	db, err := sql.Open("sqlite", fileURI(path)+"?mode=ro")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return gpkgTables(ctx, db)
}

func gpkgTables(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, "SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY table_name")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
