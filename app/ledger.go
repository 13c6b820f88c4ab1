package app

import (
	"time"
)

// Points and money are int64 minor units: 100 units are one point (or one
// rouble). A balance is never negative.

// EntryKind is what a ledger entry does (BN-02). Each kind moves the posted
// balance (Entry.Amount) and the held amount (Entry.Held) in a fixed way:
//
//	kind      Amount  Held  meaning
//	accrue    +x      0     points earned by a purchase or given by hand (BN-03); a lot
//	opening   +x      0     the balance brought from an old system (import); a lot
//	return    +x      0     points spent on a purchase, given back by its refund (PU-05); a lot
//	debit     −x      0     points spent on a purchase, a gift or taken by hand; draws lots
//	reverse   −x      0     a refund taking back what its purchase earned; draws lots
//	expire    −x      0     the unspent rest of an expired lot (BN-08); draws that lot
//	correct   ±x      0     a correction with a reason (BN-04); + is a lot, − draws lots
//	hold      0       +h    points reserved for an open order
//	confirm   −x      −h    the order closed: x ≤ h of the hold is spent, the hold settled
//	release   0       −h    the order was cancelled or abandoned: the hold settled
//
// Posted = Σ Amount, Held = Σ Held, Available = Posted − Held; the store
// refuses an entry that would make Held or Available negative.
type EntryKind string

// Entry kinds.
const (
	EntryAccrue  EntryKind = "accrue"
	EntryOpening EntryKind = "opening"
	EntryReturn  EntryKind = "return"
	EntryDebit   EntryKind = "debit"
	EntryReverse EntryKind = "reverse"
	EntryExpire  EntryKind = "expire"
	EntryCorrect EntryKind = "correct"
	EntryHold    EntryKind = "hold"
	EntryConfirm EntryKind = "confirm"
	EntryRelease EntryKind = "release"
)

// EntryKinds lists every kind, for validation and filters.
var EntryKinds = []EntryKind{EntryAccrue, EntryOpening, EntryReturn, EntryDebit, EntryReverse,
	EntryExpire, EntryCorrect, EntryHold, EntryConfirm, EntryRelease}

// IsLot reports whether an entry of this kind and amount adds an earning lot
// that later spends draw from.
func (k EntryKind) IsLot(amount int64) bool {
	switch k {
	case EntryAccrue, EntryOpening, EntryReturn:
		return true
	case EntryCorrect:
		return amount > 0
	}
	return false
}

// AccountType is a kind of bonus account (BN-01); the default "Bonuses" type
// (DefaultAccountTypeID) exists from the start. ExpiryDays > 0 makes its points
// expire that many days after they were earned (BN-08).
type AccountType struct {
	ID         string
	Name       string
	IsDefault  bool
	ExpiryDays int
	CreatedAt  time.Time
	UpdatedAt  time.Time
	NodeID     string
}

// Account is a client's account of one type (CL-04), with its balance.
// Posted and Held are the sums of its entries (the store keeps them cached
// and LedgerCheck proves the cache).
type Account struct {
	ID        string
	ClientID  string
	TypeID    string
	TypeName  string // filled by readers
	Posted    int64
	Held      int64
	CreatedAt time.Time
	UpdatedAt time.Time
	NodeID    string
}

// Available is what the client can spend now: posted minus held.
func (a Account) Available() int64 { return a.Posted - a.Held }

// Entry is one immutable line of the ledger (BN-02).
type Entry struct {
	ID         string
	AccountID  string
	ClientID   string
	Kind       EntryKind
	Amount     int64  // change of the posted balance
	Held       int64  // change of the held amount
	HoldID     string // confirm / release: the hold they settle
	PurchaseID string // the receipt it belongs to, if any
	OrderRef   string // hold: the number of the open order it reserves for
	// ExpiresAt is when a lot's unspent rest expires; zero means never.
	ExpiresAt time.Time
	Author    string // who did it (ActorOf), "system" for jobs
	Reason    string // why: required for manual operations
	Message   string // a message to the client (BN-03), delivered by the messages issue
	CreatedAt time.Time
	NodeID    string
	// Draws name the lots a negative entry takes its points from, oldest
	// expiring first; their sum is −Amount.
	Draws []Draw
}

// Draw is the part of a spending entry taken from one lot.
type Draw struct {
	LotID  string // the id of the lot's entry
	Amount int64  // > 0
}

// Lot is an earning entry and what is left of it.
type Lot struct {
	EntryID   string
	AccountID string
	Amount    int64
	Remaining int64
	ExpiresAt time.Time // zero: never
	CreatedAt time.Time
}

// EntryQuery selects ledger entries, newest first.
type EntryQuery struct {
	ClientID   string
	AccountID  string
	PurchaseID string
	Kinds      []EntryKind // empty: all
	Offset     int
	Limit      int // 0: all
}

// LedgerMismatch is an account whose cached balance differs from the sum of
// its entries, or a lot whose cached remainder differs from its draws.
type LedgerMismatch struct {
	AccountID      string
	LotID          string // set for a lot mismatch
	Cached, Summed int64
	What           string // "posted", "held" or "remaining"
}
