package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"loyaltydesk/app"
)

// This file holds the bonus accounts and their ledger (BN-01, BN-02, BN-08,
// CL-04): account types, accounts with their cached balances, entries with
// the draws they take from lots, and the check that proves the caches.

const accountTypeColumns = `id, name, is_default, coalesce(expiry_days, 0), created_at, updated_at, node_id`

func scanAccountType(r scanner) (app.AccountType, error) {
	var t app.AccountType
	var created, updated string
	err := r.Scan(&t.ID, &t.Name, &t.IsDefault, &t.ExpiryDays, &created, &updated, &t.NodeID)
	if err == nil {
		t.CreatedAt, t.UpdatedAt, err = parseTimes(created, updated)
	}
	return t, err
}

// AccountTypes returns the live account types, the default first, then by name.
func (q *queries) AccountTypes(ctx context.Context) ([]app.AccountType, error) {
	return queryAll(ctx, q, scanAccountType, `SELECT `+accountTypeColumns+` FROM account_types
		WHERE deleted_at IS NULL ORDER BY is_default DESC, name, id`)
}

// expiryDays is the expiry_days column: NULL for "never".
func expiryDays(days int) any {
	if days <= 0 {
		return nil
	}
	return days
}

// InsertAccountType stores a new account type.
func (q *queries) InsertAccountType(ctx context.Context, t app.AccountType) error {
	_, err := q.q.ExecContext(ctx, `INSERT INTO account_types (id, name, is_default, expiry_days, created_at, updated_at, node_id)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, t.ID, t.Name, t.IsDefault, expiryDays(t.ExpiryDays),
		formatTime(t.CreatedAt), formatTime(t.UpdatedAt), t.NodeID)
	return err
}

// UpdateAccountType renames a live account type and sets its expiry; which
// type is the default does not change.
func (q *queries) UpdateAccountType(ctx context.Context, t app.AccountType) error {
	res, err := q.q.ExecContext(ctx, `UPDATE account_types SET name = ?, expiry_days = ?, updated_at = ?, node_id = ?
		WHERE id = ? AND deleted_at IS NULL`, t.Name, expiryDays(t.ExpiryDays), formatTime(t.UpdatedAt), t.NodeID, t.ID)
	if err != nil {
		return err
	}
	return mustAffect(res, "account type", t.ID)
}

const accountColumns = `a.id, a.client_id, a.account_type_id, t.name, a.posted, a.held, a.created_at, a.updated_at, a.node_id`

// accountFrom joins an account to its type, deleted types included: their
// accounts keep their points.
const accountFrom = ` FROM accounts a JOIN account_types t ON t.id = a.account_type_id`

func scanAccount(r scanner) (app.Account, error) {
	var a app.Account
	var created, updated string
	err := r.Scan(&a.ID, &a.ClientID, &a.TypeID, &a.TypeName, &a.Posted, &a.Held, &created, &updated, &a.NodeID)
	if err == nil {
		a.CreatedAt, a.UpdatedAt, err = parseTimes(created, updated)
	}
	return a, err
}

// Accounts returns the client's accounts, the default type first, then by
// type name.
func (q *queries) Accounts(ctx context.Context, clientID string) ([]app.Account, error) {
	return queryAll(ctx, q, scanAccount, `SELECT `+accountColumns+accountFrom+`
		WHERE a.client_id = ? ORDER BY t.is_default DESC, t.name, t.id`, clientID)
}

// Account returns the client's account of the type.
func (q *queries) Account(ctx context.Context, clientID, typeID string) (app.Account, error) {
	a, err := scanAccount(q.q.QueryRowContext(ctx, `SELECT `+accountColumns+accountFrom+`
		WHERE a.client_id = ? AND a.account_type_id = ?`, clientID, typeID))
	if errors.Is(err, sql.ErrNoRows) {
		return app.Account{}, fmt.Errorf("account of client %s, type %s: %w", clientID, typeID, app.ErrNotFound)
	}
	return a, err
}

// AccountByID returns an account by its id.
func (q *queries) AccountByID(ctx context.Context, id string) (app.Account, error) {
	a, err := scanAccount(q.q.QueryRowContext(ctx, `SELECT `+accountColumns+accountFrom+` WHERE a.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return app.Account{}, fmt.Errorf("account %s: %w", id, app.ErrNotFound)
	}
	return a, err
}

