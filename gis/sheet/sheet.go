package sheet

import (
	"cmp"
	"fmt"
	"image/color"
	"io"
	"math"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/diff"
	"quyhoach/gis/landuse"
	"quyhoach/gis/render"
)

// TitleBlock holds the fields of the khung tên (DOMAIN.md "Printed sheets").
type TitleBlock struct {
	ApprovingBody  string // cơ quan phê duyệt, e.g. "UBND tỉnh Lạng Sơn"
	AppraisingBody string // cơ quan thẩm định, e.g. "Sở Xây dựng"
	OrganisingBody string // cơ quan tổ chức lập: the board
	Consultant     string // đơn vị tư vấn
	PlanName       string // the plan's name
	Adjustment     string // "ĐIỀU CHỈNH CỤC BỘ", "ĐIỀU CHỈNH TỔNG THỂ" or ""
	DrawingName    string // tên bản vẽ
	DrawingNo      string // ký hiệu bản vẽ, e.g. "QH-04"
	Lead           string // chủ nhiệm đồ án
	Designer       string // thiết kế
	Checker        string // kiểm tra
	Date           string // ngày, dd/mm/yyyy
	DecisionNo     string // once approved: "Quyết định số 1586/QĐ-UBND"
	DecisionDate   string // dd/mm/yyyy
	// Seal is the plan's seal when the sheet was made (hex): the anchor
	// that `quyhoach verify --anchor` checks the history against later.
	Seal string
}

// Tile is one rectangle of an atlas drawn on its index sheet.
type Tile struct {
	Extent orb.Bound
	Label  string
}

// Sheet is one page: its layout and what it shows. Geometry is projected
// (EPSG:9215 metres).
type Sheet struct {
	Layout Layout
	Title  TitleBlock
	Map    render.Map
	Plan   []gis.Feature // the whole plan for the location inset: its boundary, else its lots
	// LotsExtent is, with Map.LotWalk, the extent of the lots walked: the
	// ground of the inset's silhouette when Plan is empty (silhouette.go).
	LotsExtent orb.Bound
	Balance    *diff.Balance // optional land-use balance table of the whole plan
	// Adjusted is the optional balance of the adjusted area alone, drawn
	// above the whole plan's.
	Adjusted *diff.Balance
	Tiles    []Tile // an atlas's sheets, drawn on its index sheet
	Note     string // a line under the map, e.g. that the data are illustrative
	// Lang is the language of the sheet's own words and numbers: "" or
	// "vi" for the official sheet, "en" on request (words.go).
	Lang string
}

// Document is a set of sheets printed to one PDF.
type Document struct {
	Title     string
	Created   time.Time
	Catalogue *landuse.Catalogue
	Fonts     render.Fonts
	Sheets    []Sheet
	// Progress, when set, is called after each sheet is drawn (an atlas's
	// progress bar).
	Progress func(done, total int)
}

// Write draws the document's sheets as vector PDF pages, the page size
// exactly the paper, text in the embedded fonts.
func (d *Document) Write(w io.Writer) error {
	if len(d.Sheets) == 0 {
		return fmt.Errorf("sheet: no sheets")
	}
	pdf, err := render.NewPDF(d.Fonts)
	if err != nil {
		return err
	}
	defer pdf.Close() // the map layers' temporary files, whatever happens
	created := d.Created
	if created.IsZero() {
		created = time.Now()
	}
	pdf.SetInfo(d.Title, created)
	for i := range d.Sheets {
		s := &d.Sheets[i]
		if !(s.Layout.Scale > 0) {
			return ErrScale
		}
		pdf.AddPage(s.Layout.Width, s.Layout.Height)
		drawn := s.Draw(pdf, d.Catalogue)
		if err := cmp.Or(drawn.Err, pdf.Err()); err != nil {
			return fmt.Errorf("sheet %d: %w", i+1, err)
		}
		if d.Progress != nil {
			d.Progress(i+1, len(d.Sheets))
		}
	}
	return pdf.Output(w)
}

// Colours of the sheet furniture.
var (
	black = color.NRGBA{0, 0, 0, 0xff}
	white = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	grey  = color.NRGBA{0x60, 0x60, 0x60, 0xff}
	gridC = color.NRGBA{0x1f, 0x4e, 0x8c, 0xff}
	red   = color.NRGBA{0xd0, 0x00, 0x00, 0xff}
)

