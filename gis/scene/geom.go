package scene

import (
	"math"
	"sort"

	"github.com/paulmach/orb"

	"quyhoach/gis"
)

// Contains reports whether p lies inside polygonal g: inside an outer ring
// and outside its holes (even-odd over all rings, so a hole excludes).
func Contains(g orb.Geometry, p orb.Point) bool {
	for poly := range gis.Polygons(g) {
		if inPolygon(poly, p) {
			return true
		}
	}
	return false
}

func inPolygon(poly orb.Polygon, p orb.Point) bool {
	if len(poly) == 0 || !poly[0].Bound().Contains(p) {
		return false
	}
	in := false
	for _, r := range poly {
		if crossings(r, p) {
			in = !in
		}
	}
	return in
}

// crossings reports whether a ray from p to +x crosses ring r an odd number of times.
func crossings(r orb.Ring, p orb.Point) bool {
	in := false
	n := len(r)
	if n < 3 {
		return false
	}
	j := n - 1
	for i := 0; i < n; i++ {
		a, b := r[i], r[j]
		if (a[1] > p[1]) != (b[1] > p[1]) {
			x := a[0] + (p[1]-a[1])*(b[0]-a[0])/(b[1]-a[1])
			if p[0] < x {
				in = !in
			}
		}
		j = i
	}
	return in
}

// Anchor returns a point inside polygonal g suited to a label: the middle of
// the widest horizontal interior span among a few scan lines of its largest
// polygon, preferring lines near the middle.
func Anchor(g orb.Geometry) orb.Point {
	if !gis.Polygonal(g) {
		if g == nil {
			return orb.Point{}
		}
		return g.Bound().Center()
	}
	var poly orb.Polygon // the one of the largest shell box
	largest := 0.0
	for p := range gis.Polygons(g) {
		b := p[0].Bound()
		if a := (b.Max[0] - b.Min[0]) * (b.Max[1] - b.Min[1]); poly == nil || a > largest {
			largest, poly = a, p
		}
	}
	if len(poly) == 0 {
		return orb.Point{}
	}
	b := poly[0].Bound()
	bestW, best := -1.0, b.Center()
	const lines = 9
	for k := 0; k < lines; k++ {
		// scan from the middle outwards: 0, +1, -1, +2, …
		off := float64((k+1)/2) / (lines + 1)
		if k%2 == 1 {
			off = -off
		}
		y := b.Min[1] + (b.Max[1]-b.Min[1])*(0.5+off)
		xs := spans(poly, y)
		for i := 0; i+1 < len(xs); i += 2 {
			w := xs[i+1] - xs[i]
			// prefer the middle: a span off-centre must be clearly wider
			w *= 1 - math.Abs(off)
			if w > bestW {
				bestW, best = w, orb.Point{(xs[i] + xs[i+1]) / 2, y}
			}
		}
	}
	return best
}

// spans returns the sorted x where the horizontal line y crosses the rings.
func spans(poly orb.Polygon, y float64) []float64 {
	var xs []float64
	for _, r := range poly {
		n := len(r)
		if n < 3 {
			continue
		}
		j := n - 1
		for i := 0; i < n; i++ {
			a, b := r[i], r[j]
			if (a[1] > y) != (b[1] > y) {
				xs = append(xs, a[0]+(y-a[1])*(b[0]-a[0])/(b[1]-a[1]))
			}
			j = i
		}
	}
	sort.Float64s(xs)
	return xs
}

// Pick returns the layer and index of the top-most lot containing p, or
// false. Lots of later layers are on top; within a layer, later shapes.
func (s *Scene) Pick(p orb.Point) (*Layer, int, bool) {
	for li := len(s.Layers) - 1; li >= 0; li-- {
		l := s.Layers[li]
		found := -1
		l.Search(orb.Bound{Min: p, Max: p}, func(i int) bool {
			sh := &l.Shapes[i]
			if sh.Kind == Lot && Contains(sh.Feature.Geometry, p) {
				found = i
			}
			return true
		})
		if found >= 0 {
			return l, found, true
		}
	}
	return nil, 0, false
}
