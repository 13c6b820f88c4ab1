package app_test

// Tests of the client import (CL-18) over the real SQLite store: each reason a
// row is rejected, all or nothing, dry runs, duplicates skipped or merged,
// the mapping.

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"loyaltydesk/app"
	"loyaltydesk/db"
)

// sheet builds an import table from a header and rows of cells separated
// by ";"; the rows are on lines 2, 3, ….
func sheet(header string, rows ...string) app.ImportTable {
	t := app.ImportTable{Name: "clients.csv", Header: strings.Split(header, ";")}
	for i, r := range rows {
		t.Rows = append(t.Rows, app.ImportRow{Line: i + 2, Cells: strings.Split(r, ";")})
	}
	return t
}

// plainStore is the real store with only app.Store's methods: wrapping it
// hides the batch methods of db.Store (app.BatchReader, app.BatchWriter), so
// the import takes its value-by-value path.
type plainStore struct{ app.Store }

func (p plainStore) Update(ctx context.Context, fn func(tx app.Tx) error) error {
	return p.Store.Update(ctx, func(tx app.Tx) error { return fn(plainTx{tx}) })
}

type plainTx struct{ app.Tx }

// bothStores runs test on venues of the real store, which has the batch
// methods, and on venues of the same store without them; test makes its
// venues with the newEnv it is given.
func bothStores(t *testing.T, test func(t *testing.T, newEnv func(*testing.T) *env)) {
	if _, ok := app.Store(&db.Store{}).(app.BatchReader); !ok {
		t.Fatal("db.Store lacks the batch lookups")
	}
	t.Run("batch", func(t *testing.T) { test(t, newEnv) })
	t.Run("value by value", func(t *testing.T) {
		test(t, func(t *testing.T) *env {
			e := newEnv(t)
			e.clients = app.NewClients(plainStore{e.store}, e.clock)
			return e
		})
	})
}

func (e *env) importTable(t *testing.T, tb app.ImportTable, opt app.ImportOptions) app.ImportReport {
	t.Helper()
	if opt.Mapping == nil {
		opt.Mapping = app.AutoMap(tb.Header, nil)
	}
	rep, err := e.clients.Import(e.ctx, tb, opt)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	if rep.Rows != len(tb.Rows) {
		t.Errorf("report counts %d rows, want %d", rep.Rows, len(tb.Rows))
	}
	if n := rep.Created + rep.Merged + rep.Skipped + rep.Rejected; n != rep.Rows {
		t.Errorf("created %d + merged %d + skipped %d + rejected %d = %d, want %d rows",
			rep.Created, rep.Merged, rep.Skipped, rep.Rejected, n, rep.Rows)
	}
	return rep
}

func (e *env) total(t *testing.T) int { return e.count(t, "") }

func (e *env) importAudits(t *testing.T) []app.AuditEntry {
	t.Helper()
	all, err := e.store.AuditOf(e.ctx, "client", "*")
	if err != nil {
		t.Fatal(err)
	}
	var out []app.AuditEntry
	for _, a := range all {
		if a.Action == "clients.import" {
			out = append(out, a)
		}
	}
	return out
}

func (e *env) lookup(t *testing.T, value string) app.Client {
	t.Helper()
	c, err := e.clients.Lookup(e.ctx, value)
	if err != nil {
		t.Fatalf("Lookup(%q): %v", value, err)
	}
	return c
}

type problem struct {
	line           int
	column, field  string
	reason, value  string
	columnIndexSet bool
}

func problems(rep app.ImportReport) []problem {
	out := make([]problem, len(rep.Problems))
	for i, p := range rep.Problems {
		out[i] = problem{p.Line, p.Column, p.Field, p.Reason, p.Value, p.ColumnIndex > 0}
	}
	return out
}

const fullHeader = "Фамилия;Имя;Телефон;E-mail;Пол;Дата рождения;Карта;Теги;SMS;Напиток"

