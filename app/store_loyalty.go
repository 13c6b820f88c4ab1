package app

import (
	"context"
	"time"
)

// The store side of the automatic loyalty (issue 6): the rules, the classes,
// categories and statuses they point at, the clients' figures the rules read,
// visits with a status (PU-04) and the outbox of messages (LR-08).

// Class is an importance class (GR-05); the higher Priority wins.
type Class struct {
	ID        string
	Name      string
	Priority  int
	Clients   int // live clients in the class (filled by Loyalty.Classes)
	CreatedAt time.Time
	UpdatedAt time.Time
	NodeID    string
}

// Category is a client category (GR-06); a client may be in several.
type Category struct {
	ID        string
	Name      string
	Clients   int // live members (filled by Loyalty.Categories)
	CreatedAt time.Time
	UpdatedAt time.Time
	NodeID    string
}

// Status is a level of the bonus program set by hand (GR-04); Position
// orders them in lists.
type Status struct {
	ID        string
	Name      string
	Position  int
	Clients   int // live clients with the status (filled by Loyalty.Statuses)
	CreatedAt time.Time
	UpdatedAt time.Time
	NodeID    string
}

// ManualMode says what a value set by hand means (GR-04), so that nobody has
// to guess whether the rules will undo it.
type ManualMode string

// Manual modes.
const (
	// ManualFixed: the value stays until someone changes it by hand; the
	// rules never change it.
	ManualFixed ManualMode = "fixed"
	// ManualFloor: the value is a floor: the rules may raise it (a larger
	// discount, a class of higher priority), never lower it.
	ManualFloor ManualMode = "floor"
	// ManualOnce: the value is set now, and the next recalculation of the
	// rules may change it.
	ManualOnce ManualMode = "once"
	// ManualRules hands the value back to the rules: any lock is cleared and
	// the rules are applied at once.
	ManualRules ManualMode = "rules"
)

// ManualDiscount is a discount set by hand.
type ManualDiscount struct {
	Mode ManualMode
	BP   int // basis points; ignored for ManualRules
}

// ManualClass is a class set by hand ("" takes the class away).
type ManualClass struct {
	Mode    ManualMode
	ClassID string // ignored for ManualRules
}

// ManualChange is a change by hand to one or many clients (GR-04). Nil parts
// stay as they are. Statuses are never set by rules: a status set by hand
// stays until changed by hand.
type ManualChange struct {
	StatusID *string // "" clears the status
	Discount *ManualDiscount
	Class    *ManualClass
}

// RuleSubject is what the rules read about one client and what they may
// change.
type RuleSubject struct {
	ClientID      string
	Name          string // first name, else the full name (for messages)
	Phone         string
	SMSSubscribed bool
	Sold, Paid    int64
	Visits        int64
	LastVisitAt   time.Time // zero: never
	LastStatus    VisitStatus
	DiscountBP    int
	ClassID       string
	StatusID      string
	GroupID       string
	Categories    []string // sorted
	// DiscountLock and ClassLock are ManualFixed, ManualFloor or "" (the
	// rules decide); DiscountLockBP and ClassLockID are the values set by
	// hand.
	DiscountLock   ManualMode
	DiscountLockBP int
	ClassLock      ManualMode
	ClassLockID    string
}

// RuleSubjectQuery selects clients for the rules, by id order.
type RuleSubjectQuery struct {
	After string   // only ids after this one (keyset paging)
	Limit int      // 0: no limit
	IDs   []string // when not nil, only these clients
	// LastVisitFrom and LastVisitBefore, when not zero, keep the clients
	// whose last visit is in [From, Before).
	LastVisitFrom, LastVisitBefore time.Time
	// WithDiscount keeps the clients with a personal discount the rules may
	// take away (above 0 and not locked by hand).
	WithDiscount bool
}

// RuleChange is what applying the rules changes for one client. Nil parts
// stay as they are.
type RuleChange struct {
	ClientID         string
	DiscountBP       *int
	ClassID          *string // "" clears the class
	AddCategories    []string
	RemoveCategories []string
}

// VisitStatus is an appointment's outcome (PU-04).
type VisitStatus string

// Visit statuses.
const (
	VisitCame   VisitStatus = "came"
	VisitMissed VisitStatus = "missed"
)

// Visit is an appointment with its outcome (PU-04), for venues that work by
// appointment. A visit with status "came" counts as a visit in the client's
// totals, with its bill (Sold) and the money received (Paid); a visit with
// status "did not come" counts for nothing but the category rules by status.
type Visit struct {
	ID        string
	ClientID  string
	At        time.Time
	Status    VisitStatus
	Sold      int64
	Paid      int64
	Note      string
	Author    string
	CreatedAt time.Time
	UpdatedAt time.Time
	NodeID    string
}

// MessageStatus is where a message of the outbox is.
type MessageStatus string

