package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"quyhoach/gis"
	"quyhoach/gis/landuse"
	"quyhoach/gis/scene"
	"quyhoach/plan"
	"quyhoach/store"
)

// conflictView is where a reviewer settles a dossier's conflicts: the lots
// it changes that a version approved since its base changed too. For the
// lot chosen in the list, the approved shape (theirs) and the proposed one
// (ours) side by side on two maps; for each lot, which to keep; then the
// store's rebase.
type conflictView struct {
	widget.BaseWidget
	List      *widget.List
	Theirs    *MapView // the lot as the plan's current version has it
	Ours      *MapView // the lot as the dossier proposes it
	TheirsCap *widget.Label
	OursCap   *widget.Label
	Take      *widget.RadioGroup // for the lot chosen: keep ours or take theirs
	AllOurs   *widget.Button
	AllTheirs *widget.Button
	Rebase    *widget.Button
	Info      *widget.Label
	lots      []plan.ConflictLot
	take      map[string]bool // feature id → true: keep the dossier's change
	sel       int
	cat       *landuse.Catalogue
	// OnRebase rebases the dossier with the choices made (true: ours).
	OnRebase func(takeOurs map[string]bool)
}

func newConflictView(cat *landuse.Catalogue) *conflictView {
	c := &conflictView{cat: cat, take: map[string]bool{}, sel: -1, Info: widget.NewLabel(""), TheirsCap: widget.NewLabel(""), OursCap: widget.NewLabel("")}
	c.Info.Wrapping = fyne.TextWrapWord
	c.List = widget.NewList(func() int { return len(c.lots) }, cellLabel,
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(c.LotText(i)) })
	c.List.OnSelected = func(i widget.ListItemID) { c.Choose(i) }
	c.Theirs, c.Ours = NewMapView(), NewMapView()
	c.Take = widget.NewRadioGroup([]string{tr("Keep this dossier's change (ours)"), tr("Take the approved version's (theirs)")}, func(s string) {
		if c.sel < 0 || c.sel >= len(c.lots) || s == "" {
			return
		}
		c.take[c.lots[c.sel].ID] = s == tr("Keep this dossier's change (ours)")
		c.List.RefreshItem(c.sel)
		c.updateButtons()
	})
	c.AllOurs = widget.NewButton(tr("Ours for all"), func() { c.setAll(true) })
	c.AllTheirs = widget.NewButton(tr("Theirs for all"), func() { c.setAll(false) })
	c.Rebase = widget.NewButton(tr("Rebase on the current version"), func() {
		if c.OnRebase != nil && c.settled() {
			c.OnRebase(c.Choices())
		}
	})
	c.Rebase.Importance = widget.HighImportance
	c.SetLots(nil, 0)
	c.ExtendBaseWidget(c)
	return c
}

// CreateRenderer implements fyne.Widget.
func (c *conflictView) CreateRenderer() fyne.WidgetRenderer {
	maps := container.NewGridWithColumns(2,
		container.NewBorder(c.TheirsCap, nil, nil, nil, c.Theirs),
		container.NewBorder(c.OursCap, nil, nil, nil, c.Ours))
	lots := container.NewBorder(nil, nil, nil, container.NewVBox(c.AllOurs, c.AllTheirs, c.Rebase), c.List)
	shapes := container.NewBorder(nil, c.Take, nil, nil, maps)
	split := container.NewVSplit(lots, shapes)
	split.Offset = 0.3
	return widget.NewSimpleRenderer(container.NewBorder(c.Info, nil, nil, nil, split))
}

// SetLots lists a dossier's conflicts (none: says so); current is the plan's
// current version, which a rebase moves the dossier onto.
func (c *conflictView) SetLots(lots []plan.ConflictLot, current int) {
	c.lots, c.take, c.sel = lots, map[string]bool{}, -1
	c.Take.SetSelected("")
	c.List.UnselectAll()
	c.List.Refresh()
	if len(lots) == 0 {
		c.Info.SetText(tr("No conflict: nothing this dossier changes was changed by a version approved since its base."))
		c.Theirs.SetScene(nil, false)
		c.Ours.SetScene(nil, false)
		c.TheirsCap.SetText("")
		c.OursCap.SetText("")
	} else {
		c.Info.SetText(tr("These lots were changed both by this dossier and by a version approved since its base. For each, keep this dossier's change or take the approved one; then rebase the dossier on version {{.N}}. A dossier already appraised goes back to appraisal.",
			map[string]any{"N": current}))
		c.List.Select(0)
	}
	c.updateButtons()
}

