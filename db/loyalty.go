package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"loyaltydesk/app"
)

// The automatic loyalty (issue 6; GR-04…GR-06, LR-01…LR-09, PU-04): the
// rules, the classes, categories and statuses they point at, what the rules
// read about each client and write back, visits with a status and the outbox
// (LR-08). Migration 0004 holds the tables.

var (
	_ app.LoyaltyReader = (*queries)(nil)
	_ app.LoyaltyWriter = (*queries)(nil)
)

// Rule kinds of loyalty_rules.kind.
const (
	ruleDiscount       = "discount"
	ruleClass          = "class"
	ruleCategoryAdd    = "category_add"
	ruleCategoryRemove = "category_remove"
)

// LoyaltyRules returns the live rules, each kind in the order it was saved.
func (q *queries) LoyaltyRules(ctx context.Context) (app.Rules, error) {
	var r app.Rules
	rows, err := q.q.QueryContext(ctx, `SELECT id, kind, measure, threshold, discount_bp, coalesce(target_id, '')
		FROM loyalty_rules WHERE deleted_at IS NULL ORDER BY position, id`)
	if err != nil {
		return r, fmt.Errorf("loyalty rules: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, kind, measure, target string
		var from int64
		var bp int
		if err := rows.Scan(&id, &kind, &measure, &from, &bp, &target); err != nil {
			return r, fmt.Errorf("loyalty rules: %w", err)
		}
		m := app.Measure(measure)
		switch kind {
		case ruleDiscount:
			r.Discounts = append(r.Discounts, app.DiscountRule{ID: id, Measure: m, From: from, DiscountBP: bp})
		case ruleClass:
			r.Classes = append(r.Classes, app.ClassRule{ID: id, ClassID: target, Measure: m, From: from})
		case ruleCategoryAdd, ruleCategoryRemove:
			r.Categories = append(r.Categories, app.CategoryRule{ID: id, CategoryID: target,
				Add: kind == ruleCategoryAdd, Measure: m, From: from})
		default:
			return r, fmt.Errorf("loyalty rule %s: kind %q", id, kind)
		}
	}
	return r, rows.Err()
}

// ruleRow is one rule as loyalty_rules stores it.
type ruleRow struct {
	id, kind, measure string
	from              int64
	bp                int
	target            string
	position          int
}

// ruleRows flattens rules into rows; a rule's position is its index in its
// own list.
func ruleRows(r app.Rules) []ruleRow {
	var rows []ruleRow
	for i, d := range r.Discounts {
		rows = append(rows, ruleRow{d.ID, ruleDiscount, string(d.Measure), d.From, d.DiscountBP, "", i})
	}
	for i, c := range r.Classes {
		rows = append(rows, ruleRow{c.ID, ruleClass, string(c.Measure), c.From, 0, c.ClassID, i})
	}
	for i, c := range r.Categories {
		kind := ruleCategoryRemove
		if c.Add {
			kind = ruleCategoryAdd
		}
		rows = append(rows, ruleRow{c.ID, kind, string(c.Measure), c.From, 0, c.CategoryID, i})
	}
	return rows
}

// ReplaceRules makes rules the live set: rules missing from it are
// soft-deleted; the others are inserted, or updated where they changed (a
// deleted rule saved again comes back).
func (q *queries) ReplaceRules(ctx context.Context, rules app.Rules, at time.Time, node string) error {
	ts := formatTime(at)
	rows := ruleRows(rules)
	ids := make([]string, len(rows))
	for i, r := range rows {
		if r.id == "" {
			return fmt.Errorf("loyalty rule without an id: %w", app.ErrInvalid)
		}
		ids[i] = r.id
		_, err := q.q.ExecContext(ctx, `INSERT INTO loyalty_rules (id, kind, measure, threshold, discount_bp, target_id,
				position, created_at, updated_at, node_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, measure = excluded.measure,
				threshold = excluded.threshold, discount_bp = excluded.discount_bp, target_id = excluded.target_id,
				position = excluded.position, updated_at = excluded.updated_at, node_id = excluded.node_id,
				deleted_at = NULL
			WHERE kind IS NOT excluded.kind OR measure IS NOT excluded.measure OR threshold IS NOT excluded.threshold
				OR discount_bp IS NOT excluded.discount_bp OR target_id IS NOT excluded.target_id
				OR position IS NOT excluded.position OR deleted_at IS NOT NULL`,
			r.id, r.kind, r.measure, r.from, r.bp, nullString(r.target), r.position, ts, ts, node)
		if err != nil {
			return writeErr("loyalty rule", r.id, err)
		}
	}
	_, err := q.q.ExecContext(ctx, `UPDATE loyalty_rules SET deleted_at = ?1, updated_at = ?1, node_id = ?2
		WHERE deleted_at IS NULL AND id NOT IN (SELECT value FROM json_each(?3))`, ts, node, jsonList(ids))
	if err != nil {
		return fmt.Errorf("delete loyalty rules: %w", err)
	}
	return nil
}

// ClientClasses returns the live classes, highest priority first, then by
// name.
func (q *queries) ClientClasses(ctx context.Context) ([]app.Class, error) {
	return queryAll(ctx, q, func(r scanner) (app.Class, error) {
		var c app.Class
		var created, updated string
		err := r.Scan(&c.ID, &c.Name, &c.Priority, &created, &updated, &c.NodeID)
		if err == nil {
			c.CreatedAt, c.UpdatedAt, err = parseTimes(created, updated)
		}
		return c, err
	}, `SELECT id, name, priority, created_at, updated_at, node_id FROM client_classes
		WHERE deleted_at IS NULL ORDER BY priority DESC, name, id`)
}

// ClientCategories returns the live client categories by name.
func (q *queries) ClientCategories(ctx context.Context) ([]app.Category, error) {
	return queryAll(ctx, q, func(r scanner) (app.Category, error) {
		var c app.Category
		var created, updated string
		err := r.Scan(&c.ID, &c.Name, &created, &updated, &c.NodeID)
		if err == nil {
			c.CreatedAt, c.UpdatedAt, err = parseTimes(created, updated)
		}
		return c, err
	}, `SELECT id, name, created_at, updated_at, node_id FROM client_categories
		WHERE deleted_at IS NULL ORDER BY name, id`)
}

// ClientStatuses returns the live statuses by position, then name.
func (q *queries) ClientStatuses(ctx context.Context) ([]app.Status, error) {
	return queryAll(ctx, q, func(r scanner) (app.Status, error) {
		var s app.Status
		var created, updated string
		err := r.Scan(&s.ID, &s.Name, &s.Position, &created, &updated, &s.NodeID)
		if err == nil {
			s.CreatedAt, s.UpdatedAt, err = parseTimes(created, updated)
		}
		return s, err
	}, `SELECT id, name, position, created_at, updated_at, node_id FROM client_statuses
		WHERE deleted_at IS NULL ORDER BY position, name, id`)
}

// RefClients counts the live clients in a group, class or status, or the
// live members of a category.
func (q *queries) RefClients(ctx context.Context, kind app.RefKind, id string) (int, error) {
	var query string
	switch kind {
	case app.RefGroup:
		query = `SELECT count(*) FROM clients WHERE group_id = ? AND deleted_at IS NULL`
	case app.RefClass:
		query = `SELECT count(*) FROM clients WHERE class_id = ? AND deleted_at IS NULL`
	case app.RefStatus:
		query = `SELECT count(*) FROM clients WHERE status_id = ? AND deleted_at IS NULL`
	case app.RefCategory:
		query = `SELECT count(*) FROM client_category_members m
			JOIN clients c ON c.id = m.client_id AND c.deleted_at IS NULL WHERE m.category_id = ?`
	default:
		return 0, fmt.Errorf("ref kind %q: %w", kind, app.ErrInvalid)
	}
	var n int
	if err := q.q.QueryRowContext(ctx, query, id).Scan(&n); err != nil {
		return 0, fmt.Errorf("%s %s clients: %w", kind, id, err)
	}
	return n, nil
}

// SaveClass inserts a class or updates the live one with its id.
func (q *queries) SaveClass(ctx context.Context, c app.Class) error {
	return q.saveLive(ctx, "client_classes", "class", c.ID, []column{{"name", c.Name}, {"priority", c.Priority}},
		c.CreatedAt, c.UpdatedAt, c.NodeID)
}

// SaveCategory inserts a client category or renames the live one with its id.
func (q *queries) SaveCategory(ctx context.Context, c app.Category) error {
	return q.saveLive(ctx, "client_categories", "category", c.ID, []column{{"name", c.Name}}, c.CreatedAt, c.UpdatedAt, c.NodeID)
}

// SaveStatus inserts a status or updates the live one with its id.
func (q *queries) SaveStatus(ctx context.Context, s app.Status) error {
	return q.saveLive(ctx, "client_statuses", "status", s.ID, []column{{"name", s.Name}, {"position", s.Position}},
		s.CreatedAt, s.UpdatedAt, s.NodeID)
}

// saveLive inserts a row of table with cols, or sets cols, the updated time
// and the node of the live row with its id; a deleted one is app.ErrNotFound.
func (q *queries) saveLive(ctx context.Context, table, what, id string, cols []column, created, updated time.Time, node string) error {
	names := make([]string, len(cols))
	set := make([]string, len(cols))
	args := []any{id}
	for i, c := range cols {
		names[i], set[i] = c.name, c.name+` = excluded.`+c.name
		args = append(args, c.value)
	}
	args = append(args, formatTime(created), formatTime(updated), node)
	res, err := q.q.ExecContext(ctx, insertStatement(table, append(append([]string{"id"}, names...), "created_at", "updated_at", "node_id"))+`
		ON CONFLICT (id) DO UPDATE SET `+strings.Join(set, ", ")+`, updated_at = excluded.updated_at, node_id = excluded.node_id
		WHERE `+table+`.deleted_at IS NULL`, args...)
	if err != nil {
		return writeErr(what, id, err)
	}
	return mustAffect(res, what, id)
}

// DeleteRef soft-deletes a live class, category or status (the use case
// checks first that nobody points at it).
func (q *queries) DeleteRef(ctx context.Context, kind app.RefKind, id string, at time.Time, node string) error {
	table, ok := refTables[kind]
	if !ok || kind == app.RefGroup {
		return fmt.Errorf("delete ref kind %q: %w", kind, app.ErrInvalid)
	}
	return q.softDelete(ctx, table, string(kind), id, at, node)
}

// ruleSubjectColumns are what RuleSubjects reads of a client row.
const ruleSubjectColumns = `c.id, c.first_name, c.last_name, c.patronymic, c.phone, c.sms_subscribed,
	c.sold, c.paid, c.visits, coalesce(c.last_visit_at, ''), coalesce(c.last_visit_status, ''),
	c.discount_bp, coalesce(c.class_id, ''), coalesce(c.status_id, ''), coalesce(c.group_id, ''),
	c.discount_lock, c.discount_lock_bp, c.class_lock, coalesce(c.class_lock_id, '')`

func scanRuleSubject(r scanner) (app.RuleSubject, error) {
	var s app.RuleSubject
	var first, last, patronymic, lastVisit, status, dlock, clock string
	err := r.Scan(&s.ClientID, &first, &last, &patronymic, &s.Phone, &s.SMSSubscribed,
		&s.Sold, &s.Paid, &s.Visits, &lastVisit, &status,
		&s.DiscountBP, &s.ClassID, &s.StatusID, &s.GroupID,
		&dlock, &s.DiscountLockBP, &clock, &s.ClassLockID)
	if err != nil {
		return s, err
	}
	s.Name = first
	if s.Name == "" {
		s.Name = app.Client{FirstName: first, LastName: last, Patronymic: patronymic}.FullName()
	}
	s.LastStatus, s.DiscountLock, s.ClassLock = app.VisitStatus(status), app.ManualMode(dlock), app.ManualMode(clock)
	if s.LastVisitAt, err = parseOptionalTime(lastVisit); err != nil {
		return s, fmt.Errorf("client %s: last visit: %w", s.ClientID, err)
	}
	return s, nil
}

// RuleSubjects returns the live clients q selects, by id, with their live
// categories: two queries for the whole batch. The categories of a batch read
// by id order come from the member table's primary key range between its
// first and last client; those of a list of ids or a filtered selection, by
// id.
func (q *queries) RuleSubjects(ctx context.Context, rq app.RuleSubjectQuery) ([]app.RuleSubject, error) {
	if rq.IDs != nil && len(rq.IDs) == 0 {
		return nil, nil
	}
	var w where
	w.and(`c.deleted_at IS NULL`)
	if rq.After != "" {
		w.and(`c.id > ?`, rq.After)
	}
	if rq.IDs != nil {
		w.and(`c.id IN (SELECT value FROM json_each(?))`, jsonList(rq.IDs))
	}
	if !rq.LastVisitFrom.IsZero() {
		w.and(`c.last_visit_at >= ?`, formatTime(rq.LastVisitFrom))
	}
	if !rq.LastVisitBefore.IsZero() {
		w.and(`c.last_visit_at < ?`, formatTime(rq.LastVisitBefore))
	}
	if rq.WithDiscount {
		w.and(`c.discount_bp > 0 AND c.discount_lock = ''`)
	}
	var ss []app.RuleSubject
	var err error
	if rq.IDs != nil {
		// Looked up one by one and put in order here: with ORDER BY and
		// LIMIT, SQLite takes 50 µs instead of 14 for one client (a
		// purchase's rules).
		ss, err = queryAll(ctx, q, scanRuleSubject, `SELECT `+ruleSubjectColumns+` FROM clients c WHERE `+w.sql(), w.args...)
		slices.SortFunc(ss, func(a, b app.RuleSubject) int { return strings.Compare(a.ClientID, b.ClientID) })
		if rq.Limit > 0 && len(ss) > rq.Limit {
			ss = ss[:rq.Limit]
		}
	} else {
		ss, err = queryAll(ctx, q, scanRuleSubject, `SELECT `+ruleSubjectColumns+` FROM clients c
			WHERE `+w.sql()+` ORDER BY c.id LIMIT ?`, append(w.args, limitOf(rq.Limit))...)
	}
	if err != nil || len(ss) == 0 {
		return ss, err
	}
	var rows *sql.Rows
	dense := rq.IDs == nil && rq.LastVisitFrom.IsZero() && rq.LastVisitBefore.IsZero() && !rq.WithDiscount
	if dense { // a range of the primary key, in its order
		rows, err = q.q.QueryContext(ctx, `SELECT m.client_id, m.category_id FROM client_category_members m
			WHERE m.client_id BETWEEN ? AND ? AND m.category_id IN (SELECT id FROM client_categories WHERE deleted_at IS NULL)
			ORDER BY m.client_id, m.category_id`, ss[0].ClientID, ss[len(ss)-1].ClientID)
	} else { // a look into the primary key for each client
		ids := make([]string, len(ss))
		for i, s := range ss {
			ids[i] = s.ClientID
		}
		rows, err = q.q.QueryContext(ctx, `SELECT m.client_id, m.category_id FROM json_each(?) j
			JOIN client_category_members m ON m.client_id = j.value
			JOIN client_categories k ON k.id = m.category_id AND k.deleted_at IS NULL
			ORDER BY m.client_id, m.category_id`, jsonList(ids))
	}
	if err != nil {
		return nil, fmt.Errorf("rule subjects' categories: %w", err)
	}
	defer rows.Close()
	i := 0
	for rows.Next() {
		var id, cat string
		if err := rows.Scan(&id, &cat); err != nil {
			return nil, err
		}
		for i < len(ss) && ss[i].ClientID < id {
			i++
		}
		if i < len(ss) && ss[i].ClientID == id {
			ss[i].Categories = append(ss[i].Categories, cat)
		}
	}
	return ss, rows.Err()
}

// ruleChangeRow is one client's change as ApplyRuleChanges hands it to SQL.
type ruleChangeRow struct {
	ID       string  `json:"i"`
	Discount *int    `json:"d,omitempty"`
	Class    *string `json:"c,omitempty"`
}

// ruleUpdates are the UPDATEs of ApplyRuleChanges by what changes: SQLite
// rewrites the entries of every index over a column an UPDATE sets, changed
// or not, so a statement sets only the columns that change (a class is in
// the large clients_filter index).
var ruleUpdates = [4]string{
	ruleUpdate(``),
	ruleUpdate(`discount_bp = j.value ->> 'd', `),
	ruleUpdate(`class_id = nullif(j.value ->> 'c', ''), `),
	ruleUpdate(`discount_bp = j.value ->> 'd', class_id = nullif(j.value ->> 'c', ''), `),
}

func ruleUpdate(set string) string {
	return `UPDATE clients SET ` + set + `updated_at = ?, node_id = ? FROM json_each(?) j
		WHERE clients.id = j.value ->> 'i' AND clients.deleted_at IS NULL`
}

// ApplyRuleChanges writes what the rules changed: the discounts, classes,
// updated times and nodes of the changed clients in up to four UPDATEs (by
// what changes), one INSERT of the categories they joined and one DELETE of
// those they left, each taking the whole batch as a JSON array (a statement
// through database/sql costs more than SQLite's work for one row).
func (q *queries) ApplyRuleChanges(ctx context.Context, changes []app.RuleChange, at time.Time, node string) error {
	if len(changes) == 0 {
		return nil
	}
	var rows [4][]ruleChangeRow
	var adds, removes [][2]string
	for _, c := range changes {
		kind := 0
		if c.DiscountBP != nil {
			kind |= 1
		}
		if c.ClassID != nil {
			kind |= 2
		}
		rows[kind] = append(rows[kind], ruleChangeRow{ID: c.ClientID, Discount: c.DiscountBP, Class: c.ClassID})
		for _, k := range c.AddCategories {
			adds = append(adds, [2]string{c.ClientID, k})
		}
		for _, k := range c.RemoveCategories {
			removes = append(removes, [2]string{c.ClientID, k})
		}
	}
	ts := formatTime(at)
	for kind, rs := range rows {
		if len(rs) == 0 {
			continue
		}
		list, err := jsonOf(rs)
		if err != nil {
			return err
		}
		if _, err := q.q.ExecContext(ctx, ruleUpdates[kind], ts, node, list); err != nil {
			return fmt.Errorf("apply rule changes: %w", mapErr(err))
		}
	}
	if len(adds) > 0 {
		list, err := jsonOf(adds)
		if err != nil {
			return err
		}
		_, err = q.q.ExecContext(ctx, `INSERT INTO client_category_members (client_id, category_id, created_at, node_id)
			SELECT value ->> 0, value ->> 1, ?, ? FROM json_each(?) WHERE true ON CONFLICT DO NOTHING`, ts, node, list)
		if err != nil {
			return fmt.Errorf("apply rule changes: categories: %w", mapErr(err))
		}
	}
	if len(removes) > 0 {
		list, err := jsonOf(removes)
		if err != nil {
			return err
		}
		_, err = q.q.ExecContext(ctx, `DELETE FROM client_category_members
			WHERE (client_id, category_id) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?))`, list)
		if err != nil {
			return fmt.Errorf("apply rule changes: categories: %w", mapErr(err))
		}
	}
	return nil
}

// SetManual applies a change by hand (GR-04) to every live client sel picks
// whose values differ, through the selection UpdateClients uses, and returns
// how many it changed.
func (q *queries) SetManual(ctx context.Context, sel app.ClientSelect, ch app.ManualChange, at time.Time, node string) (int, error) {
	var cols []column
	if ch.StatusID != nil {
		cols = append(cols, column{"status_id", nullString(*ch.StatusID)})
	}
	if d := ch.Discount; d != nil {
		switch d.Mode {
		case app.ManualFixed, app.ManualFloor:
			cols = append(cols, column{"discount_lock", string(d.Mode)}, column{"discount_lock_bp", d.BP},
				column{"discount_bp", d.BP})
		case app.ManualOnce:
			cols = append(cols, column{"discount_lock", ""}, column{"discount_lock_bp", 0}, column{"discount_bp", d.BP})
		case app.ManualRules:
			cols = append(cols, column{"discount_lock", ""}, column{"discount_lock_bp", 0})
		default:
			return 0, fmt.Errorf("discount mode %q: %w", d.Mode, app.ErrInvalid)
		}
	}
	if c := ch.Class; c != nil {
		switch c.Mode {
		case app.ManualFixed, app.ManualFloor:
			cols = append(cols, column{"class_lock", string(c.Mode)}, column{"class_lock_id", nullString(c.ClassID)},
				column{"class_id", nullString(c.ClassID)})
		case app.ManualOnce:
			cols = append(cols, column{"class_lock", ""}, column{"class_lock_id", nil}, column{"class_id", nullString(c.ClassID)})
		case app.ManualRules:
			cols = append(cols, column{"class_lock", ""}, column{"class_lock_id", nil})
		default:
			return 0, fmt.Errorf("class mode %q: %w", c.Mode, app.ErrInvalid)
		}
	}
	n, err := q.updateSelected(ctx, sel, cols, at, node)
	if err != nil {
		return 0, fmt.Errorf("change clients by hand: %w", mapErr(err))
	}
	return n, nil
}

// Visit returns a live visit.
func (q *queries) Visit(ctx context.Context, id string) (app.Visit, error) {
	v, err := scanVisit(q.q.QueryRowContext(ctx, `SELECT `+visitColumns+` FROM visits WHERE id = ? AND deleted_at IS NULL`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return v, fmt.Errorf("visit %s: %w", id, app.ErrNotFound)
	}
	return v, err
}

// ClientVisits returns a client's live visits, newest first.
func (q *queries) ClientVisits(ctx context.Context, clientID string, limit int) ([]app.Visit, error) {
	return queryAll(ctx, q, scanVisit, `SELECT `+visitColumns+` FROM visits
		WHERE client_id = ? AND deleted_at IS NULL ORDER BY at DESC, id DESC LIMIT ?`, clientID, limitOf(limit))
}

const visitColumns = `id, client_id, at, status, sold, paid, note, author, created_at, updated_at, node_id`

func scanVisit(r scanner) (app.Visit, error) {
	var v app.Visit
	var at, status, created, updated string
	if err := r.Scan(&v.ID, &v.ClientID, &at, &status, &v.Sold, &v.Paid, &v.Note, &v.Author,
		&created, &updated, &v.NodeID); err != nil {
		return v, err
	}
	v.Status = app.VisitStatus(status)
	var err error
	if v.At, err = parseTime(at); err != nil {
		return v, err
	}
	v.CreatedAt, v.UpdatedAt, err = parseTimes(created, updated)
	return v, err
}

// InsertVisit records a visit and keeps the client's last visit status.
func (q *queries) InsertVisit(ctx context.Context, v app.Visit) error {
	_, err := q.q.ExecContext(ctx, `INSERT INTO visits (id, client_id, at, status, sold, paid, note, author,
			created_at, updated_at, node_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		v.ID, v.ClientID, formatTime(v.At), string(v.Status), v.Sold, v.Paid, v.Note, v.Author,
		formatTime(v.CreatedAt), formatTime(v.UpdatedAt), v.NodeID)
	if err != nil {
		return writeErr("visit", v.ID, err)
	}
	return q.keepLastVisitStatus(ctx, v.ClientID, v.UpdatedAt, v.NodeID)
}

// SetVisitStatus changes a live visit's status and keeps its client's last
// visit status.
func (q *queries) SetVisitStatus(ctx context.Context, id string, status app.VisitStatus, at time.Time, node string) error {
	var clientID string
	err := q.q.QueryRowContext(ctx, `UPDATE visits SET status = ?, updated_at = ?, node_id = ?
		WHERE id = ? AND deleted_at IS NULL RETURNING client_id`,
		string(status), formatTime(at), node, id).Scan(&clientID)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("visit %s: %w", id, app.ErrNotFound)
	}
	if err != nil {
		return writeErr("visit", id, err)
	}
	return q.keepLastVisitStatus(ctx, clientID, at, node)
}

// keepLastVisitStatus sets the client's last_visit_status to the status of
// their latest live visit (by time, then id), when it differs.
func (q *queries) keepLastVisitStatus(ctx context.Context, clientID string, at time.Time, node string) error {
	_, err := q.q.ExecContext(ctx, `UPDATE clients SET last_visit_status = v.status,
			updated_at = max(updated_at, ?1), node_id = ?2
		FROM (SELECT (SELECT status FROM visits WHERE client_id = ?3 AND deleted_at IS NULL
			ORDER BY at DESC, id DESC LIMIT 1) AS status) v
		WHERE clients.id = ?3 AND clients.last_visit_status IS NOT v.status`, formatTime(at), node, clientID)
	if err != nil {
		return writeErr("last visit status of", clientID, err)
	}
	return nil
}

// RecomputeClientTotals rewrites one client's totals from their purchases
// and visits with status "came", with the same SQL as CheckClientTotals.
func (q *queries) RecomputeClientTotals(ctx context.Context, clientID string, at time.Time, node string) error {
	if _, err := q.q.ExecContext(ctx, rewriteTotals(true), sql.Named("client", clientID),
		sql.Named("at", formatTime(at)), sql.Named("node", node)); err != nil {
		return writeErr("client totals of", clientID, err)
	}
	return nil
}

// QueueMessage inserts a message unless one with its id exists.
func (q *queries) QueueMessage(ctx context.Context, m app.Message) (bool, error) {
	res, err := q.q.ExecContext(ctx, `INSERT INTO outbox (id, client_id, channel, kind, recipient, body, status, reason,
			attempts, created_at, updated_at, node_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO NOTHING`,
		m.ID, m.ClientID, m.Channel, m.Kind, m.To, m.Text, string(m.Status), m.Reason, m.Attempts,
		formatTime(m.CreatedAt), formatTime(m.UpdatedAt), m.NodeID)
	if err != nil {
		return false, writeErr("message", m.ID, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// Outbox returns messages, newest first, with their client's display name.
func (q *queries) Outbox(ctx context.Context, oq app.OutboxQuery) ([]app.Message, error) {
	var w where
	if oq.Status != "" {
		w.and(`o.status = ?`, string(oq.Status))
	}
	if oq.ClientID != "" {
		w.and(`o.client_id = ?`, oq.ClientID)
	}
	args := append(w.args, limitOf(oq.Limit))
	return queryAll(ctx, q, func(r scanner) (app.Message, error) {
		var m app.Message
		var c app.Client
		var status, created, updated string
		err := r.Scan(&m.ID, &m.ClientID, &m.Channel, &m.Kind, &m.To, &m.Text, &status, &m.Reason, &m.Attempts,
			&created, &updated, &m.NodeID, &c.FirstName, &c.LastName, &c.Patronymic, &c.Phone, &c.Email, &c.ExternalID)
		if err != nil {
			return m, err
		}
		m.Status, m.ClientName = app.MessageStatus(status), c.DisplayName()
		m.CreatedAt, m.UpdatedAt, err = parseTimes(created, updated)
		return m, err
	}, `SELECT o.id, o.client_id, o.channel, o.kind, o.recipient, o.body, o.status, o.reason, o.attempts,
			o.created_at, o.updated_at, o.node_id, coalesce(c.first_name, ''), coalesce(c.last_name, ''),
			coalesce(c.patronymic, ''), coalesce(c.phone, ''), coalesce(c.email, ''), coalesce(c.external_id, '')
		FROM outbox o LEFT JOIN clients c ON c.id = o.client_id
		WHERE `+w.sql()+` ORDER BY o.created_at DESC, o.id DESC LIMIT ?`, args...)
}

// CancelMessage cancels a queued message.
func (q *queries) CancelMessage(ctx context.Context, id string, at time.Time, node string) error {
	res, err := q.q.ExecContext(ctx, `UPDATE outbox SET status = ?, updated_at = ?, node_id = ?
		WHERE id = ? AND status = ?`, string(app.MessageCancelled), formatTime(at), node, id, string(app.MessageQueued))
	if err != nil {
		return writeErr("message", id, err)
	}
	if err := mustAffect(res, "queued message", id); err != nil {
		return err
	}
	return nil
}

// jsonOf is the JSON text of v, for json_each.
func jsonOf(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}
