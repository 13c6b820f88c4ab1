package app_test

// Integration tests of the client use cases (CL-01, CL-03, CL-13) and the
// settings over the real SQLite store in a temporary folder.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"loyaltydesk/app"
	"loyaltydesk/db"
)

// testNow is "today" in the client tests: 15 March 2026, 10:00 UTC.
var testNow = time.Date(2026, time.March, 15, 10, 0, 0, 0, time.UTC)

type env struct {
	ctx      context.Context
	path     string
	store    *db.Store
	clock    *app.ManualClock
	clients  *app.Clients
	settings *app.Settings
}

// newEnv opens a fresh database file in t.TempDir() and builds the use cases on it.
func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	clock := app.NewManualClock(testNow)
	path := filepath.Join(t.TempDir(), "loyaltydesk.db")
	store, err := db.Open(ctx, path, db.Options{Clock: clock})
	if err != nil {
		t.Fatalf("db.Open: %v", err)
	}
	e := &env{
		ctx: ctx, path: path, store: store, clock: clock,
		clients:  app.NewClients(store, clock),
		settings: app.NewSettings(store, clock),
	}
	t.Cleanup(func() {
		if err := e.store.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	return e
}

func (e *env) create(t *testing.T, in app.ClientInput) app.Client {
	t.Helper()
	c, err := e.clients.Create(e.ctx, in)
	if err != nil {
		t.Fatalf("Create(%+v): %v", in, err)
	}
	return c
}

func (e *env) get(t *testing.T, id string) app.Client {
	t.Helper()
	c, err := e.clients.Get(e.ctx, id)
	if err != nil {
		t.Fatalf("Get(%s): %v", id, err)
	}
	return c
}

func (e *env) count(t *testing.T, text string) int {
	t.Helper()
	n, err := e.clients.Count(e.ctx, app.ClientQuery{Text: text})
	if err != nil {
		t.Fatalf("Count(%q): %v", text, err)
	}
	return n
}

// auditCount counts the audit rows about one client straight from the file.
func (e *env) auditCount(t *testing.T, clientID string) int {
	t.Helper()
	raw, err := sql.Open("sqlite3", "file:"+e.path+"?_busy_timeout=5000&mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var n int
	if err := raw.QueryRowContext(e.ctx, `SELECT count(*) FROM audit_log WHERE entity = 'client' AND entity_id = ?`,
		clientID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// fieldError asserts that err is a validation error (ErrInvalid) with a problem
// in field for reason, and returns it.
func fieldError(t *testing.T, err error, field, reason string) app.FieldError {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s: %s", field, reason)
	}
	if !errors.Is(err, app.ErrInvalid) {
		t.Errorf("errors.Is(%v, ErrInvalid) = false", err)
	}
	var ve *app.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v (%T) is not a *app.ValidationError", err, err)
	}
	for _, fe := range ve.Fields {
		if fe.Field == field && fe.Reason == reason {
			return fe
		}
	}
	t.Fatalf("error %v has no %s: %s", err, field, reason)
	return app.FieldError{}
}

func phoneIdentifiers(c app.Client) []app.Identifier {
	var out []app.Identifier
	for _, idf := range c.Identifiers {
		if idf.Media == app.MediaPhone {
			out = append(out, idf)
		}
	}
	return out
}

// CL-01, CL-03: Create trims and normalises what was typed and adds the phone method.
func TestCreateNormalisesAndAddsPhoneMethod(t *testing.T) {
	e := newEnv(t)
	c := e.create(t, app.ClientInput{
		FirstName:  "  Анна  ",
		LastName:   "Семёнова   \t Петрова",
		Patronymic: " Петровна ",
		Phone:      "8 (916) 123-45-67",
		Email:      "  Anna.Semenova@Mail.RU ",
		Gender:     app.GenderFemale,
		BirthDate:  "5.3.1990",
		ExternalID: "  POS-1 ",
		Note:       "  любит капучино  ",
	})
	if c.ID == "" {
		t.Fatal("created client has no id")
	}
	want := map[string][2]string{
		"first name": {c.FirstName, "Анна"},
		"last name":  {c.LastName, "Семёнова Петрова"},
		"patronymic": {c.Patronymic, "Петровна"},
		"phone":      {c.Phone, "+79161234567"},
		"email":      {c.Email, "anna.semenova@mail.ru"},
		"birth date": {c.BirthDate.String(), "1990-03-05"},
		"ext id":     {c.ExternalID, "POS-1"},
		"note":       {c.Note, "любит капучино"},
		"node":       {c.NodeID, e.store.NodeID()},
	}
	for name, got := range want {
		if got[0] != got[1] {
			t.Errorf("returned %s = %q, want %q", name, got[0], got[1])
		}
	}
	if !c.CreatedAt.Equal(testNow) || !c.UpdatedAt.Equal(testNow) {
		t.Errorf("created/updated = %v/%v, want the clock's %v", c.CreatedAt, c.UpdatedAt, testNow)
	}

	// What was stored is what was returned.
	got := e.get(t, c.ID)
	if got.FullName() != "Семёнова Петрова Анна Петровна" || got.Phone != "+79161234567" ||
		got.Email != "anna.semenova@mail.ru" || got.Gender != app.GenderFemale ||
		got.BirthDate != (app.Date{Year: 1990, Month: time.March, Day: 5}) || got.ExternalID != "POS-1" ||
		got.Note != "любит капучино" || !got.CreatedAt.Equal(testNow) {
		t.Errorf("stored client = %+v", got)
	}
	if len(got.Identifiers) != 1 {
		t.Fatalf("identifiers = %+v, want the phone method only", got.Identifiers)
	}
	idf := got.Identifiers[0]
	if idf.Media != app.MediaPhone || idf.Input != app.InputPhone || idf.Value != "+79161234567" || idf.ClientID != c.ID {
		t.Errorf("phone method = %+v, want media phone, input phone, value +79161234567", idf)
	}
	if e.count(t, "") != 1 {
		t.Errorf("count = %d, want 1", e.count(t, ""))
	}
}

// CL-01: a client without a phone has no identification method, and a client
// may have a phone and no name.
func TestCreateMinimalClients(t *testing.T) {
	e := newEnv(t)
	named := e.create(t, app.ClientInput{LastName: "Иванова"})
	if got := e.get(t, named.ID); len(got.Identifiers) != 0 || got.Phone != "" || !got.BirthDate.IsZero() {
		t.Errorf("client without phone = %+v, want no identifiers, no phone, no birth date", got)
	}
	phoneOnly := e.create(t, app.ClientInput{Phone: "+7 903 111-22-33"})
	if got := e.get(t, phoneOnly.ID); got.Phone != "+79031112233" || got.DisplayName() != "+79031112233" {
		t.Errorf("phone-only client = %+v (display %q)", got, got.DisplayName())
	}
	if n := e.count(t, ""); n != 2 {
		t.Errorf("count = %d, want 2", n)
	}
}

// CL-01: birth dates typed in any accepted form are stored as the same date;
// today and exactly the oldest allowed year are fine.
func TestCreateBirthDateForms(t *testing.T) {
	e := newEnv(t)
	for i, tc := range []struct {
		in   string
		want app.Date
	}{
		{"05.03.1990", app.Date{Year: 1990, Month: time.March, Day: 5}},
		{"5.3.1990", app.Date{Year: 1990, Month: time.March, Day: 5}},
		{"1990-03-05", app.Date{Year: 1990, Month: time.March, Day: 5}},
		{"05/03/1990", app.Date{Year: 1990, Month: time.March, Day: 5}},
		{" 29.02.2000 ", app.Date{Year: 2000, Month: time.February, Day: 29}},
		{"15.03.2026", app.Date{Year: 2026, Month: time.March, Day: 15}},  // today
		{"01.01.1906", app.Date{Year: 1906, Month: time.January, Day: 1}}, // 120 years
		{"", app.Date{}},
	} {
		c := e.create(t, app.ClientInput{FirstName: fmt.Sprintf("Гость %d", i), BirthDate: tc.in})
		if got := e.get(t, c.ID).BirthDate; got != tc.want {
			t.Errorf("birth date %q stored as %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

// CL-01: every bad field comes back as a typed FieldError naming the field; a
// refused Create stores nothing.
func TestCreateValidation(t *testing.T) {
	long := strings.Repeat("я", 101)
	for _, tc := range []struct {
		name          string
		in            app.ClientInput
		field, reason string
	}{
		{"phone too short", app.ClientInput{FirstName: "А", Phone: "123"}, app.FieldPhone, app.ReasonBadPhone},
		{"phone with letters", app.ClientInput{FirstName: "А", Phone: "abc"}, app.FieldPhone, app.ReasonBadPhone},
		{"phone missing a digit", app.ClientInput{FirstName: "А", Phone: "+7 916 123-45-6"}, app.FieldPhone, app.ReasonBadPhone},
		{"phone one digit too many", app.ClientInput{FirstName: "А", Phone: "+7 916 123-45-678"}, app.FieldPhone, app.ReasonBadPhone},
		{"phone with extension words", app.ClientInput{FirstName: "А", Phone: "89161234567 доб 5"}, app.FieldPhone, app.ReasonBadPhone},
		{"e-mail without @", app.ClientInput{FirstName: "А", Email: "ivan.mail.ru"}, app.FieldEmail, app.ReasonBadEmail},
		{"e-mail without domain", app.ClientInput{FirstName: "А", Email: "ivan@"}, app.FieldEmail, app.ReasonBadEmail},
		{"e-mail without local part", app.ClientInput{FirstName: "А", Email: "@mail.ru"}, app.FieldEmail, app.ReasonBadEmail},
		{"e-mail domain without dot", app.ClientInput{FirstName: "А", Email: "ivan@mail"}, app.FieldEmail, app.ReasonBadEmail},
		{"e-mail with two @", app.ClientInput{FirstName: "А", Email: "ivan@@mail.ru"}, app.FieldEmail, app.ReasonBadEmail},
		{"e-mail with space", app.ClientInput{FirstName: "А", Email: "ivan petrov@mail.ru"}, app.FieldEmail, app.ReasonBadEmail},
		{"e-mail with display name", app.ClientInput{FirstName: "А", Email: "Ivan <ivan@mail.ru>"}, app.FieldEmail, app.ReasonBadEmail},
		{"e-mail with trailing dot", app.ClientInput{FirstName: "А", Email: "ivan@mail.ru."}, app.FieldEmail, app.ReasonBadEmail},
		{"e-mail with leading dot in domain", app.ClientInput{FirstName: "А", Email: "ivan@.mail.ru"}, app.FieldEmail, app.ReasonBadEmail},
		{"e-mail with double dot", app.ClientInput{FirstName: "А", Email: "ivan..p@mail.ru"}, app.FieldEmail, app.ReasonBadEmail},
		{"two e-mails", app.ClientInput{FirstName: "А", Email: "a@mail.ru, b@mail.ru"}, app.FieldEmail, app.ReasonBadEmail},
		{"e-mail too long", app.ClientInput{FirstName: "А", Email: strings.Repeat("a", 250) + "@mail.ru"}, app.FieldEmail, app.ReasonBadEmail},
		{"birth date tomorrow", app.ClientInput{FirstName: "А", BirthDate: "16.03.2026"}, app.FieldBirthDate, app.ReasonFutureDate},
		{"birth date next year", app.ClientInput{FirstName: "А", BirthDate: "2027-01-01"}, app.FieldBirthDate, app.ReasonFutureDate},
		{"31 February", app.ClientInput{FirstName: "А", BirthDate: "31.02.2000"}, app.FieldBirthDate, app.ReasonBadDate},
		{"29 February of a common year", app.ClientInput{FirstName: "А", BirthDate: "29.02.2001"}, app.FieldBirthDate, app.ReasonBadDate},
		{"month 13", app.ClientInput{FirstName: "А", BirthDate: "2000-13-01"}, app.FieldBirthDate, app.ReasonBadDate},
		{"two-digit year", app.ClientInput{FirstName: "А", BirthDate: "01.01.99"}, app.FieldBirthDate, app.ReasonBadDate},
		{"words", app.ClientInput{FirstName: "А", BirthDate: "вчера"}, app.FieldBirthDate, app.ReasonBadDate},
		{"too old", app.ClientInput{FirstName: "А", BirthDate: "31.12.1905"}, app.FieldBirthDate, app.ReasonTooOld},
		{"no name and no phone", app.ClientInput{Email: "a@mail.ru", Patronymic: "Петрович"}, app.FieldFirstName, app.ReasonRequired},
		{"blank name and phone", app.ClientInput{FirstName: "  ", LastName: "\t", Phone: " "}, app.FieldFirstName, app.ReasonRequired},
		{"first name too long", app.ClientInput{FirstName: long}, app.FieldFirstName, app.ReasonTooLong},
		{"last name too long", app.ClientInput{LastName: long}, app.FieldLastName, app.ReasonTooLong},
		{"patronymic too long", app.ClientInput{FirstName: "А", Patronymic: long}, app.FieldPatronymic, app.ReasonTooLong},
		{"external id too long", app.ClientInput{FirstName: "А", ExternalID: strings.Repeat("x", 101)}, app.FieldExternalID, app.ReasonTooLong},
		{"note too long", app.ClientInput{FirstName: "А", Note: strings.Repeat("n", 4001)}, app.FieldNote, app.ReasonTooLong},
		{"unknown gender", app.ClientInput{FirstName: "А", Gender: "other"}, app.FieldGender, app.ReasonBadValue},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			c, err := e.clients.Create(e.ctx, tc.in)
			fieldError(t, err, tc.field, tc.reason)
			if errors.Is(err, app.ErrConflict) {
				t.Errorf("errors.Is(%v, ErrConflict) = true for a plain validation error", err)
			}
			if c.ID != "" {
				t.Errorf("a refused Create returned client %+v", c)
			}
			if n := e.count(t, ""); n != 0 {
				t.Errorf("count after a refused Create = %d, want 0", n)
			}
		})
	}
}

// CL-01: limits are inclusive and count characters, not bytes.
func TestCreateLengthLimitsCountCharacters(t *testing.T) {
	e := newEnv(t)
	name := strings.Repeat("Ж", 100) // 200 bytes
	c := e.create(t, app.ClientInput{FirstName: name, LastName: name, Patronymic: name, ExternalID: strings.Repeat("ё", 100)})
	if got := e.get(t, c.ID); got.FirstName != name || got.ExternalID != strings.Repeat("ё", 100) {
		t.Errorf("100-character fields were not stored intact: %+v", got)
	}
}

// CL-01: several problems are reported by one call.
func TestCreateReportsEveryProblem(t *testing.T) {
	e := newEnv(t)
	owner := e.create(t, app.ClientInput{FirstName: "Иван", Phone: "+79161234567", ExternalID: "POS-1"})

	_, err := e.clients.Create(e.ctx, app.ClientInput{
		FirstName: strings.Repeat("x", 101), Phone: "8 916 123 45 67", Email: "not-an-email",
		BirthDate: "31.02.2000", ExternalID: "POS-1",
	})
	fieldError(t, err, app.FieldFirstName, app.ReasonTooLong)
	fieldError(t, err, app.FieldEmail, app.ReasonBadEmail)
	fieldError(t, err, app.FieldBirthDate, app.ReasonBadDate)
	if fe := fieldError(t, err, app.FieldPhone, app.ReasonTaken); fe.OwnerID != owner.ID || fe.Value != "+79161234567" {
		t.Errorf("phone taken = %+v, want owner %s and value +79161234567", fe, owner.ID)
	}
	if fe := fieldError(t, err, app.FieldExternalID, app.ReasonTaken); fe.OwnerID != owner.ID {
		t.Errorf("external id taken = %+v, want owner %s", fe, owner.ID)
	}
	if got := len(app.FieldErrors(err)); got != 5 {
		t.Errorf("FieldErrors = %v, want 5 problems", app.FieldErrors(err))
	}
	if errors.Is(err, app.ErrConflict) {
		t.Error("a mix of bad and taken values matched ErrConflict; it should only match ErrInvalid")
	}
	if n := e.count(t, ""); n != 1 {
		t.Errorf("count = %d, want 1", n)
	}
}

// CL-03: a phone, however typed, identifies at most one client; so does an external id.
func TestCreateTakenValues(t *testing.T) {
	e := newEnv(t)
	owner := e.create(t, app.ClientInput{FirstName: "Иван", Phone: "+79161234567", ExternalID: "POS-1"})
	card := app.IdentifierInput{Media: app.MediaCard, Input: app.InputBarcode, Value: "+79035556677"}
	if _, err := e.clients.AddIdentifier(e.ctx, owner.ID, card); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name  string
		in    app.ClientInput
		field string
		value string
	}{
		{"same phone", app.ClientInput{FirstName: "Пётр", Phone: "+79161234567"}, app.FieldPhone, "+79161234567"},
		{"phone typed with 8", app.ClientInput{FirstName: "Пётр", Phone: "8 (916) 123-45-67"}, app.FieldPhone, "+79161234567"},
		{"phone without code", app.ClientInput{FirstName: "Пётр", Phone: "916 123 45 67"}, app.FieldPhone, "+79161234567"},
		{"phone equal to a card value", app.ClientInput{FirstName: "Пётр", Phone: "89035556677"}, app.FieldPhone, "+79035556677"},
		{"external id", app.ClientInput{FirstName: "Пётр", ExternalID: " POS-1 "}, app.FieldExternalID, "POS-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.clients.Create(e.ctx, tc.in)
			fe := fieldError(t, err, tc.field, app.ReasonTaken)
			if fe.OwnerID != owner.ID || fe.Value != tc.value {
				t.Errorf("field error = %+v, want owner %s, value %s", fe, owner.ID, tc.value)
			}
			if !errors.Is(err, app.ErrConflict) {
				t.Errorf("errors.Is(%v, ErrConflict) = false", err)
			}
			if got := app.FieldErrors(err); len(got) != 1 {
				t.Errorf("FieldErrors = %v, want exactly one", got)
			}
			if n := e.count(t, ""); n != 1 {
				t.Errorf("count = %d, want 1", n)
			}
		})
	}
}

// CL-03: changing the phone moves the phone method; clearing it removes it.
func TestUpdateMovesPhoneMethod(t *testing.T) {
	e := newEnv(t)
	c := e.create(t, app.ClientInput{FirstName: "Анна", LastName: "Семёнова", Phone: "+79161234567"})
	card, err := e.clients.AddIdentifier(e.ctx, c.ID, app.IdentifierInput{Media: app.MediaCard, Input: app.InputBarcode, Value: "CARD-1"})
	if err != nil {
		t.Fatal(err)
	}

	e.clock.Advance(time.Hour)
	in := app.InputOf(e.get(t, c.ID))
	in.Phone = "8 903 111-22-33"
	up, err := e.clients.Update(e.ctx, c.ID, in)
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	if up.Phone != "+79031112233" || !up.UpdatedAt.Equal(testNow.Add(time.Hour)) || !up.CreatedAt.Equal(testNow) {
		t.Errorf("updated = %+v", up)
	}
	if _, err := e.clients.Lookup(e.ctx, "+79161234567"); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("Lookup(old phone) err = %v, want ErrNotFound", err)
	}
	if got, err := e.clients.Lookup(e.ctx, "+79031112233"); err != nil || got.ID != c.ID {
		t.Errorf("Lookup(new phone) = %s, %v; want %s", got.ID, err, c.ID)
	}
	got := e.get(t, c.ID)
	ph := phoneIdentifiers(got)
	if len(ph) != 1 || ph[0].Value != "+79031112233" || ph[0].Input != app.InputPhone {
		t.Errorf("phone methods = %+v, want one with +79031112233", ph)
	}
	if len(got.Identifiers) != 2 {
		t.Errorf("identifiers = %+v, want the card and the new phone", got.Identifiers)
	}
	if got, err := e.clients.Lookup(e.ctx, card.Value); err != nil || got.ID != c.ID {
		t.Errorf("the card no longer identifies the client: %v", err)
	}
	// The old phone is free for somebody else.
	other := e.create(t, app.ClientInput{FirstName: "Пётр", Phone: "+79161234567"})
	if got, err := e.clients.Lookup(e.ctx, "8 916 123-45-67"); err != nil || got.ID != other.ID {
		t.Errorf("Lookup(old phone) after reuse = %s, %v; want %s", got.ID, err, other.ID)
	}

	// Clearing the phone removes the phone method.
	in.Phone = ""
	if _, err := e.clients.Update(e.ctx, c.ID, in); err != nil {
		t.Fatalf("Update (clear phone): %v", err)
	}
	got = e.get(t, c.ID)
	if got.Phone != "" || len(phoneIdentifiers(got)) != 0 || len(got.Identifiers) != 1 {
		t.Errorf("after clearing the phone: phone %q, identifiers %+v; want no phone, the card only", got.Phone, got.Identifiers)
	}
	if _, err := e.clients.Lookup(e.ctx, "+79031112233"); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("Lookup(cleared phone) err = %v, want ErrNotFound", err)
	}

	// Setting a phone again adds the method again.
	in.Phone = "+7 903 111 22 33"
	if _, err := e.clients.Update(e.ctx, c.ID, in); err != nil {
		t.Fatal(err)
	}
	if ph := phoneIdentifiers(e.get(t, c.ID)); len(ph) != 1 || ph[0].Value != "+79031112233" {
		t.Errorf("phone methods after setting the phone again = %+v", ph)
	}
}

