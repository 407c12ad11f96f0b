package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/diff"
	"quyhoach/gis/edit"
	"quyhoach/gis/scene"
	"quyhoach/gis/topo"
	"quyhoach/plan"
	"quyhoach/store"
)

// EditSource is what editing needs of the store besides what the window
// reads; *store.Store satisfies it. A source without it shows plans
// read-only.
type EditSource interface {
	plan.EditSource
	CreateDossier(ctx context.Context, d store.NewDossier) (int64, error)
}

// toolKind is what the pointer does on the map while editing.
type toolKind int

// The edit tools.
const (
	selectTool toolKind = iota // tap selects (Shift or Ctrl adds), right-click opens the lot's menu
	drawTool                   // taps place vertices of a new feature; double tap or Enter ends it
	vertexTool                 // drag a vertex (shared corners move in every lot), double tap a side adds one, Delete takes the chosen one out
	moveTool                   // drag moves the selected features
	splitTool                  // taps place a cut line; double tap or Enter cuts the lot it crosses
	sideTool                   // a tap on a side of the selected lot chooses it for the pending action
)

// sideAction is what a chosen side is for.
type sideAction int

const (
	equalParts sideAction = iota
	areaParts
	setbackLine
)

// editor is the officer's workbench: a draft dossier's proposal open for
// editing on the map, the edit toolbar, the attribute form, the undo
// history and the live feedback. Every gesture is saved as it is made (one
// edit of the dossier's undo history in the store); gestures run on the UI
// goroutine, one at a time, so the session is never shared.
type editor struct {
	w    *Window
	sess *plan.Session

	Tool    *editTool
	Sketch  *editSketch
	Bar     *fyne.Container // the edit tools, a strip down the map's left side
	Row     *fyne.Container // the layer edited and the typed input, over the map
	Strip   fyne.CanvasObject
	Form    *attrForm
	History *historyPanel
	Input   *typedInput // typed input: X Y, distance and bearing, a length
	Undo    *tip
	Redo    *tip
	Buttons map[toolKind]*tip
	// Layer is the layer the tools work on.
	Layer *widget.Select
	// Snap is the snapping tolerance in pixels (a setting).
	Snap float64

	tool     toolKind
	action   sideAction
	selected []string // ids in the tool layer
	result   *plan.Result
	// OnChange is called (UI goroutine) after each gesture, undo or redo,
	// with its result or error (tests).
	OnChange func(*plan.Result, error)
	// Ask submits the open one-value form with a value, Menu is the last
	// context menu (tests drive them as a user would).
	Ask  func(string)
	Menu *fyne.Menu
	// Offer, Create and CreateFields are the dialogs of starting a dossier
	// (kind, title, reason), when shown (tests).
	Offer        dialog.Dialog
	Create       *dialog.FormDialog
	CreateFields [3]fyne.CanvasObject
}

// Preference keys of editing: the snapping tolerance, and the dossier
// open for editing when the window closed (it opens so again).
const (
	prefSnap    = "edit.snapPixels"
	prefEditing = "edit.dossier"
)

