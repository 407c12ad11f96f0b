package ui

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"quyhoach/gis"
	"quyhoach/plan"
	"quyhoach/store"
)

// fakeSave stands for the file dialog: it writes into buf and reports a path.
func fakeSave(buf *bytes.Buffer, saved *string) saver {
	return func(name string, write func(io.Writer) error, done func(string, error)) {
		buf.Reset()
		err := write(buf)
		*saved = name
		done("/tmp/"+name, err)
	}
}

func lotCodes(p *infoPanel) []string {
	var out []string
	if info := p.Info(); info != nil {
		for _, l := range info.Lots {
			out = append(out, l.Code)
		}
	}
	return out
}

// TestInfoToolPointAndPolygon: with the tool on, a tap on the island in a
// lot's hole answers the island, not the holed lot; taps and a double tap
// draw a site whose parts on two lots are measured exactly.
func TestInfoToolPointAndPolygon(t *testing.T) {
	w := newWindow(t, fakeSource{})
	tool := w.Site.Tool
	if tool.Visible() {
		t.Fatal("the tool is on before it is asked for")
	}
	test.Tap(w.Site.Button)
	if !tool.Visible() || tabContent(w.Right.Selected()) != w.Site.Tabs || w.Site.Tabs.SelectedIndex() != 0 || !w.Site.Panel.Pick.Checked {
		t.Fatal("the button does not turn the tool on and show its panel")
	}
	p := w.Site.Panel
	for _, c := range []struct {
		x, y float64
		want string
	}{{50, 50, "VH-01"}, {35, 50, ""}, {10, 10, "CX-01"}, {150, 50, "ONM-01"}} {
		test.TapAt(tool, w.Map.PositionOf(orb.Point{ox + c.x, oy + c.y}))
		if got := strings.Join(lotCodes(p), ","); got != c.want {
			t.Errorf("tap at %g,%g answers %q, want %q", c.x, c.y, got, c.want)
		}
	}
	if w.Map.Selected() != nil {
		t.Error("a tap with the tool on selected a lot on the map")
	}
	// draw a site: 80..130 × 20..60, 800 m² on CX-01 and 1 200 m² on ONM-01
	p.Mode.SetSelected(tr("Polygon"))
	for _, v := range [][2]float64{{80, 20}, {130, 20}, {130, 60}} {
		test.TapAt(tool, w.Map.PositionOf(orb.Point{ox + v[0], oy + v[1]}))
	}
	if len(tool.Draft()) != 3 || len(test.WidgetRenderer(w.Site.Sketch).Objects()) < 5 {
		t.Fatalf("draft %v not drawn", tool.Draft())
	}
	tool.DoubleTapped(&fyne.PointEvent{Position: w.Map.PositionOf(orb.Point{ox + 80, oy + 60})})
	info := p.Info()
	if info == nil || info.Site.Kind() != "area" || len(info.Lots) != 2 {
		t.Fatalf("polygon answer: %v (%q)", lotCodes(p), p.Message.Text)
	}
	want := map[string]float64{"ONM-01": 1200, "CX-01": 800}
	for _, l := range info.Lots {
		// the window's positions are whole pixels: the corners land within a few cm
		if math.Abs(l.OverlapM2-want[l.Code]) > 0.02*want[l.Code] {
			t.Errorf("%s: %.2f m², want about %g", l.Code, l.OverlapM2, want[l.Code])
		}
	}
	if p.Cell(0, 0) != tr("Lot") || p.Cell(1, 0) != "ONM-01" || !strings.Contains(p.Summary.Text, "Thử") {
		t.Errorf("table %q %q, summary %q", p.Cell(0, 0), p.Cell(1, 0), p.Summary.Text)
	}
	if len(w.Site.Sketch.Site()) != 1 || len(tool.Draft()) != 0 {
		t.Error("the site asked about is not on the map, or the draft stays")
	}
	// Escape drops a site being drawn; the button turns the tool off
	test.TapAt(tool, w.Map.PositionOf(orb.Point{ox + 10, oy + 10}))
	tool.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if len(tool.Draft()) != 0 {
		t.Error("Escape kept the draft")
	}
	test.Tap(w.Site.Panel.Pick)
	if tool.Visible() || w.Site.Panel.Pick.Checked {
		t.Error("the panel's check does not turn the tool off")
	}
	// a fake store cannot record: the sheet is refused with the reason
	p.Requester.SetText("Nguyễn Văn An")
	test.Tap(p.Save)
	if !strings.Contains(p.Message.Text, tr("This store cannot record issued documents")) {
		t.Errorf("save on a fake store: %q", p.Message.Text)
	}
}

