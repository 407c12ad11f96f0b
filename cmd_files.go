package main

// Reading plan files of every format: the flags import and dossier apply
// share, and the formats command.

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/paulmach/orb"

	"quyhoach/assets"
	"quyhoach/gis/cadplan"
	"quyhoach/gis/crs"
	"quyhoach/gis/vntext"
	"quyhoach/plan"
	"quyhoach/store"
)

func init() {
	register(command{"cad-layers", "cad-layers [--set FILE | --clear]: the store's CAD layer → class table, used by every drawing import after --cad-map", cmdCADLayers})
	register(command{"formats", "list the file formats read and written here [--json]", cmdFormats})
}

// systemFlag is a --crs flag for files read: an EPSG code of a VN-2000
// grid or "TM-3 106-50" for a province's own meridian.
type systemFlag struct{ sys crs.System }

func (f *systemFlag) String() string { return f.sys.Name }

func (f *systemFlag) Set(s string) (err error) {
	f.sys, err = crs.ParseSystem(s)
	return err
}

// readFlags are the flags of commands that read a plan file.
type readFlags struct {
	table       *string
	crs         systemFlag
	encoding    *string
	cadMap      *string
	partial     *bool
	offset      *string
	codePattern *string
	indicators  strList
	tolerance   *float64
	units       *string
}

func addReadFlags(fs *flag.FlagSet) *readFlags {
	rf := &readFlags{}
	rf.table = fs.String("table", "", "the file's own layer when it holds several: GeoPackage table, Shapefile of a zip, GDAL layer")
	fs.Var(&rf.crs, "crs", "coordinates' system when the file does not say: EPSG:9215 (drawings' default), another VN-2000 grid (EPSG:9216 …), or \"TM-3 106-50\"")
	rf.encoding = fs.String("encoding", "", "text encoding instead of the file's: "+strings.Join(vntext.Names, "|"))
	rf.cadMap = fs.String("cad-map", "", "drawings: CSV file of cad_layer,class_code rows (class code, TT 16 layer name, or - to ignore)")
	rf.partial = fs.Bool("partial", false, "drawings: take the valid lots and report the problems of the others")
	rf.offset = fs.String("offset", "", "drawings: DX,DY metres added to the coordinates (a drawing on a local false origin)")
	rf.codePattern = fs.String("code-pattern", "", "drawings: regular expression of a lot code among a lot's texts (default "+cadplan.DefaultCodePattern+")")
	fs.Var(&rf.indicators, "indicator", "drawings: FIELD[,FIELD]=REGEXP read from a lot's texts, before the default ones (repeatable)")
	rf.tolerance = fs.Float64("tolerance", 0, "drawings: chord tolerance of arcs and curves, m (default 0.01)")
	rf.units = fs.String("units", "", "drawings: mm, cm or m instead of $INSUNITS")
	return rf
}

// options builds the read options the flags say.
func (rf *readFlags) options(layer string) (plan.ReadOptions, error) {
	o := plan.ReadOptions{Layer: layer, Table: *rf.table, System: rf.crs.sys}
	if *rf.encoding != "" {
		e, err := vntext.Parse(*rf.encoding)
		if err != nil {
			return o, usageErr("--encoding %q: want one of %s", *rf.encoding, strings.Join(vntext.Names, ", "))
		}
		o.Encoding = e
	}
	cat, err := catalogue()
	if err != nil {
		return o, err
	}
	presets, err := cadplan.ParseTable(bytes.NewReader(assets.CADLayers), cat)
	if err != nil {
		return o, fmt.Errorf("the CAD layer presets: %w", err)
	}
	o.CAD = plan.CADOptions{Catalogue: cat, Presets: presets, Partial: *rf.partial, CodePattern: *rf.codePattern, Tolerance: *rf.tolerance}
	if *rf.cadMap != "" {
		f, err := os.Open(*rf.cadMap)
		if err != nil {
			return o, usageErr("--cad-map: %v", err)
		}
		defer f.Close()
		if o.CAD.Table, err = cadplan.ParseTable(f, cat); err != nil {
			return o, usageErr("--cad-map %s: %s", *rf.cadMap, strings.TrimPrefix(err.Error(), "cadplan: "))
		}
	}
	if *rf.offset != "" {
		a, b, ok := strings.Cut(*rf.offset, ",")
		dx, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
		dy, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
		if !ok || err1 != nil || err2 != nil {
			return o, usageErr("--offset %q: want DX,DY in metres, e.g. 440000,2420000", *rf.offset)
		}
		o.CAD.Offset = orb.Point{dx, dy}
	}
	for _, s := range rf.indicators {
		ind, err := cadplan.ParseIndicator(s)
		if err != nil {
			return o, usageErr("--%s", err)
		}
		o.CAD.Indicators = append(o.CAD.Indicators, ind)
	}
	if len(o.CAD.Indicators) > 0 {
		o.CAD.Indicators = append(o.CAD.Indicators, cadplan.DefaultIndicators...)
	}
	switch strings.ToLower(*rf.units) {
	case "":
	case "mm":
		o.CAD.Units = 0.001
	case "cm":
		o.CAD.Units = 0.01
	case "m":
		o.CAD.Units = 1
	default:
		return o, usageErr("--units %q: want mm, cm or m", *rf.units)
	}
	if *rf.tolerance < 0 {
		return o, usageErr("--tolerance %g: want metres greater than 0", *rf.tolerance)
	}
	return o, nil
}

