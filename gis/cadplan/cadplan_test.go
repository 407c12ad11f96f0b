package cadplan

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"quyhoach/assets"
	"quyhoach/gis"
	"quyhoach/gis/dxf"
	"quyhoach/gis/landuse"
)

func catalogue(t testing.TB) *landuse.Catalogue {
	t.Helper()
	c, err := landuse.Parse(assets.LandUse)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func rules(t testing.TB, table string) Rules {
	t.Helper()
	cat := catalogue(t)
	pre, err := ParseTable(bytes.NewReader(assets.CADLayers), cat)
	if err != nil {
		t.Fatalf("presets: %v", err)
	}
	tab, err := ParseTable(strings.NewReader(table), cat)
	if err != nil {
		t.Fatal(err)
	}
	return Rules{Table: tab, Catalogue: cat, Presets: pre}
}

func drawing(t testing.TB, path string) *dxf.Drawing {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := dxf.Read(f, dxf.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// expected is office.json, what make_office.py drew.
type expected struct {
	Origin [2]float64
	Lots   []map[string]any
	// BoundaryArea is the plan boundary's area, m².
	BoundaryArea float64 `json:"boundary_area"`
}

// TestOfficeDrawingBecomesThePlan: the CAD office's drawing gives each lot
// drawn, with its class (from the catalogue's layer names and a table
// row for the consultant's own layer), its area within 0.01 %, its code,
// name and indicators from the texts inside it — TCVN3 and VNI decoded —
// and the boundary, red line, road centre lines and markers on their
// TT 16 layers.
func TestOfficeDrawingBecomesThePlan(t *testing.T) {
	var want expected
	b, _ := os.ReadFile("../dxf/testdata/office.json")
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	res, err := Convert(context.Background(), drawing(t, "../dxf/testdata/office.dxf"), rules(t, "cad_layer,class_code\nKHO_NQ,KNQ\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) > 0 {
		t.Fatalf("problems: %v", res.Problems)
	}
	lots := res.Lots()
	if len(lots) != len(want.Lots) {
		t.Fatalf("%d lots, want %d", len(lots), len(want.Lots))
	}
	byCode := map[string]gis.Feature{}
	for _, f := range lots {
		byCode[f.String("maDoiTuong")] = f
	}
	for _, w := range want.Lots {
		code := w["code"].(string)
		f, ok := byCode[code]
		if !ok {
			t.Errorf("no lot %s", code)
			continue
		}
		if a, wa := gis.Area(f.Geometry), w["area"].(float64); math.Abs(a-wa) > 1e-4*wa {
			t.Errorf("%s: area %.3f, want %.3f (%.4f %%)", code, a, wa, 100*(a-wa)/wa)
		}
		if f.String("phanLoai") != w["class"] {
			t.Errorf("%s: class %s, want %v", code, f.String("phanLoai"), w["class"])
		}
		if n, ok := w["name"]; ok && f.String("tenDoiTuong") != n {
			t.Errorf("%s: name %q, want %q", code, f.String("tenDoiTuong"), n)
		}
		for _, k := range []string{"matDoXayDung", "tangCaoMin", "tangCaoMax", "heSoSuDungDat"} {
			if wv, ok := w[k]; ok {
				if v, _ := f.Number(k); v != wv.(float64) {
					t.Errorf("%s: %s %v, want %v", code, k, f.Properties[k], wv)
				}
			}
		}
	}
	layers := map[string]gis.Layer{}
	for _, l := range res.Layers {
		layers[l.Name] = l
	}
	if l := layers[gis.BoundaryLayer]; len(l.Features) != 1 || math.Abs(gis.Area(l.Features[0].Geometry)-want.BoundaryArea) > 1e-6 {
		t.Errorf("boundary: %v", l.Features)
	}
	if len(layers["ChiGioiDuongDo_L"].Features) != 1 || len(layers["TimDuongGiaoThong_L"].Features) != 2 {
		t.Errorf("lines: %d red lines, %d centre lines", len(layers["ChiGioiDuongDo_L"].Features), len(layers["TimDuongGiaoThong_L"].Features))
	}
	var marks []string
	for _, f := range layers["MocGioiQuyHoach_P"].Features {
		marks = append(marks, f.String("maDoiTuong"))
	}
	if slices.Sort(marks); strings.Join(marks, " ") != "M1 M2 M3 M4" {
		t.Errorf("markers: %q", marks)
	}
	// The KNQ hatch's hole and the island rule: holes are not lots.
	if p := byCode["KNQ-01"].Geometry.(orb.Polygon); len(p) != 2 {
		t.Errorf("KNQ-01 has %d rings, want its hatch's hole", len(p))
	}
	// Layers that map to nothing are listed, with what was not used.
	var ignored []string
	for _, m := range res.Mapping {
		if m.Via == "" || m.Target.Ignore {
			ignored = append(ignored, m.Layer)
		}
	}
	if !slices.Contains(ignored, "KHUNG_TEN") || !slices.Contains(ignored, "TEXT_KH") {
		t.Errorf("ignored layers %v", ignored)
	}
}

// TestProblemsArePlaced: open outlines on lot layers, lots without a code
// or with two, and overlapping lots are listed with their place, and the
// valid lots are the others.
func TestProblemsArePlaced(t *testing.T) {
	res, err := Convert(context.Background(), drawing(t, "../dxf/testdata/office-problems.dxf"), rules(t, "KHO_NQ,KNQ\n"))
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, p := range res.Problems {
		kinds[p.Kind]++
		if p.Line == 0 || p.Handle == "" || p.At == (orb.Point{}) || p.Message == "" {
			t.Errorf("a problem without its place: %+v", p)
		}
	}
	if kinds[OpenOutline] != 1 || kinds[NoCode] != 1 || kinds[ManyCodes] != 1 || kinds[Overlap] != 2 {
		t.Errorf("problems %v: %v", kinds, res.Problems)
	}
	valid := res.Valid()[0].Features
	if len(valid) != len(res.Lots())-5 { // ONM-01, CN-01, CQ-01, the no-code and the two-code lots
		t.Errorf("%d valid of %d lots", len(valid), len(res.Lots()))
	}
	for _, f := range valid {
		if c := f.String("maDoiTuong"); c == "ONM-01" || c == "CQ-01" || c == "" {
			t.Errorf("lot %q with a problem among the valid ones", c)
		}
	}
}

func TestIndicatorsAndCodes(t *testing.T) {
	re := regexp.MustCompile(DefaultCodePattern)
	for s, want := range map[string]bool{"KNQ-01": true, "CN-03": true, "DV03": true, "LK-01-02": true, "OHH-1a": true,
		"3-5T": false, "MĐXD 40%": false, "Khu nhà ở": false, "KNQ": false, "A": false} {
		if re.MatchString(s) != want {
			t.Errorf("code %q: %v", s, !want)
		}
	}
	for s, want := range map[string]map[string]float64{
		"MĐXD 40%":   {"matDoXayDung": 40},
		"MĐXD 42,5%": {"matDoXayDung": 42.5},
		"mdxd 40":    {"matDoXayDung": 40},
		"3-5T":       {"tangCaoMin": 3, "tangCaoMax": 5},
		"TC 2-4":     {"tangCaoMin": 2, "tangCaoMax": 4},
		"5T":         {"tangCaoMin": 5, "tangCaoMax": 5},
		"5 tầng":     {"tangCaoMin": 5, "tangCaoMax": 5},
		"HSSDĐ 1,2":  {"heSoSuDungDat": 1.2},
		"HS 0.8":     {"heSoSuDungDat": 0.8},
		"KL 6m":      {"khoangLui": 6},
		"DS 1.200":   {"danSo": 1200},
	} {
		got := readIndicator(DefaultIndicators, s)
		if len(got) != len(want) {
			t.Errorf("%q: %v, want %v", s, got, want)
			continue
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%q: %s %v, want %v", s, k, got[k], v)
			}
		}
	}
	for _, s := range []string{"KNQ-01", "Nhà ở", "3-5", "40%"} {
		if got := readIndicator(DefaultIndicators, s); got != nil {
			t.Errorf("%q read as %v", s, got)
		}
	}
	// Texts writes what the readers read back.
	f := gis.Feature{Properties: map[string]any{"maDoiTuong": "CN-03", "matDoXayDung": 42.5, "tangCaoMin": 2.0, "tangCaoMax": 4.0, "heSoSuDungDat": 1.85, "khoangLui": 6.0, "danSo": 1200.0}}
	back := map[string]float64{}
	for _, s := range Texts(f)[1:] {
		for k, v := range readIndicator(DefaultIndicators, s) {
			back[k] = v
		}
	}
	for k, v := range f.Properties {
		if k != "maDoiTuong" && back[k] != v {
			t.Errorf("%s: wrote %v, read %v (texts %q)", k, v, back[k], Texts(f))
		}
	}
	ind, err := ParseIndicator("khoangLui=^LUI (\\d+)$")
	if err != nil || readIndicator([]Indicator{ind}, "LUI 5")["khoangLui"] != 5 {
		t.Errorf("a user's indicator: %v", err)
	}
	for _, bad := range []string{"x", "f=(", "f=abc"} {
		if _, err := ParseIndicator(bad); err == nil {
			t.Errorf("ParseIndicator(%q): no error", bad)
		}
	}
}

func TestParseTable(t *testing.T) {
	cat := catalogue(t)
	tab, err := ParseTable(strings.NewReader("# a consultant's layers\ncad_layer,class_code\nKHO_NQ,KNQ\nDat o*,DAT_O_Nhomnhao\nRANH,RanhGioiQuyHoach_A\nKHUNG,-\n"), cat)
	if err != nil {
		t.Fatal(err)
	}
	for layer, want := range map[string]Target{
		"kho_nq":    {Layer: gis.LandUseLayer, Class: "KNQ"},
		"DAT O 123": {Layer: gis.LandUseLayer, Class: "ONM"},
		"RANH":      {Layer: gis.BoundaryLayer},
		"KHUNG":     {Ignore: true},
	} {
		if got, ok := tab.Lookup(layer); !ok || got != want {
			t.Errorf("%s: %+v %v, want %+v", layer, got, ok, want)
		}
	}
	var buf bytes.Buffer
	if err := tab.Write(&buf); err != nil {
		t.Fatal(err)
	}
	again, err := ParseTable(&buf, cat)
	if err != nil || len(again) != len(tab) {
		t.Fatalf("written table reads back as %v, %v", again, err)
	}
	for _, bad := range []string{"X,NOPE\n", "X,ChucNangSuDungDat_A\n", ",ONM\n", "A,B,C\n"} {
		if _, err := ParseTable(strings.NewReader(bad), cat); err == nil || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
