package demo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"net/mail"
	"strings"
	"testing"
	"time"

	"loyaltydesk/app"
)

var testNow = time.Date(2026, 11, 23, 15, 30, 0, 0, time.UTC)

// recorder is a Sink that keeps everything and checks the order rules.
type recorder struct {
	t          *testing.T
	categories []app.ProductCategory
	products   []app.Product
	clients    []app.Client
	ids        map[string][]app.Identifier // by client id
	purchases  []app.Purchase
	seen       map[string]bool // client ids received so far
	refs       map[app.RefKind][]app.Ref
	tags       []app.Tag
}

func newRecorder(t *testing.T) *recorder {
	return &recorder{t: t, ids: map[string][]app.Identifier{}, seen: map[string]bool{}, refs: map[app.RefKind][]app.Ref{}}
}

func (r *recorder) Categories(cs []app.ProductCategory) error {
	r.categories = append(r.categories, cs...)
	return nil
}

func (r *recorder) Products(ps []app.Product) error {
	if len(r.categories) == 0 {
		r.t.Error("products before categories")
	}
	r.products = append(r.products, ps...)
	return nil
}

func (r *recorder) Refs(kind app.RefKind, refs []app.Ref, at time.Time, node string) error {
	if len(r.products) == 0 || len(r.clients) > 0 {
		r.t.Errorf("%s refs after clients or before products", kind)
	}
	if at.IsZero() || node == "" {
		r.t.Errorf("%s refs made at %v by %q", kind, at, node)
	}
	r.refs[kind] = append(r.refs[kind], refs...)
	return nil
}

func (r *recorder) Tags(ts []app.Tag) error {
	if len(r.products) == 0 || len(r.clients) > 0 {
		r.t.Error("tags after clients or before products")
	}
	r.tags = append(r.tags, ts...)
	return nil
}

func (r *recorder) Client(c app.Client, ids []app.Identifier) error {
	if len(r.products) == 0 || len(r.tags) == 0 || len(r.refs[app.RefGroup]) == 0 {
		r.t.Error("client before products, groups or tags")
	}
	if c.ReferrerID != "" && !r.seen[c.ReferrerID] {
		r.t.Errorf("client %s arrives before their referrer %s", c.ID, c.ReferrerID)
	}
	r.seen[c.ID] = true
	r.clients = append(r.clients, c)
	r.ids[c.ID] = ids
	return nil
}

func (r *recorder) Purchase(p app.Purchase) error {
	if !r.seen[p.ClientID] {
		r.t.Errorf("purchase %s arrives before its client %s", p.Number, p.ClientID)
	}
	r.purchases = append(r.purchases, p)
	return nil
}

// hasher is a Sink that hashes every row it receives.
type hasher struct{ h hash.Hash }

func (s hasher) Categories(cs []app.ProductCategory) error { return s.write(cs) }
func (s hasher) Products(ps []app.Product) error           { return s.write(ps) }
func (s hasher) Client(c app.Client, ids []app.Identifier) error {
	return s.write(c, ids)
}
func (s hasher) Purchase(p app.Purchase) error { return s.write(p) }
func (s hasher) Refs(kind app.RefKind, refs []app.Ref, at time.Time, node string) error {
	return s.write(kind, refs, at, node)
}
func (s hasher) Tags(ts []app.Tag) error { return s.write(ts) }

func (s hasher) write(v ...any) error {
	_, err := fmt.Fprintf(s.h, "%#v\n", v)
	return err
}

func generate(t *testing.T, n int, seed int64) *recorder {
	t.Helper()
	r := newRecorder(t)
	var last [2]int
	err := Generate(context.Background(), Options{Clients: n, Seed: seed, Now: testNow, NodeID: "node-1"}, r,
		func(done, total int) { last = [2]int{done, total} })
	if err != nil {
		t.Fatal(err)
	}
	if last != [2]int{n, n} {
		t.Errorf("last progress = %v, want %d of %d", last, n, n)
	}
	return r
}

func TestDeterministic(t *testing.T) {
	sum := func(seed int64) string {
		h := hasher{sha256.New()}
		if err := Generate(context.Background(), Options{Clients: 2000, Seed: seed, Now: testNow, NodeID: "n"}, h, nil); err != nil {
			t.Fatal(err)
		}
		return hex.EncodeToString(h.h.Sum(nil))
	}
	a, b, c := sum(7), sum(7), sum(8)
	if a != b {
		t.Errorf("the same options gave different venues: %s and %s", a, b)
	}
	if a == c {
		t.Error("different seeds gave the same venue")
	}
}