// Draw draws the sheet onto a surface in page millimetres.
func (s *Sheet) Draw(dst render.Surface, cat *landuse.Catalogue) render.Drawn {
	l := s.Layout
	k := s.unit()
	grid := s.grid()
	fr := render.Frame{
		To:     render.Affine{Origin: l.Center, At: render.Vec{X: l.Map.X + l.Map.W/2, Y: l.Map.Y + l.Map.H/2}, K: 1000 / l.Scale},
		MM:     1,
		Extent: l.Extent(),
		Avoid:  s.furniture(dst, grid, k),
	}
	dst.Clip(l.Map.X, l.Map.Y, l.Map.W, l.Map.H)
	m := s.Map
	m.Lang = s.lang()
	var sil *silhouette
	if m.LotWalk != nil && len(s.Plan) == 0 {
		if sil = newSilhouette(s.LotsExtent.Union(l.Extent())); sil != nil {
			m.LotWalk = sil.gather(m.LotWalk)
		}
	}
	drawn := render.DrawMap(dst, fr, render.Symbology{Catalogue: cat}, m)
	if drawn.Err != nil {
		dst.Unclip()
		return drawn
	}
	s.drawTiles(dst, fr)
	s.drawGrid(dst, fr, grid)
	dst.Unclip()
	// Frames: the border, the map frame and the panel.
	dst.Stroke(render.Rect(l.Border.X, l.Border.Y, l.Border.W, l.Border.H), render.Pen{Color: black, Width: 0.7})
	dst.Stroke(render.Line(l.Panel.X, l.Panel.Y, l.Panel.X, l.Panel.Bottom()), render.Pen{Color: black, Width: 0.5})
	s.drawGridLabels(dst, grid)
	s.drawNorth(dst, k)
	s.drawScaleBar(dst, k)
	if s.Note != "" {
		dst.Text(render.Text{X: l.Map.X + 3, Y: l.Map.Bottom() - 2.5, S: s.Note, Size: 2.2, Color: grey})
	}
	// The panel, top to bottom: legend, balance table, inset; title block at the bottom.
	tb := s.titleBlockHeight(dst, k)
	top := s.drawLegend(dst, drawn, k)
	bottom := l.Panel.Bottom() - tb
	// The inset takes what the balance table leaves, within limits; a
	// table too long for the rest is cut short.
	const insetGap = 12 // mm above the inset box for its title, at k = 1
	free := bottom - top
	inset := math.Min(l.Panel.W-8*k, free-insetGap*k-4*k)
	type table struct {
		b     *diff.Balance
		title string
	}
	var tables []table
	if s.Adjusted != nil {
		tables = append(tables, table{s.Adjusted, s.word("CÂN BẰNG ĐẤT KHU VỰC ĐIỀU CHỈNH")})
	}
	if s.Balance != nil {
		title := s.word("BẢNG CÂN BẰNG SỬ DỤNG ĐẤT")
		if s.Adjusted != nil {
			title = s.word("CÂN BẰNG ĐẤT TOÀN ĐỒ ÁN")
		}
		tables = append(tables, table{s.Balance, title})
	}
	if len(tables) > 0 {
		need := 0.0
		for _, t := range tables {
			need += balanceHeight(t.b, k)
		}
		inset = math.Min(inset, free-need-insetGap*k-4*k)
		inset = math.Max(inset, math.Min(l.Panel.W-8*k, math.Max(30*k, 0.3*free)))
		limit := bottom - inset - insetGap*k - 4*k
		y := top
		for i, t := range tables {
			// The adjusted area's table (short, and the point of the sheet)
			// takes what it needs up to 60 % of the room; the last the rest.
			end := limit
			if i < len(tables)-1 {
				end = y + math.Min(balanceHeight(t.b, k), 0.6*(limit-y))
			}
			if end-y < balHead*k+3*balRow*k {
				break
			}
			y = s.drawBalance(dst, t.b, t.title, y, end, k)
		}
	}
	if inset > 25*k {
		s.drawInset(dst, bottom-inset-4*k, inset, k, sil)
	}
	s.drawTitleBlock(dst, bottom, k)
	return drawn
}

// unit scales the furniture with the panel: 1 on A0/A1, less on small paper.
func (s *Sheet) unit() float64 { return math.Max(0.75, math.Min(1, s.Layout.Panel.W/150)) }

// gridStep is the grid interval for a scale: the round number of metres
// (1, 2 or 5 × 10ⁿ) at least 80 mm apart on paper (200 m at 1/2000).
func gridStep(scale float64) float64 { return nice(80 * scale / 1000) }

// nice returns the smallest of 1, 2, 5 × 10ⁿ not below v.
func nice(v float64) float64 {
	if v <= 0 {
		return 1
	}
	e := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*e >= v*(1-1e-9) {
			return m * e
		}
	}
	return 10 * e
}

