package render

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"math/rand"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"quyhoach/assets"
	"quyhoach/gis"
	"quyhoach/gis/landuse"
)

var fonts = Fonts{Regular: assets.FontRegular, Bold: assets.FontBold}

// record is a Surface that keeps what is drawn and measures text with the
// raster fonts.
type record struct {
	*Canvas
	fills   []Path
	strokes []Pen
	texts   []Text
}

func (r *record) Fill(p Path, c color.NRGBA) { r.fills = append(r.fills, p); r.Canvas.Fill(p, c) }
func (r *record) Stroke(p Path, pen Pen)     { r.strokes = append(r.strokes, pen); r.Canvas.Stroke(p, pen) }
func (r *record) Text(t Text)                { r.texts = append(r.texts, t); r.Canvas.Text(t) }

func newRecord(t testing.TB, w, h int) *record {
	c := NewCanvas(View{Width: w, Height: h, Scale: 1}, color.White)
	if err := c.SetFonts(fonts); err != nil {
		t.Fatal(err)
	}
	return &record{Canvas: c}
}

func square(x, y, s float64) orb.Polygon {
	return orb.Polygon{{{x, y}, {x + s, y}, {x + s, y + s}, {x, y + s}, {x, y}}}
}

// TestCanvasFillStroke: the raster Surface fills a lot, outlines it, and
// leaves a hole empty.
func TestCanvasFillStroke(t *testing.T) {
	v := View{Center: orb.Point{50, 50}, Scale: 1, Width: 100, Height: 100}
	c := NewCanvas(v, color.White)
	red := color.NRGBA{0xff, 0, 0, 0xff}
	p := PathOf(square(25, 25, 50), v.Affine())
	c.Fill(p, red)
	c.Stroke(p, Pen{Color: color.NRGBA{0, 0, 0, 0xff}, Width: 2})
	if got := c.Dst.At(50, 50); got != (color.RGBA{0xff, 0, 0, 0xff}) {
		t.Errorf("centre %v, want red", got)
	}
	if r, g, b, _ := c.Dst.At(25, 50).RGBA(); r > 0x2000 || g > 0x2000 || b > 0x2000 {
		t.Errorf("outline at the edge is %v, want black", c.Dst.At(25, 50))
	}
	if got := c.Dst.At(10, 10); got != (color.RGBA{0xff, 0xff, 0xff, 0xff}) {
		t.Errorf("outside %v, want white", got)
	}
	// A hole stays empty.
	c = NewCanvas(v, color.White)
	hole := square(40, 40, 20)[0]
	hole.Reverse()
	c.Fill(PathOf(orb.Polygon{square(10, 10, 80)[0], hole}, v.Affine()), red)
	if got := c.Dst.At(50, 50); got != (color.RGBA{0xff, 0xff, 0xff, 0xff}) {
		t.Errorf("hole %v, want white", got)
	}
}

func TestAffineAndPath(t *testing.T) {
	a := Affine{Origin: orb.Point{444000, 2430000}, At: Vec{100, 100}, K: 0.5} // 1/2000 in mm
	v := a.Apply(orb.Point{444100, 2430100})
	if v != (Vec{150, 50}) {
		t.Errorf("Apply %v, want {150 50}: 100 m is 50 mm and north is up", v)
	}
	for _, g := range []orb.Geometry{nil, orb.Point{1, 2}, orb.MultiPoint{}, orb.LineString{}, orb.Polygon{}, orb.MultiPolygon{}, orb.Collection{}, orb.Bound{}} {
		p := PathOf(g, a)
		if len(p.Subpaths) > 1 {
			t.Errorf("%T: %d subpaths", g, len(p.Subpaths))
		}
	}
	if p := PathOf(orb.Collection{square(0, 0, 1), orb.LineString{{0, 0}, {1, 1}}}, a); len(p.Subpaths) != 2 || !p.Closed {
		t.Errorf("collection path %+v", p)
	}
}

