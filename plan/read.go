package plan

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/cadplan"
	"quyhoach/gis/crs"
	"quyhoach/gis/geojson"
	"quyhoach/gis/landuse"
	"quyhoach/gis/vntext"
	"quyhoach/store"
)

// ReadOptions says how to read a file.
type ReadOptions struct {
	// Layer is the plan layer the file's features become, e.g.
	// ChucNangSuDungDat_A. For a drawing, which holds several, it picks one
	// ("" takes them all).
	Layer string
	// Table is the file's own layer when it holds several: a GeoPackage
	// table, a Shapefile of a zip, a layer GDAL reads ("" the one named like
	// Layer, or the only one).
	Table string
	// CRS is the coordinates' system when the file does not say: a drawing
	// (default VN-2000 / TM-3 107-15, EPSG:9215), a Shapefile without .prj, a
	// GeoJSON without crs. When the file says, it must agree.
	CRS crs.Code
	// System is CRS for systems without a code of the program's own: any
	// VN-2000 grid (crs.ParseSystem), a province's own meridian included.
	// It wins over CRS.
	System crs.System
	// Encoding overrides how text is decoded: a Shapefile's .cpg or DBF
	// language byte, a drawing's code page and fonts.
	Encoding vntext.Encoding
	// RequireGeometry refuses features without one (lots need a geometry;
	// a dossier's deletions do not).
	RequireGeometry bool
	// CAD says how a drawing becomes plan layers.
	CAD CADOptions
}

// CADOptions say how a drawing is read as plan layers (see cadplan).
type CADOptions struct {
	// Catalogue classes lots whose CAD layer is named like a class (its
	// TT 16 CAD layer name or its code); nil: only the tables class lots.
	Catalogue *landuse.Catalogue
	// Table maps CAD layers first: the user's table, then the store's.
	Table cadplan.Table
	// Presets map common CAD layer names after the catalogue.
	Presets cadplan.Table
	// CodePattern tells lot codes among a lot's texts ("": cadplan's default).
	CodePattern string
	// Indicators read indicator texts (nil: cadplan's defaults).
	Indicators []cadplan.Indicator
	// Offset is added to the drawing's coordinates (a local false origin).
	Offset orb.Point
	// Tolerance is the chord tolerance of arcs and curves, m (0: 1 cm).
	Tolerance float64
	// Units overrides $INSUNITS: metres per drawing unit (0: from the file).
	Units float64
	// Partial takes the valid lots of a drawing with problems and reports
	// the rest in Reading.Problems; without it the problems are a
	// *ProblemsError and nothing is read.
	Partial bool
}

// Problem is something of a drawing that does not read as a plan, with
// its place (see cadplan.Problem).
type Problem = cadplan.Problem

// Reading is a file read into plan layers.
type Reading struct {
	File   string
	Format FileFormat
	Layers []gis.Layer // WGS84
	// System is the system the file's coordinates were read in.
	System crs.System
	// Notes say what was assumed or dropped (Z values, a MapInfo datum, a
	// code page…), for the user to check.
	Notes []string
	// Problems of a drawing read with Partial: the lots left out.
	Problems []Problem
	// Mapping tells, for a drawing, what each CAD layer became; layers that
	// map to nothing (dimensions, frames) are listed with Via "".
	Mapping []cadplan.Mapping
	// Encoding is how the file's text was decoded (Shapefile, drawing).
	Encoding vntext.Encoding
}

// ProblemsError is a drawing refused for its problems: nothing was read.
type ProblemsError struct {
	File     string
	Problems []Problem
	Lots     int // the lots the drawing holds, problems or not
}

// Valid returns how many lots of the drawing no problem names: what
// Partial would take.
func (e *ProblemsError) Valid() int {
	bad := map[int]bool{}
	for _, p := range e.Problems {
		for _, i := range p.Lots {
			bad[i] = true
		}
	}
	return e.Lots - len(bad)
}

func (e *ProblemsError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d problem(s) in the drawing, nothing read:", e.File, len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// system returns the system the options name, and whether they name one.
func (o ReadOptions) system() (crs.System, bool) {
	if o.System.Name != "" {
		return o.System, true
	}
	if o.CRS != 0 {
		if s, ok := crs.Lookup(o.CRS); ok {
			return s, true
		}
		return crs.System{Code: o.CRS, Name: o.CRS.String()}, true
	}
	return crs.System{}, false
}

// ReadLayer reads one layer of a file into WGS84: a GeoJSON file, a
// GeoPackage table, a Shapefile (loose or zipped), a DXF drawing's plan
// layer o.Layer, or a layer of any format GDAL's ogr2ogr reads. An area
// layer (_A) takes polygons only. Errors name the file and the place.
func ReadLayer(ctx context.Context, path string, o ReadOptions) (gis.Layer, error) {
	r, err := Read(ctx, path, o)
	if err != nil {
		return gis.Layer{}, err
	}
	if len(r.Layers) != 1 {
		return gis.Layer{}, &LayerChoiceError{File: path, Layers: names(r.Layers)}
	}
	return r.Layers[0], nil
}

// LayerChoiceError is a file of several layers read without choosing one.
type LayerChoiceError struct {
	File   string
	Layers []string
	Asked  string
}

func (e *LayerChoiceError) Error() string {
	if e.Asked != "" {
		return fmt.Sprintf("%s has no layer %s (it has %s)", e.File, e.Asked, strings.Join(e.Layers, ", "))
	}
	return fmt.Sprintf("%s holds several layers: choose one (%s)", e.File, strings.Join(e.Layers, ", "))
}

func names(ls []gis.Layer) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Name
	}
	return out
}