// CL-18 acceptance: a bad phone, an unknown gender, a card another client
// holds or an earlier row took, a wrong date format and an empty name each
// reject exactly their row, with the line, column and reason; and with any
// row rejected nothing is written, though the other rows are fine.
func TestImportRejectsBadRowsAndWritesNothing(t *testing.T) {
	bothStores(t, testImportRejectsBadRowsAndWritesNothing)
}

func testImportRejectsBadRowsAndWritesNothing(t *testing.T, newEnv func(*testing.T) *env) {
	e := newEnv(t)
	holder := e.create(t, app.ClientInput{FirstName: "Ольга", Phone: "+7 900 000-00-01"})
	if _, err := e.clients.AddIdentifier(e.ctx, holder.ID, app.IdentifierInput{Media: app.MediaCard, Input: app.InputBarcode, Value: "CARD-1"}); err != nil {
		t.Fatal(err)
	}
	tb := sheet(fullHeader,
		"Иванов;Иван;+7 916 111-11-11;ivan@example.ru;м;01.02.1990;CARD-2;vip, кофе;да;латте",
		"Петров;Пётр;12345;;;;;;;",
		"Сидорова;Анна;+7 916 222-22-22;;робот;;;;;",
		"Козлов;Кирилл;+7 916 333-33-33;;;;CARD-1;;;",
		"Орлова;Ирина;+7 916 444-44-44;;ж;1 февраля 1990;;;;",
		";;+7 916 555-55-55;noname@example.ru;;;;;;",
		"Лебедев;Лев;+7 916 666-66-66;;;;CARD-2;;;",
		"Морозова;Мария;+7 916 777-77-77;;Ж;1990-03-04;CARD-3;;нет;",
	)
	opt := app.ImportOptions{Mapping: app.AutoMap(tb.Header, []string{"Напиток"})}
	rep := e.importTable(t, tb, opt)
	want := []problem{
		{3, "Телефон", app.FieldPhone, app.ReasonBadPhone, "12345", true},
		{4, "Пол", app.FieldGender, app.ReasonUnknownGender, "робот", true},
		{5, "Карта", app.FieldCard, app.ReasonTaken, "CARD-1", true},
		{6, "Дата рождения", app.FieldBirthDate, app.ReasonBadDate, "1 февраля 1990", true},
		{7, "Фамилия", app.FieldFullName, app.ReasonRequired, "", true},
		{8, "Карта", app.FieldCard, app.ReasonDuplicate, "CARD-2", true},
	}
	if got := problems(rep); !reflect.DeepEqual(got, want) {
		t.Errorf("problems:\n got %+v\nwant %+v", got, want)
	}
	if rep.Rejected != 6 || rep.Created != 2 || rep.Written || rep.DryRun {
		t.Errorf("report %+v: want 6 rejected, 2 that would be created, nothing written", rep)
	}
	if n := e.total(t); n != 1 {
		t.Errorf("%d clients after a rejected import, want the 1 there was", n)
	}
	if _, err := e.clients.Lookup(e.ctx, "CARD-2"); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("the good row's card was written: %v", err)
	}
	if a := e.importAudits(t); len(a) != 0 {
		t.Errorf("audit entries of a rejected import: %+v", a)
	}
	dir, err := e.clients.Directory(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(dir.Tags) != 0 || len(dir.Variables) != 0 {
		t.Errorf("a rejected import left tags %v and variables %v", dir.Tags, dir.Variables)
	}

	// Without the bad rows the same file goes in, row by row as it says.
	tb.Rows = []app.ImportRow{tb.Rows[0], tb.Rows[7]}
	rep = e.importTable(t, tb, opt)
	if rep.Created != 2 || rep.Rejected != 0 || !rep.Written || len(rep.Problems) != 0 {
		t.Fatalf("report %+v, want 2 created and written", rep)
	}
	ivan := e.lookup(t, "CARD-2")
	if ivan.FullName() != "Иванов Иван" || ivan.Phone != "+79161111111" || ivan.Email != "ivan@example.ru" ||
		ivan.Gender != app.GenderMale || ivan.BirthDate.String() != "1990-02-01" || !ivan.SMSSubscribed {
		t.Errorf("imported client %+v", ivan)
	}
	if got := e.lookup(t, "8 916 111-11-11").ID; got != ivan.ID {
		t.Errorf("the phone finds %s, want %s", got, ivan.ID)
	}
	tags := make([]string, len(ivan.Tags))
	for i, tg := range ivan.Tags {
		tags[i] = tg.Name
	}
	if slices.Sort(tags); !reflect.DeepEqual(tags, []string{"vip", "кофе"}) {
		t.Errorf("tags %v", tags)
	}
	if len(ivan.Variables) != 1 || ivan.Variables[0].Name != "Напиток" || ivan.Variables[0].Value != "латте" {
		t.Errorf("variables %+v", ivan.Variables)
	}
	maria := e.lookup(t, "CARD-3")
	if maria.Gender != app.GenderFemale || maria.SMSSubscribed || maria.BirthDate.String() != "1990-03-04" {
		t.Errorf("imported client %+v", maria)
	}
	if a := e.importAudits(t); len(a) != 1 || !strings.Contains(a[0].Details, `"created":2`) || !strings.Contains(a[0].Details, "clients.csv") {
		t.Errorf("audit %+v, want one import entry", a)
	}
}

