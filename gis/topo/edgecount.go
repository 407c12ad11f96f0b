package topo

// edgeCounts counts edges by key and drops a count the moment it comes
// back to zero: the free-edge count's table, where nearly every edge is
// met by its reverse soon after it is added. Open addressing with linear
// probing and deletion by backward shift (no tombstones), so a table that
// stays small stays fast; twice as fast as a Go map for this use.
type edgeCounts struct {
	keys  []ekey
	vals  []int32 // 0: an empty slot (a count is never kept at 0)
	n     int
	shift uint // 64 − log2(len(vals))
}

// newEdgeCounts is a table that holds n counts without growing.
func newEdgeCounts(n int) *edgeCounts {
	bits := uint(10)
	for 1<<bits < 2*n {
		bits++
	}
	return &edgeCounts{keys: make([]ekey, 1<<bits), vals: make([]int32, 1<<bits), shift: 64 - bits}
}

// home is k's first slot.
func (t *edgeCounts) home(k ekey) int {
	h := (k.a*0x9E3779B97F4A7C15 ^ k.b) * 0xBF58476D1CE4E5B9
	return int(h >> t.shift)
}

// add adds s (not 0) to k's count.
func (t *edgeCounts) add(k ekey, s int32) {
	mask := len(t.vals) - 1
	i := t.home(k)
	for t.vals[i] != 0 {
		if t.keys[i] == k {
			if t.vals[i] += s; t.vals[i] == 0 {
				t.remove(i)
			}
			return
		}
		i = (i + 1) & mask
	}
	t.keys[i], t.vals[i] = k, s
	if t.n++; 2*t.n > len(t.vals) {
		t.grow()
	}
}

// remove empties slot i, moving back the entries after it whose probe
// passed through it.
func (t *edgeCounts) remove(i int) {
	mask := len(t.vals) - 1
	t.n--
	for j := (i + 1) & mask; t.vals[j] != 0; j = (j + 1) & mask {
		if (j-t.home(t.keys[j]))&mask >= (j-i)&mask {
			t.keys[i], t.vals[i] = t.keys[j], t.vals[j]
			i = j
		}
	}
	t.vals[i] = 0
}

func (t *edgeCounts) grow() {
	keys, vals := t.keys, t.vals
	t.keys, t.vals, t.n = make([]ekey, 2*len(keys)), make([]int32, 2*len(vals)), 0
	t.shift--
	for i, v := range vals {
		if v != 0 {
			t.add(keys[i], v)
		}
	}
}

// each calls fn for every key whose count is not 0.
func (t *edgeCounts) each(fn func(k ekey, n int32)) {
	for i, v := range t.vals {
		if v != 0 {
			fn(t.keys[i], v)
		}
	}
}
