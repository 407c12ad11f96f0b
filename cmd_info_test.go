package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"quyhoach/gis/crs"
)

// vnFile writes a GeoJSON file in EPSG:9215 with the given features.
func vnFile(t *testing.T, name string, features ...string) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), name)
	os.WriteFile(f, []byte(`{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::9215"}},"features":[`+
		strings.Join(features, ",")+`]}`), 0o644)
	return f
}

// square is a GeoJSON polygon feature [x0,x0+s]×[y0,y0+s] in EPSG:9215.
func square(x0, y0, s float64, props string) string {
	return fmt.Sprintf(`{"type":"Feature","properties":{%s},"geometry":{"type":"Polygon","coordinates":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}}`,
		props, x0, y0, x0+s, y0, x0+s, y0+s, x0, y0+s, x0, y0)
}

func infoJSON(t *testing.T, args ...string) map[string]any {
	t.Helper()
	out, e, code := quyhoach(t, "", append([]string{"info", "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("info %v: %d %s", args, code, e)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("info --json: %v\n%s", err, out)
	}
	return m
}

func lotsOf(m map[string]any) []map[string]any {
	var out []map[string]any
	for _, l := range m["lots"].([]any) {
		out = append(out, l.(map[string]any))
	}
	return out
}

// TestInfoSiteOverTwoLots imports a hand-made tiling through the CLI (in
// EPSG:9215, stored in WGS84) and asks about a site across two lots: the
// official areas come back to 0.01 m².
func TestInfoSiteOverTwoLots(t *testing.T) {
	db := sampleDB(t)
	if _, e, code := quyhoach(t, "", "plan", "create", "--db", db, "--code", "ke", "--name", "Hai lô kề nhau", "--level", "detailed", "--scale", "500"); code != 0 {
		t.Fatal(e)
	}
	lots := vnFile(t, "lots.geojson",
		square(444000, 2430000, 100, `"maDoiTuong":"CN-01","phanLoai":"CN","matDoXayDung":60,"tangCaoMax":5`),
		square(444100, 2430000, 100, `"maDoiTuong":"DV-01","phanLoai":"DV","matDoXayDung":45,"tangCaoMin":3,"tangCaoMax":7`),
		square(444000, 2430100, 100, `"maDoiTuong":"GT-01","phanLoai":"GT"`))
	if _, e, code := quyhoach(t, "", "import", "--db", db, "--plan", "ke", "--layer", "ChucNangSuDungDat_A", lots); code != 0 {
		t.Fatal(e)
	}
	// 90 × 80 m from x = 60 to 150, its top on the road's edge
	site := vnFile(t, "site.geojson", fmt.Sprintf(`{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[%d,%d],[%d,%d],[%d,%d],[%d,%d],[%d,%d]]]}}`,
		444060, 2430020, 444150, 2430020, 444150, 2430100, 444060, 2430100, 444060, 2430020))
	m := infoJSON(t, "--db", db, "--plan", "ke", "--site", site)
	ls := lotsOf(m)
	if len(ls) != 2 {
		t.Fatalf("%d lots, want CN-01 and DV-01 (the road only shares an edge): %v", len(ls), ls)
	}
	want := map[string][2]float64{"DV-01": {4000, 55.56}, "CN-01": {3200, 44.44}}
	for _, l := range ls {
		w := want[l["code"].(string)]
		if math.Abs(l["overlap_m2"].(float64)-w[0]) > 0.01 || math.Abs(l["site_share_percent"].(float64)-w[1]) > 0.01 {
			t.Errorf("%s: %v m², %v %%; want %v", l["code"], l["overlap_m2"], l["site_share_percent"], w)
		}
	}
	if a := m["site"].(map[string]any)["area_m2"].(float64); math.Abs(a-7200) > 0.01 {
		t.Errorf("site area %v", a)
	}
	// the text for people
	out, _, code := quyhoach(t, "", "info", "--db", db, "--plan", "ke", "--site", site)
	if code != 0 || !strings.Contains(out, "4.000,00") || !strings.Contains(out, "Khu đất 7.200,00 m²") {
		t.Errorf("text: %d\n%s", code, out)
	}
}

// TestInfoAtPoint asks about one point three ways: lon/lat, VN-2000 X,Y,
// and X,Y written the wrong way round (refused with the hint).
func TestInfoAtPoint(t *testing.T) {
	db := squareDB(t)
	tr, _ := crs.New(crs.TM3LangSon, crs.WGS84)
	ll := tr(orb.Point{444070, 2430100})
	for _, args := range [][]string{
		{"--at", fmt.Sprintf("%.10f,%.10f", ll[0], ll[1])},
		{"--at", "2430100,444070", "--crs", "EPSG:9215"},
	} {
		m := infoJSON(t, append([]string{"--db", db, "--plan", "o-vuong"}, args...)...)
		ls := lotsOf(m)
		if len(ls) != 1 || ls[0]["code"] != "CN-99" || ls[0]["lot_m2"].(float64) != 10000 {
			t.Errorf("%v: %v", args, ls)
		}
		c := m["site"].(map[string]any)["corners_vn2000"].([]any)[0].(map[string]any)
		if math.Abs(c["x"].(float64)-2430100) > 0.002 || math.Abs(c["y"].(float64)-444070) > 0.002 {
			t.Errorf("%v: corner %v", args, c)
		}
	}
	_, e, code := quyhoach(t, "", "info", "--db", db, "--plan", "o-vuong", "--at", "444070,2430100", "--crs", "EPSG:9215")
	if code != 2 || !strings.Contains(e, "did you mean --at 2430100,444070") {
		t.Errorf("swapped X,Y: %d %q", code, e)
	}
	_, e, code = quyhoach(t, "", "info", "--db", db, "--plan", "o-vuong", "--at", "444070,2430100")
	if code != 2 || !strings.Contains(e, "--crs EPSG:9215") {
		t.Errorf("metres without --crs: %d %q", code, e)
	}
}

// TestInfoSheetTrueScale issues the sheet of a 30 m square site: its map
// extract is at 1/500, so the site's red outline measures 60 mm, in the
// PDF's drawing and on a pdftoppm raster at 254 dpi.
func TestInfoSheetTrueScale(t *testing.T) {
	needTool(t, "pdftoppm", "pdftotext", "pdffonts", "pdfinfo")
	db := squareDB(t)
	site := vnFile(t, "khu-dat.geojson", square(444040, 2430060, 30, ""))
	pdf := filepath.Join(t.TempDir(), "phieu.pdf")
	out, e, code := quyhoach(t, "", "info", "--db", db, "--plan", "o-vuong", "--site", site, "-o", pdf,
		"--requester", "Nguyễn Văn An", "--address", "Đồng Đăng, Cao Lộc", "--purpose", "Xây dựng nhà xưởng", "--requested", "2026-11-20", "--by", "Trần Thị Bình")
	if code != 0 || !strings.Contains(out, "số 1/TTQH-BQL") {
		t.Fatalf("info -o: %d %q %q", code, out, e)
	}
	// The drawing: the industrial lot CN-99 (#6600cc), 100 m, is 200 mm at
	// 1/500 in the PDF's coordinates (the frame clips what is shown of it).
	x0, y0, x1, y1 := firstFillPath(t, contentStreams(t, pdf), "0.400 0.000 0.800 rg")
	t.Logf("PDF drawing: the 100 m lot %.3f × %.3f mm", x1-x0, y1-y0)
	if w, h := x1-x0, y1-y0; math.Abs(w-200) > 0.1 || math.Abs(h-200) > 0.1 {
		t.Errorf("in the PDF drawing the 100 m lot is %.3f × %.3f mm, want 200.00 ± 0.1 at 1/500", w, h)
	}
	// The raster: the site's red outline, 20 m east and 10 m north of the
	// lot's corner, 10 px per mm, cropped around it (PDF y runs up).
	const pxmm = 10.0
	sx0, sy1 := x0+40, y0+20+60
	left, top := sx0-10, 297-sy1-10
	crop := filepath.Join(t.TempDir(), "crop")
	cmd := exec.Command("pdftoppm", "-png", "-r", "254", "-f", "1", "-l", "1", "-singlefile",
		"-x", strconv.Itoa(int(left*pxmm)), "-y", strconv.Itoa(int(top*pxmm)), "-W", "900", "-H", "900", pdf, crop)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, b)
	}
	img := readPNGFile(t, crop+".png")
	row := int((10 + 60.0/4) * pxmm) // a quarter into the site, clear of labels
	col := int((10 + 60.0/4) * pxmm)
	horiz := redCentres(img, func(i int) (int, int) { return i, row }, img.Bounds().Dx())
	vert := redCentres(img, func(i int) (int, int) { return col, i }, img.Bounds().Dy())
	for _, m := range []struct {
		name string
		c    []float64
	}{{"across", horiz}, {"down", vert}} {
		if len(m.c) != 2 {
			t.Errorf("%s: %d red bands, want the site's two sides (%v)", m.name, len(m.c), m.c)
			continue
		}
		d := (m.c[1] - m.c[0]) / pxmm
		t.Logf("raster at 254 dpi, %s: %.2f mm", m.name, d)
		if math.Abs(d-60) > 0.1 {
			t.Errorf("on the raster the site measures %.2f mm %s, want 60.00 ± 0.1", d, m.name)
		}
	}
	text, err := exec.Command("pdftotext", pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"THÔNG TIN QUY HOẠCH", "Số: 1/TTQH-BQL", "Nguyễn Văn An", "20/11/2026", "Xây dựng nhà xưởng", "TỶ LỆ 1/500",
		"CN-99", "900,00", "2.430.060,00", "444.040,00", "2.430.090,00", "444.070,00", "Trần Thị Bình", "Ô vuông kiểm tra tỷ lệ"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("the sheet lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(string(text))
	}
	info, _ := exec.Command("pdfinfo", pdf).Output()
	checkPageSize(t, string(info), 210, 297)
	fonts, _ := exec.Command("pdffonts", pdf).Output()
	if !strings.Contains(strings.ToLower(string(fonts)), "notosans") || !strings.Contains(string(fonts), "yes") {
		t.Errorf("pdffonts: want Noto Sans embedded:\n%s", fonts)
	}
	// recorded: listed, and a copy is the very document issued
	list, _, _ := quyhoach(t, "", "info", "list", "--db", db, "--json")
	var issued []map[string]any
	if err := json.Unmarshal([]byte(list), &issued); err != nil || len(issued) != 1 || issued[0]["requester"] != "Nguyễn Văn An" ||
		issued[0]["plan"] != "o-vuong" || issued[0]["version"] != float64(1) || issued[0]["number"] != float64(1) {
		t.Fatalf("info list: %v %s", err, list)
	}
	cp := filepath.Join(t.TempDir(), "ban-sao.pdf")
	year := strconv.Itoa(int(issued[0]["year"].(float64)))
	if _, e, code := quyhoach(t, "", "info", "copy", "--db", db, "--number", "1", "--year", year, "-o", cp); code != 0 {
		t.Fatalf("info copy: %d %s", code, e)
	}
	a, _ := os.ReadFile(pdf)
	b, _ := os.ReadFile(cp)
	if !bytes.Equal(a, b) {
		t.Error("the copy differs from the document issued")
	}
}

// redCentres returns the middles of the runs of red pixels met along a
// line of n pixels (the site's outline, antialiased at its edges).
func redCentres(img image.Image, at func(int) (int, int), n int) []float64 {
	red := func(i int) bool {
		r, g, b, _ := img.At(at(i)).RGBA()
		return r>>8 > 150 && g>>8 < 90 && b>>8 < 90
	}
	var out []float64
	for i := 0; i < n; i++ {
		if !red(i) {
			continue
		}
		j := i
		for j+1 < n && red(j+1) {
			j++
		}
		out = append(out, float64(i+j)/2)
		i = j
	}
	return out
}

// TestInfoPendingAndGeoPackage asks about Chi Ma's lot KNQ-04, which the
// dossier under appraisal splits, with the site given as a GeoPackage.
func TestInfoPendingAndGeoPackage(t *testing.T) {
	db := sampleDB(t)
	gpkg := filepath.Join(t.TempDir(), "chi-ma.gpkg")
	if _, e, code := quyhoach(t, "", "export", "--db", db, "--plan", "chi-ma", "-o", gpkg); code != 0 {
		t.Fatal(e)
	}
	m := infoJSON(t, "--db", db, "--plan", "chi-ma", "--lots", "KNQ-04")
	pend := m["pending_dossiers"].([]any)
	if len(pend) != 1 {
		t.Fatalf("pending %v", pend)
	}
	d := pend[0].(map[string]any)
	if d["id"] != float64(2) || d["state"] != "appraising" || !strings.Contains(fmt.Sprint(d["changes"]), "KNQ-04a") {
		t.Errorf("pending dossier %v", d)
	}
	// the boundary as the site: a GeoPackage table read like import reads
	// it. Exported in EPSG:9215 and read back to WGS84, its vertices may
	// move by up to a millimetre (gis/crs: the datum round trip), which over
	// its perimeter of a few kilometres is a square metre or two.
	b := infoJSON(t, "--db", db, "--plan", "chi-ma", "--site", gpkg, "--table", "RanhGioiQuyHoach_A")
	if n := len(lotsOf(b)); n < 80 {
		t.Errorf("the whole boundary as a site meets %d lots", n)
	}
	if o := b["boundary"].(map[string]any)["outside_m2"].(float64); o > 3 {
		t.Errorf("the boundary lies %v m² outside itself", o)
	}
}

// TestInfoRefusals: bad requests exit 2 with one line and record nothing.
func TestInfoRefusals(t *testing.T) {
	db := squareDB(t)
	out := filepath.Join(t.TempDir(), "x.pdf")
	bad := filepath.Join(t.TempDir(), "bad.geojson")
	os.WriteFile(bad, []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[106.7,21.9],[106.71,21.9],[106.71,21.91],[106.7,21.95]]]}}]}`), 0o644)
	line := filepath.Join(t.TempDir(), "line.geojson")
	os.WriteFile(line, []byte(`{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[106.7,21.9],[106.71,21.9]]}}`), 0o644)
	base := []string{"info", "--db", db, "--plan", "o-vuong"}
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "give one site"},
		{[]string{"--lots", "CN-99", "--at", "106.7,21.9"}, "give one site"},
		{[]string{"--lots", "CN-99", "XX-1"}, "unexpected argument"},
		{[]string{"--lots", "XX-1"}, "no lot XX-1"},
		{[]string{"--lots", "CN-99", "-o", out}, "--requester"},
		{[]string{"--lots", "CN-99", "-o", out, "--json", "--requester", "A"}, "exclude"},
		{[]string{"--site", bad}, "not closed"},
		{[]string{"--site", line}, "holds areas"},
		{[]string{"--site", filepath.Join(t.TempDir(), "none.geojson")}, "no such file"},
		{[]string{"--lots", "CN-99", "-o", out, "--requester", "A", "--requested", "20/11/2026"}, "YYYY-MM-DD"},
		{[]string{"--lots", "CN-99", "-o", out, "--requester", "A", "--scale", "500"}, "does not fit"},
		{[]string{"--at", "abc"}, "--at"},
	} {
		_, e, code := quyhoach(t, "", append(base, c.args...)...)
		if code != 2 || !strings.HasPrefix(e, "quyhoach: info: ") || !strings.Contains(e, c.want) || strings.Count(strings.TrimSpace(e), "\n") > 1 {
			t.Errorf("%v: got %d %q, want exit 2 with %q", c.args, code, e, c.want)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("a refused request left a file")
	}
	if list, _, _ := quyhoach(t, "", "info", "list", "--db", db, "--json"); strings.TrimSpace(list) != "[]" {
		t.Errorf("a refused request was recorded: %s", list)
	}
	if _, e, code := quyhoach(t, "", "info", "--plan", "nope", "--db", db, "--lots", "A"); code != 2 || !strings.Contains(e, "nope") {
		t.Errorf("a missing plan: %d %q", code, e)
	}
	if _, e, code := quyhoach(t, "", "info", "copy", "--db", db, "--number", "7", "-o", out); code != 2 || !strings.Contains(e, "no info document number 7") {
		t.Errorf("copy of a missing number: %d %q", code, e)
	}
}

// TestConform appraises a project on the 100 m lot CN-99 (plan limits
// written below) through the CLI: storeys over the maximum and density under
// it; a second run within the limits; JSON, CSV and a recorded PDF.
func TestConform(t *testing.T) {
	needTool(t, "pdftotext")
	db := squareDB(t)
	// give CN-99 indicators through a dossier-free re-import of the same lot
	lot := vnFile(t, "cn99.geojson", square(444020, 2430050, 100, `"maDoiTuong":"CN-99","phanLoai":"DAT_SX_Congnghiep","giaiDoan":"QHDD","matDoXayDung":60,"tangCaoMin":1,"tangCaoMax":5,"heSoSuDungDat":2.5,"khoangLui":6`))
	if _, e, code := quyhoach(t, "", "import", "--db", db, "--plan", "o-vuong", "--layer", "ChucNangSuDungDat_A", "--key", "maDoiTuong", lot); code != 0 {
		t.Fatal(e)
	}
	// 40 × 40 m inside CN-99, 10 m of it sticking out west of the plan (no boundary layer: no outside part)
	proj := vnFile(t, "du-an.geojson", square(444030, 2430060, 40, `"maDoiTuong":"NX-1","phanLoai":"CN","matDoXayDung":40,"tangCaoMin":3,"tangCaoMax":9,"heSoSuDungDat":2`))
	out, e, code := quyhoach(t, "", "conform", "--db", db, "--plan", "o-vuong", "--project", proj)
	if code != 1 || !strings.Contains(e, "non-conform") {
		t.Fatalf("conform: %d %q\n%s", code, e, out)
	}
	for _, want := range []string{"Tầng cao", "3–9 tầng", "1–5 tầng", "không phù hợp", "Mật độ xây dựng", "40 %", "tối đa 60 %", "phù hợp"} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
	js, _, code := quyhoach(t, "", "conform", "--db", db, "--plan", "o-vuong", "--project", proj, "--json")
	var res struct {
		Verdict string
		Results []struct {
			Checks []struct{ Indicator, Verdict, ProposedText, AllowedText string } `json:"checks"`
		}
	}
	if err := json.Unmarshal([]byte(js), &res); err != nil || code != 1 || res.Verdict != "nonconform" {
		t.Fatalf("--json: %d %v\n%s", code, err, js)
	}
	got := map[string]string{}
	for _, ch := range res.Results[0].Checks {
		got[ch.Indicator] = ch.Verdict
	}
	if got["storeys"] != "nonconform" || got["density"] != "conform" || got["use"] != "conform" || got["floor_area_ratio"] != "conform" {
		t.Errorf("verdicts %v", got)
	}
	csv, _, _ := quyhoach(t, "", "conform", "--db", db, "--plan", "o-vuong", "--project", proj, "--csv")
	if !strings.Contains(csv, "NX-1,CN-99,1600.00,storeys,3–9 tầng,1–5 tầng,nonconform,không phù hợp") {
		t.Errorf("CSV:\n%s", csv)
	}
	// the same site with flags for storeys within the plan: conform, exit 0
	if out, e, code := quyhoach(t, "", "conform", "--db", db, "--plan", "o-vuong", "--project", proj, "--storeys", "2-5"); code != 0 || !strings.Contains(out, "Kết luận: dự án phù hợp") {
		t.Errorf("within the limits: %d %q\n%s", code, e, out)
	}
	pdf := filepath.Join(t.TempDir(), "bao-cao.pdf")
	if out, e, code := quyhoach(t, "", "conform", "--db", db, "--plan", "o-vuong", "--project", proj, "-o", pdf, "--requester", "Công ty CP Đồng Đăng"); code != 1 || !strings.Contains(out, "số 1/KTPH-BQL") {
		t.Fatalf("conform -o: %d %q %q", code, out, e)
	}
	text, _ := exec.Command("pdftotext", pdf, "-").Output()
	for _, want := range []string{"KẾT QUẢ KIỂM TRA SỰ PHÙ HỢP VỚI QUY HOẠCH", "Số: 1/KTPH-BQL", "Công ty CP Đồng Đăng", "KHÔNG PHÙ HỢP", "3–9 tầng", "1–5 tầng"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if list, _, _ := quyhoach(t, "", "info", "list", "--db", db, "--kind", "conform"); !strings.Contains(list, "1/KTPH-BQL") {
		t.Errorf("the report is not recorded:\n%s", list)
	}
	// bad input: exit 2, nothing recorded
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--project", proj, "--use", "XYZ"}, "--use"},
		{[]string{"--project", proj, "--storeys", "9-3"}, "storeys"},
		{[]string{}, "need --project"},
		{[]string{"--project", proj, "--json", "--csv"}, "exclude"},
	} {
		_, e, code := quyhoach(t, "", append([]string{"conform", "--db", db, "--plan", "o-vuong"}, c.args...)...)
		if code != 2 || !strings.Contains(e, c.want) {
			t.Errorf("%v: %d %q, want exit 2 with %q", c.args, code, e, c.want)
		}
	}
}

// TestConformOutsideBoundary: Hữu Nghị has a boundary; a project straddling
// its edge is flagged with the area outside it.
func TestConformOutsideBoundary(t *testing.T) {
	db := sampleDB(t)
	exp := filepath.Join(t.TempDir(), "rg.geojson")
	if _, e, code := quyhoach(t, "", "export", "--db", db, "--plan", "huu-nghi", "--layer", "RanhGioiQuyHoach_A", "--crs", "EPSG:9215", "-o", exp); code != 0 {
		t.Fatal(e)
	}
	raw, _ := os.ReadFile(exp)
	var fc struct {
		Features []struct {
			Geometry struct{ Coordinates [][][2]float64 }
		}
	}
	if err := json.Unmarshal(raw, &fc); err != nil || len(fc.Features) == 0 {
		t.Fatalf("boundary: %v", err)
	}
	// the boundary's westmost vertex; a 20 m square centred on it sticks out
	ring := fc.Features[0].Geometry.Coordinates[0]
	w := ring[0]
	for _, p := range ring {
		if p[0] < w[0] {
			w = p
		}
	}
	proj := vnFile(t, "p.geojson", square(w[0]-10, w[1]-10, 20, `"phanLoai":"DV"`))
	js, _, code := quyhoach(t, "", "conform", "--db", db, "--plan", "huu-nghi", "--project", proj, "--json")
	if code != 1 || !strings.Contains(js, `"kind": "outside"`) {
		t.Fatalf("%d\n%s", code, js)
	}
	var res struct {
		Results []struct {
			Outside float64 `json:"outside_boundary_m2"`
			Flags   []struct {
				Kind   string
				AreaM2 float64 `json:"area_m2"`
			}
		}
	}
	json.Unmarshal([]byte(js), &res)
	r := res.Results[0]
	if r.Outside < 100 || r.Outside > 400 || r.Flags[0].Kind != "outside" || r.Flags[0].AreaM2 != r.Outside {
		t.Errorf("outside %v m², flags %+v", r.Outside, r.Flags)
	}
}
