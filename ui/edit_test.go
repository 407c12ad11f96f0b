package ui

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"

	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/gis/edit"
	"quyhoach/gis/topo"
	"quyhoach/plan"
	"quyhoach/store"
)

// gridO is the south-west corner of the edit fixture (EPSG:9215).
var gridO = orb.Point{444000, 2430000}

// editFixture is a store with plan "p": 4×4 lots of 20 m (L<i>-<j>, class
// ONM) tiling a boundary; version 1 approved, and a local draft dossier.
func editFixture(t *testing.T) (*store.Store, int64) {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "e.db"), store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx := context.Background()
	if err := st.CreatePlan(ctx, store.Plan{Code: "p", Name: "Thử", Level: "detailed", Scale: 500}); err != nil {
		t.Fatal(err)
	}
	inv, _ := crs.New(crs.TM3LangSon, crs.WGS84)
	var lots []gis.Feature
	for i := range 4 {
		for j := range 4 {
			x, y := gridO[0]+float64(i)*20, gridO[1]+float64(j)*20
			g := orb.Polygon{{{x, y}, {x + 20, y}, {x + 20, y + 20}, {x, y + 20}, {x, y}}}
			lots = append(lots, gis.Feature{Geometry: project.Geometry(g, inv), Properties: map[string]any{
				"maDoiTuong": fmt.Sprintf("L%d-%d", i, j), "phanLoai": "ONM"}})
		}
	}
	bd := orb.Polygon{{gridO, {gridO[0] + 80, gridO[1]}, {gridO[0] + 80, gridO[1] + 80}, {gridO[0], gridO[1] + 80}, gridO}}
	if _, err := st.Import(ctx, store.ImportRequest{Plan: "p", Key: "maDoiTuong", Layers: []gis.Layer{
		{Name: gis.LandUseLayer, Features: lots},
		{Name: gis.BoundaryLayer, Features: []gis.Feature{{Geometry: project.Geometry(bd, inv), Properties: map[string]any{"maDoiTuong": "RG"}}}},
	}}); err != nil {
		t.Fatal(err)
	}
	d, err := st.CreateDossier(ctx, store.NewDossier{Plan: "p", Kind: store.Overall, Title: "Điều chỉnh thử"})
	if err != nil {
		t.Fatal(err)
	}
	return st, d
}

// editing opens the fixture's dossier for editing in a window.
func editing(t *testing.T) (*Window, *store.Store, int64) {
	t.Helper()
	st, d := editFixture(t)
	w := newWindow(t, st)
	w.Edit(d)
	if !w.Editor.Editing() {
		t.Fatalf("the dossier did not open for editing: %q", w.Status.Text.Text)
	}
	w.Map.ZoomTo(orb.Bound{Min: gridO, Max: orb.Point{gridO[0] + 80, gridO[1] + 80}}.Pad(5))
	return w, st, d
}

// at is where a grid point (i, j) of the fixture lies on the map (the
// stored lots are about a millimetre off the drawn grid: vertex finds them).
func at(w *Window, p orb.Point) fyne.Position { return w.Map.PositionOf(p) }

func gridPt(i, j float64) orb.Point { return orb.Point{gridO[0] + 20*i, gridO[1] + 20*j} }

// vertexOf is the session's vertex near grid point (i, j).
func vertexOf(t *testing.T, w *Window, i, j float64) orb.Point {
	t.Helper()
	_, _, p, ok := w.Editor.Session().VertexNear(gis.LandUseLayer, gridPt(i, j), 0.01)
	if !ok {
		t.Fatalf("no vertex at (%v, %v)", i, j)
	}
	return p
}

func lotID(t *testing.T, w *Window, code string) string {
	t.Helper()
	for _, f := range w.Editor.Session().State.Lots() {
		if f.String("maDoiTuong") == code {
			return f.ID
		}
	}
	t.Fatalf("no lot %s", code)
	return ""
}

