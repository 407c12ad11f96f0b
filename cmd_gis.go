package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/paulmach/orb"

	"quyhoach/assets"
	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/gis/diff"
	"quyhoach/gis/geojson"
	"quyhoach/gis/landuse"
	"quyhoach/gis/topo"
	"quyhoach/store"
)

func init() {
	register(command{"crs", "crs --from EPSG:A --to EPSG:B: transform 'x y' lines from stdin", cmdCRS})
	register(command{"check", "check --plan CODE [--version N | --dossier ID] [--tolerance M2] [--json]: topology and rules (exit 1 on findings)", cmdCheck})
	register(command{"diff", "diff --plan CODE FROM TO [--json | --geojson]: FROM/TO are version numbers or dossier:ID", cmdDiff})
	register(command{"area", "area --plan CODE [--version N | --dossier ID] [--layer NAME] [--json | --csv]: official areas per feature", cmdArea})
	register(command{"balance", "balance --plan CODE [--version N | --dossier ID] [--against M] [--json | --csv]: land-use balance", cmdBalance})
}

func cmdCRS(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("crs --from EPSG:A --to EPSG:B < points")
	from := fs.String("from", "", "source CRS (EPSG:4326, EPSG:9215, EPSG:3405)")
	to := fs.String("to", "", "target CRS")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	a, err := crs.Parse(*from)
	if err != nil {
		return usageErr("--from: %v", err)
	}
	b, err := crs.Parse(*to)
	if err != nil {
		return usageErr("--to: %v", err)
	}
	return crs.Stream(c.stdin, c.stdout, a, b)
}

// catalogue is the embedded land-use catalogue.
func catalogue() (*landuse.Catalogue, error) { return landuse.Parse(assets.LandUse) }

// side is one state of a plan: a version or a dossier's proposal.
type side struct {
	snap    *store.Snapshot
	label   string
	dossier *store.Dossier
}

// loadSide reads "N" (a version; "" or 0: the current one) or "dossier:ID".
func loadSide(ctx context.Context, st *store.Store, plan, spec string) (side, error) {
	if rest, ok := strings.CutPrefix(spec, "dossier:"); ok {
		id, err := strconv.ParseInt(rest, 10, 64)
		if err != nil {
			return side{}, usageErr("%q: want dossier:ID", spec)
		}
		snap, d, err := st.Proposal(ctx, id)
		if err != nil {
			return side{}, err
		}
		if d.Plan != plan {
			return side{}, usageErr("dossier %d belongs to plan %s, not %s", id, d.Plan, plan)
		}
		return side{snap, fmt.Sprintf("dossier %d", id), &d}, nil
	}
	n := 0
	if spec != "" {
		var err error
		if n, err = strconv.Atoi(spec); err != nil {
			return side{}, usageErr("%q: want a version number or dossier:ID", spec)
		}
	}
	snap, err := st.Load(ctx, plan, n)
	if err != nil {
		return side{}, err
	}
	return side{snap, fmt.Sprintf("version %d", snap.Version.Number), nil}, nil
}

// projected returns a side's layer in EPSG:9215 metres (nil when absent).
func (s side) projected(name string) []gis.Feature {
	l := s.snap.Layer(name)
	if l == nil {
		return nil
	}
	tr, _ := crs.New(crs.WGS84, crs.TM3LangSon)
	return gis.Project([]gis.Layer{*l}, tr)[0].Features
}

// versionOrDossier reads the common --version / --dossier pair.
func versionOrDossier(version int, dossier int64) string {
	if dossier != 0 {
		return "dossier:" + strconv.FormatInt(dossier, 10)
	}
	return strconv.Itoa(version)
}

