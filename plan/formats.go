package plan

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
)

// Formats, by the name the CLI's --format takes.
const (
	GeoJSON    = "geojson"
	GeoPackage = "gpkg"
	DXF        = "dxf"
	Shapefile  = "shp" // loose files or a .zip of them
	KML        = "kml"
	KMZ        = "kmz"
	GDAL       = "gdal" // anything else GDAL's ogr2ogr reads
	DWG        = "dwg"  // refused: save as DXF
)

// FileFormat is a file's format as Detect tells it from the content.
type FileFormat struct {
	Format string // one of the format constants
	Name   string // for people: "ESRI Shapefile (zip)", "MapInfo TAB", …
	// Member is the file inside a zip archive GDAL reads (a KMZ's .kml, a
	// zipped MapInfo table), "" otherwise.
	Member string
	Zip    bool
}

// ErrNeedGDAL is a format only GDAL reads, when ogr2ogr is not installed.
type ErrNeedGDAL struct {
	File, Format string
}

func (e *ErrNeedGDAL) Error() string {
	return fmt.Sprintf("%s: reading %s needs GDAL's ogr2ogr, which is not installed: install the gdal-bin package (Debian/Ubuntu: apt install gdal-bin; Windows: OSGeo4W or QGIS)", e.File, e.Format)
}

// Detect tells a file's format from its content — the first bytes, a zip's
// members, an XML root — and from its extension only where the content
// cannot tell (a MapInfo table's binary parts). A folder is a file
// geodatabase when it holds one. A DWG is told apart to be refused.
func Detect(p string) (FileFormat, error) {
	st, err := os.Stat(p)
	if err != nil {
		return FileFormat{}, err
	}
	if st.IsDir() {
		if m, _ := filepath.Glob(filepath.Join(p, "*.gdbtable")); len(m) > 0 {
			return FileFormat{Format: GDAL, Name: "Esri file geodatabase"}, nil
		}
		return FileFormat{}, fmt.Errorf("%s is a folder, not a file geodatabase (no .gdbtable in it)", p)
	}
	f, err := os.Open(p)
	if err != nil {
		return FileFormat{}, err
	}
	defer f.Close()
	head := make([]byte, 1024)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	ext := strings.ToLower(filepath.Ext(p))
	text := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	switch {
	case n == 0:
		return FileFormat{}, fmt.Errorf("%s is empty", p)
	case bytes.HasPrefix(head, []byte("\xff\xfe")) || bytes.HasPrefix(head, []byte("\xfe\xff")):
		// UTF-16 text: the GeoJSON reader says to save it as UTF-8.
		return FileFormat{Format: GeoJSON, Name: "GeoJSON (UTF-16)"}, nil
	case bytes.HasPrefix(head, []byte("SQLite format 3\x00")):
		return FileFormat{Format: GeoPackage, Name: "GeoPackage"}, nil
	case bytes.HasPrefix(head, []byte("AC10")) && n >= 6 && head[4] >= '0' && head[4] <= '9':
		return FileFormat{Format: DWG, Name: "AutoCAD DWG"}, fmt.Errorf("%s: a DWG drawing, whose format is closed: save it as DXF in AutoCAD (Save As → AutoCAD DXF) or convert it with the free ODA File Converter, then read the DXF", p)
	case bytes.HasPrefix(head, []byte("AutoCAD Binary DXF")):
		return FileFormat{Format: DXF, Name: "binary DXF"}, fmt.Errorf("%s: a binary DXF: save the drawing as ASCII DXF (AutoCAD: Save As → DXF, Options → ASCII)", p)
	case isDXF(text):
		return FileFormat{Format: DXF, Name: "AutoCAD DXF"}, nil
	case n >= 4 && bytes.Equal(head[:4], []byte{0, 0, 0x27, 0x0a}):
		return FileFormat{Format: Shapefile, Name: "ESRI Shapefile"}, nil
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return detectZip(p)
	case len(text) > 0 && text[0] == '{':
		return FileFormat{Format: GeoJSON, Name: "GeoJSON"}, nil
	case len(text) > 0 && text[0] == '<':
		switch s := string(bytes.ToLower(text)); {
		case strings.Contains(s, "<kml"):
			return FileFormat{Format: GDAL, Name: "KML"}, nil
		case strings.Contains(s, "gml"):
			return FileFormat{Format: GDAL, Name: "GML"}, nil
		}
		return FileFormat{Format: GDAL, Name: "XML (" + ext + ")"}, nil
	case bytes.HasPrefix(bytes.ToLower(text), []byte("!table")):
		return FileFormat{Format: GDAL, Name: "MapInfo TAB"}, nil
	case bytes.HasPrefix(bytes.ToLower(text), []byte("version ")) && bytes.Contains(bytes.ToLower(head), []byte("columns")):
		return FileFormat{Format: GDAL, Name: "MapInfo MIF"}, nil
	case n >= 4 && (head[0] == 0x08 || head[0] == 0xC8) && head[1] == 0x09 && head[2] == 0xFE && head[3] == 0x02:
		return FileFormat{Format: GDAL, Name: "MicroStation DGN"}, nil
	case ext == ".dbf" || ext == ".shx" || ext == ".prj" || ext == ".cpg":
		// A Shapefile named by one of its other parts.
		return FileFormat{Format: Shapefile, Name: "ESRI Shapefile"}, nil
	case isCSV(text):
		return FileFormat{Format: GDAL, Name: "CSV"}, nil
	}
	switch ext {
	case ".map", ".dat", ".id", ".ind":
		return FileFormat{}, fmt.Errorf("%s is a part of a MapInfo table: read its .tab", p)
	case ".geojson", ".json":
		// Named GeoJSON but not starting like it: its reader says what is wrong.
		return FileFormat{Format: GeoJSON, Name: "GeoJSON"}, nil
	}
	return FileFormat{Format: GDAL, Name: "unknown (" + ext + ")"}, nil
}