// CL-01: an update that keeps the phone (typed another way) is not "taken" by
// the client itself and keeps one phone method.
func TestUpdateKeepsOwnPhone(t *testing.T) {
	e := newEnv(t)
	c := e.create(t, app.ClientInput{FirstName: "Анна", Phone: "+79161234567", ExternalID: "POS-1"})
	before := e.get(t, c.ID)
	in := app.ClientInput{FirstName: "Анна", LastName: "Семёнова", Phone: "8 916 123 45 67", ExternalID: "POS-1", Email: "A@B.RU"}
	if _, err := e.clients.Update(e.ctx, c.ID, in); err != nil {
		t.Fatalf("Update with the same phone: %v", err)
	}
	got := e.get(t, c.ID)
	if got.LastName != "Семёнова" || got.Email != "a@b.ru" || got.ExternalID != "POS-1" {
		t.Errorf("updated client = %+v", got)
	}
	if !reflect.DeepEqual(got.Identifiers, before.Identifiers) {
		t.Errorf("identifiers changed from %+v to %+v though the phone did not", before.Identifiers, got.Identifiers)
	}
}

// CL-01: a refused Update changes nothing, whatever made it fail.
func TestUpdateRefusedChangesNothing(t *testing.T) {
	e := newEnv(t)
	other := e.create(t, app.ClientInput{FirstName: "Пётр", Phone: "+79031112233", ExternalID: "POS-2"})
	c := e.create(t, app.ClientInput{FirstName: "Анна", LastName: "Семёнова", Phone: "+79161234567", Email: "anna@mail.ru"})
	before := e.get(t, c.ID)
	audits := e.auditCount(t, c.ID)
	e.clock.Advance(time.Minute)

	for _, tc := range []struct {
		name          string
		change        func(*app.ClientInput)
		field, reason string
		conflict      bool
	}{
		{"bad e-mail", func(in *app.ClientInput) { in.Email = "anna@"; in.LastName = "Иванова" }, app.FieldEmail, app.ReasonBadEmail, false},
		{"bad phone", func(in *app.ClientInput) { in.Phone = "12" }, app.FieldPhone, app.ReasonBadPhone, false},
		{"future birth date", func(in *app.ClientInput) { in.BirthDate = "01.01.2030" }, app.FieldBirthDate, app.ReasonFutureDate, false},
		{"no name, no phone", func(in *app.ClientInput) { in.FirstName, in.LastName, in.Phone = "", "", "" }, app.FieldFirstName, app.ReasonRequired, false},
		{"phone of another client", func(in *app.ClientInput) { in.Phone = "8 903 111 22 33"; in.LastName = "Иванова" }, app.FieldPhone, app.ReasonTaken, true},
		{"external id of another client", func(in *app.ClientInput) { in.ExternalID = "POS-2" }, app.FieldExternalID, app.ReasonTaken, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := app.InputOf(before)
			tc.change(&in)
			_, err := e.clients.Update(e.ctx, c.ID, in)
			fe := fieldError(t, err, tc.field, tc.reason)
			if !tc.conflict {
				// The client's own phone and external id are not "taken" by it.
				for _, f := range app.FieldErrors(err) {
					if f.Reason == app.ReasonTaken {
						t.Errorf("unexpected %v", f)
					}
				}
			}
			if tc.conflict {
				if fe.OwnerID != other.ID {
					t.Errorf("owner = %q, want %s", fe.OwnerID, other.ID)
				}
				if !errors.Is(err, app.ErrConflict) {
					t.Errorf("errors.Is(%v, ErrConflict) = false", err)
				}
			}
			if after := e.get(t, c.ID); !reflect.DeepEqual(after, before) {
				t.Errorf("a refused Update changed the client:\nbefore %+v\nafter  %+v", before, after)
			}
			if n := e.auditCount(t, c.ID); n != audits {
				t.Errorf("audit entries = %d, want %d (a refused Update logs nothing)", n, audits)
			}
		})
	}
	// The other client still owns its phone.
	if got, err := e.clients.Lookup(e.ctx, "+79031112233"); err != nil || got.ID != other.ID {
		t.Errorf("Lookup(other's phone) = %s, %v", got.ID, err)
	}
	if n := e.count(t, ""); n != 2 {
		t.Errorf("count = %d, want 2", n)
	}
}

