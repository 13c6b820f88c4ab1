package app_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"loyaltydesk/app"
	"loyaltydesk/db"
)

var (
	venueOnce sync.Once
	venuePath string
	venueErr  error
)

// copyVenue copies the cached benchmark venue (db.BenchVenue: a million
// clients, three million purchases) into dir, so the benchmark's writes never
// touch the cache other benchmarks read.
func copyVenue(b *testing.B, dir string) string {
	b.Helper()
	venueOnce.Do(func() { venuePath, venueErr = db.BenchVenue(b.Logf) })
	if venueErr != nil {
		b.Fatal(venueErr)
	}
	dst := filepath.Join(dir, "venue.db")
	in, err := os.Open(venuePath)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
	return dst
}

// BenchmarkCloseOrder closes till orders of five lines, with the coffee
// cashback program and a bonus payment, for guests of a million-client venue
// (synchronous=FULL, as the program runs). Target: 500 orders a second or
// more. It reports the median and the 99th percentile of one close.
func BenchmarkCloseOrder(b *testing.B) {
	ctx := app.WithActor(context.Background(), "bench")
	path := copyVenue(b, b.TempDir())
	store, err := db.Open(ctx, path, db.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	clock := app.SystemClock{}
	clients := app.NewClients(store, clock)
	ledger := app.NewLedger(store, clock)
	purchases := app.NewPurchases(store, clock)
	catalogue := app.NewCatalogue(store, clock)
	auth := app.NewAuth(store, clock)
	till := app.NewTill(store, clock, ledger, purchases)

	d, err := clients.Directory(ctx)
	if err != nil {
		b.Fatal(err)
	}
	group := ""
	for _, g := range d.Groups {
		if g.Name == "Постоянные" {
			group = g.ID
		}
	}
	cats, err := catalogue.Categories(ctx)
	if err != nil {
		b.Fatal(err)
	}
	coffee := cats[slices.IndexFunc(cats, func(c app.ProductCategory) bool { return c.Name == "Кофе" })]
	if _, err := catalogue.SaveProgram(ctx, app.Program{Name: "Кэшбэк за кофе", Enabled: true, GroupIDs: []string{group},
		CategoryIDs: []string{coffee.ID}, Weekdays: app.AllWeekdays, Reward: app.RewardPercent, RewardValue: 1000,
		MaxPayShareBP: 5000}); err != nil {
		b.Fatal(err)
	}
	products, err := catalogue.Products(ctx, app.ProductQuery{})
	if err != nil || len(products) < 5 {
		b.Fatalf("%d products, %v", len(products), err)
	}
	// A thousand regulars with points.
	guests, err := clients.Search(ctx, app.ClientQuery{Filter: app.ClientFilter{GroupID: group, Blocked: app.No}, Limit: 1000})
	if err != nil || len(guests) == 0 {
		b.Fatalf("%d guests, %v", len(guests), err)
	}
	if _, err := auth.SaveUser(ctx, app.Approval{}, "", app.UserInput{Name: "bench", Role: app.RoleOwner, Secret: "bench"}); err != nil {
		b.Fatal(err)
	}
	ap, err := auth.Approve(ctx, "bench")
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]string, len(guests))
	for i, g := range guests {
		ids[i] = g.ID
	}
	if _, err := ledger.Adjust(ctx, ap, app.Adjustment{Target: app.ClientQuery{IDs: ids}, Kind: app.AdjustAccrue,
		Amount: 1_000_000_00, Reason: "benchmark"}); err != nil {
		b.Fatal(err)
	}
	orders := make([]app.Order, len(guests))
	for i, g := range guests {
		guest, err := till.Guest(ctx, g.ID)
		if err != nil {
			b.Fatal(err)
		}
		o := app.Order{Guest: &guest, Discount: guest.DiscountBP, BonusPay: 10_00}
		for k := range 5 {
			p := products[(i+k*7)%len(products)]
			o.Lines = append(o.Lines, app.LineInput{ProductID: p.ID, CategoryID: p.CategoryID, Name: p.Name, Quantity: 1000, Price: max(p.Price, 100_00)})
		}
		orders[i] = o
	}
	// A till that has been open a while has the pages it needs in memory:
	// fifty orders warm the cache the copy left cold.
	for k := range 50 {
		o := orders[k%len(orders)]
		o.Number = "warm-" + app.NewID()
		if _, err := till.Close(ctx, o); err != nil {
			b.Fatal(err)
		}
	}
	var times []time.Duration
	i := 0
	for b.Loop() {
		o := orders[i%len(orders)]
		o.Number = purchases.NewNumber() + "-" + app.NewID()[24:]
		start := time.Now()
		if _, err := till.Close(ctx, o); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(start))
		i++
	}
	b.StopTimer()
	slices.Sort(times)
	median := times[len(times)/2]
	b.ReportMetric(float64(median.Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(times[len(times)*9/10].Microseconds())/1000, "p90-ms")
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(times[len(times)-1].Microseconds())/1000, "max-ms")
	b.ReportMetric(float64(time.Second)/float64(median), "orders/s")
	if ms, err := ledger.Check(ctx); err != nil || len(ms) > 0 {
		b.Fatalf("ledger check: %v %v", ms, err)
	}
}

// BenchmarkBulkAccrue accrues points by hand to every client of a group of a
// million-client venue in one transaction (BN-05): about a tenth of them.
func BenchmarkBulkAccrue(b *testing.B) {
	ctx := app.WithActor(context.Background(), "bench")
	path := copyVenue(b, b.TempDir())
	store, err := db.Open(ctx, path, db.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	clock := app.SystemClock{}
	clients := app.NewClients(store, clock)
	ledger := app.NewLedger(store, clock)
	auth := app.NewAuth(store, clock)
	d, err := clients.Directory(ctx)
	if err != nil {
		b.Fatal(err)
	}
	group := d.Groups[slices.IndexFunc(d.Groups, func(r app.Ref) bool { return r.Name == "Постоянные" })].ID
	q := app.ClientQuery{Filter: app.ClientFilter{GroupID: group}}
	n, err := clients.Count(ctx, q)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := auth.SaveUser(ctx, app.Approval{}, "", app.UserInput{Name: "bench", Role: app.RoleOwner, Secret: "bench"}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		ap, err := auth.Approve(ctx, "bench")
		if err != nil {
			b.Fatal(err)
		}
		rep, err := ledger.Adjust(ctx, ap, app.Adjustment{Target: q, Kind: app.AdjustAccrue, Amount: 100_00, Reason: "benchmark"})
		if err != nil || rep.Changed != n {
			b.Fatalf("changed %d of %d: %v", rep.Changed, n, err)
		}
	}
	b.ReportMetric(float64(n), "clients")
}
