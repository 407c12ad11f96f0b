// Package vntext decodes the text encodings Vietnamese CAD drawings and
// GIS tables arrive in — UTF-8, Windows code pages 1258 and 1252, and the
// legacy font encodings TCVN3 (ABC) and VNI — to Unicode NFC.
//
// TCVN3 and VNI are not code pages but fonts: the bytes are stored as
// Windows-1252 text and only the font (.VnTime, VNI-Times, …) draws them as
// Vietnamese, so every other program shows "§Êt ë" for "Đất ở". Which one a
// text uses is told by its font name (FontEncoding) or by the user.
package vntext

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// Encoding is a text encoding of Vietnamese text.
type Encoding uint8

// The encodings. Zero means "not chosen": the file's own declaration applies.
const (
	Auto   Encoding = iota // not chosen
	UTF8                   // Unicode, UTF-8
	CP1258                 // Windows-1258 (Vietnamese; tone marks as combining characters)
	CP1252                 // Windows-1252 (Western)
	TCVN3                  // TCVN 5712:1993 VN3, the "ABC" fonts .VnTime, .VnArial, …
	VNI                    // VNI Windows fonts VNI-Times, VNI-Helve, …
)

var names = [...]string{Auto: "auto", UTF8: "utf-8", CP1258: "cp1258", CP1252: "cp1252", TCVN3: "tcvn3", VNI: "vni"}

// Names lists the names Parse accepts, one per encoding.
var Names = []string{"utf-8", "cp1258", "cp1252", "tcvn3", "vni"}

// String returns the encoding's name as Parse reads it.
func (e Encoding) String() string {
	if int(e) < len(names) {
		return names[e]
	}
	return fmt.Sprintf("encoding(%d)", e)
}

// Legacy reports whether e is a font encoding (TCVN3, VNI) carried over
// Windows-1252 bytes.
func (e Encoding) Legacy() bool { return e == TCVN3 || e == VNI }

// Parse reads an encoding name as users and files write it: "utf-8",
// "UTF8", "cp1258", "windows-1258", "1258", "ANSI_1258", "cp1252",
// "latin1" (read as cp1252, its superset), "tcvn3", "abc", "vni". Case does
// not matter.
func Parse(name string) (Encoding, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	n = strings.NewReplacer("-", "", "_", "", " ", "").Replace(n)
	switch n {
	case "utf8", "unicode", "65001":
		return UTF8, nil
	case "cp1258", "windows1258", "1258", "ansi1258", "ldid/163":
		return CP1258, nil
	case "cp1252", "windows1252", "1252", "ansi1252", "latin1", "iso88591", "88591", "ldid/87", "ldid/3":
		return CP1252, nil
	case "tcvn3", "tcvn", "abc", "tcvn57121993", "vn3":
		return TCVN3, nil
	case "vni", "vniwindows", "vniwin":
		return VNI, nil
	}
	return Auto, fmt.Errorf("vntext: unknown encoding %q (known: %s)", name, strings.Join(Names, ", "))
}

