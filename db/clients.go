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
	coalesce(c.birth_date, ''), c.external_id, c.note, coalesce(c.group_id, ''), coalesce(c.class_id, ''),
	coalesce(c.status_id, ''), c.discount_bp, c.blocked, c.block_reason,
	c.favorite, c.sms_subscribed, c.email_subscribed, coalesce(c.referrer_id, ''),
	c.visits, c.sold, c.paid, coalesce(c.first_visit_at, ''), coalesce(c.last_visit_at, ''),
	c.created_at, c.updated_at, c.node_id`

type scanner interface{ Scan(dest ...any) error }

// queryAll runs query and turns each of its rows into a T with scan.
func queryAll[T any](ctx context.Context, q *queries, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// scanString scans a row of one text column.
func scanString(r scanner) (string, error) {
	var s string
	err := r.Scan(&s)
	return s, err
}

func scanClient(r scanner) (app.Client, error) {
	var c app.Client
	var gender, birth, first, last, created, updated string
	err := r.Scan(&c.ID, &c.FirstName, &c.LastName, &c.Patronymic, &c.Phone, &c.Email, &gender,
		&birth, &c.ExternalID, &c.Note, &c.GroupID, &c.ClassID, &c.StatusID, &c.DiscountBP, &c.Blocked, &c.BlockReason,
		&c.Favorite, &c.SMSSubscribed, &c.EmailSubscribed, &c.ReferrerID,
		&c.Stats.Visits, &c.Stats.Sold, &c.Stats.Paid, &first, &last,
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
	if c.Stats.FirstVisit, err = parseOptionalTime(first); err != nil {
		return c, err
	}
	if c.Stats.LastVisit, err = parseOptionalTime(last); err != nil {
		return c, err
	}
	if c.CreatedAt, err = parseTime(created); err != nil {
		return c, err
	}
	c.UpdatedAt, err = parseTime(updated)
	return c, err
}

// parseOptionalTime reads a time column that may be empty (NULL).
func parseOptionalTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return parseTime(s)
}

// optionalTime is the column value of a time that may be unset.
func optionalTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return formatTime(t)
}

// birthMD is the birth_md column of a birth date: month*100+day, or NULL.
func birthMD(d app.Date) any {
	if d.IsZero() {
		return nil
	}
	return int64(app.MonthDayOf(d))
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Client returns the live client with its live identifiers, contacts,
// variables, tags, categories and the number of clients they brought.
func (q *queries) Client(ctx context.Context, id string) (app.Client, error) {
	c, err := scanClient(q.q.QueryRowContext(ctx,
		`SELECT `+clientColumns+` FROM clients c WHERE c.id = ? AND c.deleted_at IS NULL`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return app.Client{}, fmt.Errorf("client %s: %w", id, app.ErrNotFound)
	}
	if err != nil {
		return app.Client{}, err
	}
	if c.Identifiers, err = q.identifiers(ctx, id); err != nil {
		return app.Client{}, err
	}
	if c.Contacts, err = q.contacts(ctx, id); err != nil {
		return app.Client{}, err
	}
	if c.Variables, err = q.variables(ctx, id); err != nil {
		return app.Client{}, err
	}
	if c.Tags, err = q.clientTags(ctx, id); err != nil {
		return app.Client{}, err
	}
	if c.CategoryIDs, err = q.clientCategories(ctx, id); err != nil {
		return app.Client{}, err
	}
	err = q.q.QueryRowContext(ctx, `SELECT count(*) FROM clients
		WHERE referrer_id = ? AND deleted_at IS NULL`, id).Scan(&c.Referred)
	return c, err
}

func (q *queries) identifiers(ctx context.Context, clientID string) ([]app.Identifier, error) {
	return queryAll(ctx, q, scanIdentifier, `SELECT id, client_id, media, input, value, created_at, updated_at, node_id
		FROM client_identifiers WHERE client_id = ? AND deleted_at IS NULL ORDER BY created_at, id`, clientID)
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
	"gender", "birth_date", "birth_md", "external_id", "note", "group_id", "class_id", "status_id", "discount_bp",
	"blocked", "block_reason", "favorite", "sms_subscribed", "email_subscribed", "referrer_id",
	"visits", "sold", "paid", "first_visit_at", "last_visit_at",
	"name_key", "fname_key", "phone_rev", "created_at", "updated_at", "node_id"}

func clientRow(c app.Client) []any {
	return []any{c.ID, c.FirstName, c.LastName, c.Patronymic, c.Phone, c.Email,
		string(c.Gender), nullString(c.BirthDate.String()), birthMD(c.BirthDate), c.ExternalID, c.Note,
		nullString(c.GroupID), nullString(c.ClassID), nullString(c.StatusID), c.DiscountBP,
		c.Blocked, c.BlockReason, c.Favorite, c.SMSSubscribed, c.EmailSubscribed, nullString(c.ReferrerID),
		c.Stats.Visits, c.Stats.Sold, c.Stats.Paid, optionalTime(c.Stats.FirstVisit), optionalTime(c.Stats.LastVisit),
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

// UpdateClient rewrites a live client's fields and search keys. It leaves the
// totals over purchases (Stats) as they are: purchases keep them.
func (q *queries) UpdateClient(ctx context.Context, c app.Client) error {
	res, err := q.q.ExecContext(ctx, `UPDATE clients SET first_name = ?, last_name = ?, patronymic = ?,
		phone = ?, email = ?, gender = ?, birth_date = ?, birth_md = ?, external_id = ?, note = ?,
		group_id = ?, class_id = ?, status_id = ?, discount_bp = ?,
		blocked = ?, block_reason = ?, favorite = ?, sms_subscribed = ?, email_subscribed = ?, referrer_id = ?,
		name_key = ?, fname_key = ?, phone_rev = ?, updated_at = ?, node_id = ?
		WHERE id = ? AND deleted_at IS NULL`,
		c.FirstName, c.LastName, c.Patronymic, c.Phone, c.Email, string(c.Gender), nullString(c.BirthDate.String()),
		birthMD(c.BirthDate), c.ExternalID, c.Note, nullString(c.GroupID), nullString(c.ClassID), nullString(c.StatusID),
		c.DiscountBP, c.Blocked, c.BlockReason, c.Favorite, c.SMSSubscribed,
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
