package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"quyhoach/assets"
	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/gis/diff"
	"quyhoach/gis/geojson"
	"quyhoach/gis/landuse"
	"quyhoach/gis/topo"
	"quyhoach/plan"
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

// parseRef reads "N" (a version; "" or 0: the current one) or "dossier:ID".
func parseRef(spec string) (plan.Ref, error) {
	if rest, ok := strings.CutPrefix(spec, "dossier:"); ok {
		id, err := strconv.ParseInt(rest, 10, 64)
		if err != nil {
			return plan.Ref{}, usageErr("%q: want dossier:ID", spec)
		}
		return plan.Ref{Dossier: id}, nil
	}
	if spec == "" {
		return plan.Ref{}, nil
	}
	n, err := strconv.Atoi(spec)
	if err != nil {
		return plan.Ref{}, usageErr("%q: want a version number or dossier:ID", spec)
	}
	return plan.Ref{Version: n}, nil
}

// stateFlags are the common --plan, --version and --dossier of a command
// that reads one state of a plan.
type stateFlags struct {
	plan    *string
	version *int
	dossier *int64
}

func addStateFlags(fs *flag.FlagSet, dossierHelp string) stateFlags {
	return stateFlags{fs.String("plan", "", "plan code"), fs.Int("version", 0, "version (default: current)"), fs.Int64("dossier", 0, dossierHelp)}
}

func (f stateFlags) ref() plan.Ref { return plan.Ref{Version: *f.version, Dossier: *f.dossier} }

// open checks the flags, opens the store and loads the state.
func (f stateFlags) open(ctx context.Context, c *cli) (*store.Store, *plan.State, error) {
	if *f.plan == "" {
		return nil, nil, usageErr("need --plan")
	}
	st, err := c.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	s, err := plan.Open(ctx, st, *f.plan, f.ref())
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, s, nil
}

func cmdCheck(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("check --plan CODE [--version N | --dossier ID] [--tolerance M2] [--json]")
	sf := addStateFlags(fs, "check a dossier's proposal instead")
	tol := fs.Float64("tolerance", topo.DefaultTolerance, "smallest overlap/gap/outside area reported, m²")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	if *tol < 0 {
		return usageErr("--tolerance must not be negative")
	}
	cat, err := catalogue()
	if err != nil {
		return err
	}
	if *sf.plan == "" {
		return usageErr("need --plan")
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	// the lots and the boundary read a batch at a time, not the whole state
	rep, err := plan.CheckStored(ctx, st, *sf.plan, sf.ref(), cat, *tol)
	if err != nil {
		return err
	}
	findings := rep.Findings
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
		out[i] = jsonFinding{f.Kind, nonNil(f.IDs), round2(f.AreaM2), [2]float64{round9(p[0]), round9(p[1])}, f.Message}
	}
	cov := rep.Coverage
	if *asJSON {
		type skip struct {
			Kind string `json:"kind"`
			Why  string `json:"why"`
		}
		skipped := []skip{}
		for _, k := range cov.Skipped {
			skipped = append(skipped, skip{k.Kind, k.Why})
		}
		if err := writeJSON(c, map[string]any{"findings": out, "checked": cov.Ran, "not_checked": skipped}); err != nil {
			return err
		}
	} else {
		for _, f := range out {
			fmt.Fprintf(c.stdout, "%-9s %10s m²  at %.6f,%.6f  %s\n", f.Kind, gis.FormatVN(f.AreaM2, 2), f.At[0], f.At[1], f.Message)
		}
		fmt.Fprintf(c.stdout, "%s in %s of plan %s (%d lots, tolerance %g m²)\n", plural(len(out), "finding"), rep.Ref(), *sf.plan, rep.Lots, *tol)
		fmt.Fprintf(c.stdout, "checked: %s\n", strings.Join(cov.Ran, ", "))
		for _, k := range cov.Skipped {
			fmt.Fprintf(c.stdout, "not checked: %s (%s)\n", k.Kind, k.Why)
		}
	}
	if len(out) > 0 {
		return &exitError{1, fmt.Errorf("%s", plural(len(out), "finding"))}
	}
	return nil
}