// InsertAccount stores a new, empty account: its balance comes from entries
// only, so a non-zero Posted or Held is app.ErrInvalid. A second account of
// the client and type is app.ErrConflict.
func (q *queries) InsertAccount(ctx context.Context, a app.Account) error {
	if a.Posted != 0 || a.Held != 0 {
		return fmt.Errorf("account %s: a new account starts empty: %w", a.ID, app.ErrInvalid)
	}
	_, err := q.q.ExecContext(ctx, `INSERT INTO accounts (id, client_id, account_type_id, posted, held, created_at, updated_at, node_id)
		VALUES (?, ?, ?, 0, 0, ?, ?, ?)`, a.ID, a.ClientID, a.TypeID, formatTime(a.CreatedAt), formatTime(a.UpdatedAt), a.NodeID)
	if err != nil {
		return fmt.Errorf("account %s: %w", a.ID, mapErr(err))
	}
	return nil
}

const entryColumns = `id, account_id, client_id, kind, amount, held, coalesce(hold_id, ''), coalesce(purchase_id, ''),
	order_ref, coalesce(expires_at, ''), author, reason, message, created_at, node_id`

func scanEntry(r scanner) (app.Entry, error) {
	var e app.Entry
	var kind, expires, created string
	err := r.Scan(&e.ID, &e.AccountID, &e.ClientID, &kind, &e.Amount, &e.Held, &e.HoldID, &e.PurchaseID,
		&e.OrderRef, &expires, &e.Author, &e.Reason, &e.Message, &created, &e.NodeID)
	if err != nil {
		return e, err
	}
	e.Kind = app.EntryKind(kind)
	if e.ExpiresAt, err = parseOptionalTime(expires); err != nil {
		return e, err
	}
	e.CreatedAt, err = parseTime(created)
	return e, err
}

// Entries returns the entries q selects, newest first, without their draws.
func (q *queries) Entries(ctx context.Context, eq app.EntryQuery) ([]app.Entry, error) {
	var w where
	if eq.ClientID != "" {
		w.and(`client_id = ?`, eq.ClientID)
	}
	if eq.AccountID != "" {
		w.and(`account_id = ?`, eq.AccountID)
	}
	if eq.PurchaseID != "" {
		w.and(`purchase_id = ?`, eq.PurchaseID)
	}
	if len(eq.Kinds) > 0 {
		andIn(&w, `kind`, eq.Kinds)
	}
	args := append(w.args, limitOf(eq.Limit), max(eq.Offset, 0))
	return queryAll(ctx, q, scanEntry, `SELECT `+entryColumns+` FROM ledger_entries WHERE `+w.sql()+`
		ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, args...)
}

// limitOf is the LIMIT of a page size: 0 or less means all.
func limitOf(n int) int {
	if n <= 0 {
		return -1
	}
	return n
}

// Entry returns one entry with its draws, in the order they were taken.
func (q *queries) Entry(ctx context.Context, id string) (app.Entry, error) {
	e, err := scanEntry(q.q.QueryRowContext(ctx, `SELECT `+entryColumns+` FROM ledger_entries WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return app.Entry{}, fmt.Errorf("ledger entry %s: %w", id, app.ErrNotFound)
	}
	if err != nil {
		return app.Entry{}, err
	}
	e.Draws, err = queryAll(ctx, q, func(r scanner) (app.Draw, error) {
		var d app.Draw
		err := r.Scan(&d.LotID, &d.Amount)
		return d, err
	}, `SELECT lot_id, amount FROM ledger_draws WHERE entry_id = ? ORDER BY rowid`, id)
	return e, err
}

