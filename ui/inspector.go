package ui

import (
	"fmt"
	"sort"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"quyhoach/gis"
	"quyhoach/gis/landuse"
	"quyhoach/gis/scene"
)

// inspector lists a lot's attributes: its id, land-use class, official
// area and every property, TT 16 fields named in the chosen language. Its
// two columns share the panel's width and long names and values wrap.
type inspector struct {
	widget.BaseWidget
	Table *textTable
	Rows  [][2]string
	cat   *landuse.Catalogue
}

func newInspector(cat *landuse.Catalogue) *inspector {
	in := &inspector{cat: cat}
	in.Table = newTextTable([]textColumn{{Wrap: true}, {Wrap: true}}, false,
		func() int { return len(in.Rows) },
		func(row, col int) string { return in.Rows[row][col] })
	in.Table.bold = func(_, col int) bool { return col == 0 }
	in.ExtendBaseWidget(in)
	return in
}

// CreateRenderer implements fyne.Widget.
func (in *inspector) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(in.Table) }

// fieldLabels names the TT 16/2025 fields for people (translated).
var fieldLabels = map[string]string{
	"maDoiTuong": "Lot code", "tenDoiTuong": "Name", "phanLoai": "Land-use class", "ghiChu": "Note",
	"matDoXayDung": "Building density (%)", "tangCaoMin": "Storeys (min)", "tangCaoMax": "Storeys (max)",
	"heSoSuDungDat": "Floor-area ratio", "khoangLui": "Setback (m)", "danSo": "Population",
	"giaiDoan": "Stage", "maThongTinQH": "Plan information code", "maHoSoQH": "Dossier code",
}

// fieldName is a property's name for people: "Lot code (maDoiTuong)", or
// the key itself when it is not a TT 16 field.
func fieldName(key string) string {
	if l, ok := fieldLabels[key]; ok {
		return tr(l) + " (" + key + ")"
	}
	return key
}

// fieldLabel is a property's translated label alone ("Lot code"), or the
// key itself when it is not a TT 16 field.
func fieldLabel(key string) string {
	if l, ok := fieldLabels[key]; ok {
		return tr(l)
	}
	return key
}

// SetShape lists a shape's attributes (nil: none).
func (in *inspector) SetShape(sh *scene.Shape) {
	in.Rows = nil
	if sh != nil {
		f := sh.Feature
		in.Rows = append(in.Rows, [2]string{tr("Feature id"), sh.ID})
		if c, ok := in.cat.Of(*f); ok {
			in.Rows = append(in.Rows, [2]string{tr("Land use"), c.Code + " — " + className(c)})
		}
		if a := gis.Area(f.Geometry); a > 0 {
			in.Rows = append(in.Rows, [2]string{tr("Official area"), num(a/10000, 2) + " ha (" + num(a, 1) + " m², EPSG:9215)"})
		}
		keys := make([]string, 0, len(f.Properties))
		for k := range f.Properties {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			in.Rows = append(in.Rows, [2]string{fieldName(k), valueText(f.Properties[k])})
		}
	}
	in.Table.Update()
}

// className is a class's name in the chosen language.
func className(c landuse.Class) string {
	if Lang() == "en" {
		return c.NameEN
	}
	return c.NameVI
}

// valueText writes a property value for the screen: "—" when absent.
func valueText(v any) string {
	switch v := v.(type) {
	case nil:
		return "—"
	case string:
		return v
	case float64:
		if v == float64(int64(v)) {
			return num(v, 0)
		}
		return num(v, 2)
	}
	return fmt.Sprint(v)
}
