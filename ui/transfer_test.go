package ui

// Tests of the export and import dialogs (CL-17, CL-18) over the real UI and
// a real SQLite file: the dialogs' file pickers are skipped by handing the
// path straight to the step after them.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"loyaltydesk/app"
	"loyaltydesk/app/transfer"
)

func newTransferHarness(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t)
	h.ui.deps.Transfer = transfer.NewService(h.clients)
	return h
}

func (h *harness) add(t *testing.T, in app.ClientInput) app.Client {
	t.Helper()
	c, err := h.clients.Create(h.ui.ctx(), in)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// pressKey types a key into the window as if no widget had the focus.
func (h *harness) pressKey(name fyne.KeyName) {
	h.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: name})
}

func TestExportDialogWritesCSVAndXLSX(t *testing.T) {
	h := newTransferHarness(t)
	h.add(t, app.ClientInput{LastName: "Смирнова", FirstName: "Анна", Phone: "+7 916 000-00-01", Gender: app.GenderFemale})
	b := h.add(t, app.ClientInput{LastName: "Иванов", FirstName: "Борис"})
	dir := t.TempDir()

	d := h.ui.showExport(app.ClientQuery{}, []string{app.ColFullName, app.ColPhone, app.ColGender})
	if want := "2 клиента, столбцов: 3"; d.info.Text != want {
		t.Errorf("info %q, want %q", d.info.Text, want)
	}
	if !d.sep.Disabled() {
		t.Error("the CSV separator is enabled for XLSX")
	}
	d.format.SetSelected("CSV")
	if d.sep.Disabled() || d.sep.Selected != "; точка с запятой (русский Excel)" {
		t.Errorf("CSV separator disabled %v, selected %q", d.sep.Disabled(), d.sep.Selected)
	}
	path := filepath.Join(dir, "клиенты.csv")
	d.start(path)
	if d.written != 2 || d.running {
		t.Fatalf("written %d, running %v; status %q", d.written, d.running, d.status.Text)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "\uFEFFФИО;Телефон;Пол\r\nИванов Борис;;\r\nСмирнова Анна;'+7 916 000-00-01;Женский\r\n"
	if string(data) != want {
		t.Errorf("file %q, want %q", data, want)
	}
	if want := "Выгружено: 2 клиента в " + path; d.status.Text != want {
		t.Errorf("status %q, want %q", d.status.Text, want)
	}
	if d.stopBtn.Text != "Закрыть" {
		t.Errorf("the button under a finished export reads %q", d.stopBtn.Text)
	}
	h.pressKey(fyne.KeyEscape)
	if top := h.win.Canvas().Overlays().Top(); top != nil {
		t.Error("Esc did not close the export dialog")
	}

	// A checked set, to XLSX, with the list's saved columns.
	d = h.ui.showExport(app.ClientQuery{IDs: []string{b.ID}}, nil)
	if want := "1 клиент, столбцов: 8"; d.info.Text != want {
		t.Errorf("info %q, want %q", d.info.Text, want)
	}
	path = filepath.Join(dir, "клиенты.xlsx")
	d.start(path)
	if d.written != 1 {
		t.Fatalf("written %d; status %q", d.written, d.status.Text)
	}
	tb, err := transfer.ReadFile(h.ui.ctx(), path, transfer.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(tb.Rows) != 1 || tb.Rows[0].Cells[0] != "Иванов Борис" || tb.Header[0] != "ФИО" {
		t.Errorf("xlsx read back as %+v", tb)
	}

	// A folder that cannot be written to: an error in red, nothing written.
	d.start(filepath.Join(dir, "нет такой папки", "x.xlsx"))
	if d.status.Importance != widget.DangerImportance || d.status.Text == "" || d.written != 1 {
		t.Errorf("status %q (%v), written %d", d.status.Text, d.status.Importance, d.written)
	}
}

func TestImportDialogChecksThenImports(t *testing.T) {
	h := newTransferHarness(t)
	h.add(t, app.ClientInput{FirstName: "Ольга", Phone: "+7 900 000-00-01"})
	dir := t.TempDir()
	bad := filepath.Join(dir, "гости.csv")
	csv := "Фамилия;Имя;Телефон;Пол;Любимый стол\r\n" +
		"Иванов;Иван;+7 916 111-11-11;м;у окна\r\n" +
		"Петров;Пётр;12345;;\r\n" +
		"Орлова;Ольга;8 900 000-00-01;ж;\r\n"
	if err := os.WriteFile(bad, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	reloaded := 0
	d := h.ui.showImport(func() { reloaded++ })
	d.load(bad)
	if d.fileLbl.Text != "гости.csv: строк — 3, столбцов — 5" {
		t.Errorf("file label %q", d.fileLbl.Text)
	}
	want := []string{"Фамилия", "Имя", "Телефон", "Пол", "— не загружать —"}
	for i, s := range d.selects {
		if s.Selected != want[i] {
			t.Errorf("column %d mapped to %q, want %q", i+1, s.Selected, want[i])
		}
	}
	// The unknown column becomes a variable named after it.
	d.selects[4].SetSelected("Переменная «Любимый стол»")
	if d.mapping[4] != "var:Любимый стол" {
		t.Errorf("mapping %q", d.mapping)
	}
	// Giving a field to a second column takes it from the first.
	d.selects[1].SetSelected("Фамилия")
	if d.mapping[0] != app.ImportSkip || d.selects[0].Selected != "— не загружать —" {
		t.Errorf("mapping %q after giving the last name to column 2", d.mapping)
	}
	d.selects[0].SetSelected("Фамилия")
	d.selects[1].SetSelected("Имя")

	test.Tap(d.checkBtn)
	if got, want := d.problems, []string{"Строка 3, столбец «Телефон»: Телефон: «12345» — не номер телефона, пример: +7 916 123-45-67"}; len(got) != 1 || got[0] != want[0] {
		t.Errorf("problems %q, want %q", got, want)
	}
	if d.copyBtn.Disabled() || !strings.HasPrefix(d.summary.Text, "Строк: 3. Отклонено: 1, поэтому ничего не записано.") {
		t.Errorf("summary %q (copy enabled %v)", d.summary.Text, !d.copyBtn.Disabled())
	}
	test.Tap(d.copyBtn)
	if got := h.ui.app.Clipboard().Content(); !strings.Contains(got, "Строка 3, столбец «Телефон»") || !strings.HasPrefix(got, "Строк: 3.") {
		t.Errorf("clipboard %q", got)
	}
	test.Tap(d.importBtn)
	if n := h.count(t); n != 1 || reloaded != 0 {
		t.Fatalf("%d clients and %d reloads after an import with a bad row, want 1 and 0", n, reloaded)
	}

	good := filepath.Join(dir, "гости2.csv")
	if err := os.WriteFile(good, []byte(strings.Replace(csv, "12345", "+7 916 222-22-22", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	d.load(good)
	if len(d.problems) != 0 || d.summary.Text != "" {
		t.Error("the old report is still shown for a new file")
	}
	d.dupMode.SetSelected("Дополнить клиента")
	test.Tap(d.checkBtn)
	if want := "Строк: 3. Будет добавлено: 2, дополнено: 1, пропущено дублей: 0. Это проверка: ничего не записано."; d.summary.Text != want {
		t.Errorf("summary %q, want %q", d.summary.Text, want)
	}
	h.pressKey(fyne.KeyReturn) // Enter imports
	if !d.last.Written || reloaded != 1 {
		t.Fatalf("report %+v, reloads %d", d.last, reloaded)
	}
	if n := h.count(t); n != 3 {
		t.Errorf("%d clients, want 3", n)
	}
	olga, err := h.clients.Lookup(h.ui.ctx(), "+79000000001")
	if err != nil || olga.LastName != "Орлова" || olga.Gender != app.GenderFemale {
		t.Errorf("merged client %+v (%v)", olga, err)
	}
	if !d.importBtn.Disabled() || !d.checkBtn.Disabled() || d.stopBtn.Text != "Закрыть" {
		t.Error("the dialog offers to import the same file again")
	}
	test.Tap(d.stopBtn)
	if top := h.win.Canvas().Overlays().Top(); top != nil {
		t.Error("Close did not close the import dialog")
	}
}

// A file that is not a table says so in the dialog.
func TestImportDialogBadFile(t *testing.T) {
	h := newTransferHarness(t)
	path := filepath.Join(t.TempDir(), "пусто.csv")
	if err := os.WriteFile(path, []byte("Имя;Телефон\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	d := h.ui.showImport(nil)
	d.load(path)
	if want := "В файле нет строки заголовков или строк под ней"; d.status.Text != want {
		t.Errorf("status %q, want %q", d.status.Text, want)
	}
	if !d.importBtn.Disabled() {
		t.Error("Import is enabled without a file")
	}
	h.pressKey(fyne.KeyEscape)
	if top := h.win.Canvas().Overlays().Top(); top != nil {
		t.Error("Esc did not close the import dialog")
	}
}