func cmdCheck(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("check --plan CODE [--version N | --dossier ID] [--tolerance M2] [--json]")
	plan := fs.String("plan", "", "plan code")
	version := fs.Int("version", 0, "version (default: current)")
	dossier := fs.Int64("dossier", 0, "check a dossier's proposal instead")
	tol := fs.Float64("tolerance", topo.DefaultTolerance, "smallest overlap/gap/outside area reported, m²")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	if *plan == "" {
		return usageErr("need --plan")
	}
	if *tol < 0 {
		return usageErr("--tolerance must not be negative")
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	s, err := loadSide(ctx, st, *plan, versionOrDossier(*version, *dossier))
	if err != nil {
		return err
	}
	cat, err := catalogue()
	if err != nil {
		return err
	}
	lots := s.projected(gis.LandUseLayer)
	if lots == nil {
		return fmt.Errorf("%s of plan %s has no %s layer", s.label, *plan, gis.LandUseLayer)
	}
	var boundary orb.Geometry
	if b := s.projected(gis.BoundaryLayer); len(b) > 0 {
		mp := orb.MultiPolygon{}
		for _, f := range b {
			switch g := f.Geometry.(type) {
			case orb.Polygon:
				mp = append(mp, g)
			case orb.MultiPolygon:
				mp = append(mp, g...)
			}
		}
		boundary = mp
	}
	findings, err := topo.Check(ctx, lots, boundary, topo.Options{
		Tolerance:  *tol,
		KnownClass: func(p string) bool { _, ok := cat.Lookup(p); return ok },
	})
	if err != nil {
		return err
	}
	back, _ := crs.New(crs.TM3LangSon, crs.WGS84)
	type jsonFinding struct {
		Kind    string     `json:"kind"`
		IDs     []string   `json:"ids"`
		AreaM2  float64    `json:"area_m2"`
		At      [2]float64 `json:"at"`
		Message string     `json:"message"`
	}
	out := make([]jsonFinding, len(findings))
	for i, f := range findings {
		p := back(f.At)
		out[i] = jsonFinding{f.Kind, nonNil(f.IDs), math.Round(f.AreaM2*100) / 100, [2]float64{round9(p[0]), round9(p[1])}, f.Message}
	}
	if *asJSON {
		if err := writeJSON(c, map[string]any{"findings": out}); err != nil {
			return err
		}
	} else {
		for _, f := range out {
			fmt.Fprintf(c.stdout, "%-9s %10s m²  at %.6f,%.6f  %s\n", f.Kind, gis.FormatVN(f.AreaM2, 2), f.At[0], f.At[1], f.Message)
		}
		fmt.Fprintf(c.stdout, "%s in %s of plan %s (%d lots, tolerance %g m²)\n", plural(len(out), "finding"), s.label, *plan, len(lots), *tol)
	}
	if len(out) > 0 {
		return &exitError{1, fmt.Errorf("%s", plural(len(out), "finding"))}
	}
	return nil
}

func round9(v float64) float64 { return math.Round(v*1e9) / 1e9 }

func cmdDiff(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("diff --plan CODE FROM TO [--json | --geojson]")
	plan := fs.String("plan", "", "plan code")
	asJSON := fs.Bool("json", false, "print JSON")
	asGeoJSON := fs.Bool("geojson", false, "print the changed features as GeoJSON for overlays")
	layer := fs.String("layer", gis.LandUseLayer, "layer to compare")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *plan == "" || len(pos) != 2 {
		return usageErr("need --plan and FROM TO (version numbers or dossier:ID)")
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	from, err := loadSide(ctx, st, *plan, pos[0])
	if err != nil {
		return err
	}
	to, err := loadSide(ctx, st, *plan, pos[1])
	if err != nil {
		return err
	}
	res := diff.Layers(from.projected(*layer), to.projected(*layer), diff.Lineage(to.snap.Lineage))
	switch {
	case *asGeoJSON:
		return writeDiffGeoJSON(c, from, to, *layer, res)
	case *asJSON:
		type mod struct {
			ID           string            `json:"id"`
			Properties   map[string][2]any `json:"properties"`
			Geometry     bool              `json:"geometry"`
			AreaChangeM2 float64           `json:"area_change_m2"`
		}
		mods := []mod{}
		for _, m := range res.Modified {
			mods = append(mods, mod{m.ID, m.Properties, m.Geometry, math.Round(m.AreaChangeM2*100) / 100})
		}
		groups := []map[string]any{}
		for _, g := range res.Groups {
			groups = append(groups, map[string]any{"kind": g.Kind, "parents": g.Parents, "children": g.Children})
		}
		return writeJSON(c, map[string]any{"from": from.label, "to": to.label, "added": nonNil(res.Added), "removed": nonNil(res.Removed), "modified": mods, "lineage": groups})
	}
	codeOf := func(ch diff.Change) string {
		for _, f := range []*gis.Feature{ch.New, ch.Old} {
			if f != nil && f.String("maDoiTuong") != "" {
				return f.String("maDoiTuong")
			}
		}
		return ch.ID
	}
	fmt.Fprintf(c.stdout, "%s → %s of plan %s: %d added, %d removed, %d modified\n", from.label, to.label, *plan, len(res.Added), len(res.Removed), len(res.Modified))
	for _, ch := range res.Changes {
		line := fmt.Sprintf("  %-8s %-10s %s", ch.Kind, codeOf(ch), ch.ID)
		if ch.Geometry || ch.Kind != diff.Modified {
			line += "  " + signedVN(ch.AreaChangeM2) + " m²"
		}
		if ch.Kind == diff.Modified {
			keys := make([]string, 0, len(ch.Properties))
			for k := range ch.Properties {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				line += fmt.Sprintf("  %s: %s → %s", k, showValue(ch.Properties[k][0]), showValue(ch.Properties[k][1]))
			}
		}
		fmt.Fprintln(c.stdout, line)
	}
	for _, g := range res.Groups {
		fmt.Fprintf(c.stdout, "  lineage: %s\n", g)
	}
	return nil
}

// writeDiffGeoJSON writes the changed features (WGS84) marked with "change".
func writeDiffGeoJSON(c *cli, from, to side, layer string, res diff.Result) error {
	byID := func(s side) map[string]gis.Feature {
		m := map[string]gis.Feature{}
		if l := s.snap.Layer(layer); l != nil {
			for _, f := range l.Features {
				m[f.ID] = f
			}
		}
		return m
	}
	old, now := byID(from), byID(to)
	col := &geojson.Collection{CRS: crs.WGS84}
	mark := func(f gis.Feature, change string) {
		props := make(map[string]any, len(f.Properties)+1)
		for k, v := range f.Properties {
			props[k] = v
		}
		props["change"] = change
		f.Properties = props
		col.Features = append(col.Features, f)
	}
	for _, ch := range res.Changes {
		switch ch.Kind {
		case diff.Added:
			mark(now[ch.ID], "added")
		case diff.Removed:
			mark(old[ch.ID], "removed")
		case diff.Modified:
			o, n := old[ch.ID], now[ch.ID]
			o.ID, n.ID = ch.ID+"@old", ch.ID+"@new"
			mark(o, "modified-old")
			mark(n, "modified-new")
		}
	}
	return geojson.Write(c.stdout, col)
}

func cmdBalance(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("balance --plan CODE [--version N | --dossier ID] [--against M] [--json | --csv]")
	plan := fs.String("plan", "", "plan code")
	version := fs.Int("version", 0, "version (default: current)")
	dossier := fs.Int64("dossier", 0, "a dossier's proposal, compared with its base")
	against := fs.Int("against", 0, "compare with this version")
	asJSON := fs.Bool("json", false, "print JSON")
	asCSV := fs.Bool("csv", false, "print CSV")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	if *plan == "" {
		return usageErr("need --plan")
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	cat, err := catalogue()
	if err != nil {
		return err
	}
	now, err := loadSide(ctx, st, *plan, versionOrDossier(*version, *dossier))
	if err != nil {
		return err
	}
	var before *side
	switch {
	case *against != 0:
		b, err := loadSide(ctx, st, *plan, strconv.Itoa(*against))
		if err != nil {
			return err
		}
		before = &b
	case now.dossier != nil:
		b, err := loadSide(ctx, st, *plan, strconv.Itoa(now.dossier.Base))
		if err != nil {
			return err
		}
		before = &b
	}
	classOf := func(f gis.Feature) diff.Class {
		if cl, ok := cat.Of(f); ok {
			return diff.Class{Code: cl.Code, Name: cl.NameVI}
		}
		return diff.Class{Code: f.String("phanLoai"), Name: f.String("phanLoai")}
	}
	order := cat.Codes()
	lots := now.projected(gis.LandUseLayer)
	var whole, adjusted diff.Balance
	hasAdjusted := false
	if before == nil {
		whole = diff.BalanceOf(lots, classOf, order)
	} else {
		old := before.projected(gis.LandUseLayer)
		whole = diff.Compare(old, lots, classOf, order)
		res := diff.Layers(old, lots, diff.Lineage(now.snap.Lineage))
		b, a := diff.AdjustedArea(res)
		adjusted, hasAdjusted = diff.Compare(b, a, classOf, order), true
	}
	title := fmt.Sprintf("%s of plan %s", now.label, *plan)
	if before != nil {
		title += " against " + before.label
	}
	switch {
	case *asJSON:
		out := balanceJSON(whole)
		out["of"] = title
		if hasAdjusted {
			out["adjusted_area"] = balanceJSON(adjusted)
		}
		return writeJSON(c, out)
	case *asCSV:
		return writeBalanceCSV(c, whole, before != nil)
	}
	fmt.Fprintf(c.stdout, "Bảng cân bằng sử dụng đất — %s\n", title)
	printBalance(c, whole)
	if hasAdjusted {
		fmt.Fprintln(c.stdout, "\nKhu vực điều chỉnh (adjusted area only):")
		printBalance(c, adjusted)
	}
	return nil
}

func balanceJSON(b diff.Balance) map[string]any {
	r := b.Rounded(4)
	rows := []map[string]any{}
	for _, row := range r.Rows {
		m := map[string]any{"code": row.Code, "name": row.Name, "ha": row.Ha, "percent": round2(row.Percent)}
		if b.HasBefore {
			m["before_ha"], m["before_percent"], m["change_ha"] = row.BeforeHa, round2(row.BeforePercent), row.ChangeHa
		}
		rows = append(rows, m)
	}
	out := map[string]any{"classes": rows, "total_ha": r.TotalHa}
	if b.HasBefore {
		out["before_total_ha"] = r.BeforeTotalHa
	}
	return out
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

func writeBalanceCSV(c *cli, b diff.Balance, before bool) error {
	w := csv.NewWriter(c.stdout)
	r := b.Rounded(2)
	head := []string{"stt", "code", "name", "ha", "percent"}
	if before {
		head = []string{"stt", "code", "name", "before_ha", "before_percent", "ha", "percent", "change_ha"}
	}
	w.Write(head)
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }
	for i, row := range r.Rows {
		rec := []string{strconv.Itoa(i + 1), row.Code, row.Name, f(row.Ha), f(row.Percent)}
		if before {
			rec = []string{strconv.Itoa(i + 1), row.Code, row.Name, f(row.BeforeHa), f(row.BeforePercent), f(row.Ha), f(row.Percent), f(row.ChangeHa)}
		}
		w.Write(rec)
	}
	total := []string{"", "", "Tổng", f(r.TotalHa), "100.00"}
	if before {
		total = []string{"", "", "Tổng", f(r.BeforeTotalHa), "100.00", f(r.TotalHa), "100.00", f(r.TotalHa - r.BeforeTotalHa)}
	}
	w.Write(total)
	w.Flush()
	return w.Error()
}

func printBalance(c *cli, b diff.Balance) {
	r := b.Rounded(2)
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	if b.HasBefore {
		fmt.Fprintln(tw, "STT\tký hiệu\tloại đất\tphê duyệt ha\t%\tđiều chỉnh ha\t%\t± ha\t")
		for i, row := range r.Rows {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", i+1, row.Code, row.Name, gis.FormatVN(row.BeforeHa, 2), gis.FormatVN(row.BeforePercent, 2),
				gis.FormatVN(row.Ha, 2), gis.FormatVN(row.Percent, 2), signedVN(row.ChangeHa))
		}
		fmt.Fprintf(tw, "\t\tTổng\t%s\t100\t%s\t100\t%s\t\n", gis.FormatVN(r.BeforeTotalHa, 2), gis.FormatVN(r.TotalHa, 2), signedVN(r.TotalHa-r.BeforeTotalHa))
	} else {
		fmt.Fprintln(tw, "STT\tký hiệu\tloại đất\tdiện tích ha\t%\t")
		for i, row := range r.Rows {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t\n", i+1, row.Code, row.Name, gis.FormatVN(row.Ha, 2), gis.FormatVN(row.Percent, 2))
		}
		fmt.Fprintf(tw, "\t\tTổng\t%s\t100\t\n", gis.FormatVN(r.TotalHa, 2))
	}
	tw.Flush()
}

func signedVN(v float64) string {
	if v > 0.005 {
		return "+" + gis.FormatVN(v, 2)
	}
	if math.Abs(v) < 0.005 {
		return "0"
	}
	return gis.FormatVN(v, 2)
}

// cmdArea lists official areas: planar in EPSG:9215, holes subtracted.
func cmdArea(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("area --plan CODE [--version N | --dossier ID] [--layer NAME] [--json | --csv]")
	plan := fs.String("plan", "", "plan code")
	version := fs.Int("version", 0, "version (default: current)")
	dossier := fs.Int64("dossier", 0, "a dossier's proposal")
	layer := fs.String("layer", gis.LandUseLayer, "layer")
	asJSON := fs.Bool("json", false, "print JSON")
	asCSV := fs.Bool("csv", false, "print CSV")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	if *plan == "" {
		return usageErr("need --plan")
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	s, err := loadSide(ctx, st, *plan, versionOrDossier(*version, *dossier))
	if err != nil {
		return err
	}
	features := s.projected(*layer)
	if features == nil {
		return fmt.Errorf("%s of plan %s has no layer %s", s.label, *plan, *layer)
	}
	type row struct {
		ID     string  `json:"id"`
		Code   string  `json:"code"`
		Class  string  `json:"class"`
		AreaM2 float64 `json:"area_m2"`
		AreaHa float64 `json:"area_ha"`
	}
	rows := make([]row, len(features))
	total := 0.0
	for i, f := range features {
		a := gis.Area(f.Geometry)
		total += a
		rows[i] = row{f.ID, f.String("maDoiTuong"), f.String("phanLoai"), math.Round(a*100) / 100, math.Round(a/100) / 100}
	}
	switch {
	case *asJSON:
		return writeJSON(c, map[string]any{"features": rows, "total_m2": math.Round(total*100) / 100, "total_ha": math.Round(total/100) / 100})
	case *asCSV:
		w := csv.NewWriter(c.stdout)
		w.Write([]string{"id", "code", "class", "area_m2", "area_ha"})
		for _, r := range rows {
			w.Write([]string{r.ID, r.Code, r.Class, strconv.FormatFloat(r.AreaM2, 'f', 2, 64), strconv.FormatFloat(r.AreaHa, 'f', 2, 64)})
		}
		w.Flush()
		return w.Error()
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CODE\tCLASS\tAREA m²\tAREA ha\tID")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Code, r.Class, gis.FormatVN(r.AreaM2, 2), gis.FormatVN(r.AreaHa, 2), r.ID)
	}
	fmt.Fprintf(tw, "total\t\t%s\t%s\t%d features\n", gis.FormatVN(total, 2), gis.FormatVN(total/10000, 2), len(rows))
	return tw.Flush()
}

// showValue writes a property value for people: "—" when absent.
func showValue(v any) string {
	if v == nil {
		return "—"
	}
	return fmt.Sprint(v)
}

// plural writes "1 finding", "2 findings".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