// CL-01: Update of a client that does not exist (or was deleted) is ErrNotFound.
func TestUpdateUnknownClient(t *testing.T) {
	e := newEnv(t)
	_, err := e.clients.Update(e.ctx, app.NewID(), app.ClientInput{FirstName: "Анна"})
	if !errors.Is(err, app.ErrNotFound) {
		t.Errorf("Update(unknown) err = %v, want ErrNotFound", err)
	}
	c := e.create(t, app.ClientInput{FirstName: "Анна"})
	if err := e.clients.Delete(e.ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.clients.Update(e.ctx, c.ID, app.ClientInput{FirstName: "Анна"}); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("Update(deleted) err = %v, want ErrNotFound", err)
	}
}

// CL-03: identification methods: unique values, phones normalised, media and
// input must agree.
func TestAddIdentifier(t *testing.T) {
	e := newEnv(t)
	a := e.create(t, app.ClientInput{FirstName: "Анна", Phone: "+79161234567"})
	b := e.create(t, app.ClientInput{FirstName: "Борис"})

	card, err := e.clients.AddIdentifier(e.ctx, a.ID, app.IdentifierInput{Media: app.MediaCard, Input: app.InputBarcode, Value: "  4600000000017 "})
	if err != nil {
		t.Fatalf("AddIdentifier(card): %v", err)
	}
	if card.Value != "4600000000017" || card.ClientID != a.ID || card.ID == "" || card.NodeID != e.store.NodeID() {
		t.Errorf("card = %+v", card)
	}
	if got, err := e.clients.Lookup(e.ctx, "4600000000017"); err != nil || got.ID != a.ID {
		t.Errorf("Lookup(card) = %s, %v; want %s", got.ID, err, a.ID)
	}

	// The same value cannot identify another client.
	_, err = e.clients.AddIdentifier(e.ctx, b.ID, app.IdentifierInput{Media: app.MediaCard, Input: app.InputRFID, Value: "4600000000017"})
	if fe := fieldError(t, err, app.FieldIdentifier, app.ReasonTaken); fe.OwnerID != a.ID {
		t.Errorf("taken identifier owner = %q, want %s", fe.OwnerID, a.ID)
	}
	if !errors.Is(err, app.ErrConflict) {
		t.Errorf("errors.Is(%v, ErrConflict) = false", err)
	}
	// Nor another client's phone.
	_, err = e.clients.AddIdentifier(e.ctx, b.ID, app.IdentifierInput{Media: app.MediaPhone, Input: app.InputPhone, Value: "8 916 123-45-67"})
	if fe := fieldError(t, err, app.FieldIdentifier, app.ReasonTaken); fe.OwnerID != a.ID || fe.Value != "+79161234567" {
		t.Errorf("taken phone = %+v", fe)
	}

	// A second phone typed nationally is stored in E.164.
	ph, err := e.clients.AddIdentifier(e.ctx, b.ID, app.IdentifierInput{Media: app.MediaPhone, Input: app.InputPhone, Value: "8 (903) 111-22-33"})
	if err != nil {
		t.Fatalf("AddIdentifier(phone): %v", err)
	}
	if ph.Value != "+79031112233" {
		t.Errorf("phone identifier value = %q, want +79031112233", ph.Value)
	}
	if got, err := e.clients.Lookup(e.ctx, "9031112233"); err != nil || got.ID != b.ID {
		t.Errorf("Lookup(second phone) = %s, %v; want %s", got.ID, err, b.ID)
	}

	for _, tc := range []struct {
		name          string
		in            app.IdentifierInput
		field, reason string
	}{
		{"card read as a phone", app.IdentifierInput{Media: app.MediaCard, Input: app.InputPhone, Value: "+79990000000"}, app.FieldInput, app.ReasonBadValue},
		{"phone read by barcode", app.IdentifierInput{Media: app.MediaPhone, Input: app.InputBarcode, Value: "123456"}, app.FieldInput, app.ReasonBadValue},
		{"unknown media", app.IdentifierInput{Media: "bracelet", Input: app.InputRFID, Value: "123456"}, app.FieldMedia, app.ReasonBadValue},
		{"unknown input", app.IdentifierInput{Media: app.MediaCard, Input: "nfc", Value: "123456"}, app.FieldInput, app.ReasonBadValue},
		{"empty value", app.IdentifierInput{Media: app.MediaCard, Input: app.InputBarcode, Value: "   "}, app.FieldIdentifier, app.ReasonRequired},
		{"value too long", app.IdentifierInput{Media: app.MediaCard, Input: app.InputBarcode, Value: strings.Repeat("9", 201)}, app.FieldIdentifier, app.ReasonTooLong},
		{"bad phone", app.IdentifierInput{Media: app.MediaPhone, Input: app.InputPhone, Value: "12345"}, app.FieldIdentifier, app.ReasonBadPhone},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := e.get(t, b.ID)
			_, err := e.clients.AddIdentifier(e.ctx, b.ID, tc.in)
			fieldError(t, err, tc.field, tc.reason)
			if after := e.get(t, b.ID); !reflect.DeepEqual(before.Identifiers, after.Identifiers) {
				t.Errorf("a refused AddIdentifier changed the identifiers to %+v", after.Identifiers)
			}
		})
	}

	_, err = e.clients.AddIdentifier(e.ctx, app.NewID(), app.IdentifierInput{Media: app.MediaCard, Input: app.InputQR, Value: "QR-1"})
	if !errors.Is(err, app.ErrNotFound) {
		t.Errorf("AddIdentifier(unknown client) err = %v, want ErrNotFound", err)
	}
	if _, err := e.clients.Lookup(e.ctx, "QR-1"); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("identifier of an unknown client was stored: %v", err)
	}

	got := e.get(t, b.ID)
	if len(got.Identifiers) != 1 || got.Identifiers[0].ID != ph.ID {
		t.Errorf("b's identifiers = %+v, want only the second phone", got.Identifiers)
	}
}

