package app_test

import (
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"loyaltydesk/app"
)

// The automatic loyalty through the real store (issue 6): rules saved, then
// purchases, visits and days going by, the clock moved rather than slept.

const day = 24 * time.Hour

// loyal is a money environment with the loyalty use cases and seed 004's
// classes and categories.
type loyal struct {
	*money
	l                           *app.Loyalty
	bronze, silver, gold        app.Class
	econom, standard, vip, lost app.Category
	came, missed                app.Category
	regular                     app.Status
}

func newLoyal(t *testing.T) *loyal {
	t.Helper()
	m := newMoney(t)
	x := &loyal{money: m, l: app.NewLoyalty(m.store, m.clock)}
	cs, err := x.l.PresetClasses(m.ctx, [3]string{"Бронза", "Серебро", "Золото"})
	if err != nil {
		t.Fatal(err)
	}
	x.bronze, x.silver, x.gold = cs[0], cs[1], cs[2]
	for _, c := range []struct {
		to   *app.Category
		name string
	}{{&x.econom, "Эконом"}, {&x.standard, "Стандарт"}, {&x.vip, "VIP"}, {&x.lost, "Потерянные"},
		{&x.came, "Пришли"}, {&x.missed, "Не пришли"}} {
		if *c.to, err = x.l.SaveCategory(m.ctx, app.Category{Name: c.name}); err != nil {
			t.Fatal(err)
		}
	}
	if x.regular, err = x.l.SaveStatus(m.ctx, app.Status{Name: "Постоянный"}); err != nil {
		t.Fatal(err)
	}
	return x
}

// save stores rules and recalculates everyone, as the editor does.
func (x *loyal) save(t *testing.T, r app.Rules) app.Rules {
	t.Helper()
	r, _, err := x.l.Save(x.ctx, r)
	if err != nil {
		t.Fatalf("save rules: %v", err)
	}
	if _, err := x.l.RecalculateAll(x.ctx, nil); err != nil {
		t.Fatal(err)
	}
	return r
}

// seed004 are seed 004's rules over the environment's classes and
// categories.
func (x *loyal) seed004() app.Rules {
	return app.Rules{
		Discounts: []app.DiscountRule{
			{Measure: app.MeasureSold, From: 5_000_00, DiscountBP: 500},
			{Measure: app.MeasureVisits, From: 3, DiscountBP: 500}, // «более двух визитов»
		},
		DiscountLapseDays: 60,
		Classes:           app.PresetClassRules([]app.Class{x.bronze, x.silver, x.gold}),
		Categories: []app.CategoryRule{
			{CategoryID: x.econom.ID, Add: true, Measure: app.MeasureSold, From: 2_000_00},
			{CategoryID: x.standard.ID, Add: true, Measure: app.MeasureSold, From: 10_000_00},
			{CategoryID: x.econom.ID, Measure: app.MeasureSold, From: 10_000_00},
			{CategoryID: x.vip.ID, Add: true, Measure: app.MeasurePaid, From: 30_000_00},
			{CategoryID: x.vip.ID, Add: true, Measure: app.MeasureVisits, From: 20},
			{CategoryID: x.lost.ID, Add: true, Measure: app.MeasureAbsentDays, From: 90},
			{CategoryID: x.vip.ID, Measure: app.MeasureAbsentDays, From: 45},
			{CategoryID: x.standard.ID, Add: true, Measure: app.MeasureAbsentDays, From: 45},
			{CategoryID: x.came.ID, Add: true, Measure: app.MeasureCame},
			{CategoryID: x.missed.ID, Add: true, Measure: app.MeasureMissed},
			{CategoryID: x.came.ID, Measure: app.MeasureMissed},
			{CategoryID: x.missed.ID, Measure: app.MeasureCame},
		},
		Warning: app.LapseWarning{Days: 7, Template: app.DefaultWarningTemplate},
	}
}

func (x *loyal) buy(t *testing.T, clientID string, amount int64) {
	t.Helper()
	x.record(t, app.PurchaseInput{ClientID: clientID, Amount: amount})
}

// daily moves the clock n days on and runs the daily job.
func (x *loyal) daily(t *testing.T, n int) app.DailyResult {
	t.Helper()
	x.clock.Advance(time.Duration(n) * day)
	res, err := x.l.RunDaily(x.ctx)
	if err != nil {
		t.Fatalf("daily run: %v", err)
	}
	return res
}

