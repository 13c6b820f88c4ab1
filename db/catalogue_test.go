package db

// Tests of the catalogue (PU-01), gifts (PU-06) and bonus programs (BN-06,
// BN-07, GR-03) on a real SQLite file.

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"loyaltydesk/app"
)

func saveCategory(t *testing.T, s *Store, name, parent string) app.ProductCategory {
	t.Helper()
	c := app.ProductCategory{ID: app.NewID(), Name: name, ParentID: parent, CreatedAt: testNow, UpdatedAt: testNow, NodeID: s.NodeID()}
	if err := s.Update(context.Background(), func(tx app.Tx) error { return tx.SaveProductCategory(context.Background(), c) }); err != nil {
		t.Fatalf("SaveProductCategory(%s): %v", name, err)
	}
	return c
}

func saveProduct(t *testing.T, s *Store, cat, name, sku string, price int64) app.Product {
	t.Helper()
	p := app.Product{ID: app.NewID(), CategoryID: cat, Name: name, SKU: sku, Price: price,
		CreatedAt: testNow, UpdatedAt: testNow, NodeID: s.NodeID()}
	if err := s.Update(context.Background(), func(tx app.Tx) error { return tx.SaveProduct(context.Background(), p) }); err != nil {
		t.Fatalf("SaveProduct(%s): %v", name, err)
	}
	return p
}

func productNames(ps []app.Product) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}

// PU-01: categories nest without cycles; products are found by a fragment of
// the name (any case, ё as е) or the SKU, and by category with its
// subcategories; a live SKU is unique.
func TestCatalogue(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	drinks := saveCategory(t, s, "Напитки", "")
	coffee := saveCategory(t, s, "Кофе", drinks.ID)
	milk := saveCategory(t, s, "Молочный кофе", coffee.ID)
	food := saveCategory(t, s, "Еда", "")
	latte := saveProduct(t, s, milk.ID, "Латте", "KF-004", 24000)
	espresso := saveProduct(t, s, coffee.ID, "Эспрессо", "KF-001", 15000)
	saveProduct(t, s, drinks.ID, "Чай чёрный", "np-002", 16000)
	saveProduct(t, s, food.ID, "Ёжик в тумане", "", 30000)
	saveProduct(t, s, "", "Пакет", "", 500)

	cats, err := s.ProductCategories(ctx)
	if err != nil || len(cats) != 4 || cats[0].Name != "Еда" || cats[1] != coffee {
		t.Errorf("ProductCategories = %+v, %v", cats, err)
	}
	for _, tc := range []struct {
		name string
		q    app.ProductQuery
		want []string
	}{
		{"all", app.ProductQuery{}, []string{"Ёжик в тумане", "Латте", "Пакет", "Чай чёрный", "Эспрессо"}},
		{"limit", app.ProductQuery{Limit: 2}, []string{"Ёжик в тумане", "Латте"}},
		{"name in another case", app.ProductQuery{Text: "ЛАТ"}, []string{"Латте"}},
		{"ё typed as е", app.ProductQuery{Text: "черн"}, []string{"Чай чёрный"}},
		{"е found as ё", app.ProductQuery{Text: "ежик"}, []string{"Ёжик в тумане"}},
		{"sku in another case", app.ProductQuery{Text: "NP-0"}, []string{"Чай чёрный"}},
		{"sku fragment", app.ProductQuery{Text: "kf-"}, []string{"Латте", "Эспрессо"}},
		{"text with limit", app.ProductQuery{Text: "kf-", Limit: 1}, []string{"Латте"}},
		{"category with subcategories", app.ProductQuery{CategoryID: drinks.ID}, []string{"Латте", "Чай чёрный", "Эспрессо"}},
		{"subcategory", app.ProductQuery{CategoryID: coffee.ID}, []string{"Латте", "Эспрессо"}},
		{"category and text", app.ProductQuery{CategoryID: coffee.ID, Text: "эсп"}, []string{"Эспрессо"}},
		{"nothing", app.ProductQuery{Text: "пицца"}, nil},
	} {
		got, err := s.Products(ctx, tc.q)
		if err != nil || !reflect.DeepEqual(productNames(got), tc.want) {
			t.Errorf("Products(%s) = %v, %v; want %v", tc.name, productNames(got), err, tc.want)
		}
	}
	got, err := s.Product(ctx, latte.ID)
	if err != nil || got != latte {
		t.Errorf("Product = %+v, %v; want %+v", got, err, latte)
	}

	// A SKU another live product has is a conflict, in the same case only
	// (SKUs are codes).
	dup := app.Product{ID: app.NewID(), Name: "Латте 2", SKU: "KF-004", Price: 1, CreatedAt: testNow, UpdatedAt: testNow, NodeID: s.NodeID()}
	if err := s.Update(ctx, func(tx app.Tx) error { return tx.SaveProduct(ctx, dup) }); !errors.Is(err, app.ErrConflict) {
		t.Errorf("a taken SKU = %v, want ErrConflict", err)
	}
	// An update rewrites; a delete frees the SKU and hides the product.
	espresso.Price, espresso.Name, espresso.UpdatedAt = 16000, "Эспрессо двойной", testNow.Add(time.Hour)
	if err := s.Update(ctx, func(tx app.Tx) error { return tx.SaveProduct(ctx, espresso) }); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Product(ctx, espresso.ID); got != espresso {
		t.Errorf("after the update: %+v", got)
	}
	if err := s.Update(ctx, func(tx app.Tx) error { return tx.DeleteProduct(ctx, latte.ID, testNow, s.NodeID()) }); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Product(ctx, latte.ID); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("Product after the delete = %v", err)
	}
	if err := s.Update(ctx, func(tx app.Tx) error { return tx.SaveProduct(ctx, dup) }); err != nil {
		t.Errorf("the SKU of a deleted product: %v", err)
	}
	err = s.Update(ctx, func(tx app.Tx) error { return tx.SaveProduct(ctx, latte) })
	if !errors.Is(err, app.ErrNotFound) {
		t.Errorf("saving a deleted product = %v, want ErrNotFound", err)
	}
	if err := s.Update(ctx, func(tx app.Tx) error { return tx.DeleteProduct(ctx, latte.ID, testNow, s.NodeID()) }); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("deleting twice = %v", err)
	}

	// Categories: no cycles, no deleted parent.
	for _, tc := range []struct {
		name string
		c    app.ProductCategory
	}{
		{"its own parent", app.ProductCategory{ID: drinks.ID, Name: "Напитки", ParentID: drinks.ID}},
		{"under its grandchild", app.ProductCategory{ID: drinks.ID, Name: "Напитки", ParentID: milk.ID}},
		{"under no category", app.ProductCategory{ID: app.NewID(), Name: "x", ParentID: "nope"}},
	} {
		tc.c.CreatedAt, tc.c.UpdatedAt, tc.c.NodeID = testNow, testNow, s.NodeID()
		if err := s.Update(ctx, func(tx app.Tx) error { return tx.SaveProductCategory(ctx, tc.c) }); !errors.Is(err, app.ErrInvalid) {
			t.Errorf("category %s = %v, want ErrInvalid", tc.name, err)
		}
	}
	milk.ParentID, milk.Name = drinks.ID, "Молочные"
	if err := s.Update(ctx, func(tx app.Tx) error { return tx.SaveProductCategory(ctx, milk) }); err != nil {
		t.Errorf("moving a category: %v", err)
	}
	if err := s.Update(ctx, func(tx app.Tx) error { return tx.DeleteProductCategory(ctx, food.ID, testNow, s.NodeID()) }); err != nil {
		t.Fatal(err)
	}
	if cats, _ := s.ProductCategories(ctx); len(cats) != 3 || cats[1].Name != "Молочные" {
		t.Errorf("categories after a move and a delete: %+v", cats)
	}
	orphan := app.ProductCategory{ID: app.NewID(), Name: "x", ParentID: food.ID, CreatedAt: testNow, UpdatedAt: testNow, NodeID: s.NodeID()}
	if err := s.Update(ctx, func(tx app.Tx) error { return tx.SaveProductCategory(ctx, orphan) }); !errors.Is(err, app.ErrInvalid) {
		t.Errorf("a category under a deleted one = %v, want ErrInvalid", err)
	}
}

