package plan

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"
	"github.com/tidwall/rtree"

	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/gis/landuse"
	"quyhoach/gis/topo"
	"quyhoach/store"
)

// Site is a place asked about, in EPSG:9215 metres: a point, a polygonal
// area (drawn or read from a file), or lots named by their codes.
type Site struct {
	Point *orb.Point
	Area  orb.Geometry // a Polygon or MultiPolygon
	Lots  []string     // lot codes (maDoiTuong)
	// Label says how the site was given, for the sheet ("tệp khu-dat.geojson").
	Label string
}

// Kind names what the site is: "point", "area" or "lots"; "" when it is
// none or several of them.
func (s Site) Kind() string {
	n, kind := 0, ""
	if s.Point != nil {
		n, kind = n+1, "point"
	}
	if s.Area != nil {
		n, kind = n+1, "area"
	}
	if len(s.Lots) > 0 {
		n, kind = n+1, "lots"
	}
	if n != 1 {
		return ""
	}
	return kind
}

// SiteIndex answers what a plan state says about sites: its lots indexed
// once (an R-tree of their boxes) and its boundary prepared once, so a
// question costs only the lots near the site. It is read-only after
// NewSiteIndex and safe for concurrent use.
type SiteIndex struct {
	State    *State
	lots     []gis.Feature
	tree     rtree.RTreeG[int32]
	codes    sync.Once
	byCode   map[string][]int32 // built on the first question by lot codes
	boundary *topo.Site         // nil when the plan has none
	bdErr    error              // why the boundary could not be prepared
}

// NewSiteIndex indexes a state's lots and boundary.
func NewSiteIndex(s *State) *SiteIndex {
	ix := &SiteIndex{State: s, lots: s.Lots()}
	for i, f := range ix.lots {
		if f.Geometry != nil {
			b := f.Geometry.Bound()
			ix.tree.Insert(b.Min, b.Max, int32(i))
		}
	}
	if b := s.Boundary(); b != nil {
		ix.boundary, ix.bdErr = topo.NewSite(b)
	}
	return ix
}

// Part is a lot a site lies on and how much of it.
type Part struct {
	Lot       int     // index in the state's lots
	LotM2     float64 // the lot's official area
	OverlapM2 float64 // the ground it shares with the site; 0 for a point
	SiteShare float64 // % of the site on this lot (100 for the lot under a point)
	LotShare  float64 // % of the lot within the site
	OnEdge    bool    // a point on the lot's outline
	Invalid   string  // the lot's geometry is not a valid polygon: not measured
}

// Measure is where a site lies on the plan.
type Measure struct {
	SiteM2 float64 // the site's area; 0 for a point
	Parts  []Part  // largest overlap first
	// Against the plan boundary (HasBoundary): the site's area inside and
	// outside it; a point lies outside (PointOutside) or not.
	HasBoundary   bool
	BoundaryError string // the boundary is not a valid polygon: not measured
	InsideM2      float64
	OutsideM2     float64
	PointOutside  bool
	UncoveredM2   float64        // inside the boundary (or the site, without one) but on no lot
	Geometry      []orb.Geometry // the site: the point, the area, or the lots named
}

// ErrNoSite is a site that is none, or several, of a point, an area and lots.
var ErrNoSite = errors.New("give one site: a point, an area or lot codes")

// Measure finds the lots a site lies on: for a point the lot it is in (a
// point in a lot's hole is not in that lot, and a point on a shared edge
// is on both), for an area every lot whose interior it meets (a shared edge
// alone does not count) with the common ground, for lot codes those lots.
// Areas are official, planar in EPSG:9215, exact on the 1 mm grid of
// gis/topo. An overlap that cannot be verified is an error.
func (ix *SiteIndex) Measure(ctx context.Context, site Site) (*Measure, error) {
	m := &Measure{HasBoundary: ix.boundary != nil || ix.bdErr != nil}
	if ix.bdErr != nil {
		m.BoundaryError = ix.bdErr.Error()
	}
	var err error
	switch site.Kind() {
	case "point":
		err = ix.point(*site.Point, m)
	case "area":
		err = ix.area(ctx, site.Area, m)
	case "lots":
		err = ix.named(ctx, site.Lots, m)
	default:
		return nil, ErrNoSite
	}
	if err != nil {
		return nil, err
	}
	sort.SliceStable(m.Parts, func(i, j int) bool { return m.Parts[i].OverlapM2 > m.Parts[j].OverlapM2 })
	return m, nil
}