// read reads a plan file for a command, writing the notes and, with
// --partial, the problems left out to stderr; a drawing refused for its
// problems lists them, one a line, and says how to take the valid lots.
// storedTable adds the store's CAD layer table after the user's --cad-map.
func storedTable(ctx context.Context, st *store.Store, o *plan.ReadOptions) error {
	t, err := plan.StoredCADTable(ctx, st, o.CAD.Catalogue)
	if err != nil {
		return err
	}
	o.CAD.Table = append(o.CAD.Table, t...)
	return nil
}

func (c *cli) read(ctx context.Context, path string, o plan.ReadOptions) (*plan.Reading, error) {
	r, err := plan.Read(ctx, path, o)
	return c.told(path, r, err)
}

// sources opens a file for a streaming import (plan.Sources), saying what
// c.read says.
func (c *cli) sources(ctx context.Context, path string, o plan.ReadOptions) ([]store.LayerSource, *plan.Reading, error) {
	srcs, r, err := plan.Sources(ctx, path, o)
	r, err = c.told(path, r, err)
	return srcs, r, err
}

// told says what reading a file found: its problems as the error, its
// notes, what it left out and a drawing's mapping on the way.
func (c *cli) told(path string, r *plan.Reading, err error) (*plan.Reading, error) {
	var pe *plan.ProblemsError
	if errors.As(err, &pe) {
		for _, p := range pe.Problems {
			fmt.Fprintf(c.stderr, "quyhoach: %s: %s: %s\n", c.name, path, p)
		}
		return nil, &exitError{2, fmt.Errorf("%s: %s in the drawing, nothing imported (--partial takes the %s without problems)", path, plural(len(pe.Problems), "problem"), plural(pe.Valid(), "lot"))}
	}
	if err != nil {
		var le *plan.LayerChoiceError
		if errors.As(err, &le) {
			return nil, usageErr("%s (--table or --layer)", err)
		}
		return nil, err
	}
	for _, n := range r.Notes {
		fmt.Fprintf(c.stderr, "quyhoach: %s: %s: note: %s\n", c.name, path, n)
	}
	for _, p := range r.Problems {
		fmt.Fprintf(c.stderr, "quyhoach: %s: %s: left out: %s\n", c.name, path, p)
	}
	if len(r.Mapping) > 0 {
		c.printMapping(path, r)
	}
	return r, nil
}

// printMapping says what a drawing became: features per plan layer and the
// CAD layers that map to nothing.
func (c *cli) printMapping(path string, r *plan.Reading) {
	var parts []string
	for _, l := range r.Layers {
		parts = append(parts, fmt.Sprintf("%d %s", len(l.Features), l.Name))
	}
	fmt.Fprintf(c.stdout, "%s: %s (CAD in %s)\n", path, strings.Join(parts, ", "), r.System)
	var ignored []string
	for _, m := range r.Mapping {
		if m.Via == "" || m.Target.Ignore {
			ignored = append(ignored, fmt.Sprintf("%s (%d)", m.Layer, m.Entities-m.Used))
		}
	}
	if len(ignored) > 0 {
		fmt.Fprintf(c.stdout, "CAD layers ignored (entities not used): %s\n", strings.Join(ignored, ", "))
		fmt.Fprintln(c.stdout, "(a layer of lots among them maps to a class with --cad-map FILE, or for every import with cad-layers --set FILE: rows cad_layer,class_code)")
	}
}

func cmdFormats(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("formats [--json]")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	list := plan.Formats()
	if *asJSON {
		type row struct {
			Name       string `json:"name"`
			Extensions string `json:"extensions"`
			Read       bool   `json:"read"`
			Write      bool   `json:"write"`
			Via        string `json:"via"`
			Available  bool   `json:"available"`
			Note       string `json:"note,omitempty"`
		}
		var rows []row
		for _, f := range list {
			rows = append(rows, row{f.Name, f.Extensions, f.Read, f.Write, f.Via, f.Available, f.Note})
		}
		return writeJSON(c, rows)
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FORMAT\tREAD\tWRITE\tFILES\tBY\tNOTE")
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "-"
	}
	for _, f := range list {
		note := f.Note
		if !f.Available && f.Via == "GDAL ogr2ogr" {
			note = strings.TrimPrefix(strings.Join([]string{note, "needs GDAL: apt install gdal-bin"}, "; "), "; ")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", f.Name, yes(f.Read && f.Available), yes(f.Write), f.Extensions, f.Via, note)
	}
	return tw.Flush()
}

// cmdCADLayers shows or sets the store's CAD layer table.
func cmdCADLayers(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("cad-layers [--set FILE | --clear]")
	set := fs.String("set", "", "CSV file of cad_layer,class_code rows to keep in the store")
	clear := fs.Bool("clear", false, "remove the store's table")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	if *set != "" && *clear {
		return usageErr("--set and --clear exclude each other")
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
	switch {
	case *clear:
		return plan.SetStoredCADTable(ctx, st, nil)
	case *set != "":
		f, err := os.Open(*set)
		if err != nil {
			return usageErr("--set: %v", err)
		}
		defer f.Close()
		t, err := cadplan.ParseTable(f, cat)
		if err != nil {
			return usageErr("--set %s: %s", *set, strings.TrimPrefix(err.Error(), "cadplan: "))
		}
		if err := plan.SetStoredCADTable(ctx, st, t); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "the store's CAD layer table: %s\n", plural(len(t), "row"))
		return nil
	}
	t, err := plan.StoredCADTable(ctx, st, cat)
	if err != nil {
		return err
	}
	return t.Write(c.stdout)
}
