package geojson

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzRead feeds Read anything. It must not panic; a refusal must be an
// *Error with problems; and what it accepts must survive Write and a second
// Read unchanged, canonical bytes included.
func FuzzRead(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/broken/*.geojson")
	valid, _ := filepath.Glob("testdata/valid/*.geojson")
	for _, path := range append(seeds, valid...) {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	opt := Options{MaxBytes: 1 << 20, MaxFeatures: 100, MaxVertices: 10000}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Read(bytes.NewReader(data), opt)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || len(e.Problems) == 0 || len(e.Problems) > maxProblems+1 {
				t.Fatalf("got %T %v, want *Error with 1 to %d problems", err, err, maxProblems+1)
			}
			_ = e.Error()
			return
		}
		var out bytes.Buffer
		if err := Write(&out, c); err != nil {
			t.Fatalf("write: %v", err)
		}
		c2, err := Read(bytes.NewReader(out.Bytes()), opt)
		if err != nil {
			t.Fatalf("re-read: %v\n%s", err, out.Bytes())
		}
		if c2.CRS != c.CRS || !reflect.DeepEqual(c2.Features, c.Features) {
			t.Fatalf("round trip changed the collection:\n%#v\n%#v", c, c2)
		}
		for i := range c.Features {
			a := Canonical(c.Features[i], c.CRS.Geographic())
			if b := Canonical(c2.Features[i], c.CRS.Geographic()); !bytes.Equal(a, b) {
				t.Fatalf("canonical changed:\n%s\n%s", a, b)
			}
			if _, err := ParseFeature(a); err != nil && c.CRS.Geographic() {
				t.Fatalf("ParseFeature(Canonical): %v\n%s", err, a)
			}
		}
	})
}
