package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"quyhoach/assets"
	"quyhoach/gis"
	"quyhoach/plan"
	"quyhoach/store"
)

func init() {
	register(command{"init", "create a store file [--sample: with the four sample plans]", cmdInit})
	register(command{"plans", "list the plans [--json]", cmdPlans})
	register(command{"plan", "plan create --code CODE --name NAME --level general|zoning|detailed --scale N [--area A] [--approver …] | plan set --plan CODE --approver … --appraiser … --proposer … --consultant … | plan show --plan CODE", cmdPlan})
	register(command{"import", "import --plan CODE [--layer NAME] [--crs SYSTEM] [--encoding ENC] [--cad-map FILE] [--partial] [--key FIELD] FILE: GeoJSON, GeoPackage, DXF, Shapefile (.zip), or anything GDAL reads", cmdImport})
	register(command{"export", "export --plan CODE [--version N | --dossier ID] [--layer NAME] [--format geojson|gpkg|dxf|shp|kml|kmz] [--crs EPSG:N] -o FILE, or --tt16 DIR: the TT 16 electronic dossier", cmdExport})
	register(command{"versions", "versions --plan CODE [--json]", cmdVersions})
	register(command{"verify", "check the store file's integrity (exit 1 on problems)", cmdVerify})
}

func cmdInit(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("init [--db FILE] [--sample]")
	sample := fs.Bool("sample", false, "load the four sample plans")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	path := c.db
	if path == "" {
		path = defaultDB()
	}
	if _, err := os.Stat(path); err == nil {
		return usageErr("%s exists already", path)
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	st, err := store.Open(ctx, path, store.Options{Create: true, Alone: true})
	if err != nil {
		return err
	}
	defer st.Close()
	if *sample {
		if err := st.InstallSamples(ctx, assets.Samples); err != nil {
			st.Close()
			os.Remove(path)
			return err
		}
	}
	fmt.Fprintf(c.stderr, "created %s\n", path)
	return nil
}

func cmdPlans(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("plans [--db FILE] [--json]")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	plans, err := st.Plans(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(c, nonNil(plans))
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CODE\tLEVEL\tSCALE\tVERSION\tNAME")
	for _, p := range plans {
		fmt.Fprintf(tw, "%s\t%s\t1/%d\t%d\t%s\n", p.Code, p.Level, p.Scale, p.CurrentVersion, gis.OneLine(p.Name))
	}
	return tw.Flush()
}

func cmdPlan(ctx context.Context, c *cli, args []string) error {
	if len(args) > 0 && planCommands[args[0]] != nil { // set, show: cmd_plan.go
		return planCommands[args[0]](ctx, c, args[1:])
	}
	if len(args) == 0 || args[0] != "create" {
		return usageErr("usage: quyhoach plan create --code CODE --name NAME --level general|zoning|detailed --scale N\n       quyhoach %s\n       quyhoach plan show --plan CODE [--json]", planSetUsage)
	}
	fs := c.flags("plan create --code CODE --name NAME --level general|zoning|detailed --scale N")
	var p store.Plan
	fs.StringVar(&p.Code, "code", "", "plan code (no spaces)")
	fs.StringVar(&p.Name, "name", "", "plan name")
	fs.StringVar(&p.Level, "level", "", "general, zoning or detailed")
	fs.IntVar(&p.Scale, "scale", 0, "scale denominator (2000 for 1/2000)")
	fs.StringVar(&p.Area, "area", "", "area name")
	var agencies store.Agencies
	fs.StringVar(&agencies.Approver, "approver", "", "approving authority (default: the zone's for the level)")
	fs.StringVar(&agencies.Appraiser, "appraiser", "", "appraising agency (default: the zone's for the level)")
	fs.StringVar(&agencies.Proposer, "proposer", "", "proposing agency (default: the zone's)")
	fs.StringVar(&agencies.Consultant, "consultant", "", "consultant")
	by := fs.String("by", currentUser(), "who records the agencies")
	if _, err := parse(fs, args[1:]); err != nil {
		return err
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	var a *store.Agencies
	if agencies.Approver+agencies.Appraiser+agencies.Proposer+agencies.Consultant != "" {
		// what is not given is the zone's default for the level
		d := store.DefaultAgencies(p.Level)
		a = &store.Agencies{Approver: cmp.Or(agencies.Approver, d.Approver), Appraiser: cmp.Or(agencies.Appraiser, d.Appraiser),
			Proposer: cmp.Or(agencies.Proposer, d.Proposer), Consultant: agencies.Consultant}
	}
	if err := plan.CreatePlan(ctx, st, p, a, *by); err != nil { // as the window's New plan dialog
		return err
	}
	fmt.Fprintln(c.stdout, p.Code)
	return nil
}

func cmdImport(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("import --plan CODE [--layer NAME] [--crs SYSTEM] [--encoding ENC] [--cad-map FILE] [--partial] [--key FIELD] [--repair] [--message TEXT] FILE")
	code := fs.String("plan", "", "plan code")
	layer := fs.String("layer", "", "layer name, e.g. ChucNangSuDungDat_A (a drawing: default every plan layer it holds; a file of a TT 16 layer: its name)")
	key := fs.String("key", "", "property that identifies a feature across versions, e.g. maDoiTuong")
	message := fs.String("message", "", "version message")
	repair := fs.Bool("repair", false, "make invalid lots valid where it can be done without guessing (each repair is reported) instead of refusing")
	rf := addReadFlags(fs)
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *code == "" || len(files) != 1 {
		fs.Usage()
		return usageErr("need --plan and one FILE")
	}
	o, err := rf.options(*layer)
	if err != nil {
		return err
	}
	softMemoryLimit(importMemoryLimit)
	gcPercent(importGCPercent)
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	// the window's import dialog takes the same path (plan.OpenImport, Run);
	// a GeoJSON file streams into the store: memory follows the plan, not the file
	im, err := plan.OpenImport(ctx, st, plan.ImportRequest{Plan: *code, File: files[0], Read: o, Key: *key, Message: *message, Repair: *repair})
	var le *plan.LayerNameError
	if errors.As(err, &le) {
		return usageErr("%s: give --layer NAME, e.g. %s", le, gis.LandUseLayer)
	}
	if err != nil {
		_, err = c.told(files[0], nil, err)
		return err
	}
	if _, err := c.told(files[0], im.Reading, nil); err != nil {
		return err
	}
	res, err := im.Run(ctx, st)
	if err != nil {
		return err
	}
	for _, r := range res.Repaired {
		fmt.Fprintln(c.stdout, "repaired:", r)
	}
	if res.Unchanged {
		fmt.Fprintf(c.stdout, "no changes: version %d stays current\n", res.Version.Number)
		return nil
	}
	fmt.Fprintf(c.stdout, "version %d: %d features (%d kept their id, %d new, %d removed)\n",
		res.Version.Number, res.Kept+res.Added, res.Kept, res.Added, res.Removed)
	return nil
}

func cmdExport(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("export --plan CODE [--version N | --dossier ID] [--layer NAME] [--format geojson|gpkg|dxf|shp|kml|kmz] [--crs EPSG:N] -o FILE | --tt16 DIR")
	var req plan.ExportRequest
	fs.StringVar(&req.Plan, "plan", "", "plan code")
	fs.IntVar(&req.Version, "version", 0, "version number (default: the current one)")
	fs.Int64Var(&req.Dossier, "dossier", 0, "export what this dossier proposes instead of a version")
	layer := fs.String("layer", "", "layer name (GeoJSON: needed when the plan has several; other formats: default every layer)")
	fs.StringVar(&req.Format, "format", "", "geojson, gpkg, dxf, shp (a .zip), kml or kmz (default: from the file name)")
	var target crsFlag
	fs.Var(&target, "crs", "output CRS (default: EPSG:4326 for GeoJSON and KML, EPSG:9215 for GeoPackage, DXF and Shapefile as TT 16 delivers)")
	out := fs.String("o", "", "output file (- for standard output, GeoJSON and KML only)")
	tt16 := fs.String("tt16", "", "write the TT 16 electronic dossier into this new folder: HoSoGIS/, HoSoScan/, HoSoBASIC/")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	switch {
	case req.Plan == "" && req.Dossier == 0 || *out == "" && *tt16 == "":
		fs.Usage()
		return usageErr("need --plan and -o FILE (or --tt16 DIR)")
	case *out != "" && *tt16 != "":
		return usageErr("-o and --tt16 exclude each other")
	case *tt16 != "" && req.Dossier != 0:
		return usageErr("--tt16 writes an approved version, not a dossier's proposal")
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
	var ee *plan.ExportError
	if *tt16 != "" {
		files, err := plan.ExportTT16(ctx, st, plan.TT16Request{Plan: req.Plan, Version: req.Version, Dir: *tt16, Catalogue: cat, Fonts: fonts})
		if errors.As(err, &ee) {
			return usageErr("%s", ee.Msg)
		}
		if err != nil {
			return err
		}
		for _, f := range files {
			fmt.Fprintf(c.stdout, "%s\t%d\t%s\n", f.Path, f.Size, f.What)
		}
		return nil
	}
	if *layer != "" {
		req.Layers = []string{*layer}
	}
	req.CRS = target.code
	req.Catalogue = cat
	if req.Path = *out; *out == "-" {
		req.Out = c.stdout
	}
	err = plan.Export(ctx, st, req)
	if errors.As(err, &ee) {
		return usageErr("%s", ee.Msg)
	}
	return err
}

func cmdVersions(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("versions --plan CODE [--json]")
	plan := fs.String("plan", "", "plan code")
	asJSON := fs.Bool("json", false, "print JSON")
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
	vs, err := st.Versions(ctx, *plan)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(c, nonNil(vs))
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VERSION\tCURRENT\tCREATED\tSOURCE\tFEATURES\tDECISION\tMESSAGE")
	for _, v := range vs {
		cur := ""
		if v.Current {
			cur = "*"
		}
		dec := strings.TrimSpace(v.DecisionNo + " " + v.DecisionDate)
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%s\t%s\n", v.Number, cur, v.Created.Local().Format(time.DateTime), v.Source, v.Features, gis.OneLine(dec), gis.OneLine(v.Message))
	}
	return tw.Flush()
}

func cmdVerify(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("verify [--db FILE] [--anchor SEAL] [--json]")
	anchor := fs.String("anchor", "", "a plan seal kept elsewhere (printed on a sheet): the history must contain it")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	v, err := st.Verify(ctx, store.VerifyOptions{Anchor: *anchor})
	if err != nil {
		return err
	}
	if *asJSON {
		if err := writeJSON(c, map[string]any{"file": st.Path(), "findings": nonNil(v.Findings), "anchor": v.Anchored}); err != nil {
			return err
		}
	} else {
		for _, f := range v.Findings {
			fmt.Fprintln(c.stdout, f)
		}
	}
	if len(v.Findings) > 0 {
		return &exitError{1, fmt.Errorf("%s in %s", plural(len(v.Findings), "problem"), st.Path())}
	}
	if !*asJSON {
		if v.Anchored != "" {
			fmt.Fprintf(c.stdout, "anchor %s: found in %s\n", *anchor, v.Anchored)
		}
		fmt.Fprintf(c.stdout, "ok: %s\n", st.Path())
	}
	return nil
}
