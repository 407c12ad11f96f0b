package geojson

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"quyhoach/gis"
)

// parsedProperties is ParseProperties without its flat path: the parser.
func parsedProperties(data []byte) (gis.Feature, error) {
	c, err := decode(nil, int64(len(data)), data, Options{MaxValue: len(data) + 1, skipGeometry: true}.withDefaults(), true)
	if err != nil {
		return gis.Feature{}, err
	}
	return c.Features[0], nil
}

// TestFlatPropertiesIsTheParser: whatever the flat path reads, the parser
// reads the same (values, kinds, -0 and numbers at the edges of exact
// rounding), and what it leaves (nested values, escapes, repeated keys,
// text that is not UTF-8, numbers JSON does not write or out of range,
// another layout) it leaves to the parser, which then judges it; random
// bodies, canonical ones and their mutations, some thousands of each.
func TestFlatPropertiesIsTheParser(t *testing.T) {
	r := rand.New(rand.NewPCG(16, 27))
	keys := []string{"maDoiTuong", "phanLoai", "tangCaoMax", "ghi chú", "x", "", "maDoiTuong"}
	values := []string{`1`, `-0`, `0.1`, `26`, `1e22`, `1e23`, `9007199254740993`, `-1.5E-7`, `1e400`, `01`, `1.`, `-`, `.5`, `2e`,
		`"L-1"`, `"Đất ở"`, `""`, `"a\"b"`, `"a\u00e9"`, "\"\xff\"", "\"tab\there\"", `true`, `false`, `null`, `nul`, `tru`,
		`{"k":1}`, `[1,"a"]`, `[]`, `{}`}
	flat, parsed := 0, 0
	for n := range 20000 {
		var b strings.Builder
		b.WriteString(`{"type":"Feature","geometry":null,"properties":{`)
		for i := range r.IntN(6) {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "%q:%s", keys[r.IntN(len(keys))], values[r.IntN(len(values))])
		}
		b.WriteString("}}")
		text := []byte(b.String())
		if n%3 == 0 && len(text) > 0 { // a byte changed, dropped or repeated
			i := r.IntN(len(text))
			switch r.IntN(3) {
			case 0:
				text[i] = "{}[],:\"\\0 n"[r.IntN(11)]
			case 1:
				text = append(text[:i:i], text[i+1:]...)
			case 2:
				text = append(text[:i+1:i+1], text[i:]...)
			}
		}
		props, ok := flatProperties(text)
		want, err := parsedProperties(text)
		if !ok {
			parsed++
			continue
		}
		flat++
		if err != nil {
			t.Fatalf("%s: read flat as %v, the parser refuses it: %v", text, props, err)
		}
		if !reflect.DeepEqual(props, want.Properties) || want.Geometry != nil || want.ID != "" {
			t.Fatalf("%s:\nflat   %#v\nparser %#v", text, props, want)
		}
		for k, v := range props { // -0 stays -0
			if f, isNum := v.(float64); isNum && math.Signbit(f) != math.Signbit(want.Properties[k].(float64)) {
				t.Fatalf("%s: %s's sign", text, k)
			}
		}
	}
	if flat < 2000 || parsed < 2000 {
		t.Fatalf("%d read flat, %d left to the parser: both ways should be tried", flat, parsed)
	}
	for _, f := range []gis.Feature{ // canonical bodies, geometry nulled as the store reads them
		{Properties: map[string]any{"maDoiTuong": "L-1", "phanLoai": "ONM", "tangCaoMax": 5.0, "dienTich": 1234.5678, "ok": true, "ghiChu": nil}},
		{Properties: map[string]any{}},
		{Properties: map[string]any{"tên": "Lô \"góc\"\n", "so": -0.0, "lon": 1e300}},
	} {
		text := AppendCanonical(nil, f, true)
		props, ok := flatProperties(text)
		want, err := parsedProperties(text)
		if err != nil || ok && !reflect.DeepEqual(props, want.Properties) {
			t.Errorf("%s: flat %v %v, parser %v %v", text, props, ok, want.Properties, err)
		}
		if _, escaped := f.Properties["tên"]; ok == escaped {
			t.Errorf("%s: read flat %v", text, ok)
		}
	}
	// a number of 200 000 digits and an exponent of 2 000 000: read as the
	// parser reads it, whatever that is (the same scanner)
	text := []byte(`{"type":"Feature","geometry":null,"properties":{"x":0.` + strings.Repeat("0", 199_999) + `1e2000000}}`)
	props, ok := flatProperties(text)
	want, err := parsedProperties(text)
	if ok && (err != nil || !reflect.DeepEqual(props, want.Properties)) {
		t.Errorf("a long number: flat %v, parser %v %v", props, want.Properties, err)
	}
}
