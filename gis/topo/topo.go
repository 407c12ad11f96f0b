// Package topo checks a land-use layer against its plan boundary: invalid
// geometry, overlaps, gaps, lots outside the boundary, classes and indicators.
package topo

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"

	"quyhoach/gis"
)

// DefaultTolerance is the area in m² below which overlaps, gaps and parts
// outside the boundary are not reported.
const DefaultTolerance = 1.0

// Kinds of finding, in the order Check sorts them.
const (
	KindOverlap   = "overlap"   // two lots cover the same ground
	KindGap       = "gap"       // ground inside the boundary that no lot covers
	KindInvalid   = "invalid"   // a geometry that is not a valid polygon; left out of the overlay checks
	KindOutside   = "outside"   // a lot, or part of one, outside the plan boundary
	KindClass     = "class"     // missing or unknown land-use class (phanLoai)
	KindIndicator = "indicator" // an implausible or non-numeric planning indicator
)

var kindRank = map[string]int{
	KindOverlap: 0, KindGap: 1, KindInvalid: 2, KindOutside: 3, KindClass: 4, KindIndicator: 5,
}

// Options tune Check.
type Options struct {
	// Tolerance in m²: overlaps, gaps and outside parts with a smaller area
	// are dropped. Zero or less means DefaultTolerance.
	Tolerance float64
	// KnownClass tells whether a phanLoai value is in the land-use catalogue;
	// nil skips the class check. It is called from several goroutines at
	// once.
	KnownClass func(phanLoai string) bool

	// hook, for tests, may alter the operands of the gap overlay to mimic a
	// union that silently drops a polygon ("union", "each"), or those of a
	// term's overlay with the boundary ("within": g and bnd).
	hook func(stage string, gs []geom.Geometry) []geom.Geometry
	// everyTile, for tests, runs the overlay in every tile, even those the
	// exact edge count proves clean.
	everyTile bool
	// lotsPerTile, for tests, overrides the tile size (0: lotsPerTile).
	lotsPerTile int
}

// Finding is one problem found by Check.
type Finding struct {
	Kind    string    // one of the Kind constants
	IDs     []string  // ids of the features involved, sorted; "#n" for the n-th feature (from 1) when it has no id
	AreaM2  float64   // area concerned in m²; 0 for class and indicator findings, and for invalid ones but a sliver (the sliver's)
	At      orb.Point // a point to zoom to (projected metres), inside the area when there is one
	Message string    // in English, naming lots by maDoiTuong when they have one
	// Names are the lots of IDs as messages name them (maDoiTuong, else
	// the id), in the same order: a face writes the finding in its
	// language from Kind, Names and AreaM2.
	Names []string
}

// Check checks land-use lots against the plan boundary. All geometry must be
// projected to metres (EPSG:9215). A nil boundary skips the gap and outside
// checks. Findings are sorted by kind (in the order of the Kind constants),
// then by area, largest first. Check returns an error when ctx is done, or
// when an overlay cannot be made consistent with its area identity: it never
// returns a result it could not verify.
func Check(ctx context.Context, lots []gis.Feature, boundary orb.Geometry, opt Options) ([]Finding, error) {
	l := NewLots(opt, len(lots))
	if err := l.Add(ctx, lots); err != nil {
		return nil, err
	}
	return l.Check(ctx, boundary)
}

// Lots are land-use lots on their way to Check, taken a batch at a time
// (as a store reads them) and snapped to the grid and their attributes
// checked as they come: of each lot only its id, name, first point, grid
// form and attribute problems are kept, not its geometry or properties.
type Lots struct {
	opt   Options
	feats []feature
	snaps []snapped // by feature; the zero value for a lot already invalid
}

// NewLots makes an empty Lots for Check with opt; about is a guess of how
// many lots will come (0: none).
func NewLots(opt Options, about int) *Lots {
	about = min(max(about, 0), 1<<20)
	return &Lots{opt: opt, feats: make([]feature, 0, about), snaps: make([]snapped, 0, about)}
}

// Len is the number of lots added.
func (l *Lots) Len() int { return len(l.feats) }

