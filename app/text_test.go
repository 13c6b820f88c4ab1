package app_test

import (
	"testing"

	"loyaltydesk/app"
)

// CL-13: names are searched folded: lower case, ё as е, single spaces.
func TestFoldName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Семёнова", "семенова"},
		{"СЕМЁНОВА", "семенова"},
		{"  Ёжиков   Пётр\tАлексеевич ", "ежиков петр алексеевич"},
		{"Smith John", "smith john"},
		{"О'Нил-Петрова", "о'нил-петрова"},
		{"École", "école"},   // only ё is folded
		{"Йошкин", "йошкин"}, // й stays й
		{"", ""},
		{" \t\n", ""},
	} {
		if got := app.FoldName(tc.in); got != tc.want {
			t.Errorf("FoldName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// CL-12, CL-13: the sort key is "last first patronymic", the second key "first last".
func TestNameKeys(t *testing.T) {
	c := app.Client{FirstName: "Пётр", LastName: "Семёнов", Patronymic: "Ильич"}
	if got := app.NameKey(c); got != "семенов петр ильич" {
		t.Errorf("NameKey = %q", got)
	}
	if got := app.FirstNameKey(c); got != "петр семенов" {
		t.Errorf("FirstNameKey = %q", got)
	}
	if got := c.FullName(); got != "Семёнов Пётр Ильич" {
		t.Errorf("FullName = %q", got)
	}
	only := app.Client{FirstName: "Анна"}
	if app.NameKey(only) != "анна" || app.FirstNameKey(only) != "анна" || only.FullName() != "Анна" {
		t.Errorf("keys of a first name only: %q %q %q", app.NameKey(only), app.FirstNameKey(only), only.FullName())
	}
	for _, tc := range []struct {
		c    app.Client
		want string
	}{
		{app.Client{LastName: "Иванова", Phone: "+79161234567"}, "Иванова"},
		{app.Client{Phone: "+79161234567", Email: "a@b.ru"}, "+79161234567"},
		{app.Client{Email: "a@b.ru", ExternalID: "POS-1"}, "a@b.ru"},
		{app.Client{ExternalID: "POS-1"}, "POS-1"},
		{app.Client{}, ""},
	} {
		if got := tc.c.DisplayName(); got != tc.want {
			t.Errorf("DisplayName(%+v) = %q, want %q", tc.c, got, tc.want)
		}
	}
}

// CL-13: phones are indexed with their digits reversed for suffix searches.
func TestReversedDigits(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"+79161234567", "76543216197"},
		{"+7 (916) 123-45-67", "76543216197"},
		{"4567", "7654"},
		{"a1b2c3", "321"},
		{"", ""},
		{"+", ""},
		{"Семёнов", ""},
	} {
		if got := app.ReversedDigits(tc.in); got != tc.want {
			t.Errorf("ReversedDigits(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// CL-13: the search box's text becomes the keys stores match against.
func TestNormalizeSearch(t *testing.T) {
	for _, tc := range []struct {
		text, region string
		want         app.SearchKeys
	}{
		{"", "RU", app.SearchKeys{}},
		{"   ", "RU", app.SearchKeys{}},
		{"Семёнова", "RU", app.SearchKeys{Raw: "Семёнова", Name: "семенова", Email: "семёнова"}},
		{"  Анна   Семёнова ", "RU", app.SearchKeys{Raw: "Анна Семёнова", Name: "анна семенова", Email: "анна семёнова"}},
		{"Ivan@Mail.RU", "RU", app.SearchKeys{Raw: "Ivan@Mail.RU", Name: "ivan@mail.ru", Email: "ivan@mail.ru"}},
		{"CARD-00", "RU", app.SearchKeys{Raw: "CARD-00", Name: "card-00", Email: "card-00"}},
		// A whole phone: its E.164 form and its reversed digits.
		{"8 (916) 123-45-67", "RU", app.SearchKeys{Raw: "8 (916) 123-45-67", Name: "8 (916) 123-45-67",
			Email: "8 (916) 123-45-67", Phone: "+79161234567", Digits: "76543216198"}},
		// A fragment: the prefix it starts and the suffix it may end.
		{"4567", "RU", app.SearchKeys{Raw: "4567", Name: "4567", Email: "4567", Phone: "+74567", Digits: "7654"}},
		{"8 916 12", "RU", app.SearchKeys{Raw: "8 916 12", Name: "8 916 12", Email: "8 916 12", Phone: "+791612", Digits: "216198"}},
		{"+7 903", "RU", app.SearchKeys{Raw: "+7 903", Name: "+7 903", Email: "+7 903", Phone: "+7903", Digits: "3097"}},
		{"8 701", "KZ", app.SearchKeys{Raw: "8 701", Name: "8 701", Email: "8 701", Phone: "+7701", Digits: "1078"}},
		// Fewer than three digits are too few to search a phone by.
		{"45", "RU", app.SearchKeys{Raw: "45", Name: "45", Email: "45"}},
		// Letters make it no phone at all.
		{"916abc", "RU", app.SearchKeys{Raw: "916abc", Name: "916abc", Email: "916abc"}},
	} {
		got := app.NormalizeSearch(tc.text, tc.region)
		if got != tc.want {
			t.Errorf("NormalizeSearch(%q, %s) =\n %+v\nwant %+v", tc.text, tc.region, got, tc.want)
		}
		if got.IsEmpty() != (tc.want.Raw == "") {
			t.Errorf("NormalizeSearch(%q).IsEmpty() = %v", tc.text, got.IsEmpty())
		}
	}
}
