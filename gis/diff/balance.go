package diff

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"sync"

	"quyhoach/gis"
)

// Unclassified is the Name of the row of lots whose class has no code, when
// the classifier gives that class no name of its own.
const Unclassified = "unclassified"

// Class is a land-use class as the caller classifies lots: a catalogue code
// and its name. The zero Class means unclassified.
type Class struct{ Code, Name string }

// Row is one land-use class of a balance table. Areas are in hectares,
// unrounded; percents are of the column's total.
type Row struct {
	Code, Name    string
	Ha, Percent   float64 // the plan (after the adjustment when compared)
	BeforeHa      float64 // the approved plan, when compared
	BeforePercent float64
	ChangeHa      float64 // Ha − BeforeHa, when compared
}

// Balance is a land-use balance table (bảng cân bằng sử dụng đất). TotalHa is
// the sum of the rows' Ha taken in row order, so the rows add up to it
// exactly; likewise BeforeTotalHa.
type Balance struct {
	Rows          []Row
	TotalHa       float64
	BeforeTotalHa float64
	HasBefore     bool // made by Compare: the Before and Change columns are filled
}

// BalanceOf returns the land-use balance of lots: their planar area (m² in
// EPSG:9215, shown in hectares) summed per class. Rows come in the order of
// the class codes in order (a catalogue), then codes order lacks, sorted,
// then the unclassified lots (Code ""), unless order places "" itself.
// Only classes that some lot has get a row. classOf is called once per lot,
// in order, never concurrently (areas are computed meanwhile on other
// goroutines).
func BalanceOf(lots []gis.Feature, classOf func(gis.Feature) Class, order []string) Balance {
	var t tally
	t.add(classOf, lots, nil)
	return t.balance(order, false)
}

// Compare returns the balance of after beside that of before, class by
// class: Ha and Percent are after's, BeforeHa and BeforePercent before's,
// ChangeHa their difference. A class on either side gets a row. For the
// table of the adjusted area only, pass the two sides of AdjustedArea.
// classOf is called as by BalanceOf: after's lots, then before's.
func Compare(before, after []gis.Feature, classOf func(gis.Feature) Class, order []string) Balance {
	var t tally
	t.add(classOf, after, before)
	return t.balance(order, true)
}

// AdjustedArea returns the features touched by the changes of res: the old
// side of every modified and removed feature (before) and the new side of
// every modified and added feature (after), in the order of res.Changes.
// Compare(before, after, …) is then the balance of the adjusted area alone.
func AdjustedArea(res Result) (before, after []gis.Feature) {
	for _, c := range res.Changes {
		if c.Old != nil {
			before = append(before, *c.Old)
		}
		if c.New != nil {
			after = append(after, *c.New)
		}
	}
	return before, after
}

// tally sums areas per class code.
type tally struct {
	index map[string]int
	rows  []sum
}

type sum struct {
	code, name   string
	m2, beforeM2 float64
}

// add sums the areas of after's lots (the plan) and before's (the approved
// plan) per class: this goroutine classifies while others compute areas.
func (t *tally) add(classOf func(gis.Feature) Class, after, before []gis.Feature) {
	t.index = make(map[string]int)
	n := len(after) + len(before)
	lot := func(k int) *gis.Feature {
		if k < len(after) {
			return &after[k]
		}
		return &before[k-len(after)]
	}
	areas := make([]float64, n)
	measure := func() {
		chunks(n, func(_, lo, hi int) {
			for k := lo; k < hi; k++ {
				areas[k] = gis.Area(lot(k).Geometry)
			}
		})
	}
	var done sync.WaitGroup
	if n < minChunk {
		measure()
	} else {
		done.Go(measure)
	}
	rows := make([]int32, n)
	last := -1 // row of the previous lot: neighbours often share a class
	for k := range n {
		last = t.row(classOf(*lot(k)), last)
		rows[k] = int32(last)
	}
	done.Wait()
	t.sum(rows, areas, len(after))
}

// row returns the row of class c, made when new; last is the row of the
// previous lot, tried first.
func (t *tally) row(c Class, last int) int {
	r := last
	if r < 0 || t.rows[r].code != c.Code {
		var ok bool
		r, ok = t.index[c.Code]
		if !ok {
			r = len(t.rows)
			t.index[c.Code] = r
			t.rows = append(t.rows, sum{code: c.Code})
		}
	}
	if t.rows[r].name == "" {
		t.rows[r].name = c.Name
	}
	return r
}

// sum adds the lots' areas to their rows in lot order, after's (the
// first nAfter) to the plan, the rest to the approved plan: one order of
// addition for every way in, so the sums agree to the last bit.
func (t *tally) sum(rows []int32, areas []float64, nAfter int) {
	for k, r := range rows {
		if k < nAfter {
			t.rows[r].m2 += areas[k]
		} else {
			t.rows[r].beforeM2 += areas[k]
		}
	}
}

