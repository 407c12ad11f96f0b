// Package sample generates the sample plans shipped in assets/sample: four
// plans of the Đồng Đăng – Lạng Sơn border-gate economic zone, illustrative
// geometry in EPSG:9215 metres whose lots tile each plan's boundary exactly,
// and the manifest (plans.json) that lists them.
//
// The files are generated, never edited: change the generator and run
// go test ./gis/sample -update; TestSampleFilesUpToDate fails while the
// committed files differ from what the generator writes.
//
// How the lots tile: each plan is laid out in a local frame (u along its axis
// road, v across) as blocks cut into lots, so that neighbours are built from
// the same cut lines. All vertices of all versions of a plan then go into one
// pool; every pool vertex lying on an edge is inserted into that edge, which
// removes T-junctions, and only then are the rings mapped to metres and
// rounded to 1 mm, so neighbours share identical vertices. The boundary is
// the chain of edges that have no reversed twin. Lots that an adjustment
// leaves alone are written byte for byte the same in every version.
//
// The sample dossiers (dossiers.go) are generated too: the dossier whose
// approval made a version, with its steps, and open dossiers, each with the
// whole land-use layer it proposes in <plan>/dossier-N/. Their lots join the
// same vertex pool, so a lot they split adds the cut's ends to its
// neighbours in every version, and the lots they leave alone are the
// versions' byte for byte. Their documents are one-page PDFs in
// <plan>/docs/ (pdf.go).
package sample

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"quyhoach/gis"
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/paulmach/orb"
)

// Layer names written by the generator (TT16 style).
const (
	BoundaryLayer   = gis.BoundaryLayer     // the plan boundary, one polygon
	LandUseLayer    = gis.LandUseLayer      // land-use lots
	RoadLayer       = "TimDuongGiaoThong_L" // road centre lines
	AdjustmentLayer = "KhuVucDieuChinh_A"   // areas of a local adjustment, in the adjusted version
)

// CRSName is the legacy GeoJSON crs member of the files.
const CRSName = "urn:ogc:def:crs:EPSG::9215"

const manifestNote = "Illustrative sample data, not the official geometry of the plans."

// layout is a generated plan: its manifest entry and the lots of each version.
type layout struct {
	plan     Plan
	b        *builder
	versions [][]*lot
	zones    [][]zone // adjustment areas of each version
	drafts   []draft  // open dossiers, written to plan.Dossiers
	docs     []document
}

// draft is an open dossier and the land-use layer it proposes: the whole
// layer of the plan's last version with the dossier's lots in place.
type draft struct {
	dossier Dossier
	lots    []*lot
}

// zone is an adjusted area: the union of some lots.
type zone struct {
	id, name, note string
	lots           []*lot
}

