package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"loyaltydesk/app"
)

const clientColumns = `c.id, c.first_name, c.last_name, c.patronymic, c.phone, c.email, c.gender,
	coalesce(c.birth_date, ''), c.external_id, c.note, coalesce(c.group_id, ''), c.blocked, c.block_reason,
	c.favorite, c.sms_subscribed, c.email_subscribed, coalesce(c.referrer_id, ''),
	c.created_at, c.updated_at, c.node_id`

type scanner interface{ Scan(dest ...any) error }

func scanClient(r scanner) (app.Client, error) {
	var c app.Client
	var gender, birth, created, updated string
	err := r.Scan(&c.ID, &c.FirstName, &c.LastName, &c.Patronymic, &c.Phone, &c.Email, &gender,
		&birth, &c.ExternalID, &c.Note, &c.GroupID, &c.Blocked, &c.BlockReason,
		&c.Favorite, &c.SMSSubscribed, &c.EmailSubscribed, &c.ReferrerID,
		&created, &updated, &c.NodeID)
	if err != nil {
		return c, err
	}
	c.Gender = app.Gender(gender)
	if birth != "" {
		if c.BirthDate, err = app.ParseDate(birth); err != nil {
			return c, fmt.Errorf("client %s: birth date: %w", c.ID, err)
		}
	}
	if c.CreatedAt, err = parseTime(created); err != nil {
		return c, err
	}
	c.UpdatedAt, err = parseTime(updated)
	return c, err
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Client returns the live client with its live identifiers.
func (q *queries) Client(ctx context.Context, id string) (app.Client, error) {
	c, err := scanClient(q.q.QueryRowContext(ctx,
		`SELECT `+clientColumns+` FROM clients c WHERE c.id = ? AND c.deleted_at IS NULL`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return app.Client{}, fmt.Errorf("client %s: %w", id, app.ErrNotFound)
	}
	if err != nil {
		return app.Client{}, err
	}
	c.Identifiers, err = q.identifiers(ctx, id)
	return c, err
}

func (q *queries) identifiers(ctx context.Context, clientID string) ([]app.Identifier, error) {
	rows, err := q.q.QueryContext(ctx, `SELECT id, client_id, media, input, value, created_at, updated_at, node_id
		FROM client_identifiers WHERE client_id = ? AND deleted_at IS NULL ORDER BY created_at, id`, clientID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []app.Identifier
	for rows.Next() {
		idf, err := scanIdentifier(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, idf)
	}
	return out, rows.Err()
}

func scanIdentifier(r scanner) (app.Identifier, error) {
	var idf app.Identifier
	var media, input, created, updated string
	if err := r.Scan(&idf.ID, &idf.ClientID, &media, &input, &idf.Value, &created, &updated, &idf.NodeID); err != nil {
		return idf, err
	}
	idf.Media, idf.Input = app.Media(media), app.Input(input)
	var err error
	if idf.CreatedAt, err = parseTime(created); err != nil {
		return idf, err
	}
	idf.UpdatedAt, err = parseTime(updated)
	return idf, err
}

// IdentifierByValue returns the live identifier with exactly this value.
func (q *queries) IdentifierByValue(ctx context.Context, value string) (app.Identifier, error) {
	idf, err := scanIdentifier(q.q.QueryRowContext(ctx, `SELECT id, client_id, media, input, value, created_at, updated_at, node_id
		FROM client_identifiers WHERE value = ? AND deleted_at IS NULL`, value))
	if errors.Is(err, sql.ErrNoRows) {
		return app.Identifier{}, fmt.Errorf("identifier %q: %w", value, app.ErrNotFound)
	}
	return idf, err
}

// ClientIDByExternalID returns the live client with this external id.
func (q *queries) ClientIDByExternalID(ctx context.Context, externalID string) (string, error) {
	var id string
	err := q.q.QueryRowContext(ctx, `SELECT id FROM clients WHERE external_id = ? AND external_id <> '' AND deleted_at IS NULL`,
		externalID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("external id %q: %w", externalID, app.ErrNotFound)
	}
	return id, err
}

// clientColumnsInsert and clientRow are the one mapping of a client to the
// columns of its row, search keys included; InsertClient and the bulk loader
// both use them.
var clientColumnsInsert = []string{"id", "first_name", "last_name", "patronymic", "phone", "email",
	"gender", "birth_date", "external_id", "note", "group_id", "blocked", "block_reason", "favorite",
	"sms_subscribed", "email_subscribed", "referrer_id", "name_key", "fname_key", "phone_rev",
	"created_at", "updated_at", "node_id"}

func clientRow(c app.Client) []any {
	return []any{c.ID, c.FirstName, c.LastName, c.Patronymic, c.Phone, c.Email,
		string(c.Gender), nullString(c.BirthDate.String()), c.ExternalID, c.Note, nullString(c.GroupID),
		c.Blocked, c.BlockReason, c.Favorite, c.SMSSubscribed, c.EmailSubscribed, nullString(c.ReferrerID),
		app.NameKey(c), app.FirstNameKey(c), app.ReversedDigits(c.Phone),
		formatTime(c.CreatedAt), formatTime(c.UpdatedAt), c.NodeID}
}

// identifierColumnsInsert and identifierRow map an identifier to its row.
var identifierColumnsInsert = []string{"id", "client_id", "media", "input", "value", "created_at", "updated_at", "node_id"}

func identifierRow(idf app.Identifier) []any {
	return []any{idf.ID, idf.ClientID, string(idf.Media), string(idf.Input), idf.Value,
		formatTime(idf.CreatedAt), formatTime(idf.UpdatedAt), idf.NodeID}
}

// insertStatement is "INSERT INTO table (columns) VALUES (?, ?, …)".
func insertStatement(table string, columns []string) string {
	return `INSERT INTO ` + table + ` (` + strings.Join(columns, ", ") + `) VALUES (?` +
		strings.Repeat(", ?", len(columns)-1) + `)`
}

var (
	insertClientSQL     = insertStatement("clients", clientColumnsInsert)
	insertIdentifierSQL = insertStatement("client_identifiers", identifierColumnsInsert)
)

// InsertClient stores a new client (its identifiers are inserted separately).
func (q *queries) InsertClient(ctx context.Context, c app.Client) error {
	_, err := q.q.ExecContext(ctx, insertClientSQL, clientRow(c)...)
	return err
}

// UpdateClient rewrites a live client's fields and search keys.
func (q *queries) UpdateClient(ctx context.Context, c app.Client) error {
	res, err := q.q.ExecContext(ctx, `UPDATE clients SET first_name = ?, last_name = ?, patronymic = ?,
		phone = ?, email = ?, gender = ?, birth_date = ?, external_id = ?, note = ?, group_id = ?,
		blocked = ?, block_reason = ?, favorite = ?, sms_subscribed = ?, email_subscribed = ?, referrer_id = ?,
		name_key = ?, fname_key = ?, phone_rev = ?, updated_at = ?, node_id = ?
		WHERE id = ? AND deleted_at IS NULL`,
		c.FirstName, c.LastName, c.Patronymic, c.Phone, c.Email, string(c.Gender), nullString(c.BirthDate.String()),
		c.ExternalID, c.Note, nullString(c.GroupID), c.Blocked, c.BlockReason, c.Favorite, c.SMSSubscribed,
		c.EmailSubscribed, nullString(c.ReferrerID), app.NameKey(c), app.FirstNameKey(c), app.ReversedDigits(c.Phone),
		formatTime(c.UpdatedAt), c.NodeID, c.ID)
	if err != nil {
		return err
	}
	return mustAffect(res, "client", c.ID)
}

// DeleteClient soft-deletes a client and its identifiers.
func (q *queries) DeleteClient(ctx context.Context, id string, at time.Time, node string) error {
	ts := formatTime(at)
	res, err := q.q.ExecContext(ctx, `UPDATE clients SET deleted_at = ?, updated_at = ?, node_id = ?
		WHERE id = ? AND deleted_at IS NULL`, ts, ts, node, id)
	if err != nil {
		return err
	}
	if err := mustAffect(res, "client", id); err != nil {
		return err
	}
	_, err = q.q.ExecContext(ctx, `UPDATE client_identifiers SET deleted_at = ?, updated_at = ?, node_id = ?
		WHERE client_id = ? AND deleted_at IS NULL`, ts, ts, node, id)
	return err
}

// InsertIdentifier stores an identification method.
func (q *queries) InsertIdentifier(ctx context.Context, idf app.Identifier) error {
	_, err := q.q.ExecContext(ctx, insertIdentifierSQL, identifierRow(idf)...)
	return err
}

// DeleteIdentifier soft-deletes an identification method, freeing its value.
func (q *queries) DeleteIdentifier(ctx context.Context, id string, at time.Time, node string) error {
	ts := formatTime(at)
	res, err := q.q.ExecContext(ctx, `UPDATE client_identifiers SET deleted_at = ?, updated_at = ?, node_id = ?
		WHERE id = ? AND deleted_at IS NULL`, ts, ts, node, id)
	if err != nil {
		return err
	}
	return mustAffect(res, "identifier", id)
}

func mustAffect(res sql.Result, what, id string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("%s %s: %w", what, id, app.ErrNotFound)
	}
	return nil
}

// A search is answered in three parts, each read in the order of an index so
// that a page never waits for a sort of every match:
//
//  1. clients whose surname-first name starts with the text (clients_name);
//  2. then those whose first-name-first name does (clients_fname);
//  3. then the few found by e-mail, phone, identifier or external id, by name.
//
// Each part leaves out what an earlier part listed, so paging over the parts
// in this order sees every match once.
func searchParts(k app.SearchKeys) (parts []string, args [][]any) {
	hi := k.Name + "\U0010FFFF"
	inName := `(c.name_key >= ? AND c.name_key < ?)`
	inFirst := `(c.fname_key >= ? AND c.fname_key < ?)`
	parts = append(parts, `SELECT `+clientColumns+` FROM clients c
		WHERE `+inName+` AND c.deleted_at IS NULL ORDER BY c.name_key, c.id`)
	args = append(args, []any{k.Name, hi})
	parts = append(parts, `SELECT `+clientColumns+` FROM clients c INDEXED BY clients_fname
		WHERE `+inFirst+` AND c.deleted_at IS NULL AND NOT `+inName+` ORDER BY c.fname_key, c.id`)
	args = append(args, []any{k.Name, hi, k.Name, hi})
	other, oargs := otherMatches(k)
	parts = append(parts, `SELECT `+clientColumns+` FROM clients c
		WHERE c.id IN (`+other+`) AND c.deleted_at IS NULL AND NOT `+inName+` AND NOT `+inFirst+`
		ORDER BY c.name_key, c.id`)
	args = append(args, append(oargs, k.Name, hi, k.Name, hi))
	return parts, args
}

// otherMatches returns the ids matching keys by e-mail, external id,
// identifier value and phone, each arm a range scan of an index. The WHERE of
// an arm repeats the condition of the partial index it is meant to use, or
// SQLite cannot use that index and scans the table.
func otherMatches(k app.SearchKeys) (string, []any) {
	var arms []string
	var args []any
	prefix := func(col, v string) {
		arms = append(arms, `SELECT id FROM clients WHERE `+col+` >= ? AND `+col+` < ? AND deleted_at IS NULL AND `+col+` <> ''`)
		args = append(args, v, v+"\U0010FFFF")
	}
	if !strings.ContainsRune(k.Email, ' ') {
		prefix("email", k.Email)
	}
	arms = append(arms, `SELECT id FROM clients WHERE external_id = ? AND external_id <> '' AND deleted_at IS NULL`)
	args = append(args, k.Raw)
	arms = append(arms, `SELECT client_id FROM client_identifiers WHERE value >= ? AND value < ? AND deleted_at IS NULL`)
	args = append(args, k.Raw, k.Raw+"\U0010FFFF")
	if k.Phone != "" {
		prefix("phone", k.Phone)
	}
	if k.Digits != "" {
		prefix("phone_rev", k.Digits)
	}
	return strings.Join(arms, " UNION "), args
}

// SearchClients returns a page of live clients matching keys: everyone in name
// order when keys are empty, else the parts of searchParts in turn.
func (q *queries) SearchClients(ctx context.Context, sel app.ClientSelect, offset, limit int) ([]app.Client, error) {
	k := sel.Keys
	out := make([]app.Client, 0, limit)
	if k.IsEmpty() {
		err := q.scanClients(ctx, &out, `SELECT `+clientColumns+` FROM clients c
			WHERE c.deleted_at IS NULL ORDER BY c.name_key, c.id LIMIT ? OFFSET ?`, limit, offset)
		return out, err
	}
	parts, args := searchParts(k)
	for i, part := range parts {
		if len(out) == limit {
			break
		}
		if offset > 0 {
			// Skip a whole part without reading its rows when the offset is past it.
			n, err := q.countRows(ctx, part, args[i])
			if err != nil {
				return nil, err
			}
			if offset >= n {
				offset -= n
				continue
			}
		}
		a := append(append([]any{}, args[i]...), limit-len(out), offset)
		if err := q.scanClients(ctx, &out, part+` LIMIT ? OFFSET ?`, a...); err != nil {
			return nil, err
		}
		offset = 0
	}
	return out, nil
}

// CountClients counts the live clients matching keys.
func (q *queries) CountClients(ctx context.Context, sel app.ClientSelect) (int, error) {
	k := sel.Keys
	if k.IsEmpty() {
		// The narrow partial index counts live clients four times faster than
		// the table scan the planner picks by itself (0.09 s vs 0.4 s at 1M).
		var n int
		err := q.q.QueryRowContext(ctx, `SELECT count(*) FROM clients INDEXED BY clients_fname WHERE deleted_at IS NULL`).Scan(&n)
		return n, err
	}
	parts, args := searchParts(k)
	total := 0
	for i, part := range parts {
		n, err := q.countRows(ctx, part, args[i])
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}

// countRows counts the rows of one search part.
func (q *queries) countRows(ctx context.Context, part string, args []any) (int, error) {
	var n int
	err := q.q.QueryRowContext(ctx, `SELECT count(*) FROM (`+part+`)`, args...).Scan(&n)
	return n, err
}

func (q *queries) scanClients(ctx context.Context, out *[]app.Client, query string, args ...any) error {
	rows, err := q.q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanClient(rows)
		if err != nil {
			return err
		}
		*out = append(*out, c)
	}
	return rows.Err()
}
