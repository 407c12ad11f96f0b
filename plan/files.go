package plan

import (
	"archive/zip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"quyhoach/atomicfile"
	"quyhoach/gis"
	"quyhoach/gis/cadplan"
	"quyhoach/gis/crs"
	"quyhoach/gis/dxf"
	"quyhoach/gis/geojson"
	"quyhoach/gis/gpkg"
	"quyhoach/gis/kml"
	"quyhoach/gis/landuse"
	"quyhoach/gis/shp"
	"quyhoach/store"
)

// FormatOf tells an export format from a file name: .gpkg a GeoPackage,
// .dxf a drawing, .zip a zipped Shapefile, .kml and .kmz for Google Earth,
// .geojson, .json or no extension GeoJSON.
func FormatOf(path string) (string, error) {
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".gpkg":
		return GeoPackage, nil
	case ".geojson", ".json", "":
		return GeoJSON, nil
	case ".dxf":
		return DXF, nil
	case ".zip":
		return Shapefile, nil
	case ".kml":
		return KML, nil
	case ".kmz":
		return KMZ, nil
	case ".shp":
		return "", &ExportError{fmt.Sprintf("a Shapefile is several files: it is written as a .zip of them; name it %s.zip", strings.TrimSuffix(path, filepath.Ext(path)))}
	default:
		return "", &ExportError{fmt.Sprintf("cannot tell the format of %s from %q: name it .geojson, .gpkg, .dxf, .zip (Shapefile), .kml or .kmz, or give --format", path, ext)}
	}
}

// ExportRequest is a plan version written to a file.
type ExportRequest struct {
	Plan    string
	Version int      // 0: the current one
	Dossier int64    // set: the dossier's proposal instead of a version (Plan may be "")
	Layers  []string // nil: every layer (a GeoJSON file holds one)
	Format  string   // GeoJSON, GeoPackage, DXF, Shapefile, KML or KMZ; "" from Path's name
	// CRS of the file; 0: EPSG:4326 for GeoJSON as RFC 7946 asks and for
	// KML (which knows no other), EPSG:9215 for a GeoPackage as TT 16
	// delivers, a drawing and a Shapefile.
	CRS  crs.Code
	Path string    // the file, written whole or not at all
	Out  io.Writer // GeoJSON and KML only: write here instead of to Path
	// Catalogue gives a drawing its class layers and colours and KML its
	// colours and class names; nil: layers named by phanLoai, grey.
	Catalogue *landuse.Catalogue
}

// exportSnapshot loads what an export writes: a version (its layers asked
// for), or a dossier's proposal.
func exportSnapshot(ctx context.Context, src Source, req ExportRequest) (*store.Snapshot, error) {
	if req.Dossier == 0 {
		return src.Load(ctx, req.Plan, req.Version, req.Layers...)
	}
	snap, _, err := Load(ctx, src, req.Plan, Ref{Dossier: req.Dossier})
	if err != nil || len(req.Layers) == 0 {
		return snap, err
	}
	var kept []gis.Layer
	for _, name := range req.Layers {
		l := snap.Layer(name)
		if l == nil {
			return nil, &ExportError{fmt.Sprintf("dossier %d proposes no layer %s", req.Dossier, name)}
		}
		kept = append(kept, *l)
	}
	snap.Layers = kept
	return snap, nil
}

// ExportError is an export that cannot be made as asked.
type ExportError struct{ Msg string }

func (e *ExportError) Error() string { return e.Msg }

