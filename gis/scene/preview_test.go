package scene

import (
	"bytes"
	"encoding/binary"
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
	one := o
	one.Bands = 1 // as it is encoded: in the background, on one core
	want := s.drawOverview("", one, math.Max(w, h)/StoredOverviewPixels, w, h)
	if !bytes.Equal(p.ov.levels[0].Pix, want.levels[0].Pix) || p.ov.v != want.v {
		t.Fatal("the stored image is not the overview drawn at its resolution")
	}
	if len(p.ov.levels) < 2 {
		t.Error("the overview is read without its pyramid (it would be made in the window's first paint)")
	}
	for _, zoom := range []float64{1, 3, 0.2} { // whole, closer than the image, coarser (the pyramid)
		v := render.Fit(s.Extent, 640, 400, 0)
		v.Scale /= zoom
		got, exp := image.NewRGBA(image.Rect(0, 0, 640, 400)), image.NewRGBA(image.Rect(0, 0, 640, 400))
		p.Render(got, v, o)
		wantOv := *want
		wantOv.levels = pyramid(want.levels[0])
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
		// a header claiming a larger image (256 MiB) than the encoder draws,
		// with one run to fill it: refused before anything is allocated
		"too large":        header(0.5, 0, 0, 4096, 4096, 8194, 8194, []byte{0x80, 0x80, 0x80, 0x20, 1, 2, 3, 4}),
		"not its extent's": header(1, 0, 0, 2048, 1000, 2050, 1002, nil),
	} {
		if _, err := DecodeOverview(bad); err == nil {
			t.Errorf("%s: read as an overview", name)
		}
	}
}

// header is an encoded overview's start: its view's scale, extent and
// image size, then runs.
func header(scale, x0, y0, x1, y1 float64, w, h uint32, runs []byte) []byte {
	out := append([]byte(nil), overviewMagic...)
	for _, f := range []float64{(x0 + x1) / 2, (y0 + y1) / 2, scale, x0, y0, x1, y1} {
		out = binary.LittleEndian.AppendUint64(out, math.Float64bits(f))
	}
	out = binary.LittleEndian.AppendUint32(out, w)
	out = binary.LittleEndian.AppendUint32(out, h)
	return append(out, runs...)
}

// The style of an overview names what changes its pixels, not what does
// not: the pixel ratio, a layer at full opacity.
func TestOverviewStyle(t *testing.T) {
	o := Options{Background: color.NRGBA{1, 2, 3, 255}, Hidden: map[string]bool{"A": true}}
	base := OverviewStyle(o, "c")
	same := o
	same.PixelRatio, same.Opacity = 2, map[string]float64{"B": 1}
	if OverviewStyle(same, "c") != base {
		t.Error("the pixel ratio or a full opacity changed the style")
	}
	for name, other := range map[string]Options{
		"background": {Background: color.NRGBA{9, 2, 3, 255}, Hidden: o.Hidden},
		"hidden":     {Background: o.Background},
		"opacity":    {Background: o.Background, Hidden: o.Hidden, Opacity: map[string]float64{"B": 0.5}},
		"order":      {Background: o.Background, Hidden: o.Hidden, Order: []string{"B", "A"}},
	} {
		if OverviewStyle(other, "c") == base {
			t.Errorf("%s: the same style", name)
		}
	}
	if OverviewStyle(o, "d") == base {
		t.Error("other colours: the same style")
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
