package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"quyhoach/gis/topo"
)

// findingsPanel lists the topology and attribute findings of the shown
// state; choosing one shows it on the map.
type findingsPanel struct {
	widget.BaseWidget
	Run   *widget.Button
	List  *widget.List
	Label *widget.Label
	Items []topo.Finding
	// OnRun is called when a check is asked for; OnPick with the finding chosen.
	OnRun  func()
	OnPick func(topo.Finding)
}

func newFindingsPanel() *findingsPanel {
	f := &findingsPanel{Label: widget.NewLabel("")}
	f.Run = widget.NewButtonWithIcon(tr("Check topology and attributes"), theme.SearchIcon(), func() {
		if f.OnRun != nil {
			f.OnRun()
		}
	})
	f.List = widget.NewList(func() int { return len(f.Items) },
		cellLabel,
		func(i widget.ListItemID, o fyne.CanvasObject) {
			it := f.Items[i]
			text := it.Kind
			if it.AreaM2 > 0 && it.Kind != topo.KindInvalid { // a sliver's is in its text
				text += " · " + num(it.AreaM2, 2) + " m²"
			}
			o.(*widget.Label).SetText(text + " · " + findingText(it))
		})
	f.List.OnSelected = func(i widget.ListItemID) {
		if f.OnPick != nil {
			f.OnPick(f.Items[i])
		}
	}
	f.ExtendBaseWidget(f)
	return f
}

// CreateRenderer implements fyne.Widget.
func (f *findingsPanel) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewBorder(container.NewVBox(f.Run, f.Label), nil, nil, nil, f.List))
}

// SetFindings lists the findings of a check.
func (f *findingsPanel) SetFindings(items []topo.Finding) {
	f.show(items, tr("{{.N}} findings", map[string]any{"N": len(items)}))
}

// SetCoverage says under the count which checks were not made, and why
// (no boundary layer: no gaps): a check left out is never a clean result.
func (f *findingsPanel) SetCoverage(c topo.Coverage) {
	text := f.Label.Text
	for _, sk := range c.Skipped {
		text += "\n" + tr("Not checked: {{.Kind}} ({{.Why}})", map[string]any{"Kind": findingKindName(sk.Kind), "Why": skipWhy(sk.Why)})
	}
	f.Label.SetText(text)
}

// findingKindName names a kind of finding for people.
func findingKindName(kind string) string {
	switch kind {
	case topo.KindOverlap:
		return tr("overlaps")
	case topo.KindGap:
		return tr("gaps")
	case topo.KindInvalid:
		return tr("invalid lots")
	case topo.KindOutside:
		return tr("lots outside the boundary")
	case topo.KindClass:
		return tr("land-use classes")
	case topo.KindIndicator:
		return tr("indicators")
	}
	return kind
}

// skipWhy is a reason a check was left out as the window says it (the
// boundary's own invalidity stays in English: it comes from the geometry).
func skipWhy(why string) string {
	switch {
	case strings.HasPrefix(why, "no plan boundary"):
		return tr("no plan boundary layer")
	case why == "no land-use catalogue given":
		return tr("no land-use catalogue")
	}
	return tr("the plan boundary is invalid")
}

// Clear empties the list: another state is shown, not checked yet.
func (f *findingsPanel) Clear() { f.show(nil, "") }

func (f *findingsPanel) show(items []topo.Finding, label string) {
	f.Items = items
	f.Label.SetText(label)
	f.List.UnselectAll()
	f.List.Refresh()
}

// findingText writes a finding in the chosen language: in English the
// checks' own message; otherwise from its kind, its lots and its area.
func findingText(f topo.Finding) string {
	if Lang() == "en" || len(f.Names) == 0 && f.Kind != topo.KindGap {
		return f.Message
	}
	d := map[string]any{"Lots": strings.Join(f.Names, ", "), "Area": num(f.AreaM2, 2)}
	switch f.Kind {
	case topo.KindOverlap:
		return tr("lots {{.Lots}} overlap by {{.Area}} m²", d)
	case topo.KindGap:
		if len(f.Names) == 0 {
			return tr("a gap of {{.Area}} m² inside the plan boundary", d)
		}
		return tr("a gap of {{.Area}} m² between lots {{.Lots}}", d)
	case topo.KindOutside:
		return tr("lot {{.Lots}} lies outside the plan boundary: {{.Area}} m²", d)
	case topo.KindInvalid:
		if f.AreaM2 > 0 {
			d["Area"] = num(f.AreaM2, 6)
			return tr("lot {{.Lots}} has almost no area ({{.Area}} m²): a sliver; delete it or draw it again", d)
		}
		return tr("lot {{.Lots}} is not a valid polygon", d) + " (" + f.Message + ")"
	case topo.KindClass:
		return tr("lot {{.Lots}} has no land-use class of the catalogue", d)
	case topo.KindIndicator:
		return tr("lot {{.Lots}} has an implausible indicator", d) + " (" + f.Message + ")"
	}
	return f.Message
}