func (ix *SiteIndex) point(p orb.Point, m *Measure) error {
	m.Geometry = []orb.Geometry{p}
	ix.tree.Search(p, p, func(_, _ [2]float64, k int32) bool {
		f := ix.lots[k]
		loc, err := topo.Locate(f.Geometry, p)
		part := Part{Lot: int(k), LotM2: gis.Area(f.Geometry), SiteShare: 100}
		var ie *topo.InvalidError
		switch {
		case errors.As(err, &ie):
			part.Invalid, part.SiteShare = ie.Reason, 0
		case loc == topo.Outside:
			return true
		case loc == topo.OnEdge:
			part.OnEdge = true
		}
		m.Parts = append(m.Parts, part)
		return true
	})
	if ix.boundary != nil {
		m.PointOutside = ix.boundary.Locate(p) == topo.Outside
	}
	return nil
}

func (ix *SiteIndex) area(ctx context.Context, g orb.Geometry, m *Measure) error {
	s, err := topo.NewSite(g)
	if err != nil {
		return &SiteError{fmt.Sprintf("the site is not a valid polygon: %v", err)}
	}
	m.SiteM2 = s.Area()
	m.Geometry = []orb.Geometry{g}
	b := g.Bound()
	var cand []int32
	ix.tree.Search(b.Min, b.Max, func(_, _ [2]float64, k int32) bool {
		cand = append(cand, k)
		return true
	})
	slices.Sort(cand)
	parts := make([]Part, len(cand))
	errs := make([]error, len(cand))
	measure := func(i int) {
		f := ix.lots[cand[i]]
		o, err := s.Overlap(f.Geometry)
		parts[i] = Part{Lot: int(cand[i]), LotM2: gis.Area(f.Geometry), OverlapM2: o.AreaM2}
		var ie *topo.InvalidError
		if errors.As(err, &ie) {
			parts[i].Invalid = ie.Reason
		} else if err != nil {
			errs[i] = fmt.Errorf("lot %s: %w", lotName(f), err)
		}
	}
	// a large site spreads its lots over the cores, every workers-th each
	workers := min(runtime.GOMAXPROCS(0), (len(cand)+31)/32)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(cand) && ctx.Err() == nil; i += workers {
				measure(i)
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	covered := 0.0
	for _, p := range parts {
		if p.Invalid == "" && p.OverlapM2 < minOverlap {
			continue
		}
		p.SiteShare = 100 * p.OverlapM2 / m.SiteM2
		if p.LotM2 > 0 {
			p.LotShare = 100 * p.OverlapM2 / p.LotM2
		}
		covered += p.OverlapM2
		m.Parts = append(m.Parts, p)
	}
	inside := m.SiteM2
	if ix.boundary != nil {
		o, err := ix.boundary.Overlap(g)
		if err != nil {
			return fmt.Errorf("the site against the plan boundary: %w", err)
		}
		m.InsideM2, m.OutsideM2 = o.AreaM2, math.Max(0, m.SiteM2-o.AreaM2)
		inside = o.AreaM2
	}
	m.UncoveredM2 = math.Max(0, inside-covered)
	if m.UncoveredM2 < minOverlap {
		m.UncoveredM2 = 0
	}
	return nil
}

// minOverlap is the smallest common ground reported, m²: less rounds to
// 0,00 m² on every document.
const minOverlap = 0.005

// Sliver is the area, m², below which a part of a site outside the plan
// boundary or on no lot is measured but not warned about: as the topology
// check, digitising noise (a lot drawn a few millimetres past the boundary)
// is not a finding.
const Sliver = topo.DefaultTolerance

// named answers lot codes: the lots themselves, whole.
func (ix *SiteIndex) named(ctx context.Context, codes []string, m *Measure) error {
	ix.codes.Do(func() {
		ix.byCode = make(map[string][]int32, len(ix.lots))
		for i, f := range ix.lots {
			if c := strings.TrimSpace(f.String("maDoiTuong")); c != "" {
				ix.byCode[c] = append(ix.byCode[c], int32(i))
			}
		}
	})
	var missing []string
	seen := map[int32]bool{}
	for _, c := range codes {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		ks, ok := ix.byCode[c]
		if !ok {
			missing = append(missing, c)
		}
		for _, k := range ks {
			if !seen[k] {
				seen[k] = true
				f := ix.lots[k]
				a := gis.Area(f.Geometry)
				m.Parts = append(m.Parts, Part{Lot: int(k), LotM2: a, OverlapM2: a, LotShare: 100})
				m.SiteM2 += a
				m.Geometry = append(m.Geometry, f.Geometry)
			}
		}
	}
	if len(missing) > 0 {
		return &SiteError{fmt.Sprintf("no lot %s in %s of plan %s", strings.Join(missing, ", "), ix.State.Ref(), ix.State.Plan.Code)}
	}
	if len(m.Parts) == 0 {
		return &SiteError{"no lot codes given"}
	}
	for i := range m.Parts {
		if m.SiteM2 > 0 {
			m.Parts[i].SiteShare = 100 * m.Parts[i].OverlapM2 / m.SiteM2
		}
	}
	if ix.boundary == nil {
		return ctx.Err()
	}
	for _, p := range m.Parts {
		o, err := ix.boundary.Overlap(ix.lots[p.Lot].Geometry)
		if err != nil {
			var ie *topo.InvalidError
			if errors.As(err, &ie) {
				continue // the lot is listed as it is; its part outside is not measured
			}
			return err
		}
		m.InsideM2 += o.AreaM2
		m.OutsideM2 += math.Max(0, p.OverlapM2-o.AreaM2)
	}
	if m.OutsideM2 < minOverlap {
		m.OutsideM2 = 0
	}
	return ctx.Err()
}

// SiteError is a site that cannot be answered as given.
type SiteError struct{ Msg string }

func (e *SiteError) Error() string { return e.Msg }

// lotName is a lot's code, else its id.
func lotName(f gis.Feature) string {
	if c := f.String("maDoiTuong"); c != "" {
		return c
	}
	return f.ID
}

// Indicators are a lot's planning indicators, nil where it has none: what
// the plan allows on a lot, or what a project proposes.
type Indicators struct {
	Density    *float64 `json:"density_percent,omitempty"` // matDoXayDung, %
	StoreysMin *float64 `json:"storeys_min,omitempty"`     // tangCaoMin
	StoreysMax *float64 `json:"storeys_max,omitempty"`     // tangCaoMax
	FAR        *float64 `json:"floor_area_ratio,omitempty"`
	Setback    *float64 `json:"setback_m,omitempty"` // khoangLui, m
	Population *float64 `json:"population,omitempty"`
}

// IndicatorsOf reads the TT 16 indicator properties of a feature.
func IndicatorsOf(f gis.Feature) Indicators {
	get := func(k string) *float64 {
		if v, ok := f.Number(k); ok {
			return &v
		}
		return nil
	}
	return Indicators{Density: get("matDoXayDung"), StoreysMin: get("tangCaoMin"), StoreysMax: get("tangCaoMax"),
		FAR: get("heSoSuDungDat"), Setback: get("khoangLui"), Population: get("danSo")}
}

// LotInfo is what the plan says about one lot a site lies on.
type LotInfo struct {
	ID           string  `json:"id"`
	Code         string  `json:"code"`
	Name         string  `json:"name,omitempty"`
	Class        string  `json:"class"`                // catalogue code, else phanLoai as written
	ClassName    string  `json:"class_name,omitempty"` // Vietnamese name of the class
	Group        string  `json:"group,omitempty"`      // catalogue group: "green", "infrastructure", …
	Stage        string  `json:"stage,omitempty"`      // giaiDoan
	Note         string  `json:"note,omitempty"`       // ghiChu
	MaThongTinQH string  `json:"ma_thong_tin_qh,omitempty"`
	LotM2        float64 `json:"lot_m2"`
	OverlapM2    float64 `json:"overlap_m2"`
	SiteShare    float64 `json:"site_share_percent"`
	LotShare     float64 `json:"lot_share_percent"`
	OnEdge       bool    `json:"on_edge,omitempty"`
	Invalid      string  `json:"invalid,omitempty"`
	Indicators
	Feature *gis.Feature `json:"-"` // the lot, projected
}

// PendingDossier is a dossier not yet decided that would change lots of
// the site: modify or delete a lot it lies on, or add one on it.
type PendingDossier struct {
	ID      int64           `json:"id"`
	Code    string          `json:"code"` // maHoSoQH
	Kind    string          `json:"kind"`
	Title   string          `json:"title"`
	State   string          `json:"state"`
	Due     string          `json:"due,omitempty"`
	Overdue bool            `json:"overdue,omitempty"`
	Changes []PendingChange `json:"changes"`
}

// PendingChange is one change of a pending dossier on the site.
type PendingChange struct {
	Op   string `json:"op"` // add | modify | delete
	Code string `json:"code"`
	ID   string `json:"id"`
}

// PendingStates are the states of a dossier still open: not approved,
// published or withdrawn.
var PendingStates = []string{store.Draft, store.Submitted, store.Appraising, store.Appraised}

// Info is the planning information for a site: the lots it lies on with
// their class and indicators, the plan's legal reference, and the
// dossiers under way that would change them.
type Info struct {
	Plan    store.Plan
	Version store.Version
	Site    Site
	Measure
	Lots    []LotInfo
	Pending []PendingDossier
	// MaThongTinQH is the plan version's information code (TT 16), else
	// the one its lots carry.
	MaThongTinQH string
	State        *State // the state that answered
}

// InfoSource is what planning information reads of the store: a plan's
// states and its dossiers; *store.Store satisfies it.
type InfoSource interface {
	Source
	Dossiers(ctx context.Context, f store.DossierFilter) ([]store.Dossier, error)
}

// NotApprovedError is a question about a state that is not an approved
// version (a dossier's proposal): information is given from approved plans.
type NotApprovedError struct{ Ref Ref }

func (e *NotApprovedError) Error() string {
	return fmt.Sprintf("%s is a proposal, not an approved version: planning information comes from an approved version", e.Ref)
}

// SiteInfo answers what the plan state of ix says about a site, with the
// pending dossiers of the plan that would change it.
func SiteInfo(ctx context.Context, src InfoSource, ix *SiteIndex, site Site, cat *landuse.Catalogue) (*Info, error) {
	s := ix.State
	if s.Dossier != nil {
		return nil, &NotApprovedError{s.Ref()}
	}
	if !s.Has(gis.LandUseLayer) {
		return nil, &NoLayerError{s.Plan.Code, s.Ref(), gis.LandUseLayer}
	}
	m, err := ix.Measure(ctx, site)
	if err != nil {
		return nil, err
	}
	info := &Info{Plan: s.Plan, Version: s.Version, Site: site, Measure: *m, MaThongTinQH: s.Version.MaThongTinQH, State: s}
	for _, p := range m.Parts {
		li := lotInfo(&ix.lots[p.Lot], cat)
		li.LotM2, li.OverlapM2, li.SiteShare, li.LotShare, li.OnEdge, li.Invalid = p.LotM2, p.OverlapM2, p.SiteShare, p.LotShare, p.OnEdge, p.Invalid
		if info.MaThongTinQH == "" {
			info.MaThongTinQH = li.MaThongTinQH
		}
		info.Lots = append(info.Lots, li)
	}
	if info.Pending, err = pending(ctx, src, s.Plan.Code, m, info.Lots); err != nil {
		return nil, err
	}
	return info, nil
}

// lotInfo reads what the plan says about a lot.
func lotInfo(f *gis.Feature, cat *landuse.Catalogue) LotInfo {
	li := LotInfo{ID: f.ID, Code: f.String("maDoiTuong"), Name: f.String("tenDoiTuong"), Class: f.String("phanLoai"),
		Stage: f.String("giaiDoan"), Note: f.String("ghiChu"), MaThongTinQH: f.String("maThongTinQH"),
		Indicators: IndicatorsOf(*f), Feature: f}
	if c, ok := cat.Of(*f); ok {
		li.Class, li.ClassName, li.Group = c.Code, c.NameVI, c.Group
	}
	return li
}

// pending lists the open dossiers of a plan whose change sets touch the
// site: a change to a lot it lies on, or a new or reshaped lot on it.
func pending(ctx context.Context, src InfoSource, code string, m *Measure, lots []LotInfo) ([]PendingDossier, error) {
	ds, err := src.Dossiers(ctx, store.DossierFilter{Plan: code})
	if err != nil {
		return nil, err
	}
	on := map[string]bool{}
	for _, l := range lots {
		on[l.ID] = true
	}
	var sites []*topo.Site
	var points []orb.Point
	for _, g := range m.Geometry {
		if p, ok := g.(orb.Point); ok {
			points = append(points, p)
		} else if s, err := topo.NewSite(g); err == nil {
			sites = append(sites, s)
		}
	}
	tr, _ := crs.New(crs.WGS84, crs.TM3LangSon)
	onSite := func(g orb.Geometry) bool {
		if g == nil {
			return false
		}
		g = project.Geometry(orb.Clone(g), tr)
		b := g.Bound()
		for _, p := range points {
			if b.Contains(p) {
				if loc, err := topo.Locate(g, p); err == nil && loc != topo.Outside {
					return true
				}
			}
		}
		for _, s := range sites {
			if o, err := s.Overlap(g); err == nil && o.AreaM2 >= minOverlap {
				return true
			}
		}
		return false
	}
	var out []PendingDossier
	for _, d := range ds {
		if !slices.Contains(PendingStates, d.State) {
			continue
		}
		full, err := src.Dossier(ctx, d.ID)
		if err != nil {
			return nil, err
		}
		pd := PendingDossier{ID: d.ID, Code: d.Code, Kind: d.Kind, Title: d.Title, State: d.State, Due: d.Due, Overdue: d.Overdue}
		for _, c := range full.Changes {
			if c.Layer != gis.LandUseLayer {
				continue
			}
			hit := on[c.FeatureID] && c.Op != "add"
			if !hit && c.Op != "delete" && c.Feature != nil {
				hit = onSite(c.Feature.Geometry)
			}
			if !hit {
				continue
			}
			pc := PendingChange{Op: c.Op, ID: c.FeatureID}
			if c.Feature != nil {
				pc.Code = c.Feature.String("maDoiTuong")
			}
			for _, l := range lots {
				if pc.Code == "" && l.ID == c.FeatureID {
					pc.Code = l.Code
				}
			}
			pd.Changes = append(pd.Changes, pc)
		}
		if len(pd.Changes) > 0 {
			out = append(out, pd)
		}
	}
	return out, ctx.Err()
}

// Corners are the vertices of the site in the grid (E, N), ring by ring
// without the closing vertex, or the point; for lot codes, the lots'.
func (m *Measure) Corners() []orb.Point {
	var out []orb.Point
	for _, g := range m.Geometry {
		for p := range gis.Paths(g) {
			pts := p.Points
			if p.Kind.Closed() && len(pts) > 1 && pts[0] == pts[len(pts)-1] {
				pts = pts[:len(pts)-1]
			}
			out = append(out, pts...)
		}
	}
	return out
}