// LotText is how the list names a conflicting lot and the choice made.
func (c *conflictView) LotText(i int) string {
	l := c.lots[i]
	s := dash(l.Code) + ": " + tr("approved") + " " + dash(l.TheirsClass) + " · " + tr("proposed") + " " + dash(l.OursClass)
	if l.Ours == nil {
		s = dash(l.Code) + ": " + tr("approved") + " " + dash(l.TheirsClass) + " · " + tr("deleted by this dossier")
	}
	if ours, ok := c.take[l.ID]; ok {
		if ours {
			s += "  → " + tr("ours")
		} else {
			s += "  → " + tr("theirs")
		}
	}
	return s
}

// Choose shows conflict i on the two maps.
func (c *conflictView) Choose(i int) {
	if i < 0 || i >= len(c.lots) {
		return
	}
	c.sel = i
	l := c.lots[i]
	show := func(m *MapView, lots []gis.Feature, f *gis.Feature) {
		s := scene.Plan([]gis.Layer{{Name: gis.LandUseLayer, Features: lots}}, c.cat, Lang())
		m.SetScene(s, false)
		m.ZoomTo(l.Bound)
		m.Select(nil)
		if ly := s.Layer(gis.LandUseLayer); ly != nil && f != nil {
			for k := range ly.Shapes {
				if ly.Shapes[k].ID == l.ID {
					m.Select(&ly.Shapes[k])
				}
			}
		}
	}
	show(c.Theirs, l.Around, l.Theirs)
	show(c.Ours, l.AroundOurs, l.Ours)
	c.TheirsCap.SetText(tr("Approved (theirs): {{.Code}} {{.Class}} · {{.Ha}} ha", map[string]any{"Code": dash(l.Code), "Class": dash(l.TheirsClass), "Ha": haOf(l.Theirs)}))
	c.OursCap.SetText(tr("Proposed (ours): {{.Code}} {{.Class}} · {{.Ha}} ha", map[string]any{"Code": dash(l.Code), "Class": dash(l.OursClass), "Ha": haOf(l.Ours)}))
	switch ours, ok := c.take[l.ID]; {
	case !ok:
		c.Take.SetSelected("")
	case ours:
		c.Take.SetSelected(tr("Keep this dossier's change (ours)"))
	default:
		c.Take.SetSelected(tr("Take the approved version's (theirs)"))
	}
}

func haOf(f *gis.Feature) string {
	if f == nil || f.Geometry == nil {
		return "—"
	}
	return num(gis.Area(f.Geometry)/1e4, 2)
}

func (c *conflictView) setAll(ours bool) {
	for _, l := range c.lots {
		c.take[l.ID] = ours
	}
	c.List.Refresh()
	c.Choose(c.sel)
	c.updateButtons()
}

// settled reports whether every conflict has a choice.
func (c *conflictView) settled() bool {
	for _, l := range c.lots {
		if _, ok := c.take[l.ID]; !ok {
			return false
		}
	}
	return len(c.lots) > 0
}

// Choices are the choices made, by feature id (true: ours).
func (c *conflictView) Choices() map[string]bool {
	out := map[string]bool{}
	for k, v := range c.take {
		out[k] = v
	}
	return out
}

func (c *conflictView) updateButtons() {
	setEnabled(c.Rebase, c.settled())
	setEnabled(c.AllOurs, len(c.lots) > 0)
	setEnabled(c.AllTheirs, len(c.lots) > 0)
	if len(c.lots) == 0 {
		c.Take.Disable()
	} else {
		c.Take.Enable()
	}
}

// rebase settles the conflicts of the dossier whose page is open as the
// reviewer chose, through the store's rebase.
func (w *Window) rebase(take map[string]bool) {
	dw := w.dossiers
	p := dw.page
	if p == nil || p.pg == nil || dw.st == nil {
		return
	}
	id := p.pg.Dossier.ID
	res := plan.Resolution(take)
	w.Status.Busy(tr("Rebasing dossier {{.ID}}…", map[string]any{"ID": id}))
	dw.steps.Run("rebase", func(ctx context.Context) (func(), error) {
		d, err := dw.st.Rebase(ctx, id, res, dw.user)
		if err != nil {
			return func() { p.ShowError(err) }, nil
		}
		return func() {
			msg := tr("Dossier {{.ID}} is now based on version {{.N}}", map[string]any{"ID": id, "N": d.Base})
			if d.State == store.Appraising && p.pg.Dossier.State == store.Appraised {
				msg += "; " + tr("it goes back to appraisal")
			}
			w.afterWrite(msg)
			p.Tabs.SelectIndex(timelineTab)
		}, nil
	})
}
