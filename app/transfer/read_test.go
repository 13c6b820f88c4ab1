package transfer

// Tests of the import readers on real files in t.TempDir() (CL-18): UTF-8
// with and without a BOM, Windows-1251 as Russian Excel saves, UTF-16,
// separators, line numbers, XLSX cells and dates.

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"loyaltydesk/app"
)

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func readFile(t *testing.T, path string) app.ImportTable {
	t.Helper()
	tb, err := ReadFile(context.Background(), path, ReadOptions{})
	if err != nil {
		t.Fatalf("ReadFile(%s): %v", filepath.Base(path), err)
	}
	return tb
}

func wantRows(t *testing.T, tb app.ImportTable, header []string, rows ...app.ImportRow) {
	t.Helper()
	if !reflect.DeepEqual(tb.Header, header) {
		t.Errorf("header = %q, want %q", tb.Header, header)
	}
	if !reflect.DeepEqual(tb.Rows, rows) {
		t.Errorf("rows = %+v\nwant   %+v", tb.Rows, rows)
	}
}

const russianCSV = "Фамилия;Имя;Телефон;Дата рождения\r\nСемёнов;Пётр;8 916 123-45-67;01.02.1990\r\n\r\nЖукова;Анна;+7 903 000-11-22;\r\n"

var russianRows = []app.ImportRow{
	{Line: 2, Cells: []string{"Семёнов", "Пётр", "8 916 123-45-67", "01.02.1990"}},
	{Line: 4, Cells: []string{"Жукова", "Анна", "+7 903 000-11-22", ""}},
}

func TestReadCSVEncodings(t *testing.T) {
	header := []string{"Фамилия", "Имя", "Телефон", "Дата рождения"}
	cp1251, err := charmap.Windows1251.NewEncoder().String(russianCSV)
	if err != nil {
		t.Fatal(err)
	}
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(strings.ReplaceAll(russianCSV, ";", "\t"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, data string }{
		{"utf8.csv", russianCSV},
		{"utf8-bom.csv", "\uFEFF" + russianCSV},
		{"excel-cp1251.csv", cp1251},
		{"unicode-text.txt", utf16},
		{"lf.csv", strings.ReplaceAll(russianCSV, "\r\n", "\n")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tb := readFile(t, writeFile(t, tc.name, []byte(tc.data)))
			wantRows(t, tb, header, russianRows...)
			if tb.Name != tc.name || tb.SerialDates {
				t.Errorf("name %q, serial dates %v", tb.Name, tb.SerialDates)
			}
		})
	}
}

func TestReadCSVSeparators(t *testing.T) {
	want := []app.ImportRow{{Line: 2, Cells: []string{"Иванов, Иван", "1 000,50"}}}
	for _, tc := range []struct{ name, data string }{
		{"semicolon", "ФИО;Сумма\n\"Иванов, Иван\";\"1 000,50\"\n"},
		{"comma", "ФИО,Сумма\n\"Иванов, Иван\",\"1 000,50\"\n"},
		{"tab", "ФИО\tСумма\nИванов, Иван\t1 000,50\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tb := readFile(t, writeFile(t, tc.name+".csv", []byte(tc.data)))
			wantRows(t, tb, []string{"ФИО", "Сумма"}, want...)
		})
	}
	// Excel's "sep=" line names the separator and is not the header.
	tb := readFile(t, writeFile(t, "sep.csv", []byte("sep=,\nФИО;x,Сумма\nИванов;y,5\n")))
	wantRows(t, tb, []string{"ФИО;x", "Сумма"}, app.ImportRow{Line: 3, Cells: []string{"Иванов;y", "5"}})
	// A separator chosen by hand wins over detection.
	tb, err := ReadCSV(context.Background(), strings.NewReader("a;b,c\n1;2,3\n"), ReadOptions{Separator: ','})
	if err != nil {
		t.Fatal(err)
	}
	wantRows(t, tb, []string{"a;b", "c"}, app.ImportRow{Line: 2, Cells: []string{"1;2", "3"}})
}

// A quoted cell over several lines keeps the numbering of the file's lines,
// and apostrophes the export put before formula-like text come off.
func TestReadCSVLinesAndGuards(t *testing.T) {
	data := "Имя;Заметка;Телефон\nАнна;\"две\nстроки\";'+7 916 123-45-67\n;;\nБорис;'=1+1;'не формула\n"
	tb := readFile(t, writeFile(t, "lines.csv", []byte(data)))
	wantRows(t, tb, []string{"Имя", "Заметка", "Телефон"},
		app.ImportRow{Line: 2, Cells: []string{"Анна", "две\nстроки", "+7 916 123-45-67"}},
		app.ImportRow{Line: 5, Cells: []string{"Борис", "=1+1", "'не формула"}},
	)
}

