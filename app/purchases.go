package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits of a purchase.
const (
	maxLines      = 500
	maxNumberLen  = 64
	maxQuantity   = 1_000_000_000     // thousandths: a million pieces
	maxLineAmount = 10_000_000_000_00 // kopecks: ten billion roubles
)

// LineInput is one line of a purchase being recorded. Quantity is in
// thousandths (0 means one piece); Price is the list price of one piece.
type LineInput struct {
	ProductID  string `json:"product,omitempty"`
	CategoryID string `json:"category,omitempty"`
	Name       string `json:"name"`
	Quantity   int64  `json:"qty"`
	Price      int64  `json:"price"`
	Voided     bool   `json:"voided,omitempty"`
}

// PurchaseInput is a purchase to record (PU-02, PU-03): from the till, the
// client page or, later, the local API.
type PurchaseInput struct {
	// Number identifies the purchase in the venue; empty makes one. A retry
	// with the same number and the same content returns the first result.
	Number   string      `json:"number"`
	ClientID string      `json:"client,omitempty"`
	Lines    []LineInput `json:"lines,omitempty"`
	// Amount is the bill of a purchase entered without lines; with lines it
	// must be 0.
	Amount int64 `json:"amount,omitempty"`
	// DiscountBP is the order's discount in basis points (1000 = 10 %),
	// applied to every line that is not voided.
	DiscountBP int `json:"discount_bp,omitempty"`
	// BonusPay is the points the guest pays with (kopecks of points), at most
	// the pay rule's cap (BN-07).
	BonusPay int64 `json:"bonus_pay,omitempty"`
	// Paid is the money received, when the guest paid less than the rest of
	// the bill; nil means the rest of the bill.
	Paid *int64 `json:"paid,omitempty"`
	// HoldID is the till's hold for BonusPay, settled by the close.
	HoldID string `json:"-"`
}

// Accrual is what one program earns on an order.
type Accrual struct {
	ProgramID   string
	ProgramName string
	TypeID      string
	Amount      int64
}

// Quote is an order worked out before it is recorded: its receipt, the
// points the guest may pay with and what it will earn.
type Quote struct {
	Purchase  Purchase
	Available int64 // the guest's available points (default account type)
	PayCap    int64 // the most points that may pay this order
	Accruals  []Accrual
}

// Accrued is the total the order earns.
func (q Quote) Accrued() int64 {
	var s int64
	for _, a := range q.Accruals {
		s += a.Amount
	}
	return s
}

// Purchases holds the purchase use cases (PU-02, PU-05, PU-06): record a
// sale with its discount, bonus payment and accruals, refund it, give gifts.
type Purchases struct {
	store Store
	clock Clock
}

// NewPurchases returns the purchase use cases.
func NewPurchases(store Store, clock Clock) *Purchases { return &Purchases{store: store, clock: clock} }

// Get returns a purchase with its lines.
func (p *Purchases) Get(ctx context.Context, id string) (Purchase, error) {
	pu, err := p.store.Purchase(ctx, id)
	if err != nil {
		return Purchase{}, fmt.Errorf("get purchase %s: %w", id, err)
	}
	return pu, nil
}

// History returns purchases (CL-05), newest first.
func (p *Purchases) History(ctx context.Context, q PurchaseQuery) ([]Purchase, error) {
	ps, err := p.store.Purchases(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("read purchases: %w", err)
	}
	return ps, nil
}

// NewNumber makes a purchase number for an order opened here: the local time
// to the minute and four random hex digits ("2611231542-3F9A"), readable on a
// receipt and unique in practice; uniqueness is enforced when it is recorded.
func (p *Purchases) NewNumber() string {
	var b [2]byte
	_, _ = rand.Read(b[:])
	return p.clock.Now().Format("0601021504") + "-" + strings.ToUpper(hex.EncodeToString(b[:]))
}

