package crs

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Code
	}{
		{"EPSG:9215", TM3LangSon},
		{"epsg:9215", TM3LangSon},
		{"  EPSG:3405\n", UTM48N},
		{"9215", TM3LangSon},
		{"3405", UTM48N},
		{"4326", WGS84},
		{"EPSG:4326", WGS84},
		{"urn:ogc:def:crs:EPSG::9215", TM3LangSon},
		{"urn:ogc:def:crs:EPSG:9.8.15:3405", UTM48N},
		{"http://www.opengis.net/def/crs/EPSG/0/9215", TM3LangSon},
		{"https://www.opengis.net/def/crs/EPSG/0/4326", WGS84},
		{"CRS84", WGS84},
		{"crs84", WGS84},
		{"OGC:CRS84", WGS84},
		{"urn:ogc:def:crs:OGC:1.3:CRS84", WGS84},
		{"urn:ogc:def:crs:OGC::CRS84", WGS84},
		{"http://www.opengis.net/def/crs/OGC/1.3/CRS84", WGS84},
		{"WGS84", WGS84},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("Parse(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ in, msg string }{
		{"", "unknown coordinate system"},
		{"EPSG:", "unknown coordinate system"},
		{"EPSG:abc", "unknown coordinate system"},
		{"VN-2000", "unknown coordinate system"},
		{"urn:ogc:def:crs:EPSG::", "unknown coordinate system"},
		{"EPSG:32648", "unsupported coordinate system"},
		{"4756", "unsupported coordinate system"},
		{"urn:ogc:def:crs:EPSG::3857", "unsupported coordinate system"},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err == nil {
			t.Errorf("Parse(%q) = %v, want an error", tt.in, got)
			continue
		}
		if !strings.HasPrefix(err.Error(), "crs: "+tt.msg) || !strings.Contains(err.Error(), tt.in) {
			t.Errorf("Parse(%q): error %q, want %q naming the input", tt.in, err, "crs: "+tt.msg)
		}
	}
}

func TestCodeString(t *testing.T) {
	for _, c := range Known {
		got, err := Parse(c.String())
		if err != nil || got != c {
			t.Errorf("Parse(%q) = %v, %v; want %v", c.String(), got, err, c)
		}
	}
	if !WGS84.Geographic() || TM3LangSon.Geographic() || UTM48N.Geographic() {
		t.Error("only WGS84 is geographic")
	}
}
