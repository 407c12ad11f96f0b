package dxf

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/vntext"
)

func readFile(t testing.TB, path string, o Options) *Drawing {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := Read(f, o)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return d
}

func texts(d *Drawing) []string {
	var out []string
	for _, e := range d.Entities {
		if e.Text != "" {
			out = append(out, e.Text)
		}
	}
	return out
}

// TestOfficeDrawing reads the drawing made as a CAD office draws
// (testdata/make_office.py): millimetres, blocks, MTEXT with inline fonts,
// TCVN3 and VNI texts.
func TestOfficeDrawing(t *testing.T) {
	d := readFile(t, "testdata/office.dxf", Options{})
	if d.Version != "AC1015" || d.Units != 4 || d.Scale != 0.001 || d.CodePage != "ANSI_1252" {
		t.Errorf("header: %s units %d scale %g page %s", d.Version, d.Units, d.Scale, d.CodePage)
	}
	got := texts(d)
	for _, want := range []string{
		"ONM-01", "MĐXD 40%", "3-5T", "Nhà ở liên kế", // .VnTime: TCVN3
		"CN-01\nHSSDĐ 1,2\nCông nghiệp", // MTEXT, \f.VnTime runs
		"KNQ-01",                        // an ATTRIB of a block
		"Kho ngoại quan",                // VNI-Times
		"CÂY XANH",                      // .VnTimeH: the capitals font
		"Bản vẽ quy hoạch tổng mặt bằng",
	} {
		if !slices.Contains(got, want) {
			t.Errorf("text %q not read (texts: %q)", want, got)
		}
	}
	if d.Ignored["DIMENSION"] != 1 {
		t.Errorf("ignored: %v, want the one DIMENSION", d.Ignored)
	}
	// Blocks: CUM nests LO twice on layer 0, so they take the INSERT's layer;
	// LO is also inserted rotated 90° at twice the size, and as a MINSERT.
	var fromCUM, fromLO []Entity
	for _, e := range d.Entities {
		if e.Type == "LWPOLYLINE" && e.Block == "CUM" {
			fromCUM = append(fromCUM, e)
		}
		if e.Type == "LWPOLYLINE" && e.Block == "LO" {
			fromLO = append(fromLO, e)
		}
	}
	if len(fromCUM) != 2 || fromCUM[0].Layer != "DAT_O_Nhomnhao" || len(fromLO) != 3 {
		t.Fatalf("block lots: %d from CUM (%v), %d from LO", len(fromCUM), fromCUM, len(fromLO))
	}
	o := orb.Point{444000, 2430400}
	rel := func(b orb.Bound) orb.Bound {
		return orb.Bound{Min: orb.Point{b.Min[0] - o[0], b.Min[1] - o[1]}, Max: orb.Point{b.Max[0] - o[0], b.Max[1] - o[1]}}
	}
	want := []orb.Bound{{Min: orb.Point{60, 130}, Max: orb.Point{100, 190}}, {Min: orb.Point{120, 100}, Max: orb.Point{150, 120}}, {Min: orb.Point{160, 100}, Max: orb.Point{190, 120}}}
	for i, e := range fromLO {
		b := rel(orb.LineString(e.Path).Bound())
		if !near(b.Min, want[i].Min, 1e-6) || !near(b.Max, want[i].Max, 1e-6) || !e.Closed {
			t.Errorf("LO copy %d: %v, want %v", i, b, want[i])
		}
	}
	// An override of the encoding applies to every text: read as
	// Windows-1252, the TCVN3 texts are what other programs show.
	d2 := readFile(t, "testdata/office.dxf", Options{Encoding: vntext.CP1252})
	if !slices.Contains(texts(d2), "M§XD 40%") {
		t.Errorf("with cp1252: %q", texts(d2))
	}
}

func near(a, b orb.Point, tol float64) bool {
	return math.Abs(a[0]-b[0]) <= tol && math.Abs(a[1]-b[1]) <= tol
}

