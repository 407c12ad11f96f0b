package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/paulmach/orb"

	"quyhoach/atomicfile"
	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/gis/landuse"
	"quyhoach/gis/topo"
	"quyhoach/plan"
	"quyhoach/store"
)

func init() {
	register(command{"info", "info --plan CODE (--at LON,LAT | --at X,Y --crs EPSG:9215 | --site FILE | --lots C1,C2) [--json | -o sheet.pdf --requester NAME]: planning information for a site; info list, info copy", cmdInfo})
	register(command{"conform", "conform --plan CODE --project FILE [--json | --csv | -o report.pdf --requester NAME]: a project's conformity with the plan (exit 1 if not)", cmdConform})
}

const infoUsage = `usage:
  quyhoach info --plan CODE (--at LON,LAT | --at X,Y --crs EPSG:9215 | --site FILE [--table T] [--crs EPSG:N] | --lots C1,C2)
                [--version N] [--json | -o sheet.pdf --requester NAME [--address A] [--purpose P] [--requested YYYY-MM-DD] [--by NAME] [--scale 500|2000]]
  quyhoach info list [--plan CODE] [--kind info|conform] [--year YYYY] [--json]
  quyhoach info copy --number N [--year YYYY] [--kind info|conform] -o FILE`

// issueFlags are the flags of an issued document: who asked, who answers,
// the map extract's scale, the output file.
type issueFlags struct {
	meta  plan.IssueMeta
	out   *string
	scale *float64
}

func addIssueFlags(fs *flag.FlagSet, who string) *issueFlags {
	f := &issueFlags{}
	fs.StringVar(&f.meta.Requester, "requester", "", who+" (recorded, printed on the document)")
	fs.StringVar(&f.meta.Address, "address", "", "the requester's address")
	fs.StringVar(&f.meta.Purpose, "purpose", "", "purpose of the request")
	fs.StringVar(&f.meta.Requested, "requested", "", "date of the request, YYYY-MM-DD")
	fs.StringVar(&f.meta.By, "by", currentUser(), "who answers (recorded; a full name is printed for the signature)")
	f.scale = fs.Float64("scale", 0, "scale 1/N of the map extract (default: 1/500 or 1/2000, whichever shows the site)")
	f.out = fs.String("o", "", "write the document as PDF, numbered and recorded in the store")
	return f
}

// check refuses an incomplete request for a document.
func (f *issueFlags) check() error {
	switch {
	case *f.out == "":
		return nil
	case strings.TrimSpace(f.meta.Requester) == "":
		return usageErr("-o needs --requester NAME: who asked is recorded with the document")
	case *f.scale < 0:
		return usageErr("--scale %g: want a denominator greater than 0", *f.scale)
	}
	if f.meta.Requested != "" {
		if _, err := time.Parse(time.DateOnly, f.meta.Requested); err != nil {
			return usageErr("--requested %q: want YYYY-MM-DD", f.meta.Requested)
		}
	}
	f.meta.Scale = *f.scale
	return nil
}

