package topo

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// Site is a polygonal area (a parcel asked about, a project's site)
// prepared to measure the ground it shares with other polygons: snapped to
// the 1 mm grid Check uses, validated, its edges indexed. Geometry is in
// projected metres (EPSG:9215). A Site is read-only after NewSite and safe
// for concurrent use.
type Site struct {
	fr    frame
	sh    shape
	edges []seg // every ring edge, reversed: the outside of the site on their left
	tree  rtree.RTreeGN[float64, int32]
}

// InvalidError is a geometry that is not a valid polygon: why, and a point
// near the fault (projected metres).
type InvalidError struct {
	Reason string
	At     orb.Point
}

func (e *InvalidError) Error() string { return e.Reason }

// NewSite prepares a polygonal geometry (Polygon or MultiPolygon) in
// projected metres. A geometry that is not a valid polygon on the 1 mm grid
// is an *InvalidError.
func NewSite(g orb.Geometry) (*Site, error) {
	ps, why := polygonsOf(g)
	if why != "" {
		return nil, &InvalidError{Reason: why}
	}
	b := g.Bound()
	if !finite(b.Min[0]) || !finite(b.Min[1]) {
		return nil, &InvalidError{Reason: "its coordinates are not finite"}
	}
	s := &Site{fr: frame{math.Floor(b.Min[0]), math.Floor(b.Min[1])}}
	sh, pr := s.fr.convert(orb.MultiPolygon(ps))
	if pr != nil {
		return nil, &InvalidError{Reason: pr.reason, At: pr.at}
	}
	s.sh = sh
	for _, p := range sh.polys {
		for _, r := range p.rings {
			prev := r[len(r)-1]
			for _, v := range r {
				e := seg{v, prev}
				b := e.box()
				s.tree.Insert(b.lo(), b.hi(), int32(len(s.edges)))
				s.edges = append(s.edges, e)
				prev = v
			}
		}
	}
	return s, nil
}

// Area is the site's area in m², on the grid.
func (s *Site) Area() float64 { return s.sh.area }

// Overlap is the ground a polygon shares with a site.
type Overlap struct {
	AreaM2 float64 // the area of the common ground, m²; 0 when only edges or corners are shared
	// Inside is set when the polygon lies wholly within the site (AreaM2
	// is then its whole area), Covers when the site lies wholly within the
	// polygon (AreaM2 is the site's area).
	Inside, Covers bool
}

// Overlap measures the ground g (a Polygon or MultiPolygon in projected
// metres) shares with the site. Whether their interiors meet at all, and
// whether one lies within the other, is decided exactly on the grid, so
// polygons that only share edges answer 0 without an overlay; a partial
// overlap is intersected with simplefeatures and accepted only when
// area(g ∩ site) + area(g − site) = area(g) (INTERNALS.md). An invalid g
// is an *InvalidError; an overlay that cannot be verified is an error.
func (s *Site) Overlap(g orb.Geometry) (Overlap, error) {
	sh, pr := s.fr.convert(g)
	if pr != nil {
		return Overlap{}, &InvalidError{Reason: pr.reason, At: pr.at}
	}
	if !sh.bb.overlaps(s.sh.bb) || !s.meets(&sh) {
		return Overlap{}, nil
	}
	if s.holds(&sh) {
		return Overlap{AreaM2: sh.area, Inside: true}, nil
	}
	if within(&s.sh, &sh) {
		return Overlap{AreaM2: s.sh.area, Covers: true}, nil
	}
	_, a, err := checkedIntersection(sh.sf(), sh.area, s.sh.sf())
	if err != nil {
		var err2 error
		if _, a, err2 = checkedIntersection(s.sh.sf(), s.sh.area, sh.sf()); err2 != nil {
			return Overlap{}, fmt.Errorf("topo: overlap with the site: %w", err)
		}
	}
	return Overlap{AreaM2: a}, nil
}

// meets reports whether the interiors of the site and sh share ground.
func (s *Site) meets(sh *shape) bool {
	var ea, eb []seg
	for a := range s.sh.polys {
		A := &s.sh.polys[a]
		for b := range sh.polys {
			B := &sh.polys[b]
			if !A.bb.overlaps(B.bb) {
				continue
			}
			w := A.bb.intersect(B.bb)
			ea = A.appendEdges(ea[:0], w)
			eb = B.appendEdges(eb[:0], w)
			if interiorsMeet(ea, eb, A.locate, B.locate) {
				return true
			}
		}
	}
	return false
}

