package transfer

// Tests of the export writers (CL-17): CSV for Russian Excel and XLSX with
// typed cells, read back as Excel would.

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"loyaltydesk/app"
)

var (
	testKinds = []cellKind{cellText, cellInt, cellMoney, cellDate, cellTime, cellBoolTxt, cellText}
	testRow   = []any{"Семёнов Пётр", int64(12), int64(123456), app.Date{Year: 1990, Month: 2, Day: 1},
		time.Date(2026, 3, 15, 10, 30, 0, 0, time.Local), "да", "=HYPERLINK(\"x\")"}
	testTitles = []string{"ФИО", "Покупок", "Продано", "Дата рождения", "Последний визит", "SMS", "Заметка"}
)

func TestCSVWriter(t *testing.T) {
	for _, tc := range []struct {
		sep  rune
		want string
	}{
		{';', "\uFEFFФИО;Покупок;Продано;Дата рождения;Последний визит;SMS;Заметка\r\n" +
			"Семёнов Пётр;12;1234,56;01.02.1990;15.03.2026 10:30;да;\"'=HYPERLINK(\"\"x\"\")\"\r\n" +
			";;-0,05;;;;'+7 916\r\n"},
		{',', "\uFEFFФИО,Покупок,Продано,Дата рождения,Последний визит,SMS,Заметка\r\n" +
			"Семёнов Пётр,12,1234.56,01.02.1990,15.03.2026 10:30,да,\"'=HYPERLINK(\"\"x\"\")\"\r\n" +
			",,-0.05,,,,'+7 916\r\n"},
	} {
		var buf bytes.Buffer
		w := newCSVWriter(&buf, tc.sep, testKinds)
		if err := w.header(testTitles); err != nil {
			t.Fatal(err)
		}
		if err := w.row(testRow); err != nil {
			t.Fatal(err)
		}
		if err := w.row([]any{"", nil, int64(-5), app.Date{}, time.Time{}, "", "+7 916"}); err != nil {
			t.Fatal(err)
		}
		if err := w.close(); err != nil {
			t.Fatal(err)
		}
		if got := buf.String(); got != tc.want {
			t.Errorf("separator %q:\n got %q\nwant %q", tc.sep, got, tc.want)
		}
		// What the export writes, the import reads back as it was.
		tb, err := ReadCSV(context.Background(), &buf, ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got := tb.Rows[0].Cells[6]; got != "=HYPERLINK(\"x\")" {
			t.Errorf("guarded cell reads back as %q", got)
		}
	}
}

func TestXLSXWriter(t *testing.T) {
	var buf bytes.Buffer
	w, err := newXLSXWriter(&buf, "Клиенты", testKinds)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.header(testTitles); err != nil {
		t.Fatal(err)
	}
	if err := w.row(testRow); err != nil {
		t.Fatal(err)
	}
	if err := w.row([]any{"Жукова Анна", nil, int64(0), app.Date{}, time.Time{}, "нет", ""}); err != nil {
		t.Fatal(err)
	}
	if err := w.close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 1 || got[0] != "Клиенты" {
		t.Fatalf("sheets %q", got)
	}
	const sh = "Клиенты"
	for _, tc := range []struct {
		cell, formatted, raw string
		numeric              bool
	}{
		{"A1", "ФИО", "ФИО", false},
		{"A2", "Семёнов Пётр", "Семёнов Пётр", false},
		{"B2", "12", "12", true},
		{"C2", "1,234.56", "1234.56", true},
		{"D2", "01.02.1990", "32905", true},
		{"E2", "15.03.2026 10:30", "46096.4375", true},
		{"F2", "да", "да", false},
		{"G2", `=HYPERLINK("x")`, `=HYPERLINK("x")`, false},
		{"B3", "", "", false},
		{"C3", "0.00", "0", true},
		{"D3", "", "", false},
	} {
		got, err := f.GetCellValue(sh, tc.cell)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := f.GetCellValue(sh, tc.cell, excelize.Options{RawCellValue: true})
		typ, _ := f.GetCellType(sh, tc.cell)
		if got != tc.formatted || raw != tc.raw {
			t.Errorf("%s = %q (raw %q), want %q (raw %q)", tc.cell, got, raw, tc.formatted, tc.raw)
		}
		if numeric := typ == excelize.CellTypeNumber || (typ == excelize.CellTypeUnset && raw != "" && tc.numeric); numeric != tc.numeric {
			t.Errorf("%s: type %v, want numeric %v", tc.cell, typ, tc.numeric)
		}
		if f, _ := f.GetCellFormula(sh, tc.cell); f != "" {
			t.Errorf("%s has formula %q", tc.cell, f)
		}
	}
	// The header stays in view.
	panes, err := f.GetPanes(sh)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes %+v (%v), want the first row frozen", panes, err)
	}
}

// The quick form of Russian mobiles is the phone library's.
func TestFormatPhone(t *testing.T) {
	for _, p := range []string{"+79161234567", "+79000000001", "+74951234567", "+77011234567", "+375291234567", "+7916"} {
		if got, want := formatPhone(p), app.FormatPhone(p); got != want {
			t.Errorf("formatPhone(%q) = %q, want %q", p, got, want)
		}
	}
}
