package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Guest is an identified client as the till shows them (PU-03).
type Guest struct {
	Client    Client
	GroupName string
	// DiscountBP is the discount the order gets: the larger of the client's
	// own and their group's.
	DiscountBP int
	// Account is the default bonus account (zero ID: none yet).
	Account Account
	// BirthdayIn is the days from today to the birthday within a week
	// either side (0: today, −2: two days ago); Birthday says it is set.
	Birthday   bool
	BirthdayIn int
}

// birthdayWindow is how many days either side of a birthday the badge shows.
const birthdayWindow = 7

// Order is an order being built at the till. It lives in the till's memory;
// only its hold is stored until it closes.
type Order struct {
	Number   string
	Guest    *Guest
	Lines    []LineInput
	Discount int   // basis points; the guest's discount when identified
	BonusPay int64 // points to pay with
	HoldID   string
}

// Input turns the order into a purchase to record.
func (o Order) Input() PurchaseInput {
	in := PurchaseInput{Number: o.Number, Lines: o.Lines, DiscountBP: o.Discount, BonusPay: o.BonusPay, HoldID: o.HoldID}
	if o.Guest != nil {
		in.ClientID = o.Guest.Client.ID
	}
	return in
}

// Till holds the till's use cases (PU-03): identify a guest, work out the
// order as it grows, reserve the points it pays with, close or cancel it.
type Till struct {
	store     Store
	clock     Clock
	ledger    *Ledger
	purchases *Purchases
}

// NewTill returns the till use cases.
func NewTill(store Store, clock Clock, ledger *Ledger, purchases *Purchases) *Till {
	return &Till{store: store, clock: clock, ledger: ledger, purchases: purchases}
}

// NewOrder opens an empty order with a fresh number.
func (t *Till) NewOrder() Order { return Order{Number: t.purchases.NewNumber()} }

// Identify finds the guest by what the cashier typed or a scanner read: an
// identifier's value (card, QR, barcode), a phone number, or the external
// id. A card code no longer live is ErrRevokedCode and one whose check
// fails ErrForgedCode, both in the audit log (QR-01). A blocked client is
// returned with ErrBlocked so the till can warn
// (CL-08: no identification, no accruals).
func (t *Till) Identify(ctx context.Context, text string) (Guest, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return Guest{}, &ValidationError{Fields: []FieldError{{Field: FieldIdentifier, Reason: ReasonRequired}}}
	}
	id, err := t.find(ctx, text)
	if err != nil {
		return Guest{}, err
	}
	g, err := t.Guest(ctx, id)
	if err != nil {
		return Guest{}, err
	}
	if g.Client.Blocked {
		return g, fmt.Errorf("identify %s: %w", g.Client.FullName(), ErrBlocked)
	}
	return g, nil
}

// IdentifyScan finds the guest by what a device read (ID-01…ID-03): the
// scan's canonical value first, then its secondary values (an EM-Marine
// card's Wiegand-26 pair), the first one known winning. It answers as
// Identify does; ErrNotFound names the canonical value.
func (t *Till) IdentifyScan(ctx context.Context, value string, alt ...string) (Guest, error) {
	g, err := t.Identify(ctx, value)
	for _, a := range alt {
		if !errors.Is(err, ErrNotFound) {
			break
		}
		if strings.TrimSpace(a) == "" {
			continue
		}
		g, err = t.Identify(ctx, a)
		if errors.Is(err, ErrNotFound) {
			err = fmt.Errorf("identify %q: %w", value, ErrNotFound)
		}
	}
	return g, err
}

// ErrBlocked means the client identified is blocked (CL-08).
var ErrBlocked = errors.New("client is blocked")

// find returns the id of the client text identifies, or ErrNotFound; a text
// in the card-code format that is no live code is ErrRevokedCode or
// ErrForgedCode (audited).
func (t *Till) find(ctx context.Context, text string) (string, error) {
	if idf, err := t.store.IdentifierByValue(ctx, text); err == nil {
		return idf.ClientID, nil
	} else if !errors.Is(err, ErrNotFound) {
		return "", err
	}
	region, err := phoneRegion(ctx, t.store)
	if err != nil {
		return "", err
	}
	if phone, err := NormalizePhone(text, region); err == nil && phone != "" {
		if idf, err := t.store.IdentifierByValue(ctx, phone); err == nil {
			return idf.ClientID, nil
		}
		ids, err := t.store.ClientIDsByContact(ctx, ContactPhone, phone)
		if err != nil {
			return "", err
		}
		if len(ids) == 1 {
			return ids[0], nil
		}
	}
	if id, err := t.store.ClientIDByExternalID(ctx, text); err == nil {
		return id, nil
	}
	// A card code (QR-01): typed in lower case, revoked or forged.
	return identifyCard(ctx, t.store, t.clock, text)
}

