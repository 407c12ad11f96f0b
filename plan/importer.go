package plan

// Bringing a file into a plan: the one path of `quyhoach import` and of
// the window's import dialog (OpenImport, then Run), the dialog's preview
// before anything is written (PreviewImport), a new plan with its agencies
// (CreatePlan), and the formats an export writes (ExportFormats).

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"

	"quyhoach/gis"
	"quyhoach/gis/cadplan"
	"quyhoach/gis/crs"
	"quyhoach/gis/geojson"
	"quyhoach/gis/topo"
	"quyhoach/store"
)

// ImportStore is what an import reads and writes; *store.Store satisfies it.
type ImportStore interface {
	CADLayerStore
	Plan(ctx context.Context, code string) (store.Plan, error)
	ImportFrom(ctx context.Context, req store.ImportRequest, layers []store.LayerSource) (store.ImportResult, error)
}

// ImportRequest is a file to import into a plan as its new current version.
type ImportRequest struct {
	Plan string
	File string
	// Read says how to read the file. Read.Layer is the plan layer its
	// features become; "" keeps the file's own TT 16 layer names (every
	// plan layer of a drawing). The store's CAD layer table is taken after
	// Read.CAD.Table, and every feature must have a geometry.
	Read ReadOptions
	// Key names the property that keeps a feature's id across versions
	// (store.ImportRequest.Key), e.g. maDoiTuong.
	Key     string
	Message string // the version's message; "": "import FILE into LAYERS"
	Repair  bool   // make invalid lots valid where it can be done without guessing
	// Progress hears, from the writing goroutine, how many features are
	// written (store.ImportRequest.Progress).
	Progress func(done, total int)
}

// Import is a file opened for import: read (a GeoJSON layer is read while
// Run writes it), its layers named, the plan found.
type Import struct {
	// Reading says what was read: notes, a drawing's CAD layer mapping and
	// the lots left out; for a streamed GeoJSON file the layer's name only.
	Reading *Reading
	Sources []store.LayerSource
	req     store.ImportRequest
}

// LayerNameError is a file whose layer has no TT 16 name, imported
// without naming the plan layer it becomes.
type LayerNameError struct{ File, Layer string }

func (e *LayerNameError) Error() string {
	name := e.Layer
	if name == "" {
		name = "(no name)"
	}
	return fmt.Sprintf("%s: its layer %s is not a TT 16 layer name", e.File, name)
}

// options are the read options of an import: geometry required, the
// store's CAD layer table after the request's own.
func (req ImportRequest) options(ctx context.Context, st CADLayerStore) (ReadOptions, error) {
	o := req.Read
	o.RequireGeometry = true
	if st == nil {
		return o, nil
	}
	t, err := StoredCADTable(ctx, st, o.CAD.Catalogue)
	if err != nil {
		return o, err
	}
	o.CAD.Table = append(slices.Clip(o.CAD.Table), t...)
	return o, nil
}

// OpenImport opens a file for import into a plan: the plan must exist,
// the file read as Sources reads it (a GeoJSON layer streams), and each
// layer must have a TT 16 name when the request names none. Nothing is
// written until Run. Errors are the reader's (*ProblemsError,
// *LayerChoiceError, *ErrNeedGDAL, *geojson.Error …) or *LayerNameError.
func OpenImport(ctx context.Context, st ImportStore, req ImportRequest) (*Import, error) {
	if _, err := st.Plan(ctx, req.Plan); err != nil {
		return nil, err
	}
	o, err := req.options(ctx, st)
	if err != nil {
		return nil, err
	}
	srcs, r, err := Sources(ctx, req.File, o)
	if err != nil {
		return nil, err
	}
	if o.Layer == "" {
		for _, l := range r.Layers {
			if gis.KindOfName(l.Name) == "" {
				return nil, &LayerNameError{File: req.File, Layer: l.Name}
			}
		}
	}
	msg := req.Message
	if msg == "" {
		msg = "import " + filepath.Base(req.File) + " into " + strings.Join(names(r.Layers), ", ")
	}
	return &Import{Reading: r, Sources: srcs, req: store.ImportRequest{Plan: req.Plan, Key: req.Key, Message: msg,
		Repair: req.Repair, Progress: req.Progress}}, nil
}

// Run writes the file as the plan's new current version, in one
// transaction: a refusal, an error or a cancelled ctx leaves the store as
// it was.
func (im *Import) Run(ctx context.Context, st ImportStore) (store.ImportResult, error) {
	return st.ImportFrom(ctx, im.req, im.Sources)
}

