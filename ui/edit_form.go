package ui

import (
	"image/color"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"quyhoach/gis"
	"quyhoach/gis/landuse"
	"quyhoach/gis/topo"
	"quyhoach/plan"
	"quyhoach/store"
)

// attrForm edits the TT 16 fields of the selected lots. A value is checked
// as it is typed (plan.ParseField, then the lot rule topo.Attributes on
// what the lot would become) and the reason shows beside the field; Apply
// (or Enter) sets the fields changed on every selected lot as one edit.
type attrForm struct {
	widget.BaseWidget
	cat *landuse.Catalogue

	Title     *widget.Label
	Entries   map[string]*escEntry // text and number fields
	Class     *widget.Button       // the class picker: the class's colour and code
	ClassName *widget.Label        // and its name
	Stage     *widget.Select
	Reasons   map[string]*widget.Label
	Apply     *widget.Button
	box       *fyne.Container

	features []*gis.Feature
	typed    map[string]string // fields changed, as typed
	loading  bool
	// OnApply sets values (nil: remove) on the selected lots.
	OnApply func(values map[string]any)
	// Picker is the class picker while it is open (tests).
	Picker *classPicker
}

func newAttrForm(cat *landuse.Catalogue) *attrForm {
	f := &attrForm{cat: cat, Title: widget.NewLabel(""), Entries: map[string]*escEntry{}, Reasons: map[string]*widget.Label{}, typed: map[string]string{}}
	f.Title.Wrapping = fyne.TextWrapWord
	form := container.New(layoutFormRows{})
	for _, fd := range plan.LotFields {
		reason := widget.NewLabel("")
		reason.Importance = widget.DangerImportance
		reason.Wrapping = fyne.TextWrapWord
		reason.SetText("\u200b")
		f.Reasons[fd.Name] = reason
		var input fyne.CanvasObject
		switch fd.Kind {
		case plan.ClassField:
			f.Class = widget.NewButton("", func() { f.pickClass() })
			f.ClassName = widget.NewLabel("")
			f.ClassName.Truncation = fyne.TextTruncateEllipsis
			input = container.NewBorder(nil, nil, f.Class, nil, f.ClassName)
		case plan.StageField:
			f.Stage = widget.NewSelect([]string{"", landuse.Existing, landuse.FirstPhase, landuse.LongTerm}, func(s string) { f.changed("giaiDoan", s) })
			f.Stage.PlaceHolder = "—"
			input = f.Stage
		default:
			e := newEntry()
			name := fd.Name
			e.OnChanged = func(s string) { f.changed(name, s) }
			e.OnSubmitted = func(string) { f.apply() }
			f.Entries[fd.Name] = e
			input = e
		}
		label := widget.NewLabel(fieldName(fd.Name))
		label.Wrapping = fyne.TextWrapWord
		form.Add(label)
		form.Add(container.NewVBox(input, reason))
	}
	f.Apply = widget.NewButtonWithIcon(tr("Apply"), theme.ConfirmIcon(), f.apply)
	f.Apply.Importance = widget.HighImportance
	f.box = container.NewBorder(f.Title, f.Apply, nil, nil, container.NewVScroll(form))
	f.ExtendBaseWidget(f)
	f.SetFeatures(nil)
	return f
}

// CreateRenderer implements fyne.Widget.
func (f *attrForm) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(f.box) }

// SetFeatures shows the fields of lots (nil: none selected): a value they
// share, else empty with "several values".
func (f *attrForm) SetFeatures(fs []*gis.Feature) {
	f.features = fs
	f.typed = map[string]string{}
	f.loading = true
	defer func() { f.loading = false }()
	switch len(fs) {
	case 0:
		f.Title.SetText(tr("Select a lot to edit its attributes (Shift or Ctrl adds more)."))
	case 1:
		f.Title.SetText(tr("Lot {{.Code}} · {{.Area}} m² (EPSG:9215)", map[string]any{"Code": fs[0].String("maDoiTuong"), "Area": num(gis.Area(fs[0].Geometry), 2)}))
	default:
		f.Title.SetText(tr("{{.N}} lots: a field set here is set on all of them", map[string]any{"N": len(fs)}))
	}
	for _, fd := range plan.LotFields {
		v, same := f.common(fd.Name)
		f.Reasons[fd.Name].SetText("\u200b")
		switch fd.Kind {
		case plan.ClassField:
			f.setClassButton(v, same)
		case plan.StageField:
			f.Stage.SetSelected(v)
		default:
			e := f.Entries[fd.Name]
			e.SetText(v)
			e.SetPlaceHolder("")
			if !same {
				e.SetPlaceHolder(tr("several values"))
			}
		}
	}
	f.enable()
}

// common is the text of a field the lots share, and whether they do.
func (f *attrForm) common(name string) (string, bool) {
	if len(f.features) == 0 {
		return "", true
	}
	v := text(f.features[0].Properties[name])
	for _, x := range f.features[1:] {
		if text(x.Properties[name]) != v {
			return "", false
		}
	}
	return v, true
}

