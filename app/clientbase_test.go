package app_test

// Integration tests of the client-base use cases over the real SQLite store:
// filters and segments (CL-14), quick actions (CL-09, CL-15), contacts (CL-02),
// variables (CL-10), mass unsubscribe (CL-11), referrals (CL-19) and the list
// columns (CL-12).

import (
	"errors"
	"slices"
	"testing"
	"time"

	"loyaltydesk/app"
	"loyaltydesk/db"
)

func ptr[T any](v T) *T { return &v }

func wantField(t *testing.T, err error, field, reason string) {
	t.Helper()
	for _, fe := range app.FieldErrors(err) {
		if fe.Field == field && fe.Reason == reason {
			return
		}
	}
	t.Fatalf("want %s/%s error, got %v", field, reason, err)
}

func ids(cs []app.Client) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

func TestFilterValidate(t *testing.T) {
	for _, tc := range []struct {
		name          string
		f             app.ClientFilter
		field, reason string
	}{
		{"gender", app.ClientFilter{Gender: "robot"}, app.FieldGender, app.ReasonBadValue},
		{"age reversed", app.ClientFilter{AgeFrom: ptr(40), AgeTo: ptr(30)}, app.FieldAge, app.ReasonBadRange},
		{"age negative", app.ClientFilter{AgeFrom: ptr(-1)}, app.FieldAge, app.ReasonNegative},
		{"age too old", app.ClientFilter{AgeTo: ptr(500)}, app.FieldAge, app.ReasonTooOld},
		{"sold reversed", app.ClientFilter{SoldFrom: ptr[int64](500), SoldTo: ptr[int64](100)}, app.FieldSold, app.ReasonBadRange},
		{"paid negative", app.ClientFilter{PaidTo: ptr[int64](-5)}, app.FieldPaid, app.ReasonNegative},
		{"visits reversed", app.ClientFilter{VisitsFrom: ptr[int64](3), VisitsTo: ptr[int64](2)}, app.FieldVisits, app.ReasonBadRange},
		{"last visit reversed", app.ClientFilter{
			LastVisitFrom: app.Date{Year: 2026, Month: 3, Day: 2}, LastVisitTo: app.Date{Year: 2026, Month: 3, Day: 1},
		}, app.FieldLastVisit, app.ReasonBadRange},
		{"birthday 31.02", app.ClientFilter{BirthdayFrom: 231}, app.FieldBirthday, app.ReasonBadDate},
		{"tri", app.ClientFilter{SMS: 7}, app.FieldFilter, app.ReasonBadValue},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantField(t, tc.f.Validate(), tc.field, tc.reason)
		})
	}
	ok := app.ClientFilter{
		Gender: app.GenderIsFemale, AgeFrom: ptr(20), AgeTo: ptr(20), SoldFrom: ptr[int64](0),
		BirthdayFrom: 1220, BirthdayTo: 110, SMS: app.Yes, Blocked: app.No,
	}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid filter refused: %v", err)
	}
	if got := ok.Conditions(); got != 6 {
		t.Errorf("Conditions = %d, want 6", got)
	}
	if !(app.ClientFilter{}).IsEmpty() || ok.IsEmpty() {
		t.Error("IsEmpty wrong")
	}
}

func TestBirthBounds(t *testing.T) {
	today := app.Date{Year: 2026, Month: 3, Day: 15}
	f := app.ClientFilter{AgeFrom: ptr(20), AgeTo: ptr(30)}
	from, to := f.BirthBounds(today)
	// 30 years old until the day before the 31st birthday: born 16.03.1995 or later.
	if from != (app.Date{Year: 1995, Month: 3, Day: 16}) || to != (app.Date{Year: 2006, Month: 3, Day: 15}) {
		t.Fatalf("BirthBounds = %v … %v", from, to)
	}
	for _, tc := range []struct {
		birth app.Date
		in    bool
	}{
		{app.Date{Year: 2006, Month: 3, Day: 15}, true},  // 20 today
		{app.Date{Year: 2006, Month: 3, Day: 16}, false}, // 20 tomorrow
		{app.Date{Year: 1995, Month: 3, Day: 16}, true},  // 30, turns 31 tomorrow
		{app.Date{Year: 1995, Month: 3, Day: 15}, false}, // 31 today
	} {
		age := app.Age(tc.birth, today)
		if in := age >= 20 && age <= 30; in != tc.in {
			t.Errorf("Age(%v) = %d", tc.birth, age)
		}
		if in := !tc.birth.Before(from) && !to.Before(tc.birth); in != tc.in {
			t.Errorf("bounds disagree with Age for %v", tc.birth)
		}
	}
	// 29 February in a year without it.
	leap := app.Date{Year: 2024, Month: 2, Day: 29}
	if got := leap.AddYears(1); got != (app.Date{Year: 2025, Month: 2, Day: 28}) {
		t.Errorf("AddYears = %v", got)
	}
}

