package scene

import (
	"fmt"
	"image/color"
	"math"
	"math/rand"
	"runtime"
	"testing"

	"github.com/paulmach/orb"

	"quyhoach/assets"
	"quyhoach/gis"
	"quyhoach/gis/landuse"
	"quyhoach/gis/render"
)

func catalogue(t testing.TB) *landuse.Catalogue {
	t.Helper()
	c, err := landuse.Parse(assets.LandUse)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func square(x, y, s float64) orb.Ring {
	return orb.Ring{{x, y}, {x + s, y}, {x + s, y + s}, {x, y + s}, {x, y}}
}

// holed is a 100 m lot with a 40 m hole in its middle, beside a plain lot.
func holed() []gis.Layer {
	hole := square(30, 30, 40)
	hole.Reverse()
	return []gis.Layer{{Name: gis.LandUseLayer, Features: []gis.Feature{
		{ID: "ring", Geometry: orb.Polygon{square(0, 0, 100), hole}, Properties: map[string]any{"maDoiTuong": "CX-01", "tenDoiTuong": "Công viên Đồng Đăng", "phanLoai": "CXCC"}},
		{ID: "plain", Geometry: orb.Polygon{square(100, 0, 100)}, Properties: map[string]any{"maDoiTuong": "ONM-02", "phanLoai": "ONM", "matDoXayDung": 60.0, "tangCaoMin": 3.0, "tangCaoMax": 5.0}},
	}}}
}

func TestPickRespectsHoles(t *testing.T) {
	s := Plan(holed(), catalogue(t), "vi")
	for _, c := range []struct {
		p    orb.Point
		want string
	}{{orb.Point{10, 10}, "ring"}, {orb.Point{50, 50}, ""}, {orb.Point{150, 50}, "plain"}, {orb.Point{250, 50}, ""}, {orb.Point{29, 50}, "ring"}} {
		l, i, ok := s.Pick(c.p)
		got := ""
		if ok {
			got = l.Shapes[i].ID
		}
		if got != c.want {
			t.Errorf("Pick(%v) = %q, want %q", c.p, got, c.want)
		}
	}
}

func TestFoldAndSearch(t *testing.T) {
	if got := Fold("  Đồng   Đăng, ĐƯỜNG "); got != "dong dang duong" {
		t.Fatalf("Fold = %q", got)
	}
	s := Plan(holed(), catalogue(t), "vi")
	for q, want := range map[string]string{"dong dang": "ring", "cong vien": "ring", "onm": "plain", "ONM-02": "plain", "Đồng": "ring"} {
		h := s.Search(q, 0)
		if len(h) != 1 || h[0].Shape().ID != want {
			t.Errorf("Search(%q) = %v, want %s", q, h, want)
		}
	}
	if h := s.Search("zzz", 0); len(h) != 0 {
		t.Errorf("Search(zzz) found %d", len(h))
	}
}

func TestLotLabel(t *testing.T) {
	s := Plan(holed(), catalogue(t), "vi")
	got := fmt.Sprint(s.Layers[0].Shapes[1].Label())
	if got != "[ONM-02 1,00 ha MĐ 60% · 3–5 T]" {
		t.Fatalf("label %s", got)
	}
	if a := s.Layers[0].Shapes[0].AreaM2; a != 10000-1600 {
		t.Fatalf("area %v", a)
	}
	// the anchor of the holed lot is inside it, not in the hole
	if p := s.Layers[0].Shapes[0].Anchor(); !Contains(s.Layers[0].Shapes[0].Feature.Geometry, p) {
		t.Fatalf("anchor %v outside", p)
	}
}

func TestRenderFillsAndHoles(t *testing.T) {
	cat := catalogue(t)
	s := Plan(holed(), cat, "vi")
	v := render.Fit(s.Extent, 200, 100, 0)
	bg := color.NRGBA{1, 2, 3, 255}
	img := s.Frame(v, Options{Background: bg})
	cx, _ := cat.Lookup("CXCC")
	at := func(p orb.Point) color.NRGBA {
		x, y := v.Pixel(p)
		c := img.RGBAAt(int(x), int(y))
		return color.NRGBA{c.R, c.G, c.B, c.A}
	}
	if got := at(orb.Point{15, 15}); got != cx.RGB {
		t.Errorf("lot pixel %v, want %v", got, cx.RGB)
	}
	if got := at(orb.Point{50, 50}); got != bg {
		t.Errorf("hole pixel %v, want background", got)
	}
}

// synthetic returns n lots of 20 vertices on a square grid of 30 m cells.
func synthetic(n int) []gis.Layer {
	rng := rand.New(rand.NewSource(1))
	side := int(math.Ceil(math.Sqrt(float64(n))))
	classes := []string{"ONM", "OHH", "CXCC", "CN", "DV", "GD", "YT", "TDTT"}
	fs := make([]gis.Feature, 0, n)
	for i := 0; i < n; i++ {
		x0, y0 := 440000+float64(i%side)*30, 2400000+float64(i/side)*30
		r := make(orb.Ring, 0, 21)
		for k := 0; k < 20; k++ {
			a := 2 * math.Pi * float64(k) / 20
			rad := 12 + rng.Float64()*2
			r = append(r, orb.Point{x0 + 15 + rad*math.Cos(a), y0 + 15 + rad*math.Sin(a)})
		}
		r = append(r, r[0])
		fs = append(fs, gis.Feature{ID: fmt.Sprint(i), Geometry: orb.Polygon{r}, Properties: map[string]any{
			"maDoiTuong": fmt.Sprintf("L-%d", i), "phanLoai": classes[i%len(classes)], "giaiDoan": "QHDD", "matDoXayDung": 40.0, "tangCaoMax": 5.0}})
	}
	return []gis.Layer{{Name: gis.LandUseLayer, Features: fs}}
}

func benchFrame(b *testing.B, zoom float64) { benchFrameN(b, 100000, zoom) }

func benchFrameN(b *testing.B, lots int, zoom float64) {
	cat := catalogue(b)
	s := Plan(synthetic(lots), cat, "vi")
	font, err := NewFont(assets.FontRegular, 11)
	if err != nil {
		b.Fatal(err)
	}
	v := render.Fit(s.Extent, 1920, 1080, 0)
	v.Scale /= zoom
	o := Options{Background: color.NRGBA{0xf7, 0xf7, 0xf2, 0xff}, Font: font}
	n := 0
	s.Layers[0].Search(v.Bound(), func(int) bool { n++; return true })
	dst := s.Frame(v, o)
	s.waitOverview() // a whole-extent view of a large scene: from its overview
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.Render(dst, v, o)
	}
	b.ReportMetric(float64(n), "lots")
}

