package ui

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"quyhoach/gis"
	"quyhoach/gis/diff"
	"quyhoach/gis/landuse"
	"quyhoach/plan"
	"quyhoach/store"
)

// compareMode is how the map shows a comparison.
type compareMode int

const (
	overlayMode compareMode = iota // the changes drawn over the faded base
	swipeMode                      // approved left of a divider, adjusted right
	sideMode                       // approved and adjusted side by side
)

// comparePanel is the reviewer's compare mode: the change list, the
// land-use balance before/after (whole plan or adjusted area) and their CSV
// export, and how the map shows the comparison.
type comparePanel struct {
	widget.BaseWidget
	From  *widget.Select // the version to compare the shown one with
	Title *widget.Label
	List  *widget.List
	Rows  []plan.ChangeRow
	// Scope chooses the balance of the whole plan or of the adjusted area only.
	Scope    *widget.RadioGroup
	Table    *widget.Table
	Export   *widget.Button
	ExportBl *widget.Button
	Swipe    *widget.Check  // swipe between the before and after plans
	SwipeAt  *widget.Slider // divider position, 0–1
	Side     *widget.Check  // the before and after plans side by side
	cmp      *plan.Comparison
	cat      *landuse.Catalogue
	versions []int // the versions the chooser lists
	shown    *plan.State
	// OnCompareWith asks to compare the shown state with a version;
	// OnPick shows a change; OnMode shows the comparison in another mode
	// (the divider at at, for the swipe); OnSave saves a CSV file.
	OnCompareWith func(version int)
	OnPick        func(plan.ChangeRow)
	OnMode        func(m compareMode, at float64)
	OnSave        func(name string, write func(io.Writer) error)
}

func newComparePanel(cat *landuse.Catalogue) *comparePanel {
	c := &comparePanel{cat: cat, Title: widget.NewLabel("")}
	c.From = widget.NewSelect(nil, nil)
	c.From.PlaceHolder = tr("Compare with version…")
	c.Title.Wrapping = fyne.TextWrapWord
	c.List = widget.NewList(func() int { return len(c.Rows) },
		cellLabel,
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(rowText(c.Rows[i])) })
	c.List.OnSelected = func(i widget.ListItemID) {
		if c.OnPick != nil {
			c.OnPick(c.Rows[i])
		}
	}
	c.Table = widget.NewTable(c.tableSize,
		cellLabel,
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			l.TextStyle.Bold = id.Row == 0 || id.Row == len(c.Balance().Rows)+1
			l.Alignment = fyne.TextAlignLeading
			if id.Col >= 2 {
				l.Alignment = fyne.TextAlignTrailing
			}
			l.SetText(c.cell(id.Row, id.Col))
		})
	for i, wd := range []float32{62, 170, 92, 92, 76} {
		c.Table.SetColumnWidth(i, wd)
	}
	save := func(name string, write func(io.Writer) error) func() {
		return func() {
			if c.OnSave != nil && c.cmp != nil {
				c.OnSave(name, write)
			}
		}
	}
	c.Export = widget.NewButtonWithIcon(tr("Changes CSV"), theme.DocumentSaveIcon(), save("thay-doi.csv", c.WriteChangesCSV))
	c.ExportBl = widget.NewButtonWithIcon(tr("Balance CSV"), theme.DocumentSaveIcon(), save("can-bang.csv", c.WriteBalanceCSV))
	c.SwipeAt = widget.NewSlider(0.02, 0.98)
	c.SwipeAt.Step = 0.01
	c.SwipeAt.Value = 0.5
	c.SwipeAt.OnChanged = func(float64) { c.modeChanged() }
	c.Swipe = widget.NewCheck(tr("Swipe: approved | adjusted"), func(on bool) {
		if on && c.Side.Checked {
			c.Side.SetChecked(false)
		}
		c.modeChanged()
	})
	c.Side = widget.NewCheck(tr("Side by side: approved | adjusted"), func(on bool) {
		if on && c.Swipe.Checked {
			c.Swipe.SetChecked(false)
		}
		c.modeChanged()
	})
	c.Scope = widget.NewRadioGroup([]string{tr("Whole plan"), tr("Adjusted area")}, func(string) { c.Table.Refresh() })
	c.Scope.Horizontal = true
	c.Scope.Required = true
	c.Scope.SetSelected(tr("Whole plan"))
	c.ExtendBaseWidget(c)
	return c
}

// CreateRenderer implements fyne.Widget.
func (c *comparePanel) CreateRenderer() fyne.WidgetRenderer {
	top := container.NewVBox(c.From, c.Title, c.Swipe, c.SwipeAt, c.Side)
	split := container.NewVSplit(c.List, container.NewBorder(c.Scope, nil, nil, nil, c.Table))
	split.Offset = 0.55
	return widget.NewSimpleRenderer(container.NewBorder(top, container.NewHBox(c.Export, c.ExportBl), nil, nil, split))
}

// Mode is how the map should show the comparison.
func (c *comparePanel) Mode() compareMode {
	switch {
	case c.Side.Checked:
		return sideMode
	case c.Swipe.Checked:
		return swipeMode
	}
	return overlayMode
}

func (c *comparePanel) modeChanged() {
	if c.OnMode != nil && c.cmp != nil {
		c.OnMode(c.Mode(), c.SwipeAt.Value)
	}
}

// Comparison is the comparison shown, or nil.
func (c *comparePanel) Comparison() *plan.Comparison { return c.cmp }

