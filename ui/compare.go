package ui

import (
	"cmp"
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
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

// comparePanel is the reviewer's compare mode: the changes as a before →
// after table, the land-use balance before/after (whole plan or adjusted
// area) with a chart of the change per class, their CSV export, and how the
// map shows the comparison.
type comparePanel struct {
	widget.BaseWidget
	From  *widget.Select // the version to compare the shown one with
	Title *widget.Label
	Tabs  *container.AppTabs // the changes | the balance
	List  *changeList
	Rows  []plan.ChangeRow
	// Scope chooses the balance of the whole plan or of the adjusted area only.
	Scope    *widget.RadioGroup
	Table    *textTable // the balance
	Chart    *balanceChart
	ChartFor *widget.Label // what the chart shows
	Export   *widget.Button
	ExportBl *widget.Button
	Swipe    *widget.Check  // swipe between the before and after plans
	SwipeAt  *widget.Slider // divider position, 0–1
	Side     *widget.Check  // the before and after plans side by side
	// BeforePane and AfterPane name the two maps of side by side.
	BeforePane, AfterPane *widget.Label
	cmp                   *plan.Comparison
	cat                   *landuse.Catalogue
	versions              []int // the versions the chooser lists
	shown                 *plan.State
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
	c.List = newChangeList(cat)
	c.List.OnSelected = func(i widget.ListItemID) {
		if c.OnPick != nil && i < len(c.Rows) {
			c.OnPick(c.Rows[i])
		}
	}
	c.Table = newTextTable([]textColumn{{Wrap: true}, {Right: true}, {Right: true}, {Right: true}, {Right: true}}, true,
		func() int { r, _ := c.tableSize(); return r }, c.shownCell)
	c.Table.bold = func(row, _ int) bool { return row == 0 || row == len(c.Balance().Rows)+1 }
	c.Chart = newBalanceChart()
	c.ChartFor = widget.NewLabel("")
	c.ChartFor.Wrapping = fyne.TextWrapWord
	c.ChartFor.TextStyle.Bold = true
	save := func(name string, write func(io.Writer) error) func() {
		return func() {
			if c.OnSave != nil && c.cmp != nil {
				c.OnSave(name, write)
			}
		}
	}
	c.Export = widget.NewButtonWithIcon(tr("Save the changes as CSV…"), theme.DocumentSaveIcon(), save("thay-doi.csv", c.WriteChangesCSV))
	c.ExportBl = widget.NewButtonWithIcon(tr("Save the balance as CSV…"), theme.DocumentSaveIcon(), save("can-bang.csv", c.WriteBalanceCSV))
	c.SwipeAt = widget.NewSlider(0.02, 0.98)
	c.SwipeAt.Step = 0.01
	c.SwipeAt.Value = 0.5
	c.SwipeAt.OnChanged = func(float64) { c.modeChanged() }
	c.SwipeAt.Hide()
	c.Swipe = widget.NewCheck(tr("Swipe"), func(on bool) {
		if on && c.Side.Checked {
			c.Side.SetChecked(false)
		}
		c.SwipeAt.Hidden = !on
		c.modeChanged()
		c.Refresh()
	})
	c.Side = widget.NewCheck(tr("Side by side"), func(on bool) {
		if on && c.Swipe.Checked {
			c.Swipe.SetChecked(false)
		}
		c.modeChanged()
	})
	c.Scope = widget.NewRadioGroup([]string{tr("Whole plan"), tr("Adjusted area")}, nil)
	c.Scope.Horizontal = true
	c.Scope.Required = true
	c.Scope.Selected = tr("Whole plan") // nothing compared yet: no balance to show
	c.Scope.OnChanged = func(string) { c.showBalance() }
	c.BeforePane = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	c.AfterPane = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	changes := container.NewBorder(c.List.Header, container.NewHBox(c.Export), nil, nil, c.List)
	chart := container.NewBorder(c.ChartFor, nil, nil, nil, container.NewVScroll(c.Chart))
	balance := container.New(&chartOver{chart: func() float32 {
		return c.ChartFor.MinSize().Height + c.Chart.MinSize().Height + theme.Padding()
	}}, chart, c.Table)
	c.Tabs = container.NewAppTabs(
		container.NewTabItem(tr("Changes"), changes),
		container.NewTabItem(tr("Balance"), container.NewBorder(c.Scope, container.NewHBox(c.ExportBl), nil, nil, balance)),
	)
	c.ExtendBaseWidget(c)
	return c
}

// CreateRenderer implements fyne.Widget.
func (c *comparePanel) CreateRenderer() fyne.WidgetRenderer {
	modes := container.NewHBox(c.Swipe, c.Side)
	top := container.NewVBox(c.From, c.Title, modes, c.SwipeAt)
	return widget.NewSimpleRenderer(container.NewBorder(top, nil, nil, nil, c.Tabs))
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
	before, after := sideNames(cmp)
	c.BeforePane.SetText(before)
	c.AfterPane.SetText(after)
	c.Tabs.Items[0].Text = tr("Changes ({{.N}})", map[string]any{"N": len(cmp.Rows)})
	c.Tabs.Refresh()
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
	c.Title.SetText(tr("Choose a version to compare with, or a dossier in the plan browser."))
	c.Tabs.Items[0].Text = tr("Changes")
	c.Tabs.Refresh()
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
	before, after := tr("Approved"), tr("Adjusted")
	if c.cmp != nil && c.cmp.After.Dossier == nil {
		before = tr("Version {{.N}}", map[string]any{"N": c.cmp.Before.Version.Number})
		after = tr("Version {{.N}}", map[string]any{"N": c.cmp.After.Version.Number})
	}
	c.List.SetRows(c.Rows, before, after)
	c.List.UnselectAll()
	c.showBalance()
}

// showBalance shows the balance of the scope chosen and its chart.
func (c *comparePanel) showBalance() {
	b := c.Balance()
	c.Table.Update()
	c.Chart.SetBars(changeBars(b, c.cat))
	defer c.Refresh() // the chart's height changed
	switch {
	case c.cmp == nil:
		c.ChartFor.SetText("")
	case len(c.Chart.Bars) == 0:
		c.ChartFor.SetText(tr("No land-use class changes its area."))
	default:
		c.ChartFor.SetText(tr("Change per land-use class (ha)"))
	}
}

func (c *comparePanel) tableSize() (int, int) { return balanceSize(c.Balance()) }

// cell is the text of the balance table: code | class | before | after | ±
// | share of the adjusted total.
func (c *comparePanel) cell(row, col int) string { return balanceCell(c.Balance(), c.cat, row, col) }

// shownCell is the text of the balance as the panel shows it: the class's
// code and name together, the figures after them.
func (c *comparePanel) shownCell(row, col int) string {
	if col > 0 {
		return c.cell(row, col+1)
	}
	if code := c.cell(row, 0); row > 0 && code != "" {
		return code + " — " + c.cell(row, 1)
	}
	return c.cell(row, 1)
}

// balanceSize is the size of a balance table: a header, a row a class and
// the total (none when it has no class).
func balanceSize(b diff.Balance) (int, int) {
	if n := len(b.Rows); n > 0 {
		return n + 2, 5
	}
	return 0, 5
}

// balanceCell is the text of a balance table comparing two states: code |
// class (in the chosen language) | before | after | ± | share of the after
// total (%).
func balanceCell(b diff.Balance, cat *landuse.Catalogue, row, col int) string {
	r := b.Rounded(2)
	if row == 0 {
		return []string{tr("Code"), tr("Land use"), tr("Approved ha"), tr("Adjusted ha"), "± ha", tr("Share %")}[col]
	}
	if row == len(r.Rows)+1 {
		return []string{"", tr("Total"), num(r.BeforeTotalHa, 2), num(r.TotalHa, 2), signed(r.TotalHa - r.BeforeTotalHa), num(100, 2)}[col]
	}
	x := r.Rows[row-1]
	name := x.Name
	if cl, ok := cat.Lookup(x.Code); ok {
		name = className(cl)
	}
	return []string{x.Code, name, num(x.BeforeHa, 2), num(x.Ha, 2), signed(x.ChangeHa), num(x.Percent, 2)}[col]
}

// signed writes a change with its sign, in the chosen language.
func signed(v float64) string { return gis.Signed(v, 2, Lang()) }

// sideNames name the two sides of a comparison, as the panes of side by
// side show them.
func sideNames(c *plan.Comparison) (before, after string) {
	before = tr("Approved — version {{.N}}", map[string]any{"N": c.Before.Version.Number})
	if d := c.After.Dossier; d != nil {
		return before, tr("Adjusted — dossier {{.ID}}", map[string]any{"ID": d.ID})
	}
	return before, tr("Version {{.N}}", map[string]any{"N": c.After.Version.Number})
}

// paneTitled puts a title over the top of a map pane, leaving the map its
// gestures (a label takes no taps or drags).
func paneTitled(pane fyne.CanvasObject, title *widget.Label) fyne.CanvasObject {
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground))
	bg.CornerRadius = theme.InputRadiusSize()
	badge := container.NewStack(bg, title)
	return container.NewStack(pane, container.NewVBox(container.NewHBox(layout.NewSpacer(), badge, layout.NewSpacer())))
}

