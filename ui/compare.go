package ui

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/diff"
	"quyhoach/gis/scene"
	"quyhoach/store"
)

// comparePanel is the reviewer's compare mode: the change list, the
// land-use balance before/after and their CSV export.
type comparePanel struct {
	w       *Window
	box     fyne.CanvasObject
	From    *widget.Select // the version to compare the shown one with
	Title   *widget.Label
	List    *widget.List
	Rows    []ChangeRow
	Balance diff.Balance // the one shown: whole plan or adjusted area
	// Scope chooses the balance of the whole plan or of the adjusted area only.
	Scope    *widget.RadioGroup
	whole    diff.Balance
	adjusted diff.Balance
	Table    *widget.Table
	Export   *widget.Button
	ExportBl *widget.Button
	Swipe    *widget.Check  // swipe between the before and after plans
	SwipeAt  *widget.Slider // divider position, 0–1
	Side     *widget.Check  // the before and after plans side by side
	overlay  *scene.Scene   // the changes over the base
	versions []int
	to       *store.Snapshot
	before   *scene.Scene // the two states styled as plans, for the swipe
	after    *scene.Scene
}

// ChangeRow is one line of the change list.
type ChangeRow struct {
	Kind   string // added, removed, modified, or a lineage kind (split, merge, …)
	ID     string
	Code   string // maDoiTuong
	Before string // class before
	After  string // class after
	OldHa  float64
	NewHa  float64
	Detail string
	Bound  orb.Bound
}

// Text is the row as listed.
func (r ChangeRow) Text() string {
	switch r.Kind {
	case diff.Added:
		return fmt.Sprintf("+ %s %s (%s ha)", tr("added"), r.Code, gis.FormatVN(r.NewHa, 2))
	case diff.Removed:
		return fmt.Sprintf("− %s %s (%s ha)", tr("removed"), r.Code, gis.FormatVN(r.OldHa, 2))
	case diff.Modified:
		s := fmt.Sprintf("~ %s %s", tr("modified"), r.Code)
		if r.Detail != "" {
			s += ": " + r.Detail
		}
		return s
	}
	return "⇄ " + tr(r.Kind) + ": " + r.Detail
}

func newComparePanel(w *Window) *comparePanel {
	c := &comparePanel{w: w}
	c.From = widget.NewSelect(nil, func(string) {
		i := c.From.SelectedIndex()
		if i < 0 || c.to == nil || i >= len(c.versions) {
			return
		}
		c.w.CompareVersions(c.to.Plan.Code, c.versions[i], c.to.Version.Number)
	})
	c.From.PlaceHolder = tr("Compare with version…")
	c.Title = widget.NewLabel("")
	c.Title.Wrapping = fyne.TextWrapWord
	c.List = widget.NewList(func() int { return len(c.Rows) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(c.Rows[i].Text()) })
	c.List.OnSelected = func(i widget.ListItemID) { c.zoom(c.Rows[i]) }
	c.Table = widget.NewTable(
		func() (int, int) {
			if len(c.Balance.Rows) == 0 {
				return 0, 5
			}
			return len(c.Balance.Rows) + 2, 5
		},
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			l.TextStyle.Bold = id.Row == 0 || id.Row == len(c.Balance.Rows)+1
			l.Alignment = fyne.TextAlignLeading
			if id.Col >= 2 {
				l.Alignment = fyne.TextAlignTrailing
			}
			l.SetText(c.cell(id.Row, id.Col))
		})
	for i, wd := range []float32{62, 170, 92, 92, 76} {
		c.Table.SetColumnWidth(i, wd)
	}
	c.Export = widget.NewButtonWithIcon(tr("Changes CSV"), theme.DocumentSaveIcon(), func() { c.save("thay-doi.csv", c.WriteChangesCSV) })
	c.ExportBl = widget.NewButtonWithIcon(tr("Balance CSV"), theme.DocumentSaveIcon(), func() { c.save("can-bang.csv", c.WriteBalanceCSV) })
	c.SwipeAt = widget.NewSlider(0.02, 0.98)
	c.SwipeAt.Step = 0.01
	c.SwipeAt.Value = 0.5
	c.SwipeAt.OnChanged = func(float64) { c.applyMode() }
	c.Swipe = widget.NewCheck(tr("Swipe: approved | adjusted"), func(on bool) {
		if on && c.Side.Checked {
			c.Side.SetChecked(false)
		}
		c.applyMode()
	})
	c.Side = widget.NewCheck(tr("Side by side: approved | adjusted"), func(on bool) {
		if on && c.Swipe.Checked {
			c.Swipe.SetChecked(false)
		}
		c.applyMode()
	})
	top := container.NewVBox(c.From, c.Title, c.Swipe, c.SwipeAt, c.Side)
	c.Scope = widget.NewRadioGroup([]string{tr("Whole plan"), tr("Adjusted area")}, func(string) { c.showScope() })
	c.Scope.Horizontal = true
	c.Scope.Required = true
	c.Scope.SetSelected(tr("Whole plan"))
	bottom := container.NewHBox(c.Export, c.ExportBl)
	split := container.NewVSplit(c.List, container.NewBorder(c.Scope, nil, nil, nil, c.Table))
	split.Offset = 0.55
	c.box = container.NewBorder(top, bottom, nil, nil, split)
	return c
}