func (x *loyal) discount(t *testing.T, id string) int64 { return x.get(t, id).DiscountBP }

func (x *loyal) categories(t *testing.T, id string) []string {
	t.Helper()
	cs := slices.Clone(x.get(t, id).CategoryIDs)
	slices.Sort(cs)
	return cs
}

func sorted(ids ...string) []string {
	s := slices.Clone(ids)
	slices.Sort(s)
	return s
}

// Seed 004, discounts (LR-01, LR-02, LR-07): 5 000 sold gives 5 % at the
// purchase that reaches it, in its transaction; a third visit gives 5 %;
// 60 days without a visit keep it, the 61st takes it to 0 %, and the next
// purchase brings it back.
func TestSeed004DiscountsThroughPurchases(t *testing.T) {
	x := newLoyal(t)
	x.save(t, x.seed004())
	c := x.guest(t, "+79161110001", "")
	x.buy(t, c.ID, 4_999_99)
	if d := x.discount(t, c.ID); d != 0 {
		t.Fatalf("at 4 999,99 ₽ the discount is %d, want 0", d)
	}
	x.clock.Advance(time.Hour)
	x.buy(t, c.ID, 1) // 5 000 ₽ sold, and a second visit
	if d := x.discount(t, c.ID); d != 500 {
		t.Fatalf("at 5 000 ₽ the discount is %d, want 5 %%", d)
	}
	// Visits: two visits give nothing, the third gives 5 %.
	v := x.guest(t, "+79161110002", "")
	x.buy(t, v.ID, 100_00)
	x.buy(t, v.ID, 100_00)
	if d := x.discount(t, v.ID); d != 0 {
		t.Fatalf("after two visits the discount is %d, want 0", d)
	}
	x.buy(t, v.ID, 100_00)
	if d := x.discount(t, v.ID); d != 500 {
		t.Fatalf("after three visits the discount is %d, want 5 %%", d)
	}
	// The lapse: 60 days away keep it, 61 take it.
	x.daily(t, 60)
	if d := x.discount(t, c.ID); d != 500 {
		t.Fatalf("after 60 days away the discount is %d, want 5 %% still", d)
	}
	res := x.daily(t, 1)
	if !res.Ran || x.discount(t, c.ID) != 0 || x.discount(t, v.ID) != 0 {
		t.Fatalf("after 61 days away: run %+v, discounts %d and %d, want 0", res, x.discount(t, c.ID), x.discount(t, v.ID))
	}
	// A second run the same day does nothing.
	if res, err := x.l.RunDaily(x.ctx); err != nil || res.Ran {
		t.Fatalf("second run on one day: %+v, %v", res, err)
	}
	x.buy(t, c.ID, 10_00)
	if d := x.discount(t, c.ID); d != 500 {
		t.Fatalf("back after the lapse the discount is %d, want 5 %%", d)
	}
}

// Seed 004, classes (GR-05, LR-03): Bronze from 20 000 or 10 visits,
// Silver from 50 000 or 30, Gold from 100 000 or 50; the highest class wins.
func TestSeed004ClassesThroughPurchases(t *testing.T) {
	x := newLoyal(t)
	x.save(t, x.seed004())
	class := func(id string) string { return x.get(t, id).ClassID }
	c := x.guest(t, "+79161120001", "")
	for _, step := range []struct {
		amount int64
		want   string
	}{{19_999_99, ""}, {1, x.bronze.ID}, {29_999_99, x.bronze.ID}, {1, x.silver.ID},
		{49_999_99, x.silver.ID}, {1, x.gold.ID}} {
		x.buy(t, c.ID, step.amount)
		if got := class(c.ID); got != step.want {
			t.Fatalf("after %d more the class is %q, want %q", step.amount, got, step.want)
		}
	}
	v := x.guest(t, "+79161120002", "")
	for i := 1; i <= 50; i++ {
		x.buy(t, v.ID, 1_00)
		want := ""
		switch {
		case i >= 50:
			want = x.gold.ID
		case i >= 30:
			want = x.silver.ID
		case i >= 10:
			want = x.bronze.ID
		}
		if got := class(v.ID); got != want {
			t.Fatalf("after %d visits the class is %q, want %q", i, got, want)
		}
	}
}

