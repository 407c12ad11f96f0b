package edit

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

func TestPolarAndBearing(t *testing.T) {
	o := orb.Point{444000, 2430000}
	for _, c := range []struct {
		d, b float64
		want orb.Point
	}{
		{10, 0, orb.Point{444000, 2430010}},
		{10, 90, orb.Point{444010, 2430000}},
		{10, 180, orb.Point{444000, 2429990}},
		{10, 270, orb.Point{443990, 2430000}},
	} {
		p := Polar(o, c.d, c.b)
		if math.Abs(p[0]-c.want[0]) > 1e-9 || math.Abs(p[1]-c.want[1]) > 1e-9 {
			t.Errorf("Polar(%v, %v): %v, want %v", c.d, c.b, p, c.want)
		}
		if c.d > 0 && math.Abs(BearingOf(o, p)-c.b) > 1e-9 {
			t.Errorf("BearingOf: %v, want %v", BearingOf(o, p), c.b)
		}
	}
	// a side of a surveyor's table: 25.37 m at 123°45'06"
	b, err := ParseBearing(`123°45'06"`)
	if err != nil {
		t.Fatal(err)
	}
	p := Polar(o, 25.37, b)
	if d := math.Hypot(p[0]-o[0], p[1]-o[1]); math.Abs(d-25.37) > 1e-9 {
		t.Errorf("distance %v", d)
	}
	if math.Abs(BearingOf(o, p)-b) > 1e-9 {
		t.Errorf("bearing back %v, want %v", BearingOf(o, p), b)
	}
}

func TestParseBearing(t *testing.T) {
	want := 12 + 34.0/60 + 56.0/3600
	for _, s := range []string{`12°34'56"`, "12 34 56", `12°34′56″`, "12d34m56s", "12°34'56", " 12° 34' 56\" "} {
		v, err := ParseBearing(s)
		if err != nil || math.Abs(v-want) > 1e-12 {
			t.Errorf("%q: %v %v, want %v", s, v, err, want)
		}
	}
	for s, w := range map[string]float64{"12.5824": 12.5824, "12,5824": 12.5824, "0": 0, "359.99": 359.99, "12°30'": 12.5, "12°34.5'": 12 + 34.5/60} {
		if v, err := ParseBearing(s); err != nil || math.Abs(v-w) > 1e-12 {
			t.Errorf("%q: %v %v, want %v", s, v, err, w)
		}
	}
	for _, s := range []string{"", "north", "360", "-5", "12°61'", "12°30'75\"", "1e400"} {
		if v, err := ParseBearing(s); err == nil {
			t.Errorf("%q accepted as %v", s, v)
		}
	}
}

func TestNumber(t *testing.T) {
	for s, w := range map[string]float64{
		"1234.5": 1234.5, "1234,5": 1234.5, "1.234,5": 1234.5, "1,234.5": 1234.5,
		"1 234,5": 1234.5, "1\u00a0234,5": 1234.5, "-3": -3, "0,36": 0.36,
	} {
		if v, err := Number(s); err != nil || v != w {
			t.Errorf("%q: %v %v, want %v", s, v, err, w)
		}
	}
	for _, s := range []string{"", "abc", "1,2,3", "NaN", "Inf", "1..2"} {
		if v, err := Number(s); err == nil {
			t.Errorf("%q accepted as %v", s, v)
		}
	}
}

func TestParseXY(t *testing.T) {
	want := orb.Point{444122.778, 2430566.951}
	for _, s := range []string{
		"2430566,951 444122,778", "2430566.951 444122.778", "2430566.951, 444122.778",
		"2430566,951;444122,778", "2430566.951\t444122.778",
	} {
		p, err := ParseXY(s)
		if err != nil || math.Abs(p[0]-want[0]) > 1e-9 || math.Abs(p[1]-want[1]) > 1e-9 {
			t.Errorf("%q: %v %v", s, p, err)
		}
	}
	for _, s := range []string{"444122.778 2430566.951", "2430566.951", "a b", "1 2 3"} {
		if p, err := ParseXY(s); err == nil {
			t.Errorf("%q accepted as %v", s, p)
		}
	}
}

func TestParseTable(t *testing.T) {
	table := "Điểm;X;Y\n1;2430566,951;444122,778\n2;2430566,951;444142,778\n3;2430546,951;444142,778\n1;2430566,951;444122,778\n"
	pts, err := ParseTable(table)
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 3 || pts[1] != (orb.Point{444142.778, 2430566.951}) {
		t.Errorf("table: %v", pts)
	}
	csv := "X,Y\r\n2430566.951,444122.778\r\n2430566.951,444142.778\r\n2430546.951,444142.778\r\n"
	if pts, err := ParseTable(csv); err != nil || len(pts) != 3 {
		t.Errorf("csv: %v %v", pts, err)
	}
	if _, err := ParseTable("2430566.951 444122.778\n2430566.951 444142.778\n"); err == nil {
		t.Error("two corners made a lot")
	}
	_, err = ParseTable("2430566.951 444122.778\n2430566.951 x\n2430546.951 444142.778\n")
	if err == nil || err.Error()[:6] != "line 2" {
		t.Errorf("a bad line is named: %v", err)
	}
}
