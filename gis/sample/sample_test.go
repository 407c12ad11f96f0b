package sample_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"quyhoach/assets"
	"quyhoach/gis/landuse"
	"quyhoach/gis/sample"
)

var update = flag.Bool("update", false, "rewrite assets/sample from the generator")

const dir = "../../assets/sample"

// generated runs the generator once for all tests.
var generated = func() func(t *testing.T) map[string][]byte {
	var files map[string][]byte
	var err error
	done := false
	return func(t *testing.T) map[string][]byte {
		t.Helper()
		if !done {
			files, err = sample.Generate()
			done = true
		}
		if err != nil {
			t.Fatalf("Generate: %v", err)
		}
		return files
	}
}()

func TestSampleFilesUpToDate(t *testing.T) {
	files := generated(t)
	if *update {
		for name, data := range files {
			p := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	onDisk := map[string]bool{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if _, ok := files[rel]; !ok {
			if *update {
				return os.Remove(p)
			}
			t.Errorf("%s: stale file, not generated (run go test ./gis/sample -update)", rel)
		}
		onDisk[rel] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var total int
	for name, data := range files {
		total += len(data)
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			t.Errorf("%s: %v (run go test ./gis/sample -update)", name, err)
			continue
		}
		if !bytes.Equal(got, data) {
			t.Errorf("%s: differs from the generator's output (run go test ./gis/sample -update)", name)
		}
	}
	if total > 3<<20 {
		t.Errorf("sample files total %d bytes, want under 3 MB", total)
	}
	// The embedded copy is what the program installs.
	emb, err := assets.Samples.ReadFile("sample/" + sample.ManifestFile)
	if err == nil && !bytes.Equal(emb, files[sample.ManifestFile]) && !*update {
		t.Errorf("embedded plans.json differs from the generator's")
	}
}

func TestGenerateDeterministic(t *testing.T) {
	a := generated(t)
	b, err := sample.Generate()
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != len(b) {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	for name := range a {
		if !bytes.Equal(a[name], b[name]) {
			t.Errorf("%s differs between two runs", name)
		}
	}
}

// geojson is the subset of a GeoJSON file the tests read.
type geojson struct {
	Type string `json:"type"`
	Name string `json:"name"`
	CRS  struct {
		Type       string `json:"type"`
		Properties struct {
			Name string `json:"name"`
		} `json:"properties"`
	} `json:"crs"`
	Features []struct {
		Type       string         `json:"type"`
		ID         any            `json:"id"`
		Properties map[string]any `json:"properties"`
		Geometry   struct {
			Type        string          `json:"type"`
			Coordinates json.RawMessage `json:"coordinates"`
		} `json:"geometry"`
	} `json:"features"`
}

type pt [2]float64

type lot struct {
	id    string
	props map[string]any
	ring  []pt // closed
	raw   string
}

func readLayer(t *testing.T, files map[string][]byte, path, name string) *geojson {
	t.Helper()
	data, ok := files[path]
	if !ok {
		t.Fatalf("%s: not generated", path)
	}
	var g geojson
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if g.Type != "FeatureCollection" || g.Name != name {
		t.Errorf("%s: type %q name %q, want a FeatureCollection named %s", path, g.Type, g.Name, name)
	}
	if g.CRS.Type != "name" || g.CRS.Properties.Name != "urn:ogc:def:crs:EPSG::9215" {
		t.Errorf("%s: crs %+v, want the GDAL-style name urn:ogc:def:crs:EPSG::9215", path, g.CRS)
	}
	return &g
}

// lines returns the features of a file as written, one per line.
func featureLines(data []byte) map[string]string {
	out := map[string]string{}
	for _, l := range strings.Split(string(data), "\n") {
		l = strings.TrimSuffix(l, ",")
		if !strings.HasPrefix(l, `{"type":"Feature","id":`) {
			continue
		}
		var f struct{ ID string }
		if err := json.Unmarshal([]byte(l), &f); err == nil {
			out[f.ID] = l
		}
	}
	return out
}

var tt16 = map[string]string{ // property → kind
	"maThongTinQH": "string", "maHoSoQH": "string", "maDoiTuong": "string", "tenDoiTuong": "string",
	"phanLoai": "string", "ghiChu": "string", "giaiDoan": "string",
	"matDoXayDung": "number", "tangCaoMin": "number", "tangCaoMax": "number", "heSoSuDungDat": "number",
	"khoangLui": "number", "danSo": "number", "chiGioiDuongDo": "number", "parents": "array",
}

func checkProps(t *testing.T, where string, props map[string]any) {
	t.Helper()
	for _, k := range []string{"maThongTinQH", "maHoSoQH", "maDoiTuong", "tenDoiTuong", "phanLoai", "ghiChu"} {
		if _, ok := props[k].(string); !ok {
			t.Errorf("%s: TT16 field %s missing or not a string", where, k)
		}
	}
	if s, _ := props["maThongTinQH"].(string); len(s) != 12 || strings.Trim(s, "0123456789") != "" || !strings.HasPrefix(s, "20") {
		t.Errorf("%s: maThongTinQH %q, want 12 digits starting with 20 (Lạng Sơn)", where, s)
	}
	if s, _ := props["maHoSoQH"].(string); len(s) > 15 {
		t.Errorf("%s: maHoSoQH %q longer than 15", where, s)
	}
	for k, v := range props {
		kind, ok := tt16[k]
		if !ok {
			t.Errorf("%s: property %s is not in the TT16 list", where, k)
			continue
		}
		switch kind {
		case "string":
			_, ok = v.(string)
		case "number":
			_, ok = v.(float64)
		case "array":
			_, ok = v.([]any)
		}
		if !ok {
			t.Errorf("%s: property %s = %v, want a %s", where, k, v, kind)
		}
	}
}

func parsePoints(t *testing.T, where string, raw json.RawMessage, depth int) [][]pt {
	t.Helper()
	var rings [][]pt
	var err error
	if depth == 1 {
		var ls []pt
		err = json.Unmarshal(raw, &ls)
		rings = [][]pt{ls}
	} else {
		err = json.Unmarshal(raw, &rings)
	}
	if err != nil {
		t.Fatalf("%s: coordinates: %v", where, err)
	}
	for _, r := range rings {
		for _, p := range r {
			for _, c := range p {
				if math.Abs(c*1000-math.Round(c*1000)) > 1e-4 {
					t.Fatalf("%s: coordinate %v not rounded to 1 mm", where, c)
				}
			}
			if p[0] < 400000 || p[0] > 500000 || p[1] < 2380000 || p[1] > 2440000 {
				t.Fatalf("%s: point %v outside the zone in EPSG:9215", where, p)
			}
		}
	}
	return rings
}

func area(r []pt) float64 { // closed ring, signed
	s := 0.0
	x0, y0 := r[0][0], r[0][1]
	for i := 0; i+1 < len(r); i++ {
		s += (r[i][0]-x0)*(r[i+1][1]-y0) - (r[i+1][0]-x0)*(r[i][1]-y0)
	}
	return s / 2
}

type planData struct {
	plan     sample.Plan
	versions [][]lot // lots per version
	areas    []float64
}

// checkPlans checks every file of the manifest and returns the lots.
func checkPlans(t *testing.T) map[string]*planData {
	files := generated(t)
	m, err := sample.ParseManifest(files[sample.ManifestFile])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.Note, "Illustrative") {
		t.Errorf("manifest note %q must say the data is illustrative", m.Note)
	}
	cat, err := landuse.Parse(assets.LandUse)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*planData{}
	for _, p := range m.Plans {
		pd := &planData{plan: p}
		out[p.Code] = pd
		if !strings.Contains(strings.ToLower(p.Note), "illustrative") {
			t.Errorf("%s: note %q must say illustrative", p.Code, p.Note)
		}
		for vi, v := range p.Versions {
			where := p.Code + " v" + string(rune('1'+vi))
			for _, name := range []string{sample.BoundaryLayer, sample.LandUseLayer, sample.RoadLayer} {
				if _, ok := v.Layers[name]; !ok {
					t.Errorf("%s: layer %s missing", where, name)
				}
			}
			ids := map[string]string{}
			var lots []lot
			var boundary []pt
			for _, name := range v.LayerNames() {
				g := readLayer(t, files, v.Layers[name], name)
				for i, f := range g.Features {
					id, ok := f.ID.(string)
					fw := where + " " + name + " " + id
					if !ok || id == "" {
						t.Errorf("%s feature %d: id %v, want a string", where, i, f.ID)
					}
					if other, dup := ids[id]; dup {
						t.Errorf("%s: id %s in %s and %s", where, id, other, name)
					}
					ids[id] = name
					checkProps(t, fw, f.Properties)
					switch name {
					case sample.RoadLayer:
						if f.Geometry.Type != "LineString" {
							t.Fatalf("%s: %s, want LineString", fw, f.Geometry.Type)
						}
						parsePoints(t, fw, f.Geometry.Coordinates, 1)
						if w, _ := f.Properties["chiGioiDuongDo"].(float64); w < 10 || w > 80 {
							t.Errorf("%s: chiGioiDuongDo %v", fw, f.Properties["chiGioiDuongDo"])
						}
						continue
					}
					if f.Geometry.Type != "Polygon" {
						t.Fatalf("%s: %s, want Polygon", fw, f.Geometry.Type)
					}
					rings := parsePoints(t, fw, f.Geometry.Coordinates, 2)
					if len(rings) != 1 || len(rings[0]) < 4 || rings[0][0] != rings[0][len(rings[0])-1] {
						t.Fatalf("%s: want one closed ring", fw)
					}
					if area(rings[0]) <= 0 {
						t.Errorf("%s: ring not counter-clockwise", fw)
					}
					switch name {
					case sample.BoundaryLayer:
						if len(g.Features) != 1 {
							t.Errorf("%s: %d boundary features, want 1", where, len(g.Features))
						}
						boundary = rings[0]
					case sample.LandUseLayer:
						cls := f.Properties["phanLoai"].(string)
						if _, ok := cat.Lookup(cls); !ok {
							t.Errorf("%s: phanLoai %q not in the catalogue", fw, cls)
						}
						if f.Properties["maDoiTuong"] != id {
							t.Errorf("%s: maDoiTuong %v, want the id", fw, f.Properties["maDoiTuong"])
						}
						if !strings.HasPrefix(id, cls+"-") && f.Properties["parents"] == nil && !strings.Contains(f.Properties["ghiChu"].(string), "→") {
							t.Errorf("%s: code does not start with its class %s", fw, cls)
						}
						st, _ := f.Properties["giaiDoan"].(string)
						if st != "HT" && st != "QHDD" && st != "QHDH" {
							t.Errorf("%s: giaiDoan %q", fw, st)
						}
						checkIndicators(t, fw, cls, f.Properties, area(rings[0]))
						lots = append(lots, lot{id: id, props: f.Properties, ring: rings[0]})
					}
				}
			}
			lines := featureLines(files[v.Layers[sample.LandUseLayer]])
			for i := range lots {
				lots[i].raw = lines[lots[i].id]
			}
			pd.versions = append(pd.versions, lots)
			pd.areas = append(pd.areas, checkTiling(t, where, lots, boundary))
		}
	}
	for _, code := range []string{"truc-trung-tam", "huu-nghi", "chi-ma", "dong-banh"} {
		if out[code] == nil {
			t.Errorf("plan %s missing", code)
		}
	}
	return out
}

func checkIndicators(t *testing.T, where, cls string, p map[string]any, m2 float64) {
	t.Helper()
	num := func(k string) (float64, bool) { v, ok := p[k].(float64); return v, ok }
	d, hasD := num("matDoXayDung")
	lo, _ := num("tangCaoMin")
	hi, _ := num("tangCaoMax")
	far, _ := num("heSoSuDungDat")
	switch cls {
	case "GT", "NN", "RSX", "RPH", "RDD", "MN", "SON", "CSD", "CXCD":
		if hasD {
			t.Errorf("%s: %s lot with building density %v", where, cls, d)
		}
		return
	}
	if !hasD || d <= 0 || d > 80 {
		t.Errorf("%s: matDoXayDung %v", where, p["matDoXayDung"])
	}
	if lo < 1 || hi < lo || hi > 25 || lo != math.Trunc(lo) || hi != math.Trunc(hi) {
		t.Errorf("%s: storeys %v–%v", where, lo, hi)
	}
	if far <= 0 || far > d/100*hi+1e-9 {
		t.Errorf("%s: heSoSuDungDat %v with density %v and %v storeys", where, far, d, hi)
	}
	pop, hasPop := num("danSo")
	housing := cls == "ONM" || cls == "OHH" || cls == "OLX"
	if housing != hasPop {
		t.Errorf("%s: danSo %v on a %s lot", where, p["danSo"], cls)
	}
	if hasPop && (pop <= 0 || pop/(m2/1e4) > 450) {
		t.Errorf("%s: danSo %v on %.2f ha", where, pop, m2/1e4)
	}
}

// checkTiling reports the problems of tiling on t and returns the area.
func checkTiling(t *testing.T, where string, lots []lot, boundary []pt) float64 {
	t.Helper()
	a, problems := tiling(lots, boundary)
	for i, p := range problems {
		if i == 8 {
			t.Errorf("%s: %d more problems", where, len(problems)-i)
			break
		}
		t.Errorf("%s: %s", where, p)
	}
	return a
}

// tiling checks that the lots tile the boundary: no edge used twice in one
// direction, every lot edge either shared with a neighbour (reversed) or on
// the boundary, every boundary edge on a lot, no two edges crossing, and the
// areas summing to the boundary's. It returns the area in m².
func tiling(lots []lot, boundary []pt) (float64, []string) {
	var problems []string
	report := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	type edge struct{ a, b pt }
	owner := map[edge]string{}
	sum := 0.0
	for _, l := range lots {
		sum += area(l.ring)
		for i := 0; i+1 < len(l.ring); i++ {
			e := edge{l.ring[i], l.ring[i+1]}
			if e.a == e.b {
				report("%s repeats vertex %v", l.id, e.a)
			}
			if o, dup := owner[e]; dup {
				report("edge %v used by %s and %s in the same direction (overlap)", e, o, l.id)
			}
			owner[e] = l.id
		}
	}
	onBoundary := map[edge]bool{}
	for i := 0; i+1 < len(boundary); i++ {
		e := edge{boundary[i], boundary[i+1]}
		onBoundary[e] = true
		if _, ok := owner[e]; !ok {
			report("boundary edge %v is on no lot (gap)", e)
		}
	}
	var loose []string
	for e, id := range owner {
		if _, twin := owner[edge{e.b, e.a}]; !twin && !onBoundary[e] {
			loose = append(loose, fmt.Sprintf("edge %v of %s has no neighbour and is not on the boundary (gap or overlap)", e, id))
		}
	}
	sort.Strings(loose)
	problems = append(problems, loose...)
	ba := area(boundary)
	if math.Abs(sum-ba) > 1e-6*ba {
		report("lots sum to %.4f m², boundary is %.4f m²", sum, ba)
	}
	problems = append(problems, crossings(lots)...)
	return ba, problems
}

// crossings reports edges of the lots that cross other than at shared vertices.
func crossings(lots []lot) []string {
	type seg struct {
		a, b   pt
		lot    int
		lo, hi float64 // x extent
	}
	var segs []seg
	for i, l := range lots {
		for k := 0; k+1 < len(l.ring); k++ {
			a, b := l.ring[k], l.ring[k+1]
			segs = append(segs, seg{a, b, i, math.Min(a[0], b[0]), math.Max(a[0], b[0])})
		}
	}
	sort.Slice(segs, func(i, j int) bool { return segs[i].lo < segs[j].lo })
	orient := func(a, b, c pt) float64 {
		return (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
	}
	const eps = 1e-6
	var out []string
	for i := range segs {
		s := segs[i]
		for j := i + 1; j < len(segs) && segs[j].lo <= s.hi; j++ {
			r := segs[j]
			if math.Max(s.a[1], s.b[1]) < math.Min(r.a[1], r.b[1]) || math.Max(r.a[1], r.b[1]) < math.Min(s.a[1], s.b[1]) {
				continue
			}
			if s.a == r.a || s.a == r.b || s.b == r.a || s.b == r.b {
				continue
			}
			o1, o2 := orient(s.a, s.b, r.a), orient(s.a, s.b, r.b)
			o3, o4 := orient(r.a, r.b, s.a), orient(r.a, r.b, s.b)
			if math.Abs(o1) > eps && math.Abs(o2) > eps && math.Abs(o3) > eps && math.Abs(o4) > eps &&
				(o1 > 0) != (o2 > 0) && (o3 > 0) != (o4 > 0) {
				out = append(out, fmt.Sprintf("edge %v–%v of %s crosses an edge of %s", s.a, s.b, lots[s.lot].id, lots[r.lot].id))
			}
		}
	}
	return out
}

// TestTilingCheck shows that the tiling check catches the usual faults.
func TestTilingCheck(t *testing.T) {
	sq := func(id string, x0, y0, x1, y1 float64) lot {
		return lot{id: id, ring: []pt{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}
	}
	rect := func(x0, y0, x1, y1 float64) []pt { return sq("", x0, y0, x1, y1).ring }
	tests := []struct {
		name     string
		lots     []lot
		boundary []pt
		ok       bool
	}{
		{"two squares", []lot{sq("a", 0, 0, 1, 1), sq("b", 1, 0, 2, 1)},
			[]pt{{0, 0}, {1, 0}, {2, 0}, {2, 1}, {1, 1}, {0, 1}, {0, 0}}, true},
		{"T-junction", []lot{sq("a", 0, 0, 1, 2), sq("b", 1, 0, 2, 1), sq("c", 1, 1, 2, 2)},
			[]pt{{0, 0}, {1, 0}, {2, 0}, {2, 1}, {2, 2}, {1, 2}, {0, 2}, {0, 0}}, false},
		{"gap", []lot{sq("a", 0, 0, 1, 1), sq("b", 1.1, 0, 2, 1)}, rect(0, 0, 2, 1), false},
		{"overlap", []lot{sq("a", 0, 0, 1, 1), sq("b", 0.5, 0, 1.5, 1)}, rect(0, 0, 1.5, 1), false},
		{"duplicate", []lot{sq("a", 0, 0, 1, 1), sq("b", 0, 0, 1, 1)}, rect(0, 0, 1, 1), false},
		{"lot outside", []lot{sq("a", 0, 0, 1, 1), sq("b", 5, 5, 6, 6)}, rect(0, 0, 1, 1), false},
	}
	for _, tt := range tests {
		_, problems := tiling(tt.lots, tt.boundary)
		if (len(problems) == 0) != tt.ok {
			t.Errorf("%s: problems %q, want ok=%v", tt.name, problems, tt.ok)
		}
	}
}

func TestSamplePlans(t *testing.T) {
	plans := checkPlans(t)
	want := map[string]struct {
		lots   [2]int
		ha     [2]float64
		layers int
	}{
		"truc-trung-tam": {[2]int{300, 500}, [2]float64{1200, 2000}, 2},
		"huu-nghi":       {[2]int{60, 150}, [2]float64{40, 80}, 1},
		"chi-ma":         {[2]int{50, 120}, [2]float64{30, 60}, 1},
		"dong-banh":      {[2]int{80, 200}, [2]float64{160, 164}, 1},
	}
	for code, w := range want {
		p := plans[code]
		if p == nil {
			continue
		}
		if len(p.versions) != w.layers {
			t.Errorf("%s: %d versions, want %d", code, len(p.versions), w.layers)
		}
		for v, lots := range p.versions {
			ha := p.areas[v] / 1e4
			classes := map[string]bool{}
			for _, l := range lots {
				classes[l.props["phanLoai"].(string)] = true
			}
			t.Logf("%s v%d: %d lots, %.2f ha, %d classes", code, v+1, len(lots), ha, len(classes))
			if len(lots) < w.lots[0] || len(lots) > w.lots[1] {
				t.Errorf("%s v%d: %d lots, want %d–%d", code, v+1, len(lots), w.lots[0], w.lots[1])
			}
			if ha < w.ha[0] || ha > w.ha[1] {
				t.Errorf("%s v%d: %.2f ha, want %g–%g", code, v+1, ha, w.ha[0], w.ha[1])
			}
			if len(classes) < 10 {
				t.Errorf("%s v%d: only %d classes", code, v+1, len(classes))
			}
		}
	}
	for _, code := range []string{"huu-nghi", "chi-ma"} {
		classes := map[string]bool{}
		for _, l := range plans[code].versions[0] {
			classes[l.props["phanLoai"].(string)] = true
		}
		for _, c := range []string{"KSLH", "PTQ", "KNQ", "BTX", "GT"} {
			if !classes[c] {
				t.Errorf("%s: no %s lot", code, c)
			}
		}
	}
}

// TestCentralAxisAdjustment checks v2 of the central axis against v1: the
// real local adjustment's figures, one split, one merge, codes kept where
// only the class changes, every other lot byte for byte the same.
func TestCentralAxisAdjustment(t *testing.T) {
	p := checkPlans(t)["truc-trung-tam"]
	if p == nil || len(p.versions) != 2 {
		t.Fatal("central axis needs two versions")
	}
	if math.Abs(p.areas[0]-p.areas[1]) > 1e-6*p.areas[0] {
		t.Errorf("plan area changed: %.3f → %.3f m²", p.areas[0], p.areas[1])
	}
	v1 := map[string]lot{}
	for _, l := range p.versions[0] {
		v1[l.id] = l
	}
	v2 := map[string]lot{}
	for _, l := range p.versions[1] {
		v2[l.id] = l
	}
	ha := func(l lot) float64 { return area(l.ring) / 1e4 }
	code2 := p.plan.Versions[1].MaThongTinQH
	var changed []string
	var split, merged []lot
	for id, b := range v2 {
		a, ok := v1[id]
		switch {
		case !ok:
			ps, _ := b.props["parents"].([]any)
			switch len(ps) {
			case 1:
				split = append(split, b)
			case 2:
				merged = append(merged, b)
			default:
				t.Errorf("new lot %s without parents", id)
			}
			for _, q := range ps {
				if _, ok := v1[q.(string)]; !ok {
					t.Errorf("%s: parent %v not in v1", id, q)
				}
				if _, ok := v2[q.(string)]; ok {
					t.Errorf("%s: parent %v still in v2", id, q)
				}
			}
		case a.raw != b.raw:
			changed = append(changed, id)
			if b.props["maThongTinQH"] != code2 {
				t.Errorf("%s changed but keeps maThongTinQH %v", id, b.props["maThongTinQH"])
			}
			if a.props["phanLoai"] == b.props["phanLoai"] {
				t.Errorf("%s changed but not its class", id)
			}
			if len(a.ring) != len(b.ring) || area(a.ring) != area(b.ring) {
				t.Errorf("%s changed its geometry; only the class should change", id)
			}
		}
	}
	gone := 0
	for id := range v1 {
		if _, ok := v2[id]; !ok {
			gone++
		}
	}
	sort.Strings(changed)
	t.Logf("changed class: %v; split: %d lots; merged: %d", changed, len(split), len(merged))
	if len(changed) != 6 || len(split) != 2 || len(merged) != 1 || gone != 3 {
		t.Fatalf("got %d changed, %d split, %d merged, %d gone; want 6, 2, 1, 3", len(changed), len(split), len(merged), gone)
	}
	// The split: DV-xx → DV-xxa (0.07 ha public green) + DV-xxb (0.21 ha existing housing).
	sort.Slice(split, func(i, j int) bool { return split[i].id < split[j].id })
	parent := v1[split[0].props["parents"].([]any)[0].(string)]
	if !strings.HasSuffix(split[0].id, "a") || !strings.HasSuffix(split[1].id, "b") || split[0].id[:len(split[0].id)-1] != parent.id {
		t.Errorf("split lots %s, %s of %s: want <code>a, <code>b", split[0].id, split[1].id, parent.id)
	}
	if d := ha(split[0]) + ha(split[1]) - ha(parent); math.Abs(d) > 1e-8 {
		t.Errorf("split areas differ from the parent's by %g ha", d)
	}
	near := func(what string, got, want, tol float64) {
		t.Helper()
		if math.Abs(got-want) > tol {
			t.Errorf("%s: %.4f ha, want %.2f", what, got, want)
		}
	}
	near("split green", ha(split[0]), 0.07, 0.005)
	near("split housing", ha(split[1]), 0.21, 0.005)
	if split[0].props["phanLoai"] != "CXCC" || split[1].props["phanLoai"] != "OLX" || split[1].props["giaiDoan"] != "HT" {
		t.Errorf("split classes %v, %v (%v)", split[0].props["phanLoai"], split[1].props["phanLoai"], split[1].props["giaiDoan"])
	}
	// The merge: public + commercial → technical infrastructure 3.65 ha.
	m := merged[0]
	sum := 0.0
	for _, q := range m.props["parents"].([]any) {
		sum += ha(v1[q.(string)])
	}
	if math.Abs(sum-ha(m)) > 1e-8 {
		t.Errorf("merged area %.6f ha, parents %.6f ha", ha(m), sum)
	}
	near("merged infrastructure", ha(m), 3.65, 0.01)
	by := map[string]float64{}
	for _, id := range changed {
		a, b := v1[id], v2[id]
		by[a.props["phanLoai"].(string)+"→"+b.props["phanLoai"].(string)] += ha(b)
	}
	t.Logf("class changes (ha): %v", by)
	near("agriculture → relic", by["NN→DTTG"], 0.40, 0.005)
	near("reserve → new housing", by["CSD→ONM"], 0.54, 0.005)
	near("agriculture, forest, housing → infrastructure", by["NN→HTKT"]+by["RSX→HTKT"]+by["OLX→HTKT"], 4.9, 0.01)
	near("security", by["NN→AN"], 2.07, 0.005)

	files := generated(t)
	g := readLayer(t, files, p.plan.Versions[1].Layers[sample.AdjustmentLayer], sample.AdjustmentLayer)
	var zones []float64
	for _, f := range g.Features {
		r := parsePoints(t, "zone", f.Geometry.Coordinates, 2)
		zones = append(zones, area(r[0])/1e4)
	}
	sort.Float64s(zones)
	if len(zones) != 2 {
		t.Fatalf("%d adjustment areas, want 2", len(zones))
	}
	near("Thụy Hùng", zones[0], 1.00, 0.01)
	near("Yên Trạch", zones[1], 14.12, 0.02)
	b1 := files[p.plan.Versions[0].Layers[sample.BoundaryLayer]]
	b2 := files[p.plan.Versions[1].Layers[sample.BoundaryLayer]]
	if !bytes.Equal(b1, b2) {
		t.Errorf("the boundary differs between v1 and v2")
	}
}

func TestParseManifestErrors(t *testing.T) {
	ok := `{"note":"n","plans":[{"code":"a","name":"A","level":"zoning","scale":2000,"crs":9215,"area":"","note":"",
		"versions":[{"message":"m","source":"import","decision":"","decision_date":"","ma_thong_tin_qh":"202123012345","ma_ho_so_qh":"","layers":{"L_A":"a/v1/L_A.geojson"}}]}]}`
	if _, err := sample.ParseManifest([]byte(ok)); err != nil {
		t.Fatalf("valid manifest: %v", err)
	}
	tests := []struct{ name, from, to, want string }{
		{"bad json", `{"note"`, `{"note`, "manifest"},
		{"unknown member", `"note":"n"`, `"nte":"n"`, "unknown field"},
		{"level", `"zoning"`, `"zone"`, "level"},
		{"scale", `"scale":2000`, `"scale":0`, "scale"},
		{"code", `"code":"a"`, `"code":"a/b"`, "code"},
		{"ma", `202123012345`, `20212301234`, "12 digits"},
		{"path up", `a/v1/L_A.geojson`, `../x.geojson`, "clean relative path"},
		{"absolute", `a/v1/L_A.geojson`, `/etc/passwd`, "clean relative path"},
		{"no layers", `{"L_A":"a/v1/L_A.geojson"}`, `{}`, "no layers"},
		{"no version", `"versions":[{"message":"m","source":"import","decision":"","decision_date":"","ma_thong_tin_qh":"202123012345","ma_ho_so_qh":"","layers":{"L_A":"a/v1/L_A.geojson"}}]`, `"versions":[]`, "no versions"},
		{"trailing", `]}]}`, `]}]}{}`, "after the object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := strings.Replace(ok, tt.from, tt.to, 1)
			if data == ok {
				t.Fatalf("replacement %q not applied", tt.from)
			}
			_, err := sample.ParseManifest([]byte(data))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
	dup := strings.Replace(ok, `"plans":[`, `"plans":[{"code":"a","name":"A","level":"zoning","scale":2000,"crs":9215,"area":"","note":"","versions":[{"message":"m","source":"import","decision":"","decision_date":"","ma_thong_tin_qh":"202123012345","ma_ho_so_qh":"","layers":{"L_A":"a/v1/L_A.geojson"}}]},`, 1)
	if _, err := sample.ParseManifest([]byte(dup)); err == nil || !strings.Contains(err.Error(), "used twice") {
		t.Errorf("duplicate plan code: got %v", err)
	}
}

func TestOpen(t *testing.T) {
	m, folder, err := sample.Open(assets.Samples)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Plans) != 4 {
		t.Fatalf("got %d plans, want 4", len(m.Plans))
	}
	for _, p := range m.Plans {
		for _, v := range p.Versions {
			for _, name := range v.LayerNames() {
				if _, err := fs.Stat(folder, v.Layers[name]); err != nil {
					t.Errorf("%s %s: %v", p.Code, name, err)
				}
			}
		}
	}
	if _, _, err := sample.Open(os.DirFS(t.TempDir())); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("empty folder: got %v, want fs.ErrNotExist", err)
	}
	if _, _, err := sample.Open(os.DirFS(dir)); err != nil {
		t.Errorf("the folder itself: %v", err)
	}
}

func TestLayerNames(t *testing.T) {
	v := sample.Version{Layers: map[string]string{
		"TimDuongGiaoThong_L": "", "RanhGioiQuyHoach_A": "", "ChucNangSuDungDat_A": "", "KhuVucDieuChinh_A": "",
	}}
	got := strings.Join(v.LayerNames(), " ")
	want := "ChucNangSuDungDat_A KhuVucDieuChinh_A RanhGioiQuyHoach_A TimDuongGiaoThong_L"
	if got != want {
		t.Errorf("LayerNames() = %s, want %s", got, want)
	}
}
