package plan

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"

	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/gis/diff"
	"quyhoach/gis/landuse"
	"quyhoach/gis/render"
	"quyhoach/gis/sheet"
	"quyhoach/store"
)

// DefaultDrawingName is the drawing name of a sheet not given one.
const DefaultDrawingName = "Bản đồ quy hoạch tổng mặt bằng sử dụng đất"

// PrintRequest is what a print asks for: the same choices in the CLI's
// print command and the window's print dialog.
type PrintRequest struct {
	Plan      string
	Ref       Ref
	Paper     string // A0 … A4
	Landscape bool
	Scale     float64 // denominator; 0: the largest standard scale that fits (1/500 for an atlas)
	// Center, when set, centres the map on this WGS84 lon/lat point at
	// Scale (default the plan's scale) instead of fitting.
	Center   *orb.Point
	Adjusted bool     // fit the dossier's adjusted area
	Lots     []string // fit these lots (codes)
	Atlas    bool     // tile the plan with an index sheet
	Compare  bool     // the approved base and the adjustment on two pages
	Balance  bool     // add the land-use balance table
	NoLabels bool
	// Lang is the language of the sheets' words and numbers: "" or "vi"
	// (official sheets, the default), or "en" on request.
	Lang string
	// Title block: empty fields take the defaults (DefaultDrawingName,
	// drawing number QH-01, today's date, the plan's agencies and consultant).
	DrawingName, DrawingNo, Date        string // Date: dd/mm/yyyy
	Consultant, Lead, Designer, Checker string
	Agencies                            Agencies
	Now                                 func() time.Time // the clock; nil: time.Now
}

// RequestError is a request that cannot be met as asked: contradictory
// choices, a scale at which the plan does not fit, a lot that is not there.
// Options names the request's options at fault ("scale", "center", "lots",
// "adjusted", "atlas", "compare", "paper", "date"), so each face can name
// them its own way (the CLI as flags: --scale).
type RequestError struct {
	Options []string
	format  string // %s for each option, then args
	args    []any
}

func (e *RequestError) Error() string { return e.Text(func(o string) string { return o }) }

// Text writes the message with each option named by name.
func (e *RequestError) Text(name func(option string) string) string {
	args := make([]any, 0, len(e.Options)+len(e.args))
	for _, o := range e.Options {
		args = append(args, name(o))
	}
	return fmt.Sprintf(e.format, append(args, e.args...)...)
}

// badRequest is a RequestError about options; format has a %s for each.
func badRequest(options []string, format string, args ...any) error {
	return &RequestError{options, format, args}
}

// Check refuses contradictory or impossible requests before any work.
func (r PrintRequest) Check() error {
	opts := func(o ...string) []string { return o }
	switch {
	case r.Plan == "":
		return badRequest(opts("plan"), "need a %s")
	case r.Scale < 0 || math.IsNaN(r.Scale) || math.IsInf(r.Scale, 0):
		return badRequest(opts("scale"), "%s %g: want a denominator greater than 0 (1/N)", r.Scale)
	case r.Center != nil && r.Adjusted:
		return badRequest(opts("center", "adjusted"), "%s and %s exclude each other")
	case r.Center != nil && len(r.Lots) > 0:
		return badRequest(opts("center", "lots"), "%s and %s exclude each other")
	case r.Adjusted && len(r.Lots) > 0:
		return badRequest(opts("adjusted", "lots"), "%s and %s exclude each other")
	case r.Atlas && (r.Center != nil || r.Compare || r.Adjusted || len(r.Lots) > 0):
		return badRequest(opts("atlas"), "%s tiles the whole plan: no centre, adjusted area, lots or compare")
	case r.Compare && r.Ref.Dossier == 0:
		return badRequest(opts("compare", "dossier"), "%s needs %s")
	case r.Lang != "" && r.Lang != "vi" && r.Lang != "en":
		return badRequest(opts("lang"), "%s %q: want vi or en", r.Lang)
	case r.Adjusted && r.Ref.Dossier == 0:
		return badRequest(opts("adjusted", "dossier"), "%s needs %s")
	}
	if _, err := sheet.PaperByName(r.Paper); err != nil {
		return badRequest(opts("paper"), "%s: %s", strings.TrimPrefix(err.Error(), "sheet: "))
	}
	if r.Center != nil && (math.Abs(r.Center[0]) > 180 || math.Abs(r.Center[1]) > 90) {
		return badRequest(opts("center"), "%s %g,%g: want longitude, latitude in degrees (WGS84)", r.Center[0], r.Center[1])
	}
	if r.Date != "" {
		if _, err := time.Parse("2/1/2006", r.Date); err != nil {
			return badRequest(opts("date"), "%s %q: want dd/mm/yyyy", r.Date)
		}
	}
	return nil
}

