package dbf

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// MaxNameLength is the longest field name dBASE holds.
const MaxNameLength = 10

// Write writes a UTF-8 dBASE III table (with the language-driver byte 0,
// as GDAL writes UTF-8; a .cpg saying UTF-8 goes beside it) of the given
// fields and rows, each row one value per field: string, float64, bool or
// nil. Character fields longer than 254 bytes and numbers that do not fit
// their field are errors; names must be at most 10 bytes.
func Write(w io.Writer, fields []Field, rows [][]any, now time.Time) error {
	recLen := 1
	for _, f := range fields {
		if len(f.Name) > MaxNameLength || f.Name == "" {
			return fmt.Errorf("dbf: field name %q: 1 to %d bytes", f.Name, MaxNameLength)
		}
		if f.Length < 1 || f.Length > 254 {
			return fmt.Errorf("dbf: field %s: length %d out of 1–254", f.Name, f.Length)
		}
		recLen += f.Length
	}
	if recLen > 65535 {
		return fmt.Errorf("dbf: records of %d bytes, more than 65535", recLen)
	}
	bw := bufio.NewWriter(w)
	var h [32]byte
	h[0] = 0x03
	y, m, d := now.Date()
	h[1], h[2], h[3] = byte(y-1900), byte(m), byte(d)
	binary.LittleEndian.PutUint32(h[4:], uint32(len(rows)))
	binary.LittleEndian.PutUint16(h[8:], uint16(32+32*len(fields)+1))
	binary.LittleEndian.PutUint16(h[10:], uint16(recLen))
	bw.Write(h[:])
	for _, f := range fields {
		var d [32]byte
		copy(d[:11], f.Name)
		d[11] = f.Type
		d[16] = byte(f.Length)
		d[17] = byte(f.Decimals)
		bw.Write(d[:])
	}
	bw.WriteByte(0x0D)
	rec := make([]byte, recLen)
	for ri, row := range rows {
		rec[0] = ' '
		off := 1
		for i, f := range fields {
			cell := rec[off : off+f.Length]
			off += f.Length
			if err := put(cell, f, row[i]); err != nil {
				return fmt.Errorf("dbf: row %d, field %s: %w", ri+1, f.Name, err)
			}
		}
		bw.Write(rec)
	}
	bw.WriteByte(0x1A)
	return bw.Flush()
}

func put(cell []byte, f Field, v any) error {
	for i := range cell {
		cell[i] = ' '
	}
	if v == nil {
		return nil
	}
	var s string
	switch f.Type {
	case 'C':
		switch x := v.(type) {
		case string:
			s = x
		default:
			s = fmt.Sprint(x)
		}
		if len(s) > len(cell) {
			return fmt.Errorf("%d bytes of text in a field of %d", len(s), len(cell))
		}
		copy(cell, s)
		return nil
	case 'N', 'F':
		x, ok := v.(float64)
		if !ok {
			return fmt.Errorf("%v is not a number", v)
		}
		s = strconv.FormatFloat(x, 'f', f.Decimals, 64)
		if f.Decimals > 0 && !math.IsInf(x, 0) {
			// The shortest form that reads back as x, padded to the decimals.
			if short := strconv.FormatFloat(x, 'f', -1, 64); len(short) <= len(cell) && !strings.Contains(short, "e") {
				s = short
			}
		}
		if len(s) > len(cell) {
			return fmt.Errorf("%s does not fit %d characters", s, len(cell))
		}
		copy(cell[len(cell)-len(s):], s)
		return nil
	case 'L':
		if b, ok := v.(bool); ok && b {
			cell[0] = 'T'
		} else {
			cell[0] = 'F'
		}
		return nil
	}
	return fmt.Errorf("field type %c is not written", f.Type)
}
