package plan

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"

	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/store"
)

// The hand-made tiling, EPSG:9215 metres east and north of (e0, n0):
//
//	y 220 ┌──────────┐
//	      │ H  ┌──┐  │            H has a hole filled by the island I
//	  120 ├────┴──┴──┴──────┬────┐
//	      │ GT-01 (road)    │ CX │
//	  100 ├──────────┬──────┤ -01│
//	      │ CN-01    │DV-01 │    │
//	    0 └──────────┴──────┴────┘
//	      0         100    200  260     boundary: [0,260]×[0,220]
const e0, n0 = 444000.0, 2430000.0

func box(x0, y0, x1, y1 float64) orb.Ring {
	return orb.Ring{{e0 + x0, n0 + y0}, {e0 + x1, n0 + y0}, {e0 + x1, n0 + y1}, {e0 + x0, n0 + y1}, {e0 + x0, n0 + y0}}
}

func lotOf(id string, g orb.Geometry, props ...any) gis.Feature {
	p := map[string]any{"maDoiTuong": id}
	for i := 0; i+1 < len(props); i += 2 {
		p[props[i].(string)] = props[i+1]
	}
	return gis.Feature{ID: "id-" + id, Geometry: g, Properties: p}
}

func tiling() *State {
	hole := box(30, 150, 70, 190)
	hole.Reverse()
	lots := []gis.Feature{
		lotOf("CN-01", orb.Polygon{box(0, 0, 100, 100)}, "phanLoai", "CN", "matDoXayDung", 60.0, "tangCaoMin", 1.0, "tangCaoMax", 5.0,
			"heSoSuDungDat", 2.5, "khoangLui", 6.0, "giaiDoan", "QHDD", "maThongTinQH", "202033061328"),
		lotOf("DV-01", orb.Polygon{box(100, 0, 200, 100)}, "phanLoai", "DAT_Dichvu", "matDoXayDung", 45.0, "tangCaoMin", 3.0, "tangCaoMax", 7.0,
			"heSoSuDungDat", 2.4, "khoangLui", 7.0, "danSo", 100.0, "ghiChu", "Chợ cửa khẩu"),
		lotOf("GT-01", orb.Polygon{box(0, 100, 200, 120)}, "phanLoai", "GT"),
		lotOf("CX-01", orb.Polygon{box(200, 0, 260, 120)}, "phanLoai", "CXCC"),
		lotOf("ONM-01", orb.Polygon{box(0, 120, 100, 220), hole}, "phanLoai", "ONM", "matDoXayDung", 50.0, "tangCaoMax", 5.0),
		lotOf("VH-01", orb.Polygon{box(30, 150, 70, 190)}, "phanLoai", "VH"),
	}
	return &State{Plan: store.Plan{Code: "thu", Name: "Khu thử nghiệm", Level: "detailed", Scale: 500},
		Version: store.Version{Number: 3, Current: true, DecisionNo: "12/QĐ-UBND", DecisionDate: "2025-03-04", MaThongTinQH: "202533012345"},
		Layers:  []gis.Layer{{Name: gis.LandUseLayer, Features: lots}, {Name: gis.BoundaryLayer, Features: []gis.Feature{{ID: "rg", Geometry: orb.Polygon{box(0, 0, 260, 220)}}}}}}
}

// infoSrc serves the tiling's dossiers.
type infoSrc struct {
	dossiers []store.Dossier
}

func (infoSrc) Load(context.Context, string, int, ...string) (*store.Snapshot, error) {
	return nil, store.ErrNotFound
}
func (infoSrc) Proposal(context.Context, int64) (*store.Snapshot, store.Dossier, error) {
	return nil, store.Dossier{}, store.ErrNotFound
}
func (s infoSrc) Dossier(_ context.Context, id int64) (store.Dossier, error) {
	for _, d := range s.dossiers {
		if d.ID == id {
			return d, nil
		}
	}
	return store.Dossier{}, store.ErrNotFound
}
func (s infoSrc) Dossiers(context.Context, store.DossierFilter) ([]store.Dossier, error) {
	return s.dossiers, nil
}

