package lthash

import (
	"fmt"
	"math/rand"
	"testing"
)

func TestOrderFreeAndIncremental(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	elems := make([][]byte, 200)
	for i := range elems {
		elems[i] = []byte(fmt.Sprintf("feature-%d\x00layer\x00%x", i, rng.Int63()))
	}
	var a, b Hash
	for _, e := range elems {
		a.Add(Expand(e))
	}
	for _, i := range rng.Perm(len(elems)) {
		b.Add(Expand(elems[i]))
	}
	if !a.Equal(&b) || a.Sum() != b.Sum() {
		t.Fatal("the order of adding changed the hash")
	}
	// removing ten and adding ten others equals hashing the new set from scratch
	var c Hash
	for _, e := range elems[10:] {
		c.Add(Expand(e))
	}
	extra := [][]byte{[]byte("x1"), []byte("x2")}
	for _, e := range extra {
		c.Add(Expand(e))
	}
	for _, e := range elems[:10] {
		a.Remove(Expand(e))
	}
	for _, e := range extra {
		a.Add(Expand(e))
	}
	if !a.Equal(&c) {
		t.Fatal("incremental update differs from the hash of the new set")
	}
	// a multiset: adding an element twice is not adding it once
	var d, e Hash
	d.Add(Expand([]byte("x")))
	e.Add(Expand([]byte("x")))
	e.Add(Expand([]byte("x")))
	if d.Equal(&e) {
		t.Fatal("duplicates collapse")
	}
	// Insert and Delete are Add and Remove of the expansion
	var f Hash
	f.Insert([]byte("x"))
	f.Insert([]byte("y"))
	f.Delete([]byte("x"))
	var g Hash
	g.Add(Expand([]byte("y")))
	if !f.Equal(&g) {
		t.Fatal("Insert/Delete differ from Add/Remove")
	}
	p, err := Parse(c.Bytes())
	if err != nil || !p.Equal(&c) {
		t.Fatalf("round trip: %v", err)
	}
	if _, err := Parse(make([]byte, 7)); err == nil {
		t.Fatal("a short state parsed")
	}
	var empty Hash
	if empty.Sum() == c.Sum() || Expand([]byte("a")).w == Expand([]byte("b")).w {
		t.Fatal("distinct sets share a digest")
	}
}

// TestLanesWrapModulo16: the four-lanes-at-a-time sums are lane-wise sums
// modulo 2^16, as in a loop over the lanes one by one.
func TestLanesWrapModulo16(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	for range 10000 {
		a, b := rng.Uint64(), rng.Uint64()
		if rng.Intn(4) == 0 {
			a |= 0xffff_ffff_ffff_ffff // carries in every lane
		}
		var sum, diff uint64
		for k := 0; k < 64; k += 16 {
			x, y := uint16(a>>k), uint16(b>>k)
			sum |= uint64(x+y) << k
			diff |= uint64(x-y) << k
		}
		if add16(a, b) != sum || sub16(a, b) != diff {
			t.Fatalf("%x ± %x: got %x %x, want %x %x", a, b, add16(a, b), sub16(a, b), sum, diff)
		}
	}
}

func BenchmarkExpandAdd(b *testing.B) {
	var h Hash
	in := []byte("0190f5a2-1234-7abc-8def-0123456789ab\x00ChucNangSuDungDat_A\x0001234567890123456789012345678901")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		h.Insert(in)
	}
}

// TestKnownDigest pins the expansion: seals stored in every store were
// made with it, so any change to how an element expands (a buffer reused,
// another cipher mode) must leave this digest as it is.
func TestKnownDigest(t *testing.T) {
	var h Hash
	h.Insert([]byte("lô A-1"))
	h.Insert([]byte("lô A-2"))
	h.Delete([]byte("lô A-1"))
	h.Add(Expand([]byte("x")))
	if got := fmt.Sprintf("%x", h.Sum()); got != "68db1c2963a9d4105a8012af7115298074c4c423259e957f2304d7915a8afcda" {
		t.Fatalf("digest %s", got)
	}
}
