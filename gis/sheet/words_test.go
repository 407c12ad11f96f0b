package sheet

import (
	"image/color"
	"math"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/render"
)

// textRecorder keeps the texts drawn on a sheet.
type textRecorder struct {
	*render.Canvas
	got []string
}

func (r *textRecorder) Text(t render.Text) { r.got = append(r.got, t.S); r.Canvas.Text(t) }

func sheetTexts(t *testing.T, s Sheet) []string {
	t.Helper()
	c := render.NewCanvas(render.View{Width: int(math.Ceil(s.Layout.Width)), Height: int(math.Ceil(s.Layout.Height)), Scale: 1}, color.White)
	if err := c.SetFonts(fonts); err != nil {
		t.Fatal(err)
	}
	r := &textRecorder{Canvas: c}
	s.Draw(r, catalogue(t))
	return r.got
}

// everyPart is the sample sheet with every part of the furniture drawn:
// both balance tables, the three stages, a road, the seal, lots with
// indicators; its data (names, notes) in plain ASCII, so that any
// Vietnamese on it is the sheet's own.
func everyPart(t *testing.T, lang string) Sheet {
	s := sampleSheet(t).Sheets[0]
	s.Title = TitleBlock{ApprovingBody: "Lang Son PPC", AppraisingBody: "DOC", OrganisingBody: "Board", Consultant: "Institute",
		PlanName: "Central axis", Adjustment: "Local adjustment", DrawingName: "Land-use plan", DrawingNo: "QH-04",
		Lead: "An", Designer: "Binh", Checker: "Cuong", Date: "27/11/2026", DecisionNo: "Decision 1586/QD-UBND", DecisionDate: "06/9/2024",
		Seal: "99dc7b2d08515d46aa"}
	s.Note = "Illustrative data"
	s.Adjusted = s.Balance
	s.Map.Lots[0].Properties = map[string]any{"maDoiTuong": "ONM-01", "phanLoai": "ONM", "giaiDoan": "HT", "matDoXayDung": 42.5, "tangCaoMin": 2.0, "tangCaoMax": 4.0, "heSoSuDungDat": 1.85}
	s.Map.Lots[1].Properties["phanLoai"] = "XYZ" // a class outside the catalogue
	b := s.Map.Lots[0].Geometry.Bound()
	s.Map.Lines = []gis.Feature{{Geometry: orb.LineString{b.Min, b.Max}}}
	s.Lang = lang
	return s
}

// TestEnglishSheetWords draws a sheet with every part in English: none of
// its own words is Vietnamese, its numbers are written the English way
// and its lot labels use the English abbreviations; the official sheet
// stays Vietnamese.
func TestEnglishSheetWords(t *testing.T) {
	en := sheetTexts(t, everyPart(t, "en"))
	for _, s := range en {
		if strings.ContainsFunc(s, func(r rune) bool { return r > 0x7f && unicode.IsLetter(r) }) {
			t.Errorf("the English sheet writes %q", s)
		}
	}
	for _, want := range []string{"LEGEND", "SCALE 1/2000", "LAND BALANCE OF THE ADJUSTED AREA", "LAND BALANCE OF THE WHOLE PLAN",
		"Approved (ha)", "Total", "APPROVING AUTHORITY", "DATA SEAL", "DRAWING NO.", "LOCATION", "N", "1.25 ha",
		"BCR · st · FAR", "Road centre line", "Land use not in the catalogue", "Existing lot boundary (HT)", "Housing group",
		"DECISION 1586/QD-UBND of 06/9/2024"} {
		if !slices.ContainsFunc(en, func(s string) bool { return strings.Contains(strings.ToUpper(s), strings.ToUpper(want)) }) {
			t.Errorf("the English sheet lacks %q", want)
		}
	}
	if !slices.ContainsFunc(en, func(s string) bool { return strings.HasPrefix(s, "BCR 42.5% · 2–4 st · FAR 1.85") }) {
		t.Errorf("no English lot label among %q", en)
	}
	if !slices.ContainsFunc(en, func(s string) bool { return strings.HasPrefix(s, "X 2,430,") }) {
		t.Errorf("grid labels not in English notation")
	}
	vi := sheetTexts(t, everyPart(t, ""))
	for _, want := range []string{"CHÚ GIẢI", "TỶ LỆ 1/2000", "1,25 ha", "MĐ · T · HS", "Đất nhóm nhà ở", "B", "CÂN BẰNG ĐẤT TOÀN ĐỒ ÁN"} {
		if !slices.Contains(vi, want) && !slices.ContainsFunc(vi, func(s string) bool { return strings.HasPrefix(s, want) }) {
			t.Errorf("the official sheet lacks %q", want)
		}
	}
	if !slices.ContainsFunc(vi, func(s string) bool { return strings.HasPrefix(s, "MĐ 42,5% · 2–4 T · HS 1,85") }) {
		t.Errorf("no Vietnamese lot label among %q", vi)
	}
}

func TestScaleTextIn(t *testing.T) {
	l := Layout{Scale: 2000}
	if l.ScaleText() != "TỶ LỆ 1/2000" || l.ScaleTextIn("vi") != "TỶ LỆ 1/2000" || l.ScaleTextIn("en") != "SCALE 1/2000" {
		t.Errorf("scale texts %q %q %q", l.ScaleText(), l.ScaleTextIn("vi"), l.ScaleTextIn("en"))
	}
}