// Preview works an order out without recording it: the till shows it as
// the cashier goes.
func (p *Purchases) Preview(ctx context.Context, in PurchaseInput) (Quote, error) {
	in = normalizeInput(in)
	if err := validateInput(in, true); err != nil {
		return Quote{}, err
	}
	return p.quote(ctx, p.store, in, p.clock.Now())
}

// Record records a sale (PU-02, PU-03) in one transaction: the receipt, the
// points spent (settling the till's hold), one accrual entry per program
// that earns, and the client's totals. The same number with the same content
// returns the first result and changes nothing; with other content it is
// refused (FieldNumber, ReasonMismatch).
func (p *Purchases) Record(ctx context.Context, in PurchaseInput) (Purchase, error) {
	in = normalizeInput(in)
	if in.Number == "" {
		in.Number = p.NewNumber()
	}
	if err := validateInput(in, false); err != nil {
		return Purchase{}, err
	}
	hash := requestHash("sale", in)
	now, node, actor := p.clock.Now(), p.store.NodeID(), ActorOf(ctx)
	var out Purchase
	err := p.store.Update(ctx, func(tx Tx) error {
		if prev, done, err := retried(ctx, tx, in.Number, hash); done || err != nil {
			out = prev
			return err
		}
		q, err := p.quote(ctx, tx, in, now)
		if err != nil {
			return err
		}
		pu := q.Purchase
		pu.ID, pu.Number, pu.Kind, pu.RequestHash, pu.Author = NewID(), in.Number, PurchaseSale, hash, actor
		pu.OccurredAt, pu.CreatedAt, pu.UpdatedAt, pu.NodeID = now, now, now, node
		for i := range pu.Lines {
			pu.Lines[i].ID = NewID()
		}
		if err := tx.InsertPurchase(ctx, pu); err != nil {
			return err
		}
		if in.BonusPay > 0 {
			if err := spend(ctx, tx, pu, in.HoldID, now, node, actor); err != nil {
				return err
			}
		}
		for _, a := range q.Accruals {
			e := Entry{ID: NewID(), ClientID: pu.ClientID, Kind: EntryAccrue, Amount: a.Amount, PurchaseID: pu.ID,
				Author: actor, Reason: a.ProgramName, CreatedAt: now, NodeID: node}
			if err := post(ctx, tx, a.TypeID, e, ""); err != nil {
				return err
			}
		}
		if pu.ClientID != "" {
			if err := tx.AddClientTotals(ctx, pu.ClientID, 1, pu.Sold, pu.Paid, now, node); err != nil {
				return err
			}
			if err := promote(ctx, tx, pu.ClientID, now, node); err != nil {
				return err
			}
			if _, err := applyRules(ctx, tx, pu.ClientID, now, node); err != nil { // LR-07
				return err
			}
		}
		out = pu
		return nil
	})
	if err != nil {
		return Purchase{}, fmt.Errorf("record purchase %s: %w", in.Number, err)
	}
	return out, nil
}

// spend takes the points a sale paid with: it confirms the till's hold when
// it still stands and covers the payment, else it releases it and debits.
func spend(ctx context.Context, tx Tx, pu Purchase, holdID string, now time.Time, node, actor string) error {
	e := Entry{ClientID: pu.ClientID, Kind: EntryDebit, Amount: -pu.BonusSpent, PurchaseID: pu.ID,
		Author: actor, Reason: "order " + pu.Number, CreatedAt: now, NodeID: node}
	if holdID != "" {
		h, err := tx.Entry(ctx, holdID)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		_, settled := tx.Entry(ctx, settleID(holdID))
		open := err == nil && h.Kind == EntryHold && h.ClientID == pu.ClientID && errors.Is(settled, ErrNotFound)
		switch {
		case open && h.Held >= pu.BonusSpent:
			e.ID, e.Kind, e.Held, e.HoldID = settleID(holdID), EntryConfirm, -h.Held, holdID
		case open:
			if _, err := releaseHold(ctx, tx, holdID, actor, "order "+pu.Number, now, node); err != nil {
				return err
			}
		}
	}
	if e.ID == "" {
		e.ID = NewID()
	}
	err := post(ctx, tx, DefaultAccountTypeID, e, "")
	if errors.Is(err, errShort) {
		return &ValidationError{Fields: []FieldError{{Field: FieldBonusPay, Reason: ReasonInsufficient, Value: FormatPoints(pu.BonusSpent)}}}
	}
	return err
}

