package ui

import (
	"image/color"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"quyhoach/assets"
	"quyhoach/gis/landuse"
	"quyhoach/plan"
)

// block finds the change of a comparison about lot code (or, for a
// lineage row, of that kind) and its before → after lines.
func block(t *testing.T, c *comparePanel, code string) (plan.ChangeRow, [][3]string) {
	t.Helper()
	for i, r := range c.Rows {
		if r.Code == code || r.IsLineage() && r.Kind == code {
			return r, c.List.lines[i]
		}
	}
	t.Fatalf("no change of %s in %s", code, rowsText(c.Rows))
	return plan.ChangeRow{}, nil
}

// TestChangesBeforeAfter: each change of a comparison is a block headed by
// what happened to which lot, then a table of field | before | after with
// the fields named in the chosen language, classes with their names, "—"
// where a side has no value; the columns are headed by the two sides.
func TestChangesBeforeAfter(t *testing.T) {
	w := newWindow(t, sampleStore(t))
	c := w.Compare
	open(t, w, "chi-ma#2")
	if got := [3]string{c.List.names[0].Text, c.List.names[1].Text, c.List.names[2].Text}; got != [3]string{"Thuộc tính", "Đã phê duyệt", "Điều chỉnh"} {
		t.Fatalf("column heads %q", got)
	}
	if got := c.Tabs.Items[0].Text; got != "Thay đổi (6)" {
		t.Fatalf("changes tab %q", got)
	}
	_, lines := block(t, c, "CXCC-02")
	want := map[string][2]string{
		"Loại đất":           {"CXCC — Đất cây xanh sử dụng công cộng", "BDX — Đất bãi đỗ xe"},
		"Mã hồ sơ quy hoạch": {"HS2020-001108", "HS2026-000412"},
		"Tên":                {"Đất cây xanh sử dụng công cộng", "Bãi đỗ xe"},
		"Ghi chú":            {"—", "Điều chỉnh cục bộ (đề xuất, hồ sơ HS2026-000412): đất cây xanh công cộng → đất bãi đỗ xe"},
	}
	if len(lines) != len(want) {
		t.Fatalf("CXCC-02: %d lines, want %d: %q", len(lines), len(want), lines)
	}
	for _, l := range lines {
		if w, ok := want[l[0]]; !ok || w != [2]string{l[1], l[2]} {
			t.Errorf("CXCC-02 line %q, want %q", l, w)
		}
	}
	if lines[0][0] != "Loại đất" {
		t.Errorf("the class comes first: %q", lines[0])
	}
	_, lines = block(t, c, "DV-08")
	found := map[string]bool{}
	for _, l := range lines {
		found[l[0]+": "+l[1]+" → "+l[2]] = true
		if strings.Contains(l[0], "tangCao") || strings.Contains(l[0], "matDo") {
			t.Errorf("raw field name %q", l[0])
		}
	}
	for _, s := range []string{"Mật độ xây dựng (%): 60 → 5", "Tầng cao tối đa: 14 → 1", "Hệ số sử dụng đất: 4,30 → 0,05", "Khoảng lùi (m): 10 → 6"} {
		if !found[s] {
			t.Errorf("DV-08 lacks %q: %q", s, lines)
		}
	}
	r, lines := block(t, c, "KNQ-04a")
	if want := [][3]string{{"Loại đất", "—", "KNQ — Đất kho ngoại quan, bãi hàng"}, {"Diện tích (ha)", "—", num(r.NewHa, 2)}}; !equalLines(lines, want) {
		t.Errorf("added KNQ-04a: %q, want %q", lines, want)
	}
	_, lines = block(t, c, "split")
	if want := [][3]string{{"Các lô", "KNQ-04", "KNQ-04a, KNQ-04b"}}; !equalLines(lines, want) {
		t.Errorf("split: %q", lines)
	}
	// a block on screen shows its head and its cells, the columns lined up
	// under the heads and inside the list
	c.List.Resize(fyne.NewSize(360, 500))
	blk := newChangeBlock(c.List)
	blk.Resize(fyne.NewSize(360, c.List.blockHeight(0)))
	blk.set(0)
	if blk.head.Text != "~ Điều chỉnh lô CXCC-02" || blk.cells[1].Text != "CXCC — Đất cây xanh sử dụng công cộng" {
		t.Fatalf("block shows %q, %q", blk.head.Text, blk.cells[1].Text)
	}
	var sum float32
	for _, wd := range c.List.Widths {
		sum += wd
	}
	if c.List.Widths[0] <= 0 || sum+4*4 > 360.5 || blk.cells[2].Position().X+blk.cells[2].Size().Width > 360.5 {
		t.Fatalf("columns %v do not share the width 360", c.List.Widths)
	}
	if h := c.List.blockHeight(0); h < 4*lineHeight() {
		t.Fatalf("block height %v for a head and four lines", h)
	}

	// versions compared: the columns name them
	w.CompareVersions("truc-trung-tam", 1, 2)
	if got := [2]string{c.List.names[1].Text, c.List.names[2].Text}; got != [2]string{"Phiên bản 1", "Phiên bản 2"} {
		t.Fatalf("column heads %q", got)
	}
	_, lines = block(t, c, "merge")
	if want := [][3]string{{"Các lô", "DV-07, VH-05", "HTKT-05"}}; !equalLines(lines, want) {
		t.Errorf("merge: %q", lines)
	}
	// and in English
	defer SetLanguage("vi")
	w.Settings.Language.SetSelectedIndex(1)
	open(t, w, "chi-ma#2")
	_, lines = block(t, w.Compare, "DV-08")
	if lines[0] != [3]string{"Land-use class", "DV — Services (market, trade centre)", "BTX — Vehicle holding yards (awaiting export or import)"} {
		t.Errorf("English class line %q", lines[0])
	}
}