// printState is a state with what its sheets need beside it.
type printState struct {
	*State
	adj     *Comparison    // what its dossier changes, or nil
	dossier *store.Dossier // the dossier behind it (its own, or the one that made its version)
	changed []gis.Feature  // the adjusted area outlined

	// A plan walked rather than loaded (print_walk.go): State holds its
	// boundary and line layers, its lots are walked for each sheet.
	walk           render.Walk
	lotCount       int
	lotsExt        orb.Bound
	lotsEmpty      bool // no lot has geometry
	walkedBalances *sheetBalances
	lotsMemo       *lotsMemo
}

// lots is how many lots the state has.
func (s printState) lots() int {
	if s.walk != nil {
		return s.lotCount
	}
	return len(s.Lots())
}

// extent is State.Extent, a walked plan's lots included.
func (s printState) extent() (orb.Bound, bool) {
	if s.walk != nil && len(s.BoundaryFeatures()) == 0 {
		return s.lotsExt, !s.lotsEmpty
	}
	return s.Extent()
}

func openPrintState(ctx context.Context, src Source, cat *landuse.Catalogue, code string, ref Ref) (printState, error) {
	s, err := Open(ctx, src, code, ref)
	if err != nil {
		return printState{}, err
	}
	ps := printState{State: s}
	if ps.adj, err = Adjustment(ctx, src, s, cat); err != nil {
		return ps, err
	}
	if ps.adj != nil {
		ps.changed = ps.adj.Changed()
		if ps.dossier, err = AdjustingDossier(ctx, src, s); err != nil && !errors.Is(err, store.ErrNotFound) {
			return ps, err
		}
	}
	return ps, nil
}

// Sheets builds the sheets of a print request.
func Sheets(ctx context.Context, src Source, cat *landuse.Catalogue, fonts render.Fonts, r PrintRequest) (*sheet.Document, error) {
	doc, _, err := SheetsFit(ctx, src, cat, fonts, r)
	return doc, err
}

// Fit tells whether the ground a print request fits (the plan, the
// adjusted area or the lots) shows whole on its sheet at the scale asked,
// and the ways to print it whole when it does not.
type Fit struct {
	Fits   bool
	Scale  float64   // the sheet's scale, denominator
	Ground orb.Bound // what the sheet was to show, EPSG:9215 metres
	// FitScale is the scale at which Ground fits one sheet of the paper
	// asked, as a request without a scale chooses it (0: none).
	FitScale float64
	// AtlasSheets is how many sheets an atlas of the plan at Scale takes,
	// its index sheet included: 0 when the request cannot be an atlas
	// (adjusted area, lots, compare) or it would take too many.
	AtlasSheets int
}

// SheetsFit builds the sheets of a print request as Sheets does and says
// how what they fit fits them: a request with a scale at which the plan
// does not fit the sheet is printed as asked (the map frame cropped), and
// Fit says so.
func SheetsFit(ctx context.Context, src Source, cat *landuse.Catalogue, fonts render.Fonts, r PrintRequest) (*sheet.Document, Fit, error) {
	if err := r.Check(); err != nil {
		return nil, Fit{}, err
	}
	now, walked, err := openPrintWalk(ctx, src, cat, r)
	if err == nil && !walked {
		now, err = openPrintState(ctx, src, cat, r.Plan, r.Ref)
	}
	if err != nil {
		return nil, Fit{}, err
	}
	if now.lots() == 0 {
		return nil, Fit{}, badRequest(nil, "%s of plan %s has no lots (%s) to print", now.Ref(), r.Plan, gis.LandUseLayer)
	}
	layouts, err := r.layouts(now)
	if err != nil {
		return nil, Fit{}, err
	}
	fit := r.fit(now, layouts[0])
	doc, err := r.sheets(ctx, src, cat, fonts, now, layouts)
	return doc, fit, err
}

