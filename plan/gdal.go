package plan

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"quyhoach/gis"
	"quyhoach/store"
)

// ogrLayer is a layer as ogrinfo describes it.
type ogrLayer struct {
	Name     string
	Geometry string
	Features int
	WKT      string // "" when GDAL knows no system
	Fields   []FieldInfo
}

// gdalSource is the name GDAL opens a file by: a zip's member through
// /vsizip/.
func gdalSource(path string, ff FileFormat) (string, error) {
	if ff.Member == "" {
		return path, nil
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	return "/vsizip/" + abs + "/" + ff.Member, nil
}

// gdalLayers lists the layers of a file GDAL reads, and the name GDAL
// opens it by; ErrNeedGDAL without GDAL.
func gdalLayers(ctx context.Context, path string, ff FileFormat) (string, []ogrLayer, error) {
	if _, err := exec.LookPath("ogr2ogr"); err != nil {
		return "", nil, &ErrNeedGDAL{File: path, Format: ff.Name}
	}
	src, err := gdalSource(path, ff)
	if err != nil {
		return "", nil, err
	}
	layers, err := ogrLayers(ctx, src)
	if err != nil {
		return "", nil, fmt.Errorf("%s (%s): %w", path, ff.Name, err)
	}
	return src, layers, nil
}

// ogrLayers lists a file's layers with `ogrinfo -ro -so -al`.
func ogrLayers(ctx context.Context, src string) ([]ogrLayer, error) {
	cmd := exec.CommandContext(ctx, "ogrinfo", "-ro", "-so", "-al", src)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if i := strings.LastIndex(msg, "\n"); i >= 0 {
			msg = msg[i+1:]
		}
		return nil, fmt.Errorf("GDAL cannot read it: %s", strings.TrimPrefix(strings.TrimPrefix(msg, "FAILURE: "), "ERROR 4: "))
	}
	return parseOGRInfo(out), nil
}

var fieldLine = regexp.MustCompile(`^([^:]+): (\w+(?:\(\w+\))?) \(([\d.]+)\)$`)

// parseOGRInfo reads ogrinfo's summary of every layer.
func parseOGRInfo(out []byte) []ogrLayer {
	var ls []ogrLayer
	var cur *ogrLayer
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<16), 1<<24)
	inWKT, depth := false, 0
	var wkt strings.Builder
	for sc.Scan() {
		line := sc.Text()
		if inWKT {
			wkt.WriteString(line)
			wkt.WriteByte('\n')
			depth += strings.Count(line, "[") - strings.Count(line, "]")
			if depth <= 0 {
				cur.WKT, inWKT = strings.TrimSpace(wkt.String()), false
			}
			continue
		}
		switch {
		case strings.HasPrefix(line, "Layer name: "):
			ls = append(ls, ogrLayer{Name: strings.TrimPrefix(line, "Layer name: ")})
			cur = &ls[len(ls)-1]
		case cur == nil:
		case strings.HasPrefix(line, "Geometry: "):
			cur.Geometry = strings.TrimPrefix(line, "Geometry: ")
		case strings.HasPrefix(line, "Feature Count: "):
			cur.Features, _ = strconv.Atoi(strings.TrimPrefix(line, "Feature Count: "))
		case line == "Layer SRS WKT:":
			inWKT, depth = true, 0
			wkt.Reset()
		case strings.HasPrefix(line, "Layer SRS WKT:") || line == "(unknown)":
		default:
			if m := fieldLine.FindStringSubmatch(line); m != nil && !strings.Contains(m[1], " Column") && !strings.HasPrefix(m[1], "Data axis") {
				cur.Fields = append(cur.Fields, FieldInfo{Name: m[1], Type: m[2]})
			}
		}
	}
	for i := range ls {
		if ls[i].WKT == "(unknown)" {
			ls[i].WKT = ""
		}
	}
	return ls
}

// readGDAL reads a layer of any format GDAL reads: ogr2ogr copies it,
// coordinates untouched, into a temporary GeoPackage that our reader
// reads; the transformation to WGS84 is ours, from the system GDAL reports
// for the layer (recognised by its parameters, see crs.FromWKT), so that a
// file reads the same through GDAL as through our own readers.
func readGDAL(ctx context.Context, path string, ff FileFormat, o ReadOptions) (*Reading, error) {
	src, layers, err := gdalLayers(ctx, path, ff)
	if err != nil {
		return nil, err
	}
	if len(layers) == 0 {
		return nil, fmt.Errorf("%s (%s): no layer in it", path, ff.Name)
	}
	var lay *ogrLayer
	want := o.Table
	if want == "" && len(layers) > 1 {
		want = o.Layer
	}
	for i := range layers {
		if want == "" || layers[i].Name == want {
			lay = &layers[i]
			break
		}
	}
	if lay == nil {
		var ns []string
		for _, l := range layers {
			ns = append(ns, l.Name)
		}
		asked := o.Table
		return nil, &LayerChoiceError{File: path, Layers: ns, Asked: asked}
	}
	r := &Reading{}
	var note string
	if r.System, note, err = systemOf(lay.WKT, o, path+": layer "+lay.Name, path+": layer "+lay.Name+" does not say its coordinate system"); err != nil {
		return nil, err
	}
	if note != "" {
		r.Notes = append(r.Notes, note)
	}
	dir, err := os.MkdirTemp("", "quyhoach-gdal-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	tmp := filepath.Join(dir, "layer.gpkg")
	// -a_srs labels the copy with a code our GeoPackage reader takes,
	// without transforming anything: the coordinates stay the file's.
	label := "EPSG:3405"
	if r.System.Geographic() {
		label = "EPSG:4326"
	}
	args := []string{"-f", "GPKG", tmp, src, lay.Name, "-nln", "layer", "-a_srs", label, "-dim", "XY"}
	cmd := exec.CommandContext(ctx, "ogr2ogr", args...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("%s: ogr2ogr could not convert layer %s: %s", path, lay.Name, lastLine(out))
	}
	l, _, err := store.ReadGeoPackage(ctx, tmp, "layer")
	if err != nil {
		return nil, fmt.Errorf("%s: layer %s: %s", path, lay.Name, strings.ReplaceAll(err.Error(), tmp, "the converted copy"))
	}
	name := o.Layer
	if name == "" {
		name = lay.Name
	}
	if strings.HasPrefix(ff.Name, "KML") || ff.Name == "KMZ" {
		dropKMLHousekeeping(l.Features)
	}
	r.Notes = append(r.Notes, restoreNames(l.Features)...)
	out := []gis.Layer{{Name: name, Features: l.Features}}
	if err := toWGS84(out, r.System); err != nil {
		return nil, err
	}
	r.Layers = out
	return r, nil
}

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}

// FieldInfo is a field of a file's layer.
type FieldInfo struct {
	Name string
	Type string // as the format or GDAL names it: String, Real, Integer …
}

// kmlHousekeeping are the fields GDAL's KML drivers make of how Google
// Earth draws a placemark, which are not plan data.
var kmlHousekeeping = []string{"Name", "description", "timestamp", "begin", "end", "altitudeMode", "tessellate",
	"extrude", "visibility", "drawOrder", "icon", "snippet"}

// dropKMLHousekeeping deletes them from the features' properties; the
// feature_id our KML carries becomes the id.
func dropKMLHousekeeping(fs []gis.Feature) {
	for i := range fs {
		for _, k := range kmlHousekeeping {
			delete(fs[i].Properties, k)
		}
		if id, ok := fs[i].Properties["feature_id"].(string); ok {
			fs[i].ID = id
			delete(fs[i].Properties, "feature_id")
		}
	}
}
