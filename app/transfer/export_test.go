package transfer_test

// Tests of the export (CL-17) and of files going round (export, then import)
// over the real SQLite store in a temporary folder.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"loyaltydesk/app"
	"loyaltydesk/app/transfer"
	"loyaltydesk/db"
)

var testNow = time.Date(2026, time.March, 15, 10, 0, 0, 0, time.UTC)

type env struct {
	ctx     context.Context
	dir     string
	clients *app.Clients
	svc     *transfer.Service
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := app.WithActor(context.Background(), "test")
	dir := t.TempDir()
	clock := app.NewManualClock(testNow)
	store, err := db.Open(ctx, filepath.Join(dir, "loyaltydesk.db"), db.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	clients := app.NewClients(store, clock)
	return &env{ctx: ctx, dir: dir, clients: clients, svc: transfer.NewService(clients)}
}

func (e *env) create(t *testing.T, in app.ClientInput) app.Client {
	t.Helper()
	c, err := e.clients.Create(e.ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// venue makes three clients: Анна with a tag and a variable, Борис, Вера.
func (e *env) venue(t *testing.T) []app.Client {
	t.Helper()
	a := e.create(t, app.ClientInput{LastName: "Смирнова", FirstName: "Анна", Phone: "+7 916 000-00-01",
		Email: "anna@example.ru", Gender: app.GenderFemale, BirthDate: "01.02.1990", Note: "=1+1"})
	b := e.create(t, app.ClientInput{LastName: "Иванов", FirstName: "Борис", Gender: app.GenderMale})
	v := e.create(t, app.ClientInput{FirstName: "Вера", ExternalID: "POS-3"})
	if _, err := e.clients.Apply(e.ctx, app.ClientQuery{IDs: []string{a.ID}}, app.Action{Kind: app.ActionAddTag, Tag: "vip"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.clients.Apply(e.ctx, app.ClientQuery{IDs: []string{a.ID}}, app.Action{Kind: app.ActionSubscribeSMS}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.clients.SetVariable(e.ctx, a.ID, "Напиток", "латте"); err != nil {
		t.Fatal(err)
	}
	return []app.Client{a, b, v}
}

var exportColumns = []string{app.ColFullName, app.ColPhone, app.ColGender, app.ColBirthDate, app.ColSMS,
	app.ColSold, app.ColTags, "var:Напиток", app.ColNote}

func TestExportCSV(t *testing.T) {
	e := newEnv(t)
	e.venue(t)
	path := filepath.Join(e.dir, "clients.csv")
	var progress []int
	n, err := e.svc.Export(e.ctx, app.ClientQuery{}, exportColumns, path, transfer.ExportOptions{
		Format: transfer.CSV, Separator: ';',
		Progress: func(done, total int) {
			if total != 3 {
				t.Errorf("progress total %d, want 3", total)
			}
			progress = append(progress, done)
		},
	})
	if err != nil || n != 3 {
		t.Fatalf("Export = %d, %v", n, err)
	}
	if len(progress) == 0 || progress[len(progress)-1] != 3 {
		t.Errorf("progress %v, want it to end at 3", progress)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "\uFEFFfull_name;phone;gender;birth_date;sms;sold;tags;Напиток;note\r\n" +
		"Вера;;;;нет;0,00;;;\r\n" +
		"Иванов Борис;;м;;нет;0,00;;;\r\n" +
		"Смирнова Анна;'+7 916 000-00-01;ж;01.02.1990;да;0,00;vip;латте;'=1+1\r\n"
	if string(data) != want {
		t.Errorf("file:\n%q\nwant\n%q", data, want)
	}
	assertNoPartFiles(t, e.dir)
}

func TestExportXLSXSelectionAndTitles(t *testing.T) {
	e := newEnv(t)
	cs := e.venue(t)
	path := filepath.Join(e.dir, "clients.xlsx")
	titles := map[string]string{app.ColFullName: "ФИО", app.ColBirthDate: "Дата рождения", app.ColSold: "Продано", app.ColSMS: "SMS"}
	n, err := e.svc.Export(e.ctx, app.ClientQuery{IDs: []string{cs[0].ID, cs[2].ID}},
		[]string{app.ColFullName, app.ColBirthDate, app.ColSold, app.ColSMS}, path, transfer.ExportOptions{
			Title: func(k string) string { return titles[k] }, Yes: "yes", No: "no", Sheet: "Клиенты",
		})
	if err != nil || n != 2 {
		t.Fatalf("Export = %d, %v", n, err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Клиенты")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"ФИО", "Дата рождения", "Продано", "SMS"}, {"Вера", "", "0.00", "no"}, {"Смирнова Анна", "01.02.1990", "0.00", "yes"}}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("rows %q, want %q", rows, want)
	}
	if typ, _ := f.GetCellType("Клиенты", "C2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("money is text (%v), want a number", typ)
	}
}

// Export, change nothing, import back: the fields map by themselves, and
// every client with a phone, e-mail or external id is a duplicate (Борис has
// none of them, so he cannot be told from a new client of the same name).
func TestExportImportRoundTrip(t *testing.T) {
	for _, format := range []transfer.Format{transfer.CSV, transfer.XLSX} {
		t.Run(string(format), func(t *testing.T) {
			e := newEnv(t)
			e.venue(t)
			path := filepath.Join(e.dir, "clients."+string(format))
			cols := []string{app.ColLastName, app.ColFirstName, app.ColPhone, app.ColEmail, app.ColGender,
				app.ColBirthDate, app.ColExternalID, app.ColNote, app.ColTags, app.ColSMS, "var:Напиток"}
			if _, err := e.svc.Export(e.ctx, app.ClientQuery{}, cols, path, transfer.ExportOptions{}); err != nil {
				t.Fatal(err)
			}
			tb, err := e.svc.Read(e.ctx, path, transfer.ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			mapping, err := e.svc.AutoMap(e.ctx, tb)
			if err != nil {
				t.Fatal(err)
			}
			want := []string{app.ImportLastName, app.ImportFirstName, app.ImportPhone, app.ImportEmail, app.ImportGender,
				app.ImportBirthDate, app.ImportExternalID, app.ImportNote, app.ImportTags, app.ImportSMS, "var:Напиток"}
			if !reflect.DeepEqual(mapping, want) {
				t.Fatalf("AutoMap(%q) = %q", tb.Header, mapping)
			}
			rep, err := e.svc.Import(e.ctx, tb, app.ImportOptions{Mapping: mapping, DryRun: true})
			if err != nil || rep.Skipped != 2 || rep.Created != 1 || rep.Rejected != 0 {
				t.Fatalf("re-import: %+v, %v; want 2 skipped, 1 created", rep, err)
			}
			// Into an empty venue the same file makes the same clients.
			e2 := newEnv(t)
			rep, err = e2.svc.Import(e2.ctx, tb, app.ImportOptions{Mapping: mapping})
			if err != nil || rep.Created != 3 || !rep.Written {
				t.Fatalf("import into an empty venue: %+v, %v", rep, err)
			}
			anna, err := e2.clients.Lookup(e2.ctx, "+79160000001")
			if err != nil {
				t.Fatal(err)
			}
			if anna.Email != "anna@example.ru" || anna.Gender != app.GenderFemale || anna.BirthDate.String() != "1990-02-01" ||
				anna.Note != "=1+1" || !anna.SMSSubscribed || len(anna.Tags) != 1 || len(anna.Variables) != 1 {
				t.Errorf("round trip gave %+v", anna)
			}
		})
	}
}

// A cancelled or failed export leaves no file behind, nor an old one broken.
func TestExportCancelLeavesNothing(t *testing.T) {
	e := newEnv(t)
	for i := range 1200 {
		e.create(t, app.ClientInput{FirstName: fmt.Sprintf("Клиент %04d", i)})
	}
	path := filepath.Join(e.dir, "clients.xlsx")
	ctx, cancel := context.WithCancel(e.ctx)
	_, err := e.svc.Export(ctx, app.ClientQuery{}, []string{app.ColFullName}, path, transfer.ExportOptions{
		Progress: func(done, total int) {
			if done >= 500 {
				cancel()
			}
		},
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a cancelled export left %s (%v)", path, err)
	}
	assertNoPartFiles(t, e.dir)
	for _, tc := range []struct {
		cols  []string
		opt   transfer.ExportOptions
		field string
	}{
		{[]string{"shoe_size"}, transfer.ExportOptions{}, app.FieldColumn},
		{nil, transfer.ExportOptions{}, app.FieldColumn},
		{[]string{app.ColFullName}, transfer.ExportOptions{Format: "ods"}, app.FieldFormat},
		{[]string{app.ColFullName}, transfer.ExportOptions{Format: transfer.CSV, Separator: '|'}, app.FieldFormat},
	} {
		_, err := e.svc.Export(e.ctx, app.ClientQuery{}, tc.cols, path, tc.opt)
		if fes := app.FieldErrors(err); len(fes) != 1 || fes[0].Field != tc.field {
			t.Errorf("Export(%v, %+v) = %v, want a %s error", tc.cols, tc.opt, err, tc.field)
		}
	}
	assertNoPartFiles(t, e.dir)
}

func assertNoPartFiles(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, en := range entries {
		if strings.HasSuffix(en.Name(), ".part") {
			t.Errorf("partial file %s left behind", en.Name())
		}
	}
}
