package topo

import (
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
)

// Setback is the construction line (chỉ giới xây dựng) of lot p at distance
// d metres inside its side, the edge of p's shell from vertex side to
// side+1: the line parallel to that side, d inward, cut to the lot. A lot
// whose shape crosses the line more than once gives the longest piece:
// that is the one facing the side.
func Setback(p orb.Polygon, side int, d float64) (orb.LineString, error) {
	if len(p) == 0 || side < 0 || side+1 >= len(p[0]) {
		return nil, fmt.Errorf("side %d is not an edge of the lot", side)
	}
	if !(d > 0) || math.IsInf(d, 0) {
		return nil, fmt.Errorf("a setback is a distance above 0 m, not %g", d)
	}
	o := originOf(p)
	lp := toLocal(p, o)
	a, b := lp[0][side], lp[0][side+1]
	ux, uy := b[0]-a[0], b[1]-a[1]
	n := math.Hypot(ux, uy)
	if n == 0 {
		return nil, fmt.Errorf("side %d has no length", side)
	}
	ux, uy = ux/n, uy/n
	// inward is left of a counter-clockwise shell's edges, right of a clockwise one's
	nx, ny := -uy, ux
	if ringSign(lp[0]) < 0 {
		nx, ny = uy, -ux
	}
	bd := lp.Bound()
	pad := math.Hypot(bd.Max[0]-bd.Min[0], bd.Max[1]-bd.Min[1]) + 1
	c := orb.Point{a[0] + d*nx, a[1] + d*ny}
	line := geom.NewLineString(geom.NewSequence([]float64{
		c[0] - pad*ux, c[1] - pad*uy, c[0] + pad*ux, c[1] + pad*uy,
	}, geom.DimXY))
	g, err := overlayAll(geom.Intersection, sfPolygon(lp).AsGeometry(), line.AsGeometry())
	if err != nil {
		return nil, err
	}
	var best orb.LineString
	bestLen := 0.0
	for _, ls := range lineStringsSF(g) {
		seq := ls.Coordinates()
		if seq.Length() < 2 {
			continue
		}
		s, e := seq.GetXY(0), seq.GetXY(seq.Length()-1)
		if l := math.Hypot(e.X-s.X, e.Y-s.Y); l > bestLen {
			best, bestLen = orb.LineString{{s.X + o[0], s.Y + o[1]}, {e.X + o[0], e.Y + o[1]}}, l
		}
	}
	if best == nil {
		return nil, errors.New("the setback line lies outside the lot: the distance is deeper than the lot")
	}
	// the line runs the way its side does
	if (best[1][0]-best[0][0])*ux+(best[1][1]-best[0][1])*uy < 0 {
		best[0], best[1] = best[1], best[0]
	}
	return best, nil
}

// lineStringsSF lists the line strings of an overlay's result, merging
// collinear pieces that touch end to end.
func lineStringsSF(g geom.Geometry) []geom.LineString {
	switch g.Type() {
	case geom.TypeLineString:
		return []geom.LineString{g.MustAsLineString()}
	case geom.TypeMultiLineString:
		m := g.MustAsMultiLineString()
		var out []geom.LineString
		for i := range m.NumLineStrings() {
			out = append(out, m.LineStringN(i))
		}
		return mergeCollinear(out)
	case geom.TypeGeometryCollection:
		c := g.MustAsGeometryCollection()
		var out []geom.LineString
		for i := range c.NumGeometries() {
			out = append(out, lineStringsSF(c.GeometryN(i))...)
		}
		return mergeCollinear(out)
	}
	return nil
}

// mergeCollinear joins pieces of one straight line where one ends at the
// next's start (an overlay may cut a line at a vertex of the polygon).
func mergeCollinear(ls []geom.LineString) []geom.LineString {
	for merged := true; merged; {
		merged = false
		for i := 0; i < len(ls) && !merged; i++ {
			for j := 0; j < len(ls) && !merged; j++ {
				if i == j {
					continue
				}
				a, b := ls[i].Coordinates(), ls[j].Coordinates()
				ae, bs := a.GetXY(a.Length()-1), b.GetXY(0)
				if math.Hypot(ae.X-bs.X, ae.Y-bs.Y) > 1e-9 {
					continue
				}
				as := a.GetXY(0)
				be := b.GetXY(b.Length() - 1)
				ls[i] = geom.NewLineString(geom.NewSequence([]float64{as.X, as.Y, be.X, be.Y}, geom.DimXY))
				ls = append(ls[:j], ls[j+1:]...)
				merged = true
			}
		}
	}
	return ls
}