type gridLines struct{ es, ns []float64 }

// grid returns the VN-2000 grid lines crossing the map frame.
func (s *Sheet) grid() gridLines {
	step := gridStep(s.Layout.Scale)
	e := s.Layout.Extent()
	var g gridLines
	for x := math.Ceil(e.Min[0]/step) * step; x <= e.Max[0]; x += step {
		g.es = append(g.es, x)
	}
	for y := math.Ceil(e.Min[1]/step) * step; y <= e.Max[1]; y += step {
		g.ns = append(g.ns, y)
	}
	return g
}

// drawGrid draws crosses at the grid intersections.
func (s *Sheet) drawGrid(dst render.Surface, fr render.Frame, g gridLines) {
	pen := render.Pen{Color: gridC, Width: 0.2}
	const arm = 3.0
	for _, x := range g.es {
		for _, y := range g.ns {
			v := fr.To.Apply(orb.Point{x, y})
			dst.Stroke(render.Line(v.X-arm, v.Y, v.X+arm, v.Y), pen)
			dst.Stroke(render.Line(v.X, v.Y-arm, v.X, v.Y+arm), pen)
		}
	}
}

// Grid labels and ticks, mm.
const (
	gridTick = 4.0
	gridSize = 2.2
)

// gridTexts are the labels of the grid lines on the map frame: X
// (northing) and Y (easting), the way Vietnamese survey tables write them,
// and the note naming the system.
func (s *Sheet) gridTexts(g gridLines) []render.Text {
	l := s.Layout
	m := l.Map
	var out []render.Text
	for _, x := range g.es {
		px, _ := l.Page(orb.Point{x, 0})
		if px < m.X+12 || px > m.Right()-12 {
			continue
		}
		t := "Y " + s.num(x, 0)
		out = append(out,
			render.Text{X: px + 0.8, Y: m.Y + gridTick + 0.5, S: t, Size: gridSize, Color: gridC},
			render.Text{X: px + 0.8, Y: m.Bottom() - gridTick, S: t, Size: gridSize, Color: gridC})
	}
	for _, y := range g.ns {
		_, py := l.Page(orb.Point{0, y})
		if py < m.Y+8 || py > m.Bottom()-8 {
			continue
		}
		t := "X " + s.num(y, 0)
		if py < m.Bottom()-32 { // clear of the scale bar
			out = append(out, render.Text{X: m.X + 1, Y: py - 0.8, S: t, Size: gridSize, Color: gridC})
		}
		if py > m.Y+32 && py < m.Bottom()-14 { // clear of the north arrow and the system note
			out = append(out, render.Text{X: m.Right() - 1, Y: py - 0.8, S: t, Size: gridSize, Color: gridC, Align: render.Right})
		}
	}
	return out
}

// systemNote names the coordinate system under the map.
func (s *Sheet) systemNote() render.Text {
	m := s.Layout.Map
	sys := fmt.Sprintf(s.word("Hệ tọa độ VN-2000, kinh tuyến trục 107°15′, múi chiếu 3° (EPSG:9215); X (N), Y (E) tính bằng mét; lưới %s m"),
		s.num(gridStep(s.Layout.Scale), 0))
	return render.Text{X: m.Right() - 3, Y: m.Bottom() - 9, S: sys, Size: gridSize, Color: gridC, Align: render.Right}
}

// textBox is the box a text covers, with a margin.
func textBox(dst render.Surface, t render.Text, margin float64) render.Box {
	w := dst.TextWidth(t.S, t.Size, t.Bold)
	x := t.X
	switch t.Align {
	case render.Center:
		x -= w / 2
	case render.Right:
		x -= w
	}
	return render.Box{X0: x - margin, Y0: t.Y - 0.8*t.Size - margin, X1: x + w + margin, Y1: t.Y + 0.25*t.Size + margin}
}

// furniture returns the boxes over the map that the north arrow, the
// scale bar and the grid's labels take, so lot labels keep clear of them.
func (s *Sheet) furniture(dst render.Surface, g gridLines, k float64) []render.Box {
	n := s.northBox(k)
	sb := s.scaleBarBox(k)
	out := []render.Box{
		{X0: n.X, Y0: n.Y, X1: n.Right(), Y1: n.Bottom()},
		{X0: sb.X, Y0: sb.Y, X1: sb.Right(), Y1: sb.Bottom()},
		textBox(dst, s.systemNote(), 1),
	}
	for _, t := range s.gridTexts(g) {
		out = append(out, textBox(dst, t, 0.5))
	}
	return out
}

