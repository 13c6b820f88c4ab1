package db

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"loyaltydesk/app"
)

// The client benchmarks run against a demo venue of a million clients (or
// LOYALTYDESK_BENCH_CLIENTS), built once and kept in os.TempDir() under a name
// that changes with the schema and the generator, so later runs reuse it:
//
//	go test -run '^$' -bench Client ./db/
//	LOYALTYDESK_BENCH_CLIENTS=20000 go test -run '^$' -bench Client ./db/

// benchVenue is the shared benchmark database and values picked from it.
type benchVenue struct {
	store   *Store
	clients *app.Clients
	cards   []benchPick // card values
	phones  []benchPick // phones as typed: 8 (916) 123-45-67
	tails   []benchPick // the last four digits of phones
}

// benchPick is a value to look up and the client it belongs to.
type benchPick struct{ value, clientID string }

var (
	benchOnce   sync.Once
	benchShared *benchVenue
	benchErr    error
)

func openBenchVenue(b *testing.B) *benchVenue {
	b.Helper()
	benchOnce.Do(func() { benchShared, benchErr = prepareBenchVenue(b) })
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchShared
}

func prepareBenchVenue(b *testing.B) (*benchVenue, error) {
	path, err := BenchVenue(b.Logf)
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	s, err := Open(ctx, path, Options{})
	if err != nil {
		return nil, err
	}
	v := &benchVenue{store: s, clients: app.NewClients(s, app.SystemClock{})}
	// Every few thousandth identifier, spread over the whole venue.
	rows, err := s.read.QueryContext(ctx, `SELECT media, value, client_id FROM client_identifiers
		WHERE rowid % 997 = 0 ORDER BY rowid LIMIT 2000`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var media, value, client string
		if err := rows.Scan(&media, &value, &client); err != nil {
			return nil, err
		}
		if app.Media(media) == app.MediaCard {
			v.cards = append(v.cards, benchPick{value, client})
			continue
		}
		v.phones = append(v.phones, benchPick{bulkTypedPhone(value), client})
		v.tails = append(v.tails, benchPick{value[len(value)-4:], client})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(v.cards) == 0 || len(v.phones) == 0 {
		return nil, fmt.Errorf("benchmark venue %s: no cards or phones to look up", path)
	}
	return v, nil
}

func BenchmarkClientByIdentifier(b *testing.B) {
	v := openBenchVenue(b)
	ctx := context.Background()
	for i := 0; b.Loop(); i++ {
		benchLookup(b, v, ctx, v.cards[i%len(v.cards)])
	}
}

func BenchmarkClientByPhone(b *testing.B) {
	v := openBenchVenue(b)
	ctx := context.Background()
	for i := 0; b.Loop(); i++ {
		benchLookup(b, v, ctx, v.phones[i%len(v.phones)])
	}
}

func benchLookup(b *testing.B, v *benchVenue, ctx context.Context, p benchPick) {
	c, err := v.clients.Lookup(ctx, p.value)
	if err != nil {
		b.Fatalf("Lookup(%q): %v", p.value, err)
	}
	if c.ID != p.clientID {
		b.Fatalf("Lookup(%q) = %s, want %s", p.value, c.ID, p.clientID)
	}
}

// BenchmarkClientSearch is the client list's search box: a page of 50
// clients for the last four digits of a phone or the start of a surname.
func BenchmarkClientSearch(b *testing.B) {
	v := openBenchVenue(b)
	ctx := context.Background()
	b.Run("phone-fragment", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			p := v.tails[i%len(v.tails)]
			cs, err := v.clients.Search(ctx, app.ClientQuery{Text: p.value, Limit: 50})
			if err != nil {
				b.Fatal(err)
			}
			if i < len(v.tails) && len(cs) < 50 && !benchHas(cs, p.clientID) {
				b.Fatalf("Search(%q) misses client %s", p.value, p.clientID)
			}
		}
	})
	surnames := []string{"Смирн", "Иванов", "Кузнец", "Соколо", "Лебед", "Никит", "Федот", "Ким"}
	b.Run("surname-prefix", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			text := surnames[i%len(surnames)]
			cs, err := v.clients.Search(ctx, app.ClientQuery{Text: text, Limit: 50})
			if err != nil {
				b.Fatal(err)
			}
			if len(cs) == 0 {
				b.Fatalf("Search(%q) found nobody", text)
			}
		}
	})
}

func benchHas(cs []app.Client, id string) bool {
	for _, c := range cs {
		if c.ID == id {
			return true
		}
	}
	return false
}

// BenchmarkClientCount is the count under the client list: everyone, and the
// matches of a surname prefix.
func BenchmarkClientCount(b *testing.B) {
	v := openBenchVenue(b)
	ctx := context.Background()
	for _, text := range []string{"", "Смирн"} {
		name := "all"
		if text != "" {
			name = "surname-prefix"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				n, err := v.clients.Count(ctx, app.ClientQuery{Text: text})
				if err != nil {
					b.Fatal(err)
				}
				if n == 0 {
					b.Fatalf("Count(%q) = 0", text)
				}
			}
		})
	}
}

