package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"loyaltydesk/app"
)

// This file holds receipts, refunds and gifts (PU-02, PU-05, PU-06), the
// clients' totals over them (CL-16) and the group discounts (GR-01).

// purchaseColumnsInsert and purchaseRow are the one mapping of a purchase to
// its row; InsertPurchase and the bulk loader both use them.
var purchaseColumnsInsert = []string{"id", "number", "client_id", "kind", "refund_of", "sold", "discount", "paid",
	"bonus_spent", "bonus_accrued", "unrecovered", "request_hash", "author", "occurred_at", "created_at", "updated_at",
	"node_id"}

// purchaseRow also returns the formatted created time, which the lines carry.
func purchaseRow(p app.Purchase) ([]any, string) {
	kind := p.Kind
	if kind == "" {
		kind = app.PurchaseSale
	}
	occurred, created, updated := purchaseTimes(p)
	return []any{p.ID, p.Number, nullString(p.ClientID), string(kind), nullString(p.RefundOf), p.Sold, p.Discount, p.Paid,
		p.BonusSpent, p.BonusAccrued, p.Unrecovered, p.RequestHash, p.Author, occurred, created, updated, p.NodeID}, created
}

// purchaseTimes formats a purchase's occurred, created and updated times,
// once when they are equal, as they are for nearly every receipt (a bulk load
// formats millions).
func purchaseTimes(p app.Purchase) (occurred, created, updated string) {
	occurred = formatTime(p.OccurredAt)
	created, updated = occurred, occurred
	if !p.CreatedAt.Equal(p.OccurredAt) || !p.UpdatedAt.Equal(p.OccurredAt) {
		created, updated = formatTimes(p.CreatedAt, p.UpdatedAt)
	}
	return occurred, created, updated
}

// lineColumnsInsert and lineRow map a receipt's line to its row; created is
// the receipt's formatted created time.
var lineColumnsInsert = []string{"id", "purchase_id", "position", "product_id", "category_id", "name",
	"quantity", "price", "amount", "discount", "bonus", "accrued", "voided", "refund_of", "created_at", "node_id"}

func lineRow(p app.Purchase, l app.PurchaseLine, created string) []any {
	return []any{l.ID, p.ID, int64(l.Position), nullString(l.ProductID), nullString(l.CategoryID), l.Name,
		l.Quantity, l.Price, l.Amount, l.Discount, l.Bonus, l.Accrued, l.Voided, nullString(l.RefundOf), created, p.NodeID}
}

var (
	insertPurchaseSQL = insertStatement("purchases", purchaseColumnsInsert)
	insertLineSQL     = insertStatement("purchase_lines", lineColumnsInsert)
)

// InsertPurchase writes a purchase and its lines (stamped with its created
// time and node). A number taken is app.ErrConflict.
func (q *queries) InsertPurchase(ctx context.Context, p app.Purchase) error {
	row, created := purchaseRow(p)
	if _, err := q.q.ExecContext(ctx, insertPurchaseSQL, row...); err != nil {
		return writeErr("purchase", p.Number, err)
	}
	for _, l := range p.Lines {
		if _, err := q.q.ExecContext(ctx, insertLineSQL, lineRow(p, l, created)...); err != nil {
			return writeErr("purchase line of", p.Number, err)
		}
	}
	return nil
}

const purchaseColumns = `id, number, coalesce(client_id, ''), kind, coalesce(refund_of, ''), sold, discount, paid,
	bonus_spent, bonus_accrued, unrecovered, request_hash, author, occurred_at, created_at, updated_at, node_id`

func scanPurchase(r scanner) (app.Purchase, error) {
	var p app.Purchase
	var kind, occurred, created, updated string
	err := r.Scan(&p.ID, &p.Number, &p.ClientID, &kind, &p.RefundOf, &p.Sold, &p.Discount, &p.Paid,
		&p.BonusSpent, &p.BonusAccrued, &p.Unrecovered, &p.RequestHash, &p.Author, &occurred, &created, &updated, &p.NodeID)
	if err != nil {
		return p, err
	}
	p.Kind = app.PurchaseKind(kind)
	if p.OccurredAt, err = parseTime(occurred); err != nil {
		return p, err
	}
	p.CreatedAt, p.UpdatedAt, err = parseTimes(created, updated)
	return p, err
}

// Purchase returns a purchase with its lines by position; a sale's lines
// carry what refunds gave back of them (Refunded).
func (q *queries) Purchase(ctx context.Context, id string) (app.Purchase, error) {
	return q.purchaseWhere(ctx, `id = ?`, id)
}

// PurchaseByNumber returns the purchase with the number, with its lines.
func (q *queries) PurchaseByNumber(ctx context.Context, number string) (app.Purchase, error) {
	return q.purchaseWhere(ctx, `number = ?`, number)
}

