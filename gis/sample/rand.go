package sample

import "hash/fnv"

// rng is a small deterministic generator (SplitMix64): the sample files must
// not change with the Go version, so math/rand is not used.
type rng struct{ s uint64 }

// newRNG returns a generator seeded by a key, so that each block or lot draws
// from its own stream and editing one does not shift the others.
func newRNG(key string) *rng {
	h := fnv.New64a()
	h.Write([]byte(key))
	return &rng{s: h.Sum64()}
}

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// float returns a number in [0, 1).
func (r *rng) float() float64 { return float64(r.next()>>11) / (1 << 53) }

// between returns a number in [a, b).
func (r *rng) between(a, b float64) float64 { return a + (b-a)*r.float() }

// intn returns a number in [0, n).
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// chance reports true with probability p.
func (r *rng) chance(p float64) bool { return r.float() < p }
