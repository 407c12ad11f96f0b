package geojson

import (
	"bytes"
	"unicode/utf8"
)

// flatStart is how a canonical body without its geometry begins (the
// store's reader nulls the geometry when it has the grid form).
var flatStart = []byte(`{"type":"Feature","geometry":null,"properties":{`)

// flatProperties reads the properties of a canonical body without
// geometry whose properties are flat — each value a number, a string
// without escapes, true, false or null — as the parser would: the same
// values (numbers read by the parser's own scanner), and ok false for
// anything else (a nested value, an escape, a repeated key, text that is
// not UTF-8, a number out of range, any other layout), which the parser
// then reads and judges. A lot's properties are such, and the parser's
// generality was most of the cost of reading them.
func flatProperties(data []byte) (map[string]any, bool) {
	obj, ok := bytes.CutPrefix(data, flatStart)
	if !ok || len(obj) < 2 || obj[len(obj)-1] != '}' || obj[len(obj)-2] != '}' {
		return nil, false
	}
	obj = obj[:len(obj)-1] // the feature's brace; obj ends with the properties'
	m := make(map[string]any, 8)
	if len(obj) == 1 {
		return m, true
	}
	i := 0
	for {
		key, next, ok := flatString(obj, i)
		if !ok || next >= len(obj) || obj[next] != ':' {
			return nil, false
		}
		if _, dup := m[string(key)]; dup {
			return nil, false
		}
		i = next + 1
		if i >= len(obj) {
			return nil, false
		}
		var v any
		switch c := obj[i]; {
		case c == '"':
			s, next, ok := flatString(obj, i)
			if !ok {
				return nil, false
			}
			v, i = string(s), next
		case c == 't' && bytes.HasPrefix(obj[i:], []byte("true")):
			v, i = true, i+4
		case c == 'f' && bytes.HasPrefix(obj[i:], []byte("false")):
			v, i = false, i+5
		case c == 'n' && bytes.HasPrefix(obj[i:], []byte("null")):
			v, i = nil, i+4
		case c == '-' || c >= '0' && c <= '9':
			var n numScan // the parser's reading of a number, to the bit
			if n.scan(obj, i); n.err != "" {
				return nil, false
			}
			f, ok := numberValue(obj[i:n.end], n.man, n.exp10, n.trunc)
			if !ok {
				return nil, false
			}
			v, i = f, n.end
		default:
			return nil, false
		}
		m[string(key)] = v
		if i >= len(obj) {
			return nil, false
		}
		switch obj[i] {
		case ',':
			i++
		case '}':
			return m, i == len(obj)-1
		default:
			return nil, false
		}
	}
}

// flatString is the string starting with the quote at s[i] when it has no
// escape and no control character and is UTF-8, and the index after it.
func flatString(s []byte, i int) ([]byte, int, bool) {
	if i >= len(s) || s[i] != '"' {
		return nil, 0, false
	}
	end := bytes.IndexByte(s[i+1:], '"')
	if end < 0 {
		return nil, 0, false
	}
	str := s[i+1 : i+1+end]
	ascii := true
	for _, c := range str {
		switch {
		case c == '\\' || c < 0x20:
			return nil, 0, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	if !ascii && !utf8.Valid(str) {
		return nil, 0, false
	}
	return str, i + end + 2, true
}
