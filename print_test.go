package main

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"image"
	"image/png"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"quyhoach/gis/crs"
	"quyhoach/gis/sheet"
)

func needTool(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (poppler-utils)", tool)
		}
	}
}

// squareDB is a store with plan "o-vuong": one industrial lot, exactly
// 100 m × 100 m in EPSG:9215, south-west corner at (444020, 2430050).
func squareDB(t *testing.T) string {
	t.Helper()
	db := sampleDB(t)
	if _, e, code := quyhoach(t, "", "plan", "create", "--db", db, "--code", "o-vuong", "--name", "Ô vuông kiểm tra tỷ lệ", "--level", "detailed", "--scale", "2000"); code != 0 {
		t.Fatalf("plan create: %d %s", code, e)
	}
	f := filepath.Join(t.TempDir(), "square.geojson")
	os.WriteFile(f, []byte(`{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::9215"}},"features":[
{"type":"Feature","properties":{"maDoiTuong":"CN-99","phanLoai":"DAT_SX_Congnghiep","giaiDoan":"QHDD"},"geometry":{"type":"Polygon","coordinates":[[[444020,2430050],[444120,2430050],[444120,2430150],[444020,2430150],[444020,2430050]]]}}]}`), 0o644)
	if _, e, code := quyhoach(t, "", "import", "--db", db, "--plan", "o-vuong", "--layer", "ChucNangSuDungDat_A", f); code != 0 {
		t.Fatalf("import: %d %s", code, e)
	}
	return db
}

func printPDF(t *testing.T, args ...string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "sheet.pdf")
	o, e, code := quyhoach(t, "", append([]string{"print", "-o", out}, args...)...)
	if code != 0 {
		t.Fatalf("print %v: %d %s", args, code, e)
	}
	if !strings.Contains(o, out) {
		t.Errorf("print says %q", o)
	}
	return out
}

// contentStreams returns the inflated streams of a PDF.
func contentStreams(t *testing.T, pdf string) []string {
	t.Helper()
	data, err := os.ReadFile(pdf)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for {
		i := bytes.Index(data, []byte("stream\n"))
		if i < 0 {
			break
		}
		data = data[i+len("stream\n"):]
		j := bytes.Index(data, []byte("endstream"))
		if j < 0 {
			break
		}
		r, err := zlib.NewReader(bytes.NewReader(data[:j]))
		if err == nil {
			if b, err := io.ReadAll(r); err == nil {
				out = append(out, string(b))
			}
		}
		data = data[j:]
	}
	return out
}

// firstFillPath returns the bounding box, in mm from the page's bottom-left
// corner, of the first path filled after the fill colour rg is set.
func firstFillPath(t *testing.T, streams []string, rg string) (x0, y0, x1, y1 float64) {
	t.Helper()
	pt := regexp.MustCompile(`^(-?[\d.]+) (-?[\d.]+) [ml]$`)
	for _, s := range streams {
		i := strings.Index(s, rg)
		if i < 0 {
			continue
		}
		x0, y0, x1, y1 = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
		for _, line := range strings.Split(s[i+len(rg):], "\n") {
			line = strings.TrimSpace(line)
			if m := pt.FindStringSubmatch(line); m != nil {
				x, _ := strconv.ParseFloat(m[1], 64)
				y, _ := strconv.ParseFloat(m[2], 64)
				x0, y0, x1, y1 = math.Min(x0, x), math.Min(y0, y), math.Max(x1, x), math.Max(y1, y)
				continue
			}
			if strings.HasPrefix(line, "f") && !math.IsInf(x0, 0) {
				k := 25.4 / 72
				return x0 * k, y0 * k, x1 * k, y1 * k
			}
		}
	}
	t.Fatalf("no path filled with %q", rg)
	return
}