func TestClientsPassTheAppRules(t *testing.T) {
	const n = 5000
	r := generate(t, n, 1)
	if len(r.clients) != n {
		t.Fatalf("%d clients, want %d", len(r.clients), n)
	}
	today := app.DateOf(testNow.In(moscow))
	values := map[string]string{} // identifier value → client
	phones, emails := map[string]bool{}, map[string]bool{}
	var withPhone, withEmail, withBirth, withCard, withPatronymic, favorite, blocked, referred int
	for _, c := range r.clients {
		if c.ID == "" || c.NodeID != "node-1" || c.CreatedAt.IsZero() || !c.UpdatedAt.Equal(c.CreatedAt) {
			t.Fatalf("client %+v: id, node or times missing", c)
		}
		if c.FirstName == "" || !c.Gender.Valid() || c.Gender == app.GenderUnknown {
			t.Errorf("client %s: first name %q, gender %q", c.ID, c.FirstName, c.Gender)
		}
		checkGender(t, c)
		if c.Phone != "" {
			withPhone++
			if p, err := app.NormalizePhone(c.Phone, "RU"); err != nil || p != c.Phone {
				t.Errorf("client %s: phone %q normalises to %q, %v", c.ID, c.Phone, p, err)
			}
			if !strings.HasPrefix(c.Phone, "+79") || len(c.Phone) != 12 {
				t.Errorf("client %s: phone %q is not +79XXXXXXXXX", c.ID, c.Phone)
			}
			if phones[c.Phone] {
				t.Errorf("phone %s given twice", c.Phone)
			}
			phones[c.Phone] = true
		}
		if c.Email != "" {
			withEmail++
			if a, err := mail.ParseAddress(c.Email); err != nil || a.Address != c.Email || c.Email != strings.ToLower(c.Email) {
				t.Errorf("client %s: e-mail %q is not a lower-case address (%v)", c.ID, c.Email, err)
			}
			if emails[c.Email] {
				t.Errorf("e-mail %s given twice", c.Email)
			}
			emails[c.Email] = true
		}
		if !c.BirthDate.IsZero() {
			withBirth++
			if today.Before(c.BirthDate) {
				t.Errorf("client %s: born in the future (%s)", c.ID, c.BirthDate)
			}
			if _, err := app.ParseDate(c.BirthDate.String()); err != nil {
				t.Errorf("client %s: birth date: %v", c.ID, err)
			}
			age := today.Year - c.BirthDate.Year
			if today.Month < c.BirthDate.Month || today.Month == c.BirthDate.Month && today.Day < c.BirthDate.Day {
				age--
			}
			if age < 16 || age > 80 {
				t.Errorf("client %s: aged %d", c.ID, age)
			}
		}
		if c.Patronymic != "" {
			withPatronymic++
		}
		if c.Favorite {
			favorite++
		}
		if c.Blocked {
			blocked++
			if c.BlockReason == "" {
				t.Errorf("client %s is blocked without a reason", c.ID)
			}
		}
		if c.ReferrerID != "" {
			referred++
		}
		hasPhoneID := false
		for _, idf := range r.ids[c.ID] {
			if idf.ClientID != c.ID || idf.ID == "" || idf.NodeID != "node-1" || !idf.CreatedAt.Equal(c.CreatedAt) {
				t.Errorf("client %s: identifier %+v", c.ID, idf)
			}
			if owner, ok := values[idf.Value]; ok {
				t.Errorf("identifier %s belongs to %s and %s", idf.Value, owner, c.ID)
			}
			values[idf.Value] = c.ID
			switch idf.Media {
			case app.MediaPhone:
				hasPhoneID = true
				if idf.Input != app.InputPhone || idf.Value != c.Phone {
					t.Errorf("client %s: phone identifier %+v, phone %s", c.ID, idf, c.Phone)
				}
			case app.MediaCard:
				withCard++
				if idf.Input != app.InputBarcode || !validEAN13(idf.Value) {
					t.Errorf("client %s: card %+v is not an EAN-13 barcode", c.ID, idf)
				}
			default:
				t.Errorf("client %s: identifier media %q", c.ID, idf.Media)
			}
		}
		if hasPhoneID != (c.Phone != "") {
			t.Errorf("client %s: phone %q, phone identifier %v", c.ID, c.Phone, hasPhoneID)
		}
	}
	share := func(k int) float64 { return float64(k) / n }
	for _, s := range []struct {
		what     string
		got      float64
		min, max float64
	}{
		{"phone", share(withPhone), 0.87, 0.93},
		{"e-mail", share(withEmail), 0.36, 0.44},
		{"birth date", share(withBirth), 0.82, 0.88},
		{"card", share(withCard), 0.56, 0.64},
		{"patronymic", share(withPatronymic), 0.5, 0.8},
		{"favourite", share(favorite), 0.001, 0.05},
		{"blocked", share(blocked), 0.0001, 0.01},
		{"referred", share(referred), 0.01, 0.06},
	} {
		if s.got < s.min || s.got > s.max {
			t.Errorf("share of clients with %s = %.3f, want %.2f–%.2f", s.what, s.got, s.min, s.max)
		}
	}
}

