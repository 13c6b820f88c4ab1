package db

// Tests of receipts, refunds and gifts (PU-02, PU-05, PU-06), the clients'
// totals (CL-16) and group discounts (GR-01) on a real SQLite file.

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"loyaltydesk/app"
)

func insertPurchase(t *testing.T, s *Store, p app.Purchase) {
	t.Helper()
	if err := s.Update(context.Background(), func(tx app.Tx) error { return tx.InsertPurchase(context.Background(), p) }); err != nil {
		t.Fatalf("InsertPurchase(%s): %v", p.Number, err)
	}
}

func purchaseNumbers(ps []app.Purchase) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Number)
	}
	return out
}

// PU-02, PU-05, PU-06: a sale, two partial refunds and a gift round trip; the
// sale's lines read back with what the refunds gave back of them.
func TestPurchases(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	node := s.NodeID()
	anna := testClient(node, "Анна", "Семёнова", "")
	boris := testClient(node, "Борис", "", "")
	insertClient(t, s, anna)
	insertClient(t, s, boris)
	cat := saveCategory(t, s, "Кофе", "")
	latte := saveProduct(t, s, cat.ID, "Латте", "KF-004", 24000)

	at := testNow
	sale := app.Purchase{ID: app.NewID(), Number: "R-1", Kind: app.PurchaseSale, ClientID: anna.ID,
		Sold: 60000, Discount: 6000, Paid: 50000, BonusSpent: 10000, BonusAccrued: 2500, RequestHash: "h1", Author: "Ирина",
		OccurredAt: at, CreatedAt: at, UpdatedAt: at, NodeID: node,
		Lines: []app.PurchaseLine{
			{ID: app.NewID(), Position: 1, ProductID: latte.ID, CategoryID: cat.ID, Name: "Латте", Quantity: 3000,
				Price: 24000, Amount: 64800 - 6000 - 2800, Discount: 6000, Bonus: 8000, Accrued: 2000},
			{ID: app.NewID(), Position: 2, Name: "Пирожок", Quantity: 1500, Price: 2800, Amount: 4200, Bonus: 2000, Accrued: 500},
			{ID: app.NewID(), Position: 3, Name: "Ошибка", Quantity: 1000, Price: 100, Voided: true},
		}}
	insertPurchase(t, s, sale)
	refund := func(number string, q1, q2 int64, at time.Time) app.Purchase {
		return app.Purchase{ID: app.NewID(), Number: number, Kind: app.PurchaseRefund, RefundOf: sale.ID, ClientID: anna.ID,
			Sold: 100, Paid: 100, BonusSpent: 10, BonusAccrued: 5, Unrecovered: 3, RequestHash: "h-" + number, Author: "Ирина",
			OccurredAt: at, CreatedAt: at, UpdatedAt: at.Add(time.Second), NodeID: node,
			Lines: []app.PurchaseLine{
				{ID: app.NewID(), Position: 1, ProductID: latte.ID, CategoryID: cat.ID, Name: "Латте", Quantity: q1,
					Price: 24000, Amount: 100, RefundOf: sale.Lines[0].ID},
				{ID: app.NewID(), Position: 2, Name: "Пирожок", Quantity: q2, Price: 2800, RefundOf: sale.Lines[1].ID},
			}}
	}
	r1 := refund("R-2", 1000, 500, at.Add(time.Hour))
	r2 := refund("R-3", 1000, 1000, at.Add(2*time.Hour))
	r2.Lines[1].Voided = true // a voided refund line gave nothing back
	insertPurchase(t, s, r1)
	insertPurchase(t, s, r2)
	gift := app.Purchase{ID: app.NewID(), Number: "G-1", Kind: app.PurchaseGift, ClientID: anna.ID, BonusSpent: 50000,
		RequestHash: "g", Author: "Ирина", OccurredAt: at.Add(3 * time.Hour), CreatedAt: at.Add(3 * time.Hour),
		UpdatedAt: at.Add(3 * time.Hour), NodeID: node,
		Lines: []app.PurchaseLine{{ID: app.NewID(), Position: 1, Name: "Кружка", Quantity: 1000, Bonus: 50000}}}
	insertPurchase(t, s, gift)
	anon := app.Purchase{ID: app.NewID(), Number: "R-4", OccurredAt: at.Add(-time.Hour), CreatedAt: at, UpdatedAt: at,
		Sold: 1000, Paid: 1000, NodeID: node}
	insertPurchase(t, s, anon)

	got, err := s.Purchase(ctx, sale.ID)
	want := sale
	want.Lines = append([]app.PurchaseLine(nil), sale.Lines...)
	want.Lines[0].Refunded, want.Lines[1].Refunded = 2000, 500
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Purchase(sale) =\n%+v, %v\nwant\n%+v", got, err, want)
	}
	got, err = s.PurchaseByNumber(ctx, "R-3")
	if err != nil || !reflect.DeepEqual(got, r2) {
		t.Errorf("PurchaseByNumber(R-3) =\n%+v, %v\nwant\n%+v", got, err, r2)
	}
	anon.Kind = app.PurchaseSale // an empty kind is stored as a sale
	if got, err := s.PurchaseByNumber(ctx, "R-4"); err != nil || !reflect.DeepEqual(got, anon) {
		t.Errorf("PurchaseByNumber(R-4) =\n%+v, %v\nwant\n%+v", got, err, anon)
	}
	if _, err := s.Purchase(ctx, "nope"); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("Purchase(nope) = %v", err)
	}
	if _, err := s.PurchaseByNumber(ctx, "nope"); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("PurchaseByNumber(nope) = %v", err)
	}

	for _, tc := range []struct {
		name string
		q    app.PurchaseQuery
		want []string
	}{
		{"all", app.PurchaseQuery{}, []string{"G-1", "R-3", "R-2", "R-1", "R-4"}},
		{"client", app.PurchaseQuery{ClientID: anna.ID}, []string{"G-1", "R-3", "R-2", "R-1"}},
		{"kinds", app.PurchaseQuery{Kinds: []app.PurchaseKind{app.PurchaseSale, app.PurchaseGift}}, []string{"G-1", "R-1", "R-4"}},
		{"page", app.PurchaseQuery{ClientID: anna.ID, Offset: 1, Limit: 2}, []string{"R-3", "R-2"}},
		{"nobody's", app.PurchaseQuery{ClientID: boris.ID}, nil},
	} {
		ps, err := s.Purchases(ctx, tc.q)
		if err != nil || !reflect.DeepEqual(purchaseNumbers(ps), tc.want) {
			t.Errorf("Purchases(%s) = %v, %v; want %v", tc.name, purchaseNumbers(ps), err, tc.want)
		}
	}
	if ps, _ := s.Purchases(ctx, app.PurchaseQuery{Kinds: []app.PurchaseKind{app.PurchaseRefund}, Limit: 1}); len(ps) == 1 {
		r2.Lines = nil
		if !reflect.DeepEqual(ps[0], r2) {
			t.Errorf("Purchases row =\n%+v\nwant\n%+v", ps[0], r2)
		}
	}

	// The number is unique; a refund must be a refund; lines count pieces.
	for _, tc := range []struct {
		name string
		p    app.Purchase
		want error
	}{
		{"a taken number", app.Purchase{ID: app.NewID(), Number: "R-1"}, app.ErrConflict},
		{"a sale pointing at a sale", app.Purchase{ID: app.NewID(), Number: "R-9", Kind: app.PurchaseSale, RefundOf: sale.ID}, app.ErrInvalid},
		{"an unknown kind", app.Purchase{ID: app.NewID(), Number: "R-9", Kind: "barter"}, app.ErrInvalid},
		{"a line of no pieces", app.Purchase{ID: app.NewID(), Number: "R-9",
			Lines: []app.PurchaseLine{{ID: app.NewID(), Position: 1, Name: "x"}}}, app.ErrInvalid},
		{"two lines in one place", app.Purchase{ID: app.NewID(), Number: "R-9", Lines: []app.PurchaseLine{
			{ID: app.NewID(), Position: 1, Name: "x", Quantity: 1}, {ID: app.NewID(), Position: 1, Name: "y", Quantity: 1}}}, app.ErrConflict},
	} {
		tc.p.OccurredAt, tc.p.CreatedAt, tc.p.UpdatedAt, tc.p.NodeID = at, at, at, node
		err := s.Update(ctx, func(tx app.Tx) error { return tx.InsertPurchase(ctx, tc.p) })
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: InsertPurchase = %v, want %v", tc.name, err, tc.want)
		}
	}
	if _, err := s.PurchaseByNumber(ctx, "R-9"); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("a refused purchase was kept: %v", err)
	}
}

