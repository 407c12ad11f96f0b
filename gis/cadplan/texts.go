package cadplan

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"quyhoach/gis"
)

// DefaultCodePattern matches a lot code as drawings write them: letters,
// an optional dash or dot, digits, then more letters, digits and dashes
// (KNQ-01, CN-03, DV03, LK-01-02, OHH-1a).
const DefaultCodePattern = `^\pL+[-.]?\d+[\pL\d]*(?:[-.][\pL\d]+)*$`

// Indicator reads planning indicators from a text: when Pattern matches
// the whole of a text line, its submatches fill Fields in order; when it
// has fewer groups than fields, its last group fills the rest ("5T": five
// storeys, tangCaoMin and tangCaoMax). Values are numbers, a decimal comma
// read as a point; danSo (population) takes dots and commas as thousands.
type Indicator struct {
	Pattern *regexp.Regexp
	Fields  []string
}

// DefaultIndicators read the indicators drawings write inside lots:
// "MĐXD 40%", "3-5T", "TC 3-5", "5T", "HSSDĐ 1,2", "KL 6m", "DS 1.200".
var DefaultIndicators = []Indicator{
	{regexp.MustCompile(`(?i)^(?:MĐXD|MDXD|MĐ|mật độ xây dựng|mật độ)\s*[:=]?\s*(\d+(?:[.,]\d+)?)\s*%$|^(?:MĐXD|MDXD)\s*[:=]?\s*(\d+(?:[.,]\d+)?)$`), []string{"matDoXayDung"}},
	{regexp.MustCompile(`(?i)^(?:TC|tầng cao)\s*[:=]?\s*(\d+)\s*[-–÷]\s*(\d+)\s*(?:T|tầng)?$`), []string{"tangCaoMin", "tangCaoMax"}},
	{regexp.MustCompile(`(?i)^(\d+)\s*[-–÷]\s*(\d+)\s*(?:T|tầng)$`), []string{"tangCaoMin", "tangCaoMax"}},
	{regexp.MustCompile(`(?i)^(?:TC|tầng cao)\s*[:=]?\s*(\d+)\s*(?:T|tầng)?$`), []string{"tangCaoMin", "tangCaoMax"}},
	{regexp.MustCompile(`(?i)^(\d+)\s*(?:T|tầng)$`), []string{"tangCaoMin", "tangCaoMax"}},
	{regexp.MustCompile(`(?i)^(?:HSSDĐ|HSSDD|HSSD|HS|hệ số sử dụng đất)\s*[:=]?\s*(\d+(?:[.,]\d+)?)\s*(?:lần)?$`), []string{"heSoSuDungDat"}},
	{regexp.MustCompile(`(?i)^(?:KL|khoảng lùi)\s*[:=]?\s*(\d+(?:[.,]\d+)?)\s*m?$`), []string{"khoangLui"}},
	{regexp.MustCompile(`(?i)^(?:DS|dân số)\s*[:=]?\s*(\d[\d.,]*)\s*(?:người)?$`), []string{"danSo"}},
}

// ParseIndicator reads an indicator rule as the CLI takes it:
// "FIELD[,FIELD…]=REGEXP", the regexp's groups filling the fields.
func ParseIndicator(s string) (Indicator, error) {
	fields, expr, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(fields) == "" {
		return Indicator{}, fmt.Errorf("indicator %q: want FIELD[,FIELD…]=REGEXP", s)
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return Indicator{}, fmt.Errorf("indicator %q: %w", s, err)
	}
	if re.NumSubexp() == 0 {
		return Indicator{}, fmt.Errorf("indicator %q: the pattern has no group ( ) for the value", s)
	}
	var fs []string
	for _, f := range strings.Split(fields, ",") {
		fs = append(fs, strings.TrimSpace(f))
	}
	return Indicator{Pattern: re, Fields: fs}, nil
}

// readIndicator returns the fields a text line fills, or nil.
func readIndicator(inds []Indicator, line string) map[string]float64 {
	for _, ind := range inds {
		m := ind.Pattern.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		// The groups that matched, in order (a pattern's alternatives each
		// have their own).
		var vals []string
		for _, v := range m[1:] {
			if v != "" {
				vals = append(vals, v)
			}
		}
		if len(vals) == 0 {
			continue
		}
		out := map[string]float64{}
		for i, f := range ind.Fields {
			v := vals[min(i, len(vals)-1)]
			if n, ok := number(v, f == "danSo"); ok {
				out[f] = n
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	return nil
}

// number reads a number as drawings write it: a decimal comma or point
// ("1,2", "1.2"); with thousands, dots and commas both group ("1.200").
func number(s string, thousands bool) (float64, bool) {
	s = strings.TrimSpace(s)
	if thousands {
		s = strings.NewReplacer(".", "", ",", "").Replace(s)
	} else {
		s = strings.Replace(s, ",", ".", 1)
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil && v >= 0
}

// Texts writes a lot's code and indicators as drawings write them inside
// a lot — "KNQ-01", "MĐXD 40%", "3-5T", "HSSDĐ 1,2", "KL 6m", "DS 1.200" —
// the forms DefaultIndicators and DefaultCodePattern read back.
func Texts(f gis.Feature) []string {
	var out []string
	if c := strings.TrimSpace(f.String("maDoiTuong")); c != "" {
		out = append(out, c)
	}
	num := func(v float64) string { return strings.Replace(strconv.FormatFloat(v, 'f', -1, 64), ".", ",", 1) }
	if v, ok := f.Number("matDoXayDung"); ok {
		out = append(out, "MĐXD "+num(v)+"%")
	}
	lo, okLo := f.Number("tangCaoMin")
	hi, okHi := f.Number("tangCaoMax")
	switch {
	case okLo && okHi && lo != hi:
		out = append(out, num(lo)+"-"+num(hi)+"T")
	case okHi:
		out = append(out, num(hi)+"T")
	case okLo:
		out = append(out, num(lo)+"T")
	}
	if v, ok := f.Number("heSoSuDungDat"); ok {
		out = append(out, "HSSDĐ "+num(v))
	}
	if v, ok := f.Number("khoangLui"); ok {
		out = append(out, "KL "+num(v)+"m")
	}
	if v, ok := f.Number("danSo"); ok && v == float64(int64(v)) {
		out = append(out, "DS "+gis.FormatVN(v, 0))
	}
	return out
}
