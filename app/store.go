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
	// SearchClients returns a page of live clients matching keys, in the order
	// Clients.Search describes.
	SearchClients(ctx context.Context, keys SearchKeys, offset, limit int) ([]Client, error)
	// CountClients counts the live clients matching keys.
	CountClients(ctx context.Context, keys SearchKeys) (int, error)
}

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
	InsertClient(ctx context.Context, c Client) error
	UpdateClient(ctx context.Context, c Client) error
	// DeleteClient soft-deletes a client and its identifiers.
	DeleteClient(ctx context.Context, id string, at time.Time, node string) error
	InsertIdentifier(ctx context.Context, id Identifier) error
	// DeleteIdentifier soft-deletes an identifier, freeing its value.
	DeleteIdentifier(ctx context.Context, id string, at time.Time, node string) error
	SetSetting(ctx context.Context, key, value string, at time.Time, node string) error
	AppendAudit(ctx context.Context, e AuditEntry) error
}

// Store is the persistent store the use cases run on (db.Store in production).
type Store interface {
	ClientReader
	SettingsReader
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
