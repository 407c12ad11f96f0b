package geojson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/crs"
)

// optionsFor gives the options a broken-corpus file is read with, by name.
func optionsFor(name string) Options {
	switch {
	case strings.HasPrefix(name, "require-geometry-"):
		return Options{RequireGeometry: true}
	case strings.HasPrefix(name, "limit-features"):
		return Options{MaxFeatures: 2}
	case strings.HasPrefix(name, "limit-vertices"):
		return Options{MaxVertices: 10}
	case strings.HasPrefix(name, "limit-bytes"):
		return Options{MaxBytes: 64}
	}
	return Options{}
}

func readFile(t testing.TB, path string, opt Options) (*Collection, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return Read(f, opt)
}

func mustRead(t testing.TB, path string, opt Options) *Collection {
	t.Helper()
	c, err := readFile(t, path, opt)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return c
}

// TestBroken reads every file of testdata/broken and expects the message in
// the .want file beside it.
func TestBroken(t *testing.T) {
	files, err := filepath.Glob("testdata/broken/*.geojson")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 25 {
		t.Fatalf("broken corpus has %d files, want at least 25", len(files))
	}
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".geojson")
		t.Run(name, func(t *testing.T) {
			want, err := os.ReadFile(strings.TrimSuffix(path, ".geojson") + ".want")
			if err != nil {
				t.Fatal(err)
			}
			c, err := readFile(t, path, optionsFor(name))
			if err == nil {
				t.Fatalf("read %d features, want an error", len(c.Features))
			}
			if c != nil {
				t.Errorf("got a collection with the error, want nil")
			}
			var e *Error
			if !errors.As(err, &e) || len(e.Problems) == 0 {
				t.Fatalf("got %T %v, want *Error with problems", err, err)
			}
			if w := strings.TrimSpace(string(want)); !strings.Contains(err.Error(), w) {
				t.Errorf("got error\n%v\nwant it to contain\n%s", err, w)
			}
			if strings.HasPrefix(name, "require-geometry-") { // fine without the option
				if _, err := readFile(t, path, Options{}); err != nil {
					t.Errorf("without RequireGeometry: %v", err)
				}
			}
		})
	}
}

