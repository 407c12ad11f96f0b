package topo

import (
	"errors"
	"math"
	"math/rand"
	"testing"

	"github.com/paulmach/orb"
)

func overlapOf(t *testing.T, s *Site, g orb.Geometry) Overlap {
	t.Helper()
	o, err := s.Overlap(g)
	if err != nil {
		t.Fatalf("Overlap: %v", err)
	}
	return o
}

func newSite(t *testing.T, g orb.Geometry) *Site {
	t.Helper()
	s, err := NewSite(g)
	if err != nil {
		t.Fatalf("NewSite: %v", err)
	}
	return s
}

// TestSiteOverlapHandMade measures sites over two square lots A [0,100]² and
// B [100,200]×[0,100], with answers worked out by hand.
func TestSiteOverlapHandMade(t *testing.T) {
	a, b := rect(0, 0, 100, 100), rect(100, 0, 200, 100)
	cases := []struct {
		name         string
		site         orb.Polygon
		siteArea     float64
		wantA, wantB float64
		insideB      bool
	}{
		{"across the shared edge", rect(60, 20, 150, 70), 4500, 40 * 50, 50 * 50, false},
		// under the line y = 100 − x/2: ∫₀¹⁰⁰ = 7500 on A, ∫₁₀₀²⁰⁰ = 2500 on B
		{"a triangle over both", orb.Polygon{ring(0, 0, 200, 0, 0, 100, 0, 0)}, 10000, 7500, 2500, false},
		{"sharing only B's west edge with A", rect(100, 0, 150, 50), 2500, 0, 2500, true},
		{"touching A at a corner", rect(100, 100, 120, 120), 400, 0, 0, false},
		{"an L over A and B", orb.Polygon{ring(50, 10, 130, 10, 130, 30, 70, 30, 70, 90, 50, 90, 50, 10)}, 80*20 + 20*60, 50*20 + 20*60, 30 * 20, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newSite(t, c.site)
			if math.Abs(s.Area()-c.siteArea) > 1e-6 {
				t.Errorf("site area %.6f, want %g", s.Area(), c.siteArea)
			}
			oa, ob := overlapOf(t, s, a), overlapOf(t, s, b)
			if math.Abs(oa.AreaM2-c.wantA) > 0.005 || math.Abs(ob.AreaM2-c.wantB) > 0.005 {
				t.Errorf("overlaps A %.4f, B %.4f m², want %g and %g", oa.AreaM2, ob.AreaM2, c.wantA, c.wantB)
			}
			if ob.Covers != c.insideB {
				t.Errorf("site within B: %v, want %v", ob.Covers, c.insideB)
			}
		})
	}
	// A lot wholly inside a large site is its whole area without an overlay.
	s := newSite(t, rect(-10, -10, 300, 300))
	if o := overlapOf(t, s, b); !o.Inside || o.AreaM2 != 10000 {
		t.Errorf("B inside a large site: %+v", o)
	}
}

// TestSiteOverlapWithHoles: a lot with a hole and the island lot filling it.
func TestSiteOverlapWithHoles(t *testing.T) {
	holed := orb.Polygon{ring(0, 0, 100, 0, 100, 100, 0, 100, 0, 0), ring(30, 30, 30, 70, 70, 70, 70, 30, 30, 30)}
	island := rect(30, 30, 70, 70)
	s := newSite(t, rect(20, 40, 50, 60)) // 30 × 20, 10 m of it west of the hole
	if o := overlapOf(t, s, holed); math.Abs(o.AreaM2-200) > 0.005 {
		t.Errorf("holed lot: %.4f m², want 200", o.AreaM2)
	}
	if o := overlapOf(t, s, island); math.Abs(o.AreaM2-400) > 0.005 {
		t.Errorf("island: %.4f m², want 400", o.AreaM2)
	}
	// A site in the hole shares nothing with the holed lot.
	in := newSite(t, rect(40, 40, 60, 60))
	if o := overlapOf(t, in, holed); o.AreaM2 != 0 {
		t.Errorf("site in the hole: %+v", o)
	}
	for _, c := range []struct {
		x, y          float64
		holed, island Location
	}{
		{50, 50, Outside, Interior},
		{10, 10, Interior, Outside},
		{30, 50, OnEdge, OnEdge},
		{0, 50, OnEdge, Outside},
		{150, 50, Outside, Outside},
	} {
		p := orb.Point{baseE + c.x, baseN + c.y}
		h, err1 := Locate(holed, p)
		i, err2 := Locate(island, p)
		if err1 != nil || err2 != nil || h != c.holed || i != c.island {
			t.Errorf("point %g,%g: holed %v island %v (%v %v), want %v %v", c.x, c.y, h, i, err1, err2, c.holed, c.island)
		}
		if got := newSite(t, holed).Locate(p); got != c.holed {
			t.Errorf("point %g,%g against the holed site: %v, want %v", c.x, c.y, got, c.holed)
		}
	}
}

