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
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

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
	Features []feature `json:"features"`
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
	plan       sample.Plan
	versions   [][]lot // lots per version
	areas      []float64
	boundaries [][]pt  // per version
	dossiers   [][]lot // land-use lots proposed by each open dossier
}

// feature is a feature of a layer file as the tests read it.
type feature = struct {
	Type       string         `json:"type"`
	ID         any            `json:"id"`
	Properties map[string]any `json:"properties"`
	Geometry   struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	} `json:"geometry"`
}

// landUseLot checks a land-use feature (one counter-clockwise closed ring, a
// catalogue class, code = id, indicators) and returns it as a lot.
func landUseLot(t *testing.T, fw, id string, f feature, cat *landuse.Catalogue) lot {
	t.Helper()
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
	return lot{id: id, props: f.Properties, ring: rings[0]}
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
					if name == sample.LandUseLayer {
						lots = append(lots, landUseLot(t, fw, id, f, cat))
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
					if name == sample.BoundaryLayer {
						if len(g.Features) != 1 {
							t.Errorf("%s: %d boundary features, want 1", where, len(g.Features))
						}
						boundary = rings[0]
					}
				}
			}
			lines := featureLines(files[v.Layers[sample.LandUseLayer]])
			for i := range lots {
				lots[i].raw = lines[lots[i].id]
			}
			pd.versions = append(pd.versions, lots)
			pd.boundaries = append(pd.boundaries, boundary)
			pd.areas = append(pd.areas, checkTiling(t, where, lots, boundary))
		}
		// An open dossier proposes whole layers; its land-use lots must
		// tile the boundary of the version it starts from, like a version's.
		for di, d := range p.Dossiers {
			where := fmt.Sprintf("%s dossier %d", p.Code, di+1)
			for name := range d.Layers {
				if name != sample.LandUseLayer {
					t.Errorf("%s: layer %s; the sample dossiers change only %s", where, name, sample.LandUseLayer)
				}
			}
			path, ok := d.Layers[sample.LandUseLayer]
			if !ok {
				t.Errorf("%s: no %s layer", where, sample.LandUseLayer)
				pd.dossiers = append(pd.dossiers, nil)
				continue
			}
			g := readLayer(t, files, path, sample.LandUseLayer)
			ids := map[string]bool{}
			var lots []lot
			for i, f := range g.Features {
				id, ok := f.ID.(string)
				fw := where + " " + id
				if !ok || id == "" {
					t.Errorf("%s feature %d: id %v, want a string", where, i, f.ID)
				}
				if ids[id] {
					t.Errorf("%s: id %s twice", where, id)
				}
				ids[id] = true
				checkProps(t, fw, f.Properties)
				lots = append(lots, landUseLot(t, fw, id, f, cat))
			}
			lines := featureLines(files[path])
			for i := range lots {
				lots[i].raw = lines[lots[i].id]
			}
			checkTiling(t, where, lots, pd.boundaries[len(pd.boundaries)-1])
			pd.dossiers = append(pd.dossiers, lots)
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

func TestParseManifestDossierErrors(t *testing.T) {
	ok := `{"note":"n","plans":[{"code":"a","name":"A","level":"zoning","scale":2000,"crs":9215,"area":"","note":"","versions":[
		{"message":"m","source":"import","decision":"","decision_date":"","ma_thong_tin_qh":"202123012345","ma_ho_so_qh":"","layers":{"L_A":"a/v1/L_A.geojson"}},
		{"message":"m","source":"import","decision":"QĐ 1","decision_date":"2024-09-06","ma_thong_tin_qh":"202423012345","ma_ho_so_qh":"HS1","layers":{"L_A":"a/v2/L_A.geojson"},
		 "dossier":{"title":"T","kind":"local","reason":"","code":"HS1","steps":[
			{"action":"submit","at":"2024-07-15","doc":"1/TTr-BQL","by":"B"},{"action":"appraise","at":"2024-07-22","by":"S"},
			{"action":"appraised","at":"2024-08-09","doc":"2/BC-SXD","by":"S"},{"action":"approve","at":"2024-09-06","by":"U"}],
		 "attachments":[{"kind":"to_trinh","file":"a/docs/t.pdf"}]}}],
		"dossiers":[{"title":"D","kind":"overall","reason":"","code":"","layers":{"L_A":"a/dossier-1/L_A.geojson"},"steps":[{"action":"submit","at":"2026-09-21","date":"2026-09-21","by":"B"}]}]}]}`
	if _, err := sample.ParseManifest([]byte(ok)); err != nil {
		t.Fatalf("valid manifest: %v", err)
	}
	tests := []struct{ name, from, to, want string }{
		{"kind", `"kind":"local"`, `"kind":"partial"`, "kind"},
		{"title", `"title":"D"`, `"title":" "`, "title missing"},
		{"code", `"code":"HS1"`, `"code":"HS1234567890123456"`, "longer than 15"},
		{"action", `"action":"appraise"`, `"action":"review"`, "not one of"},
		{"date", `"at":"2024-07-22"`, `"at":"22/7/2024"`, "YYYY-MM-DD"},
		{"doc date", `"date":"2026-09-21"`, `"date":"21/9/2026"`, "YYYY-MM-DD"},
		{"order", `"at":"2024-08-09"`, `"at":"2024-07-01"`, "before the previous step"},
		{"not approved", `{"action":"approve","at":"2024-09-06","by":"U"}`, `{"action":"withdraw","at":"2024-09-06","by":"U"}`, "must be approved"},
		{"open approved", `"steps":[{"action":"submit","at":"2026-09-21"`, `"steps":[{"action":"approve","at":"2026-09-21"`, "cannot be approved"},
		{"version layers", `"code":"HS1","steps"`, `"code":"HS1","layers":{"L_A":"x.geojson"},"steps"`, "takes the version's layers"},
		{"layer path", `a/dossier-1/L_A.geojson`, `../L_A.geojson`, "clean relative path"},
		{"attachment kind", `"kind":"to_trinh"`, `"kind":"memo"`, "not one of"},
		{"attachment path", `a/docs/t.pdf`, `/etc/passwd`, "clean relative path"},
		{"first version", `"layers":{"L_A":"a/v1/L_A.geojson"}}`, `"layers":{"L_A":"a/v1/L_A.geojson"},"dossier":{"title":"T","kind":"local","reason":"","code":"","steps":[{"action":"approve","at":"2020-01-01","by":"U"}]}}`, "version 1 cannot"},
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
		var ds []sample.Dossier
		for _, v := range p.Versions {
			for _, name := range v.LayerNames() {
				if _, err := fs.Stat(folder, v.Layers[name]); err != nil {
					t.Errorf("%s %s: %v", p.Code, name, err)
				}
			}
			if v.Dossier != nil {
				ds = append(ds, *v.Dossier)
			}
		}
		// The files of the dossiers, as the store reads them.
		for _, d := range append(ds, p.Dossiers...) {
			for _, file := range d.Layers {
				if _, err := fs.Stat(folder, file); err != nil {
					t.Errorf("%s: %v", p.Code, err)
				}
			}
			for _, a := range d.Attachments {
				if _, err := fs.Stat(folder, a.File); err != nil {
					t.Errorf("%s: %v", p.Code, err)
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

// transitions is the life of a dossier (DOMAIN.md; store/approval.go):
// where each action may start and where it leads.
var transitions = map[string]struct {
	from []string
	to   string
}{
	"submit":    {[]string{"draft"}, "submitted"},
	"appraise":  {[]string{"submitted"}, "appraising"},
	"appraised": {[]string{"appraising"}, "appraised"},
	"approve":   {[]string{"appraised"}, "approved"},
	"publish":   {[]string{"approved"}, "published"},
	"return":    {[]string{"submitted", "appraising"}, "draft"},
	"withdraw":  {[]string{"draft", "submitted", "appraising", "appraised"}, "withdrawn"},
}

// dueDays is how long a dossier may stay in a state (DOMAIN.md defaults).
var dueDays = map[string]int{"submitted": 15, "appraising": 20, "approved": 15}

func day(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatalf("date %q: %v", s, err)
	}
	return d
}

// walk plays a dossier's steps from draft: each action legal from the state
// before it, dates in order, the documents each step needs. It returns the
// final state and the date its deadline falls due ("" when none).
func walk(t *testing.T, where string, d sample.Dossier) (state, due string) {
	t.Helper()
	state = "draft"
	prev := ""
	for i, s := range d.Steps {
		sw := fmt.Sprintf("%s step %d (%s)", where, i+1, s.Action)
		tr, ok := transitions[s.Action]
		if !ok {
			t.Errorf("%s: unknown action", sw)
			continue
		}
		if !slices.Contains(tr.from, state) {
			t.Errorf("%s: not legal from %s", sw, state)
		}
		if s.At < prev {
			t.Errorf("%s: at %s, before the previous step's %s", sw, s.At, prev)
		}
		day(t, s.At)
		prev = s.At
		if s.Date != "" && s.Date > s.At {
			t.Errorf("%s: document dated %s, after the step (%s)", sw, s.Date, s.At)
		}
		if s.By == "" {
			t.Errorf("%s: by whom?", sw)
		}
		switch s.Action {
		case "submit":
			if !strings.Contains(s.Doc, "/TTr-") {
				t.Errorf("%s: doc %q, want a cover letter (tờ trình) number", sw, s.Doc)
			}
		case "appraised":
			if !strings.Contains(s.Doc, "/BC-") {
				t.Errorf("%s: doc %q, want an appraisal report (báo cáo thẩm định) number", sw, s.Doc)
			}
		case "return":
			if s.Note == "" {
				t.Errorf("%s: a return needs a note", sw)
			}
		}
		state = tr.to
		due = ""
		if n, ok := dueDays[state]; ok {
			due = day(t, s.At).AddDate(0, 0, n).Format(time.DateOnly)
		}
	}
	return state, due
}

// TestSampleDossiers checks the dossiers' histories: the central axis's
// version 2 made by an approved and published local adjustment, Chi Ma's
// local adjustment under appraisal past its deadline, Đồng Bành's overall
// adjustment a draft.
func TestSampleDossiers(t *testing.T) {
	files := generated(t)
	m, err := sample.ParseManifest(files[sample.ManifestFile])
	if err != nil {
		t.Fatal(err)
	}
	plans := map[string]sample.Plan{}
	for _, p := range m.Plans {
		plans[p.Code] = p
		for vi, v := range p.Versions {
			if v.Dossier == nil {
				continue
			}
			where := fmt.Sprintf("%s v%d dossier", p.Code, vi+1)
			d := v.Dossier
			state, _ := walk(t, where, *d)
			if state != "published" {
				t.Errorf("%s: ends %s, want published", where, state)
			}
			if d.Code != v.MaHoSoQH {
				t.Errorf("%s: code %s, the version's maHoSoQH is %s", where, d.Code, v.MaHoSoQH)
			}
			for _, s := range d.Steps {
				switch {
				case s.Action == "approve":
					if s.At != v.DecisionDate || s.Date != v.DecisionDate || s.Doc != v.Decision {
						t.Errorf("%s: approve at %s by %q of %s; the version's decision is %q of %s", where, s.At, s.Doc, s.Date, v.Decision, v.DecisionDate)
					}
				case s.Action == "publish":
					if days := day(t, s.At).Sub(day(t, v.DecisionDate)).Hours() / 24; days < 0 || days > 15 {
						t.Errorf("%s: published %g days after the decision, want within 15", where, days)
					}
				case s.At >= v.DecisionDate:
					t.Errorf("%s: %s at %s, not before the decision of %s", where, s.Action, s.At, v.DecisionDate)
				}
			}
		}
		for di, d := range p.Dossiers {
			where := fmt.Sprintf("%s dossier %d", p.Code, di+1)
			state, due := walk(t, where, d)
			if state == "approved" || state == "published" {
				t.Errorf("%s: an open dossier is %s", where, state)
			}
			t.Logf("%s: %s, %s, due %q", where, d.Kind, state, due)
		}
	}

	tt := plans["truc-trung-tam"]
	if len(tt.Versions) != 2 || tt.Versions[1].Dossier == nil {
		t.Fatal("central axis: version 2 has no dossier")
	}
	d := tt.Versions[1].Dossier
	var actions []string
	for _, s := range d.Steps {
		actions = append(actions, s.Action)
	}
	if got := strings.Join(actions, " "); got != "submit appraise appraised approve publish" {
		t.Errorf("central axis dossier: steps %s, want the full history", got)
	}
	if d.Kind != "local" || !strings.Contains(d.Title, "Thụy Hùng") || !strings.Contains(d.Title, "Yên Trạch") ||
		!strings.Contains(d.Reason, "14,12 ha") || !strings.Contains(d.Reason, "2,07 ha") {
		t.Errorf("central axis dossier: kind %s, title %q, reason %q", d.Kind, d.Title, d.Reason)
	}
	wantKinds(t, "central axis dossier", d.Attachments, "to_trinh", "thuyet_minh", "quyet_dinh")

	cm := plans["chi-ma"]
	if len(cm.Dossiers) != 1 {
		t.Fatalf("Chi Ma: %d open dossiers, want 1", len(cm.Dossiers))
	}
	state, due := walk(t, "Chi Ma", cm.Dossiers[0])
	if cm.Dossiers[0].Kind != "local" || state != "appraising" {
		t.Errorf("Chi Ma dossier: %s, %s; want a local adjustment under appraisal", cm.Dossiers[0].Kind, state)
	}
	if due == "" || due >= "2026-11-20" || !strings.HasPrefix(cm.Dossiers[0].Steps[0].At, "2026-") {
		t.Errorf("Chi Ma dossier: appraisal due %q; want 2026 dates and the deadline past by late November 2026", due)
	}
	wantKinds(t, "Chi Ma dossier", cm.Dossiers[0].Attachments, "to_trinh")

	db := plans["dong-banh"]
	if len(db.Dossiers) != 1 {
		t.Fatalf("Đồng Bành: %d open dossiers, want 1", len(db.Dossiers))
	}
	if d := db.Dossiers[0]; d.Kind != "overall" || len(d.Steps) != 0 {
		t.Errorf("Đồng Bành dossier: %s with %d steps, want an overall adjustment still a draft", d.Kind, len(d.Steps))
	}
	for _, code := range []string{"huu-nghi"} {
		if len(plans[code].Dossiers) != 0 {
			t.Errorf("%s: %d open dossiers, want none", code, len(plans[code].Dossiers))
		}
	}
}

func wantKinds(t *testing.T, where string, as []sample.Attachment, kinds ...string) {
	t.Helper()
	var got []string
	for _, a := range as {
		got = append(got, a.Kind)
	}
	if strings.Join(got, " ") != strings.Join(kinds, " ") {
		t.Errorf("%s: attachments %v, want %v", where, got, kinds)
	}
}

// TestDossierLayers compares each open dossier's land-use layer with the
// version it starts from: new lots come from base lots named in "parents"
// (which leave the layer), splits and merges keep the area, every lot the
// dossier changes carries its code, every other lot is byte for byte the
// base's.
func TestDossierLayers(t *testing.T) {
	plans := checkPlans(t)
	type counts struct{ class, indicators, split, merged int }
	want := map[string]counts{
		"chi-ma":    {class: 2, split: 2},
		"dong-banh": {indicators: 4, split: 2, merged: 1},
	}
	for _, code := range []string{"chi-ma", "dong-banh"} {
		p := plans[code]
		if p == nil || len(p.dossiers) != 1 {
			t.Errorf("%s: want one open dossier", code)
			continue
		}
		d := p.plan.Dossiers[0]
		base := map[string]lot{}
		for _, l := range p.versions[len(p.versions)-1] {
			base[l.id] = l
		}
		prop := map[string]lot{}
		for _, l := range p.dossiers[0] {
			prop[l.id] = l
		}
		ha := func(l lot) float64 { return area(l.ring) / 1e4 }
		var got counts
		children := map[string][]lot{} // parent → lots split from it
		named := map[string]bool{}
		for _, l := range p.dossiers[0] {
			b, inBase := base[l.id]
			ps, _ := l.props["parents"].([]any)
			switch {
			case inBase && l.raw == b.raw:
				continue
			case inBase:
				if len(ps) > 0 {
					t.Errorf("%s: %s keeps its code and names parents", code, l.id)
				}
				if len(l.ring) != len(b.ring) || area(l.ring) != area(b.ring) {
					t.Errorf("%s: %s changed its geometry; a kept code keeps the lot's shape", code, l.id)
				}
				switch {
				case l.props["phanLoai"] != b.props["phanLoai"]:
					got.class++
				case l.props["matDoXayDung"] != b.props["matDoXayDung"] || l.props["tangCaoMax"] != b.props["tangCaoMax"]:
					got.indicators++
				default:
					t.Errorf("%s: %s changed but neither its class nor its indicators", code, l.id)
				}
			case len(ps) == 0:
				t.Errorf("%s: new lot %s names no parents", code, l.id)
			case len(ps) == 1:
				children[ps[0].(string)] = append(children[ps[0].(string)], l)
			default:
				got.merged++
				sum := 0.0
				for _, q := range ps {
					sum += ha(base[q.(string)])
				}
				if math.Abs(sum-ha(l)) > 1e-8 {
					t.Errorf("%s: merged lot %s has %.6f ha, its parents %.6f ha", code, l.id, ha(l), sum)
				}
			}
			if l.props["maHoSoQH"] != d.Code {
				t.Errorf("%s: %s is proposed by the dossier but carries maHoSoQH %v, not %s", code, l.id, l.props["maHoSoQH"], d.Code)
			}
			for _, q := range ps {
				named[q.(string)] = true
				if _, ok := base[q.(string)]; !ok {
					t.Errorf("%s: %s names parent %v, not a lot of the base", code, l.id, q)
				}
				if _, ok := prop[q.(string)]; ok {
					t.Errorf("%s: %s names parent %v, still in the dossier's layer", code, l.id, q)
				}
			}
		}
		for parent, ls := range children {
			got.split += len(ls)
			sum := 0.0
			for _, l := range ls {
				sum += ha(l)
			}
			if len(ls) < 2 || math.Abs(sum-ha(base[parent])) > 1e-8 {
				t.Errorf("%s: %s split into %d lots of %.6f ha, it had %.6f ha", code, parent, len(ls), sum, ha(base[parent]))
			}
		}
		for id := range base {
			if _, ok := prop[id]; !ok && !named[id] {
				t.Errorf("%s: base lot %s left the layer without being a parent", code, id)
			}
		}
		t.Logf("%s: %+v", code, got)
		if got != want[code] {
			t.Errorf("%s: changes %+v, want %+v", code, got, want[code])
		}
	}
}

// TestSamplePDFs checks the attached documents: small, well-formed PDF 1.4
// files (every cross-reference offset points at its object, the stream
// length is exact) whose text pdftotext reads, when it is installed.
func TestSamplePDFs(t *testing.T) {
	files := generated(t)
	m, err := sample.ParseManifest(files[sample.ManifestFile])
	if err != nil {
		t.Fatal(err)
	}
	type doc struct {
		att    sample.Attachment
		number string // the document number its text must show
	}
	var docs []doc
	for _, p := range m.Plans {
		var ds []sample.Dossier
		for _, v := range p.Versions {
			if v.Dossier != nil {
				ds = append(ds, *v.Dossier)
			}
		}
		ds = append(ds, p.Dossiers...)
		for _, d := range ds {
			numbers := map[string]string{}
			for _, s := range d.Steps {
				_, n, _ := strings.Cut(s.Doc, " số ")
				numbers[s.Action] = strings.ReplaceAll(n, "Đ", "D")
			}
			for _, a := range d.Attachments {
				docs = append(docs, doc{a, map[string]string{"to_trinh": numbers["submit"], "quyet_dinh": numbers["approve"]}[a.Kind]})
			}
		}
	}
	if len(docs) != 4 {
		t.Errorf("%d documents, want 4", len(docs))
	}
	pdftotext, _ := exec.LookPath("pdftotext")
	for _, dc := range docs {
		data, ok := files[dc.att.File]
		if !ok {
			t.Errorf("%s: not generated", dc.att.File)
			continue
		}
		if !strings.HasPrefix(dc.att.File, strings.Split(dc.att.File, "/")[0]+"/docs/") || !strings.HasSuffix(dc.att.File, ".pdf") {
			t.Errorf("%s: want <plan>/docs/*.pdf", dc.att.File)
		}
		for _, p := range checkPDF(data) {
			t.Errorf("%s: %s", dc.att.File, p)
		}
		if len(data) >= 2048 {
			t.Errorf("%s: %d bytes, want under 2 KB", dc.att.File, len(data))
		}
		if pdftotext == "" {
			continue
		}
		f := filepath.Join(t.TempDir(), "doc.pdf")
		if err := os.WriteFile(f, data, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(pdftotext, f, "-")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil || stderr.Len() > 0 {
			t.Errorf("%s: pdftotext: %v %s", dc.att.File, err, stderr.String())
		}
		text := string(out)
		if !strings.Contains(text, "Illustrative sample document") || !strings.Contains(text, dc.number) {
			t.Errorf("%s: pdftotext reads %q; want the number %q and the illustrative notice", dc.att.File, text, dc.number)
		}
	}
	if pdftotext == "" {
		t.Log("pdftotext not installed: PDF text not read back")
	}
}

// checkPDF returns the structural faults of a classic (uncompressed xref) PDF.
func checkPDF(data []byte) []string {
	var problems []string
	s := string(data)
	if !strings.HasPrefix(s, "%PDF-1.4\n") || !strings.HasSuffix(s, "%%EOF\n") {
		problems = append(problems, "not framed by %PDF-1.4 … %%EOF")
	}
	i := strings.LastIndex(s, "startxref\n")
	if i < 0 {
		return append(problems, "no startxref")
	}
	var xref int
	if _, err := fmt.Sscanf(s[i+len("startxref\n"):], "%d", &xref); err != nil || xref <= 0 || xref >= len(s) || !strings.HasPrefix(s[xref:], "xref\n") {
		return append(problems, fmt.Sprintf("startxref %d does not point at the xref table", xref))
	}
	var first, n int
	if _, err := fmt.Sscanf(s[xref:], "xref\n%d %d\n", &first, &n); err != nil || first != 0 || n < 2 {
		return append(problems, "bad xref subsection header")
	}
	entries := s[strings.Index(s[xref+5:], "\n")+xref+6:]
	if len(entries) < 20*n {
		return append(problems, "xref table cut short")
	}
	if entries[:20] != "0000000000 65535 f \n" {
		problems = append(problems, "xref entry 0 is not the free head")
	}
	for k := 1; k < n; k++ {
		e := entries[20*k : 20*k+20]
		var off, gen int
		var use string
		if _, err := fmt.Sscanf(e, "%010d %05d %s", &off, &gen, &use); err != nil || use != "n" || e[18:] != " \n" {
			problems = append(problems, fmt.Sprintf("xref entry %d %q is not 20 bytes of offset, generation, n", k, e))
			continue
		}
		if off >= len(s) || !strings.HasPrefix(s[off:], fmt.Sprintf("%d 0 obj\n", k)) {
			problems = append(problems, fmt.Sprintf("xref entry %d: offset %d is not object %d", k, off, k))
		}
	}
	if !strings.Contains(entries[20*n:], fmt.Sprintf("/Size %d", n)) {
		problems = append(problems, "trailer /Size does not match the xref table")
	}
	var length int
	j := strings.Index(s, "/Length ")
	if j < 0 {
		return append(problems, "no stream")
	}
	fmt.Sscanf(s[j:], "/Length %d", &length)
	k := strings.Index(s[j:], "stream\n") + j + len("stream\n")
	if k+length > len(s) || !strings.HasPrefix(s[k+length:], "\nendstream") {
		problems = append(problems, fmt.Sprintf("stream /Length %d does not end at endstream", length))
	}
	// Past the header's binary marker everything is ASCII text.
	body, _ := strings.CutPrefix(s, "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	for _, c := range []byte(body) {
		if c > 0x7e || (c < 0x20 && c != '\n') {
			problems = append(problems, fmt.Sprintf("byte %#x outside the header's binary marker", c))
			break
		}
	}
	return problems
}

func TestCheckPDF(t *testing.T) {
	files := generated(t)
	var good []byte
	for name, data := range files {
		if strings.HasSuffix(name, ".pdf") {
			good = data
			break
		}
	}
	if good == nil {
		t.Fatal("no PDF generated")
	}
	if p := checkPDF(good); len(p) > 0 {
		t.Fatalf("a generated PDF: %v", p)
	}
	broken := map[string][]byte{
		"shifted objects": bytes.Replace(good, []byte("1 0 obj\n"), []byte("1 0 obj \n"), 1),
		"bad length":      bytes.Replace(good, []byte("/Length "), []byte("/Length 1"), 1),
		"bad startxref":   slices.Concat(bytes.TrimSuffix(good, []byte("\n%%EOF\n")), []byte("0\n%%EOF\n")),
		"truncated":       good[:len(good)-10],
		"binary text":     bytes.Replace(good, []byte("Illustrative"), []byte("Illustr\xe2tive"), 1),
	}
	for name, data := range broken {
		if p := checkPDF(data); len(p) == 0 {
			t.Errorf("%s: not caught", name)
		}
	}
}