// drawGridLabels ticks the map frame at the grid lines and writes their
// labels and the system note.
func (s *Sheet) drawGridLabels(dst render.Surface, g gridLines) {
	l := s.Layout
	m := l.Map
	pen := render.Pen{Color: gridC, Width: 0.25}
	for _, x := range g.es {
		px, _ := l.Page(orb.Point{x, 0})
		if px < m.X+12 || px > m.Right()-12 {
			continue
		}
		dst.Stroke(render.Line(px, m.Y, px, m.Y+gridTick), pen)
		dst.Stroke(render.Line(px, m.Bottom()-gridTick, px, m.Bottom()), pen)
	}
	for _, y := range g.ns {
		_, py := l.Page(orb.Point{0, y})
		if py < m.Y+8 || py > m.Bottom()-8 {
			continue
		}
		dst.Stroke(render.Line(m.X, py, m.X+gridTick, py), pen)
		dst.Stroke(render.Line(m.Right()-gridTick, py, m.Right(), py), pen)
	}
	for _, t := range s.gridTexts(g) {
		dst.Text(t)
	}
	sys := s.systemNote()
	b := textBox(dst, sys, 1)
	dst.Fill(render.Rect(b.X0, b.Y0, b.X1-b.X0, b.Y1-b.Y0), white)
	dst.Text(sys)
}

// northBox is where the north arrow stands: the map's top right corner.
func (s *Sheet) northBox(k float64) Rect {
	m := s.Layout.Map
	cx, top, h, w := m.Right()-14*k, m.Y+10*k, 16*k, 5*k
	return Rect{cx - w - 2*k, top - 7*k, 2*w + 4*k, h + 9*k}
}

// scaleBar returns the metres per segment, the segment length on paper
// and the number of segments of the graphic scale.
func (s *Sheet) scaleBar(k float64) (seg, segMM float64, n int) {
	seg = nice(20 * k * s.Layout.Scale / 1000) // ≥ 20 mm
	return seg, seg * 1000 / s.Layout.Scale, 4
}

// scaleBarBox is where the scale bar stands: the map's bottom left corner.
func (s *Sheet) scaleBarBox(k float64) Rect {
	m := s.Layout.Map
	_, segMM, n := s.scaleBar(k)
	y0 := m.Bottom() - 14*k
	return Rect{m.X, y0 - 11*k, float64(n)*segMM + 20*k, m.Bottom() - y0 + 11*k}
}

// drawNorth draws the north arrow in the map's top right corner.
func (s *Sheet) drawNorth(dst render.Surface, k float64) {
	m := s.Layout.Map
	cx, top, h, w := m.Right()-14*k, m.Y+10*k, 16*k, 5*k
	nb := s.northBox(k)
	left := render.Path{Subpaths: [][]render.Vec{{{X: cx, Y: top}, {X: cx - w, Y: top + h}, {X: cx, Y: top + h*0.72}}}, Closed: true}
	right := render.Path{Subpaths: [][]render.Vec{{{X: cx, Y: top}, {X: cx + w, Y: top + h}, {X: cx, Y: top + h*0.72}}}, Closed: true}
	dst.Fill(render.Rect(nb.X, nb.Y, nb.W, nb.H), white)
	dst.Fill(left, black)
	dst.Fill(right, white)
	dst.Stroke(right, render.Pen{Color: black, Width: 0.25})
	dst.Stroke(left, render.Pen{Color: black, Width: 0.25})
	dst.Text(render.Text{X: cx, Y: top - 1.5*k, S: s.word("B"), Size: 5 * k, Bold: true, Color: black, Align: render.Center})
}

// drawScaleBar draws the graphic scale with the numeric one above it, in
// the map's bottom left corner.
func (s *Sheet) drawScaleBar(dst render.Surface, k float64) {
	l := s.Layout
	m := l.Map
	seg, segMM, n := s.scaleBar(k)
	x0, y0, h := m.X+8*k, m.Bottom()-14*k, 2*k
	bb := s.scaleBarBox(k)
	dst.Fill(render.Rect(bb.X, bb.Y, bb.W, bb.H), white)
	for i := 0; i < n; i++ {
		r := render.Rect(x0+float64(i)*segMM, y0, segMM, h)
		if i%2 == 0 {
			dst.Fill(r, black)
		}
		dst.Stroke(r, render.Pen{Color: black, Width: 0.2})
	}
	for i := 0; i <= n; i++ {
		t := s.num(float64(i)*seg, 0)
		if i == n {
			t += " m"
		}
		dst.Text(render.Text{X: x0 + float64(i)*segMM, Y: y0 + h + 3.5*k, S: t, Size: 2.4 * k, Color: black, Align: render.Center})
	}
	dst.Text(render.Text{X: x0, Y: y0 - 3*k, S: l.ScaleTextIn(s.Lang), Size: 3.5 * k, Bold: true, Color: black})
}

