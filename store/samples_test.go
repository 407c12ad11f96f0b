package store

import (
	"context"
	"testing"

	"quyhoach/assets"
)

// TestInstallSamples installs the embedded sample plans: the central axis's
// second version comes from its published dossier with the full history,
// Chi Ma has an overdue dossier under appraisal, Đồng Bành a draft.
func TestInstallSamples(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	if err := s.InstallSamples(ctx, assets.Samples); err != nil {
		t.Fatal(err)
	}
	plans, err := s.Plans(ctx)
	if err != nil || len(plans) != 4 {
		t.Fatalf("plans %v %v", plans, err)
	}
	vs, err := s.Versions(ctx, "truc-trung-tam")
	if err != nil || len(vs) != 2 || vs[1].Source != "dossier" || !vs[1].Current || vs[1].DecisionNo == "" {
		t.Fatalf("central axis versions %+v %v", vs, err)
	}
	d, err := s.Dossier(ctx, vs[1].Dossier)
	if err != nil || d.State != Published || len(d.Transitions) != 5 || len(d.Attachments) != 3 {
		t.Fatalf("central axis dossier %+v %v", d, err)
	}
	snap, err := s.Load(ctx, "truc-trung-tam", 2)
	if err != nil || len(snap.Lineage) == 0 {
		t.Fatalf("lineage of version 2: %v %v", snap.Lineage, err)
	}
	states := map[string]string{}
	all, _ := s.Dossiers(ctx, DossierFilter{})
	for _, d := range all {
		states[d.Plan] = d.State
	}
	if states["chi-ma"] != Appraising || states["dong-banh"] != Draft {
		t.Fatalf("open dossiers %v", states)
	}
	late, _ := s.Dossiers(ctx, DossierFilter{Overdue: true})
	if len(late) != 1 || late[0].Plan != "chi-ma" {
		t.Fatalf("overdue %+v", late)
	}
	if v, err := s.Verify(ctx, VerifyOptions{}); err != nil || len(v.Findings) > 0 {
		t.Fatalf("verify %v %v", v.Findings, err)
	}
	// A second install refuses (the plans exist) and changes nothing.
	if err := s.InstallSamples(ctx, assets.Samples); err == nil {
		t.Fatal("second install accepted")
	}
	if again, _ := s.Plans(ctx); len(again) != 4 {
		t.Fatal(again)
	}
}