// TestCurvesKeepAreaWithinTolerance: arcs, bulges, circles and ellipses
// stay within the chord tolerance of the true curve and keep its area.
func TestCurvesKeepAreaWithinTolerance(t *testing.T) {
	for _, tol := range []float64{0.01, 0.001, 0.1} {
		fl := &flattener{tol: tol, max: 1 << 20}
		const r = 35.0
		pts := fl.path(nil, []seg{{kind: segArc, cx: 10, cy: 20, r: r, t0: 0, t1: 2 * math.Pi}}, false)
		var worst float64
		for i := 0; i+1 < len(pts); i++ {
			for k := 0; k <= 8; k++ { // along each chord
				f := float64(k) / 8
				p := orb.Point{pts[i][0] + f*(pts[i+1][0]-pts[i][0]), pts[i][1] + f*(pts[i+1][1]-pts[i][1])}
				worst = max(worst, math.Abs(math.Hypot(p[0]-10, p[1]-20)-r))
			}
		}
		if worst > tol {
			t.Errorf("tolerance %g: the circle's chords stray %g from it", tol, worst)
		}
		if a := gis.Area(orb.Polygon{orb.Ring(pts)}); math.Abs(a-math.Pi*r*r)/(math.Pi*r*r) > 1e-9 {
			t.Errorf("tolerance %g: circle area %f, want %f", tol, a, math.Pi*r*r)
		}
		// A bulge of a quarter turn: a square with one side bowed out.
		b := math.Tan(math.Pi / 8)
		sq := fl.path(nil, []seg{{kind: segVertices, verts: []vertex{{0, 0, 0}, {10, 0, b}, {10, 10, 0}, {0, 10, 0}}}}, true)
		rr := 10 / (2 * math.Sin(math.Pi/4))
		want := 100 + rr*rr/2*(math.Pi/2-1)
		if a := gis.Area(orb.Polygon{orb.Ring(sq)}); math.Abs(a-want) > 1e-9*want {
			t.Errorf("tolerance %g: bulged square %f, want %f", tol, a, want)
		}
	}
}

// ogrCounts counts GDAL's features of a drawing per CAD layer.
func ogrCounts(t *testing.T, path string) map[string]int {
	t.Helper()
	if _, err := exec.LookPath("ogrinfo"); err != nil {
		t.Skip("ogrinfo (gdal-bin) not installed")
	}
	// Each entity of a block its own feature, as we read them.
	out, err := exec.Command("ogrinfo", "--config", "DXF_MERGE_BLOCK_GEOMETRIES", "FALSE", "-ro", "-al", "-q", "-geom=NO", path).Output()
	if err != nil {
		t.Fatalf("ogrinfo %s: %v", path, err)
	}
	counts := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if l, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "Layer (String) = "); ok {
			counts[l]++
		}
	}
	return counts
}

// TestCountsAgainstGDAL: every CAD layer gives as many entities as GDAL
// reads features from it (blocks expanded both ways; the INSERTs we also
// report are not GDAL features; GDAL turns a DIMENSION into its lines and
// texts, which we leave out).
func TestCountsAgainstGDAL(t *testing.T) {
	for _, path := range []string{"testdata/office.dxf", "../../testdata/formats/chi-ma.dxf"} {
		gdal := ogrCounts(t, path)
		d := readFile(t, path, Options{})
		ours := map[string]int{}
		for _, e := range d.Entities {
			if e.Type != "INSERT" {
				ours[e.Layer]++
			}
		}
		for _, dim := range []string{"KICH_THUOC", "Defpoints"} { // the dimension's
			delete(gdal, dim)
			delete(ours, dim)
		}
		if fmt.Sprint(ours) != fmt.Sprint(gdal) {
			t.Errorf("%s: entities per layer\n ours %v\n GDAL %v", path, ours, gdal)
		}
	}
}