// ImportProblem is something of a file an import refuses, leaves out or
// repairs, with its place when it has one.
type ImportProblem struct {
	Layer   string // the plan layer (a drawing's problem: its CAD layer)
	Feature int    // the feature's index in its layer (a table's row), -1 when none is named
	Path    string // GeoJSON: the JSON path of the value at fault
	Line    int    // a drawing: the line of the DXF file
	Handle  string // a drawing: the entity's handle
	Message string
	At      orb.Point // where, in the official grid (EPSG:9215), when Placed
	Placed  bool
	// Blocking: the import would refuse the file for it (otherwise the
	// feature is left out, as a drawing read with Partial, or repaired).
	Blocking bool
}

// String writes the problem on one line: "feature 17: ring not closed
// (features[17].geometry.coordinates[0])".
func (p ImportProblem) String() string {
	var b strings.Builder
	switch {
	case p.Feature >= 0:
		fmt.Fprintf(&b, "feature %d: ", p.Feature)
	case p.Line > 0:
		fmt.Fprintf(&b, "line %d: ", p.Line)
	}
	b.WriteString(gis.OneLine(p.Message))
	if p.Path != "" {
		b.WriteString(" (" + p.Path + ")")
	}
	return b.String()
}

// LayerPreview is a layer of a file as an import would take it.
type LayerPreview struct {
	Name     string // the plan layer it becomes
	Kind     string // gis.AreaKind, LineKind, PointKind or MixedKind
	Features int
	Fields   []FieldInfo
	// Extent is the box of the features in EPSG:9215, to about a metre
	// (the grid boxes of their lon/lat boxes).
	Extent orb.Bound
}

// ImportPreview is what an import of a file would bring, read before
// anything is written.
type ImportPreview struct {
	Format FileFormat
	System crs.System // the system the file's coordinates were read in
	Layers []LayerPreview
	// Tables are the file's own layers when it holds several and the
	// request chose none (Read.Table): nothing else is filled.
	Tables  []LayerInfo
	Notes   []string
	Mapping []cadplan.Mapping // a drawing: what each CAD layer becomes
	// Problems are the first MaxPreviewProblems found, in file order;
	// Omitted counts the others, Refusing those (listed or not) that would
	// make the import refuse the file.
	Problems []ImportProblem
	Omitted  int
	Refusing int
	// LooksProjected: coordinates out of the lon/lat range in a file that
	// names no system, as VN-2000 metres read as degrees are.
	LooksProjected bool
}

// MaxPreviewProblems caps the problems a preview lists.
const MaxPreviewProblems = 200

// Blocking reports whether any problem would make the import refuse the file.
func (p *ImportPreview) Blocking() bool { return p.Refusing > 0 }

// Extent is the extent of every layer, EPSG:9215 (empty: no features).
func (p *ImportPreview) Extent() (orb.Bound, bool) {
	var b orb.Bound
	have := false
	for _, l := range p.Layers {
		if l.Features == 0 {
			continue
		}
		if !have {
			b, have = l.Extent, true
		} else {
			b = b.Union(l.Extent)
		}
	}
	return b, have
}

// Features counts the features of every layer.
func (p *ImportPreview) Features() int {
	n := 0
	for _, l := range p.Layers {
		n += l.Features
	}
	return n
}

// PreviewImport reads a file as an import of req would, without writing:
// its layers with their counts, extents and fields, a drawing's CAD layer
// mapping (with st's table, nil: none), and the problems the import would
// refuse, leave out or repair — invalid lots, features missing the key or
// repeating it, lines in an area layer, a GeoJSON file's own problems —
// each with its feature index, JSON path or drawing line, and place. A
// GeoJSON file is read feature by feature (its memory is a feature's);
// other files are read whole. An error is a file that cannot be read at
// all (format, system, layer choice), as one line.
func PreviewImport(ctx context.Context, st CADLayerStore, req ImportRequest) (*ImportPreview, error) {
	o, err := req.options(ctx, st)
	if err != nil {
		return nil, err
	}
	ff, err := Detect(req.File)
	if err != nil {
		return nil, err
	}
	p := &ImportPreview{Format: ff}
	var problems []ImportProblem
	found := 0
	add := func(q ImportProblem) {
		found++
		if q.Blocking {
			p.Refusing++
		}
		if len(problems) < 4*MaxPreviewProblems { // enough to sort the first ones into file order
			problems = append(problems, q)
		}
	}
	if ff.Format == GeoJSON {
		err = previewGeoJSON(ctx, p, req, o, add)
	} else {
		err = previewRead(ctx, p, req, o, add)
	}
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(problems, func(a, b ImportProblem) int {
		return cmp.Or(cmp.Compare(a.Layer, b.Layer), cmp.Compare(a.Feature, b.Feature), cmp.Compare(a.Line, b.Line))
	})
	if len(problems) > MaxPreviewProblems {
		problems = problems[:MaxPreviewProblems]
	}
	p.Problems, p.Omitted = problems, found-len(problems)
	return p, nil
}

