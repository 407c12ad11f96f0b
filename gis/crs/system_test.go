package crs

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

func readWKT(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "wkt", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestFromWKT(t *testing.T) {
	for _, c := range []struct {
		file string
		code Code
		name string
		note bool
	}{
		{"vn2000-tm3-107-15.esri.prj", TM3LangSon, "VN-2000 / TM-3 107-15", false},
		{"vn2000-tm3-107-15.ogc.prj", TM3LangSon, "VN-2000 / TM-3 107-15", false},
		{"vn2000-tm3-107-15.wkt2", TM3LangSon, "VN-2000 / TM-3 107-15", false},
		{"mapinfo-tm3-107-15.wkt2", TM3LangSon, "VN-2000 / TM-3 107-15", true},
		{"vn2000-utm48n.esri.prj", UTM48N, "VN-2000 / UTM zone 48N", false},
		{"wgs84-utm48n.esri.prj", 32648, "WGS 84 / UTM zone 48N", false},
		{"vn2000.esri.prj", 4756, "VN-2000", false},
		{"wgs84.wkt2", WGS84, "WGS 84", false},
		{"vn2000-tm3-106-50.esri.prj", 0, "VN-2000 / TM-3 106-50", false},
		{"vn2000-tm3-106-50.towgs84.prj", 0, "VN-2000 / TM-3 106-50", false},
	} {
		sys, note, err := FromWKT(readWKT(t, c.file))
		if err != nil {
			t.Errorf("%s: %v", c.file, err)
			continue
		}
		if sys.Code != c.code || sys.Name != c.name || (note != "") != c.note {
			t.Errorf("%s: got %v %q note %q, want %v %q", c.file, sys.Code, sys.Name, note, c.code, c.name)
		}
	}
}

func TestFromWKTRefusesWithWhatItFound(t *testing.T) {
	for file, want := range map[string]string{
		"indian1960-utm48n.esri.prj": "Everest_Adjustment_1937",
		"hanoi1972.prj":              "Krassowsky 1940",
		"web-mercator.esri.prj":      "Mercator_Auxiliary_Sphere",
	} {
		_, _, err := FromWKT(readWKT(t, file))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want an error naming %s", file, err, want)
		}
	}
	for _, bad := range []string{"", "PROJCS[", `GEOGCS["x",DATUM["y"`, strings.Repeat("PROJCS[", 100), `LOCAL_CS["drawing"]`,
		`PROJCS["x",GEOGCS["g",DATUM["D_Vietnam_2000",SPHEROID["WGS_1984",6378137,298.257223563]],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["Central_Meridian",107.25],UNIT["Foot_US",0.3048006096]]`} {
		if _, _, err := FromWKT(bad); err == nil {
			t.Errorf("%.40q: no error", bad)
		}
	}
}

// TestBetweenAgreesWithNew: for the program's own codes Between and New
// are the same transformation.
func TestBetweenAgreesWithNew(t *testing.T) {
	for _, pair := range [][2]Code{{WGS84, TM3LangSon}, {TM3LangSon, WGS84}, {UTM48N, TM3LangSon}, {WGS84, UTM48N}} {
		a, _ := Lookup(pair[0])
		b, _ := Lookup(pair[1])
		between, err := Between(a, b)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range inputsFor(t, pair[0], randomPoints(rand.New(rand.NewPCG(3, 4)), 200)) {
			got, want := between(p), mustNew(t, pair[0], pair[1])(p)
			if groundError(pair[1], got, want) > 1e-6 {
				t.Fatalf("%v → %v: %v gives %v, New gives %v", pair[0], pair[1], p, got, want)
			}
		}
	}
}

