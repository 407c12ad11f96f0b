package diff

import (
	"math"
	"slices"
	"testing"

	"quyhoach/gis"
)

// checkBalance checks the invariants of any Balance.
func checkBalance(t *testing.T, b Balance) {
	t.Helper()
	sum, before, pct, beforePct := 0.0, 0.0, 0.0, 0.0
	for _, r := range b.Rows {
		sum += r.Ha
		before += r.BeforeHa
		pct += r.Percent
		beforePct += r.BeforePercent
		if b.HasBefore && r.ChangeHa != r.Ha-r.BeforeHa {
			t.Errorf("%s: ChangeHa %v, want Ha − BeforeHa = %v", r.Code, r.ChangeHa, r.Ha-r.BeforeHa)
		}
		if r.Code == "" && r.Name == "" {
			t.Errorf("unclassified row without a name")
		}
	}
	if sum != b.TotalHa {
		t.Errorf("rows sum to %v ha, total %v ha", sum, b.TotalHa)
	}
	if before != b.BeforeTotalHa {
		t.Errorf("before rows sum to %v ha, total %v ha", before, b.BeforeTotalHa)
	}
	if b.TotalHa != 0 && math.Abs(pct-100) > 1e-9 {
		t.Errorf("percents sum to %v", pct)
	}
	if b.BeforeTotalHa != 0 && math.Abs(beforePct-100) > 1e-9 {
		t.Errorf("before percents sum to %v", beforePct)
	}
	if !b.HasBefore && (before != 0 || beforePct != 0) {
		t.Errorf("before columns filled without HasBefore")
	}
	if b.HasBefore {
		change := 0.0
		for _, r := range b.Rows {
			change += r.ChangeHa
		}
		if math.Abs(change-(b.TotalHa-b.BeforeTotalHa)) > 1e-9*max(1, b.TotalHa) {
			t.Errorf("changes sum to %v ha, totals differ by %v ha", change, b.TotalHa-b.BeforeTotalHa)
		}
	}
}

type rowHa struct {
	Code, Name string
	Ha         float64
}

func rowsHa(b Balance) []rowHa {
	var out []rowHa
	for _, r := range b.Rows {
		out = append(out, rowHa{r.Code, r.Name, r.Ha})
	}
	return out
}

func TestBalanceOf(t *testing.T) {
	ha := func(id string, x float64, class string) gis.Feature { return lot(id, x, 0, 100, 100, class) } // 1 ha
	tests := []struct {
		name  string
		lots  []gis.Feature
		order []string
		want  []rowHa
	}{
		{name: "no lots"},
		{
			name:  "catalogue order, then unknown codes sorted, then unclassified",
			order: catalogueOrder,
			lots: []gis.Feature{
				ha("1", 0, ""), ha("2", 100, "ZZZ"), ha("3", 200, "DAT_NN_Rung"), ha("4", 300, "AAA"),
				ha("5", 400, "DAT_O_Nhomnhao"), ha("6", 500, "DAT_NN_Rung"), lot("7", 600, 0, 50, 100, "DAT_O_Nhomnhao"),
			},
			want: []rowHa{
				{"DAT_O_Nhomnhao", "Đất nhóm nhà ở", 1.5},
				{"DAT_NN_Rung", "Đất rừng", 2},
				{"AAA", "", 1},
				{"ZZZ", "", 1},
				{"", Unclassified, 1},
			},
		},
		{
			name:  "no order: codes sorted",
			lots:  []gis.Feature{ha("1", 0, "DAT_NN_Rung"), ha("2", 100, "DAT_Anninh")},
			want:  []rowHa{{"DAT_Anninh", "Đất an ninh", 1}, {"DAT_NN_Rung", "Đất rừng", 1}},
			order: nil,
		},
		{
			name:  "order places the unclassified row",
			order: []string{"", "DAT_NN_Rung"},
			lots:  []gis.Feature{ha("1", 0, "DAT_NN_Rung"), ha("2", 100, "")},
			want:  []rowHa{{"", Unclassified, 1}, {"DAT_NN_Rung", "Đất rừng", 1}},
		},
		{
			name:  "lots without area still make their class's row",
			order: catalogueOrder,
			lots:  []gis.Feature{ha("1", 0, "DAT_Dichvu"), {ID: "p", Properties: map[string]any{"phanLoai": "DAT_Anninh"}}},
			want:  []rowHa{{"DAT_Dichvu", "Đất dịch vụ", 1}, {"DAT_Anninh", "Đất an ninh", 0}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := BalanceOf(tt.lots, classOf, tt.order)
			checkBalance(t, b)
			if got := rowsHa(b); !slices.Equal(got, tt.want) {
				t.Errorf("got  %v\nwant %v", got, tt.want)
			}
			if b.HasBefore {
				t.Error("HasBefore set")
			}
		})
	}
}

