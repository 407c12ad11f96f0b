package scene

import (
	"bytes"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"

	"quyhoach/gis/render"
)

// A stored overview read back draws, seen whole, what the scene's own
// overview draws (the same image, from the same view); zoomed in it is
// resampled; what is not one is refused.
func TestStoredOverviewDrawsTheOverview(t *testing.T) {
	s := Plan(synthetic(4000), catalogue(t), "vi")
	o := Options{Background: color.NRGBA{0xf7, 0xf7, 0xf2, 0xff}}
	data, ok := s.EncodeOverview(o)
	if !ok {
		t.Fatal("no overview encoded")
	}
	p, err := DecodeOverview(data)
	if err != nil {
		t.Fatal(err)
	}
	if p.Extent != s.Extent {
		t.Fatalf("extent %v, want %v", p.Extent, s.Extent)
	}
	w, h := s.Extent.Max[0]-s.Extent.Min[0], s.Extent.Max[1]-s.Extent.Min[1]
	want := s.drawOverview("", o, math.Max(w, h)/StoredOverviewPixels, w, h)
	if !bytes.Equal(p.ov.levels[0].Pix, want.levels[0].Pix) || p.ov.v != want.v {
		t.Fatal("the stored image is not the overview drawn at its resolution")
	}
	for _, zoom := range []float64{1, 3, 0.2} { // whole, closer than the image, coarser (the pyramid)
		v := render.Fit(s.Extent, 640, 400, 0)
		v.Scale /= zoom
		got, exp := image.NewRGBA(image.Rect(0, 0, 640, 400)), image.NewRGBA(image.Rect(0, 0, 640, 400))
		p.Render(got, v, o)
		wantOv := *want
		if zoom < 0.5 {
			wantOv.levels = pyramid(want.levels[0])
		}
		fillBackground(exp, o)
		drawOverview(exp, v, &wantOv)
		if !bytes.Equal(got.Pix, exp.Pix) {
			t.Errorf("zoom %v: the preview draws otherwise than the overview", zoom)
		}
	}
	for name, bad := range map[string][]byte{
		"empty":         nil,
		"another magic": append([]byte("QHOV\x02"), data[5:]...),
		"cut short":     data[:len(data)-3],
		"one run more":  append(append([]byte(nil), data...), 1, 0, 0, 0, 0),
		"no runs":       data[:5+7*8+8],
	} {
		if _, err := DecodeOverview(bad); err == nil {
			t.Errorf("%s: read as an overview", name)
		}
	}
}

// fillBackground paints dst with o's background, as a frame starts.
func fillBackground(dst *image.RGBA, o Options) {
	for i := 0; i < len(dst.Pix); i += 4 {
		dst.Pix[i], dst.Pix[i+1], dst.Pix[i+2], dst.Pix[i+3] = o.Background.R, o.Background.G, o.Background.B, o.Background.A
	}
}

// Runs give back every pixel, whatever the runs' lengths.
func TestRunsRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, n := range []int{1, 2, 3, 1000, 70000} {
		pix := make([]byte, 4*n)
		for i := 0; i < n; {
			k := min(n-i, 1+r.IntN(300))
			c := [4]byte{byte(r.IntN(3)), 0, 0, 255}
			for j := i; j < i+k; j++ {
				copy(pix[4*j:], c[:])
			}
			i += k
		}
		back := make([]byte, len(pix))
		if err := readRuns(back, appendRuns(nil, pix)); err != nil || !bytes.Equal(back, pix) {
			t.Fatalf("%d pixels: %v", n, err)
		}
	}
}

func BenchmarkDecodeOverview100k(b *testing.B) {
	s := Plan(synthetic(100_000), catalogue(b), "vi")
	data, _ := s.EncodeOverview(Options{Background: color.NRGBA{0xf7, 0xf7, 0xf2, 0xff}})
	b.ReportMetric(float64(len(data)), "bytes")
	for b.Loop() {
		if _, err := DecodeOverview(data); err != nil {
			b.Fatal(err)
		}
	}
}