// previewGeoJSON streams a GeoJSON file through the checks of an import.
func previewGeoJSON(ctx context.Context, p *ImportPreview, req ImportRequest, o ReadOptions, add func(ImportProblem)) error {
	given, _ := o.system()
	code := given.Code
	if given.Name != "" && code == 0 {
		return fmt.Errorf("%s: a GeoJSON file's system must be an EPSG code, not %s", req.File, given.Name)
	}
	f, err := os.Open(req.File)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := newLayerScan(o.Layer, req, add)
	var from crs.Code
	var tr orb.Projection
	_, err = geojson.Read(f, geojson.Options{RequireGeometry: true, CRS: code, Each: func(i int, ft gis.Feature, c crs.Code) error {
		if i%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if tr == nil {
			if code != 0 && c != code {
				return fmt.Errorf("the file says its CRS is %s but the import says %s", c, code)
			}
			from, tr = c, func(q orb.Point) orb.Point { return q }
			if from != 0 && from != crs.WGS84 {
				if tr, err = crs.New(from, crs.WGS84); err != nil {
					return err
				}
			}
		}
		if ft.Geometry != nil && from != crs.WGS84 && from != 0 {
			ft.Geometry = project.Geometry(ft.Geometry, tr)
		}
		sc.add(i, ft)
		return nil
	}})
	var ge *geojson.Error
	switch {
	case errors.As(err, &ge):
		for _, q := range ge.Problems {
			if code == 0 && from == 0 && strings.Contains(q.Msg, "outside longitude/latitude range") {
				p.LooksProjected = true
			}
			add(ImportProblem{Layer: o.Layer, Feature: q.Feature, Path: q.Path, Message: q.Msg, Blocking: true})
		}
	case err != nil:
		return fmt.Errorf("%s: %w", req.File, err)
	}
	if from == 0 {
		from = cmp.Or(code, crs.WGS84)
	}
	p.System, _ = crs.Lookup(from)
	p.Layers = []LayerPreview{sc.done()}
	return nil
}

// previewRead reads a file whole (Inspect: a drawing with its problems
// listed, not refused) and puts its layers through the checks of an import.
func previewRead(ctx context.Context, p *ImportPreview, req ImportRequest, o ReadOptions, add func(ImportProblem)) error {
	partial := o.CAD.Partial
	info, err := Inspect(ctx, req.File, o)
	if err != nil {
		return err
	}
	if info.Reading == nil {
		p.Tables = info.Layers
		return nil
	}
	r := info.Reading
	p.System, p.Notes, p.Mapping = r.System, r.Notes, r.Mapping
	if len(r.Problems) > 0 {
		grid, _ := crs.Lookup(crs.TM3LangSon)
		toGrid, err := crs.Between(r.System, grid)
		if err != nil {
			return err
		}
		for _, q := range r.Problems {
			add(ImportProblem{Layer: q.Layer, Feature: -1, Line: q.Line, Handle: q.Handle, Message: q.Kind + ": " + q.Message,
				At: toGrid(q.At), Placed: true, Blocking: !partial})
		}
	}
	for _, l := range r.Layers {
		if err := ctx.Err(); err != nil {
			return err
		}
		sc := newLayerScan(l.Name, req, add)
		for i, f := range l.Features {
			sc.add(i, f)
		}
		p.Layers = append(p.Layers, sc.done())
	}
	return nil
}

// layerScan puts a layer's features, one at a time, through the checks
// the store makes at import (store.prepare, the key's matching), and
// sums what a preview shows.
type layerScan struct {
	lp     LayerPreview
	area   bool
	key    string
	repair bool
	keys   map[string]int // key value → first feature
	noKey  int
	first  int // the first feature without the key
	fields fieldSet
	wgs    orb.Bound
	have   bool
	grid   orb.Projection
	report func(ImportProblem)
	kinds  map[string]bool
}

