package gis

import (
	"encoding/json"
	"math"
	"testing"
)

func TestNumber(t *testing.T) {
	for _, tc := range []struct {
		v    any
		want float64
		ok   bool
	}{
		{17.5, 17.5, true}, {float32(2.5), 2.5, true}, {int8(-3), -3, true}, {int64(1) << 40, 1 << 40, true},
		{uint16(7), 7, true}, {json.Number("4.25"), 4.25, true}, {" 12,5", 0, false}, {" 12.5 ", 12.5, true},
		{"abc", 0, false}, {math.NaN(), 0, false}, {math.Inf(1), 0, false}, {"Inf", 0, false},
		{true, 0, false}, {nil, 0, false}, {[]any{1.0}, 0, false},
	} {
		got, ok := Number(tc.v)
		if ok != tc.ok || ok && got != tc.want {
			t.Errorf("Number(%#v) = %v, %v; want %v, %v", tc.v, got, ok, tc.want, tc.ok)
		}
	}
}

func TestFormat(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		d    int
		lang string
		want string
	}{
		{39400, 0, "vi", "39.400"}, {12.345, 2, "vi", "12,35"}, {-1686.95, 2, "vi", "-1.686,95"},
		{39400, 0, "en", "39,400"}, {1686.95, 2, "en", "1,686.95"}, {0.5, 1, "en", "0.5"},
	} {
		if got := Format(tc.v, tc.d, tc.lang); got != tc.want {
			t.Errorf("Format(%v, %d, %s) = %q, want %q", tc.v, tc.d, tc.lang, got, tc.want)
		}
	}
}

func TestSigned(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		lang string
		want string
	}{{8.551, "vi", "+8,55"}, {-0.4, "vi", "-0,40"}, {0.004, "vi", "0"}, {-0.004, "en", "0"}, {1234.5, "en", "+1,234.50"}} {
		if got := Signed(tc.v, 2, tc.lang); got != tc.want {
			t.Errorf("Signed(%v, 2, %s) = %q, want %q", tc.v, tc.lang, got, tc.want)
		}
	}
}
