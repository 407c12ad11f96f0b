package geojson

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/crs"
)

// allGeometries holds every orb geometry type, as orb's own tests do.
var allGeometries = []orb.Geometry{
	nil,
	orb.Point{106.7, 21.8},
	orb.MultiPoint{{106.7, 21.8}, {106.8, 21.9}},
	orb.LineString{{106.7, 21.8}, {106.8, 21.9}},
	orb.MultiLineString{{{106.7, 21.8}, {106.8, 21.9}}, {{106.9, 21.7}, {106.95, 21.75}}},
	orb.Ring{{106.7, 21.8}, {106.8, 21.8}, {106.8, 21.9}, {106.7, 21.8}},
	orb.Polygon{
		{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}},
		{{2, 2}, {2, 4}, {4, 4}, {4, 2}, {2, 2}},
	},
	orb.MultiPolygon{
		{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}},
		{{{2, 2}, {3, 2}, {3, 3}, {2, 2}}},
	},
	orb.Bound{Min: orb.Point{106.7, 21.8}, Max: orb.Point{106.8, 21.9}},
	orb.Collection{orb.Point{1, 2}, orb.LineString{{1, 2}, {3, 4}}, orb.Collection{orb.Point{5, 6}}},
}

func TestCanonicalEveryGeometry(t *testing.T) {
	for _, g := range allGeometries {
		f := gis.Feature{ID: "x", Geometry: g, Properties: map[string]any{"a": 1.0}}
		body := Canonical(f, true)
		if !json.Valid(body) {
			t.Fatalf("%T: invalid JSON %s", g, body)
		}
		back, err := ParseFeature(body)
		if err != nil {
			t.Fatalf("%T: %s: %v", g, body, err)
		}
		if again := Canonical(back, true); !bytes.Equal(again, body) {
			t.Errorf("%T:\ngot  %s\nwant %s", g, again, body)
		}
	}
}

