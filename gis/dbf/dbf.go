// Package dbf reads and writes dBASE III tables, the attribute part of a
// Shapefile: character, numeric, float, logical, date, integer and double
// fields, text decoded by the table's code page (a .cpg file's, its
// language-driver byte's, or one the user chooses — the legacy Vietnamese
// TCVN3 and VNI included). Counts in the header are checked against the
// bytes present before anything is allocated.
package dbf

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"quyhoach/gis/vntext"
)

// Field is a column of the table.
type Field struct {
	Name     string
	Type     byte // C, N, F, L, D, I, O, M …
	Length   int
	Decimals int
}

// Table is a dBASE table being read, record by record.
type Table struct {
	Fields   []Field
	Records  int             // as the header says, checked against the file's size
	Encoding vntext.Encoding // how text is decoded
	LDID     byte            // the language-driver byte of the header
	r        *bufio.Reader
	recLen   int
	buf      []byte
	read     int
}

// Error is a table that cannot be read.
type Error struct {
	Record int // 1-based; 0 for the header
	Msg    string
}

func (e *Error) Error() string {
	if e.Record > 0 {
		return fmt.Sprintf("dbf: record %d: %s", e.Record, e.Msg)
	}
	return "dbf: " + e.Msg
}

// EncodingOfLDID returns the encoding a language-driver byte names
// (0x57 and 0x03: Windows ANSI, 1252), Auto when it names none or an
// encoding this package lacks.
func EncodingOfLDID(b byte) vntext.Encoding {
	switch b {
	case 0x03, 0x57, 0x58, 0x59:
		return vntext.CP1252
	}
	return vntext.Auto
}

// EncodingOfCPG reads a .cpg file's code page name ("UTF-8", "1258",
// "CP1258", "ANSI 1252", "65001"); Auto and an error for one it does not
// know.
func EncodingOfCPG(cpg string) (vntext.Encoding, error) {
	s := strings.TrimSpace(cpg)
	s = strings.TrimPrefix(strings.TrimPrefix(strings.ToUpper(s), "ANSI "), "OEM ")
	return vntext.Parse(s)
}

// Open reads a table's header from r, which holds size bytes (-1 when
// unknown: then counts are bounded by what reading finds). enc decodes
// text; Auto takes the language-driver byte's, else UTF-8 where valid and
// Windows-1252 elsewhere.
func Open(r io.Reader, size int64, enc vntext.Encoding) (*Table, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	var h [32]byte
	if _, err := io.ReadFull(br, h[:]); err != nil {
		return nil, &Error{0, "shorter than its 32-byte header"}
	}
	n := int(binary.LittleEndian.Uint32(h[4:8]))
	hdrLen := int(binary.LittleEndian.Uint16(h[8:10]))
	recLen := int(binary.LittleEndian.Uint16(h[10:12]))
	if hdrLen < 33 || recLen < 1 {
		return nil, &Error{0, fmt.Sprintf("header of %d bytes with records of %d bytes", hdrLen, recLen)}
	}
	if size >= 0 && int64(hdrLen)+int64(n)*int64(recLen) > size+1 { // some writers drop the final 0x1A
		return nil, &Error{0, fmt.Sprintf("the header says %d records of %d bytes, but the file holds %d bytes", n, recLen, size)}
	}
	t := &Table{Records: n, LDID: h[29], r: br, recLen: recLen}
	t.Encoding = enc
	if enc == vntext.Auto {
		t.Encoding = EncodingOfLDID(h[29])
	}
	desc := make([]byte, hdrLen-32)
	if _, err := io.ReadFull(br, desc); err != nil {
		return nil, &Error{0, "truncated field descriptors"}
	}
	off := 1 // the deletion flag
	for i := 0; i+32 <= len(desc) && desc[i] != 0x0D; i += 32 {
		d := desc[i : i+32]
		name := d[:11]
		if k := bytes.IndexByte(name, 0); k >= 0 {
			name = name[:k]
		}
		f := Field{Name: strings.TrimSpace(vntext.Decode(name, t.Encoding)), Type: d[11], Length: int(d[16]), Decimals: int(d[17])}
		if f.Type == 'C' && f.Decimals > 0 { // Clipper's long character fields
			f.Length += 256 * f.Decimals
			f.Decimals = 0
		}
		if f.Length == 0 {
			return nil, &Error{0, fmt.Sprintf("field %q has length 0", f.Name)}
		}
		off += f.Length
		t.Fields = append(t.Fields, f)
	}
	if off > recLen {
		return nil, &Error{0, fmt.Sprintf("fields of %d bytes in records of %d", off, recLen)}
	}
	t.buf = make([]byte, recLen)
	return t, nil
}

// ErrDone is returned by Next after the last record.
var ErrDone = errors.New("dbf: no more records")

// Next reads the next record into values, one per field: string (blank
// text is ""), float64, bool, or nil for a blank number, date or logical. deleted reports a record
// marked deleted.
func (t *Table) Next(values []any) (deleted bool, err error) {
	if t.read >= t.Records {
		return false, ErrDone
	}
	t.read++
	if _, err := io.ReadFull(t.r, t.buf); err != nil {
		return false, &Error{t.read, "the file ends inside it (truncated?)"}
	}
	off := 1
	for i, f := range t.Fields {
		raw := t.buf[off : off+f.Length]
		off += f.Length
		values[i] = t.value(f, raw)
	}
	return t.buf[0] == '*', nil
}

func (t *Table) value(f Field, raw []byte) any {
	switch f.Type {
	case 'C':
		// A blank text is the empty string, as GDAL reads it: dBASE has no
		// null text, and a layer's "" must come back as it went.
		s := bytes.TrimRight(raw, " \x00")
		return vntext.Decode(bytes.TrimLeft(s, " "), t.Encoding)
	case 'N', 'F':
		s := strings.TrimSpace(string(bytes.Trim(raw, "\x00")))
		if s == "" || strings.Trim(s, "*") == "" {
			return nil
		}
		v, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
		if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
			return nil
		}
		return v
	case 'L':
		switch raw[0] {
		case 'T', 't', 'Y', 'y':
			return true
		case 'F', 'f', 'N', 'n':
			return false
		}
		return nil
	case 'D':
		s := strings.TrimSpace(string(raw))
		if len(s) != 8 {
			return nil
		}
		return s[:4] + "-" + s[4:6] + "-" + s[6:]
	case 'I':
		if len(raw) == 4 {
			return float64(int32(binary.LittleEndian.Uint32(raw)))
		}
	case 'O':
		if len(raw) == 8 {
			v := math.Float64frombits(binary.LittleEndian.Uint64(raw))
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				return v
			}
		}
	}
	return nil
}
