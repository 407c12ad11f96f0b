package geojson

import (
	"math"
	"math/big"
	"math/bits"
	"strconv"
	"sync"
)

// Numbers: the scanner collects the decimal mantissa and exponent while it
// checks the JSON grammar, so most numbers are converted without
// strconv.ParseFloat: exactly (Clinger's fast path) for up to 15–16
// significant digits, and by the Eisel–Lemire algorithm, as in Go's own
// strconv, for up to 19 (GDAL writes 15 decimals, 17–18 digits). The rare
// number neither settles goes to strconv.ParseFloat. Results are bit for bit
// those of strconv.ParseFloat; TestNumbers and FuzzNumber check it.

// scanNumber checks the JSON number at p.pos, leaves p.pos after it and
// returns its text (valid until the window slides) and its value as
// man × 10^exp10, exact unless trunc (more than 19 significant digits).
func (p *parser) scanNumber() (s []byte, man uint64, exp10 int, trunc bool) {
	for want := 40; ; want *= 4 {
		more := p.ensure(want) // false: the window holds the rest of the input
		var n numScan
		n.scan(p.data, p.pos)
		if n.end >= len(p.data) && more {
			continue // the number may go on past the window
		}
		if n.err != "" {
			p.pos = n.end
			p.unexpected(n.err)
		}
		s = p.data[p.pos:n.end]
		p.pos = n.end
		return s, n.man, n.exp10, n.trunc
	}
}

type numScan struct {
	end   int
	man   uint64
	exp10 int
	trunc bool
	err   string
}

func (n *numScan) scan(d []byte, i int) {
	// Locals, not n's fields, in the digit loops: they stay in registers.
	var man uint64
	exp10, nd := 0, 0 // nd: significant digits in man
	trunc := false
	if i < len(d) && d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case i < len(d) && d[i] >= '1' && d[i] <= '9':
		for ; i < len(d); i++ {
			c := d[i] - '0'
			if c > 9 {
				break
			}
			if nd < 19 {
				man = man*10 + uint64(c)
				nd++
			} else {
				exp10++
				trunc = trunc || c != 0
			}
		}
	default:
		n.end, n.err = i, "in numeric literal"
		return
	}
	if i < len(d) && d[i] == '.' {
		i++
		if i >= len(d) || !isDigit(d[i]) {
			n.end, n.err = i, "after decimal point in numeric literal"
			return
		}
		for ; i < len(d); i++ {
			c := d[i] - '0'
			if c > 9 {
				break
			}
			if nd < 19 {
				man = man*10 + uint64(c)
				exp10--
				if man != 0 {
					nd++
				}
			} else {
				trunc = trunc || c != 0
			}
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		neg := false
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			neg = d[i] == '-'
			i++
		}
		if i >= len(d) || !isDigit(d[i]) {
			n.end, n.err = i, "in exponent of numeric literal"
			return
		}
		e := 0
		for ; i < len(d) && isDigit(d[i]); i++ {
			if e < 100_000 {
				e = e*10 + int(d[i]-'0')
			}
		}
		if neg {
			e = -e
		}
		exp10 += e
	}
	n.end, n.man, n.exp10, n.trunc = i, man, exp10, trunc
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// number reads a JSON number; one beyond float64's range is a problem.
func (p *parser) number() float64 {
	s, man, exp10, trunc := p.scanNumber()
	v, ok := numberValue(s, man, exp10, trunc)
	if !ok {
		p.problemf("number %s is out of range", s)
	}
	return v
}

// numberValue is the value of a scanned number s (man × 10^exp10, exact
// unless trunc); ok is false when it is beyond float64's range.
func numberValue(s []byte, man uint64, exp10 int, trunc bool) (float64, bool) {
	if !trunc {
		if f, ok := decimalToFloat(man, exp10, s[0] == '-'); ok {
			return f, true
		}
	}
	v, err := strconv.ParseFloat(string(s), 64)
	if err != nil {
		return 0, false
	}
	return v, true
}