// TestPrintScaleIsExact prints the 100 m lot at 1/2000 and measures it twice:
// in the PDF's drawing (its fill path) and on a pdftoppm raster at 254 dpi
// (10 pixels per mm), between the centres of its outline's two sides.
func TestPrintScaleIsExact(t *testing.T) {
	needTool(t, "pdftoppm", "pdfinfo")
	db := squareDB(t)
	back, _ := crs.New(crs.TM3LangSon, crs.WGS84)
	c := back(orb.Point{444070, 2430100})
	pdf := printPDF(t, "--db", db, "--plan", "o-vuong", "--scale", "2000", "--paper", "A3", "--landscape",
		"--center", fmt.Sprintf("%.10f,%.10f", c[0], c[1]))

	// The drawing: the lot is filled with the industrial colour #6600cc.
	x0, y0, x1, y1 := firstFillPath(t, contentStreams(t, pdf), "0.400 0.000 0.800 rg")
	t.Logf("PDF drawing: %.3f × %.3f mm", x1-x0, y1-y0)
	if w, h := x1-x0, y1-y0; math.Abs(w-50) > 0.1 || math.Abs(h-50) > 0.1 {
		t.Errorf("in the PDF drawing the 100 m lot is %.3f × %.3f mm, want 50.00 ± 0.1", w, h)
	}

	// The raster: the lot sits at the map frame's centre.
	l, err := sheet.New(sheet.Options{Paper: "A3", Landscape: true, Scale: 2000}, orb.Point{444070, 2430100})
	if err != nil {
		t.Fatal(err)
	}
	const pxmm = 10.0 // 254 dpi
	left, top := l.Page(orb.Point{444000, 2430200})
	out := filepath.Join(t.TempDir(), "crop")
	cmd := exec.Command("pdftoppm", "-png", "-r", "254", "-singlefile",
		"-x", strconv.Itoa(int(left*pxmm)), "-y", strconv.Itoa(int(top*pxmm)), "-W", "1400", "-H", "1200", pdf, out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, b)
	}
	img := readPNGFile(t, out+".png")
	ox, oy := float64(int(left*pxmm)), float64(int(top*pxmm))
	// A row a quarter down the lot (clear of its label) and a column a quarter in.
	_, rowY := l.Page(orb.Point{0, 2430125})
	colX, _ := l.Page(orb.Point{444045, 0})
	horiz := outlineCentres(img, func(i int) (int, int) { return i, int(rowY*pxmm - oy) }, img.Bounds().Dx())
	vert := outlineCentres(img, func(i int) (int, int) { return int(colX*pxmm - ox), i }, img.Bounds().Dy())
	for _, m := range []struct {
		name string
		c    []float64
	}{{"across", horiz}, {"down", vert}} {
		if len(m.c) != 2 {
			t.Errorf("%s: %d outline bands, want 2 (%v)", m.name, len(m.c), m.c)
			continue
		}
		t.Logf("raster at 254 dpi, %s: %.2f mm", m.name, (m.c[1]-m.c[0])/pxmm)
		if d := (m.c[1] - m.c[0]) / pxmm; math.Abs(d-50) > 0.1 {
			t.Errorf("on the raster the lot measures %.2f mm %s, want 50.00 ± 0.1", d, m.name)
		}
	}
	info, err := exec.Command("pdfinfo", pdf).Output()
	if err != nil {
		t.Fatal(err)
	}
	checkPageSize(t, string(info), 420, 297)
}

// outlineCentres returns the centres of the dark bands (the lot outline)
// met along a line of n pixels, weighted by darkness: neutral dark pixels
// only, so the purple fill and the white paper do not count.
func outlineCentres(img image.Image, at func(int) (int, int), n int) []float64 {
	var out []float64
	sum, wsum := 0.0, 0.0
	for i := 0; i <= n; i++ {
		w := 0.0
		if i < n {
			r, g, b, _ := img.At(at(i)).RGBA()
			r, g, b = r>>8, g>>8, b>>8
			lum := 0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)
			// The outline is neutral dark grey; the lot's purple is not neutral.
			if lum < 110 && absDiff(r, g) < 24 && absDiff(g, b) < 24 {
				w = 1 - lum/255
			}
		}
		if w > 0 {
			sum += float64(i) * w
			wsum += w
		} else if wsum > 0 {
			out = append(out, sum/wsum)
			sum, wsum = 0, 0
		}
	}
	return out
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

