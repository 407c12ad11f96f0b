package store

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"quyhoach/gis"
)

// TestRecordIssueNumbersAndKeeps: documents are numbered per kind and year
// from 1, recorded with who asked and the version that answered, read back
// byte for byte, and never changed.
func TestRecordIssueNumbersAndKeeps(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	mustPlan(t, s, "p")
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: DefaultLayer, Features: genLots(3, 1)}}})
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: DefaultLayer, Features: genLots(4, 1)}}})
	doc := func(is Issue) ([]byte, error) {
		return []byte("%PDF số " + strings.Repeat("x", is.Number)), nil
	}
	var got []Issue
	for i, n := range []NewIssue{
		{Kind: InfoIssue, Plan: "p", Requester: "Nguyễn Văn An", Address: "Đồng Đăng", Requested: "2026-11-20", By: "cán bộ", Site: `{"type":"Point"}`, Answer: `{}`},
		{Kind: InfoIssue, Plan: "p", Version: 1, Requester: "Công ty TNHH Hữu Nghị", Site: "CN-01", Answer: `{}`},
		{Kind: ConformIssue, Plan: "p", Requester: "Chủ đầu tư", Site: `{"type":"Polygon"}`, Answer: `{"verdict":"phù hợp"}`},
	} {
		is, err := s.RecordIssue(ctx, n, doc)
		if err != nil {
			t.Fatalf("issue %d: %v", i, err)
		}
		got = append(got, is)
	}
	if got[0].Number != 1 || got[1].Number != 2 || got[2].Number != 1 || got[0].Year != 2026 {
		t.Fatalf("numbers %d %d %d (year %d), want 1 2 and 1 of its own kind", got[0].Number, got[1].Number, got[2].Number, got[0].Year)
	}
	if got[0].Version != 2 || got[1].Version != 1 {
		t.Fatalf("versions %d %d, want the current one (2) and the one asked for (1)", got[0].Version, got[1].Version)
	}
	list, err := s.Issues(ctx, IssueFilter{Plan: "p", Kind: InfoIssue})
	if err != nil || len(list) != 2 || list[0].Number != 2 || list[1].Requester != "Nguyễn Văn An" || list[1].Requested != "2026-11-20" {
		t.Fatalf("issues: %v %+v", err, list)
	}
	is, data, err := s.IssuedDocument(ctx, InfoIssue, 2026, 2)
	if err != nil || !bytes.Equal(data, []byte("%PDF số xx")) || is.Requester != "Công ty TNHH Hữu Nghị" || is.Size != int64(len(data)) {
		t.Fatalf("document 2: %v %q %+v", err, data, is)
	}
	if _, _, err := s.IssuedDocument(ctx, InfoIssue, 2026, 9); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a missing number: %v", err)
	}
	// A failed document uses no number and records nothing.
	if _, err := s.RecordIssue(ctx, NewIssue{Kind: InfoIssue, Plan: "p", Requester: "X"}, func(Issue) ([]byte, error) {
		return nil, errors.New("render failed")
	}); err == nil || !strings.Contains(err.Error(), "render failed") {
		t.Fatalf("failed render: %v", err)
	}
	if n := count(t, s, "SELECT count(*) FROM issue"); n != 3 {
		t.Fatalf("%d issues recorded, want 3", n)
	}
	// What was told to whom never changes.
	if _, err := s.db.Exec("UPDATE issue SET requester = 'someone else'"); err == nil || !strings.Contains(err.Error(), "immutable") {
		t.Fatalf("update: %v", err)
	}
	if _, err := s.db.Exec("DELETE FROM issue"); err == nil {
		t.Fatal("delete allowed")
	}
	// The next year starts again from 1.
	s.Now = func() time.Time { return time.Date(2027, 1, 2, 8, 0, 0, 0, time.UTC) }
	if is, err := s.RecordIssue(ctx, NewIssue{Kind: InfoIssue, Plan: "p", Requester: "Y"}, doc); err != nil || is.Number != 1 || is.Year != 2027 {
		t.Fatalf("new year: %v %+v", err, is)
	}
}

func TestRecordIssueRefusals(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	mustPlan(t, s, "p")
	doc := func(Issue) ([]byte, error) { return []byte("x"), nil }
	for _, c := range []struct {
		n    NewIssue
		want string
	}{
		{NewIssue{Kind: "memo", Plan: "p", Requester: "A"}, "kind"},
		{NewIssue{Kind: InfoIssue, Plan: "p", Requester: "  "}, "who asked"},
		{NewIssue{Kind: InfoIssue, Plan: "p", Requester: "A", Requested: "20/11/2026"}, "YYYY-MM-DD"},
		{NewIssue{Kind: InfoIssue, Plan: "p", Requester: "A"}, "no version"},
		{NewIssue{Kind: InfoIssue, Plan: "nope", Requester: "A"}, "nope"},
	} {
		if _, err := s.RecordIssue(ctx, c.n, doc); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.n, err, c.want)
		}
	}
	if _, err := s.Issues(ctx, IssueFilter{Plan: "nope"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("issues of a missing plan: %v", err)
	}
}
