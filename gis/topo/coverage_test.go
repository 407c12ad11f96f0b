package topo

import (
	"fmt"
	"testing"

	"github.com/paulmach/orb"
)

func TestCoverageOf(t *testing.T) {
	square := orb.Polygon{{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}}
	bow := orb.Polygon{{{0, 0}, {10, 10}, {10, 0}, {0, 10}, {0, 0}}}
	known := func(string) bool { return true }
	for _, c := range []struct {
		bd   orb.Geometry
		opt  Options
		want string
	}{
		{square, Options{KnownClass: known}, "[overlap gap invalid outside class indicator] []"},
		{nil, Options{KnownClass: known}, "[overlap invalid class indicator] [{gap no plan boundary} {outside no plan boundary}]"},
		{square, Options{}, "[overlap gap invalid outside indicator] [{class no land-use catalogue given}]"},
	} {
		cov := CoverageOf(c.bd, c.opt)
		if got := fmt.Sprint(cov.Ran, " ", cov.Skipped); got != c.want {
			t.Errorf("got %s, want %s", got, c.want)
		}
	}
	cov := CoverageOf(bow, Options{KnownClass: known})
	if len(cov.Skipped) != 2 || cov.Skipped[0].Why[:28] != "the plan boundary is invalid" {
		t.Errorf("invalid boundary: %+v", cov)
	}
}
