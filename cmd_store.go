package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/paulmach/orb"

	"quyhoach/assets"
	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/gis/geojson"
	"quyhoach/store"
)

func init() {
	register(command{"init", "create a store file [--sample: with the four sample plans]", cmdInit})
	register(command{"plans", "list the plans [--json]", cmdPlans})
	register(command{"plan", "plan create --code CODE --name NAME --level general|zoning|detailed --scale N", cmdPlan})
	register(command{"import", "import --plan CODE --layer NAME [--crs EPSG:N] [--key FIELD] [--message T] FILE", cmdImport})
	register(command{"export", "export --plan CODE [--version N] [--layer NAME] [--format geojson|gpkg] [--crs EPSG:N] -o FILE", cmdExport})
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
	st, err := store.Open(ctx, path, store.Options{Create: true})
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
		fmt.Fprintf(tw, "%s\t%s\t1/%d\t%d\t%s\n", p.Code, p.Level, p.Scale, p.CurrentVersion, p.Name)
	}
	return tw.Flush()
}

func cmdPlan(ctx context.Context, c *cli, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		return usageErr("usage: quyhoach plan create --code CODE --name NAME --level general|zoning|detailed --scale N")
	}
	fs := c.flags("plan create --code CODE --name NAME --level general|zoning|detailed --scale N")
	var p store.Plan
	fs.StringVar(&p.Code, "code", "", "plan code (no spaces)")
	fs.StringVar(&p.Name, "name", "", "plan name")
	fs.StringVar(&p.Level, "level", "", "general, zoning or detailed")
	fs.IntVar(&p.Scale, "scale", 0, "scale denominator (2000 for 1/2000)")
	fs.StringVar(&p.Area, "area", "", "area name")
	if _, err := parse(fs, args[1:]); err != nil {
		return err
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.CreatePlan(ctx, p); err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, p.Code)
	return nil
}

