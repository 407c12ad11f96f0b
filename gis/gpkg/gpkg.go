// Package gpkg encodes geometries as GeoPackage binary blobs (the 8-byte
// "GP" header, an envelope, then little-endian WKB) and gives the spatial
// reference definitions a GeoPackage of the zone's plans declares. Writing
// the SQLite file itself is the store's business (gis does no SQL).
package gpkg

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/twpayne/go-geom/encoding/wkb"

	"quyhoach/gis/crs"
)

// SRS is a spatial reference system row of gpkg_spatial_ref_sys.
type SRS struct {
	Name       string
	ID         int
	Definition string // OGC WKT 1
}

// vn2000Datum carries the EPSG:6960 shift (PROJ's position-vector TOWGS84),
// so readers that ignore the authority code still place features right.
const vn2000Datum = `GEOGCS["VN-2000",DATUM["Vietnam_2000",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],` +
	`TOWGS84[-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278],AUTHORITY["EPSG","6756"]],` +
	`PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4756"]]`

func tm(name string, lon0, k float64, code int) string {
	return fmt.Sprintf(`PROJCS["%s",%s,PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],`+
		`PARAMETER["central_meridian",%g],PARAMETER["scale_factor",%g],PARAMETER["false_easting",500000],`+
		`PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],`+
		`AXIS["Northing",NORTH],AUTHORITY["EPSG","%d"]]`, name, vn2000Datum, lon0, k, code)
}

// SRSOf returns the definition of one of the program's coordinate systems.
func SRSOf(c crs.Code) (SRS, error) {
	switch c {
	case crs.WGS84:
		return SRS{"WGS 84", 4326, `GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],` +
			`AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,` +
			`AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]`}, nil
	case crs.TM3LangSon:
		return SRS{"VN-2000 / TM-3 107-15", 9215, tm("VN-2000 / TM-3 107-15", 107.25, 0.9999, 9215)}, nil
	case crs.UTM48N:
		return SRS{"VN-2000 / UTM zone 48N", 3405, tm("VN-2000 / UTM zone 48N", 105, 0.9996, 3405)}, nil
	}
	return SRS{}, fmt.Errorf("gpkg: no definition for %s", c)
}

// Encode returns the GeoPackage binary form of g with its envelope; nil
// geometry encodes as nil (a NULL column).
func Encode(g orb.Geometry, srsID int) ([]byte, error) {
	if g == nil {
		return nil, nil
	}
	b := g.Bound()
	out := make([]byte, 8+32, 8+32+wkbSize(g))
	out[0], out[1], out[2] = 'G', 'P', 0
	out[3] = 1<<1 | 1 // envelope [minx, maxx, miny, maxy]; little-endian
	binary.LittleEndian.PutUint32(out[4:], uint32(int32(srsID)))
	for i, v := range []float64{b.Min[0], b.Max[0], b.Min[1], b.Max[1]} {
		binary.LittleEndian.PutUint64(out[8+8*i:], math.Float64bits(v))
	}
	if full, ok := appendWKB(out, g); ok {
		return full, nil
	}
	t, err := toGeom(g)
	if err != nil {
		return nil, err
	}
	body, err := wkb.Marshal(t, binary.LittleEndian)
	if err != nil {
		return nil, fmt.Errorf("gpkg: %w", err)
	}
	return append(out, body...), nil
}

// Decode reads a GeoPackage binary geometry and its srs id.
func Decode(data []byte) (orb.Geometry, int, error) {
	if len(data) < 8 || data[0] != 'G' || data[1] != 'P' {
		return nil, 0, errors.New("gpkg: not a GeoPackage geometry (no GP magic)")
	}
	flags := data[3]
	var order binary.ByteOrder = binary.BigEndian
	if flags&1 == 1 {
		order = binary.LittleEndian
	}
	srsID := int(int32(order.Uint32(data[4:8])))
	envelope := map[byte]int{0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(flags>>1)&7]
	if len(data) < 8+envelope {
		return nil, 0, errors.New("gpkg: truncated envelope")
	}
	if flags&(1<<4) != 0 { // empty geometry
		return nil, srsID, nil
	}
	if _, err := checkWKB(data[8+envelope:], 0); err != nil {
		return nil, 0, fmt.Errorf("gpkg: %w", err)
	}
	t, err := wkb.Unmarshal(data[8+envelope:])
	if err != nil {
		return nil, 0, fmt.Errorf("gpkg: %w", err)
	}
	g, err := fromGeom(t)
	return g, srsID, err
}
