package db

import (
	"context"
	"strings"

	"loyaltydesk/app"
)

// This file holds the users who sign in (AD-01).

// userNameKey is the users.name_key of a name: lower case, as strings.EqualFold
// compares names (SQLite's lower() knows only ASCII).
func userNameKey(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// Users returns every user, disabled ones too, by name.
func (q *queries) Users(ctx context.Context) ([]app.User, error) {
	return queryAll(ctx, q, func(r scanner) (app.User, error) {
		var u app.User
		var role, created, updated string
		err := r.Scan(&u.ID, &u.Name, &role, &u.SecretHash, &u.Disabled, &created, &updated, &u.NodeID)
		if err == nil {
			u.Role = app.Role(role)
			u.CreatedAt, u.UpdatedAt, err = parseTimes(created, updated)
		}
		return u, err
	}, `SELECT id, name, role, secret_hash, disabled, created_at, updated_at, node_id FROM users ORDER BY name_key, id`)
}

// SaveUser inserts a user or rewrites one by id. A name another user has (in
// any case) is app.ErrConflict; a role other than owner, manager or cashier
// app.ErrInvalid.
func (q *queries) SaveUser(ctx context.Context, u app.User) error {
	_, err := q.q.ExecContext(ctx, `INSERT INTO users (id, name, name_key, role, secret_hash, disabled, created_at, updated_at, node_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_key = excluded.name_key, role = excluded.role,
			secret_hash = excluded.secret_hash, disabled = excluded.disabled,
			updated_at = excluded.updated_at, node_id = excluded.node_id`,
		u.ID, u.Name, userNameKey(u.Name), string(u.Role), u.SecretHash, u.Disabled,
		formatTime(u.CreatedAt), formatTime(u.UpdatedAt), u.NodeID)
	return writeErr("user", u.ID, err)
}
