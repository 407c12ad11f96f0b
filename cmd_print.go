package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"quyhoach/assets"
	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/gis/diff"
	"quyhoach/gis/render"
	"quyhoach/gis/sheet"
	"quyhoach/store"
	"quyhoach/ui"
)

func init() {
	register(command{"print", "print --plan CODE [--version N | --dossier ID] [--scale N] [--paper A0..A4] [--landscape] [--center LON,LAT | --fit] [--atlas] [--compare] -o FILE.pdf: map sheets as vector PDF", cmdPrint})
}

// Defaults of the title block: the bodies of the zone's plans (DOMAIN.md).
const (
	defaultApproving  = "UBND tỉnh Lạng Sơn"
	defaultAppraising = "Sở Xây dựng tỉnh Lạng Sơn"
	defaultOrganising = "Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng – Lạng Sơn"
	defaultDrawing    = "Bản đồ quy hoạch tổng mặt bằng sử dụng đất"
)

type printFlags struct {
	plan, paper, center, out, title, drawingNo, date  string
	consultant, lead, designer, checker, lots         string
	version                                           int
	dossier                                           int64
	scale                                             float64
	landscape, fit, adjusted, atlas, compare, balance bool
	noLabels                                          bool
	set                                               map[string]bool
}

func cmdPrint(ctx context.Context, c *cli, args []string) error {
	const usage = "print --plan CODE [--version N | --dossier ID] [--scale N] [--paper A0|A1|A2|A3|A4] [--landscape] [--center LON,LAT | --fit | --adjusted | --lots CODES] [--atlas] [--compare] [--balance] [--title TEXT] [--drawing-no TEXT] -o FILE.pdf"
	fs := c.flags(usage)
	var p printFlags
	fs.StringVar(&p.plan, "plan", "", "plan code")
	fs.IntVar(&p.version, "version", 0, "version (default: current)")
	fs.Int64Var(&p.dossier, "dossier", 0, "print a dossier's proposal, its adjusted area highlighted")
	fs.Float64Var(&p.scale, "scale", 0, "scale denominator N of 1/N (default: the largest standard scale that fits; 1/500 for --atlas)")
	fs.StringVar(&p.paper, "paper", "A3", "paper: A0, A1, A2, A3 or A4")
	fs.BoolVar(&p.landscape, "landscape", false, "landscape sheet")
	fs.StringVar(&p.center, "center", "", "centre the map on LON,LAT (WGS84) at --scale (default: the plan's scale)")
	fs.BoolVar(&p.fit, "fit", false, "fit the whole plan (the default)")
	fs.BoolVar(&p.adjusted, "adjusted", false, "fit the dossier's adjusted area")
	fs.StringVar(&p.lots, "lots", "", "fit a selection: lot codes (maDoiTuong), comma-separated")
	fs.BoolVar(&p.atlas, "atlas", false, "tile the plan over as many sheets as needed, with an index sheet")
	fs.BoolVar(&p.compare, "compare", false, "two pages: the approved base and the dossier's adjustment")
	fs.BoolVar(&p.balance, "balance", false, "add the land-use balance table")
	fs.BoolVar(&p.noLabels, "no-labels", false, "leave lots unlabelled")
	fs.StringVar(&p.title, "title", "", "drawing name (default: "+defaultDrawing+")")
	fs.StringVar(&p.drawingNo, "drawing-no", "QH-01", "drawing number")
	fs.StringVar(&p.date, "date", "", "date in the title block, dd/mm/yyyy (default: today)")
	fs.StringVar(&p.consultant, "consultant", "", "consultant (đơn vị tư vấn)")
	fs.StringVar(&p.lead, "lead", "", "project lead (chủ nhiệm đồ án)")
	fs.StringVar(&p.designer, "designer", "", "designer (thiết kế)")
	fs.StringVar(&p.checker, "checker", "", "checker (kiểm tra)")
	fs.StringVar(&p.out, "o", "", "output PDF file")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	p.set = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { p.set[f.Name] = true })
	if p.out == "" {
		return usageErr("need -o FILE.pdf")
	}
	if err := p.check(); err != nil {
		return err
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	doc, err := p.document(ctx, st)
	if err != nil {
		return err
	}
	if err := writeFileAtomic(p.out, func(f *os.File) error {
		if err := f.Chmod(0o644); err != nil { // a document to share, not a secret
			return err
		}
		return doc.Write(f)
	}); err != nil {
		return err
	}
	l := doc.Sheets[len(doc.Sheets)-1].Layout
	orient := "portrait"
	if l.Landscape {
		orient = "landscape"
	}
	fmt.Fprintf(c.stdout, "%s: %d sheet(s), %s %s, %s\n", p.out, len(doc.Sheets), l.Paper.Name, orient, l.ScaleText())
	return nil
}