// Generate builds the sample folder: plans.json and every layer file, keyed
// by path relative to the folder. The output depends on nothing but this
// code, so it is the same on every run.
func Generate() (files map[string][]byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	files = map[string][]byte{}
	m := Manifest{Note: manifestNote}
	for _, mk := range []func() *layout{trucTrungTam, huuNghi, chiMa, dongBanh} {
		lay := mk()
		if err := lay.write(files); err != nil {
			return nil, fmt.Errorf("sample: %s: %w", lay.plan.Code, err)
		}
		m.Plans = append(m.Plans, lay.plan)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	files[ManifestFile] = buf.Bytes()
	return files, nil
}

// write adds the layer files of every version and fills the manifest entry.
func (lay *layout) write(files map[string][]byte) error {
	f := lay.b.f
	// The open dossiers' lots go into the vertex pool with the versions', so
	// that the lots they leave alone are the same in both.
	sets := append([][]*lot(nil), lay.versions...)
	for _, d := range lay.drafts {
		sets = append(sets, d.lots)
	}
	rings := make([][][]orb.Point, len(sets))
	for v, lots := range sets {
		for _, l := range lots {
			rings[v] = append(rings[v], l.ring)
		}
	}
	metric, err := finish(f, rings)
	if err != nil {
		return err
	}
	lines := lay.lines()
	for v, lots := range lay.versions {
		ver := &lay.plan.Versions[v]
		codesOf := func(k int) codes {
			return codes{lay.plan.Versions[k].MaThongTinQH, lay.plan.Versions[k].MaHoSoQH}
		}
		first := codesOf(0)
		ringOf := map[*lot]orb.Ring{}
		var feats []feature
		for i, l := range lots {
			ringOf[l] = metric[v][i]
			m2 := math.Abs(signedArea(metric[v][i][:len(metric[v][i])-1]))
			feats = append(feats, feature{l.id, lay.b.lotProps(l, m2, codesOf(l.version())), orb.Polygon{metric[v][i]}})
		}
		boundary, err := outline(metric[v])
		if err != nil {
			return fmt.Errorf("version %d: boundary: %w", v+1, err)
		}
		level := map[string]string{"zoning": "phân khu", "detailed": "chi tiết", "general": "chung"}[lay.plan.Level]
		bfeat := feature{"RG-01", []kv{
			{"maThongTinQH", first.info}, {"maHoSoQH", first.dossier}, {"maDoiTuong", "RG-01"},
			{"tenDoiTuong", "Ranh giới " + lowerFirst(lay.plan.Name)},
			{"phanLoai", "Ranh giới quy hoạch " + level},
			{"ghiChu", "Dữ liệu minh họa, không phải ranh giới chính thức của đồ án"},
		}, orb.Polygon{boundary}}
		dir := fmt.Sprintf("%s/v%d/", lay.plan.Code, v+1)
		ver.Layers = map[string]string{}
		put := func(name string, feats []feature) {
			path := dir + name + ".geojson"
			files[path] = collection(name, feats)
			ver.Layers[name] = path
		}
		put(BoundaryLayer, []feature{bfeat})
		put(LandUseLayer, feats)
		var rf []feature
		for _, c := range lines {
			c.props[0].v, c.props[1].v = first.info, first.dossier
			rf = append(rf, c)
		}
		put(RoadLayer, rf)
		if len(lay.zones) > v && len(lay.zones[v]) > 0 {
			vc := codesOf(v)
			var zf []feature
			for _, z := range lay.zones[v] {
				var rs []orb.Ring
				for _, l := range z.lots {
					r, ok := ringOf[l]
					if !ok {
						return fmt.Errorf("zone %s: lot %s not in version %d", z.id, l.id, v+1)
					}
					rs = append(rs, r)
				}
				o, err := outline(rs)
				if err != nil {
					return fmt.Errorf("zone %s: %w", z.id, err)
				}
				zf = append(zf, feature{z.id, []kv{
					{"maThongTinQH", vc.info}, {"maHoSoQH", vc.dossier}, {"maDoiTuong", z.id},
					{"tenDoiTuong", z.name}, {"phanLoai", "Khu vực điều chỉnh cục bộ"}, {"ghiChu", z.note},
				}, orb.Polygon{o}})
			}
			put(AdjustmentLayer, zf)
		}
	}
	last := lay.plan.Versions[len(lay.plan.Versions)-1]
	for k, d := range lay.drafts {
		var feats []feature
		for i, l := range d.lots {
			r := metric[len(lay.versions)+k][i]
			c := codes{lay.plan.Versions[l.version()].MaThongTinQH, lay.plan.Versions[l.version()].MaHoSoQH}
			if l.dossier != "" {
				// A proposed lot keeps the plan's code (a new one comes with
				// the approval) and carries the dossier's.
				c = codes{last.MaThongTinQH, l.dossier}
			}
			m2 := math.Abs(signedArea(r[:len(r)-1]))
			feats = append(feats, feature{l.id, lay.b.lotProps(l, m2, c), orb.Polygon{r}})
		}
		path := fmt.Sprintf("%s/dossier-%d/%s.geojson", lay.plan.Code, k+1, LandUseLayer)
		files[path] = collection(LandUseLayer, feats)
		d.dossier.Layers = map[string]string{LandUseLayer: path}
		lay.plan.Dossiers = append(lay.plan.Dossiers, d.dossier)
	}
	for _, doc := range lay.docs {
		files[lay.docPath(doc)] = doc.pdf()
	}
	return nil
}

// docPath is where a document of the plan is written, relative to the folder.
func (lay *layout) docPath(doc document) string {
	return lay.plan.Code + "/docs/" + doc.name
}

// attach adds a document to the plan's files and to a dossier's attachments.
func (lay *layout) attach(d *Dossier, doc document) {
	lay.docs = append(lay.docs, doc)
	d.Attachments = append(d.Attachments, Attachment{Kind: doc.kind, File: lay.docPath(doc)})
}

// version is the index of the version that wrote the lot.
func (l *lot) version() int {
	if l.adjust {
		return 1
	}
	return 0
}

// lines returns the road centre lines as features (codes filled by write).
func (lay *layout) lines() []feature {
	f := lay.b.f
	var out []feature
	for _, c := range lay.b.lines {
		var ls orb.LineString
		for i, p := range c.pts {
			if i > 0 {
				for _, q := range f.crossings(c.pts[i-1], p) {
					ls = append(ls, round(f.at(q)))
				}
			}
			ls = append(ls, round(f.at(p)))
		}
		out = append(out, feature{"TIM-" + c.code, []kv{
			{"maThongTinQH", ""}, {"maHoSoQH", ""}, {"maDoiTuong", c.code},
			{"tenDoiTuong", c.name}, {"phanLoai", c.grade}, {"ghiChu", ""},
			{"chiGioiDuongDo", c.width},
		}, ls})
	}
	return out
}

// lowerFirst lowers the first letter: "Quy hoạch …" → "quy hoạch …".
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// feature is one GeoJSON feature to write.
type feature struct {
	id    string
	props []kv
	geom  orb.Geometry // Polygon or LineString, EPSG:9215 metres rounded to 1 mm
}

// collection writes a FeatureCollection with the GDAL-style crs member, one
// feature per line so that a diff of two versions reads well.
func collection(name string, feats []feature) []byte {
	var b []byte
	b = append(b, `{"type":"FeatureCollection","name":`...)
	b = appendJSON(b, name)
	b = append(b, `,"crs":{"type":"name","properties":{"name":"`+CRSName+`"}},"features":[`...)
	for i, f := range feats {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n"...)
		b = append(b, `{"type":"Feature","id":`...)
		b = appendJSON(b, f.id)
		b = append(b, `,"properties":{`...)
		for j, p := range f.props {
			if j > 0 {
				b = append(b, ',')
			}
			b = appendJSON(b, p.k)
			b = append(b, ':')
			b = appendValue(b, p.v)
		}
		b = append(b, `},"geometry":`...)
		switch g := f.geom.(type) {
		case orb.Polygon:
			b = append(b, `{"type":"Polygon","coordinates":[`...)
			for k, r := range g {
				if k > 0 {
					b = append(b, ',')
				}
				b = appendPoints(b, r)
			}
			b = append(b, "]}"...)
		case orb.LineString:
			b = append(b, `{"type":"LineString","coordinates":`...)
			b = appendPoints(b, g)
			b = append(b, '}')
		default:
			panic(fmt.Sprintf("sample: cannot write %T", g))
		}
		b = append(b, '}')
	}
	b = append(b, "\n]}\n"...)
	return b
}

func appendPoints(b []byte, pts []orb.Point) []byte {
	b = append(b, '[')
	for i, p := range pts {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = strconv.AppendFloat(b, p[0], 'f', -1, 64)
		b = append(b, ',')
		b = strconv.AppendFloat(b, p[1], 'f', -1, 64)
		b = append(b, ']')
	}
	return append(b, ']')
}

func appendValue(b []byte, v any) []byte {
	switch v := v.(type) {
	case int:
		return strconv.AppendInt(b, int64(v), 10)
	case float64:
		return strconv.AppendFloat(b, v, 'f', -1, 64)
	case string:
		return appendJSON(b, v)
	case []string:
		b = append(b, '[')
		for i, s := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSON(b, s)
		}
		return append(b, ']')
	}
	panic(fmt.Sprintf("sample: cannot write property value %T", v))
}

func appendJSON(b []byte, s string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		panic(err)
	}
	return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
}
