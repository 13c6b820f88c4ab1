package app_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"loyaltydesk/app"
)

// seed004 are seed 004's examples as rules.
func seed004() (app.Rules, []app.ClassRank) {
	r := app.Rules{
		Discounts: []app.DiscountRule{
			{ID: "d-sold", Measure: app.MeasureSold, From: 5_000_00, DiscountBP: 500},
			{ID: "d-visits", Measure: app.MeasureVisits, From: 3, DiscountBP: 500}, // «более двух визитов»
			{ID: "d-sold-big", Measure: app.MeasureSold, From: 20_000_00, DiscountBP: 700},
		},
		DiscountLapseDays: 60,
		Classes: []app.ClassRule{
			{ID: "c-bronze-sold", ClassID: "bronze", Measure: app.MeasureSold, From: 20_000_00},
			{ID: "c-bronze-visits", ClassID: "bronze", Measure: app.MeasureVisits, From: 10},
			{ID: "c-silver-sold", ClassID: "silver", Measure: app.MeasureSold, From: 50_000_00},
			{ID: "c-silver-visits", ClassID: "silver", Measure: app.MeasureVisits, From: 30},
			{ID: "c-gold-sold", ClassID: "gold", Measure: app.MeasureSold, From: 100_000_00},
			{ID: "c-gold-visits", ClassID: "gold", Measure: app.MeasureVisits, From: 50},
		},
		Categories: []app.CategoryRule{
			{ID: "k-econom", CategoryID: "econom", Add: true, Measure: app.MeasureSold, From: 2_000_00},
			{ID: "k-standard", CategoryID: "standard", Add: true, Measure: app.MeasureSold, From: 10_000_00},
			{ID: "k-econom-out", CategoryID: "econom", Measure: app.MeasureSold, From: 10_000_00},
			{ID: "k-vip-paid", CategoryID: "vip", Add: true, Measure: app.MeasurePaid, From: 30_000_00},
			{ID: "k-vip-visits", CategoryID: "vip", Add: true, Measure: app.MeasureVisits, From: 20},
			{ID: "k-lost", CategoryID: "lost", Add: true, Measure: app.MeasureAbsentDays, From: 90},
			{ID: "k-vip-out", CategoryID: "vip", Measure: app.MeasureAbsentDays, From: 45},
			{ID: "k-standard-45", CategoryID: "standard", Add: true, Measure: app.MeasureAbsentDays, From: 45},
		},
	}
	classes := []app.ClassRank{{ID: "bronze", Priority: 1}, {ID: "silver", Priority: 2}, {ID: "gold", Priority: 3}}
	return r, classes
}

var rulesToday = app.Date{Year: 2026, Month: 11, Day: 23}

// visited returns figures with a last visit days ago.
func visited(f app.Figures, days int) app.Figures {
	f.LastVisit = rulesToday.AddDays(-days)
	return f
}

// Seed 004, discounts (LR-01, LR-02, LR-06): 5 000 sold → 5 %; more than two
// visits → 5 %; the larger of two discounts wins; 60 days without a visit →
// 0 %. Thresholds at ±1 kopeck and ±1 visit or day.
func TestSeed004Discounts(t *testing.T) {
	r, classes := seed004()
	for _, tc := range []struct {
		name   string
		f      app.Figures
		want   int
		rule   string
		lapsed bool
	}{
		{"4 999,99 sold", visited(app.Figures{Sold: 4_999_99, Visits: 1}, 1), 0, "", false},
		{"5 000 sold", visited(app.Figures{Sold: 5_000_00, Visits: 1}, 1), 500, "d-sold", false},
		{"two visits", visited(app.Figures{Sold: 100_00, Visits: 2}, 1), 0, "", false},
		{"three visits", visited(app.Figures{Sold: 100_00, Visits: 3}, 1), 500, "d-visits", false},
		{"the larger wins", visited(app.Figures{Sold: 20_000_00, Visits: 40}, 1), 700, "d-sold-big", false},
		{"60 days away", visited(app.Figures{Sold: 5_000_00}, 60), 500, "d-sold", false},
		{"61 days away", visited(app.Figures{Sold: 5_000_00}, 61), 0, "", true},
	} {
		o := r.Evaluate(tc.f, rulesToday, classes, nil)
		if o.DiscountBP != tc.want || o.DiscountRule != tc.rule || o.DiscountLapsed != tc.lapsed {
			t.Errorf("%s: discount %d by %q (lapsed %v), want %d by %q (lapsed %v)",
				tc.name, o.DiscountBP, o.DiscountRule, o.DiscountLapsed, tc.want, tc.rule, tc.lapsed)
		}
	}
}

// Seed 004, classes (LR-03, GR-05, LR-06): Bronze from 20 000 or 10 visits,
// Silver from 50 000 or 30, Gold from 100 000 or 50; the highest wins.
func TestSeed004Classes(t *testing.T) {
	r, classes := seed004()
	for _, tc := range []struct {
		f    app.Figures
		want string
	}{
		{app.Figures{Sold: 19_999_99, Visits: 9}, ""},
		{app.Figures{Sold: 20_000_00, Visits: 1}, "bronze"},
		{app.Figures{Sold: 100_00, Visits: 10}, "bronze"},
		{app.Figures{Sold: 49_999_99, Visits: 29}, "bronze"},
		{app.Figures{Sold: 50_000_00, Visits: 1}, "silver"},
		{app.Figures{Sold: 100_00, Visits: 30}, "silver"},
		{app.Figures{Sold: 99_999_99, Visits: 49}, "silver"},
		{app.Figures{Sold: 100_000_00, Visits: 1}, "gold"},
		{app.Figures{Sold: 20_000_00, Visits: 50}, "gold"},
	} {
		if o := r.Evaluate(visited(tc.f, 1), rulesToday, classes, nil); o.ClassID != tc.want {
			t.Errorf("%+v: class %q, want %q", tc.f, o.ClassID, tc.want)
		}
	}
	r.ClassLapseDays = 30
	if o := r.Evaluate(visited(app.Figures{Sold: 100_000_00}, 31), rulesToday, classes, nil); o.ClassID != "" || !o.ClassLapsed {
		t.Errorf("after 31 days away: %+v, want the class lapsed", o)
	}
}

