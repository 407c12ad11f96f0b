package plan

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/gis/landuse"
	"quyhoach/gis/render"
	"quyhoach/gis/report"
	"quyhoach/gis/topo"
	"quyhoach/store"
)

// ReadProjected reads a layer of polygons from a site or project file
// (through ReadLayer, so every format it reads) and projects it to
// EPSG:9215. A file in a VN-2000 grid makes a round trip through WGS84 on
// the way, which may move its vertices by up to a millimetre (gis/crs).
func ReadProjected(ctx context.Context, path string, o ReadOptions) (gis.Layer, error) {
	o.RequireGeometry = true
	l, err := ReadLayer(ctx, path, o)
	if err != nil {
		return l, err
	}
	tr, _ := crs.New(crs.WGS84, crs.TM3LangSon)
	return gis.Project([]gis.Layer{l}, tr)[0], nil
}

// SiteArea makes one site of the polygons of a layer: a Polygon, or a
// MultiPolygon when its parts neither overlap nor share an edge.
func SiteArea(path string, l gis.Layer) (orb.Geometry, error) {
	var mp orb.MultiPolygon
	for _, f := range l.Features {
		for p := range gis.Polygons(f.Geometry) {
			mp = append(mp, p)
		}
	}
	switch len(mp) {
	case 0:
		return nil, &SiteError{path + ": no polygon: a site is given as one or more polygons"}
	case 1:
		return mp[0], nil
	}
	if _, err := topo.NewSite(mp); err != nil {
		return nil, &SiteError{fmt.Sprintf("%s: its %d polygons do not make one site (%v): give the site as one polygon", path, len(mp), err)}
	}
	return mp, nil
}

// Recorder numbers and records issued documents; *store.Store satisfies it.
type Recorder interface {
	RecordIssue(ctx context.Context, n store.NewIssue, write func(store.Issue) ([]byte, error)) (store.Issue, error)
}

// IssueInfo numbers the information sheet of an answer, lays it out with
// its number and date, and records it with who asked, the version that
// answered, the site and the answer, in one transaction; it returns the
// record and the PDF. meta's Number and Issued are the record's.
func IssueInfo(ctx context.Context, rec Recorder, info *Info, meta IssueMeta, fonts render.Fonts, cat *landuse.Catalogue) (store.Issue, []byte, error) {
	answer, err := info.JSON()
	if err != nil {
		return store.Issue{}, nil, err
	}
	site := info.SiteGeoJSON()
	if len(info.Site.Lots) > 0 {
		site = "lots: " + strings.Join(info.Site.Lots, ", ")
	}
	n := store.NewIssue{Kind: store.InfoIssue, Plan: info.Plan.Code, Version: info.Version.Number, Site: site, Answer: string(answer)}
	return issue(ctx, rec, n, meta, func(m IssueMeta) (*report.Document, error) { return InfoSheet(info, m, fonts, cat) })
}

// IssueConformity numbers, lays out and records a conformity report, as
// IssueInfo does an information sheet.
func IssueConformity(ctx context.Context, rec Recorder, c *Conformity, meta IssueMeta, fonts render.Fonts, cat *landuse.Catalogue) (store.Issue, []byte, error) {
	answer, err := c.JSON()
	if err != nil {
		return store.Issue{}, nil, err
	}
	var m Measure
	for _, r := range c.Results {
		m.Geometry = append(m.Geometry, r.Lot.Geometry)
	}
	n := store.NewIssue{Kind: store.ConformIssue, Plan: c.Plan.Code, Version: c.Version.Number, Site: m.SiteGeoJSON(), Answer: string(answer)}
	return issue(ctx, rec, n, meta, func(m IssueMeta) (*report.Document, error) { return ConformReport(c, m, fonts, cat) })
}

func issue(ctx context.Context, rec Recorder, n store.NewIssue, meta IssueMeta, layout func(IssueMeta) (*report.Document, error)) (store.Issue, []byte, error) {
	n.Requester, n.Address, n.Purpose, n.Requested, n.By = meta.Requester, meta.Address, meta.Purpose, meta.Requested, meta.By
	if ar, ok := rec.(AgencyReader); ok && meta.Agencies.Approver == "" { // the letterhead names the plan's agencies
		a, err := ar.Agencies(ctx, n.Plan)
		if err != nil {
			return store.Issue{}, nil, err
		}
		meta.Agencies = a
	}
	var doc []byte
	is, err := rec.RecordIssue(ctx, n, func(is store.Issue) ([]byte, error) {
		m := meta
		m.Number, m.Issued = is.Number, is.Issued.Local()
		d, err := layout(m)
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if err := d.Write(&buf); err != nil {
			return nil, err
		}
		doc = buf.Bytes()
		return doc, nil
	})
	return is, doc, err
}
