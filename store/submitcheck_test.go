package store

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestSubmitRefusesIntroducedErrors: a change set that puts an overlap
// into the plan is refused with the finding named, even acknowledged; one
// with only an implausible indicator needs the warnings acknowledged. (What was wrong before the dossier
// does not stop it: gis/topo TestCheckEdit.)
func TestSubmitRefusesIntroducedErrors(t *testing.T) {
	ctx := context.Background()
	s, ids := dossierFixture(t)
	submit := Step{Action: "submit", DocNo: "12/TTr-BQL", DocDate: "2026-03-01", By: "officer"}

	// L-0 grown over L-1
	d := mustDossier(t, s)
	grown := lot(ids["L-0"], 0, nil)
	grown.Geometry = rectLonLat(106.70, 21.90, 106.7008, 21.9005)
	mustApply(t, s, d, grown)
	ack := submit
	ack.AckWarnings = true
	_, err := s.Advance(ctx, d, ack)
	var fe *FindingsError
	if !errors.As(err, &fe) || len(fe.Errors) != 1 || !strings.Contains(err.Error(), "L-0 and L-1 overlap") {
		t.Fatalf("overlap submitted: %v", err)
	}
	if got, _ := s.Dossier(ctx, d); got.State != Draft {
		t.Errorf("refused dossier is %s", got.State)
	}
	c, err := s.CheckProposal(ctx, d)
	if err != nil || len(c.Errors()) != 1 || len(c.Findings) == 0 {
		t.Errorf("check: %+v %v", c, err)
	}
	// undone, the dossier has nothing to submit; a density of 180 % is a warning
	if _, err := s.Undo(ctx, d); err != nil {
		t.Fatal(err)
	}
	mustApply(t, s, d, lot(ids["L-0"], 0, map[string]any{"matDoXayDung": 180.0}))
	_, err = s.Advance(ctx, d, submit)
	if !errors.As(err, &fe) || len(fe.Errors) != 0 || len(fe.Warnings) != 1 || !strings.Contains(err.Error(), "--ack-warnings") {
		t.Fatalf("warning not asked for: %v", err)
	}
	if got := mustStep(t, s, d, ack); got.State != Submitted {
		t.Errorf("acknowledged: %s", got.State)
	}

}