// The client base: groups and classes follow how often a guest comes, coffee
// lovers come often, tags and the other category go to a few; most who leave
// a phone or an e-mail subscribe (GR-01, GR-05, GR-06, CL-09, CL-11).
func TestClientBase(t *testing.T) {
	const n = 5000
	r := generate(t, n, 3)
	names := map[string]string{}
	for kind, want := range map[app.RefKind][]string{
		app.RefGroup:    {"Гости", "Постоянные", "VIP"},
		app.RefClass:    {"Бронза", "Серебро", "Золото"},
		app.RefCategory: {"Кофеманы", "Сладкоежки"},
	} {
		var got []string
		for _, ref := range r.refs[kind] {
			got = append(got, ref.Name)
			names[ref.ID] = ref.Name
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s refs = %v, want %v", kind, got, want)
		}
	}
	tagNames := map[string]string{}
	for _, tag := range r.tags {
		tagNames[tag.ID] = tag.Name
	}
	if len(tagNames) != 3 {
		t.Errorf("tags = %+v", r.tags)
	}
	bought := map[string]int{}
	for _, p := range r.purchases {
		bought[p.ClientID]++
	}
	count := map[string]int{}
	var sms, phones, mails, emails int
	for _, c := range r.clients {
		k := bought[c.ID]
		group, class := names[c.GroupID], names[c.ClassID]
		wantGroup, wantClass := "Гости", ""
		switch {
		case k >= 100:
			wantGroup, wantClass = "VIP", "Золото"
		case k >= 30:
			wantGroup, wantClass = "VIP", "Серебро"
		case k >= 10:
			wantGroup, wantClass = "Постоянные", "Бронза"
		case k >= 3:
			wantGroup = "Постоянные"
		}
		if group != wantGroup || class != wantClass {
			t.Errorf("client %s buys %d times: group %q, class %q; want %q, %q", c.ID, k, group, class, wantGroup, wantClass)
		}
		count[group]++
		for _, cat := range c.CategoryIDs {
			count[names[cat]]++
			if names[cat] == "Кофеманы" && k < 5 {
				t.Errorf("client %s buys %d times and is a coffee lover", c.ID, k)
			}
		}
		for _, tag := range c.Tags {
			if tagNames[tag.ID] != tag.Name {
				t.Errorf("client %s: tag %+v was not sent", c.ID, tag)
			}
			count[tag.Name]++
		}
		if c.Phone != "" {
			phones++
			if c.SMSSubscribed {
				sms++
			}
		} else if c.SMSSubscribed {
			t.Errorf("client %s subscribes to SMS without a phone", c.ID)
		}
		if c.Email != "" {
			mails++
			if c.EmailSubscribed {
				emails++
			}
		} else if c.EmailSubscribed {
			t.Errorf("client %s subscribes to e-mail without an address", c.ID)
		}
	}
	for _, s := range []struct {
		what     string
		got      float64
		min, max float64
	}{
		{"Гости", float64(count["Гости"]) / n, 0.6, 0.9},
		{"VIP", float64(count["VIP"]) / n, 0.005, 0.1},
		{"Кофеманы", float64(count["Кофеманы"]) / n, 0.02, 0.2},
		{"Сладкоежки", float64(count["Сладкоежки"]) / n, 0.06, 0.10},
		{"из Instagram", float64(count["из Instagram"]) / n, 0.045, 0.075},
		{"веган", float64(count["веган"]) / n, 0.01, 0.03},
		{"день рождения в офисе", float64(count["день рождения в офисе"]) / n, 0.001, 0.01},
		{"SMS of those with a phone", float64(sms) / float64(phones), 0.8, 0.9},
		{"e-mail of those with an address", float64(emails) / float64(mails), 0.64, 0.76},
	} {
		if s.got < s.min || s.got > s.max {
			t.Errorf("share %s = %.3f, want %.3f–%.3f", s.what, s.got, s.min, s.max)
		}
	}
}

