package db

// Tests of the client list's filters, orders and checked sets (CL-12, CL-13,
// CL-14) against a real file: every query is checked against a plain Go model
// of the same clients.

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"loyaltydesk/app"
)

// baseToday is the day ages are counted on in these tests.
var baseToday = app.Date{Year: 2026, Month: time.March, Day: 15}

// baseFixture is a small client base with every kind of value a filter looks
// at, and the model of who is in which tag and category.
type baseFixture struct {
	s       *Store
	path    string
	clients []app.Client // live ones, as stored
	deleted app.Client
	groups  []string // ids: 0 Гости, 1 VIP
	classes []string
	cats    []string                   // ids: 0 Кофеманы, 1 Сладкоежки (deleted later)
	tags    []string                   // ids: 0 веган, 1 из Instagram, 2 old (deleted later)
	tagged  map[string]map[string]bool // tag id → client ids
	members map[string]map[string]bool // category id → client ids
	liveCat map[string]bool
	liveTag map[string]bool
}

var (
	baseSurnames = []string{"Иванов", "Иванова", "Петров", "Смирнова", "Кузнецов", "Ивашкин", "Орлова", ""}
	baseFirst    = []string{"Анна", "Иван", "Борис", "Вера", "Ивона", "Глеб"}
)

// newBaseFixture stores 90 clients with values drawn from a fixed seed, a few
// of them on the edges the filters care about.
func newBaseFixture(t *testing.T) *baseFixture {
	t.Helper()
	path := tempPath(t)
	f := &baseFixture{s: openAt(t, path), path: path, tagged: map[string]map[string]bool{},
		members: map[string]map[string]bool{}, liveCat: map[string]bool{}, liveTag: map[string]bool{}}
	ctx := context.Background()
	node := f.s.NodeID()
	r := rand.New(rand.NewPCG(4, 2))
	at := testNow
	ref := func(tx app.Tx, kind app.RefKind, name string) string {
		id := app.NewID()
		if err := tx.InsertRef(ctx, kind, app.Ref{ID: id, Name: name}, at, node); err != nil {
			t.Fatal(err)
		}
		return id
	}
	err := f.s.Update(ctx, func(tx app.Tx) error {
		f.groups = []string{ref(tx, app.RefGroup, "Гости"), ref(tx, app.RefGroup, "VIP")}
		f.classes = []string{ref(tx, app.RefClass, "Бронза"), ref(tx, app.RefClass, "Золото")}
		f.cats = []string{ref(tx, app.RefCategory, "Кофеманы"), ref(tx, app.RefCategory, "Сладкоежки")}
		for _, name := range []string{"веган", "из Instagram", "старый"} {
			tag := app.Tag{ID: app.NewID(), Name: name, CreatedAt: at, UpdatedAt: at, NodeID: node}
			if err := tx.InsertTag(ctx, tag); err != nil {
				return err
			}
			f.tags = append(f.tags, tag.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range f.tags {
		f.tagged[id] = map[string]bool{}
		f.liveTag[id] = true
	}
	for _, id := range f.cats {
		f.members[id] = map[string]bool{}
		f.liveCat[id] = true
	}
	local := func(y int, m time.Month, d, h, min, sec, ms int) time.Time {
		return time.Date(y, m, d, h, min, sec, ms*1e6, time.Local).UTC()
	}
	births := []app.Date{
		{}, {Year: 2000, Month: time.March, Day: 15}, {Year: 2000, Month: time.March, Day: 16},
		{Year: 1999, Month: time.December, Day: 20}, {Year: 1990, Month: time.January, Day: 10},
		{Year: 1988, Month: time.December, Day: 31}, {Year: 1996, Month: time.February, Day: 29},
		{Year: 1985, Month: time.January, Day: 1}, {Year: 1970, Month: time.July, Day: 7},
		{Year: 2008, Month: time.March, Day: 14},
	}
	lastVisits := []time.Time{
		{}, local(2026, time.March, 10, 23, 59, 59, 999), local(2026, time.March, 11, 0, 0, 0, 0),
		local(2026, time.March, 1, 12, 0, 0, 0), local(2025, time.December, 31, 21, 30, 0, 0),
		local(2026, time.January, 1, 0, 0, 0, 0),
	}
	for i := range 91 {
		c := app.Client{
			ID: app.NewID(), FirstName: baseFirst[r.IntN(len(baseFirst))], LastName: baseSurnames[r.IntN(len(baseSurnames))],
			CreatedAt: at.Add(time.Duration(r.IntN(100_000)) * time.Second), NodeID: node,
		}
		c.UpdatedAt = c.CreatedAt
		if r.IntN(4) > 0 {
			c.Phone = fmt.Sprintf("+7916%07d", r.IntN(10_000_000))
		}
		c.Gender = []app.Gender{app.GenderMale, app.GenderFemale, app.GenderUnknown}[r.IntN(3)]
		c.BirthDate = births[r.IntN(len(births))]
		if v := r.IntN(5); v > 0 {
			c.Stats.Visits = int64(v * v)
			c.Stats.Sold = int64(r.IntN(5)) * 50_000
			c.Stats.Paid = c.Stats.Sold - int64(r.IntN(3))*10_000
			c.Stats.LastVisit = lastVisits[1+r.IntN(len(lastVisits)-1)]
			c.Stats.FirstVisit = c.Stats.LastVisit.Add(-time.Duration(r.IntN(1000)) * time.Hour)
		}
		if g := r.IntN(3); g < 2 {
			c.GroupID = f.groups[g]
		}
		if g := r.IntN(3); g < 2 {
			c.ClassID = f.classes[g]
		}
		c.SMSSubscribed, c.EmailSubscribed = r.IntN(2) == 0, r.IntN(3) == 0
		c.Blocked, c.Favorite = r.IntN(6) == 0, r.IntN(4) == 0
		if c.Blocked {
			c.BlockReason = "долг"
		}
		if i == 90 {
			f.deleted = c
		}
		insertClient(t, f.s, c)
		if i < 90 {
			f.clients = append(f.clients, c)
		}
	}
	// Tags and categories, through the store's own methods.
	err = f.s.Update(ctx, func(tx app.Tx) error {
		for _, c := range append(slices.Clone(f.clients), f.deleted) {
			for _, tag := range f.tags {
				if r.IntN(3) == 0 {
					if _, err := tx.TagClients(ctx, app.ClientSelect{IDs: []string{c.ID}}, tag, at, node); err != nil {
						return err
					}
					f.tagged[tag][c.ID] = true
				}
			}
			for _, cat := range f.cats {
				if r.IntN(3) == 0 {
					if err := tx.AddToCategory(ctx, c.ID, cat, at, node); err != nil {
						return err
					}
					f.members[cat][c.ID] = true
				}
			}
		}
		return tx.DeleteClient(ctx, f.deleted.ID, at, node)
	})
	if err != nil {
		t.Fatal(err)
	}
	// A deleted tag and category no longer count as having one.
	raw := rawDB(t, path)
	if _, err := raw.Exec(`UPDATE tags SET deleted_at = ? WHERE id = ?`, formatTime(at), f.tags[2]); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE client_categories SET deleted_at = ? WHERE id = ?`, formatTime(at), f.cats[1]); err != nil {
		t.Fatal(err)
	}
	f.liveTag[f.tags[2]], f.liveCat[f.cats[1]] = false, false
	return f
}

// match is the model of ClientFilter: whether c passes f on day today.
func (f *baseFixture) match(c app.Client, flt app.ClientFilter, today app.Date) bool {
	switch flt.Gender {
	case app.GenderIsUnknown:
		if c.Gender != app.GenderUnknown {
			return false
		}
	case app.GenderIsMale, app.GenderIsFemale:
		if string(c.Gender) != string(flt.Gender) {
			return false
		}
	}
	if flt.AgeFrom != nil || flt.AgeTo != nil {
		if c.BirthDate.IsZero() {
			return false
		}
		age := today.Year - c.BirthDate.Year
		if today.Month < c.BirthDate.Month || today.Month == c.BirthDate.Month && today.Day < c.BirthDate.Day {
			age--
		}
		if flt.AgeFrom != nil && age < *flt.AgeFrom || flt.AgeTo != nil && age > *flt.AgeTo {
			return false
		}
	}
	in := func(v int64, from, to *int64) bool {
		return (from == nil || v >= *from) && (to == nil || v <= *to)
	}
	if !in(c.Stats.Visits, flt.VisitsFrom, flt.VisitsTo) || !in(c.Stats.Sold, flt.SoldFrom, flt.SoldTo) ||
		!in(c.Stats.Paid, flt.PaidFrom, flt.PaidTo) {
		return false
	}
	if !flt.LastVisitFrom.IsZero() || !flt.LastVisitTo.IsZero() {
		if c.Stats.LastVisit.IsZero() {
			return false
		}
		day := app.DateOf(c.Stats.LastVisit.In(time.Local))
		if !flt.LastVisitFrom.IsZero() && day.Before(flt.LastVisitFrom) || !flt.LastVisitTo.IsZero() && flt.LastVisitTo.Before(day) {
			return false
		}
	}
	ref := func(have, want string) bool {
		return want == "" || want == app.NoneID && have == "" || want == have
	}
	if !ref(c.GroupID, flt.GroupID) || !ref(c.ClassID, flt.ClassID) {
		return false
	}
	member := func(want string, lists map[string]map[string]bool, live map[string]bool) bool {
		switch want {
		case "":
			return true
		case app.NoneID:
			for id, list := range lists {
				if live[id] && list[c.ID] {
					return false
				}
			}
			return true
		}
		return lists[want][c.ID]
	}
	if !member(flt.TagID, f.tagged, f.liveTag) || !member(flt.CategoryID, f.members, f.liveCat) {
		return false
	}
	if !flt.BirthdayFrom.IsZero() || !flt.BirthdayTo.IsZero() {
		if c.BirthDate.IsZero() {
			return false
		}
		md, from, to := app.MonthDayOf(c.BirthDate), cmp.Or(flt.BirthdayFrom, 101), cmp.Or(flt.BirthdayTo, 1231)
		if from <= to && (md < from || md > to) || from > to && md < from && md > to {
			return false
		}
	}
	tri := func(v bool, t app.Tri) bool { return t == app.Any || (t == app.Yes) == v }
	return tri(c.SMSSubscribed, flt.SMS) && tri(c.EmailSubscribed, flt.Email) && tri(c.Blocked, flt.Blocked) &&
		tri(c.Favorite, flt.Favorite)
}

// textMatch is the model of the search text: which part of a name-ordered
// search lists c (1–3), or 0.
func textMatch(c app.Client, k app.SearchKeys) int {
	switch {
	case k.IsEmpty():
		return 1
	case strings.HasPrefix(app.NameKey(c), k.Name):
		return 1
	case strings.HasPrefix(app.FirstNameKey(c), k.Name):
		return 2
	case k.Digits != "" && c.Phone != "" && strings.HasPrefix(app.ReversedDigits(c.Phone), k.Digits),
		k.Phone != "" && c.Phone != "" && strings.HasPrefix(c.Phone, k.Phone),
		c.Phone != "" && strings.HasPrefix(c.Phone, k.Raw): // the phone identifier
		return 3
	}
	return 0
}

// want returns the ids sel should list, in order.
func (f *baseFixture) want(sel app.ClientSelect) []string {
	type row struct {
		c    app.Client
		part int
	}
	var rows []row
	var ids map[string]bool
	if sel.IDs != nil {
		ids = map[string]bool{}
		for _, id := range sel.IDs {
			ids[id] = true
		}
	}
	for _, c := range f.clients {
		part := textMatch(c, sel.Keys)
		if part == 0 || !f.match(c, sel.Filter, sel.Today) || ids != nil && !ids[c.ID] {
			continue
		}
		rows = append(rows, row{c, part})
	}
	key := func(c app.Client) (string, int64, bool) {
		switch sel.Sort {
		case app.SortCreated:
			return formatTime(c.CreatedAt), 0, false
		case app.SortLastVisit:
			return formatTime(c.Stats.LastVisit), 0, c.Stats.LastVisit.IsZero()
		case app.SortVisits:
			return "", c.Stats.Visits, false
		case app.SortSold:
			return "", c.Stats.Sold, false
		case app.SortPaid:
			return "", c.Stats.Paid, false
		}
		return app.NameKey(c), 0, false
	}
	slices.SortFunc(rows, func(a, b row) int {
		if sel.Sort == app.SortName && !sel.Desc && !sel.Keys.IsEmpty() {
			if a.part != b.part {
				return a.part - b.part
			}
			if a.part == 2 {
				return cmp.Or(strings.Compare(app.FirstNameKey(a.c), app.FirstNameKey(b.c)), strings.Compare(a.c.ID, b.c.ID))
			}
		}
		as, an, anull := key(a.c)
		bs, bn, bnull := key(b.c)
		if anull != bnull { // never came: last either way
			if anull {
				return 1
			}
			return -1
		}
		d := cmp.Or(strings.Compare(as, bs), cmp.Compare(an, bn), strings.Compare(a.c.ID, b.c.ID))
		if sel.Desc {
			return -d
		}
		return d
	})
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.c.ID
	}
	return out
}

// diff describes how got differs from want, briefly.
func diff(got, want []string) string {
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			return fmt.Sprintf("%d rows, want %d; first difference at %d: %s, want %s", len(got), len(want), i, got[i], want[i])
		}
	}
	return fmt.Sprintf("%d rows, want %d", len(got), len(want))
}

func idsOf(cs []app.Client) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

// check compares every way of reading sel with the model: the count, one
// page, pages of 4 (across the parts of a search), pages of one, and the
// stream.
func (f *baseFixture) check(t *testing.T, name string, sel app.ClientSelect) {
	t.Helper()
	ctx := context.Background()
	want := f.want(sel)
	if n, err := f.s.CountClients(ctx, sel); err != nil || n != len(want) {
		t.Errorf("%s: CountClients = %d, %v; want %d", name, n, err, len(want))
	}
	all, err := f.s.SearchClients(ctx, sel, 0, 1000)
	if err != nil {
		t.Fatalf("%s: SearchClients: %v", name, err)
	}
	if got := idsOf(all); !slices.Equal(got, want) {
		t.Errorf("%s: SearchClients: %s", name, diff(got, want))
	}
	for _, size := range []int{4, 1} {
		var paged []string
		for off := 0; off <= len(want); off += size {
			page, err := f.s.SearchClients(ctx, sel, off, size)
			if err != nil {
				t.Fatalf("%s: SearchClients(%d, %d): %v", name, off, size, err)
			}
			if len(page) > size {
				t.Fatalf("%s: page of %d has %d rows", name, size, len(page))
			}
			paged = append(paged, idsOf(page)...)
		}
		if !slices.Equal(paged, want) {
			t.Errorf("%s: pages of %d: %s", name, size, diff(paged, want))
		}
	}
	var streamed []string
	if err := f.s.EachClient(ctx, sel, func(c app.Client) error {
		streamed = append(streamed, c.ID)
		return nil
	}); err != nil || !slices.Equal(streamed, want) {
		t.Errorf("%s: EachClient: %v, %s", name, err, diff(streamed, want))
	}
}

func ptr[T any](v T) *T { return &v }

// baseFilters are the filters every test of orders and plans runs: each
// condition alone, its edges, and combinations.
func (f *baseFixture) filters() map[string]app.ClientFilter {
	return map[string]app.ClientFilter{
		"none":                 {},
		"male":                 {Gender: app.GenderIsMale},
		"female":               {Gender: app.GenderIsFemale},
		"gender unknown":       {Gender: app.GenderIsUnknown},
		"age 26":               {AgeFrom: ptr(26), AgeTo: ptr(26)}, // born 15.03.2000 is 26 today, 16.03.2000 is 25
		"age to 25":            {AgeTo: ptr(25)},
		"age from 18":          {AgeFrom: ptr(18)},
		"age 30-45":            {AgeFrom: ptr(30), AgeTo: ptr(45)},
		"visits 4-9":           {VisitsFrom: ptr[int64](4), VisitsTo: ptr[int64](9)},
		"visits 0":             {VisitsTo: ptr[int64](0)},
		"sold from 100000":     {SoldFrom: ptr[int64](100_000)},
		"paid to 40000":        {PaidTo: ptr[int64](40_000)},
		"last visit to 10.3":   {LastVisitTo: app.Date{Year: 2026, Month: time.March, Day: 10}},
		"last visit 11.3":      {LastVisitFrom: app.Date{Year: 2026, Month: time.March, Day: 11}, LastVisitTo: app.Date{Year: 2026, Month: time.March, Day: 11}},
		"last visit from 1.1":  {LastVisitFrom: app.Date{Year: 2026, Month: time.January, Day: 1}},
		"group":                {GroupID: f.groups[1]},
		"no group":             {GroupID: app.NoneID},
		"class":                {ClassID: f.classes[0]},
		"no class":             {ClassID: app.NoneID},
		"category":             {CategoryID: f.cats[0]},
		"deleted category":     {CategoryID: f.cats[1]}, // still names its members
		"no category":          {CategoryID: app.NoneID},
		"tag":                  {TagID: f.tags[1]},
		"no tag":               {TagID: app.NoneID},
		"birthday 01.03-31.03": {BirthdayFrom: 301, BirthdayTo: 331},
		"birthday 20.12-10.01": {BirthdayFrom: 1220, BirthdayTo: 110}, // over New Year
		"birthday from 29.02":  {BirthdayFrom: 229},
		"birthday to 01.01":    {BirthdayTo: 101},
		"sms":                  {SMS: app.Yes},
		"no e-mail":            {Email: app.No},
		"blocked":              {Blocked: app.Yes},
		"not blocked":          {Blocked: app.No},
		"favorite":             {Favorite: app.Yes},
		"female age sms":       {Gender: app.GenderIsFemale, AgeFrom: ptr(18), AgeTo: ptr(40), SMS: app.Yes},
		"visits group last":    {VisitsFrom: ptr[int64](1), GroupID: f.groups[0], LastVisitFrom: app.Date{Year: 2026, Month: time.January, Day: 1}},
		"tag favorite sold":    {TagID: f.tags[0], Favorite: app.No, SoldFrom: ptr[int64](50_000), SoldTo: ptr[int64](150_000)},
		"tag and category":     {TagID: f.tags[0], CategoryID: f.cats[0]},
		"no tag not blocked":   {TagID: app.NoneID, Blocked: app.No, Gender: app.GenderIsFemale},
		"nobody":               {VisitsFrom: ptr[int64](1000)},
	}
}

// CL-14: every condition of the filter, alone and combined, with and without
// search text, in every plan.
func TestFilterConditions(t *testing.T) {
	f := newBaseFixture(t)
	defer func() { forcePlan, forceAccess = "", "" }()
	for _, tune := range []struct{ plan, access string }{{"", ""}, {"walk", ""}, {"sort", "list"}, {"sort", "filter"}} {
		forcePlan, forceAccess = tune.plan, tune.access
		for name, flt := range f.filters() {
			for _, text := range []string{"", "ив", "916"} {
				sel := app.ClientSelect{Keys: app.NormalizeSearch(text, "RU"), Filter: flt, Today: baseToday}
				f.check(t, fmt.Sprintf("%s/%s/%s/%q", tune.plan, tune.access, name, text), sel)
			}
		}
	}
	forcePlan, forceAccess = "", ""
	// The model agrees with the edges it is meant to check.
	born := func(id string) app.Date {
		for _, c := range f.clients {
			if c.ID == id {
				return c.BirthDate
			}
		}
		return app.Date{}
	}
	if ids := f.want(app.ClientSelect{Filter: app.ClientFilter{AgeFrom: ptr(26), AgeTo: ptr(26)}, Today: baseToday}); len(ids) == 0 ||
		!slices.ContainsFunc(ids, func(id string) bool { return born(id) == app.Date{Year: 2000, Month: time.March, Day: 15} }) {
		t.Error("no client turns 26 today in the fixture")
	}
	for name, flt := range f.filters() {
		if name != "none" && name != "nobody" && len(f.want(app.ClientSelect{Filter: flt, Today: baseToday})) == 0 {
			t.Errorf("filter %q matches nobody in the fixture", name)
		}
	}
}

// CL-12: every sort key in both directions, alone, with a filter, with text
// and with a checked set, in every plan, paged.
func TestSortKeys(t *testing.T) {
	f := newBaseFixture(t)
	checked := []string{f.clients[3].ID, f.clients[7].ID, f.clients[11].ID, f.clients[20].ID, f.clients[42].ID, f.deleted.ID}
	defer func() { forcePlan, minWalkWindow, mirrorFrom = "", 2_000, 1000 }()
	for _, tune := range []struct {
		plan   string
		window int64
		mirror int // pages past the middle are read from the other end from this offset
	}{{"", 2_000, 1000}, {"", 2_000, 0}, {"walk", 2_000, 1000}, {"walk", 3, 0}, {"walk-once", 3, 1000}, {"sort", 0, 0}} {
		forcePlan, minWalkWindow, mirrorFrom = tune.plan, tune.window, tune.mirror
		for _, key := range app.SortKeys {
			for _, desc := range []bool{false, true} {
				for _, tc := range []struct {
					name string
					sel  app.ClientSelect
				}{
					{"all", app.ClientSelect{}},
					{"female", app.ClientSelect{Filter: app.ClientFilter{Gender: app.GenderIsFemale}}},
					{"sold", app.ClientSelect{Filter: app.ClientFilter{SoldFrom: ptr[int64](100_000)}}},
					{"no tag", app.ClientSelect{Filter: app.ClientFilter{TagID: app.NoneID}}},
					{"text", app.ClientSelect{Keys: app.NormalizeSearch("Ив", "RU")}},
					{"text and filter", app.ClientSelect{Keys: app.NormalizeSearch("Ив", "RU"), Filter: app.ClientFilter{SMS: app.Yes}}},
					{"checked", app.ClientSelect{IDs: checked}},
					{"checked and filter", app.ClientSelect{IDs: checked, Filter: app.ClientFilter{Favorite: app.No}}},
				} {
					sel := tc.sel
					sel.Sort, sel.Desc, sel.Today = key, desc, baseToday
					f.check(t, fmt.Sprintf("%s/%d/mirror %d %s/%q desc=%v", tune.plan, tune.window, tune.mirror, tc.name, key, desc), sel)
				}
			}
		}
	}
}

// CL-14: a checked set limits any selection; an empty one matches nobody, a
// nil one everybody.
func TestCheckedSet(t *testing.T) {
	f := newBaseFixture(t)
	ctx := context.Background()
	for _, ids := range [][]string{nil, {}, {f.clients[0].ID}, {f.deleted.ID}, {"no-such-id", f.clients[5].ID, f.clients[5].ID}} {
		f.check(t, fmt.Sprintf("ids %v", ids), app.ClientSelect{IDs: ids, Today: baseToday})
	}
	n, err := f.s.CountClients(ctx, app.ClientSelect{IDs: []string{}})
	if err != nil || n != 0 {
		t.Errorf("empty checked set counts %d, %v", n, err)
	}
	if cs, err := f.s.SearchClients(ctx, app.ClientSelect{IDs: []string{}}, 0, 10); err != nil || len(cs) != 0 {
		t.Errorf("empty checked set lists %d, %v", len(cs), err)
	}
}

// Bad selections are refused rather than guessed.
func TestSelectionErrors(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	if _, err := s.SearchClients(ctx, app.ClientSelect{Sort: "phone"}, 0, 10); !errors.Is(err, app.ErrInvalid) {
		t.Errorf("unknown sort key: %v", err)
	}
	if _, err := s.CountClients(ctx, app.ClientSelect{Filter: app.ClientFilter{AgeFrom: ptr(18)}}); !errors.Is(err, app.ErrInvalid) {
		t.Errorf("age without Today: %v", err)
	}
}

// EachClient stops at fn's error and when the context ends.
func TestEachClientStops(t *testing.T) {
	f := newBaseFixture(t)
	stop := errors.New("stop")
	n := 0
	err := f.s.EachClient(context.Background(), app.ClientSelect{Today: baseToday}, func(app.Client) error {
		n++
		if n == 5 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 5 {
		t.Errorf("EachClient = %v after %d clients, want stop after 5", err, n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n = 0
	err = f.s.EachClient(ctx, app.ClientSelect{Today: baseToday, Filter: app.ClientFilter{Blocked: app.No}}, func(app.Client) error {
		n++
		if n == 3 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || n != 3 {
		t.Errorf("EachClient = %v after %d clients, want context.Canceled after 3", err, n)
	}
}

// The plan choice: a walk when the matches are many, a sort when they are few.
func TestPlanWalk(t *testing.T) {
	for _, tc := range []struct {
		need, matches, total int64
		walk                 bool
	}{
		{50, 66_000, 1_000_000, true},
		{50, 500, 1_000_000, false},
		{50, 0, 1_000_000, false},
		{20_050, 66_000, 1_000_000, false},
		{540_000, 540_000, 1_000_000, true}, // an export of most clients
		{66_000, 66_000, 1_000_000, false},  // an export of a few
		{50, 10, 60, true},                  // a small base
	} {
		if walk, plan := planWalk(tc.need, tc.matches, tc.total); walk != tc.walk || walk && (plan.window < tc.need || plan.budget < plan.window) {
			t.Errorf("planWalk(%d, %d, %d) = %v, %+v; want %v", tc.need, tc.matches, tc.total, walk, plan, tc.walk)
		}
	}
}

// The counts the store keeps only choose plans: a page after a change lists
// what the database holds, even before the next count.
func TestStaleCountHint(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	sel := app.ClientSelect{Filter: app.ClientFilter{Favorite: app.Yes}, Today: baseToday}
	if n, err := s.CountClients(ctx, sel); err != nil || n != 0 {
		t.Fatalf("CountClients = %d, %v", n, err)
	}
	c := testClient(s.NodeID(), "Анна", "Любимая", "")
	c.Favorite = true
	insertClient(t, s, c)
	if cs, err := s.SearchClients(ctx, sel, 0, 10); err != nil || len(cs) != 1 || cs[0].ID != c.ID {
		t.Errorf("SearchClients after a new favourite = %v, %v", idsOf(cs), err)
	}
	if n, err := s.CountClients(ctx, sel); err != nil || n != 1 {
		t.Errorf("CountClients after a new favourite = %d, %v", n, err)
	}
}