// AppendEntry writes an entry and its draws, adds its lot and moves the
// account's cached balance and the drawn lots' remainders, all or nothing.
// It refuses with app.ErrInvalid an entry whose signs do not fit its kind
// (app.EntryKind's table), a negative entry whose draws do not add up to
// what it takes, a draw from another account's lot, a settlement that does
// not give back its hold exactly, and anything that would make a balance, a
// held amount or a lot's remainder negative; with app.ErrConflict an id that
// exists or a second settlement of one hold. After an error nothing of the
// entry is written and the transaction can go on.
func (q *queries) AppendEntry(ctx context.Context, e app.Entry) (err error) {
	if err := checkEntry(e); err != nil {
		return err
	}
	if _, err := q.q.ExecContext(ctx, `SAVEPOINT append_entry`); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			// Undo the part written; the caller's transaction stays usable.
			if _, rerr := q.q.ExecContext(context.WithoutCancel(ctx), `ROLLBACK TO append_entry`); rerr != nil {
				err = errors.Join(err, rerr)
			}
		}
		if _, rerr := q.q.ExecContext(context.WithoutCancel(ctx), `RELEASE append_entry`); rerr != nil && err == nil {
			err = rerr
		}
		if err != nil {
			err = fmt.Errorf("ledger entry %s (%s %d/%d): %w", e.ID, e.Kind, e.Amount, e.Held, mapErr(err))
		}
	}()
	return q.appendEntry(ctx, e)
}

// checkEntry checks what needs no database: the draws of a negative entry add
// up to what it takes, and others draw nothing.
func checkEntry(e app.Entry) error {
	invalid := func(format string, args ...any) error {
		return fmt.Errorf("ledger entry %s: %s: %w", e.ID, fmt.Sprintf(format, args...), app.ErrInvalid)
	}
	if e.ID == "" || e.AccountID == "" || e.ClientID == "" {
		return invalid("id, account and client are required")
	}
	if e.Amount >= 0 && len(e.Draws) > 0 {
		return invalid("only a negative entry draws lots")
	}
	var sum int64
	for _, d := range e.Draws {
		if d.Amount <= 0 || d.LotID == "" {
			return invalid("draw %+v", d)
		}
		sum += d.Amount
	}
	if e.Amount < 0 && sum != -e.Amount {
		return invalid("draws add up to %d, not %d", sum, -e.Amount)
	}
	return nil
}

func (q *queries) appendEntry(ctx context.Context, e app.Entry) error {
	if e.Kind == app.EntryConfirm || e.Kind == app.EntryRelease {
		var account, kind string
		var held int64
		err := q.q.QueryRowContext(ctx, `SELECT account_id, kind, held FROM ledger_entries WHERE id = ?`, e.HoldID).
			Scan(&account, &kind, &held)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && (kind != string(app.EntryHold) || account != e.AccountID)) {
			return fmt.Errorf("%s names %q, not a hold of account %s: %w", e.Kind, e.HoldID, e.AccountID, app.ErrInvalid)
		}
		if err != nil {
			return err
		}
		if e.Held != -held {
			return fmt.Errorf("%s of a hold of %d gives back %d: %w", e.Kind, held, -e.Held, app.ErrInvalid)
		}
	}
	created := formatTime(e.CreatedAt)
	expires := optionalTime(e.ExpiresAt)
	if _, err := q.q.ExecContext(ctx, `INSERT INTO ledger_entries (id, account_id, client_id, kind, amount, held,
			hold_id, purchase_id, order_ref, expires_at, author, reason, message, created_at, node_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.AccountID, e.ClientID, string(e.Kind), e.Amount, e.Held, nullString(e.HoldID), nullString(e.PurchaseID),
		e.OrderRef, expires, e.Author, e.Reason, e.Message, created, e.NodeID); err != nil {
		return err
	}
	for _, d := range e.Draws {
		if _, err := q.q.ExecContext(ctx, `INSERT INTO ledger_draws (entry_id, lot_id, amount) VALUES (?, ?, ?)`,
			e.ID, d.LotID, d.Amount); err != nil {
			return err
		}
		res, err := q.q.ExecContext(ctx, `UPDATE ledger_lots SET remaining = remaining - ?
			WHERE entry_id = ? AND account_id = ?`, d.Amount, d.LotID, e.AccountID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return fmt.Errorf("draw from %s: no lot of account %s: %w", d.LotID, e.AccountID, app.ErrInvalid)
		}
	}
	if e.Kind.IsLot(e.Amount) {
		if _, err := q.q.ExecContext(ctx, `INSERT INTO ledger_lots (entry_id, account_id, amount, remaining, expires_at, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, e.ID, e.AccountID, e.Amount, e.Amount, expires, created); err != nil {
			return err
		}
	}
	res, err := q.q.ExecContext(ctx, `UPDATE accounts SET posted = posted + ?, held = held + ?, updated_at = ?, node_id = ?
		WHERE id = ? AND client_id = ?`, e.Amount, e.Held, created, e.NodeID, e.AccountID, e.ClientID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return fmt.Errorf("no account %s of client %s: %w", e.AccountID, e.ClientID, app.ErrInvalid)
	}
	return nil
}