// retried looks for an earlier purchase with the number: done with it when
// the request is the same, a mismatch error when it is not.
func retried(ctx context.Context, tx Tx, number, hash string) (Purchase, bool, error) {
	prev, err := tx.PurchaseByNumber(ctx, number)
	if errors.Is(err, ErrNotFound) {
		return Purchase{}, false, nil
	}
	if err != nil {
		return Purchase{}, false, err
	}
	if prev.RequestHash != hash {
		return Purchase{}, true, &ValidationError{Fields: []FieldError{{Field: FieldNumber, Reason: ReasonMismatch, Value: number}}}
	}
	return prev, true, nil
}

// requestHash fingerprints a request's content.
func requestHash(kind string, v any) string {
	b, _ := json.Marshal(v)
	sum := sha256.Sum256(append([]byte(kind+":"), b...))
	return hex.EncodeToString(sum[:])
}

// normalizeInput trims texts, turns an amount-only purchase into one line and
// fills default quantities.
func normalizeInput(in PurchaseInput) PurchaseInput {
	in.Number = strings.TrimSpace(in.Number)
	in.ClientID = strings.TrimSpace(in.ClientID)
	lines := make([]LineInput, len(in.Lines))
	for i, l := range in.Lines {
		l.Name = strings.TrimSpace(l.Name)
		if l.Quantity == 0 {
			l.Quantity = 1000
		}
		lines[i] = l
	}
	in.Lines = lines
	if len(in.Lines) == 0 && in.Amount != 0 {
		in.Lines = []LineInput{{Quantity: 1000, Price: in.Amount}}
		in.Amount = 0
	}
	return in
}

// validateInput checks a purchase's fields; an order still being built
// (open) may be empty.
func validateInput(in PurchaseInput, open bool) error {
	var v validation
	if utf8.RuneCountInString(in.Number) > maxNumberLen {
		v.add(FieldNumber, ReasonTooLong, in.Number)
	}
	if in.Amount < 0 {
		v.add(FieldAmount, ReasonNegative, fmt.Sprint(in.Amount))
	}
	if len(in.Lines) == 0 && !open {
		v.add(FieldAmount, ReasonRequired, "")
	}
	if len(in.Lines) > maxLines {
		v.add(FieldLine, ReasonTooLong, fmt.Sprint(len(in.Lines)))
	}
	for i, l := range in.Lines {
		pos := fmt.Sprint(i + 1)
		if l.Quantity <= 0 || l.Quantity > maxQuantity {
			v.add(FieldQuantity, ReasonBadValue, pos)
		}
		if l.Price < 0 || l.Price > maxLineAmount {
			v.add(FieldPrice, ReasonBadValue, pos)
		}
		if utf8.RuneCountInString(l.Name) > maxNameLen*2 {
			v.add(FieldLine, ReasonTooLong, pos)
		}
	}
	if in.DiscountBP < 0 || in.DiscountBP > 10000 {
		v.add(FieldDiscount, ReasonBadValue, fmt.Sprint(in.DiscountBP))
	}
	if in.BonusPay < 0 {
		v.add(FieldBonusPay, ReasonNegative, FormatPoints(in.BonusPay))
	}
	if in.Paid != nil && *in.Paid < 0 {
		v.add(FieldPaid, ReasonNegative, fmt.Sprint(*in.Paid))
	}
	return v.err()
}