// check refuses contradictory or impossible requests before any work.
func (p *printFlags) check() error {
	switch {
	case p.plan == "":
		return usageErr("need --plan")
	case p.set["version"] && p.set["dossier"]:
		return usageErr("--version and --dossier exclude each other")
	case p.set["scale"] && !(p.scale > 0) || math.IsInf(p.scale, 0):
		return usageErr("--scale %g: want a denominator greater than 0 (1/N)", p.scale)
	case p.center != "" && (p.fit || p.adjusted || p.lots != ""):
		return usageErr("--center and --fit/--adjusted/--lots exclude each other")
	case p.adjusted && p.lots != "":
		return usageErr("--adjusted and --lots exclude each other")
	case p.atlas && (p.center != "" || p.compare || p.adjusted || p.lots != ""):
		return usageErr("--atlas tiles the whole plan: no --center, --adjusted, --lots or --compare")
	case p.compare && p.dossier == 0:
		return usageErr("--compare needs --dossier")
	case p.adjusted && p.dossier == 0:
		return usageErr("--adjusted needs --dossier")
	}
	if _, err := sheet.PaperByName(p.paper); err != nil {
		return usageErr("--paper: %v", strings.TrimPrefix(err.Error(), "sheet: "))
	}
	if p.date != "" {
		if _, err := time.Parse("2/1/2006", p.date); err != nil {
			return usageErr("--date %q: want dd/mm/yyyy", p.date)
		}
	}
	return nil
}

// printSide is one state of the plan drawn on a sheet.
type printSide struct {
	side
	lots, boundary, lines []gis.Feature
	changed               []gis.Feature // features the dossier (or the version's dossier) changed
	before                []gis.Feature // lots before those changes
	adjBefore, adjAfter   []gis.Feature // the adjusted area's lots before and after
	dossier               *store.Dossier
}

func loadPrintSide(ctx context.Context, st *store.Store, plan, spec string) (printSide, error) {
	s, err := loadSide(ctx, st, plan, spec)
	if err != nil {
		return printSide{}, err
	}
	ps := printSide{side: s, lots: s.projected(gis.LandUseLayer), boundary: s.projected(gis.BoundaryLayer), dossier: s.dossier}
	for _, l := range s.snap.Layers {
		if strings.HasSuffix(l.Name, "_L") {
			ps.lines = append(ps.lines, s.projected(l.Name)...)
		}
	}
	// The adjusted area: what a dossier changes against its base, or what
	// the dossier that made this version changed against its parent.
	base := 0
	switch {
	case s.dossier != nil:
		base = s.dossier.Base
	case s.snap.Version.Dossier != 0 && s.snap.Version.Parent != 0:
		base = s.snap.Version.Parent
		if d, err := st.Dossier(ctx, s.snap.Version.Dossier); err == nil {
			ps.dossier = &d
		}
	}
	if base != 0 {
		b, err := loadSide(ctx, st, plan, strconv.Itoa(base))
		if err != nil {
			return ps, err
		}
		ps.before = b.projected(gis.LandUseLayer)
		res := diff.Layers(ps.before, ps.lots, diff.Lineage(s.snap.Lineage))
		old, now := diff.AdjustedArea(res)
		ps.adjBefore, ps.adjAfter = old, now
		ps.changed = append(append([]gis.Feature(nil), now...), old...)
	}
	return ps, nil
}