// benchRefs returns the ids of the demo venue's groups, classes, categories
// and tags by name.
func benchRefs(b *testing.B, v *benchVenue) map[string]string {
	b.Helper()
	d, err := v.store.Directory(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	ids := map[string]string{}
	for _, refs := range [][]app.Ref{d.Groups, d.Classes, d.Categories, d.Tags} {
		for _, r := range refs {
			ids[r.Name] = r.ID
		}
	}
	return ids
}

// benchFilters are filters of three conditions an owner would set (CL-14),
// from ones that match a large share of the base to very selective ones.
func benchFilters(b *testing.B, v *benchVenue) []struct {
	name   string
	filter app.ClientFilter
} {
	ids := benchRefs(b, v)
	today := app.DateOf(time.Now())
	age := func(n int) *int { return &n }
	n64 := func(n int64) *int64 { return &n }
	return []struct {
		name   string
		filter app.ClientFilter
	}{
		{"gender+age+sms", app.ClientFilter{Gender: app.GenderIsFemale, AgeFrom: age(18), AgeTo: age(35), SMS: app.Yes}},
		{"visits+last-visit+group", app.ClientFilter{VisitsFrom: n64(5), LastVisitFrom: today.AddDays(-90), GroupID: ids["Постоянные"]}},
		{"tag+favorite+sold", app.ClientFilter{TagID: ids["из Instagram"], Favorite: app.Yes, SoldFrom: n64(500_000), SoldTo: n64(5_000_000)}},
		{"tag+not-blocked+sold", app.ClientFilter{TagID: ids["из Instagram"], Blocked: app.No, SoldFrom: n64(100_000)}},
		{"birthday-week+sms+not-blocked", app.ClientFilter{BirthdayFrom: app.MonthDayOf(today), BirthdayTo: app.MonthDayOf(today.AddDays(7)),
			SMS: app.Yes, Blocked: app.No}},
		{"no-tag+email+class", app.ClientFilter{TagID: app.NoneID, Email: app.Yes, ClassID: ids["Бронза"]}},
		{"category+visits+male", app.ClientFilter{CategoryID: ids["Кофеманы"], VisitsFrom: n64(20), Gender: app.GenderIsMale}},
	}
}

// BenchmarkFilterThreeConditions is what the client list does when a filter
// is set: the count under the list, then the first page of 50 by name.
func BenchmarkFilterThreeConditions(b *testing.B) {
	v := openBenchVenue(b)
	ctx := context.Background()
	for _, f := range benchFilters(b, v) {
		b.Run(f.name, func(b *testing.B) {
			var n int
			for b.Loop() {
				var err error
				q := app.ClientQuery{Filter: f.filter, Limit: 50}
				if n, err = v.clients.Count(ctx, q); err != nil {
					b.Fatal(err)
				}
				cs, err := v.clients.Search(ctx, q)
				if err != nil {
					b.Fatal(err)
				}
				if len(cs) != min(n, 50) {
					b.Fatalf("%d rows for %d matches", len(cs), n)
				}
			}
			b.ReportMetric(float64(n), "matches")
		})
	}
}

// BenchmarkSortedFirstPage is the first page of 50 of the whole base and of a
// filter, by every sort key in both directions.
func BenchmarkSortedFirstPage(b *testing.B) {
	v := openBenchVenue(b)
	ctx := context.Background()
	for _, filtered := range []bool{false, true} {
		for _, key := range app.SortKeys {
			for _, desc := range []bool{false, true} {
				name := cmp.Or(string(key), "name")
				if desc {
					name += "-desc"
				}
				var f app.ClientFilter
				if filtered {
					name = "female+sms/" + name
					f = app.ClientFilter{Gender: app.GenderIsFemale, SMS: app.Yes}
				}
				b.Run(name, func(b *testing.B) {
					q := app.ClientQuery{Filter: f, Sort: key, Desc: desc, Limit: 50}
					if _, err := v.clients.Count(ctx, q); err != nil { // as the list does
						b.Fatal(err)
					}
					for b.Loop() {
						cs, err := v.clients.Search(ctx, q)
						if err != nil {
							b.Fatal(err)
						}
						if len(cs) != 50 {
							b.Fatalf("%d rows", len(cs))
						}
					}
				})
			}
		}
	}
}

// BenchmarkFilteredDeepPage is a page at the end and in the middle of a
// filter's 200,000-odd matches, as the list reads it when the user presses End
// or drags the scroll bar (CL-12).
func BenchmarkFilteredDeepPage(b *testing.B) {
	v := openBenchVenue(b)
	ctx := context.Background()
	f := app.ClientFilter{Gender: app.GenderIsFemale, SMS: app.Yes}
	for _, key := range []app.SortKey{app.SortName, app.SortSold, app.SortLastVisit} {
		for _, at := range []string{"last", "middle"} {
			b.Run(cmp.Or(string(key), "name")+"/"+at, func(b *testing.B) {
				q := app.ClientQuery{Filter: f, Sort: key, Limit: 100}
				n, err := v.clients.Count(ctx, q) // as the list does
				if err != nil {
					b.Fatal(err)
				}
				q.Offset = n - 100
				if at == "middle" {
					q.Offset = n/2 - 50
				}
				for b.Loop() {
					cs, err := v.clients.Search(ctx, q)
					if err != nil {
						b.Fatal(err)
					}
					if len(cs) != 100 {
						b.Fatalf("%d rows", len(cs))
					}
				}
			})
		}
	}
}

// BenchmarkEachClient streams an export of about 100,000 clients in name
// order (CL-17).
func BenchmarkEachClient(b *testing.B) {
	v := openBenchVenue(b)
	ctx := context.Background()
	sel := app.ClientSelect{Filter: app.ClientFilter{VisitsFrom: func(n int64) *int64 { return &n }(4)}, Today: app.DateOf(time.Now())}
	var rows int
	for b.Loop() {
		rows = 0
		if err := v.store.EachClient(ctx, sel, func(app.Client) error { rows++; return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows), "rows")
}

var errBenchRollback = errors.New("roll back")

// BenchmarkBulkTagWholeFilter tags every match of a filter (CL-15) in one
// transaction, rolled back so the venue stays as it is.
func BenchmarkBulkTagWholeFilter(b *testing.B) {
	v := openBenchVenue(b)
	ctx := context.Background()
	ids := benchRefs(b, v)
	sel := app.ClientSelect{Filter: app.ClientFilter{Gender: app.GenderIsFemale, SMS: app.Yes}, Today: app.DateOf(time.Now())}
	var n int
	for b.Loop() {
		err := v.store.Update(ctx, func(tx app.Tx) error {
			var err error
			if n, err = tx.TagClients(ctx, sel, ids["веган"], time.Now(), v.store.NodeID()); err != nil {
				return err
			}
			return errBenchRollback
		})
		if !errors.Is(err, errBenchRollback) {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n), "tagged")
}

// BenchmarkRecalculateAll applies changed rules to every client of a copy of
// the million-client venue (LR-07: after the rules are saved), as the rule
// editor starts it: batches of app.RecalcBatch clients by id, each batch its
// own transaction. The runs save in turn a rule set of other thresholds,
// discounts and lapses and the venue's own (seed 004's), so each run moves
// the discounts, classes and categories of many clients. Target: under 60 s
// on two cores. It reports the clients per second, the seconds of a run and
// the clients a run changed.
func BenchmarkRecalculateAll(b *testing.B) {
	ctx := app.WithActor(context.Background(), "bench")
	venue, err := BenchVenue(b.Logf)
	if err != nil {
		b.Fatal(err)
	}
	path, err := copyToTemp(venue, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	s, err := Open(ctx, path, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	l := app.NewLoyalty(s, app.NewManualClock(BenchVenueNow))
	own, err := l.Rules(ctx)
	if err != nil {
		b.Fatal(err)
	}
	classes, err := s.ClientClasses(ctx) // highest priority first
	if err != nil || len(classes) < 3 {
		b.Fatalf("%d classes, %v", len(classes), err)
	}
	other := own
	other.Discounts = []app.DiscountRule{
		{Measure: app.MeasureSold, From: 3_000_00, DiscountBP: 300},
		{Measure: app.MeasureSold, From: 15_000_00, DiscountBP: 700},
		{Measure: app.MeasureVisits, From: 10, DiscountBP: 1000},
	}
	other.DiscountLapseDays, other.ClassLapseDays = 90, 365
	other.Classes = nil
	for i, c := range classes[:3] {
		other.Classes = append(other.Classes,
			app.ClassRule{ClassID: c.ID, Measure: app.MeasureVisits, From: []int64{60, 20, 5}[i]},
			app.ClassRule{ClassID: c.ID, Measure: app.MeasureSold, From: []int64{120_000_00, 40_000_00, 10_000_00}[i]})
	}
	other.Categories = nil
	for _, c := range own.Categories {
		if c.Measure == app.MeasureSold || c.Measure == app.MeasureAbsentDays {
			c.ID, c.From = "", c.From*3/2 // half as far again
		}
		other.Categories = append(other.Categories, c)
	}
	sets := [2]app.Rules{other, own}
	var runs, done, changed int
	var took time.Duration
	for b.Loop() {
		b.StopTimer()
		if _, _, err := l.Save(ctx, sets[runs%2]); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		p, err := l.RecalculateAll(ctx, nil)
		took += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		if p.Done < 1000 || p.Changed == 0 {
			b.Fatalf("recalculation %+v", p)
		}
		runs++
		done += p.Done
		changed += p.Changed
	}
	b.ReportMetric(float64(done)/took.Seconds(), "clients/s")
	b.ReportMetric(took.Seconds()/float64(runs), "s/run")
	b.ReportMetric(float64(changed)/float64(runs), "changed/run")
}
