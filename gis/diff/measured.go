package diff

// Measured is a lot reduced to what a balance reads of it: its class and
// its planar area (m² in EPSG:9215). A store that keeps both beside each
// lot draws up a balance without reading the lots' geometry.
type Measured struct {
	Class Class
	M2    float64
}

// BalanceOfMeasured is BalanceOf of lots already classified and measured,
// given in the same order: the same table, to the last bit.
func BalanceOfMeasured(lots []Measured, order []string) Balance {
	var t tally
	t.addMeasured(lots, nil)
	return t.balance(order, false)
}

// CompareMeasured is Compare of lots already classified and measured,
// each side in the order Compare would get its lots.
func CompareMeasured(before, after []Measured, order []string) Balance {
	var t tally
	t.addMeasured(after, before)
	return t.balance(order, true)
}

// addMeasured is add for measured lots: the same rows, in the same order,
// summed in the same order.
func (t *tally) addMeasured(after, before []Measured) {
	t.index = make(map[string]int)
	n := len(after) + len(before)
	rows := make([]int32, n)
	areas := make([]float64, n)
	last := -1
	for k := range n {
		var m *Measured
		if k < len(after) {
			m = &after[k]
		} else {
			m = &before[k-len(after)]
		}
		last = t.row(m.Class, last)
		rows[k], areas[k] = int32(last), m.M2
	}
	t.sum(rows, areas, len(after))
}
