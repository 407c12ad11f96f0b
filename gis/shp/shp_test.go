package shp

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/vntext"
)

// sample reads Chi Ma's lots, from which the fixtures were made.
func sample(t testing.TB) []map[string]any {
	t.Helper()
	var fc struct {
		Features []struct {
			Properties map[string]any
			Geometry   struct{ Coordinates [][][2]float64 }
		}
	}
	b, err := os.ReadFile("../../assets/sample/chi-ma/v1/ChucNangSuDungDat_A.geojson")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, f := range fc.Features {
		var r orb.Ring
		for _, p := range f.Geometry.Coordinates[0] {
			r = append(r, orb.Point(p))
		}
		f.Properties["_area"] = gis.Area(orb.Polygon{r})
		out = append(out, f.Properties)
	}
	return out
}

func readZip(t testing.TB, path string, o Options) *Layer {
	t.Helper()
	src, closeFn, err := OpenZip(path, "")
	if err != nil {
		t.Fatal(err)
	}
	defer closeFn()
	l, err := Read(src, o)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return l
}

// TestSampleShapefiles: GDAL's Shapefiles of the sample lots give back
// their geometry and attributes, whatever the DBF's encoding.
func TestSampleShapefiles(t *testing.T) {
	want := sample(t)
	for _, c := range []struct {
		file    string
		enc     vntext.Encoding
		wantEnc vntext.Encoding
		names   func(string) string
	}{
		{"chi-ma-cp1258.zip", vntext.Auto, vntext.CP1258, func(s string) string { return s }},
		// TCVN3 (no .cpg, so the user says so); the en dash TCVN3 lacks was a hyphen.
		{"chi-ma-tcvn3.zip", vntext.TCVN3, vntext.TCVN3, func(s string) string { return strings.ReplaceAll(s, "–", "-") }},
	} {
		l := readZip(t, "../../testdata/formats/"+c.file, Options{Encoding: c.enc})
		if l.Type != Polygon || len(l.Features) != len(want) || l.Encoding != c.wantEnc || !strings.Contains(l.PRJ, "Vietnam_2000") {
			t.Fatalf("%s: %s, %d features, encoding %s, prj %q", c.file, l.Type, len(l.Features), l.Encoding, l.PRJ)
		}
		for i, f := range l.Features {
			w := want[i]
			if a := gis.Area(f.Geometry); math.Abs(a-w["_area"].(float64)) > 1e-6*a {
				t.Errorf("%s: lot %v: area %f, want %f", c.file, w["maDoiTuong"], a, w["_area"])
			}
			// GDAL cut the names to 10 characters: tenDoiTuon.
			if got, wn := f.Properties["tenDoiTuon"], c.names(w["tenDoiTuong"].(string)); got != wn {
				t.Errorf("%s: name %q, want %q", c.file, got, wn)
			}
			if f.Properties["maDoiTuong"] != w["maDoiTuong"] || f.Properties["tangCaoMax"] != w["tangCaoMax"] {
				t.Errorf("%s: %v", c.file, f.Properties)
			}
		}
	}
	// Read as Windows-1252, the TCVN3 names are what other programs show.
	l := readZip(t, "../../testdata/formats/chi-ma-tcvn3.zip", Options{})
	if n := l.Features[1].Properties["tenDoiTuon"].(string); !strings.HasPrefix(n, "§Êt") {
		t.Errorf("TCVN3 read as Windows-1252: %q", n)
	}
}

// TestAgainstOGRInfo: as many features as GDAL counts.
func TestAgainstOGRInfo(t *testing.T) {
	if _, err := exec.LookPath("ogrinfo"); err != nil {
		t.Skip("ogrinfo not installed")
	}
	for _, f := range []string{"chi-ma-cp1258.zip", "chi-ma-tcvn3.zip", "chi-ma-tm3-106-50.zip"} {
		path := "../../testdata/formats/" + f
		out, err := exec.Command("ogrinfo", "-ro", "-so", "-al", "/vsizip/"+path).Output()
		if err != nil {
			t.Fatal(err)
		}
		if l := readZip(t, path, Options{}); !strings.Contains(string(out), "Feature Count: "+strconv.Itoa(len(l.Features))+"\n") {
			t.Errorf("%s: we read %d, ogrinfo says\n%s", f, len(l.Features), out)
		}
	}
}

