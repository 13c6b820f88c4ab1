package db

import (
	"context"
	"errors"
	"time"

	"loyaltydesk/app"
)

// errNotYet marks the client-base methods whose SQL lands with migration 0002.
var errNotYet = errors.New("db: not implemented yet (issue 4)")

// EachClient calls fn for every live client matching sel, in order.
func (q *queries) EachClient(ctx context.Context, sel app.ClientSelect, fn func(app.Client) error) error {
	return errNotYet
}

// ClientExtras returns the tags, categories and variables of the clients.
func (q *queries) ClientExtras(ctx context.Context, ids []string) (map[string]app.Extras, error) {
	return nil, errNotYet
}

// ClientIDsByContact returns the live clients with this contact.
func (q *queries) ClientIDsByContact(ctx context.Context, kind app.ContactKind, value string) ([]string, error) {
	return nil, errNotYet
}

// Referrals returns the live clients that id brought, newest first.
func (q *queries) Referrals(ctx context.Context, id string, limit int) ([]app.Client, error) {
	return nil, errNotYet
}

// Directory returns the live named records clients point at.
func (q *queries) Directory(ctx context.Context) (app.Directory, error) {
	return app.Directory{}, errNotYet
}

// TagByName returns the live tag with exactly this name.
func (q *queries) TagByName(ctx context.Context, name string) (app.Tag, error) {
	return app.Tag{}, errNotYet
}

// Segments returns the live segments by name.
func (q *queries) Segments(ctx context.Context) ([]app.Segment, error) { return nil, errNotYet }

// UpdateClients applies change to every live client matching sel.
func (q *queries) UpdateClients(ctx context.Context, sel app.ClientSelect, change app.ClientChange, at time.Time, node string) (int, error) {
	return 0, errNotYet
}

// TagClients puts tag on every live client matching sel.
func (q *queries) TagClients(ctx context.Context, sel app.ClientSelect, tagID string, at time.Time, node string) (int, error) {
	return 0, errNotYet
}

// UntagClients takes tag off every live client matching sel.
func (q *queries) UntagClients(ctx context.Context, sel app.ClientSelect, tagID string, at time.Time, node string) (int, error) {
	return 0, errNotYet
}

// InsertTag stores a new tag.
func (q *queries) InsertTag(ctx context.Context, t app.Tag) error { return errNotYet }

// InsertContact stores a further contact.
func (q *queries) InsertContact(ctx context.Context, c app.Contact) error { return errNotYet }

// DeleteContact soft-deletes a contact of the client.
func (q *queries) DeleteContact(ctx context.Context, clientID, id string, at time.Time, node string) error {
	return errNotYet
}

// SetVariable inserts or replaces a client's variable.
func (q *queries) SetVariable(ctx context.Context, v app.Variable) error { return errNotYet }

// DeleteVariable soft-deletes the client's variable of that name.
func (q *queries) DeleteVariable(ctx context.Context, clientID, name string, at time.Time, node string) error {
	return errNotYet
}

// SetReferrer sets or clears who brought the client.
func (q *queries) SetReferrer(ctx context.Context, clientID, referrerID string, at time.Time, node string) error {
	return errNotYet
}

// SaveSegment inserts or replaces a segment.
func (q *queries) SaveSegment(ctx context.Context, s app.Segment) error { return errNotYet }

// DeleteSegment soft-deletes a segment.
func (q *queries) DeleteSegment(ctx context.Context, id string, at time.Time, node string) error {
	return errNotYet
}

// InsertRef adds a group, class, status or client category by name.
func (q *queries) InsertRef(ctx context.Context, kind app.RefKind, r app.Ref, at time.Time, node string) error {
	return errNotYet
}

// AddToCategory puts a client in a client category.
func (q *queries) AddToCategory(ctx context.Context, clientID, categoryID string, at time.Time, node string) error {
	return errNotYet
}
