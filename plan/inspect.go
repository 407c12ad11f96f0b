package plan

import (
	"context"
	"strings"

	"quyhoach/gis"
	"quyhoach/gis/shp"
	"quyhoach/store"
)

// LayerInfo is a layer a file holds, for a face to offer before reading.
type LayerInfo struct {
	Name     string      // the file's name of it: a table, a Shapefile, a GDAL layer, a drawing's plan layer
	Kind     string      // gis.AreaKind, LineKind, PointKind or MixedKind
	Features int         // how many
	Fields   []FieldInfo // its attributes
}

// FileInfo is what a file holds, as the window's import dialog shows it.
type FileInfo struct {
	Format FileFormat
	Layers []LayerInfo
	// Reading is the file read with o (a drawing with Partial, so that its
	// problems are listed rather than refused): its system, notes,
	// problems and CAD layer mapping. Nil for a file of several layers
	// GDAL lists without reading.
	Reading *Reading
}

// Inspect tells what a file holds: its format (by content), its layers
// with their kinds, counts and fields, and, for a drawing, what each CAD
// layer becomes and the problems a strict read would refuse. It reads the
// file (a drawing or a one-layer file whole; a GeoPackage or a GDAL file of
// several layers only its list).
func Inspect(ctx context.Context, path string, o ReadOptions) (*FileInfo, error) {
	ff, err := Detect(path)
	if err != nil {
		return nil, err
	}
	info := &FileInfo{Format: ff}
	switch {
	case ff.Format == GeoPackage && o.Table == "":
		tables, err := store.GeoPackageTables(ctx, path)
		if err != nil {
			return nil, err
		}
		if len(tables) > 1 {
			for _, t := range tables {
				l, _, err := store.ReadGeoPackage(ctx, path, t)
				if err != nil {
					return nil, err
				}
				info.Layers = append(info.Layers, describeLayer(t, l.Features))
			}
			return info, nil
		}
	case ff.Format == Shapefile && ff.Zip && o.Table == "":
		names, err := shp.ZipLayers(path)
		if err != nil {
			return nil, err
		}
		if len(names) > 1 {
			for _, n := range names {
				oo := o
				oo.Table, oo.Layer = n, n
				r, err := Read(ctx, path, oo)
				if err != nil {
					return nil, err
				}
				info.Layers = append(info.Layers, describeLayer(n, r.Layers[0].Features))
			}
			return info, nil
		}
	case ff.Format == GDAL && o.Table == "":
		_, ls, err := gdalLayers(ctx, path, ff)
		if err != nil {
			return nil, err
		}
		if len(ls) > 1 {
			for _, l := range ls {
				info.Layers = append(info.Layers, LayerInfo{Name: l.Name, Kind: kindOfOGR(l.Geometry), Features: l.Features, Fields: l.Fields})
			}
			return info, nil
		}
	}
	o.CAD.Partial = true
	r, err := Read(ctx, path, o)
	if err != nil {
		return nil, err
	}
	info.Reading = r
	for _, l := range r.Layers {
		info.Layers = append(info.Layers, describeLayer(l.Name, l.Features))
	}
	return info, nil
}

// describeLayer summarises features: their kind and the fields their
// properties make (Real for numbers, Boolean, String).
func describeLayer(name string, fs []gis.Feature) LayerInfo {
	fields := fieldSet{}
	for _, f := range fs {
		fields.add(f.Properties)
	}
	return LayerInfo{Name: name, Kind: gis.Layer{Name: name, Features: fs}.Kind(), Features: len(fs), Fields: fields.list()}
}

func kindOfOGR(geom string) string {
	g := strings.ToLower(geom)
	switch {
	case strings.Contains(g, "polygon"):
		return gis.AreaKind
	case strings.Contains(g, "line"):
		return gis.LineKind
	case strings.Contains(g, "point"):
		return gis.PointKind
	}
	return gis.MixedKind
}
