package kml

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"image/color"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"quyhoach/gis"
)

func TestWrite(t *testing.T) {
	sq := orb.Ring{{106.7, 21.9}, {106.71, 21.9}, {106.71, 21.91}, {106.7, 21.91}, {106.7, 21.9}}
	layers := []gis.Layer{
		{Name: gis.LandUseLayer, Features: []gis.Feature{
			{ID: "a1", Geometry: orb.Polygon{sq}, Properties: map[string]any{"maDoiTuong": "ONM-01", "matDoXayDung": 40.0, "coHT": true}},
			{Geometry: orb.MultiPolygon{{sq}, {sq}}, Properties: map[string]any{"maDoiTuong": "ONM-02"}},
			{Properties: map[string]any{"maDoiTuong": "no geometry"}},
		}},
		{Name: "TimDuongGiaoThong_L", Features: []gis.Feature{{Geometry: orb.LineString{{106.7, 21.9}, {106.8, 22}}}}},
	}
	o := Options{
		Name: "Chi Ma <thử>",
		StyleOf: func(layer string, f gis.Feature) (string, Style) {
			return layer, Style{Fill: color.NRGBA{0xcc, 0x99, 0, 0xb0}, Line: color.NRGBA{0, 0, 0, 0xff}, Width: 1}
		},
		Describe: func(layer string, f gis.Feature) (string, []Row) {
			return f.String("maDoiTuong"), []Row{{"Ký hiệu", f.String("maDoiTuong")}, {"Ghi chú", "<b>&"}}
		},
	}
	var buf bytes.Buffer
	if err := Write(&buf, layers, o); err != nil {
		t.Fatal(err)
	}
	s := buf.String()
	var doc struct {
		Folders []struct {
			Name       string `xml:"name"`
			Placemarks []struct {
				Name  string `xml:"name"`
				Style string `xml:"styleUrl"`
				Data  []struct {
					Name  string `xml:"name,attr"`
					Value string `xml:"value"`
				} `xml:"ExtendedData>Data"`
				Multi *struct{} `xml:"MultiGeometry"`
			} `xml:"Placemark"`
		} `xml:"Document>Folder"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, s)
	}
	if len(doc.Folders) != 2 || len(doc.Folders[0].Placemarks) != 2 || doc.Folders[0].Placemarks[1].Multi == nil {
		t.Fatalf("structure: %+v", doc)
	}
	p := doc.Folders[0].Placemarks[0]
	data := map[string]string{}
	for _, d := range p.Data {
		data[d.Name] = d.Value
	}
	if p.Name != "ONM-01" || p.Style != "#sChucNangSuDungDat_A" || data[IDField] != "a1" || data["matDoXayDung"] != "40" || data["coHT"] != "true" {
		t.Errorf("placemark %+v", p)
	}
	if !strings.Contains(s, "b00099cc") { // aabbggrr
		t.Errorf("the fill colour is not in KML's aabbggrr form:\n%s", s)
	}
	buf.Reset()
	if err := WriteKMZ(&buf, layers, o); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil || len(zr.File) != 1 || zr.File[0].Name != "doc.kml" {
		t.Fatalf("KMZ: %v", err)
	}
}