// changeText is a change as its list heads it: what happened to which lot.
func changeText(r plan.ChangeRow) string {
	switch r.Kind {
	case diff.Added:
		return "+ " + tr("Lot added: {{.Code}}", map[string]any{"Code": r.Code})
	case diff.Removed:
		return "− " + tr("Lot removed: {{.Code}}", map[string]any{"Code": r.Code})
	case diff.Modified:
		return "~ " + tr("Lot modified: {{.Code}}", map[string]any{"Code": r.Code})
	}
	return "⇄ " + tr(r.Kind) + ": " + strings.Join(r.Parents, ", ") + " → " + strings.Join(r.Children, ", ")
}

// changeLines are a change's lines of the before → after table: a field
// (translated), its value before and after ("—" where absent).
func changeLines(r plan.ChangeRow, cat *landuse.Catalogue) [][3]string {
	class := func(code string) string {
		if code == "" {
			return "—"
		}
		if cl, ok := cat.Lookup(code); ok {
			return code + " — " + className(cl)
		}
		return code
	}
	area := tr("Official area (ha)")
	switch r.Kind {
	case diff.Added:
		return [][3]string{{tr("Land use"), "—", class(r.After)}, {area, "—", num(r.NewHa, 2)}}
	case diff.Removed:
		return [][3]string{{tr("Land use"), class(r.Before), "—"}, {area, num(r.OldHa, 2), "—"}}
	case diff.Modified:
		var out [][3]string
		if r.Geometry {
			out = append(out, [3]string{area, num(r.OldHa, 2), num(r.NewHa, 2) + " (" + signed(r.NewHa-r.OldHa) + ")"})
		}
		for _, f := range r.Fields {
			old, now := cmp.Or(valueText(f.Old), "—"), cmp.Or(valueText(f.New), "—")
			if f.Key == "phanLoai" {
				old, now = class(r.Before), class(r.After)
			}
			out = append(out, [3]string{fieldLabel(f.Key), old, now})
		}
		return out
	}
	return [][3]string{{tr("Lots"), strings.Join(r.Parents, ", "), strings.Join(r.Children, ", ")}}
}

