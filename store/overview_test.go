package store

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"quyhoach/gis"
)

// An overview is kept per plan, for the version drawn last, with its
// style; replaced when drawn otherwise; given back only as written (a
// damaged one is none); never written into a store opened for reading. A
// file of schema 18 gets the table when opened.
func TestOverviewKept(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	mustPlan(t, s, "p")
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: gis.LandUseLayer, Features: genLots(10, 1)}}})
	asSchema18(t, s)
	s = reopen(t, s) // an older file gets the table
	if style, data, err := s.Overview(ctx, "p", 0); err != nil || data != nil || style != "" {
		t.Fatalf("before one is kept: %q %v %v", style, data, err)
	}
	if _, _, err := s.Overview(ctx, "nope", 0); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a plan not there: %v", err)
	}
	img := bytes.Repeat([]byte("overview"), 1000)
	if err := s.PutOverview(ctx, "p", 1, "a", img); err != nil {
		t.Fatal(err)
	}
	if style, data, err := s.Overview(ctx, "p", 0); err != nil || style != "a" || !bytes.Equal(data, img) { // 0: the current version, 1
		t.Fatalf("kept: %q, %d bytes, %v", style, len(data), err)
	}
	if err := s.PutOverview(ctx, "p", 0, "b", img[:100]); err != nil {
		t.Fatal(err)
	}
	if style, data, _ := s.Overview(ctx, "p", 1); style != "b" || len(data) != 100 {
		t.Fatalf("drawn otherwise: %q, %d bytes, want the new one in the old one's place", style, len(data))
	}
	// one per plan: another version's takes its place
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: gis.LandUseLayer, Features: genLots(12, 1)}}})
	if err := s.PutOverview(ctx, "p", 2, "c", img[:50]); err != nil {
		t.Fatal(err)
	}
	if _, data, _ := s.Overview(ctx, "p", 1); data != nil {
		t.Fatal("version 1's overview kept beside version 2's")
	}
	if style, data, _ := s.Overview(ctx, "p", 0); style != "c" || len(data) != 50 {
		t.Fatalf("version 2's: %q, %d bytes", style, len(data))
	}
	// damaged: a byte of the image, or the style it claims
	for _, sql := range []string{
		`UPDATE overview SET data = CAST(substr(data, 1, 10) || 'x' || substr(data, 12) AS BLOB)`,
		`UPDATE overview SET style = 'a'`,
		`UPDATE overview SET data = x'0102'`,
	} {
		if err := s.PutOverview(ctx, "p", 0, "b", img[:100]); err != nil {
			t.Fatal(err)
		}
		if _, err := s.db.ExecContext(ctx, sql); err != nil {
			t.Fatal(err)
		}
		if style, data, err := s.Overview(ctx, "p", 0); err != nil || data != nil {
			t.Fatalf("after %s: %q, %d bytes, %v: want none", sql, style, len(data), err)
		}
	}
	path := s.path
	s.Close()
	ro, err := Open(ctx, path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if err := ro.PutOverview(ctx, "p", 0, "a", img); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("written into a read-only store: %v", err)
	}
}
