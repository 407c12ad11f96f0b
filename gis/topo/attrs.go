package topo

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"quyhoach/gis"
)

// The lot's code (named in messages) and land-use class (TT16 property names).
const (
	propCode  = "maDoiTuong"
	propClass = "phanLoai"
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

// numericProps, in the order of their places below.
var numericProps = [...]string{propDensity, propFARatio, propMinFl, propMaxFl, propSetback, propPop}

// Places of the indicators in numericProps.
const (
	iDensity = iota
	iFARatio
	iMinFl
	iMaxFl
)

// attributes reports the classes and indicators at fault of every feature,
// valid or not (found as Lots.Add took them), in the features' order; the
// point of a valid lot at fault is found on all cores (an overlay each).
func (c *checker) attributes() error {
	at := make([]orb.Point, len(c.feats))
	err := parallel(c.ctx, len(c.feats), func(i int) {
		if ft := &c.feats[i]; len(ft.attrs) > 0 {
			at[i] = ft.at
			if ft.lot >= 0 {
				at[i] = c.lotPoint(ft.lot)
			}
		}
	})
	if err != nil {
		return err
	}
	for i := range c.feats {
		ft := &c.feats[i]
		for _, p := range ft.attrs {
			c.add(Finding{Kind: p.Kind, IDs: []string{ft.id}, At: at[i], Message: fmt.Sprintf("lot %s %s", ft.name, p.Message)})
		}
	}
	return nil
}

// AttrProblem is what is wrong with a lot's attributes: the finding's kind
// (KindClass or KindIndicator), the fields at fault, and the message
// ("has building density … outside 0–100 %"), in English, also as a
// template (Key, with {{.Field}}, {{.Value}}, {{.Other}}, {{.OtherValue}})
// and its data, for a face that says it in another language.
type AttrProblem struct {
	Kind    string
	Fields  []string
	Message string
	Key     string
	Data    map[string]any
	// Short says it beside the field at fault (a form), as a template of
	// the same data: "{{.Value}} % is outside 0–100 %".
	Short string
}

// Attributes checks a lot's class (when knownClass is set) and its
// indicators: the one rule of what a lot's attributes may be, for the
// checks and for the form that edits them.
func Attributes(props map[string]any, knownClass func(string) bool) []AttrProblem {
	var out []AttrProblem
	add := func(kind, key, short string, data map[string]any, fields ...string) {
		msg := key
		for k, v := range data {
			msg = strings.ReplaceAll(msg, "{{."+k+"}}", fmt.Sprint(v))
		}
		out = append(out, AttrProblem{Kind: kind, Fields: fields, Message: msg, Key: key, Data: data, Short: short})
	}
	if knownClass != nil {
		switch cls := strings.TrimSpace(gis.Text(props[propClass])); {
		case cls == "":
			add(KindClass, "has no land-use class (phanLoai)", "a land-use class is needed", nil, "phanLoai")
		case !knownClass(cls):
			add(KindClass, "has an unknown land-use class (phanLoai) {{.Value}}", "{{.Value}} is not a class of the catalogue", map[string]any{"Value": strconv.Quote(cls)}, "phanLoai")
		}
	}
	var vals [len(numericProps)]float64 // by place in numericProps (no map: every lot of a layer comes here)
	var has [len(numericProps)]bool
	for i, key := range numericProps {
		raw, present := props[key]
		if !present || raw == nil {
			continue
		}
		if s, ok := raw.(string); ok && strings.TrimSpace(s) == "" {
			continue
		}
		v, ok := gis.Number(raw)
		if !ok {
			add(KindIndicator, "has {{.Field}} = {{.Value}}, which is not a number", "{{.Value}} is not a number", map[string]any{"Field": key, "Value": quote(raw)}, key)
			continue
		}
		vals[i], has[i] = v, true
	}
	if v := vals[iDensity]; has[iDensity] && (v < 0 || v > 100) {
		add(KindIndicator, "has building density {{.Field}} = {{.Value}} %, outside 0–100 %", "{{.Value}} % is outside 0–100 %", map[string]any{"Field": propDensity, "Value": fmtNum(v)}, propDensity)
	}
	if v := vals[iFARatio]; has[iFARatio] && v <= 0 {
		add(KindIndicator, "has floor-area ratio {{.Field}} = {{.Value}}, which must be greater than 0", "must be greater than 0", map[string]any{"Field": propFARatio, "Value": fmtNum(v)}, propFARatio)
	}
	for i := iMinFl; i < len(numericProps); i++ { // storeys, setback, population
		if v := vals[i]; has[i] && v < 0 {
			add(KindIndicator, "has {{.Field}} = {{.Value}}, which must not be negative", "must not be negative", map[string]any{"Field": numericProps[i], "Value": fmtNum(v)}, numericProps[i])
		}
	}
	lo, okLo := vals[iMinFl], has[iMinFl]
	hi, okHi := vals[iMaxFl], has[iMaxFl]
	if okLo && okHi && lo > hi {
		add(KindIndicator, "has {{.Field}} = {{.Value}} above {{.Other}} = {{.OtherValue}}", "storeys: lowest {{.Value}} above highest {{.OtherValue}}",
			map[string]any{"Field": propMinFl, "Value": fmtNum(lo), "Other": propMaxFl, "OtherValue": fmtNum(hi)}, propMinFl, propMaxFl)
	}
	return out
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