// CL-16: a sale adds a visit and moves the first and last visits; a refund
// takes its amounts back and is no visit.
func TestAddClientTotals(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	node := s.NodeID()
	c := testClient(node, "Анна", "", "")
	insertClient(t, s, c)
	add := func(visits, sold, paid int64, at time.Time) {
		t.Helper()
		if err := s.Update(ctx, func(tx app.Tx) error {
			return tx.AddClientTotals(ctx, c.ID, visits, sold, paid, at, "other-node")
		}); err != nil {
			t.Fatalf("AddClientTotals: %v", err)
		}
	}
	day := func(d int) time.Time { return testNow.AddDate(0, 0, d) }
	add(1, 50000, 45000, day(1))
	add(1, 30000, 30000, day(-2)) // an earlier visit, recorded late
	add(0, -10000, -9000, day(3))
	add(1, 1000, 1000, day(2))
	got, err := s.Client(ctx, c.ID)
	want := app.ClientStats{Visits: 3, Sold: 71000, Paid: 67000, FirstVisit: day(-2), LastVisit: day(2)}
	if err != nil || got.Stats != want {
		t.Errorf("stats = %+v, %v; want %+v", got.Stats, err, want)
	}
	if !got.UpdatedAt.Equal(day(3)) || got.NodeID != "other-node" {
		t.Errorf("client updated %v by %s", got.UpdatedAt, got.NodeID)
	}
	if err := s.Update(ctx, func(tx app.Tx) error {
		return tx.AddClientTotals(ctx, "nope", 1, 1, 1, testNow, node)
	}); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("totals of a missing client = %v", err)
	}
}

// GR-01: a live group's discount.
func TestGroupDiscountBP(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	g := app.NewID()
	if err := s.Update(ctx, func(tx app.Tx) error {
		return tx.InsertRef(ctx, app.RefGroup, app.Ref{ID: g, Name: "VIP"}, testNow, s.NodeID())
	}); err != nil {
		t.Fatal(err)
	}
	if bp, err := s.GroupDiscountBP(ctx, g); bp != 0 || err != nil {
		t.Errorf("GroupDiscountBP = %d, %v", bp, err)
	}
	if _, err := s.write.Exec(`UPDATE client_groups SET discount_bp = 1500 WHERE id = ?`, g); err != nil {
		t.Fatal(err)
	}
	if bp, err := s.GroupDiscountBP(ctx, g); bp != 1500 || err != nil {
		t.Errorf("GroupDiscountBP = %d, %v; want 1500", bp, err)
	}
	if _, err := s.write.Exec(`UPDATE client_groups SET deleted_at = ? WHERE id = ?`, formatTime(testNow), g); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GroupDiscountBP(ctx, g); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("GroupDiscountBP of a deleted group = %v", err)
	}
}
