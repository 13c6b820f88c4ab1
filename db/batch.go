package db

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"loyaltydesk/app"
)

// The batch methods an import uses (app.BatchReader, app.BatchWriter). A
// statement through database/sql costs 15–70 µs however little SQLite does
// for it, so an import of 100,000 rows that looked up and inserted row by row
// spent most of its 22 s outside SQLite. Here a lookup takes a whole chunk of
// values as one JSON array (json_each) and an insert writes up to
// batchInsertRows rows per statement.

var (
	_ app.BatchReader = (*queries)(nil)
	_ app.BatchWriter = (*queries)(nil)
)

// batchInsertRows is how many rows one multi-row INSERT carries: a client row
// binds 30-odd values and SQLite allows 32,766 per statement.
const batchInsertRows = 500

func jsonList(values []string) string {
	b, _ := json.Marshal(values)
	return string(b)
}

// pairs runs query and collects its (value, client id) rows.
func (q *queries) pairs(ctx context.Context, query string, args ...any) ([][2]string, error) {
	return queryAll(ctx, q, func(r scanner) ([2]string, error) {
		var p [2]string
		err := r.Scan(&p[0], &p[1])
		return p, err
	}, query, args...)
}

// IdentifierOwners returns, for those of values that are the value of a live
// identifier, the client holding it.
func (q *queries) IdentifierOwners(ctx context.Context, values []string) (map[string]string, error) {
	out := map[string]string{}
	if len(values) == 0 {
		return out, nil
	}
	ps, err := q.pairs(ctx, `SELECT i.value, i.client_id FROM json_each(?) j
		JOIN client_identifiers i ON i.value = j.value AND i.deleted_at IS NULL`, jsonList(values))
	for _, p := range ps {
		out[p[0]] = p[1]
	}
	return out, err
}

// ClientIDsByContacts is ClientIDsByContact for many values: each value found,
// to its live clients by id.
func (q *queries) ClientIDsByContacts(ctx context.Context, kind app.ContactKind, values []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(values) == 0 {
		return out, nil
	}
	list := jsonList(values)
	contacts := `SELECT j.value, cc.client_id FROM json_each(?) j
		JOIN client_contacts cc ON cc.kind = ? AND cc.value = j.value AND cc.deleted_at IS NULL
		JOIN clients c ON c.id = cc.client_id AND c.deleted_at IS NULL`
	var query string
	var args []any
	switch kind {
	case app.ContactPhone, app.ContactEmail:
		col := string(kind) // the clients column of the same name
		query = `SELECT j.value, c.id FROM json_each(?) j
			JOIN clients c ON c.` + col + ` = j.value AND c.deleted_at IS NULL AND c.` + col + ` <> ''
			UNION ` + contacts
		args = []any{list, list, string(kind)}
	case app.ContactSocial:
		query, args = contacts, []any{list, string(kind)}
	default:
		return nil, fmt.Errorf("contact kind %q: %w", kind, app.ErrInvalid)
	}
	ps, err := q.pairs(ctx, query+` ORDER BY 1, 2`, args...)
	for _, p := range ps {
		out[p[0]] = append(out[p[0]], p[1])
	}
	return out, err
}

// ClientIDsByExternalIDs returns, for those of externalIDs a live client has,
// the client.
func (q *queries) ClientIDsByExternalIDs(ctx context.Context, externalIDs []string) (map[string]string, error) {
	out := map[string]string{}
	if len(externalIDs) == 0 {
		return out, nil
	}
	ps, err := q.pairs(ctx, `SELECT c.external_id, c.id FROM json_each(?) j
		JOIN clients c ON c.external_id = j.value AND c.deleted_at IS NULL AND c.external_id <> ''`,
		jsonList(externalIDs))
	for _, p := range ps {
		out[p[0]] = p[1]
	}
	return out, err
}

// multiInsert returns an INSERT of n rows into table.
func multiInsert(table string, columns []string, n int) string {
	one := "(?" + strings.Repeat(", ?", len(columns)-1) + ")"
	return `INSERT INTO ` + table + ` (` + strings.Join(columns, ", ") + `) VALUES ` +
		one + strings.Repeat(", "+one, n-1)
}

// insertRows writes rows of table in statements of up to batchInsertRows.
func insertRows[T any](ctx context.Context, q *queries, table string, columns []string, rows []T, row func(T) []any) error {
	for len(rows) > 0 {
		n := min(len(rows), batchInsertRows)
		args := make([]any, 0, n*len(columns))
		for _, r := range rows[:n] {
			args = append(args, row(r)...)
		}
		if _, err := q.q.ExecContext(ctx, multiInsert(table, columns, n), args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// InsertClients stores new clients, as InsertClient does one.
func (q *queries) InsertClients(ctx context.Context, cs []app.Client) error {
	return insertRows(ctx, q, "clients", clientColumnsInsert, cs, clientRow)
}

// InsertIdentifiers stores identification methods, as InsertIdentifier does one.
func (q *queries) InsertIdentifiers(ctx context.Context, ids []app.Identifier) error {
	return insertRows(ctx, q, "client_identifiers", identifierColumnsInsert, ids, identifierRow)
}