// quote works out the receipt of in at now: discounts, the bonus payment,
// the money paid, each line's shares and the accruals.
func (p *Purchases) quote(ctx context.Context, r MoneyReader, in PurchaseInput, now time.Time) (Quote, error) {
	var q Quote
	pu := Purchase{Number: in.Number, Kind: PurchaseSale, ClientID: in.ClientID}
	var client ClientStanding
	if in.ClientID != "" {
		c, err := r.ClientStanding(ctx, in.ClientID)
		if errors.Is(err, ErrNotFound) {
			return Quote{}, &ValidationError{Fields: []FieldError{{Field: FieldClient, Reason: ReasonNotFound, Value: in.ClientID}}}
		}
		if err != nil {
			return Quote{}, err
		}
		client = c
	}
	// Gross amounts and the discount, spread over the live lines.
	gross := make([]int64, len(in.Lines))
	var grossTotal int64
	for i, l := range in.Lines {
		if !l.Voided {
			gross[i] = l.Gross()
			grossTotal += gross[i]
		}
	}
	if grossTotal > maxLineAmount {
		return Quote{}, &ValidationError{Fields: []FieldError{{Field: FieldAmount, Reason: ReasonBadValue, Value: fmt.Sprint(grossTotal)}}}
	}
	discTotal, _ := mulDiv(grossTotal, int64(in.DiscountBP), 10000)
	disc := Spread(discTotal, gross)
	amounts := make([]int64, len(in.Lines))
	for i := range in.Lines {
		amounts[i] = gross[i] - disc[i]
		pu.Sold += amounts[i]
	}
	pu.Discount = discTotal

	// What points may pay.
	var programs []Program
	var cats Categories
	blocked := client.Blocked
	if in.ClientID != "" && !blocked {
		var err error
		if programs, err = r.Programs(ctx); err != nil {
			return Quote{}, err
		}
		a, err := r.Account(ctx, in.ClientID, DefaultAccountTypeID)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return Quote{}, err
		}
		q.Available = a.Available()
		if in.HoldID != "" { // the order's own hold is the guest's to spend here
			if h, err := r.Entry(ctx, in.HoldID); err == nil && h.Kind == EntryHold && h.ClientID == in.ClientID {
				if _, err := r.Entry(ctx, settleID(in.HoldID)); errors.Is(err, ErrNotFound) {
					q.Available += h.Held
				}
			}
		}
		q.PayCap = PayRuleFor(programs, DefaultAccountTypeID, client.GroupID, now).Cap(pu.Sold, q.Available)
		pcs, err := r.ProductCategories(ctx)
		if err != nil {
			return Quote{}, err
		}
		cats = make(Categories, len(pcs))
		for _, c := range pcs {
			cats[c.ID] = c.ParentID
		}
	}
	var v validation
	switch {
	case in.BonusPay > 0 && in.ClientID == "":
		v.add(FieldBonusPay, ReasonNoClient, FormatPoints(in.BonusPay))
	case in.BonusPay > 0 && blocked:
		v.add(FieldBonusPay, ReasonBlocked, FormatPoints(in.BonusPay))
	case in.BonusPay > q.Available:
		v.add(FieldBonusPay, ReasonInsufficient, FormatPoints(in.BonusPay))
	case in.BonusPay > q.PayCap:
		v.add(FieldBonusPay, ReasonOverCap, FormatPoints(in.BonusPay))
	}
	due := pu.Sold - in.BonusPay
	pu.BonusSpent = in.BonusPay
	pu.Paid = max(due, 0)
	if in.Paid != nil {
		if *in.Paid > due {
			v.add(FieldPaid, ReasonBadRange, fmt.Sprint(*in.Paid))
		}
		pu.Paid = *in.Paid
	}
	if err := v.err(); err != nil {
		return Quote{}, err
	}
	bonus := Spread(in.BonusPay, amounts)
	money := make([]int64, len(in.Lines))
	for i := range amounts {
		money[i] = amounts[i] - bonus[i]
	}
	paid := Spread(pu.Paid, money)

	// Accruals: no client, a blocked one (CL-08) or voided lines earn nothing.
	rls := make([]RewardLine, 0, len(in.Lines))
	idx := make([]int, 0, len(in.Lines))
	for i, l := range in.Lines {
		if l.Voided {
			continue
		}
		rls = append(rls, RewardLine{ProductID: l.ProductID, CategoryID: l.CategoryID, Amount: amounts[i], Bonus: bonus[i], Paid: paid[i]})
		idx = append(idx, i)
	}
	accrued := make([]int64, len(in.Lines))
	for _, pr := range programs {
		if !pr.RunsAt(client.GroupID, now) {
			continue
		}
		amount, shares := pr.Earn(pu.Sold, rls, cats)
		if amount <= 0 {
			continue
		}
		q.Accruals = append(q.Accruals, Accrual{ProgramID: pr.ID, ProgramName: pr.Name, TypeID: pr.AccountTypeID, Amount: amount})
		for k, s := range shares {
			accrued[idx[k]] += s
		}
	}
	pu.BonusAccrued = q.Accrued()
	pu.Lines = make([]PurchaseLine, len(in.Lines))
	for i, l := range in.Lines {
		pu.Lines[i] = PurchaseLine{Position: i + 1, ProductID: l.ProductID, CategoryID: l.CategoryID, Name: l.Name,
			Quantity: l.Quantity, Price: l.Price, Amount: amounts[i], Discount: disc[i], Bonus: bonus[i],
			Accrued: accrued[i], Voided: l.Voided}
	}
	q.Purchase = pu
	return q, nil
}

