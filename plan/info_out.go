package plan

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"

	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/gis/geojson"
)

// One writing of the answers serves the CLI, the window's exports and the
// store's record of what was issued: areas in m² to 0.01, shares in % to
// 0.01, coordinates in WGS84 to 1e-9° (0.1 mm) and in VN-2000 to 1 mm.

func r2(v float64) float64 { return math.Round(v*100) / 100 }

// SiteGeoJSON is the site as a GeoJSON geometry in WGS84 (a
// GeometryCollection for lot codes), as the store records it.
func (m *Measure) SiteGeoJSON() string {
	tr, _ := crs.New(crs.TM3LangSon, crs.WGS84)
	round := func(p orb.Point) orb.Point {
		q := tr(p)
		return orb.Point{math.Round(q[0]*1e9) / 1e9, math.Round(q[1]*1e9) / 1e9}
	}
	var g orb.Geometry
	switch len(m.Geometry) {
	case 0:
		return "null"
	case 1:
		g = project.Geometry(orb.Clone(m.Geometry[0]), round)
	default:
		c := make(orb.Collection, len(m.Geometry))
		for i, x := range m.Geometry {
			c[i] = project.Geometry(orb.Clone(x), round)
		}
		g = c
	}
	var f struct{ Geometry json.RawMessage }
	if err := json.Unmarshal(geojson.Canonical(gis.Feature{Geometry: g}, true), &f); err != nil || f.Geometry == nil {
		return "null"
	}
	return string(f.Geometry)
}

// Corner is a vertex of a site in VN-2000 as survey tables write it:
// X the northing, Y the easting, metres.
type Corner struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// CornerTable returns the site's corners as X (N), Y (E) to 1 mm.
func (m *Measure) CornerTable() []Corner {
	var out []Corner
	for _, p := range m.Corners() {
		out = append(out, Corner{X: math.Round(p[1]*1000) / 1000, Y: math.Round(p[0]*1000) / 1000})
	}
	return out
}

type infoJSON struct {
	Plan struct {
		Code  string `json:"code"`
		Name  string `json:"name"`
		Level string `json:"level"`
		Scale int    `json:"scale"`
	} `json:"plan"`
	Version struct {
		Number       int    `json:"number"`
		DecisionNo   string `json:"decision_no,omitempty"`
		DecisionDate string `json:"decision_date,omitempty"`
	} `json:"version"`
	MaThongTinQH string `json:"ma_thong_tin_qh,omitempty"`
	Site         struct {
		Kind     string          `json:"kind"`
		Label    string          `json:"label,omitempty"`
		Lots     []string        `json:"lots,omitempty"`
		AreaM2   float64         `json:"area_m2"`
		Geometry json.RawMessage `json:"geometry"`
		Corners  []Corner        `json:"corners_vn2000"`
	} `json:"site"`
	Boundary struct {
		Present      bool    `json:"present"`
		Error        string  `json:"error,omitempty"`
		InsideM2     float64 `json:"inside_m2"`
		OutsideM2    float64 `json:"outside_m2"`
		PointOutside bool    `json:"point_outside,omitempty"`
	} `json:"boundary"`
	UncoveredM2 float64          `json:"uncovered_m2"`
	Lots        []LotInfo        `json:"lots"`
	Pending     []PendingDossier `json:"pending_dossiers"`
}

// JSON returns the answer as the info command's --json prints it.
func (info *Info) JSON() ([]byte, error) {
	var j infoJSON
	j.Plan.Code, j.Plan.Name, j.Plan.Level, j.Plan.Scale = info.Plan.Code, info.Plan.Name, info.Plan.Level, info.Plan.Scale
	j.Version.Number, j.Version.DecisionNo, j.Version.DecisionDate = info.Version.Number, info.Version.DecisionNo, info.Version.DecisionDate
	j.MaThongTinQH = info.MaThongTinQH
	j.Site.Kind, j.Site.Label, j.Site.Lots, j.Site.AreaM2 = info.Site.Kind(), info.Site.Label, info.Site.Lots, r2(info.SiteM2)
	j.Site.Geometry = json.RawMessage(info.SiteGeoJSON())
	j.Site.Corners = info.CornerTable()
	j.Boundary.Present, j.Boundary.Error = info.HasBoundary, info.BoundaryError
	j.Boundary.InsideM2, j.Boundary.OutsideM2, j.Boundary.PointOutside = r2(info.InsideM2), r2(info.OutsideM2), info.PointOutside
	j.UncoveredM2 = r2(info.UncoveredM2)
	j.Lots = make([]LotInfo, len(info.Lots))
	for i, l := range info.Lots {
		l.LotM2, l.OverlapM2, l.SiteShare, l.LotShare = r2(l.LotM2), r2(l.OverlapM2), r2(l.SiteShare), r2(l.LotShare)
		j.Lots[i] = l
	}
	j.Pending = info.Pending
	if j.Pending == nil {
		j.Pending = []PendingDossier{}
	}
	return json.MarshalIndent(j, "", "  ")
}

