package office

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"quyhoach/store"
)

// PushRequest is what a replica sends: new versions (in order) and the
// dossiers it changed, each with the office revision it last saw.
type PushRequest struct {
	Versions []*store.VersionBundle
	Dossiers []PushDossier
}

// PushDossier is one dossier pushed; BaseRev is the office's revision of it
// at the replica's last pull or push (0: never pushed).
type PushDossier struct {
	Bundle  *store.DossierBundle
	BaseRev int64
}

// PushResult is what a push did: per version and dossier, and the change
// log's head after it.
type PushResult struct {
	Versions []VersionResult
	Dossiers []DossierResult
	Cursor   int64
}

// Push takes a replica's versions and dossiers in one transaction: all of
// it or, on the first refusal (a check that fails, a conflict, a role that
// may not), nothing. Versions must follow their plan's current version
// here; a dossier held already must not have changed here since BaseRev,
// and its chain here must be the start of the pushed one. The same push
// twice changes nothing the second time.
func (o *Office) Push(ctx context.Context, req PushRequest) (PushResult, error) {
	var res PushResult
	err := o.write(ctx, "push", func(tx pgx.Tx) error {
		res = PushResult{}
		for _, v := range req.Versions {
			r, err := putVersion(ctx, tx, v)
			if err != nil {
				return err
			}
			res.Versions = append(res.Versions, r)
		}
		for _, d := range req.Dossiers {
			if d.Bundle == nil {
				return refuse("push: a dossier without its bundle")
			}
			r, err := putDossier(ctx, tx, d.Bundle, d.BaseRev)
			if err != nil {
				return err
			}
			res.Dossiers = append(res.Dossiers, r)
		}
		return tx.QueryRow(ctx, "SELECT coalesce(max(seq), 0) FROM change_log").Scan(&res.Cursor)
	})
	return res, err
}

// Load takes every plan, version (deltas after each plan's first) and
// dossier of a store file into the office, in one transaction: office init
// --from. progress, if not nil, is told the versions and dossiers done.
func (o *Office) Load(ctx context.Context, s *store.Store, progress func(done, total int)) error {
	plans, err := s.PlanBundles(ctx)
	if err != nil {
		return err
	}
	type planWork struct {
		plan               *store.PlanBundle
		versions, dossiers []string
	}
	var work []planWork
	total := 0
	for _, p := range plans {
		w := planWork{plan: p}
		if w.versions, err = s.VersionUIDs(ctx, p.UID); err != nil {
			return err
		}
		if w.dossiers, err = s.DossierUIDs(ctx, p.UID); err != nil {
			return err
		}
		total += len(w.versions) + len(w.dossiers)
		work = append(work, w)
	}
	done := 0
	tick := func() {
		done++
		if progress != nil {
			progress(done, total)
		}
	}
	return o.write(ctx, "load the store", func(tx pgx.Tx) error {
		for _, w := range work {
			if _, err := putPlan(ctx, tx, w.plan); err != nil {
				return err
			}
			for i, uid := range w.versions {
				v, err := s.ReadVersionBundle(ctx, uid, i > 0)
				if err != nil {
					return err
				}
				if _, err := putVersion(ctx, tx, v); err != nil {
					return err
				}
				tick()
			}
			var cur string
			if err := tx.QueryRow(ctx, "SELECT coalesce(current, '') FROM plan WHERE uid = $1", w.plan.UID).Scan(&cur); err != nil {
				return err
			}
			if cur != w.plan.Current {
				return refuse("plan %s: its current version is not its last one; load refused", w.plan.Code)
			}
		}
		for _, w := range work {
			for _, uid := range w.dossiers {
				b, err := s.ReadDossierBundle(ctx, uid)
				if err != nil {
					return err
				}
				if _, err := putDossier(ctx, tx, b, 0); err != nil {
					return fmt.Errorf("dossier %d: %w", b.Number, err)
				}
				tick()
			}
		}
		return nil
	})
}