// TestInfoLotsPendingAndSheet asks about Chi Ma's KNQ-04 by code: the
// dossier under appraisal that splits it is listed; the sheet is recorded
// with its number and who asked.
func TestInfoLotsPendingAndSheet(t *testing.T) {
	st := sampleStore(t)
	w := newWindow(t, st)
	open(t, w, "chi-ma")
	p := w.Site.Panel
	p.Lots.SetText("KNQ-04")
	test.Tap(p.Ask)
	if got := lotCodes(p); len(got) != 1 || got[0] != "KNQ-04" {
		t.Fatalf("lots %v: %q", got, p.Message.Text)
	}
	if !strings.Contains(p.Pending.Text, "KNQ-04a") || !strings.Contains(p.Pending.Text, "đang thẩm định") {
		t.Errorf("pending: %q", p.Pending.Text)
	}
	p.Lots.SetText("KNQ-04, XX-9")
	test.Tap(p.Ask)
	if !strings.Contains(p.Message.Text, "XX-9") {
		t.Errorf("a missing lot: %q", p.Message.Text)
	}
	p.Lots.SetText("KNQ-04")
	test.Tap(p.Ask)
	// the sheet needs who asked
	test.Tap(p.Save)
	if !strings.Contains(p.Message.Text, tr("Who asked is required: it is recorded with the sheet")) {
		t.Errorf("no requester: %q", p.Message.Text)
	}
	var buf bytes.Buffer
	var name string
	w.Site.save = fakeSave(&buf, &name)
	p.Requester.SetText("Nguyễn Văn An")
	p.Requested.SetText("20/11/2026")
	p.Signer.SetText("Trần Thị Bình")
	test.Tap(p.Save)
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF")) || name != "thong-tin-quy-hoach-chi-ma.pdf" || !strings.Contains(p.Message.Text, "1/") {
		t.Fatalf("sheet: %d bytes as %q, %q", buf.Len(), name, p.Message.Text)
	}
	list, err := st.Issues(context.Background(), store.IssueFilter{Plan: "chi-ma"})
	if err != nil || len(list) != 1 || list[0].Requester != "Nguyễn Văn An" || list[0].Requested != "2026-11-20" || list[0].Version != 1 || list[0].Size != int64(buf.Len()) {
		t.Fatalf("recorded: %v %+v", err, list)
	}
	test.Tap(p.SaveJSON)
	if !strings.Contains(buf.String(), `"code": "KNQ-04"`) {
		t.Errorf("JSON: %s", buf.String())
	}
	// another plan shown: the answer goes
	open(t, w, "huu-nghi")
	if p.Info() != nil || len(w.Site.Sketch.Site()) != 0 {
		t.Error("the answer about Chi Ma stays on Hữu Nghị")
	}
}

