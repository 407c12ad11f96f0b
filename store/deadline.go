package store

import (
	"time"
)

// DeadlineRule is where the deadline of a step comes from: the setting
// that holds its days and the law that sets them.
type DeadlineRule struct {
	State   string // the state whose step the deadline runs for
	Setting string // the setting holding its days
	// Law cites the legal source of the default; "" for one the province
	// sets (publication: a configurable default, DOMAIN.md).
	Law string
}

// DeadlineRules are the deadlines by the state a step enters: the agencies
// consulted answer within 15 days of submission and the appraisal takes at
// most 20 days (QĐ 18/2025/QĐ-TTg); an approved plan is published within
// 15 days of its decision.
var DeadlineRules = map[string]DeadlineRule{
	Submitted:  {Submitted, SettingCommentsDays, "QĐ 18/2025/QĐ-TTg"},
	Appraising: {Appraising, SettingAppraisalDays, "QĐ 18/2025/QĐ-TTg"},
	Approved:   {Approved, SettingPublicationDays, ""},
}

// Deadline is the due date of a dossier's current step and what it comes
// from: the rule, the step that set it, the date its days run from (that
// step's document's date, else the day the step was recorded).
type Deadline struct {
	Rule DeadlineRule
	Due  string     // YYYY-MM-DD
	From string     // YYYY-MM-DD the days run from
	Days int        // Due − From: the rule's days when the step was recorded
	Step Transition // the step that set it
	// FromDoc is true when From is the date of the step's document
	// (Step.DocNo, Step.DocDate), false when it is the day it was recorded.
	FromDoc bool
}

// DeadlineOf returns the deadline of a dossier's current step; false when
// none runs. d must hold its transitions (as Store.Dossier returns it).
func DeadlineOf(d Dossier) (Deadline, bool) {
	if d.Due == "" || len(d.Transitions) == 0 {
		return Deadline{}, false
	}
	last := d.Transitions[len(d.Transitions)-1]
	rule, ok := DeadlineRules[last.To]
	if !ok || last.Due != d.Due {
		return Deadline{}, false
	}
	// the day it was recorded, on the clock that computed the due date
	dl := Deadline{Rule: rule, Due: d.Due, Step: last, From: last.At.Local().Format(time.DateOnly)}
	if _, err := time.Parse(time.DateOnly, last.DocDate); err == nil {
		dl.From, dl.FromDoc = last.DocDate, true
	}
	dl.Days = DaysBetween(dl.From, dl.Due)
	return dl, true
}

// DaysLeft is how many days remain until the due date on the day of now:
// negative when overdue (−3: three days late), 0 on the due date itself.
func (dl Deadline) DaysLeft(now time.Time) int {
	return DaysBetween(now.Format(time.DateOnly), dl.Due)
}

// DaysBetween counts the days from date a to date b (YYYY-MM-DD), negative
// when b is before a; 0 when either is not a date.
func DaysBetween(a, b string) int {
	ta, errA := time.Parse(time.DateOnly, a)
	tb, errB := time.Parse(time.DateOnly, b)
	if errA != nil || errB != nil {
		return 0
	}
	return int(tb.Sub(ta).Hours() / 24)
}
