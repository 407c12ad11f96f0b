package sample

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// lot is a land-use lot being laid out, in local coordinates.
type lot struct {
	id      string // also its maDoiTuong
	cls     string // catalogue code
	ring    []orb.Point
	name    string // tenDoiTuong; the class name when empty
	note    string // ghiChu
	stage   string // giaiDoan; by class when empty
	tag     string // marks the lot for an adjustment
	parents []string
	adjust  bool // written by the adjusted version (carries its codes)

	// Set on a lot an open dossier proposes: the dossier's maHoSoQH, and
	// indicators that replace the drawn ones when not zero.
	dossier string
	density float64 // matDoXayDung, %
	storeys int     // tangCaoMax

	// The block and cuts it was made from, so that it can be split or merged.
	blk    *block
	c0, c1 cut
	side   int // 1 when the block is mirrored to the right of the axis
}

// centre is a road centre line, in local coordinates.
type centre struct {
	code, name, grade string
	width             float64
	pts               []orb.Point
}

// builder lays out one plan in its local frame.
type builder struct {
	key   string // seed of the plan's random streams
	f     *frame
	lots  []*lot
	lines []*centre
	count map[string]int
}

func newBuilder(key string, f *frame) *builder {
	return &builder{key: key, f: f, count: map[string]int{}}
}

// rng returns the random stream named by key within the plan.
func (b *builder) rng(key string, args ...any) *rng {
	return newRNG(b.key + "/" + fmt.Sprintf(key, args...))
}

// code returns the next lot code of a class: CN-01, CN-02…
func (b *builder) code(cls string) string {
	b.count[cls]++
	return fmt.Sprintf("%s-%02d", cls, b.count[cls])
}

// add adds a lot of class cls with a local ring.
func (b *builder) add(cls string, ring []orb.Point) *lot {
	l := &lot{id: b.code(cls), cls: cls, ring: ccw(ring)}
	b.lots = append(b.lots, l)
	return l
}

// road adds a road centre line with the next road code of its letter
// (D for roads along the axis, N for cross roads).
func (b *builder) road(letter, name, grade string, width float64, pts ...orb.Point) *centre {
	b.count["road "+letter]++
	c := &centre{code: fmt.Sprintf("%s%d", letter, b.count["road "+letter]), grade: grade, width: width, pts: pts}
	c.name = name
	if c.name == "" {
		c.name = "Đường " + c.code
	}
	b.lines = append(b.lines, c)
	return c
}

// part is one lot of a block, left to right. Its right cut is at end (an
// absolute u), or w after the left cut, or where the lot reaches ha
// hectares; the last part of a block always ends at the block's right edge.
type part struct {
	cls   string
	w     float64
	end   float64
	ha    float64
	tilt  float64 // top u minus bottom u of the right cut
	kink  float64 // moves the middle of the right cut along u
	name  string
	note  string
	stage string
	tag   string
}

// cutAt returns the cut of a block at bottom u x.
func (bl *block) cutAt(x, tilt, kink float64) cut {
	c := cut{b: x, t: x + tilt}
	if kink != 0 {
		c.mid = []orb.Point{{(c.b+c.t)/2 + kink, (bl.bot.at(c.b) + bl.top.at(c.t)) / 2}}
	}
	return c
}

// placed returns the ring of the block between two cuts, mirrored for the
// right side.
func (bl *block) placed(side int, c0, c1 cut) []orb.Point {
	r := bl.ring(c0, c1)
	if side == 1 {
		r = mirror(r)
	}
	return r
}

// solve places the right cut of part p whose left cut is c0.
func (b *builder) solve(bl *block, side int, c0 cut, p part) cut {
	x := c0.b + p.w
	switch {
	case p.ha > 0:
		lo, hi := c0.b+1, bl.u1-1
		target := p.ha * 1e4
		if b.f.area(bl.placed(side, c0, bl.cutAt(hi, 0, 0))) < target {
			panic(fmt.Sprintf("sample: %s: block [%.1f, %.1f] too small for %.2f ha", p.cls, bl.u0, bl.u1, p.ha))
		}
		for range 60 {
			x = (lo + hi) / 2
			if b.f.area(bl.placed(side, c0, bl.cutAt(x, p.tilt, p.kink))) < target {
				lo = x
			} else {
				hi = x
			}
		}
		x = (lo + hi) / 2
	case p.end != 0:
		x = p.end
	}
	c := bl.cutAt(x, p.tilt, p.kink)
	if c.b < c0.b+5 || c.t < c0.t+5 || c.b > bl.u1-5 || c.t > bl.u1-5 {
		panic(fmt.Sprintf("sample: %s: cut %.1f/%.1f out of block [%.1f, %.1f] after %.1f/%.1f", p.cls, c.b, c.t, bl.u0, bl.u1, c0.b, c0.t))
	}
	return c
}

