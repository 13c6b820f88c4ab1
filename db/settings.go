package db

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"loyaltydesk/app"
)

// Setting returns the value of key and whether it is set.
func (q *queries) Setting(ctx context.Context, key string) (string, bool, error) {
	var v string
	err := q.q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return v, true, nil
}

// SetSetting stores value under key.
func (q *queries) SetSetting(ctx context.Context, key, value string, at time.Time, node string) error {
	_, err := q.q.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at, node_id) VALUES (?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, node_id = excluded.node_id`,
		key, value, formatTime(at), node)
	return err
}

// AppendAudit adds a line to the audit log.
func (q *queries) AppendAudit(ctx context.Context, e app.AuditEntry) error {
	details := e.Details
	if details == "" {
		details = "{}"
	}
	_, err := q.q.ExecContext(ctx, `INSERT INTO audit_log (id, at, node_id, actor, action, entity, entity_id, details)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, formatTime(e.At), e.NodeID, e.Actor, e.Action, e.Entity, e.EntityID, details)
	return err
}