func TestValid(t *testing.T) {
	polygonRings := func(t *testing.T, g orb.Geometry) []orb.Polygon {
		switch g := g.(type) {
		case orb.Polygon:
			return []orb.Polygon{g}
		case orb.MultiPolygon:
			return g
		}
		t.Fatalf("geometry is %T, want a polygon", g)
		return nil
	}
	checkOriented := func(t *testing.T, c *Collection) {
		t.Helper()
		for i, f := range c.Features {
			for _, poly := range polygonRings(t, f.Geometry) {
				for j, r := range poly {
					if a := signedArea(r); j == 0 && a <= 0 || j > 0 && a >= 0 {
						t.Errorf("feature %d ring %d: signed area %g, want exterior > 0, holes < 0", i, j, a)
					}
				}
			}
		}
	}
	tests := []struct {
		file  string
		opt   Options
		crs   crs.Code
		n     int
		check func(t *testing.T, c *Collection)
	}{
		{"bom.geojson", Options{}, crs.WGS84, 1, func(t *testing.T, c *Collection) {
			f := c.Features[0]
			if f.ID != "a" || f.String("ten") != "Lạng Sơn" || f.Geometry != (orb.Point{106.7, 21.8}) {
				t.Errorf("got %+v", f)
			}
		}},
		{"gdal-9215.geojson", Options{RequireGeometry: true}, crs.TM3LangSon, 2, func(t *testing.T, c *Collection) {
			checkOriented(t, c)
			f := c.Features[0]
			if f.ID != "" || f.String("soThua") != "12" || f.String("ten") != "Đất ở đô thị" {
				t.Errorf("got %+v", f)
			}
			want := orb.Polygon{
				{{432100.5, 2412000.25}, {432200.5, 2412000.25}, {432200.5, 2412100.25}, {432100.5, 2412100.25}, {432100.5, 2412000.25}},
				{{432120, 2412020}, {432120, 2412040}, {432140, 2412040}, {432140, 2412020}, {432120, 2412020}},
			}
			if !reflect.DeepEqual(f.Geometry, want) {
				t.Errorf("got %v\nwant %v (both rings turned)", f.Geometry, want)
			}
		}},
		{"gdal-crs84.geojson", Options{}, crs.WGS84, 2, checkOriented},
		{"crs84-named.geojson", Options{}, crs.WGS84, 1, func(t *testing.T, c *Collection) {
			if f := c.Features[0]; f.ID != "2.5" || f.Geometry != (orb.Point{-180, 90}) {
				t.Errorf("got %+v", f)
			}
		}},
		{"crs-legacy-epsg.geojson", Options{}, crs.TM3LangSon, 1, nil},
		{"feature.geojson", Options{}, crs.UTM48N, 1, func(t *testing.T, c *Collection) {
			f := c.Features[0]
			if v, _ := f.Number("dienTich"); f.ID != "17" || v != 1234.5 {
				t.Errorf("got %+v", f)
			}
			checkOriented(t, c)
		}},
		{"geometry.geojson", Options{RequireGeometry: true}, crs.WGS84, 1, func(t *testing.T, c *Collection) {
			f := c.Features[0]
			if mp, ok := f.Geometry.(orb.MultiPolygon); !ok || len(mp) != 2 || f.ID != "" || f.Properties == nil || len(f.Properties) != 0 {
				t.Errorf("got %+v", f)
			}
			checkOriented(t, c)
		}},
		{"holes-orientation.geojson", Options{}, crs.WGS84, 2, func(t *testing.T, c *Collection) {
			checkOriented(t, c)
			want := orb.Ring{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}
			if got := c.Features[0].Geometry.(orb.Polygon)[0]; !reflect.DeepEqual(got, want) {
				t.Errorf("exterior: got %v, want %v", got, want)
			}
		}},
		{"empty-geometries.geojson", Options{}, crs.WGS84, 4, func(t *testing.T, c *Collection) {
			for i, f := range c.Features {
				if f.Geometry != nil || f.Properties == nil {
					t.Errorf("feature %d: got %#v, want nil geometry and non-nil properties", i, f)
				}
			}
		}},
		{"all-geometries.geojson", Options{RequireGeometry: true}, crs.WGS84, 8, func(t *testing.T, c *Collection) {
			var types []string
			for _, f := range c.Features {
				types = append(types, f.Geometry.GeoJSONType())
			}
			want := []string{"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection", "Point"}
			if !slices.Equal(types, want) {
				t.Errorf("got types %v, want %v", types, want)
			}
			f := c.Features[0]
			if f.Geometry != (orb.Point{106.761234567891, 21.851234567891}) {
				t.Errorf("point: got %v (z dropped)", f.Geometry)
			}
			if s := f.String("s"); s != "Đất ở \"đô thị\"\n\t\\ é 🌳 \u2028" {
				t.Errorf("escapes: got %q", s)
			}
			if c.Features[7].ID != "42" || c.Features[7].String("key") != "escaped key" {
				t.Errorf("got %+v", c.Features[7])
			}
			nested := c.Features[1].Properties["nested"]
			wantNested := map[string]any{"a": map[string]any{}, "b": []any{1.0, "two", map[string]any{"c": nil, "a": []any{}}}}
			if !reflect.DeepEqual(nested, wantNested) {
				t.Errorf("nested: got %#v", nested)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			c := mustRead(t, filepath.Join("testdata/valid", tt.file), tt.opt)
			if c.CRS != tt.crs || len(c.Features) != tt.n {
				t.Fatalf("got CRS %v and %d features, want %v and %d", c.CRS, len(c.Features), tt.crs, tt.n)
			}
			if tt.check != nil {
				tt.check(t, c)
			}
		})
	}
}

// TestRoundTrip reads every valid file, writes it and reads it again: the
// features must be equal and so must their canonical bytes.
func TestRoundTrip(t *testing.T) {
	files, _ := filepath.Glob("testdata/valid/*.geojson")
	files = append(files, "../../testdata/real/kenton-landuse.geojson")
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			c1 := mustRead(t, path, Options{})
			var out1 bytes.Buffer
			if err := Write(&out1, c1); err != nil {
				t.Fatal(err)
			}
			if !json.Valid(out1.Bytes()) {
				t.Fatalf("Write gave invalid JSON:\n%s", out1.Bytes())
			}
			c2, err := Read(bytes.NewReader(out1.Bytes()), Options{})
			if err != nil {
				t.Fatalf("re-read: %v\n%s", err, out1.Bytes())
			}
			if c2.CRS != c1.CRS {
				t.Errorf("CRS: got %v, want %v", c2.CRS, c1.CRS)
			}
			if !reflect.DeepEqual(c1.Features, c2.Features) {
				t.Errorf("features differ after a round trip")
			}
			geographic := c1.CRS.Geographic()
			for i := range c1.Features {
				a, b := Canonical(c1.Features[i], geographic), Canonical(c2.Features[i], geographic)
				if !bytes.Equal(a, b) {
					t.Errorf("feature %d canonical:\ngot  %s\nwant %s", i, b, a)
				}
			}
			var out2 bytes.Buffer
			if err := Write(&out2, c2); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out1.Bytes(), out2.Bytes()) {
				t.Errorf("second Write differs from the first")
			}
		})
	}
}