func newEditor(w *Window) *editor {
	e := &editor{w: w, Buttons: map[toolKind]*tip{}}
	e.Snap = w.app.Preferences().FloatWithFallback(prefSnap, 10)
	e.Sketch = newEditSketch(w.Map)
	e.Tool = newEditTool(e)
	e.Form = newAttrForm(w.cat)
	e.Form.OnApply = e.setAttributes
	e.History = newHistoryPanel()
	e.Input = newTypedInput(e)
	e.Input.SetPlaceHolder(tr("X Y · distance bearing (25,37 123°45′) · length (F1)"))
	e.Input.OnSubmitted = func(s string) { e.typed(s) }
	e.Undo = newTip("", theme.ContentUndoIcon(), tr("Undo (Ctrl+Z)"), func() { e.undo(false) })
	e.Redo = newTip("", theme.ContentRedoIcon(), tr("Redo (Ctrl+Y, Ctrl+Shift+Z)"), func() { e.undo(true) })
	e.Undo.Right, e.Redo.Right = true, true
	e.Layer = newSelect(nil, func(string) { e.setSelection(nil); e.Tool.Cancel() })
	tool := func(k toolKind, icon fyne.Resource, text string) fyne.CanvasObject {
		b := newTip("", icon, text, func() { e.SetTool(k) })
		b.Right = true
		e.Buttons[k] = b
		return b
	}
	act := func(icon fyne.Resource, text string, fn func()) fyne.CanvasObject {
		b := newTip("", icon, text, fn)
		b.Right = true
		return b
	}
	e.Bar = container.NewVBox(
		tool(selectTool, theme.NavigateNextIcon(), tr("Select (S): tap a feature, Shift or Ctrl adds; right-click for its actions")),
		tool(drawTool, theme.ContentAddIcon(), tr("Draw (D): tap the vertices, double tap or Enter ends, Backspace takes the last back, Esc drops it; type X Y or distance and bearing below")),
		tool(vertexTool, theme.ViewRestoreIcon(), tr("Vertices (V): drag a vertex, double tap a side to add one, tap one then Delete to take it out")),
		tool(moveTool, theme.ViewFullScreenIcon(), tr("Move (M): drag the selected features")),
		tool(splitTool, theme.ContentCutIcon(), tr("Split (X): draw a line across the lot, double tap or Enter cuts")),
		act(theme.GridIcon(), tr("Split into equal parts: choose the side they keep frontage on"), func() { e.sideFor(equalParts) }),
		act(theme.ListIcon(), tr("Split by areas: choose the side they keep frontage on"), func() { e.sideFor(areaParts) }),
		act(theme.ContentRemoveIcon(), tr("Setback: choose the side, then the distance"), func() { e.sideFor(setbackLine) }),
		act(theme.ContentCopyIcon(), tr("Merge the selected lots (Ctrl+M)"), e.merge),
		act(theme.DeleteIcon(), tr("Delete the selected features (Delete)"), e.deleteSelected),
		act(theme.FileIcon(), tr("Draw a lot from a coordinate table (X, Y per line)"), e.tableDialog),
		e.Undo, e.Redo,
		act(theme.HelpIcon(), tr("Keyboard shortcuts (F1)"), e.help),
		act(theme.CancelIcon(), tr("Stop editing"), e.stop),
	)
	e.Bar.Hide()
	return e
}

// Editing tells whether a dossier is open for editing.
func (e *editor) Editing() bool { return e.sess != nil }

// Session is the open edit session, or nil.
func (e *editor) Session() *plan.Session { return e.sess }

// Start shows an opened session for editing (UI goroutine).
func (e *editor) Start(s *plan.Session) {
	e.sess = s
	e.selected = nil
	e.result = nil
	var names []string
	for _, l := range s.State.Layers {
		names = append(names, l.Name)
	}
	for _, n := range []string{gis.LandUseLayer, plan.SetbackLayer, plan.AdjustmentLayer} {
		if !contains(names, n) {
			names = append(names, n)
		}
	}
	e.Layer.Options = names
	e.Layer.SetSelected(gis.LandUseLayer)
	e.Bar.Show()
	if e.Row != nil {
		e.Row.Show()
		e.Strip.Show()
	}
	e.Tool.Show()
	e.SetTool(selectTool)
	e.refreshHistory()
	e.Form.SetFeatures(nil)
	e.Sketch.SetArea(s.AdjustedArea())
	// the editor's tabs come first, where a narrow panel still shows them
	e.w.Right.Items = append([]*container.TabItem{
		container.NewTabItem(tr("Attributes"), e.Form), container.NewTabItem(tr("Edit history"), e.History),
	}, e.w.Right.Items...)
	e.w.Right.Refresh()
	e.w.Right.SelectIndex(0)
	// what the dossier's changes already do, as after an edit
	if chk, err := s.CheckChanges(context.Background()); err == nil {
		e.result = &plan.Result{Check: chk}
		e.Sketch.SetFindings(chk.Findings)
		e.w.Findings.SetFindings(chk.Findings)
	}
	e.w.app.Preferences().SetInt(prefEditing, int(s.Dossier().ID))
	e.status()
	e.trace("start")
}

// stop leaves edit mode and shows the dossier against its base.
func (e *editor) stop() {
	if e.sess == nil {
		return
	}
	id := e.sess.Dossier().ID
	e.close()
	e.w.app.Preferences().SetInt(prefEditing, 0)
	e.w.CompareDossier(id)
}