// CL-03: the phone method mirroring the phone goes only with the phone; other
// methods can be removed, which frees their value.
func TestRemoveIdentifier(t *testing.T) {
	e := newEnv(t)
	a := e.create(t, app.ClientInput{FirstName: "Анна", Phone: "+79161234567"})
	card, err := e.clients.AddIdentifier(e.ctx, a.ID, app.IdentifierInput{Media: app.MediaCard, Input: app.InputMagstripe, Value: ";123456789?"})
	if err != nil {
		t.Fatal(err)
	}
	second, err := e.clients.AddIdentifier(e.ctx, a.ID, app.IdentifierInput{Media: app.MediaPhone, Input: app.InputPhone, Value: "+79031112233"})
	if err != nil {
		t.Fatal(err)
	}
	phoneMethod := phoneIdentifiers(e.get(t, a.ID))[0]
	if phoneMethod.Value != "+79161234567" {
		t.Fatalf("first phone method = %+v", phoneMethod)
	}

	err = e.clients.RemoveIdentifier(e.ctx, a.ID, phoneMethod.ID)
	fieldError(t, err, app.FieldIdentifier, app.ReasonPhoneMethod)
	if got, err := e.clients.Lookup(e.ctx, "+79161234567"); err != nil || got.ID != a.ID {
		t.Errorf("the refused removal removed the phone method: %v", err)
	}

	for _, idf := range []app.Identifier{card, second} {
		if err := e.clients.RemoveIdentifier(e.ctx, a.ID, idf.ID); err != nil {
			t.Fatalf("RemoveIdentifier(%s): %v", idf.Value, err)
		}
		if _, err := e.clients.Lookup(e.ctx, idf.Value); !errors.Is(err, app.ErrNotFound) {
			t.Errorf("Lookup(%q) after removal err = %v, want ErrNotFound", idf.Value, err)
		}
	}
	got := e.get(t, a.ID)
	if len(got.Identifiers) != 1 || got.Identifiers[0].ID != phoneMethod.ID {
		t.Errorf("identifiers = %+v, want only the phone method", got.Identifiers)
	}

	// Removing again, or from the wrong client, is ErrNotFound.
	if err := e.clients.RemoveIdentifier(e.ctx, a.ID, card.ID); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("second RemoveIdentifier err = %v, want ErrNotFound", err)
	}
	b := e.create(t, app.ClientInput{FirstName: "Борис"})
	if err := e.clients.RemoveIdentifier(e.ctx, b.ID, phoneMethod.ID); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("RemoveIdentifier of another client's method err = %v, want ErrNotFound", err)
	}

	// The freed value may identify somebody else.
	if _, err := e.clients.AddIdentifier(e.ctx, b.ID, app.IdentifierInput{Media: app.MediaCard, Input: app.InputMagstripe, Value: ";123456789?"}); err != nil {
		t.Errorf("reusing a removed value: %v", err)
	}
	if got, err := e.clients.Lookup(e.ctx, ";123456789?"); err != nil || got.ID != b.ID {
		t.Errorf("Lookup(reused card) = %s, %v; want %s", got.ID, err, b.ID)
	}
}

