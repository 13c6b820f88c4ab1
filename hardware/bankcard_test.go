package hardware

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// withLuhn appends the Luhn check digit to body.
func withLuhn(body string) string {
	for c := '0'; c <= '9'; c++ {
		if luhn(body + string(c)) {
			return body + string(c)
		}
	}
	panic("no Luhn digit")
}

// withGS1 appends the GS1 check digit to body.
func withGS1(body string) string {
	for c := '0'; c <= '9'; c++ {
		if gs1Valid(body + string(c)) {
			return body + string(c)
		}
	}
	panic("no GS1 digit")
}

func TestIsPaymentCardNetworks(t *testing.T) {
	// The networks' published test numbers and numbers built on each prefix.
	cards := []string{
		"4111111111111111",    // Visa
		"4111 1111 1111 1111", // as printed
		"4111-1111-1111-1111",
		" 4012888888881881 ",
		"5555555555554444",             // Mastercard
		"2221000000000009",             // Mastercard 2-series
		"378282246310005",              // American Express
		"3530111333300000",             // JCB
		"6011111111111117",             // Discover
		"30569309025904",               // Diners
		"6759649826438453",             // Maestro
		"6200000000000005",             // UnionPay
		withLuhn("220000123456789"),    // Mir, 16
		withLuhn("220412345678901234"), // Mir, 19
		withLuhn("427600123456789"),    // a Sberbank Visa
	}
	for _, c := range cards {
		if !IsPaymentCard(c) {
			t.Errorf("IsPaymentCard(%q) = false, want true", c)
		}
	}
}

func TestIsPaymentCardRefusesOthers(t *testing.T) {
	luhnFixed := withLuhn("411111111111111")
	broken := luhnFixed[:15] + strconv.Itoa((int(luhnFixed[15]-'0')+1)%10)
	others := []string{
		"",
		"4111",
		broken,                         // a Visa number with a wrong check digit
		withLuhn("123456781234567"),    // a Luhn-valid loyalty number without a bank's prefix
		withLuhn("700000123456789"),    // a petrol card (ISO 7812 industry 7)
		withLuhn("510000123456789012"), // Mastercard prefix, a length it does not issue
		withLuhn("3400001234567"),      // Amex prefix, 14 digits
		"LC-0001234567",
		"4111111111111111x",
		"4111111111111111 1", // 17 digits Visa does not issue
		"-4111111111111111",
		withLuhn("41111111111111111111"), // 21 digits
	}
	for _, c := range others {
		if IsPaymentCard(c) {
			t.Errorf("IsPaymentCard(%q) = true, want false", c)
		}
	}
}

// TestIsPaymentCardSparesBarcodes feeds EAN-13 barcodes of Russian (460–469)
// and German (400–440) products and GTIN-14 cartons: none is a card, though
// one in ten passes the Luhn check.
func TestIsPaymentCardSparesBarcodes(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	luhnToo := 0
	for i := 0; i < 20000; i++ {
		prefix := strconv.Itoa(460 + r.IntN(10))
		if i%2 == 1 {
			prefix = strconv.Itoa(400 + r.IntN(41))
		}
		var b strings.Builder
		b.WriteString(prefix)
		for b.Len() < 12 {
			b.WriteByte(byte('0' + r.IntN(10)))
		}
		ean := withGS1(b.String())
		if luhn(ean) {
			luhnToo++
		}
		if IsPaymentCard(ean) {
			t.Fatalf("EAN-13 %s taken for a card", ean)
		}
		gtin := withGS1("3" + b.String())
		if IsPaymentCard(gtin) {
			t.Fatalf("GTIN-14 %s taken for a card", gtin)
		}
	}
	if luhnToo == 0 {
		t.Fatal("no EAN-13 passed the Luhn check: the test proves nothing")
	}
}
