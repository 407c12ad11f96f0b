package plan

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/landuse"
	"quyhoach/store"
)

// Project is an investment project appraised against the plan (thẩm
// định, thỏa thuận quy hoạch dự án): its site, or a layer of its own lots,
// each with the land use and indicators it proposes. Geometry in EPSG:9215.
type Project struct {
	Name  string       `json:"name"`
	Label string       `json:"source,omitempty"` // how it was given: a file name
	Lots  []ProjectLot `json:"lots"`
}

// ProjectLot is one site or lot of a project and what it proposes.
type ProjectLot struct {
	Code     string       `json:"code"`
	Name     string       `json:"name,omitempty"`
	Use      string       `json:"use,omitempty"` // proposed land use: a catalogue code or CAD layer (phanLoai)
	Geometry orb.Geometry `json:"-"`
	Indicators
}

// ProjectFromLayer reads a project's lots from a layer projected to
// EPSG:9215, with the TT 16 property names the plan's lots use: maDoiTuong
// (else "#n"), tenDoiTuong, phanLoai, matDoXayDung, tangCaoMin, tangCaoMax,
// heSoSuDungDat, khoangLui, danSo. Features without a polygon are refused.
func ProjectFromLayer(name, label string, l gis.Layer) (Project, error) {
	p := Project{Name: name, Label: label}
	for i, f := range l.Features {
		if !gis.Polygonal(f.Geometry) {
			return p, &SiteError{fmt.Sprintf("%s: feature %d has no polygon: a project gives its site or lots as polygons", label, i)}
		}
		code := strings.TrimSpace(f.String("maDoiTuong"))
		if code == "" {
			code = fmt.Sprintf("#%d", i+1)
		}
		p.Lots = append(p.Lots, ProjectLot{Code: code, Name: f.String("tenDoiTuong"), Use: strings.TrimSpace(f.String("phanLoai")),
			Geometry: f.Geometry, Indicators: IndicatorsOf(f)})
	}
	if len(p.Lots) == 0 {
		return p, &SiteError{label + ": no features: a project gives its site or lots as polygons"}
	}
	return p, nil
}

// Propose sets on every lot of the project what is given: a land use
// (when not ""), and each indicator that is not nil. It is how a site file
// without attributes gets the proposal it is appraised for.
func (p *Project) Propose(use string, in Indicators) {
	for i := range p.Lots {
		l := &p.Lots[i]
		if use != "" {
			l.Use = use
		}
		for _, f := range []struct{ v, dst **float64 }{{&in.Density, &l.Density}, {&in.StoreysMin, &l.StoreysMin}, {&in.StoreysMax, &l.StoreysMax},
			{&in.FAR, &l.FAR}, {&in.Setback, &l.Setback}, {&in.Population, &l.Population}} {
			if *f.v != nil {
				*f.dst = *f.v
			}
		}
	}
}

// Verdicts of a check, as JSON writes them.
const (
	Conform    = "conform"    // phù hợp
	NonConform = "nonconform" // không phù hợp
	Unassessed = "unassessed" // chưa đủ số liệu: the plan or the project gives no figure
)

// VerdictText writes a verdict as official documents do.
func VerdictText(v string) string {
	switch v {
	case Conform:
		return "phù hợp"
	case NonConform:
		return "không phù hợp"
	}
	return "chưa đủ số liệu để đánh giá"
}

// Indicators compared, in report order.
const (
	UseCheck        = "use"
	DensityCheck    = "density"
	StoreysCheck    = "storeys"
	FARCheck        = "floor_area_ratio"
	SetbackCheck    = "setback"
	PopulationCheck = "population"
)

// IndicatorName is an indicator as the report names it.
func IndicatorName(ind string) string {
	return map[string]string{UseCheck: "Chức năng sử dụng đất", DensityCheck: "Mật độ xây dựng", StoreysCheck: "Tầng cao",
		FARCheck: "Hệ số sử dụng đất", SetbackCheck: "Khoảng lùi", PopulationCheck: "Dân số"}[ind]
}

// Range is a min–max range, a figure when both ends are the same; nil
// ends are open.
type Range struct {
	Min *float64 `json:"min,omitempty"`
	Max *float64 `json:"max,omitempty"`
}

// IndicatorCheck is one indicator of a project lot compared with what the plan
// allows on one plan lot it covers (or, for population, on all of them).
type IndicatorCheck struct {
	Indicator string  `json:"indicator"`
	PlanLot   string  `json:"plan_lot,omitempty"` // code of the plan lot; "" for the whole project lot
	OverlapM2 float64 `json:"overlap_m2,omitempty"`
	Proposed  Range   `json:"proposed"`
	Allowed   Range   `json:"allowed"`
	// ProposedText and AllowedText are as the report prints them: "9–12
	// tầng", "≤ 7 tầng", "45 %", "CN – Đất công nghiệp, kho tàng".
	ProposedText string `json:"proposed_text"`
	AllowedText  string `json:"allowed_text"`
	Verdict      string `json:"verdict"`
}

