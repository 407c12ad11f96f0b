package vntext

import (
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// vni maps each byte to its text. VNI Windows writes a letter with marks
// as the base letter followed by a mark byte (a + ù = á, a + â + … ), with
// separate mark bytes after capitals; ơ, ư, đ, the i's and ỵ are single
// bytes. Mark bytes become combining marks that NFC composes with the
// letter before them. Other bytes are their Windows-1252 characters.
var vni [256]string

// cp1252 is Windows-1252 decoded, for bytes no table defines.
var cp1252 [256]rune

const (
	acute, grave, hook, tilde, dot = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
	circumflex, breve              = "\u0302", "\u0306"
)

func init() {
	for i := range 256 {
		cp1252[i] = charmap.Windows1252.DecodeByte(byte(i))
		vni[i] = string(cp1252[i])
	}
	for _, m := range []struct {
		lower, upper byte
		text         string
	}{
		{0xF9, 0xD9, acute}, {0xF8, 0xD8, grave}, {0xFB, 0xDB, hook}, {0xF5, 0xD5, tilde}, {0xEF, 0xCF, dot},
		{0xE2, 0xC2, circumflex}, {0xE1, 0xC1, circumflex + acute}, {0xE0, 0xC0, circumflex + grave},
		{0xE5, 0xC5, circumflex + hook}, {0xE3, 0xC3, circumflex + tilde}, {0xE4, 0xC4, circumflex + dot},
		{0xEA, 0xCA, breve}, {0xE9, 0xC9, breve + acute}, {0xE8, 0xC8, breve + grave},
		{0xFA, 0xDA, breve + hook}, {0xFC, 0xDC, breve + tilde}, {0xEB, 0xCB, breve + dot},
		{0xF4, 0xD4, "ơ"}, {0xF6, 0xD6, "ư"}, {0xF1, 0xD1, "đ"},
		{0xED, 0xCD, "í"}, {0xEC, 0xCC, "ì"}, {0xE6, 0xC6, "ỉ"}, {0xF3, 0xD3, "ĩ"}, {0xF2, 0xD2, "ị"},
		{0xEE, 0xCE, "ỵ"},
	} {
		vni[m.lower] = m.text
		up := m.text
		if r, _ := utf8.DecodeRuneInString(up); unicode.IsLetter(r) { // ơ → Ơ …; marks stay marks
			up = string(unicode.ToUpper(r))
		}
		vni[m.upper] = up
	}
}

var (
	reverseOnce sync.Once
	reverse     map[Encoding]map[rune][]byte
)

// reverseOf is the encoder of a legacy encoding: each character it can
// write and its shortest byte sequence, found by decoding every byte and
// every letter followed by a mark byte.
func reverseOf(e Encoding) map[rune][]byte {
	reverseOnce.Do(func() {
		reverse = map[Encoding]map[rune][]byte{TCVN3: {}, VNI: {}}
		for _, enc := range []Encoding{TCVN3, VNI} {
			m := reverse[enc]
			add := func(seq []byte) {
				r := []rune(Decode(seq, enc))
				if len(r) != 1 || r[0] < 0x80 {
					return
				}
				if old, ok := m[r[0]]; !ok || len(seq) < len(old) {
					m[r[0]] = append([]byte(nil), seq...)
				}
			}
			for b := 0x80; b < 0x100; b++ {
				add([]byte{byte(b)})
			}
			if enc == TCVN3 {
				// Capitals VN1 keeps in control codes: base + tone mark.
				for _, base := range []byte("AEIOUY\xA1\xA2\xA3\xA4\xA5\xA6") {
					for mark := 0xB0; mark <= 0xB4; mark++ {
						add([]byte{base, byte(mark)})
					}
				}
			}
			if enc == VNI {
				// After a capital VNI writes the capital marks (0xC0–0xDF).
				for _, base := range []byte("aeiouyAEIOUY\xF4\xD4\xF6\xD6") {
					lo := 0xE0
					if base < 'a' || base == 0xD4 || base == 0xD6 {
						lo = 0xC0
					}
					for mark := lo; mark < lo+0x20; mark++ {
						add([]byte{base, byte(mark)})
					}
				}
			}
		}
	})
	return reverse[e]
}
