package plan

import (
	"encoding/csv"
	"io"
	"strconv"

	"quyhoach/store"
)

// ReportCSVHeader is the header of the report as CSV: one row a dossier of
// a section, a land-use class's change or a month's count of a kind of
// step; a column a row does not use is empty.
var ReportCSVHeader = []string{"section", "plan", "dossier", "code", "title", "kind", "step", "doc_no", "date",
	"agency", "state", "due", "overdue_days", "version", "ha", "class", "class_name", "month", "count", "note"}

// Report sections as the CSV names them.
const (
	SectionReceived  = "received"
	SectionAppraised = "appraised"
	SectionApproved  = "approved"
	SectionPublished = "published"
	SectionReturned  = "returned"
	SectionWithdrawn = "withdrawn"
	SectionOpen      = "open"
	SectionClass     = "class_change"
	SectionMonth     = "steps_per_month"
)

// WriteCSV writes the report as CSV (UTF-8, numbers with a decimal point,
// hectares to 4 decimals, dates YYYY-MM-DD).
func (r *Report) WriteCSV(out io.Writer) error {
	w := csv.NewWriter(out)
	w.Write(ReportCSVHeader)
	col := map[string]int{}
	for i, h := range ReportCSVHeader {
		col[h] = i
	}
	row := func(fields map[string]string) {
		rec := make([]string, len(ReportCSVHeader))
		for k, v := range fields {
			rec[col[k]] = v
		}
		w.Write(rec)
	}
	ha := func(v float64) string { return strconv.FormatFloat(v, 'f', 4, 64) }
	for _, s := range []struct {
		name    string
		entries []ReportEntry
	}{{SectionReceived, r.Received}, {SectionAppraised, r.Appraised}, {SectionApproved, r.Approved}, {SectionPublished, r.Published},
		{SectionReturned, r.Returned}, {SectionWithdrawn, r.Withdrawn}, {SectionOpen, r.Open}} {
		for _, e := range s.entries {
			f := map[string]string{"section": s.name, "plan": e.Dossier.Plan, "dossier": strconv.FormatInt(e.Dossier.ID, 10),
				"code": e.Dossier.Code, "title": e.Dossier.Title, "kind": e.Dossier.Kind, "doc_no": e.Step.DocNo, "date": e.Date,
				"agency": e.Agency, "state": e.State, "note": e.Step.Note}
			if e.Step.ID != 0 {
				f["step"] = store.ActionOf(e.Step)
			}
			if s.name == SectionOpen {
				f["due"], f["overdue_days"], f["agency"] = e.Due, strconv.Itoa(e.Overdue), ""
			}
			if s.name == SectionApproved {
				f["version"], f["ha"] = strconv.Itoa(e.Version), ha(e.AdjustedHa)
			}
			row(f)
		}
	}
	for _, c := range r.Classes {
		row(map[string]string{"section": SectionClass, "class": c.Code, "class_name": c.Name, "ha": ha(c.Ha)})
	}
	for _, m := range r.Months {
		for _, k := range StepKinds {
			if n := m.Counts[k]; n > 0 {
				row(map[string]string{"section": SectionMonth, "month": m.Month, "step": k, "count": strconv.Itoa(n)})
			}
		}
	}
	w.Flush()
	return w.Error()
}