// fit says how the ground of a request fitted to the plan, the adjusted
// area or lots lies on layout l: whole, or cropped (then the scale that
// fits and the atlas). A centred sheet or an atlas crops by design.
func (r PrintRequest) fit(s printState, l sheet.Layout) Fit {
	f := Fit{Fits: true, Scale: l.Scale}
	if r.Atlas || r.Center != nil {
		return f
	}
	ground, err := r.ground(s)
	if err != nil {
		return f
	}
	f.Ground = ground
	if e := l.Extent(); e.Min[0] <= ground.Min[0] && e.Min[1] <= ground.Min[1] && e.Max[0] >= ground.Max[0] && e.Max[1] >= ground.Max[1] {
		return f
	}
	f.Fits = false
	if fl, err := sheet.Fit(sheet.Options{Paper: r.Paper, Landscape: r.Landscape}, ground); err == nil {
		f.FitScale = fl.Scale
	}
	if !r.Adjusted && len(r.Lots) == 0 && !r.Compare {
		a := r
		a.Atlas = true
		if ls, err := a.layouts(s); err == nil {
			f.AtlasSheets = len(ls) + 1
		}
	}
	return f
}

// sheets draws the sheets of a request on the layouts placed.
func (r PrintRequest) sheets(ctx context.Context, src Source, cat *landuse.Catalogue, fonts render.Fonts, now printState, layouts []sheet.Layout) (*sheet.Document, error) {
	var err error
	b := r.balances(now, cat)
	clock := r.Now
	if clock == nil {
		clock = time.Now
	}
	if r.Agencies.Approver == "" {
		if r.Agencies, err = PlanAgencies(ctx, src, now.Plan); err != nil {
			return nil, err
		}
	}
	tb := r.titleBlock(now, clock())
	doc := &sheet.Document{Title: tb.DrawingName + " – " + now.Plan.Name, Created: clock(), Catalogue: cat, Fonts: fonts}
	page := func(l sheet.Layout, s printState, t sheet.TitleBlock) sheet.Sheet {
		return sheet.Sheet{Layout: l, Title: t, Plan: s.Outline(), LotsExtent: s.lotsExt, Balance: b.whole, Adjusted: b.adjusted,
			Note: r.word(illustrative(s.Plan)), Lang: r.Lang, Map: s.mapOf(!r.NoLabels)}
	}
	switch {
	case r.Atlas:
		return r.atlas(doc, now, layouts, tb, page)
	case r.Compare:
		base, err := r.openBase(ctx, src, cat, now)
		if err != nil {
			return nil, err
		}
		base.changed = now.changed // the same area outlined on both pages
		base.dossier = nil
		bt := r.titleBlock(base, clock())
		bt.DrawingName = r.word("Quy hoạch đã phê duyệt (trước điều chỉnh) – ") + bt.DrawingName
		bt.DrawingNo = tb.DrawingNo + "a"
		at := tb
		at.DrawingName = r.word("Quy hoạch điều chỉnh – ") + tb.DrawingName
		at.DrawingNo = tb.DrawingNo + "b"
		doc.Sheets = append(doc.Sheets, page(layouts[0], base, bt), page(layouts[0], now, at))
	default:
		doc.Sheets = append(doc.Sheets, page(layouts[0], now, tb))
	}
	return doc, nil
}

// openBase opens the approved version a compared dossier adjusts: walked
// as its proposal is, when that is walked (a million-lot base was loaded
// whole to draw the adjusted area's few hundred lots).
func (r PrintRequest) openBase(ctx context.Context, src Source, cat *landuse.Catalogue, now printState) (printState, error) {
	ref := Ref{Version: now.Dossier.Base}
	if now.walk != nil {
		b := r
		b.Ref, b.Compare, b.Balance, b.Adjusted = ref, false, false, false
		base, walked, err := openPrintWalk(ctx, src, cat, b)
		if err != nil || walked {
			return base, err
		}
	}
	return openPrintState(ctx, src, cat, r.Plan, ref)
}

