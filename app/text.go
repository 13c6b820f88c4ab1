package app

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

func joinNonEmpty(sep string, parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(p)
	}
	return b.String()
}

func firstNonEmpty(parts ...string) string {
	for _, p := range parts {
		if p != "" {
			return p
		}
	}
	return ""
}

// cleanText trims a single-line value and collapses inner runs of white space.
func cleanText(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// FoldName returns the search key of a name: lower case, ё folded to е, single
// spaces. Stores index it so a search for "Семенов" finds "Семёнов".
func FoldName(s string) string {
	return strings.ReplaceAll(strings.ToLower(cleanText(s)), "ё", "е")
}

// NameKey is the sort and search key "last first patronymic".
func NameKey(c Client) string {
	return FoldName(joinNonEmpty(" ", c.LastName, c.FirstName, c.Patronymic))
}

// FirstNameKey is the search key "first last", for searches that start with the
// first name.
func FirstNameKey(c Client) string {
	return FoldName(joinNonEmpty(" ", c.FirstName, c.LastName))
}

// ReversedDigits returns the digits of s in reverse order; stores index the
// phone this way so a fragment of its last digits is a prefix search.
func ReversedDigits(s string) string {
	d := make([]byte, 0, len(s))
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] >= '0' && s[i] <= '9' {
			d = append(d, s[i])
		}
	}
	return string(d)
}

func onlyDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// looksLikePhone reports whether s has only digits and phone punctuation.
func looksLikePhone(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(unicode.IsDigit(r) || strings.ContainsRune("+-() .", r)) {
			return false
		}
	}
	return true
}

func tooLong(s string, max int) bool { return utf8.RuneCountInString(s) > max }
