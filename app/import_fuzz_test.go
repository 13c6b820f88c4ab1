package app

// Fuzz test of the import's row parser (CL-18). With plain `go test` it runs
// its seeds; run it with -fuzz=FuzzImportRow to explore.

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// FuzzImportRow: any cells parse without a panic; a row without problems has
// a name and clean values, and every problem names the row's line and a
// column of the header (or none, for the row as a whole).
func FuzzImportRow(f *testing.F) {
	for _, s := range []string{
		"Иванов Иван Иванович;;;;8 916 123-45-67;IVAN@example.ru;м;01.02.1990;POS-1;заметка;CARD-1;vip, кофе;да;нет;латте",
		";Анна;;;+7 916;;робот;31.02.1990;;;;;;может;",
		"Алиев Рашид Гусейн оглы;;;;;;ж.;32905;;;;;;;",
		";;;;;;;;;;;,,,;ИСТИНА;ЛОЖЬ;",
		"=1+1;\x00;\xff;;;a@b;F;1990-13-01;;;" + strings.Repeat("9", 300) + ";;1;0;",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	header := append(slices.Clone(ImportFields), "var:Напиток")
	now := time.Date(2026, 3, 15, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, row string, serial bool) {
		tb := ImportTable{Header: header, SerialDates: serial}
		p := newImportParser(tb, header, DefaultRegion, now)
		r := p.parse(ImportRow{Line: 7, Cells: strings.Split(row, ";")})
		for _, pr := range r.problems {
			if pr.Line != 7 {
				t.Fatalf("problem %+v on line %d, want 7", pr, pr.Line)
			}
			if pr.ColumnIndex < 0 || pr.ColumnIndex > len(header) || (pr.ColumnIndex > 0 && pr.Column != header[pr.ColumnIndex-1]) {
				t.Fatalf("problem %+v names a column not in the header", pr)
			}
			if pr.Field == "" || pr.Reason == "" {
				t.Fatalf("problem %+v lacks a field or reason", pr)
			}
		}
		if len(r.problems) > 0 {
			return
		}
		c := r.c
		if c.FirstName == "" && c.LastName == "" {
			t.Fatalf("row %q accepted without a name", row)
		}
		if c.Phone != "" && !strings.HasPrefix(c.Phone, "+") {
			t.Fatalf("phone %q is not E.164", c.Phone)
		}
		if !c.Gender.Valid() || (c.Email != strings.ToLower(c.Email)) {
			t.Fatalf("gender %q, e-mail %q", c.Gender, c.Email)
		}
		if !c.BirthDate.IsZero() && now.Before(c.BirthDate.Time(time.UTC)) {
			t.Fatalf("birth date %v in the future", c.BirthDate)
		}
		for _, tag := range r.tags {
			if tag == "" || tag != cleanText(tag) || strings.ContainsAny(tag, ",;") {
				t.Fatalf("tag %q", tag)
			}
		}
		if (r.given&givenPhone != 0) != (c.Phone != "") || (r.given&givenFirst != 0) != (c.FirstName != "") {
			t.Fatalf("given flags %b do not match %+v", r.given, c)
		}
	})
}
