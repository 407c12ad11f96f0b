package scene

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"math"

	"github.com/paulmach/orb"

	"quyhoach/gis/render"
)

// A large scene's overview kept with its version (store.Overview): the
// next time the version is opened the map shows it — a Preview, resampled
// to any view — at once, while the lots are read behind it (at a million
// lots, seconds). It is the overview the map would draw of the completed
// scene at StoredOverviewPixels across, so the preview of a whole plan is
// what its later frames seen whole are, if coarser when zoomed in.

// StoredOverviewPixels is the long side of a stored overview: a screen's
// width and more (a 1280-pixel window seen whole samples it down).
const StoredOverviewPixels = OverviewPixels / 2

// overviewMagic starts an encoded overview; its last byte is the format.
var overviewMagic = []byte("QHOV\x01")

// drawingVersion is part of a stored overview's style: raise it when what
// the code draws changes (StyleLot's rules, the colours set here, the
// painter), so overviews drawn by an older build are drawn again.
const drawingVersion = 1

// OverviewStyle is what a stored overview depends on besides its version:
// the options that change its pixels and the colours (a fingerprint of the
// land-use catalogue), so one drawn otherwise is not shown.
func OverviewStyle(o Options, colours string) string {
	o.PixelRatio = 0        // drawn at 1: an overview has no lines or text to scale
	if len(o.Opacity) > 0 { // a layer at full opacity is drawn as one without any
		op := map[string]float64{}
		for k, v := range o.Opacity {
			if v < 1 {
				op[k] = max(0, v)
			}
		}
		o.Opacity = op
	}
	return fmt.Sprintf("%s|%d|%d|%s|%s", overviewMagic[:4], overviewMagic[4], drawingVersion, optionsKey(o), colours)
}

// EncodeOverview draws the scene's overview for options o at
// StoredOverviewPixels across and encodes it for the store; ok is false
// for an empty scene. It takes the time of a few exact frames, on one
// core: call it off the UI goroutine.
func (s *Scene) EncodeOverview(o Options) (data []byte, ok bool) {
	if s.Empty() {
		return nil, false
	}
	w, h := s.Extent.Max[0]-s.Extent.Min[0], s.Extent.Max[1]-s.Extent.Min[1]
	res := math.Max(w, h) / StoredOverviewPixels
	if !(res > 0) || math.IsInf(res, 0) {
		return nil, false
	}
	o.PixelRatio = 0 // as OverviewStyle has it
	o.Bands = 1      // in the background: the other cores are the window's
	v, img := s.drawWhole(o, res, w, h)
	var buf bytes.Buffer
	buf.Write(overviewMagic)
	for _, f := range []float64{v.Center[0], v.Center[1], v.Scale, s.Extent.Min[0], s.Extent.Min[1], s.Extent.Max[0], s.Extent.Max[1]} {
		binary.Write(&buf, binary.LittleEndian, f)
	}
	binary.Write(&buf, binary.LittleEndian, [2]uint32{uint32(v.Width), uint32(v.Height)})
	return appendRuns(buf.Bytes(), img.Pix), true
}

// appendRuns appends pix, 4 bytes a pixel, as runs of one colour: the run's
// length (uvarint), then its pixel. Lots filled flat make long runs, and
// reading them back is little more than a copy (a 2048-pixel overview of
// 100 000 lots: 38 ms from 7.3 MB of runs; flate's 3.8 MB took 130 ms).
func appendRuns(out, pix []byte) []byte {
	for i := 0; i < len(pix); {
		j := i + 4
		for j < len(pix) && pix[j] == pix[i] && pix[j+1] == pix[i+1] && pix[j+2] == pix[i+2] && pix[j+3] == pix[i+3] {
			j += 4
		}
		out = binary.AppendUvarint(out, uint64((j-i)/4))
		out = append(out, pix[i:i+4]...)
		i = j
	}
	return out
}

// readRuns fills pix from runs appendRuns made, all of them.
func readRuns(pix, runs []byte) error {
	at := 0
	for len(runs) > 0 {
		n, k := binary.Uvarint(runs)
		if k <= 0 || len(runs) < k+4 || n == 0 || n > uint64(len(pix)-at)/4 {
			return errors.New("stored overview: its runs do not fit its image")
		}
		px := runs[k : k+4]
		end := at + int(n)*4
		copy(pix[at:at+4], px)
		for filled := at + 4; filled < end; { // doubling copies
			filled += copy(pix[filled:end], pix[at:filled])
		}
		at, runs = end, runs[k+4:]
	}
	if at != len(pix) {
		return errors.New("stored overview: its runs do not fill its image")
	}
	return nil
}

// Preview is a stored overview read back: a version's map seen whole
// before its lots are read.
type Preview struct {
	Extent orb.Bound // the scene's
	ov     *overview
}

// DecodeOverview reads an overview EncodeOverview made.
func DecodeOverview(data []byte) (*Preview, error) {
	bad := errors.New("not a stored overview")
	if !bytes.HasPrefix(data, overviewMagic) {
		return nil, bad
	}
	r := bytes.NewReader(data[len(overviewMagic):])
	var f [7]float64
	var wh [2]uint32
	if binary.Read(r, binary.LittleEndian, &f) != nil || binary.Read(r, binary.LittleEndian, &wh) != nil {
		return nil, bad
	}
	for _, x := range f {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, bad
		}
	}
	// the image is the one EncodeOverview draws of that extent, no larger:
	// a file from elsewhere cannot make this allocate more than 17 MB
	w, h := f[5]-f[3], f[6]-f[4]
	if !(f[2] > 0) || !(w >= 0 && h >= 0) || math.Abs(math.Max(w, h)/StoredOverviewPixels-f[2]) > f[2]*1e-9 ||
		wh[0] != uint32(math.Ceil(w/f[2]))+2 || wh[1] != uint32(math.Ceil(h/f[2]))+2 || max(wh[0], wh[1]) > StoredOverviewPixels+2 {
		return nil, bad
	}
	img := image.NewRGBA(image.Rect(0, 0, int(wh[0]), int(wh[1])))
	if err := readRuns(img.Pix, data[len(data)-r.Len():]); err != nil {
		return nil, err
	}
	// its pyramid with it, where it is read: a whole plan in a window wants
	// a coarser level (the image is 2 048 px, a map a third of that), and
	// halved in the window's first paint it made that paint 18 ms longer
	ov := &overview{v: render.View{Center: orb.Point{f[0], f[1]}, Scale: f[2], Width: int(wh[0]), Height: int(wh[1])}, levels: pyramid(img)}
	return &Preview{Extent: orb.Bound{Min: orb.Point{f[3], f[4]}, Max: orb.Point{f[5], f[6]}}, ov: ov}, nil
}

// Render draws the preview into dst for view v on o's background.
func (p *Preview) Render(dst *image.RGBA, v render.View, o Options) {
	draw.Draw(dst, dst.Bounds(), image.NewUniform(o.Background), image.Point{}, draw.Src)
	drawOverview(dst, v, p.ov)
}