// close drops the session and hides the tools.
func (e *editor) close() {
	e.sess = nil
	e.selected = nil
	e.Bar.Hide()
	if e.Row != nil {
		e.Row.Hide()
		e.Strip.Hide()
	}
	e.Tool.Hide()
	e.Tool.Cancel()
	e.Sketch.Clear()
	var keep []*container.TabItem
	for _, it := range e.w.Right.Items {
		if it.Content != e.Form && it.Content != e.History {
			keep = append(keep, it)
		}
	}
	if len(keep) != len(e.w.Right.Items) {
		e.w.Right.Items = keep
		e.w.Right.Refresh()
		e.w.Right.SelectIndex(0)
	}
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// toolNames name the tools in the status bar.
var toolNames = map[toolKind]string{
	selectTool: "Select", drawTool: "Draw", vertexTool: "Vertices", moveTool: "Move", splitTool: "Split", sideTool: "Choose a side",
}

// SetTool makes k the active tool.
func (e *editor) SetTool(k toolKind) {
	e.tool = k
	e.Tool.Cancel()
	for kind, b := range e.Buttons {
		if kind == k {
			b.Importance = widget.HighImportance
		} else {
			b.Importance = widget.MediumImportance
		}
		b.Refresh()
	}
	e.Sketch.SetHandles(nil)
	if k == vertexTool {
		e.showHandles()
	}
	e.status()
	e.Tool.focus()
}

// ActiveTool is the tool in use.
func (e *editor) ActiveTool() toolKind { return e.tool }

// layer is the layer the tools work on.
func (e *editor) layer() string {
	if e.Layer.Selected == "" {
		return gis.LandUseLayer
	}
	return e.Layer.Selected
}

// tolerance is the snapping tolerance in metres at the current scale.
func (e *editor) tolerance() float64 {
	_, res := e.w.Map.Center()
	return e.Snap * res
}

// pickTolerance is how near, in metres, the pointer takes a vertex, a side
// or a line: the snapping tolerance, at least 8 pixels.
func (e *editor) pickTolerance() float64 {
	_, res := e.w.Map.Center()
	return max(e.Snap, 8) * res
}

// snapLayers are the visible layers a pointer snaps to.
func (e *editor) snapLayers() []string {
	hidden := e.w.Map.Options().Hidden
	var out []string
	for _, l := range e.sess.State.Layers {
		if !hidden[l.Name] {
			out = append(out, l.Name)
		}
	}
	return out
}

// snap snaps a ground point as the settings say.
func (e *editor) snap(p orb.Point) edit.Snap {
	if e.sess == nil {
		return edit.Snap{Point: p}
	}
	return e.sess.Snap(p, e.tolerance(), e.snapLayers(), nil)
}

// isSelected tells whether feature id is selected.
func (e *editor) isSelected(id string) bool { return contains(e.selected, id) }

// Selected lists the selected features' ids.
func (e *editor) Selected() []string { return e.selected }

// setSelection selects features of the tool layer.
func (e *editor) setSelection(ids []string) {
	e.selected = ids
	if e.sess == nil {
		return
	}
	var fs []*gis.Feature
	var gs []orb.Geometry
	for _, id := range ids {
		if f, ok := e.sess.Feature(e.layer(), id); ok {
			fs = append(fs, f)
			gs = append(gs, f.Geometry)
		}
	}
	e.Sketch.SetSelected(gs)
	if e.layer() == gis.LandUseLayer {
		e.Form.SetFeatures(fs)
	} else {
		e.Form.SetFeatures(nil)
	}
	if e.tool == vertexTool {
		e.showHandles()
	}
	e.status()
	var codes []string
	for _, f := range fs {
		codes = append(codes, f.String("maDoiTuong"))
	}
	e.trace(fmt.Sprintf("selected n=%d codes=%s", len(fs), strings.Join(codes, ",")))
}

// pick selects the feature at p (add: to the selection, or out of it).
func (e *editor) pick(p orb.Point, add bool) {
	f, ok := e.sess.FeatureAt(e.layer(), p, e.pickTolerance())
	switch {
	case !ok && !add:
		e.setSelection(nil)
	case !ok:
	case add && contains(e.selected, f.ID):
		var keep []string
		for _, id := range e.selected {
			if id != f.ID {
				keep = append(keep, id)
			}
		}
		e.setSelection(keep)
	case add:
		e.setSelection(append(append([]string(nil), e.selected...), f.ID))
	default:
		e.setSelection([]string{f.ID})
	}
}

// showHandles shows the vertices of the selected features.
func (e *editor) showHandles() {
	var pts []orb.Point
	for _, id := range e.selected {
		if f, ok := e.sess.Feature(e.layer(), id); ok {
			for path := range gis.Paths(f.Geometry) {
				n := len(path.Points)
				if path.Kind.Closed() && n > 1 {
					n--
				}
				pts = append(pts, path.Points[:n]...)
			}
		}
	}
	e.Sketch.SetHandles(pts)
}

// run makes one gesture (UI goroutine) and shows what it did; false when
// it was not made (refused, or waiting for the officer's answer).
func (e *editor) run(gesture func(context.Context) (*plan.Result, error)) bool {
	if e.sess == nil {
		return false
	}
	res, err := gesture(context.Background())
	var out *plan.OutsideAdjustedError
	if errors.As(err, &out) {
		e.Offer = dialog.NewCustomConfirm(tr("Outside the adjusted area"), tr("Extend the area"), tr("Cancel"),
			widget.NewLabel(tr("This edit reaches outside the dossier's adjusted area. Extend the area to include it?")),
			func(ok bool) {
				if ok {
					e.sess.ExtendNext()
					e.run(gesture)
				}
			}, e.w.Window)
		showDialog(e.Offer, e.w.Window)
		return true // asked; the draft is not needed again
	}
	e.show(res, err)
	return err == nil
}

// show puts a gesture's, an undo's or a redo's result on the map and in the
// panels.
func (e *editor) show(res *plan.Result, err error) {
	if err != nil {
		e.w.Status.Idle(tr("Not done: {{.Err}}", map[string]any{"Err": gis.OneLine(err.Error())}))
		if e.OnChange != nil {
			e.OnChange(nil, err)
		}
		return
	}
	e.result = res
	var ups []scene.Update
	for _, c := range res.Changed {
		u := scene.Update{Layer: c.Layer, ID: c.ID}
		if c.Feature != nil {
			f := *c.Feature // the scene gets its own copy: the session's slots change
			u.Feature = &f
		}
		ups = append(ups, u)
	}
	w := e.w
	next := w.shown.plan.With(ups, w.cat, Lang())
	w.shown.plan = next
	w.shown.state = e.sess.Snapshot()
	w.Map.SetScene(next, false)
	w.Layers.SetScene(w.shown.state.Plan.Code, next)
	w.applyLayerPrefs()
	w.Search.SetScene(next)
	w.Legend.SetScene(next, false)
	// the selection follows the gesture: what it added, else what is left
	sel := res.Added
	if len(sel) == 0 {
		for _, id := range e.selected {
			if _, ok := e.sess.Feature(e.layer(), id); ok {
				sel = append(sel, id)
			}
		}
	}
	e.setSelection(sel)
	e.Sketch.SetArea(e.sess.AdjustedArea())
	e.Sketch.SetFindings(res.Check.Findings)
	w.Findings.SetFindings(res.Check.Findings)
	e.refreshHistory()
	e.status()
	e.trace(fmt.Sprintf("done changes=%d errors=%d", len(res.Changed), len(res.Check.Errors())))
	if e.OnChange != nil {
		e.OnChange(res, nil)
	}
}

// trace tells Options.OnTrace (the script .ci/window-edit) what editing
// shows: the map's view (centre E, N and metres per unit, so that ground
// points can be placed on the screen) and where the tools and the form's
// fields are.
func (e *editor) trace(event string) {
	if e.w.opts.OnTrace == nil {
		return
	}
	controls := map[string]fyne.CanvasObject{"map": e.w.Map, "input": e.Input, "apply": e.Form.Apply, "undo": e.Undo, "redo": e.Redo}
	for k, b := range e.Buttons {
		controls["tool-"+strings.ToLower(toolNames[k])] = b
	}
	for name, en := range e.Form.Entries {
		controls["field-"+name] = en
	}
	id := e.sess.Dossier().ID
	e.w.traceWith(func() string {
		c, res := e.w.Map.Center()
		return fmt.Sprintf("edit %s dossier=%d view=%.4f,%.4f,%.6f", event, id, c[0], c[1], res)
	}, controls)
}

// status writes the status line and enables undo and redo.
func (e *editor) status() {
	if e.sess == nil {
		return
	}
	e.w.Status.Idle(e.statusLine())
	e.Undo.Disable()
	e.Redo.Disable()
	if e.sess.CanUndo() {
		e.Undo.Enable()
	}
	if e.sess.CanRedo() {
		e.Redo.Enable()
	}
}

// statusLine is the dossier, the tool, the selection's official area, the
// balance change of the dossier and the findings of the last edit.
func (e *editor) statusLine() string {
	d := e.sess.Dossier()
	parts := []string{tr("Editing dossier {{.ID}}", map[string]any{"ID": d.ID}), tr(toolNames[e.tool])}
	area := 0.0
	for _, id := range e.selected {
		if f, ok := e.sess.Feature(e.layer(), id); ok {
			area += gis.Area(f.Geometry)
		}
	}
	if area > 0 {
		parts = append(parts, tr("area {{.A}} m²", map[string]any{"A": num(area, 2)}))
	}
	if b := balanceText(e.sess.Balance()); b != "" {
		parts = append(parts, b)
	}
	if r := e.result; r != nil {
		ne, nw := len(r.Check.Errors()), len(r.Check.Warnings())
		parts = append(parts, tr("{{.E}} errors, {{.W}} warnings introduced", map[string]any{"E": ne, "W": nw}))
	}
	return strings.Join(parts, " · ")
}

// balanceText writes the change of the land-use balance: "DV +0,36 ha,
// CX −0,36 ha"; "" when nothing changed.
func balanceText(b diff.Balance) string {
	var out []string
	for _, r := range b.Rows {
		code := r.Code
		if code == "" {
			code = tr("no class")
		}
		if r.ChangeHa > 0.00005 {
			out = append(out, fmt.Sprintf("%s +%s ha", code, num(r.ChangeHa, 2)))
		} else if r.ChangeHa < -0.00005 {
			out = append(out, fmt.Sprintf("%s −%s ha", code, num(-r.ChangeHa, 2)))
		}
	}
	return strings.Join(out, ", ")
}

// undo takes back the last edit, or (redo) does the undone one again.
func (e *editor) undo(redo bool) {
	if e.sess == nil {
		return
	}
	e.Tool.Cancel()
	var res *plan.Result
	var err error
	if redo {
		res, err = e.sess.Redo(context.Background())
	} else {
		res, err = e.sess.Undo(context.Background())
	}
	if errors.Is(err, store.ErrNothingToUndo) || errors.Is(err, store.ErrNothingToRedo) {
		e.status()
		return
	}
	e.show(res, err)
}

func (e *editor) refreshHistory() {
	edits, err := e.sess.History(context.Background())
	if err == nil {
		e.History.SetEdits(edits)
	}
}

// setAttributes sets form fields on the selected lots: one edit.
func (e *editor) setAttributes(values map[string]any) {
	ids := e.selected
	if len(ids) == 0 || len(values) == 0 {
		return
	}
	e.run(func(ctx context.Context) (*plan.Result, error) {
		return e.sess.SetAttributes(ctx, e.layer(), ids, values)
	})
}

// finishDraw adds the feature drawn; false when it was refused.
func (e *editor) finishDraw(pts []orb.Point) bool {
	layer := e.layer()
	var g orb.Geometry
	switch gis.KindOfName(layer) {
	case gis.LineKind:
		if len(pts) < 2 {
			return false
		}
		g = orb.LineString(pts)
	case gis.PointKind:
		if len(pts) < 1 {
			return false
		}
		g = pts[len(pts)-1]
	default:
		if len(pts) < 3 {
			return false
		}
		g = orb.Polygon{append(append(orb.Ring(nil), pts...), pts[0])}
	}
	ok := e.run(func(ctx context.Context) (*plan.Result, error) {
		props := map[string]any{}
		if layer == gis.LandUseLayer && len(e.selected) == 1 {
			// a new lot takes the class of the lot selected: the usual next one
			if f, ok := e.sess.Feature(layer, e.selected[0]); ok {
				if c := f.String("phanLoai"); c != "" {
					props["phanLoai"] = c
				}
			}
		}
		return e.sess.AddFeature(ctx, layer, g, props)
	})
	if ok {
		e.Right(0)
	}
	return ok
}

// Right shows a tab of the editor in the right panel (0: attributes, 1:
// history), when editing.
func (e *editor) Right(i int) {
	selectPage(e.w.Right, []fyne.CanvasObject{e.Form, e.History}[i])
}

// finishSplit cuts the lot the line crosses; false when it was refused.
func (e *editor) finishSplit(line orb.LineString) bool {
	if len(line) < 2 {
		return false
	}
	// the lot the cut crosses at its middle, else the one selected
	id := ""
	mid := orb.Point{(line[0][0] + line[len(line)-1][0]) / 2, (line[0][1] + line[len(line)-1][1]) / 2}
	if f, ok := e.sess.FeatureAt(gis.LandUseLayer, mid, 0); ok {
		id = f.ID
	} else if len(e.selected) == 1 {
		id = e.selected[0]
	}
	if id == "" {
		e.w.Status.Idle(tr("Not done: {{.Err}}", map[string]any{"Err": tr("select the lot to split, or cut across its middle")}))
		return false
	}
	return e.run(func(ctx context.Context) (*plan.Result, error) { return e.sess.Split(ctx, id, line) })
}

// sideFor asks for a side of the selected lot for an action.
func (e *editor) sideFor(a sideAction) {
	if len(e.selected) != 1 || e.layer() != gis.LandUseLayer {
		e.w.Status.Idle(tr("Not done: {{.Err}}", map[string]any{"Err": tr("select one lot first")}))
		return
	}
	e.action = a
	e.SetTool(sideTool)
}

// sideChosen runs the pending action on side of the selected lot.
func (e *editor) sideChosen(side int) {
	id := e.selected[0]
	switch e.action {
	case equalParts:
		e.askText(tr("Split into equal parts"), tr("Number of parts"), "2", func(s string) {
			n, err := edit.Number(s)
			if err != nil || n < 2 || n != float64(int(n)) {
				e.show(nil, fmt.Errorf("%s", tr("the number of parts is a whole number, 2 or more")))
				return
			}
			e.run(func(ctx context.Context) (*plan.Result, error) { return e.sess.SplitEqual(ctx, id, side, int(n)) })
		})
	case areaParts:
		e.askText(tr("Split by areas"), tr("Areas of the parts in m², in order along the side (the last may be left out: the rest)"), "", func(s string) {
			var areas []float64
			for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ' ' || r == '\t' || r == '\n' }) {
				a, err := edit.Number(f)
				if err != nil {
					e.show(nil, err)
					return
				}
				areas = append(areas, a)
			}
			f, _ := e.sess.Feature(gis.LandUseLayer, id)
			sum := 0.0
			for _, a := range areas {
				sum += a
			}
			if total := gis.Area(f.Geometry); sum < total-topo.AreaTolerance {
				areas = append(areas, 0) // the rest
			}
			e.run(func(ctx context.Context) (*plan.Result, error) { return e.sess.SplitAreas(ctx, id, side, areas) })
		})
	case setbackLine:
		e.askText(tr("Setback"), tr("Distance inside the side, in metres"), "6", func(s string) {
			d, err := edit.Number(s)
			if err != nil {
				e.show(nil, err)
				return
			}
			e.run(func(ctx context.Context) (*plan.Result, error) { return e.sess.Setback(ctx, id, side, d) })
		})
	}
	e.SetTool(selectTool)
}