// checkGender checks that the surname and patronymic agree with the gender.
func checkGender(t *testing.T, c app.Client) {
	t.Helper()
	if c.Patronymic != "" {
		male := strings.HasSuffix(c.Patronymic, "ич")
		female := strings.HasSuffix(c.Patronymic, "на")
		if c.Gender == app.GenderMale && !male || c.Gender == app.GenderFemale && !female {
			t.Errorf("client %s: %s with patronymic %s", c.ID, c.Gender, c.Patronymic)
		}
	}
	if c.LastName == "" {
		return
	}
	for _, suffix := range []string{"ов", "ев", "ёв", "ин", "ский", "цкий", "ой"} {
		if c.Gender == app.GenderFemale && strings.HasSuffix(c.LastName, suffix) {
			t.Errorf("client %s: woman with a man's surname %s", c.ID, c.LastName)
		}
	}
	for _, suffix := range []string{"ова", "ева", "ёва", "ина", "ская", "цкая", "ая"} {
		if c.Gender == app.GenderMale && strings.HasSuffix(c.LastName, suffix) {
			t.Errorf("client %s: man with a woman's surname %s", c.ID, c.LastName)
		}
	}
}

func validEAN13(s string) bool {
	if len(s) != 13 || strings.Trim(s, "0123456789") != "" {
		return false
	}
	return ean13(s[:12]) == s
}

func TestFeminine(t *testing.T) {
	for male, female := range map[string]string{
		"Иванов": "Иванова", "Соловьёв": "Соловьёва", "Ильин": "Ильина", "Успенский": "Успенская",
		"Высоцкий": "Высоцкая", "Толстой": "Толстая", "Черных": "Черных", "Шевченко": "Шевченко", "Ким": "Ким",
	} {
		if got := feminine(male); got != female {
			t.Errorf("feminine(%s) = %s, want %s", male, got, female)
		}
	}
}

func TestTranslit(t *testing.T) {
	for ru, lat := range map[string]string{
		"Юлия": "yuliya", "Щербаков": "shcherbakov", "Фёдор": "fedor", "Наталья": "natalya", "Хомяков": "khomyakov",
	} {
		if got := translit(ru); got != lat {
			t.Errorf("translit(%s) = %s, want %s", ru, got, lat)
		}
	}
}

