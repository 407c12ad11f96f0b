package gis

import (
	"fmt"
	"strings"
)

// OneLine escapes what would break a line of output or drive a terminal in
// text read from a file or typed by someone: control characters (newline,
// tab, escape codes) and the Unicode line separators become \uXXXX. Names
// and notes go through it before they are printed, so a document named
// "a\nattachment 99 …" cannot forge a row.
func OneLine(s string) string {
	if !strings.ContainsFunc(s, IsControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if IsControl(r) {
			fmt.Fprintf(&b, "\\u%04x", r)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// IsControl reports a control character or line separator.
func IsControl(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0x2028 || r == 0x2029
}