// Export writes a plan version's layers to a file: GeoJSON, GeoPackage
// (one table per layer), DXF (one CAD layer per land-use class), a zipped
// Shapefile (one per layer), KML or KMZ.
func Export(ctx context.Context, src Source, req ExportRequest) error {
	format, target, err := req.settle()
	if err != nil {
		return err
	}
	if done, err := exportStreamed(ctx, src, req, format, target); done {
		return err
	}
	snap, err := exportSnapshot(ctx, src, req)
	if err != nil {
		return err
	}
	layers := snap.Layers
	if format == KML || format == KMZ {
		return writeKML(req, snap, format)
	}
	if target != crs.WGS84 {
		tr, err := crs.New(crs.WGS84, target)
		if err != nil {
			return err
		}
		layers = gis.Project(layers, tr)
	}
	switch format {
	case GeoPackage:
		return store.WriteGeoPackage(ctx, req.Path, layers, target)
	case DXF:
		doc := Drawing(layers, req.Catalogue)
		return atomicfile.Write(req.Path, func(f *os.File) error { return dxf.Write(f, doc) })
	case Shapefile:
		return writeShapefiles(req.Path, layers, target)
	}
	if len(layers) > 1 {
		return &ExportError{fmt.Sprintf("a GeoJSON file holds one layer: choose one with --layer (%s), or export .gpkg for all of them", strings.Join(names(layers), ", "))}
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
	case GeoPackage, DXF, Shapefile:
		target = crs.TM3LangSon
		if req.Out != nil {
			return "", 0, &ExportError{fmt.Sprintf("a %s cannot go to standard output", formatName(format))}
		}
	case KML, KMZ:
		target = crs.WGS84
		if req.CRS != 0 && req.CRS != crs.WGS84 {
			return "", 0, &ExportError{"KML is in WGS84 (EPSG:4326) only"}
		}
		if format == KMZ && req.Out != nil {
			return "", 0, &ExportError{"a KMZ cannot go to standard output"}
		}
	default:
		return "", 0, &ExportError{fmt.Sprintf("format %q is not supported (geojson, gpkg, dxf, shp, kml, kmz)", format)}
	}
	if req.CRS != 0 {
		target = req.CRS
	}
	return format, target, nil
}

func formatName(f string) string {
	switch f {
	case GeoPackage:
		return "GeoPackage"
	case DXF:
		return "drawing"
	case Shapefile:
		return "Shapefile"
	}
	return f
}

// writeShapefiles writes each layer as a Shapefile into one zip archive.
func writeShapefiles(path string, layers []gis.Layer, target crs.Code) error {
	srs, err := gpkg.SRSOf(target)
	if err != nil {
		return &ExportError{fmt.Sprintf("no .prj for %s: %v", target, err)}
	}
	now := time.Now()
	return atomicfile.Write(path, func(f *os.File) error {
		zw := zip.NewWriter(f)
		for _, l := range layers {
			if err := shp.WriteZip(zw, l.Name, l.Features, srs.Definition, now); err != nil {
				return err
			}
		}
		return zw.Close()
	})
}

// Drawing makes the DXF drawing of plan layers (in the grid, metres): a
// CAD layer per land-use class (its TT 16 CAD layer name and ACI colour)
// holding each lot as a closed LWPOLYLINE with a solid HATCH, the lot's
// code and indicators as texts at its label point the way drawings write
// them (cadplan.Texts), and each other layer on a CAD layer of its own
// name. Every entity carries its feature's id and properties as extended
// data, so a drawing read back is the same plan.
func Drawing(layers []gis.Layer, cat *landuse.Catalogue) dxf.Doc {
	var doc dxf.Doc
	seen := map[string]bool{}
	addLayer := func(name string, color int) {
		if !seen[name] {
			seen[name] = true
			doc.Layers = append(doc.Layers, dxf.LayerDef{Name: name, Color: color})
		}
	}
	const textLayer = "KY_HIEU_LO"
	for _, l := range layers {
		lots := l.Name == gis.LandUseLayer
		for _, f := range l.Features {
			if f.Geometry == nil {
				continue
			}
			layer, color := l.Name, nonLotColor(l.Name)
			if lots {
				layer, color = classLayer(f, cat)
			}
			addLayer(layer, color)
			polys := slices.Collect(gis.Polygons(f.Geometry))
			for k, p := range polys {
				data := featureData(f, k, len(polys))
				doc.Entities = append(doc.Entities, dxf.Out{Kind: dxf.OutPolyline, Layer: layer, Path: p[0], Closed: true, Data: data})
				if lots {
					doc.Entities = append(doc.Entities, dxf.Out{Kind: dxf.OutHatch, Layer: layer, Rings: p})
				}
			}
			if len(polys) == 0 {
				for path := range gis.Paths(f.Geometry) {
					data := featureData(f, 0, 1)
					if path.Kind == gis.Points {
						for _, q := range path.Points {
							doc.Entities = append(doc.Entities, dxf.Out{Kind: dxf.OutPoint, Layer: layer, At: q, Data: data})
						}
						continue
					}
					doc.Entities = append(doc.Entities, dxf.Out{Kind: dxf.OutPolyline, Layer: layer, Path: path.Points, Data: data})
				}
			}
			if lots && len(polys) > 0 {
				addLayer(textLayer, 7)
				at := gis.InteriorPoint(largestPolygon(polys))
				texts := cadplan.Texts(f)
				h := 2.0 // m: 4 mm at 1/500
				for i, t := range texts {
					y := at[1] + (float64(len(texts)-1)/2-float64(i))*h*1.5
					doc.Entities = append(doc.Entities, dxf.Out{Kind: dxf.OutText, Layer: textLayer, Text: t, At: orb.Point{at[0], y}, Height: h})
				}
			}
		}
	}
	return doc
}