// PU-06: gifts round trip and are deleted softly.
func TestGifts(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	mug := app.Gift{ID: app.NewID(), Name: "Кружка", Points: 50000, CreatedAt: testNow, UpdatedAt: testNow, NodeID: s.NodeID()}
	cookie := app.Gift{ID: app.NewID(), Name: "Cookie", CreatedAt: testNow, UpdatedAt: testNow, NodeID: s.NodeID()}
	if err := s.Update(ctx, func(tx app.Tx) error {
		if err := tx.SaveGift(ctx, mug); err != nil {
			return err
		}
		return tx.SaveGift(ctx, cookie)
	}); err != nil {
		t.Fatal(err)
	}
	gs, err := s.Gifts(ctx)
	if err != nil || !reflect.DeepEqual(gs, []app.Gift{cookie, mug}) {
		t.Errorf("Gifts = %+v, %v", gs, err)
	}
	mug.Points, mug.UpdatedAt = 40000, testNow.Add(time.Minute)
	bad := app.Gift{ID: app.NewID(), Name: "x", Points: -1, CreatedAt: testNow, UpdatedAt: testNow, NodeID: s.NodeID()}
	if err := s.Update(ctx, func(tx app.Tx) error { return tx.SaveGift(ctx, bad) }); !errors.Is(err, app.ErrInvalid) {
		t.Errorf("a gift for negative points = %v, want ErrInvalid", err)
	}
	if err := s.Update(ctx, func(tx app.Tx) error {
		if err := tx.SaveGift(ctx, mug); err != nil {
			return err
		}
		return tx.DeleteGift(ctx, cookie.ID, testNow, s.NodeID())
	}); err != nil {
		t.Fatal(err)
	}
	if gs, _ := s.Gifts(ctx); !reflect.DeepEqual(gs, []app.Gift{mug}) {
		t.Errorf("Gifts after an update and a delete = %+v", gs)
	}
	if err := s.Update(ctx, func(tx app.Tx) error { return tx.SaveGift(ctx, cookie) }); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("saving a deleted gift = %v", err)
	}
}