// Seed 004, categories (GR-06, LR-04, LR-05, LR-06): Эконом from 2 000 sold,
// Стандарт from 10 000 which also takes Эконом away, VIP from 30 000 paid
// (not sold) or 20 visits, Потерянные after 90 days away, VIP away and
// Стандарт in after 45 days.
func TestSeed004CategoriesThroughPurchases(t *testing.T) {
	x := newLoyal(t)
	x.save(t, x.seed004())
	c := x.guest(t, "+79161130001", "")
	x.buy(t, c.ID, 1_999_99)
	if got := x.categories(t, c.ID); len(got) != 0 {
		t.Fatalf("at 1 999,99 ₽: %v, want none", got)
	}
	x.buy(t, c.ID, 1)
	if got := x.categories(t, c.ID); !slices.Equal(got, []string{x.econom.ID}) {
		t.Fatalf("at 2 000 ₽: %v, want Эконом", got)
	}
	x.buy(t, c.ID, 7_999_99)
	if got := x.categories(t, c.ID); !slices.Equal(got, []string{x.econom.ID}) {
		t.Fatalf("at 9 999,99 ₽: %v, want Эконом", got)
	}
	x.buy(t, c.ID, 1)
	if got := x.categories(t, c.ID); !slices.Equal(got, []string{x.standard.ID}) {
		t.Fatalf("at 10 000 ₽: %v, want Стандарт only", got)
	}
	// Sold is not paid (LR-09): 30 000 sold with 29 999,99 paid is no VIP.
	p := x.guest(t, "+79161130002", "")
	paid := int64(29_999_99)
	x.record(t, app.PurchaseInput{ClientID: p.ID, Amount: 30_000_00, Paid: &paid})
	if got := x.categories(t, p.ID); slices.Contains(got, x.vip.ID) {
		t.Fatalf("29 999,99 ₽ paid gives VIP: %v", got)
	}
	x.buy(t, p.ID, 1)
	if got := x.categories(t, p.ID); !slices.Contains(got, x.vip.ID) {
		t.Fatalf("30 000 ₽ paid gives no VIP: %v", got)
	}
	// 20 visits make a VIP too.
	v := x.guest(t, "+79161130003", "")
	for i := 1; i <= 20; i++ {
		x.buy(t, v.ID, 1_00)
		if in := slices.Contains(x.categories(t, v.ID), x.vip.ID); in != (i >= 20) {
			t.Fatalf("after %d visits VIP is %v", i, in)
		}
	}
	// Days away: 45 keep VIP, 46 take it and put the client in Стандарт;
	// 90 are not yet lost, 91 are.
	x.daily(t, 45)
	if got := x.categories(t, v.ID); !slices.Contains(got, x.vip.ID) || slices.Contains(got, x.standard.ID) {
		t.Fatalf("after 45 days away: %v, want VIP and no Стандарт", got)
	}
	x.daily(t, 1)
	if got := x.categories(t, v.ID); slices.Contains(got, x.vip.ID) || !slices.Contains(got, x.standard.ID) {
		t.Fatalf("after 46 days away: %v, want Стандарт and no VIP", got)
	}
	x.daily(t, 44)
	if got := x.categories(t, c.ID); slices.Contains(got, x.lost.ID) {
		t.Fatalf("after 90 days away: %v, want not lost yet", got)
	}
	x.daily(t, 1)
	if got := x.categories(t, c.ID); !slices.Contains(got, x.lost.ID) {
		t.Fatalf("after 91 days away: %v, want Потерянные", got)
	}
}