// TestSiteOverlapRandom measures random polygons over a tiling of 10 m
// rectangles and checks every answer against a Sutherland–Hodgman clip of
// the site to each rectangle (exact for a rectangle, independent of
// simplefeatures): the parts add up to the site.
func TestSiteOverlapRandom(t *testing.T) {
	for seed := int64(1); seed <= 30; seed++ {
		rng := rand.New(rand.NewSource(seed))
		// a star-shaped polygon around (50, 50): concave, vertices on a 1 cm grid
		n := 5 + rng.Intn(12)
		var pts []float64
		for i := 0; i < n; i++ {
			a := 2 * math.Pi * float64(i) / float64(n)
			r := 10 + 35*rng.Float64()
			pts = append(pts, math.Round((50+r*math.Cos(a))*100)/100, math.Round((50+r*math.Sin(a))*100)/100)
		}
		pts = append(pts, pts[0], pts[1])
		site := orb.Polygon{ring(pts...)}
		s := newSite(t, site)
		var local [][2]float64
		for _, p := range site[0][:len(site[0])-1] {
			local = append(local, [2]float64{p[0] - baseE, p[1] - baseN})
		}
		sum := 0.0
		for x := 0.0; x < 100; x += 10 {
			for y := 0.0; y < 100; y += 10 {
				c := clipper{r: rectF{x, y, x + 10, y + 10}}
				want := math.Abs(c.ring(local))
				got := overlapOf(t, s, rect(x, y, x+10, y+10))
				if math.Abs(got.AreaM2-want) > 0.005 {
					t.Fatalf("seed %d, cell %g,%g: %.4f m², want %.4f", seed, x, y, got.AreaM2, want)
				}
				sum += got.AreaM2
			}
		}
		if math.Abs(sum-s.Area()) > 0.01 {
			t.Errorf("seed %d: parts add up to %.4f m², the site has %.4f", seed, sum, s.Area())
		}
	}
}

func TestSiteInvalid(t *testing.T) {
	bowtie := orb.Polygon{ring(0, 0, 10, 10, 10, 0, 0, 10, 0, 0)}
	var ie *InvalidError
	if _, err := NewSite(bowtie); !errors.As(err, &ie) || ie.Reason == "" {
		t.Errorf("bow-tie site: %v", err)
	}
	if _, err := NewSite(orb.LineString{{0, 0}, {1, 1}}); !errors.As(err, &ie) {
		t.Errorf("a line as a site: %v", err)
	}
	if _, err := NewSite(nil); !errors.As(err, &ie) {
		t.Errorf("no geometry: %v", err)
	}
	s := newSite(t, rect(0, 0, 10, 10))
	if _, err := s.Overlap(bowtie); !errors.As(err, &ie) {
		t.Errorf("a bow-tie lot: %v", err)
	}
	if _, err := Locate(bowtie, orb.Point{baseE + 1, baseN + 1}); !errors.As(err, &ie) {
		t.Errorf("locate in a bow-tie: %v", err)
	}
	if _, err := Locate(rect(0, 0, 1, 1), orb.Point{math.NaN(), 0}); !errors.As(err, &ie) {
		t.Errorf("locate NaN: %v", err)
	}
}
