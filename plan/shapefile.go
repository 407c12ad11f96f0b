package plan

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/gis/shp"
)

// readShapefile reads a Shapefile, loose or the one of a zip named by
// o.Table (or like o.Layer, or the only one).
func readShapefile(path string, ff FileFormat, o ReadOptions) (*Reading, error) {
	var src *shp.Source
	var closeFn func() error
	var err error
	if ff.Zip {
		name := o.Table
		if name == "" {
			if ls, err := shp.ZipLayers(path); err == nil && len(ls) > 1 {
				name = o.Layer
			}
		}
		src, closeFn, err = shp.OpenZip(path, name)
	} else {
		src, closeFn, err = shp.Open(path)
	}
	if err != nil {
		var le *shp.LayerError
		if errors.As(err, &le) {
			return nil, &LayerChoiceError{File: path, Layers: le.Layers, Asked: le.Asked}
		}
		return nil, err
	}
	defer closeFn()
	l, err := shp.Read(src, shp.Options{Encoding: o.Encoding})
	if err != nil {
		return nil, &FileError{path + " (" + src.Name + ")", err}
	}
	r := &Reading{Notes: l.Notes, Encoding: l.Encoding}
	var note string
	if r.System, note, err = systemOf(l.PRJ, o, path+": the .prj of "+src.Name, path+": "+src.Name+" has no .prj to say its coordinate system"); err != nil {
		return nil, err
	}
	if note != "" {
		r.Notes = append(r.Notes, note)
	}
	name := o.Layer
	if name == "" {
		name = src.Name
	}
	r.Notes = append(r.Notes, restoreNames(l.Features)...)
	layers := []gis.Layer{{Name: name, Features: l.Features}}
	if err := toWGS84(layers, r.System); err != nil {
		return nil, err
	}
	r.Layers = layers
	return r, nil
}

// systemOf is the system of a file's coordinates: the one its WKT
// describes, which a system the options name must agree with, else the
// options'; an error when neither says. where and none name the file in
// errors.
func systemOf(wkt string, o ReadOptions, where, none string) (sys crs.System, note string, err error) {
	given, ok := o.system()
	if wkt == "" {
		if !ok {
			return sys, "", fmt.Errorf("%s: give it with --crs (e.g. EPSG:9215 for VN-2000 / TM-3 107-15)", none)
		}
		return given, "", nil
	}
	if sys, note, err = crs.FromWKT(wkt); err != nil {
		return sys, "", fmt.Errorf("%s: %w", where, err)
	}
	if ok && !sameSystem(given, sys) {
		return sys, "", fmt.Errorf("%s says %s but --crs says %s", where, sys, given)
	}
	return sys, note, nil
}

// sameSystem reports whether two systems are one (same code, or the same
// grid).
func sameSystem(a, b crs.System) bool {
	if a.Code != 0 || b.Code != 0 {
		return a.Code == b.Code
	}
	return a.Datum == b.Datum && a.Projected == b.Projected && a.Lon0 == b.Lon0 && a.K0 == b.K0 && a.FE == b.FE && a.FN == b.FN
}

// FieldNames are the property names of TT 16 plan data the program knows:
// the six common fields and the lot indicators (DOMAIN.md).
var FieldNames = []string{"maThongTinQH", "maHoSoQH", "maDoiTuong", "tenDoiTuong", "phanLoai", "ghiChu",
	"matDoXayDung", "tangCaoMin", "tangCaoMax", "heSoSuDungDat", "khoangLui", "danSo", "giaiDoan"}

// restoreNames gives back the TT 16 names that a DBF's 10-byte field
// names cut (GDAL and ArcGIS write tenDoiTuong as tenDoiTuon), and says
// which it restored. It modifies the features' properties.
func restoreNames(fs []gis.Feature) []string {
	full := map[string]string{}
	for _, n := range FieldNames {
		if len(n) > 10 {
			full[n[:10]] = n
		}
	}
	done := map[string]bool{}
	for _, f := range fs {
		for k, v := range f.Properties {
			n, ok := full[k]
			if !ok {
				continue
			}
			if _, taken := f.Properties[n]; taken {
				continue
			}
			f.Properties[n] = v
			delete(f.Properties, k)
			done[k] = true
		}
	}
	var notes []string
	for k := range done {
		notes = append(notes, fmt.Sprintf("field %s read as %s", k, full[k]))
	}
	slices.Sort(notes)
	if len(notes) > 1 {
		notes = []string{"fields cut to 10 characters read by their TT 16 names: " + strings.Join(notes, "; ")}
	}
	return notes
}