func newLayerScan(layer string, req ImportRequest, add func(ImportProblem)) *layerScan {
	grid, _ := crs.New(crs.WGS84, crs.TM3LangSon)
	s := &layerScan{lp: LayerPreview{Name: layer}, area: gis.KindOfName(layer) == gis.AreaKind, key: req.Key, repair: req.Repair,
		first: -1, fields: fieldSet{}, grid: grid, report: add, kinds: map[string]bool{}}
	if s.key != "" {
		s.keys = map[string]int{}
	}
	return s
}

// add checks feature i (WGS84).
func (s *layerScan) add(i int, f gis.Feature) {
	s.lp.Features++
	s.fields.add(f.Properties)
	problem := func(msg string, at orb.Point, placed, blocking bool) {
		q := ImportProblem{Layer: s.lp.Name, Feature: i, Message: msg, Placed: placed, Blocking: blocking}
		if placed {
			q.At = s.grid(at)
		}
		s.report(q)
	}
	g := f.Geometry
	if g == nil {
		problem("no geometry", orb.Point{}, false, true)
	} else {
		s.kinds[g.GeoJSONType()] = true
		b := g.Bound()
		for _, c := range [4]orb.Point{b.Min, b.Max, {b.Min[0], b.Max[1]}, {b.Max[0], b.Min[1]}} {
			q := s.grid(c)
			if !s.have {
				s.lp.Extent, s.have = orb.Bound{Min: q, Max: q}, true
			} else {
				s.lp.Extent = s.lp.Extent.Extend(q)
			}
		}
		switch {
		case s.area && !gis.Polygonal(g):
			problem(fmt.Sprintf("layer %s holds areas, not a %s", s.lp.Name, g.GeoJSONType()), b.Center(), true, true)
		case s.area:
			if inv := topo.Validate(g); inv != nil {
				at, placed := inv.At, inv.At != (orb.Point{})
				if !placed {
					at, placed = b.Center(), true
				}
				if _, what, err := topo.Repair(g); s.repair && err == nil {
					problem("will be repaired: "+what, at, placed, false)
				} else {
					problem("invalid lot: "+inv.Reason, at, placed, true)
				}
			}
		}
	}
	if s.key == "" {
		return
	}
	v := f.String(s.key)
	if v == "" {
		if s.noKey++; s.first < 0 {
			s.first = i
		}
		return
	}
	if prev, ok := s.keys[v]; ok {
		var at orb.Point
		if g != nil {
			at = g.Bound().Center()
		}
		problem(fmt.Sprintf("%s %q repeats feature %d's", s.key, v, prev), at, g != nil, true)
		return
	}
	s.keys[v] = i
}

// done ends the scan: the layer's kind and fields, the key's absences.
func (s *layerScan) done() LayerPreview {
	if s.noKey > 0 {
		s.report(ImportProblem{Layer: s.lp.Name, Feature: s.first, Blocking: true,
			Message: fmt.Sprintf("%d of %d features have no %s (a feature without its key would come in as a new lot)", s.noKey, s.lp.Features, s.key)})
	}
	s.lp.Fields = s.fields.list()
	s.lp.Kind = gis.KindOfName(s.lp.Name)
	if s.lp.Kind == "" {
		var fs []gis.Feature
		for k := range s.kinds { // one feature of each type is enough to tell the kind
			fs = append(fs, gis.Feature{Geometry: sampleOf(k)})
		}
		s.lp.Kind = gis.Layer{Features: fs}.Kind()
	}
	return s.lp
}

// sampleOf is an empty geometry of a GeoJSON type, for telling a kind.
func sampleOf(t string) orb.Geometry {
	switch t {
	case "Point":
		return orb.Point{}
	case "MultiPoint":
		return orb.MultiPoint{}
	case "LineString":
		return orb.LineString{}
	case "MultiLineString":
		return orb.MultiLineString{}
	case "Polygon":
		return orb.Polygon{}
	case "MultiPolygon":
		return orb.MultiPolygon{}
	}
	return orb.Collection{}
}

// fieldSet gathers the fields properties make: Real for numbers, Boolean,
// String (and String for a field whose values disagree).
type fieldSet map[string]string

func (fs fieldSet) add(props map[string]any) {
	for k, v := range props {
		t := "String"
		switch v.(type) {
		case nil:
			continue
		case float64:
			t = "Real"
		case bool:
			t = "Boolean"
		}
		if old, ok := fs[k]; ok && old != t {
			t = "String"
		}
		fs[k] = t
	}
}