func cmdInfo(ctx context.Context, c *cli, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "list":
			return infoList(ctx, c, args[1:])
		case "copy":
			return infoCopy(ctx, c, args[1:])
		}
	}
	fs := c.flags(infoUsage)
	fs.Usage = func() { fmt.Fprintln(c.stderr, infoUsage) }
	code := fs.String("plan", "", "plan code")
	version := fs.Int("version", 0, "answer from this version (default: the current one)")
	at := fs.String("at", "", "a point: LON,LAT (WGS84), or X,Y (northing, easting) with --crs EPSG:9215")
	site := fs.String("site", "", "a site file: GeoJSON, GeoPackage (or the formats import reads)")
	table := fs.String("table", "", "GeoPackage: the table of the site")
	lots := fs.String("lots", "", "lot codes (maDoiTuong), comma-separated")
	var cf crsFlag
	fs.Var(&cf, "crs", "CRS of --at or of the site file when it does not say: EPSG:4326, EPSG:9215, EPSG:3405")
	asJSON := fs.Bool("json", false, "print JSON")
	iss := addIssueFlags(fs, "who asked")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	given := 0
	for _, s := range []string{*at, *site, *lots} {
		if s != "" {
			given++
		}
	}
	switch {
	case *code == "":
		return usageErr("need --plan")
	case given != 1:
		return usageErr("give one site: --at, --site or --lots")
	case *asJSON && *iss.out != "":
		return usageErr("--json and -o exclude each other")
	case *table != "" && *site == "":
		return usageErr("--table goes with --site")
	}
	if err := iss.check(); err != nil {
		return err
	}
	var s plan.Site
	var err error
	switch {
	case *at != "":
		p, err := parseAt(*at, cf.code)
		if err != nil {
			return err
		}
		s.Point = &p
	case *site != "":
		l, err := readProjected(ctx, *site, *table, "KhuDat_A", cf.code)
		if err != nil {
			return err
		}
		if s.Area, err = plan.SiteArea(*site, l); err != nil {
			return siteErr(err)
		}
		s.Label = "theo tệp " + filepath.Base(*site)
	default:
		for _, l := range strings.Split(*lots, ",") {
			if l = strings.TrimSpace(l); l != "" {
				s.Lots = append(s.Lots, l)
			}
		}
		if len(s.Lots) == 0 {
			return usageErr("--lots %q: no lot code", *lots)
		}
	}
	st, ix, cat, err := openIndex(ctx, c, *code, *version)
	if err != nil {
		return err
	}
	defer st.Close()
	info, err := plan.SiteInfo(ctx, st, ix, s, cat)
	if err = siteErr(err); err != nil {
		return err
	}
	switch {
	case *asJSON:
		b, err := info.JSON()
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(c.stdout, "%s\n", b)
		return err
	case *iss.out != "":
		is, doc, err := plan.IssueInfo(ctx, st, info, iss.meta, fonts, cat)
		if err := writeIssued(*iss.out, is, doc, err); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "%s: thông tin quy hoạch số %d/%s năm %d, %s, %s of plan %s; recorded in the store\n",
			*iss.out, is.Number, plan.InfoSuffix, is.Year, plural(len(info.Lots), "lot"), "version "+strconv.Itoa(info.Version.Number), *code)
		return nil
	}
	printInfo(c, info)
	return nil
}