// text writes a property value in the form: numbers with the chosen
// language's decimal mark and no grouping (which would read as a decimal).
func text(v any) string {
	if x, ok := v.(float64); ok {
		s := strconv.FormatFloat(x, 'f', -1, 64)
		if Lang() != "en" {
			s = strings.Replace(s, ".", ",", 1)
		}
		return s
	}
	return gis.Text(v)
}

func (f *attrForm) setClassButton(code string, same bool) {
	f.Class.SetIcon(nil)
	f.ClassName.SetText("")
	switch {
	case !same:
		f.Class.SetText(tr("several values"))
	case code == "":
		f.Class.SetText(tr("Choose a class…"))
	default:
		f.Class.SetText(code)
		if c, ok := f.cat.Lookup(code); ok {
			f.Class.SetText(c.Code)
			f.Class.SetIcon(swatchIcon(c.RGB))
			f.ClassName.SetText(className(c))
		}
	}
}

// changed checks a field as it is typed.
func (f *attrForm) changed(name, s string) {
	if f.loading {
		return
	}
	f.typed[name] = s
	f.validate()
}

// values parses the fields typed; problems by field.
func (f *attrForm) values() (map[string]any, map[string]string) {
	vals := map[string]any{}
	probs := map[string]string{}
	for name, s := range f.typed {
		fd, _ := plan.FieldOf(name)
		v, err := plan.ParseField(fd, s, f.cat)
		if err != nil {
			if fe, ok := err.(*plan.FieldError); ok {
				probs[name] = tr(fe.Key, fe.Data)
			} else {
				probs[name] = err.Error()
			}
			continue
		}
		vals[name] = v
	}
	// the lot rule on what each lot would become
	for _, ft := range f.features {
		props := map[string]any{}
		for k, v := range ft.Properties {
			props[k] = v
		}
		for k, v := range vals {
			if v == nil {
				delete(props, k)
			} else {
				props[k] = v
			}
		}
		for _, p := range plan.CheckLotFields(props, f.cat) {
			for _, fld := range p.Fields {
				if _, typed := vals[fld]; typed && probs[fld] == "" {
					probs[fld] = attrProblem(p)
				}
			}
		}
	}
	return vals, probs
}

// attrProblem says a lot's attribute problem beside its field, in the
// chosen language.
func attrProblem(p topo.AttrProblem) string { return tr(p.Short, p.Data) }

// validate shows each field's problem beside it and enables Apply.
func (f *attrForm) validate() bool {
	_, probs := f.values()
	for name, l := range f.Reasons {
		// the line is kept when empty: the form does not move as it is typed
		l.SetText(probs[name] + "\u200b")
	}
	f.enable()
	return len(probs) == 0
}

func (f *attrForm) enable() {
	_, probs := f.values()
	if len(f.features) == 0 || len(f.typed) == 0 || len(probs) > 0 {
		f.Apply.Disable()
	} else {
		f.Apply.Enable()
	}
	f.Apply.SetText(tr("Apply"))
	if n := len(f.features); n > 1 {
		f.Apply.SetText(tr("Apply to {{.N}} lots", map[string]any{"N": n}))
	}
}

// apply sets the fields changed, when every one is valid.
func (f *attrForm) apply() {
	if len(f.typed) == 0 || !f.validate() || len(f.features) == 0 {
		return
	}
	vals, _ := f.values()
	if f.OnApply != nil {
		f.OnApply(vals)
	}
}

// Set types a value into a field, as a user would (tests, and the class picker).
func (f *attrForm) Set(name, value string) {
	switch name {
	case "phanLoai":
		f.changed(name, value)
		if c, ok := plan.FindClass(f.cat, value); ok {
			f.setClassButton(c.Code, true)
		}
	case "giaiDoan":
		f.Stage.SetSelected(value)
	default:
		f.Entries[name].SetText(value)
	}
}

// Reason is the problem shown beside a field ("" when none).
func (f *attrForm) Reason(name string) string {
	return strings.TrimSuffix(f.Reasons[name].Text, "\u200b")
}

// pickClass opens the class picker.
func (f *attrForm) pickClass() {
	c := fyne.CurrentApp().Driver().CanvasForObject(f)
	if c == nil {
		return
	}
	f.Picker = newClassPicker(f.cat, func(cl landuse.Class) {
		f.Set("phanLoai", cl.Code)
	})
	d := dialog.NewCustom(tr("Land-use class"), tr("Close"), f.Picker, windowOf(c))
	f.Picker.close = d.Hide
	d.Resize(fyne.NewSize(520, 480))
	showDialog(d, windowOf(c))
	c.Focus(f.Picker.Search)
}

// windowOf finds the window of a canvas.
func windowOf(c fyne.Canvas) fyne.Window {
	for _, w := range fyne.CurrentApp().Driver().AllWindows() {
		if w.Canvas() == c {
			return w
		}
	}
	return nil
}