// rowDetail is what a modification changed, or a lineage event's lots, on
// one line (the CSV's detail column).
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

// changeList lists the changes of a comparison, each a block: what
// happened to which lot, then a before → after table of what changed
// (fields translated). The table's columns line up from block to block
// under Header and share the list's width; text wraps, nothing is cut.
type changeList struct {
	widget.List
	Header *fyne.Container // field | before | after
	Rows   []plan.ChangeRow
	Widths []float32 // of the columns field | before | after
	heads  []string
	lines  [][][3]string
	cat    *landuse.Catalogue
	width  float32
	names  [3]*widget.Label // of Header's columns
}

func newChangeList(cat *landuse.Catalogue) *changeList {
	l := &changeList{cat: cat}
	for i := range l.names {
		l.names[i] = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.names[i].Wrapping = fyne.TextWrapWord
	}
	l.Header = container.New(&columnsLayout{widths: &l.Widths}, l.names[0], l.names[1], l.names[2])
	l.Length = func() int { return len(l.heads) }
	l.CreateItem = func() fyne.CanvasObject { return newChangeBlock(l) }
	l.UpdateItem = func(i widget.ListItemID, o fyne.CanvasObject) { o.(*changeBlock).set(i) }
	l.ExtendBaseWidget(l)
	return l
}

// SetRows lists rows; before and after head the value columns.
func (l *changeList) SetRows(rows []plan.ChangeRow, before, after string) {
	l.Rows = rows
	l.heads, l.lines = l.heads[:0], l.lines[:0]
	for _, r := range rows {
		l.heads = append(l.heads, changeText(r))
		l.lines = append(l.lines, changeLines(r, l.cat))
	}
	l.names[0].SetText(tr("Field"))
	l.names[1].SetText(before)
	l.names[2].SetText(after)
	l.fit()
	l.Refresh()
}

// Resize fits the columns and blocks to the new width.
func (l *changeList) Resize(s fyne.Size) {
	if s.Width != l.width {
		l.width = s.Width
		l.fit()
	}
	l.List.Resize(s)
}

// fit shares the width among the columns and makes each block as tall as
// its wrapped text.
func (l *changeList) fit() {
	if l.width <= 0 {
		return
	}
	need, least := make([]float32, 3), make([]float32, 3)
	for c, n := range l.names {
		least[c] = wordWidth(n.Text, true)
		need[c] = textWidth(n.Text, true)
	}
	for _, ls := range l.lines {
		for _, line := range ls {
			for c, s := range line {
				need[c] = max(need[c], textWidth(s, false))
				least[c] = max(least[c], wordWidth(s, false))
			}
		}
	}
	l.Widths = fitColumns(need, least, []bool{true, true, true}, l.width-4*theme.Padding())
	l.Header.Refresh()
	for i := range l.heads {
		l.SetItemHeight(i, l.blockHeight(i))
	}
}