// Read reads a file into WGS84 plan layers, its format told by its
// content (see Detect): one layer for most formats, the plan layers of a
// drawing (lots, boundary, red lines, road centre lines, markers) or the
// one o.Layer names.
func Read(ctx context.Context, path string, o ReadOptions) (*Reading, error) {
	ff, err := Detect(path)
	if err != nil {
		return nil, err
	}
	var r *Reading
	switch ff.Format {
	case GeoJSON:
		r, err = readGeoJSON(path, o)
	case GeoPackage:
		r, err = readGeoPackage(ctx, path, o)
	case DXF:
		r, err = readDrawing(ctx, path, o)
	case Shapefile:
		r, err = readShapefile(path, ff, o)
	case GDAL:
		r, err = readGDAL(ctx, path, ff, o)
	default:
		err = fmt.Errorf("%s: %s files are not read", path, ff.Name)
	}
	if err != nil {
		return nil, err
	}
	r.File, r.Format = path, ff
	for _, l := range r.Layers {
		if err := checkLayer(path, l, o.RequireGeometry); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// checkLayer refuses lines and points in an _A layer (TT16: areas) and,
// when asked, features without geometry.
func checkLayer(path string, l gis.Layer, requireGeometry bool) error {
	area := gis.KindOfName(l.Name) == gis.AreaKind
	for i, f := range l.Features {
		switch {
		case f.Geometry == nil && requireGeometry:
			return fmt.Errorf("%s: feature %d has no geometry", path, i)
		case area && f.Geometry != nil && !gis.Polygonal(f.Geometry):
			return fmt.Errorf("%s: feature %d: layer %s holds areas, not a %s", path, i, l.Name, f.Geometry.GeoJSONType())
		}
	}
	return nil
}

// toWGS84 transforms features from sys to WGS84 in place.
func toWGS84(ls []gis.Layer, sys crs.System) error {
	wgs, _ := crs.Lookup(crs.WGS84)
	tr, err := crs.Between(sys, wgs)
	if err != nil {
		return err
	}
	if sys.Code != crs.WGS84 {
		gis.Project(ls, tr)
	}
	for _, l := range ls {
		for _, f := range l.Features {
			if f.Geometry != nil {
				geojson.Orient(f.Geometry)
			}
		}
	}
	return nil
}

func readGeoJSON(path string, o ReadOptions) (*Reading, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	given, _ := o.system()
	code := given.Code
	if given.Name != "" && code == 0 {
		return nil, fmt.Errorf("%s: a GeoJSON file's system must be an EPSG code, not %s", path, given.Name)
	}
	col, err := geojson.Read(f, geojson.Options{RequireGeometry: o.RequireGeometry, CRS: code})
	if err != nil {
		if code == 0 && strings.Contains(err.Error(), "outside longitude/latitude range") {
			err = fmt.Errorf("%w\nthe coordinates look projected: if the file is in VN-2000 metres, give --crs EPSG:9215 (TM-3 107-15) or --crs EPSG:3405 (UTM 48N)", err)
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if code != 0 && col.CRS != code {
		return nil, fmt.Errorf("%s: the file says its CRS is %s but --crs says %s", path, col.CRS, code)
	}
	sys, _ := crs.Lookup(col.CRS)
	if err := col.Transform(crs.WGS84); err != nil {
		return nil, err
	}
	return &Reading{Layers: []gis.Layer{{Name: o.Layer, Features: col.Features}}, System: sys}, nil
}

// readGeoPackage reads a layer from a GeoPackage feature table into WGS84.
func readGeoPackage(ctx context.Context, path string, o ReadOptions) (*Reading, error) {
	table := o.Table
	if table == "" {
		tables, err := store.GeoPackageTables(ctx, path)
		if err != nil {
			return nil, fmt.Errorf("%s is an SQLite file but not a GeoPackage", path)
		}
		for _, t := range tables {
			if t == o.Layer {
				table = t
			}
		}
	}
	l, c, err := store.ReadGeoPackage(ctx, path, table)
	if err != nil {
		return nil, err
	}
	if given, ok := o.system(); ok && given.Code != c {
		return nil, fmt.Errorf("%s: table %s is in %s but --crs says %s", path, l.Name, c, given)
	}
	col := &geojson.Collection{CRS: c, Features: l.Features}
	if err := col.Transform(crs.WGS84); err != nil {
		return nil, err
	}
	sys, _ := crs.Lookup(c)
	name := o.Layer
	if name == "" {
		name = l.Name
	}
	return &Reading{Layers: []gis.Layer{{Name: name, Features: col.Features}}, System: sys}, nil
}
