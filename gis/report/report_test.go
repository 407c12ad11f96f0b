package report

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"quyhoach/assets"
	"quyhoach/gis"
	"quyhoach/gis/landuse"
	"quyhoach/gis/render"
)

var fonts = render.Fonts{Regular: assets.FontRegular, Bold: assets.FontBold}

const e0, n0 = 444000.0, 2430000.0

func square(x, y, s float64) orb.Polygon {
	return orb.Polygon{{{e0 + x, n0 + y}, {e0 + x + s, n0 + y}, {e0 + x + s, n0 + y + s}, {e0 + x, n0 + y + s}, {e0 + x, n0 + y}}}
}

// testDoc is a document with every block: a 20 m industrial lot at the
// centre of a 1/500 map extract, and a table long enough for three pages.
func testDoc(t *testing.T, rows int) *Document {
	t.Helper()
	cat, err := landuse.Parse(assets.LandUse)
	if err != nil {
		t.Fatal(err)
	}
	lot := gis.Feature{ID: "a", Geometry: square(-10, -10, 20), Properties: map[string]any{"maDoiTuong": "CN-01", "phanLoai": "CN"}}
	road := gis.Feature{ID: "b", Geometry: square(10, -10, 20), Properties: map[string]any{"maDoiTuong": "GT-01", "phanLoai": "GT"}}
	var rs []Row
	for i := 0; i < rows; i++ {
		rs = append(rs, Row{Cells: []string{fmt.Sprint(i + 1), fmt.Sprintf("LÔ-%03d", i), "Đất công nghiệp, kho tàng có ghi chú dài để xuống dòng trong ô", gis.FormatVN(1234.5+float64(i), 2)}})
	}
	return &Document{
		Title: "Thông tin quy hoạch", Created: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC), Fonts: fonts, Catalogue: cat,
		Footer: "Phiếu số 7/TTQH-BQL",
		Blocks: []Block{
			Letterhead{Parent: "UBND tỉnh Lạng Sơn", Agency: "Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng – Lạng Sơn", Number: "Số: 7/TTQH-BQL",
				Place: "Lạng Sơn", Date: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)},
			Heading{Text: "THÔNG TIN QUY HOẠCH", Size: 14 * pt, Center: true},
			Fields{Rows: [][2]string{{"Người đề nghị:", "Nguyễn Văn An"}, {"Địa chỉ:", "Thị trấn Đồng Đăng, huyện Cao Lộc, tỉnh Lạng Sơn"}}},
			Paragraph{Text: "Phần khu đất nằm ngoài ranh giới quy hoạch: 12,50 m²", Warn: true},
			MapExtract{Map: render.Map{Lots: []gis.Feature{lot, road}, Labels: true}, Center: orb.Point{e0, n0}, Scale: 500, Height: 100,
				Site: []orb.Geometry{square(-5, -5, 10)}, SiteLabel: "Ranh giới khu đất"},
			Heading{Text: "Bảng thông tin các lô đất"},
			Table{Columns: []Column{{"STT", 1, false}, {"Ký hiệu", 2, false}, {"Chức năng", 5, false}, {"Diện tích (m²)", 2, true}}, Rows: rs},
			Signature{Recipients: []string{"Người đề nghị", "Lưu: VT, QH"}, Title: "Người cung cấp thông tin", Note: "(Ký, ghi rõ họ tên)", Name: "Trần Thị Bình"},
		},
	}
}

// TestMapExtractTrueScale draws a 20 m lot at 1/500 and measures it on a
// 254 dpi preview (10 px per mm): 40 mm.
func TestMapExtractTrueScale(t *testing.T) {
	d := testDoc(t, 3)
	pages, err := d.Preview(254)
	if err != nil {
		t.Fatal(err)
	}
	img := pages[0]
	// The longest runs of the industrial fill #6600cc across and down: the
	// lot inside its outline (the legend's swatch is 9 mm, the site's red
	// outline and the label cut other rows short).
	purple := func(x, y int) bool {
		c := img.RGBAAt(x, y)
		return absd(c.R, 0x66) < 6 && c.G < 6 && absd(c.B, 0xcc) < 6
	}
	longest := func(n, m int, at func(i, j int) bool) int {
		best := 0
		for j := 0; j < m; j++ {
			run := 0
			for i := 0; i < n; i++ {
				if at(i, j) {
					run++
					best = max(best, run)
				} else {
					run = 0
				}
			}
		}
		return best
	}
	W, H := img.Bounds().Dx(), img.Bounds().Dy()
	across := float64(longest(W, H, func(i, j int) bool { return purple(i, j) })) / 10
	down := float64(longest(H, W, func(i, j int) bool { return purple(j, i) })) / 10
	t.Logf("lot fill %.1f mm across, %.1f mm down (inside its 0.35 mm outline)", across, down)
	for _, v := range []float64{across, down} {
		if math.Abs(v-40) > 0.5 {
			t.Errorf("the 20 m lot at 1/500 measures %.1f mm, want 40", v)
		}
	}
}