// askText asks for one value in a small form.
func (e *editor) askText(title, label, value string, done func(string)) {
	in := newEntry()
	in.SetText(value)
	d := dialog.NewForm(title, tr("OK"), tr("Cancel"), []*widget.FormItem{widget.NewFormItem(label, in)}, func(ok bool) {
		if ok {
			done(in.Text)
		}
	}, e.w.Window)
	in.OnSubmitted = func(string) { d.Submit() }
	d.Resize(fyne.NewSize(480, 160))
	showDialog(d, e.w.Window)
	e.w.Canvas().Focus(in)
	e.Ask = func(s string) { in.SetText(s); d.Submit() }
}

func (e *editor) merge() {
	ids := append([]string(nil), e.selected...)
	e.run(func(ctx context.Context) (*plan.Result, error) { return e.sess.Merge(ctx, ids) })
}

func (e *editor) deleteSelected() {
	ids := append([]string(nil), e.selected...)
	if len(ids) == 0 {
		return
	}
	layer := e.layer()
	e.run(func(ctx context.Context) (*plan.Result, error) { return e.sess.Delete(ctx, layer, ids) })
}

// typedInput is the entry of typed positions. Empty, it takes the drawing
// keys as the map would: Enter ends the feature, Backspace takes the last
// vertex back, Esc drops the draft.
type typedInput struct {
	widget.Entry
	e *editor
}