// TestConformPanel imports a project on Chi Ma's DV-03 whose storeys exceed
// the plan's, then sets storeys within them in the panel.
func TestConformPanel(t *testing.T) {
	st := sampleStore(t)
	w := newWindow(t, st)
	s := open(t, w, "chi-ma")
	var lot gis.Feature
	for _, f := range s.Lots() {
		if f.String("maDoiTuong") == "DV-03" {
			lot = f
		}
	}
	c, _ := planar.CentroidArea(lot.Geometry)
	if !planar.PolygonContains(lot.Geometry.(orb.Polygon), c) {
		t.Fatalf("DV-03's centroid %v is not in it", c)
	}
	path := filepath.Join(t.TempDir(), "du-an.geojson")
	os.WriteFile(path, []byte(fmt.Sprintf(`{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::9215"}},"features":[
{"type":"Feature","properties":{"maDoiTuong":"TM-1","phanLoai":"DV","matDoXayDung":40,"tangCaoMin":15,"tangCaoMax":20},
"geometry":{"type":"Polygon","coordinates":[[[%[1]f,%[2]f],[%[3]f,%[2]f],[%[3]f,%[4]f],[%[1]f,%[4]f],[%[1]f,%[2]f]]]}}]}`,
		c[0]-5, c[1]-5, c[0]+5, c[1]+5)), 0o644)
	w.CheckProject(path)
	cp := w.Conform
	res := cp.Result()
	if res == nil || res.Verdict != plan.NonConform || tabContent(w.Right.Selected()) != w.Site.Tabs || w.Site.Tabs.SelectedIndex() != 1 {
		t.Fatalf("appraisal %+v: %q", res, cp.Message.Text)
	}
	found := map[string]string{}
	for i := 1; i <= len(cp.rows); i++ {
		found[cp.Cell(i, 1)+"@"+cp.Cell(i, 2)] = cp.Cell(i, 4) + " | " + cp.Cell(i, 5) + " | " + cp.Cell(i, 6)
	}
	if got := found[tr("Storeys")+"@DV-03"]; got != "15–20 | 3–14 | "+tr("non-conform") {
		t.Errorf("storeys row %q (%v)", got, found)
	}
	if got := found[tr("Density %")+"@DV-03"]; got != "40 | ≤ 45 | "+tr("conform") {
		t.Errorf("density row %q", got)
	}
	if !strings.Contains(cp.Verdict.Text, tr("non-conform")) {
		t.Errorf("verdict %q", cp.Verdict.Text)
	}
	// storeys within the plan, set for every lot in the panel
	cp.Storeys.SetText("3-5")
	test.Tap(cp.Check)
	if res := cp.Result(); res == nil || res.Verdict != plan.Conform {
		t.Fatalf("with 3–5 storeys: %+v %q", res, cp.Message.Text)
	}
	cp.Storeys.SetText("9-3")
	test.Tap(cp.Check)
	if !strings.Contains(cp.Message.Text, tr("Storeys: want N or MIN-MAX")) {
		t.Errorf("bad storeys: %q", cp.Message.Text)
	}
	cp.Storeys.SetText("")
	test.Tap(cp.Check)
	var buf bytes.Buffer
	var name string
	cp.save = fakeSave(&buf, &name)
	test.Tap(cp.SaveCSV)
	if !strings.Contains(buf.String(), "TM-1,DV-03") || !strings.Contains(buf.String(), "nonconform") {
		t.Errorf("CSV:\n%s", buf.String())
	}
	cp.Requester.SetText("Công ty CP Chi Ma")
	test.Tap(cp.Save)
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF")) || !strings.Contains(cp.Message.Text, "1/") {
		t.Fatalf("report: %d bytes, %q", buf.Len(), cp.Message.Text)
	}
	if list, _ := st.Issues(context.Background(), store.IssueFilter{Kind: store.ConformIssue}); len(list) != 1 || list[0].Requester != "Công ty CP Chi Ma" {
		t.Errorf("report recorded: %+v", list)
	}
	// a broken file: one line, nothing shown
	bad := filepath.Join(t.TempDir(), "bad.geojson")
	os.WriteFile(bad, []byte(`{"type":"Feature"`), 0o644)
	w.CheckProject(bad)
	if cp.Result() != nil || !strings.Contains(cp.Message.Text, "bad.geojson") {
		t.Errorf("broken project: %q", cp.Message.Text)
	}
}
