package store

import (
	"reflect"
	"testing"
)

// st is a stored feature: id, key value, and a body told apart by one byte.
func st(id, key string, body byte) storedFeature {
	return storedFeature{id: id, key: key, hash: [32]byte{body}}
}

// added is a dossier's own addition.
func added(id, key string) storedFeature {
	f := st(id, key, 0)
	f.added = true
	return f
}

// in is an incoming feature: own id, key value, body byte and parents.
func in(id, key string, body byte, parents ...string) incoming {
	return incoming{id: id, key: key, hash: [32]byte{body}, parents: parents}
}

func TestMatch(t *testing.T) {
	importByID := matchRules{ownIDs: true, sameBody: true, from: "the current version"}
	importByKey := matchRules{key: "maDoiTuong", ownIDs: true, sameBody: true, from: "the current version"}
	applyByID := matchRules{ownIDs: true, oneEach: true, from: "base version 1"}
	applyByKey := matchRules{key: "maDoiTuong", oneEach: true, from: "base version 1"}
	lots := []storedFeature{st("a", "L-0", 1), st("b", "L-1", 2), st("c", "L-2", 3)}
	for _, tc := range []struct {
		name    string
		rules   matchRules
		stored  []storedFeature
		in      []incoming
		want    matched
		wantErr string
	}{
		{
			name: "by key: keys find their feature whatever the ids and bodies", rules: importByKey, stored: lots,
			in:   []incoming{in("x", "L-1", 9), in("", "L-0", 1), in("", "N-1", 8)},
			want: matched{stored: []int{1, 0, -1}, left: []int{2}},
		},
		{
			name: "by key: no key value falls back on the id, then the body", rules: importByKey, stored: lots,
			in:   []incoming{in("c", "", 9), in("", "", 2), in("", "", 7)},
			want: matched{stored: []int{2, 1, -1}, left: []int{0}},
		},
		{
			name: "by id", rules: importByID, stored: lots,
			in:   []incoming{in("c", "", 9), in("a", "", 9), in("z", "", 9)},
			want: matched{stored: []int{2, 0, -1}, left: []int{1}},
		},
		{
			name: "identical bodies: each stored one matched once, in order", rules: importByID,
			stored: []storedFeature{st("a", "", 5), st("b", "", 5), st("c", "", 6)},
			in:     []incoming{in("", "", 5), in("", "", 5), in("", "", 5)},
			want:   matched{stored: []int{0, 1, -1}, left: []int{2}},
		},
		{
			name: "import: a repeated id looks further (here: an identical body)", rules: importByID, stored: lots,
			in:   []incoming{in("a", "", 9), in("a", "", 2)},
			want: matched{stored: []int{0, 1}, left: []int{2}},
		},
		{
			name: "import: a key whose feature is taken looks further", rules: importByKey, stored: lots,
			in:   []incoming{in("b", "", 9), in("", "L-1", 3)},
			want: matched{stored: []int{1, 2}, left: []int{0}},
		},
		{
			name: "import: repeated keys refused", rules: importByKey, stored: lots,
			in:      []incoming{in("", "L-0", 1), in("", "L-9", 1), in("", "L-0", 1)},
			wantErr: `feature 2: maDoiTuong "L-0" repeats feature 0's`,
		},
		{
			name: "repeated stored keys: the last one holds the key", rules: importByKey,
			stored: []storedFeature{st("a", "K", 1), st("b", "K", 2)},
			in:     []incoming{in("", "K", 1)},
			want:   matched{stored: []int{1}, left: []int{0}},
		},
		{
			name: "apply by id: an unknown id is new, a repeated id refused", rules: applyByID, stored: lots,
			in:      []incoming{in("n", "", 0), in("b", "", 0), in("n", "", 0)},
			wantErr: "feature 2: id n repeats feature 0's",
		},
		{
			name: "apply by id: a repeated stored id refused", rules: applyByID, stored: lots,
			in:      []incoming{in("b", "", 0), in("b", "", 0)},
			wantErr: "feature 1: id b repeats feature 0's",
		},
		{
			name: "apply by key: the file's ids name nothing", rules: applyByKey, stored: lots,
			in:   []incoming{in("a", "", 0), in("b", "L-2", 0), in("c", "N", 0)},
			want: matched{stored: []int{-1, 2, -1}, left: []int{0, 1}},
		},
		{
			name: "apply by key: one key matched twice refused", rules: applyByKey, stored: lots,
			in:      []incoming{in("", "L-1", 0), in("", "L-1", 0)},
			wantErr: "feature 1: id b repeats feature 0's",
		},
		{
			name: "apply by key: an unknown key twice makes two additions", rules: applyByKey, stored: lots,
			in:   []incoming{in("", "N", 0), in("", "N", 0)},
			want: matched{stored: []int{-1, -1}, left: []int{0, 1, 2}},
		},
		{
			name: "apply: the dossier's additions are found by key and by id; a base key wins", rules: applyByKey,
			stored: append(append([]storedFeature{}, lots...), added("n1", "N-1"), added("n2", "L-0")),
			in:     []incoming{in("", "N-1", 0), in("", "L-0", 0)},
			want:   matched{stored: []int{3, 0}, left: []int{1, 2, 4}},
		},
		{
			name: "apply by id: an addition found by its id", rules: applyByID,
			stored: append(append([]storedFeature{}, lots...), added("n1", "")),
			in:     []incoming{in("n1", "", 0)},
			want:   matched{stored: []int{3}, left: []int{0, 1, 2}},
		},
		{
			name: "parents by key, and by id when ids count", rules: importByKey, stored: lots,
			in:   []incoming{in("", "L-0a", 7, "L-0"), in("", "L-0b", 8, "L-0", "c")},
			want: matched{stored: []int{-1, -1}, parents: [][]int{{0}, {0, 2}}, left: []int{0, 1, 2}},
		},
		{
			name: "parents by id", rules: applyByID, stored: lots,
			in:   []incoming{in("b", "", 0, "a", "b")},
			want: matched{stored: []int{1}, parents: [][]int{{0, 1}}, left: []int{0, 2}},
		},
		{
			name: "unknown parent refused", rules: importByID, stored: lots,
			in:      []incoming{in("", "", 7), in("", "", 8, "nowhere")},
			wantErr: `feature 1: parent "nowhere" is not a feature of the current version`,
		},
		{
			name: "apply by key: a parent named by id refused", rules: applyByKey, stored: lots,
			in:      []incoming{in("", "N", 0, "a")},
			wantErr: `feature 0: parent "a" is not a feature of base version 1`,
		},
		{
			name: "an addition is not a parent", rules: applyByKey,
			stored:  append(append([]storedFeature{}, lots...), added("n1", "N-1")),
			in:      []incoming{in("", "N-2", 0, "N-1")},
			wantErr: `feature 0: parent "N-1" is not a feature of base version 1`,
		},
		{
			name: "nothing stored: all new", rules: importByKey,
			in:   []incoming{in("a", "L-0", 1), in("b", "", 2)},
			want: matched{stored: []int{-1, -1}},
		},
		{
			name: "nothing in: all left", rules: importByKey, stored: lots,
			want: matched{stored: []int{}, left: []int{0, 1, 2}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := match(tc.in, tc.stored, tc.rules)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("got error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.want.parents == nil {
				tc.want.parents = make([][]int, len(tc.in))
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}
