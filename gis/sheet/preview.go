package sheet

import (
	"image"
	"image/color"
	"math"

	"quyhoach/gis/landuse"
	"quyhoach/gis/render"
)

// Preview draws the sheet on a raster at dpi dots per inch, through the
// same drawing as the PDF: what a print dialog shows before printing.
func (s *Sheet) Preview(cat *landuse.Catalogue, fonts render.Fonts, dpi float64) (*image.RGBA, error) {
	k := dpi / 25.4
	w, h := int(math.Ceil(s.Layout.Width*k-1e-9)), int(math.Ceil(s.Layout.Height*k-1e-9)) // as poppler rounds
	c := render.NewCanvas(render.View{Width: w, Height: h, Scale: 1}, color.White)
	if err := c.SetFonts(fonts); err != nil {
		return nil, err
	}
	s.Draw(render.Scaled{S: c, K: k}, cat)
	return c.Dst, nil
}
