package app

import (
	"context"
	"time"
)

// MoneyReader reads the money side: the ledger, the catalogue, bonus
// programs, purchases, users and the audit log. Store implements it over the
// whole database and Tx within a transaction (where reads see the
// transaction's own writes).
type MoneyReader interface {
	// AccountTypes returns the live account types, the default first, then by name.
	AccountTypes(ctx context.Context) ([]AccountType, error)
	// Accounts returns the client's accounts with their balances and type
	// names, the default type first, then by type name.
	Accounts(ctx context.Context, clientID string) ([]Account, error)
	// Account returns the client's account of the type, or ErrNotFound.
	Account(ctx context.Context, clientID, typeID string) (Account, error)
	// AccountByID returns an account by its id, or ErrNotFound.
	AccountByID(ctx context.Context, id string) (Account, error)
	// Entries returns ledger entries, newest first (Draws not filled).
	Entries(ctx context.Context, q EntryQuery) ([]Entry, error)
	// Entry returns one entry with its draws, or ErrNotFound.
	Entry(ctx context.Context, id string) (Entry, error)
	// OpenLots returns the account's lots with something left, the soonest
	// expiring first (never-expiring last), then oldest first.
	OpenLots(ctx context.Context, accountID string) ([]Lot, error)
	// DueLots returns up to limit lots of any account that expire at or
	// before t and have something left, soonest first, after skipping the
	// first offset of them.
	DueLots(ctx context.Context, t time.Time, offset, limit int) ([]Lot, error)
	// OpenHolds returns the unsettled holds (no confirm or release names
	// them) of the client, or of everyone when clientID is "", oldest first;
	// with before non-zero only those made before it.
	OpenHolds(ctx context.Context, clientID string, before time.Time) ([]Entry, error)
	// LedgerCheck compares every account's cached balance and every lot's
	// cached remainder with the sums of their entries and returns the
	// differences (none on a healthy database).
	LedgerCheck(ctx context.Context) ([]LedgerMismatch, error)

	// ProductCategories returns the live product categories by name.
	ProductCategories(ctx context.Context) ([]ProductCategory, error)
	// Products returns live products matching q, by name.
	Products(ctx context.Context, q ProductQuery) ([]Product, error)
	// Product returns a live product, or ErrNotFound.
	Product(ctx context.Context, id string) (Product, error)
	// Gifts returns the live gifts by name.
	Gifts(ctx context.Context) ([]Gift, error)

	// Programs returns the live bonus programs by name, with their groups
	// and targets.
	Programs(ctx context.Context) ([]Program, error)

	// Purchase returns a purchase with its lines (sale lines with Refunded
	// filled), or ErrNotFound.
	Purchase(ctx context.Context, id string) (Purchase, error)
	// PurchaseByNumber returns the purchase with the number, or ErrNotFound.
	PurchaseByNumber(ctx context.Context, number string) (Purchase, error)
	// Purchases returns purchases without lines, newest first.
	Purchases(ctx context.Context, q PurchaseQuery) ([]Purchase, error)

	// ClientStanding returns what a purchase needs to know of a live client:
	// their group and whether they are blocked; ErrNotFound if there is none.
	ClientStanding(ctx context.Context, id string) (ClientStanding, error)
	// GroupDiscountBP returns the discount of a live client group (basis
	// points), or ErrNotFound.
	GroupDiscountBP(ctx context.Context, groupID string) (int, error)

	// Users returns the users by name (disabled ones too).
	Users(ctx context.Context) ([]User, error)
	// AuditLog returns audit entries matching q, newest first.
	AuditLog(ctx context.Context, q AuditQuery) ([]AuditEntry, error)
}

// ClientStanding is a client as a purchase sees them.
type ClientStanding struct {
	GroupID string
	Blocked bool
}

// MoneyWriter writes the money side inside a transaction.
type MoneyWriter interface {
	InsertAccountType(ctx context.Context, t AccountType) error
	UpdateAccountType(ctx context.Context, t AccountType) error
	InsertAccount(ctx context.Context, a Account) error
	// AppendEntry writes an entry and its draws and moves the account's
	// cached balance and the drawn lots' remainders. It refuses (ErrInvalid)
	// an entry that would make a balance, a held amount or a lot's remainder
	// negative, and (ErrConflict) an id that exists: a job's derived id, or
	// a second settlement of one hold.
	AppendEntry(ctx context.Context, e Entry) error

	SaveProductCategory(ctx context.Context, c ProductCategory) error // insert or update by id
	DeleteProductCategory(ctx context.Context, id string, at time.Time, node string) error
	SaveProduct(ctx context.Context, p Product) error // insert or update by id
	DeleteProduct(ctx context.Context, id string, at time.Time, node string) error
	SaveGift(ctx context.Context, g Gift) error // insert or update by id
	DeleteGift(ctx context.Context, id string, at time.Time, node string) error

	// SaveProgram inserts or updates a program by id, replacing its groups and targets.
	SaveProgram(ctx context.Context, p Program) error
	DeleteProgram(ctx context.Context, id string, at time.Time, node string) error

	// InsertPurchase writes a purchase and its lines.
	InsertPurchase(ctx context.Context, p Purchase) error
	// AddClientTotals adds a sale (visits 1) or takes back a refund (visits
	// 0, negative amounts) in the client's totals, moving the first and last
	// visit with a visit.
	AddClientTotals(ctx context.Context, clientID string, visits, sold, paid int64, at time.Time, node string) error

	SaveUser(ctx context.Context, u User) error // insert or update by id
}

// BatchAccruer is what a transaction may offer so that a manual accrual to
// many clients (BN-05) writes them a chunk at a time instead of one entry at
// a time; without it Ledger.Adjust appends entries one by one.
type BatchAccruer interface {
	// AccrueMany writes, for each client, the entry e (a lot: accrue or a
	// positive correct) with the id at the same index, on the client's
	// account of typeID, opening the account with the account id at the same
	// index when the client has none; it moves the accounts' balances as
	// AppendEntry would.
	AccrueMany(ctx context.Context, typeID string, e Entry, clientIDs, entryIDs, accountIDs []string) error
}