// JSON returns the appraisal as the conform command's --json prints it.
func (c *Conformity) JSON() ([]byte, error) {
	type result struct {
		ProjectResult
		Lot        ProjectLot `json:"lot"`
		InsideM2   float64    `json:"inside_boundary_m2"`
		OutsideM2  float64    `json:"outside_boundary_m2"`
		Uncovered  float64    `json:"uncovered_m2"`
		VerdictVI  string     `json:"verdict_text"`
		HasBoundry bool       `json:"boundary_present"`
	}
	out := struct {
		Plan         string   `json:"plan"`
		Version      int      `json:"version"`
		DecisionNo   string   `json:"decision_no,omitempty"`
		DecisionDate string   `json:"decision_date,omitempty"`
		MaThongTinQH string   `json:"ma_thong_tin_qh,omitempty"`
		Project      string   `json:"project"`
		Source       string   `json:"source,omitempty"`
		Tolerance    float64  `json:"tolerance_m2"`
		Verdict      string   `json:"verdict"`
		VerdictVI    string   `json:"verdict_text"`
		NonConform   int      `json:"nonconform"`
		Results      []result `json:"results"`
	}{Plan: c.Plan.Code, Version: c.Version.Number, DecisionNo: c.Version.DecisionNo, DecisionDate: c.Version.DecisionDate,
		MaThongTinQH: c.MaThongTinQH, Project: c.Project.Name, Source: c.Project.Label, Tolerance: c.Tolerance,
		Verdict: c.Verdict, VerdictVI: VerdictText(c.Verdict), NonConform: c.NonConform, Results: []result{}}
	for _, r := range c.Results {
		r.AreaM2 = r2(r.AreaM2)
		parts := make([]LotInfo, len(r.Parts))
		for i, l := range r.Parts {
			l.LotM2, l.OverlapM2, l.SiteShare, l.LotShare = r2(l.LotM2), r2(l.OverlapM2), r2(l.SiteShare), r2(l.LotShare)
			parts[i] = l
		}
		r.Parts = parts
		checks := make([]IndicatorCheck, len(r.Checks))
		for i, ch := range r.Checks {
			ch.OverlapM2 = r2(ch.OverlapM2)
			checks[i] = ch
		}
		r.Checks = nonNilSlice(checks)
		flags := make([]Flag, len(r.Flags))
		for i, f := range r.Flags {
			f.AreaM2 = r2(f.AreaM2)
			flags[i] = f
		}
		r.Flags = flags
		m := r.Measure
		out.Results = append(out.Results, result{ProjectResult: r, Lot: r.Lot, InsideM2: r2(m.InsideM2), OutsideM2: r2(m.OutsideM2),
			Uncovered: r2(m.UncoveredM2), VerdictVI: VerdictText(r.Verdict), HasBoundry: m.HasBoundary})
	}
	return json.MarshalIndent(out, "", "  ")
}

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// WriteCSV writes the appraisal as CSV: a row per check and per flag,
// numbers with a decimal point, verdicts in Vietnamese beside the codes.
func (c *Conformity) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"project_lot", "plan_lot", "overlap_m2", "indicator", "proposed", "allowed", "verdict", "verdict_text"})
	f := func(v float64) string { return strconv.FormatFloat(r2(v), 'f', 2, 64) }
	for _, r := range c.Results {
		for _, ch := range r.Checks {
			cw.Write([]string{r.Lot.Code, ch.PlanLot, f(ch.OverlapM2), ch.Indicator, ch.ProposedText, ch.AllowedText, ch.Verdict, VerdictText(ch.Verdict)})
		}
		for _, fl := range r.Flags {
			v := Unassessed
			if fl.NonConform {
				v = NonConform
			}
			cw.Write([]string{r.Lot.Code, strings.Join(fl.PlanLots, " "), f(fl.AreaM2), "flag:" + fl.Kind, "", "", v, fl.Text})
		}
		cw.Write([]string{r.Lot.Code, "", f(r.AreaM2), "verdict", "", "", r.Verdict, VerdictText(r.Verdict)})
	}
	cw.Flush()
	return cw.Error()
}