// FontEncoding tells the legacy encoding a font name implies: the ABC fonts
// (".VnTime", ".VnArialH", "VNTIME.TTF", "vntimeh.shx") are TCVN3, the VNI
// fonts ("VNI-Times", "VNI-Helve-Condense") VNI; others Auto. capitals
// reports an ABC capitals font (its name ends in H: .VnTimeH), whose
// lower-case code points draw capital letters.
func FontEncoding(font string) (e Encoding, capitals bool) {
	f := strings.ToLower(strings.TrimSpace(font))
	if i := strings.LastIndexAny(f, `/\`); i >= 0 {
		f = f[i+1:]
	}
	if i := strings.LastIndexByte(f, '.'); i > 0 {
		switch f[i:] {
		case ".ttf", ".shx", ".otf", ".fon":
			f = f[:i]
		}
	}
	switch {
	case strings.HasPrefix(f, "vni-") || strings.HasPrefix(f, "vni_") || strings.HasPrefix(f, "vni "):
		return VNI, false
	case strings.HasPrefix(f, ".vn") || strings.HasPrefix(f, "vn") && len(f) > 3 && isABCName(f[2:]):
		return TCVN3, strings.HasSuffix(f, "h")
	}
	return Auto, false
}

// isABCName reports whether the rest of a font name after "vn" is one of
// the ABC families, so that "vnarial" is TCVN3 but "vnpro" is not.
func isABCName(s string) bool {
	for _, fam := range []string{"time", "arial", "helv", "avant", "bodoni", "book", "centur", "clarendon",
		"commercial", "cooper", "courier", "free", "goudy", "linus", "lucida", "univers", "souvenir", "present", "shelley", "swiss", "black", "bahaus"} {
		if strings.HasPrefix(s, fam) {
			return true
		}
	}
	return false
}

// Decode returns b decoded from e as Unicode NFC. Auto and UTF-8 decode
// UTF-8 (invalid bytes, as from an 8-bit file read as UTF-8, are taken as
// Windows-1252). Bytes a legacy encoding does not define pass as their
// Windows-1252 characters.
func Decode(b []byte, e Encoding) string {
	var s string
	switch e {
	case CP1258:
		s = decodeCharmap(charmap.Windows1258, b)
	case CP1252:
		s = decodeCharmap(charmap.Windows1252, b)
	case TCVN3:
		s = decodeTable(&tcvn3, b)
	case VNI:
		s = decodeTable(&vni, b)
	default:
		if utf8.Valid(b) {
			s = string(b)
		} else {
			s = decodeMixed(b)
		}
	}
	return norm.NFC.String(s)
}

// decodeMixed reads UTF-8 where it is valid and Windows-1252 elsewhere.
func decodeMixed(b []byte) string {
	var sb strings.Builder
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n <= 1 {
			sb.WriteRune(cp1252[b[0]])
			b = b[1:]
			continue
		}
		sb.WriteRune(r)
		b = b[n:]
	}
	return sb.String()
}

func decodeCharmap(cm *charmap.Charmap, b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b))
	for _, c := range b {
		sb.WriteRune(cm.DecodeByte(c))
	}
	return sb.String()
}

func decodeTable(t *[256]string, b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b) + len(b)/2)
	for _, c := range b {
		sb.WriteString(t[c])
	}
	return sb.String()
}

// Redecode reads s, text of a legacy encoding that some program has
// already taken as Windows-1252 characters (a DXF of AutoCAD 2007 or later
// stores a .VnTime text so), as the Vietnamese it means, in NFC. A
// character outside Windows-1252 is kept as it is. With capitals (an ABC
// capitals font) the result is upper-cased as the font draws it. Redecode
// of a non-legacy encoding returns s in NFC.
func Redecode(s string, e Encoding, capitals bool) string {
	if e.Legacy() {
		t := &tcvn3
		if e == VNI {
			t = &vni
		}
		var sb strings.Builder
		sb.Grow(len(s) + len(s)/2)
		for _, r := range s {
			if c, ok := cp1252Byte(r); ok {
				sb.WriteString(t[c])
			} else {
				sb.WriteRune(r)
			}
		}
		s = sb.String()
	}
	s = norm.NFC.String(s)
	if capitals && e == TCVN3 {
		s = strings.ToUpper(s)
	}
	return s
}

// cp1252Byte is the Windows-1252 byte of r.
func cp1252Byte(r rune) (byte, bool) {
	if r < 0x80 {
		return byte(r), true
	}
	b, ok := charmap.Windows1252.EncodeRune(r)
	return b, ok
}

// Encode writes s in e. UTF-8 and Auto return s as it is; CP1258 writes
// tone marks as combining characters, as Windows does; a character the
// encoding cannot write is an error naming it.
func Encode(s string, e Encoding) ([]byte, error) {
	switch e {
	case Auto, UTF8:
		return []byte(s), nil
	case CP1252:
		return encodeCharmap(charmap.Windows1252, norm.NFC.String(s))
	case CP1258:
		// Windows-1258 holds some precomposed letters and the five tone
		// marks: compose what it holds, decompose the rest.
		return encodeCharmap(charmap.Windows1258, cp1258Form(s))
	}
	rev := reverseOf(e)
	var out []byte
	for _, r := range norm.NFC.String(s) {
		if r < 0x80 {
			out = append(out, byte(r))
			continue
		}
		seq, ok := rev[r]
		if !ok {
			return nil, fmt.Errorf("vntext: %s cannot write %q", e, r)
		}
		out = append(out, seq...)
	}
	return out, nil
}

func encodeCharmap(cm *charmap.Charmap, s string) ([]byte, error) {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		b, ok := cm.EncodeRune(r)
		if !ok {
			return nil, fmt.Errorf("vntext: %s cannot write %q", cm, r)
		}
		out = append(out, b)
	}
	return out, nil
}

// cp1258Form writes s as Windows-1258 holds Vietnamese: each letter
// precomposed when the code page has it whole (á), else its base with
// circumflex, breve or horn precomposed (â, ă, ơ) followed by the tone
// as a combining mark.
func cp1258Form(s string) string {
	var sb strings.Builder
	d := []rune(norm.NFD.String(s))
	for i := 0; i < len(d); {
		j := i + 1
		for j < len(d) && norm.NFD.PropertiesString(string(d[j])).CCC() != 0 {
			j++
		}
		if c := []rune(norm.NFC.String(string(d[i:j]))); len(c) == 1 && in1258(c[0]) {
			sb.WriteRune(c[0])
			i = j
			continue
		}
		var base, tones []rune
		base = append(base, d[i])
		for _, m := range d[i+1 : j] {
			if isTone(m) {
				tones = append(tones, m)
			} else {
				base = append(base, m)
			}
		}
		sb.WriteString(norm.NFC.String(string(base)))
		sb.WriteString(string(tones))
		i = j
	}
	return sb.String()
}

func in1258(r rune) bool {
	_, ok := charmap.Windows1258.EncodeRune(r)
	return ok
}

// isTone reports the five Vietnamese tone marks as combining characters.
func isTone(r rune) bool {
	switch r {
	case 0x0300, 0x0301, 0x0303, 0x0309, 0x0323:
		return true
	}
	return false
}
