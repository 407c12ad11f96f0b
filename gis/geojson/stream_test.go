package geojson

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"quyhoach/gis"
	"quyhoach/gis/crs"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/paulmach/orb"
)

// TestReaders reads every corpus file through readers that hand out the
// bytes in small pieces, so the window slides at every possible place: the
// result, or the exact error, must be the one of a whole-file read.
func TestReaders(t *testing.T) {
	files, _ := filepath.Glob("testdata/*/*.geojson")
	readers := map[string]func([]byte) io.Reader{
		"one byte": func(b []byte) io.Reader { return iotest.OneByteReader(bytes.NewReader(b)) },
		"half":     func(b []byte) io.Reader { return iotest.HalfReader(bytes.NewReader(b)) },
		"data+EOF": func(b []byte) io.Reader { return iotest.DataErrReader(bytes.NewReader(b)) },
		"7 bytes":  func(b []byte) io.Reader { return &chunkReader{b, 7} },
	}
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		opt := optionsFor(strings.TrimSuffix(filepath.Base(path), ".geojson"))
		want, wantErr := Read(bytes.NewReader(data), opt)
		for name, wrap := range readers {
			got, err := Read(wrap(data), opt)
			if fmt.Sprint(err) != fmt.Sprint(wantErr) || !reflect.DeepEqual(got, want) {
				t.Errorf("%s, %s reader:\ngot  %v\nwant %v", path, name, err, wantErr)
			}
		}
	}
}

// chunkReader hands out n bytes per Read, not telling its length.
type chunkReader struct {
	b []byte
	n int
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), r.n)], r.b)
	r.b = r.b[n:]
	return n, nil
}

// TestLargeValues reads values larger than the window: a long string, a
// long number and a geometry whose type comes after its coordinates.
func TestLargeValues(t *testing.T) {
	long := strings.Repeat("Đất ở ", windowSize/4)
	var coords strings.Builder
	coords.WriteString("[")
	for i := range windowSize / 20 {
		if i > 0 {
			coords.WriteString(",")
		}
		fmt.Fprintf(&coords, "[106.%012d,21.8]", i)
	}
	coords.WriteString("]")
	digits := "1." + strings.Repeat("0", windowSize)
	src := `{"type": "Feature", "properties": {"s": "` + long + `", "n": ` + digits + `},
"geometry": {"coordinates": ` + coords.String() + `, "type": "LineString"}}`
	for _, r := range []io.Reader{strings.NewReader(src), &chunkReader{[]byte(src), 4096}} {
		c, err := Read(r, Options{})
		if err != nil {
			t.Fatal(err)
		}
		f := c.Features[0]
		if f.String("s") != long || f.Properties["n"] != 1.0 {
			t.Errorf("long values garbled")
		}
		if l := f.Geometry.(orb.LineString); len(l) != windowSize/20 || l[len(l)-1] != (orb.Point{106.000000013106, 21.8}) {
			t.Errorf("got %d positions ending %v", len(l), l[len(l)-1])
		}
	}
}

func TestNumbers(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	check := func(s string) {
		t.Helper()
		want, werr := strconv.ParseFloat(s, 64)
		p := &parser{data: []byte(s + ","), eof: true, mark: -1, feature: -1, opt: Options{}.withDefaults()}
		var got float64
		ok := p.run(func() { got = p.number() })
		if werr != nil {
			if ok && len(p.problems) == 0 {
				t.Errorf("%s: got %v, want an out of range problem", s, got)
			}
			return
		}
		if !ok || math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("%s: got %v (%x), want %v (%x)", s, got, math.Float64bits(got), want, math.Float64bits(want))
		}
	}
	fixed := []string{"0", "-0", "1", "-1", "0.1", "106.595189138853158", "21.803002726077569",
		"-84.546324194975199", "9007199254740993", "9007199254740992.5", "1e22", "1e23", "1.7976931348623157e308",
		"1.7976931348623159e308", "4.9e-324", "2.2250738585072011e-308", "2.2250738585072012e-308", "1e-400", "1e400",
		"123456789012345678901234567890", "0.000000000000000000000000000001", "1E+2", "1e-0", "12345678901234567890e-20",
		"18446744073709551615", "18446744073709551616", "99999999999999999999e-5", "0.30000000000000004"}
	for _, s := range fixed {
		check(s)
	}
	for range 200_000 {
		var s string
		switch rng.IntN(4) {
		case 0: // GDAL-like coordinates
			s = strconv.FormatFloat(rng.Float64()*360-180, 'f', 15, 64)
		case 1: // shortest forms of random doubles
			s = strconv.FormatFloat(math.Float64frombits(rng.Uint64()&^(0x7FF<<52)|uint64(rng.IntN(0x7FE)+1)<<52), 'g', -1, 64)
		case 2: // random digit strings
			var b strings.Builder
			if rng.IntN(2) == 0 {
				b.WriteByte('-')
			}
			b.WriteString(strconv.Itoa(rng.IntN(1000)))
			b.WriteByte('.')
			for range 1 + rng.IntN(25) {
				b.WriteByte(byte('0' + rng.IntN(10)))
			}
			if rng.IntN(3) == 0 {
				fmt.Fprintf(&b, "e%d", rng.IntN(700)-350)
			}
			s = b.String()
		default: // metres
			s = strconv.FormatFloat(rng.Float64()*3e6, 'f', rng.IntN(8), 64)
		}
		check(s)
	}
}

