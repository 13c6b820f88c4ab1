package db

import (
	"context"
	"strings"

	"loyaltydesk/app"
)

// This file reads the audit log (AD-02); AppendAudit is in settings.go.

func scanAudit(r scanner) (app.AuditEntry, error) {
	var e app.AuditEntry
	var at string
	err := r.Scan(&e.ID, &at, &e.NodeID, &e.Actor, &e.Action, &e.Entity, &e.EntityID, &e.Details)
	if err == nil {
		e.At, err = parseTime(at)
	}
	return e, err
}

const auditColumns = `id, at, node_id, actor, action, entity, entity_id, details`

// likeEscape escapes LIKE's wildcards in s (the escape character is \).
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// AuditLog returns the audit entries aq selects, newest first. Text is a
// fragment of the action, actor, entity id or details (LIKE: any case for
// ASCII letters only), Action a prefix of the action, Actor the actor
// exactly; From is inclusive, To exclusive.
func (q *queries) AuditLog(ctx context.Context, aq app.AuditQuery) ([]app.AuditEntry, error) {
	var w where
	if aq.Text != "" {
		pat := `%` + likeEscape(aq.Text) + `%`
		w.and(`(action LIKE ?1 ESCAPE '\' OR actor LIKE ?1 ESCAPE '\' OR entity_id LIKE ?1 ESCAPE '\'
			OR details LIKE ?1 ESCAPE '\')`)
		w.args = append(w.args, pat)
	}
	if aq.Action != "" {
		w.and(`action LIKE ? ESCAPE '\'`, likeEscape(aq.Action)+`%`)
	}
	if aq.Actor != "" {
		w.and(`actor = ?`, aq.Actor)
	}
	if !aq.From.IsZero() {
		w.and(`at >= ?`, formatTime(aq.From))
	}
	if !aq.To.IsZero() {
		w.and(`at < ?`, formatTime(aq.To))
	}
	args := append(w.args, limitOf(aq.Limit), max(aq.Offset, 0))
	return queryAll(ctx, q, scanAudit, `SELECT `+auditColumns+` FROM audit_log WHERE `+w.sql()+`
		ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`, args...)
}

// AuditOf returns the audit entries about one entity, oldest first (the
// entity-only reader the app tests used before AuditQuery).
func (q *queries) AuditOf(ctx context.Context, entity, entityID string) ([]app.AuditEntry, error) {
	return queryAll(ctx, q, scanAudit, `SELECT `+auditColumns+` FROM audit_log
		WHERE entity = ? AND entity_id = ? ORDER BY at, id`, entity, entityID)
}
