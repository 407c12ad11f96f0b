package store

import (
	"strconv"
	"strings"
	"time"

	"quyhoach/gis"
)

// maxStepText is the longest document number, agency or name a step takes.
const maxStepText = 200

// CheckStep refuses a step whose fields are missing or malformed, without
// looking at the store: the one home of the rules of each step's fields,
// which Advance applies and the window's forms check as they are typed.
// kind and level are the dossier's kind and its plan's level, which a
// proposed maThongTinQH must match ("" when unknown: not checked).
func CheckStep(st Step, kind, level string) error {
	if _, ok := steps[st.Action]; !ok {
		return unknownStep(st.Action)
	}
	for _, f := range []struct{ field, name, value string }{
		{"doc_no", "document number", st.DocNo}, {"agency", "agency", st.Agency},
		{"signer", "signer", st.Signer}, {"by", "who records the step", st.By},
	} {
		switch {
		case strings.ContainsFunc(f.value, gis.IsControl):
			return refuse(st.Action, f.field, "the {{.Name}} must be one line", map[string]any{"Name": f.name})
		case len([]rune(f.value)) > maxStepText:
			return refuse(st.Action, f.field, "the {{.Name}} is longer than {{.Max}} characters", map[string]any{"Name": f.name, "Max": maxStepText})
		}
	}
	if st.DocDate != "" {
		if _, err := time.Parse(time.DateOnly, st.DocDate); err != nil {
			return refuse(st.Action, "doc_date", `document date "{{.Date}}" is not YYYY-MM-DD`, map[string]any{"Date": st.DocDate})
		}
	}
	blank := func(s string) bool { return strings.TrimSpace(s) == "" }
	switch st.Action {
	case "submit":
		if blank(st.DocNo) {
			return refuse(st.Action, "doc_no", "cover letter (tờ trình) number required", nil)
		}
	case "appraised":
		if blank(st.DocNo) {
			return refuse(st.Action, "doc_no", "appraisal report (báo cáo thẩm định) number required", nil)
		}
	case "approve":
		if blank(st.DocNo) {
			return refuse(st.Action, "doc_no", "decision number required", nil)
		}
		if st.DocDate == "" {
			return refuse(st.Action, "doc_date", "decision date required", nil)
		}
		if st.MaThongTinQH != "" {
			if err := CheckMaThongTinQH(st.MaThongTinQH, level, kind, st.DocDate); err != nil {
				return err
			}
		}
	case "return":
		if blank(st.Note) {
			return refuse(st.Action, "note", "reason required (--note)", nil)
		}
	case "withdraw":
		if blank(st.Note) {
			return refuse(st.Action, "note", "reason for withdrawing required (--note)", nil)
		}
	}
	return nil
}

func unknownStep(action string) error {
	return refuse(action, "", "unknown step (one of {{.Steps}})", map[string]any{"Steps": strings.Join(Actions, ", ")})
}

// CheckMaThongTinQH refuses a plan information code that is not TT 16's
// 12 digits (province 20, year, level, type, adjustment, five digits), or
// whose year, level or adjustment digit disagree with the decision's date,
// the plan's level and the dossier's kind (each checked when given).
func CheckMaThongTinQH(ma, level, kind, date string) error {
	bad := func(key string, data map[string]any) error {
		if data == nil {
			data = map[string]any{}
		}
		data["Ma"] = ma
		return refuse("approve", "ma", key, data)
	}
	if len(ma) != 12 || strings.ContainsFunc(ma, func(r rune) bool { return r < '0' || r > '9' }) {
		return bad("maThongTinQH {{.Ma}} must be 12 digits", nil)
	}
	if ma[:2] != "20" {
		return bad("maThongTinQH {{.Ma}} must start with 20, the code of Lạng Sơn", nil)
	}
	if t, err := time.Parse(time.DateOnly, date); err == nil {
		if want := t.Year() % 100; ma[2:4] != twoDigits(want) {
			return bad("maThongTinQH {{.Ma}}: year digits {{.Got}}, the decision's year is {{.Want}}", map[string]any{"Got": ma[2:4], "Want": twoDigits(want)})
		}
	}
	if lv, ok := levelDigit[level]; ok && ma[4] != lv {
		return bad("maThongTinQH {{.Ma}}: level digit {{.Got}}, the plan's level is {{.Want}}", map[string]any{"Got": string(ma[4]), "Want": string(lv)})
	}
	if t := ma[5]; t < '1' || t > '3' {
		return bad("maThongTinQH {{.Ma}}: type digit {{.Got}} must be 1, 2 or 3", map[string]any{"Got": string(t)})
	}
	if adj, ok := adjustmentDigit[kind]; ok && ma[6] != adj {
		return bad("maThongTinQH {{.Ma}}: adjustment digit {{.Got}}, the dossier's kind is {{.Want}}", map[string]any{"Got": string(ma[6]), "Want": string(adj)})
	}
	return nil
}

// The digits of maThongTinQH for a plan level and a dossier kind.
var (
	levelDigit      = map[string]byte{"general": '1', "zoning": '2', "detailed": '3'}
	adjustmentDigit = map[string]byte{Overall: '1', Local: '2'}
)

func twoDigits(n int) string {
	s := strconv.Itoa(n)
	if len(s) < 2 {
		s = "0" + s
	}
	return s
}