// holds reports whether every polygon of sh lies within the site: no
// polygon's interior meets the site's outside. The site's edges come from
// its index, so a large site costs only the edges near each polygon.
func (s *Site) holds(sh *shape) bool {
	outside := func(q ipt) int { return complement(s.locate(q)) }
	var ea, eb []seg
	for i := range sh.polys {
		P := &sh.polys[i]
		if !s.sh.bb.contains(ipt{P.bb.minX, P.bb.minY}) || !s.sh.bb.contains(ipt{P.bb.maxX, P.bb.maxY}) {
			return false
		}
		ea = P.appendEdges(ea[:0], P.bb)
		eb = eb[:0]
		s.tree.Search(P.bb.lo(), P.bb.hi(), func(_, _ [2]float64, k int32) bool {
			eb = append(eb, s.edges[k])
			return true
		})
		if interiorsMeet(ea, eb, P.locate, outside) {
			return false
		}
	}
	return true
}

// within reports whether every polygon of a lies within b.
func within(a, b *shape) bool {
	if !b.bb.contains(ipt{a.bb.minX, a.bb.minY}) || !b.bb.contains(ipt{a.bb.maxX, a.bb.maxY}) {
		return false
	}
	outside := func(q ipt) int { return complement(b.locate(q)) }
	var ea, eb []seg
	for i := range a.polys {
		P := &a.polys[i]
		ea = P.appendEdges(ea[:0], P.bb)
		eb = eb[:0]
		for j := range b.polys {
			for _, e := range b.polys[j].appendEdges(nil, P.bb) {
				eb = append(eb, seg{e.b, e.a})
			}
		}
		if interiorsMeet(ea, eb, P.locate, outside) {
			return false
		}
	}
	return true
}

// Locate tells exactly where p (projected metres) lies against the site,
// on its 1 mm grid: a point in a hole is outside.
func (s *Site) Locate(p orb.Point) Location {
	q, ok := s.fr.snap(p)
	if !ok {
		return Outside
	}
	return location(s.locate(q))
}

func location(loc int) Location {
	switch loc {
	case locInside:
		return Interior
	case locBoundary:
		return OnEdge
	}
	return Outside
}

// locate locates q against the whole site.
func (s *Site) locate(q ipt) int { return s.sh.locate(q) }

// locate locates q against a shape: inside one of its polygons, on an
// edge, or outside all of them.
func (sh *shape) locate(q ipt) int {
	loc := locOutside
	for i := range sh.polys {
		switch sh.polys[i].locate(q) {
		case locInside:
			return locInside
		case locBoundary:
			loc = locBoundary
		}
	}
	return loc
}

// complement is the location of a point against the outside of a region.
func complement(loc int) int {
	switch loc {
	case locInside:
		return locOutside
	case locOutside:
		return locInside
	}
	return locBoundary
}

// Location is where a point lies against a polygon.
type Location int

// Locations of a point, as Locate answers.
const (
	Outside  Location = iota // outside the polygon (in a hole is outside)
	OnEdge                   // on one of its rings, within the 1 mm grid
	Interior                 // strictly inside it
)

// Locate tells exactly where p lies against the polygonal g, both in
// projected metres, on the 1 mm grid Check and Site use: a point in a hole
// is outside, a point on a ring is OnEdge. An invalid g is an *InvalidError.
func Locate(g orb.Geometry, p orb.Point) (Location, error) {
	if !finite(p[0]) || !finite(p[1]) {
		return Outside, &InvalidError{Reason: "the point is not finite"}
	}
	fr := frame{math.Floor(p[0]), math.Floor(p[1])}
	sh, pr := fr.convert(g)
	if pr != nil {
		return Outside, &InvalidError{Reason: pr.reason, At: pr.at}
	}
	q, ok := fr.snap(p)
	if !ok {
		return Outside, &InvalidError{Reason: "the point is too far out to locate"}
	}
	return location(sh.locate(q)), nil
}
