package topo

import (
	"fmt"
	"math"
	"math/rand"

	"github.com/paulmach/orb"

	"quyhoach/gis"
)

// Real EPSG:9215 magnitudes for the test layers.
const (
	baseE = 440000.0
	baseN = 2420000.0
)

func mm(v float64) float64 { return math.Round(v*1000) / 1000 }

// tiling builds an n×n tiling of lots of side about cell metres whose shared
// edges are cut into seg pieces (4*seg vertices a lot), jittered with a seeded
// source so lots are slightly irregular but share every vertex with their
// neighbours. It returns the lots (row-major, ids "L<row>-<col>") and the
// boundary: the outer ring of the tiling.
func tiling(n, seg int, cell, jitter float64, seed int64) ([]gis.Feature, orb.Polygon) {
	rng := rand.New(rand.NewSource(seed))
	node := make([][]orb.Point, n+1)
	for i := range node {
		node[i] = make([]orb.Point, n+1)
		for j := range node[i] {
			x, y := float64(j)*cell, float64(i)*cell
			if i > 0 && i < n && j > 0 && j < n {
				x += (rng.Float64()*2 - 1) * jitter * cell
				y += (rng.Float64()*2 - 1) * jitter * cell
			}
			node[i][j] = orb.Point{mm(baseE + x), mm(baseN + y)}
		}
	}
	// path between two nodes, shared by both lots: interior points nudged sideways.
	type key struct{ i0, j0, i1, j1 int }
	paths := map[key][]orb.Point{}
	path := func(i0, j0, i1, j1 int) []orb.Point {
		k := key{i0, j0, i1, j1}
		if p, ok := paths[k]; ok {
			return p
		}
		if p, ok := paths[key{i1, j1, i0, j0}]; ok {
			r := make([]orb.Point, len(p))
			for i := range p {
				r[i] = p[len(p)-1-i]
			}
			return r
		}
		a, b := node[i0][j0], node[i1][j1]
		border := (i0 == i1 && (i0 == 0 || i0 == n)) || (j0 == j1 && (j0 == 0 || j0 == n))
		p := []orb.Point{a}
		dx, dy := b[0]-a[0], b[1]-a[1]
		for s := 1; s < seg; s++ {
			t := float64(s) / float64(seg)
			off := 0.0
			if !border {
				off = (rng.Float64()*2 - 1) * 0.03
			}
			p = append(p, orb.Point{mm(a[0] + t*dx - off*dy), mm(a[1] + t*dy + off*dx)})
		}
		p = append(p, b)
		paths[k] = p
		return p
	}
	var lots []gis.Feature
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			var r orb.Ring
			for _, e := range [][4]int{{i, j, i, j + 1}, {i, j + 1, i + 1, j + 1}, {i + 1, j + 1, i + 1, j}, {i + 1, j, i, j}} {
				p := path(e[0], e[1], e[2], e[3])
				r = append(r, p[:len(p)-1]...)
			}
			r = append(r, r[0])
			lots = append(lots, gis.Feature{
				ID:       fmt.Sprintf("L%d-%d", i, j),
				Geometry: orb.Polygon{r},
				Properties: map[string]any{
					"maDoiTuong": fmt.Sprintf("L%d-%d", i, j),
					"phanLoai":   "DAT_O_Nhomnhao",
				},
			})
		}
	}
	var b orb.Ring
	for _, e := range [][4]int{{0, 0, 0, n}, {0, n, n, n}, {n, n, n, 0}, {n, 0, 0, 0}} {
		for k := 0; k < n; k++ {
			var p []orb.Point
			switch {
			case e[0] == e[2] && e[1] < e[3]:
				p = path(e[0], k, e[0], k+1)
			case e[1] == e[3] && e[0] < e[2]:
				p = path(k, e[1], k+1, e[1])
			case e[0] == e[2]:
				p = path(e[0], n-k, e[0], n-k-1)
			default:
				p = path(n-k, e[1], n-k-1, e[1])
			}
			b = append(b, p[:len(p)-1]...)
		}
	}
	b = append(b, b[0])
	return lots, orb.Polygon{b}
}

// scaled returns p scaled by f about its first ring's vertex mean, snapped to 1 mm.
func scaled(p orb.Polygon, f float64) orb.Polygon {
	var c orb.Point
	ring := p[0][:len(p[0])-1]
	for _, q := range ring {
		c[0] += q[0]
		c[1] += q[1]
	}
	c[0] /= float64(len(ring))
	c[1] /= float64(len(ring))
	out := make(orb.Polygon, len(p))
	for i, r := range p {
		out[i] = make(orb.Ring, len(r))
		for k, q := range r {
			out[i][k] = orb.Point{mm(c[0] + f*(q[0]-c[0])), mm(c[1] + f*(q[1]-c[1]))}
		}
	}
	return out
}

// benchLayer is the benchmark's layer: a 100×100 tiling of 40 m lots with 20
// vertices each, five lots missing (gaps), five enlarged by 5 % (overlaps)
// and two border lots pushed out of the boundary.
func benchLayer() ([]gis.Feature, orb.Polygon) {
	lots, bnd := tiling(100, 5, 40, 0.2, 7)
	for _, k := range []int{1234, 4321, 5555, 7070, 9001} {
		lots[k].Geometry = scaled(lots[k].Geometry.(orb.Polygon), 1.05)
	}
	for _, k := range []int{50, 9950} {
		lots[k].Geometry = scaled(lots[k].Geometry.(orb.Polygon), 1.1)
	}
	var out []gis.Feature
	for k, l := range lots {
		switch k {
		case 2020, 3333, 6001, 8088, 9595:
			continue
		}
		out = append(out, l)
	}
	return out, bnd
}
