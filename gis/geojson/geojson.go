// Package geojson reads RFC 7946 GeoJSON strictly and fast, and writes it back
// in a canonical form whose bytes can serve as a content address.
package geojson

import (
	"io"
	"os"
	"strconv"

	"quyhoach/gis"
	"quyhoach/gis/crs"
)

// Options limits what Read accepts. The zero value means the defaults; a zero
// or negative field takes its default.
type Options struct {
	// MaxBytes limits the whole input when set (0: no limit). A file of
	// any size is read feature by feature: each is limited instead, by
	// MaxFeatureBytes, MaxVertices, MaxValue and the nesting depth, so any
	// file we write reads back.
	MaxBytes        int64
	MaxFeatureBytes int64 // bytes of one feature, default 64 MiB
	MaxFeatures     int   // default 10 000 000
	MaxVertices     int   // positions per feature, default 1 000 000
	MaxValue        int   // bytes of one text property value, default 1 MiB
	RequireGeometry bool  // a feature with null or empty geometry is a problem

	// CRS is assumed when the file has no "crs" member (or a null one), as
	// for projected files written without it; zero means WGS84 (RFC 7946).
	// A crs member in the file wins: compare Collection.CRS to see which.
	CRS crs.Code

	// Each, when set, streams the features: each one read is checked
	// (lon/lat range, orientation), handed to Each with its index and the
	// file's CRS, and dropped, so a file of any size takes the memory of a
	// feature, not of the file; Collection.Features stays empty. A feature
	// with problems is not handed over (Read still reports them all at the
	// end). An error from Each stops reading and is returned as it is. A
	// "crs" member must come before the features, as writers put it.
	Each func(i int, f gis.Feature, c crs.Code) error

	skipGeometry bool // ParseProperties: geometries are skipped, left nil
}

// Defaults of Options.
const (
	DefaultMaxFeatureBytes = 64 << 20
	DefaultMaxFeatures     = 10_000_000
	DefaultMaxVertices     = 1_000_000
	DefaultMaxValue        = 1 << 20
)

func (o Options) withDefaults() Options {
	if o.MaxFeatureBytes <= 0 {
		o.MaxFeatureBytes = DefaultMaxFeatureBytes
	}
	if o.MaxFeatures <= 0 {
		o.MaxFeatures = DefaultMaxFeatures
	}
	if o.MaxVertices <= 0 {
		o.MaxVertices = DefaultMaxVertices
	}
	if o.MaxValue <= 0 {
		o.MaxValue = DefaultMaxValue
	}
	return o
}

// Collection is the content of a GeoJSON file.
type Collection struct {
	// CRS comes from the legacy "crs" member ("CRS84", "EPSG:9215",
	// "urn:ogc:def:crs:EPSG::9215", …); Options.CRS or else crs.WGS84 when
	// the member is absent or null.
	// Write treats the zero Code as WGS84.
	CRS      crs.Code
	Features []gis.Feature
}

// Read decodes a FeatureCollection, a single Feature or a bare geometry (which
// becomes one feature without id or properties). It reads all of r, up to
// opt.MaxBytes when it is set.
//
// Content problems are reported together as an *Error, each with the feature
// index and JSON path; then the Collection is nil. Other errors come from r.
//
// On success every feature has a non-nil Properties map, numeric ids are
// turned into strings ("17"), z values are dropped, empty geometries become
// nil, and polygon rings are oriented as RFC 7946 asks (exterior
// counter-clockwise, holes clockwise).
func Read(r io.Reader, opt Options) (*Collection, error) {
	opt = opt.withDefaults()
	size := inputSize(r)
	if opt.MaxBytes > 0 && size > opt.MaxBytes {
		return nil, &Error{Problems: []Problem{tooLarge(opt.MaxBytes)}}
	}
	return decode(r, size, nil, opt, false)
}

// ParseFeature decodes one GeoJSON Feature held in data, such as a body
// written by Canonical; a bare geometry is accepted too. Coordinates are
// WGS84 lon/lat unless the object has a crs member. The rules, and the *Error
// for content problems, are those of Read with the default Options.
func ParseFeature(data []byte) (gis.Feature, error) {
	// what is stored was judged when it came in: no limit on a value here
	c, err := decode(nil, int64(len(data)), data, Options{MaxValue: len(data) + 1}.withDefaults(), true)
	if err != nil {
		return gis.Feature{}, err
	}
	return c.Features[0], nil
}

// ParseProperties decodes a stored Feature as ParseFeature does but skips
// its geometry (left nil): for a reader that has the geometry already in
// its binary form (gis/geombin) and needs only the properties.
func ParseProperties(data []byte) (gis.Feature, error) {
	if props, ok := flatProperties(data); ok {
		return gis.Feature{Properties: props}, nil
	}
	c, err := decode(nil, int64(len(data)), data, Options{MaxValue: len(data) + 1, skipGeometry: true}.withDefaults(), true)
	if err != nil {
		return gis.Feature{}, err
	}
	return c.Features[0], nil
}

// inputSize returns how many bytes r holds when it can tell, as files and
// bytes.Readers can, else -1.
func inputSize(r io.Reader) int64 {
	switch v := r.(type) {
	case *os.File:
		if fi, err := v.Stat(); err == nil && fi.Mode().IsRegular() {
			if off, err := v.Seek(0, io.SeekCurrent); err == nil {
				return fi.Size() - off
			}
		}
	case interface{ Len() int }:
		return int64(v.Len())
	}
	return -1
}

func formatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
