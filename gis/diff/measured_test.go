package diff

import (
	"reflect"
	"testing"

	"quyhoach/gis"
)

// measure classifies and measures lots as a store keeping both would.
func measure(lots []gis.Feature) []Measured {
	out := make([]Measured, len(lots))
	for i, f := range lots {
		out[i] = Measured{classOf(f), gis.Area(f.Geometry)}
	}
	return out
}

// TestMeasuredBalancesAreTheSame: lots measured beforehand give the very
// tables (every float to the bit) BalanceOf and Compare give, whole and
// for the adjusted area, sides empty or not.
func TestMeasuredBalancesAreTheSame(t *testing.T) {
	from := plan(20_000, 3)
	to, lineage := adjust(from, 3, true)
	if got, want := BalanceOfMeasured(measure(to), catalogueOrder), BalanceOf(to, classOf, catalogueOrder); !reflect.DeepEqual(got, want) {
		t.Errorf("balance of one side:\n got %+v\nwant %+v", got, want)
	}
	if got, want := CompareMeasured(measure(from), measure(to), catalogueOrder), Compare(from, to, classOf, catalogueOrder); !reflect.DeepEqual(got, want) {
		t.Errorf("whole plan:\n got %+v\nwant %+v", got, want)
	}
	before, after := AdjustedArea(Layers(from, to, lineage))
	for _, c := range []struct{ before, after []gis.Feature }{{before, after}, {nil, after}, {before, nil}, {nil, nil}} {
		if got, want := CompareMeasured(measure(c.before), measure(c.after), nil), Compare(c.before, c.after, classOf, nil); !reflect.DeepEqual(got, want) {
			t.Errorf("%d before, %d after:\n got %+v\nwant %+v", len(c.before), len(c.after), got, want)
		}
	}
}