// openIndex opens the store and indexes a version of a plan (0: the
// current one) for questions about sites; the caller closes the store.
func openIndex(ctx context.Context, c *cli, code string, version int) (*store.Store, *plan.SiteIndex, *landuse.Catalogue, error) {
	cat, err := catalogue()
	if err != nil {
		return nil, nil, nil, err
	}
	st, err := c.open(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	s, err := plan.Open(ctx, st, code, plan.Ref{Version: version})
	if err != nil {
		st.Close()
		return nil, nil, nil, err
	}
	return st, plan.NewSiteIndex(s), cat, nil
}

// writeIssued writes a recorded document to -o, whole; if that fails the
// error says how to get the copy the store keeps.
func writeIssued(path string, is store.Issue, doc []byte, err error) error {
	if err = siteErr(err); err != nil {
		return err
	}
	if err := atomicfile.Write(path, func(f *os.File) error { _, err := f.Write(doc); return err }); err != nil {
		return fmt.Errorf("%w (the document is recorded as number %d of %d: quyhoach info copy --kind %s --number %d --year %d -o FILE)",
			err, is.Number, is.Year, is.Kind, is.Number, is.Year)
	}
	return nil
}

// siteErr turns a site or request the plan layer refuses into bad input.
func siteErr(err error) error {
	var se *plan.SiteError
	var re *plan.RequestError
	var na *plan.NotApprovedError
	switch {
	case errors.As(err, &re):
		return usageErr("%s", re.Text(func(o string) string { return "--" + o }))
	case errors.As(err, &se), errors.As(err, &na), errors.Is(err, plan.ErrNoSite):
		return usageErr("%v", err)
	}
	return err
}

// parseAt reads --at: LON,LAT in WGS84, or with a VN-2000 --crs X,Y as
// survey tables write them (X the northing, Y the easting). It returns the
// point in EPSG:9215.
func parseAt(s string, c crs.Code) (orb.Point, error) {
	a, b, ok := strings.Cut(s, ",")
	u, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
	v, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
	if !ok || err1 != nil || err2 != nil {
		return orb.Point{}, usageErr("--at %q: want LON,LAT in degrees, or X,Y in metres with --crs EPSG:9215", s)
	}
	if c == 0 || c == crs.WGS84 {
		if u < -180 || u > 180 || v < -90 || v > 90 {
			return orb.Point{}, usageErr("--at %q: not LON,LAT in degrees; for VN-2000 X,Y in metres give --crs EPSG:9215", s)
		}
		tr, _ := crs.New(crs.WGS84, crs.TM3LangSon)
		return tr(orb.Point{u, v}), nil
	}
	if u < v { // a northing here is millions of metres, an easting hundreds of thousands
		return orb.Point{}, usageErr("--at %q: VN-2000 tables write X (northing) before Y (easting); X %s < Y %s looks like easting first: did you mean --at %s,%s?",
			s, strings.TrimSpace(a), strings.TrimSpace(b), strings.TrimSpace(b), strings.TrimSpace(a))
	}
	tr, err := crs.New(c, crs.TM3LangSon)
	if err != nil {
		return orb.Point{}, usageErr("--crs %s: %v", c, err)
	}
	return tr(orb.Point{v, u}), nil
}

// readProjected reads a layer of polygons from a file into EPSG:9215.
func readProjected(ctx context.Context, path, table, layer string, c crs.Code) (gis.Layer, error) {
	l, err := plan.ReadProjected(ctx, path, plan.ReadOptions{Layer: layer, Table: table, CRS: c})
	if err != nil {
		return l, &exitError{2, err}
	}
	return l, nil
}

// printInfo writes the answer for people, numbers the Vietnamese way.
func printInfo(c *cli, info *plan.Info) {
	v := info.Version
	ref := fmt.Sprintf("%s, phiên bản %d", info.Plan.Code, v.Number)
	if v.DecisionNo != "" {
		ref += " (" + plan.DecisionText(v.DecisionNo)
		if v.DecisionDate != "" {
			ref += " ngày " + plan.VNDate(v.DecisionDate)
		}
		ref += ")"
	}
	if info.MaThongTinQH != "" {
		ref += ", mã thông tin quy hoạch " + info.MaThongTinQH
	}
	fmt.Fprintf(c.stdout, "Thông tin quy hoạch — %s\n", ref)
	switch info.Site.Kind() {
	case "point":
		p := *info.Site.Point
		fmt.Fprintf(c.stdout, "Điểm X = %s, Y = %s (VN-2000, EPSG:9215)\n", gis.FormatVN(p[1], 3), gis.FormatVN(p[0], 3))
	default:
		fmt.Fprintf(c.stdout, "Khu đất %s m²\n", gis.FormatVN(info.SiteM2, 2))
	}
	switch {
	case info.BoundaryError != "":
		fmt.Fprintf(c.stdout, "the plan boundary is invalid (%s): the part outside it was not measured\n", info.BoundaryError)
	case info.PointOutside:
		fmt.Fprintln(c.stdout, "⚠ ngoài ranh giới quy hoạch (outside the plan boundary)")
	case info.OutsideM2 >= plan.Sliver:
		fmt.Fprintf(c.stdout, "⚠ ngoài ranh giới quy hoạch (outside the plan boundary): %s m²\n", gis.FormatVN(info.OutsideM2, 2))
	}
	if info.UncoveredM2 >= plan.Sliver {
		fmt.Fprintf(c.stdout, "⚠ không thuộc lô nào (on no lot): %s m²\n", gis.FormatVN(info.UncoveredM2, 2))
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "LÔ\tLOẠI ĐẤT\tDT LÔ m²\tTRONG KHU ĐẤT m²\t% KHU ĐẤT\tMĐXD %\tTẦNG\tHSSDĐ\tLÙI m\tGĐ\tGHI CHÚ")
	num := func(p *float64) string {
		if p == nil {
			return "—"
		}
		return gis.FormatVN(*p, 2)
	}
	for _, l := range info.Lots {
		over, share := gis.FormatVN(l.OverlapM2, 2), gis.FormatVN(l.SiteShare, 2)
		if info.Site.Kind() == "point" {
			over, share = "điểm", "100"
			if l.OnEdge {
				over = "trên ranh giới lô"
			}
		}
		storeys := "—"
		if l.StoreysMin != nil || l.StoreysMax != nil {
			storeys = plan.Range{Min: l.StoreysMin, Max: l.StoreysMax}.Text("")
		}
		note := l.Note
		if l.Invalid != "" {
			note = "invalid geometry: " + l.Invalid
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", l.Code, l.Class, gis.FormatVN(l.LotM2, 2), over, share,
			num(l.Density), storeys, num(l.FAR), num(l.Setback), l.Stage, note)
	}
	tw.Flush()
	if len(info.Lots) == 0 {
		fmt.Fprintln(c.stdout, "(no lot of the plan here)")
	}
	for _, d := range info.Pending {
		var ch []string
		for _, x := range d.Changes {
			ch = append(ch, x.Op+" "+x.Code)
		}
		overdue := ""
		if d.Overdue {
			overdue = ", OVERDUE"
		}
		fmt.Fprintf(c.stdout, "pending dossier %d (%s) %s%s: %s — %s\n", d.ID, d.Code, d.State, overdue, d.Title, strings.Join(ch, ", "))
	}
}

func infoList(ctx context.Context, c *cli, args []string) error {
	fs := c.flags(infoUsage)
	code := fs.String("plan", "", "only this plan")
	kind := fs.String("kind", "", "info or conform")
	year := fs.Int("year", 0, "only this year")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	if *kind != "" && *kind != store.InfoIssue && *kind != store.ConformIssue {
		return usageErr("--kind %q: want info or conform", *kind)
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	list, err := st.Issues(ctx, store.IssueFilter{Plan: *code, Kind: *kind, Year: *year})
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(c, nonNil(list))
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NUMBER\tKIND\tISSUED\tPLAN\tVERSION\tREQUESTER\tBY\tSITE")
	for _, is := range list {
		suffix := plan.InfoSuffix
		if is.Kind == store.ConformIssue {
			suffix = plan.ConformSuffix
		}
		site := is.Site
		if len(site) > 40 {
			site = site[:37] + "…"
		}
		fmt.Fprintf(tw, "%d/%s (%d)\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", is.Number, suffix, is.Year, is.Kind, is.Issued.Local().Format("02/01/2006 15:04"),
			is.Plan, is.Version, is.Requester, is.By, site)
	}
	return tw.Flush()
}

func infoCopy(ctx context.Context, c *cli, args []string) error {
	fs := c.flags(infoUsage)
	number := fs.Int("number", 0, "the document's number")
	year := fs.Int("year", time.Now().Year(), "the year it was issued")
	kind := fs.String("kind", store.InfoIssue, "info or conform")
	out := fs.String("o", "", "output file")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	if *number <= 0 || *out == "" {
		return usageErr("need --number N and -o FILE")
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	is, data, err := st.IssuedDocument(ctx, *kind, *year, *number)
	if err != nil {
		return err
	}
	if err := atomicfile.Write(*out, func(f *os.File) error { _, err := f.Write(data); return err }); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "%s: %s %d of %d, issued %s to %s (sha256 %s)\n", *out, is.Kind, is.Number, is.Year,
		is.Issued.Local().Format("02/01/2006 15:04"), is.Requester, is.SHA256)
	return nil
}

// storeysFlag is --storeys: "N" or "MIN-MAX".
type storeysFlag struct{ lo, hi *float64 }

func (f *storeysFlag) String() string { return "" }

func (f *storeysFlag) Set(s string) error {
	a, b, ranged := strings.Cut(strings.ReplaceAll(s, "–", "-"), "-")
	lo, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
	hi, err2 := lo, error(nil)
	if ranged {
		hi, err2 = strconv.ParseFloat(strings.TrimSpace(b), 64)
	}
	if err1 != nil || err2 != nil || lo < 0 || hi < lo {
		return fmt.Errorf("want N or MIN-MAX storeys")
	}
	f.lo, f.hi = &lo, &hi
	return nil
}

// optFloat is a float flag that knows whether it was given.
type optFloat struct{ v *float64 }

func (f *optFloat) String() string { return "" }

func (f *optFloat) Set(s string) error {
	v, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(s), ",", "."), 64)
	if err != nil || v < 0 {
		return fmt.Errorf("want a number ≥ 0")
	}
	f.v = &v
	return nil
}