const lotColumns = `entry_id, account_id, amount, remaining, coalesce(expires_at, ''), created_at`

func scanLot(r scanner) (app.Lot, error) {
	var l app.Lot
	var expires, created string
	err := r.Scan(&l.EntryID, &l.AccountID, &l.Amount, &l.Remaining, &expires, &created)
	if err != nil {
		return l, err
	}
	if l.ExpiresAt, err = parseOptionalTime(expires); err != nil {
		return l, err
	}
	l.CreatedAt, err = parseTime(created)
	return l, err
}

// OpenLots returns the account's lots with something left, the soonest
// expiring first, never-expiring last, then the oldest first.
func (q *queries) OpenLots(ctx context.Context, accountID string) ([]app.Lot, error) {
	return queryAll(ctx, q, scanLot, `SELECT `+lotColumns+` FROM ledger_lots
		WHERE account_id = ? AND remaining > 0
		ORDER BY expires_at IS NULL, expires_at, created_at, entry_id`, accountID)
}

// DueLots returns up to limit (0: all) lots that expire at or before t and
// have something left, soonest first, skipping the first offset of them.
func (q *queries) DueLots(ctx context.Context, t time.Time, offset, limit int) ([]app.Lot, error) {
	return queryAll(ctx, q, scanLot, `SELECT `+lotColumns+` FROM ledger_lots
		WHERE expires_at IS NOT NULL AND expires_at <= ? AND remaining > 0
		ORDER BY expires_at, created_at, entry_id LIMIT ? OFFSET ?`, formatTime(t), limitOf(limit), max(offset, 0))
}

// OpenHolds returns the holds no confirm or release settles, of the client
// (or everyone for ""), made before before (unless zero), oldest first.
func (q *queries) OpenHolds(ctx context.Context, clientID string, before time.Time) ([]app.Entry, error) {
	// The outer columns are the hold's: h is the only table of its FROM.
	var w where
	w.and(`h.kind = 'hold'`)
	if clientID != "" {
		w.and(`h.client_id = ?`, clientID)
	}
	if !before.IsZero() {
		w.and(`h.created_at < ?`, formatTime(before))
	}
	w.and(`NOT EXISTS (SELECT 1 FROM ledger_entries s WHERE s.hold_id = h.id AND s.kind IN ('confirm', 'release'))`)
	return queryAll(ctx, q, scanEntry, `SELECT `+entryColumns+` FROM ledger_entries h
		WHERE `+w.sql()+` ORDER BY h.created_at, h.id`, w.args...)
}

// LedgerCheck compares every account's cached posted and held amounts with
// the sums of its entries, and every lot's cached remainder (a missing lot
// counts as 0) with its amount less its draws; it returns the differences, by
// account.
func (q *queries) LedgerCheck(ctx context.Context) ([]app.LedgerMismatch, error) {
	return queryAll(ctx, q, func(r scanner) (app.LedgerMismatch, error) {
		var m app.LedgerMismatch
		err := r.Scan(&m.AccountID, &m.LotID, &m.What, &m.Cached, &m.Summed)
		return m, err
	}, `WITH sums AS (
			SELECT a.id, a.posted, a.held, coalesce(sum(e.amount), 0) AS s_posted, coalesce(sum(e.held), 0) AS s_held
			FROM accounts a LEFT JOIN ledger_entries e ON e.account_id = a.id GROUP BY a.id
		), lots AS (
			SELECT e.account_id, e.id, coalesce(l.remaining, 0) AS cached,
			       e.amount - coalesce((SELECT sum(d.amount) FROM ledger_draws d WHERE d.lot_id = e.id), 0) AS summed
			FROM ledger_entries e LEFT JOIN ledger_lots l ON l.entry_id = e.id
			WHERE e.kind IN ('accrue', 'opening', 'return') OR (e.kind = 'correct' AND e.amount > 0)
		)
		SELECT id, '', 'posted', posted, s_posted FROM sums WHERE posted <> s_posted
		UNION ALL
		SELECT id, '', 'held', held, s_held FROM sums WHERE held <> s_held
		UNION ALL
		SELECT account_id, id, 'remaining', cached, summed FROM lots WHERE cached <> summed
		UNION ALL
		SELECT l.account_id, l.entry_id, 'remaining', l.remaining, 0 FROM ledger_lots l
		WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.id = l.entry_id AND e.account_id = l.account_id
			AND (e.kind IN ('accrue', 'opening', 'return') OR (e.kind = 'correct' AND e.amount > 0)))
		ORDER BY 1, 2, 3`)
}

