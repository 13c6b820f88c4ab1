package app_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"loyaltydesk/app"
)

// A property of the ledger (BN-02, BN-08, PU-05): for random sequences of
// purchases (with points paid), refunds, holds, cancels, manual operations,
// expiry and abandoned holds, every balance equals the sum of its entries,
// every lot's rest equals its amount less its draws, and no balance or held
// amount is ever negative. Refused operations change nothing.
func TestLedgerProperty(t *testing.T) {
	seeds := []uint64{1, 2, 3}
	steps := 150
	if testing.Short() {
		seeds, steps = seeds[:1], 60
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { ledgerProperty(t, seed, steps) })
	}
}

func ledgerProperty(t *testing.T, seed uint64, steps int) {
	m := newMoney(t)
	mn := m.menu(t)
	r := rand.New(rand.NewPCG(seed, seed*7919))
	types, _ := m.ledger.AccountTypes(m.ctx)
	def := types[0]
	def.ExpiryDays = 20
	if _, err := m.ledger.SaveAccountType(m.ctx, def); err != nil {
		t.Fatal(err)
	}
	var guests []app.Client
	for i := range 4 {
		group := mn.regulars
		if i == 3 {
			group = ""
		}
		guests = append(guests, m.guest(t, fmt.Sprintf("+7916555000%d", i), group))
	}
	products := []app.Product{mn.cappuccino, mn.latte, mn.bun}
	var sales []app.Purchase
	var open []app.Order
	counts := map[string]int{}
	for step := range steps {
		c := guests[r.IntN(len(guests))]
		var op string
		var err error
		switch k := r.IntN(10); {
		case k < 3: // a purchase, maybe paying with points
			in := app.PurchaseInput{ClientID: c.ID, DiscountBP: []int{0, 500, 1000}[r.IntN(3)]}
			for range 1 + r.IntN(4) {
				l := line(products[r.IntN(len(products))], int64(1+r.IntN(3)))
				l.Voided = r.IntN(8) == 0
				in.Lines = append(in.Lines, l)
			}
			if q, qerr := m.purchases.Preview(m.ctx, in); qerr == nil && q.PayCap > 0 {
				in.BonusPay = r.Int64N(q.PayCap + 1)
			}
			var p app.Purchase
			op = "sale"
			if p, err = m.purchases.Record(m.ctx, in); err == nil {
				sales = append(sales, p)
			}
		case k < 5 && len(sales) > 0: // a refund of some lines
			s := sales[r.IntN(len(sales))]
			full, gerr := m.purchases.Get(m.ctx, s.ID)
			if gerr != nil {
				t.Fatal(gerr)
			}
			in := app.RefundInput{PurchaseID: s.ID}
			for _, l := range full.Lines {
				if left := l.Quantity - l.Refunded; left > 0 && !l.Voided && r.IntN(2) == 0 {
					in.Lines = append(in.Lines, app.RefundLine{LineID: l.ID, Quantity: 1000 * (1 + r.Int64N(left/1000))})
				}
			}
			op = "refund"
			_, err = m.purchases.Refund(m.ctx, in)
		case k < 6: // an order at the till that holds points
			g, gerr := m.till.Guest(m.ctx, c.ID)
			if gerr != nil {
				t.Fatal(gerr)
			}
			o := m.till.NewOrder()
			_ = m.till.Attach(m.ctx, &o, g)
			o.Lines = []app.LineInput{line(products[r.IntN(len(products))], 2)}
			op = "hold"
			if q, qerr := m.till.Quote(m.ctx, o); qerr == nil && q.PayCap > 0 {
				err = m.till.PayWithPoints(m.ctx, &o, 1+r.Int64N(q.PayCap))
			}
			open = append(open, o)
		case k < 7 && len(open) > 0: // close or cancel an open order
			i := r.IntN(len(open))
			o := open[i]
			open = append(open[:i], open[i+1:]...)
			if r.IntN(2) == 0 {
				op = "close"
				var p app.Purchase
				if p, err = m.till.Close(m.ctx, o); err == nil {
					sales = append(sales, p)
				}
			} else {
				op = "cancel"
				err = m.till.Cancel(m.ctx, o)
			}
		case k < 9: // a manual operation
			kind := []app.AdjustKind{app.AdjustAccrue, app.AdjustDebit, app.AdjustCorrect}[r.IntN(3)]
			amount := 1 + r.Int64N(150_00)
			if kind == app.AdjustCorrect && r.IntN(2) == 0 {
				amount = -amount
			}
			m.admin, _ = m.auth.Approve(m.ctx, "4321")
			op = "manual " + string(kind)
			_, err = m.ledger.Adjust(m.ctx, m.admin, app.Adjustment{Target: app.ClientQuery{IDs: []string{c.ID}},
				Kind: kind, Amount: amount, Reason: "шаг " + fmt.Sprint(step)})
		default: // time passes: points expire, abandoned holds go back
			m.clock.Advance(time.Duration(1+r.IntN(72)) * time.Hour)
			op = "time"
			if _, err = m.ledger.ExpireDue(m.ctx); err == nil {
				_, err = m.ledger.ReleaseStale(m.ctx, app.HoldTimeout)
			}
		}
		if err != nil && !errors.Is(err, app.ErrInvalid) {
			t.Fatalf("step %d %s: %v", step, op, err)
		}
		if err == nil {
			counts[op]++
		} else {
			counts[op+" refused"]++
		}
		checkBalances(t, m, guests, fmt.Sprintf("step %d (%s)", step, op))
	}
	t.Logf("seed %d: %v", seed, counts)
}

// checkBalances recomputes every guest's balance from the entries and
// compares it with the cache and the rules.
func checkBalances(t *testing.T, m *money, guests []app.Client, when string) {
	t.Helper()
	ms, err := m.ledger.Check(m.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) > 0 {
		t.Fatalf("%s: ledger mismatches %+v", when, ms)
	}
	for _, c := range guests {
		accounts, err := m.ledger.Accounts(m.ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range accounts {
			es, err := m.ledger.History(m.ctx, app.EntryQuery{AccountID: a.ID})
			if err != nil {
				t.Fatal(err)
			}
			var posted, held int64
			for _, e := range es {
				posted += e.Amount
				held += e.Held
			}
			if posted != a.Posted || held != a.Held {
				t.Fatalf("%s: account %s caches %d/%d, entries sum to %d/%d", when, a.ID, a.Posted, a.Held, posted, held)
			}
			if held < 0 || posted < held {
				t.Fatalf("%s: account %s posted %d held %d", when, a.ID, posted, held)
			}
		}
	}
}