func TestCanonical(t *testing.T) {
	tests := []struct {
		name       string
		f          gis.Feature
		geographic bool
		want       string
	}{
		{"member order, sorted keys", gis.Feature{ID: "lo-17", Geometry: orb.Point{106.7, 21.8},
			Properties: map[string]any{"z": 1.0, "a": map[string]any{"y": true, "b": []any{nil, "x", map[string]any{"d": 1.0, "c": 2.0}}}}}, true,
			`{"type":"Feature","id":"lo-17","geometry":{"type":"Point","coordinates":[106.7,21.8]},"properties":{"a":{"b":[null,"x",{"c":2,"d":1}],"y":true},"z":1}}`},
		{"no id, no geometry, nil properties", gis.Feature{}, true,
			`{"type":"Feature","geometry":null,"properties":{}}`},
		{"empty geometry is null", gis.Feature{Geometry: orb.MultiPolygon{}, Properties: map[string]any{}}, true,
			`{"type":"Feature","geometry":null,"properties":{}}`},
		{"9 decimals geographic", gis.Feature{Geometry: orb.Point{106.12345678949, -21.0000000004}}, true,
			`{"type":"Feature","geometry":{"type":"Point","coordinates":[106.123456789,-21]},"properties":{}}`},
		{"no exponent, no -0", gis.Feature{Geometry: orb.Point{1e-7, -1e-12}}, true,
			`{"type":"Feature","geometry":{"type":"Point","coordinates":[0.0000001,0]},"properties":{}}`},
		{"4 decimals projected", gis.Feature{Geometry: orb.Point{432100.123449, 2412000.00005}}, false,
			`{"type":"Feature","geometry":{"type":"Point","coordinates":[432100.1234,2412000.0001]},"properties":{}}`},
		{"big projected values", gis.Feature{Geometry: orb.Point{1e20, -3e15}}, false,
			`{"type":"Feature","geometry":{"type":"Point","coordinates":[100000000000000000000,-3000000000000000]},"properties":{}}`},
		{"property numbers", gis.Feature{Properties: map[string]any{"i": 17, "f": 17.0, "n": json.Number("17.00"), "u": uint8(3),
			"tiny": 1e-9, "huge": 1e21, "neg0": math.Copysign(0, -1), "f32": float32(0.1), "p": 0.1}}, true,
			`{"type":"Feature","geometry":null,"properties":{"f":17,"f32":0.1,"huge":1e+21,"i":17,"n":17,"neg0":0,"p":0.1,"tiny":1e-9,"u":3}}`},
		{"strings", gis.Feature{ID: "a\"b", Properties: map[string]any{"s": "Đất <ở> & \x01\n\u2028\xff"}}, true,
			`{"type":"Feature","id":"a\"b","geometry":null,"properties":{"s":"Đất <ở> & \u0001\n\u2028\ufffd"}}`},
		{"other types through encoding/json", gis.Feature{Properties: map[string]any{"m": map[string]string{"b": "1", "a": "2"}, "l": []string{"x"}}}, true,
			`{"type":"Feature","geometry":null,"properties":{"l":["x"],"m":{"a":"2","b":"1"}}}`},
		{"NaN is null", gis.Feature{Geometry: orb.Point{math.NaN(), 1}, Properties: map[string]any{"x": math.Inf(1)}}, true,
			`{"type":"Feature","geometry":{"type":"Point","coordinates":[null,1]},"properties":{"x":null}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(Canonical(tt.f, tt.geographic)); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestCanonicalEqual checks that features equal up to the rounding give
// equal bytes, whatever order their maps were built in.
func TestCanonicalEqual(t *testing.T) {
	a := gis.Feature{ID: "1", Geometry: orb.Point{106.1234567891, 21.0000000001}, Properties: map[string]any{}}
	b := gis.Feature{ID: "1", Geometry: orb.Point{106.12345678914, 20.99999999996}, Properties: map[string]any{}}
	for i := range 50 {
		a.Properties[strconv.Itoa(i)] = float64(i)
	}
	for i := 49; i >= 0; i-- {
		b.Properties[strconv.Itoa(i)] = i // an int writes as the equal float64
	}
	ca, cb := Canonical(a, true), Canonical(b, true)
	if !bytes.Equal(ca, cb) {
		t.Errorf("got\n%s\n%s", ca, cb)
	}
	if c := Canonical(gis.Feature{ID: "1", Geometry: a.Geometry}, true); bytes.Equal(c, ca) {
		t.Errorf("different properties gave equal bytes")
	}
}

func TestAppendCanonicalAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop items: allocations are not counted")
	}
	c := mustRead(t, "../../testdata/real/kenton-landuse.geojson", Options{})
	buf := make([]byte, 0, 1<<20)
	Canonical(c.Features[0], true) // warm the key pool
	allocs := testing.AllocsPerRun(20, func() {
		for _, f := range c.Features {
			buf = AppendCanonical(buf[:0], f, true)
		}
	})
	if allocs != 0 {
		t.Errorf("got %v allocations per run, want 0", allocs)
	}
}

func TestWrite(t *testing.T) {
	f := gis.Feature{ID: "7", Geometry: orb.Point{432100.5, 2412000.25}, Properties: map[string]any{"b": 1.0, "a": "x"}}
	tests := []struct {
		name string
		c    *Collection
		want string
	}{
		{"nil", nil, "{\"type\":\"FeatureCollection\",\n\"features\":[\n]}\n"},
		{"wgs84", &Collection{CRS: crs.WGS84, Features: []gis.Feature{{}, {ID: "2"}}},
			"{\"type\":\"FeatureCollection\",\n\"features\":[\n" +
				`{"type":"Feature","geometry":null,"properties":{}},` + "\n" +
				`{"type":"Feature","id":"2","geometry":null,"properties":{}}` + "\n]}\n"},
		{"zero CRS is WGS84", &Collection{}, "{\"type\":\"FeatureCollection\",\n\"features\":[\n]}\n"},
		{"projected", &Collection{CRS: crs.TM3LangSon, Features: []gis.Feature{f}},
			`{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::9215"}},` + "\n\"features\":[\n" +
				`{"type":"Feature","id":"7","geometry":{"type":"Point","coordinates":[432100.5,2412000.25]},"properties":{"a":"x","b":1}}` + "\n]}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Write(&b, tt.c); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.want {
				t.Errorf("got\n%s\nwant\n%s", b.String(), tt.want)
			}
		})
	}
}