func (t *tally) balance(order []string, compared bool) Balance {
	rank := make(map[string]int, len(order))
	for i, code := range order {
		if _, ok := rank[code]; !ok {
			rank[code] = i
		}
	}
	slices.SortFunc(t.rows, func(a, b sum) int {
		ra, oka := rank[a.code]
		rb, okb := rank[b.code]
		switch {
		case oka && okb:
			return cmp.Compare(ra, rb)
		case oka != okb: // catalogue classes first
			if oka {
				return -1
			}
			return 1
		case (a.code == "") != (b.code == ""): // then unclassified last
			if a.code == "" {
				return 1
			}
			return -1
		}
		return strings.Compare(a.code, b.code)
	})

	b := Balance{HasBefore: compared, Rows: make([]Row, len(t.rows))}
	for i, r := range t.rows {
		row := Row{Code: r.code, Name: r.name, Ha: r.m2 / 1e4}
		if row.Code == "" && row.Name == "" {
			row.Name = Unclassified
		}
		if compared {
			row.BeforeHa = r.beforeM2 / 1e4
			row.ChangeHa = row.Ha - row.BeforeHa
		}
		b.TotalHa += row.Ha
		b.BeforeTotalHa += row.BeforeHa
		b.Rows[i] = row
	}
	for i := range b.Rows {
		b.Rows[i].Percent = percent(b.Rows[i].Ha, b.TotalHa)
		if compared {
			b.Rows[i].BeforePercent = percent(b.Rows[i].BeforeHa, b.BeforeTotalHa)
		}
	}
	return b
}

func percent(part, total float64) float64 {
	if total == 0 {
		return 0
	}
	return part / total * 100
}

// Rounded returns a copy of b with every figure rounded to places decimals
// such that the printed table adds up: the rows' Ha are rounded by the
// largest-remainder method so that they sum to the rounded TotalHa (in units
// of 10^-places), likewise BeforeHa and both percent columns (which then sum
// to 100 when their total is not 0), and ChangeHa is the difference of the
// rounded Ha and BeforeHa. Use it for display; compute with b.
func (b Balance) Rounded(places int) Balance {
	r := b
	r.Rows = slices.Clone(b.Rows)
	scale := math.Pow10(places)
	column := func(get func(*Row) *float64, total float64) float64 {
		xs := make([]float64, len(r.Rows))
		for i := range r.Rows {
			xs[i] = *get(&r.Rows[i])
		}
		units := largestRemainder(xs, total, scale)
		for i := range r.Rows {
			*get(&r.Rows[i]) = units[i] / scale
		}
		return math.Round(total*scale) / scale
	}
	r.TotalHa = column(func(r *Row) *float64 { return &r.Ha }, b.TotalHa)
	pct := 0.0
	if b.TotalHa != 0 {
		pct = 100
	}
	column(func(r *Row) *float64 { return &r.Percent }, pct)
	if b.HasBefore {
		r.BeforeTotalHa = column(func(r *Row) *float64 { return &r.BeforeHa }, b.BeforeTotalHa)
		pct = 0
		if b.BeforeTotalHa != 0 {
			pct = 100
		}
		column(func(r *Row) *float64 { return &r.BeforePercent }, pct)
		for i := range r.Rows {
			row := &r.Rows[i]
			row.ChangeHa = math.Round((row.Ha-row.BeforeHa)*scale) / scale
		}
	}
	return r
}

// largestRemainder rounds xs·scale to integers that sum to round(total·scale):
// each is floored, then the units still missing go to the largest
// remainders (or, if the floors overshoot, are taken from the smallest).
func largestRemainder(xs []float64, total, scale float64) []float64 {
	units := make([]float64, len(xs))
	idx := make([]int, len(xs))
	sum := 0.0
	for i, x := range xs {
		units[i] = math.Floor(x * scale)
		sum += units[i]
		idx[i] = i
	}
	if len(xs) == 0 {
		return units
	}
	rem := func(i int) float64 { return xs[i]*scale - units[i] }
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(rem(b), rem(a)) })
	m := math.Round(total*scale) - sum
	if math.IsNaN(m) {
		return units
	}
	// Floors fall short of the total by less than one unit per row.
	missing := int(max(-float64(len(xs)), min(m, float64(len(xs)))))
	for k := 0; missing > 0; k, missing = k+1, missing-1 {
		units[idx[k%len(idx)]]++
	}
	for k := len(idx) - 1; missing < 0; k, missing = k-1, missing+1 {
		units[idx[(k%len(idx)+len(idx))%len(idx)]]--
	}
	return units
}
