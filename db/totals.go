package db

import (
	"context"
	"database/sql"
	"fmt"
)

// The clients' totals (visits, sold, paid, first and last visit) are kept up
// to date by each purchase and refund (AddClientTotals) and by each visit
// (RecomputeClientTotals). CheckClientTotals recomputes them from the
// purchases and the visits with status "came", as migration 0002 and the
// bulk loader compute them from purchases, and reports (or with fix,
// rewrites) every client whose kept figures differ (issue 6, item 1).

// TotalsMismatch is a client whose kept totals differ from the recomputed ones.
type TotalsMismatch struct {
	ClientID         string
	Kept, Recomputed ClientTotals
}

// ClientTotals are a client's figures over purchases and visits.
type ClientTotals struct {
	Visits, Sold, Paid    int64
	FirstVisit, LastVisit string // stored UTC text; "" for none
}

// recomputedTotals is every client's totals from the purchases and the
// visits (the one definition of them: CheckClientTotals and
// RecomputeClientTotals both use it): sales are visits, refunds subtract
// their amounts, gifts count for nothing; a live visit with status "came" is
// a visit with its sold and paid. With one, only the client named by the
// argument @client.
func recomputedTotals(one bool) string {
	purchases, visits, clients := "", "", ""
	if one {
		purchases, visits, clients = ` AND client_id = @client`, ` AND client_id = @client`, ` WHERE c.id = @client`
	}
	return `
	SELECT c.id AS client_id,
	       coalesce(p.visits, 0) + coalesce(v.visits, 0) AS visits,
	       coalesce(p.sold, 0) + coalesce(v.sold, 0) AS sold,
	       coalesce(p.paid, 0) + coalesce(v.paid, 0) AS paid,
	       coalesce(min(p.first_visit_at, v.first_visit_at), p.first_visit_at, v.first_visit_at, '') AS first_visit_at,
	       coalesce(max(p.last_visit_at, v.last_visit_at), p.last_visit_at, v.last_visit_at, '') AS last_visit_at
	FROM clients c LEFT JOIN (
		SELECT client_id,
		       sum(kind = 'sale') AS visits,
		       sum(CASE kind WHEN 'refund' THEN -sold WHEN 'sale' THEN sold ELSE 0 END) AS sold,
		       sum(CASE kind WHEN 'refund' THEN -paid WHEN 'sale' THEN paid ELSE 0 END) AS paid,
		       min(CASE kind WHEN 'sale' THEN occurred_at END) AS first_visit_at,
		       max(CASE kind WHEN 'sale' THEN occurred_at END) AS last_visit_at
		FROM purchases WHERE client_id IS NOT NULL` + purchases + ` GROUP BY client_id
	) p ON p.client_id = c.id LEFT JOIN (
		SELECT client_id, count(*) AS visits, sum(sold) AS sold, sum(paid) AS paid,
		       min(at) AS first_visit_at, max(at) AS last_visit_at
		FROM visits WHERE status = 'came' AND deleted_at IS NULL` + visits + ` GROUP BY client_id
	) v ON v.client_id = c.id` + clients
}

// totalsDiffer is true where a client's kept totals (clients) differ from
// the recomputed ones (r).
const totalsDiffer = `(clients.visits <> r.visits OR clients.sold <> r.sold OR clients.paid <> r.paid
	OR coalesce(clients.first_visit_at, '') <> r.first_visit_at
	OR coalesce(clients.last_visit_at, '') <> r.last_visit_at)`

// rewriteTotals rewrites the totals of every client (or with one, of
// @client) that differ from the recomputation, moving their updated time
// forward to @at and their node to @node.
func rewriteTotals(one bool) string {
	return `WITH r AS (` + recomputedTotals(one) + `)
		UPDATE clients SET visits = r.visits, sold = r.sold, paid = r.paid,
		       first_visit_at = nullif(r.first_visit_at, ''), last_visit_at = nullif(r.last_visit_at, ''),
		       updated_at = max(updated_at, @at), node_id = @node
		FROM r WHERE r.client_id = clients.id AND ` + totalsDiffer
}

// CheckClientTotals compares every client's kept totals with a recomputation
// from the purchases and returns the clients that differ; with fix it also
// writes the recomputed figures, in one transaction.
func (s *Store) CheckClientTotals(ctx context.Context, fix bool) ([]TotalsMismatch, error) {
	if !fix { // a check reads beside the writer, never holding the till up
		return totalsMismatches(ctx, &s.queries)
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("check client totals: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // after a commit it does nothing
	ms, err := totalsMismatches(ctx, &queries{q: tx})
	if err != nil || len(ms) == 0 {
		return ms, err
	}
	if _, err := tx.ExecContext(ctx, rewriteTotals(false), sql.Named("at", formatTime(s.clock.Now())),
		sql.Named("node", s.node)); err != nil {
		return nil, fmt.Errorf("rebuild client totals: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("rebuild client totals: %w", err)
	}
	return ms, nil
}

// totalsMismatches lists the clients whose kept totals differ from the
// recomputed ones.
func totalsMismatches(ctx context.Context, q *queries) ([]TotalsMismatch, error) {
	ms, err := queryAll(ctx, q, func(r scanner) (TotalsMismatch, error) {
		var m TotalsMismatch
		err := r.Scan(&m.ClientID, &m.Kept.Visits, &m.Kept.Sold, &m.Kept.Paid, &m.Kept.FirstVisit, &m.Kept.LastVisit,
			&m.Recomputed.Visits, &m.Recomputed.Sold, &m.Recomputed.Paid, &m.Recomputed.FirstVisit, &m.Recomputed.LastVisit)
		return m, err
	}, `WITH r AS (`+recomputedTotals(false)+`)
		SELECT clients.id, clients.visits, clients.sold, clients.paid, coalesce(clients.first_visit_at, ''),
		       coalesce(clients.last_visit_at, ''), r.visits, r.sold, r.paid, r.first_visit_at, r.last_visit_at
		FROM clients JOIN r ON r.client_id = clients.id
		WHERE `+totalsDiffer+`
		ORDER BY clients.id`)
	if err != nil {
		return nil, fmt.Errorf("check client totals: %w", err)
	}
	return ms, nil
}
