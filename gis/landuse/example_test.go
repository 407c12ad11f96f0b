package landuse_test

import (
	"fmt"

	"quyhoach/assets"
	"quyhoach/gis"
	"quyhoach/gis/landuse"
)

func ExampleCatalogue_Of() {
	cat, err := landuse.Parse(assets.LandUse)
	if err != nil {
		panic(err)
	}
	lot := gis.Feature{Properties: map[string]any{"maDoiTuong": "CN-03", "phanLoai": "DAT_SX_Congnghiep", "giaiDoan": "QHDH"}}
	c, _ := cat.Of(lot)
	st := c.Outline(lot.String("giaiDoan"))
	fmt.Println(c.Code, c.NameVI, c.ACI, c.RGB, st.WidthMM, st.Dash)
	// Output: CN Đất công nghiệp, kho tàng 192 {102 0 204 255} 0.35 [3 1.5]
}