// Qty is the line's quantity in thousandths; 0 means one piece.
func (l LineInput) Qty() int64 {
	if l.Quantity == 0 {
		return 1000
	}
	return l.Quantity
}

// Gross is price × quantity, rounded to the nearest kopeck.
func (l LineInput) Gross() int64 { return (l.Price*l.Qty() + 500) / 1000 }

// RefundLine gives back part of a sale's line.
type RefundLine struct {
	LineID   string `json:"line"`
	Quantity int64  `json:"qty"` // thousandths; 0: everything left of the line
}

// RefundInput is a refund of a sale (PU-05): some of its lines, or with no
// lines everything not yet refunded.
type RefundInput struct {
	PurchaseID string       `json:"purchase"`
	Number     string       `json:"number"` // the refund's own number; empty makes one
	Lines      []RefundLine `json:"lines,omitempty"`
	Reason     string       `json:"reason,omitempty"`
}

// Refund records a refund of part or all of a sale, in one transaction: the
// points the refunded lines paid with come back (as a lot keeping the
// soonest expiry they had), the points they earned are taken back (from
// their own lot first), and the client's totals lose the amounts. A line can
// never be refunded beyond its quantity, so a refund is counted once; what
// the client already spent of the earned points cannot be taken back, and is
// reported as Unrecovered instead of driving the balance negative.
func (p *Purchases) Refund(ctx context.Context, in RefundInput) (Purchase, error) {
	in.Number = strings.TrimSpace(in.Number)
	in.Reason = strings.TrimSpace(in.Reason)
	if in.Number == "" {
		in.Number = p.NewNumber()
	}
	if utf8.RuneCountInString(in.Number) > maxNumberLen {
		return Purchase{}, &ValidationError{Fields: []FieldError{{Field: FieldNumber, Reason: ReasonTooLong, Value: in.Number}}}
	}
	if utf8.RuneCountInString(in.Reason) > maxReasonLen {
		return Purchase{}, &ValidationError{Fields: []FieldError{{Field: FieldOpReason, Reason: ReasonTooLong}}}
	}
	hash := requestHash("refund", in)
	now, node, actor := p.clock.Now(), p.store.NodeID(), ActorOf(ctx)
	var out Purchase
	err := p.store.Update(ctx, func(tx Tx) error {
		if prev, done, err := retried(ctx, tx, in.Number, hash); done || err != nil {
			out = prev
			return err
		}
		sale, err := tx.Purchase(ctx, in.PurchaseID)
		if errors.Is(err, ErrNotFound) || (err == nil && sale.Kind != PurchaseSale) {
			return &ValidationError{Fields: []FieldError{{Field: FieldPurchase, Reason: ReasonNotRefundable, Value: in.PurchaseID}}}
		}
		if err != nil {
			return err
		}
		rf, err := refundOf(sale, in)
		if err != nil {
			return err
		}
		rf.ID, rf.Number, rf.RequestHash, rf.Author = NewID(), in.Number, hash, actor
		rf.OccurredAt, rf.CreatedAt, rf.UpdatedAt, rf.NodeID = now, now, now, node
		for i := range rf.Lines {
			rf.Lines[i].ID = NewID()
		}
		reason := "refund " + in.Number
		if in.Reason != "" {
			reason += ": " + in.Reason
		}
		if sale.ClientID != "" {
			if err := refundPoints(ctx, tx, sale, &rf, reason, now, node, actor); err != nil {
				return err
			}
		}
		if err := tx.InsertPurchase(ctx, rf); err != nil {
			return err
		}
		if sale.ClientID != "" {
			if err := tx.AddClientTotals(ctx, sale.ClientID, 0, -rf.Sold, -rf.Paid, now, node); err != nil {
				return err
			}
			if err := promote(ctx, tx, sale.ClientID, now, node); err != nil {
				return err
			}
			if _, err := applyRules(ctx, tx, sale.ClientID, now, node); err != nil {
				return err
			}
		}
		out = rf
		return tx.AppendAudit(ctx, auditOf(ctx, now, node, "purchase.refund", "purchase", sale.ID,
			"number", in.Number, "sold", fmt.Sprint(rf.Sold), "returned", FormatPoints(rf.BonusSpent),
			"reversed", FormatPoints(rf.BonusAccrued), "unrecovered", FormatPoints(rf.Unrecovered), "reason", in.Reason))
	})
	if err != nil {
		return Purchase{}, fmt.Errorf("refund %s: %w", in.PurchaseID, err)
	}
	return out, nil
}