// A dry run reports what would happen and writes nothing.
func TestImportDryRun(t *testing.T) { bothStores(t, testImportDryRun) }

func testImportDryRun(t *testing.T, newEnv func(*testing.T) *env) {
	e := newEnv(t)
	e.create(t, app.ClientInput{FirstName: "Анна", Phone: "+7 916 000-00-01"})
	tb := sheet("ФИО;Телефон", "Иванов Иван Иванович;+7 916 000-00-02", "Анна Петрова;8 916 000-00-01")
	rep := e.importTable(t, tb, app.ImportOptions{DryRun: true})
	if !rep.DryRun || rep.Written || rep.Created != 1 || rep.Skipped != 1 {
		t.Errorf("report %+v, want a dry run with 1 created and 1 skipped", rep)
	}
	if n := e.total(t); n != 1 {
		t.Errorf("%d clients after a dry run, want 1", n)
	}
	rep = e.importTable(t, tb, app.ImportOptions{})
	if !rep.Written || rep.Created != 1 {
		t.Fatalf("report %+v", rep)
	}
	c := e.lookup(t, "+79160000002")
	if c.LastName != "Иванов" || c.FirstName != "Иван" || c.Patronymic != "Иванович" {
		t.Errorf("full name split into %q %q %q", c.LastName, c.FirstName, c.Patronymic)
	}
}

// Duplicates by phone, e-mail, external id or card, of existing clients and
// of earlier rows, are skipped or merged as chosen; a merge changes only what
// the row gives.
func TestImportDuplicatesSkipOrMerge(t *testing.T) { bothStores(t, testImportDuplicatesSkipOrMerge) }