func cmdConform(ctx context.Context, c *cli, args []string) error {
	const usage = "conform --plan CODE --project FILE [--table T] [--crs EPSG:N] [--name NAME] [--use CODE] [--density %] [--storeys MIN-MAX] [--far N] [--setback M] [--population N] [--tolerance M2] [--version N] [--json | --csv | -o report.pdf --requester NAME]"
	fs := c.flags(usage)
	code := fs.String("plan", "", "plan code")
	version := fs.Int("version", 0, "appraise against this version (default: the current one)")
	file := fs.String("project", "", "the project: its site, or a layer of its lots (GeoJSON, GeoPackage, or the formats import reads)")
	table := fs.String("table", "", "GeoPackage: the project's table")
	name := fs.String("name", "", "the project's name (default: the file's)")
	var cf crsFlag
	fs.Var(&cf, "crs", "CRS of the project file when it does not say")
	use := fs.String("use", "", "proposed land use (catalogue code, e.g. CN) for every project lot")
	var density, far, setback, pop optFloat
	var storeys storeysFlag
	fs.Var(&density, "density", "proposed building density, %")
	fs.Var(&storeys, "storeys", "proposed storeys: N or MIN-MAX")
	fs.Var(&far, "far", "proposed floor-area ratio")
	fs.Var(&setback, "setback", "proposed setback, m")
	fs.Var(&pop, "population", "proposed population")
	tol := fs.Float64("tolerance", topo.DefaultTolerance, "parts of a project lot smaller than this (m²) are slivers, not judged")
	asJSON := fs.Bool("json", false, "print JSON")
	asCSV := fs.Bool("csv", false, "print CSV")
	iss := addIssueFlags(fs, "who asked (the investor)")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	outs := 0
	for _, b := range []bool{*asJSON, *asCSV, *iss.out != ""} {
		if b {
			outs++
		}
	}
	switch {
	case *code == "":
		return usageErr("need --plan")
	case *file == "":
		return usageErr("need --project FILE")
	case outs > 1:
		return usageErr("--json, --csv and -o exclude each other")
	case *tol < 0:
		return usageErr("--tolerance must not be negative")
	}
	if err := iss.check(); err != nil {
		return err
	}
	cat, err := catalogue()
	if err != nil {
		return err
	}
	if *use != "" {
		if _, ok := cat.Lookup(*use); !ok {
			return usageErr("--use %q is not a land-use class of the catalogue (e.g. CN, DV, ONM)", *use)
		}
	}
	l, err := readProjected(ctx, *file, *table, "DuAn_A", cf.code)
	if err != nil {
		return err
	}
	pname := *name
	if pname == "" {
		pname = strings.TrimSuffix(filepath.Base(*file), filepath.Ext(*file))
	}
	p, err := plan.ProjectFromLayer(pname, filepath.Base(*file), l)
	if err = siteErr(err); err != nil {
		return err
	}
	p.Propose(*use, plan.Indicators{Density: density.v, StoreysMin: storeys.lo, StoreysMax: storeys.hi, FAR: far.v, Setback: setback.v, Population: pop.v})
	st, ix, _, err := openIndex(ctx, c, *code, *version)
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := plan.Appraise(ctx, ix, p, cat, *tol)
	if err = siteErr(err); err != nil {
		return err
	}
	switch {
	case *asJSON:
		b, err := res.JSON()
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "%s\n", b)
	case *asCSV:
		if err := res.WriteCSV(c.stdout); err != nil {
			return err
		}
	case *iss.out != "":
		is, doc, err := plan.IssueConformity(ctx, st, res, iss.meta, fonts, cat)
		if err := writeIssued(*iss.out, is, doc, err); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "%s: kết quả kiểm tra số %d/%s năm %d: %s; recorded in the store\n", *iss.out, is.Number, plan.ConformSuffix, is.Year, plan.VerdictText(res.Verdict))
	default:
		printConformity(c, res)
	}
	if res.Verdict == plan.NonConform {
		return &exitError{1, fmt.Errorf("%s non-conform (không phù hợp)", plural(res.NonConform, "item"))}
	}
	return nil
}