// refundOf works out a refund's receipt from the sale's lines: each refunded
// quantity takes its proportional part of the line's amounts, counted so
// that the parts of all refunds of a line add up to the line exactly.
func refundOf(sale Purchase, in RefundInput) (Purchase, error) {
	rf := Purchase{Kind: PurchaseRefund, RefundOf: sale.ID, ClientID: sale.ClientID}
	want := map[string]int64{}
	if len(in.Lines) == 0 {
		for _, l := range sale.Lines {
			if !l.Voided && l.Quantity > l.Refunded {
				want[l.ID] = l.Quantity - l.Refunded
			}
		}
	}
	var v validation
	for _, rl := range in.Lines {
		var line *PurchaseLine
		for i := range sale.Lines {
			if sale.Lines[i].ID == rl.LineID {
				line = &sale.Lines[i]
			}
		}
		left := int64(0)
		if line != nil && !line.Voided {
			left = line.Quantity - line.Refunded - want[rl.LineID]
		}
		q := rl.Quantity
		if q == 0 {
			q = left
		}
		switch {
		case line == nil:
			v.add(FieldLine, ReasonNotFound, rl.LineID)
		case q <= 0 && left <= 0, q > left:
			v.add(FieldQuantity, ReasonTooMany, fmt.Sprint(line.Position))
		case q < 0:
			v.add(FieldQuantity, ReasonBadValue, fmt.Sprint(line.Position))
		default:
			want[rl.LineID] += q
		}
	}
	if err := v.err(); err != nil {
		return Purchase{}, err
	}
	if len(want) == 0 {
		return Purchase{}, &ValidationError{Fields: []FieldError{{Field: FieldPurchase, Reason: ReasonTooMany, Value: sale.Number}}}
	}
	// part is the share of v for quantities before..before+q of total.
	part := func(v, before, q, total int64) int64 {
		a, _ := mulDiv(v, before+q, total)
		b, _ := mulDiv(v, before, total)
		return a - b
	}
	pos := 0
	for _, l := range sale.Lines {
		q, ok := want[l.ID]
		if !ok {
			continue
		}
		pos++
		r := PurchaseLine{Position: pos, ProductID: l.ProductID, CategoryID: l.CategoryID, Name: l.Name,
			Quantity: q, Price: l.Price, RefundOf: l.ID,
			Amount:   part(l.Amount, l.Refunded, q, l.Quantity),
			Discount: part(l.Discount, l.Refunded, q, l.Quantity),
			Bonus:    part(l.Bonus, l.Refunded, q, l.Quantity),
			Accrued:  part(l.Accrued, l.Refunded, q, l.Quantity)}
		rf.Lines = append(rf.Lines, r)
		rf.Sold += r.Amount
		rf.Discount += r.Discount
		rf.BonusSpent += r.Bonus
		rf.BonusAccrued += r.Accrued
	}
	// The money given back: the sale's paid in the same proportion as the
	// money part of the lines, counted over all refunds so far.
	money := sale.Sold - sale.BonusSpent
	var moneyBefore, moneyNow int64
	for _, l := range sale.Lines {
		if l.Quantity > 0 {
			a, _ := mulDiv(l.Amount, l.Refunded, l.Quantity)
			b, _ := mulDiv(l.Bonus, l.Refunded, l.Quantity)
			moneyBefore += a - b
		}
	}
	for _, r := range rf.Lines {
		moneyNow += r.Amount - r.Bonus
	}
	if money > 0 {
		a, _ := mulDiv(sale.Paid, moneyBefore+moneyNow, money)
		b, _ := mulDiv(sale.Paid, moneyBefore, money)
		rf.Paid = a - b
	}
	return rf, nil
}