// Stray quotes inside a cell are read as they are; a quote left open is a
// problem at its line.
func TestReadCSVQuotes(t *testing.T) {
	tb := readFile(t, writeFile(t, "bare.csv", []byte("Имя;Заметка\nАнна;Кафе \"Ромашка\"\n")))
	wantRows(t, tb, []string{"Имя", "Заметка"}, app.ImportRow{Line: 2, Cells: []string{"Анна", `Кафе "Ромашка"`}})
	_, err := ReadCSV(context.Background(), strings.NewReader("Имя;Заметка\nАнна;1\nБорис;\"открыта;2\nВера;3\n"), ReadOptions{})
	if fes := app.FieldErrors(err); len(fes) != 1 || fes[0].Reason != app.ReasonBadFile || fes[0].Value != "3" {
		t.Fatalf("err = %v, want bad_file at line 3", err)
	}
}

func TestReadFileProblems(t *testing.T) {
	for _, tc := range []struct {
		name, data, reason string
	}{
		{"empty.csv", "", app.ReasonEmptyFile},
		{"header-only.csv", "Имя;Телефон\n\n", app.ReasonEmptyFile},
		{"clients.ods", "x", app.ReasonUnsupported},
		{"broken.xlsx", "not a zip", app.ReasonBadFile},
		{"bad-quote.csv", "a;b\n\"x\"y\"z;1\n\"unterminated;2\n", app.ReasonBadFile},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadFile(context.Background(), writeFile(t, tc.name, []byte(tc.data)), ReadOptions{})
			fes := app.FieldErrors(err)
			if len(fes) != 1 || fes[0].Field != app.FieldFile || fes[0].Reason != tc.reason {
				t.Fatalf("err = %v, want file/%s", err, tc.reason)
			}
		})
	}
}

func TestReadCSVCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	data := "Имя\n" + strings.Repeat("Анна\n", 5000)
	if _, err := ReadCSV(ctx, strings.NewReader(data), ReadOptions{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestReadXLSX(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	sh := "Sheet1"
	set := func(cell string, v any) {
		if err := f.SetCellValue(sh, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	set("A1", "ФИО")
	set("B1", "Телефон")
	set("C1", "Дата рождения")
	set("D1", "SMS")
	set("A2", "Семёнов Пётр")
	set("B2", 79161234567)
	set("C2", time.Date(1990, 2, 1, 0, 0, 0, 0, time.UTC))
	set("D2", true)
	// Row 3 is blank; row 4 has text where the date goes and a text card number.
	set("A4", "Жукова Анна")
	set("B4", "8 (903) 000-11-22")
	set("C4", "15.03.1985")
	style, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStyle(sh, "C2", "C2", style); err != nil {
		t.Fatal(err)
	}
	// A second sheet is not read.
	if _, err := f.NewSheet("Другое"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "clients.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	tb := readFile(t, path)
	wantRows(t, tb, []string{"ФИО", "Телефон", "Дата рождения", "SMS"},
		app.ImportRow{Line: 2, Cells: []string{"Семёнов Пётр", "79161234567", "32905", "1"}},
		app.ImportRow{Line: 4, Cells: []string{"Жукова Анна", "8 (903) 000-11-22", "15.03.1985"}},
	)
	if !tb.SerialDates || tb.Date1904 {
		t.Errorf("serial dates %v, 1904 %v; want true, false", tb.SerialDates, tb.Date1904)
	}
}

func TestDetectSeparator(t *testing.T) {
	for _, tc := range []struct {
		text string
		want rune
	}{
		{"a;b;c\n1,2,3,4,5", ';'},
		{"\n\n\"a;b\",c\n", ','},
		{"a\tb\tc", '\t'},
		{"one", ','},
		{"a;b,c", ';'},
	} {
		if got := DetectSeparator(tc.text); got != tc.want {
			t.Errorf("DetectSeparator(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

// FuzzReadCSV: any bytes read without a panic, and what is read is a header
// and rows with increasing line numbers.
func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{russianCSV, "\uFEFFa;b\n1;2\n", "sep=\t\na\tb\n", "a,\"b\nc\",d\n1,2,3\n", "\xff\xfe" + "a\x00;\x00b\x00", "\xcf\xf0\xe8\xe2\xe5\xf2;1\n2;3"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tb, err := ReadCSV(context.Background(), strings.NewReader(string(data)), ReadOptions{})
		if err != nil {
			if app.FieldErrors(err) == nil {
				t.Fatalf("error without a field: %v", err)
			}
			return
		}
		if len(tb.Header) == 0 || len(tb.Rows) == 0 {
			t.Fatalf("no header or rows but no error: %+v", tb)
		}
		last := 0
		for _, r := range tb.Rows {
			if r.Line <= last {
				t.Fatalf("line %d after %d", r.Line, last)
			}
			last = r.Line
		}
	})
}
