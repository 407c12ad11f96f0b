package ui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// nodeTree shows a tree as a list: a row a node, indented by its depth,
// with an arrow that opens or closes a branch, its text wrapped to the
// panel's width. Fyne's Tree gives every row one line, which cut long plan
// and dossier names off. Choosing a row opens its branch and calls
// OnChosen. Node ids are those of a widget.Tree ("" is the root).
type nodeTree struct {
	widget.List
	children func(id string) []string
	branch   func(id string) bool
	text     func(id string) string
	// OnChosen is called when a node is chosen, by a tap or by Select.
	OnChosen func(id string)

	shown    []shownNode // the nodes of the open branches, in order
	open     map[string]bool
	selected string
	selIndex int  // where selected is in shown, -1: not shown
	quiet    bool // the list's selection is being set to match selected
	width    float32
	// fitted are the heights of the rows' texts wrapped at width: a text
	// is measured once a width (the tree is listed again at each choice)
	fitted map[fitKey]float32
}

type fitKey struct {
	text  string
	depth int
}

// shownNode is a row of a nodeTree.
type shownNode struct {
	ID     string
	Depth  int
	Branch bool
}

func newNodeTree(children func(string) []string, branch func(string) bool, text func(string) string) *nodeTree {
	t := &nodeTree{children: children, branch: branch, text: text, open: map[string]bool{}, selIndex: -1}
	t.Length = func() int { return len(t.shown) }
	t.CreateItem = func() fyne.CanvasObject { return newNodeRow(t) }
	t.UpdateItem = func(i widget.ListItemID, o fyne.CanvasObject) {
		if i < len(t.shown) {
			o.(*nodeRow).set(t.shown[i], t.text(t.shown[i].ID), t.open[t.shown[i].ID])
		}
	}
	t.List.OnSelected = func(i widget.ListItemID) {
		if !t.quiet && i < len(t.shown) {
			t.choose(t.shown[i].ID)
		}
	}
	t.ExtendBaseWidget(t)
	return t
}

// Select chooses node id, opening the branches down to it; choosing the
// node already chosen does nothing.
func (t *nodeTree) Select(id string) {
	if id == t.selected {
		return
	}
	for _, a := range t.ancestors(id) {
		t.open[a] = true
	}
	t.choose(id)
}

// Selected is the node chosen last ("" none).
func (t *nodeTree) Selected() string { return t.selected }

// OpenBranch opens a branch.
func (t *nodeTree) OpenBranch(id string) {
	if !t.open[id] {
		t.open[id] = true
		t.Update()
	}
}

// CloseBranch closes a branch.
func (t *nodeTree) CloseBranch(id string) {
	if t.open[id] {
		delete(t.open, id)
		t.Update()
	}
}

// ToggleBranch opens a closed branch, closes an open one.
func (t *nodeTree) ToggleBranch(id string) {
	if t.open[id] {
		t.CloseBranch(id)
	} else {
		t.OpenBranch(id)
	}
}

// IsBranchOpen reports whether a branch is open.
func (t *nodeTree) IsBranchOpen(id string) bool { return t.open[id] }

// Shown are the rows shown.
func (t *nodeTree) Shown() []shownNode { return t.shown }

func (t *nodeTree) choose(id string) {
	t.selected = id
	if t.branch(id) {
		t.open[id] = true
	}
	t.Update()
	if t.OnChosen != nil {
		t.OnChosen(id)
	}
}

// ancestors are the branches above id, from the root down.
func (t *nodeTree) ancestors(id string) []string {
	var path []string
	var walk func(at string) bool
	walk = func(at string) bool {
		for _, c := range t.children(at) {
			if c == id {
				return true
			}
			if t.branch(c) {
				path = append(path, c)
				if walk(c) {
					return true
				}
				path = path[:len(path)-1]
			}
		}
		return false
	}
	if !walk("") {
		return nil
	}
	return path
}

// Update lists the nodes of the open branches again, with their heights,
// and keeps the chosen one selected without choosing it again.
func (t *nodeTree) Update() {
	t.shown = t.shown[:0]
	var walk func(id string, depth int)
	walk = func(id string, depth int) {
		for _, c := range t.children(id) {
			b := t.branch(c)
			t.shown = append(t.shown, shownNode{ID: c, Depth: depth, Branch: b})
			if b && t.open[c] {
				walk(c, depth+1)
			}
		}
	}
	walk("", 0)
	t.heights()
	i := slices.IndexFunc(t.shown, func(n shownNode) bool { return n.ID == t.selected })
	if i != t.selIndex {
		off := t.GetScrollOffset()
		t.quiet = true
		t.List.UnselectAll()
		if i >= 0 {
			t.List.Select(i)
		}
		t.quiet = false
		t.ScrollToOffset(off)
		t.selIndex = i
	}
	t.List.Refresh()
}

