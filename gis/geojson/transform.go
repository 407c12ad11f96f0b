package geojson

import (
	"quyhoach/gis"
	"quyhoach/gis/crs"
)

// Transform converts the collection's coordinates to the to CRS in place
// and sets c.CRS; importers call it with crs.WGS84 before storing.
func (c *Collection) Transform(to crs.Code) error {
	from := c.CRS
	if from == 0 {
		from = crs.WGS84
	}
	if from == to {
		c.CRS = to
		return nil
	}
	tr, err := crs.New(from, to)
	if err != nil {
		return err
	}
	gis.Project([]gis.Layer{{Features: c.Features}}, tr)
	c.CRS = to
	return nil
}
