package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"

	"loyaltydesk/app"
)

// RulePlan is the demo venue's automatic loyalty (seed 004, issue 6): the
// classes, categories and statuses, the rules by their names, the lapse
// warning, the appointments with their outcome and the values set by hand.
// RulesPlan draws it from the venue's options alone, so the same options give
// the same plan; Rules carries it out through the use cases.
type RulePlan struct {
	Classes           [3]string // lowest first (seed 004: Bronze, Silver, Gold)
	Categories        []string
	Statuses          []string // by position
	Discounts         []app.DiscountRule
	DiscountLapseDays int
	ClassLapseDays    int
	CategoryRules     []PlannedCategoryRule
	Warning           app.LapseWarning
	// Visits are appointments of the guests who came last (Guest indexes
	// them, the latest first).
	Guests int
	Visits []PlannedVisit
	// Ambassadors, the guests with the most visits, get the third status and
	// a fixed discount (FixedBP); the Regulars after them the second status;
	// the Newcomers, the guests registered last, the first.
	Ambassadors, Regulars, Newcomers int
	FixedBP                          int
}

// PlannedCategoryRule is a category rule naming its category.
type PlannedCategoryRule struct {
	Category string
	Add      bool
	Measure  app.Measure
	From     int64
}

// PlannedVisit is an appointment DaysAgo days before the venue's today;
// Corrected ones are recorded as "did not come" and then corrected to "came"
// (the guest did come after all), as staff do.
type PlannedVisit struct {
	Guest     int
	DaysAgo   int
	Status    app.VisitStatus
	Sold      int64
	Paid      int64
	Corrected bool
}

// Names of the demo's categories and statuses.
const (
	catEconomy  = "Эконом"
	catStandard = "Стандарт"
	catVIP      = "VIP"
	catLost     = "Потерянные"
	catNoShow   = "Не пришли на запись"
)

// RulesPlan returns the demo's automatic loyalty for a venue of opt.
func RulesPlan(opt Options) RulePlan {
	p := RulePlan{
		Classes:    [3]string{"Бронза", "Серебро", "Золото"},
		Categories: []string{catEconomy, catStandard, catVIP, catLost, catNoShow},
		Statuses:   []string{"Новичок", "Постоянный", "Амбассадор"},
		// Seed 004: 5 000 sold gives 5 %; more than two visits give 5 %; 60
		// days without a visit take the discount away.
		Discounts: []app.DiscountRule{
			{Measure: app.MeasureSold, From: 5_000_00, DiscountBP: 500},
			{Measure: app.MeasureVisits, From: 3, DiscountBP: 500},
		},
		DiscountLapseDays: 60,
		ClassLapseDays:    180,
		// Seed 004's category examples, and the appointments' outcome.
		CategoryRules: []PlannedCategoryRule{
			{catEconomy, true, app.MeasureSold, 2_000_00},
			{catStandard, true, app.MeasureSold, 10_000_00},
			{catEconomy, false, app.MeasureSold, 10_000_00},
			{catVIP, true, app.MeasurePaid, 30_000_00},
			{catVIP, true, app.MeasureVisits, 20},
			{catLost, true, app.MeasureAbsentDays, 90},
			{catVIP, false, app.MeasureAbsentDays, 45},
			{catNoShow, true, app.MeasureMissed, 0},
			{catNoShow, false, app.MeasureCame, 0},
		},
		Warning:     app.LapseWarning{Days: 7, Template: app.DefaultWarningTemplate},
		Ambassadors: min(20, opt.Clients/100),
		Regulars:    min(200, opt.Clients/20),
		Newcomers:   min(100, opt.Clients/50),
		FixedBP:     1000,
	}
	// Tastings by appointment for the guests who came last: one to three
	// each in the last month, one in five not come, and every tenth of those
	// corrected afterwards.
	p.Guests = min(200, opt.Clients/20)
	r := rand.New(rand.NewPCG(uint64(opt.Seed), 0x56697369747321)) // "Visits!"
	for g := range p.Guests {
		for range 1 + r.IntN(3) {
			v := PlannedVisit{Guest: g, DaysAgo: 1 + r.IntN(30), Status: app.VisitCame}
			switch {
			case r.IntN(5) == 0:
				v.Status = app.VisitMissed
				v.Corrected = r.IntN(10) == 0
			default:
				v.Sold = int64(8+r.IntN(25)) * 100_00 // 800–3 200 ₽
				v.Paid = v.Sold
				if r.IntN(4) == 0 {
					v.Paid = v.Sold / 2 // a prepayment only
				}
			}
			p.Visits = append(p.Visits, v)
		}
	}
	return p
}

