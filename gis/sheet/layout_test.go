package sheet

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestPaperSizesAndMargins(t *testing.T) {
	want := map[string][2]float64{"A0": {841, 1189}, "A1": {594, 841}, "A2": {420, 594}, "A3": {297, 420}, "A4": {210, 297}}
	for name, wh := range want {
		for _, land := range []bool{false, true} {
			l, err := New(Options{Paper: strings.ToLower(name), Landscape: land, Scale: 2000}, orb.Point{444000, 2430000})
			if err != nil {
				t.Fatal(err)
			}
			w, h := wh[0], wh[1]
			if land {
				w, h = h, w
			}
			if l.Width != w || l.Height != h {
				t.Errorf("%s landscape=%v: page %g×%g, want %g×%g", name, land, l.Width, l.Height, w, h)
			}
			b := l.Border
			if b.X != 20 || b.Y != 10 || !near(w-b.Right(), 10, 1e-9) || !near(h-b.Bottom(), 10, 1e-9) {
				t.Errorf("%s: border %+v: margins want 20 left, 10 elsewhere", name, b)
			}
			if l.Map.X != b.X || !near(l.Map.Right(), l.Panel.X, 1e-9) || !near(l.Panel.Right(), b.Right(), 1e-9) || l.Map.W < l.Panel.W {
				t.Errorf("%s: map %+v panel %+v inside %+v", name, l.Map, l.Panel, b)
			}
		}
	}
}

func TestExactScale(t *testing.T) {
	c := orb.Point{444100, 2430500}
	for _, n := range []float64{500, 1000, 2000, 5000, 1234} {
		l, err := New(Options{Paper: "A1", Scale: n}, c)
		if err != nil {
			t.Fatal(err)
		}
		x0, y0 := l.Page(orb.Point{c[0] - 50, c[1] - 50})
		x1, y1 := l.Page(orb.Point{c[0] + 50, c[1] + 50})
		want := 100 * 1000 / n
		if !near(x1-x0, want, 1e-9) || !near(y0-y1, want, 1e-9) {
			t.Errorf("1/%g: 100 m is %g × %g mm, want %g", n, x1-x0, y0-y1, want)
		}
		if cx, cy := l.Page(c); !near(cx, l.Map.X+l.Map.W/2, 1e-9) || !near(cy, l.Map.Y+l.Map.H/2, 1e-9) {
			t.Errorf("centre at %g,%g, want the frame's centre", cx, cy)
		}
		if g := l.Ground(l.Page(orb.Point{c[0] + 321, c[1] - 77})); !near(g[0], c[0]+321, 1e-6) || !near(g[1], c[1]-77, 1e-6) {
			t.Errorf("Ground(Page(p)) = %v", g)
		}
		e := l.Extent()
		if !near((e.Max[0]-e.Min[0])*1000/n, l.Map.W, 1e-6) || !near((e.Max[1]-e.Min[1])*1000/n, l.Map.H, 1e-6) {
			t.Errorf("extent %v does not fill the frame %+v", e, l.Map)
		}
	}
	if l, _ := New(Options{Scale: 2000}, c); l.ScaleText() != "TỶ LỆ 1/2000" {
		t.Errorf("ScaleText %q", l.ScaleText())
	}
}

func TestFitChoosesLargestStandardScale(t *testing.T) {
	c := orb.Point{444000, 2430000}
	box := func(w, h float64) orb.Bound {
		return orb.Bound{Min: orb.Point{c[0] - w/2, c[1] - h/2}, Max: orb.Point{c[0] + w/2, c[1] + h/2}}
	}
	cases := []struct {
		paper string
		land  bool
		b     orb.Bound
		want  float64
	}{
		{"A3", true, box(100, 100), 500},
		{"A3", true, box(200, 150), 1000},
		{"A3", true, box(500, 300), 2000},
		{"A3", true, box(1200, 900), 5000},
		{"A3", true, box(2500, 1500), 10000},
		{"A3", true, box(5000, 3000), 20000},
		{"A0", false, box(1000, 2000), 2000},
		{"A4", false, orb.Bound{Min: c, Max: c}, 500},
	}
	for _, tc := range cases {
		l, err := Fit(Options{Paper: tc.paper, Landscape: tc.land}, tc.b)
		if err != nil {
			t.Fatal(err)
		}
		if l.Scale != tc.want {
			t.Errorf("%s %v: scale 1/%g, want 1/%g", tc.paper, tc.b, l.Scale, tc.want)
		}
		e := l.Extent()
		if !e.Contains(tc.b.Min) || !e.Contains(tc.b.Max) {
			t.Errorf("extent %v does not hold %v", e, tc.b)
		}
		if l.Center != tc.b.Center() {
			t.Errorf("centre %v, want %v", l.Center, tc.b.Center())
		}
	}
	l, err := Fit(Options{Paper: "A3", Scale: 2000}, box(5000, 5000))
	if err != nil || l.Scale != 2000 {
		t.Errorf("a given scale is kept: %v %v", l.Scale, err)
	}
}