// TestSamplePlanDrawing: the drawing ogr2ogr made of Chi Ma's lots gives
// back each lot's outline and its code.
func TestSamplePlanDrawing(t *testing.T) {
	var sample struct {
		Features []struct {
			Properties map[string]any
			Geometry   struct{ Coordinates [][][2]float64 }
		}
	}
	b, err := os.ReadFile("../../assets/sample/chi-ma/v1/ChucNangSuDungDat_A.geojson")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &sample); err != nil {
		t.Fatal(err)
	}
	d := readFile(t, "../../testdata/formats/chi-ma.dxf", Options{})
	var hatches []Entity
	codes := map[string]bool{}
	for _, e := range d.Entities {
		switch e.Type {
		case "HATCH":
			hatches = append(hatches, e)
		case "MTEXT":
			codes[e.Text] = true
		}
	}
	if len(hatches) != len(sample.Features) {
		t.Fatalf("%d hatches for %d lots", len(hatches), len(sample.Features))
	}
	for i, f := range sample.Features {
		var ring orb.Ring
		for _, p := range f.Geometry.Coordinates[0] {
			ring = append(ring, orb.Point(p))
		}
		want := gis.Area(orb.Polygon{ring})
		got := gis.Area(orb.Polygon(hatches[i].Rings))
		if math.Abs(got-want) > 1e-4*want || hatches[i].Layer != f.Properties["phanLoai"] {
			t.Errorf("lot %v: area %f on %s, want %f on %v", f.Properties["maDoiTuong"], got, hatches[i].Layer, want, f.Properties["phanLoai"])
		}
		if !codes[f.Properties["maDoiTuong"].(string)] {
			t.Errorf("code %v not among the texts", f.Properties["maDoiTuong"])
		}
	}
}

// dxfText builds a DXF of the given entity section body.
func dxfText(entities string) string {
	return "0\nSECTION\n2\nENTITIES\n" + entities + "0\nENDSEC\n0\nEOF\n"
}

func TestHostileDrawings(t *testing.T) {
	office, err := os.ReadFile("testdata/office.dxf")
	if err != nil {
		t.Fatal(err)
	}
	var huge strings.Builder
	huge.WriteString("0\nSECTION\n2\nENTITIES\n0\nLWPOLYLINE\n8\nX\n90\n1000000\n70\n1\n")
	for i := range 1_000_000 {
		fmt.Fprintf(&huge, "10\n%d\n20\n0\n", i)
	}
	huge.WriteString("0\nENDSEC\n0\nEOF\n")
	block := func(name, body string) string {
		return "0\nBLOCK\n2\n" + name + "\n10\n0\n20\n0\n" + body + "0\nENDBLK\n"
	}
	blocks := func(bs ...string) string {
		return "0\nSECTION\n2\nBLOCKS\n" + strings.Join(bs, "") + "0\nENDSEC\n"
	}
	insert := func(name string) string { return "0\nINSERT\n8\n0\n2\n" + name + "\n10\n0\n20\n0\n" }
	var deep []string
	for i := range 20 {
		deep = append(deep, block(fmt.Sprint("B", i), insert(fmt.Sprint("B", i+1))))
	}
	deep = append(deep, block("B20", "0\nPOINT\n10\n1\n20\n1\n"))
	for _, c := range []struct {
		name, file, want string
	}{
		{"truncated", string(office[:len(office)/2]), "truncated"},
		{"truncated after a group code", "0\nSECTION\n2\nENTITIES\n0\nLINE\n10\n", "truncated"},
		{"a million vertices in one polyline", huge.String(), "more than 200000 vertices"},
		{"a group code that is not a number", dxfText("0\nLINE\nabc\n1\n"), "group code expected"},
		{"a coordinate that is not a number", dxfText("0\nLINE\n10\nxyz\n20\n0\n"), "number expected"},
		{"a coordinate too large", dxfText("0\nLINE\n10\n1e400\n20\n0\n"), "number expected"},
		{"a bulge before any vertex", dxfText("0\nLWPOLYLINE\n42\n1\n10\n0\n20\n0\n"), "before the first vertex"},
		{"a block that inserts itself", blocks(block("A", insert("A"))) + dxfText(insert("A")), "inserts itself"},
		{"blocks that insert each other", blocks(block("A", insert("B")), block("B", insert("A"))) + dxfText(insert("A")), "inserts itself"},
		{"blocks nested 20 deep", blocks(deep...) + dxfText(insert("B0")), "nested more than"},
		{"a MINSERT of a million copies", blocks(block("A", "0\nPOINT\n10\n1\n20\n1\n")) + dxfText("0\nINSERT\n2\nA\n70\n1000\n71\n1000\n"), "grid of 1000 × 1000"},
		{"an undefined block", dxfText(insert("NOPE")), "does not define"},
		{"a hatch whose counts lie", dxfText("0\nHATCH\n91\n1\n92\n2\n72\n0\n73\n1\n93\n1000000000\n10\n0\n20\n0\n"), "count 1000000000 out of range"},
		{"not a DXF", "hello\nworld\n", "not a DXF file"},
		{"cut in the middle of a line", dxfText("0\nLINE\n8\nA\n10\n0\n20\n0\n")[:30], "truncated"},
		{"an entity outside a section", "0\nLINE\n", "not a DXF file"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(c.file), Options{})
			var de *Error
			if err == nil || !strings.Contains(err.Error(), c.want) || !errors.As(err, &de) {
				t.Fatalf("got %v, want an error saying %q", err, c.want)
			}
		})
	}
	if _, err := Read(strings.NewReader("AutoCAD Binary DXF\r\n\x1a\x00"), Options{}); !errors.Is(err, ErrBinary) {
		t.Errorf("binary DXF: %v", err)
	}
	if _, err := Read(strings.NewReader("AC1032\x00\x00\x00\x00\x00"), Options{}); !errors.Is(err, ErrDWG) {
		t.Errorf("DWG: %v", err)
	}
}