func newTypedInput(e *editor) *typedInput {
	in := &typedInput{e: e}
	in.ExtendBaseWidget(in)
	return in
}

// TypedKey implements fyne.Focusable.
func (in *typedInput) TypedKey(k *fyne.KeyEvent) {
	if keyBehindDialog(in, k) {
		return
	}
	t := in.e.Tool
	switch {
	case k.Name == fyne.KeyEscape:
		in.SetText("")
		t.Cancel()
		t.focus()
	case in.Text != "":
		in.Entry.TypedKey(k)
	case k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter:
		t.finish()
	case k.Name == fyne.KeyBackspace:
		t.TypedKey(k)
	default:
		in.Entry.TypedKey(k)
	}
}

// typed reads the typed-input entry while drawing or cutting: "X Y" (VN-2000,
// north first), "distance bearing" from the last vertex (grid metres and
// grid bearing, 12°34'56" or 12.5824), or a length along the previous side.
func (e *editor) typed(s string) {
	p, err := e.Tool.typedPoint(s)
	if err != nil {
		e.show(nil, err)
		return
	}
	e.Tool.addVertex(p)
	e.Input.SetText("")
}

// tableDialog draws a lot from a coordinate table pasted in or read from a
// CSV file.
func (e *editor) tableDialog() {
	in := newMultiLineEntry()
	in.SetPlaceHolder("X;Y\n2430566,951;444122,778\n…")
	if Lang() == "en" {
		in.SetPlaceHolder("X,Y\n2430566.951,444122.778\n…")
	}
	in.SetMinRowsVisible(10)
	var d dialog.Dialog
	open := widget.NewButtonWithIcon(tr("Read a CSV file…"), theme.FolderOpenIcon(), func() {
		showFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil || r == nil {
				return
			}
			defer r.Close()
			var b strings.Builder
			buf := make([]byte, 64<<10)
			for b.Len() < 1<<20 {
				n, err := r.Read(buf)
				b.Write(buf[:n])
				if err != nil {
					break
				}
			}
			in.SetText(b.String())
		}, e.w.Window)
	})
	d = dialog.NewCustomConfirm(tr("Draw a lot from a coordinate table"), tr("Draw"), tr("Cancel"),
		container.NewBorder(widget.NewLabel(tr("One corner per line: X (north), Y (east); a point number first and a header line are allowed.")), open, nil, nil, in),
		func(ok bool) {
			if ok {
				e.drawTable(in.Text)
			}
		}, e.w.Window)
	d.Resize(fyne.NewSize(560, 420))
	showDialog(d, e.w.Window)
}