// extentOf returns the bound of the first list with geometry: the plan's
// boundary, else its lots.
func extentOf(fs ...[]gis.Feature) (orb.Bound, bool) {
	var b orb.Bound
	ok := false
	for _, l := range fs {
		for _, f := range l {
			if f.Geometry == nil {
				continue
			}
			if !ok {
				b, ok = f.Geometry.Bound(), true
			} else {
				b = b.Union(f.Geometry.Bound())
			}
		}
		if ok {
			return b, true
		}
	}
	return b, false
}

func (p *printFlags) document(ctx context.Context, st *store.Store) (*sheet.Document, error) {
	spec := versionOrDossier(p.version, p.dossier)
	now, err := loadPrintSide(ctx, st, p.plan, spec)
	if err != nil {
		return nil, err
	}
	if len(now.lots) == 0 {
		return nil, usageErr("%s of plan %s has no lots (%s) to print", now.label, p.plan, gis.LandUseLayer)
	}
	cat, err := catalogue()
	if err != nil {
		return nil, err
	}
	planExt, _ := extentOf(now.boundary, now.lots)
	o := sheet.Options{Paper: p.paper, Landscape: p.landscape, Scale: p.scale}
	var layouts []sheet.Layout
	switch {
	case p.atlas:
		layouts, err = atlasLayouts(o, planExt, now)
	case p.center != "":
		var c orb.Point
		if c, err = parseCenter(p.center); err != nil {
			return nil, err
		}
		if o.Scale == 0 {
			o.Scale = float64(now.snap.Plan.Scale)
		}
		if o.Scale <= 0 {
			o.Scale = 2000
		}
		var l sheet.Layout
		l, err = sheet.New(o, c)
		layouts = []sheet.Layout{l}
	default:
		ext := planExt
		if p.lots != "" {
			if ext, err = selection(now.lots, p.lots); err != nil {
				return nil, err
			}
		}
		if p.adjusted {
			var ok bool
			if ext, ok = extentOf(now.changed); !ok {
				return nil, usageErr("dossier %d changes no geometry to fit", p.dossier)
			}
		}
		var l sheet.Layout
		l, err = sheet.Fit(o, ext)
		layouts = []sheet.Layout{l}
	}
	if err != nil {
		var tm *sheet.TooManySheetsError
		if errors.As(err, &tm) || errors.Is(err, sheet.ErrScale) || errors.Is(err, sheet.ErrEmpty) || strings.Contains(err.Error(), "does not fit") {
			return nil, usageErr("%s", strings.TrimPrefix(err.Error(), "sheet: "))
		}
		return nil, err
	}
	classOf := func(f gis.Feature) diff.Class {
		if cl, ok := cat.Of(f); ok {
			return diff.Class{Code: cl.Code, Name: cl.NameVI}
		}
		return diff.Class{Code: f.String("phanLoai"), Name: f.String("phanLoai")}
	}
	var bal, adj *diff.Balance
	if p.balance {
		b := diff.BalanceOf(now.lots, classOf, cat.Codes())
		if now.before != nil {
			b = diff.Compare(now.before, now.lots, classOf, cat.Codes())
			a := diff.Compare(now.adjBefore, now.adjAfter, classOf, cat.Codes())
			adj = &a
		}
		bal = &b
	}
	tb := p.titleBlock(now)
	note := ""
	if strings.Contains(strings.ToLower(now.snap.Plan.Note), "illustrative") {
		note = "Dữ liệu minh họa, không phải hình học chính thức của đồ án"
	}
	page := func(l sheet.Layout, s printSide, t sheet.TitleBlock) sheet.Sheet {
		return sheet.Sheet{
			Layout:   l,
			Title:    t,
			Map:      render.Map{Lots: s.lots, Lines: s.lines, Boundary: s.boundary, Highlight: s.changed, Labels: !p.noLabels},
			Plan:     planOutline(s),
			Balance:  bal,
			Adjusted: adj,
			Note:     note,
		}
	}
	doc := &sheet.Document{Title: tb.DrawingName + " – " + now.snap.Plan.Name, Created: time.Now(), Catalogue: cat,
		Fonts: render.Fonts{Regular: assets.FontRegular, Bold: assets.FontBold}}
	switch {
	case p.atlas:
		idx, err := sheet.Fit(sheet.Options{Paper: p.paper, Landscape: p.landscape}, planExt)
		if err != nil {
			return nil, usageErr("index sheet: %s", strings.TrimPrefix(err.Error(), "sheet: "))
		}
		t := tb
		t.DrawingName = "Sơ đồ phân mảnh – " + tb.DrawingName
		t.DrawingNo = tb.DrawingNo + "/0"
		ix := page(idx, now, t)
		ix.Map.Labels = false
		for i, l := range layouts {
			ix.Tiles = append(ix.Tiles, sheet.Tile{Extent: l.Extent(), Label: strconv.Itoa(i + 1)})
		}
		doc.Sheets = append(doc.Sheets, ix)
		for i, l := range layouts {
			t := tb
			t.DrawingName = fmt.Sprintf("%s – mảnh %d/%d", tb.DrawingName, i+1, len(layouts))
			t.DrawingNo = fmt.Sprintf("%s/%d", tb.DrawingNo, i+1)
			doc.Sheets = append(doc.Sheets, page(l, now, t))
		}
	case p.compare:
		base, err := loadPrintSide(ctx, st, p.plan, strconv.Itoa(now.dossier.Base))
		if err != nil {
			return nil, err
		}
		base.changed = now.changed // the same area outlined on both pages
		base.dossier = nil
		bt := p.titleBlock(base)
		bt.DrawingName = "Quy hoạch đã phê duyệt (trước điều chỉnh) – " + bt.DrawingName
		bt.DrawingNo = tb.DrawingNo + "a"
		at := tb
		at.DrawingName = "Quy hoạch điều chỉnh – " + tb.DrawingName
		at.DrawingNo = tb.DrawingNo + "b"
		doc.Sheets = append(doc.Sheets, page(layouts[0], base, bt), page(layouts[0], now, at))
	default:
		doc.Sheets = append(doc.Sheets, page(layouts[0], now, tb))
	}
	return doc, nil
}