// BenchmarkFrame100kWhole draws 100 000 lots at full extent in 1920×1080.
func BenchmarkFrame100kWhole(b *testing.B) { benchFrame(b, 1) }

// BenchmarkFrame1MWhole draws 1 000 000 lots at full extent in 1920×1080:
// from the scene's overview, drawn once before the timing (target ≤ 40 ms).
func BenchmarkFrame1MWhole(b *testing.B) { benchFrameN(b, 1_000_000, 1) }

// BenchmarkFrame100kZoomed draws the same zoomed to about 5 000 visible lots.
func BenchmarkFrame100kZoomed(b *testing.B) { benchFrame(b, 5.9) }

// BenchmarkMemory100k reports the heap held by a scene of 100 000 lots
// (the projected features and the scene itself).
func BenchmarkMemory100k(b *testing.B) {
	cat := catalogue(b)
	for i := 0; i < b.N; i++ {
		runtime.GC()
		var m0, m1, m2 runtime.MemStats
		runtime.ReadMemStats(&m0)
		layers := synthetic(100000)
		runtime.GC()
		runtime.ReadMemStats(&m1)
		s := Plan(layers, cat, "vi")
		runtime.GC()
		runtime.ReadMemStats(&m2)
		b.ReportMetric(float64(m1.HeapAlloc-m0.HeapAlloc)/1e6, "features-MB")
		b.ReportMetric(float64(m2.HeapAlloc-m1.HeapAlloc)/1e6, "scene-MB")
		runtime.KeepAlive(s)
	}
}

func TestLabelsInsideLotsNeverOverlap(t *testing.T) {
	s := Plan(synthetic(400), catalogue(t), "vi")
	font, err := NewFont(assets.FontRegular, 11)
	if err != nil {
		t.Fatal(err)
	}
	for _, zoom := range []float64{3, 6, 12} {
		v := render.Fit(s.Extent, 800, 600, 0)
		v.Scale /= zoom
		labels := s.PlaceLabels(v, Options{Font: font})
		if len(labels) == 0 {
			t.Fatalf("zoom %v: no labels", zoom)
		}
		full := 0
		for i, a := range labels {
			if !fits(a.Shape.Feature.Geometry, v, a) {
				t.Errorf("zoom %v: label %v not inside its lot", zoom, a.Lines)
			}
			if len(a.Lines) == len(a.Shape.Label()) {
				full++
			}
			for _, b := range labels[i+1:] {
				if a.overlaps(b) {
					t.Errorf("zoom %v: labels %v and %v overlap", zoom, a.Lines, b.Lines)
				}
			}
		}
		t.Logf("zoom %v: %d labels, %d with every line", zoom, len(labels), full)
	}
}

// TestBoundIsOrbs: the fast bound of polygons is orb's.
func TestBoundIsOrbs(t *testing.T) {
	for _, l := range synthetic(50) {
		for _, f := range l.Features {
			if got, want := bound(f.Geometry), f.Geometry.Bound(); got != want {
				t.Fatalf("bound %v, orb %v", got, want)
			}
		}
	}
	mp := orb.MultiPolygon{{{{0, 0}, {2, 0}, {2, 1}, {0, 0}}}, {}, {{{-3, 5}, {-1, 5}, {-1, 7}, {-3, 5}}}}
	if got, want := bound(mp), mp.Bound(); got != want {
		t.Fatalf("multipolygon bound %v, orb %v", got, want)
	}
	if got, want := bound(orb.LineString{{1, 1}, {4, -2}}), (orb.Bound{Min: orb.Point{1, -2}, Max: orb.Point{4, 1}}); got != want {
		t.Fatalf("line bound %v", got)
	}
}