func siteInfo(t *testing.T, src InfoSource, site Site) *Info {
	t.Helper()
	info, err := SiteInfo(ctx, src, NewSiteIndex(tiling()), site, catalogue(t))
	if err != nil {
		t.Fatalf("SiteInfo: %v", err)
	}
	return info
}

func codes(info *Info) []string {
	var out []string
	for _, l := range info.Lots {
		out = append(out, l.Code)
	}
	return out
}

// TestSiteOverTwoLots: a site across the shared edge of CN-01 and DV-01,
// its top edge on the road's: exactly 2000 m² and 2500 m², the road not
// listed (a shared edge alone does not count).
func TestSiteOverTwoLots(t *testing.T) {
	info := siteInfo(t, infoSrc{}, Site{Area: orb.Polygon{box(60, 20, 150, 100)}})
	if got := codes(info); len(got) != 2 || got[0] != "DV-01" || got[1] != "CN-01" {
		t.Fatalf("lots %v, want DV-01 and CN-01 (largest first), not the road it only touches", got)
	}
	for _, c := range []struct {
		i                   int
		overlap, site, lotS float64
	}{{0, 50 * 80, 100 * 4000.0 / 7200, 40}, {1, 40 * 80, 100 * 3200.0 / 7200, 32}} {
		l := info.Lots[c.i]
		if math.Abs(l.OverlapM2-c.overlap) > 0.01 || math.Abs(l.SiteShare-c.site) > 0.01 || math.Abs(l.LotShare-c.lotS) > 0.01 {
			t.Errorf("%s: %.4f m², %.4f %% of the site, %.4f %% of the lot; want %g, %.4f, %g", l.Code, l.OverlapM2, l.SiteShare, l.LotShare, c.overlap, c.site, c.lotS)
		}
	}
	if math.Abs(info.SiteM2-7200) > 0.01 || info.OutsideM2 != 0 || info.UncoveredM2 != 0 || math.Abs(info.InsideM2-7200) > 0.01 {
		t.Errorf("site %.4f m², inside %.4f, outside %.4f, uncovered %.4f", info.SiteM2, info.InsideM2, info.OutsideM2, info.UncoveredM2)
	}
	dv := info.Lots[0]
	if dv.Class != "DV" || dv.ClassName == "" || *dv.Density != 45 || *dv.StoreysMin != 3 || *dv.StoreysMax != 7 || *dv.FAR != 2.4 || *dv.Setback != 7 ||
		*dv.Population != 100 || dv.Note != "Chợ cửa khẩu" || dv.LotM2 != 10000 {
		t.Errorf("DV-01 as read: %+v", dv)
	}
	if info.MaThongTinQH != "202533012345" || info.Version.Number != 3 {
		t.Errorf("legal reference %q, version %d", info.MaThongTinQH, info.Version.Number)
	}
}

// TestPointInHole: a point in ONM-01's hole is on the island VH-01 that
// fills it, not on ONM-01; a point on a shared edge is on both lots.
func TestPointInHole(t *testing.T) {
	for _, c := range []struct {
		x, y   float64
		want   []string
		onEdge bool
	}{
		{50, 170, []string{"VH-01"}, false},
		{10, 170, []string{"ONM-01"}, false},
		{100, 50, []string{"CN-01", "DV-01"}, true},
		{300, 50, nil, false},
	} {
		p := orb.Point{e0 + c.x, n0 + c.y}
		info := siteInfo(t, infoSrc{}, Site{Point: &p})
		got := codes(info)
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("point %g,%g: lots %v, want %v", c.x, c.y, got, c.want)
			continue
		}
		for _, l := range info.Lots {
			if l.OnEdge != c.onEdge || l.SiteShare != 100 {
				t.Errorf("point %g,%g on %s: on edge %v, share %g", c.x, c.y, l.Code, l.OnEdge, l.SiteShare)
			}
		}
		if outside := c.x > 260; info.PointOutside != outside {
			t.Errorf("point %g,%g outside the boundary: %v", c.x, c.y, info.PointOutside)
		}
	}
}

