package app

import (
	"context"
	"time"
)

// ClientReader reads clients. Store implements it over the whole database and
// Tx within a transaction.
type ClientReader interface {
	// Client returns the live client with the id, identifiers included, or ErrNotFound.
	Client(ctx context.Context, id string) (Client, error)
	// IdentifierByValue returns the live identifier with exactly this value, or ErrNotFound.
	IdentifierByValue(ctx context.Context, value string) (Identifier, error)
	// ClientIDByExternalID returns the live client with this external id, or ErrNotFound.
	ClientIDByExternalID(ctx context.Context, externalID string) (string, error)
	// SearchClients returns a page of live clients matching sel, in the order
	// Clients.Search describes. Rows carry Stats but not the Get-only fields.
	SearchClients(ctx context.Context, sel ClientSelect, offset, limit int) ([]Client, error)
	// CountClients counts the live clients matching sel.
	CountClients(ctx context.Context, sel ClientSelect) (int, error)
	// EachClient calls fn for every live client matching sel, in order, and
	// stops at fn's first error (returning it) or when ctx is done.
	EachClient(ctx context.Context, sel ClientSelect, fn func(Client) error) error
	// ClientExtras returns the tags, categories and variables of the clients
	// with the ids; a client without any has no entry.
	ClientExtras(ctx context.Context, ids []string) (map[string]Extras, error)
	// ClientIDsByContact returns the live clients whose main phone or e-mail,
	// or a further contact of that kind, equals value (E.164 / lower case).
	ClientIDsByContact(ctx context.Context, kind ContactKind, value string) ([]string, error)
	// Referrals returns the live clients that id brought, newest first.
	Referrals(ctx context.Context, id string, limit int) ([]Client, error)
	// Directory returns the live groups, classes, statuses, client categories
	// and tags by name, and the variable names in use.
	Directory(ctx context.Context) (Directory, error)
	// TagByName returns the live tag with exactly this name, or ErrNotFound.
	TagByName(ctx context.Context, name string) (Tag, error)
	// Segments returns the live segments by name.
	Segments(ctx context.Context) ([]Segment, error)
}

// ClientChange is a change applied to many clients at once (CL-15). Nil
// fields stay as they are.
type ClientChange struct {
	GroupID     *string // "" clears the group
	Favorite    *bool
	Blocked     *bool
	BlockReason *string
	SMS         *bool
	Email       *bool
}

// RefKind names a table of named records clients point at.
type RefKind string

// Ref kinds.
const (
	RefGroup    RefKind = "group"
	RefClass    RefKind = "class"
	RefStatus   RefKind = "status"
	RefCategory RefKind = "category"
)

// SettingsReader reads venue settings stored with the data.
type SettingsReader interface {
	// Setting returns the value of key and whether it is set.
	Setting(ctx context.Context, key string) (string, bool, error)
}

// Tx is one write transaction: everything done through it lands together or not
// at all.
type Tx interface {
	ClientReader
	SettingsReader
	MoneyReader
	MoneyWriter
	GroupReader
	GroupWriter
	LoyaltyReader
	LoyaltyWriter
	InsertClient(ctx context.Context, c Client) error
	UpdateClient(ctx context.Context, c Client) error
	// DeleteClient soft-deletes a client and its identifiers.
	DeleteClient(ctx context.Context, id string, at time.Time, node string) error
	InsertIdentifier(ctx context.Context, id Identifier) error
	// DeleteIdentifier soft-deletes an identifier, freeing its value.
	DeleteIdentifier(ctx context.Context, id string, at time.Time, node string) error
	SetSetting(ctx context.Context, key, value string, at time.Time, node string) error
	AppendAudit(ctx context.Context, e AuditEntry) error

	// UpdateClients applies change to every live client matching sel, sets
	// their updated time and node, and returns how many it changed.
	UpdateClients(ctx context.Context, sel ClientSelect, change ClientChange, at time.Time, node string) (int, error)
	// TagClients puts tag on every live client matching sel that lacks it;
	// UntagClients takes it off. Both return how many clients changed.
	TagClients(ctx context.Context, sel ClientSelect, tagID string, at time.Time, node string) (int, error)
	UntagClients(ctx context.Context, sel ClientSelect, tagID string, at time.Time, node string) (int, error)
	InsertTag(ctx context.Context, t Tag) error
	InsertContact(ctx context.Context, c Contact) error
	// DeleteContact soft-deletes a contact of the client.
	DeleteContact(ctx context.Context, clientID, id string, at time.Time, node string) error
	// SetVariable inserts the variable or replaces the value of the client's
	// live variable of that name (keeping its id).
	SetVariable(ctx context.Context, v Variable) error
	// DeleteVariable soft-deletes the client's variable of that name.
	DeleteVariable(ctx context.Context, clientID, name string, at time.Time, node string) error
	// SetReferrer sets (or with "" clears) who brought the client.
	SetReferrer(ctx context.Context, clientID, referrerID string, at time.Time, node string) error
	// SaveSegment inserts the segment, or replaces the query of the live
	// segment with its id.
	SaveSegment(ctx context.Context, s Segment) error
	DeleteSegment(ctx context.Context, id string, at time.Time, node string) error
	// InsertRef adds a group, class, status or client category by name only;
	// their editors come with the loyalty rules (GR-01…GR-06). Demo data and
	// tests use it.
	InsertRef(ctx context.Context, kind RefKind, r Ref, at time.Time, node string) error
	// AddToCategory puts a client in a client category.
	AddToCategory(ctx context.Context, clientID, categoryID string, at time.Time, node string) error
}

// Store is the persistent store the use cases run on (db.Store in production).
type Store interface {
	ClientReader
	SettingsReader
	MoneyReader
	GroupReader
	LoyaltyReader
	// NodeID is this installation's id; rows written here carry it.
	NodeID() string
	// Update runs fn in one write transaction, committing if fn returns nil.
	Update(ctx context.Context, fn func(tx Tx) error) error
}

type actorKey struct{}

// WithActor returns a context that names who acts (for the audit log and
// ledger authors).
func WithActor(ctx context.Context, actor string) context.Context {
	return context.WithValue(ctx, actorKey{}, actor)
}

// ActorOf returns the actor named in ctx, or "system".
func ActorOf(ctx context.Context) string {
	if a, ok := ctx.Value(actorKey{}).(string); ok && a != "" {
		return a
	}
	return "system"
}
