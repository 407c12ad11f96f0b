package plan

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"quyhoach/gis/edit"
	"quyhoach/gis/landuse"
	"quyhoach/gis/scene"
	"quyhoach/gis/topo"
)

// The attributes of a lot as TT 16 names them (DOMAIN.md), what each holds,
// and how a typed value becomes a property: one home for the attribute form
// of the window and anything else that sets a lot's fields from text.

// FieldKind says what a field holds.
type FieldKind uint8

// Kinds of field.
const (
	TextField    FieldKind = iota // free text, up to MaxLen characters
	ClassField                    // a land-use class code of the catalogue
	NumberField                   // a number, Vietnamese or English notation
	IntegerField                  // a whole number
	StageField                    // HT, QHDD or QHDH
)

// Field is one attribute of a lot.
type Field struct {
	Name   string // the TT 16 property name
	Kind   FieldKind
	Unit   string // "%", "m", … ("" for none)
	MaxLen int    // text: most characters
}

// LotFields are the fields of a land-use lot, in the order a form shows them.
var LotFields = []Field{
	{Name: "maDoiTuong", Kind: TextField, MaxLen: 100},
	{Name: "tenDoiTuong", Kind: TextField, MaxLen: 100},
	{Name: "phanLoai", Kind: ClassField},
	{Name: "matDoXayDung", Kind: NumberField, Unit: "%"},
	{Name: "tangCaoMin", Kind: IntegerField},
	{Name: "tangCaoMax", Kind: IntegerField},
	{Name: "heSoSuDungDat", Kind: NumberField},
	{Name: "khoangLui", Kind: NumberField, Unit: "m"},
	{Name: "danSo", Kind: IntegerField},
	{Name: "giaiDoan", Kind: StageField},
	{Name: "ghiChu", Kind: TextField, MaxLen: 250},
}

// FieldOf returns the lot field named name.
func FieldOf(name string) (Field, bool) {
	for _, f := range LotFields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

// FieldError is a typed value a field does not take, with the reason as an
// English template and its data (for a face that says it in its language).
type FieldError struct {
	Field string
	Key   string
	Data  map[string]any
}

func (e *FieldError) Error() string {
	msg := e.Key
	for k, v := range e.Data {
		msg = strings.ReplaceAll(msg, "{{."+k+"}}", fmt.Sprint(v))
	}
	return e.Field + ": " + msg
}

// ParseField reads a value typed into field f: nil for an empty text (the
// property is removed), a float64 for numbers, else the trimmed text. A
// class is looked up in the catalogue by code, CAD layer name or name, and
// written as its code.
func ParseField(f Field, text string, cat *landuse.Catalogue) (any, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, nil
	}
	fail := func(key string, data map[string]any) (any, error) {
		return nil, &FieldError{Field: f.Name, Key: key, Data: data}
	}
	switch f.Kind {
	case ClassField:
		if c, ok := FindClass(cat, text); ok {
			return c.Code, nil
		}
		return fail("{{.Value}} is not a land-use class of the catalogue", map[string]any{"Value": text})
	case StageField:
		s := strings.ToUpper(text)
		if s != landuse.Existing && s != landuse.FirstPhase && s != landuse.LongTerm {
			return fail("the stage is HT (existing), QHDD (first phase) or QHDH (long term)", nil)
		}
		return s, nil
	case NumberField, IntegerField:
		v, err := edit.Number(text)
		if err != nil {
			return fail("{{.Value}} is not a number", map[string]any{"Value": text})
		}
		if f.Kind == IntegerField && v != math.Trunc(v) {
			return fail("a whole number, not {{.Value}}", map[string]any{"Value": text})
		}
		return v, nil
	}
	if n := utf8.RuneCountInString(text); f.MaxLen > 0 && n > f.MaxLen {
		return fail("at most {{.Max}} characters, not {{.Count}}", map[string]any{"Max": f.MaxLen, "Count": n})
	}
	return text, nil
}

// FindClass finds a class by its code, its CAD layer name, or its name in
// either language, ignoring case and Vietnamese accents.
func FindClass(cat *landuse.Catalogue, text string) (landuse.Class, bool) {
	if c, ok := cat.Lookup(text); ok {
		return c, true
	}
	key := scene.Fold(text)
	for _, c := range cat.Classes() {
		if scene.Fold(c.Code) == key || scene.Fold(c.Layer) == key || scene.Fold(c.NameVI) == key || scene.Fold(c.NameEN) == key {
			return c, true
		}
	}
	return landuse.Class{}, false
}

// MatchClasses lists the classes whose code or name contains every word of
// query, accents and case ignored ("dat o", "đất ở" and "ONM" all find
// ONM): the searchable class picker.
func MatchClasses(cat *landuse.Catalogue, query string) []landuse.Class {
	words := strings.Fields(scene.Fold(query))
	var out []landuse.Class
	for _, c := range cat.Classes() {
		hay := scene.Fold(c.Code + " " + c.Layer + " " + c.NameVI + " " + c.NameEN)
		ok := true
		for _, w := range words {
			if !strings.Contains(hay, w) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, c)
		}
	}
	return out
}

// CheckLotFields checks the attributes a lot would have (see
// topo.Attributes): the form shows each problem beside its fields.
func CheckLotFields(props map[string]any, cat *landuse.Catalogue) []topo.AttrProblem {
	return topo.Attributes(props, func(p string) bool { _, ok := cat.Lookup(p); return ok })
}
