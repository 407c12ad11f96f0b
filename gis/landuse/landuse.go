// Package landuse reads the land-use catalogue: the classes of Thông tư
// 16/2025 keyed by code and CAD layer name, with their colours and outlines.
package landuse

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image/color"
	"io"
	"strings"

	"quyhoach/gis"
)

// The stages of a lot (property giaiDoan); each has its outline style.
const (
	Existing   = "HT"   // hiện trạng: existing, kept
	FirstPhase = "QHDD" // quy hoạch đợt đầu: first phase
	LongTerm   = "QHDH" // quy hoạch dài hạn: long term
)

// Stages lists the stages in order.
var Stages = []string{Existing, FirstPhase, LongTerm}

// Stage returns the stage named by a giaiDoan value, trimmed and upper-cased;
// an empty or unknown value is FirstPhase.
func Stage(giaiDoan string) string {
	s := strings.ToUpper(strings.TrimSpace(giaiDoan))
	switch s {
	case Existing, FirstPhase, LongTerm:
		return s
	}
	return FirstPhase
}

// Stroke is an outline style on paper.
type Stroke struct {
	WidthMM float64   // line width, mm
	Dash    []float64 // alternating dash and gap lengths, mm; empty for a solid line
}

// Outlines holds the outline of each stage.
type Outlines struct {
	HT, QHDD, QHDH Stroke
}

// Class is one land-use class of the catalogue.
type Class struct {
	Code     string      // short code used on maps and as phanLoai, e.g. "CN"
	Layer    string      // CAD layer name, e.g. "DAT_SX_Congnghiep"
	NameVI   string      // Vietnamese name, e.g. "Đất công nghiệp, kho tàng"
	NameEN   string      // English name
	Group    string      // e.g. "housing", "green", "border gate"
	ACI      int         // AutoCAD colour index, 1–255
	RGB      color.NRGBA // fill colour, opaque
	Outlines Outlines    // outline per stage
}

// Outline returns the outline style of the class for a giaiDoan value
// (HT, QHDD or QHDH; anything else is QHDD).
func (c Class) Outline(stage string) Stroke {
	switch Stage(stage) {
	case Existing:
		return c.Outlines.HT
	case LongTerm:
		return c.Outlines.QHDH
	}
	return c.Outlines.QHDD
}

// Catalogue is a parsed land-use catalogue. It is read-only after Parse and
// safe for concurrent use.
type Catalogue struct {
	Note    string
	classes []Class
	index   map[string]int // upper-case code and layer → class
}

// MaxClasses caps the number of classes Parse accepts.
const MaxClasses = 1000

type fileStroke struct {
	WidthMM *float64  `json:"width_mm"`
	Dash    []float64 `json:"dash"`
}

type fileClass struct {
	Code    string                `json:"code"`
	Layer   string                `json:"layer"`
	NameVI  string                `json:"name_vi"`
	NameEN  string                `json:"name_en"`
	Group   string                `json:"group"`
	ACI     int                   `json:"aci"`
	RGB     string                `json:"rgb"`
	Outline map[string]fileStroke `json:"outline"`
}

type file struct {
	Note    string                `json:"note"`
	Outline map[string]fileStroke `json:"outline"`
	Classes []fileClass           `json:"classes"`
}

// Parse reads a catalogue (assets/landuse.json): a default "outline" per stage
// and the "classes" in order, each with code, layer, name_vi, name_en, group,
// aci, rgb ("#rrggbb") and optional per-stage "outline" overrides. Codes and
// layers must be unique, case-insensitively, across both; unknown members are
// errors, so a misspelt key does not pass unnoticed.
func Parse(data []byte) (*Catalogue, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f file
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("landuse: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("landuse: data after the catalogue object")
	}
	if len(f.Classes) == 0 {
		return nil, errors.New("landuse: no classes")
	}
	if len(f.Classes) > MaxClasses {
		return nil, fmt.Errorf("landuse: %d classes, more than %d", len(f.Classes), MaxClasses)
	}
	var def Outlines
	if err := applyOutline(&def, f.Outline, true); err != nil {
		return nil, fmt.Errorf("landuse: default outline: %w", err)
	}
	c := &Catalogue{Note: f.Note, classes: make([]Class, 0, len(f.Classes)), index: map[string]int{}}
	for i, fc := range f.Classes {
		cl, err := fc.class(def)
		if err != nil {
			return nil, fmt.Errorf("landuse: class %d (%s): %w", i+1, describe(fc), err)
		}
		for _, key := range []string{cl.Code, cl.Layer} {
			k := strings.ToUpper(key)
			if j, dup := c.index[k]; dup && j != i {
				return nil, fmt.Errorf("landuse: class %d (%s): %q is already used by class %d (%s)", i+1, describe(fc), key, j+1, c.classes[j].Code)
			}
			c.index[k] = i
		}
		c.classes = append(c.classes, cl)
	}
	return c, nil
}

func describe(fc fileClass) string {
	if fc.Code != "" {
		return fc.Code
	}
	if fc.Layer != "" {
		return fc.Layer
	}
	return "no code"
}

