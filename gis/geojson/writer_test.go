package geojson

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/crs"
)

// TestWriterIsWrite: a collection written a feature at a time, or from
// bytes AppendFeature made, is the bytes Write makes of it, with and
// without a crs member, empty or past a flush.
func TestWriterIsWrite(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var fs []gis.Feature
	for i := range 3000 {
		x, y := 106.7+r.Float64()/10, 21.9+r.Float64()/10
		fs = append(fs, gis.Feature{ID: strconv.Itoa(i), Geometry: orb.Polygon{{{x, y}, {x + 1e-4, y}, {x, y + 1e-4}, {x, y}}},
			Properties: map[string]any{"maDoiTuong": "L-" + strconv.Itoa(i), "tang": float64(i % 9), "ok": i%2 == 0, "ghiChu": nil}})
	}
	for _, c := range []crs.Code{0, crs.WGS84, crs.TM3LangSon} {
		for _, n := range []int{0, 1, len(fs)} {
			var want, got, enc bytes.Buffer
			if err := Write(&want, &Collection{CRS: c, Features: fs[:n]}); err != nil {
				t.Fatal(err)
			}
			w, we := NewWriter(&got, c), NewWriter(&enc, c)
			for _, f := range fs[:n] {
				if err := w.Feature(f); err != nil {
					t.Fatal(err)
				}
				b, err := AppendFeature(nil, f)
				if err != nil {
					t.Fatal(err)
				}
				if err := we.Encoded(b); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			we.Close()
			if !bytes.Equal(got.Bytes(), want.Bytes()) || !bytes.Equal(enc.Bytes(), want.Bytes()) {
				t.Fatalf("crs %v, %d features: the writer differs from Write", c, n)
			}
		}
	}
	w := NewWriter(&bytes.Buffer{}, 0)
	w.Feature(fs[0])
	if err := w.Feature(gis.Feature{Geometry: orb.Point{math.NaN(), 0}}); err == nil || err.Error() != "geojson: write: feature 1: number is NaN or infinite" {
		t.Fatalf("a NaN: %v", err)
	}
	if err := w.Close(); err == nil {
		t.Fatal("a writer that failed closed cleanly")
	}
}

// TestFullPrecisionCoordinates: the fast form of a coordinate that is a
// whole number of 1e-9 is strconv's shortest form, and other numbers are
// strconv's.
func TestFullPrecisionCoordinates(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	check := func(v float64) {
		e := encoder{}
		got := string(e.coord(nil, v))
		z := v
		if z == 0 {
			z = 0
		}
		if want := strconv.FormatFloat(z, 'f', -1, 64); got != want {
			t.Fatalf("%v (%b): %s, want %s", v, math.Float64bits(v), got, want)
		}
	}
	for range 2_000_000 {
		k := r.Int64N(2e14) - 1e14 // up to ±100 000 in 1e-9 steps
		if r.IntN(4) == 0 {
			k = r.Int64N(361e9) - 180e9 // a longitude
		}
		check(float64(k) / 1e9)
		check(r.NormFloat64() * 1e6)
		check(2.4e6 + r.Float64()*1e5) // grid metres
		check(math.Nextafter(float64(k)/1e9, 1e300))
	}
	for _, v := range []float64{0, math.Copysign(0, -1), 1e-9, -1e-9, 5e-10, 999999.999999999, 1e6, 1e15, 1e21, 123456.7890123} {
		check(v)
	}
}
