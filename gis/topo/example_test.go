package topo_test

import (
	"context"
	"fmt"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/topo"
)

func ExampleCheck() {
	// Projected EPSG:9215 coordinates near Đồng Đăng: a 30 m × 10 m plan with
	// three lots, the middle one missing and the last one 2 m too long.
	sq := func(x0, x1 float64) orb.Polygon {
		e, n := 442790.0, 2428320.0
		return orb.Polygon{{{e + x0, n}, {e + x1, n}, {e + x1, n + 10}, {e + x0, n + 10}, {e + x0, n}}}
	}
	lots := []gis.Feature{
		{ID: "a", Geometry: sq(0, 10), Properties: map[string]any{"maDoiTuong": "CN-01", "phanLoai": "DAT_SX_Congnghiep", "matDoXayDung": 60.0}},
		{ID: "c", Geometry: sq(20, 32), Properties: map[string]any{"maDoiTuong": "CN-03", "phanLoai": "DAT_Kho", "tangCaoMin": 3.0, "tangCaoMax": 2.0}},
	}
	known := func(c string) bool { return c == "DAT_SX_Congnghiep" }
	findings, err := topo.Check(context.Background(), lots, sq(0, 30), topo.Options{KnownClass: known})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range findings {
		fmt.Printf("%-9s %v %s\n", f.Kind, f.IDs, f.Message)
	}
	// Output:
	// gap       [a c] gap of 100 m² between lots CN-01 and CN-03
	// outside   [c] lot CN-03 extends 20 m² outside the plan boundary
	// class     [c] lot CN-03 has an unknown land-use class (phanLoai) "DAT_Kho"
	// indicator [c] lot CN-03 has tangCaoMin = 3 above tangCaoMax = 2
}