// Balance is the balance table shown: the whole plan's or the adjusted area's.
func (c *comparePanel) Balance() diff.Balance {
	switch {
	case c.cmp == nil:
		return diff.Balance{}
	case c.Scope.Selected == tr("Adjusted area"):
		return c.cmp.Adjusted
	}
	return c.cmp.Whole
}

// ShowComparison lists a comparison's changes and balances under title.
func (c *comparePanel) ShowComparison(cmp *plan.Comparison, title string) {
	c.cmp, c.Rows = cmp, cmp.Rows
	c.Title.SetText(title)
	c.Swipe.Enable()
	c.Side.Enable()
	c.refresh()
}

// ShowState leaves compare mode for a plain state: the chooser lists the
// plan's other versions (versions) to compare it with.
func (c *comparePanel) ShowState(s *plan.State, versions []store.Version) {
	c.cmp, c.Rows, c.shown = nil, nil, s
	c.Swipe.SetChecked(false)
	c.Swipe.Disable()
	c.Side.SetChecked(false)
	c.Side.Disable()
	c.Title.SetText("")
	c.versions = nil
	var names []string
	for _, v := range versions {
		if v.Number != s.Version.Number {
			c.versions = append(c.versions, v.Number)
			names = append(names, tr("Version {{.N}}", map[string]any{"N": v.Number}))
		}
	}
	c.From.OnChanged, c.From.Options = nil, names
	c.From.ClearSelected()
	c.From.OnChanged = func(string) {
		if i := c.From.SelectedIndex(); i >= 0 && i < len(c.versions) && c.OnCompareWith != nil {
			c.OnCompareWith(c.versions[i])
		}
	}
	c.refresh()
}

func (c *comparePanel) refresh() {
	c.From.Refresh()
	c.List.UnselectAll()
	c.List.Refresh()
	c.Table.Refresh()
}

func (c *comparePanel) tableSize() (int, int) { return balanceSize(c.Balance()) }

// cell is the text of the balance table: code | class | before | after | ±.
func (c *comparePanel) cell(row, col int) string { return balanceCell(c.Balance(), c.cat, row, col) }

// balanceSize is the size of a balance table: a header, a row a class and
// the total (none when it has no class).
func balanceSize(b diff.Balance) (int, int) {
	if n := len(b.Rows); n > 0 {
		return n + 2, 5
	}
	return 0, 5
}

// balanceCell is the text of a balance table comparing two states: code |
// class (in the chosen language) | before | after | ±.
func balanceCell(b diff.Balance, cat *landuse.Catalogue, row, col int) string {
	r := b.Rounded(2)
	if row == 0 {
		return []string{tr("Code"), tr("Land use"), tr("Approved ha"), tr("Adjusted ha"), "± ha"}[col]
	}
	if row == len(r.Rows)+1 {
		return []string{"", tr("Total"), num(r.BeforeTotalHa, 2), num(r.TotalHa, 2), signed(r.TotalHa - r.BeforeTotalHa)}[col]
	}
	x := r.Rows[row-1]
	name := x.Name
	if cl, ok := cat.Lookup(x.Code); ok {
		name = className(cl)
	}
	return []string{x.Code, name, num(x.BeforeHa, 2), num(x.Ha, 2), signed(x.ChangeHa)}[col]
}

// signed writes a change with its sign, in the chosen language.
func signed(v float64) string { return gis.Signed(v, 2, Lang()) }

// rowText is a change row as listed.
func rowText(r plan.ChangeRow) string {
	switch r.Kind {
	case diff.Added:
		return "+ " + tr("added") + " " + r.Code + " (" + num(r.NewHa, 2) + " ha)"
	case diff.Removed:
		return "− " + tr("removed") + " " + r.Code + " (" + num(r.OldHa, 2) + " ha)"
	case diff.Modified:
		s := "~ " + tr("modified") + " " + r.Code
		if d := rowDetail(r); d != "" {
			s += ": " + d
		}
		return s
	}
	return "⇄ " + tr(r.Kind) + ": " + rowDetail(r)
}

// rowDetail is what a modification changed, or a lineage event's lots.
func rowDetail(r plan.ChangeRow) string {
	if r.IsLineage() {
		return strings.Join(r.Parents, ", ") + " → " + strings.Join(r.Children, ", ")
	}
	var parts []string
	if r.Geometry && r.Kind == diff.Modified {
		parts = append(parts, tr("area")+" "+signed(r.NewHa-r.OldHa)+" ha")
	}
	for _, f := range r.Fields {
		parts = append(parts, f.Key+" "+valueText(f.Old)+" → "+valueText(f.New))
	}
	return strings.Join(parts, "; ")
}

// WriteChangesCSV writes the change list as CSV.
func (c *comparePanel) WriteChangesCSV(out io.Writer) error {
	w := csv.NewWriter(out)
	w.Write([]string{"kind", "id", "code", "class_before", "class_after", "ha_before", "ha_after", "change_ha", "detail"})
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }
	for _, r := range c.Rows {
		if r.IsLineage() {
			w.Write([]string{r.Kind, r.ID, "", "", "", "", "", "", rowDetail(r)})
		} else {
			w.Write([]string{r.Kind, r.ID, r.Code, r.Before, r.After, f(r.OldHa), f(r.NewHa), f(r.NewHa - r.OldHa), rowDetail(r)})
		}
	}
	w.Flush()
	return w.Error()
}

// WriteBalanceCSV writes the balance table shown as CSV, as the balance
// command writes it.
func (c *comparePanel) WriteBalanceCSV(out io.Writer) error {
	return plan.WriteBalanceCSV(out, c.Balance())
}