func TestBalanceOfNames(t *testing.T) {
	lots := []gis.Feature{lot("1", 0, 0, 100, 100, ""), lot("2", 0, 0, 100, 100, "X"), lot("3", 0, 0, 100, 100, "X")}
	names := map[string]Class{"1": {"", "chưa phân loại"}, "2": {"X", ""}, "3": {"X", "Đất X"}}
	b := BalanceOf(lots, func(f gis.Feature) Class { return names[f.ID] }, nil)
	want := []rowHa{{"X", "Đất X", 2}, {"", "chưa phân loại", 1}}
	if got := rowsHa(b); !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// TestClassOfCalls checks that the classifier is called once per lot, in
// order, after's lots first, and never concurrently.
func TestClassOfCalls(t *testing.T) {
	before := plan(9000, 4)
	after, _ := adjust(before, 4, true)
	var seen []string
	busy := false
	Compare(before, after, func(f gis.Feature) Class {
		if busy {
			t.Fatal("classOf called concurrently")
		}
		busy = true
		seen = append(seen, f.ID)
		busy = false
		return classOf(f)
	}, nil)
	var want []string
	for _, f := range append(slices.Clip(after), before...) {
		want = append(want, f.ID)
	}
	if !slices.Equal(seen, want) {
		t.Errorf("classOf saw %d lots, want the %d of after then before in order", len(seen), len(want))
	}
}

func TestCompare(t *testing.T) {
	// The Thụy Hùng example of DOMAIN.md, 1 ha: 0.4 ha agriculture becomes
	// relic/religious land, 0.07 ha public green and 0.21 ha housing appear.
	before := []gis.Feature{
		lot("nn", 0, 0, 40, 100, "DAT_NN_Nongnghiep"),      // 0.40 ha
		lot("nn2", 40, 0, 28, 100, "DAT_NN_Nongnghiep"),    // 0.28 ha
		lot("rung", 68, 0, 32, 100, "DAT_NN_Rung"),         // 0.32 ha
		lot("kt", 200, 0, 50, 100, "DAT_HTKT_DuongGT"),     // 0.5 ha, outside the adjustment
		lot("cc", 300, 0, 10, 100, "DAT_SX_Congnghiep"),    // 0.1 ha, removed
		lot("x", 400, 0, 10, 100, "DAT_KHONG_CO_TRONG_DM"), // not in the catalogue
	}
	after := []gis.Feature{
		lot("nn", 0, 0, 40, 100, "DAT_Ditich_tongiao"),
		lot("cx", 40, 0, 7, 100, "DAT_HTXH_CayxanhCC"),
		lot("o", 47, 0, 21, 100, "DAT_O_Nhomnhao"),
		lot("rung", 68, 0, 32, 100, "DAT_NN_Rung"),
		lot("kt", 200, 0, 50, 100, "DAT_HTKT_DuongGT"),
		lot("x", 400, 0, 10, 100, ""),
	}
	whole := Compare(before, after, classOf, catalogueOrder)
	checkBalance(t, whole)
	if !whole.HasBefore {
		t.Error("HasBefore not set")
	}
	want := map[string][3]float64{ // code → before, after, change (ha)
		"DAT_O_Nhomnhao":        {0, 0.21, 0.21},
		"DAT_HTXH_CayxanhCC":    {0, 0.07, 0.07},
		"DAT_SX_Congnghiep":     {0.1, 0, -0.1},
		"DAT_Ditich_tongiao":    {0, 0.4, 0.4},
		"DAT_HTKT_DuongGT":      {0.5, 0.5, 0},
		"DAT_NN_Nongnghiep":     {0.68, 0, -0.68},
		"DAT_NN_Rung":           {0.32, 0.32, 0},
		"DAT_KHONG_CO_TRONG_DM": {0.1, 0, -0.1},
		"":                      {0, 0.1, 0.1},
	}
	var codes []string
	for _, r := range whole.Rows {
		codes = append(codes, r.Code)
		w, ok := want[r.Code]
		if !ok {
			t.Errorf("unexpected row %q", r.Code)
			continue
		}
		if got := [3]float64{r.BeforeHa, r.Ha, r.ChangeHa}; !close3(got, w) {
			t.Errorf("%s: got before, after, change %v, want %v", r.Code, got, w)
		}
	}
	wantOrder := []string{"DAT_O_Nhomnhao", "DAT_HTXH_CayxanhCC", "DAT_SX_Congnghiep", "DAT_Ditich_tongiao",
		"DAT_HTKT_DuongGT", "DAT_NN_Nongnghiep", "DAT_NN_Rung", "DAT_KHONG_CO_TRONG_DM", ""}
	if !slices.Equal(codes, wantOrder) {
		t.Errorf("row order: got %q, want %q", codes, wantOrder)
	}
	if math.Abs(whole.BeforeTotalHa-1.7) > 1e-12 || math.Abs(whole.TotalHa-1.6) > 1e-12 {
		t.Errorf("totals: got %v → %v, want 1.7 → 1.6", whole.BeforeTotalHa, whole.TotalHa)
	}

	// The adjusted area alone: the untouched road and forest drop out.
	res := Layers(before, after, Lineage{"cx": {"nn2"}, "o": {"nn2"}})
	if s := res.Splits(); len(s) != 1 || s[0].String() != "nn2 → cx, o (split)" {
		t.Errorf("splits: got %v", s)
	}
	old, nu := AdjustedArea(res)
	local := Compare(old, nu, classOf, catalogueOrder)
	checkBalance(t, local)
	if math.Abs(local.BeforeTotalHa-0.88) > 1e-12 || math.Abs(local.TotalHa-0.78) > 1e-12 {
		t.Errorf("adjusted area totals: got %v → %v, want 0.88 → 0.78", local.BeforeTotalHa, local.TotalHa)
	}
	for _, r := range local.Rows {
		if r.Code == "DAT_HTKT_DuongGT" || r.Code == "DAT_NN_Rung" {
			t.Errorf("untouched class %s in the adjusted area's table", r.Code)
		}
	}
}

func close3(a, b [3]float64) bool {
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-12 {
			return false
		}
	}
	return true
}

