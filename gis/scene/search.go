package scene

import (
	"strings"
	"unicode"
)

// fold maps Vietnamese letters with diacritics to their base letter.
var fold = func() map[rune]rune {
	m := map[rune]rune{'đ': 'd', 'Đ': 'd'}
	for base, forms := range map[rune]string{
		'a': "àáảãạăằắẳẵặâầấẩẫậ",
		'e': "èéẻẽẹêềếểễệ",
		'i': "ìíỉĩị",
		'o': "òóỏõọôồốổỗộơờớởỡợ",
		'u': "ùúủũụưừứửữự",
		'y': "ỳýỷỹỵ",
	} {
		for _, r := range forms {
			m[r] = base
			m[unicode.ToUpper(r)] = base
		}
	}
	return m
}()

// Fold returns s lower-cased without diacritics (đ → d) and with runs of
// spaces and punctuation collapsed to one space, for accent-insensitive search:
// Fold("Đồng Đăng") == "dong dang".
func Fold(s string) string {
	var b strings.Builder
	space := true
	for _, r := range s {
		if f, ok := fold[r]; ok {
			r = f
		} else {
			r = unicode.ToLower(r)
			// combining marks (decomposed input) are dropped
			if unicode.Is(unicode.Mn, r) {
				continue
			}
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' {
			if !space {
				b.WriteByte(' ')
				space = true
			}
			continue
		}
		b.WriteRune(r)
		space = false
	}
	return strings.TrimRight(b.String(), " ")
}

// Hit is a search result: a lot of a layer.
type Hit struct {
	Layer *Layer
	Index int
}

// Shape returns the shape found.
func (h Hit) Shape() *Shape { return &h.Layer.Shapes[h.Index] }

// Search finds lots whose code (maDoiTuong) or name (tenDoiTuong) contains
// query, accent-insensitive: "dong dang" finds "Đồng Đăng". Codes that start
// with the query come first; at most max hits (0: all).
func (s *Scene) Search(query string, max int) []Hit {
	q := Fold(query)
	if q == "" {
		return nil
	}
	var first, rest []Hit
	for _, l := range s.Layers {
		for i := range l.Shapes {
			sh := &l.Shapes[i]
			if sh.Kind != Lot {
				continue
			}
			code := Fold(sh.Feature.String("maDoiTuong"))
			switch {
			case strings.HasPrefix(code, q):
				first = append(first, Hit{l, i})
			case strings.Contains(code, q) || strings.Contains(Fold(sh.Feature.String("tenDoiTuong")), q):
				rest = append(rest, Hit{l, i})
			}
		}
	}
	out := append(first, rest...)
	if max > 0 && len(out) > max {
		out = out[:max]
	}
	return out
}