// CL-01, CL-03: Delete is soft: the client leaves lookups, lists and searches
// and its phone, identifiers and external id become free.
func TestDelete(t *testing.T) {
	e := newEnv(t)
	a := e.create(t, app.ClientInput{FirstName: "Анна", LastName: "Семёнова", Phone: "+79161234567", ExternalID: "POS-1"})
	if _, err := e.clients.AddIdentifier(e.ctx, a.ID, app.IdentifierInput{Media: app.MediaGuestApp, Input: app.InputQR, Value: "QR-A"}); err != nil {
		t.Fatal(err)
	}
	keep := e.create(t, app.ClientInput{FirstName: "Пётр", LastName: "Семенов"})

	if err := e.clients.Delete(e.ctx, a.ID); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := e.clients.Get(e.ctx, a.ID); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("Get(deleted) err = %v, want ErrNotFound", err)
	}
	for _, v := range []string{"+79161234567", "8 916 123 45 67", "QR-A"} {
		if _, err := e.clients.Lookup(e.ctx, v); !errors.Is(err, app.ErrNotFound) {
			t.Errorf("Lookup(%q) of a deleted client err = %v, want ErrNotFound", v, err)
		}
	}
	for _, q := range []string{"", "семен", "POS-1", "4567"} {
		cs, err := e.clients.Search(e.ctx, app.ClientQuery{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if c.ID == a.ID {
				t.Errorf("Search(%q) still lists the deleted client", q)
			}
		}
	}
	if n := e.count(t, ""); n != 1 {
		t.Errorf("count = %d, want 1", n)
	}
	if n := e.count(t, "семен"); n != 1 {
		t.Errorf("count(семен) = %d, want 1 (%s)", n, keep.ID)
	}
	if err := e.clients.Delete(e.ctx, a.ID); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("second Delete err = %v, want ErrNotFound", err)
	}

	// Everything the deleted client held is free again.
	b := e.create(t, app.ClientInput{FirstName: "Вера", Phone: "8 916 123-45-67", ExternalID: "POS-1"})
	if _, err := e.clients.AddIdentifier(e.ctx, b.ID, app.IdentifierInput{Media: app.MediaGuestApp, Input: app.InputQR, Value: "QR-A"}); err != nil {
		t.Errorf("reusing the deleted client's QR: %v", err)
	}
	for _, v := range []string{"+79161234567", "QR-A"} {
		if got, err := e.clients.Lookup(e.ctx, v); err != nil || got.ID != b.ID {
			t.Errorf("Lookup(%q) = %s, %v; want %s", v, got.ID, err, b.ID)
		}
	}
	if cs, err := e.clients.Search(e.ctx, app.ClientQuery{Text: "POS-1"}); err != nil || len(cs) != 1 || cs[0].ID != b.ID {
		t.Errorf("Search(POS-1) = %v, %v; want only %s", cs, err, b.ID)
	}
	// The deleted client's delete was logged.
	entries, err := e.store.AuditOf(e.ctx, "client", a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 || entries[len(entries)-1].Action != "client.delete" {
		t.Errorf("audit = %+v, want it to end with client.delete", entries)
	}
}