func TestWriteErrors(t *testing.T) {
	bad := &Collection{Features: []gis.Feature{{}, {Geometry: orb.LineString{{0, 0}, {math.Inf(-1), 1}}}}}
	if err := Write(new(bytes.Buffer), bad); err == nil || !strings.Contains(err.Error(), "feature 1: number is NaN or infinite") {
		t.Errorf("infinite coordinate: got %v", err)
	}
	cyclic := map[string]any{}
	cyclic["self"] = cyclic
	if err := Write(new(bytes.Buffer), &Collection{Features: []gis.Feature{{Properties: cyclic}}}); err == nil {
		t.Errorf("cyclic properties: no error")
	}
	boom := errors.New("disk full")
	if err := Write(failWriter{boom}, &Collection{}); !errors.Is(err, boom) {
		t.Errorf("failing writer: got %v", err)
	}
}

type failWriter struct{ err error }

func (w failWriter) Write([]byte) (int, error) { return 0, w.err }

// TestWriteOgrinfo has GDAL read what Write wrote.
func TestWriteOgrinfo(t *testing.T) {
	ogrinfo, err := exec.LookPath("ogrinfo")
	if err != nil {
		t.Skip("ogrinfo (GDAL) not installed")
	}
	for _, src := range []string{"../../testdata/real/kenton-landuse.geojson", "testdata/valid/gdal-9215.geojson"} {
		c := mustRead(t, src, Options{})
		path := filepath.Join(t.TempDir(), "out.geojson")
		out, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := Write(out, c); err != nil {
			t.Fatal(err)
		}
		out.Close()
		info, err := exec.Command(ogrinfo, "-ro", "-al", "-so", path).CombinedOutput()
		if err != nil {
			t.Fatalf("ogrinfo: %v\n%s", err, info)
		}
		if m := regexp.MustCompile(`Feature Count: (\d+)`).FindSubmatch(info); m == nil || string(m[1]) != strconv.Itoa(len(c.Features)) {
			t.Errorf("%s: ogrinfo says\n%s\nwant %d features", src, info, len(c.Features))
		}
		if c.CRS == crs.TM3LangSon && !bytes.Contains(info, []byte(`ID["EPSG",9215]`)) {
			t.Errorf("%s: ogrinfo did not see EPSG:9215:\n%s", src, info)
		}
	}
}

// TestAppendFixed checks the fast coordinate formatting against
// strconv.AppendFloat of the rounded value, which it replaces.
func TestAppendFixed(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range 1_000_000 {
		var v float64
		switch i % 4 {
		case 0:
			v = rng.Float64()*360 - 180
		case 1:
			v = rng.Float64() * 3e6
		case 2:
			v = float64(rng.IntN(2000)-1000) / 8
		default:
			v = (rng.Float64() - 0.5) * math.Pow(10, float64(rng.IntN(14)))
		}
		for _, dec := range []int{4, 9} {
			scale := math.Pow(10, float64(dec))
			r := math.Round(v * scale)
			if math.Abs(r) >= 1e15 {
				continue
			}
			want := r / scale
			if want == 0 {
				want = 0
			}
			w := strconv.AppendFloat(nil, want, 'f', -1, 64)
			if got := appendFixed(nil, int64(r), dec); string(got) != string(w) {
				t.Fatalf("%v at %d decimals: got %s, want %s", v, dec, got, w)
			}
		}
	}
}

// TestStoredCoordIsWhatReadingGives: for coordinates anywhere and any
// digits, StoredCoord equals the value a canonical body reads back with.
func TestStoredCoordIsWhatReadingGives(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 2))
	for range 20000 {
		x, y := -180+360*rng.Float64(), -90+180*rng.Float64()
		if rng.IntN(4) == 0 {
			x, y = math.Round(x*1e6)/1e6, -math.Round(y*1e3)/1e3
		}
		text := AppendCanonical(nil, gis.Feature{Geometry: orb.Point{x, y}}, true)
		f, err := ParseFeature(text)
		if err != nil {
			t.Fatal(err)
		}
		p := f.Geometry.(orb.Point)
		if p[0] != StoredCoord(x) || p[1] != StoredCoord(y) {
			t.Fatalf("%v %v: read back %v, StoredCoord %v %v (%s)", x, y, p, StoredCoord(x), StoredCoord(y), text)
		}
	}
}
