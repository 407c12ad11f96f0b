package plan

import (
	"image/color"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"

	"quyhoach/gis"
	"quyhoach/gis/kml"
	"quyhoach/gis/landuse"
	"quyhoach/gis/render"
)

var kmlGrey = color.NRGBA{0xc0, 0xc0, 0xc0, 0xB0}

func darker(c color.NRGBA) color.NRGBA {
	return color.NRGBA{c.R / 2, c.G / 2, c.B / 2, 0xff}
}

func kmlLineColor(layer string) color.NRGBA {
	switch {
	case strings.HasPrefix(layer, "RanhGioi"), strings.HasPrefix(layer, "ChiGioi"):
		return color.NRGBA{0xff, 0, 0, 0xff}
	case strings.HasPrefix(layer, "TimDuong"):
		return color.NRGBA{0x40, 0x40, 0x40, 0xff}
	}
	return color.NRGBA{0, 0, 0, 0xff}
}

// kmlDescribe is a placemark's name and table: for a lot its code, class,
// official area (planar, EPSG:9215) and the indicators of its label.
func kmlDescribe(layer string, f gis.Feature, cat *landuse.Catalogue, grid orb.Projection) (string, []kml.Row) {
	name := f.String("maDoiTuong")
	if name == "" {
		name = f.String("tenDoiTuong")
	}
	var rows []kml.Row
	add := func(label, v string) {
		if v != "" {
			rows = append(rows, kml.Row{Label: label, Value: v})
		}
	}
	add("Ký hiệu", f.String("maDoiTuong"))
	add("Tên", f.String("tenDoiTuong"))
	if layer == gis.LandUseLayer {
		class := f.String("phanLoai")
		if cat != nil {
			if c, ok := cat.Of(f); ok {
				class = c.NameVI + " (" + c.Code + ")"
			}
		}
		add("Loại đất", class)
		area := gis.Area(project.Geometry(orb.Clone(f.Geometry), grid))
		add("Diện tích", gis.FormatVN(area/10000, 2)+" ha")
		lines := render.LotLabel(f, area, "vi")
		if len(lines) > 0 && len(lines[len(lines)-1]) > 0 && !strings.HasSuffix(lines[len(lines)-1], " ha") {
			add("Chỉ tiêu", lines[len(lines)-1])
		}
	}
	add("Ghi chú", f.String("ghiChu"))
	add("Mã thông tin QH", f.String("maThongTinQH"))
	return name, rows
}