func (fs fieldSet) list() []FieldInfo {
	out := make([]FieldInfo, 0, len(fs))
	for k, t := range fs {
		out = append(out, FieldInfo{Name: k, Type: t})
	}
	slices.SortFunc(out, func(a, b FieldInfo) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// ProblemsOf lists the problems an import's error names, with their
// places where it gives them: an invalid lot (of layer, when the error
// does not name its layer), a GeoJSON file's problems, a drawing's (in
// sys, the drawing's system); nil for any other error.
func ProblemsOf(err error, sys crs.System, layer string) []ImportProblem {
	var ie *store.InvalidLotError
	var ge *geojson.Error
	var pe *ProblemsError
	switch {
	case errors.As(err, &ie):
		grid, _ := crs.New(crs.WGS84, crs.TM3LangSon)
		msg := ie.Reason
		if ie.Lot != "" {
			msg = "lot " + ie.Lot + ": " + msg
		}
		return []ImportProblem{{Layer: cmp.Or(ie.Layer, layer), Feature: ie.Feature, Message: msg, At: grid(orb.Point(ie.At)), Placed: true, Blocking: true}}
	case errors.As(err, &ge):
		out := make([]ImportProblem, len(ge.Problems))
		for i, q := range ge.Problems {
			out[i] = ImportProblem{Layer: layer, Feature: q.Feature, Path: q.Path, Message: q.Msg, Blocking: true}
		}
		return out
	case errors.As(err, &pe):
		grid, _ := crs.Lookup(crs.TM3LangSon)
		toGrid, terr := crs.Between(sys, grid)
		out := make([]ImportProblem, len(pe.Problems))
		for i, q := range pe.Problems {
			out[i] = ImportProblem{Layer: q.Layer, Feature: -1, Line: q.Line, Handle: q.Handle, Message: q.Kind + ": " + q.Message, Blocking: true}
			if terr == nil && sys.Name != "" {
				out[i].At, out[i].Placed = toGrid(q.At), true
			}
		}
		return out
	}
	return nil
}

// PlanStore makes plans and keeps their agencies; *store.Store satisfies it.
type PlanStore interface {
	CreatePlan(ctx context.Context, p store.Plan) error
	SetAgencies(ctx context.Context, plan string, a store.Agencies, by string) (store.Agencies, error)
}

// CreatePlan makes a plan (store.CreatePlan) with its agencies when given
// and not the zone's defaults for its level (which a plan without a record
// of its own takes). The agencies are checked first, so a refusal leaves
// the store as it was.
func CreatePlan(ctx context.Context, st PlanStore, p store.Plan, a *store.Agencies, by string) error {
	if a != nil {
		if err := a.Check(); err != nil {
			return err
		}
	}
	if err := st.CreatePlan(ctx, p); err != nil {
		return err
	}
	if a == nil || sameAgencies(*a, store.DefaultAgencies(p.Level)) {
		return nil
	}
	if _, err := st.SetAgencies(ctx, p.Code, *a, by); err != nil {
		return fmt.Errorf("plan %s was made, but its agencies were not recorded (set them again): %w", p.Code, err)
	}
	return nil
}

func sameAgencies(a, b store.Agencies) bool {
	t := strings.TrimSpace
	return t(a.Approver) == t(b.Approver) && t(a.Appraiser) == t(b.Appraiser) && t(a.Proposer) == t(b.Proposer) && t(a.Consultant) == t(b.Consultant)
}

// ExportFormat is a format Export writes.
type ExportFormat struct {
	Format string   // the ExportRequest.Format: GeoJSON, GeoPackage, DXF, Shapefile, KML, KMZ
	Name   string   // for people
	Ext    string   // the file name's extension, with its dot
	CRS    crs.Code // the system written when the request names none
	// OneLayer: the file holds one layer; FixedCRS: only CRS is written.
	OneLayer, FixedCRS bool
}

// ExportFormats lists what Export writes, GeoJSON first.
func ExportFormats() []ExportFormat {
	out := []ExportFormat{
		{Format: GeoJSON, Name: "GeoJSON", Ext: ".geojson", OneLayer: true},
		{Format: GeoPackage, Name: "GeoPackage", Ext: ".gpkg"},
		{Format: DXF, Name: "AutoCAD DXF", Ext: ".dxf"},
		{Format: Shapefile, Name: "ESRI Shapefile (zip)", Ext: ".zip"},
		{Format: KML, Name: "KML (Google Earth)", Ext: ".kml", FixedCRS: true},
		{Format: KMZ, Name: "KMZ (Google Earth)", Ext: ".kmz", FixedCRS: true},
	}
	for i := range out {
		_, out[i].CRS, _ = ExportRequest{Format: out[i].Format}.settle()
	}
	return out
}