func testImportDuplicatesSkipOrMerge(t *testing.T, newEnv func(*testing.T) *env) {
	header := "Фамилия;Имя;Телефон;E-mail;Внешний ID;Карта;Заметка;Теги"
	rows := []string{
		"Смирнова;Анна;8 916 000-00-01;;;;новая заметка;постоянный", // phone of A
		"Смирнова;Анна;;;;;;",                            // no keys: a new client, however alike
		";Борис;;boris@example.ru;;;;",                   // e-mail of B
		";Вера;;;POS-3;;;",                               // external id of C
		";Галина;;;;CARD-4;;",                            // card of D, no other key
		"Новиков;Никита;+7 916 000-00-09;;;;;",           // new
		"Новиков;Ник;8 916 000-00-09;nik@example.ru;;;;", // phone of the row above
		"Орлов;Олег;+7 916 000-00-10;;POS-9;CARD-9;;",    // new
		"Орлов;Олег;+7 916 000-00-11;;POS-9;CARD-10;;",   // external id of the row above, a new phone and card
	}
	setup := func(t *testing.T) (*env, []app.Client) {
		e := newEnv(t)
		a := e.create(t, app.ClientInput{LastName: "Смирнова", FirstName: "Аня", Phone: "+7 916 000-00-01", Note: "старая", BirthDate: "01.01.1980"})
		b := e.create(t, app.ClientInput{FirstName: "Борис", Email: "Boris@example.ru"})
		c := e.create(t, app.ClientInput{FirstName: "Вера", ExternalID: "POS-3"})
		d := e.create(t, app.ClientInput{FirstName: "Галина"})
		if _, err := e.clients.AddIdentifier(e.ctx, d.ID, app.IdentifierInput{Media: app.MediaCard, Input: app.InputBarcode, Value: "CARD-4"}); err != nil {
			t.Fatal(err)
		}
		return e, []app.Client{a, b, c, d}
	}

	t.Run("skip", func(t *testing.T) {
		e, existing := setup(t)
		rep := e.importTable(t, sheet(header, rows...), app.ImportOptions{Duplicates: app.DuplicatesSkip})
		if rep.Created != 3 || rep.Skipped != 6 || rep.Merged != 0 || !rep.Written {
			t.Fatalf("report %+v, want 3 created, 6 skipped", rep)
		}
		if a := e.get(t, existing[0].ID); a.FirstName != "Аня" || a.Note != "старая" || len(a.Tags) != 0 {
			t.Errorf("a skipped row changed the client: %+v", a)
		}
		if n := e.total(t); n != 7 {
			t.Errorf("%d clients, want 4 + 3", n)
		}
		if c := e.lookup(t, "+79160000009"); c.FirstName != "Никита" || c.Email != "" {
			t.Errorf("the skipped second row changed the first: %+v", c)
		}
	})
	t.Run("merge", func(t *testing.T) {
		e, existing := setup(t)
		rep := e.importTable(t, sheet(header, rows...), app.ImportOptions{Duplicates: app.DuplicatesMerge})
		if rep.Created != 3 || rep.Merged != 6 || rep.Skipped != 0 || !rep.Written {
			t.Fatalf("report %+v, want 3 created, 6 merged", rep)
		}
		a := e.get(t, existing[0].ID)
		if a.FirstName != "Анна" || a.Note != "новая заметка" || a.BirthDate.String() != "1980-01-01" ||
			a.Phone != "+79160000001" || len(a.Tags) != 1 || a.Tags[0].Name != "постоянный" {
			t.Errorf("merged client %+v", a)
		}
		if n := e.total(t); n != 7 {
			t.Errorf("%d clients, want 4 + 3", n)
		}
		c := e.lookup(t, "+79160000009")
		if c.FirstName != "Ник" || c.Email != "nik@example.ru" {
			t.Errorf("the second row did not merge into the first: %+v", c)
		}
		// The merged phone moved the phone method; both cards stay.
		o := e.lookup(t, "+79160000011")
		if e.lookup(t, "CARD-9").ID != o.ID || e.lookup(t, "CARD-10").ID != o.ID || o.ExternalID != "POS-9" {
			t.Errorf("cards do not find the merged client %+v", o)
		}
		if _, err := e.clients.Lookup(e.ctx, "+79160000010"); !errors.Is(err, app.ErrNotFound) {
			t.Errorf("the replaced phone still finds a client: %v", err)
		}
		if got := phoneIdentifiers(o); len(got) != 1 || got[0].Value != "+79160000011" {
			t.Errorf("phone methods %+v", got)
		}
	})
}

// All or nothing holds for merges too: a bad row keeps a good merge out.
func TestImportMergeAllOrNothing(t *testing.T) { bothStores(t, testImportMergeAllOrNothing) }