// TestReadReal reads the Kenton land-use layer and checks it against a
// plain encoding/json decoding of the same file.
func TestReadReal(t *testing.T) {
	const path = "../../testdata/real/kenton-landuse.geojson"
	c := mustRead(t, path, Options{RequireGeometry: true})
	if c.CRS != crs.WGS84 || len(c.Features) != 220 {
		t.Fatalf("got CRS %v and %d features, want EPSG:4326 and 220", c.CRS, len(c.Features))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Features []struct {
			ID         json.Number
			Properties map[string]any
			Geometry   struct {
				Type        string
				Coordinates json.RawMessage
			}
		}
	}
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for i, f := range c.Features {
		r := ref.Features[i]
		kinds[f.Geometry.GeoJSONType()]++
		if f.ID != r.ID.String() {
			t.Errorf("feature %d: id %q, want %q", i, f.ID, r.ID)
		}
		if !reflect.DeepEqual(f.Properties, r.Properties) {
			t.Errorf("feature %d: properties %v, want %v", i, f.Properties, r.Properties)
		}
		var want orb.Geometry
		switch r.Geometry.Type {
		case "Polygon":
			var p orb.Polygon
			err = json.Unmarshal(r.Geometry.Coordinates, &p)
			want = p
		case "MultiPolygon":
			var mp orb.MultiPolygon
			err = json.Unmarshal(r.Geometry.Coordinates, &mp)
			want = mp
		}
		if err != nil {
			t.Fatal(err)
		}
		Orient(want)
		if !reflect.DeepEqual(f.Geometry, want) {
			t.Errorf("feature %d: geometry differs from encoding/json's", i)
		}
		if f.String("DESCRIPTIO") == "" {
			t.Errorf("feature %d: no DESCRIPTIO", i)
		}
	}
	if kinds["Polygon"] != 211 || kinds["MultiPolygon"] != 9 {
		t.Errorf("got %v, want 211 Polygon and 9 MultiPolygon", kinds)
	}
}

// TestAllProblems checks that one read reports every problem with its
// feature and path, in file order.
func TestAllProblems(t *testing.T) {
	src := `{"type": "FeatureCollection", "features": [
{"type": "Feature", "id": 1, "geometry": {"type": "Point", "coordinates": [106.7, 21.8]}, "properties": {}},
{"type": "Feature", "id": 2, "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}, "properties": 5},
{"type": "Feature", "id": 1, "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, "1"], [2]]}},
{"type": "Feature", "geometry": {"type": "Point", "coordinates": [200, 0]}}
], "crs": {"type": "name", "properties": {"name": "CRS84"}}}`
	_, err := Read(strings.NewReader(src), Options{})
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want *Error", err)
	}
	want := []Problem{
		{1, "features[1].geometry.coordinates[0]", "ring not closed"},
		{1, "features[1].properties", "properties is a number, want an object or null"},
		{2, "features[2].geometry.coordinates[1][1]", "coordinate is a string, want a number"},
		{2, "features[2].geometry.coordinates[2]", "position has 1 number, want 2 or 3"},
		{2, "features[2].id", `duplicate id "1" (also feature 0)`},
		{3, "features[3].geometry.coordinates", "position (200, 0) is outside longitude/latitude range"},
	}
	if !reflect.DeepEqual(e.Problems, want) {
		t.Errorf("got\n%v\nwant\n%v", e, &Error{want})
	}
	if got := e.Problems[0].String(); got != "feature 1: ring not closed (features[1].geometry.coordinates[0])" {
		t.Errorf("got %q", got)
	}
}