// FuzzNumber checks the number parser against strconv.ParseFloat.
func FuzzNumber(f *testing.F) {
	for _, s := range []string{"106.595189138853158", "-0.5e-3", "1e400", "0", "123456789012345678901"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := &parser{data: []byte(s), eof: true, mark: -1, feature: -1, opt: Options{}.withDefaults()}
		var got float64
		if !p.run(func() { got = p.number() }) || p.pos != len(s) || len(p.problems) > 0 {
			return // not a whole JSON number, or out of range
		}
		want, err := strconv.ParseFloat(s, 64)
		if err != nil || math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("%q: got %v, want %v (%v)", s, got, want, err)
		}
	})
}

// TestEach: read feature by feature (Options.Each), every corpus file gives
// the features of a whole read, or its exact error, and keeps none.
func TestEach(t *testing.T) {
	files, _ := filepath.Glob("testdata/*/*.geojson")
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		opt := optionsFor(strings.TrimSuffix(filepath.Base(path), ".geojson"))
		want, wantErr := Read(bytes.NewReader(data), opt)
		var got []gis.Feature
		var gotCRS crs.Code
		opt.Each = func(i int, f gis.Feature, c crs.Code) error {
			if i != len(got) {
				return fmt.Errorf("feature %d handed as %d", len(got), i)
			}
			got, gotCRS = append(got, f), c
			return nil
		}
		col, err := Read(iotest.HalfReader(bytes.NewReader(data)), opt)
		switch {
		case wantErr != nil:
			if streamedCRSLate(data) {
				continue // a crs member after the features: refused up front when streaming
			}
			if fmt.Sprint(err) != fmt.Sprint(wantErr) {
				t.Errorf("%s: got %v, want %v", path, err, wantErr)
			}
		case err != nil:
			if !streamedCRSLate(data) {
				t.Errorf("%s: %v", path, err)
			}
		case len(col.Features) != 0:
			t.Errorf("%s: streamed features kept", path)
		case !reflect.DeepEqual(got, nonEmpty(want.Features)) || len(got) > 0 && gotCRS != want.CRS:
			t.Errorf("%s: streamed\n%v (%s)\nwant\n%v (%s)", path, got, gotCRS, want.Features, want.CRS)
		}
	}
	// an error from Each stops reading and comes back as it is
	stop := fmt.Errorf("stop")
	_, err := Read(strings.NewReader(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":null},{"type":"Feature","properties":{},"geometry":null}]}`),
		Options{Each: func(i int, _ gis.Feature, _ crs.Code) error {
			if i == 1 {
				return stop
			}
			return nil
		}})
	if err != stop {
		t.Fatalf("Each's error: %v", err)
	}
}

func streamedCRSLate(data []byte) bool {
	c, f := bytes.Index(data, []byte(`"crs"`)), bytes.Index(data, []byte(`"features"`))
	return c > 0 && f > 0 && c > f
}

func nonEmpty(fs []gis.Feature) []gis.Feature {
	if len(fs) == 0 {
		return nil
	}
	return fs
}
