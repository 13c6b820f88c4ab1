package app

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// DefaultRegion is the phone region used when settings name none.
const DefaultRegion = "RU"

// NormalizePhone parses a phone number as typed ("8 (916) 123-45-67",
// "+7 916 1234567", "9161234567") and returns it in E.164 form
// ("+79161234567"). region is the ISO 3166 code used for numbers typed without
// a country code. Numbers that cannot exist are refused.
func NormalizePhone(raw, region string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", nil
	}
	if !looksLikePhone(raw) {
		return "", fmt.Errorf("phone %q has characters a phone number cannot have", raw)
	}
	num, err := phonenumbers.Parse(raw, region)
	if err != nil {
		return "", fmt.Errorf("phone %q: %w", raw, err)
	}
	if !phonenumbers.IsValidNumber(num) {
		return "", fmt.Errorf("phone %q is not a valid number", raw)
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}

// FormatPhone returns an E.164 number in the international format people read
// ("+7 916 123-45-67"). Anything it cannot parse comes back unchanged.
func FormatPhone(e164 string) string {
	if e164 == "" {
		return ""
	}
	num, err := phonenumbers.Parse(e164, "")
	if err != nil {
		return e164
	}
	return phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
}

// ValidRegion reports whether region is a region phonenumbers knows.
func ValidRegion(region string) bool {
	return phonenumbers.GetCountryCodeForRegion(strings.ToUpper(region)) != 0
}

// PhonePrefix turns a partly typed phone ("8 926 765", "926 76", "+7 926")
// into the E.164 prefix it starts ("+7926765"), reading it as a number of
// region when it has no "+". It returns "" when s has no digits.
func PhonePrefix(s, region string) string {
	digits := onlyDigits(s)
	if digits == "" {
		return ""
	}
	if strings.HasPrefix(strings.TrimSpace(s), "+") {
		return "+" + digits
	}
	region = strings.ToUpper(region)
	cc := strconv.Itoa(phonenumbers.GetCountryCodeForRegion(region))
	if np := phonenumbers.GetNddPrefixForRegion(region, true); np != "" && strings.HasPrefix(digits, np) {
		rest := digits[len(np):]
		// Some trunk prefixes are two digits dialled apart, as Belarus's "8 0":
		// "8 029 12" is +375 29 12…, and numbers after a trunk prefix never
		// start with 0.
		return "+" + cc + strings.TrimLeft(rest, "0")
	}
	if strings.HasPrefix(digits, cc) && len(digits) > 10 {
		return "+" + digits
	}
	return "+" + cc + digits
}