// classPicker finds a land-use class as it is typed (code or name, accents
// and case ignored) and shows each with its colour.
type classPicker struct {
	widget.BaseWidget
	Search  *escEntry
	List    *widget.List
	Matches []landuse.Class
	pick    func(landuse.Class)
	close   func()
}

func newClassPicker(cat *landuse.Catalogue, pick func(landuse.Class)) *classPicker {
	p := &classPicker{Search: newEntry(), pick: pick}
	p.Search.SetPlaceHolder(tr("Code or name: CN, cong nghiep, đất ở…"))
	p.Matches = plan.MatchClasses(cat, "")
	p.List = widget.NewList(func() int { return len(p.Matches) },
		func() fyne.CanvasObject {
			sw := canvas.NewRectangle(color.Black)
			sw.SetMinSize(fyne.NewSize(28, 18))
			return container.NewBorder(nil, nil, sw, nil, cellLabel())
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			c := p.Matches[i]
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(c.Code + " — " + className(c))
			sw := box.Objects[1].(*canvas.Rectangle)
			sw.FillColor = c.RGB
			sw.Refresh()
		})
	p.List.OnSelected = func(i widget.ListItemID) { p.Choose(i) }
	p.Search.OnChanged = func(s string) {
		p.Matches = plan.MatchClasses(cat, s)
		p.List.UnselectAll()
		p.List.Refresh()
	}
	p.Search.OnSubmitted = func(string) {
		if len(p.Matches) > 0 {
			p.Choose(0)
		}
	}
	p.ExtendBaseWidget(p)
	return p
}

// Choose takes the i-th class shown.
func (p *classPicker) Choose(i int) {
	if i < 0 || i >= len(p.Matches) {
		return
	}
	p.pick(p.Matches[i])
	if p.close != nil {
		p.close()
	}
}

// CreateRenderer implements fyne.Widget.
func (p *classPicker) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewBorder(p.Search, nil, nil, nil, p.List))
}

// swatchIcon is a small square of a class colour, as a button icon.
func swatchIcon(c color.NRGBA) fyne.Resource {
	svg := `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><rect width="16" height="16" fill="#` +
		hex(c.R) + hex(c.G) + hex(c.B) + `" stroke="#333"/></svg>`
	return fyne.NewStaticResource("swatch-"+hex(c.R)+hex(c.G)+hex(c.B)+".svg", []byte(svg))
}

func hex(b uint8) string {
	const d = "0123456789abcdef"
	return string([]byte{d[b>>4], d[b&15]})
}

// layoutFormRows lays label/input pairs out in two columns, the labels a
// third of the width, each row as tall as its taller cell.
type layoutFormRows struct{}

func (layoutFormRows) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	lw := size.Width / 3
	y := float32(0)
	for i := 0; i+1 < len(objs); i += 2 {
		l, in := objs[i], objs[i+1]
		h := max(l.MinSize().Height, in.MinSize().Height)
		l.Move(fyne.NewPos(0, y))
		l.Resize(fyne.NewSize(lw-pad, h))
		in.Move(fyne.NewPos(lw, y))
		in.Resize(fyne.NewSize(size.Width-lw, in.MinSize().Height))
		y += h + pad
	}
}

func (layoutFormRows) MinSize(objs []fyne.CanvasObject) fyne.Size {
	pad := theme.Padding()
	var w, h float32
	for i := 0; i+1 < len(objs); i += 2 {
		l, in := objs[i].MinSize(), objs[i+1].MinSize()
		w = max(w, 120+in.Width)
		h += max(l.Height, in.Height) + pad
	}
	return fyne.NewSize(w, h)
}

// historyPanel lists the dossier's undo history: what each edit did, when,
// and which edits are undone (the next redo).
type historyPanel struct {
	widget.BaseWidget
	List  *widget.List
	Edits []store.Edit
}

func newHistoryPanel() *historyPanel {
	h := &historyPanel{}
	h.List = widget.NewList(func() int { return len(h.Edits) }, cellLabel, func(i widget.ListItemID, o fyne.CanvasObject) {
		e := h.Edits[len(h.Edits)-1-i] // newest first
		s := e.At.Local().Format("02/01 15:04") + " · " + e.Label
		if e.Undone {
			s = tr("(undone)") + " " + s
		}
		o.(*widget.Label).SetText(s)
	})
	h.ExtendBaseWidget(h)
	return h
}

// SetEdits shows a history, oldest first as the store lists it.
func (h *historyPanel) SetEdits(es []store.Edit) {
	h.Edits = es
	h.List.Refresh()
}

// CreateRenderer implements fyne.Widget.
func (h *historyPanel) CreateRenderer() fyne.WidgetRenderer {
	head := widget.NewLabel(tr("Every edit is saved as it is made; Ctrl+Z undoes, Ctrl+Y redoes, also after reopening."))
	head.Wrapping = fyne.TextWrapWord
	return widget.NewSimpleRenderer(container.NewBorder(head, nil, nil, nil, h.List))
}