// shpFile builds a .shp of one polygon record whose header fields can lie.
func shpFile(contentWords uint32, nParts, nPoints uint32) []byte {
	var b bytes.Buffer
	h := make([]byte, 100)
	binary.BigEndian.PutUint32(h, 9994)
	binary.LittleEndian.PutUint32(h[28:], 1000)
	binary.LittleEndian.PutUint32(h[32:], 5)
	b.Write(h)
	rec := make([]byte, 8)
	binary.BigEndian.PutUint32(rec, 1)
	binary.BigEndian.PutUint32(rec[4:], contentWords)
	b.Write(rec)
	body := make([]byte, 44+4+16*4)
	binary.LittleEndian.PutUint32(body, 5)
	binary.LittleEndian.PutUint32(body[36:], nParts)
	binary.LittleEndian.PutUint32(body[40:], nPoints)
	for i, p := range [][2]float64{{0, 0}, {0, 1}, {1, 1}, {0, 0}} {
		binary.LittleEndian.PutUint64(body[48+16*i:], math.Float64bits(p[0]))
		binary.LittleEndian.PutUint64(body[56+16*i:], math.Float64bits(p[1]))
	}
	b.Write(body)
	out := b.Bytes()
	binary.BigEndian.PutUint32(out[24:], uint32(len(out)/2))
	return out
}

func TestHostileShapefiles(t *testing.T) {
	good := shpFile(uint32((44+4+64)/2), 1, 4)
	read := func(shp []byte, dbf []byte) error {
		src := &Source{Name: "x", SHP: bytes.NewReader(shp), SHPSize: int64(len(shp))}
		if dbf != nil {
			src.DBF, src.DBFSize = bytes.NewReader(dbf), int64(len(dbf))
		}
		_, err := Read(src, Options{})
		return err
	}
	if err := read(good, nil); err != nil {
		t.Fatalf("the good file: %v", err)
	}
	dbfLie := make([]byte, 33)
	dbfLie[0] = 3
	binary.LittleEndian.PutUint32(dbfLie[4:], 1_000_000_000)
	binary.LittleEndian.PutUint16(dbfLie[8:], 33)
	binary.LittleEndian.PutUint16(dbfLie[10:], 100)
	dbfLie[32] = 0x0D
	for _, c := range []struct {
		name     string
		shp, dbf []byte
		want     string
	}{
		{"a record longer than the file", shpFile(1_000_000_000, 1, 4), nil, "bytes remain"},
		{"a record shorter than its points", shpFile(10, 1, 4), nil, "too few"},
		{"a billion points in 112 bytes", shpFile(uint32((44+4+64)/2), 1, 1_000_000_000), nil, "1000000000 points"},
		{"a billion parts", shpFile(uint32((44+4+64)/2), 1_000_000_000, 4), nil, "1000000000 parts"},
		{"truncated", good[:150], nil, "bytes remain"},
		{"not a Shapefile", []byte(strings.Repeat("x", 200)), nil, "not a Shapefile"},
		{"a DBF that claims a billion records", good, dbfLie, "1000000000 records"},
		{"a DBF shorter than its header", good, []byte{3, 0, 0}, "header"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := read(c.shp, c.dbf); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want an error saying %q", err, c.want)
			}
		})
	}
}