// cell is the text of the balance table: code | class | before | after | ±.
func (c *comparePanel) cell(row, col int) string {
	r := c.Balance.Rounded(2)
	if row == 0 {
		return []string{tr("Code"), tr("Land use"), tr("Approved ha"), tr("Adjusted ha"), "± ha"}[col]
	}
	if row == len(r.Rows)+1 {
		return []string{"", tr("Total"), gis.FormatVN(r.BeforeTotalHa, 2), gis.FormatVN(r.TotalHa, 2), signed(r.TotalHa - r.BeforeTotalHa)}[col]
	}
	x := r.Rows[row-1]
	return []string{x.Code, x.Name, gis.FormatVN(x.BeforeHa, 2), gis.FormatVN(x.Ha, 2), signed(x.ChangeHa)}[col]
}

func signed(v float64) string {
	switch {
	case v > 0.005:
		return "+" + gis.FormatVN(v, 2)
	case v < -0.005:
		return "−" + gis.FormatVN(-v, 2)
	}
	return "0"
}

// showScope shows the balance of the chosen scope.
func (c *comparePanel) showScope() {
	c.Balance = c.whole
	if c.Scope.Selected == tr("Adjusted area") {
		c.Balance = c.adjusted
	}
	c.Table.Refresh()
}

// applyMode shows the changes over the base, the before/after swipe, or
// the two states side by side.
func (c *comparePanel) applyMode() {
	m := c.w.Map
	ready := c.before != nil && c.after != nil
	switch {
	case c.Side.Checked && ready:
		if m.Scene() != c.after {
			m.SetScene(c.after, false)
		}
		c.w.SideBySide(c.before)
	case c.Swipe.Checked && ready:
		c.w.SideBySide(nil)
		if m.Scene() != c.overlay && c.overlay != nil {
			m.SetScene(c.overlay, false)
		}
		m.SetSwipe(c.before, c.after, c.SwipeAt.Value)
	default:
		c.w.SideBySide(nil)
		if ready && c.overlay != nil && m.Scene() != c.overlay {
			m.SetScene(c.overlay, false)
		}
		m.SetSwipe(nil, nil, 0)
	}
}

// clear leaves compare mode for a plain version: the chooser lists the others.
func (c *comparePanel) clear(shown *store.Snapshot) {
	c.to = shown
	c.Rows, c.Balance, c.whole, c.adjusted = nil, diff.Balance{}, diff.Balance{}, diff.Balance{}
	c.before, c.after, c.overlay = nil, nil, nil
	c.Swipe.SetChecked(false)
	c.Swipe.Disable()
	c.Side.SetChecked(false)
	c.Side.Disable()
	c.w.SideBySide(nil)
	c.Title.SetText("")
	c.versions = nil
	var names []string
	for _, v := range c.w.version[shown.Plan.Code] {
		if v.Number != shown.Version.Number {
			c.versions = append(c.versions, v.Number)
			names = append(names, tr("Version {{.N}}", map[string]any{"N": v.Number}))
		}
	}
	c.From.OnChanged, c.From.Options = nil, names
	c.From.ClearSelected()
	c.From.OnChanged = func(string) {
		i := c.From.SelectedIndex()
		if i >= 0 && i < len(c.versions) && c.to != nil {
			c.w.CompareVersions(c.to.Plan.Code, c.versions[i], c.to.Version.Number)
		}
	}
	c.From.Refresh()
	c.List.UnselectAll()
	c.List.Refresh()
	c.Table.Refresh()
}