// lineHeights are the heights of block i's head and lines.
func (l *changeList) lineHeights(i int) (head float32, lines []float32) {
	head = wrappedHeight(l.heads[i], max(1, l.width), true)
	for _, line := range l.lines[i] {
		h := lineHeight()
		for c, s := range line {
			if c < len(l.Widths) {
				h = max(h, wrappedHeight(s, l.Widths[c], false))
			}
		}
		lines = append(lines, h)
	}
	return head, lines
}

func (l *changeList) blockHeight(i int) float32 {
	head, lines := l.lineHeights(i)
	for _, h := range lines {
		head += h
	}
	return head
}

// columnsLayout places objects side by side at the widths given, padding
// before and between them, each as tall as the container.
type columnsLayout struct{ widths *[]float32 }

func (c *columnsLayout) Layout(objs []fyne.CanvasObject, s fyne.Size) {
	x := theme.Padding()
	for i, o := range objs {
		w := float32(0)
		if i < len(*c.widths) {
			w = (*c.widths)[i]
		}
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, s.Height))
		x += w + theme.Padding()
	}
}

func (c *columnsLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var h float32
	for i, o := range objs {
		if i < len(*c.widths) {
			h = max(h, wrappedHeight(o.(*widget.Label).Text, (*c.widths)[i], true))
		}
	}
	return fyne.NewSize(0, h)
}

// changeBlock is one change of a changeList.
type changeBlock struct {
	widget.BaseWidget
	list  *changeList
	index int
	head  *widget.Label
	cells []*widget.Label
	box   *fyne.Container
}

func newChangeBlock(l *changeList) *changeBlock {
	b := &changeBlock{list: l, head: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}
	b.head.Wrapping = fyne.TextWrapWord
	b.box = container.NewWithoutLayout(b.head)
	b.ExtendBaseWidget(b)
	return b
}

func (b *changeBlock) set(i int) {
	b.index = i
	b.head.SetText(b.list.heads[i])
	lines := b.list.lines[i]
	for len(b.cells) < 3*len(lines) {
		l := widget.NewLabel("")
		l.Wrapping = fyne.TextWrapWord
		b.cells = append(b.cells, l)
	}
	objs := []fyne.CanvasObject{b.head}
	for k, line := range lines {
		for c, s := range line {
			l := b.cells[3*k+c]
			l.SetText(s)
			objs = append(objs, l)
		}
	}
	b.box.Objects = objs
	b.layout(b.Size())
	b.box.Refresh()
}

// layout places the head across the block and the lines' cells in the
// list's columns.
func (b *changeBlock) layout(s fyne.Size) {
	if b.index >= len(b.list.heads) || len(b.list.Widths) < 3 || len(b.cells) < 3*len(b.list.lines[b.index]) {
		return // not fitted yet, or not set for its row yet
	}
	head, lines := b.list.lineHeights(b.index)
	b.head.Move(fyne.NewPos(0, 0))
	b.head.Resize(fyne.NewSize(s.Width, head))
	y := head
	for k, h := range lines {
		x := theme.Padding()
		for c := range 3 {
			w := b.list.Widths[c]
			l := b.cells[3*k+c]
			l.Move(fyne.NewPos(x, y))
			l.Resize(fyne.NewSize(w, h))
			x += w + theme.Padding()
		}
		y += h
	}
}

// CreateRenderer implements fyne.Widget.
func (b *changeBlock) CreateRenderer() fyne.WidgetRenderer { return &changeBlockRenderer{b} }

type changeBlockRenderer struct{ b *changeBlock }

func (r *changeBlockRenderer) Layout(s fyne.Size) {
	r.b.box.Resize(s)
	r.b.layout(s)
}

func (r *changeBlockRenderer) MinSize() fyne.Size { return fyne.NewSize(0, lineHeight()) }

func (r *changeBlockRenderer) Refresh() {
	r.b.layout(r.b.Size())
	r.b.box.Refresh()
}

func (r *changeBlockRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.b.box} }

func (r *changeBlockRenderer) Destroy() {}

// chartOver lays the chart over the balance table: as tall as it needs
// (chart), up to 45 % of the height (it then scrolls), the table under it.
type chartOver struct{ chart func() float32 }

func (c *chartOver) Layout(objs []fyne.CanvasObject, s fyne.Size) {
	h := min(c.chart(), 0.45*s.Height)
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(s.Width, h))
	objs[1].Move(fyne.NewPos(0, h+theme.Padding()))
	objs[1].Resize(fyne.NewSize(s.Width, max(0, s.Height-h-theme.Padding())))
}

func (c *chartOver) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(max(objs[0].MinSize().Width, objs[1].MinSize().Width), objs[0].MinSize().Height+objs[1].MinSize().Height)
}