// Add adds lots (on every core); it keeps nothing of fs itself. A lot
// without an id is "#n", n its place among all added (from 1).
func (l *Lots) Add(ctx context.Context, fs []gis.Feature) error {
	base := len(l.feats)
	l.feats = slices.Grow(l.feats, len(fs))[:base+len(fs)]
	l.snaps = slices.Grow(l.snaps, len(fs))[:base+len(fs)]
	return parallel(ctx, len(fs), func(i int) {
		f := &fs[i]
		id := f.ID
		if id == "" {
			id = "#" + strconv.Itoa(base+i+1)
		}
		ft := feature{id: id, name: lotName(*f, id), lot: -1, attrs: Attributes(f.Properties, l.opt.KnownClass)}
		ft.at, ft.first = firstPoint(f.Geometry)
		if s, pr := snapShape(f.Geometry); pr != nil {
			ft.pr = pr
		} else {
			l.snaps[base+i] = s
		}
		l.feats[base+i] = ft
	})
}

// Check checks the lots added (see Check); it uses them up.
func (l *Lots) Check(ctx context.Context, boundary orb.Geometry) ([]Finding, error) {
	c := newChecker(ctx, l, boundary)
	steps := []func() error{c.prepare, c.markTiles, c.findOverlaps, c.findClusters, c.classifyLots, c.findGaps}
	for _, step := range steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := step(); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, err
		}
	}
	if err := c.attributes(); err != nil {
		return nil, err
	}
	sortFindings(c.findings)
	return c.findings, nil
}

// MinLotArea is the least area of a lot, in m²: under it a lot is a
// sliver left by digitizing (every vertex within a hair of one line), not
// land anyone can use, and the overlay of such a lot with its neighbours
// and the boundary is at the edge of what floating point can settle (a
// search of 11 970 layouts found lots of 0.00001 m² crossing the boundary
// that ended the gap check with an internal error). It is reported as
// invalid and left out of the overlay, as any invalid lot is.
const MinLotArea = 0.001

// sliver is a lot of almost no area, or with a part of almost no area (a
// multipolygon's), as a problem; nil for a lot whose parts are all at least
// MinLotArea.
func sliver(sh shape) *problem {
	if len(sh.polys) == 1 && sh.area >= MinLotArea {
		return nil // one part, its area known
	}
	for k := range sh.polys {
		if a := sh.polys[k].area(); a < MinLotArea {
			what := "it has"
			if len(sh.polys) > 1 {
				what = fmt.Sprintf("its part %d has", k+1)
			}
			return &problem{reason: fmt.Sprintf("%s almost no area (%.6f m², under %g m²): a sliver; delete it or draw it again", what, a, MinLotArea), sliver: a}
		}
	}
	return nil
}

// feature is what Check keeps of each input feature.
type feature struct {
	id, name string
	lot      int       // index in checker.lots, -1 when invalid
	at       orb.Point // its first point (first: it has one), then where a finding on it points
	first    bool
	pr       *problem      // why it is not a polygon, found as it was snapped
	attrs    []AttrProblem // what is wrong with its attributes
}

// lot is a valid land-use polygon ready for overlay work.
type lot struct {
	shape
	feat   int // index in checker.feats
	status int // lot against the boundary: statusInside, statusOutside or statusCrossing
}

const (
	statusInside   = iota // wholly inside the boundary (or there is no boundary)
	statusOutside         // wholly outside it
	statusCrossing        // partly outside: the overlay works out how much
)

type checker struct {
	ctx   context.Context
	opt   Options
	tol   float64
	fr    frame
	feats []feature
	snaps []snapped // by feature, until prepare places them in lots
	lots  []*lot
	trees

	boundary orb.Geometry
	bd       *shape // nil: no valid boundary
	bdEdges  []seg  // boundary edges, reversed: the outside of the boundary lies on their left

	tl        *tileNeeds // with a boundary: the tiles that need an overlay
	overlaps  []*overlapRec
	triples   []*tripleRec // in clusters without a union
	clusters  []*cluster
	clusterOf []int // lot → index in clusters, -1 when it overlaps nothing

	findings []Finding
	names    map[string]string // lot names by id, for findings
}