// printConformity writes the appraisal for people: per project lot, each
// check with its numbers and verdict, the flags, the verdicts.
func printConformity(c *cli, res *plan.Conformity) {
	fmt.Fprintf(c.stdout, "Kiểm tra sự phù hợp — dự án %s với %s, phiên bản %d\n", res.Project.Name, res.Plan.Code, res.Version.Number)
	for _, r := range res.Results {
		fmt.Fprintf(c.stdout, "\nLô dự án %s (%s m², %s)\n", r.Lot.Code, gis.FormatVN(r.AreaM2, 2), cmpOr(r.Lot.Use, "chức năng không nêu"))
		tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "CHỈ TIÊU\tLÔ QH\tDT GIAO m²\tĐỀ XUẤT\tQUY HOẠCH\tKẾT LUẬN")
		for _, ch := range r.Checks {
			lot, area := ch.PlanLot, gis.FormatVN(ch.OverlapM2, 2)
			if lot == "" {
				lot, area = "toàn lô", ""
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", plan.IndicatorName(ch.Indicator), lot, area, ch.ProposedText, ch.AllowedText, plan.VerdictText(ch.Verdict))
		}
		tw.Flush()
		for _, f := range r.Flags {
			mark := " "
			if f.NonConform {
				mark = "⚠"
			}
			fmt.Fprintf(c.stdout, "%s %s\n", mark, f.Text)
		}
		fmt.Fprintf(c.stdout, "→ lô %s: %s\n", r.Lot.Code, plan.VerdictText(r.Verdict))
	}
	fmt.Fprintf(c.stdout, "\nKết luận: dự án %s với quy hoạch (%s)\n", plan.VerdictText(res.Verdict), plural(res.NonConform, "non-conform item"))
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
