package office

import "context"

// ChangesSince counts the plans, versions and dossiers changed at the
// office after cursor since: what a replica pulled up to since has to pull
// (the window's "M to pull"). One indexed query, cheap enough to ask often.
func (o *Office) ChangesSince(ctx context.Context, since int64) (int, error) {
	var n int
	err := o.pool.QueryRow(ctx, "SELECT count(*) FROM (SELECT DISTINCT kind, uid FROM change_log WHERE seq > $1) c", since).Scan(&n)
	if err != nil {
		return 0, o.fail("read the change log", err)
	}
	return n, nil
}