// CL-13, ID-04: Lookup finds by an exact identifier value or a phone in any
// common form.
func TestLookup(t *testing.T) {
	e := newEnv(t)
	a := e.create(t, app.ClientInput{FirstName: "Анна", Phone: "+79161234567"})
	b := e.create(t, app.ClientInput{FirstName: "Борис"})
	for _, in := range []app.IdentifierInput{
		{Media: app.MediaCard, Input: app.InputBarcode, Value: "4600000000017"},
		{Media: app.MediaGuestApp, Input: app.InputQR, Value: "ld:9f3c2a7e"},
		{Media: app.MediaCard, Input: app.InputRFID, Value: "0012345678"},
	} {
		if _, err := e.clients.AddIdentifier(e.ctx, b.ID, in); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		value, want string
	}{
		{"+79161234567", a.ID},
		{"8 (916) 123-45-67", a.ID},
		{"89161234567", a.ID},
		{"9161234567", a.ID},
		{"79161234567", a.ID},
		{"+7 916 123 45 67", a.ID},
		{"+7(916)123-45-67", a.ID},
		{"8.916.123.45.67", a.ID},
		{"  +79161234567\n", a.ID},
		{"4600000000017", b.ID},
		{"ld:9f3c2a7e", b.ID},
		{"0012345678", b.ID}, // an RFID number is found as is, not read as a phone
		{" 4600000000017 ", b.ID},
	} {
		got, err := e.clients.Lookup(e.ctx, tc.value)
		if err != nil || got.ID != tc.want {
			t.Errorf("Lookup(%q) = %s, %v; want %s", tc.value, got.ID, err, tc.want)
			continue
		}
		if len(got.Identifiers) == 0 {
			t.Errorf("Lookup(%q) returned the client without its identifiers", tc.value)
		}
	}
	for _, v := range []string{"", "   ", "460000000001", "4600000000017X", "LD:9F3C2A7E", "+79160000000", "916123", "Анна", "123"} {
		if got, err := e.clients.Lookup(e.ctx, v); !errors.Is(err, app.ErrNotFound) {
			t.Errorf("Lookup(%q) = %s, %v; want ErrNotFound", v, got.ID, err)
		}
	}
}

// CL-13: the search box finds clients by name (either order, any case, ё = е),
// by phone (whole, prefix or last digits), e-mail prefix, identifier prefix
// and external id; Count agrees with Search.
func TestSearch(t *testing.T) {
	e := newEnv(t)
	ids := map[string]string{}
	add := func(key string, in app.ClientInput, idfs ...app.IdentifierInput) {
		c := e.create(t, in)
		ids[key] = c.ID
		for _, idf := range idfs {
			if _, err := e.clients.AddIdentifier(e.ctx, c.ID, idf); err != nil {
				t.Fatal(err)
			}
		}
	}
	add("anna", app.ClientInput{FirstName: "Анна", LastName: "Семёнова", Patronymic: "Петровна", Phone: "+79161234567", Email: "anna.semenova@mail.ru"})
	add("ivan", app.ClientInput{FirstName: "Иван", LastName: "Семенов", Phone: "+79031112233", Email: "ivan@example.com", ExternalID: "POS-42"})
	add("petr", app.ClientInput{FirstName: "Пётр", LastName: "Петров", Phone: "+77011234567"},
		app.IdentifierInput{Media: app.MediaCard, Input: app.InputBarcode, Value: "CARD-000123"})
	add("john", app.ClientInput{FirstName: "John", LastName: "Smith", Email: "john.smith@example.com"})
	add("maria", app.ClientInput{FirstName: "Мария", LastName: "Иванова", ExternalID: "SITE-7"})

	for _, tc := range []struct {
		text string
		want []string
	}{
		{"", []string{"anna", "ivan", "petr", "john", "maria"}},
		{"семенова", []string{"anna"}},
		{"Семёнова", []string{"anna"}},
		{"СЕМЕН", []string{"anna", "ivan"}},
		{"семён", []string{"anna", "ivan"}},
		{"  семёнова   анна ", []string{"anna"}},
		{"Семёнова Анна Петровна", []string{"anna"}},
		{"анна семенова", []string{"anna"}},
		{"Иван Семенов", []string{"ivan"}},
		{"иван", []string{"ivan", "maria"}},
		{"петр", []string{"petr"}},
		{"smith", []string{"john"}},
		{"JOHN S", []string{"john"}},
		{"4567", []string{"anna", "petr"}},
		{"2233", []string{"ivan"}},
		{"8 916 12", []string{"anna"}},
		{"916 123", []string{"anna"}},
		{"+7 903", []string{"ivan"}},
		{"+79161234567", []string{"anna"}},
		{"8 (916) 123-45-67", []string{"anna"}},
		{"8 701", []string{"petr"}},
		{"ivan@", []string{"ivan"}},
		{"ANNA.SEM", []string{"anna"}},
		{"john.smith@example.com", []string{"john"}},
		{"CARD-000", []string{"petr"}},
		{"CARD-000123", []string{"petr"}},
		{"POS-42", []string{"ivan"}},
		{"SITE-7", []string{"maria"}},
		{"zzz", nil},
		{"семёнов иван петрович", nil},
		{"5555", nil},
	} {
		t.Run(tc.text, func(t *testing.T) {
			cs, err := e.clients.Search(e.ctx, app.ClientQuery{Text: tc.text})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range cs {
				got = append(got, c.ID)
			}
			var want []string
			for _, k := range tc.want {
				want = append(want, ids[k])
			}
			sort.Strings(got)
			sort.Strings(want)
			if !slices.Equal(got, want) {
				names := make([]string, len(cs))
				for i, c := range cs {
					names[i] = c.FullName()
				}
				t.Errorf("Search(%q) found %v, want %v", tc.text, names, tc.want)
			}
			if n := e.count(t, tc.text); n != len(want) {
				t.Errorf("Count(%q) = %d, want %d", tc.text, n, len(want))
			}
			for _, c := range cs {
				if c.Identifiers != nil {
					t.Errorf("Search filled identifiers of %s; lists leave them nil", c.ID)
				}
			}
		})
	}
}