func (q *queries) purchaseWhere(ctx context.Context, cond string, arg string) (app.Purchase, error) {
	p, err := scanPurchase(q.q.QueryRowContext(ctx, `SELECT `+purchaseColumns+` FROM purchases WHERE `+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return app.Purchase{}, fmt.Errorf("purchase %s: %w", arg, app.ErrNotFound)
	}
	if err != nil {
		return app.Purchase{}, err
	}
	p.Lines, err = q.purchaseLines(ctx, p.ID)
	return p, err
}

// purchaseLines returns a purchase's lines by position, with the quantity
// the live (not voided) lines of refunds gave back of each.
func (q *queries) purchaseLines(ctx context.Context, purchaseID string) ([]app.PurchaseLine, error) {
	return queryAll(ctx, q, func(r scanner) (app.PurchaseLine, error) {
		var l app.PurchaseLine
		err := r.Scan(&l.ID, &l.Position, &l.ProductID, &l.CategoryID, &l.Name, &l.Quantity, &l.Price, &l.Amount,
			&l.Discount, &l.Bonus, &l.Accrued, &l.Voided, &l.RefundOf, &l.Refunded)
		return l, err
	}, `SELECT l.id, l.position, coalesce(l.product_id, ''), coalesce(l.category_id, ''), l.name, l.quantity, l.price,
			l.amount, l.discount, l.bonus, l.accrued, l.voided, coalesce(l.refund_of, ''),
			coalesce((SELECT sum(r.quantity) FROM purchase_lines r WHERE r.refund_of = l.id AND r.voided = 0), 0)
		FROM purchase_lines l WHERE l.purchase_id = ? ORDER BY l.position`, purchaseID)
}

// Purchases returns the purchases pq selects, without lines, newest first.
func (q *queries) Purchases(ctx context.Context, pq app.PurchaseQuery) ([]app.Purchase, error) {
	var w where
	if pq.ClientID != "" {
		w.and(`client_id = ?`, pq.ClientID)
	}
	if len(pq.Kinds) > 0 {
		andIn(&w, `kind`, pq.Kinds)
	}
	args := append(w.args, limitOf(pq.Limit), max(pq.Offset, 0))
	return queryAll(ctx, q, scanPurchase, `SELECT `+purchaseColumns+` FROM purchases WHERE `+w.sql()+`
		ORDER BY occurred_at DESC, id DESC LIMIT ? OFFSET ?`, args...)
}

// AddClientTotals adds a sale (visits 1) or takes back a refund (visits 0,
// negative amounts) in the client's totals; a visit moves the first visit
// back and the last visit forward to at. The client's updated time moves
// forward to at (never back) and the node becomes node. A missing client is
// app.ErrNotFound.
func (q *queries) AddClientTotals(ctx context.Context, clientID string, visits, sold, paid int64, at time.Time, node string) error {
	ts := formatTime(at)
	res, err := q.q.ExecContext(ctx, `UPDATE clients SET visits = visits + ?1, sold = sold + ?2, paid = paid + ?3,
			first_visit_at = CASE WHEN ?1 > 0 AND (first_visit_at IS NULL OR first_visit_at > ?4) THEN ?4 ELSE first_visit_at END,
			last_visit_at = CASE WHEN ?1 > 0 AND (last_visit_at IS NULL OR last_visit_at < ?4) THEN ?4 ELSE last_visit_at END,
			updated_at = max(updated_at, ?4), node_id = ?5
		WHERE id = ?6`, visits, sold, paid, ts, node, clientID)
	if err != nil {
		return writeErr("client totals of", clientID, err)
	}
	return mustAffect(res, "client", clientID)
}

// GroupDiscountBP returns the discount of a live client group, in basis points.
// ClientStanding reads a live client's group and blocked flag only: a
// purchase needs no more, and reading the whole client (identifiers,
// contacts, variables…) was a tenth of closing an order.
func (q *queries) ClientStanding(ctx context.Context, id string) (app.ClientStanding, error) {
	var st app.ClientStanding
	var group sql.NullString
	err := q.q.QueryRowContext(ctx, `SELECT group_id, blocked FROM clients WHERE id = ? AND deleted_at IS NULL`, id).Scan(&group, &st.Blocked)
	if errors.Is(err, sql.ErrNoRows) {
		return st, fmt.Errorf("client %s: %w", id, app.ErrNotFound)
	}
	st.GroupID = group.String
	return st, err
}

func (q *queries) GroupDiscountBP(ctx context.Context, groupID string) (int, error) {
	var bp int
	err := q.q.QueryRowContext(ctx, `SELECT discount_bp FROM client_groups WHERE id = ? AND deleted_at IS NULL`, groupID).Scan(&bp)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("client group %s: %w", groupID, app.ErrNotFound)
	}
	return bp, err
}
