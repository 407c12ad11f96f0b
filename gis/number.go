package gis

import (
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"strings"
)

func formatNumber(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// Number reads a property value as a finite float64: any Go number, a
// json.Number, or a string that parses as one (spreadsheets and DBF files
// often write numbers as text). It is the one coercion of property values
// to numbers; code that must tell 17 from "17" checks for a string first.
func Number(v any) (float64, bool) {
	var f float64
	switch x := v.(type) {
	case json.Number:
		var err error
		if f, err = x.Float64(); err != nil {
			return 0, false
		}
	case string:
		var err error
		if f, err = strconv.ParseFloat(strings.TrimSpace(x), 64); err != nil {
			return 0, false
		}
	default:
		switch rv := reflect.ValueOf(v); {
		case rv.CanFloat():
			f = rv.Float()
		case rv.CanInt():
			f = float64(rv.Int())
		case rv.CanUint():
			f = float64(rv.Uint())
		default:
			return 0, false
		}
	}
	return f, !math.IsNaN(f) && !math.IsInf(f, 0)
}

// FormatVN formats v with the given number of decimals the Vietnamese way:
// "." groups thousands and "," marks decimals (39.400; 12,45).
func FormatVN(v float64, decimals int) string {
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteByte(',')
		b.WriteString(frac)
	}
	return b.String()
}

// Format formats v with the given number of decimals for a language: "vi"
// the Vietnamese way (FormatVN: 39.400,5), "en" the English way (39,400.5).
// Official documents (sheets, reports) are always written "vi".
func Format(v float64, decimals int, lang string) string {
	s := FormatVN(v, decimals)
	if lang != "en" {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch r {
		case '.':
			return ','
		case ',':
			return '.'
		}
		return r
	}, s)
}

// Signed formats a change for a language (see Format) with its sign:
// "+1,25", "-0,40", and "0" for anything that rounds to zero.
func Signed(v float64, decimals int, lang string) string {
	if math.Abs(v) < 0.5*math.Pow(10, -float64(decimals)) {
		return "0"
	}
	if v > 0 {
		return "+" + Format(v, decimals, lang)
	}
	return Format(v, decimals, lang)
}
