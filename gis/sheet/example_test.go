package sheet_test

import (
	"fmt"

	"github.com/paulmach/orb"

	"quyhoach/gis/sheet"
)

func ExampleFit() {
	// A plan of 500 × 300 m in EPSG:9215 on an A3 landscape sheet.
	plan := orb.Bound{Min: orb.Point{444000, 2430000}, Max: orb.Point{444500, 2430300}}
	l, err := sheet.Fit(sheet.Options{Paper: "A3", Landscape: true}, plan)
	if err != nil {
		panic(err)
	}
	x0, _ := l.Page(orb.Point{444000, 2430000})
	x1, _ := l.Page(orb.Point{444100, 2430000})
	fmt.Println(l.ScaleText(), l.Width, "×", l.Height, "mm")
	fmt.Printf("100 m on the ground: %.2f mm on paper\n", x1-x0)
	// Output:
	// TỶ LỆ 1/2000 420 × 297 mm
	// 100 m on the ground: 50.00 mm on paper
}

func ExampleAtlas() {
	plan := orb.Bound{Min: orb.Point{444000, 2430000}, Max: orb.Point{444900, 2430500}}
	sheets, err := sheet.Atlas(sheet.Options{Paper: "A1", Landscape: true, Scale: 500}, plan, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(sheets), "sheets at", sheets[0].ScaleText())
	// Output: 6 sheets at TỶ LỆ 1/500
}
