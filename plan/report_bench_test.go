package plan

import (
	"bytes"
	"fmt"
	"testing"
	"time"
)

// thousandStories are 1 000 dossiers over 2025 and 2026 on the four
// sample plans, in every state: a quarter approved (half of those
// published), the rest submitted, under appraisal, appraised, returned,
// withdrawn or drafts.
func thousandStories() []story {
	var out []story
	plans := []string{"truc-trung-tam", "huu-nghi", "chi-ma", "dong-banh"}
	for i := range 1000 {
		day := time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i*700/1000)
		d := func(k int) string { return day.AddDate(0, 0, k).Format(time.DateOnly) }
		tag := fmt.Sprint(i)
		s := story{plan: plans[i%4], title: fmt.Sprintf("Hồ sơ thử %d", i), created: d(-3)}
		switch i % 8 {
		case 0, 1:
			s.steps = approveSteps(tag, d(0), d(2), d(10), d(20))
			if i%8 == 0 {
				s.steps = append(s.steps, storyStep{"publish", d(25), "TB-" + tag})
			}
		case 2:
			s.steps = []storyStep{{"submit", d(0), "TTr-" + tag}}
		case 3:
			s.steps = []storyStep{{"submit", d(0), "TTr-" + tag}, {"appraise", d(3), ""}}
		case 4:
			s.steps = []storyStep{{"submit", d(0), "TTr-" + tag}, {"appraise", d(3), ""}, {"appraised", d(12), "BC-" + tag}}
		case 5:
			s.steps = []storyStep{{"submit", d(0), "TTr-" + tag}, {"return", d(6), ""}}
		case 6:
			s.steps = []storyStep{{"submit", d(0), "TTr-" + tag}, {"withdraw", d(4), ""}}
		}
		out = append(out, s)
	}
	return out
}

// BenchmarkReport1000 makes the yearly report of 2025 from a store of 1 000
// dossiers over two years (the sample plans; about 500 in the year, 125
// approved in it) and lays it out as a PDF, and as CSV.
func BenchmarkReport1000(b *testing.B) {
	st := sampleStore(b) // the sub-benchmarks run on it; this runs once
	tell(b, st, thousandStories())
	cat := catalogue(b)
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	for _, out := range []string{"pdf", "csv"} {
		b.Run(out, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r, err := MakeReport(ctx, st, YearPeriod(2025), cat, now)
				if err != nil {
					b.Fatal(err)
				}
				var buf bytes.Buffer
				if out == "pdf" {
					err = r.Document(fonts, cat).Write(&buf)
				} else {
					err = r.WriteCSV(&buf)
				}
				if err != nil || len(r.Approved) < 100 || len(r.Received) < 400 {
					b.Fatal(err, len(r.Approved), len(r.Received))
				}
				b.ReportMetric(float64(buf.Len()), "bytes")
			}
		})
	}
}
