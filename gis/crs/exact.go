package crs

import "github.com/paulmach/orb"

// Exact is the inverse of fwd that fwd maps back onto its input: the point
// w with fwd(w) = p to the last bits that matter, found from inv(p) by
// correcting inv's own error (the datum shift is inverted with negated
// parameters, off by about a millimetre, as PROJ's is). A vertex drawn in
// the grid and stored in WGS84 then projects back onto where it was drawn,
// beside stored vertices that never left WGS84: a cut drawn into a lot
// stays where it was cut, and the parts keep their areas.
func Exact(fwd, inv orb.Projection) orb.Projection {
	return func(p orb.Point) orb.Point {
		w := inv(p)
		for range 3 {
			q := fwd(w)
			dx, dy := p[0]-q[0], p[1]-q[1]
			if dx == 0 && dy == 0 {
				break
			}
			// inv is locally linear: move w by what inv makes of the miss
			a, b := inv(q), inv(orb.Point{q[0] + dx, q[1] + dy})
			w = orb.Point{w[0] + b[0] - a[0], w[1] + b[1] - a[1]}
		}
		return w
	}
}
