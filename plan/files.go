package plan

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"quyhoach/atomicfile"
	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/gis/geojson"
	"quyhoach/store"
)

// ReadOptions says how to read a layer from a file.
type ReadOptions struct {
	Layer string   // the layer it becomes, e.g. ChucNangSuDungDat_A
	Table string   // GeoPackage: the feature table (default: the one named like Layer, or the only one)
	CRS   crs.Code // the file's CRS when it does not say; 0: it says, or WGS84
	// RequireGeometry refuses features without one (lots need a geometry;
	// a dossier's deletions do not).
	RequireGeometry bool
}

// ReadLayer reads a GeoJSON file or a GeoPackage feature table into a
// WGS84 layer. A CRS given in o must agree with one the file declares; an
// area layer (_A) takes polygons only. Errors name the file and the feature.
func ReadLayer(ctx context.Context, path string, o ReadOptions) (gis.Layer, error) {
	f, err := os.Open(path)
	if err != nil {
		return gis.Layer{}, err
	}
	defer f.Close()
	head := make([]byte, 16)
	n, _ := io.ReadFull(f, head)
	var l gis.Layer
	if string(head[:n]) == "SQLite format 3\x00" {
		l, err = readGeoPackage(ctx, path, o)
	} else if _, err = f.Seek(0, io.SeekStart); err == nil {
		l, err = readGeoJSON(f, path, o)
	}
	if err != nil {
		return gis.Layer{}, err
	}
	return l, checkAreaLayer(path, l)
}

func readGeoJSON(r io.Reader, path string, o ReadOptions) (gis.Layer, error) {
	col, err := geojson.Read(r, geojson.Options{RequireGeometry: o.RequireGeometry, CRS: o.CRS})
	if err != nil {
		if o.CRS == 0 && strings.Contains(err.Error(), "outside longitude/latitude range") {
			err = fmt.Errorf("%w\nthe coordinates look projected: if the file is in VN-2000 metres, give --crs EPSG:9215 (TM-3 107-15) or --crs EPSG:3405 (UTM 48N)", err)
		}
		return gis.Layer{}, fmt.Errorf("%s: %w", path, err)
	}
	if o.CRS != 0 && col.CRS != o.CRS {
		return gis.Layer{}, fmt.Errorf("%s: the file says its CRS is %s but --crs says %s", path, col.CRS, o.CRS)
	}
	if err := col.Transform(crs.WGS84); err != nil {
		return gis.Layer{}, err
	}
	return gis.Layer{Name: o.Layer, Features: col.Features}, nil
}

// readGeoPackage reads a layer from a GeoPackage feature table into WGS84.
func readGeoPackage(ctx context.Context, path string, o ReadOptions) (gis.Layer, error) {
	table := o.Table
	if table == "" {
		tables, err := store.GeoPackageTables(ctx, path)
		if err != nil {
			return gis.Layer{}, fmt.Errorf("%s is an SQLite file but not a GeoPackage", path)
		}
		for _, t := range tables {
			if t == o.Layer {
				table = t
			}
		}
	}
	l, c, err := store.ReadGeoPackage(ctx, path, table)
	if err != nil {
		return gis.Layer{}, err
	}
	if o.CRS != 0 && o.CRS != c {
		return gis.Layer{}, fmt.Errorf("%s: table %s is in %s but --crs says %s", path, l.Name, c, o.CRS)
	}
	for i, f := range l.Features {
		if o.RequireGeometry && f.Geometry == nil {
			return gis.Layer{}, fmt.Errorf("%s: table %s feature %d has no geometry", path, l.Name, i)
		}
	}
	col := &geojson.Collection{CRS: c, Features: l.Features}
	if err := col.Transform(crs.WGS84); err != nil {
		return gis.Layer{}, err
	}
	return gis.Layer{Name: o.Layer, Features: col.Features}, nil
}

// checkAreaLayer refuses lines and points in an _A layer (TT16: areas).
func checkAreaLayer(path string, l gis.Layer) error {
	if gis.KindOfName(l.Name) != gis.AreaKind {
		return nil
	}
	for i, f := range l.Features {
		if f.Geometry != nil && !gis.Polygonal(f.Geometry) {
			return fmt.Errorf("%s: feature %d: layer %s holds areas, not a %s", path, i, l.Name, f.Geometry.GeoJSONType())
		}
	}
	return nil
}

// Export formats.
const (
	GeoJSON    = "geojson"
	GeoPackage = "gpkg"
)

// FormatOf tells an export format from a file name: .gpkg a GeoPackage,
// .geojson, .json or no extension GeoJSON.
func FormatOf(path string) (string, error) {
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".gpkg":
		return GeoPackage, nil
	case ".geojson", ".json", "":
		return GeoJSON, nil
	default:
		return "", &ExportError{fmt.Sprintf("cannot tell the format of %s from %q: name it .geojson or .gpkg, or give --format", path, ext)}
	}
}

// ExportRequest is a plan version written to a file.
type ExportRequest struct {
	Plan    string
	Version int      // 0: the current one
	Layers  []string // nil: every layer (a GeoJSON file holds one)
	Format  string   // GeoJSON or GeoPackage; "" from Path's name
	// CRS of the file; 0: EPSG:4326 for GeoJSON as RFC 7946 asks,
	// EPSG:9215 for a GeoPackage as TT 16 delivers.
	CRS  crs.Code
	Path string    // the file, written whole or not at all
	Out  io.Writer // GeoJSON only: write here instead of to Path
}

// ExportError is an export that cannot be made as asked.
type ExportError struct{ Msg string }

func (e *ExportError) Error() string { return e.Msg }

// Export writes a plan version's layers to a GeoJSON file or a GeoPackage.
func Export(ctx context.Context, src Source, req ExportRequest) error {
	format, target, err := req.settle()
	if err != nil {
		return err
	}
	snap, err := src.Load(ctx, req.Plan, req.Version, req.Layers...)
	if err != nil {
		return err
	}
	layers := snap.Layers
	if target != crs.WGS84 {
		tr, err := crs.New(crs.WGS84, target)
		if err != nil {
			return err
		}
		layers = gis.Project(layers, tr)
	}
	if format == GeoPackage {
		return store.WriteGeoPackage(ctx, req.Path, layers, target)
	}
	if len(layers) > 1 {
		names := make([]string, len(layers))
		for i, l := range layers {
			names[i] = l.Name
		}
		return &ExportError{fmt.Sprintf("a GeoJSON file holds one layer: choose one with --layer (%s), or export .gpkg for all of them", strings.Join(names, ", "))}
	}
	col := &geojson.Collection{CRS: target, Features: layers[0].Features}
	if req.Out != nil {
		return geojson.Write(req.Out, col)
	}
	return atomicfile.Write(req.Path, func(f *os.File) error { return geojson.Write(f, col) })
}

// settle fills in the format and CRS a request leaves out.
func (req ExportRequest) settle() (format string, target crs.Code, err error) {
	format = req.Format
	if format == "" {
		if req.Out != nil {
			format = GeoJSON
		} else if format, err = FormatOf(req.Path); err != nil {
			return "", 0, err
		}
	}
	switch format {
	case GeoJSON:
		target = crs.WGS84
	case GeoPackage:
		target = crs.TM3LangSon
		if req.Out != nil {
			return "", 0, &ExportError{"a GeoPackage cannot go to standard output"}
		}
	default:
		return "", 0, &ExportError{fmt.Sprintf("format %q is not supported (geojson, gpkg)", format)}
	}
	if req.CRS != 0 {
		target = req.CRS
	}
	return format, target, nil
}