// CompareVersions shows version b of a plan against version a.
func (w *Window) CompareVersions(code string, a, b int) {
	w.run(tr("Comparing…"), "compare", func(ctx context.Context) (func(), error) {
		from, err := w.src.Load(ctx, code, a)
		if err != nil {
			return nil, err
		}
		to, err := w.src.Load(ctx, code, b)
		if err != nil {
			return nil, err
		}
		title := tr("Version {{.B}} against version {{.A}}", map[string]any{"A": from.Version.Number, "B": to.Version.Number})
		return w.compare(ctx, from, to, title, tr("version {{.N}}", map[string]any{"N": to.Version.Number}))
	})
}

// CompareDossier shows a dossier's proposal against its base version.
func (w *Window) CompareDossier(id int64) {
	w.run(tr("Comparing…"), "compare", func(ctx context.Context) (func(), error) {
		to, d, err := w.src.Proposal(ctx, id)
		if err != nil {
			return nil, err
		}
		from, err := w.src.Load(ctx, d.Plan, d.Base)
		if err != nil {
			return nil, err
		}
		title := tr("Dossier {{.ID}} ({{.State}}) against its base, version {{.Base}}",
			map[string]any{"ID": d.ID, "State": stateName(d.State), "Base": d.Base})
		label := tr("dossier {{.ID}} ({{.State}})", map[string]any{"ID": d.ID, "State": stateName(d.State)})
		return w.compare(ctx, from, to, title, label)
	})
}

// compare builds the compare scene, change rows and balance (off the UI goroutine).
func (w *Window) compare(ctx context.Context, from, to *store.Snapshot, title, label string) (func(), error) {
	fl, tl := project(from.Layers), project(to.Layers)
	from.Layers, to.Layers = nil, nil
	res := diffOf(fl, tl, to.Lineage)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sc := scene.Compare(fl, tl, res, w.cat)
	before, after := scene.Plan(fl, w.cat), scene.Plan(tl, w.cat)
	lots := func(ls []gis.Layer) []gis.Feature {
		for _, l := range ls {
			if l.Name == LandUseLayer {
				return l.Features
			}
		}
		return nil
	}
	classOf := func(f gis.Feature) diff.Class {
		if cl, ok := w.cat.Of(f); ok {
			name := cl.NameVI
			if Lang() == "en" {
				name = cl.NameEN
			}
			return diff.Class{Code: cl.Code, Name: name}
		}
		return diff.Class{Code: f.String("phanLoai"), Name: f.String("phanLoai")}
	}
	bal := diff.Compare(lots(fl), lots(tl), classOf, w.cat.Codes())
	b, a := diff.AdjustedArea(res)
	adj := diff.Compare(b, a, classOf, w.cat.Codes())
	rows := changeRows(res, w)
	return func() {
		w.shown = label
		w.show(to, tl, sc, after, true)
		c := w.Compare
		c.Title.SetText(title)
		c.Rows, c.whole, c.adjusted = rows, bal, adj
		c.showScope()
		c.before, c.after, c.overlay = before, after, sc
		c.Swipe.Enable()
		c.Side.Enable()
		c.applyMode()
		c.List.UnselectAll()
		c.List.Refresh()
		c.Table.Refresh()
		w.Right.SelectIndex(1)
	}, nil
}

