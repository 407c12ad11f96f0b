package topo

import "github.com/paulmach/orb"

// Coverage says which of its checks Check makes for a boundary and options,
// and why it leaves any out: a check that was not made is said, never
// taken for a clean result.
type Coverage struct {
	Ran     []string // the kinds checked, in Check's order
	Skipped []Skip   // the kinds not checked
}

// Skip is a check left out and why.
type Skip struct {
	Kind string
	Why  string // in English: "no plan boundary"
}

// CoverageOf tells what Check(…, boundary, opt) checks.
func CoverageOf(boundary orb.Geometry, opt Options) Coverage {
	var c Coverage
	bd := ""
	switch {
	case boundary == nil || isEmptyPolygonal(boundary):
		bd = "no plan boundary"
	default:
		if inv := Validate(boundary); inv != nil {
			bd = "the plan boundary is invalid: " + inv.Reason
		}
	}
	for _, k := range []string{KindOverlap, KindGap, KindInvalid, KindOutside, KindClass, KindIndicator} {
		why := ""
		switch {
		case (k == KindGap || k == KindOutside) && bd != "":
			why = bd
		case k == KindClass && opt.KnownClass == nil:
			why = "no land-use catalogue given"
		}
		if why != "" {
			c.Skipped = append(c.Skipped, Skip{k, why})
		} else {
			c.Ran = append(c.Ran, k)
		}
	}
	return c
}
