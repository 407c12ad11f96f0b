package ui

import (
	"context"
	"image"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"quyhoach/assets"
	"quyhoach/gis/landuse"
	"quyhoach/store"
)

func sampleStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "s.db"), store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.InstallSamples(context.Background(), assets.Samples); err != nil {
		t.Fatal(err)
	}
	return st
}

// waitLoaded selects a tree node and waits until its version is drawn.
func waitLoaded(t *testing.T, w *Window, node string) *store.Snapshot {
	t.Helper()
	done := make(chan *store.Snapshot, 1)
	w.Loaded = func(s *store.Snapshot) { done <- s }
	w.Plans.Select(node)
	select {
	case s := <-done:
		return s
	case <-time.After(10 * time.Second):
		t.Fatalf("%s was not drawn", node)
		return nil
	}
}

func TestWindowListsPlansAndDrawsVersions(t *testing.T) {
	a := test.NewApp()
	defer a.Quit()
	w, err := New(a, sampleStore(t))
	if err != nil {
		t.Fatal(err)
	}
	w.Resize(fyne.NewSize(1000, 700))
	if got := len(w.childUIDs("")); got != 4 {
		t.Fatalf("%d plans listed, want 4", got)
	}
	if got := w.childUIDs("truc-trung-tam"); len(got) != 2 || got[1] != "truc-trung-tam@2" {
		t.Fatalf("central axis versions %v", got)
	}
	snap := waitLoaded(t, w, "truc-trung-tam@1")
	if snap.Version.Number != 1 || !strings.Contains(w.Status.Text, "phiên bản 1") || !strings.Contains(w.Status.Text, "459 lô") {
		t.Fatalf("status %q", w.Status.Text)
	}
	waitLoaded(t, w, "truc-trung-tam")
	if !strings.Contains(w.Status.Text, "phiên bản 2") || !strings.Contains(w.Status.Text, "1.686,95 ha") {
		t.Fatalf("status %q", w.Status.Text)
	}
	// The map shows several land-use colours of the catalogue.
	img := w.Map.draw(800, 600)
	cat, _ := landuse.Parse(assets.LandUse)
	if n := catalogueColours(img, cat); n < 8 {
		t.Fatalf("%d land-use colours drawn, want at least 8", n)
	}
}

func catalogueColours(img image.Image, cat *landuse.Catalogue) int {
	want := map[[3]uint8]bool{}
	for _, c := range cat.Classes() {
		want[[3]uint8{c.RGB.R, c.RGB.G, c.RGB.B}] = true
	}
	seen := map[[3]uint8]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			k := [3]uint8{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8)}
			if want[k] {
				seen[k] = true
			}
		}
	}
	return len(seen)
}