// selection is the extent of the lots named by codes ("CN-01,CN-02").
func selection(lots []gis.Feature, codes string) (orb.Bound, error) {
	want := map[string]bool{}
	for _, c := range strings.Split(codes, ",") {
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
		return orb.Bound{}, usageErr("--lots: no lot %s in the plan", strings.Join(missing, ", "))
	}
	b, _ := extentOf(sel)
	return b, nil
}

// atlasLayouts tiles the plan, keeping the tiles with lots on them.
func atlasLayouts(o sheet.Options, ext orb.Bound, s printSide) ([]sheet.Layout, error) {
	return sheet.Atlas(o, ext, func(e orb.Bound) bool {
		for _, f := range s.lots {
			if sheet.Touches(f.Geometry, e) {
				return true
			}
		}
		return false
	})
}

// planOutline is what the location inset draws: the boundary, else the lots.
func planOutline(s printSide) []gis.Feature {
	if len(s.boundary) > 0 {
		return s.boundary
	}
	return s.lots
}

// parseCenter reads LON,LAT (WGS84) and returns it in EPSG:9215 metres.
func parseCenter(s string) (orb.Point, error) {
	a, b, ok := strings.Cut(s, ",")
	lon, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
	lat, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
	if !ok || err1 != nil || err2 != nil || math.Abs(lon) > 180 || math.Abs(lat) > 90 {
		return orb.Point{}, usageErr("--center %q: want LON,LAT in degrees (WGS84), e.g. 106.71083,21.97111", s)
	}
	tr, err := crs.New(crs.WGS84, crs.TM3LangSon)
	if err != nil {
		return orb.Point{}, err
	}
	return tr(orb.Point{lon, lat}), nil
}