// Kinds of flag on a project's site.
const (
	OutsideFlag   = "outside"   // outside the plan boundary
	RoadFlag      = "road"      // on road lots (class GT)
	GreenFlag     = "green"     // on green-space lots
	UncoveredFlag = "uncovered" // inside the boundary on no lot
	InvalidFlag   = "invalid"   // on a plan lot whose geometry is invalid
)

// Flag is a part of a project lot's site that needs attention, with its area.
type Flag struct {
	Kind     string   `json:"kind"`
	AreaM2   float64  `json:"area_m2"`
	PlanLots []string `json:"plan_lots,omitempty"`
	// NonConform: the part makes the project lot non-conform (outside the
	// boundary, on a road or green lot its use is not); otherwise it is
	// only reported.
	NonConform bool   `json:"nonconform"`
	Text       string `json:"text"`
}

// ProjectResult is one project lot against the plan.
type ProjectResult struct {
	Lot     ProjectLot       `json:"lot"`
	AreaM2  float64          `json:"area_m2"`
	Parts   []LotInfo        `json:"plan_lots"`
	Checks  []IndicatorCheck `json:"checks"`
	Flags   []Flag           `json:"flags"`
	Verdict string           `json:"verdict"`
	Measure *Measure         `json:"-"`
}

// Conformity is a project appraised against a plan version.
type Conformity struct {
	Plan         store.Plan      `json:"-"`
	Version      store.Version   `json:"-"`
	MaThongTinQH string          `json:"ma_thong_tin_qh,omitempty"`
	Project      Project         `json:"project"`
	Results      []ProjectResult `json:"results"`
	Tolerance    float64         `json:"tolerance_m2"`
	Verdict      string          `json:"verdict"`
	// NonConform counts the non-conform checks and flags.
	NonConform int    `json:"nonconform"`
	State      *State `json:"-"`
}

// Appraise appraises a project against the plan state of ix. Each project
// lot is measured like a site; on every plan lot it covers by at least
// tolerance m² (smaller slivers of digitising are not judged) its proposed
// use and indicators are compared with that lot's: building density and
// floor-area ratio are maxima, storeys a min–max range, setback a minimum;
// population is compared with the plan lots' population pro rata of the
// ground covered. Parts outside the plan boundary, on road lots (GT) or on
// green-space lots (unless the project's use is one) are flagged, with
// their areas, and make it non-conform.
func Appraise(ctx context.Context, ix *SiteIndex, p Project, cat *landuse.Catalogue, tolerance float64) (*Conformity, error) {
	s := ix.State
	if s.Dossier != nil {
		return nil, &NotApprovedError{s.Ref()}
	}
	if !s.Has(gis.LandUseLayer) {
		return nil, &NoLayerError{s.Plan.Code, s.Ref(), gis.LandUseLayer}
	}
	if tolerance < 0 || math.IsNaN(tolerance) {
		tolerance = 0
	}
	c := &Conformity{Plan: s.Plan, Version: s.Version, MaThongTinQH: s.Version.MaThongTinQH, Project: p, Tolerance: tolerance, State: s}
	for _, pl := range p.Lots {
		m, err := ix.Measure(ctx, Site{Area: pl.Geometry})
		if err != nil {
			if se, ok := err.(*SiteError); ok {
				return nil, &SiteError{fmt.Sprintf("project lot %s: %s", pl.Code, strings.TrimPrefix(se.Msg, "the site "))}
			}
			return nil, err
		}
		r := ProjectResult{Lot: pl, AreaM2: m.SiteM2, Measure: m}
		for _, part := range m.Parts {
			li := lotInfo(&ix.lots[part.Lot], cat)
			li.LotM2, li.OverlapM2, li.SiteShare, li.LotShare, li.Invalid = part.LotM2, part.OverlapM2, part.SiteShare, part.LotShare, part.Invalid
			if c.MaThongTinQH == "" {
				c.MaThongTinQH = li.MaThongTinQH
			}
			r.Parts = append(r.Parts, li)
		}
		r.judge(cat, tolerance)
		for _, ch := range r.Checks {
			if ch.Verdict == NonConform {
				c.NonConform++
			}
		}
		for _, f := range r.Flags {
			if f.NonConform {
				c.NonConform++
			}
		}
		c.Results = append(c.Results, r)
	}
	c.Verdict = overall(c.Results)
	return c, nil
}