func TestAdjustedArea(t *testing.T) {
	a, b, c := lot("A", 0, 0, 10, 10, "X"), lot("B", 10, 0, 10, 10, "X"), lot("C", 20, 0, 10, 10, "X")
	res := Layers([]gis.Feature{a, b, c}, []gis.Feature{with(a, "phanLoai", "Y"), c, lot("D", 30, 0, 10, 10, "X")}, nil)
	old, nu := AdjustedArea(res)
	ids := func(fs []gis.Feature) (s []string) {
		for _, f := range fs {
			s = append(s, f.ID)
		}
		return s
	}
	if got := ids(old); !slices.Equal(got, []string{"A", "B"}) {
		t.Errorf("before: got %v, want [A B]", got)
	}
	if got := ids(nu); !slices.Equal(got, []string{"A", "D"}) {
		t.Errorf("after: got %v, want [A D]", got)
	}
	if nu[0].String("phanLoai") != "Y" || old[0].String("phanLoai") != "X" {
		t.Error("sides swapped")
	}
	if o, n := AdjustedArea(Result{}); o != nil || n != nil {
		t.Error("no changes, yet features")
	}
}

// TestBalancePlan checks the sums on a large seeded plan, where rounding
// errors would show.
func TestBalancePlan(t *testing.T) {
	from := plan(30_000, 5)
	to, lineage := adjust(from, 5, false)
	checkBalance(t, BalanceOf(from, classOf, catalogueOrder))
	whole := Compare(from, to, classOf, catalogueOrder)
	checkBalance(t, whole)
	old, nu := AdjustedArea(Layers(from, to, lineage))
	checkBalance(t, Compare(old, nu, classOf, catalogueOrder))

	// The whole plan's change is the adjusted area's change.
	local := Compare(old, nu, classOf, catalogueOrder)
	if d := (whole.TotalHa - whole.BeforeTotalHa) - (local.TotalHa - local.BeforeTotalHa); math.Abs(d) > 1e-6 {
		t.Errorf("whole plan and adjusted area changes differ by %v ha", d)
	}
	for _, places := range []int{0, 1, 2, 4} {
		checkRounded(t, whole, places)
		checkRounded(t, local, places)
	}
}