func readPNGFile(t *testing.T, p string) image.Image {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// checkPageSize reads pdfinfo's "Page size: W x H pts" and compares in mm.
func checkPageSize(t *testing.T, info string, wmm, hmm float64) {
	t.Helper()
	m := regexp.MustCompile(`Page size:\s+([\d.]+) x ([\d.]+) pts`).FindStringSubmatch(info)
	if m == nil {
		t.Fatalf("pdfinfo: no page size in %s", info)
	}
	w, _ := strconv.ParseFloat(m[1], 64)
	h, _ := strconv.ParseFloat(m[2], 64)
	w, h = w*25.4/72, h*25.4/72
	if math.Abs(w-wmm) > 0.1 || math.Abs(h-hmm) > 0.1 {
		t.Errorf("page %.2f × %.2f mm, want %g × %g", w, h, wmm, hmm)
	}
}

func TestPrintPaperSizes(t *testing.T) {
	needTool(t, "pdfinfo")
	db := squareDB(t)
	for _, p := range sheet.Papers {
		for _, land := range []bool{false, true} {
			args := []string{"--db", db, "--plan", "o-vuong", "--paper", p.Name}
			w, h := p.W, p.H
			if land {
				args = append(args, "--landscape")
				w, h = h, w
			}
			info, err := exec.Command("pdfinfo", printPDF(t, args...)).Output()
			if err != nil {
				t.Fatal(err)
			}
			checkPageSize(t, string(info), w, h)
		}
	}
}

func TestPrintTextAndFonts(t *testing.T) {
	needTool(t, "pdftotext", "pdffonts")
	db := sampleDB(t)
	pdf := printPDF(t, "--db", db, "--plan", "truc-trung-tam", "--dossier", "1", "--adjusted", "--scale", "2000", "--paper", "A1", "--landscape",
		"--balance", "--title", "Bản đồ điều chỉnh quy hoạch sử dụng đất", "--drawing-no", "QH-05", "--date", "27/11/2026", "--lead", "Nguyễn Văn An")
	out, err := exec.Command("pdftotext", pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, want := range []string{
		"QUY HOẠCH PHÂN KHU TRỤC TRUNG TÂM", "ĐIỀU CHỈNH CỤC BỘ", "BẢN ĐỒ ĐIỀU CHỈNH QUY HOẠCH SỬ DỤNG ĐẤT", "QH-05",
		"TỶ LỆ 1/2000", "UBND TỈNH LẠNG SƠN", "SỞ XÂY DỰNG", "Quyết định số 1586/QĐ-UBND ngày 06/9/2024", "27/11/2026", "Nguyễn Văn An",
		"CHÚ GIẢI", "Ranh giới khu vực điều chỉnh", "CÂN BẰNG ĐẤT KHU VỰC ĐIỀU CHỈNH", "CÂN BẰNG ĐẤT TOÀN ĐỒ ÁN", "VN-2000", " ha",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("pdftotext lacks %q", want)
		}
	}
	if !regexp.MustCompile(`\b[A-Z]{2,5}-\d{2}\b`).MatchString(text) {
		t.Errorf("no lot code in the text")
	}
	if !regexp.MustCompile(`\d+,\d\d ha`).MatchString(text) {
		t.Errorf("no area written the Vietnamese way (1,25 ha)")
	}
	if t.Failed() {
		t.Log(text)
	}
	fonts, err := exec.Command("pdffonts", pdf).Output()
	if err != nil {
		t.Fatal(err)
	}
	embedded := 0
	for _, line := range strings.Split(string(fonts), "\n") {
		f := strings.Fields(line)
		if len(f) >= 7 && strings.Contains(strings.ToLower(f[0]), "notosans") && f[len(f)-5] == "yes" {
			embedded++
		}
	}
	if embedded < 2 {
		t.Errorf("pdffonts: want Noto Sans regular and bold embedded:\n%s", fonts)
	}
}

func TestPrintLotCodes(t *testing.T) {
	needTool(t, "pdftotext")
	db := squareDB(t)
	pdf := printPDF(t, "--db", db, "--plan", "o-vuong", "--scale", "2000", "--fit")
	out, err := exec.Command("pdftotext", pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"CN-99", "1,00 ha", "TỶ LỆ 1/2000", "Ô VUÔNG KIỂM TRA TỶ LỆ", "Đất công nghiệp, kho tàng"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("pdftotext lacks %q:\n%s", want, out)
		}
	}
	// A selection fitted at the largest standard scale: the 100 m lot is
	// 200 mm at 1/500, too wide for A3 portrait's frame, so 1/1000.
	out, _ = exec.Command("pdftotext", printPDF(t, "--db", db, "--plan", "o-vuong", "--lots", "CN-99"), "-").Output()
	if !strings.Contains(string(out), "TỶ LỆ 1/1000") {
		t.Errorf("--lots CN-99 on A3 portrait: want TỶ LỆ 1/1000:\n%s", out)
	}
}

