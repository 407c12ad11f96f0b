package topo

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"

	"quyhoach/gis"
)

// Checking an edit: the same checks as Check, run on the neighbourhood of
// the edited lots before and after the edit, reporting what the edit
// introduced. The window runs it after each gesture (its neighbourhood is a
// few dozen lots), the store before a dossier is submitted (the
// neighbourhood of the whole change set): one rule, two callers.

// Margin is how far around the edited lots, in metres, the neighbourhood
// of an edit reaches: their neighbours touch them, and a sliver along a
// shared side lies within it.
const Margin = 5.0

// IsError tells an error, which stops a dossier's submission, from a
// warning, which the officer may acknowledge: overlaps, gaps, invalid
// geometry, lots outside the boundary and unknown classes are errors; an
// implausible indicator may be a deliberate value.
func (f Finding) IsError() bool { return f.Kind != KindIndicator }

// EditCheck is what CheckEdit found.
type EditCheck struct {
	Box        orb.Bound // the neighbourhood checked
	Findings   []Finding // every finding in it after the edit
	Introduced []Finding // those the edit made (not there, or not so, before)
}

// Errors and Warnings split Introduced by IsError.
func (c EditCheck) Errors() []Finding   { return filter(c.Introduced, true) }
func (c EditCheck) Warnings() []Finding { return filter(c.Introduced, false) }

func filter(fs []Finding, errs bool) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.IsError() == errs {
			out = append(out, f)
		}
	}
	return out
}

// CheckEdit checks the neighbourhood of the features edited (their ids)
// between before and after, each a list of lots that includes at least
// every lot near the edited ones (a caller with a spatial index passes
// those, else all), with the boundary before and after the edit. Geometry
// in metres (EPSG:9215).
func CheckEdit(ctx context.Context, before, after []gis.Feature, boundaryBefore, boundaryAfter orb.Geometry, edited []string, opt Options) (EditCheck, error) {
	ids := map[string]bool{}
	for _, id := range edited {
		ids[id] = true
	}
	box, ok := editedBox(before, ids)
	if b2, ok2 := editedBox(after, ids); ok2 {
		if ok {
			box = box.Union(b2)
		} else {
			box, ok = b2, true
		}
	}
	if !ok {
		return EditCheck{}, nil // no lot edited: nothing of the lots to check
	}
	return CheckBox(ctx, before, after, boundaryBefore, boundaryAfter, box.Pad(Margin), opt)
}

// CheckBox checks the lots of box before and after an edit (each list
// holding at least every lot meeting box) and tells what the edit
// introduced there: CheckEdit's work on a box the caller knows (the
// window adds where a deleted lot was).
func CheckBox(ctx context.Context, before, after []gis.Feature, boundaryBefore, boundaryAfter orb.Geometry, box orb.Bound, opt Options) (EditCheck, error) {
	was, err := CheckAround(ctx, gis.Meeting(before, box), boundaryBefore, box, opt)
	if err != nil {
		return EditCheck{}, err
	}
	now, err := CheckAround(ctx, gis.Meeting(after, box), boundaryAfter, box, opt)
	if err != nil {
		return EditCheck{}, err
	}
	return EditCheck{Box: box, Findings: now, Introduced: Introduced(was, now)}, nil
}

func editedBox(fs []gis.Feature, ids map[string]bool) (orb.Bound, bool) {
	var b orb.Bound
	ok := false
	for _, f := range fs {
		if !ids[f.ID] || f.Geometry == nil {
			continue
		}
		if !ok {
			b, ok = f.Geometry.Bound(), true
		} else {
			b = b.Union(f.Geometry.Bound())
		}
	}
	return b, ok
}

// CheckAround runs Check on lots (every lot meeting box, and maybe more)
// within box: gaps are looked for inside the boundary cut to box, and only
// lots wholly inside box can be outside the boundary (the others cross
// box's edges, which are no boundary of the plan).
func CheckAround(ctx context.Context, lots []gis.Feature, boundary orb.Geometry, box orb.Bound, opt Options) ([]Finding, error) {
	clip, err := clipTo(boundary, box)
	if err != nil {
		return nil, err
	}
	fs, err := Check(ctx, lots, clip, opt)
	if err != nil {
		return nil, err
	}
	inside := map[string]bool{}
	for _, f := range lots {
		if f.Geometry != nil && box.Contains(f.Geometry.Bound().Min) && box.Contains(f.Geometry.Bound().Max) {
			inside[f.ID] = true
		}
	}
	if mp, ok := clip.(orb.MultiPolygon); ok && len(mp) == 0 {
		// the box misses the boundary: every lot wholly in it is outside
		tol := opt.Tolerance
		if !(tol > 0) {
			tol = DefaultTolerance
		}
		for _, f := range lots {
			if a := gis.Area(f.Geometry); inside[f.ID] && a >= tol {
				fs = append(fs, Finding{Kind: KindOutside, IDs: []string{f.ID}, Names: []string{lotName(f, f.ID)}, AreaM2: a, At: interiorOf(f.Geometry),
					Message: fmt.Sprintf("lot %s lies outside the plan boundary (%s)", lotName(f, f.ID), fmtArea(a))})
			}
		}
		sortFindings(fs)
	}
	out := fs[:0]
	for _, f := range fs {
		if f.Kind == KindOutside && !slices.ContainsFunc(f.IDs, func(id string) bool { return inside[id] }) {
			continue
		}
		out = append(out, f)
	}
	return out, nil
}

