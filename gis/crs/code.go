// Package crs transforms coordinates between WGS84 and the VN-2000 grids used
// for the zone's plans: TM-3 107-15 (EPSG:9215, Lạng Sơn) and UTM 48N (EPSG:3405).
package crs

import (
	"fmt"
	"strconv"
	"strings"
)

// Code is an EPSG code.
type Code int

// The coordinate systems the program knows.
const (
	WGS84      Code = 4326 // geographic, x = lon, y = lat (GeoJSON order)
	TM3LangSon Code = 9215 // VN-2000 / TM-3 107-15, x = E, y = N, metres; the official grid
	UTM48N     Code = 3405 // VN-2000 / UTM zone 48N, x = E, y = N, metres
)

// Known lists the codes Parse accepts.
var Known = []Code{WGS84, TM3LangSon, UTM48N}

// String returns "EPSG:N".
func (c Code) String() string { return "EPSG:" + strconv.Itoa(int(c)) }

// Geographic reports whether coordinates are degrees (lon, lat).
func (c Code) Geographic() bool { return c == WGS84 }

// Parse reads a CRS name as users and files write it: "EPSG:9215", "9215",
// "urn:ogc:def:crs:EPSG::9215" (GDAL), "http://www.opengis.net/def/crs/EPSG/0/9215"
// (OGC APIs), "CRS84", "OGC:CRS84", "urn:ogc:def:crs:OGC:1.3:CRS84" or
// "http://www.opengis.net/def/crs/OGC/1.3/CRS84". Case and surrounding space
// do not matter. An unknown or unsupported CRS is an error.
func Parse(s string) (Code, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	if u, ok := strings.CutPrefix(t, "HTTPS://"); ok {
		t = "HTTP://" + u
	}
	switch t {
	case "CRS84", "OGC:CRS84", "URN:OGC:DEF:CRS:OGC:1.3:CRS84", "URN:OGC:DEF:CRS:OGC::CRS84", "WGS84",
		"HTTP://WWW.OPENGIS.NET/DEF/CRS/OGC/1.3/CRS84":
		return WGS84, nil
	}
	num := t
	switch {
	case strings.HasPrefix(t, "URN:OGC:DEF:CRS:EPSG:"):
		num = t[strings.LastIndex(t, ":")+1:]
	case strings.HasPrefix(t, "HTTP://WWW.OPENGIS.NET/DEF/CRS/EPSG/"):
		num = t[strings.LastIndex(t, "/")+1:]
	case strings.HasPrefix(t, "EPSG:"):
		num = strings.TrimPrefix(t, "EPSG:")
	}
	n, err := strconv.Atoi(num)
	if err != nil {
		return 0, fmt.Errorf("crs: unknown coordinate system %q", s)
	}
	for _, c := range Known {
		if Code(n) == c {
			return c, nil
		}
	}
	return 0, fmt.Errorf("crs: unsupported coordinate system %q (supported: EPSG:4326, EPSG:9215, EPSG:3405)", s)
}
