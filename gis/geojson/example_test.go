package geojson_test

import (
	"crypto/sha256"
	"fmt"
	"os"
	"strings"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/geojson"
)

func ExampleRead() {
	src := `{"type": "FeatureCollection", "features": [
  {"type": "Feature", "id": 17, "properties": {"maDat": "ODT", "dienTich": 1250.5},
   "geometry": {"type": "Polygon", "coordinates": [[[106.7, 21.8], [106.7, 21.9], [106.8, 21.9], [106.7, 21.8]]]}}
]}`
	c, err := geojson.Read(strings.NewReader(src), geojson.Options{RequireGeometry: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	f := c.Features[0]
	fmt.Println(c.CRS, f.ID, f.String("maDat"))
	fmt.Println(f.Geometry.(orb.Polygon)[0]) // turned counter-clockwise
	// Output:
	// EPSG:4326 17 ODT
	// [[106.7 21.8] [106.8 21.9] [106.7 21.9] [106.7 21.8]]
}

func ExampleRead_problems() {
	src := `{"type": "FeatureCollection", "features": [
  {"type": "Feature", "id": "a", "geometry": {"type": "Polygon", "coordinates": [[[106.7, 21.8], [106.8, 21.8], [106.8, 21.9]]]}},
  {"type": "Feature", "id": "a", "geometry": {"type": "Point", "coordinates": [432100.5, 2412000.25]}},
  {"type": "Feature", "id": "b", "geometry": null, "properties": []}
]}`
	_, err := geojson.Read(strings.NewReader(src), geojson.Options{RequireGeometry: true})
	fmt.Println(err)
	// Output:
	// feature 0: ring has 3 positions, want at least 4 (features[0].geometry.coordinates[0])
	// feature 1: duplicate id "a" (also feature 0) (features[1].id)
	// feature 1: position (432100.5, 2412000.25) is outside longitude/latitude range; projected coordinates need a "crs" member such as urn:ogc:def:crs:EPSG::9215 (features[1].geometry.coordinates)
	// feature 2: properties is an array, want an object or null (features[2].properties)
	// feature 2: the feature has no geometry (null or empty) (features[2].geometry)
}

func ExampleCanonical() {
	f := gis.Feature{
		ID:         "lo-17",
		Geometry:   orb.Point{106.76123456789123, 21.851234567891234},
		Properties: map[string]any{"soThua": 17, "maDat": "ODT"},
	}
	body := geojson.Canonical(f, true)
	fmt.Printf("%s\n%x\n", body, sha256.Sum256(body))
	// Output:
	// {"type":"Feature","id":"lo-17","geometry":{"type":"Point","coordinates":[106.761234568,21.851234568]},"properties":{"maDat":"ODT","soThua":17}}
	// c82dc2ac60d04acff7c361deb34d3ca737cecd9ba2b778add7cf0ef07c54136d
}

func ExampleWrite() {
	c := &geojson.Collection{Features: []gis.Feature{
		{ID: "1", Geometry: orb.LineString{{106.7, 21.8}, {106.8, 21.9}}, Properties: map[string]any{"loai": "duong"}},
	}}
	if err := geojson.Write(os.Stdout, c); err != nil {
		fmt.Println(err)
	}
	// Output:
	// {"type":"FeatureCollection",
	// "features":[
	// {"type":"Feature","id":"1","geometry":{"type":"LineString","coordinates":[[106.7,21.8],[106.8,21.9]]},"properties":{"loai":"duong"}}
	// ]}
}