// isDXF reports an ASCII DXF: group code 0 then SECTION, or a 999 comment.
func isDXF(b []byte) bool {
	lines := bytes.SplitN(b, []byte("\n"), 3)
	if len(lines) < 2 {
		return false
	}
	code := string(bytes.TrimSpace(lines[0]))
	val := string(bytes.TrimSpace(lines[1]))
	return code == "0" && val == "SECTION" || code == "999"
}

// isCSV reports a text whose first line names a geometry column.
func isCSV(b []byte) bool {
	first, _, _ := bytes.Cut(b, []byte("\n"))
	up := strings.ToUpper(string(first))
	return strings.Contains(up, ",") && (strings.Contains(up, "WKT") || strings.Contains(up, "GEOM"))
}

// detectZip tells a zip archive by its members: Shapefiles, a KMZ's KML,
// a zipped file geodatabase or MapInfo table.
func detectZip(p string) (FileFormat, error) {
	zr, err := zip.OpenReader(p)
	if err != nil {
		return FileFormat{}, fmt.Errorf("%s: a broken zip archive: %w", p, err)
	}
	defer zr.Close()
	var kml, tab, gdb string
	shp := false
	for _, f := range zr.File {
		switch strings.ToLower(path.Ext(f.Name)) {
		case ".shp":
			shp = true
		case ".kml":
			kml = f.Name
		case ".tab":
			tab = f.Name
		case ".gdbtable":
			gdb = path.Dir(f.Name)
		}
	}
	switch {
	case shp:
		return FileFormat{Format: Shapefile, Name: "ESRI Shapefile (zip)", Zip: true}, nil
	case kml != "":
		return FileFormat{Format: GDAL, Name: "KMZ", Member: kml, Zip: true}, nil
	case gdb != "":
		return FileFormat{Format: GDAL, Name: "Esri file geodatabase (zip)", Member: gdb, Zip: true}, nil
	case tab != "":
		return FileFormat{Format: GDAL, Name: "MapInfo TAB (zip)", Member: tab, Zip: true}, nil
	}
	return FileFormat{}, fmt.Errorf("%s: a zip archive without a Shapefile, KML, file geodatabase or MapInfo table in it", p)
}

// FormatInfo is a format the program reads or writes, for `quyhoach formats`.
type FormatInfo struct {
	Name       string // "ESRI Shapefile"
	Extensions string // ".shp (+ .dbf .shx .prj .cpg), .zip"
	Read       bool
	Write      bool
	// Via says who does the work: "quyhoach", or "GDAL ogr2ogr" for
	// formats read through it.
	Via string
	// Available is false for a GDAL format when ogr2ogr is not installed.
	Available bool
	Note      string
}

// Formats lists what the program reads and writes here.
func Formats() []FormatInfo {
	_, err := exec.LookPath("ogr2ogr")
	gdal := err == nil
	return []FormatInfo{
		{"GeoJSON", ".geojson, .json", true, true, "quyhoach", true, "RFC 7946, WGS84 out; a legacy crs member or --crs in"},
		{"GeoPackage", ".gpkg", true, true, "quyhoach", true, "TT 16's delivery format; one table per layer, EPSG:9215 out"},
		{"AutoCAD DXF", ".dxf", true, true, "quyhoach", true, "ASCII R12–2018 in (lots from closed polylines and hatches); R2000 out"},
		{"ESRI Shapefile", ".shp (+ .dbf .shx .prj .cpg), .zip", true, true, "quyhoach", true, "DBF in UTF-8, CP1258, CP1252, TCVN3 or VNI; a zip out"},
		{"KML / KMZ", ".kml, .kmz", gdal, true, "quyhoach out, GDAL ogr2ogr in", true, "for Google Earth: WGS84, class colours"},
		{"TT 16 electronic dossier", "folder", false, true, "quyhoach", true, "HoSoGIS/ (GeoPackage), HoSoScan/ (PDF), HoSoBASIC/"},
		{"MapInfo TAB / MIF", ".tab, .mif", true, false, "GDAL ogr2ogr", gdal, ""},
		{"MicroStation DGN (v7)", ".dgn", true, false, "GDAL ogr2ogr", gdal, ""},
		{"GML", ".gml", true, false, "GDAL ogr2ogr", gdal, ""},
		{"Esri file geodatabase", ".gdb folder or .zip", true, false, "GDAL ogr2ogr", gdal, ""},
		{"CSV with WKT", ".csv", true, false, "GDAL ogr2ogr", gdal, "a WKT column"},
		{"Anything else GDAL reads", "", true, false, "GDAL ogr2ogr", gdal, "ogrinfo --formats lists them"},
		{"AutoCAD DWG", ".dwg", false, false, "", false, "closed format: save as DXF"},
	}
}
