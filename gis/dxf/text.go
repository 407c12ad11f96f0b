package dxf

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"quyhoach/gis/vntext"
)

// textCodec decodes a drawing's text values: the file's encoding (UTF-8
// from AutoCAD 2007 on, else $DWGCODEPAGE), \U+XXXX escapes, and the
// legacy encoding of the text's font.
type textCodec struct {
	utf8     bool              // the file is UTF-8
	page     *charmap.Charmap  // else its code page
	override vntext.Encoding   // Options.Encoding
	fonts    map[string]string // style name (upper case) → font
}

// codePage returns the Windows code page of a $DWGCODEPAGE value
// (ANSI_1252 when unknown).
func codePage(name string) *charmap.Charmap {
	switch strings.ToUpper(strings.TrimSpace(name)) {
	case "ANSI_1258":
		return charmap.Windows1258
	case "ANSI_1250":
		return charmap.Windows1250
	case "ANSI_1251":
		return charmap.Windows1251
	case "ANSI_1253":
		return charmap.Windows1253
	case "ANSI_1254":
		return charmap.Windows1254
	case "ANSI_1255":
		return charmap.Windows1255
	case "ANSI_1256":
		return charmap.Windows1256
	case "ANSI_1257":
		return charmap.Windows1257
	case "ANSI_874":
		return charmap.Windows874
	case "DOS437":
		return charmap.CodePage437
	case "DOS850":
		return charmap.CodePage850
	}
	return charmap.Windows1252
}

// legacyOf returns the legacy encoding of a font, or of every text when
// the user chose one.
func (tc *textCodec) legacyOf(font string) (vntext.Encoding, bool) {
	if tc.override.Legacy() {
		return tc.override, false
	}
	if tc.override != vntext.Auto {
		return vntext.Auto, false
	}
	return vntext.FontEncoding(font)
}

// run decodes a run of raw text in a font.
func (tc *textCodec) run(raw []byte, font string) string {
	legacy, caps := tc.legacyOf(font)
	var s string
	switch {
	case tc.override == vntext.UTF8 || tc.override == vntext.CP1258 || tc.override == vntext.CP1252:
		s = vntext.Decode(raw, tc.override)
	case legacy.Legacy() && !tc.utf8:
		// The bytes are the font's own: take them as Windows-1252 characters,
		// which Redecode reads as the legacy encoding.
		s = decodePage(charmap.Windows1252, raw)
	case tc.utf8:
		s = vntext.Decode(raw, vntext.UTF8)
	default:
		s = decodePage(tc.page, raw)
	}
	s = unescapeUnicode(s)
	return vntext.Redecode(s, legacy, caps)
}

func decodePage(cm *charmap.Charmap, b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b))
	for _, c := range b {
		if c < 0x80 {
			sb.WriteByte(c)
		} else {
			sb.WriteRune(cm.DecodeByte(c))
		}
	}
	return sb.String()
}

// unescapeUnicode replaces \U+XXXX with the character (DXF before 2007
// writes characters outside its code page so) and drops \M+NXXXX
// double-byte escapes, which this program has no East Asian code pages for.
func unescapeUnicode(s string) string {
	if !strings.Contains(s, `\U+`) && !strings.Contains(s, `\u+`) && !strings.Contains(s, `\M+`) {
		return s
	}
	var sb strings.Builder
	for i := 0; i < len(s); {
		if s[i] == '\\' && i+7 <= len(s) && (s[i+1] == 'U' || s[i+1] == 'u') && s[i+2] == '+' {
			if v, err := strconv.ParseUint(s[i+3:i+7], 16, 32); err == nil {
				sb.WriteRune(rune(v))
				i += 7
				continue
			}
		}
		if s[i] == '\\' && i+8 <= len(s) && s[i+1] == 'M' && s[i+2] == '+' {
			if _, err := strconv.ParseUint(s[i+4:i+8], 16, 32); err == nil {
				sb.WriteRune(utf8.RuneError)
				i += 8
				continue
			}
		}
		sb.WriteByte(s[i])
		i++
	}
	return sb.String()
}

