package sheet

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"quyhoach/assets"
	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/gis/diff"
	"quyhoach/gis/geojson"
	"quyhoach/gis/landuse"
	"quyhoach/gis/render"
)

var update = flag.Bool("update", false, "rewrite the golden page images")

func catalogue(t testing.TB) *landuse.Catalogue {
	cat, err := landuse.Parse(assets.LandUse)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

var fonts = render.Fonts{Regular: assets.FontRegular, Bold: assets.FontBold}

// blocks makes rows × cols lots of size m metres (5 m streets between them)
// from the south-west corner sw, classes cycling through codes, with a
// seeded jitter of their corners.
func blocks(sw orb.Point, rows, cols int, size float64, codes []string, seed int64) []gis.Feature {
	return blocksWH(sw, rows, cols, size, size, 5, codes, seed)
}

type gisFeature = gis.Feature

// blocksWH makes rows × cols lots of w × h metres with streets of street
// metres between them (see blocks).
func blocksWH(sw orb.Point, rows, cols int, w, h, street float64, codes []string, seed int64) []gis.Feature {
	r := rand.New(rand.NewSource(seed))
	size := math.Min(w, h)
	stages := []string{"HT", "QHDD", "QHDH"}
	var out []gis.Feature
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			x, y := sw[0]+float64(j)*(w+street), sw[1]+float64(i)*(h+street)
			jit := func() float64 { return (r.Float64() - 0.5) * size * 0.15 }
			ring := orb.Ring{{x + jit(), y + jit()}, {x + w + jit(), y + jit()}, {x + w + jit(), y + h + jit()}, {x + jit(), y + h + jit()}}
			ring = append(ring, ring[0])
			n := i*cols + j
			code := codes[n%len(codes)]
			out = append(out, gis.Feature{
				ID:       fmt.Sprintf("lot-%d", n),
				Geometry: orb.Polygon{ring},
				Properties: map[string]any{"maDoiTuong": fmt.Sprintf("%s-%02d", code, n+1), "phanLoai": code,
					"giaiDoan": stages[n%3]},
			})
		}
	}
	return out
}

func boundaryOf(lots []gis.Feature) []gis.Feature {
	var b orb.Bound
	for i, f := range lots {
		if i == 0 {
			b = f.Geometry.Bound()
		} else {
			b = b.Union(f.Geometry.Bound())
		}
	}
	return []gis.Feature{{Geometry: orb.Polygon{b.Pad(10).ToRing()}}}
}

// sampleSheet is an A3 landscape sheet at 1/2000 of 60 lots, one of them
// changed by a local adjustment, with the balance table.
func sampleSheet(t testing.TB) *Document {
	cat := catalogue(t)
	lots := blocks(orb.Point{444000, 2430000}, 5, 8, 50, []string{"ONM", "DV", "CXCC", "CN", "GD", "OHH", "KSLH", "HTKT"}, 1)
	before := append([]gis.Feature(nil), lots...)
	lots[23].Properties = map[string]any{"maDoiTuong": "TG-01", "phanLoai": "DTTG", "giaiDoan": "QHDD"}
	bnd := boundaryOf(lots)
	l, err := Fit(Options{Paper: "A3", Landscape: true}, bnd[0].Geometry.Bound())
	if err != nil {
		t.Fatal(err)
	}
	classOf := func(f gis.Feature) diff.Class {
		c, _ := cat.Of(f)
		return diff.Class{Code: c.Code, Name: c.NameVI}
	}
	bal := diff.Compare(before, lots, classOf, cat.Codes())
	return &Document{
		Title:     "Bản đồ quy hoạch tổng mặt bằng sử dụng đất",
		Created:   time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC),
		Catalogue: cat,
		Fonts:     fonts,
		Sheets: []Sheet{{
			Layout: l,
			Title: TitleBlock{
				ApprovingBody: "UBND tỉnh Lạng Sơn", AppraisingBody: "Sở Xây dựng tỉnh Lạng Sơn",
				OrganisingBody: "Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng – Lạng Sơn", Consultant: "Viện Quy hoạch xây dựng Lạng Sơn",
				PlanName: "Quy hoạch phân khu Trục trung tâm Khu kinh tế cửa khẩu Đồng Đăng – Lạng Sơn", Adjustment: "Điều chỉnh cục bộ",
				DrawingName: "Bản đồ quy hoạch tổng mặt bằng sử dụng đất", DrawingNo: "QH-04",
				Lead: "Nguyễn Văn An", Designer: "Trần Thị Bình", Checker: "Lê Văn Cường", Date: "27/11/2026",
				DecisionNo: "Quyết định số 1586/QĐ-UBND", DecisionDate: "06/9/2024",
			},
			Map:     render.Map{Lots: lots, Boundary: bnd, Highlight: []gis.Feature{lots[23]}, Labels: true},
			Plan:    bnd,
			Balance: &bal,
			Note:    "Dữ liệu minh họa, không phải số liệu chính thức",
		}},
	}
}

