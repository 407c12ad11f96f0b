package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"quyhoach/plan"
	"quyhoach/store"
)

// node is a place in the plan browser: an area of plans, a plan (its
// current version), a version of a plan, or a dossier. Its tree id is
// "area:NAME", "CODE", "CODE@N" or "CODE#D".
type node struct {
	Area    string // an area node: the area's name ("" for plans without one)
	IsArea  bool
	Plan    string
	Version int   // 0: the current version
	Dossier int64 // a dossier's proposal
}

// areaPrefix starts the tree id of an area node.
const areaPrefix = "area:"

// parseNode reads a tree id.
func parseNode(id string) node {
	if area, ok := strings.CutPrefix(id, areaPrefix); ok {
		return node{Area: area, IsArea: true}
	}
	if c, d, ok := strings.Cut(id, "#"); ok {
		n, _ := strconv.ParseInt(d, 10, 64)
		return node{Plan: c, Dossier: n}
	}
	c, v, _ := strings.Cut(id, "@")
	n, _ := strconv.Atoi(v)
	return node{Plan: c, Version: n}
}

// ID is the node's tree id.
func (n node) ID() string {
	switch {
	case n.IsArea:
		return areaPrefix + n.Area
	case n.Dossier != 0:
		return n.Plan + "#" + strconv.FormatInt(n.Dossier, 10)
	case n.Version != 0:
		return n.Plan + "@" + strconv.Itoa(n.Version)
	}
	return n.Plan
}

// Ref is the plan state the node shows.
func (n node) Ref() plan.Ref { return plan.Ref{Version: n.Version, Dossier: n.Dossier} }

// browserData is what the browser lists.
type browserData struct {
	Plans    []store.Plan
	Versions map[string][]store.Version // by plan code
	Dossiers map[string][]store.Dossier // by plan code
}

// planBrowser is the tree of the store: areas, their plans, each plan's
// versions and dossiers (⚠ overdue ones).
type planBrowser struct {
	widget.BaseWidget
	Tree *nodeTree
	data browserData
	// OnOpen is called when a plan, version or dossier is chosen.
	OnOpen func(node)
}

func newPlanBrowser() *planBrowser {
	b := &planBrowser{data: browserData{Versions: map[string][]store.Version{}, Dossiers: map[string][]store.Dossier{}}}
	b.Tree = newNodeTree(b.childUIDs, b.isBranch, b.Text)
	b.Tree.OnChosen = func(id string) {
		if n := parseNode(id); !n.IsArea && b.OnOpen != nil {
			b.OnOpen(n)
		}
	}
	b.ExtendBaseWidget(b)
	return b
}

// CreateRenderer implements fyne.Widget.
func (b *planBrowser) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(b.Tree) }

// SetData shows the store's plans, versions and dossiers.
func (b *planBrowser) SetData(d browserData) {
	b.data = d
	b.Tree.Update()
}

// Plans are the plans listed.
func (b *planBrowser) Plans() []store.Plan { return b.data.Plans }

// Versions are a plan's versions listed.
func (b *planBrowser) Versions(code string) []store.Version { return b.data.Versions[code] }

// Select selects a node (opening the tree down to it and the plan's
// branch), which opens it.
func (b *planBrowser) Select(n node) {
	b.Tree.OpenBranch(n.Plan)
	b.Tree.Select(n.ID())
}

// Has reports whether the browser lists node id.
func (b *planBrowser) Has(id string) bool { return b.data.has(id) }

func (b *planBrowser) childUIDs(id widget.TreeNodeID) []widget.TreeNodeID { return b.data.children(id) }

// has reports whether the data list node id: a plan, its version or its
// dossier.
func (d browserData) has(id string) bool {
	n := parseNode(id)
	if n.IsArea || n.Plan == "" {
		return false
	}
	for _, p := range d.Plans {
		if p.Code == n.Plan {
			return id == n.Plan || slices.Contains(d.children(n.Plan), id)
		}
	}
	return false
}

// children are the nodes under id in the browser's tree.
func (d browserData) children(id widget.TreeNodeID) []widget.TreeNodeID {
	var out []string
	switch n := parseNode(id); {
	case id == "":
		seen := map[string]bool{}
		for _, p := range d.Plans {
			if !seen[p.Area] {
				seen[p.Area] = true
				out = append(out, areaPrefix+p.Area)
			}
		}
	case n.IsArea:
		for _, p := range d.Plans {
			if p.Area == n.Area {
				out = append(out, p.Code)
			}
		}
	default:
		for _, v := range d.Versions[id] {
			out = append(out, node{Plan: id, Version: v.Number}.ID())
		}
		for _, ds := range d.Dossiers[id] {
			out = append(out, node{Plan: id, Dossier: ds.ID}.ID())
		}
	}
	return out
}

func (b *planBrowser) isBranch(id widget.TreeNodeID) bool {
	n := parseNode(id)
	return id == "" || n.IsArea || n.Version == 0 && n.Dossier == 0
}

// Text is how the browser names a node.
func (b *planBrowser) Text(id string) string {
	n := parseNode(id)
	switch {
	case n.IsArea && n.Area == "":
		return tr("Other plans")
	case n.IsArea:
		return n.Area
	case n.Dossier != 0:
		for _, d := range b.data.Dossiers[n.Plan] {
			if d.ID == n.Dossier {
				return dossierText(d)
			}
		}
	case n.Version != 0:
		for _, v := range b.data.Versions[n.Plan] {
			if v.Number == n.Version {
				text := tr("Version {{.N}}", map[string]any{"N": v.Number})
				if v.Current {
					text += " (" + tr("current") + ")"
				}
				if v.DecisionNo != "" {
					text += " — " + v.DecisionNo
				}
				return text
			}
		}
	default:
		for _, p := range b.data.Plans {
			if p.Code == n.Plan {
				return fmt.Sprintf("%s (1/%d)", p.Name, p.Scale)
			}
		}
	}
	return id
}

// dossierText names a dossier with its state, ⚠ when overdue.
func dossierText(d store.Dossier) string {
	text := tr("Dossier {{.ID}}: {{.Title}} — {{.State}}", map[string]any{"ID": d.ID, "Title": d.Title, "State": stateName(d.State)})
	if d.Overdue {
		text = "⚠ " + text + " (" + tr("overdue since {{.Due}}", map[string]any{"Due": dateText(d.Due)}) + ")"
	}
	return text
}

// stateName is the translated name of a dossier state.
func stateName(s string) string {
	switch s {
	case store.Draft:
		return tr("draft")
	case store.Submitted:
		return tr("submitted")
	case store.Appraising:
		return tr("under appraisal")
	case store.Appraised:
		return tr("appraised")
	case store.Approved:
		return tr("approved")
	case store.Published:
		return tr("published")
	case store.Withdrawn:
		return tr("withdrawn")
	}
	return s
}
