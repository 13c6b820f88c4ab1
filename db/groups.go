package db

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"loyaltydesk/app"
)

// Client groups (GR-01, GR-02) with their discount and band of spend.

// ClientGroups returns the live groups by name (without client counts: a
// purchase reads them, and counting a group of 200,000 clients takes a while).
func (q *queries) ClientGroups(ctx context.Context) ([]app.Group, error) {
	return queryAll(ctx, q, func(r scanner) (app.Group, error) {
		var g app.Group
		var to sql.NullInt64
		var created, updated string
		err := r.Scan(&g.ID, &g.Name, &g.DiscountBP, &g.SpendFrom, &to, &g.AutoMove, &created, &updated, &g.NodeID)
		if err != nil {
			return g, err
		}
		g.SpendTo = to.Int64
		if g.CreatedAt, err = parseTime(created); err != nil {
			return g, err
		}
		g.UpdatedAt, err = parseTime(updated)
		return g, err
	}, `SELECT g.id, g.name, g.discount_bp, g.spend_from, g.spend_to, g.auto_move,
			g.created_at, g.updated_at, g.node_id
		FROM client_groups g WHERE g.deleted_at IS NULL ORDER BY g.name, g.id`)
}

// SaveGroup inserts or updates a group by id.
func (q *queries) SaveGroup(ctx context.Context, g app.Group) error {
	var to any
	if g.SpendTo > 0 {
		to = g.SpendTo
	}
	_, err := q.q.ExecContext(ctx, `INSERT INTO client_groups (id, name, discount_bp, spend_from, spend_to, auto_move,
			created_at, updated_at, node_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, discount_bp = excluded.discount_bp,
			spend_from = excluded.spend_from, spend_to = excluded.spend_to, auto_move = excluded.auto_move,
			updated_at = excluded.updated_at, node_id = excluded.node_id`,
		g.ID, g.Name, g.DiscountBP, g.SpendFrom, to, g.AutoMove, formatTime(g.CreatedAt), formatTime(g.UpdatedAt), g.NodeID)
	if err != nil {
		return fmt.Errorf("save group %s: %w", g.ID, mapErr(err))
	}
	return nil
}

// DeleteGroup soft-deletes a group that has no live clients.
func (q *queries) DeleteGroup(ctx context.Context, id string, at time.Time, node string) error {
	res, err := q.q.ExecContext(ctx, `UPDATE client_groups SET deleted_at = ?, updated_at = ?, node_id = ?
		WHERE id = ? AND deleted_at IS NULL
		  AND NOT EXISTS (SELECT 1 FROM clients c WHERE c.group_id = client_groups.id AND c.deleted_at IS NULL)`,
		formatTime(at), formatTime(at), node, id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return fmt.Errorf("group %s: none without clients: %w", id, app.ErrNotFound)
	}
	return nil
}