// CL-12: pages come in name order, without gaps or overlaps.
func TestSearchPaging(t *testing.T) {
	e := newEnv(t)
	surnames := []string{"Яковлев", "Абрамов", "Ёлкин", "Егоров", "Жуков", "Белов", "Орлов", "Кузнецов", "Семёнов", "Семенова"}
	want := map[string]bool{}
	for i := range 25 {
		c := e.create(t, app.ClientInput{
			LastName:  surnames[i%len(surnames)],
			FirstName: fmt.Sprintf("Гость%02d", 24-i),
			Phone:     fmt.Sprintf("+7916%07d", 1000000+i),
		})
		want[c.ID] = true
	}
	if n := e.count(t, ""); n != 25 {
		t.Fatalf("count = %d, want 25", n)
	}
	var all []app.Client
	for off := 0; off < 30; off += 7 {
		page, err := e.clients.Search(e.ctx, app.ClientQuery{Offset: off, Limit: 7})
		if err != nil {
			t.Fatal(err)
		}
		wantLen := min(7, max(25-off, 0))
		if len(page) != wantLen {
			t.Errorf("page at %d has %d rows, want %d", off, len(page), wantLen)
		}
		all = append(all, page...)
	}
	seen := map[string]bool{}
	for i, c := range all {
		if seen[c.ID] {
			t.Errorf("client %s (%s) appears on two pages", c.ID, c.FullName())
		}
		seen[c.ID] = true
		if !want[c.ID] {
			t.Errorf("unknown client %s in the pages", c.ID)
		}
		if i > 0 && app.NameKey(all[i-1]) > app.NameKey(c) {
			t.Errorf("pages out of name order: %q before %q", all[i-1].FullName(), c.FullName())
		}
	}
	if len(seen) != 25 {
		t.Errorf("the pages hold %d clients, want 25", len(seen))
	}
	// ё sorts as е: Ёлкин comes between Егоров and Жуков.
	var order []string
	for _, c := range all {
		if len(order) == 0 || order[len(order)-1] != c.LastName {
			order = append(order, c.LastName)
		}
	}
	wantOrder := []string{"Абрамов", "Белов", "Егоров", "Ёлкин", "Жуков", "Кузнецов", "Орлов", "Семёнов", "Семенова", "Яковлев"}
	if !slices.Equal(order, wantOrder) {
		t.Errorf("surname order = %v, want %v", order, wantOrder)
	}

	// Paging a search works the same way, and a zero limit means a default page.
	var found []string
	for off := 0; off < 9; off += 3 {
		page, err := e.clients.Search(e.ctx, app.ClientQuery{Text: "семен", Offset: off, Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page {
			if !strings.HasPrefix(app.NameKey(c), "семенов") {
				t.Errorf("Search(семен) found %q", c.FullName())
			}
			found = append(found, c.ID)
		}
	}
	slices.Sort(found)
	if n := e.count(t, "семен"); n != 4 || len(slices.Compact(found)) != 4 {
		t.Errorf("семен: count %d, paged %v; want 4 distinct clients", n, found)
	}
	def, err := e.clients.Search(e.ctx, app.ClientQuery{Limit: 0, Offset: -5})
	if err != nil || len(def) != 25 {
		t.Errorf("Search with no limit and a negative offset = %d rows, %v; want all 25", len(def), err)
	}
}

// AD-02: every create, update and identifier change leaves an audit entry.
func TestAuditLog(t *testing.T) {
	e := newEnv(t)
	ctx := app.WithActor(e.ctx, "manager:olga")
	c, err := e.clients.Create(ctx, app.ClientInput{FirstName: "Анна", Phone: "+79161234567"})
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Minute)
	if _, err := e.clients.Update(ctx, c.ID, app.ClientInput{FirstName: "Анна", LastName: "Семёнова", Phone: "+79161234567"}); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Minute)
	idf, err := e.clients.AddIdentifier(e.ctx, c.ID, app.IdentifierInput{Media: app.MediaCard, Input: app.InputBarcode, Value: "CARD-9"})
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Minute)
	if err := e.clients.RemoveIdentifier(e.ctx, c.ID, idf.ID); err != nil {
		t.Fatal(err)
	}

	entries, err := e.store.AuditOf(e.ctx, "client", c.ID)
	if err != nil {
		t.Fatalf("AuditLog: %v", err)
	}
	wantActions := []string{"client.create", "client.update", "client.identifier.add", "client.identifier.remove"}
	wantActors := []string{"manager:olga", "manager:olga", "system", "system"}
	if len(entries) != len(wantActions) {
		t.Fatalf("audit = %+v, want %v", entries, wantActions)
	}
	for i, en := range entries {
		if en.Action != wantActions[i] || en.Actor != wantActors[i] || en.Entity != "client" || en.EntityID != c.ID ||
			en.NodeID != e.store.NodeID() || !en.At.Equal(testNow.Add(time.Duration(i)*time.Minute)) || en.ID == "" {
			t.Errorf("audit[%d] = %+v, want %s by %s at %v", i, en, wantActions[i], wantActors[i], testNow.Add(time.Duration(i)*time.Minute))
		}
	}
	if !strings.Contains(entries[1].Details, "Семёнова Анна") || !strings.Contains(entries[2].Details, "CARD-9") {
		t.Errorf("audit details = %q / %q, want the new name and the card value", entries[1].Details, entries[2].Details)
	}
	if n := e.auditCount(t, c.ID); n != 4 {
		t.Errorf("audit_log rows in the file = %d, want 4", n)
	}
}

// A second Open of the same file sees everything the first wrote.
func TestClientsSurviveReopen(t *testing.T) {
	e := newEnv(t)
	c := e.create(t, app.ClientInput{FirstName: "Анна", Phone: "+79161234567", BirthDate: "05.03.1990"})
	before := e.get(t, c.ID)
	if err := e.store.Close(); err != nil {
		t.Fatal(err)
	}
	store, err := db.Open(e.ctx, e.path, db.Options{Clock: e.clock})
	if err != nil {
		t.Fatal(err)
	}
	e.store = store // closed by newEnv's cleanup
	clients := app.NewClients(store, e.clock)
	after, err := clients.Lookup(e.ctx, "8 916 123 45 67")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, after) {
		t.Errorf("after re-open:\n got %+v\nwant %+v", after, before)
	}
}

// Settings: the phone region (RU by default) decides how numbers without a
// country code are read; the venue name round-trips.
func TestSettings(t *testing.T) {
	e := newEnv(t)
	region, err := e.settings.PhoneRegion(e.ctx)
	if err != nil || region != "RU" {
		t.Fatalf("default region = %q, %v; want RU", region, err)
	}

	for _, bad := range []string{"ZZ", "", "XX", "Russia"} {
		err := e.settings.SetPhoneRegion(e.ctx, bad)
		fieldError(t, err, app.FieldRegion, app.ReasonBadRegion)
	}
	if region, _ := e.settings.PhoneRegion(e.ctx); region != "RU" {
		t.Errorf("region after refused changes = %q, want RU", region)
	}

	if err := e.settings.SetPhoneRegion(e.ctx, " kz "); err != nil {
		t.Fatalf("SetPhoneRegion(kz): %v", err)
	}
	if region, _ := e.settings.PhoneRegion(e.ctx); region != "KZ" {
		t.Errorf("region = %q, want KZ", region)
	}
	c := e.create(t, app.ClientInput{FirstName: "Айгерим", Phone: "7011234567"})
	if c.Phone != "+77011234567" {
		t.Errorf("KZ number typed without code = %q, want +77011234567", c.Phone)
	}
	if got, err := e.clients.Lookup(e.ctx, "8 701 123 45 67"); err != nil || got.ID != c.ID {
		t.Errorf("Lookup(8 701 …) with region KZ = %s, %v", got.ID, err)
	}

	if err := e.settings.SetPhoneRegion(e.ctx, "BY"); err != nil {
		t.Fatal(err)
	}
	by := e.create(t, app.ClientInput{FirstName: "Алесь", Phone: "8 029 123-45-67"})
	if by.Phone != "+375291234567" {
		t.Errorf("BY number typed nationally = %q, want +375291234567", by.Phone)
	}

	name, err := e.settings.VenueName(e.ctx)
	if err != nil || name != "" {
		t.Errorf("venue name before it is set = %q, %v; want empty", name, err)
	}
	if err := e.settings.SetVenueName(e.ctx, "  Кофейня   «Зерно» "); err != nil {
		t.Fatal(err)
	}
	if name, err := e.settings.VenueName(e.ctx); err != nil || name != "Кофейня «Зерно»" {
		t.Errorf("venue name = %q, %v; want Кофейня «Зерно»", name, err)
	}
	if err := e.settings.SetVenueName(e.ctx, "Зерно"); err != nil {
		t.Fatal(err)
	}
	if name, _ := e.settings.VenueName(e.ctx); name != "Зерно" {
		t.Errorf("venue name after a second change = %q, want Зерно", name)
	}
	entries, err := e.store.AuditOf(e.ctx, "setting", app.SettingVenueName)
	if err != nil || len(entries) != 2 || entries[0].Action != "settings.set" {
		t.Errorf("audit of venue name = %+v, %v; want two settings.set entries", entries, err)
	}
}