// clipTo cuts a boundary to box; nil stays nil (no boundary: no gaps).
func clipTo(boundary orb.Geometry, box orb.Bound) (orb.Geometry, error) {
	if boundary == nil {
		return nil, nil
	}
	o := orb.Point{math.Floor(box.Min[0]), math.Floor(box.Min[1])}
	rect := orb.Polygon{{
		{box.Min[0] - o[0], box.Min[1] - o[1]}, {box.Max[0] - o[0], box.Min[1] - o[1]},
		{box.Max[0] - o[0], box.Max[1] - o[1]}, {box.Min[0] - o[0], box.Max[1] - o[1]},
		{box.Min[0] - o[0], box.Min[1] - o[1]},
	}}
	var out orb.MultiPolygon
	for p := range gis.Polygons(boundary) {
		if !p.Bound().Intersects(box) {
			continue
		}
		g, err := overlay(geom.Intersection, sfPolygon(toLocal(p, o)).AsGeometry(), sfPolygon(rect).AsGeometry())
		if err != nil {
			return nil, fmt.Errorf("cutting the boundary to the edit's neighbourhood: %w", err)
		}
		for _, sp := range polygonsSF(g) {
			out = append(out, fromLocal(orbPolygon(sp), o))
		}
	}
	if len(out) == 0 {
		// the neighbourhood lies outside the boundary: every lot in it is
		// outside, which an empty boundary says
		return orb.MultiPolygon{}, nil
	}
	return out, nil
}

// Introduced are the findings of now that was lacks: the same kind about
// the same lots with the same area (within the tolerance of areas) is the
// same finding; a gap or overlap that grew is introduced. A gap of the same
// area, at the same place, whose lots are those it had and more is the
// same gap too: a lot drawn along one of its sides joins its neighbours
// and leaves it as it was.
func Introduced(was, now []Finding) []Finding {
	used := make([]bool, len(was))
	byKey := map[string][]int{}
	for i, f := range was {
		k := findingKey(f)
		byKey[k] = append(byKey[k], i)
	}
	matched := make([]bool, len(now))
	for j, f := range now {
		for _, i := range byKey[findingKey(f)] {
			if !used[i] && f.AreaM2 <= was[i].AreaM2+AreaTolerance {
				used[i], matched[j] = true, true
				break
			}
		}
	}
	for j, f := range now {
		if matched[j] || f.Kind != KindGap {
			continue
		}
		for i, w := range was {
			if !used[i] && w.Kind == KindGap && math.Abs(f.AreaM2-w.AreaM2) <= AreaTolerance && subset(w.IDs, f.IDs) &&
				math.Hypot(f.At[0]-w.At[0], f.At[1]-w.At[1]) <= 1 { // the same place: not a new gap of that size among those lots
				used[i], matched[j] = true, true
				break
			}
		}
	}
	var out []Finding
	for j, f := range now {
		if !matched[j] {
			out = append(out, f)
		}
	}
	return out
}

// subset reports whether every element of the sorted a is in the sorted b.
func subset(a, b []string) bool {
	for _, x := range a {
		if _, ok := slices.BinarySearch(b, x); !ok {
			return false
		}
	}
	return true
}

func findingKey(f Finding) string {
	key := f.Kind + "\x00" + strings.Join(f.IDs, "\x00")
	if f.Kind == KindClass || f.Kind == KindIndicator || f.Kind == KindInvalid {
		key += "\x00" + f.Message // a different wrong value is a new finding
	}
	return key
}

// interiorOf is a point inside the largest polygon of g.
func interiorOf(g orb.Geometry) orb.Point {
	var best orb.Polygon
	for p := range gis.Polygons(g) {
		if best == nil || math.Abs(gis.Area(p)) > math.Abs(gis.Area(best)) {
			best = p
		}
	}
	return gis.InteriorPoint(best)
}