func TestSyntaxPosition(t *testing.T) {
	tests := []struct{ src, want string }{
		{"{\n  \"type\": \"Feature\",\n  \"ten\": \"Đất\" x\n}", "line 3, column 16: invalid character 'x' after object key:value pair"},
		{`{"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2,]}}`, "feature 0: line 1, column 72: invalid character ']' looking for beginning of value (geometry.coordinates[2])"},
		{`{"type": "Point", "coordinates": [1, 2]`, "line 1, column 40: unexpected end of JSON input"},
		{`{"type": "Point" "coordinates": [1, 2]}`, "line 1, column 18: invalid character '\"' after object key:value pair"},
		{`{"type": "Point", "coordinates": [01, 2]}`, "invalid character '1' after array element"},
		{`{"type": "Point", "coordinates": [1., 2]}`, "invalid character ',' after decimal point in numeric literal"},
		{`{"type": nul}`, "invalid character '}' in literal null (expecting 'l')"},
		{"{\"type\": \"Point\", \"coordinates\": [1, 2]}\x00", "invalid character '\\x00' after top-level value"},
		{`{"a": "\ud83c\udf3", "type": "Point"}`, `invalid character '"' in \u hexadecimal character escape`},
	}
	for _, tt := range tests {
		_, err := Read(strings.NewReader(tt.src), Options{})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s:\ngot  %v\nwant %s", tt.src, err, tt.want)
		}
	}
}

func TestIDs(t *testing.T) {
	tests := []struct{ id, want string }{
		{`17`, "17"}, {`-3`, "-3"}, {`17.0`, "17"}, {`2.50`, "2.5"}, {`1e2`, "100"}, {`-0`, "0"},
		{`12345678901234567890`, "12345678901234567890"}, {`"lô 17"`, "lô 17"}, {`""`, ""},
	}
	for _, tt := range tests {
		f, err := ParseFeature([]byte(`{"type": "Feature", "id": ` + tt.id + `, "geometry": null, "properties": null}`))
		if err != nil || f.ID != tt.want {
			t.Errorf("id %s: got %q, %v, want %q", tt.id, f.ID, err, tt.want)
		}
	}
}

func TestStrings(t *testing.T) {
	tests := []struct{ json, want string }{
		{`"plain"`, "plain"},
		{`"\u0110\u1ea5t \ud83c\udf33"`, "Đất 🌳"},
		{`"lone \ud83c surrogate"`, "lone \ufffd surrogate"},
		{`"\ud83c\u0041"`, "\ufffdA"},
		{`"\"\\\/\b\f\n\r\t"`, "\"\\/\b\f\n\r\t"},
	}
	for _, tt := range tests {
		f, err := ParseFeature([]byte(`{"type": "Feature", "geometry": null, "properties": {"s": ` + tt.json + `}}`))
		if err != nil || f.String("s") != tt.want {
			t.Errorf("%s: got %q, %v, want %q", tt.json, f.String("s"), err, tt.want)
		}
	}
}

func TestOptionsCRS(t *testing.T) {
	src := `{"type": "Feature", "geometry": {"type": "Point", "coordinates": [432100.5, 2412000.25]}, "properties": {}}`
	if _, err := Read(strings.NewReader(src), Options{}); err == nil {
		t.Errorf("projected coordinates read as WGS84: no error")
	}
	c, err := Read(strings.NewReader(src), Options{CRS: crs.TM3LangSon})
	if err != nil || c.CRS != crs.TM3LangSon {
		t.Fatalf("got %v, %v, want EPSG:9215", c, err)
	}
	withMember := `{"type": "Feature", "crs": {"type": "name", "properties": {"name": "EPSG:3405"}}, "geometry": null, "properties": {}}`
	c, err = Read(strings.NewReader(withMember), Options{CRS: crs.TM3LangSon})
	if err != nil || c.CRS != crs.UTM48N {
		t.Fatalf("got %v, %v, want the member's EPSG:3405", c, err)
	}
}