var exactPow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// decimalToFloat returns man × 10^exp10 correctly rounded, when it can tell.
func decimalToFloat(man uint64, exp10 int, neg bool) (float64, bool) {
	if man < 1<<53 && exp10 >= -22 && exp10 <= 22 {
		// Both operands are exact, so one IEEE operation rounds correctly.
		f := float64(man)
		if exp10 < 0 {
			f /= exactPow10[-exp10]
		} else {
			f *= exactPow10[exp10]
		}
		if neg {
			f = -f
		}
		return f, true
	}
	return eiselLemire64(man, exp10, neg)
}

const (
	pow10Min = -348
	pow10Max = 347
)

// pow10Tab holds, for 10^e with e in [pow10Min, pow10Max], the 128-bit
// mantissa floor(10^e × 2^k) in [2^127, 2^128) as {hi, lo}: the table Go's
// strconv generates, computed here with math/big on first use.
var pow10Tab = sync.OnceValue(func() *[pow10Max - pow10Min + 1][2]uint64 {
	var t [pow10Max - pow10Min + 1][2]uint64
	ten := big.NewInt(10)
	mask := new(big.Int).SetUint64(math.MaxUint64)
	for e := pow10Min; e <= pow10Max; e++ {
		var m big.Int
		if e >= 0 {
			v := new(big.Int).Exp(ten, big.NewInt(int64(e)), nil)
			if shift := 128 - v.BitLen(); shift >= 0 {
				m.Lsh(v, uint(shift))
			} else {
				m.Rsh(v, uint(-shift))
			}
		} else {
			d := new(big.Int).Exp(ten, big.NewInt(int64(-e)), nil)
			m.Quo(new(big.Int).Lsh(big.NewInt(1), uint(127+d.BitLen())), d)
		}
		t[e-pow10Min] = [2]uint64{new(big.Int).Rsh(&m, 64).Uint64(), new(big.Int).And(&m, mask).Uint64()}
	}
	return &t
})

// eiselLemire64 is Go's strconv.eiselLemire64 (BSD licence, The Go Authors),
// after https://nigeltao.github.io/blog/2020/eisel-lemire.html. It returns
// false when it cannot decide the rounding.
func eiselLemire64(man uint64, exp10 int, neg bool) (float64, bool) {
	if man == 0 {
		if neg {
			return math.Copysign(0, -1), true
		}
		return 0, true
	}
	if exp10 < pow10Min || exp10 > pow10Max {
		return 0, false
	}
	pow := pow10Tab()[exp10-pow10Min]
	exp2 := 1 + (exp10*108853)>>15 // 1 + floor(exp10 × log2(10))

	// Normalization.
	clz := bits.LeadingZeros64(man)
	man <<= uint(clz)
	retExp2 := uint64(exp2+63+1023) - uint64(clz)

	// Multiplication.
	xHi, xLo := bits.Mul64(man, pow[0])

	// Wider Approximation.
	if xHi&0x1FF == 0x1FF && xLo+man < man {
		yHi, yLo := bits.Mul64(man, pow[1])
		mergedHi, mergedLo := xHi, xLo+yHi
		if mergedLo < xLo {
			mergedHi++
		}
		if mergedHi&0x1FF == 0x1FF && mergedLo+1 == 0 && yLo+man < man {
			return 0, false
		}
		xHi, xLo = mergedHi, mergedLo
	}

	// Shifting to 54 Bits.
	msb := xHi >> 63
	retMantissa := xHi >> (msb + 9)
	retExp2 -= 1 ^ msb

	// Half-way Ambiguity.
	if xLo == 0 && xHi&0x1FF == 0 && retMantissa&3 == 1 {
		return 0, false
	}

	// From 54 to 53 Bits.
	retMantissa += retMantissa & 1
	retMantissa >>= 1
	if retMantissa>>53 > 0 {
		retMantissa >>= 1
		retExp2++
	}
	// Subnormal (retExp2 <= 0) or infinite (>= 0x7FF): let strconv decide.
	if retExp2-1 >= 0x7FF-1 {
		return 0, false
	}
	retBits := retExp2<<52 | retMantissa&(1<<52-1)
	if neg {
		retBits |= 1 << 63
	}
	return math.Float64frombits(retBits), true
}