// TestBlockExpansionBudget: blocks that multiply (each inserting the next
// ten times) stop at the drawing's entity budget, not at memory's end.
func TestBlockExpansionBudget(t *testing.T) {
	var b strings.Builder
	b.WriteString("0\nSECTION\n2\nBLOCKS\n")
	for i := range 7 {
		fmt.Fprintf(&b, "0\nBLOCK\n2\nB%d\n10\n0\n20\n0\n", i)
		for range 10 {
			fmt.Fprintf(&b, "0\nINSERT\n8\n0\n2\nB%d\n10\n1\n20\n1\n", i+1)
		}
		b.WriteString("0\nENDBLK\n")
	}
	b.WriteString("0\nBLOCK\n2\nB7\n10\n0\n20\n0\n0\nLWPOLYLINE\n10\n0\n20\n0\n10\n1\n20\n1\n0\nENDBLK\n0\nENDSEC\n")
	b.WriteString(dxfText("0\nINSERT\n8\n0\n2\nB0\n10\n0\n20\n0\n"))
	_, err := Read(strings.NewReader(b.String()), Options{MaxEntities: 100_000})
	if err == nil || !strings.Contains(err.Error(), "more than 100000 entities") {
		t.Fatalf("a block bomb: %v", err)
	}
}

func TestWriteReadBack(t *testing.T) {
	doc := Doc{
		Layers: []LayerDef{{"DAT_O_Nhomnhao", 42}, {"KY_HIEU_LO", 7}, {"MocGioiQuyHoach_P", 7}},
		Entities: []Out{
			{Kind: OutPolyline, Layer: "DAT_O_Nhomnhao", Path: []orb.Point{{444000, 2430000}, {444100, 2430000}, {444100, 2430080}, {444000, 2430080}, {444000, 2430000}}, Closed: true,
				Data: []string{"id=0190", `props={"maDoiTuong":"ONM-01","tenDoiTuong":"Nhà ở \"liên kế\" ` + strings.Repeat("dài ", 80) + `"}`}},
			{Kind: OutHatch, Layer: "DAT_O_Nhomnhao", Rings: []orb.Ring{
				{{444000, 2430000}, {444100, 2430000}, {444100, 2430080}, {444000, 2430080}, {444000, 2430000}},
				{{444010, 2430010}, {444010, 2430020}, {444020, 2430020}, {444020, 2430010}, {444010, 2430010}}}},
			{Kind: OutText, Layer: "KY_HIEU_LO", Text: "MĐXD 40%", At: orb.Point{444050, 2430040}, Height: 2},
			{Kind: OutPoint, Layer: "MocGioiQuyHoach_P", At: orb.Point{444000.12345, 2430000.98765}},
		},
	}
	var buf bytes.Buffer
	if err := Write(&buf, doc); err != nil {
		t.Fatal(err)
	}
	d, err := Read(bytes.NewReader(buf.Bytes()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Entities) != 4 || d.Units != 6 || d.Version != "AC1015" {
		t.Fatalf("read back %d entities, units %d, %s", len(d.Entities), d.Units, d.Version)
	}
	pl, h, tx, pt := d.Entities[0], d.Entities[1], d.Entities[2], d.Entities[3]
	if !pl.Closed || len(pl.Path) != 5 || !slices.Equal(pl.Data, doc.Entities[0].Data) {
		t.Errorf("polyline: closed %v, %d points, data %q", pl.Closed, len(pl.Path), pl.Data)
	}
	if a := gis.Area(orb.Polygon(h.Rings)); math.Abs(a-7900) > 1e-6 {
		t.Errorf("hatch area %f, want 7900", a)
	}
	if tx.Text != "MĐXD 40%" || tx.At != (orb.Point{444050, 2430040}) {
		t.Errorf("text %q at %v", tx.Text, tx.At)
	}
	if pt.At != (orb.Point{444000.1235, 2430000.9877}) { // written to 0.1 mm
		t.Errorf("point %v", pt.At)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "w.dxf")
	os.WriteFile(path, buf.Bytes(), 0o644)
	auditEzdxf(t, path)
	if _, err := exec.LookPath("ogrinfo"); err == nil {
		out, err := exec.Command("ogrinfo", "-ro", "-al", "-so", path).CombinedOutput()
		if err != nil || !strings.Contains(string(out), "Feature Count: 4") {
			t.Errorf("ogrinfo: %v\n%s", err, out)
		}
	}
}

// auditEzdxf runs ezdxf's audit, the reference for what AutoCAD accepts;
// it must find nothing to fix.
func auditEzdxf(t *testing.T, path string) {
	t.Helper()
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import ezdxf").Run(); err != nil {
		t.Skip("python3-ezdxf not installed (.ci/setup installs it)")
	}
	cmd := exec.Command(py, "-c", `
import sys, ezdxf
doc = ezdxf.readfile(sys.argv[1])
a = doc.audit()
for e in a.errors: print("error", e.code, e.message)
for f in a.fixes: print("fix", f.code, f.message)
print("entities", len(doc.modelspace()))
`, path)
	cmd.Env = append(os.Environ(), "QT_QPA_PLATFORM=offscreen")
	out, err := cmd.CombinedOutput()
	if err != nil || strings.Contains(string(out), "error ") || strings.Contains(string(out), "fix ") {
		t.Fatalf("ezdxf audit of %s: %v\n%s", path, err, out)
	}
}

// TestCodePage: texts of a drawing before AutoCAD 2007 are in its
// $DWGCODEPAGE; \U+ escapes stand for what the page lacks.
func TestCodePage(t *testing.T) {
	const head = "0\nSECTION\n2\nHEADER\n9\n$ACADVER\n1\nAC1015\n9\n$DWGCODEPAGE\n3\nANSI_1258\n0\nENDSEC\n"
	d, err := Read(strings.NewReader(head+dxfText("0\nTEXT\n10\n0\n20\n0\n40\n1\n1\n\xd0\xe2\xect \xf5\xd2 \\U+1EA0\n")), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Entities[0].Text; got != "Đất ở Ạ" {
		t.Errorf("ANSI_1258: %q", got)
	}
	d, err = Read(strings.NewReader("0\nSECTION\n2\nHEADER\n9\n$ACADVER\n1\nAC1032\n0\nENDSEC\n"+dxfText("0\nMTEXT\n10\n0\n20\n0\n1\nĐất {\\fVNI-Times|b0;Ñaát}\n")), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Entities[0].Text; got != "Đất Đất" { // UTF-8 file; a VNI run taken back from its Windows-1252 letters
		t.Errorf("R2018 with a VNI run: %q", got)
	}
}