// drawTiles outlines an atlas's sheets with their numbers (index sheet).
func (s *Sheet) drawTiles(dst render.Surface, fr render.Frame) {
	pen := render.Pen{Color: color.NRGBA{0x00, 0x33, 0xcc, 0xff}, Width: 0.5}
	for _, t := range s.Tiles {
		dst.Stroke(render.PathOf(t.Extent, fr.To), pen)
		c := fr.To.Apply(t.Extent.Center())
		w := (t.Extent.Max[0] - t.Extent.Min[0]) * fr.To.K
		size := math.Max(2, math.Min(12, w/6))
		dst.Text(render.Text{X: c.X, Y: c.Y + size/3, S: t.Label, Size: size, Bold: true, Color: pen.Color, Align: render.Center})
	}
}

// drawLegend lists the classes on the sheet and the line symbols; it
// returns the y below it.
func (s *Sheet) drawLegend(dst render.Surface, d render.Drawn, k float64) float64 {
	p := s.Layout.Panel
	x, y := p.X+4*k, p.Y+9*k
	dst.Text(render.Text{X: p.X + p.W/2, Y: y, S: s.word("CHÚ GIẢI"), Size: 4 * k, Bold: true, Color: black, Align: render.Center})
	y += 4 * k
	sw, sh, row, size := 12*k, 5*k, 6.5*k, 2.6*k
	line := func(draw func(y float64), label string) {
		draw(y)
		dst.Text(render.Text{X: x + sw + 3*k, Y: y + sh - 1.2*k, S: label, Size: size, Color: black})
		y += row
	}
	for _, c := range d.Classes {
		c := c
		line(func(y float64) {
			r := render.Rect(x, y, sw, sh)
			dst.Fill(r, c.RGB)
			dst.Stroke(r, render.Pen{Color: render.OutlineColor, Width: 0.2})
			dst.Text(render.Text{X: x + sw/2, Y: y + sh - 1.3*k, S: c.Code, Size: 2.2 * k, Bold: true, Color: render.Contrast(c.RGB), Align: render.Center})
		}, fitText(dst, s.className(c), size, p.W-sw-11*k))
	}
	if d.Unknown {
		line(func(y float64) { dst.Fill(render.Rect(x, y, sw, sh), render.UnknownFill) }, s.word("Loại đất chưa có trong danh mục"))
	}
	stage := map[string]string{landuse.Existing: "Ranh giới lô hiện trạng (HT)", landuse.FirstPhase: "Ranh giới lô quy hoạch đợt đầu (QHDD)", landuse.LongTerm: "Ranh giới lô quy hoạch dài hạn (QHDH)"}
	for _, st := range landuse.Stages {
		if !d.Stages[st] {
			continue
		}
		o := landuse.Stroke{WidthMM: 0.35}
		if len(d.Classes) > 0 {
			o = d.Classes[0].Outline(st)
		}
		line(func(y float64) {
			dst.Stroke(render.Line(x, y+sh/2, x+sw, y+sh/2), render.Pen{Color: render.OutlineColor, Width: o.WidthMM, Dash: o.Dash})
		}, s.word(stage[st]))
	}
	if len(s.Map.Boundary) > 0 {
		line(func(y float64) { dst.Stroke(render.Line(x, y+sh/2, x+sw, y+sh/2), render.BoundaryPen) }, s.word("Ranh giới quy hoạch"))
	}
	if len(s.Map.Highlight) > 0 {
		line(func(y float64) { dst.Stroke(render.Line(x, y+sh/2, x+sw, y+sh/2), render.HighlightPen) }, s.word("Ranh giới khu vực điều chỉnh"))
	}
	if len(s.Map.Lines) > 0 {
		line(func(y float64) { dst.Stroke(render.Line(x, y+sh/2, x+sw, y+sh/2), render.LinePen) }, s.word("Tim đường giao thông"))
	}
	if s.Map.Labels {
		line(func(y float64) {
			dst.Text(render.Text{X: x + sw/2, Y: y + sh/2 - 0.2*k, S: "CN-03", Size: 2.2 * k, Bold: true, Color: black, Align: render.Center})
			dst.Text(render.Text{X: x + sw/2, Y: y + sh + 0.6*k, S: s.num(1.25, 2) + " ha", Size: 2 * k, Color: black, Align: render.Center})
		}, s.word("Ký hiệu lô đất, diện tích"))
		line(func(y float64) {
			d, st, far := render.Abbreviations(s.lang())
			dst.Text(render.Text{X: x + sw/2, Y: y + sh - 1.2*k, S: d + " · " + st + " · " + far, Size: 1.8 * k, Color: black, Align: render.Center})
		}, fitText(dst, s.word("Mật độ xây dựng · tầng cao · hệ số sử dụng đất"), size, p.W-sw-11*k))
	}
	dst.Stroke(render.Line(p.X, y, p.Right(), y), render.Pen{Color: black, Width: 0.35})
	return y + 2*k
}

