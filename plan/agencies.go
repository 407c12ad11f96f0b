package plan

import (
	"context"

	"quyhoach/store"
)

// Agencies are the bodies a plan names (approver, appraiser, proposer,
// consultant): title blocks, letterheads and the yearly report name them
// from the plan's own record (store.Agencies), never from a login name.
type Agencies = store.Agencies

// AgencyReader reads a plan's agencies; *store.Store satisfies it.
type AgencyReader interface {
	Agencies(ctx context.Context, code string) (store.Agencies, error)
}

// PlanAgencies returns a plan's agencies from src when src keeps them
// (an AgencyReader), else the zone's defaults for the plan's level.
func PlanAgencies(ctx context.Context, src any, p store.Plan) (Agencies, error) {
	if r, ok := src.(AgencyReader); ok {
		return r.Agencies(ctx, p.Code)
	}
	return store.DefaultAgencies(p.Level), nil
}

// stepAgency is the agency a dossier's step recorded for the state it
// entered, "" when none did: the last submission names the proposer, the
// last appraisal step the appraiser, the approval the approver.
func stepAgency(d *store.Dossier, states ...string) string {
	if d == nil {
		return ""
	}
	found := ""
	for _, tr := range d.Transitions {
		for _, s := range states {
			if tr.To == s && tr.From != tr.To && tr.Agency != "" {
				found = tr.Agency
			}
		}
	}
	return found
}