// text decodes a TEXT or ATTRIB value: its %% codes, in its style's font.
func (tc *textCodec) text(raw []byte, style string) string {
	font := tc.fonts[strings.ToUpper(style)]
	if !bytes.Contains(raw, []byte("%%")) {
		return tc.run(raw, font)
	}
	var out []byte
	for i := 0; i < len(raw); i++ {
		if raw[i] != '%' || i+2 >= len(raw) || raw[i+1] != '%' {
			out = append(out, raw[i])
			continue
		}
		c := raw[i+2]
		switch c | 0x20 {
		case 'c':
			out = append(out, `\U+2205`...)
		case 'd':
			out = append(out, `\U+00B0`...)
		case 'p':
			out = append(out, `\U+00B1`...)
		case 'u', 'o', 'k': // underline, overline, strike-through toggles
		case '%':
			out = append(out, '%')
		default:
			// %%nnn: the character of code nnn.
			if i+5 <= len(raw) {
				if n, ok := atoi(raw[i+2 : i+5]); ok && n >= 0 {
					out = append(out, fmt.Sprintf(`\U+%04X`, n)...)
					i += 2
					break
				}
			}
			out = append(out, raw[i:i+3]...)
		}
		i += 2
	}
	return tc.run(out, font)
}

// mtext decodes an MTEXT value: formatting codes stripped, paragraphs as
// "\n", stacked fractions as a/b, each run in the font its \f code or the
// style names. The codes are ASCII, so they are found in the raw bytes
// before any decoding, whatever the encoding of the text between them.
func (tc *textCodec) mtext(raw []byte, style string) string {
	var sb strings.Builder
	fonts := []string{tc.fonts[strings.ToUpper(style)]} // a stack: { } scope \f
	var run []byte
	flush := func() {
		if len(run) > 0 {
			sb.WriteString(tc.run(run, fonts[len(fonts)-1]))
			run = run[:0]
		}
	}
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '{':
			flush()
			fonts = append(fonts, fonts[len(fonts)-1])
		case c == '}':
			flush()
			if len(fonts) > 1 {
				fonts = fonts[:len(fonts)-1]
			}
		case c == '^' && i+1 < len(raw):
			i++
			switch raw[i] {
			case 'I':
				run = append(run, '\t')
			case 'J', 'M':
				flush()
				sb.WriteByte('\n')
			case ' ':
				run = append(run, '^')
			}
		case c == '%' && i+2 < len(raw) && raw[i+1] == '%':
			switch raw[i+2] | 0x20 {
			case 'c':
				run = append(run, `\U+2205`...)
			case 'd':
				run = append(run, `\U+00B0`...)
			case 'p':
				run = append(run, `\U+00B1`...)
			default:
				run = append(run, raw[i:i+3]...)
			}
			i += 2
		case c == '\\' && i+1 < len(raw):
			i++
			switch d := raw[i]; d {
			case 'P', 'N', 'X':
				flush()
				sb.WriteByte('\n')
			case '~':
				run = append(run, ' ')
			case '\\', '{', '}':
				run = append(run, d)
			case 'L', 'l', 'O', 'o', 'K', 'k':
			case 'U', 'u', 'M': // \U+XXXX: kept for run's unescape
				run = append(run, '\\', d)
			case 'S': // stacked text up to ';': a^b, a/b, a#b
				end := bytes.IndexByte(raw[i+1:], ';')
				if end < 0 {
					end = len(raw) - i - 1
				}
				st := raw[i+1 : i+1+end]
				for k, ch := range st {
					if ch == '^' || ch == '#' {
						st = append(append(append([]byte(nil), st[:k]...), '/'), st[k+1:]...)
						break
					}
				}
				run = append(run, bytes.TrimSpace(st)...)
				i += end + 1
			case 'f', 'F': // font: \fName|b0|i0|c0|p0; or \FName.shx;
				end := bytes.IndexByte(raw[i+1:], ';')
				if end < 0 {
					end = len(raw) - i - 1
				}
				name := raw[i+1 : i+1+end]
				if k := bytes.IndexByte(name, '|'); k >= 0 {
					name = name[:k]
				}
				flush()
				fonts[len(fonts)-1] = string(name)
				i += end + 1
			case 'A', 'C', 'c', 'H', 'Q', 'T', 'W', 'p':
				// A value up to ';'.
				if end := bytes.IndexByte(raw[i+1:], ';'); end >= 0 {
					i += end + 1
				} else {
					i = len(raw)
				}
			default:
				run = append(run, '\\', d)
			}
		default:
			run = append(run, c)
		}
	}
	flush()
	return strings.TrimSpace(sb.String())
}
