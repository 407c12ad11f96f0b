package crs

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// Stream transforms a text stream of points from one coordinate system to
// another, as `quyhoach crs --from EPSG:A --to EPSG:B` does. Each input line
// holds "x y", two numbers separated by white space, with x = lon, y = lat
// for WGS84 and x = E, y = N for the grids; blank lines are skipped. Each
// output line is "x y", with 9 decimals for degrees (0.1 mm) and 3 for
// metres. A malformed line stops the stream with an error naming its line
// number; the lines before it have been written.
func Stream(r io.Reader, w io.Writer, from, to Code) (err error) {
	proj, err := New(from, to)
	if err != nil {
		return err
	}
	prec := 3
	if to.Geographic() {
		prec = 9
	}
	sc := bufio.NewScanner(r) // lines are capped at bufio.MaxScanTokenSize
	bw := bufio.NewWriter(w)
	defer func() {
		// Write out the lines before an error too.
		if ferr := bw.Flush(); ferr != nil && err == nil {
			err = fmt.Errorf("crs: %w", ferr)
		}
	}()
	var out []byte
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		x, y, ok, err := parseXY(text)
		if err != nil {
			return fmt.Errorf("crs: line %d: %w", line, err)
		}
		if !ok {
			continue
		}
		if from.Geographic() && (math.Abs(x) > 180 || math.Abs(y) > 90) {
			return fmt.Errorf("crs: line %d: %q is not a longitude and latitude in degrees", line, clip(text))
		}
		p := proj(orb.Point{x, y})
		if !isFinite(p[0]) || !isFinite(p[1]) {
			return fmt.Errorf("crs: line %d: %q cannot be transformed to %v", line, clip(text), to)
		}
		out = strconv.AppendFloat(out[:0], p[0], 'f', prec, 64)
		out = append(out, ' ')
		out = strconv.AppendFloat(out, p[1], 'f', prec, 64)
		out = append(out, '\n')
		if _, err := bw.Write(out); err != nil {
			return fmt.Errorf("crs: %w", err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("crs: line %d: %w", line+1, err)
	}
	return nil
}

// parseXY reads "x y" from a line; ok is false for a blank line.
func parseXY(line string) (x, y float64, ok bool, err error) {
	f := strings.Fields(line)
	if len(f) == 0 {
		return 0, 0, false, nil
	}
	bad := fmt.Errorf("%q is not \"x y\"", clip(line))
	if len(f) != 2 {
		return 0, 0, false, bad
	}
	if x, err = strconv.ParseFloat(f[0], 64); err != nil || !isFinite(x) {
		return 0, 0, false, bad
	}
	if y, err = strconv.ParseFloat(f[1], 64); err != nil || !isFinite(y) {
		return 0, 0, false, bad
	}
	return x, y, true, nil
}

// clip shortens a line quoted in an error message.
func clip(s string) string {
	const max = 60
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !isRuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