func TestWriteRefusesNothing(t *testing.T) {
	if err := (&Document{Fonts: fonts}).Write(io.Discard); err == nil {
		t.Errorf("a document without sheets was written")
	}
	d := sampleSheet(t)
	d.Sheets[0].Layout.Scale = 0
	if err := d.Write(io.Discard); !errors.Is(err, ErrScale) {
		t.Errorf("scale 0: %v", err)
	}
	d = sampleSheet(t)
	d.Fonts = render.Fonts{}
	if err := d.Write(io.Discard); err == nil {
		t.Errorf("a document without fonts was written")
	}
}

func writePDF(t testing.TB, d *Document) string {
	var buf bytes.Buffer
	if err := d.Write(&buf); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "sheet.pdf")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func need(t *testing.T, tool string) {
	if _, err := exec.LookPath(tool); err != nil {
		t.Skipf("%s not installed (poppler-utils)", tool)
	}
}

func TestSheetText(t *testing.T) {
	need(t, "pdftotext")
	d := sampleSheet(t)
	var calls [][2]int
	d.Progress = func(done, total int) { calls = append(calls, [2]int{done, total}) }
	p := writePDF(t, d)
	if len(calls) != 1 || calls[0] != [2]int{1, 1} {
		t.Errorf("progress %v, want [[1 1]]", calls)
	}
	out, err := exec.Command("pdftotext", "-layout", p, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, want := range []string{"QUY HOẠCH PHÂN KHU TRỤC TRUNG TÂM", "ĐIỀU CHỈNH CỤC BỘ", "TỶ LỆ 1/2000", "QH-04", "CHÚ GIẢI",
		"Đất công nghiệp, kho tàng", "ONM-01", "TG-01", "ha", "SỞ XÂY DỰNG", "1586/QĐ-UBND", "VN-2000", "X 2.430.", "Y 444.", "BẢNG CÂN BẰNG"} {
		if !strings.Contains(text, want) {
			t.Errorf("pdftotext lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(text)
	}
}

// TestGoldenPage compares the sample sheet rendered by pdftoppm at 40 dpi
// with testdata/sheet-a3.png; -update rewrites it.
func TestGoldenPage(t *testing.T) {
	need(t, "pdftoppm")
	comparePage(t, writePDF(t, sampleSheet(t)), "sheet-a3.png")
}

// comparePage renders the PDF's first page at 40 dpi and compares it with
// testdata/golden, with a tolerance: anti-aliasing and font rasterising
// differ between poppler versions, so the mean difference must stay small
// and few pixels may change much. -update rewrites the golden file.
func comparePage(t *testing.T, pdf, golden string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "page")
	if b, err := exec.Command("pdftoppm", "-png", "-r", "40", "-singlefile", pdf, out).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, b)
	}
	got := readPNG(t, out+".png")
	path := filepath.Join("testdata", golden)
	if *update {
		os.MkdirAll("testdata", 0o755)
		b, _ := os.ReadFile(out + ".png")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want := readPNG(t, path)
	if got.Bounds() != want.Bounds() {
		t.Fatalf("page image %v, golden %v", got.Bounds(), want.Bounds())
	}
	var sum float64
	bad := 0
	b := got.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r1, g1, b1, _ := got.At(x, y).RGBA()
			r2, g2, b2, _ := want.At(x, y).RGBA()
			d := (math.Abs(float64(r1)-float64(r2)) + math.Abs(float64(g1)-float64(g2)) + math.Abs(float64(b1)-float64(b2))) / 3 / 257
			sum += d
			if d > 64 {
				bad++
			}
		}
	}
	n := float64(b.Dx() * b.Dy())
	mean, frac := sum/n, float64(bad)/n
	t.Logf("against %s: mean difference %.3f/255, %.3f%% pixels off by more than 64", path, mean, 100*frac)
	if mean > 0.5 || frac > 0.001 {
		os.MkdirAll(filepath.Join("testdata", "failed"), 0o755)
		data, _ := os.ReadFile(out + ".png")
		os.WriteFile(filepath.Join("testdata", "failed", golden), data, 0o644)
		t.Errorf("page differs from %s: mean %.2f/255, %.2f%% pixels off (see testdata/failed/)", path, mean, 100*frac)
	}
}

