package db

import (
	"context"
	"fmt"
)

// The clients' totals (visits, sold, paid, first and last visit) are kept up
// to date by each purchase and refund (AddClientTotals). CheckClientTotals
// recomputes them from the purchases, as migration 0002 and the bulk loader
// compute them, and reports (or with fix, rewrites) every client whose kept
// figures differ (issue 6, item 1).

// TotalsMismatch is a client whose kept totals differ from the purchases'.
type TotalsMismatch struct {
	ClientID         string
	Kept, Recomputed ClientTotals
}

// ClientTotals are a client's figures over purchases.
type ClientTotals struct {
	Visits, Sold, Paid    int64
	FirstVisit, LastVisit string // stored UTC text; "" for none
}

// recomputedTotals is every client's totals from the purchases: sales are
// visits, refunds subtract their amounts, gifts count for nothing.
const recomputedTotals = `
	SELECT c.id AS client_id,
	       coalesce(t.visits, 0) AS visits, coalesce(t.sold, 0) AS sold, coalesce(t.paid, 0) AS paid,
	       coalesce(t.first_visit_at, '') AS first_visit_at, coalesce(t.last_visit_at, '') AS last_visit_at
	FROM clients c LEFT JOIN (
		SELECT client_id,
		       sum(kind = 'sale') AS visits,
		       sum(CASE kind WHEN 'refund' THEN -sold WHEN 'sale' THEN sold ELSE 0 END) AS sold,
		       sum(CASE kind WHEN 'refund' THEN -paid WHEN 'sale' THEN paid ELSE 0 END) AS paid,
		       min(CASE kind WHEN 'sale' THEN occurred_at END) AS first_visit_at,
		       max(CASE kind WHEN 'sale' THEN occurred_at END) AS last_visit_at
		FROM purchases WHERE client_id IS NOT NULL GROUP BY client_id
	) t ON t.client_id = c.id`

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
	if _, err := tx.ExecContext(ctx, `WITH r AS (`+recomputedTotals+`)
		UPDATE clients SET visits = r.visits, sold = r.sold, paid = r.paid,
		       first_visit_at = nullif(r.first_visit_at, ''), last_visit_at = nullif(r.last_visit_at, '')
		FROM r WHERE r.client_id = clients.id
		  AND (clients.visits <> r.visits OR clients.sold <> r.sold OR clients.paid <> r.paid
		   OR coalesce(clients.first_visit_at, '') <> r.first_visit_at
		   OR coalesce(clients.last_visit_at, '') <> r.last_visit_at)`); err != nil {
		return nil, fmt.Errorf("rebuild client totals: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("rebuild client totals: %w", err)
	}
	return ms, nil
}

// totalsMismatches lists the clients whose kept totals differ from the
// purchases'.
func totalsMismatches(ctx context.Context, q *queries) ([]TotalsMismatch, error) {
	ms, err := queryAll(ctx, q, func(r scanner) (TotalsMismatch, error) {
		var m TotalsMismatch
		err := r.Scan(&m.ClientID, &m.Kept.Visits, &m.Kept.Sold, &m.Kept.Paid, &m.Kept.FirstVisit, &m.Kept.LastVisit,
			&m.Recomputed.Visits, &m.Recomputed.Sold, &m.Recomputed.Paid, &m.Recomputed.FirstVisit, &m.Recomputed.LastVisit)
		return m, err
	}, `WITH r AS (`+recomputedTotals+`)
		SELECT c.id, c.visits, c.sold, c.paid, coalesce(c.first_visit_at, ''), coalesce(c.last_visit_at, ''),
		       r.visits, r.sold, r.paid, r.first_visit_at, r.last_visit_at
		FROM clients c JOIN r ON r.client_id = c.id
		WHERE c.visits <> r.visits OR c.sold <> r.sold OR c.paid <> r.paid
		   OR coalesce(c.first_visit_at, '') <> r.first_visit_at OR coalesce(c.last_visit_at, '') <> r.last_visit_at
		ORDER BY c.id`)
	if err != nil {
		return nil, fmt.Errorf("check client totals: %w", err)
	}
	return ms, nil
}