// TestPathOf: rings are closed subpaths, lines open ones, points none.
func TestPathOf(t *testing.T) {
	a := Affine{K: 1}
	sq := square(0, 0, 10)
	hole := square(2, 2, 2)[0]
	for _, tc := range []struct {
		g      orb.Geometry
		lens   []int // points per subpath
		closed bool
	}{
		{orb.MultiPoint{{0, 0}, {1, 1}}, nil, false},
		{orb.LineString{{0, 0}, {1, 1}, {2, 0}}, []int{3}, false},
		{orb.MultiLineString{{{0, 0}, {1, 1}}, {{5, 5}}, {{2, 2}, {3, 3}}}, []int{2, 2}, false},
		{orb.Ring(sq[0]), []int{5}, true},
		{orb.Polygon{sq[0], hole}, []int{5, 5}, true},
		{orb.MultiPolygon{sq, {hole}}, []int{5, 5}, true},
		{orb.Bound{Max: orb.Point{1, 1}}, []int{5}, true},
		{orb.Collection{orb.Point{0, 0}, orb.LineString{{0, 0}, {1, 1}}, sq}, []int{2, 5}, true},
	} {
		p := PathOf(tc.g, a)
		var lens []int
		for _, s := range p.Subpaths {
			lens = append(lens, len(s))
		}
		if fmt.Sprint(lens) != fmt.Sprint(tc.lens) || p.Closed != tc.closed {
			t.Errorf("%T: got subpaths of %v points, closed %v; want %v, %v", tc.g, lens, p.Closed, tc.lens, tc.closed)
		}
	}
}

func TestSymbologyFromCatalogue(t *testing.T) {
	cat, err := landuse.Parse(assets.LandUse)
	if err != nil {
		t.Fatal(err)
	}
	sym := Symbology{Catalogue: cat}
	st := sym.Lot(gis.Feature{Properties: map[string]any{"phanLoai": "DAT_SX_Congnghiep", "giaiDoan": "QHDH"}})
	if !st.Known || st.Fill != (color.NRGBA{0x66, 0x00, 0xcc, 0xff}) || st.Outline.Width != 0.35 || len(st.Outline.Dash) == 0 {
		t.Errorf("CN long term: %+v", st)
	}
	st = sym.Lot(gis.Feature{Properties: map[string]any{"phanLoai": "nope"}})
	if st.Known || st.Fill != UnknownFill {
		t.Errorf("unknown class: %+v", st)
	}
}

// TestLotLabel: one label rule for screen and paper, in either language.
func TestLotLabel(t *testing.T) {
	for _, tc := range []struct {
		props map[string]any
		area  float64
		lang  string
		want  string
	}{
		{map[string]any{"maDoiTuong": "CN-03"}, 12500, "vi", "CN-03|1,25 ha"},
		{map[string]any{"maDoiTuong": "CN-03", "matDoXayDung": 42.75, "tangCaoMin": 2.0, "tangCaoMax": 4.0, "heSoSuDungDat": 1.85}, 12500, "vi",
			"CN-03|1,25 ha|MĐ 42,75% · 2–4 T · HS 1,85"},
		{map[string]any{"maDoiTuong": "CN-03", "matDoXayDung": 42.75, "tangCaoMin": 2.0, "tangCaoMax": 4.5, "heSoSuDungDat": 1.85}, 12345678, "en",
			"CN-03|1,234.57 ha|BCR 42.75% · 2–4.5 st · FAR 1.85"},
		{map[string]any{"matDoXayDung": 45.0, "tangCaoMin": 3.0, "tangCaoMax": 17.0, "heSoSuDungDat": 4.1}, 10000, "vi", "1,00 ha|MĐ 45% · 3–17 T · HS 4,1"},
		{map[string]any{"maDoiTuong": "X", "tangCaoMax": "5", "heSoSuDungDat": 1.25}, 0, "vi", "X|0,00 ha|5 T · HS 1,25"},
		{map[string]any{"maDoiTuong": "X", "tangCaoMin": 2.0, "tangCaoMax": 2.0}, 0, "vi", "X|0,00 ha|2 T"},
		{map[string]any{"maDoiTuong": "X", "ghiChu": "x"}, 0, "vi", "X|0,00 ha"},
	} {
		if got := strings.Join(LotLabel(gis.Feature{Properties: tc.props}, tc.area, tc.lang), "|"); got != tc.want {
			t.Errorf("LotLabel(%v, %v, %s) = %q, want %q", tc.props, tc.area, tc.lang, got, tc.want)
		}
	}
}