// Rules sets up the demo venue's automatic loyalty as p says, through the use
// cases, at the clock's time: the classes (with their priorities), the
// categories, statuses and rules, the appointments, the values set by hand,
// and finally a recalculation of every guest, so the venue's guests have the
// discounts, classes and categories the rules give them.
func Rules(ctx context.Context, store app.Store, clock app.Clock, p RulePlan) error {
	l := app.NewLoyalty(store, clock)
	classes, err := l.PresetClasses(ctx, p.Classes)
	if err != nil {
		return fmt.Errorf("demo classes: %w", err)
	}
	// Classes that existed keep their priority: put them in seed 004's order.
	for i := range classes {
		if classes[i].Priority != i+1 {
			classes[i].Priority = i + 1
			if classes[i], err = l.SaveClass(ctx, classes[i]); err != nil {
				return fmt.Errorf("demo class %q: %w", classes[i].Name, err)
			}
		}
	}
	cats, err := l.Categories(ctx)
	if err != nil {
		return err
	}
	catID := map[string]string{}
	for _, c := range cats {
		catID[c.Name] = c.ID
	}
	for _, name := range p.Categories {
		if catID[name] != "" {
			continue
		}
		c, err := l.SaveCategory(ctx, app.Category{Name: name})
		if err != nil {
			return fmt.Errorf("demo category %q: %w", name, err)
		}
		catID[name] = c.ID
	}
	statuses := make([]app.Status, len(p.Statuses))
	for i, name := range p.Statuses {
		if statuses[i], err = l.SaveStatus(ctx, app.Status{Name: name, Position: i + 1}); err != nil {
			return fmt.Errorf("demo status %q: %w", name, err)
		}
	}
	rules := app.Rules{Discounts: p.Discounts, DiscountLapseDays: p.DiscountLapseDays, Classes: app.PresetClassRules(classes),
		ClassLapseDays: p.ClassLapseDays, Warning: p.Warning}
	for _, c := range p.CategoryRules {
		rules.Categories = append(rules.Categories, app.CategoryRule{CategoryID: catID[c.Category], Add: c.Add,
			Measure: c.Measure, From: c.From})
	}
	if _, _, err := l.Save(ctx, rules); err != nil {
		return fmt.Errorf("demo rules: %w", err)
	}
	if err := visits(ctx, store, clock, l, p); err != nil {
		return err
	}
	if err := manual(ctx, store, clock, l, p, statuses); err != nil {
		return err
	}
	if _, err := l.RecalculateAll(ctx, nil); err != nil {
		return fmt.Errorf("demo recalculation: %w", err)
	}
	return nil
}

// visits records the plan's appointments of the guests who came last.
func visits(ctx context.Context, store app.Store, clock app.Clock, l *app.Loyalty, p RulePlan) error {
	if p.Guests == 0 {
		return nil
	}
	guests, err := app.NewClients(store, clock).Search(ctx, app.ClientQuery{Sort: app.SortLastVisit, Desc: true, Limit: p.Guests})
	if err != nil {
		return err
	}
	today := app.DateOf(clock.Now())
	for _, v := range p.Visits {
		if v.Guest >= len(guests) {
			continue
		}
		status := v.Status
		if v.Corrected {
			status = app.VisitMissed
		}
		rec, err := l.RecordVisit(ctx, app.VisitInput{ClientID: guests[v.Guest].ID, At: today.AddDays(-v.DaysAgo),
			Status: status, Sold: v.Sold, Paid: v.Paid, Note: "Дегустация"})
		if err != nil {
			return fmt.Errorf("demo visit: %w", err)
		}
		if v.Corrected {
			if err := l.SetVisitStatus(ctx, rec.ID, app.VisitCame); err != nil {
				return fmt.Errorf("demo visit status: %w", err)
			}
		}
	}
	return nil
}

// manual sets the statuses by hand, and the ambassadors' fixed discount.
func manual(ctx context.Context, store app.Store, clock app.Clock, l *app.Loyalty, p RulePlan, statuses []app.Status) error {
	clients := app.NewClients(store, clock)
	ids := func(q app.ClientQuery) ([]string, error) {
		cs, err := clients.Search(ctx, q)
		out := make([]string, len(cs))
		for i, c := range cs {
			out[i] = c.ID
		}
		return out, err
	}
	top, err := ids(app.ClientQuery{Sort: app.SortVisits, Desc: true, Limit: p.Ambassadors + p.Regulars})
	if err != nil {
		return err
	}
	newest, err := ids(app.ClientQuery{Sort: app.SortCreated, Desc: true, Limit: p.Newcomers})
	if err != nil {
		return err
	}
	amb := top[:min(p.Ambassadors, len(top))]
	sets := []struct {
		ids []string
		ch  app.ManualChange
	}{
		{amb, app.ManualChange{StatusID: &statuses[2].ID, Discount: &app.ManualDiscount{Mode: app.ManualFixed, BP: p.FixedBP}}},
		{top[len(amb):], app.ManualChange{StatusID: &statuses[1].ID}},
		{slices.DeleteFunc(newest, func(id string) bool { return slices.Contains(top, id) }),
			app.ManualChange{StatusID: &statuses[0].ID}},
	}
	for _, s := range sets {
		if len(s.ids) == 0 {
			continue
		}
		if _, err := l.SetManual(ctx, app.ClientQuery{IDs: s.ids}, s.ch); err != nil {
			return fmt.Errorf("demo statuses: %w", err)
		}
	}
	return nil
}