// TestBetweenAgainstPROJ checks the systems files bring — other TM-3
// meridians (one EPSG does not list), UTM on both datums, geographic
// VN-2000 — against cs2cs.
func TestBetweenAgainstPROJ(t *testing.T) {
	needCS2CS(t)
	custom, _, err := FromWKT(readWKT(t, "vn2000-tm3-106-50.esri.prj"))
	if err != nil {
		t.Fatal(err)
	}
	const shift = "+towgs84=-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278"
	for _, c := range []struct {
		sys  System
		proj string
	}{
		{custom, "+proj=tmerc +lat_0=0 +lon_0=106.8333333333333 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 " + shift + " +units=m +no_defs +type=crs"},
		{mustLookup(t, 9216), "EPSG:9216"},
		{mustLookup(t, 5899), "EPSG:5899"},
		{mustLookup(t, 32648), "EPSG:32648"},
		{mustLookup(t, 3406), "EPSG:3406"},
		{mustLookup(t, 4756), "EPSG:4756"},
	} {
		wgs, _ := Lookup(WGS84)
		in := randomPoints(rand.New(rand.NewPCG(5, 6)), 50)
		fwd, err := Between(wgs, c.sys)
		if err != nil {
			t.Fatal(err)
		}
		want := cs2csProj(t, "EPSG:4326", c.proj, in, true, c.sys.Geographic())
		for i, p := range in {
			got := fwd(p)
			var e float64
			if c.sys.Geographic() {
				e = groundError(WGS84, got, want[i])
			} else {
				e = math.Hypot(got[0]-want[i][0], got[1]-want[i][1])
			}
			if e > tolerance {
				t.Fatalf("%s: %v gives %v, PROJ %v (%.3f mm)", c.sys, p, got, want[i], e*1000)
			}
		}
	}
}

func mustLookup(t *testing.T, c Code) System {
	t.Helper()
	s, ok := Lookup(c)
	if !ok {
		t.Fatalf("%v not listed", c)
	}
	return s
}

// cs2csProj runs cs2cs between two PROJ definitions; geographic ends are
// given and returned as lon, lat.
func cs2csProj(t *testing.T, from, to string, in []orb.Point, fromGeo, toGeo bool) []orb.Point {
	t.Helper()
	var lines []string
	for _, p := range in {
		if fromGeo {
			p[0], p[1] = p[1], p[0]
		}
		lines = append(lines, fmt.Sprintf("%.12f %.12f", p[0], p[1]))
	}
	out := runCS2CS(t, []string{"-f", "%.12f", from, "+to", to}, strings.Join(lines, "\n")+"\n")
	if len(out) != len(in) {
		t.Fatalf("cs2cs: %d lines out for %d in", len(out), len(in))
	}
	if toGeo {
		for i := range out {
			out[i][0], out[i][1] = out[i][1], out[i][0]
		}
	}
	return out
}

func TestParseSystem(t *testing.T) {
	for in, want := range map[string]string{
		"EPSG:9215": "VN-2000 / TM-3 107-15", "9216": "VN-2000 / TM-3 107-30", "EPSG:32648": "WGS 84 / UTM zone 48N",
		"TM-3 106-50": "VN-2000 / TM-3 106-50", "tm3:107.25": "VN-2000 / TM-3 107-15", "VN-2000 TM-3 107-45": "VN-2000 / TM-3 107-45",
		"VN-2000 / TM-3 106-50": "VN-2000 / TM-3 106-50",
	} {
		s, err := ParseSystem(in)
		if err != nil || s.Name != want {
			t.Errorf("ParseSystem(%q) = %v, %v; want %s", in, s, err, want)
		}
	}
	for _, bad := range []string{"EPSG:3857", "TM-3 200", "TM-3 107-75", "hello", ""} {
		if _, err := ParseSystem(bad); err == nil {
			t.Errorf("ParseSystem(%q): no error", bad)
		}
	}
	if s, _ := ParseSystem("TM-3 107-15"); s.Code != TM3LangSon {
		t.Errorf("TM-3 107-15 is %v, want EPSG:9215", s.Code)
	}
}

func needCS2CS(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("cs2cs"); err != nil {
		t.Skip("cs2cs (proj-bin) not installed")
	}
}

// runCS2CS runs cs2cs with args on the input lines and parses "x y" lines.
func runCS2CS(t *testing.T, args []string, stdin string) []orb.Point {
	t.Helper()
	cmd := exec.Command("cs2cs", args...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("cs2cs %v: %v", args, err)
	}
	var ps []orb.Point
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var a, b float64
		if _, err := fmt.Sscan(l, &a, &b); err != nil {
			t.Fatalf("cs2cs: bad line %q", l)
		}
		ps = append(ps, orb.Point{a, b})
	}
	return ps
}