// TestLabelsInsideWithoutOverlap draws a dense grid of lots and checks that
// every label drawn lies inside its lot and no two labels overlap.
func TestLabelsInsideWithoutOverlap(t *testing.T) {
	cat, _ := landuse.Parse(assets.LandUse)
	var lots []gis.Feature
	for i := 0; i < 20; i++ {
		for j := 0; j < 20; j++ {
			s := 14.0 + 3*float64((i*7+j*3)%9) // lots of 14–38 px
			lots = append(lots, gis.Feature{Geometry: square(float64(j)*40, float64(i)*40, s),
				Properties: map[string]any{"maDoiTuong": fmt.Sprintf("CN-%d", i*20+j), "phanLoai": "CN"}})
		}
	}
	// Lots drawn twice (overlapping data): their labels must not collide.
	for j := 0; j < 20; j++ {
		f := lots[j]
		f.Properties = map[string]any{"maDoiTuong": fmt.Sprintf("DUP-%d", j), "phanLoai": "CN"}
		lots = append(lots, f)
	}
	// An L-shaped lot: its centroid falls outside it.
	lots = append(lots, gis.Feature{Geometry: orb.Polygon{{{810, 0}, {1010, 0}, {1010, 40}, {850, 40}, {850, 300}, {810, 300}, {810, 0}}},
		Properties: map[string]any{"maDoiTuong": "L-01", "phanLoai": "CN"}})
	r := newRecord(t, 1100, 850)
	fr := Frame{To: Affine{Origin: orb.Point{0, 820}, At: Vec{0, 0}, K: 1}, MM: 2.5, Extent: orb.Bound{Min: orb.Point{-1e3, -1e3}, Max: orb.Point{1e4, 1e4}}}
	d := DrawMap(r, fr, Symbology{Catalogue: cat}, Map{Lots: lots, Labels: true})
	t.Logf("%d of %d lots labelled", d.Labels, d.Lots)
	if d.Lots != len(lots) || d.Labels < 100 || d.Labels == d.Lots || len(d.Classes) != 1 || d.Classes[0].Code != "CN" {
		t.Fatalf("drawn %+v", d)
	}
	type placed struct {
		b   box
		lot int
	}
	var boxes []placed
	byCode := map[string]int{}
	for i, f := range lots {
		byCode[f.String("maDoiTuong")] = i
	}
	lot := -1
	for _, tx := range r.texts {
		if tx.Bold { // a label starts with its lot's code, in bold
			i, ok := byCode[tx.S]
			if !ok {
				t.Fatalf("label %q names no lot", tx.S)
			}
			lot = i
		}
		w := r.TextWidth(tx.S, tx.Size, tx.Bold)
		b := box{tx.X - w/2, tx.Y - 0.75*tx.Size, tx.X + w/2, tx.Y + 0.2*tx.Size}
		if !boxInside(PathOf(lots[lot].Geometry, fr.To), b) {
			t.Errorf("label %q sticks out of its lot %v", tx.S, b)
		}
		for _, o := range boxes {
			if o.lot != lot && o.b.overlaps(b) {
				t.Errorf("label %q of lot %d overlaps the label of lot %d", tx.S, lot, o.lot)
			}
		}
		boxes = append(boxes, placed{b, lot})
	}
	found := false
	for _, tx := range r.texts {
		found = found || tx.S == "L-01"
	}
	if !found {
		t.Errorf("the L-shaped lot has no label")
	}
}

func TestPDFTarget(t *testing.T) {
	p, err := NewPDF(fonts)
	if err != nil {
		t.Fatal(err)
	}
	p.AddPage(420, 297)
	p.Fill(Rect(10, 10, 50, 50), color.NRGBA{0x66, 0, 0xcc, 0xff})
	p.Stroke(Rect(10, 10, 50, 50), Pen{Color: OutlineColor, Width: 0.35, Dash: []float64{3, 1.5}})
	p.Clip(0, 0, 100, 100)
	p.Text(Text{X: 35, Y: 35, S: "Đất công nghiệp", Size: 3, Bold: true, Color: color.NRGBA{0, 0, 0, 0xff}, Align: Center})
	p.Unclip()
	if w := p.TextWidth("TỶ LỆ 1/2000", 3.5, true); w < 15 || w > 30 {
		t.Errorf("text width %.1f mm", w)
	}
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) || !bytes.Contains(buf.Bytes(), []byte("FontFile2")) {
		t.Errorf("not a PDF with an embedded TrueType font")
	}
	if _, err := NewPDF(Fonts{}); err == nil {
		t.Errorf("a PDF without a font")
	}
}

// TestLabelsStayInsideTheFrame labels a lot cut by the frame's edge on its
// visible part.
func TestLabelsStayInsideTheFrame(t *testing.T) {
	cat, _ := landuse.Parse(assets.LandUse)
	lot := gis.Feature{Geometry: square(-200, 0, 300), Properties: map[string]any{"maDoiTuong": "CN-01", "phanLoai": "CN"}}
	r := newRecord(t, 400, 400)
	fr := Frame{To: Affine{Origin: orb.Point{0, 300}, K: 1}, MM: 4, Extent: orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{300, 300}}}
	d := DrawMap(r, fr, Symbology{Catalogue: cat}, Map{Lots: []gis.Feature{lot}, Labels: true})
	if d.Labels != 1 {
		t.Fatalf("%d labels, want 1", d.Labels)
	}
	for _, tx := range r.texts {
		w := r.TextWidth(tx.S, tx.Size, tx.Bold)
		if tx.X-w/2 < 0 || tx.X+w/2 > 300 {
			t.Errorf("label %q spans x %.0f…%.0f, outside the frame 0…300", tx.S, tx.X-w/2, tx.X+w/2)
		}
	}
}

