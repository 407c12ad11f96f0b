package topo

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"quyhoach/gis"
)

// Numeric planning indicators of a lot (TT16 property names).
const (
	propDensity = "matDoXayDung"  // building density, %
	propFARatio = "heSoSuDungDat" // floor-area ratio
	propMinFl   = "tangCaoMin"    // storeys, lowest
	propMaxFl   = "tangCaoMax"    // storeys, highest
	propSetback = "khoangLui"     // setback, m
	propPop     = "danSo"         // population
)

var numericProps = []string{propDensity, propFARatio, propMinFl, propMaxFl, propSetback, propPop}

// attributes checks classes and indicators of every feature, valid or not.
func (c *checker) attributes() {
	for i := range c.feats {
		ft := &c.feats[i]
		at := ft.at
		if ft.lot >= 0 {
			at = c.lotPoint(ft.lot)
		}
		report := func(kind, format string, args ...any) {
			c.add(Finding{Kind: kind, IDs: []string{ft.id}, At: at,
				Message: fmt.Sprintf("lot %s ", ft.name) + fmt.Sprintf(format, args...)})
		}
		if c.opt.KnownClass != nil {
			switch cls := strings.TrimSpace(ft.f.String("phanLoai")); {
			case cls == "":
				report(KindClass, "has no land-use class (phanLoai)")
			case !c.opt.KnownClass(cls):
				report(KindClass, "has an unknown land-use class (phanLoai) %q", cls)
			}
		}
		vals := map[string]float64{}
		for _, key := range numericProps {
			raw, present := ft.f.Properties[key]
			if !present || raw == nil {
				continue
			}
			if s, ok := raw.(string); ok && strings.TrimSpace(s) == "" {
				continue
			}
			v, ok := gis.Number(raw)
			if !ok {
				report(KindIndicator, "has %s = %s, which is not a number", key, quote(raw))
				continue
			}
			vals[key] = v
		}
		if v, ok := vals[propDensity]; ok && (v < 0 || v > 100) {
			report(KindIndicator, "has building density %s = %s %%, outside 0–100 %%", propDensity, fmtNum(v))
		}
		if v, ok := vals[propFARatio]; ok && v <= 0 {
			report(KindIndicator, "has floor-area ratio %s = %s, which must be greater than 0", propFARatio, fmtNum(v))
		}
		for _, key := range []string{propMinFl, propMaxFl, propSetback, propPop} {
			if v, ok := vals[key]; ok && v < 0 {
				report(KindIndicator, "has %s = %s, which must not be negative", key, fmtNum(v))
			}
		}
		lo, okLo := vals[propMinFl]
		hi, okHi := vals[propMaxFl]
		if okLo && okHi && lo > hi {
			report(KindIndicator, "has %s = %s above %s = %s", propMinFl, fmtNum(lo), propMaxFl, fmtNum(hi))
		}
	}
}

func quote(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