// refundPoints gives back the points the refund's lines paid with and takes
// back what they earned, filling rf.BonusSpent (returned), rf.BonusAccrued
// (taken back) and rf.Unrecovered.
func refundPoints(ctx context.Context, tx Tx, sale Purchase, rf *Purchase, reason string, now time.Time, node, actor string) error {
	entries, err := tx.Entries(ctx, EntryQuery{PurchaseID: sale.ID})
	if err != nil {
		return err
	}
	// Return the spent points first, so taking back the earned ones can use them.
	if rf.BonusSpent > 0 {
		var expires time.Time
		for _, e := range entries {
			if e.Kind != EntryDebit && e.Kind != EntryConfirm {
				continue
			}
			full, err := tx.Entry(ctx, e.ID)
			if err != nil {
				return err
			}
			for _, d := range full.Draws {
				lot, err := tx.Entry(ctx, d.LotID)
				if err != nil {
					return err
				}
				if lot.ExpiresAt.IsZero() {
					expires = time.Time{}
					break
				}
				if lot.ExpiresAt.After(expires) {
					expires = lot.ExpiresAt
				}
			}
		}
		e := Entry{ID: NewID(), ClientID: sale.ClientID, Kind: EntryReturn, Amount: rf.BonusSpent, PurchaseID: rf.ID,
			ExpiresAt: expires, Author: actor, Reason: reason, CreatedAt: now, NodeID: node}
		if err := post(ctx, tx, DefaultAccountTypeID, e, ""); err != nil {
			return err
		}
	}
	if rf.BonusAccrued <= 0 {
		return nil
	}
	// Take back what the lines earned, per account type in proportion to the
	// sale's accruals, counted over all refunds so the parts add up exactly.
	type typed struct {
		typeID string
		lot    string
		amount int64
	}
	var accruals []typed
	var accruedTotal int64
	for _, e := range entries {
		if e.Kind != EntryAccrue {
			continue
		}
		a, err := tx.AccountByID(ctx, e.AccountID)
		if err != nil {
			return err
		}
		accruals = append(accruals, typed{a.TypeID, e.ID, e.Amount})
		accruedTotal += e.Amount
	}
	if accruedTotal == 0 {
		rf.BonusAccrued = 0
		return nil
	}
	var before int64
	for _, l := range sale.Lines {
		if l.Quantity > 0 {
			b, _ := mulDiv(l.Accrued, l.Refunded, l.Quantity)
			before += b
		}
	}
	var taken int64
	for _, a := range accruals {
		x, _ := mulDiv(a.amount, before+rf.BonusAccrued, accruedTotal)
		y, _ := mulDiv(a.amount, before, accruedTotal)
		want := x - y
		if want <= 0 {
			continue
		}
		acc, err := tx.Account(ctx, sale.ClientID, a.typeID)
		if err != nil {
			return err
		}
		take := min(want, acc.Available())
		rf.Unrecovered += want - take
		if take <= 0 {
			continue
		}
		e := Entry{ID: NewID(), ClientID: sale.ClientID, Kind: EntryReverse, Amount: -take, PurchaseID: rf.ID,
			Author: actor, Reason: reason, CreatedAt: now, NodeID: node}
		if err := post(ctx, tx, a.typeID, e, a.lot); err != nil {
			return err
		}
		taken += take
	}
	rf.BonusAccrued = taken
	return nil
}

