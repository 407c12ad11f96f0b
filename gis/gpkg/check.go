package gpkg

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// maxWKBDepth bounds the nesting of collections in a WKB geometry.
const maxWKBDepth = 16

// checkWKB walks a WKB geometry without decoding it and refuses one whose
// counts promise more than its bytes hold, before any decoder allocates for
// them: a crafted count of 0x7fffffff rings must be an error, not a 34 GB
// allocation. It returns the geometry's length in bytes.
func checkWKB(b []byte, depth int) (int, error) {
	if depth > maxWKBDepth {
		return 0, fmt.Errorf("geometry nested more than %d deep", maxWKBDepth)
	}
	if len(b) < 5 {
		return 0, errors.New("geometry truncated")
	}
	var order binary.ByteOrder
	switch b[0] {
	case 0:
		order = binary.BigEndian
	case 1:
		order = binary.LittleEndian
	default:
		return 0, fmt.Errorf("byte order %d is neither 0 nor 1", b[0])
	}
	typ := order.Uint32(b[1:5])
	pos := 5
	dims := 2
	if typ&0x20000000 != 0 { // EWKB with an SRID
		pos += 4
	}
	if typ&0x80000000 != 0 {
		dims++
	}
	if typ&0x40000000 != 0 {
		dims++
	}
	typ &^= 0xe0000000
	switch typ / 1000 {
	case 1, 2:
		dims++
	case 3:
		dims += 2
	}
	base := typ % 1000
	point := 8 * dims
	count := func() (int, error) {
		if len(b) < pos+4 {
			return 0, errors.New("geometry truncated")
		}
		n := int(order.Uint32(b[pos:]))
		pos += 4
		return n, nil
	}
	// need checks that n elements of at least size bytes fit in what is left
	need := func(n, size int) error {
		if n < 0 || size > 0 && n > (len(b)-pos)/size {
			return fmt.Errorf("a count of %d elements is more than the %d bytes left can hold", n, len(b)-pos)
		}
		return nil
	}
	switch base {
	case 1: // point
		if err := need(1, point); err != nil {
			return 0, err
		}
		return pos + point, nil
	case 2: // line string
		n, err := count()
		if err == nil {
			err = need(n, point)
		}
		return pos + n*point, err
	case 3: // polygon
		rings, err := count()
		if err == nil {
			err = need(rings, 4)
		}
		for i := 0; err == nil && i < rings; i++ {
			var n int
			if n, err = count(); err == nil {
				if err = need(n, point); err == nil {
					pos += n * point
				}
			}
		}
		return pos, err
	case 4, 5, 6, 7: // multi point, line string, polygon; collection
		n, err := count()
		if err == nil {
			err = need(n, 5)
		}
		for i := 0; err == nil && i < n; i++ {
			var size int
			if size, err = checkWKB(b[pos:], depth+1); err == nil {
				pos += size
			}
		}
		return pos, err
	}
	return 0, fmt.Errorf("geometry type %d is not one WKB defines", typ)
}