func testImportMergeAllOrNothing(t *testing.T, newEnv func(*testing.T) *env) {
	e := newEnv(t)
	a := e.create(t, app.ClientInput{FirstName: "Анна", Phone: "+7 916 000-00-01", Note: "старая"})
	tb := sheet("Имя;Телефон;Заметка", "Анна;8 916 000-00-01;новая", "Борис;+7 916;")
	rep := e.importTable(t, tb, app.ImportOptions{Duplicates: app.DuplicatesMerge})
	if rep.Merged != 1 || rep.Rejected != 1 || rep.Written {
		t.Fatalf("report %+v", rep)
	}
	if got := e.get(t, a.ID); got.Note != "старая" {
		t.Errorf("note %q after a rejected import, want the old one", got.Note)
	}
}

// A merge that would take a phone from another client, or cannot tell which
// client an e-mail means, rejects the row; skipping just skips it.
func TestImportMergeConflicts(t *testing.T) { bothStores(t, testImportMergeConflicts) }

func testImportMergeConflicts(t *testing.T, newEnv func(*testing.T) *env) {
	e := newEnv(t)
	e.create(t, app.ClientInput{FirstName: "Анна", ExternalID: "POS-1"})
	e.create(t, app.ClientInput{FirstName: "Борис", Phone: "+7 916 000-00-02"})
	e.create(t, app.ClientInput{FirstName: "Вера", Email: "family@example.ru"})
	e.create(t, app.ClientInput{FirstName: "Глеб", Email: "family@example.ru"})
	tb := sheet("Имя;Внешний ID;Телефон;E-mail", "Анна;POS-1;+7 916 000-00-02;", "Вера;;;family@example.ru")
	rep := e.importTable(t, tb, app.ImportOptions{Duplicates: app.DuplicatesMerge})
	want := []problem{
		{2, "Телефон", app.FieldPhone, app.ReasonTaken, "+79160000002", true},
		{3, "E-mail", app.FieldEmail, app.ReasonAmbiguous, "family@example.ru", true},
	}
	if got := problems(rep); !reflect.DeepEqual(got, want) {
		t.Errorf("problems:\n got %+v\nwant %+v", got, want)
	}
	rep = e.importTable(t, tb, app.ImportOptions{Duplicates: app.DuplicatesSkip})
	if rep.Skipped != 2 || rep.Rejected != 0 {
		t.Errorf("skip: report %+v", rep)
	}
}

// Spreadsheet day numbers in the birth-date column are dates; other fields
// get their own checks.
func TestImportFieldChecks(t *testing.T) { bothStores(t, testImportFieldChecks) }

func testImportFieldChecks(t *testing.T, newEnv func(*testing.T) *env) {
	e := newEnv(t)
	tb := sheet("ФИО;Дата рождения;Пол;SMS;Подписка на e-mail;Теги;Карта",
		"Анна;32905;Женский;ИСТИНА;0;;",
		"Борис;2100-01-01;;;;;",
		"Вера;;;может быть;;;",
		"Глеб;;;;;"+strings.Repeat("т", 61)+";",
		"Дарья;;;;;;"+strings.Repeat("1", 201),
	)
	tb.SerialDates = true
	rep := e.importTable(t, tb, app.ImportOptions{DryRun: true})
	want := []problem{
		{3, "Дата рождения", app.FieldBirthDate, app.ReasonFutureDate, "01.01.2100", true},
		{4, "SMS", app.FieldSMS, app.ReasonBadValue, "может быть", true},
		{5, "Теги", app.FieldTag, app.ReasonTooLong, strings.Repeat("т", 61), true},
		{6, "Карта", app.FieldCard, app.ReasonTooLong, "", true},
	}
	if got := problems(rep); !reflect.DeepEqual(got, want) {
		t.Errorf("problems:\n got %+v\nwant %+v", got, want)
	}
	tb.Rows = tb.Rows[:1]
	if rep := e.importTable(t, tb, app.ImportOptions{}); !rep.Written {
		t.Fatalf("report %+v", rep)
	}
	cs, err := e.clients.Search(e.ctx, app.ClientQuery{Text: "Анна"})
	if err != nil || len(cs) != 1 {
		t.Fatalf("Search: %v %v", cs, err)
	}
	if c := cs[0]; c.BirthDate.String() != "1990-02-01" || c.Gender != app.GenderFemale || !c.SMSSubscribed || c.EmailSubscribed {
		t.Errorf("client %+v", c)
	}
}