// Message statuses. The sender (the messages issue) moves queued messages to
// sent or failed; skipped messages carry the reason; staff may cancel a
// queued one.
const (
	MessageQueued    MessageStatus = "queued"
	MessageSent      MessageStatus = "sent"
	MessageFailed    MessageStatus = "failed"
	MessageSkipped   MessageStatus = "skipped"
	MessageCancelled MessageStatus = "cancelled"
)

// Message kinds and channels.
const (
	MessageDiscountLapse = "discount_lapse" // LR-08
	ChannelSMS           = "sms"
	// SkipUnsubscribed is the reason of a message to a client who does not
	// take messages by its channel.
	SkipUnsubscribed = "unsubscribed"
	// SkipNoPhone is the reason of an SMS to a client without a phone.
	SkipNoPhone = "no_phone"
)

// Message is one row of the outbox.
type Message struct {
	ID         string // derived from what caused it, so a re-run cannot queue it twice
	ClientID   string
	ClientName string // filled by Outbox lists
	Channel    string
	Kind       string
	To         string // the phone or address at the time of queueing
	Text       string
	Status     MessageStatus
	Reason     string // why it was skipped or failed
	Attempts   int
	CreatedAt  time.Time
	UpdatedAt  time.Time
	NodeID     string
}

// OutboxQuery selects messages, newest first.
type OutboxQuery struct {
	Status   MessageStatus // "" for all
	ClientID string        // "" for all
	Limit    int           // 0: all
}

// LoyaltyReader reads the loyalty rules and what they work on.
type LoyaltyReader interface {
	// LoyaltyRules returns the live rules in the order they were saved
	// (Discounts, Classes, Categories only; the lapse days and the warning
	// live in settings).
	LoyaltyRules(ctx context.Context) (Rules, error)
	// ClientClasses returns the live classes, highest priority first.
	ClientClasses(ctx context.Context) ([]Class, error)
	// ClientCategories returns the live client categories by name.
	ClientCategories(ctx context.Context) ([]Category, error)
	// ClientStatuses returns the live statuses by position, then name.
	ClientStatuses(ctx context.Context) ([]Status, error)
	// RefClients counts the live clients pointing at a class or status, or
	// the live members of a category.
	RefClients(ctx context.Context, kind RefKind, id string) (int, error)
	// RuleSubjects returns the live clients q selects, by id.
	RuleSubjects(ctx context.Context, q RuleSubjectQuery) ([]RuleSubject, error)
	// Visit returns a live visit, or ErrNotFound.
	Visit(ctx context.Context, id string) (Visit, error)
	// ClientVisits returns a client's live visits, newest first (at most
	// limit; 0: all).
	ClientVisits(ctx context.Context, clientID string, limit int) ([]Visit, error)
	// Outbox returns messages, newest first.
	Outbox(ctx context.Context, q OutboxQuery) ([]Message, error)
}

// LoyaltyWriter writes them inside a transaction.
type LoyaltyWriter interface {
	// ReplaceRules makes rules (Discounts, Classes, Categories, each with an
	// id) the live set: rules missing from it are soft-deleted, the others
	// inserted or updated, their order kept.
	ReplaceRules(ctx context.Context, rules Rules, at time.Time, node string) error
	// SaveClass, SaveCategory and SaveStatus insert or update by id.
	SaveClass(ctx context.Context, c Class) error
	SaveCategory(ctx context.Context, c Category) error
	SaveStatus(ctx context.Context, s Status) error
	// DeleteRef soft-deletes a class, category or status.
	DeleteRef(ctx context.Context, kind RefKind, id string, at time.Time, node string) error
	// ApplyRuleChanges writes what the rules changed, setting each changed
	// client's updated time and node.
	ApplyRuleChanges(ctx context.Context, changes []RuleChange, at time.Time, node string) error
	// SetManual applies a change by hand to every live client sel picks and
	// returns how many it changed. ManualFixed and ManualFloor set the lock
	// and the value; ManualOnce sets the value and clears the lock;
	// ManualRules clears the lock and leaves the value to the rules.
	SetManual(ctx context.Context, sel ClientSelect, ch ManualChange, at time.Time, node string) (int, error)
	// InsertVisit records a visit; SetVisitStatus changes a live visit's
	// status. Both keep the client's last visit status.
	InsertVisit(ctx context.Context, v Visit) error
	SetVisitStatus(ctx context.Context, id string, status VisitStatus, at time.Time, node string) error
	// RecomputeClientTotals rewrites one client's visits, sold, paid, first
	// and last visit from their purchases and visits with status "came".
	RecomputeClientTotals(ctx context.Context, clientID string, at time.Time, node string) error
	// QueueMessage inserts a message unless one with its id exists, and
	// reports whether it did.
	QueueMessage(ctx context.Context, m Message) (bool, error)
	// CancelMessage cancels a queued message (ErrNotFound when there is no
	// queued message with the id).
	CancelMessage(ctx context.Context, id string, at time.Time, node string) error
}