// TestWriteZip writes lots with holes and several parts, lines and long
// Vietnamese names, reads them back (names from the field-name table) and
// has GDAL read them with the same count, fields and areas.
func TestWriteZip(t *testing.T) {
	sq := func(x, y, s float64) orb.Ring {
		return orb.Ring{{x, y}, {x + s, y}, {x + s, y + s}, {x, y + s}, {x, y}}
	}
	hole := sq(444010, 2430010, 10)
	lots := []gis.Feature{
		{ID: "0190a", Geometry: orb.Polygon{sq(444000, 2430000, 100), reversedRing(hole)}, Properties: map[string]any{
			"maDoiTuong": "ONM-01", "tenDoiTuong": "Đất nhóm nhà ở – khu A", "matDoXayDung": 40.0, "heSoSuDungDat": 1.25, "coHaTang": true}},
		{ID: "0190b", Geometry: orb.MultiPolygon{{sq(444200, 2430000, 50)}, {sq(444300, 2430000, 20)}}, Properties: map[string]any{
			"maDoiTuong": "CN-01", "tenDoiTuong": "Công nghiệp", "matDoXayDung": 60.0}},
	}
	lines := []gis.Feature{{Geometry: orb.LineString{{444000, 2429990}, {444400, 2429990}}, Properties: map[string]any{"tenDoiTuong": "Đường"}}}
	dir := t.TempDir()
	path := filepath.Join(dir, "plan.zip")
	f, _ := os.Create(path)
	zw := zip.NewWriter(f)
	if err := WriteZip(zw, "ChucNangSuDungDat_A", lots, `PROJCS["VN-2000_TM-3_107-15",GEOGCS["GCS_VN_2000",DATUM["D_Vietnam_2000",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",107.25],PARAMETER["Scale_Factor",0.9999],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := WriteZip(zw, "TimDuongGiaoThong_L", lines, "", time.Now()); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	f.Close()
	if ls, err := ZipLayers(path); err != nil || strings.Join(ls, ",") != "ChucNangSuDungDat_A,TimDuongGiaoThong_L" {
		t.Fatalf("layers %v %v", ls, err)
	}
	src, closeFn, err := OpenZip(path, "ChucNangSuDungDat_A")
	if err != nil {
		t.Fatal(err)
	}
	l, err := Read(src, Options{})
	closeFn()
	if err != nil {
		t.Fatal(err)
	}
	if l.Encoding != vntext.UTF8 || len(l.Features) != 2 {
		t.Fatalf("read back: %s, %d features", l.Encoding, len(l.Features))
	}
	for i, f := range l.Features {
		if f.ID != lots[i].ID || gis.Area(f.Geometry) != gis.Area(lots[i].Geometry) || len(f.Properties) != len(lots[i].Properties) {
			t.Errorf("feature %d: %s %v %v", i, f.ID, gis.Area(f.Geometry), f.Properties)
		}
		for k, v := range lots[i].Properties {
			if f.Properties[k] != v {
				t.Errorf("feature %d: %s = %v, want %v", i, k, f.Properties[k], v)
			}
		}
	}
	if _, ok := l.Features[1].Geometry.(orb.MultiPolygon); !ok {
		t.Errorf("two parts read back as a %T", l.Features[1].Geometry)
	}
	if _, err := exec.LookPath("ogrinfo"); err != nil {
		return
	}
	out, err := exec.Command("ogrinfo", "-ro", "/vsizip/"+path+"/ChucNangSuDungDat_A.shp", "-dialect", "SQLite", "-sql",
		"SELECT COUNT(*) AS n, SUM(ST_Area(geometry)) AS a, MAX(tenDoiTuon) AS t FROM ChucNangSuDungDat_A").CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	s := string(out)
	if !strings.Contains(s, "n (Integer) = 2") || !strings.Contains(s, "a (Real) = 12800") || !strings.Contains(s, "t (String) = Đất nhóm nhà ở – khu A") {
		t.Errorf("GDAL reads:\n%s", s)
	}
}

func reversedRing(r orb.Ring) orb.Ring {
	c := append(orb.Ring(nil), r...)
	for i, j := 0, len(c)-1; i < j; i, j = i+1, j-1 {
		c[i], c[j] = c[j], c[i]
	}
	return c
}

// FuzzRead feeds the reader broken Shapefiles: an error or features,
// never a panic.
func FuzzRead(f *testing.F) {
	f.Add(shpFile(uint32((44+4+64)/2), 1, 4), []byte{})
	if zr, err := zip.OpenReader("../../testdata/formats/chi-ma-cp1258.zip"); err == nil {
		var shp, dbf []byte
		for _, m := range zr.File {
			rc, _ := m.Open()
			var b bytes.Buffer
			b.ReadFrom(rc)
			rc.Close()
			switch filepath.Ext(m.Name) {
			case ".shp":
				shp = b.Bytes()
			case ".dbf":
				dbf = b.Bytes()
			}
		}
		zr.Close()
		f.Add(shp[:2000], dbf[:3000])
	}
	f.Fuzz(func(t *testing.T, shp, dbf []byte) {
		src := &Source{Name: "f", SHP: bytes.NewReader(shp), SHPSize: int64(len(shp))}
		if len(dbf) > 0 {
			src.DBF, src.DBFSize = bytes.NewReader(dbf), int64(len(dbf))
		}
		l, err := Read(src, Options{})
		if err == nil && len(l.Features)*12 > len(shp) {
			t.Fatalf("%d features from %d bytes", len(l.Features), len(shp))
		}
	})
}

// TestZValuesDropped: a PolygonZ Shapefile reads as polygons, with a note.
func TestZValuesDropped(t *testing.T) {
	if _, err := exec.LookPath("ogr2ogr"); err != nil {
		t.Skip("ogr2ogr not installed")
	}
	dir := t.TempDir()
	if out, err := exec.Command("ogr2ogr", "-f", "ESRI Shapefile", "-dim", "XYZ", dir, "../../assets/sample/chi-ma/v1/ChucNangSuDungDat_A.geojson").CombinedOutput(); err != nil {
		t.Fatalf("%v %s", err, out)
	}
	src, closeFn, err := Open(filepath.Join(dir, "ChucNangSuDungDat_A.shp"))
	if err != nil {
		t.Fatal(err)
	}
	defer closeFn()
	l, err := Read(src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := sample(t)
	if l.Type != PolygonZ || len(l.Features) != len(want) || len(l.Notes) == 0 || !strings.Contains(l.Notes[0], "Z and M values dropped") {
		t.Fatalf("%s, %d features, notes %q", l.Type, len(l.Features), l.Notes)
	}
	for i, f := range l.Features {
		if a := gis.Area(f.Geometry); math.Abs(a-want[i]["_area"].(float64)) > 1e-6*a {
			t.Errorf("lot %d: area %f, want %f", i, a, want[i]["_area"])
		}
	}
}
