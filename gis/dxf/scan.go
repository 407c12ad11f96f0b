package dxf

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strconv"
	"unsafe"
)

// scanner reads a DXF file's group pairs: a line with the group code, a
// line with its value. The value is valid until the next call.
type scanner struct {
	r    *bufio.Reader
	line int // line number of the current pair's code
	next int // line number of the next line to read
	code int
	val  []byte
	err  error
	back bool // the current pair is pushed back
	cut  bool // the last line read had no line ending: the file may be cut there
}

func newScanner(r io.Reader) *scanner {
	return &scanner{r: bufio.NewReaderSize(r, 1<<16), next: 1}
}

// readLine returns the next line without its line ending.
func (s *scanner) readLine() ([]byte, error) {
	b, err := s.r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		// A long line (an MTEXT of R2007+): gather it, up to maxLine.
		buf := append([]byte(nil), b...)
		for errors.Is(err, bufio.ErrBufferFull) {
			if len(buf) > maxLine {
				return nil, &Error{s.next, "line longer than 1 MB"}
			}
			b, err = s.r.ReadSlice('\n')
			buf = append(buf, b...)
		}
		b = buf
	}
	if err == io.EOF && len(b) > 0 {
		err = nil
		s.cut = true
	}
	if err != nil {
		return nil, err
	}
	s.next++
	b = bytes.TrimSuffix(b, []byte{'\n'})
	b = bytes.TrimSuffix(b, []byte{'\r'})
	return b, nil
}

// scan reads the next pair; false at the end of the file or on an error
// (in s.err). The end of the file before "0 EOF" is the caller's to judge.
func (s *scanner) scan() bool {
	if s.back {
		s.back = false
		return true
	}
	if s.err != nil {
		return false
	}
	s.line = s.next
	c, err := s.readLine()
	if err != nil {
		if err != io.EOF {
			s.err = err
		}
		return false
	}
	code, ok := atoi(bytes.TrimSpace(c))
	if !ok {
		msg := "group code expected, found " + quote(c)
		if s.line == 1 {
			msg = "not a DXF file: " + msg
		}
		s.err = &Error{s.line, msg}
		return false
	}
	v, err := s.readLine()
	if err != nil {
		if err == io.EOF {
			err = &Error{s.line, "the file ends after a group code (truncated?)"}
		}
		s.err = err
		return false
	}
	s.code, s.val = code, v
	return true
}

// unscan pushes the current pair back.
func (s *scanner) unscan() { s.back = true }

// is reports whether the current pair is code with the value v.
func (s *scanner) is(code int, v string) bool {
	return s.code == code && string(bytes.TrimSpace(s.val)) == v
}

// str returns the value as a string, trimmed of surrounding spaces.
func (s *scanner) str() string { return string(bytes.TrimSpace(s.val)) }

// raw returns a copy of the value's bytes (text values keep their spaces).
func (s *scanner) raw() []byte { return append([]byte(nil), s.val...) }

// float returns the value as a number.
func (s *scanner) float() (float64, error) {
	v := bytes.TrimSpace(s.val)
	if len(v) == 0 {
		return 0, &Error{s.line + 1, "number expected for group " + strconv.Itoa(s.code) + ", found nothing"}
	}
	f, err := strconv.ParseFloat(unsafe.String(&v[0], len(v)), 64)
	if err != nil || f != f || f > 1e300 || f < -1e300 {
		return 0, &Error{s.line + 1, "number expected for group " + strconv.Itoa(s.code) + ", found " + quote(v)}
	}
	return f, nil
}

// int returns the value as a whole number.
func (s *scanner) int() (int, error) {
	v := bytes.TrimSpace(s.val)
	n, ok := atoi(v)
	if !ok {
		// Some writers put 1.0 where an integer belongs.
		f, err := s.float()
		if err != nil || f != float64(int(f)) {
			return 0, &Error{s.line + 1, "whole number expected for group " + strconv.Itoa(s.code) + ", found " + quote(v)}
		}
		return int(f), nil
	}
	return n, nil
}

// atoi parses a decimal int of at most 9 digits with an optional sign.
func atoi(b []byte) (int, bool) {
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// quote quotes at most 40 bytes of b for a message.
func quote(b []byte) string {
	if len(b) > 40 {
		return strconv.Quote(string(b[:40])) + "…"
	}
	return strconv.Quote(string(b))
}
