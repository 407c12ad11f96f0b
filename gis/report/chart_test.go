package report

import (
	"bytes"
	"image/color"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var (
	green  = color.NRGBA{0x00, 0xb0, 0x40, 0xff}
	orange = color.NRGBA{0xf0, 0x80, 0x10, 0xff}
)

var (
	bars = BarChart{Title: "Diện tích điều chỉnh (ha)", Unit: "ha", Decimals: 2, Bars: []Bar{
		{Label: "CXCC – Đất cây xanh", Value: 3, Color: green}, {Label: "GT – Đất giao thông", Value: -1.5, Color: orange}}}
	columns = ColumnChart{Title: "Số bước theo tháng", Categories: []string{"01/25", "02/25", "03/25"},
		Series: []Series{{"Trình hồ sơ", green}, {"Phê duyệt", orange}}, Values: [][]float64{{2, 1}, {0, 0}, {1, 3}}}
)

func chartDoc(blocks ...Block) *Document {
	return &Document{Title: "Biểu đồ", Created: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), Fonts: fonts, Blocks: blocks}
}

// longestRun returns the longest runs of pixels of a colour across and down
// the first page of d, drawn at 10 px per mm.
func longestRun(t *testing.T, d *Document, c color.NRGBA) (across, down int) {
	t.Helper()
	pages, err := d.Preview(254)
	if err != nil {
		t.Fatal(err)
	}
	img := pages[0]
	is := func(x, y int) bool {
		p := img.RGBAAt(x, y)
		return absd(p.R, int(c.R)) < 4 && absd(p.G, int(c.G)) < 4 && absd(p.B, int(c.B)) < 4
	}
	b := img.Bounds()
	// the longest run along lines j of n pixels each, pixel i of line j at at(i, j)
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
	return longest(b.Dx(), b.Dy(), is), longest(b.Dy(), b.Dx(), func(i, j int) bool { return is(j, i) })
}

// TestBarsAreProportional: the bar of +3 ha is twice as long as the bar
// of −1,5 ha; in the stacked columns a part of 3 steps is 1,5 times one
// of 2.
func TestBarsAreProportional(t *testing.T) {
	g, _ := longestRun(t, chartDoc(bars), green)
	o, _ := longestRun(t, chartDoc(bars), orange)
	// the green bar (3) against the orange bar (1,5), within a pixel or two of their outlines
	if r := float64(g) / float64(o); r < 1.97 || r > 2.03 {
		t.Errorf("bars %d and %d px: ratio %.3f, want 2", g, o, r)
	}
	// the tallest green part holds 2 steps, the tallest orange 3
	_, gDown := longestRun(t, chartDoc(columns), green)
	_, oDown := longestRun(t, chartDoc(columns), orange)
	if r := float64(oDown) / float64(gDown); r < 1.47 || r > 1.53 {
		t.Errorf("column parts %d and %d px: ratio %.3f, want 1.5", oDown, gDown, r)
	}
}

// TestChartsInThePDF: the charts' titles, labels, values and legends are
// text in the PDF, values written the Vietnamese way with their signs.
func TestChartsInThePDF(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("no pdftotext")
	}
	var buf bytes.Buffer
	if err := chartDoc(bars, columns, BarChart{Title: "nothing to draw"}, ColumnChart{Title: "nothing either"}).Write(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "c.pdf")
	os.WriteFile(path, buf.Bytes(), 0o644)
	out, err := exec.Command("pdftotext", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"Diện tích điều chỉnh (ha)", "CXCC – Đất cây xanh", "+3,00", "-1,50", "Số bước theo tháng", "01/25", "Trình hồ sơ", "Phê duyệt"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	for _, not := range []string{"nothing to draw", "nothing either"} {
		if strings.Contains(text, not) {
			t.Errorf("an empty chart was drawn: %q", not)
		}
	}
}
