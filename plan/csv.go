package plan

import (
	"encoding/csv"
	"io"
	"strconv"

	"quyhoach/gis/diff"
)

// WriteBalanceCSV writes a balance table as CSV (names and the total row
// in Vietnamese, numbers with a decimal point): with the approved and
// adjusted columns when the balance compares two states.
func WriteBalanceCSV(out io.Writer, b diff.Balance) error {
	before := b.HasBefore
	w := csv.NewWriter(out)
	r := b.Rounded(2)
	head := []string{"stt", "code", "name", "ha", "percent"}
	if before {
		head = []string{"stt", "code", "name", "before_ha", "before_percent", "ha", "percent", "change_ha"}
	}
	w.Write(head)
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }
	for i, row := range r.Rows {
		rec := []string{strconv.Itoa(i + 1), row.Code, row.Name, f(row.Ha), f(row.Percent)}
		if before {
			rec = []string{strconv.Itoa(i + 1), row.Code, row.Name, f(row.BeforeHa), f(row.BeforePercent), f(row.Ha), f(row.Percent), f(row.ChangeHa)}
		}
		w.Write(rec)
	}
	total := []string{"", "", "Tổng", f(r.TotalHa), "100.00"}
	if before {
		total = []string{"", "", "Tổng", f(r.BeforeTotalHa), "100.00", f(r.TotalHa), "100.00", f(r.TotalHa - r.BeforeTotalHa)}
	}
	w.Write(total)
	w.Flush()
	return w.Error()
}