// drawTable draws the lot a coordinate table gives.
func (e *editor) drawTable(text string) {
	pts, err := edit.ParseTable(text)
	if err != nil {
		e.show(nil, err)
		return
	}
	e.finishDraw(pts)
}

// help lists the keyboard shortcuts.
func (e *editor) help() {
	rows := [][2]string{
		{"S", tr("Select")}, {"D", tr("Draw")}, {"V", tr("Vertices")}, {"M", tr("Move")}, {"X", tr("Split")},
		{tr("Enter / double tap"), tr("End the feature or the cut")}, {"Backspace", tr("Take the last vertex back")},
		{"Esc", tr("Drop what is being drawn")}, {"Delete", tr("Delete the selected features (or the chosen vertex)")},
		{"Ctrl+Z", tr("Undo")}, {"Ctrl+Y, Ctrl+Shift+Z", tr("Redo")}, {"Ctrl+M", tr("Merge the selected lots")},
		{tr("Shift / Ctrl + tap"), tr("Add to the selection")}, {tr("Right-click"), tr("The lot's actions")},
		{tr("Arrows, + −, wheel"), tr("Pan and zoom")}, {"F1", tr("This help")},
		{tr("Type: 2430566,95 444122,78"), tr("a vertex at VN-2000 X (north), Y (east)")},
		{tr("Type: 25,37 123°45′06″"), tr("a vertex 25,37 m from the last on grid bearing 123°45′06″ (also 123.7517 or 123 45 06)")},
		{tr("Type: 12,5"), tr("a vertex 12,5 m on, continuing the previous side")},
	}
	var items []fyne.CanvasObject
	for _, r := range rows {
		k := widget.NewLabelWithStyle(r[0], fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		items = append(items, k, widget.NewLabel(r[1]))
	}
	dialog.ShowCustom(tr("Keyboard shortcuts"), tr("Close"), container.NewGridWithColumns(2, items...), e.w.Window)
}

// contextMenu opens the actions of the lot at p at pos on the window.
func (e *editor) contextMenu(p orb.Point, pos fyne.Position) {
	f, ok := e.sess.FeatureAt(e.layer(), p, e.pickTolerance())
	if !ok {
		return
	}
	if !contains(e.selected, f.ID) {
		e.setSelection([]string{f.ID})
	}
	items := []*fyne.MenuItem{
		fyne.NewMenuItem(tr("Attributes…"), func() { e.Right(0) }),
		fyne.NewMenuItem(tr("Move vertices"), func() { e.SetTool(vertexTool) }),
		fyne.NewMenuItem(tr("Move"), func() { e.SetTool(moveTool) }),
	}
	if e.layer() == gis.LandUseLayer {
		items = append(items,
			fyne.NewMenuItem(tr("Split by a line"), func() { e.SetTool(splitTool) }),
			fyne.NewMenuItem(tr("Split into equal parts…"), func() { e.sideFor(equalParts) }),
			fyne.NewMenuItem(tr("Split by areas…"), func() { e.sideFor(areaParts) }),
			fyne.NewMenuItem(tr("Setback…"), func() { e.sideFor(setbackLine) }),
		)
		if len(e.selected) > 1 {
			items = append(items, fyne.NewMenuItem(tr("Merge the selected lots"), e.merge))
		}
	}
	items = append(items, fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem(tr("Delete"), e.deleteSelected),
		fyne.NewMenuItem(tr("Zoom to"), func() { e.w.Map.ZoomTo(f.Geometry.Bound().Pad(10)) }))
	e.Menu = fyne.NewMenu("", items...)
	widget.ShowPopUpMenuAtPosition(e.Menu, e.w.Canvas(), pos)
}

// editShortcuts registers the editing shortcuts on the window's canvas,
// once: they act on the editor of the moment (a rebuild makes a new one).
func (w *Window) editShortcuts() {
	on := func(s fyne.Shortcut, fn func(e *editor)) {
		w.Canvas().AddShortcut(s, func(fyne.Shortcut) {
			if e := w.Editor; e != nil && e.sess != nil {
				fn(e)
			}
		})
	}
	// the driver turns Ctrl+Z and Ctrl+Y into Fyne's undo and redo (a
	// focused entry takes them for its text); Ctrl+Shift+Z is ours
	on(&fyne.ShortcutUndo{}, func(e *editor) { e.undo(false) })
	on(&fyne.ShortcutRedo{}, func(e *editor) { e.undo(true) })
	on(&desktop.CustomShortcut{KeyName: fyne.KeyZ, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}, func(e *editor) { e.undo(true) })
	on(&desktop.CustomShortcut{KeyName: fyne.KeyM, Modifier: fyne.KeyModifierShortcutDefault}, func(e *editor) { e.merge() })
	// keys typed with nothing focused (the window just opened, a panel
	// clicked) reach the tools as if the map had them: F1, the tool
	// letters, Esc, Enter; Esc first closes a dialog that is up
	w.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape && dismissTopDialog(w.Canvas()) {
			return
		}
		if e := w.Editor; e != nil && e.sess != nil {
			e.Tool.TypedKey(k)
		}
	})
	w.Canvas().SetOnTypedRune(func(r rune) {
		if e := w.Editor; e != nil && e.sess != nil {
			e.Tool.TypedRune(r)
		}
	})
}