// titleBlock fills the khung tên from the plan, the dossier and the version.
func (p *printFlags) titleBlock(s printSide) sheet.TitleBlock {
	t := sheet.TitleBlock{
		ApprovingBody: defaultApproving, AppraisingBody: defaultAppraising, OrganisingBody: defaultOrganising,
		Consultant: p.consultant, Lead: p.lead, Designer: p.designer, Checker: p.checker,
		PlanName: s.snap.Plan.Name, DrawingName: defaultDrawing, DrawingNo: p.drawingNo, Date: p.date,
	}
	if p.title != "" {
		t.DrawingName = p.title
	}
	if t.Date == "" {
		t.Date = time.Now().Format("02/01/2006")
	}
	v := s.snap.Version
	if s.side.dossier == nil && v.DecisionNo != "" { // an approved version
		t.DecisionNo, t.DecisionDate = decisionText(v.DecisionNo), vnDate(v.DecisionDate)
	}
	if d := s.dossier; d != nil {
		switch d.Kind {
		case "local":
			t.Adjustment = "Điều chỉnh cục bộ"
		case "overall":
			t.Adjustment = "Điều chỉnh tổng thể"
		}
		for _, tr := range d.Transitions {
			switch tr.To {
			case store.Submitted:
				if isBody(tr.By) {
					t.OrganisingBody = tr.By
				}
			case store.Appraising, store.Appraised:
				if isBody(tr.By) {
					t.AppraisingBody = tr.By
				}
			case store.Approved:
				if isBody(tr.By) {
					t.ApprovingBody = tr.By
				}
				if tr.DocNo != "" {
					t.DecisionNo, t.DecisionDate = decisionText(tr.DocNo), vnDate(tr.DocDate)
				}
			}
		}
	}
	return t
}

// decisionText writes a decision number as the drawings cite it.
func decisionText(no string) string {
	if strings.HasPrefix(strings.ToLower(no), "quyết định") {
		return no
	}
	return "Quyết định số " + no
}

// vnDate turns 2024-09-06 into 06/9/2024, the way decisions are cited.
func vnDate(iso string) string {
	d, err := time.Parse("2006-01-02", iso)
	if err != nil {
		return iso
	}
	return fmt.Sprintf("%02d/%d/%d", d.Day(), int(d.Month()), d.Year())
}

// guiPrinter gives the window's print dialog the print command's sheets.
func guiPrinter(st *store.Store) ui.Printer {
	return func(ctx context.Context, r ui.PrintRequest) (*sheet.Document, error) {
		p := printFlags{plan: r.Plan, version: r.Version, dossier: r.Dossier, paper: r.Paper, landscape: r.Landscape,
			scale: r.Scale, adjusted: r.Adjusted, atlas: r.Atlas, compare: r.Compare, balance: r.Balance,
			title: r.Title, drawingNo: r.DrawingNo, set: map[string]bool{}}
		if r.Scale != 0 {
			p.set["scale"] = true
		}
		if err := p.check(); err != nil {
			return nil, err
		}
		return p.document(ctx, st)
	}
}

// isBody tells an organisation's name ("Sở Xây dựng") from a login name
// ("root"), the default of --by: only the former goes in the title block.
func isBody(by string) bool { return strings.ContainsRune(strings.TrimSpace(by), ' ') }
