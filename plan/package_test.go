package plan

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"quyhoach/store"
)

// TestPackageName: the name a package is offered under is its maHoSoQH
// and plan, whatever characters the code holds.
func TestPackageName(t *testing.T) {
	for _, c := range []struct {
		d    store.Dossier
		want string
	}{
		{store.Dossier{Code: "HS2026-000412", Plan: "chi-ma"}, "HS2026-000412-chi-ma.gpkg"},
		{store.Dossier{Code: "12/HS QH", Plan: "huu-nghi"}, "12-HS-QH-huu-nghi.gpkg"},
		{store.Dossier{Code: " ", Plan: "p"}, "dossier-p.gpkg"},
	} {
		if got := PackageName(c.d); got != c.want {
			t.Errorf("%q: %q, want %q", c.d.Code, got, c.want)
		}
	}
}

// TestSendAndReceive: a path without an extension gets .gpkg; an unknown
// dossier is refused before any file is made; the package of the sample
// dossier under appraisal comes back into its own store as up to date.
func TestSendAndReceive(t *testing.T) {
	ctx := context.Background()
	st := sampleStore(t)
	dir := t.TempDir()
	res, path, err := SendDossier(ctx, st, 2, filepath.Join(dir, "chi-ma"), "cán bộ")
	if err != nil || path != filepath.Join(dir, "chi-ma.gpkg") || res.Changes != 5 || res.Steps != 2 || res.Attachments != 1 {
		t.Fatalf("send: %+v %s %v", res, path, err)
	}
	if _, _, err := SendDossier(ctx, st, 99, filepath.Join(dir, "x.gpkg"), ""); err == nil || !strings.Contains(err.Error(), "no dossier 99") {
		t.Fatalf("unknown dossier: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.gpkg")); err == nil {
		t.Fatal("a refused send made a file")
	}
	got, err := ReceiveDossier(ctx, st, path)
	if err != nil || got.Status != store.UnpackUpToDate || got.Dossier != 2 || got.Author != "cán bộ" {
		t.Fatalf("receive: %+v %v", got, err)
	}
}
