package render

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// drawSample draws on p what TestPDFLayers compares: lots (rings with
// vertices along their sides) filled then outlined, solid and dashed, a
// translucent fill, and text over them.
func drawSample(p *PDF, layered bool) {
	p.AddPage(210, 297)
	p.Clip(10, 10, 190, 277)
	if layered {
		p.BeginLayers(2)
	}
	classes := []color.NRGBA{{0xff, 0x66, 0x00, 0xff}, {0x66, 0x00, 0xcc, 0xff}, {0x80, 0x80, 0x80, 0xff}, {0x00, 0x99, 0x33, 0x80}}
	for i := range 120 {
		x, y := 15+float64(i%10)*18, 15+float64(i/10)*22
		var ring []Vec
		for k := range 5 { // 5 points a side, as surveyed lots share corners
			ring = append(ring, Vec{x + float64(k)*3, y})
		}
		for k := range 5 {
			ring = append(ring, Vec{x + 15, y + float64(k)*4})
		}
		ring = append(ring, Vec{x + 15, y + 20}, Vec{x + 7, y + 17}, Vec{x, y + 20})
		pa := Path{Subpaths: [][]Vec{ring}, Closed: true}
		if layered {
			p.Layer(0)
		}
		p.Fill(pa, classes[i%len(classes)])
		if layered {
			p.Layer(1)
		}
		pen := Pen{Color: OutlineColor, Width: 0.35}
		if i%3 == 0 {
			pen.Dash = []float64{2, 1}
		}
		p.Stroke(pa, pen)
	}
	if layered {
		p.EndLayers()
	}
	p.Text(Text{X: 100, Y: 150, S: "Đất công nghiệp CN-01", Size: 5, Bold: true, Color: color.NRGBA{0, 0, 0, 0xff}, Align: Center})
	p.Unclip()
}

// TestPDFLayers: a page drawn through layers (Form XObjects compressed to
// a temporary file, spliced in at Output) reads in poppler without a
// complaint, shows what the same drawing on the page itself shows, keeps
// its text, and leaves no file behind.
func TestPDFLayers(t *testing.T) {
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("no poppler")
	}
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	dir := t.TempDir()
	var pages []image.Image
	for _, layered := range []bool{false, true} {
		p, err := NewPDF(fonts)
		if err != nil {
			t.Fatal(err)
		}
		drawSample(p, layered)
		if entries, _ := os.ReadDir(tmp); len(entries) > 0 {
			t.Errorf("temporary files in sight while drawing: %d", len(entries))
		}
		var buf bytes.Buffer
		if err := p.Output(&buf); err != nil {
			t.Fatal(err)
		}
		if got := bytes.Contains(buf.Bytes(), []byte("/Subtype /Form")); got != layered {
			t.Fatalf("layered %v: a form in the file: %v", layered, got)
		}
		name := filepath.Join(dir, map[bool]string{false: "page", true: "layers"}[layered])
		if err := os.WriteFile(name+".pdf", buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		var stderr bytes.Buffer
		cmd := exec.Command("pdftoppm", "-png", "-r", "60", "-singlefile", name+".pdf", name)
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil || stderr.Len() > 0 {
			t.Fatalf("pdftoppm: %v %s", err, stderr.String())
		}
		text, err := exec.Command("pdftotext", name+".pdf", "-").Output()
		if err != nil || !strings.Contains(string(text), "Đất công nghiệp CN-01") {
			t.Errorf("pdftotext: %v %q", err, text)
		}
		f, err := os.Open(name + ".png")
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, img)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) > 0 {
		t.Errorf("%d temporary files left", len(entries))
	}
	a, b := pages[0], pages[1]
	if a.Bounds() != b.Bounds() {
		t.Fatalf("pages %v and %v", a.Bounds(), b.Bounds())
	}
	bad, painted := 0, 0
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			r1, g1, b1, _ := a.At(x, y).RGBA()
			r2, g2, b2, _ := b.At(x, y).RGBA()
			if r1 != 0xffff || g1 != 0xffff || b1 != 0xffff {
				painted++
			}
			d := (math.Abs(float64(r1)-float64(r2)) + math.Abs(float64(g1)-float64(g2)) + math.Abs(float64(b1)-float64(b2))) / 3 / 257
			if d > 48 {
				bad++
			}
		}
	}
	if painted < 10000 || bad > painted/1000 {
		t.Errorf("layers differ from the page: %d of %d painted pixels", bad, painted)
	}
}

