package topo

import (
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
)

func toSF(p orb.Polygon, ox, oy float64) geom.Geometry {
	rings := make([]geom.LineString, len(p))
	for i, r := range p {
		c := make([]float64, 0, 2*len(r))
		for _, q := range r {
			c = append(c, q[0]-ox, q[1]-oy)
		}
		rings[i] = geom.NewLineString(geom.NewSequence(c, geom.DimXY))
	}
	return geom.NewPolygon(rings).AsGeometry()
}

func TestScratch(t *testing.T) {
	lots, bnd := tiling(100, 5, 40, 0.2, 1)
	ox, oy := baseE, baseN
	gs := make([]geom.Geometry, len(lots))
	for i, l := range lots {
		gs[i] = toSF(l.Geometry.(orb.Polygon), ox, oy)
	}
	t0 := time.Now()
	n := 0
	for i := 0; i < 100; i++ {
		for j := 0; j < 99; j++ {
			g, err := geom.Intersection(gs[i*100+j], gs[i*100+j+1])
			if err != nil {
				t.Fatal(err)
			}
			_ = g
			n++
		}
	}
	t.Logf("intersection adjacent: %v/op", time.Since(t0)/time.Duration(n))
	// tile of 8x8 lots
	var sub []geom.Geometry
	for i := 10; i < 18; i++ {
		for j := 10; j < 18; j++ {
			sub = append(sub, gs[i*100+j])
		}
	}
	rect := geom.NewEnvelope(geom.XY{X: 440, Y: 440}, geom.XY{X: 680, Y: 680}).AsGeometry()
	t0 = time.Now()
	d, err := geom.Difference(rect, geom.NewGeometryCollection(sub).AsGeometry())
	t.Logf("difference 64: %v area %v err %v", time.Since(t0), d.Area(), err)
	t0 = time.Now()
	u, err := geom.UnionMany(sub)
	t.Logf("union 64: %v area %v err %v", time.Since(t0), u.Area(), err)
	b := toSF(bnd, ox, oy)
	t0 = time.Now()
	c, err := geom.Intersection(b, geom.NewEnvelope(geom.XY{X: -10, Y: -10}, geom.XY{X: 400, Y: 400}).AsGeometry())
	t.Logf("boundary clip: %v area %v err %v nv=%d", time.Since(t0), c.Area(), err, b.DumpCoordinates().Length())
	t0 = time.Now()
	for _, g := range gs[:200] {
		if err := g.Validate(); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("validate: %v/op", time.Since(t0)/200)
	t0 = time.Now()
	u, err = geom.UnionMany(gs)
	t.Logf("union all: %v area %v err %v", time.Since(t0), u.Area(), err)
}
