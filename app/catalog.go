package app

import "time"

// ProductCategory groups products in the catalogue (PU-01): Coffee, Salads, …
type ProductCategory struct {
	ID        string
	Name      string
	ParentID  string // empty for a top-level category
	CreatedAt time.Time
	UpdatedAt time.Time
	NodeID    string
}

// Product is a catalogue item (PU-01). Price is in kopecks.
type Product struct {
	ID         string
	CategoryID string
	Name       string
	SKU        string
	Price      int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
	NodeID     string
}

// ProductQuery selects live products, by name.
type ProductQuery struct {
	Text       string // a fragment of the name or the SKU
	CategoryID string // with its subcategories; empty: all
	Limit      int    // 0: all
}

// Gift is something the venue gives from the client page (PU-06), for Points
// (kopecks of points; 0 is free).
type Gift struct {
	ID        string
	Name      string
	Points    int64
	CreatedAt time.Time
	UpdatedAt time.Time
	NodeID    string
}

// PurchaseKind tells a sale from a refund and a gift.
type PurchaseKind string

// Purchase kinds.
const (
	PurchaseSale   PurchaseKind = "sale"
	PurchaseRefund PurchaseKind = "refund"
	PurchaseGift   PurchaseKind = "gift"
)

// Purchase is a receipt (PU-02), a refund of one (PU-05) or a gift (PU-06).
// All amounts are kopecks; a refund's amounts are positive and mean what went
// back.
//
// Sold is the bill after discounts (LR-09) and includes the part paid with
// bonuses; Discount is what the discounts took off the list prices; Paid is
// the money actually received (it may be less than Sold − BonusSpent when the
// guest paid part); BonusSpent is the points paid, BonusAccrued the points
// earned (a refund: returned and taken back).
type Purchase struct {
	ID           string
	Number       string // unique per venue; a retried request carries the same number
	Kind         PurchaseKind
	RefundOf     string // a refund: the sale it refunds
	ClientID     string // empty for an anonymous guest
	Sold         int64
	Discount     int64
	Paid         int64
	BonusSpent   int64
	BonusAccrued int64
	// Unrecovered is what a refund could not take back because the client had
	// already spent it (the balance never goes negative).
	Unrecovered int64
	// RequestHash fingerprints the request that made it: a retry with the same
	// number must carry the same hash.
	RequestHash string
	Author      string
	OccurredAt  time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
	NodeID      string
	Lines       []PurchaseLine
}

// PurchaseLine is one line of a receipt. Quantity is in thousandths (1000 = one
// piece).
type PurchaseLine struct {
	ID         string
	Position   int
	ProductID  string
	CategoryID string
	Name       string
	Quantity   int64
	Price      int64 // list price of one piece
	// Amount is the line's share of Sold: price × quantity less Discount.
	Amount   int64
	Discount int64 // the line's share of the discounts
	Bonus    int64 // the line's share of the points paid
	Accrued  int64 // the line's share of the points earned
	// Voided lines stay on the receipt with zero amounts and earn nothing.
	Voided bool
	// RefundOf is, on a refund's line, the sale line it gives back.
	RefundOf string
	// Refunded is, on a sale's line read back, the quantity refunds have
	// already given back (filled by readers).
	Refunded int64
}

// PurchaseQuery selects purchases, newest first.
type PurchaseQuery struct {
	ClientID string
	Kinds    []PurchaseKind // empty: all
	Offset   int
	Limit    int // 0: all
}
