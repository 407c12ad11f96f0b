package store

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"

	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/gis/geojson"
)

// gpkgContent is everything a GeoPackage holds, as text: its schema, the
// rows of every table (values with their SQLite types; geometry as hex)
// and its header fields — all but the time gpkg_contents records.
func gpkgContent(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", fileURI(path)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var b strings.Builder
	var app, ver int
	db.QueryRow("PRAGMA application_id").Scan(&app)
	db.QueryRow("PRAGMA user_version").Scan(&ver)
	fmt.Fprintf(&b, "application_id %d user_version %d\n", app, ver)
	rows, err := db.Query("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid")
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var typ, name, tbl string
		var q sql.NullString
		rows.Scan(&typ, &name, &tbl, &q)
		fmt.Fprintf(&b, "%s %s %s %s\n", typ, name, tbl, q.String)
		if typ == "table" {
			tables = append(tables, name)
		}
	}
	rows.Close()
	for _, tbl := range tables {
		rows, err := db.Query("SELECT * FROM " + quoteIdent(tbl) + " ORDER BY rowid")
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		n := 0
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			rows.Scan(ptrs...)
			fmt.Fprintf(&b, "%s:", tbl)
			for i, v := range vals {
				if tbl == "gpkg_contents" && cols[i] == "last_change" {
					continue
				}
				switch v := v.(type) {
				case []byte:
					fmt.Fprintf(&b, " %s=x'%x'", cols[i], v)
				default:
					fmt.Fprintf(&b, " %s=%T(%v)", cols[i], v, v)
				}
			}
			b.WriteByte('\n')
			n++
		}
		rows.Close()
		fmt.Fprintf(&b, "%s: %d rows\n", tbl, n)
	}
	return b.String()
}

// oldGeoPackage writes a version the whole-version way: loaded, projected
// from WGS84 and written from memory.
func oldGeoPackage(t *testing.T, s *Store, path, code string, number int, c crs.Code, layers ...string) {
	t.Helper()
	snap, err := s.Load(context.Background(), code, number, layers...)
	if err != nil {
		t.Fatal(err)
	}
	ls := snap.Layers
	if c != crs.WGS84 {
		tr, err := crs.New(crs.WGS84, c)
		if err != nil {
			t.Fatal(err)
		}
		ls = gis.Project(ls, tr)
	}
	if err := WriteGeoPackage(context.Background(), path, ls, c); err != nil {
		t.Fatal(err)
	}
}

// TestExportGeoPackageIsWriteGeoPackage: a version streamed to a
// GeoPackage is the file the whole-version path writes — same tables,
// columns, rows, geometry bytes, extents — for every sample plan and
// version, and for lots of mixed geometry types, properties of mixed and
// null kinds and names that collide, in the grid, in WGS84 and in another
// CRS.
func TestExportGeoPackageIsWriteGeoPackage(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := sampleCopy(t)
	plans, _ := s.Plans(ctx)
	same := func(name, code string, number int, c crs.Code, layers ...string) {
		t.Helper()
		want, got := filepath.Join(dir, name+".old.gpkg"), filepath.Join(dir, name+".gpkg")
		oldGeoPackage(t, s, want, code, number, c, layers...)
		if err := s.ExportGeoPackage(ctx, got, code, number, layers, c); err != nil {
			t.Fatal(err)
		}
		if a, b := gpkgContent(t, want), gpkgContent(t, got); a != b {
			t.Fatalf("%s: the streamed GeoPackage differs:\n%s", name, firstDiff(a, b))
		}
	}
	for _, p := range plans {
		vs, _ := s.Versions(ctx, p.Code)
		for _, v := range vs {
			same(fmt.Sprintf("%s-%d", p.Code, v.Number), p.Code, v.Number, crs.TM3LangSon)
		}
	}
	same("chi-ma-wgs84", "chi-ma", 0, crs.WGS84)
	same("chi-ma-3405", "chi-ma", 0, crs.Code(3405))
	same("chi-ma-lots", "chi-ma", 0, crs.TM3LangSon, gis.LandUseLayer)

	s = openTemp(t)
	mustPlan(t, s, "p")
	lots := oddLots(2*WalkBatch + 5)
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "L_A", Features: lots}, {Name: "Points_P", Features: []gis.Feature{
		{Geometry: orb.Point{106.75, 21.85}, Properties: map[string]any{"ten": "cột mốc", "FID": 1.0}},
		{Properties: map[string]any{"ten": "không có hình"}}}}}})
	same("odd", "p", 0, crs.TM3LangSon)
	same("odd-wgs84", "p", 0, crs.WGS84)
	// the same lots again in reverse: ids kept, items out of key order
	slices.Reverse(lots)
	mustImport(t, s, ImportRequest{Plan: "p", Key: "maDoiTuong", Layers: []gis.Layer{{Name: "L_A", Features: lots}}})
	same("odd-reversed", "p", 0, crs.TM3LangSon, "L_A")
}

// oddLots are lots whose properties vary the way real files do: a key
// present on some lots only, null on others, numbers here and text there,
// booleans, arrays and objects, names that clash with the table's own
// columns; a few multipolygons among the polygons.
func oddLots(n int) []gis.Feature {
	r := rand.New(rand.NewPCG(7, 8))
	lots := genLots(n, 5)
	for i := range lots {
		p := lots[i].Properties
		switch i % 7 {
		case 0:
			p["ghiChu"] = nil
		case 1:
			p["ghiChu"] = "lô góc, {\"x\": [1]}"
		case 2:
			p["tangCaoMax"] = "3–5"
		case 3:
			p["daDuyet"] = r.IntN(2) == 0
		case 4:
			p["cacLo"] = []any{"A", 2.0, map[string]any{"k": "v"}}
		case 5:
			p["Geom"] = 1.5
			p["feature_ID"] = "x"
		}
		if i == n-3 {
			p["chiMotLo"] = 1.0 // a key on one lot, late in the layer
			poly := lots[i].Geometry.(orb.Polygon)
			moved := project.Polygon(orb.Clone(poly).(orb.Polygon), func(q orb.Point) orb.Point { return orb.Point{q[0] + 0.1, q[1]} })
			lots[i].Geometry = orb.MultiPolygon{poly, moved}
		}
	}
	return lots
}