func readPNG(t *testing.T, p string) image.Image {
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

// TestPreviewMatchesPage draws the sample sheet on a raster and compares it
// with poppler's rendering of the PDF: the two targets of one drawing.
func TestPreviewMatchesPage(t *testing.T) {
	need(t, "pdftoppm")
	d := sampleSheet(t)
	img, err := d.Sheets[0].Preview(d.Catalogue, d.Fonts, 40)
	if err != nil {
		t.Fatal(err)
	}
	p := writePDF(t, d)
	out := filepath.Join(t.TempDir(), "page")
	if b, err := exec.Command("pdftoppm", "-png", "-r", "40", "-singlefile", p, out).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, b)
	}
	want := readPNG(t, out+".png")
	if img.Bounds().Dx() != want.Bounds().Dx() || img.Bounds().Dy() != want.Bounds().Dy() {
		t.Fatalf("preview %v, page %v", img.Bounds(), want.Bounds())
	}
	var sum float64
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r1, g1, b1, _ := img.At(x, y).RGBA()
			r2, g2, b2, _ := want.At(x, y).RGBA()
			sum += (math.Abs(float64(r1)-float64(r2)) + math.Abs(float64(g1)-float64(g2)) + math.Abs(float64(b1)-float64(b2))) / 3 / 257
		}
	}
	mean := sum / float64(b.Dx()*b.Dy())
	t.Logf("raster preview against the PDF page: mean difference %.2f/255", mean)
	if mean > 8 { // edges and small text anti-alias differently; shapes and colours agree
		t.Errorf("the raster preview and the PDF page differ: mean %.2f/255", mean)
	}
}

