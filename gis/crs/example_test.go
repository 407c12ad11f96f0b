package crs_test

import (
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/paulmach/orb"

	"quyhoach/gis/crs"
)

// The Hữu Nghị border gate, from GPS (WGS84) to the provincial VN-2000 grid.
func ExampleNew() {
	toGrid, err := crs.New(crs.WGS84, crs.TM3LangSon)
	if err != nil {
		log.Fatal(err)
	}
	p := toGrid(orb.Point{106.71083, 21.97111}) // lon, lat
	fmt.Printf("X (N) %.3f  Y (E) %.3f\n", p[1], p[0])
	// Output: X (N) 2430566.951  Y (E) 444122.778
}

func ExampleStream() {
	in := strings.NewReader("444122.778 2430566.951\n448927.783 2416895.459\n")
	if err := crs.Stream(in, os.Stdout, crs.TM3LangSon, crs.WGS84); err != nil {
		log.Fatal(err)
	}
	// Output:
	// 106.710830003 21.971109993
	// 106.757780011 21.847779999
}
