package edit

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// Polar is the point at distance d (metres) from from, on grid bearing
// bearing (degrees clockwise from grid north), as surveyors' tables give
// sides: E = E0 + d·sin β, N = N0 + d·cos β.
func Polar(from orb.Point, d, bearing float64) orb.Point {
	r := bearing * math.Pi / 180
	return orb.Point{from[0] + d*math.Sin(r), from[1] + d*math.Cos(r)}
}

// BearingOf is the grid bearing from a to b in degrees, 0 ≤ β < 360.
func BearingOf(a, b orb.Point) float64 {
	beta := math.Atan2(b[0]-a[0], b[1]-a[1]) * 180 / math.Pi
	if beta < 0 {
		beta += 360
	}
	return beta
}

var dms = regexp.MustCompile(`^\s*(\d+(?:[.,]\d+)?)\s*(?:°|d|\s)\s*(?:(\d+(?:[.,]\d+)?)\s*(?:'|′|m|\s)\s*)?(?:(\d+(?:[.,]\d+)?)\s*(?:"|″|''|s)?\s*)?$`)

// ParseBearing reads a bearing in degrees: decimal ("12.5824", "12,5824")
// or degrees, minutes and seconds ("12°34'56\"", "12 34 56", "12°34.5'").
func ParseBearing(s string) (float64, error) {
	if len(strings.Fields(s)) == 1 { // "12 34 56" is not 123456
		if v, err := number(s); err == nil {
			return checkBearing(v, s)
		}
	}
	m := dms.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("bearing %q: want degrees (12.5824) or degrees, minutes, seconds (12°34'56\")", s)
	}
	v := 0.0
	for i, scale := range []float64{1, 60, 3600} {
		if m[i+1] == "" {
			continue
		}
		x, _ := number(m[i+1])
		if i > 0 && x >= 60 {
			return 0, fmt.Errorf("bearing %q: minutes and seconds are less than 60", s)
		}
		v += x / scale
	}
	return checkBearing(v, s)
}

func checkBearing(v float64, s string) (float64, error) {
	if v < 0 || v >= 360 {
		return 0, fmt.Errorf("bearing %q: want 0° to 360°", s)
	}
	return v, nil
}

// number reads a number in either notation: "1234.5", "1234,5", "1.234,5",
// "1,234.5", "1 234,5".
func number(s string) (float64, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\u00a0", ""))
	s = strings.ReplaceAll(s, " ", "")
	dot, comma := strings.LastIndex(s, "."), strings.LastIndex(s, ",")
	switch {
	case dot >= 0 && comma >= 0 && comma > dot: // 1.234,5
		s = strings.ReplaceAll(s, ".", "")
		s = strings.Replace(s, ",", ".", 1)
	case dot >= 0 && comma >= 0: // 1,234.5
		s = strings.ReplaceAll(s, ",", "")
	case comma >= 0 && strings.Count(s, ",") == 1: // 1234,5
		s = strings.Replace(s, ",", ".", 1)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return v, nil
}

// Number reads a number typed in Vietnamese or English notation.
func Number(s string) (float64, error) { return number(s) }

// ParseXY reads a VN-2000 position typed as surveyors write it: X (north)
// then Y (east), separated by a space, a semicolon, a tab, or a comma when
// the numbers use decimal points. It returns the grid point (E, N).
func ParseXY(s string) (orb.Point, error) {
	fields := splitPair(s)
	if len(fields) != 2 {
		return orb.Point{}, fmt.Errorf("%q: want X (N) and Y (E), e.g. 2430566,951 444122,778", s)
	}
	x, err1 := number(fields[0])
	y, err2 := number(fields[1])
	if err1 != nil || err2 != nil {
		return orb.Point{}, fmt.Errorf("%q: want two numbers, X (N) and Y (E)", s)
	}
	if x < y {
		// in Lạng Sơn's grid N ≈ 2.4e6 > E ≈ 4.4e5: the pair came E, N
		return orb.Point{}, fmt.Errorf("%q: X (northing, about 2 400 000 here) comes first, then Y (easting, about 440 000)", s)
	}
	if !IsGridXY(x, y) {
		return orb.Point{}, fmt.Errorf("%q: not VN-2000 grid coordinates (X about 2 400 000, Y about 440 000 here)", s)
	}
	return orb.Point{y, x}, nil
}

// IsGridXY tells whether X (northing) and Y (easting) can be VN-2000
// grid coordinates in Vietnam: X from 900 000 to 2 700 000 m, Y from
// 100 000 to 900 000 m (false easting 500 000). A distance and a bearing
// typed as "100 45" are not.
func IsGridXY(x, y float64) bool {
	return x >= 900_000 && x <= 2_700_000 && y >= 100_000 && y <= 900_000
}

// splitPair splits a line into its fields: on tabs, semicolons or runs of
// spaces; on a comma only when no field would need it as a decimal mark.
func splitPair(s string) []string {
	s = strings.TrimSpace(s)
	for _, sep := range []string{"\t", ";"} {
		if strings.Contains(s, sep) {
			return trimAll(strings.Split(s, sep))
		}
	}
	if strings.Count(s, ",") == 1 && strings.Contains(s, ".") { // decimal points, comma between
		return trimAll(strings.Split(s, ","))
	}
	if f := strings.Fields(s); len(f) == 2 {
		return f
	}
	if strings.Count(s, ",") == 1 {
		return trimAll(strings.Split(s, ","))
	}
	if f := strings.Fields(s); len(f) == 4 { // "2 430 566,951 444 122,778" is ambiguous: refused
		return nil
	}
	return strings.Fields(s)
}

func trimAll(ss []string) []string {
	for i := range ss {
		ss[i] = strings.TrimSpace(ss[i])
	}
	return ss
}

// ParseTable reads a coordinate table (X, Y per line, as surveyors list a
// lot's corners; a header line and a leading point number are allowed) and
// returns its points in the grid (E, N).
func ParseTable(text string) ([]orb.Point, error) {
	var out []orb.Point
	for n, line := range strings.Split(strings.ReplaceAll(text, "\r", ""), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		fields := splitFields(line)
		if len(fields) == 3 { // point number, X, Y
			fields = fields[1:]
		}
		p, err := ParseXY(strings.Join(fields, "\t"))
		if err != nil {
			if len(out) == 0 && n == 0 && !strings.ContainsAny(line, "0123456789") {
				continue // a header
			}
			return nil, fmt.Errorf("line %d: %v", n+1, err)
		}
		out = append(out, p)
	}
	if len(out) > 1 && out[0] == out[len(out)-1] {
		out = out[:len(out)-1] // closed by repeating the first corner
	}
	if len(out) < 3 {
		return nil, fmt.Errorf("a lot needs 3 corners or more, the table gives %d", len(out))
	}
	return out, nil
}

// splitFields splits a table line on tabs, semicolons, spaces, or commas
// between numbers written with decimal points.
func splitFields(line string) []string {
	for _, sep := range []string{"\t", ";"} {
		if strings.Contains(line, sep) {
			return trimAll(strings.Split(line, sep))
		}
	}
	if !strings.Contains(line, ".") || strings.Count(line, ",") == 0 {
		return strings.Fields(line)
	}
	return trimAll(strings.Split(line, ","))
}