// overall is non-conform when any result is, conform when every result
// is assessed and conform, else unassessed.
func overall(rs []ProjectResult) string {
	v := Conform
	for _, r := range rs {
		switch r.Verdict {
		case NonConform:
			return NonConform
		case Unassessed:
			v = Unassessed
		}
	}
	return v
}

// judge compares the project lot with each plan lot it covers and flags
// the parts that need attention.
func (r *ProjectResult) judge(cat *landuse.Catalogue, tol float64) {
	pl := r.Lot
	m := r.Measure
	useClass, useKnown := cat.Lookup(pl.Use)
	flagged := map[string]*Flag{}
	flag := func(kind string, a float64, lot string, nonConform bool) {
		f := flagged[kind]
		if f == nil {
			f = &Flag{Kind: kind, NonConform: nonConform}
			flagged[kind] = f
		}
		f.AreaM2 += a
		if lot != "" {
			f.PlanLots = append(f.PlanLots, lot)
		}
	}
	popAllowed, popKnown := 0.0, false
	for _, li := range r.Parts {
		if li.Invalid != "" {
			flag(InvalidFlag, 0, li.Code, false)
			continue
		}
		if li.OverlapM2 < tol {
			continue // a sliver of digitising, not judged
		}
		code := li.Code
		if li.Class == "GT" && !(useKnown && useClass.Code == "GT") {
			flag(RoadFlag, li.OverlapM2, code, true)
		}
		if li.Group == "green" && !(useKnown && useClass.Group == "green") {
			flag(GreenFlag, li.OverlapM2, code, true)
		}
		add := func(ch IndicatorCheck) {
			if ch.Proposed == (Range{}) && ch.Allowed == (Range{}) && ch.Indicator != UseCheck {
				return // neither the project nor the plan gives a figure
			}
			ch.PlanLot, ch.OverlapM2 = code, li.OverlapM2
			r.Checks = append(r.Checks, ch)
		}
		add(useCheck(pl, useClass, useKnown, li))
		add(limitCheck(DensityCheck, pl.Density, li.Density, " %", true))
		add(storeysCheck(pl.Indicators, li.Indicators))
		add(limitCheck(FARCheck, pl.FAR, li.FAR, "", true))
		add(limitCheck(SetbackCheck, pl.Setback, li.Setback, " m", false))
		if li.Population != nil && li.LotM2 > 0 {
			popAllowed += *li.Population * li.OverlapM2 / li.LotM2
			popKnown = true
		}
	}
	if pl.Population != nil || popKnown {
		ch := IndicatorCheck{Indicator: PopulationCheck, Proposed: Range{pl.Population, pl.Population}, ProposedText: numText(pl.Population, " người"), Verdict: Unassessed}
		if popKnown {
			a := math.Round(popAllowed)
			ch.Allowed, ch.AllowedText = Range{Max: &a}, "tối đa "+gis.FormatVN(a, 0)+" người"
			if pl.Population != nil {
				ch.Verdict = verdict(*pl.Population <= a)
			}
		} else {
			ch.AllowedText = "quy hoạch không quy định"
		}
		r.Checks = append(r.Checks, ch)
	}
	if m.OutsideM2 >= tol && m.OutsideM2 > 0 {
		flag(OutsideFlag, m.OutsideM2, "", true)
	}
	if m.UncoveredM2 >= tol && m.UncoveredM2 > 0 {
		flag(UncoveredFlag, m.UncoveredM2, "", false)
	}
	for _, kind := range []string{OutsideFlag, RoadFlag, GreenFlag, UncoveredFlag, InvalidFlag} {
		if f := flagged[kind]; f != nil {
			f.Text = flagText(*f)
			r.Flags = append(r.Flags, *f)
		}
	}
	r.Verdict = Unassessed
	for _, ch := range r.Checks {
		if ch.Verdict == Conform {
			r.Verdict = Conform
		}
	}
	for _, ch := range r.Checks {
		if ch.Verdict == NonConform {
			r.Verdict = NonConform
		}
	}
	for _, f := range r.Flags {
		if f.NonConform {
			r.Verdict = NonConform
		}
	}
}

// flagText writes a flag as the report does.
func flagText(f Flag) string {
	area := gis.FormatVN(f.AreaM2, 2) + " m²"
	lots := strings.Join(f.PlanLots, ", ")
	switch f.Kind {
	case OutsideFlag:
		return "Phần diện tích nằm ngoài ranh giới quy hoạch: " + area
	case RoadFlag:
		return "Phần diện tích nằm trên đất giao thông (" + lots + "): " + area
	case GreenFlag:
		return "Phần diện tích nằm trên đất cây xanh (" + lots + "): " + area
	case UncoveredFlag:
		return "Phần diện tích trong ranh giới quy hoạch nhưng không thuộc lô đất nào: " + area
	}
	return "Lô quy hoạch có hình học không hợp lệ, chưa đánh giá được: " + lots
}