// fill cuts a block into lots, one per part.
func (b *builder) fill(bl *block, side int, parts []part) []*lot {
	var out []*lot
	c0 := bl.left()
	for i, p := range parts {
		c1 := bl.right()
		if i < len(parts)-1 {
			c1 = b.solve(bl, side, c0, p)
		}
		l := b.add(p.cls, bl.placed(side, c0, c1))
		l.name, l.note, l.stage, l.tag = p.name, p.note, p.stage, p.tag
		l.blk, l.c0, l.c1, l.side = bl, c0, c1, side
		out = append(out, l)
		c0 = c1
	}
	return out
}

// split returns the two rings of l cut where the first has ha hectares.
func (b *builder) split(l *lot, ha float64) (first, second []orb.Point) {
	bl := l.blk
	tilt := ((l.c0.t - l.c0.b) + (l.c1.t - l.c1.b)) / 2
	inner := *bl
	inner.u1 = l.c1.b
	c := b.solve(&inner, l.side, l.c0, part{cls: l.cls, ha: ha, tilt: tilt})
	return ccw(bl.placed(l.side, l.c0, c)), ccw(bl.placed(l.side, c, l.c1))
}

// merge returns the ring of two neighbours in one block, a left of c.
func (b *builder) merge(a, c *lot) []orb.Point {
	if a.blk != c.blk || a.c1.b != c.c0.b || a.c1.t != c.c0.t {
		panic(fmt.Sprintf("sample: %s and %s are not neighbours in one block", a.id, c.id))
	}
	return ccw(a.blk.placed(a.side, a.c0, c.c1))
}

// choice is a class a random fill may draw, with its weight and lot width.
type choice struct {
	cls        string
	weight     float64
	wmin, wmax float64
}

// random returns parts of classes drawn from choices that fill u0…u1 (the
// last part takes the rest). tilt is the largest slant of a cut.
func random(r *rng, u0, u1 float64, choices []choice, tilt float64) []part {
	var parts []part
	total := 0.0
	for _, c := range choices {
		total += c.weight
	}
	x, prev := u0, ""
	for {
		var c choice
		for range 3 { // avoid three of a kind in a row
			k := r.float() * total
			for _, c = range choices {
				if k < c.weight {
					break
				}
				k -= c.weight
			}
			if c.cls != prev {
				break
			}
		}
		w := r.between(c.wmin, c.wmax)
		if u1-x < w+0.7*c.wmin {
			if u1-x < 0.6*c.wmin && len(parts) > 0 {
				parts[len(parts)-1].end = 0 // the previous lot takes the rest
				parts[len(parts)-1].w = 0
				return parts
			}
			parts = append(parts, part{cls: c.cls})
			return parts
		}
		p := part{cls: c.cls, end: x + w}
		if r.chance(0.3) {
			p.tilt = r.between(-tilt, tilt)
		}
		parts = append(parts, p)
		x += w
		prev = c.cls
	}
}

// then returns the parts in order; parts' ends are absolute, so sequences
// made separately can be joined.
func then(seqs ...[]part) []part {
	var out []part
	for _, s := range seqs {
		out = append(out, s...)
	}
	return out
}

// ending returns parts whose last lot ends at u (its cut gets the tilt).
func ending(parts []part, u, tilt float64) []part {
	if len(parts) > 0 {
		parts[len(parts)-1].end = u
		parts[len(parts)-1].tilt = tilt
	}
	return parts
}

// wiggle returns a line around v over u0…u1 with n interior vertices moved
// by up to amp across.
func wiggle(r *rng, u0, u1, v, amp float64, n int) line {
	l := line{{u0, v + r.between(-amp, amp)}}
	for i := 1; i <= n; i++ {
		t := (float64(i) + r.between(-0.3, 0.3)) / float64(n+1)
		l = append(l, orb.Point{u0 + t*(u1-u0), v + r.between(-amp, amp)})
	}
	l = append(l, orb.Point{u1, v + r.between(-amp, amp)})
	for i := range l {
		l[i][1] = math.Round(l[i][1]*10) / 10
		l[i][0] = math.Round(l[i][0]*10) / 10
	}
	l[0][0], l[len(l)-1][0] = u0, u1
	return l
}