func TestPurchases(t *testing.T) {
	const n = 5000
	r := generate(t, n, 3)
	if len(r.categories) < 3 || len(r.products) < 18 {
		t.Fatalf("%d categories, %d products", len(r.categories), len(r.products))
	}
	names := map[string]bool{}
	for _, c := range r.categories {
		names[c.Name] = true
	}
	for _, want := range []string{"Кофе", "Салаты", "Десерты"} {
		if !names[want] {
			t.Errorf("no category %q", want)
		}
	}
	products := map[string]app.Product{}
	for _, p := range r.products {
		products[p.ID] = p
		if p.Name == "Капучино" && p.Price != 22000 {
			t.Errorf("a cappuccino costs %d kopecks", p.Price)
		}
	}
	created := map[string]time.Time{}
	for _, c := range r.clients {
		created[c.ID] = c.CreatedAt
	}
	first := testNow.In(moscow).AddDate(-2, 0, -1)
	numbers := map[string]bool{}
	perClient := map[string]int{}
	var lines, coffee, discounted int
	prev := time.Time{}
	for _, p := range r.purchases {
		if numbers[p.Number] {
			t.Errorf("receipt number %s twice", p.Number)
		}
		numbers[p.Number] = true
		perClient[p.ClientID]++
		if p.OccurredAt.Before(prev) {
			t.Errorf("receipt %s comes out of time order", p.Number)
		}
		prev = p.OccurredAt
		if !p.OccurredAt.After(created[p.ClientID]) {
			t.Errorf("receipt %s at %v, before its client registered at %v", p.Number, p.OccurredAt, created[p.ClientID])
		}
		at := p.OccurredAt.In(moscow)
		if at.Before(first) || !at.Before(testNow) || at.Hour() < 8 || at.Hour() >= 22 {
			t.Errorf("receipt %s at %v (Moscow), outside the two years or the opening hours", p.Number, at)
		}
		if len(p.Lines) < 1 || len(p.Lines) > 4 {
			t.Errorf("receipt %s has %d lines", p.Number, len(p.Lines))
		}
		var sold int64
		for i, l := range p.Lines {
			pr, ok := products[l.ProductID]
			if !ok || l.CategoryID != pr.CategoryID || l.Name != pr.Name || l.Price != pr.Price || l.Position != i+1 || l.ID == "" {
				t.Errorf("receipt %s line %+v does not match product %+v", p.Number, l, pr)
			}
			if l.Quantity <= 0 || l.Quantity%1000 != 0 || l.Amount != l.Price*l.Quantity/1000 {
				t.Errorf("receipt %s line %+v: quantity or amount", p.Number, l)
			}
			if l.CategoryID == r.categories[0].ID {
				coffee++
			}
			sold += l.Amount
			lines++
		}
		if p.Sold != sold || p.Paid != p.Sold-p.Discount || p.Discount < 0 || p.Discount > p.Sold/10+1 {
			t.Errorf("receipt %s: sold %d (lines %d), discount %d, paid %d", p.Number, p.Sold, sold, p.Discount, p.Paid)
		}
		if p.Discount > 0 {
			discounted++
		}
		if p.BonusSpent != 0 || p.BonusAccrued != 0 {
			t.Errorf("receipt %s moves bonuses", p.Number)
		}
	}
	avg := float64(len(r.purchases)) / n
	if avg < 2.5 || avg > 3.6 {
		t.Errorf("%.2f purchases per client, want about 3", avg)
	}
	if coffee*3 < lines {
		t.Errorf("only %d of %d lines are coffee", coffee, lines)
	}
	if discounted == 0 || discounted > len(r.purchases)/5 {
		t.Errorf("%d of %d receipts discounted", discounted, len(r.purchases))
	}
	few, most := 0, 0
	for _, c := range r.clients {
		k := perClient[c.ID]
		if k <= 3 {
			few++
		}
		most = max(most, k)
	}
	if few < n*3/4 {
		t.Errorf("only %d of %d clients buy 0–3 times", few, n)
	}
	if most < 50 {
		t.Errorf("the best regular buys only %d times", most)
	}
}

func TestOptions(t *testing.T) {
	ctx := context.Background()
	for _, opt := range []Options{
		{Clients: -1, Now: testNow, NodeID: "n"},
		{Clients: 1},
		{Clients: 1, Now: testNow},
	} {
		if err := Generate(ctx, opt, newRecorder(t), nil); err == nil {
			t.Errorf("Generate(%+v) accepted", opt)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := Generate(cancelled, Options{Clients: 100, Now: testNow, NodeID: "n"}, newRecorder(t), nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled Generate = %v", err)
	}
	r := generate(t, 0, 1)
	if len(r.clients) != 0 || len(r.products) == 0 {
		t.Errorf("empty venue: %d clients, %d products", len(r.clients), len(r.products))
	}
}

// failing stops after a number of clients.
type failing struct {
	*recorder
	left int
}

var errFull = errors.New("full")

func (f *failing) Client(c app.Client, ids []app.Identifier) error {
	if f.left == 0 {
		return errFull
	}
	f.left--
	return f.recorder.Client(c, ids)
}

func TestSinkError(t *testing.T) {
	err := Generate(context.Background(), Options{Clients: 100, Now: testNow, NodeID: "n"}, &failing{newRecorder(t), 10}, nil)
	if !errors.Is(err, errFull) {
		t.Errorf("Generate = %v, want the sink's error", err)
	}
}

func TestPermIsBijective(t *testing.T) {
	p := newPerm(1000, newGenerator(Options{Now: testNow}).rng)
	seen := map[uint64]bool{}
	for i := range uint64(1000) {
		v := p.apply(i)
		if v >= 1000 || seen[v] {
			t.Fatalf("apply(%d) = %d, out of range or repeated", i, v)
		}
		seen[v] = true
	}
}