// PU-04, LR-04, LR-05, LR-07: a visit saved with status "came" counts as a
// visit with its bill and applies the rules in its transaction; "did not
// come" counts nothing but the status rules; correcting a status moves
// everything back.
func TestVisitsWithStatus(t *testing.T) {
	x := newLoyal(t)
	x.save(t, x.seed004())
	c := x.guest(t, "+79161140001", "")
	vi, err := x.l.RecordVisit(x.ctx, app.VisitInput{ClientID: c.ID, Status: app.VisitCame, Sold: 5_000_00, Paid: 4_000_00})
	if err != nil {
		t.Fatal(err)
	}
	got := x.get(t, c.ID)
	if got.Stats.Visits != 1 || got.Stats.Sold != 5_000_00 || got.Stats.Paid != 4_000_00 || got.DiscountBP != 500 {
		t.Fatalf("after a came visit: %+v, discount %d", got.Stats, got.DiscountBP)
	}
	if cats := x.categories(t, c.ID); !slices.Equal(cats, sorted(x.econom.ID, x.came.ID)) {
		t.Fatalf("categories after came: %v", cats)
	}
	x.clock.Advance(day)
	if _, err := x.l.RecordVisit(x.ctx, app.VisitInput{ClientID: c.ID, Status: app.VisitMissed}); err != nil {
		t.Fatal(err)
	}
	got = x.get(t, c.ID)
	if got.Stats.Visits != 1 || !slices.Equal(x.categories(t, c.ID), sorted(x.econom.ID, x.missed.ID)) {
		t.Fatalf("after a missed visit: %+v, %v", got.Stats, x.categories(t, c.ID))
	}
	// A missed visit with a bill is refused, naming the field.
	_, err = x.l.RecordVisit(x.ctx, app.VisitInput{ClientID: c.ID, Status: app.VisitMissed, Sold: 1})
	if fe, ok := fieldErr(err, app.FieldSold); !ok || fe.Reason != app.ReasonBadValue {
		t.Fatalf("missed with a bill: %v", err)
	}
	_, err = x.l.RecordVisit(x.ctx, app.VisitInput{ClientID: c.ID, Status: app.VisitCame, Sold: 1_00, Paid: 2_00})
	if _, ok := fieldErr(err, app.FieldPaid); !ok {
		t.Fatalf("paid above sold: %v", err)
	}
	_, err = x.l.RecordVisit(x.ctx, app.VisitInput{ClientID: c.ID, Status: app.VisitCame, At: app.DateOf(x.clock.Now().Add(day))})
	if _, ok := fieldErr(err, app.FieldVisitAt); !ok {
		t.Fatalf("a visit tomorrow: %v", err)
	}
	// The first visit was a mistake: the guest did not come.
	if err := x.l.SetVisitStatus(x.ctx, vi.ID, app.VisitMissed); err == nil {
		t.Fatal("a visit with a bill turned into missed")
	}
	x.clock.Advance(time.Minute)
	free, err := x.l.RecordVisit(x.ctx, app.VisitInput{ClientID: c.ID, Status: app.VisitCame})
	if err != nil {
		t.Fatal(err)
	}
	if got := x.get(t, c.ID); got.Stats.Visits != 2 {
		t.Fatalf("visits %d after a second came, want 2", got.Stats.Visits)
	}
	if err := x.l.SetVisitStatus(x.ctx, free.ID, app.VisitMissed); err != nil {
		t.Fatal(err)
	}
	if got := x.get(t, c.ID); got.Stats.Visits != 1 || !slices.Equal(x.categories(t, c.ID), sorted(x.econom.ID, x.missed.ID)) {
		t.Fatalf("after correcting to missed: %+v %v", got.Stats, x.categories(t, c.ID))
	}
	vs, err := x.l.Visits(x.ctx, c.ID, 0)
	if err != nil || len(vs) != 3 || vs[0].ID != free.ID {
		t.Fatalf("visits %+v, %v", vs, err)
	}
}

func fieldErr(err error, field string) (app.FieldError, bool) {
	var ve *app.ValidationError
	if !errors.As(err, &ve) {
		return app.FieldError{}, false
	}
	return ve.Field(field)
}

