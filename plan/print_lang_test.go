package plan

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestEnglishSheets prints a dossier's comparison and an atlas with Lang
// "en": the words the request writes are English, the data stay as
// recorded, and the same request without Lang is the Vietnamese sheet.
func TestEnglishSheets(t *testing.T) {
	st, cat := sampleStore(t), catalogue(t)
	r := PrintRequest{Plan: "chi-ma", Ref: Ref{Dossier: 2}, Paper: "A3", Compare: true, Balance: true, Lang: "en"}
	doc, err := Sheets(ctx, st, cat, fonts, r)
	if err != nil {
		t.Fatal(err)
	}
	base, adj := doc.Sheets[0], doc.Sheets[1]
	if base.Lang != "en" || adj.Lang != "en" {
		t.Fatalf("sheet languages %q %q", base.Lang, adj.Lang)
	}
	if base.Title.DrawingName != "Approved plan (before adjustment) – Land-use master plan" ||
		adj.Title.DrawingName != "Adjusted plan – Land-use master plan" || adj.Title.Adjustment != "Local adjustment" {
		t.Errorf("English title blocks: %q / %q, %q", base.Title.DrawingName, adj.Title.DrawingName, adj.Title.Adjustment)
	}
	if !strings.HasPrefix(base.Title.DecisionNo, "Decision ") || strings.Contains(base.Title.DecisionNo, "Quyết") ||
		base.Note != "Illustrative data, not the plan's official geometry" {
		t.Errorf("English decision %q, note %q", base.Title.DecisionNo, base.Note)
	}
	if base.Title.PlanName == "" || base.Title.PlanName != adj.Title.PlanName || !strings.Contains(adj.Title.AppraisingBody, "Sở") {
		t.Errorf("the data changed: plan %q, appraising %q", adj.Title.PlanName, adj.Title.AppraisingBody)
	}
	if pdftotext, err := exec.LookPath("pdftotext"); err == nil {
		var buf bytes.Buffer
		if err := doc.Write(&buf); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(t.TempDir(), "en.pdf")
		os.WriteFile(p, buf.Bytes(), 0o644)
		out, err := exec.Command(pdftotext, "-layout", p, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		text := string(out)
		for _, want := range []string{"LEGEND", "SCALE 1/", "LAND BALANCE OF THE ADJUSTED AREA", "APPROVING AUTHORITY", "LOCAL ADJUSTMENT", "Plan boundary"} {
			if !strings.Contains(text, want) {
				t.Errorf("the English PDF lacks %q", want)
			}
		}
		for _, not := range []string{"CHÚ GIẢI", "TỶ LỆ", "CÂN BẰNG", "CƠ QUAN", "Ranh giới", "ĐIỀU CHỈNH CỤC BỘ", "minh họa"} {
			if strings.Contains(text, not) {
				t.Errorf("the English PDF writes %q", not)
			}
		}
	}
	atlas, err := Sheets(ctx, st, cat, fonts, PrintRequest{Plan: "chi-ma", Paper: "A3", Atlas: true, Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(atlas.Sheets); n < 3 || atlas.Sheets[0].Title.DrawingName != "Sheet index – Land-use master plan" ||
		!strings.HasSuffix(atlas.Sheets[1].Title.DrawingName, "– sheet 1/"+strconv.Itoa(n-1)) {
		t.Errorf("English atlas: %d sheets, %q, %q", n, atlas.Sheets[0].Title.DrawingName, atlas.Sheets[1].Title.DrawingName)
	}
	r.Lang = ""
	vi, err := Sheets(ctx, st, cat, fonts, r)
	if err != nil {
		t.Fatal(err)
	}
	if s := vi.Sheets[1]; s.Lang != "" || s.Title.Adjustment != "Điều chỉnh cục bộ" || !strings.HasPrefix(s.Title.DrawingName, "Quy hoạch điều chỉnh – ") ||
		!strings.HasPrefix(vi.Sheets[0].Title.DecisionNo, "Quyết định số ") {
		t.Errorf("the official sheet: %q %q %q %q", s.Lang, s.Title.Adjustment, s.Title.DrawingName, vi.Sheets[0].Title.DecisionNo)
	}
}

func TestPrintLanguageIsViOrEn(t *testing.T) {
	var re *RequestError
	err := PrintRequest{Plan: "x", Paper: "A3", Lang: "fr"}.Check()
	if !errors.As(err, &re) || re.Text(func(o string) string { return "--" + o }) != `--lang "fr": want vi or en` {
		t.Fatalf("lang fr: %v", err)
	}
	for _, l := range []string{"", "vi", "en"} {
		if err := (PrintRequest{Plan: "x", Paper: "A3", Lang: l}).Check(); err != nil {
			t.Errorf("lang %q: %v", l, err)
		}
	}
}

func TestDecisionTextInEnglish(t *testing.T) {
	for in, want := range map[string]string{
		"1586/QĐ-UBND":               "Decision 1586/QĐ-UBND",
		"Quyết định số 1586/QĐ-UBND": "Decision 1586/QĐ-UBND",
		"QUYẾT ĐỊNH SỐ 12/QĐ-UBND":   "Decision 12/QĐ-UBND",
		"quyết định 7/QĐ-BQL":        "Decision 7/QĐ-BQL",
	} {
		if got := (PrintRequest{Lang: "en"}).decisionText(in); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
	if got := (PrintRequest{}).decisionText("1586/QĐ-UBND"); got != "Quyết định số 1586/QĐ-UBND" {
		t.Errorf("vi: %q", got)
	}
}