func (fc fileClass) class(def Outlines) (Class, error) {
	cl := Class{
		Code:     strings.TrimSpace(fc.Code),
		Layer:    strings.TrimSpace(fc.Layer),
		NameVI:   strings.TrimSpace(fc.NameVI),
		NameEN:   strings.TrimSpace(fc.NameEN),
		Group:    strings.TrimSpace(fc.Group),
		ACI:      fc.ACI,
		Outlines: def,
	}
	switch {
	case cl.Code == "" || strings.ContainsAny(cl.Code, " \t\r\n"):
		return cl, fmt.Errorf("code %q: must be non-empty without spaces", fc.Code)
	case cl.Layer == "" || strings.ContainsAny(cl.Layer, " \t\r\n"):
		return cl, fmt.Errorf("layer %q: must be non-empty without spaces", fc.Layer)
	case cl.NameVI == "":
		return cl, errors.New("name_vi missing")
	case cl.Group == "":
		return cl, errors.New("group missing")
	case cl.ACI < 1 || cl.ACI > 255:
		return cl, fmt.Errorf("aci %d: must be an AutoCAD colour index 1–255", fc.ACI)
	}
	rgb, err := parseRGB(fc.RGB)
	if err != nil {
		return cl, err
	}
	cl.RGB = rgb
	if err := applyOutline(&cl.Outlines, fc.Outline, false); err != nil {
		return cl, fmt.Errorf("outline: %w", err)
	}
	return cl, nil
}

// parseRGB reads "#rrggbb".
func parseRGB(s string) (color.NRGBA, error) {
	if len(s) != 7 || s[0] != '#' {
		return color.NRGBA{}, fmt.Errorf("rgb %q: want #rrggbb", s)
	}
	var v [3]uint8
	for i := range v {
		hi, ok1 := hexDigit(s[1+2*i])
		lo, ok2 := hexDigit(s[2+2*i])
		if !ok1 || !ok2 {
			return color.NRGBA{}, fmt.Errorf("rgb %q: want #rrggbb", s)
		}
		v[i] = hi<<4 | lo
	}
	return color.NRGBA{v[0], v[1], v[2], 0xff}, nil
}

func hexDigit(c byte) (uint8, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// applyOutline sets the stages of o named in m; all says every stage must be
// there (the catalogue's default).
func applyOutline(o *Outlines, m map[string]fileStroke, all bool) error {
	for stage, fs := range m {
		var dst *Stroke
		switch stage {
		case Existing:
			dst = &o.HT
		case FirstPhase:
			dst = &o.QHDD
		case LongTerm:
			dst = &o.QHDH
		default:
			return fmt.Errorf("unknown stage %q (want HT, QHDD or QHDH)", stage)
		}
		s, err := fs.stroke()
		if err != nil {
			return fmt.Errorf("%s: %w", stage, err)
		}
		*dst = s
	}
	if all {
		for _, stage := range Stages {
			if _, ok := m[stage]; !ok {
				return fmt.Errorf("stage %s missing", stage)
			}
		}
	}
	return nil
}

func (fs fileStroke) stroke() (Stroke, error) {
	if fs.WidthMM == nil {
		return Stroke{}, errors.New("width_mm missing")
	}
	w := *fs.WidthMM
	if !(w > 0 && w <= 10) {
		return Stroke{}, fmt.Errorf("width_mm %g: want more than 0 and at most 10", w)
	}
	if len(fs.Dash) > 16 {
		return Stroke{}, fmt.Errorf("dash has %d lengths, more than 16", len(fs.Dash))
	}
	var dash []float64
	for _, d := range fs.Dash {
		if !(d > 0 && d <= 100) {
			return Stroke{}, fmt.Errorf("dash length %g: want more than 0 and at most 100 mm", d)
		}
		dash = append(dash, d)
	}
	return Stroke{WidthMM: w, Dash: dash}, nil
}

// Lookup returns the class whose code or CAD layer name is phanLoai, compared
// case-insensitively after trimming spaces.
func (c *Catalogue) Lookup(phanLoai string) (Class, bool) {
	i, ok := c.index[strings.ToUpper(strings.TrimSpace(phanLoai))]
	if !ok {
		return Class{}, false
	}
	return c.classes[i], true
}

// Of returns the class of a lot from its phanLoai property.
func (c *Catalogue) Of(f gis.Feature) (Class, bool) {
	return c.Lookup(f.String("phanLoai"))
}

// Classes returns the classes in catalogue order. The slice is a copy; the
// Dash slices of the outlines are shared and must not be modified.
func (c *Catalogue) Classes() []Class {
	out := make([]Class, len(c.classes))
	copy(out, c.classes)
	return out
}

// Codes returns the class codes in catalogue order, e.g. for the row order of
// a land-use balance table.
func (c *Catalogue) Codes() []string {
	out := make([]string, len(c.classes))
	for i, cl := range c.classes {
		out[i] = cl.Code
	}
	return out
}