func largestPolygon(ps []orb.Polygon) orb.Polygon {
	best, a := ps[0], gis.Area(ps[0])
	for _, p := range ps[1:] {
		if b := gis.Area(p); b > a {
			best, a = p, b
		}
	}
	return best
}

// classLayer is a lot's CAD layer: its class's TT 16 name and colour.
func classLayer(f gis.Feature, cat *landuse.Catalogue) (string, int) {
	if cat != nil {
		if c, ok := cat.Of(f); ok {
			return c.Layer, c.ACI
		}
	}
	if p := strings.TrimSpace(f.String("phanLoai")); p != "" {
		return p, 7
	}
	return "DAT_KHONG_RO", 7
}

// nonLotColor is the colour of a layer other than the lots: red for
// boundaries and red lines, grey for centre lines.
func nonLotColor(layer string) int {
	switch {
	case strings.HasPrefix(layer, "RanhGioi"), strings.HasPrefix(layer, "ChiGioi"):
		return 1
	case strings.HasPrefix(layer, "TimDuong"):
		return 8
	}
	return 7
}

// featureData is the extended data of a feature's entity: its id and
// properties (part k of n of a multipart feature).
func featureData(f gis.Feature, k, n int) []string {
	props, _ := json.Marshal(f.Properties)
	out := []string{"props=" + string(props)}
	if f.ID != "" {
		out = append([]string{"id=" + f.ID}, out...)
	}
	if n > 1 {
		out = append(out, fmt.Sprintf("part=%d/%d", k+1, n))
	}
	return out
}

// writeKML writes a version for Google Earth: lots in their class
// colours, a description table of code, class, official area and
// indicators.
func writeKML(req ExportRequest, snap *store.Snapshot, format string) error {
	grid, _ := crs.New(crs.WGS84, crs.TM3LangSon)
	o := kml.Options{
		Name: snap.Plan.Name,
		StyleOf: func(layer string, f gis.Feature) (string, kml.Style) {
			if layer == gis.LandUseLayer && req.Catalogue != nil {
				if c, ok := req.Catalogue.Of(f); ok {
					fill := c.RGB
					fill.A = 0xB0
					return c.Code, kml.Style{Fill: fill, Line: darker(c.RGB), Width: 1}
				}
			}
			s := kml.Style{Line: kmlLineColor(layer), Width: 2}
			if gis.KindOfName(layer) == gis.AreaKind && layer != gis.LandUseLayer {
				s.Width = 3 // boundaries: no fill
			} else if layer == gis.LandUseLayer {
				s.Fill = kmlGrey
			}
			return layer, s
		},
		Describe: func(layer string, f gis.Feature) (string, []kml.Row) {
			return kmlDescribe(layer, f, req.Catalogue, grid)
		},
	}
	write := func(w io.Writer) error {
		if format == KMZ {
			return kml.WriteKMZ(w, snap.Layers, o)
		}
		return kml.Write(w, snap.Layers, o)
	}
	if req.Out != nil {
		return write(req.Out)
	}
	return atomicfile.Write(req.Path, func(f *os.File) error { return write(f) })
}
