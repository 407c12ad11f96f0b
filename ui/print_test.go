package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// TestPrintDialog: the dialog builds the sheets of the plan state shown,
// with the chosen paper and scale, through the application layer (as the
// print command does), and previews the first one.
func TestPrintDialog(t *testing.T) {
	w := newWindow(t, sampleStore(t))
	open(t, w, "chi-ma@1")
	p := w.ShowPrint()
	if p == nil {
		t.Fatal("no dialog")
	}
	if p.doc == nil || !strings.Contains(p.Info.Text, "A3") {
		t.Fatalf("no first preview: %q", p.Info.Text)
	}
	p.Paper.SetSelected("A1") // each choice refreshes the preview
	p.Landscape.SetChecked(true)
	p.Scale.SetText("1/2.000")
	p.Refresh()
	r, err := p.Request()
	if err != nil {
		t.Fatal(err)
	}
	if r.Plan != "chi-ma" || r.Ref.Version != 1 || r.Paper != "A1" || !r.Landscape || r.Scale != 2000 || r.Ref.Dossier != 0 {
		t.Fatalf("request %+v", r)
	}
	if l := p.doc.Sheets[0].Layout; !strings.Contains(p.Info.Text, "1/2000") || l.Paper.Name != "A1" || !l.Landscape || p.Preview.Image.Bounds().Dx() < 100 {
		t.Fatalf("preview %q, layout %+v, image %v", p.Info.Text, l, p.Preview.Image.Bounds())
	}
	if !p.Adjusted.Disabled() || !p.Compare.Disabled() {
		t.Fatal("a version has no adjusted area to fit or compare")
	}
	p.Scale.SetText("zero")
	p.Refresh()
	if p.doc != nil || !strings.Contains(p.Info.Text, "zero") {
		t.Fatalf("bad scale: %q", p.Info.Text)
	}
	// a dossier's proposal can be printed against its base, on two pages
	open(t, w, "chi-ma#2")
	p = w.ShowPrint()
	p.Compare.SetChecked(true)
	if p.doc == nil || len(p.doc.Sheets) != 2 || !strings.Contains(p.doc.Sheets[1].Title.DrawingName, "điều chỉnh") {
		t.Fatalf("compare sheets: %q", p.Info.Text)
	}
	// an atlas with compare is refused with the reason
	p.Atlas.SetChecked(true)
	if p.doc != nil || !strings.Contains(p.Info.Text, "atlas") {
		t.Fatalf("atlas with compare: %q", p.Info.Text)
	}
}

// TestPrintDialogRemembers: the dialog opens on the choices last made for
// the plan; another plan keeps its own.
func TestPrintDialogRemembers(t *testing.T) {
	w := newWindow(t, sampleStore(t))
	open(t, w, "chi-ma#2")
	p := w.ShowPrint()
	p.Paper.SetSelected("A1")
	p.Landscape.SetChecked(true)
	p.Scale.SetText("1/2.000")
	p.Balance.SetChecked(true)
	p.Adjusted.SetChecked(true)
	p.Title.SetText("Bản đồ điều chỉnh")
	p.DrawingNo.SetText("QH-07")
	p.Lang.SetSelectedIndex(1)
	p.dlg.Hide()

	p = w.ShowPrint()
	r, err := p.Request()
	if err != nil {
		t.Fatal(err)
	}
	if r.Paper != "A1" || !r.Landscape || r.Scale != 2000 || !r.Balance || !r.Adjusted || r.DrawingName != "Bản đồ điều chỉnh" ||
		r.DrawingNo != "QH-07" || r.Lang != "en" || p.doc == nil || p.doc.Sheets[0].Layout.Paper.Name != "A1" {
		t.Fatalf("reopened with %+v", r)
	}
	p.dlg.Hide()
	// another plan: the defaults
	open(t, w, "huu-nghi@1")
	p = w.ShowPrint()
	if r, _ := p.Request(); r.Paper != "A3" || r.Landscape || r.Scale != 0 || r.Balance || r.DrawingNo != "QH-01" || r.Lang != "" {
		t.Fatalf("huu-nghi opened with %+v", r)
	}
	p.dlg.Hide()
	// a version of chi-ma: its plan's choices, without the dossier's
	open(t, w, "chi-ma@1")
	p = w.ShowPrint()
	if r, _ := p.Request(); r.Paper != "A1" || r.Scale != 2000 || r.Adjusted || r.Compare || p.doc == nil {
		t.Fatalf("chi-ma@1 opened with %+v (%q)", r, p.Info.Text)
	}
	p.dlg.Hide()
}

// TestPrintDialogSaysWhenItDoesNotFit: at a scale where the plan does not
// fit the sheet the dialog says so over the preview and beside the
// choices, and offers the scale that fits and the atlas, one click each.
func TestPrintDialogSaysWhenItDoesNotFit(t *testing.T) {
	w := newWindow(t, sampleStore(t))
	open(t, w, "chi-ma@1")
	p := w.ShowPrint()
	defer p.dlg.Hide()
	if !p.Fit.Fits || p.Cropped.Visible() || p.Warning.Visible() || p.FitScale.Visible() || p.UseAtlas.Visible() {
		t.Fatalf("automatic scale: fit %+v, warning %q", p.Fit, p.Warning.Text)
	}
	p.Scale.SetText("500")
	p.Refresh()
	f := p.Fit
	if f.Fits || f.Scale != 500 || f.FitScale != 10000 || f.AtlasSheets < 2 || p.doc == nil {
		t.Fatalf("A3 at 1/500: %+v", f)
	}
	if !p.Cropped.Visible() || !p.Warning.Visible() || !strings.Contains(p.Warning.Text, "1/500") || !strings.Contains(p.Warning.Text, "A3") {
		t.Fatalf("warning %v %q", p.Cropped.Visible(), p.Warning.Text)
	}
	if !p.FitScale.Visible() || p.FitScale.Text != "In tỷ lệ 1/10000: vừa một tờ" || !p.UseAtlas.Visible() || !strings.Contains(p.UseAtlas.Text, "1/500") {
		t.Fatalf("ways out %q %q", p.FitScale.Text, p.UseAtlas.Text)
	}
	atlas := f.AtlasSheets
	test.Tap(p.UseAtlas)
	if r, _ := p.Request(); !r.Atlas || r.Scale != 500 || p.doc == nil || len(p.doc.Sheets) != atlas || !p.Fit.Fits || p.Warning.Visible() || p.Cropped.Visible() {
		t.Fatalf("atlas: %+v, %d sheets, want %d", r, len(p.doc.Sheets), atlas)
	}
	p.Atlas.SetChecked(false)
	if p.Fit.Fits || !p.Warning.Visible() {
		t.Fatal("the warning did not come back")
	}
	test.Tap(p.FitScale)
	if r, _ := p.Request(); r.Scale != 10000 || !p.Fit.Fits || p.Warning.Visible() || p.doc.Sheets[0].Layout.Scale != 10000 {
		t.Fatalf("fitting scale: %+v, fit %+v", r, p.Fit)
	}
	// the adjusted area of a dossier: the scale that fits, no atlas
	open(t, w, "chi-ma#2")
	p2 := w.ShowPrint()
	defer p2.dlg.Hide()
	p2.Scale.SetText("200")
	p2.Adjusted.SetChecked(true)
	if p2.Fit.Fits || !strings.Contains(p2.Warning.Text, "Khu vực điều chỉnh") || !p2.FitScale.Visible() || p2.UseAtlas.Visible() {
		t.Fatalf("adjusted area at 1/200: %+v %q", p2.Fit, p2.Warning.Text)
	}
}