func TestPrintAtlasAndCompare(t *testing.T) {
	needTool(t, "pdfinfo", "pdftotext")
	db := sampleDB(t)
	pages := func(pdf string) int {
		info, _ := exec.Command("pdfinfo", pdf).Output()
		m := regexp.MustCompile(`Pages:\s+(\d+)`).FindStringSubmatch(string(info))
		if m == nil {
			t.Fatalf("pdfinfo: %s", info)
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	pdf := printPDF(t, "--db", db, "--plan", "huu-nghi", "--atlas", "--paper", "A1", "--landscape", "--no-labels")
	n := pages(pdf)
	if n < 3 {
		t.Errorf("atlas of Hữu Nghị at 1/500 on A1: %d pages, want an index and at least 2 sheets", n)
	}
	out, _ := exec.Command("pdftotext", "-f", "1", "-l", "2", pdf, "-").Output()
	for _, want := range []string{"SƠ ĐỒ PHÂN MẢNH", "TỶ LỆ 1/500", fmt.Sprintf("MẢNH 1/%d", n-1)} {
		if !strings.Contains(string(out), want) {
			t.Errorf("atlas lacks %q", want)
		}
	}
	pdf = printPDF(t, "--db", db, "--plan", "chi-ma", "--dossier", "2", "--compare")
	if n := pages(pdf); n != 2 {
		t.Errorf("compare: %d pages, want 2", n)
	}
	out, _ = exec.Command("pdftotext", pdf, "-").Output()
	for _, want := range []string{"QUY HOẠCH ĐÃ PHÊ DUYỆT", "QUY HOẠCH ĐIỀU CHỈNH", "ĐIỀU CHỈNH CỤC BỘ"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("compare lacks %q", want)
		}
	}
}

func TestPrintBadRequests(t *testing.T) {
	db := squareDB(t)
	out := filepath.Join(t.TempDir(), "x.pdf")
	base := []string{"print", "--db", db, "-o", out}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--plan", "o-vuong", "--paper", "B4"}, `unknown paper "B4"`},
		{[]string{"--plan", "o-vuong", "--scale", "0"}, "--scale 0"},
		{[]string{"--plan", "o-vuong", "--scale", "-2000"}, "--scale -2000"},
		{[]string{"--plan", "truc-trung-tam", "--atlas", "--scale", "50", "--paper", "A4"}, "more than 500"},
		{[]string{"--plan", "o-vuong", "--center", "abc"}, "--center"},
		{[]string{"--plan", "o-vuong", "--center", "106.7,21.9", "--fit"}, "exclude"},
		{[]string{"--plan", "o-vuong", "--version", "1", "--dossier", "1"}, "exclude"},
		{[]string{"--plan", "o-vuong", "--compare"}, "--compare needs --dossier"},
		{[]string{"--plan", "o-vuong", "--date", "2026-11-27"}, "dd/mm/yyyy"},
		{[]string{"--scale", "2000"}, "need --plan"},
		{[]string{"--plan", "o-vuong", "--lots", "CN-99,XX-1"}, "--lots: no lot XX-1"},
		{[]string{"--plan", "o-vuong", "--lots", "CN-99", "--adjusted"}, "exclude"},
	}
	for _, tc := range cases {
		_, e, code := quyhoach(t, "", append(base, tc.args...)...)
		if code != 2 || !strings.Contains(e, "quyhoach: print: ") || !strings.Contains(e, tc.want) {
			t.Errorf("%v: got %d %q, want exit 2 with %q", tc.args, code, e, tc.want)
		}
	}
	if _, e, code := quyhoach(t, "", "print", "--db", db, "--plan", "o-vuong"); code != 2 || !strings.Contains(e, "-o") {
		t.Errorf("no -o: %d %q", code, e)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a refused print left %s", out)
	}
}