// changeRows lists the changes, then the lineage groups.
func changeRows(res diff.Result, w *Window) []ChangeRow {
	var rows []ChangeRow
	class := func(f *gis.Feature) string {
		if f == nil {
			return ""
		}
		if c, ok := w.cat.Of(*f); ok {
			return c.Code
		}
		return f.String("phanLoai")
	}
	code := func(c diff.Change) string {
		for _, f := range []*gis.Feature{c.New, c.Old} {
			if f != nil && f.String("maDoiTuong") != "" {
				return f.String("maDoiTuong")
			}
		}
		return c.ID
	}
	codes := map[string]string{}
	for _, c := range res.Changes {
		r := ChangeRow{Kind: c.Kind, ID: c.ID, Code: code(c), Before: class(c.Old), After: class(c.New)}
		codes[c.ID] = r.Code
		first := true
		for _, f := range []*gis.Feature{c.New, c.Old} {
			if f == nil || f.Geometry == nil {
				continue
			}
			if first {
				r.Bound, first = f.Geometry.Bound(), false
			} else {
				r.Bound = r.Bound.Union(f.Geometry.Bound())
			}
		}
		if c.Old != nil {
			r.OldHa = gis.Area(c.Old.Geometry) / 10000
		}
		if c.New != nil {
			r.NewHa = gis.Area(c.New.Geometry) / 10000
		}
		if c.Kind == diff.Modified {
			var parts []string
			if c.Geometry {
				parts = append(parts, fmt.Sprintf("%s %s ha", tr("area"), signed(r.NewHa-r.OldHa)))
			}
			keys := make([]string, 0, len(c.Properties))
			for k := range c.Properties {
				keys = append(keys, k)
			}
			// what a reviewer looks for first: the class, the indicators,
			// then the rest (notes, codes) by name
			rank := func(k string) int {
				switch k {
				case "phanLoai":
					return 0
				case "matDoXayDung", "tangCaoMin", "tangCaoMax", "heSoSuDungDat", "khoangLui", "danSo", "giaiDoan":
					return 1
				}
				return 2
			}
			sort.Slice(keys, func(i, j int) bool {
				if ri, rj := rank(keys[i]), rank(keys[j]); ri != rj {
					return ri < rj
				}
				return keys[i] < keys[j]
			})
			for _, k := range keys {
				parts = append(parts, fmt.Sprintf("%s %s → %s", k, propText(c.Properties[k][0]), propText(c.Properties[k][1])))
			}
			r.Detail = strings.Join(parts, "; ")
		}
		rows = append(rows, r)
	}
	name := func(ids []string) string {
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = id
			if c, ok := codes[id]; ok {
				out[i] = c
			}
		}
		return strings.Join(out, ", ")
	}
	for _, g := range res.Groups {
		r := ChangeRow{Kind: g.Kind, ID: strings.Join(g.Parents, ",") + ">" + strings.Join(g.Children, ","),
			Detail: name(g.Parents) + " → " + name(g.Children)}
		first := true
		for _, row := range rows {
			for _, id := range append(append([]string{}, g.Parents...), g.Children...) {
				if row.ID == id && row.Bound != (orb.Bound{}) {
					if first {
						r.Bound, first = row.Bound, false
					} else {
						r.Bound = r.Bound.Union(row.Bound)
					}
				}
			}
		}
		rows = append(rows, r)
	}
	return rows
}

// zoom shows one change.
func (c *comparePanel) zoom(r ChangeRow) {
	if r.Bound == (orb.Bound{}) {
		return
	}
	b := r.Bound
	pad := 0.3 * max(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1])
	c.w.Map.ZoomTo(b.Pad(max(pad, 20)))
	if l := c.w.Map.Scene().Layer(scene.ChangesLayer); l != nil {
		for i := range l.Shapes {
			if l.Shapes[i].ID == r.ID {
				c.w.Map.Select(&l.Shapes[i])
				c.w.inspect(&l.Shapes[i])
				c.w.Right.SelectIndex(1)
				return
			}
		}
	}
}

// WriteChangesCSV writes the change list as CSV.
func (c *comparePanel) WriteChangesCSV(out io.Writer) error {
	w := csv.NewWriter(out)
	w.Write([]string{"kind", "id", "code", "class_before", "class_after", "ha_before", "ha_after", "change_ha", "detail"})
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }
	for _, r := range c.Rows {
		switch r.Kind {
		case diff.Added, diff.Removed, diff.Modified:
			w.Write([]string{r.Kind, r.ID, r.Code, r.Before, r.After, f(r.OldHa), f(r.NewHa), f(r.NewHa - r.OldHa), r.Detail})
		default:
			w.Write([]string{r.Kind, r.ID, "", "", "", "", "", "", r.Detail})
		}
	}
	w.Flush()
	return w.Error()
}

// WriteBalanceCSV writes the balance table before/after as CSV.
func (c *comparePanel) WriteBalanceCSV(out io.Writer) error {
	w := csv.NewWriter(out)
	r := c.Balance.Rounded(2)
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }
	w.Write([]string{"stt", "code", "name", "before_ha", "before_percent", "ha", "percent", "change_ha"})
	for i, row := range r.Rows {
		w.Write([]string{strconv.Itoa(i + 1), row.Code, row.Name, f(row.BeforeHa), f(row.BeforePercent), f(row.Ha), f(row.Percent), f(row.ChangeHa)})
	}
	w.Write([]string{"", "", tr("Total"), f(r.BeforeTotalHa), "100.00", f(r.TotalHa), "100.00", f(r.TotalHa - r.BeforeTotalHa)})
	w.Flush()
	return w.Error()
}

func (c *comparePanel) save(name string, write func(io.Writer) error) {
	d := dialog.NewFileSave(func(uc fyne.URIWriteCloser, err error) {
		if err != nil || uc == nil {
			return
		}
		defer uc.Close()
		if err := write(uc); err != nil {
			dialog.ShowError(err, c.w.Window)
		}
	}, c.w.Window)
	d.SetFileName(name)
	d.Show()
}