// Guest returns what the till shows of a client.
func (t *Till) Guest(ctx context.Context, clientID string) (Guest, error) {
	c, err := t.store.Client(ctx, clientID)
	if err != nil {
		return Guest{}, fmt.Errorf("guest %s: %w", clientID, err)
	}
	g := Guest{Client: c, DiscountBP: int(c.DiscountBP)}
	if c.GroupID != "" {
		d, err := t.store.Directory(ctx)
		if err != nil {
			return Guest{}, err
		}
		g.GroupName = NameOf(d.Groups, c.GroupID)
		if bp, err := t.store.GroupDiscountBP(ctx, c.GroupID); err == nil {
			g.DiscountBP = max(g.DiscountBP, bp)
		} else if !errors.Is(err, ErrNotFound) {
			return Guest{}, err
		}
	}
	if g.Account, err = t.ledger.Balance(ctx, c.ID, DefaultAccountTypeID); err != nil {
		return Guest{}, err
	}
	if !c.BirthDate.IsZero() {
		today := DateOf(t.clock.Now())
		for d := -birthdayWindow; d <= birthdayWindow; d++ {
			day := today.AddDays(d)
			if day.Month == c.BirthDate.Month && (day.Day == c.BirthDate.Day ||
				// 29 February is celebrated on 28 February in other years
				(c.BirthDate.Month == 2 && c.BirthDate.Day == 29 && day.Day == 28 && !isLeap(day.Year))) {
				g.Birthday, g.BirthdayIn = true, d
				break
			}
		}
	}
	return g, nil
}

// Attach sets the guest of the order and their discount; a changed guest
// releases the previous guest's hold.
func (t *Till) Attach(ctx context.Context, o *Order, g Guest) error {
	if o.HoldID != "" && (o.Guest == nil || o.Guest.Client.ID != g.Client.ID) {
		if err := t.ledger.Release(ctx, o.HoldID, "guest changed"); err != nil {
			return err
		}
		o.HoldID, o.BonusPay = "", 0
	}
	o.Guest = &g
	o.Discount = g.DiscountBP
	return nil
}

// Quote works out the order as it stands.
func (t *Till) Quote(ctx context.Context, o Order) (Quote, error) {
	return t.purchases.Preview(ctx, o.Input())
}

// PayWithPoints sets how many points pay the order (the cashier's choice,
// within the cap; 0 pays none) and reserves them with a hold, replacing the
// order's earlier hold.
func (t *Till) PayWithPoints(ctx context.Context, o *Order, points int64) error {
	if o.Guest == nil && points > 0 {
		return &ValidationError{Fields: []FieldError{{Field: FieldBonusPay, Reason: ReasonNoClient}}}
	}
	next := *o
	next.BonusPay = points
	if _, err := t.Quote(ctx, next); err != nil { // checks the cap and the balance
		return err
	}
	if o.HoldID != "" {
		if err := t.ledger.Release(ctx, o.HoldID, "order "+o.Number+" changed"); err != nil {
			return err
		}
		o.HoldID = ""
	}
	o.BonusPay = 0
	if points == 0 {
		return nil
	}
	h, err := t.ledger.Hold(ctx, o.Guest.Client.ID, DefaultAccountTypeID, points, o.Number)
	if err != nil {
		return err
	}
	o.HoldID, o.BonusPay = h.ID, points
	return nil
}

// Close records the order and returns its receipt, the accrual included
// (PU-03). Closing the same order twice records it once.
func (t *Till) Close(ctx context.Context, o Order) (Purchase, error) {
	return t.purchases.Record(ctx, o.Input())
}

// Cancel drops the order, giving its held points back.
func (t *Till) Cancel(ctx context.Context, o Order) error {
	if o.HoldID == "" {
		return nil
	}
	return t.ledger.Release(ctx, o.HoldID, "order "+o.Number+" cancelled")
}