// Gift gives a gift from the catalogue of gifts to a client (PU-06): a
// receipt of kind gift and, when it costs points, a debit of them.
func (p *Purchases) Gift(ctx context.Context, clientID, giftID, note string) (Purchase, error) {
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > maxReasonLen {
		return Purchase{}, &ValidationError{Fields: []FieldError{{Field: FieldOpReason, Reason: ReasonTooLong}}}
	}
	now, node, actor := p.clock.Now(), p.store.NodeID(), ActorOf(ctx)
	var out Purchase
	err := p.store.Update(ctx, func(tx Tx) error {
		c, err := tx.Client(ctx, clientID)
		if err != nil {
			return err
		}
		if c.Blocked {
			return &ValidationError{Fields: []FieldError{{Field: FieldClient, Reason: ReasonBlocked, Value: c.FullName()}}}
		}
		gs, err := tx.Gifts(ctx)
		if err != nil {
			return err
		}
		var g *Gift
		for i := range gs {
			if gs[i].ID == giftID {
				g = &gs[i]
			}
		}
		if g == nil {
			return &ValidationError{Fields: []FieldError{{Field: FieldGift, Reason: ReasonNotFound, Value: giftID}}}
		}
		pu := Purchase{ID: NewID(), Number: "G-" + p.NewNumber(), Kind: PurchaseGift, ClientID: clientID,
			BonusSpent: g.Points, RequestHash: requestHash("gift", []string{clientID, giftID, NewID()}), Author: actor,
			OccurredAt: now, CreatedAt: now, UpdatedAt: now, NodeID: node,
			Lines: []PurchaseLine{{ID: NewID(), Position: 1, Name: g.Name, Quantity: 1000, Bonus: g.Points}}}
		if err := tx.InsertPurchase(ctx, pu); err != nil {
			return err
		}
		if g.Points > 0 {
			e := Entry{ID: NewID(), ClientID: clientID, Kind: EntryDebit, Amount: -g.Points, PurchaseID: pu.ID,
				Author: actor, Reason: "gift: " + g.Name, CreatedAt: now, NodeID: node}
			if err := post(ctx, tx, DefaultAccountTypeID, e, ""); errors.Is(err, errShort) {
				return &ValidationError{Fields: []FieldError{{Field: FieldPoints, Reason: ReasonInsufficient, Value: FormatPoints(g.Points)}}}
			} else if err != nil {
				return err
			}
		}
		out = pu
		return tx.AppendAudit(ctx, auditOf(ctx, now, node, "gift.give", "client", clientID,
			"gift", g.Name, "points", FormatPoints(g.Points), "note", note))
	})
	if err != nil {
		return Purchase{}, fmt.Errorf("give gift: %w", err)
	}
	return out, nil
}
