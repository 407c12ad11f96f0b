package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
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
	return fillGPKG(ctx, path, srs, func(g *gpkgFile) error {
		for _, l := range layers {
			kinds := tableKinds{cols: columnKinds{}}
			for _, f := range l.Features {
				kinds.addFeature(f)
			}
			err := g.layer(ctx, l.Name, kinds, func(t *gpkgTable) error {
				return t.add(ctx, l.Features)
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// gpkgFile is a GeoPackage being written, in one transaction.
type gpkgFile struct {
	tx    *sql.Tx
	srsID int
}

// fillGPKG makes the empty file at path a GeoPackage in srs: its tables,
// then what fill writes with g.layer, in one transaction. The file is a
// temporary one (atomicfile), renamed into place only once whole: it needs
// no journal and no sync of its own.
func fillGPKG(ctx context.Context, path string, srs gpkg.SRS, fill func(g *gpkgFile) error) error {
	db, err := sql.Open("sqlite", fileURI(path)+"?_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)&_pragma=cache_size(-16384)")
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
	if err := fill(&gpkgFile{tx: tx, srsID: srs.ID}); err != nil {
		return err
	}
	return tx.Commit()
}

// gpkgColumn is a property written as a column.
type gpkgColumn struct{ key, name, kind string }

// gpkgTable is a layer's feature table being filled.
type gpkgTable struct {
	g        *gpkgFile
	kinds    tableKinds // what it was made of
	seen     tableKinds // what its rows are
	cols     []gpkgColumn
	geomType string
	insert   string    // INSERT … VALUES without the rows
	row      string    // one row's placeholders
	group    int       // rows per INSERT
	stmt     *sql.Stmt // for a whole group
	extent   orb.Bound
	features int // written so far: the index errors name
	blobs    [][]byte
	args     []any
}

// layer writes the feature table of a layer whose columns and geometry
// type are known beforehand (kinds): created, filled by fill with t.add,
// then registered in gpkg_contents with its extent.
func (g *gpkgFile) layer(ctx context.Context, name string, kinds tableKinds, fill func(t *gpkgTable) error) error {
	t := &gpkgTable{g: g, kinds: kinds, seen: tableKinds{cols: columnKinds{}}, cols: kinds.cols.columns(), geomType: kinds.geom.columnType()}
	err := t.create(ctx, name, t.geomType)
	if err == nil {
		err = fill(t)
	}
	if d := kinds.differ(t.seen); err == nil && d != "" {
		// a table made of a version's stored kinds (version_layer.schema)
		// that are not its features': the file is not kept
		err = fmt.Errorf("its features do not fit the table made for them (%s): the version's stored kinds of the layer are not its features'; run quyhoach verify", d)
	}
	if t.stmt != nil {
		t.stmt.Close()
	}
	if err == nil {
		err = t.register(ctx, name, t.geomType)
	}
	if err != nil {
		return fmt.Errorf("layer %s: %w", name, err)
	}
	return nil
}

func (t *gpkgTable) create(ctx context.Context, name, geomType string) error {
	defs := []string{`fid INTEGER PRIMARY KEY AUTOINCREMENT`, `geom ` + geomType, `feature_id TEXT`}
	for _, c := range t.cols {
		defs = append(defs, quoteIdent(c.name)+" "+c.kind)
	}
	if _, err := t.g.tx.ExecContext(ctx, "CREATE TABLE "+quoteIdent(name)+" ("+strings.Join(defs, ", ")+")"); err != nil {
		return err
	}
	names := []string{"geom", "feature_id"}
	for _, c := range t.cols {
		names = append(names, quoteIdent(c.name))
	}
	t.insert = "INSERT INTO " + quoteIdent(name) + " (" + strings.Join(names, ", ") + ") VALUES "
	t.row = "(" + placeholders(len(names), 1) + ")"
	// Many rows per statement: SQLite's work per statement, not per row,
	// is what a GeoPackage of a million lots spends its time on.
	t.group = max(1, min(64, 30000/len(names)))
	return nil
}

// add writes features as the table's next rows (their geometry encoded on
// all cores).
func (t *gpkgTable) add(ctx context.Context, fs []gis.Feature) error {
	t.blobs = slices.Grow(t.blobs[:0], len(fs))[:len(fs)]
	errs := make([]error, len(fs))
	gis.Parallel(len(fs), func(i int) { t.blobs[i], errs[i] = gpkg.Encode(fs[i].Geometry, t.g.srsID) })
	for lo := 0; lo < len(fs); lo += t.group {
		hi := min(lo+t.group, len(fs))
		t.args = t.args[:0]
		for i := lo; i < hi; i++ {
			f := fs[i]
			t.seen.addFeature(f)
			if errs[i] != nil {
				return fmt.Errorf("feature %d: %w", t.features+i, errs[i])
			}
			if f.Geometry != nil {
				b, ok := gpkg.EnvelopeOf(t.blobs[i]) // the Bound Encode wrote: not computed again
				if !ok {
					b = f.Geometry.Bound()
				}
				if t.extent == (orb.Bound{}) {
					t.extent = b
				} else {
					t.extent = t.extent.Union(b)
				}
			}
			t.args = append(t.args, t.blobs[i], f.ID)
			for _, c := range t.cols {
				t.args = append(t.args, gpkgValue(f.Properties[c.key], c.kind))
			}
		}
		if err := t.exec(ctx, hi-lo); err != nil {
			return fmt.Errorf("features %d–%d: %w", t.features+lo, t.features+hi-1, err)
		}
	}
	t.features += len(fs)
	clear(t.blobs)
	return nil
}

// exec inserts n rows of t.args.
func (t *gpkgTable) exec(ctx context.Context, n int) error {
	if n < t.group {
		_, err := t.g.tx.ExecContext(ctx, t.insert+strings.TrimSuffix(strings.Repeat(t.row+",", n), ","), t.args...)
		return err
	}
	if t.stmt == nil {
		var err error
		if t.stmt, err = t.g.tx.PrepareContext(ctx, t.insert+strings.TrimSuffix(strings.Repeat(t.row+",", n), ",")); err != nil {
			return err
		}
	}
	_, err := t.stmt.ExecContext(ctx, t.args...)
	return err
}

// register records the filled table in gpkg_contents and
// gpkg_geometry_columns.
func (t *gpkgTable) register(ctx context.Context, name, geomType string) error {
	if _, err := t.g.tx.ExecContext(ctx, `INSERT INTO gpkg_contents (table_name, data_type, identifier, min_x, min_y, max_x, max_y, srs_id)
		VALUES (?, 'features', ?, ?, ?, ?, ?, ?)`, name, name, t.extent.Min[0], t.extent.Min[1], t.extent.Max[0], t.extent.Max[1], t.g.srsID); err != nil {
		return err
	}
	_, err := t.g.tx.ExecContext(ctx, `INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)`, name, geomType, t.g.srsID)
	return err
}

// columnKinds gathers the property keys of a layer's features and the
// kinds of their values, a feature at a time, to choose a column per key:
// REAL when every value is a number, BOOLEAN for booleans, TEXT otherwise
// (arrays and objects as JSON).
type columnKinds map[string]string

// kindSink takes the kinds of a feature's property values and its
// geometry's type, one at a time: tableKinds gathers them for a table,
// layerSchema counts them.
type kindSink interface {
	addKind(key, kind string) // a value of kind ("" for null) under key
	addType(typ string)       // a geometry of GeoJSON type typ
}

// addKinds gives sink the kinds of f's properties and geometry.
func addKinds(sink kindSink, f gis.Feature) {
	for k, v := range f.Properties {
		sink.addKind(k, valueKind(v))
	}
	if f.Geometry != nil {
		sink.addType(f.Geometry.GeoJSONType())
	}
}

// valueKind is the kind of a property's value: "" for null.
func valueKind(v any) string {
	switch v.(type) {
	case nil:
		return ""
	case float64:
		return "REAL"
	case bool:
		return "BOOLEAN"
	}
	return "TEXT"
}

// tableKinds are what a GeoPackage table of a layer is made of: its
// columns' kinds and its geometry column's type.
type tableKinds struct {
	cols columnKinds
	geom geometryKind
}

func (t *tableKinds) addKind(key, kind string) { t.cols.addKind(key, kind) }
func (t *tableKinds) addType(typ string)       { t.geom.addType(typ) }
func (t *tableKinds) addFeature(f gis.Feature) { addKinds(t, f) }

// differ says how the features of rows differ from what t says of them,
// "" when they do not.
func (t tableKinds) differ(rows tableKinds) string {
	keys := maps.Clone(t.cols)
	maps.Copy(keys, rows.cols)
	for _, k := range sortedKeys(keys) {
		want, made := t.cols[k]
		got, has := rows.cols[k]
		switch {
		case !made:
			return fmt.Sprintf("property %q has no column", k)
		case !has:
			return fmt.Sprintf("column %q has no property", k)
		case want != got:
			return fmt.Sprintf("property %q is %s, its column %s", k, cmp.Or(got, "empty"), cmp.Or(want, "empty"))
		}
	}
	if want, got := t.geom.columnType(), rows.geom.columnType(); want != got {
		return fmt.Sprintf("the geometries are %s, the column %s", got, want)
	}
	return ""
}

// addKind counts a value of kind ("" for null) under key.
func (kinds columnKinds) addKind(key, kind string) {
	prev, ok := kinds[key]
	switch {
	case !ok:
		kinds[key] = kind
	case kind == "": // only nulls so far, or a kind already
	case prev != "" && prev != kind:
		kinds[key] = "TEXT"
	default:
		kinds[key] = kind
	}
}

// columns are the table's columns, by key.
func (kinds columnKinds) columns() []gpkgColumn {
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

// geometryKind gathers the geometry types of a layer's features: the
// geom column's type, GEOMETRY when mixed.
type geometryKind struct {
	name  string // the one type seen so far
	mixed bool
}

// addType counts a geometry of GeoJSON type typ.
func (k *geometryKind) addType(typ string) {
	n := gpkgGeometryName(typ)
	if k.name != "" && k.name != n {
		k.mixed = true
	}
	k.name = n
}

// gpkgGeometryName is GeoPackage's name of GeoJSON's geometry type typ.
func gpkgGeometryName(typ string) string {
	n := strings.ToUpper(typ)
	if n == "GEOMETRYCOLLECTION" {
		n = "GEOMCOLLECTION"
	}
	return n
}

// columnType is the type of the geom column: GEOMETRY when mixed or none.
func (k geometryKind) columnType() string {
	if k.mixed || k.name == "" {
		return "GEOMETRY"
	}
	return k.name
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