// changeSet is the dossier's change set as the store shows it.
func changeSet(t *testing.T, st *store.Store, d int64) string {
	t.Helper()
	dd, err := st.Dossier(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	type entry struct {
		ID, Layer, Op string
		Parents       []string
		Feature       *gis.Feature
	}
	var out []entry
	for _, c := range dd.Changes {
		out = append(out, entry{c.FeatureID, c.Layer, c.Op, c.Parents, c.Feature})
	}
	b, _ := json.Marshal(out)
	return string(b)
}

// lastResult records the editor's results.
func lastResult(w *Window) func() (*plan.Result, error) {
	var res *plan.Result
	var err error
	w.Editor.OnChange = func(r *plan.Result, e error) { res, err = r, e }
	return func() (*plan.Result, error) { return res, err }
}

func tapAt(w *Window, p orb.Point) { test.TapAt(w.Editor.Tool, at(w, p)) }

func TestEditDrawLotByTapsAndTypedInput(t *testing.T) {
	w, st, d := editing(t)
	last := lastResult(w)
	last2 := last
	ed := w.Editor
	ed.Layer.SetSelected(gis.LandUseLayer)
	ed.SetTool(drawTool)
	// a lot north of the plan's top-left lots: three taps, a typed side
	a, b := gridPt(0.25, 4.5), gridPt(1.5, 4.5)
	tapAt(w, a)
	tapAt(w, b)
	clicked := append([]orb.Point(nil), ed.Tool.Draft()...)
	if len(clicked) != 2 || math.Hypot(clicked[0][0]-a[0], clicked[0][1]-a[1]) > 0.05 {
		t.Fatalf("draft %v", clicked)
	}
	// 10 m on grid bearing 0°00'00" from the last vertex, then a length of
	// 25 m typed as continuing… no: closing by Enter after a last X Y
	ed.Input.SetText(`10 0°00'00"`)
	ed.Input.OnSubmitted(ed.Input.Text)
	typed := edit.Polar(clicked[1], 10, 0)
	xy := fmt.Sprintf("%.4f %.4f", clicked[0][1]+10, clicked[0][0])
	ed.Input.SetText(xy)
	ed.Input.OnSubmitted(ed.Input.Text)
	if n := len(ed.Tool.Draft()); n != 4 {
		t.Fatalf("typed vertices not placed: %v", ed.Tool.Draft())
	}
	ed.Tool.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	res, err := last()
	if err != nil || len(res.Added) != 1 {
		t.Fatalf("draw: %v %v", res, err)
	}
	// in the store: the clicked and typed vertices, relative to the first, within 1 mm
	s2, err := plan.OpenSession(context.Background(), st, w.cat, d)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := s2.Feature(gis.LandUseLayer, res.Added[0])
	ring := f.Geometry.(orb.Polygon)[0]
	want := []orb.Point{clicked[0], clicked[1], typed, {clicked[0][0], clicked[0][1] + 10}}
	o := ring[0]
	for _, p := range want {
		found := false
		for _, q := range ring {
			if math.Hypot((q[0]-o[0])-(p[0]-want[0][0]), (q[1]-o[1])-(p[1]-want[0][1])) < 0.001 {
				found = true
			}
		}
		if !found {
			t.Errorf("vertex %v not stored (relative, within 1 mm): %v", p, ring)
		}
	}
	if math.Abs(gis.Area(f.Geometry)-gis.Area(orb.Polygon{append(append(orb.Ring(nil), want...), want[0])})) > 0.01 {
		t.Errorf("area %v", gis.Area(f.Geometry))
	}
	// Escape drops a lot being drawn; Backspace takes a vertex back
	tapAt(w, a)
	tapAt(w, b)
	ed.Tool.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
	if len(ed.Tool.Draft()) != 1 {
		t.Errorf("Backspace: %v", ed.Tool.Draft())
	}
	ed.Tool.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if len(ed.Tool.Draft()) != 0 {
		t.Error("Escape kept the draft")
	}
	// two quick clicks far apart are two vertices, not the end of the lot
	// (Fyne tells only the second, as a double tap)
	p1, p2 := at(w, a), at(w, b)
	ed.Tool.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: p1}})
	ed.Tool.Tapped(&fyne.PointEvent{Position: p1})
	ed.Tool.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: p1.AddXY(40, 0)}})
	ed.Tool.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: p2}})
	ed.Tool.DoubleTapped(&fyne.PointEvent{Position: p2})
	if n := len(ed.Tool.Draft()); n != 3 {
		t.Errorf("fast clicks: draft of %d vertices, want 3 and still drawing", n)
	}
	ed.Tool.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	// "distance bearing" without units, after one vertex; "100 45" is no X Y
	tapAt(w, a)
	first := ed.Tool.Draft()[0]
	for _, c := range []struct {
		in   string
		d, b float64
	}{{"20 90", 20, 90}, {"100 45", 100, 45}, {"12,5 0 30 00", 12.5, 0.5}} {
		last := ed.Tool.Draft()[len(ed.Tool.Draft())-1]
		ed.Input.SetText(c.in)
		ed.Input.OnSubmitted(c.in)
		got := ed.Tool.Draft()[len(ed.Tool.Draft())-1]
		if want := edit.Polar(last, c.d, c.b); math.Hypot(got[0]-want[0], got[1]-want[1]) > 1e-6 {
			t.Errorf("%q: vertex %v, want %v", c.in, got, want)
		}
	}
	// a double tap on the last vertex ends the lot without a duplicate
	n := len(ed.Tool.Draft())
	lastV := ed.Tool.Draft()[n-1]
	ed.Tool.DoubleTapped(&fyne.PointEvent{Position: at(w, orb.Point{lastV[0] + 0.05, lastV[1]})})
	if len(ed.Tool.Draft()) != 0 {
		t.Errorf("the double tap did not end the lot: %v (%q)", ed.Tool.Draft(), w.Status.Text.Text)
	}
	if r, err := last2(); err != nil || len(r.Added) != 1 {
		t.Errorf("double tap: %v %v", r, err)
	} else if f, _ := ed.Session().Feature(gis.LandUseLayer, r.Added[0]); len(f.Geometry.(orb.Polygon)[0]) != n+1 {
		t.Errorf("the lot has %d positions, want %d: %v", len(f.Geometry.(orb.Polygon)[0]), n+1, first)
	}
	// Enter in the empty typed-input field ends a lot too; Esc there drops it
	tapAt(w, gridPt(0.3, 4.6))
	ed.Input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if len(ed.Tool.Draft()) != 0 {
		t.Error("Esc in the typed input kept the draft")
	}
	// a tool button says what it does when the pointer rests on it
	tb := ed.Buttons[splitTool]
	tb.MouseIn(&desktop.MouseEvent{})
	pump(t, "tooltip", func() bool { return tb.Shown() != "" })
	tb.MouseOut()
	if tb.Shown() != "" {
		t.Error("the tooltip stays after the pointer left")
	}
}