// checkRounded checks that b.Rounded(places) adds up in units of 10^-places.
func checkRounded(t *testing.T, b Balance, places int) {
	t.Helper()
	r := b.Rounded(places)
	scale := math.Pow10(places)
	units := func(x float64) int64 { return int64(math.Round(x * scale)) }
	var ha, before, pct, beforePct int64
	for i, row := range r.Rows {
		ha += units(row.Ha)
		before += units(row.BeforeHa)
		pct += units(row.Percent)
		beforePct += units(row.BeforePercent)
		if b.HasBefore && units(row.ChangeHa) != units(row.Ha)-units(row.BeforeHa) {
			t.Errorf("places %d, %s: change %v ≠ %v − %v", places, row.Code, row.ChangeHa, row.Ha, row.BeforeHa)
		}
		if d := math.Abs(row.Ha - b.Rows[i].Ha); d >= 1/scale {
			t.Errorf("places %d, %s: rounded %v from %v", places, row.Code, row.Ha, b.Rows[i].Ha)
		}
	}
	if ha != units(r.TotalHa) || units(r.TotalHa) != units(b.TotalHa) {
		t.Errorf("places %d: rows %d, total %v", places, ha, r.TotalHa)
	}
	if b.HasBefore && before != units(r.BeforeTotalHa) {
		t.Errorf("places %d: before rows %d, total %v", places, before, r.BeforeTotalHa)
	}
	hundred := func(total float64) int64 {
		if total == 0 {
			return 0
		}
		return units(100)
	}
	if pct != hundred(b.TotalHa) || beforePct != hundred(b.BeforeTotalHa) {
		t.Errorf("places %d: percents sum to %d and %d units", places, pct, beforePct)
	}
}

func TestRounded(t *testing.T) {
	// Three thirds of a hectare: 0.33 + 0.33 + 0.33 would print as 0.99.
	third := lot("", 0, 0, 100, 100.0/3, "")
	lots := []gis.Feature{with(third, "phanLoai", "A"), with(third, "phanLoai", "B"), with(third, "phanLoai", "C")}
	b := BalanceOf(lots, classOf, nil)
	r := b.Rounded(2)
	got := []float64{r.Rows[0].Ha, r.Rows[1].Ha, r.Rows[2].Ha, r.TotalHa}
	if want := []float64{0.34, 0.33, 0.33, 1}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if b.Rows[0].Ha == r.Rows[0].Ha {
		t.Error("Rounded changed its receiver")
	}
	checkRounded(t, b, 2)
	checkRounded(t, Balance{}, 2)
	checkRounded(t, Compare(nil, lots, classOf, nil), 2)
}