// TestSitePartlyOutside: 20 m of the site lies beyond the boundary's
// east edge: 1000 m² flagged; the rest is on the green lot.
func TestSitePartlyOutside(t *testing.T) {
	info := siteInfo(t, infoSrc{}, Site{Area: orb.Polygon{box(240, 0, 280, 50)}})
	if math.Abs(info.OutsideM2-1000) > 0.01 || math.Abs(info.InsideM2-1000) > 0.01 || len(info.Lots) != 1 || info.Lots[0].Code != "CX-01" {
		t.Fatalf("outside %.4f, inside %.4f, lots %v", info.OutsideM2, info.InsideM2, codes(info))
	}
	// a site in the hole of ONM-01 beside the island: ground on no lot
	hole := siteInfo(t, infoSrc{}, Site{Area: orb.Polygon{box(20, 160, 40, 180)}})
	if math.Abs(hole.UncoveredM2-0) > 0.01 || len(hole.Lots) != 2 {
		t.Fatalf("site across the hole's edge: uncovered %.4f, lots %v", hole.UncoveredM2, codes(hole))
	}
}

func TestSiteByLotCodes(t *testing.T) {
	info := siteInfo(t, infoSrc{}, Site{Lots: []string{"CN-01", " DV-01", "CN-01"}})
	if len(info.Lots) != 2 || math.Abs(info.SiteM2-20000) > 1e-6 || info.Lots[0].SiteShare != 50 || info.Lots[0].LotShare != 100 {
		t.Fatalf("lots %v, site %.2f", codes(info), info.SiteM2)
	}
	if len(info.CornerTable()) != 8 {
		t.Errorf("corners %v", info.CornerTable())
	}
	_, err := SiteInfo(ctx, infoSrc{}, NewSiteIndex(tiling()), Site{Lots: []string{"CN-01", "XX-9"}}, catalogue(t))
	var se *SiteError
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "no lot XX-9") {
		t.Fatalf("missing lot: %v", err)
	}
	if _, err := NewSiteIndex(tiling()).Measure(ctx, Site{}); !errors.Is(err, ErrNoSite) {
		t.Fatalf("no site: %v", err)
	}
	bowtie := orb.Polygon{{{e0, n0}, {e0 + 10, n0 + 10}, {e0 + 10, n0}, {e0, n0 + 10}, {e0, n0}}}
	if _, err := NewSiteIndex(tiling()).Measure(ctx, Site{Area: bowtie}); !errors.As(err, &se) {
		t.Fatalf("bow-tie site: %v", err)
	}
}

