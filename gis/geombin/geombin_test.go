package geombin

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"testing"

	"github.com/paulmach/orb"
)

func TestRoundTrip(t *testing.T) {
	sq := orb.Ring{{444000.123456789, 2430000.5}, {444010, 2430000}, {444010, 2430010}, {444000, 2430010}, {444000.123456789, 2430000.5}}
	hole := orb.Ring{{444002, 2430002}, {444002, 2430004}, {444004, 2430004}, {444002, 2430002}}
	for _, g := range []orb.Geometry{
		nil,
		orb.Point{1.5, -2.25},
		orb.MultiPoint{{1, 2}, {3, 4}},
		orb.LineString{{1, 2}, {3, 4}, {5, 6}},
		orb.MultiLineString{{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}},
		orb.Polygon{sq, hole},
		orb.MultiPolygon{{sq}, {sq, hole}},
		orb.Collection{orb.Point{1, 1}, orb.Polygon{sq}, orb.Collection{orb.LineString{{0, 0}, {1, 1}}}},
	} {
		b := Append(nil, g)
		got, err := Decode(b)
		if err != nil {
			t.Fatalf("%T: %v", g, err)
		}
		if g == nil && got != nil || g != nil && !orb.Equal(got, g) {
			t.Errorf("%T: %v, want %v", g, got, g)
		}
	}
}

func TestDecodeRefusesDamage(t *testing.T) {
	b := Append(nil, orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}})
	b[5] ^= 1
	if _, err := Decode(b); !errors.Is(err, ErrDamaged) {
		t.Errorf("a flipped bit: %v", err)
	}
	if _, err := Decode([]byte{1, 2}); err == nil {
		t.Error("two bytes decoded")
	}
	// a count far beyond the bytes present is refused before allocating
	lie := Append(nil, orb.LineString{{0, 0}, {1, 1}})
	lie = append([]byte{tLineString, 0xff, 0xff, 0xff, 0xff, 0x07}, lie[2:len(lie)-4]...)
	if _, err := Decode(Append(nil, nil)[:0:0]); err == nil {
		t.Error("empty input decoded")
	}
	if _, err := Decode(withSum(lie)); err == nil {
		t.Error("a lying count decoded")
	}
}

func withSum(b []byte) []byte { return appendSum(b) }

// appendSum appends the checksum of b (forms built by hand).
func appendSum(b []byte) []byte {
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli))
}

func FuzzDecode(f *testing.F) {
	f.Add(Append(nil, orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}))
	f.Add(Append(nil, orb.Collection{orb.Point{1, 2}}))
	f.Fuzz(func(t *testing.T, b []byte) {
		g, err := Decode(b)
		if err == nil {
			if again, err := Decode(Append(nil, g)); err != nil || !orb.Equal(again, g) && g != nil {
				t.Fatalf("round trip of a decoded geometry: %v", err)
			}
		}
		// what carries a right checksum still never panics
		Decode(appendSum(b))
	})
}
