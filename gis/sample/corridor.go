package sample

import (
	"fmt"

	"github.com/paulmach/orb"
)

// corridor is the street pattern every sample plan is made of: an axis road
// from u = 0 to the frame's end, cross roads cutting the plan into sections,
// and on each side of the axis rows of blocks (and roads parallel to the
// axis) out to an irregular outer edge. The cross roads own their crossings
// with the parallel roads; the axis road owns its crossings.
type corridor struct {
	mainW     float64 // width of the axis road (its red lines)
	mainName  string
	mainGrade string
	mainSplit []int     // cross roads at whose centre the axis road lot is split
	sections  []float64 // lengths of the sections but the last, which takes the rest
	streets   []street  // the cross road after each section but the last
	// layout gives the rows of one side (0 left, 1 right) of the sections
	// first…last merged (a cross road absent on that side merges them).
	layout func(side, first, last int, u0, u1 float64) sideLayout
}

type street struct {
	w     float64
	sides [2]bool
	grade string
}

// sideLayout is one side of a run of sections: rows from the axis road out,
// the last reaching top (distance from the axis, positive).
type sideLayout struct {
	top  line
	rows []row
}

// row is a band of blocks or a road parallel to the axis.
type row struct {
	depth float64                // width across; ignored for the last row
	inset float64                // when > 0, the row reaches the outer edge less inset instead
	road  string                 // grade of a road row; "" for blocks
	fill  func(bl *block) []part // parts of a block row
}

// build lays the corridor out in b.
func (c *corridor) build(b *builder) {
	L := b.f.length()
	n := len(c.sections) + 1
	start, end := make([]float64, n), make([]float64, n)
	u := 0.0
	for i := range n {
		start[i] = u
		if i < n-1 {
			u += c.sections[i]
			end[i] = u
			u += c.streets[i].w
		} else {
			end[i] = L
		}
	}
	if end[n-1]-start[n-1] < 50 {
		panic(fmt.Sprintf("sample: last section too short: %.1f m", end[n-1]-start[n-1]))
	}
	half := c.mainW / 2

	// The axis road, split at some cross roads.
	cuts := []float64{0}
	for _, i := range c.mainSplit {
		cuts = append(cuts, end[i]+c.streets[i].w/2)
	}
	cuts = append(cuts, L)
	for i := 0; i+1 < len(cuts); i++ {
		l := b.add("GT", []orb.Point{{cuts[i], -half}, {cuts[i+1], -half}, {cuts[i+1], half}, {cuts[i], half}})
		l.name = c.mainName
		l.note = fmt.Sprintf("Lộ giới %g m", c.mainW)
	}
	b.road("D", c.mainName, c.mainGrade, c.mainW, orb.Point{0, 0}, orb.Point{L, 0})

	// Outer edge at each end of each section, per side, for the cross roads.
	topAt := [2]map[float64]float64{{}, {}}
	type collector struct {
		u0, u1, v, w float64
		grade        string
		lot          *lot
	}
	var collectors [2][]collector
	for side := range 2 {
		for first := 0; first < n; {
			last := first
			for last < n-1 && !c.streets[last].sides[side] {
				last++
			}
			u0, u1 := start[first], end[last]
			lay := c.layout(side, first, last, u0, u1)
			bot := flat(half)
			v := half
			for ri, r := range lay.rows {
				top := lay.top
				switch {
				case ri == len(lay.rows)-1:
				case r.inset > 0:
					top = lay.top.shift(-r.inset)
				default:
					v += r.depth
					top = flat(v)
				}
				bl := &block{u0: u0, u1: u1, bot: bot, top: top}
				if r.road != "" {
					l := b.add("GT", bl.placed(side, bl.left(), bl.right()))
					l.note = fmt.Sprintf("Lộ giới %g m", r.depth)
					lo, hi := u0, u1
					if first > 0 {
						lo -= c.streets[first-1].w / 2
					}
					if last < n-1 {
						hi += c.streets[last].w / 2
					}
					collectors[side] = append(collectors[side], collector{lo, hi, v - r.depth/2, r.depth, r.road, l})
				} else {
					b.fill(bl, side, r.fill(bl))
				}
				bot = top
			}
			topAt[side][u0] = lay.top.at(u0)
			topAt[side][u1] = lay.top.at(u1)
			first = last + 1
		}
	}

	// Cross roads, one lot per side, and their centre lines.
	sign := [2]float64{1, -1}
	for i, s := range c.streets {
		a, z := end[i], start[i+1]
		ends := [2]float64{}
		var lots []*lot
		for side := range 2 {
			if !s.sides[side] {
				continue
			}
			tl, tr := topAt[side][a], topAt[side][z]
			ring := []orb.Point{{a, half}, {z, half}, {z, tr}, {a, tl}}
			if side == 1 {
				ring = mirror(ring)
			}
			lots = append(lots, b.add("GT", ring))
			ends[side] = (tl + tr) / 2
		}
		m := (a + z) / 2
		cl := b.road("N", "", s.grade, s.w, orb.Point{m, -ends[1]}, orb.Point{m, ends[0]})
		for _, l := range lots {
			l.name = cl.name
			l.note = fmt.Sprintf("Lộ giới %g m", s.w)
		}
	}

	// Parallel roads: segments that meet at a cross road's centre with the
	// same offset are one road.
	for side := range 2 {
		cs := collectors[side]
		for i := 0; i < len(cs); {
			j := i
			for j+1 < len(cs) && cs[j+1].u0 == cs[j].u1 && cs[j+1].v == cs[j].v && cs[j+1].w == cs[j].w {
				j++
			}
			v := sign[side] * cs[i].v
			cl := b.road("D", "", cs[i].grade, cs[i].w, orb.Point{cs[i].u0, v}, orb.Point{cs[j].u1, v})
			for k := i; k <= j; k++ {
				cs[k].lot.name = cl.name
			}
			i = j + 1
		}
	}
}