func TestEditSnapsToNeighbourVertex(t *testing.T) {
	w, st, d := editing(t)
	last := lastResult(w)
	ed := w.Editor
	// L1-3 and L2-3 go; a lot drawn in their place snaps onto the corners around
	ed.setSelection([]string{lotID(t, w, "L1-3"), lotID(t, w, "L2-3")})
	ed.Tool.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDelete})
	if _, err := last(); err != nil {
		t.Fatal(err)
	}
	ed.SetTool(drawTool)
	_, res := w.Map.Center()
	off := 3 * res // 3 px off each corner: within the 10 px tolerance
	for _, c := range [][2]float64{{1, 3}, {3, 3}, {3, 4}, {1, 4}} {
		v := vertexOf(t, w, c[0], c[1])
		tapAt(w, orb.Point{v[0] + off, v[1] - off})
	}
	for i, c := range [][2]float64{{1, 3}, {3, 3}, {3, 4}, {1, 4}} {
		if ed.Tool.Draft()[i] != vertexOf(t, w, c[0], c[1]) {
			t.Fatalf("vertex %d not snapped: %v", i, ed.Tool.Draft()[i])
		}
	}
	ed.Tool.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEnter})
	r, err := last()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range r.Check.Introduced {
		if f.Kind != topo.KindClass { // it has no class yet: the form asks for one
			t.Errorf("the lot drawn in the gap introduced %v", f)
		}
	}
	raw, err := st.ProposalFeatures(context.Background(), d, []string{r.Added[0], lotID(t, w, "L1-2")})
	if err != nil {
		t.Fatal(err)
	}
	mine, theirs := raw[0].Feature.Geometry.(orb.Polygon)[0], raw[1].Feature.Geometry.(orb.Polygon)[0]
	shared := 0
	for _, q := range mine[:len(mine)-1] {
		for _, p := range theirs[:len(theirs)-1] {
			if p == q {
				shared++
			}
		}
	}
	if shared != 2 {
		t.Errorf("%d corners stored exactly as L1-2's, want 2", shared)
	}
}