// BN-06, BN-07, GR-03, LR-09: programs round trip with every field, their
// groups and targets are replaced on save, and equal hours mean all day.
func TestPrograms(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	node := s.NodeID()
	var g1, g2 string
	if err := s.Update(ctx, func(tx app.Tx) error {
		g1, g2 = app.NewID(), app.NewID()
		if err := tx.InsertRef(ctx, app.RefGroup, app.Ref{ID: g1, Name: "VIP"}, testNow, node); err != nil {
			return err
		}
		return tx.InsertRef(ctx, app.RefGroup, app.Ref{ID: g2, Name: "Сотрудники"}, testNow, node)
	}); err != nil {
		t.Fatal(err)
	}
	cat := saveCategory(t, s, "Кофе", "")
	cat2 := saveCategory(t, s, "Чай", "")
	prod := saveProduct(t, s, cat.ID, "Латте", "", 24000)
	prod2 := saveProduct(t, s, cat2.ID, "Пуэр", "", 24000)

	happy := app.Program{ID: app.NewID(), Name: "Счастливые часы", AccountTypeID: app.DefaultAccountTypeID, Enabled: true,
		GroupIDs: []string{g1}, CategoryIDs: []string{cat2.ID, cat.ID}, ProductIDs: []string{prod.ID},
		MinOrder: 50000, ActiveFrom: app.Date{Year: 2026, Month: time.March, Day: 1},
		ActiveTo: app.Date{Year: 2026, Month: time.December, Day: 31}, Weekdays: 0b0011111, HoursFrom: 22 * 60, HoursTo: 2 * 60,
		Reward: app.RewardPercent, RewardValue: 1000, Base: app.BasePaid, EarnOnBonusPaid: true,
		MaxPayShareBP: 3000, MinBalance: 10000, CreatedAt: testNow, UpdatedAt: testNow, NodeID: node}
	base := app.Program{ID: app.NewID(), Name: "Базовая", AccountTypeID: app.DefaultAccountTypeID,
		Weekdays: app.AllWeekdays, HoursFrom: 600, HoursTo: 600, Reward: app.RewardFixed, RewardValue: 5000,
		CreatedAt: testNow, UpdatedAt: testNow, NodeID: node}
	if err := s.Update(ctx, func(tx app.Tx) error {
		if err := tx.SaveProgram(ctx, happy); err != nil {
			return err
		}
		return tx.SaveProgram(ctx, base)
	}); err != nil {
		t.Fatal(err)
	}
	ps, err := s.Programs(ctx)
	wantBase := base
	wantBase.HoursFrom, wantBase.HoursTo, wantBase.Base = 0, 0, app.BaseSold
	if err != nil || len(ps) != 2 || !reflect.DeepEqual(ps[0], wantBase) || !reflect.DeepEqual(ps[1], happy) {
		t.Errorf("Programs =\n%+v, %v\nwant\n%+v\n%+v", ps, err, wantBase, happy)
	}

	// A second save replaces the groups and targets.
	happy.GroupIDs, happy.CategoryIDs, happy.ProductIDs = []string{g2}, nil, []string{prod2.ID, prod.ID}
	happy.Enabled, happy.EarnOnBonusPaid, happy.ActiveTo, happy.UpdatedAt = false, false, app.Date{}, testNow.Add(time.Hour)
	if err := s.Update(ctx, func(tx app.Tx) error { return tx.SaveProgram(ctx, happy) }); err != nil {
		t.Fatal(err)
	}
	ps, _ = s.Programs(ctx)
	if len(ps) != 2 || !reflect.DeepEqual(ps[1], happy) {
		t.Errorf("after the second save:\n%+v\nwant\n%+v", ps[1], happy)
	}
	// Read inside the transaction that wrote it.
	if err := s.Update(ctx, func(tx app.Tx) error {
		if err := tx.DeleteProgram(ctx, base.ID, testNow, node); err != nil {
			return err
		}
		ps, err := tx.Programs(ctx)
		if err != nil || len(ps) != 1 || ps[0].ID != happy.ID {
			t.Errorf("Programs inside the transaction = %+v, %v", ps, err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(ctx, func(tx app.Tx) error { return tx.SaveProgram(ctx, base) }); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("saving a deleted program = %v", err)
	}
	bad := base
	bad.ID, bad.MaxPayShareBP = app.NewID(), 10001
	if err := s.Update(ctx, func(tx app.Tx) error { return tx.SaveProgram(ctx, bad) }); !errors.Is(err, app.ErrInvalid) {
		t.Errorf("a pay share above 100 %% = %v, want ErrInvalid", err)
	}
	bad.MaxPayShareBP, bad.GroupIDs = 0, []string{"no-such-group"}
	if err := s.Update(ctx, func(tx app.Tx) error { return tx.SaveProgram(ctx, bad) }); !errors.Is(err, app.ErrInvalid) {
		t.Errorf("a program for a missing group = %v, want ErrInvalid", err)
	}
}
