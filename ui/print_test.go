package ui

import (
	"strings"
	"testing"
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
