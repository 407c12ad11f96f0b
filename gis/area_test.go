package gis

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

func TestArea(t *testing.T) {
	sq := func(x, y, s float64) orb.Ring {
		return orb.Ring{{x, y}, {x + s, y}, {x + s, y + s}, {x, y + s}, {x, y}}
	}
	rev := func(r orb.Ring) orb.Ring {
		out := make(orb.Ring, len(r))
		for i := range r {
			out[i] = r[len(r)-1-i]
		}
		return out
	}
	// EPSG:9215 magnitudes: precision must survive E≈4e5, N≈2.4e6.
	const e, n = 444122.778, 2430566.951
	for _, tc := range []struct {
		name string
		g    orb.Geometry
		want float64
	}{
		{"nil", nil, 0},
		{"point", orb.Point{e, n}, 0},
		{"line", orb.LineString{{e, n}, {e + 10, n}}, 0},
		{"square", orb.Polygon{sq(e, n, 100)}, 10000},
		{"clockwise square", orb.Polygon{rev(sq(e, n, 100))}, 10000},
		{"square with a hole", orb.Polygon{sq(e, n, 100), rev(sq(e+10, n+10, 20))}, 9600},
		{"hole of the same orientation", orb.Polygon{sq(e, n, 100), sq(e+10, n+10, 20)}, 9600},
		{"multipolygon", orb.MultiPolygon{{sq(e, n, 100)}, {sq(e+200, n, 10)}}, 10100},
		{"unclosed ring", orb.Polygon{sq(e, n, 100)[:4]}, 10000},
		{"collection", orb.Collection{orb.Polygon{sq(e, n, 1)}, orb.Point{e, n}}, 1},
		{"empty polygon", orb.Polygon{}, 0},
		{"bound", orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{2, 3}}, 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Area(tc.g); math.Abs(got-tc.want) > 1e-6 {
				t.Fatalf("got %.9f, want %.9f", got, tc.want)
			}
		})
	}
}

func TestFormatVN(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		d    int
		want string
	}{
		{39400, 0, "39.400"}, {12.45, 2, "12,45"}, {1686.954, 2, "1.686,95"}, {-1234567.5, 1, "-1.234.567,5"}, {0, 2, "0,00"},
	} {
		if got := FormatVN(tc.v, tc.d); got != tc.want {
			t.Errorf("FormatVN(%v, %d): got %s, want %s", tc.v, tc.d, got, tc.want)
		}
	}
}

func ExampleArea() {
	lot := orb.Polygon{{{444000, 2430000}, {444100, 2430000}, {444100, 2430050}, {444000, 2430050}, {444000, 2430000}}}
	fmt.Println(FormatVN(Area(lot), 2), "m² =", FormatVN(Area(lot)/10000, 2), "ha")
	// Output: 5.000,00 m² = 0,50 ha
}

// BenchmarkArea100k measures official areas of 100 000 lots of 20 vertices.
func BenchmarkArea100k(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	lots := make([]orb.Geometry, 100000)
	for i := range lots {
		x, y := 440000+float64(i%300)*50, 2420000+float64(i/300)*50
		ring := orb.Ring{}
		for k := range 20 {
			a := 2 * math.Pi * float64(k) / 20
			rad := 20 + r.Float64()*5
			ring = append(ring, orb.Point{x + rad*math.Cos(a), y + rad*math.Sin(a)})
		}
		lots[i] = orb.Polygon{append(ring, ring[0])}
	}
	b.ReportAllocs()
	for b.Loop() {
		total := 0.0
		for _, g := range lots {
			total += Area(g)
		}
		if total <= 0 {
			b.Fatal(total)
		}
	}
}