func equalLines(a, b [][3]string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestBalanceAndChart: the balance shows approved ha, adjusted ha, ± ha and
// the share within the panel's width, and the chart beside it draws the
// change of each class that changes, in the catalogue's colour: gains right
// of the zero axis, losses left, each with its value.
func TestBalanceAndChart(t *testing.T) {
	w := newWindow(t, sampleStore(t))
	c := w.Compare
	open(t, w, "chi-ma#2")
	cat, _ := landuse.Parse(assets.LandUse)
	rgb := func(code string) color.NRGBA { cl, _ := cat.Lookup(code); return cl.RGB }
	want := map[string]float64{"DV": -0.63, "CXCC": -0.31, "BDX": 0.31, "KNQ": -0.30, "BTX": 0.93}
	if len(c.Chart.Bars) != len(want) {
		t.Fatalf("bars %+v", c.Chart.Bars)
	}
	for _, b := range c.Chart.Bars {
		if want[b.Label] != b.Value || b.Color != rgb(b.Label) {
			t.Errorf("bar %s %v %v, want %v %v", b.Label, b.Value, b.Color, want[b.Label], rgb(b.Label))
		}
	}
	// the bars agree with the table's ± column
	for row := 1; row <= len(c.Balance().Rows); row++ {
		code, change := c.cell(row, 0), c.cell(row, 4)
		if v, ok := want[code]; ok && change != signed(v) || !ok && change != "0" {
			t.Errorf("table %s ± %q", code, change)
		}
	}
	if got := c.shownCell(0, 4); got != "Tỷ lệ %" {
		t.Errorf("share column %q", got)
	}
	if got := c.shownCell(1, 0); got != "ONM — Đất nhóm nhà ở" {
		t.Errorf("class column %q", got)
	}
	// drawn: each bar from the axis, its colour, its value at its end
	c.Chart.Resize(fyne.NewSize(340, 200))
	r := test.WidgetRenderer(c.Chart).(*chartRenderer)
	axis := r.axis.Position1.X
	for i, b := range c.Chart.Bars {
		bar, val := r.bars[i], r.values[i]
		left, right := bar.Position().X, bar.Position().X+bar.Size().Width
		switch {
		case bar.FillColor != rgb(b.Label):
			t.Errorf("%s drawn in %v", b.Label, bar.FillColor)
		case b.Value > 0 && (abs32(left-axis) > 0.5 || val.Position().X < right):
			t.Errorf("gain %s from %v to %v, axis %v, value at %v", b.Label, left, right, axis, val.Position().X)
		case b.Value < 0 && (abs32(right-axis) > 0.5 || val.Position().X > left):
			t.Errorf("loss %s from %v to %v, axis %v, value at %v", b.Label, left, right, axis, val.Position().X)
		case val.Text != signed(b.Value) || r.labels[i].Text != b.Label:
			t.Errorf("bar %s labelled %q %q", b.Label, r.labels[i].Text, val.Text)
		case val.Position().X < 0 || val.Position().X+val.MinSize().Width > 340:
			t.Errorf("value of %s out of the chart at %v", b.Label, val.Position().X)
		}
	}
	// longer bars for larger changes: BTX +0,93 three times BDX +0,31
	if k := r.bars[4].Size().Width / r.bars[2].Size().Width; k < 2.9 || k > 3.1 {
		t.Errorf("BTX bar %.2f × BDX's", k)
	}
	// the adjusted area: the same changes
	c.Scope.SetSelected("Khu vực điều chỉnh")
	if len(c.Chart.Bars) != 5 || c.ChartFor.Text != "Tăng, giảm diện tích theo loại đất (ha)" {
		t.Fatalf("adjusted area chart %+v %q", c.Chart.Bars, c.ChartFor.Text)
	}
	// a plan state alone compares nothing
	open(t, w, "chi-ma@1")
	if len(c.Chart.Bars) != 0 || len(c.Rows) != 0 || c.ChartFor.Text != "" {
		t.Fatalf("a plain state shows %d bars, %d rows", len(c.Chart.Bars), len(c.Rows))
	}
}

func abs32(v float32) float32 {
	if v < 0 {
		return -v
	}
	return v
}

// TestSidePanesNamed: side by side, the two maps say which is which.
func TestSidePanesNamed(t *testing.T) {
	w := newWindow(t, sampleStore(t))
	open(t, w, "chi-ma#2")
	w.Compare.Side.SetChecked(true)
	var titles []string
	for _, o := range test.LaidOutObjects(w.mapBox) {
		if l, ok := o.(*widget.Label); ok && l.Visible() {
			titles = append(titles, l.Text)
		}
	}
	if strings.Join(titles, "|") != "Đã phê duyệt — phiên bản 1|Điều chỉnh — hồ sơ 2" {
		t.Fatalf("pane titles %q", titles)
	}
}

// TestSaveSaysWhere: a save tells the full path it went to, with a button
// that opens its folder.
func TestSaveSaysWhere(t *testing.T) {
	w := newWindow(t, sampleStore(t))
	path := filepath.Join(t.TempDir(), "thay-doi.csv")
	w.saved(path, nil)
	n := w.lastSaved
	if n == nil || n.Path.Text != path || !strings.Contains(w.Status.Text.Text, path) {
		t.Fatalf("notice %v, status %q", n, w.Status.Text.Text)
	}
	shown := false
	for _, o := range w.Canvas().Overlays().List() {
		for _, x := range test.LaidOutObjects(o) {
			if l, ok := x.(*widget.Label); ok && l.Text == path {
				shown = true
			}
		}
	}
	if !shown {
		t.Fatal("the path is not on screen")
	}
	var opened string
	n2 := newSavedNotice(w.Window, path, func(dir string) error { opened = dir; return nil })
	n2.OpenFolder()
	if opened != filepath.Dir(path) {
		t.Fatalf("opened %q", opened)
	}
}
