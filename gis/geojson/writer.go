package geojson

import (
	"fmt"
	"io"
	"strconv"

	"quyhoach/gis"
	"quyhoach/gis/crs"
)

// Writer writes a FeatureCollection a feature at a time, byte for byte as
// Write writes the whole collection: for a layer too large to hold in
// memory (an export streamed from the store). Errors stick: after one,
// every call returns it.
type Writer struct {
	w   io.Writer
	buf []byte
	n   int // features written
	err error
}

// NewWriter starts a collection in c on w. The "crs" member is written, as
// Write does, only when c is neither WGS84 nor zero. Nothing reaches w
// before the first 60 KiB or Close.
func NewWriter(w io.Writer, c crs.Code) *Writer {
	buf := make([]byte, 0, 64<<10)
	buf = append(buf, `{"type":"FeatureCollection",`...)
	if c != 0 && c != crs.WGS84 {
		buf = append(buf, `"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::`...)
		buf = strconv.AppendInt(buf, int64(c), 10)
		buf = append(buf, `"}},`...)
	}
	buf = append(buf, "\n\"features\":["...)
	return &Writer{w: w, buf: buf}
}

// AppendFeature appends f as Write writes each feature of a collection:
// property keys sorted, coordinates at full precision, a geometry without
// positions as null. A NaN or infinite number is an error. Callers may
// encode on several cores and hand the bytes to Writer.Encoded in order.
func AppendFeature(dst []byte, f gis.Feature) ([]byte, error) {
	e := encoder{}
	dst = e.feature(dst, f)
	return dst, e.err
}

// Feature writes f as the collection's next feature.
func (w *Writer) Feature(f gis.Feature) error {
	if w.err != nil {
		return w.err
	}
	w.separate()
	var err error
	if w.buf, err = AppendFeature(w.buf, f); err != nil {
		w.err = fmt.Errorf("geojson: write: feature %d: %w", w.n, err)
		return w.err
	}
	return w.written()
}

// Encoded writes a feature AppendFeature encoded as the next one.
func (w *Writer) Encoded(feature []byte) error {
	if w.err != nil {
		return w.err
	}
	w.separate()
	w.buf = append(w.buf, feature...)
	return w.written()
}

func (w *Writer) separate() {
	if w.n > 0 {
		w.buf = append(w.buf, ',')
	}
	w.buf = append(w.buf, '\n')
}

// written counts a feature and flushes a full buffer.
func (w *Writer) written() error {
	w.n++
	if len(w.buf) >= 60<<10 {
		return w.flush()
	}
	return nil
}

func (w *Writer) flush() error {
	if _, err := w.w.Write(w.buf); err != nil {
		w.err = fmt.Errorf("geojson: write: %w", err)
		return w.err
	}
	w.buf = w.buf[:0]
	return nil
}

// Close ends the collection and writes what is buffered; it does not close
// the underlying writer.
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	w.buf = append(w.buf, "\n]}\n"...)
	if err := w.flush(); err != nil {
		return err
	}
	w.err = fmt.Errorf("geojson: write: the collection is closed")
	return nil
}