var _ app.BatchAccruer = (*queries)(nil)

// AccrueMany writes one lot entry per client in four statements over JSON
// arrays (json_each): the missing accounts, the entries, their lots and the
// balances. A bulk accrual to 200,000 clients entry by entry took 87 s of
// one write transaction, holding the till up all that time.
func (q *queries) AccrueMany(ctx context.Context, typeID string, e app.Entry, clientIDs, entryIDs, accountIDs []string) error {
	if len(clientIDs) != len(entryIDs) || len(clientIDs) != len(accountIDs) {
		return fmt.Errorf("accrue many: %d clients, %d entry ids, %d account ids: %w", len(clientIDs), len(entryIDs), len(accountIDs), app.ErrInvalid)
	}
	if !e.Kind.IsLot(e.Amount) {
		return fmt.Errorf("accrue many: a %s of %d is not a lot: %w", e.Kind, e.Amount, app.ErrInvalid)
	}
	if len(clientIDs) == 0 {
		return nil
	}
	rows := make([][3]string, len(clientIDs))
	for i := range clientIDs {
		rows[i] = [3]string{entryIDs[i], clientIDs[i], accountIDs[i]}
	}
	b, err := json.Marshal(rows)
	if err != nil {
		return err
	}
	list := string(b)
	created := formatTime(e.CreatedAt)
	if _, err := q.q.ExecContext(ctx, `INSERT INTO accounts (id, client_id, account_type_id, posted, held, created_at, updated_at, node_id)
		SELECT j.value ->> 2, j.value ->> 1, ?, 0, 0, ?, ?, ? FROM json_each(?) j
		WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.client_id = j.value ->> 1 AND a.account_type_id = ?)`,
		typeID, created, created, e.NodeID, list, typeID); err != nil {
		return fmt.Errorf("accrue many: accounts: %w", mapErr(err))
	}
	res, err := q.q.ExecContext(ctx, `INSERT INTO ledger_entries (id, account_id, client_id, kind, amount, held,
			hold_id, purchase_id, order_ref, expires_at, author, reason, message, created_at, node_id)
		SELECT j.value ->> 0, a.id, a.client_id, ?, ?, 0, NULL, NULL, '', ?, ?, ?, ?, ?, ?
		FROM json_each(?) j JOIN accounts a ON a.client_id = j.value ->> 1 AND a.account_type_id = ?`,
		string(e.Kind), e.Amount, optionalTime(e.ExpiresAt), e.Author, e.Reason, e.Message, created, e.NodeID, list, typeID)
	if err != nil {
		return fmt.Errorf("accrue many: entries: %w", mapErr(err))
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != int64(len(clientIDs)) {
		return fmt.Errorf("accrue many: %d entries for %d clients: %w", n, len(clientIDs), app.ErrInvalid)
	}
	if _, err := q.q.ExecContext(ctx, `INSERT INTO ledger_lots (entry_id, account_id, amount, remaining, expires_at, created_at)
		SELECT e.id, e.account_id, e.amount, e.amount, e.expires_at, e.created_at
		FROM json_each(?) j JOIN ledger_entries e ON e.id = j.value ->> 0`, list); err != nil {
		return fmt.Errorf("accrue many: lots: %w", mapErr(err))
	}
	if _, err := q.q.ExecContext(ctx, `UPDATE accounts SET posted = posted + ?, updated_at = ?, node_id = ?
		WHERE account_type_id = ? AND client_id IN (SELECT j.value ->> 1 FROM json_each(?) j)`,
		e.Amount, created, e.NodeID, typeID, list); err != nil {
		return fmt.Errorf("accrue many: balances: %w", mapErr(err))
	}
	return nil
}