// TestPendingDossiersListed: open dossiers that modify a lot of the site
// or add one on it are listed with their state; a withdrawn one, and one
// changing only a lot elsewhere, are not.
func TestPendingDossiersListed(t *testing.T) {
	tr, _ := crs.New(crs.TM3LangSon, crs.WGS84)
	wgs := func(g orb.Geometry) *gis.Feature {
		return &gis.Feature{Geometry: project.Geometry(orb.Clone(g), tr), Properties: map[string]any{"maDoiTuong": "DV-09"}}
	}
	modA := store.Change{FeatureID: "id-CN-01", Layer: gis.LandUseLayer, Op: "modify", Feature: wgs(orb.Polygon{box(0, 0, 100, 100)})}
	modA.Feature.Properties["maDoiTuong"] = "CN-01"
	src := infoSrc{dossiers: []store.Dossier{
		{ID: 4, Code: "HS2026-000004", Kind: store.Local, Title: "Điều chỉnh CN-01", State: store.Appraising, Due: "2026-10-18", Overdue: true,
			Changes: []store.Change{modA}},
		{ID: 5, Code: "HS2026-000005", Kind: store.Overall, Title: "Thêm lô DV-09", State: store.Draft,
			Changes: []store.Change{{FeatureID: "new", Layer: gis.LandUseLayer, Op: "add", Feature: wgs(orb.Polygon{box(120, 30, 140, 50)})}}},
		{ID: 6, Title: "Rút", State: store.Withdrawn, Changes: []store.Change{modA}},
		{ID: 7, Title: "Nơi khác", State: store.Submitted, Changes: []store.Change{
			{FeatureID: "id-CX-01", Layer: gis.LandUseLayer, Op: "delete"},
			{FeatureID: "far", Layer: gis.LandUseLayer, Op: "add", Feature: wgs(orb.Polygon{box(210, 10, 220, 20)})}}},
		{ID: 8, Title: "Đã duyệt", State: store.Approved, Changes: []store.Change{modA}},
	}}
	info := siteInfo(t, src, Site{Area: orb.Polygon{box(60, 20, 150, 100)}})
	if len(info.Pending) != 2 || info.Pending[0].ID != 4 || info.Pending[1].ID != 5 {
		t.Fatalf("pending %+v, want dossiers 4 and 5", info.Pending)
	}
	if p := info.Pending[0]; p.State != store.Appraising || len(p.Changes) != 1 || p.Changes[0].Code != "CN-01" || p.Changes[0].Op != "modify" || !p.Overdue {
		t.Errorf("dossier 4: %+v", p)
	}
	if p := info.Pending[1]; len(p.Changes) != 1 || p.Changes[0].Code != "DV-09" || p.Changes[0].Op != "add" {
		t.Errorf("dossier 5: %+v", p)
	}
	// a point on DV-01 hears of the lot added there too
	p := orb.Point{e0 + 130, n0 + 40}
	if got := siteInfo(t, src, Site{Point: &p}).Pending; len(got) != 1 || got[0].ID != 5 {
		t.Errorf("point: pending %+v", got)
	}
}

func TestInfoRefusesAProposal(t *testing.T) {
	s := tiling()
	s.Dossier = &store.Dossier{ID: 2}
	p := orb.Point{e0 + 10, n0 + 10}
	var na *NotApprovedError
	if _, err := SiteInfo(ctx, infoSrc{}, NewSiteIndex(s), Site{Point: &p}, catalogue(t)); !errors.As(err, &na) {
		t.Fatalf("info on a proposal: %v", err)
	}
}

func project1(lot ProjectLot) Project {
	return Project{Name: "Dự án thử", Lots: []ProjectLot{lot}}
}

func f64(v float64) *float64 { return &v }