// CL-13: with region BY a partly typed national number ("8 029 12…") should
// find the client whose phone it starts.
func TestSearchBelarusPartialPhone(t *testing.T) {
	e := newEnv(t)
	if err := e.settings.SetPhoneRegion(e.ctx, "BY"); err != nil {
		t.Fatal(err)
	}
	c := e.create(t, app.ClientInput{FirstName: "Алесь", Phone: "8 029 123-45-67"})
	// The whole number is found however it is typed.
	for _, q := range []string{"8 029 123-45-67", "+375 29 123-45-67", "4567"} {
		if n := e.count(t, q); n != 1 {
			t.Errorf("Count(%q) = %d, want 1", q, n)
		}
	}
	cs, err := e.clients.Search(e.ctx, app.ClientQuery{Text: "8 029 12"})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) == 1 && cs[0].ID == c.ID {
		return
	}
	t.Error("with region BY, Search(\"8 029 12\") finds nobody although the client's phone is +375291234567: " +
		"app.PhonePrefix turns it into +37502912 (see TestPhonePrefixBelarusNational)")
}

// CL-03: the phone must keep identifying the client. When the new phone equals
// a value the client already holds on another medium (a card whose barcode is
// the phone number), Update adds no phone method and relies on that card; the
// card can then be removed like any other, and the phone identifies nobody.
func TestPhoneStaysIdentifyingAfterCardRemoval(t *testing.T) {
	e := newEnv(t)
	c := e.create(t, app.ClientInput{FirstName: "Анна"})
	card, err := e.clients.AddIdentifier(e.ctx, c.ID, app.IdentifierInput{Media: app.MediaCard, Input: app.InputBarcode, Value: "+79161234567"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.clients.Update(e.ctx, c.ID, app.ClientInput{FirstName: "Анна", Phone: "8 916 123-45-67"}); err != nil {
		t.Fatalf("Update (phone equal to the client's own card): %v", err)
	}
	if got, err := e.clients.Lookup(e.ctx, "8 916 123-45-67"); err != nil || got.ID != c.ID {
		t.Fatalf("Lookup(phone) = %s, %v; want %s", got.ID, err, c.ID)
	}
	rmErr := e.clients.RemoveIdentifier(e.ctx, c.ID, card.ID)
	got, lookErr := e.clients.Lookup(e.ctx, "8 916 123-45-67")
	if rmErr != nil || (lookErr == nil && got.ID == c.ID) {
		// Fixed: either the removal is refused or a phone method remains.
		if rmErr != nil {
			fieldError(t, rmErr, app.FieldIdentifier, app.ReasonPhoneMethod)
		}
		return
	}
	// Worse, the phone is now free for a second client.
	twin, twinErr := e.clients.Create(e.ctx, app.ClientInput{FirstName: "Двойник", Phone: "+79161234567"})
	dup := ""
	if twinErr == nil {
		dup = "; a second client (" + twin.ID + ") could then be created with the same phone"
	}
	t.Error("app/clients.go Update/RemoveIdentifier: after Update sets the phone to the value of the client's own card " +
		"(syncPhoneMethod skips adding the phone method, \"already added by hand\"), RemoveIdentifier lets that card go " +
		"(its guard only checks Media == phone), and Lookup(\"8 916 123-45-67\") then fails: " + lookErr.Error() + dup)
}

// The error kinds: ValidationError matches ErrInvalid always and ErrConflict
// only when every problem is a taken value.
func TestValidationErrorKinds(t *testing.T) {
	taken := app.FieldError{Field: app.FieldPhone, Reason: app.ReasonTaken, Value: "+79161234567", OwnerID: "x"}
	bad := app.FieldError{Field: app.FieldEmail, Reason: app.ReasonBadEmail, Value: "a@"}
	for _, tc := range []struct {
		fields            []app.FieldError
		invalid, conflict bool
	}{
		{[]app.FieldError{taken}, true, true},
		{[]app.FieldError{taken, taken}, true, true},
		{[]app.FieldError{bad}, true, false},
		{[]app.FieldError{taken, bad}, true, false},
		{nil, true, false},
	} {
		err := fmt.Errorf("create client: %w", &app.ValidationError{Fields: tc.fields})
		if got := errors.Is(err, app.ErrInvalid); got != tc.invalid {
			t.Errorf("%v: Is(ErrInvalid) = %v", tc.fields, got)
		}
		if got := errors.Is(err, app.ErrConflict); got != tc.conflict {
			t.Errorf("%v: Is(ErrConflict) = %v", tc.fields, got)
		}
		if errors.Is(err, app.ErrNotFound) {
			t.Errorf("%v: Is(ErrNotFound) = true", tc.fields)
		}
		if got := app.FieldErrors(err); !slices.Equal(got, tc.fields) {
			t.Errorf("FieldErrors = %v, want %v", got, tc.fields)
		}
	}
	ve := &app.ValidationError{Fields: []app.FieldError{bad, taken}}
	if fe, ok := ve.Field(app.FieldPhone); !ok || fe != taken {
		t.Errorf("Field(phone) = %+v, %v", fe, ok)
	}
	if _, ok := ve.Field(app.FieldNote); ok {
		t.Error("Field(note) found a problem that is not there")
	}
	msg := ve.Error()
	for _, want := range []string{"email", "bad_email", `"a@"`, "phone", "taken", "+79161234567"} {
		if !strings.Contains(msg, want) {
			t.Errorf("Error() = %q, missing %q", msg, want)
		}
	}
	if app.FieldErrors(errors.New("plain")) != nil || app.FieldErrors(nil) != nil {
		t.Error("FieldErrors of an error without fields is not nil")
	}
	if got := (app.FieldError{Field: app.FieldNote, Reason: app.ReasonTooLong}).Error(); got != "note: too_long" {
		t.Errorf("FieldError without value = %q", got)
	}
}

func TestManualClockAndActor(t *testing.T) {
	c := app.NewManualClock(testNow)
	if !c.Now().Equal(testNow) {
		t.Errorf("Now = %v", c.Now())
	}
	c.Advance(90 * time.Minute)
	if want := testNow.Add(90 * time.Minute); !c.Now().Equal(want) {
		t.Errorf("after Advance: %v, want %v", c.Now(), want)
	}
	c.Set(testNow.AddDate(-1, 0, 0))
	if want := testNow.AddDate(-1, 0, 0); !c.Now().Equal(want) {
		t.Errorf("after Set: %v, want %v", c.Now(), want)
	}
	if d := time.Since(app.SystemClock{}.Now()); d < 0 || d > time.Minute {
		t.Errorf("SystemClock is %v off", d)
	}
	ctx := context.Background()
	if got := app.ActorOf(ctx); got != "system" {
		t.Errorf("ActorOf(background) = %q, want system", got)
	}
	if got := app.ActorOf(app.WithActor(ctx, "cashier:ivan")); got != "cashier:ivan" {
		t.Errorf("ActorOf = %q", got)
	}
	if got := app.ActorOf(app.WithActor(ctx, "")); got != "system" {
		t.Errorf("ActorOf(empty actor) = %q, want system", got)
	}
}

// CL-01: only the known genders are valid.
func TestGenderValid(t *testing.T) {
	for g, want := range map[app.Gender]bool{
		app.GenderUnknown: true, app.GenderMale: true, app.GenderFemale: true, "Male": false, "other": false,
	} {
		if got := g.Valid(); got != want {
			t.Errorf("Gender(%q).Valid() = %v, want %v", g, got, want)
		}
	}
}