// GR-04: what a value set by hand means. Fixed survives the rules; a floor
// is raised by a rule but never lowered; once is overwritten by the next
// recalculation; handing back to the rules clears the lock at once. A
// status set by hand is never touched by the rules. Every change is audited.
func TestManualModes(t *testing.T) {
	x := newLoyal(t)
	x.save(t, x.seed004())
	a := x.guest(t, "+79161150001", "")
	b := x.guest(t, "+79161150002", "")
	c := x.guest(t, "+79161150003", "")
	set := func(ids []string, ch app.ManualChange) {
		t.Helper()
		n, err := x.l.SetManual(x.ctx, app.ClientQuery{IDs: ids}, ch)
		if err != nil || n != len(ids) {
			t.Fatalf("set by hand: %d, %v", n, err)
		}
	}
	set([]string{a.ID}, app.ManualChange{Discount: &app.ManualDiscount{Mode: app.ManualFixed, BP: 1500}, StatusID: &x.regular.ID})
	set([]string{b.ID}, app.ManualChange{Discount: &app.ManualDiscount{Mode: app.ManualFloor, BP: 300},
		Class: &app.ManualClass{Mode: app.ManualFloor, ClassID: x.silver.ID}})
	set([]string{c.ID}, app.ManualChange{Discount: &app.ManualDiscount{Mode: app.ManualOnce, BP: 1000}})
	if x.discount(t, a.ID) != 1500 || x.discount(t, b.ID) != 300 || x.discount(t, c.ID) != 1000 {
		t.Fatalf("after the change: %d %d %d", x.discount(t, a.ID), x.discount(t, b.ID), x.discount(t, c.ID))
	}
	for _, id := range []string{a.ID, b.ID, c.ID} {
		x.buy(t, id, 6_000_00) // the rules give 5 %
	}
	if d := x.discount(t, a.ID); d != 1500 {
		t.Errorf("fixed: %d, want 15 %% kept", d)
	}
	if d := x.discount(t, b.ID); d != 500 {
		t.Errorf("floor 3 %% with a 5 %% rule: %d, want 5 %%", d)
	}
	if d := x.discount(t, c.ID); d != 500 {
		t.Errorf("once: %d, want the rule's 5 %%", d)
	}
	if cl := x.get(t, b.ID).ClassID; cl != x.silver.ID {
		t.Errorf("floor class Silver below Bronze's threshold: %q", cl)
	}
	x.buy(t, b.ID, 100_000_00) // Gold beats the Silver floor
	if cl := x.get(t, b.ID).ClassID; cl != x.gold.ID {
		t.Errorf("Gold by the rules over a Silver floor: %q", cl)
	}
	// The lapse cannot take a fixed discount; the floor stays under it.
	x.daily(t, 61)
	if x.discount(t, a.ID) != 1500 || x.discount(t, b.ID) != 300 || x.discount(t, c.ID) != 0 {
		t.Errorf("after the lapse: %d %d %d, want 15 %%, 3 %%, 0", x.discount(t, a.ID), x.discount(t, b.ID), x.discount(t, c.ID))
	}
	if st := x.get(t, a.ID).StatusID; st != x.regular.ID {
		t.Errorf("status %q, want the one set by hand", st)
	}
	// Back to the rules: the lapse applies at once.
	set([]string{a.ID}, app.ManualChange{Discount: &app.ManualDiscount{Mode: app.ManualRules}})
	if d := x.discount(t, a.ID); d != 0 {
		t.Errorf("handed back to the rules after the lapse: %d, want 0", d)
	}
	// Many at once, through a filter, and bad input changes nothing.
	if _, err := x.l.SetManual(x.ctx, app.ClientQuery{IDs: []string{b.ID}}, app.ManualChange{Discount: &app.ManualDiscount{Mode: "maybe", BP: 100}}); err == nil {
		t.Error("an unknown mode was accepted")
	}
	if _, err := x.l.SetManual(x.ctx, app.ClientQuery{IDs: []string{b.ID}}, app.ManualChange{Discount: &app.ManualDiscount{Mode: app.ManualFixed, BP: 10001}}); err == nil {
		t.Error("a discount above 100 % was accepted")
	}
	bogus := "no-such-status"
	if _, err := x.l.SetManual(x.ctx, app.ClientQuery{IDs: []string{b.ID}}, app.ManualChange{StatusID: &bogus}); err == nil {
		t.Error("an unknown status was accepted")
	}
	n, err := x.l.SetManual(x.ctx, app.ClientQuery{}, app.ManualChange{StatusID: &x.regular.ID})
	if err != nil || n != 2 { // a has it already
		t.Fatalf("everyone's status: %d changed, %v; want 2", n, err)
	}
	for _, id := range []string{a.ID, b.ID, c.ID} {
		if st := x.get(t, id).StatusID; st != x.regular.ID {
			t.Errorf("status %q after setting everyone's", st)
		}
	}
	entries, err := x.store.AuditOf(x.ctx, "client", a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(entries, func(e app.AuditEntry) bool { return e.Action == "client.manual" }) {
		t.Errorf("no audit line for the change by hand: %+v", entries)
	}
}

// LR-08: a message is queued N days before the discount lapses, once,
// whatever the re-runs; a day missed is caught up at the next start; nothing
// is queued at the moment of the lapse; unsubscribed clients are written as
// skipped with the reason.
func TestLapseWarnings(t *testing.T) {
	x := newLoyal(t)
	x.save(t, x.seed004()) // lapse 60 days, warning 7 days before
	sub := x.create(t, app.ClientInput{FirstName: "Анна", Phone: "+79161160001"})
	unsub := x.create(t, app.ClientInput{FirstName: "Борис", Phone: "+79161160002"})
	late := x.create(t, app.ClientInput{FirstName: "Вера", Phone: "+79161160003"})
	if _, err := x.clients.Apply(x.ctx, app.ClientQuery{IDs: []string{sub.ID, late.ID}}, app.Action{Kind: app.ActionSubscribeSMS}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []app.Client{sub, unsub} {
		x.buy(t, c.ID, 5_000_00)
	}
	x.clock.Advance(10 * day)
	x.buy(t, late.ID, 5_000_00)
	x.clock.Advance(-10 * day)
	outbox := func() []app.Message {
		t.Helper()
		ms, err := x.l.Outbox(x.ctx, app.OutboxQuery{})
		if err != nil {
			t.Fatal(err)
		}
		return ms
	}
	x.daily(t, 53)
	if ms := outbox(); len(ms) != 0 {
		t.Fatalf("8 days before the lapse: %+v", ms)
	}
	x.daily(t, 1) // day 54: the discount holds through day 60
	ms := outbox()
	if len(ms) != 2 {
		t.Fatalf("7 days before the lapse: %d messages, want 2: %+v", len(ms), ms)
	}
	last := app.DateOf(testNow).AddDays(60).Format()
	for _, m := range ms {
		switch m.ClientID {
		case sub.ID:
			want := "Анна, ваша скидка 5\u00a0% действует до " + last + ". Ждём вас!"
			if m.Status != app.MessageQueued || m.Text != want || m.To != sub.Phone || m.Channel != app.ChannelSMS {
				t.Errorf("subscribed: %+v, want text %q", m, want)
			}
		case unsub.ID:
			if m.Status != app.MessageSkipped || m.Reason != app.SkipUnsubscribed {
				t.Errorf("unsubscribed: %+v", m)
			}
		default:
			t.Errorf("a message to %s", m.ClientID)
		}
	}
	x.daily(t, 1)
	if n := len(outbox()); n != 2 {
		t.Fatalf("a re-run queued again: %d", n)
	}
	// Closed from day 56 to 66: Vera's window (days 64…70) is caught up at
	// start; Anna's discount has lapsed by then and nothing new is queued.
	x.daily(t, 11)
	ms = outbox()
	if len(ms) != 3 || ms[0].ClientID != late.ID {
		t.Fatalf("after the closed days: %+v", ms)
	}
	if x.discount(t, sub.ID) != 0 {
		t.Fatal("Anna's discount did not lapse")
	}
	// Cancelling a queued message; a cancelled one cannot be cancelled again.
	if err := x.l.CancelMessage(x.ctx, ms[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := x.l.CancelMessage(x.ctx, ms[0].ID); !errors.Is(err, app.ErrNotFound) {
		t.Fatalf("cancel twice: %v", err)
	}
}

// LR-06, GR-04: the result never depends on the order the rules were edited
// in; promotion is computed on spend, never on the bonus balance.
func TestRuleOrderAndBalanceDoNotMatter(t *testing.T) {
	x := newLoyal(t)
	r := x.seed004()
	cs := make([]app.Client, 6)
	for i := range cs {
		cs[i] = x.guest(t, "+7916117000"+string(rune('1'+i)), "")
		for range i * 5 {
			x.buy(t, cs[i].ID, int64(i)*1_000_00+1)
		}
	}
	state := func() [][]string {
		var s [][]string
		for _, c := range cs {
			g := x.get(t, c.ID)
			s = append(s, append([]string{g.ClassID, string(rune(g.DiscountBP))}, x.categories(t, c.ID)...))
		}
		return s
	}
	x.save(t, r)
	first := state()
	rev := r
	slices.Reverse(rev.Discounts)
	slices.Reverse(rev.Classes)
	slices.Reverse(rev.Categories)
	x.save(t, rev)
	if second := state(); !slices.EqualFunc(first, second, slices.Equal) {
		t.Fatalf("reversed rules give %v, want %v", second, first)
	}
	groups := app.NewGroups(x.store, x.clock)
	if _, err := groups.Save(x.ctx, app.Group{Name: "Старт", SpendFrom: 100_00, AutoMove: true}); err != nil {
		t.Fatal(err)
	}
	rich := x.guest(t, "+79161179999", "")
	x.accrue(t, rich.ID, 1_000_000_00)
	if _, err := x.l.ApplyClient(x.ctx, rich.ID); err != nil {
		t.Fatal(err)
	}
	if g := x.get(t, rich.ID); g.GroupID != "" || g.DiscountBP != 0 || g.ClassID != "" {
		t.Fatalf("a balance with no spend moved the client: %+v", g)
	}
}

// The editor's check: rules that cannot work are refused naming the rule and
// the field; rules that never decide anything are warned about.
func TestCheckRules(t *testing.T) {
	x := newLoyal(t)
	bad := app.Rules{
		Discounts: []app.DiscountRule{{ID: "d1", Measure: app.MeasureAbsentDays, From: 5, DiscountBP: 500},
			{ID: "d2", Measure: app.MeasureSold, From: -1, DiscountBP: 10001}},
		Categories:        []app.CategoryRule{{ID: "k1", CategoryID: "gone", Add: true, Measure: app.MeasureSold}},
		Warning:           app.LapseWarning{Days: 70, Template: "{name}: {discunt}"},
		DiscountLapseDays: 60,
	}
	_, err := x.l.Check(x.ctx, bad)
	var ve *app.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("bad rules: %v", err)
	}
	want := map[[2]string]string{{"d1", app.FieldMeasure}: app.ReasonBadValue, {"d2", app.FieldThreshold}: app.ReasonNegative,
		{"d2", app.FieldDiscount}: app.ReasonBadValue, {"k1", app.FieldCategory}: app.ReasonNotFound,
		{"", app.FieldWarningDays}: app.ReasonBadRange, {"", app.FieldTemplate}: app.ReasonBadValue}
	for _, f := range ve.Fields {
		if want[[2]string{f.Item, f.Field}] != f.Reason {
			t.Errorf("unexpected %+v", f)
		}
		delete(want, [2]string{f.Item, f.Field})
	}
	if len(want) > 0 {
		t.Errorf("missing errors: %v", want)
	}
	if _, _, err := x.l.Save(x.ctx, bad); err == nil {
		t.Fatal("bad rules saved")
	}
	if r, _ := x.l.Rules(x.ctx); len(r.Discounts) != 0 {
		t.Fatal("a refused save stored rules")
	}
	odd := app.Rules{
		Discounts: []app.DiscountRule{{ID: "big", Measure: app.MeasureSold, From: 2_000_00, DiscountBP: 700},
			{ID: "small", Measure: app.MeasureSold, From: 3_000_00, DiscountBP: 500},
			{ID: "twin", Measure: app.MeasureSold, From: 2_000_00, DiscountBP: 700}},
		Classes: []app.ClassRule{{ID: "gold", ClassID: x.gold.ID, Measure: app.MeasureVisits, From: 5},
			{ID: "bronze", ClassID: x.bronze.ID, Measure: app.MeasureVisits, From: 10}},
		Categories: []app.CategoryRule{{ID: "in", CategoryID: x.econom.ID, Add: true, Measure: app.MeasureSold, From: 5_000_00},
			{ID: "out", CategoryID: x.econom.ID, Measure: app.MeasureSold, From: 1_000_00}},
		Warning: app.LapseWarning{Days: 3, Template: "{name}"},
	}
	ws, err := x.l.Check(x.ctx, odd)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, w := range ws {
		got[w.Code+":"+w.Rule] = w.Other
	}
	for k, other := range map[string]string{app.WarnNeverApplies + ":small": "big", app.WarnDuplicate + ":twin": "big",
		app.WarnNeverApplies + ":bronze": "gold", app.WarnNeverAdded + ":in": "out", app.WarnNoLapse + ":": ""} {
		if o, ok := got[k]; !ok || o != other {
			t.Errorf("warning %s (other %q) missing: %+v", k, other, ws)
		}
	}
	if len(ws) != 5 {
		t.Errorf("%d warnings, want 5: %+v", len(ws), ws)
	}
	// The seed's own rules warn about nothing.
	if ws, err := x.l.Check(x.ctx, x.seed004()); err != nil || len(ws) != 0 {
		t.Errorf("seed 004 rules: %+v, %v", ws, err)
	}
}

// LR-07: recalculating everyone runs in batches beside the till: purchases
// made meanwhile are neither lost nor undone, and every client ends with
// what the rules give their figures.
func TestRecalculateAllBesideTheTill(t *testing.T) {
	x := newLoyal(t)
	var cs []app.Client
	for i := range 40 {
		c := x.guest(t, "+791611800"+string(rune('0'+i/10))+string(rune('0'+i%10)), "")
		x.buy(t, c.ID, int64(i)*200_00+100)
		cs = append(cs, c)
	}
	if _, _, err := x.l.Save(x.ctx, x.seed004()); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i, c := range cs {
			if i%3 == 0 {
				if _, err := x.purchases.Record(x.ctx, app.PurchaseInput{ClientID: c.ID, Amount: 3_000_00}); err != nil {
					t.Error(err)
				}
			}
		}
	}()
	var steps []app.RecalcProgress
	p, err := x.l.RecalculateAll(x.ctx, func(p app.RecalcProgress) { steps = append(steps, p) })
	wg.Wait()
	if err != nil || p.Done < len(cs) || len(steps) == 0 {
		t.Fatalf("recalc %+v (%d steps): %v", p, len(steps), err)
	}
	for _, c := range cs {
		e, err := x.l.Explain(x.ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if e.Pending {
			t.Errorf("client with %d sold: stored %+v differs from the rules' %d %q", e.Subject.Sold, e.Subject, e.DiscountBP, e.ClassID)
		}
		want := int64(0)
		if e.Subject.Sold >= 5_000_00 {
			want = 500
		}
		if d := x.discount(t, c.ID); d != want {
			t.Errorf("sold %d: discount %d, want %d", e.Subject.Sold, d, want)
		}
	}
}

// Issue 6 item 7: the explanation names the rule and the figure behind the
// discount, the class, the categories and the lapse day.
func TestExplain(t *testing.T) {
	x := newLoyal(t)
	r := x.save(t, x.seed004())
	c := x.guest(t, "+79161190001", "")
	x.buy(t, c.ID, 25_000_00)
	e, err := x.l.Explain(x.ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if e.DiscountBy != app.SourceRule || e.DiscountRule != r.Discounts[0].ID || e.DiscountBP != 500 {
		t.Errorf("discount: %s %q %d", e.DiscountBy, e.DiscountRule, e.DiscountBP)
	}
	if e.ClassBy != app.SourceRule || e.ClassID != x.bronze.ID || e.Figures.Sold != 25_000_00 {
		t.Errorf("class: %s %q, figures %+v", e.ClassBy, e.ClassID, e.Figures)
	}
	if want := app.DateOf(testNow).AddDays(60); e.LapseOn != want {
		t.Errorf("lapse on %v, want %v", e.LapseOn, want)
	}
	if e.Added[x.standard.ID] == "" || e.Removed[x.econom.ID] == "" || len(e.CategoryRules) != 2 {
		t.Errorf("categories: added %v removed %v rules %+v", e.Added, e.Removed, e.CategoryRules)
	}
	if e.Pending || e.PromotionBase != app.BaseSold || e.Spend != 25_000_00 {
		t.Errorf("pending %v, base %s, spend %d", e.Pending, e.PromotionBase, e.Spend)
	}
	x.clock.Advance(61 * day)
	if e, err = x.l.Explain(x.ctx, c.ID); err != nil || e.DiscountBy != app.SourceLapse || !e.Pending || e.Absent != 61 {
		t.Errorf("after 61 days: %s pending %v absent %d, %v", e.DiscountBy, e.Pending, e.Absent, err)
	}
}