// atlas adds the index sheet and the tiles of an atlas.
func (r PrintRequest) atlas(doc *sheet.Document, s printState, layouts []sheet.Layout, tb sheet.TitleBlock,
	page func(sheet.Layout, printState, sheet.TitleBlock) sheet.Sheet) (*sheet.Document, error) {
	ext, _ := s.Extent()
	idx, err := sheet.Fit(sheet.Options{Paper: r.Paper, Landscape: r.Landscape}, ext)
	if err != nil {
		return nil, badRequest(nil, "index sheet: %s", strings.TrimPrefix(err.Error(), "sheet: "))
	}
	t := tb
	t.DrawingName = r.word("Sơ đồ phân mảnh – ") + tb.DrawingName
	t.DrawingNo = tb.DrawingNo + "/0"
	ix := page(idx, s, t)
	ix.Map.Labels = false
	for i, l := range layouts {
		ix.Tiles = append(ix.Tiles, sheet.Tile{Extent: l.Extent(), Label: strconv.Itoa(i + 1)})
	}
	doc.Sheets = append(doc.Sheets, ix)
	for i, l := range layouts {
		t := tb
		t.DrawingName = fmt.Sprintf(r.word("%s – mảnh %d/%d"), tb.DrawingName, i+1, len(layouts))
		t.DrawingNo = fmt.Sprintf("%s/%d", tb.DrawingNo, i+1)
		doc.Sheets = append(doc.Sheets, page(l, s, t))
	}
	return doc, nil
}

// layouts places the map: an atlas's tiles, a centre at a scale, or a fit
// to the plan, the adjusted area or chosen lots.
func (r PrintRequest) layouts(s printState) ([]sheet.Layout, error) {
	o := sheet.Options{Paper: r.Paper, Landscape: r.Landscape, Scale: r.Scale}
	planExt, _ := s.extent()
	var ls []sheet.Layout
	var err error
	switch {
	case r.Atlas:
		keep := func(e orb.Bound) bool { return s.lotsExt.Intersects(e) } // a walked plan offers an atlas by its extent (Fit.AtlasSheets)
		if s.walk == nil {
			keep = touchesLots(s.Lots())
		}
		ls, err = sheet.Atlas(o, planExt, keep)
	case r.Center != nil:
		if o.Scale == 0 {
			o.Scale = float64(s.Plan.Scale)
		}
		if o.Scale <= 0 {
			o.Scale = 2000
		}
		tr, _ := crs.New(crs.WGS84, crs.TM3LangSon)
		var l sheet.Layout
		l, err = sheet.New(o, tr(*r.Center))
		ls = []sheet.Layout{l}
	default:
		var ext orb.Bound
		if ext, err = r.ground(s); err != nil {
			return nil, err
		}
		var l sheet.Layout
		l, err = sheet.Fit(o, ext)
		ls = []sheet.Layout{l}
	}
	var tm *sheet.TooManySheetsError
	if errors.As(err, &tm) || errors.Is(err, sheet.ErrScale) || errors.Is(err, sheet.ErrEmpty) || err != nil && strings.Contains(err.Error(), "does not fit") {
		return nil, badRequest(nil, "%s", strings.TrimPrefix(err.Error(), "sheet: "))
	}
	return ls, err
}

// ground is what a sheet fitted to the request shows whole: the plan, the
// chosen lots or the dossier's adjusted area.
func (r PrintRequest) ground(s printState) (orb.Bound, error) {
	switch {
	case len(r.Lots) > 0 && s.walk != nil:
		return s.walkedLotsExtent(r.Lots)
	case len(r.Lots) > 0:
		return lotsExtent(s.Lots(), r.Lots)
	case r.Adjusted:
		ext, ok := Extent(s.changed)
		if !ok {
			return ext, badRequest(nil, "dossier %d changes no geometry to fit", r.Ref.Dossier)
		}
		return ext, nil
	}
	ext, _ := s.extent()
	return ext, nil
}