func TestImportMapping(t *testing.T) {
	header := []string{"№", "Ф.И.О.", "Тел.", "E-mail:", "Дата рождения*", "Номер карты", "var:Напиток", "Любимый стол", "телефон"}
	got := app.AutoMap(header, []string{"Любимый стол"})
	want := []string{app.ImportSkip, app.ImportFullName, app.ImportPhone, app.ImportEmail, app.ImportBirthDate,
		app.ImportCard, "var:Напиток", "var:Любимый стол", app.ImportSkip}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("AutoMap = %q\nwant      %q", got, want)
	}
	got, err := app.ParseMapping(header, got, []string{"1=external_id", "телефон=phone", "ф.и.о.=skip", "8=var:Стол"})
	if err != nil {
		t.Fatal(err)
	}
	want = []string{app.ImportExternalID, app.ImportSkip, app.ImportSkip, app.ImportEmail, app.ImportBirthDate,
		app.ImportCard, "var:Напиток", "var:Стол", app.ImportPhone}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseMapping = %q\nwant          %q", got, want)
	}
	// got has no name column now.
	wantField(t, app.ValidateMapping(header, got), app.FieldFullName, app.ReasonRequired)
	for _, tc := range []struct {
		spec, reason string
	}{
		{"Отчество=patronymic", app.ReasonNotFound},
		{"10=phone", app.ReasonNotFound},
		{"2=surname", app.ReasonUnknownField},
		{"2", app.ReasonBadValue},
		{"2=var:", app.ReasonUnknownField},
	} {
		_, err := app.ParseMapping(header, want, []string{tc.spec})
		wantField(t, err, app.FieldColumn, tc.reason)
	}
	bad := slices.Clone(want)
	bad[1] = app.ImportPhone
	wantField(t, app.ValidateMapping(header, bad), app.FieldColumn, app.ReasonDuplicate)
	e := newEnv(t)
	if _, err := e.clients.Import(e.ctx, sheet("Телефон", "+7 916 000-00-01"), app.ImportOptions{Mapping: []string{app.ImportPhone}}); err == nil {
		t.Error("an import without a name column ran")
	}
}

// Cancelling stops an import and writes nothing; progress comes in stages
// and ends at the total.
func TestImportCancelAndProgress(t *testing.T) { bothStores(t, testImportCancelAndProgress) }

func testImportCancelAndProgress(t *testing.T, newEnv func(*testing.T) *env) {
	e := newEnv(t)
	var rows []string
	for i := range 1200 {
		rows = append(rows, fmt.Sprintf("Клиент %d;+7 916 %07d", i, i))
	}
	tb := sheet("ФИО;Телефон", rows...)
	ctx, cancel := context.WithCancel(e.ctx)
	opt := app.ImportOptions{Mapping: app.AutoMap(tb.Header, nil), Progress: func(p app.ImportProgress) {
		if p.Stage == app.StageWrite && p.Done >= 500 {
			cancel()
		}
	}}
	if _, err := e.clients.Import(ctx, tb, opt); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n := e.total(t); n != 0 {
		t.Errorf("%d clients after a cancelled import", n)
	}
	var last = map[app.ImportStage]app.ImportProgress{}
	opt.Progress = func(p app.ImportProgress) {
		if prev, ok := last[p.Stage]; ok && p.Done < prev.Done {
			t.Errorf("progress went back: %+v after %+v", p, prev)
		}
		last[p.Stage] = p
	}
	if rep := e.importTable(t, tb, opt); rep.Created != 1200 {
		t.Fatalf("report %+v", rep)
	}
	for _, st := range []app.ImportStage{app.StageCheck, app.StageWrite} {
		if p := last[st]; p.Done != 1200 || p.Total != 1200 {
			t.Errorf("last %s progress %+v, want 1200 of 1200", st, p)
		}
	}
	if n := e.total(t); n != 1200 {
		t.Errorf("%d clients, want 1200", n)
	}
}