func TestEditMoveSharedVertexByDrag(t *testing.T) {
	w, st, d := editing(t)
	last := lastResult(w)
	ed := w.Editor
	ed.SetTool(vertexTool)
	tapAt(w, gridPt(1.5, 1.5)) // selects L1-1
	if len(ed.Selected()) != 1 || len(ed.Sketch.handles) != 4 {
		t.Fatalf("selection %v, handles %d", ed.Selected(), len(ed.Sketch.handles))
	}
	from := vertexOf(t, w, 2, 2)
	to := orb.Point{from[0] + 3, from[1] - 2}
	p0, p1 := at(w, from), at(w, to)
	ed.Tool.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: p0.AddXY(1, 0)}, Dragged: fyne.Delta{DX: 1}})
	ed.Tool.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: p1}, Dragged: fyne.Delta{DX: p1.X - p0.X - 1, DY: p1.Y - p0.Y}})
	if n := len(ed.Sketch.Preview()); n != 4 {
		t.Fatalf("the drag shows %d lots, want the 4 sharing the corner", n)
	}
	ed.Tool.DragEnd()
	r, err := last()
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Check.Introduced) != 0 {
		t.Errorf("moving a shared corner introduced %v", r.Check.Introduced)
	}
	moved := ed.Session()
	got := 0
	for _, code := range []string{"L1-1", "L2-1", "L1-2", "L2-2"} {
		f, _ := moved.Feature(gis.LandUseLayer, lotID(t, w, code))
		if len(edit.VerticesAt(f.Geometry, w.Map.PointAt(p1), 0.01)) == 1 {
			got++
		}
	}
	if got != 4 {
		t.Errorf("%d of the 4 lots have the moved corner", got)
	}
	if c, err := st.CheckProposal(context.Background(), d); err != nil || len(c.Introduced) != 0 {
		t.Errorf("store check: %v %v", c.Introduced, err)
	}
}

func TestEditSplitMergeAndSideTools(t *testing.T) {
	w, st, d := editing(t)
	last := lastResult(w)
	ed := w.Editor
	// split L1-1 by a line drawn across it
	ed.SetTool(selectTool)
	tapAt(w, gridPt(1.5, 1.5))
	parent := ed.Selected()[0]
	ed.SetTool(splitTool)
	tapAt(w, gridPt(1.4, 0.9))
	ed.Tool.DoubleTapped(&fyne.PointEvent{Position: at(w, gridPt(1.6, 2.1))})
	r, err := last()
	if err != nil || len(r.Added) != 2 {
		t.Fatalf("split: %v %v", r, err)
	}
	sum := 0.0
	for _, id := range r.Added {
		f, _ := ed.Session().Feature(gis.LandUseLayer, id)
		sum += gis.Area(f.Geometry)
	}
	parentArea := 0.0
	for _, f := range ed.Session().Base.Lots() {
		if f.ID == parent {
			parentArea = gis.Area(f.Geometry)
		}
	}
	if math.Abs(sum-parentArea) > topo.AreaTolerance || len(r.Check.Introduced) != 0 {
		t.Errorf("parts add up to %v of %v; introduced %v", sum, parentArea, r.Check.Introduced)
	}
	// equal parts of L2-2 across its south side (side 0)
	ed.SetTool(selectTool)
	tapAt(w, gridPt(2.5, 2.5))
	ed.sideFor(equalParts)
	if ed.ActiveTool() != sideTool {
		t.Fatal("the side tool is not on")
	}
	tapAt(w, gridPt(2.5, 2.0)) // the south side
	ed.Ask("3")
	r, err = last()
	if err != nil || len(r.Added) != 3 {
		t.Fatalf("equal split: %v %v", r, err)
	}
	var areas []float64
	for _, id := range r.Added {
		f, _ := ed.Session().Feature(gis.LandUseLayer, id)
		areas = append(areas, gis.Area(f.Geometry))
	}
	if math.Abs(areas[0]-areas[1]) > 0.01 || math.Abs(areas[1]-areas[2]) > 0.01 {
		t.Errorf("equal parts %v", areas)
	}
	// merge L3-0 and L3-1: tap, Shift+tap, Ctrl+M
	ed.SetTool(selectTool)
	tapAt(w, gridPt(3.5, 0.5))
	ed.Tool.MouseDown(&desktop.MouseEvent{Modifier: fyne.KeyModifierShift})
	tapAt(w, gridPt(3.5, 1.5))
	ed.Tool.MouseUp(&desktop.MouseEvent{})
	if len(ed.Selected()) != 2 {
		t.Fatalf("selection %v", ed.Selected())
	}
	ed.merge()
	r, err = last()
	if err != nil || len(r.Added) != 1 {
		t.Fatalf("merge: %v %v", r, err)
	}
	m, _ := ed.Session().Feature(gis.LandUseLayer, r.Added[0])
	if inv := topo.Validate(m.Geometry); inv != nil || len(ed.Session().State.Lineage[m.ID]) != 2 {
		t.Errorf("merged lot %v, parents %v", inv, ed.Session().State.Lineage[m.ID])
	}
	// a setback of 4 m inside L0-0's south side
	tapAt(w, gridPt(0.5, 0.5))
	ed.sideFor(setbackLine)
	tapAt(w, gridPt(0.5, 0.0))
	ed.Ask("4")
	if _, err := last(); err != nil {
		t.Fatal(err)
	}
	if lines := ed.Session().State.Layer(plan.SetbackLayer); len(lines) != 1 {
		t.Errorf("setback lines %v", lines)
	}
	// the right-click menu of a lot lists its actions
	ed.Tool.TappedSecondary(&fyne.PointEvent{Position: at(w, gridPt(0.5, 3.5))})
	if ed.Menu == nil || len(ed.Menu.Items) < 8 {
		t.Errorf("context menu %v", ed.Menu)
	}
	if c, err := st.CheckProposal(context.Background(), d); err != nil || len(c.Errors()) != 0 {
		t.Errorf("store check: %v %v", c.Errors(), err)
	}
}