func cmdImport(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("import --plan CODE --layer NAME [--crs EPSG:4326|EPSG:9215|EPSG:3405] [--key FIELD] [--message TEXT] FILE")
	plan := fs.String("plan", "", "plan code")
	layer := fs.String("layer", "", "layer name, e.g. ChucNangSuDungDat_A")
	crsName := fs.String("crs", "", "CRS of the file when it does not say (EPSG:4326, EPSG:9215, EPSG:3405)")
	key := fs.String("key", "", "property that identifies a feature across versions, e.g. maDoiTuong")
	message := fs.String("message", "", "version message")
	table := fs.String("table", "", "GeoPackage input: the feature table (default: the one named like --layer, or the only one)")
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *plan == "" || *layer == "" || len(files) != 1 {
		fs.Usage()
		return usageErr("need --plan, --layer and one FILE")
	}
	var declared crs.Code
	if *crsName != "" {
		if declared, err = crs.Parse(*crsName); err != nil {
			return usageErr("%v", err)
		}
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.Plan(ctx, *plan); err != nil {
		return err
	}
	l, err := readLayer(ctx, files[0], *layer, *table, declared, true)
	if err != nil {
		return err
	}
	if *message == "" {
		*message = "import " + filepath.Base(files[0]) + " into " + *layer
	}
	res, err := st.Import(ctx, store.ImportRequest{Plan: *plan, Layers: []gis.Layer{l}, Key: *key, Message: *message})
	if err != nil {
		return err
	}
	if res.Unchanged {
		fmt.Fprintf(c.stdout, "no changes: version %d stays current\n", res.Version.Number)
		return nil
	}
	fmt.Fprintf(c.stdout, "version %d: %d features (%d kept their id, %d new, %d removed)\n",
		res.Version.Number, len(l.Features), res.Kept, res.Added, res.Removed)
	return nil
}

// readLayer reads a GeoJSON file into a WGS84 layer. declared is the --crs
// flag (0 when not given); it must agree with a crs member in the file.
// requireGeometry refuses features without one (lots need a geometry; a
// dossier's deletions do not).
func readLayer(ctx context.Context, path, name, table string, declared crs.Code, requireGeometry bool) (gis.Layer, error) {
	f, err := os.Open(path)
	if err != nil {
		return gis.Layer{}, err
	}
	defer f.Close()
	head := make([]byte, 16)
	if n, _ := f.Read(head); string(head[:n]) == "SQLite format 3\x00" {
		l, err := readGeoPackage(ctx, path, name, table, declared, requireGeometry)
		if err != nil {
			return l, err
		}
		return l, checkAreaLayer(path, l)
	}
	if _, err := f.Seek(0, 0); err != nil {
		return gis.Layer{}, err
	}
	opt := geojson.Options{RequireGeometry: requireGeometry}
	if declared != 0 {
		opt.CRS = declared
	}
	col, err := geojson.Read(f, opt)
	if err != nil {
		if declared == 0 && strings.Contains(err.Error(), "outside longitude/latitude range") {
			err = fmt.Errorf("%w\nthe coordinates look projected: if the file is in VN-2000 metres, give --crs EPSG:9215 (TM-3 107-15) or --crs EPSG:3405 (UTM 48N)", err)
		}
		return gis.Layer{}, fmt.Errorf("%s: %w", path, err)
	}
	if declared != 0 && col.CRS != declared {
		return gis.Layer{}, fmt.Errorf("%s: the file says its CRS is %s but --crs says %s", path, col.CRS, declared)
	}
	if err := col.Transform(crs.WGS84); err != nil {
		return gis.Layer{}, err
	}
	l := gis.Layer{Name: name, Features: col.Features}
	return l, checkAreaLayer(path, l)
}

// checkAreaLayer refuses lines and points in an _A layer (TT16: areas).
func checkAreaLayer(path string, l gis.Layer) error {
	if !strings.HasSuffix(l.Name, "_A") {
		return nil
	}
	for i, f := range l.Features {
		switch f.Geometry.(type) {
		case orb.Polygon, orb.MultiPolygon, nil:
		default:
			return fmt.Errorf("%s: feature %d: layer %s holds areas, not a %s", path, i, l.Name, f.Geometry.GeoJSONType())
		}
	}
	return nil
}

func cmdExport(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("export --plan CODE [--version N] [--layer NAME] [--format geojson|gpkg] [--crs EPSG:N] -o FILE")
	plan := fs.String("plan", "", "plan code")
	version := fs.Int("version", 0, "version number (default: the current one)")
	layer := fs.String("layer", "", "layer name (GeoJSON: needed when the plan has several; GeoPackage: default every layer, a table each)")
	format := fs.String("format", "", "geojson or gpkg (default: from the file name, else geojson)")
	crsName := fs.String("crs", "", "output CRS (default: EPSG:4326 for GeoJSON as RFC 7946 asks, EPSG:9215 for GeoPackage as TT 16 delivers)")
	out := fs.String("o", "", "output file (- for standard output, GeoJSON only)")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	if *plan == "" || *out == "" {
		fs.Usage()
		return usageErr("need --plan and -o FILE")
	}
	if *format == "" {
		switch ext := strings.ToLower(filepath.Ext(*out)); ext {
		case ".gpkg":
			*format = "gpkg"
		case ".geojson", ".json", "":
			*format = "geojson"
		default:
			return usageErr("cannot tell the format of %s from %q: name it .geojson or .gpkg, or give --format", *out, ext)
		}
	}
	target := crs.WGS84
	switch *format {
	case "geojson":
	case "gpkg":
		target = crs.TM3LangSon
		if *out == "-" {
			return usageErr("a GeoPackage cannot go to standard output")
		}
	default:
		return usageErr("format %q is not supported (geojson, gpkg)", *format)
	}
	if *crsName != "" {
		var err error
		if target, err = crs.Parse(*crsName); err != nil {
			return usageErr("%v", err)
		}
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	var layers []string
	if *layer != "" {
		layers = []string{*layer}
	}
	snap, err := st.Load(ctx, *plan, *version, layers...)
	if err != nil {
		return err
	}
	out2 := snap.Layers
	if target != crs.WGS84 {
		tr, err := crs.New(crs.WGS84, target)
		if err != nil {
			return err
		}
		out2 = gis.Project(snap.Layers, tr)
	}
	if *format == "gpkg" {
		return store.WriteGeoPackage(ctx, *out, out2, target)
	}
	if len(out2) > 1 {
		names := make([]string, len(out2))
		for i, l := range out2 {
			names[i] = l.Name
		}
		return usageErr("a GeoJSON file holds one layer: choose one with --layer (%s), or export .gpkg for all of them", strings.Join(names, ", "))
	}
	col := &geojson.Collection{CRS: target, Features: out2[0].Features}
	if *out == "-" {
		return geojson.Write(c.stdout, col)
	}
	return writeFileAtomic(*out, func(f *os.File) error { return geojson.Write(f, col) })
}

// readGeoPackage reads a layer from a GeoPackage feature table into WGS84.
func readGeoPackage(ctx context.Context, path, name, table string, declared crs.Code, requireGeometry bool) (gis.Layer, error) {
	if table == "" {
		tables, err := store.GeoPackageTables(ctx, path)
		if err != nil {
			return gis.Layer{}, fmt.Errorf("%s is an SQLite file but not a GeoPackage", path)
		}
		for _, t := range tables {
			if t == name {
				table = t
			}
		}
	}
	l, c, err := store.ReadGeoPackage(ctx, path, table)
	if err != nil {
		return gis.Layer{}, err
	}
	if declared != 0 && declared != c {
		return gis.Layer{}, fmt.Errorf("%s: table %s is in %s but --crs says %s", path, l.Name, c, declared)
	}
	for i, f := range l.Features {
		if requireGeometry && f.Geometry == nil {
			return gis.Layer{}, fmt.Errorf("%s: table %s feature %d has no geometry", path, l.Name, i)
		}
	}
	col := &geojson.Collection{CRS: c, Features: l.Features}
	if err := col.Transform(crs.WGS84); err != nil {
		return gis.Layer{}, err
	}
	return gis.Layer{Name: name, Features: col.Features}, nil
}

// writeFileAtomic writes through a temporary file renamed into place, so a
// failed export never leaves half a file behind.
func writeFileAtomic(path string, write func(*os.File) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".quyhoach-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o644); err != nil { // a file to share, like any the user writes
		tmp.Close()
		return err
	}
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
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
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%s\t%s\n", v.Number, cur, v.Created.Local().Format(time.DateTime), v.Source, v.Features, dec, v.Message)
	}
	return tw.Flush()
}

func cmdVerify(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("verify [--db FILE]")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	problems, err := st.Verify(ctx)
	if err != nil {
		return err
	}
	for _, p := range problems {
		fmt.Fprintln(c.stdout, p)
	}
	if len(problems) > 0 {
		return &exitError{1, fmt.Errorf("%d problems in %s", len(problems), st.Path())}
	}
	fmt.Fprintf(c.stdout, "ok: %s\n", st.Path())
	return nil
}

func writeJSON(c *cli, v any) error {
	enc := json.NewEncoder(c.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// nonNil makes an empty list print as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
