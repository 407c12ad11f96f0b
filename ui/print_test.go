package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"quyhoach/assets"
	"quyhoach/gis"
	"quyhoach/gis/render"
	"quyhoach/gis/sheet"
)

// TestPrintDialog: the dialog asks the printer for the plan state shown,
// with the chosen paper and scale, and previews the first sheet.
func TestPrintDialog(t *testing.T) {
	w := newWindow(t, sampleStore(t))
	waitLoaded(t, w, "chi-ma@1")
	var got PrintRequest
	w.Printer = func(ctx context.Context, r PrintRequest) (*sheet.Document, error) {
		got = r
		var lots []gis.Feature
		for _, l := range w.layers {
			if l.Name == gis.LandUseLayer {
				lots = l.Features
			}
		}
		b := lots[0].Geometry.Bound()
		for _, f := range lots {
			b = b.Union(f.Geometry.Bound())
		}
		l, err := sheet.Fit(sheet.Options{Paper: r.Paper, Landscape: r.Landscape, Scale: r.Scale}, b)
		if err != nil {
			return nil, err
		}
		return &sheet.Document{Catalogue: w.cat, Fonts: render.Fonts{Regular: assets.FontRegular, Bold: assets.FontBold},
			Sheets: []sheet.Sheet{{Layout: l, Map: render.Map{Lots: lots, Labels: true}}}}, nil
	}
	p := w.ShowPrint()
	if p == nil {
		t.Fatal("no dialog")
	}
	done := make(chan error, 4)
	p.Previewed = func(err error) { done <- err }
	wait := func() error {
		t.Helper()
		select {
		case err := <-done:
			return err
		case <-time.After(10 * time.Second):
			t.Fatal("no preview")
			return nil
		}
	}
	p.Paper.SetSelected("A1") // each choice refreshes the preview
	wait()
	p.Landscape.SetChecked(true)
	wait()
	p.Scale.SetText("1/2.000")
	p.refresh()
	if err := wait(); err != nil {
		t.Fatal(err)
	}
	if got.Plan != "chi-ma" || got.Version != 1 || got.Paper != "A1" || !got.Landscape || got.Scale != 2000 || got.Dossier != 0 {
		t.Fatalf("request %+v", got)
	}
	if !strings.Contains(p.Info.Text, "1/2000") || p.Preview.Image.Bounds().Dx() < 100 {
		t.Fatalf("preview %q, image %v", p.Info.Text, p.Preview.Image.Bounds())
	}
	if !p.Adjusted.Disabled() || !p.Compare.Disabled() {
		t.Fatal("a version has no adjusted area to fit or compare")
	}
	p.Scale.SetText("zero")
	p.refresh()
	if err := wait(); err == nil || !strings.Contains(p.Info.Text, "zero") {
		t.Fatalf("bad scale: %v %q", err, p.Info.Text)
	}
}
