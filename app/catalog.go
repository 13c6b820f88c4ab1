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

// Purchase is a receipt (PU-02). Sold is the bill, Paid the money actually
// received (LR-09); all amounts are in kopecks.
type Purchase struct {
	ID           string
	Number       string // unique per venue; a retried request carries the same number
	ClientID     string // empty for an anonymous guest
	Sold         int64
	Discount     int64
	Paid         int64
	BonusSpent   int64
	BonusAccrued int64
	OccurredAt   time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
	NodeID       string
	Lines        []PurchaseLine
}

// PurchaseLine is one line of a receipt. Quantity is in thousandths (1000 = one
// piece); Amount is the line's sold amount in kopecks after its discount.
type PurchaseLine struct {
	ID         string
	Position   int
	ProductID  string
	CategoryID string
	Name       string
	Quantity   int64
	Price      int64
	Amount     int64
}