func cmdDiff(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("diff --plan CODE FROM TO [--json | --geojson]")
	code := fs.String("plan", "", "plan code")
	asJSON := fs.Bool("json", false, "print JSON")
	asGeoJSON := fs.Bool("geojson", false, "print the changed features as GeoJSON for overlays")
	layer := fs.String("layer", gis.LandUseLayer, "layer to compare")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *code == "" || len(pos) != 2 {
		return usageErr("need --plan and FROM TO (version numbers or dossier:ID)")
	}
	var refs [2]plan.Ref
	for i := range refs {
		if refs[i], err = parseRef(pos[i]); err != nil {
			return err
		}
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	// Only the features whose items differ are read (plan.DiffLayer): the
	// same result as diffing the whole layers. --geojson reads them in
	// WGS84 as stored: no trip through the grid.
	d, err := plan.DiffLayer(ctx, st, *code, refs[0], refs[1], *layer, !*asGeoJSON)
	if err != nil {
		return err
	}
	if *asGeoJSON {
		return writeDiffGeoJSON(c, d.Diff)
	}
	res := d.Diff
	if *asJSON {
		type mod struct {
			ID           string            `json:"id"`
			Properties   map[string][2]any `json:"properties"`
			Geometry     bool              `json:"geometry"`
			AreaChangeM2 float64           `json:"area_change_m2"`
		}
		mods := []mod{}
		for _, m := range res.Modified {
			mods = append(mods, mod{m.ID, m.Properties, m.Geometry, round2(m.AreaChangeM2)})
		}
		groups := []map[string]any{}
		for _, g := range res.Groups {
			groups = append(groups, map[string]any{"kind": g.Kind, "parents": g.Parents, "children": g.Children})
		}
		return writeJSON(c, map[string]any{"from": d.From.String(), "to": d.To.String(), "added": nonNil(res.Added), "removed": nonNil(res.Removed), "modified": mods, "lineage": groups})
	}
	fmt.Fprintf(c.stdout, "%s → %s of plan %s: %d added, %d removed, %d modified\n", d.From, d.To, *code, len(res.Added), len(res.Removed), len(res.Modified))
	for _, ch := range res.Changes {
		line := fmt.Sprintf("  %-8s %-10s %s", ch.Kind, plan.LotCode(ch), ch.ID)
		if ch.Geometry || ch.Kind != diff.Modified {
			line += "  " + signed(ch.AreaChangeM2) + " m²"
		}
		if ch.Kind == diff.Modified {
			for _, k := range slices.Sorted(maps.Keys(ch.Properties)) {
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
func writeDiffGeoJSON(c *cli, res diff.Result) error {
	col := &geojson.Collection{CRS: crs.WGS84}
	mark := func(f *gis.Feature, id, change string) {
		props := make(map[string]any, len(f.Properties)+1)
		for k, v := range f.Properties {
			props[k] = v
		}
		props["change"] = change
		col.Features = append(col.Features, gis.Feature{ID: id, Geometry: f.Geometry, Properties: props})
	}
	for _, ch := range res.Changes {
		switch ch.Kind {
		case diff.Added:
			mark(ch.New, ch.ID, "added")
		case diff.Removed:
			mark(ch.Old, ch.ID, "removed")
		case diff.Modified:
			mark(ch.Old, ch.ID+"@old", "modified-old")
			mark(ch.New, ch.ID+"@new", "modified-new")
		}
	}
	return geojson.Write(c.stdout, col)
}

func cmdBalance(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("balance --plan CODE [--version N | --dossier ID] [--against M] [--json | --csv]")
	sf := addStateFlags(fs, "a dossier's proposal, compared with its base")
	against := fs.Int("against", 0, "compare with this version")
	asJSON := fs.Bool("json", false, "print JSON")
	asCSV := fs.Bool("csv", false, "print CSV")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	if *sf.plan == "" {
		return usageErr("need --plan")
	}
	cat, err := catalogue()
	if err != nil {
		return err
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	// From the measures the store keeps per body (plan.BalanceOf): the
	// figures of plan.Compare on the loaded states, without loading them.
	b, err := plan.BalanceOf(ctx, st, *sf.plan, sf.ref(), *against, cat)
	if err != nil {
		return err
	}
	title := fmt.Sprintf("%s of plan %s", b.Of, *sf.plan)
	whole, cmp := b.Whole, b.Compared()
	if cmp {
		title += " against " + b.Against.String()
	}
	switch {
	case *asJSON:
		out := balanceJSON(whole)
		out["of"] = title
		if cmp {
			out["adjusted_area"] = balanceJSON(b.Adjusted)
		}
		return writeJSON(c, out)
	case *asCSV:
		return plan.WriteBalanceCSV(c.stdout, whole)
	}
	fmt.Fprintf(c.stdout, "Bảng cân bằng sử dụng đất — %s\n", title)
	printBalance(c, whole)
	if cmp {
		fmt.Fprintln(c.stdout, "\nKhu vực điều chỉnh (adjusted area only):")
		printBalance(c, b.Adjusted)
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

// cmdArea lists official areas: planar in EPSG:9215, holes subtracted.
func printBalance(c *cli, b diff.Balance) {
	r := b.Rounded(2)
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	if b.HasBefore {
		fmt.Fprintln(tw, "STT\tký hiệu\tloại đất\tphê duyệt ha\t%\tđiều chỉnh ha\t%\t± ha\t")
		for i, row := range r.Rows {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", i+1, row.Code, row.Name, gis.FormatVN(row.BeforeHa, 2), gis.FormatVN(row.BeforePercent, 2),
				gis.FormatVN(row.Ha, 2), gis.FormatVN(row.Percent, 2), signed(row.ChangeHa))
		}
		fmt.Fprintf(tw, "\t\tTổng\t%s\t100\t%s\t100\t%s\t\n", gis.FormatVN(r.BeforeTotalHa, 2), gis.FormatVN(r.TotalHa, 2), signed(r.TotalHa-r.BeforeTotalHa))
	} else {
		fmt.Fprintln(tw, "STT\tký hiệu\tloại đất\tdiện tích ha\t%\t")
		for i, row := range r.Rows {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t\n", i+1, row.Code, row.Name, gis.FormatVN(row.Ha, 2), gis.FormatVN(row.Percent, 2))
		}
		fmt.Fprintf(tw, "\t\tTổng\t%s\t100\t\n", gis.FormatVN(r.TotalHa, 2))
	}
	tw.Flush()
}

func cmdArea(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("area --plan CODE [--version N | --dossier ID] [--layer NAME] [--json | --csv]")
	sf := addStateFlags(fs, "a dossier's proposal")
	layer := fs.String("layer", gis.LandUseLayer, "layer")
	asJSON := fs.Bool("json", false, "print JSON")
	asCSV := fs.Bool("csv", false, "print CSV")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	st, s, err := sf.open(ctx, c)
	if err != nil {
		return err
	}
	defer st.Close()
	if !s.Has(*layer) {
		return fmt.Errorf("%s of plan %s has no layer %s", s.Ref(), *sf.plan, *layer)
	}
	features := s.Layer(*layer)
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
		rows[i] = row{f.ID, f.String("maDoiTuong"), f.String("phanLoai"), round2(a), math.Round(a/100) / 100}
	}
	switch {
	case *asJSON:
		return writeJSON(c, map[string]any{"features": rows, "total_m2": round2(total), "total_ha": math.Round(total/100) / 100})
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

// signed writes a change the Vietnamese way: "+1,25", "-0,40", "0".
func signed(v float64) string { return gis.Signed(v, 2, "vi") }