func TestEditAttributesForm(t *testing.T) {
	w, st, d := editing(t)
	last := lastResult(w)
	ed := w.Editor
	tapAt(w, gridPt(0.5, 0.5))
	ed.Tool.MouseDown(&desktop.MouseEvent{Modifier: fyne.KeyModifierControl})
	tapAt(w, gridPt(0.5, 1.5))
	ed.Tool.MouseUp(&desktop.MouseEvent{})
	f := ed.Form
	if len(f.features) != 2 {
		t.Fatalf("form shows %d lots", len(f.features))
	}
	// bad values are refused beside their field, Apply stays off
	f.Set("matDoXayDung", "120")
	f.Set("tangCaoMin", "5")
	f.Set("tangCaoMax", "3")
	if f.Reason("matDoXayDung") == "" || f.Reason("tangCaoMin") == "" || !f.Apply.Disabled() {
		t.Fatalf("reasons %q %q, apply disabled %v", f.Reason("matDoXayDung"), f.Reason("tangCaoMin"), f.Apply.Disabled())
	}
	f.Set("matDoXayDung", "45,5")
	f.Set("tangCaoMax", "7")
	// the class from the picker, found without accents
	f.pickClass()
	f.Picker.Search.SetText("dich vu")
	if len(f.Picker.Matches) == 0 {
		t.Fatal("the class picker found nothing")
	}
	dv := -1
	for i, c := range f.Picker.Matches {
		if c.Code == "DV" {
			dv = i
		}
	}
	f.Picker.Choose(dv)
	if f.Apply.Disabled() {
		t.Fatalf("apply disabled: %q %q", f.Reason("matDoXayDung"), f.Reason("tangCaoMin"))
	}
	test.Tap(f.Apply)
	r, err := last()
	if err != nil || len(r.Changed) < 2 {
		t.Fatalf("apply: %v %v", r, err)
	}
	dd, _ := st.Dossier(context.Background(), d)
	n := 0
	for _, c := range dd.Changes {
		if c.Feature != nil && c.Feature.String("phanLoai") == "DV" {
			if v, _ := c.Feature.Number("matDoXayDung"); v == 45.5 {
				n++
			}
		}
	}
	if n != 2 {
		t.Errorf("%d lots got DV at 45.5 %%", n)
	}
	if b := balanceText(ed.Session().Balance()); b == "" {
		t.Error("no balance change shown")
	}
}