// TestPDFPagesStartSolid: a dash set on one page does not carry over to the
// solid lines of the next (fpdf keeps the last dash across AddPage).
func TestPDFPagesStartSolid(t *testing.T) {
	p, err := NewPDF(fonts)
	if err != nil {
		t.Fatal(err)
	}
	p.doc.SetCompression(false)
	p.AddPage(210, 297)
	p.Stroke(Line(10, 10, 100, 10), Pen{Color: OutlineColor, Width: 0.35, Dash: []float64{3, 1.5}})
	p.AddPage(210, 297)
	p.Stroke(Line(10, 10, 100, 10), Pen{Color: OutlineColor, Width: 0.35})
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		t.Fatal(err)
	}
	// the second page's content stream resets the dash before its stroke
	var second string
	n := 0
	for _, st := range strings.Split(buf.String(), "endstream") {
		if strings.Contains(st, "\nS\n") {
			if n++; n == 2 {
				second = st
			}
		}
	}
	i, j := strings.Index(second, "[] 0"), strings.Index(second, "\nS\n")
	if second == "" || i < 0 || j < i {
		t.Fatalf("page 2 does not reset the dash before stroking:\n%s", second)
	}
}

// TestSmallestLabelledLot: holdsLabel, which spares DrawMap the labels of
// lots too small for one, never turns away a lot placeLabel would label:
// lots of a single-letter code from well below to above the smallest
// label's height are labelled exactly when placeLabel alone labels them.
func TestSmallestLabelledLot(t *testing.T) {
	cat, _ := landuse.Parse(assets.LandUse)
	const mm = 4 // surface units per mm; 1 m of ground is 1 unit
	labelled := 0
	for h := 4.0; h <= 12; h += 0.25 {
		lot := gis.Feature{Geometry: orb.Polygon{{{0, 0}, {60, 0}, {60, h}, {0, h}, {0, 0}}}, Properties: map[string]any{"maDoiTuong": "A", "phanLoai": "CN"}}
		fr := Frame{To: Affine{Origin: orb.Point{0, 100}, K: 1}, MM: mm, Extent: orb.Bound{Min: orb.Point{-10, -10}, Max: orb.Point{100, 100}}}
		d := DrawMap(newRecord(t, 120, 120), fr, Symbology{Catalogue: cat}, Map{Lots: []gis.Feature{lot}, Labels: true})
		p := PathOf(lot.Geometry, fr.To)
		pl := newPlacer(fr.MM * 20)
		pl.within = box{-1e9, -1e9, 1e9, 1e9}
		want := 0
		if placeLabel(newRecord(t, 120, 120), pl, mm, p, LotLabel(lot, gis.Area(lot.Geometry), "vi"), UnknownFill) {
			want = 1
		}
		if d.Labels != want {
			t.Errorf("a lot %.2f mm high: %d labels, placeLabel alone gives %d", h/mm, d.Labels, want)
		}
		labelled += want
	}
	if labelled == 0 || labelled == 33 {
		t.Fatalf("%d of 33 heights labelled: the threshold is not crossed", labelled)
	}
}

// TestAppendPt: a path's numbers are written as fpdf's "%.2f" writes them,
// but for values within a rounding error of a half hundredth.
func TestAppendPt(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 200000; i++ {
		v := (r.Float64() - 0.1) * 4000
		if i%7 == 0 {
			v = math.Round(v*100) / 100 // exact hundredths
		}
		got, want := string(appendPt(nil, v)), strconv.FormatFloat(v, 'f', 2, 64)
		if want == "-0.00" {
			want = "0.00"
		}
		if got != want {
			frac := math.Abs(v*100 - math.Trunc(v*100))
			if math.Abs(frac-0.5) > 1e-6 {
				t.Fatalf("%v: %s, want %s", v, got, want)
			}
		}
	}
	for v, want := range map[float64]string{0: "0.00", 1: "1.00", -2.5: "-2.50", 0.004: "0.00", 0.006: "0.01", 3370.999: "3371.00", -0.3: "-0.30"} {
		if got := string(appendPt(nil, v)); got != want {
			t.Errorf("%v: %s, want %s", v, got, want)
		}
	}
}