// TestLayersFailCleanly: a document whose layers were begun but never
// written lets go of its files; a cross-reference table that is not fpdf's
// is refused, not patched blindly.
func TestLayersFailCleanly(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	p, err := NewPDF(fonts)
	if err != nil {
		t.Fatal(err)
	}
	p.AddPage(210, 297)
	p.BeginLayers(2)
	p.Fill(Rect(10, 10, 20, 20), OutlineColor)
	p.Close()
	if entries, _ := os.ReadDir(tmp); len(entries) > 0 {
		t.Errorf("%d temporary files left", len(entries))
	}
	if err := spliceForms(&bytes.Buffer{}, []byte("%PDF-1.4\nno table\n"), []placedForm{{&form{name: "/QHL1"}, 1, 1}}); err == nil {
		t.Errorf("a document without a cross-reference table spliced")
	}
}

// TestStraightVerticesLeftOut: in a layer, vertices on the straight line
// between their neighbours within half the written precision go; a spike,
// a bend and a gentle curve (whose vertices are each near the line to the
// next, but not to the chord of the run) stay.
func TestStraightVerticesLeftOut(t *testing.T) {
	pt := func(x, y int64) [2]int64 { return [2]int64{x, y} }
	for _, c := range []struct {
		a, v, c [2]int64
		on      bool
	}{
		{pt(0, 0), pt(50, 0), pt(100, 0), true},
		{pt(0, 0), pt(50, 0), pt(50, 0), true},    // a repeated vertex
		{pt(0, 0), pt(0, 0), pt(0, 0), true},      // all three the same
		{pt(0, 0), pt(150, 0), pt(100, 0), false}, // a spike beyond the next vertex
		{pt(0, 0), pt(-10, 0), pt(100, 0), false}, // a spike back
		{pt(0, 0), pt(50, 1), pt(100, 0), false},  // a bend of one hundredth of a point
		{pt(0, 0), pt(500, 0), pt(1000, 1), true}, // half a hundredth off at most
	} {
		if got := onLine(c.a, c.v, c.c); got != c.on {
			t.Errorf("onLine(%v, %v, %v) = %v", c.a, c.v, c.c, got)
		}
	}
	// a gentle arc: each vertex near the line to the next, the run not
	var arc [][2]int64
	for i := range 40 {
		x := float64(i) * 10
		arc = append(arc, pt(int64(x), int64(math.Round(x*x/4000))))
	}
	if between(arc) {
		t.Errorf("an arc rising %d hundredths taken for a straight line", arc[len(arc)-1][1])
	}
	p, err := NewPDF(fonts)
	if err != nil {
		t.Fatal(err)
	}
	p.AddPage(210, 297)
	p.BeginLayers(1)
	k := p.doc.GetConversionRatio()
	var ring []Vec
	for i := range 10 { // a square with 9 extra vertices on its bottom side
		ring = append(ring, Vec{10 + float64(i)*2, 100})
	}
	ring = append(ring, Vec{30, 100}, Vec{30, 80}, Vec{10, 80})
	var arcPath []Vec
	for _, v := range arc {
		arcPath = append(arcPath, Vec{float64(v[0]) / 100 / k, 200 - float64(v[1])/100/k})
	}
	p.Fill(Path{Subpaths: [][]Vec{ring}, Closed: true}, OutlineColor)
	square := strings.Count(string(p.ops), " l\n")
	p.Stroke(Path{Subpaths: [][]Vec{arcPath}}, Pen{Color: OutlineColor, Width: 0.2})
	var drawn [][2]float64 // the arc as written, in hundredths of a point
	for _, line := range strings.Split(string(p.ops), "\n") {
		var x, y float64
		if f := strings.Fields(line); len(f) == 3 {
			fmt.Sscan(f[0], &x)
			fmt.Sscan(f[1], &y)
			drawn = append(drawn, [2]float64{math.Round(x * 100), math.Round(y * 100)})
		}
	}
	p.Close()
	if square != 3 {
		t.Errorf("square with vertices along a side: %d lines, want 3", square)
	}
	if len(drawn) >= len(arc) || len(drawn) < 4 {
		t.Fatalf("gentle arc of %d vertices drawn with %d", len(arc), len(drawn))
	}
	// every vertex of the arc, as written, within half a hundredth of what
	// is drawn
	for _, a := range arcPath {
		v := [2]int64{hundredths(a.X * k), hundredths((297 - a.Y) * k)}
		best := math.Inf(1)
		for i := 0; i+1 < len(drawn); i++ {
			a, c := drawn[i], drawn[i+1]
			dx, dy := c[0]-a[0], c[1]-a[1]
			u := math.Max(0, math.Min(1, ((float64(v[0])-a[0])*dx+(float64(v[1])-a[1])*dy)/(dx*dx+dy*dy)))
			best = math.Min(best, math.Hypot(a[0]+u*dx-float64(v[0]), a[1]+u*dy-float64(v[1])))
		}
		if best > 0.5+1e-9 {
			t.Errorf("arc vertex %v is %.2f hundredths from the path drawn", v, best)
		}
	}
}