func verdict(ok bool) string {
	if ok {
		return Conform
	}
	return NonConform
}

// eps absorbs the binary representation of figures like 0.1 written in files.
const eps = 1e-9

func useCheck(pl ProjectLot, use landuse.Class, known bool, li LotInfo) IndicatorCheck {
	ch := IndicatorCheck{Indicator: UseCheck, ProposedText: pl.Use, AllowedText: li.Class, Verdict: Unassessed}
	if li.ClassName != "" {
		ch.AllowedText = li.Class + " – " + li.ClassName
	}
	if pl.Use == "" {
		ch.ProposedText = "không nêu"
		return ch
	}
	proposed := pl.Use
	if known {
		proposed = use.Code
		ch.ProposedText = use.Code + " – " + use.NameVI
	}
	ch.Verdict = verdict(strings.EqualFold(proposed, li.Class))
	return ch
}

// limitCheck compares a proposed figure with a plan maximum (atMost) or
// minimum.
func limitCheck(ind string, proposed, limit *float64, unit string, atMost bool) IndicatorCheck {
	ch := IndicatorCheck{Indicator: ind, Proposed: Range{proposed, proposed}, ProposedText: numText(proposed, unit), Verdict: Unassessed}
	word, allowed := "tối thiểu ", Range{Min: limit}
	if atMost {
		word, allowed = "tối đa ", Range{Max: limit}
	}
	ch.Allowed, ch.AllowedText = allowed, word+numText(limit, unit)
	switch {
	case limit == nil:
		ch.AllowedText = "quy hoạch không quy định"
	case proposed == nil:
	case atMost:
		ch.Verdict = verdict(*proposed <= *limit+eps)
	default:
		ch.Verdict = verdict(*proposed >= *limit-eps)
	}
	return ch
}

// storeysCheck compares proposed storeys (a range, or one figure given as
// its min or max) with the plan's min–max range.
func storeysCheck(p, l Indicators) IndicatorCheck {
	pmin, pmax := p.StoreysMin, p.StoreysMax
	if pmin == nil {
		pmin = pmax
	}
	if pmax == nil {
		pmax = pmin
	}
	ch := IndicatorCheck{Indicator: StoreysCheck, Proposed: Range{pmin, pmax}, Allowed: Range{l.StoreysMin, l.StoreysMax},
		ProposedText: rangeText(pmin, pmax, " tầng"), AllowedText: rangeText(l.StoreysMin, l.StoreysMax, " tầng"), Verdict: Unassessed}
	switch {
	case l.StoreysMin == nil && l.StoreysMax == nil:
		ch.AllowedText = "quy hoạch không quy định"
	case pmin == nil:
	default:
		ok := (l.StoreysMax == nil || *pmax <= *l.StoreysMax+eps) && (l.StoreysMin == nil || *pmin >= *l.StoreysMin-eps)
		ch.Verdict = verdict(ok)
	}
	return ch
}

// numText writes a figure the Vietnamese way, "không nêu" when absent.
func numText(v *float64, unit string) string {
	if v == nil {
		return "không nêu"
	}
	return gis.FormatVN(*v, figDecimals(*v)) + unit
}

// Text writes the range as the report does: "3–7 tầng" with unit " tầng".
func (r Range) Text(unit string) string { return rangeText(r.Min, r.Max, unit) }

// rangeText writes "3–7 tầng", "tối thiểu 3 tầng", "tối đa 7 tầng" or
// "5 tầng" (Noto Sans as embedded has no ≤ or ≥).
func rangeText(lo, hi *float64, unit string) string {
	switch {
	case lo != nil && hi != nil && *lo == *hi:
		return numText(lo, unit)
	case lo != nil && hi != nil:
		return gis.FormatVN(*lo, figDecimals(*lo)) + "–" + numText(hi, unit)
	case hi != nil:
		return "tối đa " + numText(hi, unit)
	case lo != nil:
		return "tối thiểu " + numText(lo, unit)
	}
	return "không nêu"
}

// figDecimals is 0 for a whole figure, else as many as it needs up to 2.
func figDecimals(v float64) int {
	for d := 0; d < 2; d++ {
		k := math.Pow(10, float64(d))
		if math.Abs(v*k-math.Round(v*k)) < 1e-9 {
			return d
		}
	}
	return 2
}