func TestParseMonthDay(t *testing.T) {
	for in, want := range map[string]app.MonthDay{"05.01": 105, "5.1": 105, "31/12": 1231, "29.02": 229, "15.03.1990": 315} {
		got, err := app.ParseMonthDay(in)
		if err != nil || got != want {
			t.Errorf("ParseMonthDay(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if got, err := app.ParseMonthDay(" "); got != 0 || err != nil {
		t.Errorf("ParseMonthDay(blank) = %v, %v", got, err)
	}
	for _, in := range []string{"31.02", "1.13", "abc", "12-05"} {
		if _, err := app.ParseMonthDay(in); !errors.Is(err, app.ErrInvalid) {
			t.Errorf("ParseMonthDay(%q) = %v, want ErrInvalid", in, err)
		}
	}
	if s := app.MonthDay(105).String(); s != "05.01" {
		t.Errorf("String = %q", s)
	}
}

func TestColumnValues(t *testing.T) {
	c := app.Client{
		ID: "x", LastName: "Иванова", FirstName: "Анна", GroupID: "g1",
		BirthDate: app.Date{Year: 1990, Month: 3, Day: 16},
		Stats:     app.ClientStats{Visits: 4, Sold: 100050, Paid: 90000},
		Favorite:  true,
	}
	dir := &app.Directory{Groups: []app.Ref{{ID: "g1", Name: "VIP"}}, Categories: []app.Ref{{ID: "k", Name: "Кофеманы"}}}
	d := app.RowData{Dir: dir, Today: app.Date{Year: 2026, Month: 3, Day: 15},
		Extras: app.Extras{Tags: []string{"веган", "офис"}, CategoryIDs: []string{"k"}, Variables: map[string]string{"Напиток": "латте"}}}
	for key, want := range map[string]any{
		app.ColFullName: "Иванова Анна", app.ColGroup: "VIP", app.ColAge: int64(35),
		app.ColAverageCheck: int64(25012), app.ColTags: "веган, офис", app.ColCategories: "Кофеманы",
		app.ColFavorite: true, app.ColSold: int64(100050), "var:Напиток": "латте", "var:Нет": "",
	} {
		col, ok := app.ColumnByKey(key)
		if !ok {
			t.Fatalf("no column %q", key)
		}
		if got := col.Value(c, d); got != want {
			t.Errorf("%s = %#v, want %#v", key, got, want)
		}
	}
	col, _ := app.ColumnByKey(app.ColAge)
	if got := col.Value(app.Client{}, d); got != nil {
		t.Errorf("age without birth date = %v, want nil", got)
	}
	if _, ok := app.ColumnByKey("nonsense"); ok || app.IsColumnKey("var:") {
		t.Error("unknown key accepted")
	}
	if got := app.FormatMoney(-123456, ","); got != "-1234,56" {
		t.Errorf("FormatMoney = %q", got)
	}
	all := app.AllColumns(app.Directory{Variables: []string{"Напиток"}})
	if all[len(all)-1].Key != "var:Напиток" || len(all) != len(app.FieldColumns)+1 {
		t.Errorf("AllColumns tail = %+v", all[len(all)-1])
	}
	for _, col := range app.FieldColumns {
		if col.Sortable && !slices.Contains(app.SortKeys, col.Sort) {
			t.Errorf("column %s sorts by unknown key %q", col.Key, col.Sort)
		}
	}
}

func TestListColumnsPersist(t *testing.T) {
	e := newEnv(t)
	got, err := e.settings.ListColumns(e.ctx)
	if err != nil || !slices.Equal(got, app.DefaultColumns) {
		t.Fatalf("default columns = %v, %v", got, err)
	}
	want := []string{app.ColPhone, app.ColFullName, "var:Напиток", app.ColSold}
	if err := e.settings.SetListColumns(e.ctx, want); err != nil {
		t.Fatal(err)
	}
	wantField(t, e.settings.SetListColumns(e.ctx, []string{"bogus"}), app.FieldColumn, app.ReasonUnknownField)
	wantField(t, e.settings.SetListColumns(e.ctx, nil), app.FieldColumn, app.ReasonRequired)
	e.reopen(t)
	got, err = e.settings.ListColumns(e.ctx)
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("columns after reopening = %v, %v; want %v", got, err, want)
	}
}

// reopen closes the store and opens the same file again, as a restart does.
func (e *env) reopen(t *testing.T) {
	t.Helper()
	if err := e.store.Close(); err != nil {
		t.Fatal(err)
	}
	store, err := db.Open(e.ctx, e.path, db.Options{Clock: e.clock})
	if err != nil {
		t.Fatal(err)
	}
	e.store = store
	e.clients = app.NewClients(store, e.clock)
	e.settings = app.NewSettings(store, e.clock)
}

func TestSegmentsSaveReplaceDelete(t *testing.T) {
	e := newEnv(t)
	q := app.SegmentQuery{Text: "Ив", Filter: app.ClientFilter{
		Gender: app.GenderIsFemale, AgeFrom: ptr(18), SMS: app.Yes, BirthdayFrom: 1220, BirthdayTo: 110,
		LastVisitFrom: app.Date{Year: 2026, Month: 1, Day: 1},
	}, Sort: app.SortSold, Desc: true}
	s1, err := e.clients.SaveSegment(e.ctx, "  Подписчицы  ", q)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.clients.SaveSegment(e.ctx, "", q)
	wantField(t, err, app.FieldName, app.ReasonRequired)
	_, err = e.clients.SaveSegment(e.ctx, "Плохой", app.SegmentQuery{Filter: app.ClientFilter{AgeFrom: ptr(5), AgeTo: ptr(1)}})
	wantField(t, err, app.FieldAge, app.ReasonBadRange)

	e.reopen(t)
	segs, err := e.clients.Segments(e.ctx)
	if err != nil || len(segs) != 1 {
		t.Fatalf("segments = %+v, %v", segs, err)
	}
	if segs[0].Name != "Подписчицы" || segs[0].ID != s1.ID {
		t.Errorf("segment = %+v", segs[0])
	}
	got := segs[0].Query
	if got.Text != q.Text || got.Sort != q.Sort || !got.Desc || *got.Filter.AgeFrom != 18 ||
		got.Filter.BirthdayFrom != 1220 || got.Filter.LastVisitFrom != q.Filter.LastVisitFrom || got.Filter.SMS != app.Yes {
		t.Errorf("query read back = %+v", got)
	}
	// Saving under the same name (any case) replaces it.
	q2 := app.SegmentQuery{Filter: app.ClientFilter{Favorite: app.Yes}}
	if _, err := e.clients.SaveSegment(e.ctx, "подписчицы", q2); err != nil {
		t.Fatal(err)
	}
	segs, _ = e.clients.Segments(e.ctx)
	if len(segs) != 1 || segs[0].ID != s1.ID || segs[0].Query.Filter.Favorite != app.Yes {
		t.Fatalf("after replace: %+v", segs)
	}
	if err := e.clients.DeleteSegment(e.ctx, s1.ID); err != nil {
		t.Fatal(err)
	}
	if segs, _ = e.clients.Segments(e.ctx); len(segs) != 0 {
		t.Fatalf("after delete: %+v", segs)
	}
}

func TestApplyOnCheckedAndOnFilter(t *testing.T) {
	e := newEnv(t)
	a := e.create(t, app.ClientInput{FirstName: "Анна", LastName: "Алексеева", Gender: app.GenderFemale})
	b := e.create(t, app.ClientInput{FirstName: "Борис", LastName: "Борисов", Gender: app.GenderMale})
	c := e.create(t, app.ClientInput{FirstName: "Вера", LastName: "Васильева", Gender: app.GenderFemale})
	d := e.create(t, app.ClientInput{FirstName: "Галина", LastName: "Галкина", Gender: app.GenderFemale})

	// A tag on three checked clients: exactly they get it, made on first use.
	n, err := e.clients.Apply(e.ctx, app.ClientQuery{IDs: []string{a.ID, b.ID, c.ID}}, app.Action{Kind: app.ActionAddTag, Tag: " веган "})
	if err != nil || n != 3 {
		t.Fatalf("add tag = %d, %v", n, err)
	}
	dir, err := e.clients.Directory(e.ctx)
	if err != nil || len(dir.Tags) != 1 || dir.Tags[0].Name != "веган" {
		t.Fatalf("directory tags = %+v, %v", dir.Tags, err)
	}
	tagged, err := e.clients.Search(e.ctx, app.ClientQuery{Filter: app.ClientFilter{TagID: dir.Tags[0].ID}})
	if err != nil || !slices.Equal(ids(tagged), []string{a.ID, b.ID, c.ID}) {
		t.Fatalf("tagged = %v, %v", ids(tagged), err)
	}
	// Again: nobody changes.
	if n, _ := e.clients.Apply(e.ctx, app.ClientQuery{IDs: []string{a.ID, d.ID}}, app.Action{Kind: app.ActionAddTag, Tag: "веган"}); n != 1 {
		t.Errorf("re-tag changed %d, want 1", n)
	}
	// On the whole filter: every woman becomes a favorite.
	n, err = e.clients.Apply(e.ctx, app.ClientQuery{Filter: app.ClientFilter{Gender: app.GenderIsFemale}}, app.Action{Kind: app.ActionFavorite})
	if err != nil || n != 3 {
		t.Fatalf("favorite on filter = %d, %v", n, err)
	}
	fav, _ := e.clients.Count(e.ctx, app.ClientQuery{Filter: app.ClientFilter{Favorite: app.Yes}})
	if fav != 3 {
		t.Errorf("favorites = %d", fav)
	}
	// Blocking needs a reason and then stores it.
	_, err = e.clients.Apply(e.ctx, app.ClientQuery{IDs: []string{b.ID}}, app.Action{Kind: app.ActionBlock, Reason: "  "})
	wantField(t, err, app.FieldReason, app.ReasonRequired)
	if _, err := e.clients.Apply(e.ctx, app.ClientQuery{IDs: []string{b.ID}}, app.Action{Kind: app.ActionBlock, Reason: "Скандалил"}); err != nil {
		t.Fatal(err)
	}
	got, _ := e.clients.Get(e.ctx, b.ID)
	if !got.Blocked || got.BlockReason != "Скандалил" {
		t.Errorf("blocked = %v %q", got.Blocked, got.BlockReason)
	}
	// A group that does not exist is refused and changes nothing.
	_, err = e.clients.Apply(e.ctx, app.ClientQuery{IDs: []string{b.ID}}, app.Action{Kind: app.ActionSetGroup, GroupID: "nope"})
	wantField(t, err, app.FieldGroup, app.ReasonNotFound)
	if got, _ := e.clients.Get(e.ctx, b.ID); got.GroupID != "" {
		t.Errorf("group set to %q", got.GroupID)
	}
	// Removing a tag nobody has changes nobody.
	if n, err := e.clients.Apply(e.ctx, app.ClientQuery{}, app.Action{Kind: app.ActionRemoveTag, Tag: "нет такого"}); n != 0 || err != nil {
		t.Errorf("remove unknown tag = %d, %v", n, err)
	}
	if n, err := e.clients.Apply(e.ctx, app.ClientQuery{}, app.Action{Kind: app.ActionRemoveTag, Tag: "веган"}); n != 4 || err != nil {
		t.Errorf("remove tag = %d, %v", n, err)
	}
	if _, err := e.clients.Apply(e.ctx, app.ClientQuery{}, app.Action{Kind: "explode"}); err == nil {
		t.Error("unknown action accepted")
	}
	// Every bulk action is audited.
	log, err := e.store.AuditOf(e.ctx, "client", "*")
	if err != nil || len(log) < 3 {
		t.Errorf("audit = %d entries, %v", len(log), err)
	}
}

func TestContactsAndVariables(t *testing.T) {
	e := newEnv(t)
	c := e.create(t, app.ClientInput{FirstName: "Анна", Phone: "+79161234567"})
	_, err := e.clients.AddContact(e.ctx, c.ID, app.ContactInput{Kind: app.ContactPhone, Value: "12"})
	wantField(t, err, app.FieldValue, app.ReasonBadPhone)
	_, err = e.clients.AddContact(e.ctx, c.ID, app.ContactInput{Kind: app.ContactEmail, Value: "anna@"})
	wantField(t, err, app.FieldValue, app.ReasonBadEmail)
	_, err = e.clients.AddContact(e.ctx, c.ID, app.ContactInput{Kind: app.ContactSocial, Value: "not a link"})
	wantField(t, err, app.FieldValue, app.ReasonBadLink)
	p, err := e.clients.AddContact(e.ctx, c.ID, app.ContactInput{Kind: app.ContactPhone, Value: "8 (903) 111-22-33", Label: "работа"})
	if err != nil || p.Value != "+79031112233" {
		t.Fatalf("add phone = %+v, %v", p, err)
	}
	_, err = e.clients.AddContact(e.ctx, c.ID, app.ContactInput{Kind: app.ContactPhone, Value: "+7 903 111 22 33"})
	wantField(t, err, app.FieldContact, app.ReasonDuplicate)
	for _, link := range []string{"vk.com/id1", "https://t.me/anna", "@anna_k"} {
		if _, err := e.clients.AddContact(e.ctx, c.ID, app.ContactInput{Kind: app.ContactSocial, Value: link}); err != nil {
			t.Errorf("link %q: %v", link, err)
		}
	}
	got, _ := e.clients.Get(e.ctx, c.ID)
	if len(got.Contacts) != 4 {
		t.Fatalf("contacts = %+v", got.Contacts)
	}
	// The further phone identifies the client for a mass unsubscribe.
	cids, err := e.store.ClientIDsByContact(e.ctx, app.ContactPhone, "+79031112233")
	if err != nil || !slices.Equal(cids, []string{c.ID}) {
		t.Errorf("by contact = %v, %v", cids, err)
	}
	if err := e.clients.RemoveContact(e.ctx, c.ID, p.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ = e.clients.Get(e.ctx, c.ID); len(got.Contacts) != 3 {
		t.Errorf("after remove: %d contacts", len(got.Contacts))
	}

	v1, err := e.clients.SetVariable(e.ctx, c.ID, "Напиток", "латте")
	if err != nil {
		t.Fatal(err)
	}
	v2, err := e.clients.SetVariable(e.ctx, c.ID, "Напиток", "раф")
	if err != nil || v2.ID != v1.ID {
		t.Fatalf("replace variable = %+v, %v", v2, err)
	}
	_, err = e.clients.SetVariable(e.ctx, c.ID, " ", "x")
	wantField(t, err, app.FieldName, app.ReasonRequired)
	got, _ = e.clients.Get(e.ctx, c.ID)
	if len(got.Variables) != 1 || got.Variables[0].Value != "раф" {
		t.Fatalf("variables = %+v", got.Variables)
	}
	x, err := e.clients.Extras(e.ctx, []string{c.ID})
	if err != nil || x[c.ID].Variables["Напиток"] != "раф" {
		t.Errorf("extras = %+v, %v", x, err)
	}
	if dir, _ := e.clients.Directory(e.ctx); !slices.Equal(dir.Variables, []string{"Напиток"}) {
		t.Errorf("variable names = %v", dir.Variables)
	}
	if err := e.clients.RemoveVariable(e.ctx, c.ID, "Напиток"); err != nil {
		t.Fatal(err)
	}
	if got, _ = e.clients.Get(e.ctx, c.ID); len(got.Variables) != 0 {
		t.Errorf("after remove: %+v", got.Variables)
	}
}

func TestReferrals(t *testing.T) {
	e := newEnv(t)
	a := e.create(t, app.ClientInput{FirstName: "Анна"})
	b := e.create(t, app.ClientInput{FirstName: "Борис"})
	c := e.create(t, app.ClientInput{FirstName: "Вера"})
	wantField(t, e.clients.SetReferrer(e.ctx, a.ID, a.ID), app.FieldReferrer, app.ReasonSelf)
	wantField(t, e.clients.SetReferrer(e.ctx, a.ID, "missing"), app.FieldReferrer, app.ReasonNotFound)
	if err := e.clients.SetReferrer(e.ctx, b.ID, a.ID); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Minute)
	if err := e.clients.SetReferrer(e.ctx, c.ID, b.ID); err != nil {
		t.Fatal(err)
	}
	// a → b → c: c bringing a would close the circle.
	wantField(t, e.clients.SetReferrer(e.ctx, a.ID, c.ID), app.FieldReferrer, app.ReasonCycle)
	got, _ := e.clients.Get(e.ctx, a.ID)
	if got.Referred != 1 || got.ReferrerID != "" {
		t.Errorf("a: referred %d, referrer %q", got.Referred, got.ReferrerID)
	}
	refs, err := e.clients.Referrals(e.ctx, b.ID, 0)
	if err != nil || !slices.Equal(ids(refs), []string{c.ID}) {
		t.Errorf("referrals of b = %v, %v", ids(refs), err)
	}
	if err := e.clients.SetReferrer(e.ctx, c.ID, ""); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.clients.Get(e.ctx, b.ID); got.Referred != 0 {
		t.Errorf("b referred %d after clearing", got.Referred)
	}
}

func TestMassUnsubscribe(t *testing.T) {
	e := newEnv(t)
	a := e.create(t, app.ClientInput{FirstName: "Анна", Phone: "+79161234567", Email: "anna@example.ru"})
	b := e.create(t, app.ClientInput{FirstName: "Борис", Phone: "+79031112233"})
	_ = e.create(t, app.ClientInput{FirstName: "Вера", Email: "vera@example.ru"})
	if _, err := e.clients.Apply(e.ctx, app.ClientQuery{}, app.Action{Kind: app.ActionSubscribeSMS}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.clients.Apply(e.ctx, app.ClientQuery{IDs: []string{a.ID}}, app.Action{Kind: app.ActionSubscribeEmail}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.clients.Apply(e.ctx, app.ClientQuery{IDs: []string{b.ID}}, app.Action{Kind: app.ActionUnsubscribeSMS}); err != nil {
		t.Fatal(err)
	}
	pasted := "8 916 123-45-67\nANNA@example.ru; +7 903 111 22 33\n\n+79990000000, nobody@example.ru\nпривет\n89161234567"
	rep, err := e.clients.Unsubscribe(e.ctx, pasted)
	if err != nil {
		t.Fatal(err)
	}
	want := app.UnsubscribeReport{
		Unsubscribed: []string{"+79161234567", "anna@example.ru"},
		Already:      []string{"+79031112233"},
		Unknown:      []string{"+79990000000", "nobody@example.ru"},
		Invalid:      []string{"привет"},
		Clients:      2,
	}
	if !slices.Equal(rep.Unsubscribed, want.Unsubscribed) || !slices.Equal(rep.Already, want.Already) ||
		!slices.Equal(rep.Unknown, want.Unknown) || !slices.Equal(rep.Invalid, want.Invalid) || rep.Clients != want.Clients {
		t.Fatalf("report = %+v\nwant     %+v", rep, want)
	}
	got, _ := e.clients.Get(e.ctx, a.ID)
	if got.SMSSubscribed || got.EmailSubscribed {
		t.Errorf("a still subscribed: sms %v, e-mail %v", got.SMSSubscribed, got.EmailSubscribed)
	}
	if n, _ := e.clients.Count(e.ctx, app.ClientQuery{Filter: app.ClientFilter{SMS: app.Yes}}); n != 1 {
		t.Errorf("sms subscribers left = %d, want 1 (Вера)", n)
	}
}

func TestSearchRefusesBadFilter(t *testing.T) {
	e := newEnv(t)
	_, err := e.clients.Search(e.ctx, app.ClientQuery{Filter: app.ClientFilter{AgeFrom: ptr(50), AgeTo: ptr(10)}})
	wantField(t, err, app.FieldAge, app.ReasonBadRange)
	_, err = e.clients.Count(e.ctx, app.ClientQuery{Sort: "shoe_size"})
	wantField(t, err, app.FieldFilter, app.ReasonBadValue)
}
