package main

// Tests of `loyaltydesk import clients` and `loyaltydesk export clients`
// (CL-17, CL-18) on a real database file.

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"loyaltydesk/app"
	"loyaltydesk/db"
)

// cliVenue makes a database with one client holding card CARD-1, and returns
// its path.
func cliVenue(t *testing.T) string {
	t.Helper()
	t.Setenv("LANGUAGE", "ru")
	path := filepath.Join(t.TempDir(), "venue.db")
	ctx := context.Background()
	store, err := db.Open(ctx, path, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	clients := app.NewClients(store, app.SystemClock{})
	c, err := clients.Create(ctx, app.ClientInput{LastName: "Орлова", FirstName: "Ольга", Phone: "+7 900 000-00-01", Gender: app.GenderFemale})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := clients.AddIdentifier(ctx, c.ID, app.IdentifierInput{Media: app.MediaCard, Input: app.InputBarcode, Value: "CARD-1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := clients.SaveSegment(ctx, "Женщины", app.SegmentQuery{Filter: app.ClientFilter{Gender: app.GenderIsFemale}}); err != nil {
		t.Fatal(err)
	}
	return path
}

func cliCount(t *testing.T, dbPath string) int {
	t.Helper()
	ctx := context.Background()
	store, err := db.Open(ctx, dbPath, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	n, err := app.NewClients(store, app.SystemClock{}).Count(ctx, app.ClientQuery{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func writeCSV(t *testing.T, name, data string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// CL-18 acceptance, headless: each bad row is reported by line, column and
// reason, the exit status is 1 and nothing is written; a dry run of a good
// file writes nothing; the import writes.
func TestCLIImport(t *testing.T) {
	dbPath := cliVenue(t)
	bad := writeCSV(t, "гости.csv", "Фамилия;Имя;Телефон;Пол;Дата рождения;Карта\n"+
		"Иванов;Иван;+7 916 111-11-11;м;01.02.1990;CARD-2\n"+
		"Петров;Пётр;12345;;;\n"+
		"Сидорова;Анна;+7 916 222-22-22;робот;;\n"+
		"Козлов;Кирилл;+7 916 333-33-33;;;CARD-1\n"+
		"Белова;Вера;+7 916 444-44-44;;1990/31/12;\n"+
		";;+7 916 555-55-55;;;\n"+
		"Лебедев;Лев;+7 916 666-66-66;;;CARD-2\n")
	code, out, errOut := runCLI(t, "import", "clients", bad, "--db", dbPath)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr %s", code, errOut)
	}
	for _, want := range []string{
		"Строка 3, столбец «Телефон»: Телефон: «12345» — не номер телефона",
		"Строка 4, столбец «Пол»: Пол: «робот» — неизвестный пол",
		"Строка 5, столбец «Карта»: Номер карты: «CARD-1» уже принадлежит другому клиенту",
		"Строка 6, столбец «Дата рождения»: Дата рождения: «1990/31/12» — не дата",
		"Строка 7, столбец «Фамилия»: Нет имени",
		"Строка 8, столбец «Карта»: Номер карты: «CARD-2» уже указан у другого клиента в строке выше",
		"Строк: 7. Отклонено: 6, поэтому ничего не записано.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Строка 2") {
		t.Errorf("the good row is reported:\n%s", out)
	}
	if n := cliCount(t, dbPath); n != 1 {
		t.Fatalf("%d clients after a rejected import, want 1", n)
	}

	// The good rows, with the columns mapped by hand: a dry run, then the import.
	good := writeCSV(t, "good.csv", "A;B;C\nИванов Иван;8 916 111-11-11;CARD-2\nОрлова Ольга;+7 900 000-00-01;\n")
	args := []string{"import", "clients", "--map", "A=full_name", "--map", "2=phone", good, "--map", "C=card", "--db", dbPath}
	code, out, errOut = runCLI(t, append(args, "--dry-run")...)
	if code != 0 || !strings.Contains(out, "Будет добавлено: 1, дополнено: 0, пропущено дублей: 1. Это проверка") {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, errOut)
	}
	if n := cliCount(t, dbPath); n != 1 {
		t.Fatalf("%d clients after a dry run, want 1", n)
	}
	code, out, errOut = runCLI(t, append(args, "--duplicates", "merge")...)
	if code != 0 || !strings.Contains(out, "Добавлено: 1, дополнено: 1, пропущено дублей: 0.") {
		t.Fatalf("import: exit %d\n%s%s", code, out, errOut)
	}
	if n := cliCount(t, dbPath); n != 2 {
		t.Fatalf("%d clients after the import, want 2", n)
	}
}

func TestCLIExport(t *testing.T) {
	dbPath := cliVenue(t)
	if code, _, errOut := runCLI(t, "import", "clients", "--db", dbPath,
		writeCSV(t, "x.csv", "ФИО,Пол,Теги\nИванов Иван,м,\"vip, кофе\"\n")); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "все.csv")
	code, out, errOut := runCLI(t, "export", "clients", "--db", dbPath, "--format", "csv", "--columns", "full_name,gender,tags", csvPath)
	if code != 0 || !strings.Contains(out, "Выгружено: 2 клиента в "+csvPath) {
		t.Fatalf("export: exit %d\n%s%s", code, out, errOut)
	}
	data, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	if want := "\uFEFFФИО;Пол;Теги\r\nИванов Иван;Мужской;vip, кофе\r\nОрлова Ольга;Женский;\r\n"; string(data) != want {
		t.Errorf("file %q, want %q", data, want)
	}

	xlsxPath := filepath.Join(dir, "женщины.xlsx")
	code, out, errOut = runCLI(t, "export", "clients", xlsxPath, "--segment", "женщины", "--db", dbPath)
	if code != 0 || !strings.Contains(out, "Выгружено: 1 клиент в ") {
		t.Fatalf("export of a segment: exit %d\n%s%s", code, out, errOut)
	}
	if fi, err := os.Stat(xlsxPath); err != nil || fi.Size() == 0 {
		t.Fatalf("no xlsx: %v", err)
	}
}

func TestCLITransferBadUsage(t *testing.T) {
	dbPath := cliVenue(t)
	csvPath := writeCSV(t, "a.csv", "Имя;Телефон\nАнна;+7 916 000-00-01\n")
	out := filepath.Join(t.TempDir(), "out.csv")
	for _, args := range [][]string{
		{"import", "clients"},
		{"import", "guests", csvPath},
		{"import", "clients", csvPath, "--map", "Отчество=patronymic"},
		{"import", "clients", csvPath, "--map", "Имя=shoe_size"},
		{"import", "clients", csvPath, "--map", "Имя=skip"},
		{"import", "clients", csvPath, "--duplicates", "replace"},
		{"import", "clients", csvPath, "--separator", "|"},
		{"export", "clients", filepath.Join(t.TempDir(), "out.ods")},
		{"export", "clients", out, "--segment", "Нет такого"},
		{"export", "clients", out, "--columns", "full_name,shoe_size"},
		{"export", "clients", out, "--nope"},
	} {
		code, _, errOut := runCLI(t, append(args, "--db", dbPath)...)
		if code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a message", args, code, errOut)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a refused export left %s", out)
	}
	code, _, errOut := runCLI(t, "import", "clients", filepath.Join(t.TempDir(), "нет.csv"), "--db", dbPath)
	if code != 1 || errOut == "" {
		t.Errorf("missing file: exit %d, stderr %q", code, errOut)
	}
}

func TestHelpTellsTransfer(t *testing.T) {
	code, out, _ := runCLI(t, "--help")
	if code != 0 {
		t.Fatal(code)
	}
	for _, want := range []string{"loyaltydesk import clients FILE", "--map COLUMN=FIELD", "--dry-run", "--duplicates skip|merge",
		"loyaltydesk export clients", "--format csv|xlsx", "--segment NAME", "--columns", "opening_balance (points from the old system"} {
		if !strings.Contains(out, want) {
			t.Errorf("help lacks %q", want)
		}
	}
	if code, out, _ := runCLI(t, "import", "--help"); code != 0 || !strings.Contains(out, "--dry-run") {
		t.Errorf("import --help: exit %d", code)
	}
}