func TestBadRequests(t *testing.T) {
	c := orb.Point{444000, 2430000}
	if _, err := New(Options{Paper: "B4", Scale: 2000}, c); err == nil || !strings.Contains(err.Error(), `unknown paper "B4"`) {
		t.Errorf("unknown paper: %v", err)
	}
	for _, n := range []float64{0, -2000, math.NaN(), math.Inf(1)} {
		if _, err := New(Options{Scale: n}, c); !errors.Is(err, ErrScale) {
			t.Errorf("scale %g: %v", n, err)
		}
	}
	if _, err := Fit(Options{Scale: -1}, orb.Bound{Min: c, Max: c}); !errors.Is(err, ErrScale) {
		t.Errorf("fit scale -1: %v", err)
	}
	if _, err := Fit(Options{}, orb.Bound{}); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty fit: %v", err)
	}
	huge := orb.Bound{Min: c, Max: orb.Point{c[0] + 20000, c[1] + 20000}}
	_, err := Atlas(Options{Paper: "A4", Scale: 500}, huge, nil)
	var tm *TooManySheetsError
	if !errors.As(err, &tm) || tm.Sheets < 10000 || !strings.Contains(err.Error(), "more than 500") {
		t.Errorf("huge atlas: %v", err)
	}
	if _, err := Atlas(Options{Paper: "A4", Scale: 0.0001}, orb.Bound{Min: c, Max: orb.Point{c[0] + 1e6, c[1] + 1e6}}, func(orb.Bound) bool { return true }); !errors.As(err, &tm) {
		t.Errorf("astronomic atlas: %v", err)
	}
	if _, err := Atlas(Options{Paper: "A4", Scale: 0}, orb.Bound{}, nil); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty atlas: %v", err)
	}
	if _, err := Atlas(Options{Paper: "A4", Scale: -500}, huge, nil); !errors.Is(err, ErrScale) {
		t.Errorf("atlas scale -500: %v", err)
	}
	// A diagonal strip: only the tiles it touches are kept, so the limit
	// counts those.
	strip := func(e orb.Bound) bool {
		x := (e.Min[0]+e.Max[0])/2 - c[0]
		y := (e.Min[1]+e.Max[1])/2 - c[1]
		return math.Abs(x-y) < 300
	}
	ls, err := Atlas(Options{Paper: "A1", Scale: 500}, huge, strip)
	if err != nil || len(ls) == 0 || len(ls) > MaxAtlasSheets {
		t.Errorf("strip atlas: %d sheets, %v", len(ls), err)
	}
}

func TestAtlasCoversExtent(t *testing.T) {
	b := orb.Bound{Min: orb.Point{444000, 2430000}, Max: orb.Point{444900, 2430500}}
	ls, err := Atlas(Options{Paper: "A1", Landscape: true}, b, nil)
	if err != nil {
		t.Fatal(err)
	}
	l := ls[0]
	tw, th := l.Map.W*500/1000, l.Map.H*500/1000
	cols, rows := math.Ceil(900/tw), math.Ceil(500/th)
	if len(ls) != int(cols*rows) || l.Scale != 500 {
		t.Fatalf("%d sheets at 1/%g, want %g at 1/500", len(ls), l.Scale, cols*rows)
	}
	var all orb.Bound
	for i, s := range ls {
		if i == 0 {
			all = s.Extent()
		} else {
			all = all.Union(s.Extent())
		}
	}
	if !all.Contains(b.Min) || !all.Contains(b.Max) {
		t.Errorf("tiles %v do not cover %v", all, b)
	}
	if ls[0].Center[1] < ls[len(ls)-1].Center[1] || ls[0].Center[0] > ls[len(ls)-1].Center[0] {
		t.Errorf("tiles not numbered from the north-west")
	}
}