// lotsExtent is the extent of the lots named by codes.
func lotsExtent(lots []gis.Feature, codes []string) (orb.Bound, error) {
	want := map[string]bool{}
	for _, c := range codes {
		if c = strings.TrimSpace(c); c != "" {
			want[c] = true
		}
	}
	var sel []gis.Feature
	found := map[string]bool{}
	for _, f := range lots {
		if c := f.String("maDoiTuong"); want[c] && f.Geometry != nil {
			sel = append(sel, f)
			found[c] = true
		}
	}
	var missing []string
	for c := range want {
		if !found[c] {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 || len(want) == 0 {
		sort.Strings(missing)
		return orb.Bound{}, badRequest([]string{"lots"}, "%s: no lot %s in the plan", strings.Join(missing, ", "))
	}
	b, _ := Extent(sel)
	return b, nil
}

// sheetBalances are the balance tables a sheet carries, when asked for.
type sheetBalances struct{ whole, adjusted *diff.Balance }

func (r PrintRequest) balances(s printState, cat *landuse.Catalogue) sheetBalances {
	if !r.Balance {
		return sheetBalances{}
	}
	if s.walkedBalances != nil {
		return *s.walkedBalances
	}
	if s.adj == nil {
		b := Balance(s.State, cat)
		return sheetBalances{whole: &b}
	}
	return sheetBalances{&s.adj.Whole, &s.adj.Adjusted}
}

// illustrative is the note under the map of a plan whose data are samples.
func illustrative(p store.Plan) string {
	if strings.Contains(strings.ToLower(p.Note), "illustrative") {
		return "Dữ liệu minh họa, không phải hình học chính thức của đồ án"
	}
	return ""
}

// titleBlock fills the khung tên from the request, the plan's agencies
// (r.Agencies), the dossier and the version: an agency a dossier's step
// recorded names that body on the drawing of the adjustment.
func (r PrintRequest) titleBlock(s printState, now time.Time) sheet.TitleBlock {
	ag := r.Agencies
	t := sheet.TitleBlock{
		ApprovingBody: ag.Approver, AppraisingBody: ag.Appraiser, OrganisingBody: ag.Proposer,
		Consultant: cmpOr(r.Consultant, ag.Consultant), Lead: r.Lead, Designer: r.Designer, Checker: r.Checker,
		PlanName: s.Plan.Name, DrawingName: cmpOr(r.DrawingName, r.word(DefaultDrawingName)), DrawingNo: cmpOr(r.DrawingNo, "QH-01"),
		Date: cmpOr(r.Date, now.Format("02/01/2006")), Seal: s.Plan.Seal,
	}
	if v := s.Version; s.State.Dossier == nil && v.DecisionNo != "" { // an approved version
		t.DecisionNo, t.DecisionDate = r.decisionText(v.DecisionNo), VNDate(v.DecisionDate)
	}
	if d := s.dossier; d != nil {
		switch d.Kind {
		case store.Local:
			t.Adjustment = r.word("Điều chỉnh cục bộ")
		case store.Overall:
			t.Adjustment = r.word("Điều chỉnh tổng thể")
		}
		t.OrganisingBody = cmpOr(stepAgency(d, store.Submitted), t.OrganisingBody)
		t.AppraisingBody = cmpOr(stepAgency(d, store.Appraising, store.Appraised), t.AppraisingBody)
		t.ApprovingBody = cmpOr(stepAgency(d, store.Approved), t.ApprovingBody)
		for _, tr := range d.Transitions {
			if tr.To == store.Approved && tr.From != store.Approved && tr.DocNo != "" {
				t.DecisionNo, t.DecisionDate = r.decisionText(tr.DocNo), VNDate(tr.DocDate)
			}
		}
	}
	return t
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// bodyOr is by when it names an organisation ("Sở Xây dựng"), else def:
// a login name ("root", the CLI's default --by) stays out of the title block.
func bodyOr(by, def string) string {
	if strings.ContainsRune(strings.TrimSpace(by), ' ') {
		return by
	}
	return def
}

// DecisionText writes a decision number as drawings cite it.
func DecisionText(no string) string {
	if strings.HasPrefix(strings.ToLower(no), "quyết định") {
		return no
	}
	return "Quyết định số " + no
}

// VNDate turns 2024-09-06 into 06/9/2024, the way decisions are cited.
func VNDate(iso string) string {
	d, err := time.Parse("2006-01-02", iso)
	if err != nil {
		return iso
	}
	return fmt.Sprintf("%02d/%d/%d", d.Day(), int(d.Month()), d.Year())
}

// touchesLots says whether a tile has a lot on it, through an R-tree of
// the lots' bounds: asking every lot for every tile took 20 s for the
// 960 tiles of 100 000 lots before the atlas was refused as too large.
func touchesLots(lots []gis.Feature) func(orb.Bound) bool {
	var tree rtree.RTreeG[int32]
	for i, f := range lots {
		if f.Geometry != nil {
			b := f.Geometry.Bound()
			tree.Insert(b.Min, b.Max, int32(i))
		}
	}
	return func(e orb.Bound) bool {
		on := false
		tree.Search(e.Min, e.Max, func(_, _ [2]float64, i int32) bool {
			on = sheet.Touches(lots[i].Geometry, e)
			return !on
		})
		return on
	}
}