// Resize makes the rows as tall as their text wrapped at the new width.
func (t *nodeTree) Resize(s fyne.Size) {
	if s.Width != t.width {
		t.width = s.Width
		clear(t.fitted)
		t.heights()
	}
	t.List.Resize(s)
}

// heights gives each row the height of its text wrapped at the width.
func (t *nodeTree) heights() {
	if t.width <= 0 {
		return
	}
	if t.fitted == nil {
		t.fitted = map[fitKey]float32{}
	}
	for i, n := range t.shown {
		k := fitKey{t.text(n.ID), n.Depth}
		h, ok := t.fitted[k]
		if !ok {
			h = max(theme.IconInlineSize(), wrappedHeight(k.text, t.width-nodeTextX(n.Depth), false))
			t.fitted[k] = h
		}
		t.SetItemHeight(i, h)
	}
}

// nodeTextX is where a row's text starts at depth: after the indent and
// the arrow, as Fyne's Tree places them.
func nodeTextX(depth int) float32 {
	return 2*theme.Padding() + nodeIndent(depth) + theme.IconInlineSize()
}

func nodeIndent(depth int) float32 {
	return float32(depth) * (theme.IconInlineSize() + theme.Padding())
}

// nodeRow is a row of a nodeTree: the arrow of a branch (a tap opens or
// closes it) and the node's text, wrapped.
type nodeRow struct {
	widget.BaseWidget
	Arrow *tapIcon
	Label *widget.Label
	tree  *nodeTree
	node  shownNode
}

func newNodeRow(t *nodeTree) *nodeRow {
	r := &nodeRow{tree: t, Label: widget.NewLabel("")}
	r.Label.Wrapping = fyne.TextWrapWord
	r.Arrow = newTapIcon(func() {
		if r.node.Branch {
			t.ToggleBranch(r.node.ID)
		}
	})
	r.ExtendBaseWidget(r)
	return r
}

func (r *nodeRow) set(n shownNode, text string, open bool) {
	r.node = n
	switch {
	case !n.Branch:
		r.Arrow.SetResource(nil)
	case open:
		r.Arrow.SetResource(theme.MoveDownIcon())
	default:
		r.Arrow.SetResource(theme.NavigateNextIcon())
	}
	r.Label.Text = text // laid out once, by the row's Refresh
	r.Refresh()
}

// CreateRenderer implements fyne.Widget.
func (r *nodeRow) CreateRenderer() fyne.WidgetRenderer { return &nodeRowRenderer{r} }

type nodeRowRenderer struct{ r *nodeRow }

func (rr *nodeRowRenderer) Layout(s fyne.Size) {
	r := rr.r
	icon := theme.IconInlineSize()
	r.Arrow.Move(fyne.NewPos(theme.Padding()+nodeIndent(r.node.Depth), (lineHeight()-icon)/2))
	r.Arrow.Resize(fyne.NewSquareSize(icon))
	x := nodeTextX(r.node.Depth)
	w := max(0, s.Width-x)
	// a text that fits is not wrapped: Fyne's wrapping measures it
	// piece by piece at every layout (a fifth of the window's start)
	wrap := fyne.TextWrapOff
	if !oneLine(r.Label.Text, w, false) {
		wrap = fyne.TextWrapWord
	}
	if wrap != r.Label.Wrapping {
		r.Label.Wrapping = wrap
		r.Label.Refresh()
	}
	r.Label.Move(fyne.NewPos(x, 0))
	r.Label.Resize(fyne.NewSize(w, s.Height))
}

func (rr *nodeRowRenderer) MinSize() fyne.Size {
	return fyne.NewSize(nodeTextX(rr.r.node.Depth)+wordWidth("Xx", false), max(lineHeight(), theme.IconInlineSize()))
}

func (rr *nodeRowRenderer) Refresh() {
	rr.Layout(rr.r.Size())
	rr.r.Arrow.Refresh()
	rr.r.Label.Refresh()
}

func (rr *nodeRowRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{rr.r.Arrow, rr.r.Label}
}

func (rr *nodeRowRenderer) Destroy() {}

// tapIcon is an icon that does something when tapped.
type tapIcon struct {
	widget.Icon
	OnTapped func()
}

func newTapIcon(tapped func()) *tapIcon {
	i := &tapIcon{OnTapped: tapped}
	i.ExtendBaseWidget(i)
	return i
}

// Tapped implements fyne.Tappable.
func (i *tapIcon) Tapped(*fyne.PointEvent) {
	if i.OnTapped != nil {
		i.OnTapped()
	}
}