func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return "want " + la[i] + "\ngot  " + lb[i]
		}
	}
	return fmt.Sprintf("%d lines, want %d", len(lb), len(la))
}

// TestBodySchemaIsParse: the kinds and geometry type read from a body's
// text are those of the parsed body, for properties of every kind, keys
// with escapes, strings holding brackets and quotes, and bodies without
// geometry.
func TestBodySchemaIsParse(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	keys := []string{"maDoiTuong", "tên lô", "a\"b", "tab\tkey", "x", "y", "ghi\\chú", "z"}
	var value func(depth int) any
	value = func(depth int) any {
		switch r.IntN(8) {
		case 0:
			return nil
		case 1:
			return r.NormFloat64() * 1e3
		case 2:
			return r.IntN(2) == 0
		case 3:
			return `chuỗi "có" {ngoặc} [và], dấu: \ cuối`
		case 4:
			if depth < 3 {
				return []any{value(depth + 1), value(depth + 1)}
			}
		case 5:
			if depth < 3 {
				return map[string]any{"k": value(depth + 1), "}": value(depth + 1)}
			}
		case 6:
			return float64(r.IntN(100))
		}
		return "v"
	}
	var scanned, parsed int
	for i := range 3000 {
		props := map[string]any{}
		for range r.IntN(6) {
			props[keys[r.IntN(len(keys))]] = value(0)
		}
		f := gis.Feature{Properties: props}
		if i%5 != 0 {
			f.Geometry = orb.Polygon{{{106, 21}, {106.001, 21}, {106, 21.001}, {106, 21}}}
		}
		if i%11 == 0 {
			f.Geometry = orb.Collection{orb.Point{106, 21}, orb.LineString{{106, 21}, {106.1, 21}}}
		}
		text := encodeBody(f).text
		got := tableKinds{cols: columnKinds{}}
		bodySchema(text, &got)
		back, err := geojson.ParseFeature(text)
		if err != nil {
			t.Fatal(err)
		}
		want := tableKinds{cols: columnKinds{}}
		want.addFeature(back)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s:\nread %v\nparsed %v", text, got, want)
		}
		if _, props, ok := canonicalParts(text); ok && scanKinds(props, &tableKinds{cols: columnKinds{}}) {
			scanned++
		} else {
			parsed++
		}
	}
	if scanned < 1000 || parsed < 100 {
		t.Fatalf("%d bodies read as text, %d parsed: both ways should be tried", scanned, parsed)
	}
}

// TestExportGeoPackageOpensInGDAL: GDAL reads the streamed GeoPackage, its
// tables, their feature counts and CRS (skipped without ogrinfo).
func TestExportGeoPackageOpensInGDAL(t *testing.T) {
	if _, err := exec.LookPath("ogrinfo"); err != nil {
		t.Skip("no ogrinfo (GDAL)")
	}
	ctx := context.Background()
	s := openTemp(t)
	mustPlan(t, s, "p")
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "ChucNangSuDungDat_A", Features: oddLots(WalkBatch + 10)}}})
	path := filepath.Join(t.TempDir(), "lô #1.gpkg")
	if err := s.ExportGeoPackage(ctx, path, "p", 0, nil, crs.TM3LangSon); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("ogrinfo", "-ro", "-al", "-so", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	for _, want := range []string{"Layer name: ChucNangSuDungDat_A", fmt.Sprintf("Feature Count: %d", WalkBatch+10), "Geometry: Unknown (any)", "9215", "maDoiTuong: String", "matDoXayDung: Real"} {
		if !strings.Contains(string(out), want) {
			t.Fatalf("ogrinfo says no %q:\n%s", want, out)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Fatalf("%d files beside the export", len(entries))
	}
}

// BenchmarkExportGeoPackage100k streams a 100 000-lot version to a
// GeoPackage in EPSG:9215; MB-heap is the peak heap in use.
func BenchmarkExportGeoPackage100k(b *testing.B) {
	ctx := context.Background()
	s := openTemp(b)
	mustPlan(b, s, "p")
	mustImport(b, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "ChucNangSuDungDat_A", Features: genLots(100000, 1)}}})
	path := filepath.Join(b.TempDir(), "p.gpkg")
	runtime.GC()
	var peak uint64
	for b.Loop() {
		peak = max(peak, peakHeap(func() {
			if err := s.ExportGeoPackage(ctx, path, "p", 0, nil, crs.TM3LangSon); err != nil {
				b.Fatal(err)
			}
		}))
	}
	b.ReportMetric(float64(peak)/(1<<20), "MB-heap")
}

// TestWithoutGeometryIsReadFlat: a canonical lot with its geometry nulled
// (withoutGeometry, what a read in the grid gives ParseProperties) begins
// as geojson's flat reading expects (flat.go's flatStart): else every lot
// would go to the parser, slower and unseen.
func TestWithoutGeometryIsReadFlat(t *testing.T) {
	var scratch []byte
	text := withoutGeometry(encodeBody(genLots(1, 1)[0]).text, &scratch)
	if !bytes.HasPrefix(text, []byte(`{"type":"Feature","geometry":null,"properties":{`)) {
		t.Fatalf("%s", text)
	}
}