func TestParseFeature(t *testing.T) {
	c := mustRead(t, "testdata/valid/all-geometries.geojson", Options{})
	for _, f := range c.Features {
		body := Canonical(f, true)
		g, err := ParseFeature(body)
		if err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		if got := Canonical(g, true); !bytes.Equal(got, body) {
			t.Errorf("got  %s\nwant %s", got, body)
		}
	}
	if _, err := ParseFeature([]byte(`{"type": "FeatureCollection", "features": []}`)); err == nil ||
		!strings.Contains(err.Error(), "want a single Feature") {
		t.Errorf("collection: got %v", err)
	}
	if _, err := ParseFeature([]byte(`{"type": "Feature", "geometry": null, "properties": {}} x`)); err == nil {
		t.Errorf("trailing data: no error")
	}
}

func TestReadLimits(t *testing.T) {
	src := `{"type": "Point", "coordinates": [1, 2]}`
	for _, r := range []io.Reader{
		strings.NewReader(src),                       // length known up front
		io.MultiReader(strings.NewReader(src)),       // unknown length
		iotest.OneByteReader(strings.NewReader(src)), // slow
	} {
		_, err := Read(r, Options{MaxBytes: int64(len(src) - 1)})
		if err == nil || !strings.Contains(err.Error(), "larger than 39 bytes") {
			t.Errorf("%T: got %v", r, err)
		}
	}
	if _, err := Read(io.MultiReader(strings.NewReader(src)), Options{MaxBytes: int64(len(src))}); err != nil {
		t.Errorf("exactly MaxBytes: %v", err)
	}
	f, err := os.Open("testdata/valid/bom.geojson")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := Read(f, Options{MaxBytes: 10}); err == nil || !strings.Contains(err.Error(), "Options.MaxBytes") {
		t.Errorf("file: got %v", err)
	}
}

func TestReadIOError(t *testing.T) {
	boom := errors.New("disk on fire")
	_, err := Read(iotest.ErrReader(boom), Options{})
	var e *Error
	if !errors.Is(err, boom) || errors.As(err, &e) {
		t.Errorf("got %v, want the reader's error, not *Error", err)
	}
}

func TestErrorFormat(t *testing.T) {
	var e Error
	for i := range 25 {
		e.Problems = append(e.Problems, Problem{Feature: i, Path: "features[" + string(rune('0'+i%10)) + "]", Msg: "bad"})
	}
	lines := strings.Split(e.Error(), "\n")
	if len(lines) != 22 || lines[20] != "... and 4 more problems" || lines[0] != "feature 0: bad (features[0])" ||
		lines[21] != "feature 24: bad (features[4])" {
		t.Errorf("got %q", lines)
	}
	file := Problem{Feature: -1, Msg: "line 1, column 1: unexpected end of JSON input"}
	if file.String() != "line 1, column 1: unexpected end of JSON input" {
		t.Errorf("got %q", file.String())
	}
}

// TestNoAliasing checks that position lists cut from the shared slab cannot
// overwrite each other when a caller appends to one.
func TestNoAliasing(t *testing.T) {
	c := mustRead(t, "testdata/valid/all-geometries.geojson", Options{})
	ls := c.Features[2].Geometry.(orb.LineString)
	before := Canonical(c.Features[3], true)
	_ = append(ls, orb.Point{0, 0})
	if after := Canonical(c.Features[3], true); !bytes.Equal(before, after) {
		t.Errorf("appending to one line changed the next feature")
	}
}