func appraise(t *testing.T, p Project) *Conformity {
	t.Helper()
	c, err := Appraise(ctx, NewSiteIndex(tiling()), p, catalogue(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func checkOf(t *testing.T, r ProjectResult, ind, lot string) IndicatorCheck {
	t.Helper()
	for _, ch := range r.Checks {
		if ch.Indicator == ind && ch.PlanLot == lot {
			return ch
		}
	}
	t.Fatalf("no %s check on %s in %+v", ind, lot, r.Checks)
	return IndicatorCheck{}
}

// TestConformStoreysOverDensityUnder: a project on DV-01 with 9–12 storeys
// (the plan allows 3–7) and 40 % density (at most 45 %).
func TestConformStoreysOverDensityUnder(t *testing.T) {
	c := appraise(t, project1(ProjectLot{Code: "DA-1", Use: "DV", Geometry: orb.Polygon{box(120, 20, 180, 80)},
		Indicators: Indicators{Density: f64(40), StoreysMin: f64(9), StoreysMax: f64(12), FAR: f64(2.4), Setback: f64(8)}}))
	r := c.Results[0]
	st := checkOf(t, r, StoreysCheck, "DV-01")
	if st.Verdict != NonConform || VerdictText(st.Verdict) != "không phù hợp" || st.ProposedText != "9–12 tầng" || st.AllowedText != "3–7 tầng" {
		t.Errorf("storeys: %+v", st)
	}
	d := checkOf(t, r, DensityCheck, "DV-01")
	if d.Verdict != Conform || VerdictText(d.Verdict) != "phù hợp" || d.ProposedText != "40 %" || d.AllowedText != "tối đa 45 %" {
		t.Errorf("density: %+v", d)
	}
	for ind, want := range map[string]string{UseCheck: Conform, FARCheck: Conform, SetbackCheck: Conform} {
		if ch := checkOf(t, r, ind, "DV-01"); ch.Verdict != want {
			t.Errorf("%s: %+v", ind, ch)
		}
	}
	if r.Verdict != NonConform || c.Verdict != NonConform || c.NonConform != 1 || len(r.Flags) != 0 {
		t.Errorf("verdicts %s %s, %d non-conform, flags %+v", r.Verdict, c.Verdict, c.NonConform, r.Flags)
	}
	// within every limit: conform
	ok := appraise(t, project1(ProjectLot{Code: "DA-2", Use: "DAT_Dichvu", Geometry: orb.Polygon{box(120, 20, 180, 80)},
		Indicators: Indicators{Density: f64(45), StoreysMin: f64(3), StoreysMax: f64(7), FAR: f64(2.4), Setback: f64(7), Population: f64(36)}}))
	if ok.Verdict != Conform || ok.NonConform != 0 {
		t.Errorf("a project within the limits: %s, %+v", ok.Verdict, ok.Results[0].Checks)
	}
	// population pro rata: 3600 m² of 10 000 m² with 100 people allows 36
	pop := checkOf(t, ok.Results[0], PopulationCheck, "")
	if pop.Verdict != Conform || *pop.Allowed.Max != 36 {
		t.Errorf("population: %+v", pop)
	}
}

// TestConformAcrossLotsEachPart: a site over CN-01 and DV-01 must meet each
// lot's limits on its part there; 50 % density passes CN-01 (60) and fails
// DV-01 (45), and the report shows each.
func TestConformAcrossLotsEachPart(t *testing.T) {
	c := appraise(t, project1(ProjectLot{Code: "DA-1", Use: "CN", Geometry: orb.Polygon{box(60, 20, 150, 80)},
		Indicators: Indicators{Density: f64(50), StoreysMax: f64(4)}}))
	r := c.Results[0]
	if d := checkOf(t, r, DensityCheck, "CN-01"); d.Verdict != Conform || math.Abs(d.OverlapM2-2400) > 0.01 {
		t.Errorf("CN-01 density: %+v", d)
	}
	if d := checkOf(t, r, DensityCheck, "DV-01"); d.Verdict != NonConform || math.Abs(d.OverlapM2-3000) > 0.01 {
		t.Errorf("DV-01 density: %+v", d)
	}
	if u := checkOf(t, r, UseCheck, "DV-01"); u.Verdict != NonConform {
		t.Errorf("industry on a service lot: %+v", u)
	}
	if s := checkOf(t, r, StoreysCheck, "CN-01"); s.Verdict != Conform || s.ProposedText != "4 tầng" {
		t.Errorf("one storey figure: %+v", s)
	}
	if f := checkOf(t, r, FARCheck, "CN-01"); f.Verdict != Unassessed || f.ProposedText != "không nêu" || f.AllowedText != "tối đa 2,5" {
		t.Errorf("no FAR proposed: %+v", f)
	}
	for _, ch := range r.Checks {
		if ch.PlanLot == "DV-01" && ch.Indicator == FARCheck && ch.AllowedText == "" {
			t.Errorf("%+v", ch)
		}
	}
}

// TestConformFlagsOutsideRoadGreen: a site over CN-01, the road above it,
// and out of the boundary; another on the green lot.
func TestConformFlagsOutsideRoadGreen(t *testing.T) {
	c := appraise(t, Project{Name: "x", Lots: []ProjectLot{
		{Code: "A", Use: "CN", Geometry: orb.Polygon{box(-10, 80, 50, 110)}, Indicators: Indicators{Density: f64(50)}},
		{Code: "B", Use: "DV", Geometry: orb.Polygon{box(220, 10, 240, 30)}},
		{Code: "C", Use: "CXCC", Geometry: orb.Polygon{box(220, 40, 240, 60)}},
	}})
	flags := func(r ProjectResult) map[string]Flag {
		m := map[string]Flag{}
		for _, f := range r.Flags {
			m[f.Kind] = f
		}
		return m
	}
	a := flags(c.Results[0])
	if f := a[OutsideFlag]; math.Abs(f.AreaM2-300) > 0.01 || !f.NonConform || !strings.Contains(f.Text, "300,00 m²") {
		t.Errorf("outside: %+v", f)
	}
	if f := a[RoadFlag]; math.Abs(f.AreaM2-500) > 0.01 || len(f.PlanLots) != 1 || f.PlanLots[0] != "GT-01" {
		t.Errorf("road: %+v", f)
	}
	if f := flags(c.Results[1])[GreenFlag]; math.Abs(f.AreaM2-400) > 0.01 || !f.NonConform {
		t.Errorf("green: %+v", c.Results[1].Flags)
	}
	if len(c.Results[2].Flags) != 0 || c.Results[2].Verdict != Conform {
		t.Errorf("a park on a green lot: %+v %s", c.Results[2].Flags, c.Results[2].Verdict)
	}
	if c.Verdict != NonConform || c.NonConform < 3 {
		t.Errorf("verdict %s, %d", c.Verdict, c.NonConform)
	}
	var buf bytes.Buffer
	if err := c.WriteCSV(&buf); err != nil || !strings.Contains(buf.String(), "flag:outside") || !strings.Contains(buf.String(), "không phù hợp") {
		t.Errorf("CSV: %v\n%s", err, buf.String())
	}
	js, err := c.JSON()
	var back map[string]any
	if err != nil || json.Unmarshal(js, &back) != nil || back["verdict"] != NonConform {
		t.Errorf("JSON: %v %s", err, js)
	}
}

func TestProjectFromLayer(t *testing.T) {
	l := gis.Layer{Features: []gis.Feature{
		{Geometry: orb.Polygon{box(0, 0, 10, 10)}, Properties: map[string]any{"maDoiTuong": "L1", "phanLoai": "CN", "tangCaoMax": "5", "matDoXayDung": 40.0}},
		{Geometry: orb.Polygon{box(10, 0, 20, 10)}, Properties: map[string]any{}},
	}}
	p, err := ProjectFromLayer("Nhà máy", "du-an.geojson", l)
	if err != nil || len(p.Lots) != 2 || p.Lots[0].Code != "L1" || *p.Lots[0].StoreysMax != 5 || p.Lots[1].Code != "#2" || p.Lots[1].Density != nil {
		t.Fatalf("%v %+v", err, p)
	}
	l.Features = append(l.Features, gis.Feature{Geometry: orb.Point{e0, n0}})
	if _, err := ProjectFromLayer("x", "f.geojson", l); err == nil || !strings.Contains(err.Error(), "feature 2") {
		t.Fatalf("a point in a project: %v", err)
	}
}

// TestInfoSheetText lays out the sheet and reads it back with poppler.
func TestInfoSheetText(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	info := siteInfo(t, infoSrc{}, Site{Area: orb.Polygon{box(60, 20, 150, 100)}, Label: "theo tệp khu-dat.geojson"})
	doc, err := InfoSheet(info, IssueMeta{Number: 12, Issued: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC), Requester: "Nguyễn Văn An",
		Requested: "2026-11-20", Purpose: "Lập dự án đầu tư", By: "Trần Thị Bình"}, fonts, catalogue(t))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := doc.Write(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "s.pdf")
	os.WriteFile(path, buf.Bytes(), 0o644)
	out, err := exec.Command("pdftotext", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, want := range []string{"THÔNG TIN QUY HOẠCH", "Số: 12/TTQH-BQL", "ngày 27 tháng 11 năm 2026", "Nguyễn Văn An", "20/11/2026", "12/QĐ-UBND",
		"04/3/2025", "202533012345", "TỶ LỆ 1/2000", "7.200,00 m²", "4.000,00", "55,56", "3.200,00", "44,44", "Chợ cửa khẩu", "3–7", "2.430.100,000",
		"444.150,000", "Không có.", "Trần Thị Bình", "Trang 1/"} {
		if !strings.Contains(text, want) {
			t.Errorf("sheet lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(text)
	}
}