// Seed 004, categories (LR-04, LR-05, LR-06): Econom from 2 000 sold,
// Standard from 10 000 (leaving Econom), VIP from 30 000 paid or 20 visits,
// Lost after 90 days away, and after 45 days away VIP clients move to
// Standard; every matching category applies.
func TestSeed004Categories(t *testing.T) {
	r, classes := seed004()
	for _, tc := range []struct {
		name    string
		f       app.Figures
		current []string
		want    []string
	}{
		{"1 999,99 sold", visited(app.Figures{Sold: 1_999_99}, 1), nil, nil},
		{"2 000 sold", visited(app.Figures{Sold: 2_000_00}, 1), nil, []string{"econom"}},
		{"9 999,99 sold", visited(app.Figures{Sold: 9_999_99}, 1), nil, []string{"econom"}},
		{"10 000 sold leaves Econom", visited(app.Figures{Sold: 10_000_00}, 1), []string{"econom"}, []string{"standard"}},
		{"30 000 paid", visited(app.Figures{Sold: 30_000_00, Paid: 30_000_00}, 1), nil, []string{"standard", "vip"}},
		{"29 999,99 paid", visited(app.Figures{Sold: 10_000_00, Paid: 29_999_99}, 1), nil, []string{"standard"}},
		{"20 visits", visited(app.Figures{Sold: 500_00, Visits: 20}, 1), nil, []string{"vip"}},
		{"45 days away keeps VIP", visited(app.Figures{Sold: 500_00, Visits: 20}, 45), nil, []string{"vip"}},
		{"46 days away: VIP to Standard", visited(app.Figures{Sold: 500_00, Visits: 20}, 46), []string{"vip"}, []string{"standard"}},
		{"90 days away", visited(app.Figures{Sold: 500_00}, 90), nil, []string{"standard"}},
		{"91 days away: Lost", visited(app.Figures{Sold: 500_00}, 91), nil, []string{"lost", "standard"}},
		{"a category of no rule stays", visited(app.Figures{Sold: 2_000_00}, 1), []string{"staff"}, []string{"econom", "staff"}},
	} {
		o := r.Evaluate(tc.f, rulesToday, classes, tc.current)
		if !slices.Equal(o.Categories, tc.want) {
			t.Errorf("%s: categories %q, want %q", tc.name, o.Categories, tc.want)
		}
	}
	// The appointment statuses (PU-04).
	r.Categories = append(r.Categories,
		app.CategoryRule{ID: "k-came", CategoryID: "regular", Add: true, Measure: app.MeasureCame},
		app.CategoryRule{ID: "k-missed", CategoryID: "regular", Measure: app.MeasureMissed})
	if o := r.Evaluate(app.Figures{LastStatus: app.MeasureCame}, rulesToday, classes, nil); !slices.Equal(o.Categories, []string{"regular"}) {
		t.Errorf("came: %q", o.Categories)
	}
	if o := r.Evaluate(app.Figures{LastStatus: app.MeasureMissed}, rulesToday, classes, []string{"regular"}); len(o.Categories) != 0 {
		t.Errorf("did not come: %q", o.Categories)
	}
}

// GR-05, LR-06: the outcome never depends on the order the rules were
// written in.
func TestRulesOrderDoesNotMatter(t *testing.T) {
	r, classes := seed004()
	rng := rand.New(rand.NewPCG(4, 4))
	for range 200 {
		f := visited(app.Figures{Sold: rng.Int64N(120_000_00), Paid: rng.Int64N(40_000_00), Visits: rng.Int64N(60)}, rng.IntN(120))
		want := r.Evaluate(f, rulesToday, classes, []string{"econom"})
		s := app.Rules{Discounts: slices.Clone(r.Discounts), DiscountLapseDays: r.DiscountLapseDays,
			Classes: slices.Clone(r.Classes), Categories: slices.Clone(r.Categories)}
		rng.Shuffle(len(s.Discounts), func(i, j int) { s.Discounts[i], s.Discounts[j] = s.Discounts[j], s.Discounts[i] })
		rng.Shuffle(len(s.Classes), func(i, j int) { s.Classes[i], s.Classes[j] = s.Classes[j], s.Classes[i] })
		rng.Shuffle(len(s.Categories), func(i, j int) { s.Categories[i], s.Categories[j] = s.Categories[j], s.Categories[i] })
		got := s.Evaluate(f, rulesToday, classes, []string{"econom"})
		if got.DiscountBP != want.DiscountBP || got.DiscountRule != want.DiscountRule || got.ClassID != want.ClassID ||
			got.ClassRule != want.ClassRule || !slices.Equal(got.Categories, want.Categories) {
			t.Fatalf("%+v: shuffled rules give %+v, want %+v", f, got, want)
		}
	}
}