func absd(a uint8, b int) int {
	d := int(a) - b
	if d < 0 {
		return -d
	}
	return d
}

// TestDocumentPagesAndText writes a three-page document and reads it back
// with poppler: the text is real, the table's header repeats on each page,
// the pages are A4 and numbered.
func TestDocumentPagesAndText(t *testing.T) {
	for _, tool := range []string{"pdftotext", "pdfinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
	d := testDoc(t, 60)
	var buf bytes.Buffer
	if err := d.Write(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	os.WriteFile(path, buf.Bytes(), 0o644)
	info, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(info), "x 841.89 pts (A4)") {
		t.Errorf("not A4:\n%s", info)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	pages := strings.Split(text, "\f")
	if n := len(pages) - 1; n < 3 {
		t.Fatalf("%d pages, want the table to run over at least 3", n)
	}
	for _, want := range []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập – Tự do – Hạnh phúc", "Lạng Sơn, ngày 27 tháng 11 năm 2026",
		"BAN QUẢN LÝ KHU KINH TẾ", "Số: 7/TTQH-BQL", "THÔNG TIN QUY HOẠCH", "Nguyễn Văn An", "TỶ LỆ 1/500",
		"Ranh giới khu đất", "Đất công nghiệp, kho tàng", "LÔ-059", "1.293,50", "NGƯỜI CUNG CẤP THÔNG TIN", "Trần Thị Bình", "Trang 1/", "Nơi nhận:"} {
		if !strings.Contains(text, want) {
			t.Errorf("pdftotext lacks %q", want)
		}
	}
	for i, p := range pages[1 : len(pages)-1] {
		if !strings.Contains(p, "Ký hiệu") || !strings.Contains(p, fmt.Sprintf("Trang %d/%d", i+2, len(pages)-1)) {
			t.Errorf("page %d: no repeated header or page number:\n%s", i+2, p)
		}
	}
	if t.Failed() {
		t.Log(text)
	}
	// every row is there once
	for i := 0; i < 60; i++ {
		if n := strings.Count(text, fmt.Sprintf("LÔ-%03d", i)); n != 1 {
			t.Errorf("row %d printed %d times", i, n)
		}
	}
}

func TestFitScale(t *testing.T) {
	b := orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{100, 60}}
	for _, c := range []struct {
		w, h float64
		want float64
	}{{165, 110, 1000}, {300, 200, 500}, {30, 20, 10000}} {
		got, ok := Fit(b, c.w, c.h, []float64{500, 1000, 2000, 5000, 10000})
		if !ok || got != c.want {
			t.Errorf("fit %g×%g: %g %v, want %g", c.w, c.h, got, ok, c.want)
		}
	}
	if _, ok := Fit(b, 5, 5, []float64{500}); ok {
		t.Error("a 100 m extent fits 5 mm at 1/500")
	}
}

func TestWrapLines(t *testing.T) {
	pdf, _ := render.NewPDF(fonts)
	ls := wrapLines(pdf, "một hai ba\nbốn LÔ-ĐẤT-RẤT-RẤT-RẤT-DÀI-KHÔNG-CÓ-KHOẢNG-TRẮNG", 3, false, 20)
	if len(ls) < 3 || ls[0].s != "một hai ba" {
		t.Fatalf("%v", ls)
	}
	for _, l := range ls {
		if w := pdf.TextWidth(l.s, 3, false); w > 20 {
			t.Errorf("line %q is %.1f mm wide", l.s, w)
		}
	}
	if len(wrapLines(pdf, "", 3, false, 20)) != 0 {
		t.Error("empty text has lines")
	}
}