// TestEditUndoRedoAndReopen: undo and redo by keys and buttons give back
// the change set byte for byte; the history survives closing the window.
func TestEditUndoRedoAndReopen(t *testing.T) {
	w, st, d := editing(t)
	last := lastResult(w)
	ed := w.Editor
	sets := []string{changeSet(t, st, d)}
	// three gestures of different kinds
	ed.setSelection([]string{lotID(t, w, "L0-0")})
	ed.setAttributes(map[string]any{"phanLoai": "DV"})
	sets = append(sets, changeSet(t, st, d))
	ed.setSelection([]string{lotID(t, w, "L2-2")})
	ed.Tool.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDelete})
	sets = append(sets, changeSet(t, st, d))
	ed.SetTool(splitTool)
	tapAt(w, gridPt(1.5, 0.9))
	ed.Tool.DoubleTapped(&fyne.PointEvent{Position: at(w, gridPt(1.5, 2.1))})
	if _, err := last(); err != nil {
		t.Fatal(err)
	}
	sets = append(sets, changeSet(t, st, d))
	typed := func(w *Window, s fyne.Shortcut) {
		w.Canvas().(interface{ TypedShortcut(fyne.Shortcut) }).TypedShortcut(s)
	}
	for i := len(sets) - 1; i > 0; i-- {
		typed(w, &fyne.ShortcutUndo{})
		if got := changeSet(t, st, d); got != sets[i-1] {
			t.Fatalf("Ctrl+Z %d: the change set is not as before", len(sets)-i)
		}
	}
	if !ed.Undo.Disabled() || ed.Redo.Disabled() {
		t.Error("undo/redo buttons after undoing everything")
	}
	test.Tap(ed.Redo)
	if got := changeSet(t, st, d); got != sets[1] {
		t.Fatal("redo button: the change set is not as after the first edit")
	}
	typed(w, &desktop.CustomShortcut{KeyName: fyne.KeyZ, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift})
	if got := changeSet(t, st, d); got != sets[2] {
		t.Fatal("Ctrl+Shift+Z: the change set is not as after the second edit")
	}
	if len(ed.History.Edits) != 3 || !ed.History.Edits[2].Undone {
		t.Errorf("history panel %+v", ed.History.Edits)
	}
	// the window closes; another opens the dossier: the undo history is there
	w2 := newWindow(t, st)
	w2.Edit(d)
	if len(w2.Editor.History.Edits) != 3 || !w2.Editor.Session().CanUndo() || !w2.Editor.Session().CanRedo() {
		t.Fatalf("history after reopening %+v", w2.Editor.History.Edits)
	}
	typed(w2, &fyne.ShortcutRedo{})
	if got := changeSet(t, st, d); got != sets[3] {
		t.Fatal("redo after reopening: the change set is not as after the last edit")
	}
}

// TestEditReadOnlyOffersADossier: an approved version is read-only; the
// Edit button offers a dossier from it, whose form creates it and opens it
// for editing.
func TestEditReadOnlyOffersADossier(t *testing.T) {
	st, _ := editFixture(t)
	w := newWindow(t, st)
	open(t, w, "p@1")
	test.Tap(w.EditButton)
	if w.Editor.Editing() || w.Editor.Offer == nil {
		t.Fatal("an approved version opened for editing, or nothing was offered")
	}
	w.Editor.Offer.(*dialog.ConfirmDialog).Confirm()
	f := w.Editor.CreateFields
	f[1].(*escEntry).SetText("Điều chỉnh lô L0-0")
	f[2].(*escEntry).SetText("Đề nghị của nhà đầu tư")
	w.Editor.Create.Submit()
	if !w.Editor.Editing() {
		t.Fatalf("the new dossier is not open for editing: %q", w.Status.Text.Text)
	}
	d := w.Editor.Session().Dossier()
	if d.Title != "Điều chỉnh lô L0-0" || d.Kind != store.Local || d.Base != 1 || d.State != store.Draft {
		t.Errorf("dossier %+v", d)
	}
}

// TestSidePagesChosenWhileEditing: editing puts its tabs in front of the
// right panel's, and every way of asking for a panel still shows that
// panel (the Site info tab was chosen by its index: editing showed
// Compare instead).
func TestSidePagesChosenWhileEditing(t *testing.T) {
	w, _, _ := editing(t)
	e := w.Editor
	shows := func(what string, page fyne.CanvasObject) {
		t.Helper()
		if got := tabContent(w.Right.Selected()); got != page {
			t.Errorf("%s: the right panel shows %q", what, w.Right.Selected().Text)
		}
	}
	shows("editing", e.Form)
	test.Tap(w.Site.Button)
	if !w.Site.Tool.Visible() {
		t.Fatal("the information tool is off")
	}
	shows("the information tool", w.Site.Tabs)
	menuItem(t, w, "edit.history").Action()
	shows("Edit history", e.History)
	menuItem(t, w, "view.right.1").Action()
	shows("Panels, Compare", w.Compare)
	menuItem(t, w, "edit.attributes").Action()
	shows("Attributes…", e.Form)
	menuItem(t, w, "view.right.3").Action()
	shows("Panels, Site info", w.Site.Tabs)
	w.Editor.stop()
	menuItem(t, w, "edit.history").Action() // no editor tabs: nothing changes
	shows("after editing", w.Compare)
}
