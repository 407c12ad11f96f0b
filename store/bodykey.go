package store

import (
	"bytes"
	"strconv"

	"quyhoach/gis"
)

// A feature's key property (import --key, apply --key) is read from each
// stored body of the version matched against: SQLite's json_extract cost
// 4 µs a body (4 s of a million-lot re-import, before the file's first
// feature). The common values — a string without escapes, a small whole
// number — are read from the canonical text here, giving what
// json_extract gives (sqlText); any other body or value is left to it.

// bodyKey returns the text of property key in a stored body as
// sqlText(json_extract(body, '$.properties.key')) gives it, "" when the
// body has no such property, and ok false when it cannot tell.
func bodyKey(body []byte, key string) (text string, ok bool) {
	_, props, ok := canonicalParts(body)
	if !ok || len(props) < 2 || props[0] != '{' {
		return "", false
	}
	i := 1
	if props[i] == '}' {
		return "", i == len(props)-1
	}
	for {
		if i >= len(props) || props[i] != '"' {
			return "", false
		}
		end := bytes.IndexByte(props[i+1:], '"')
		if end < 0 {
			return "", false
		}
		name := props[i+1 : i+1+end]
		if bytes.IndexByte(name, '\\') >= 0 {
			return "", false
		}
		i += end + 2
		if i >= len(props) || props[i] != ':' {
			return "", false
		}
		i++
		next := skipValue(props, i)
		if next < 0 || next >= len(props) {
			return "", false
		}
		if string(name) == key {
			return valueText(props[i:next])
		}
		if props[next] == '}' {
			return "", next == len(props)-1 // not there: NULL, ""
		}
		if props[next] != ',' {
			return "", false
		}
		i = next + 1
	}
}

// valueText is what sqlText makes of json_extract's value for the JSON
// value v, for a string without escapes, a small whole number and null.
func valueText(v []byte) (string, bool) {
	switch {
	case len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"':
		s := v[1 : len(v)-1]
		if bytes.IndexByte(s, '\\') >= 0 {
			return "", false
		}
		return string(s), true
	case string(v) == "null":
		return "", true
	case len(v) > 0 && len(v) <= 15 && (v[0] != '0' || len(v) == 1):
		n, err := strconv.ParseInt(string(v), 10, 64) // digits only: no sign, point or exponent
		if err != nil || v[0] == '+' || v[0] == '-' {
			return "", false
		}
		return gis.Text(float64(n)), true
	}
	return "", false
}