// chiMa is the sample plan of Chi Ma (assets/sample, illustrative data)
// projected to EPSG:9215: lots, boundary and centre lines.
func chiMa(t testing.TB) (lots, boundary, lines []gis.Feature) {
	tr, err := crs.New(crs.WGS84, crs.TM3LangSon)
	if err != nil {
		t.Fatal(err)
	}
	read := func(name string) []gis.Feature {
		f, err := assets.Samples.Open("sample/chi-ma/v1/" + name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		col, err := geojson.Read(f, geojson.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if col.CRS == crs.TM3LangSon { // the sample files are in the official grid
			return col.Features
		}
		return gis.Project([]gis.Layer{{Features: col.Features}}, tr)[0].Features
	}
	return read("ChucNangSuDungDat_A.geojson"), read("RanhGioiQuyHoach_A.geojson"), read("TimDuongGiaoThong_L.geojson")
}

// TestGoldenSamplePlan renders the Chi Ma sample plan on an A3 landscape
// sheet and compares it with testdata/chi-ma-a3.png; -update rewrites it.
func TestGoldenSamplePlan(t *testing.T) {
	need(t, "pdftoppm")
	lots, boundary, lines := chiMa(t)
	l, err := Fit(Options{Paper: "A3", Landscape: true}, boundary[0].Geometry.Bound())
	if err != nil {
		t.Fatal(err)
	}
	d := &Document{Title: "Chi Ma", Created: time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC), Catalogue: catalogue(t), Fonts: fonts,
		Sheets: []Sheet{{
			Layout: l,
			Title: TitleBlock{ApprovingBody: "UBND tỉnh Lạng Sơn", AppraisingBody: "Sở Xây dựng tỉnh Lạng Sơn",
				OrganisingBody: "Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng – Lạng Sơn", PlanName: "Quy hoạch chi tiết Khu cửa khẩu Chi Ma",
				DrawingName: "Bản đồ quy hoạch tổng mặt bằng sử dụng đất", DrawingNo: "QH-04", Date: "27/11/2026"},
			Map:  render.Map{Lots: lots, Boundary: boundary, Lines: lines, Labels: true},
			Plan: boundary,
			Note: "Dữ liệu minh họa, không phải hình học chính thức của đồ án",
		}}}
	comparePage(t, writePDF(t, d), "chi-ma-a3.png")
}

// allGeometries holds every geometry type, empty ones and nil, around the
// sample's place.
func allGeometries() []orb.Geometry {
	p := orb.Point{444100, 2430100}
	ring := orb.Ring{{444000, 2430000}, {444200, 2430000}, {444200, 2430200}, {444000, 2430200}, {444000, 2430000}}
	return []orb.Geometry{nil, p, orb.MultiPoint{p}, orb.LineString{p, {444150, 2430150}}, orb.MultiLineString{{p, {444150, 2430150}}},
		ring, orb.Polygon{ring}, orb.MultiPolygon{{ring}}, orb.Collection{p, orb.Polygon{ring}}, orb.Bound{Min: p, Max: orb.Point{444120, 2430120}},
		orb.MultiPoint{}, orb.LineString{}, orb.MultiLineString{}, orb.Ring{}, orb.Polygon{}, orb.MultiPolygon{}, orb.Collection{},
		orb.Polygon{{}}, orb.LineString{p}}
}

// TestEveryGeometry draws every geometry type in every role of a sheet:
// nothing panics and the PDF is written.
func TestEveryGeometry(t *testing.T) {
	var fs []gis.Feature
	for i, g := range allGeometries() {
		fs = append(fs, gis.Feature{ID: fmt.Sprint(i), Geometry: g, Properties: map[string]any{"maDoiTuong": fmt.Sprintf("X-%d", i), "phanLoai": "CN"}})
		Touches(g, orb.Bound{Min: orb.Point{444000, 2430000}, Max: orb.Point{444100, 2430100}})
	}
	l, err := New(Options{Paper: "A4", Scale: 1000}, orb.Point{444100, 2430100})
	if err != nil {
		t.Fatal(err)
	}
	empty := &Document{Catalogue: catalogue(t), Fonts: fonts, Sheets: []Sheet{{Layout: l}}}
	if err := empty.Write(io.Discard); err != nil {
		t.Fatalf("an empty sheet: %v", err)
	}
	d := &Document{Catalogue: catalogue(t), Fonts: fonts, Sheets: []Sheet{{
		Layout: l,
		Map:    render.Map{Lots: fs, Lines: fs, Boundary: fs, Highlight: fs, Labels: true},
		Plan:   fs,
		Tiles:  []Tile{{Extent: l.Extent(), Label: "1"}},
	}}}
	if err := d.Write(io.Discard); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Sheets[0].Preview(d.Catalogue, fonts, 20); err != nil {
		t.Fatal(err)
	}
	d.Catalogue = nil // every lot then is of an unknown class
	if err := d.Write(io.Discard); err != nil {
		t.Fatalf("without a catalogue: %v", err)
	}
}

// countFills is a Surface drawing nowhere that counts fills and their
// vertices.
type countFills struct {
	fills, vertices int
}

func (c *countFills) Stroke(render.Path, render.Pen) {}
func (c *countFills) Text(render.Text)               {}
func (c *countFills) TextWidth(s string, size float64, _ bool) float64 {
	return float64(len(s)) * size / 2
}
func (c *countFills) Clip(x, y, w, h float64) {}
func (c *countFills) Unclip()                 {}

func (c *countFills) Fill(p render.Path, _ color.NRGBA) {
	c.fills++
	for _, s := range p.Subpaths {
		c.vertices += len(s)
	}
}

// TestInsetSpecks: on the location inset, lots too small to see are drawn
// as their boxes in one fill, not as thousands of 20-vertex shapes; lots
// the inset shows at a readable size keep their outline.
func TestInsetSpecks(t *testing.T) {
	l, err := New(Options{Paper: "A3", Scale: 2000}, orb.Point{444100, 2430100})
	if err != nil {
		t.Fatal(err)
	}
	inset := func(plan []gis.Feature) *countFills {
		c := &countFills{}
		s := Sheet{Layout: l, Plan: plan}
		s.drawInset(c, 100, 60, 1, nil)
		return c
	}
	// 200 × 200 lots of 20 m: 4 km across on a 60 mm inset, each 0.3 mm
	many := blocks(orb.Point{442000, 2428000}, 200, 200, 20, []string{"CN", "ODT"}, 1)
	c := inset(many)
	if c.fills > 2 || c.vertices != 4*len(many) {
		t.Errorf("%d lots drawn in %d fills of %d vertices, want one fill of their %d boxes", len(many), c.fills, c.vertices, 4*len(many))
	}
	// 3 × 3 lots of 400 m: each ~4 mm on the inset, drawn as themselves
	few := blocks(orb.Point{442000, 2428000}, 3, 3, 400, []string{"CN"}, 1)
	want := 0
	for _, f := range few {
		want += len(f.Geometry.(orb.Polygon)[0])
	}
	if c := inset(few); c.fills != len(few) || c.vertices != want {
		t.Errorf("%d large lots drawn in %d fills of %d vertices, want %d of %d", len(few), c.fills, c.vertices, len(few), want)
	}
}
