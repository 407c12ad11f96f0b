package crs

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestStream(t *testing.T) {
	tests := []struct {
		name     string
		from, to Code
		in, want string
	}{
		{
			name: "to grid, mm",
			from: WGS84, to: TM3LangSon,
			in:   "106.71083 21.97111\n\n  106.68389\t22.00306  \r\n",
			want: "444122.778 2430566.951\n441353.615 2434114.577\n",
		},
		{
			name: "to degrees, 9 decimals",
			from: TM3LangSon, to: WGS84,
			in:   "444122.778 2430566.951",
			want: "106.710830003 21.971109993\n", // as cs2cs -f %.9f
		},
		{
			name: "grid to grid",
			from: TM3LangSon, to: UTM48N,
			in:   "444122.778 2430566.951\n",
			want: "676451.411 2430723.801\n",
		},
		{
			name: "identity keeps values, formats them",
			from: TM3LangSon, to: TM3LangSon,
			in:   "1e5 2.5e6\n",
			want: "100000.000 2500000.000\n",
		},
		{name: "empty", from: WGS84, to: TM3LangSon, in: "", want: ""},
		{name: "blank lines only", from: WGS84, to: TM3LangSon, in: "\n \n\t\n", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := Stream(strings.NewReader(tt.in), &out, tt.from, tt.to); err != nil {
				t.Fatal(err)
			}
			if got := out.String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestStreamErrors(t *testing.T) {
	long := strings.Repeat("9", 100)
	tests := []struct {
		name     string
		from, to Code
		in       string
		err      string
		written  string // what was written before the error
	}{
		{
			name: "malformed line",
			from: WGS84, to: TM3LangSon,
			in:      "106.7 21.9\n\nabc 12\n106.7 21.9\n",
			err:     `crs: line 3: "abc 12" is not "x y"`,
			written: "442976.067 2422697.514\n",
		},
		{name: "one number", from: WGS84, to: TM3LangSon, in: "106.7", err: `crs: line 1: "106.7" is not "x y"`},
		{name: "three numbers", from: WGS84, to: TM3LangSon, in: "106.7 21.9 0", err: `crs: line 1: "106.7 21.9 0" is not "x y"`},
		{name: "comment", from: WGS84, to: TM3LangSon, in: "# lon lat", err: `crs: line 1: "# lon lat" is not "x y"`},
		{name: "NaN", from: TM3LangSon, to: WGS84, in: "NaN 1", err: `crs: line 1: "NaN 1" is not "x y"`},
		{name: "Inf", from: TM3LangSon, to: WGS84, in: "1 +Inf", err: `crs: line 1: "1 +Inf" is not "x y"`},
		{name: "overflow", from: TM3LangSon, to: WGS84, in: "1e999 1", err: `crs: line 1: "1e999 1" is not "x y"`},
		{name: "decimal comma", from: WGS84, to: TM3LangSon, in: "106,7 21,9", err: `crs: line 1: "106,7 21,9" is not "x y"`},
		{
			name: "latitude out of range",
			from: WGS84, to: TM3LangSon,
			in:  "21.9 106.7", // lat, lon swapped
			err: `crs: line 1: "21.9 106.7" is not a longitude and latitude in degrees`,
		},
		{
			name: "long line is clipped in the message",
			from: WGS84, to: TM3LangSon,
			in:  "x " + long,
			err: `crs: line 1: "x ` + long[:58] + `…" is not "x y"`,
		},
		{name: "outside the grid", from: TM3LangSon, to: WGS84, in: "1e300 1e300", err: `crs: line 1: "1e300 1e300" cannot be transformed to EPSG:4326`},
		{name: "unsupported code", from: WGS84, to: 32648, in: "1 2", err: "crs: no transform from EPSG:4326 to EPSG:32648: unsupported coordinate system EPSG:32648"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := Stream(strings.NewReader(tt.in), &out, tt.from, tt.to)
			if err == nil || err.Error() != tt.err {
				t.Errorf("got error %v, want %q", err, tt.err)
			}
			if got := out.String(); got != tt.written {
				t.Errorf("wrote %q, want %q", got, tt.written)
			}
		})
	}
}

func TestStreamTooLongLine(t *testing.T) {
	in := "106.7 21.9\n" + strings.Repeat(" ", 70000) + "1 2\n"
	err := Stream(strings.NewReader(in), &bytes.Buffer{}, WGS84, TM3LangSon)
	if err == nil || !strings.HasPrefix(err.Error(), "crs: line 2: ") {
		t.Errorf("got error %v, want one for line 2", err)
	}
}

type failWriter struct{}

var errDiskFull = errors.New("disk full")

func (failWriter) Write([]byte) (int, error) { return 0, errDiskFull }

func TestStreamWriteError(t *testing.T) {
	err := Stream(strings.NewReader("106.7 21.9\n"), failWriter{}, WGS84, TM3LangSon)
	if !errors.Is(err, errDiskFull) {
		t.Errorf("got error %v, want %v", err, errDiskFull)
	}
}
