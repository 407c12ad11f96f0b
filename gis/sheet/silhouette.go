package sheet

import (
	"image/color"
	"math"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/render"
)

// A plan walked rather than held (Map.LotWalk) and without a boundary has
// its location inset drawn from a silhouette gathered while the map's walk
// goes by: the lots too small to see on the inset mark the cells of a grid
// over the ground they share (silhouetteCells across the longer side, finer
// than insetDot on the largest inset), the others are kept whole. Its size
// is the sheet's, not the plan's.

// silhouetteCells is the grid's cells across the ground's longer side.
const silhouetteCells = 1440

type silhouette struct {
	ground orb.Bound // the inset's ground
	cell   float64   // metres
	nx, ny int
	marks  []uint64 // bit per cell, row by row from the south-west
	big    []orb.Geometry
	done   bool // one walk gathered: a surface walked twice adds nothing again
}

func newSilhouette(ground orb.Bound) *silhouette {
	span := math.Max(ground.Max[0]-ground.Min[0], ground.Max[1]-ground.Min[1])
	if !(span > 0) {
		return nil
	}
	s := &silhouette{ground: ground, cell: span / silhouetteCells}
	s.nx = int(math.Ceil((ground.Max[0]-ground.Min[0])/s.cell)) + 1
	s.ny = int(math.Ceil((ground.Max[1]-ground.Min[1])/s.cell)) + 1
	s.marks = make([]uint64, (s.nx*s.ny+63)/64)
	return s
}

// add gathers a batch of lots: a lot within two cells each way marks the
// cells its box covers, a larger one is kept.
func (s *silhouette) add(fs []gis.Feature) {
	for _, f := range fs {
		if f.Geometry == nil {
			continue
		}
		if _, poly := f.Geometry.(orb.Polygon); !poly {
			if _, multi := f.Geometry.(orb.MultiPolygon); !multi {
				continue
			}
		}
		b := f.Geometry.Bound()
		if b.Max[0]-b.Min[0] > 2*s.cell || b.Max[1]-b.Min[1] > 2*s.cell {
			s.big = append(s.big, orb.Clone(f.Geometry))
			continue
		}
		i0, j0 := s.at(b.Min)
		i1, j1 := s.at(b.Max)
		for j := j0; j <= j1; j++ {
			for i := i0; i <= i1; i++ {
				k := j*s.nx + i
				s.marks[k/64] |= 1 << (k % 64)
			}
		}
	}
}

func (s *silhouette) at(p orb.Point) (int, int) {
	i := int((p[0] - s.ground.Min[0]) / s.cell)
	j := int((p[1] - s.ground.Min[1]) / s.cell)
	return min(max(i, 0), s.nx-1), min(max(j, 0), s.ny-1)
}

func (s *silhouette) marked(i, j int) bool {
	k := j*s.nx + i
	return s.marks[k/64]&(1<<(k%64)) != 0
}

// gather wraps a walk so that its first complete pass feeds s.
func (s *silhouette) gather(w render.Walk) render.Walk {
	return func(fn func([]gis.Feature) error) error {
		feed := !s.done
		err := w(func(fs []gis.Feature) error {
			if feed {
				s.add(fs)
			}
			return fn(fs)
		})
		if feed && err == nil {
			s.done = true
		}
		return err
	}
}

// draw fills the silhouette through a: each row's runs of marked cells as
// one rectangle, the large lots as themselves.
func (s *silhouette) draw(dst render.Surface, a render.Affine, fill color.NRGBA) {
	var runs render.Path
	runs.Closed = true
	for j := 0; j < s.ny; j++ {
		for i := 0; i < s.nx; {
			if !s.marked(i, j) {
				i++
				continue
			}
			i0 := i
			for i < s.nx && s.marked(i, j) {
				i++
			}
			x0, y0 := s.ground.Min[0]+float64(i0)*s.cell, s.ground.Min[1]+float64(j)*s.cell
			lo, hi := a.Apply(orb.Point{x0, y0}), a.Apply(orb.Point{x0 + float64(i-i0)*s.cell, y0 + s.cell})
			runs.Subpaths = append(runs.Subpaths, []render.Vec{{X: lo.X, Y: lo.Y}, {X: hi.X, Y: lo.Y}, {X: hi.X, Y: hi.Y}, {X: lo.X, Y: hi.Y}})
		}
	}
	if len(runs.Subpaths) > 0 {
		dst.Fill(runs, fill)
	}
	for _, g := range s.big {
		dst.Fill(render.PathOf(g, a), fill)
	}
}