// fitText shortens s with "…" until it fits width w.
func fitText(dst render.Surface, s string, size, w float64) string {
	if dst.TextWidth(s, size, false) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && dst.TextWidth(string(r)+"…", size, false) > w {
		r = r[:len(r)-1]
	}
	return strings.TrimSpace(string(r)) + "…"
}

// wrap breaks s into lines no wider than w.
func wrap(dst render.Surface, s string, size float64, bold bool, w float64) []string {
	var lines []string
	cur := ""
	for _, word := range strings.Fields(s) {
		try := word
		if cur != "" {
			try = cur + " " + word
		}
		if cur != "" && dst.TextWidth(try, size, bold) > w {
			lines = append(lines, cur)
			cur = word
		} else {
			cur = try
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// drawInset draws the whole plan small with the map frame's extent on it.
func (s *Sheet) drawInset(dst render.Surface, y, size, k float64, sil *silhouette) {
	p := s.Layout.Panel
	x := p.X + (p.W-size)/2
	dst.Text(render.Text{X: p.X + p.W/2, Y: y - 1.5*k, S: s.word("SƠ ĐỒ VỊ TRÍ"), Size: 3 * k, Bold: true, Color: black, Align: render.Center})
	dst.Stroke(render.Rect(x, y, size, size), render.Pen{Color: black, Width: 0.25})
	var b orb.Bound
	first := true
	for _, f := range s.Plan {
		if f.Geometry == nil {
			continue
		}
		if first {
			b, first = f.Geometry.Bound(), false
		} else {
			b = b.Union(f.Geometry.Bound())
		}
	}
	ext := s.Layout.Extent()
	switch {
	case sil != nil:
		b = sil.ground
	case first:
		b = ext
	default:
		b = b.Union(ext)
	}
	span := math.Max(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1])
	if span <= 0 {
		return
	}
	a := render.Affine{Origin: b.Center(), At: render.Vec{X: x + size/2, Y: y + size/2}, K: (size - 6*k) / span}
	dst.Clip(x, y, size, size)
	// A boundary is filled and outlined; many lots (a plan without a
	// boundary) are only filled, so they read as one shape.
	outline := len(s.Plan) <= 50
	// A lot smaller than insetDot on the inset is drawn as its bounding
	// box, all such boxes in one fill: at a province's size the inset is
	// thousands of specks, and their twenty vertices each would make most
	// of the page's content for nothing a reader can see.
	var specks render.Path
	specks.Closed = true
	if sil != nil && sil.done {
		sil.draw(dst, a, color.NRGBA{0xdd, 0xd3, 0xb5, 0xff})
	}
	for _, f := range s.Plan {
		if f.Geometry != nil {
			if _, poly := f.Geometry.(orb.Polygon); poly && !outline {
				if fb := f.Geometry.Bound(); (fb.Max[0]-fb.Min[0])*a.K < insetDot && (fb.Max[1]-fb.Min[1])*a.K < insetDot {
					lo, hi := a.Apply(fb.Min), a.Apply(fb.Max)
					specks.Subpaths = append(specks.Subpaths, []render.Vec{{X: lo.X, Y: lo.Y}, {X: hi.X, Y: lo.Y}, {X: hi.X, Y: hi.Y}, {X: lo.X, Y: hi.Y}})
					continue
				}
			}
			pa := render.PathOf(f.Geometry, a)
			if pa.Closed {
				dst.Fill(pa, color.NRGBA{0xdd, 0xd3, 0xb5, 0xff})
			}
			if outline || !pa.Closed {
				dst.Stroke(pa, render.Pen{Color: render.BoundaryColor, Width: 0.3})
			}
		}
	}
	if len(specks.Subpaths) > 0 {
		dst.Fill(specks, color.NRGBA{0xdd, 0xd3, 0xb5, 0xff})
	}
	for _, f := range s.Map.Highlight {
		if f.Geometry != nil {
			dst.Fill(render.PathOf(f.Geometry, a), render.HighlightColor)
		}
	}
	dst.Stroke(render.PathOf(ext, a), render.Pen{Color: red, Width: 0.5})
	dst.Unclip()
}

// insetDot is the size (mm) below which a lot on the location inset is
// drawn as its bounding box.
const insetDot = 0.5

// title block rows: label height and value size, in mm at k = 1.
const (
	tbLabel = 2.0
	tbValue = 2.8
	tbPad   = 1.2
)

type tbRow struct {
	label string
	value []string
	bold  bool
	size  float64
	color color.NRGBA
}

// rows lays out the title block's text.
func (s *Sheet) rows(dst render.Surface, k float64) []tbRow {
	t := s.Title
	w := s.Layout.Panel.W - 6*k
	mk := func(label, value string, bold bool, size float64) tbRow {
		return tbRow{s.word(label), wrap(dst, value, size*k, bold, w), bold, size, black}
	}
	var r []tbRow
	r = append(r,
		mk("CƠ QUAN PHÊ DUYỆT", strings.ToUpper(t.ApprovingBody), true, tbValue),
		mk("CƠ QUAN THẨM ĐỊNH", strings.ToUpper(t.AppraisingBody), true, tbValue),
		mk("CƠ QUAN TỔ CHỨC LẬP", strings.ToUpper(t.OrganisingBody), true, tbValue),
		mk("ĐƠN VỊ TƯ VẤN", strings.ToUpper(t.Consultant), true, tbValue))
	plan := mk("ĐỒ ÁN", strings.ToUpper(t.PlanName), true, 3.2)
	if t.Adjustment != "" {
		plan.value = append(wrap(dst, strings.ToUpper(t.Adjustment), 3.2*k, true, w), plan.value...)
	}
	r = append(r, plan, mk("TÊN BẢN VẼ", strings.ToUpper(t.DrawingName), true, 3.2))
	if t.DecisionNo != "" {
		d := t.DecisionNo
		if t.DecisionDate != "" {
			d += " " + s.word("ngày") + " " + t.DecisionDate
		}
		r = append(r, mk("QUYẾT ĐỊNH PHÊ DUYỆT", d, false, tbValue))
	}
	if t.Seal != "" {
		r = append(r, mk("MÃ NIÊM PHONG DỮ LIỆU", sealText(t.Seal), false, tbLabel))
	}
	return r
}

// sealText is the part of a seal printed: 16 hex digits in groups of four,
// enough to find it (verify --anchor takes 12 or more).
func sealText(seal string) string {
	if len(seal) > 16 {
		seal = seal[:16]
	}
	var parts []string
	for i := 0; i < len(seal); i += 4 {
		parts = append(parts, seal[i:min(i+4, len(seal))])
	}
	return strings.Join(parts, " ")
}

func (s *Sheet) titleBlockHeight(dst render.Surface, k float64) float64 {
	h := 0.0
	for _, row := range s.rows(dst, k) {
		h += s.rowHeight(row, k)
	}
	return h + 3*(tbLabel+tbValue*1.3+2*tbPad)*k
}

func (s *Sheet) rowHeight(row tbRow, k float64) float64 {
	n := max(1, len(row.value))
	return (tbLabel + 2*tbPad + float64(n)*row.size*1.3) * k
}

// drawTitleBlock draws the khung tên from y down to the panel's bottom.
func (s *Sheet) drawTitleBlock(dst render.Surface, y, k float64) {
	p := s.Layout.Panel
	thick, thin := render.Pen{Color: black, Width: 0.5}, render.Pen{Color: black, Width: 0.2}
	dst.Stroke(render.Line(p.X, y, p.Right(), y), thick)
	x := p.X + 3*k
	label := func(x, y float64, s string) {
		dst.Text(render.Text{X: x, Y: y + (tbPad+tbLabel)*k, S: s, Size: tbLabel * k, Color: grey})
	}
	for _, row := range s.rows(dst, k) {
		label(x, y, row.label)
		yy := y + (tbPad+tbLabel)*k
		for _, v := range row.value {
			yy += row.size * 1.3 * k
			dst.Text(render.Text{X: p.X + p.W/2, Y: yy - 0.3*row.size*k, S: v, Size: row.size * k, Bold: row.bold, Color: row.color, Align: render.Center})
		}
		y += s.rowHeight(row, k)
		dst.Stroke(render.Line(p.X, y, p.Right(), y), thin)
	}
	// Three rows of two cells: number and scale, names, date.
	t := s.Title
	cell := (tbLabel + tbValue*1.3 + 2*tbPad) * k
	mid := p.X + p.W/2
	pairs := [][4]string{
		{"KÝ HIỆU BẢN VẼ", t.DrawingNo, "TỶ LỆ", s.Layout.ScaleTextIn(s.Lang)},
		{"CHỦ NHIỆM ĐỒ ÁN", t.Lead, "THIẾT KẾ", t.Designer},
		{"KIỂM TRA", t.Checker, "NGÀY", t.Date},
	}
	for _, pr := range pairs {
		for i, cx := range []float64{p.X, mid} {
			label(cx+3*k, y, s.word(pr[2*i]))
			v := fitText(dst, pr[2*i+1], tbValue*k, p.W/2-6*k)
			dst.Text(render.Text{X: cx + p.W/4, Y: y + cell - tbPad*k - 0.4*k, S: v, Size: tbValue * k, Bold: i == 1 && pr[2] == "TỶ LỆ", Color: black, Align: render.Center})
		}
		dst.Stroke(render.Line(mid, y, mid, y+cell), thin)
		y += cell
		if y < p.Bottom()-0.1 {
			dst.Stroke(render.Line(p.X, y, p.Right(), y), thin)
		}
	}
}

// balance table rows, mm at k = 1.
const (
	balRow  = 3.6
	balHead = 9.0
)

// balanceHeight is the height the whole table needs.
func balanceHeight(b *diff.Balance, k float64) float64 {
	return (balHead + float64(len(b.Rows)+2)*balRow + 2) * k
}

// drawBalance draws the land-use balance table between top and bottom;
// rows that do not fit are left out with a note. It returns the y below it.
func (s *Sheet) drawBalance(dst render.Surface, bal *diff.Balance, title string, top, bottom, k float64) float64 {
	b := bal.Rounded(2)
	p := s.Layout.Panel
	size, row := 2.1*k, balRow*k
	y := top + 5*k
	dst.Text(render.Text{X: p.X + p.W/2, Y: y, S: title, Size: 3 * k, Bold: true, Color: black, Align: render.Center})
	y += 2 * k
	cols := []float64{0.08, 0.2, 0.26, 0.26, 0.2}
	head := []string{"STT", "Ký hiệu", "Phê duyệt (ha)", "Điều chỉnh (ha)", "± ha"}
	if !b.HasBefore {
		cols = []float64{0.1, 0.25, 0.4, 0.25}
		head = []string{"STT", "Ký hiệu", "Diện tích (ha)", "%"}
	}
	for i := range head {
		head[i] = s.word(head[i])
	}
	w := p.W - 6*k
	cellRow := func(vals []string, bold bool) {
		x := p.X + 3*k
		for i, v := range vals {
			cw := cols[i] * w
			dst.Text(render.Text{X: x + cw/2, Y: y + row - 1*k, S: fitText(dst, v, size, cw), Size: size, Bold: bold, Color: black, Align: render.Center})
			x += cw
		}
		y += row
		dst.Stroke(render.Line(p.X+3*k, y, p.Right()-3*k, y), render.Pen{Color: grey, Width: 0.1})
	}
	cellRow(head, true)
	for i, r := range b.Rows {
		if y+3*row > bottom && i < len(b.Rows)-1 {
			dst.Text(render.Text{X: p.X + 3*k, Y: y + row - 1*k, S: fmt.Sprintf(s.word("… và %d loại đất khác"), len(b.Rows)-i), Size: size, Color: grey})
			y += row
			break
		}
		vals := []string{fmt.Sprint(i + 1), r.Code, s.num(r.Ha, 2), s.num(r.Percent, 2)}
		if b.HasBefore {
			vals = []string{fmt.Sprint(i + 1), r.Code, s.num(r.BeforeHa, 2), s.num(r.Ha, 2), gis.Signed(r.ChangeHa, 2, s.lang())}
		}
		cellRow(vals, false)
	}
	total := []string{"", s.word("Tổng"), s.num(b.TotalHa, 2), "100"}
	if b.HasBefore {
		total = []string{"", s.word("Tổng"), s.num(b.BeforeTotalHa, 2), s.num(b.TotalHa, 2), gis.Signed(b.TotalHa-b.BeforeTotalHa, 2, s.lang())}
	}
	cellRow(total, true)
	return y + 2*k
}