// TestOrientIdempotent checks that turning a ring twice gives the same ring,
// even when its area is tiny.
func TestOrientIdempotent(t *testing.T) {
	rings := []orb.Ring{
		{{0, 0}, {1e-300, 0}, {1e-300, 1e-300}, {0, 0}},
		{{106.70000000000001, 21.8}, {106.7, 21.800000000000001}, {106.70000000000002, 21.800000000000004}, {106.70000000000001, 21.8}},
		{{432100.5, 2412000.25}, {432100.5, 2412100.25}, {432200.5, 2412100.25}, {432100.5, 2412000.25}},
	}
	for _, r := range rings {
		a := signedArea(r)
		rev := slices.Clone(r)
		rev.Reverse()
		if b := signedArea(rev); b != -a {
			t.Errorf("%v: area %g, reversed %g, want exactly negated", r, a, b)
		}
	}
}

// TestConcurrent decodes bodies from several goroutines, as the store does
// when it opens a version; run with -race.
func TestConcurrent(t *testing.T) {
	c := mustRead(t, "../../testdata/real/kenton-landuse.geojson", Options{})
	bodies := make([][]byte, len(c.Features))
	for i, f := range c.Features {
		bodies[i] = Canonical(f, true)
	}
	errs := make(chan error, 4)
	for w := range 4 {
		go func() {
			var buf []byte
			for i := w; i < len(bodies); i += 4 {
				f, err := ParseFeature(bodies[i])
				if err != nil {
					errs <- err
					return
				}
				if buf = AppendCanonical(buf[:0], f, true); !bytes.Equal(buf, bodies[i]) {
					errs <- errors.New("body " + f.ID + " changed")
					return
				}
			}
			errs <- nil
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestLongTextIsRefused: a property of 50 MB is a problem, named, not a
// value to carry through every copy of an import.
func TestLongTextIsRefused(t *testing.T) {
	big := strings.Repeat("x", 2<<20)
	_, err := Read(strings.NewReader(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"ghiChu":"`+big+`"},"geometry":null}]}`), Options{})
	if err == nil || !strings.Contains(err.Error(), "features[0].properties.ghiChu") || !strings.Contains(err.Error(), "a text of 2 MiB is longer than 1 MiB") {
		t.Fatalf("got %v", err)
	}
	if _, err := ParseFeature([]byte(`{"type":"Feature","properties":{"ghiChu":"` + big + `"},"geometry":null}`)); err != nil {
		t.Fatalf("a stored body: %v", err)
	}
}

// TestFeatureSizeLimit: each feature is limited, not the file: many small
// features read whatever their total, one feature over MaxFeatureBytes is
// refused naming it, from a stream as from memory.
func TestFeatureSizeLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"type":"FeatureCollection","features":[`)
	for i := range 200 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"type":"Feature","properties":{"n":%d},"geometry":{"type":"Point","coordinates":[106.7,21.9]}}`, i)
	}
	small := b.String() + "]}"
	opt := Options{MaxFeatureBytes: 200}
	if c, err := Read(io.MultiReader(strings.NewReader(small)), opt); err != nil || len(c.Features) != 200 {
		t.Fatalf("%d bytes of small features: %v", len(small), err)
	}
	big := b.String() + `,{"type":"Feature","properties":{"note":"` + strings.Repeat("x", 300) + `"},"geometry":null}]}`
	for name, r := range map[string]io.Reader{"stream": io.MultiReader(strings.NewReader(big)), "memory": strings.NewReader(big)} {
		_, err := Read(r, opt)
		if err == nil || !strings.Contains(err.Error(), "MaxFeatureBytes") || !strings.Contains(err.Error(), "feature 200") {
			t.Errorf("%s: a feature over the limit: %v", name, err)
		}
	}
}

func TestParseProperties(t *testing.T) {
	f := gis.Feature{ID: "", Geometry: orb.Polygon{{{106.7, 21.9}, {106.71, 21.9}, {106.71, 21.91}, {106.7, 21.9}}},
		Properties: map[string]any{"maDoiTuong": "CN-03", "matDoXayDung": 40.5, "ghiChu": "đất \"công\" nghiệp"}}
	text := AppendCanonical(nil, f, true)
	got, err := ParseProperties(text)
	if err != nil || got.Geometry != nil || !reflect.DeepEqual(got.Properties, f.Properties) {
		t.Fatalf("%v %v %v", got.Geometry, got.Properties, err)
	}
	whole, _ := ParseFeature(text)
	if !reflect.DeepEqual(whole.Properties, got.Properties) {
		t.Error("properties differ from ParseFeature's")
	}
}
