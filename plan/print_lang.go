package plan

import "strings"

// The words a print request writes on its sheets beside the sheet's own
// furniture (gis/sheet/words.go): default drawing names, the names of the
// pages of a comparison or an atlas, the kind of adjustment, the note on
// illustrative data. Official sheets are Vietnamese; PrintRequest.Lang
// "en" writes them in English. printEnglish is keyed by the Vietnamese.
var printEnglish = map[string]string{
	DefaultDrawingName: "Land-use master plan",
	"Quy hoạch đã phê duyệt (trước điều chỉnh) – ": "Approved plan (before adjustment) – ",
	"Quy hoạch điều chỉnh – ":                      "Adjusted plan – ",
	"Sơ đồ phân mảnh – ":                           "Sheet index – ",
	"%s – mảnh %d/%d":                              "%s – sheet %d/%d",
	"Điều chỉnh cục bộ":                            "Local adjustment",
	"Điều chỉnh tổng thể":                          "Overall adjustment",
	"Dữ liệu minh họa, không phải hình học chính thức của đồ án": "Illustrative data, not the plan's official geometry",
}

// word is a Vietnamese word of a print in the request's language.
func (r PrintRequest) word(vi string) string {
	if r.Lang == "en" {
		if en, ok := printEnglish[vi]; ok {
			return en
		}
	}
	return vi
}

// decisionText writes a decision number as the sheet cites it in the
// request's language (DecisionTextIn).
func (r PrintRequest) decisionText(no string) string { return DecisionTextIn(no, r.Lang) }

// DecisionTextIn writes a decision number as a text in lang cites it:
// "Quyết định số 1586/QĐ-UBND" ("vi", DecisionText), "Decision
// 1586/QĐ-UBND" ("en"; the number itself stays as issued).
func DecisionTextIn(no, lang string) string {
	if lang != "en" {
		return DecisionText(no)
	}
	for _, p := range []string{"quyết định số ", "quyết định "} {
		if strings.HasPrefix(strings.ToLower(no), p) {
			no = strings.TrimSpace(no[len(p):])
			break
		}
	}
	return "Decision " + no
}

// DefaultDrawingNameIn is the drawing name of a sheet not given one, in
// the sheet's language ("" or "vi", "en").
func DefaultDrawingNameIn(lang string) string {
	return PrintRequest{Lang: lang}.word(DefaultDrawingName)
}