func newChecker(ctx context.Context, l *Lots, boundary orb.Geometry) *checker {
	tol := l.opt.Tolerance
	if !(tol > 0) {
		tol = DefaultTolerance
	}
	ox, oy := origin(boundary, l.feats)
	c := &checker{ctx: ctx, opt: l.opt, tol: tol, fr: frame{ox, oy}, boundary: boundary, feats: l.feats, snaps: l.snaps}
	l.feats, l.snaps = nil, nil
	return c
}

// lotName names a lot in messages: its code (maDoiTuong), else its id.
func lotName(f gis.Feature, id string) string {
	if name := strings.TrimSpace(f.String(propCode)); name != "" {
		return name
	}
	return id
}

// eps is the slack allowed in an area identity over areas of about scale m².
func eps(scale float64) float64 { return 1e-3 + 1e-9*math.Abs(scale) }

// prepare converts and validates every lot and the boundary.
func (c *checker) prepare() error {
	shapes := make([]shape, len(c.feats))
	probs := make([]*problem, len(c.feats))
	err := parallel(c.ctx, len(c.feats), func(i int) {
		if probs[i] = c.feats[i].pr; probs[i] == nil {
			shapes[i], probs[i] = c.fr.place(c.snaps[i])
		}
	})
	c.snaps = nil
	if err != nil {
		return err
	}
	for i := range c.feats {
		ft := &c.feats[i]
		if probs[i] == nil {
			probs[i] = sliver(shapes[i])
		}
		if pr := probs[i]; pr != nil {
			ft.pr = nil
			if pr.hasAt {
				ft.at = pr.at
			}
			c.add(Finding{Kind: KindInvalid, IDs: []string{ft.id}, At: ft.at, AreaM2: pr.sliver,
				Message: fmt.Sprintf("lot %s is invalid: %s", ft.name, pr.reason)})
			continue
		}
		ft.lot = len(c.lots)
		c.lots = append(c.lots, &lot{shape: shapes[i], feat: i})
	}
	if c.boundary != nil && !isEmptyPolygonal(c.boundary) {
		sh, pr := c.fr.convert(c.boundary)
		if pr != nil {
			c.add(Finding{Kind: KindInvalid, At: pr.at,
				Message: "the plan boundary is invalid: " + pr.reason + "; gaps and lots outside it were not checked"})
		} else {
			c.bd = &sh
			for _, p := range sh.polys {
				for _, r := range p.rings {
					prev := r[len(r)-1]
					for _, v := range r {
						c.bdEdges = append(c.bdEdges, seg{v, prev})
						prev = v
					}
				}
			}
		}
	}
	c.buildTrees()
	return nil
}

func isEmptyPolygonal(g orb.Geometry) bool {
	switch g := g.(type) {
	case orb.Polygon:
		return len(g) == 0
	case orb.MultiPolygon:
		return len(g) == 0
	}
	return false
}

// lotPoint returns a point inside lot k, in projected metres.
func (c *checker) lotPoint(k int) orb.Point {
	p, _ := largest(c.lots[k].sf())
	return c.fr.globalPt(p.PointOnSurface())
}

func (c *checker) add(f Finding) {
	slices.Sort(f.IDs)
	if c.names == nil {
		c.names = make(map[string]string, len(c.feats))
		for _, ft := range c.feats {
			c.names[ft.id] = ft.name
		}
	}
	f.Names = make([]string, len(f.IDs))
	for i, id := range f.IDs {
		f.Names[i] = c.names[id]
	}
	c.findings = append(c.findings, f)
}

func sortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(kindRank[a.Kind], kindRank[b.Kind]),
			cmp.Compare(b.AreaM2, a.AreaM2),
			slices.Compare(a.IDs, b.IDs),
			cmp.Compare(a.Message, b.Message),
		)
	})
}

// fmtArea writes an area in m² with at most two decimals: "12.5 m²".
func fmtArea(a float64) string {
	return strconv.FormatFloat(math.Round(a*100)/100, 'f', -1, 64) + " m²"
}

// nameList writes "A", "A and B" or "A, B and C".
func nameList(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
