package hardware

// IsPaymentCard and the Luhn check: the test that keeps a bank card's number
// out of the loyalty base (ID-03).

// IsPaymentCard reports whether s looks like a payment card number: 13 to 19
// digits (spaces and dashes allowed between them, nothing else), Luhn-valid,
// with the prefix and a length of a payment network: Visa (4), Mastercard
// (51–55, 2221–2720), Mir (2200–2204), American Express (34, 37), Diners
// (300–305, 36, 38, 39), Discover (6011, 644–649, 65), JCB (3528–3589),
// UnionPay (62, 81), Maestro (50, 56–69).
//
// Ordinary barcodes must not be refused as cards. A random number passes
// the Luhn check one time in ten, and an EAN-13 barcode of a Russian product
// starts with 46 (a Visa prefix); so a 13- or 14-digit number whose GS1
// check digit is valid (an EAN-13 or a GTIN-14) counts as a barcode, not a
// card. 13-digit Visa and 14-digit Diners cards are long out of circulation;
// one with a valid GS1 check digit as well (one in ten of them) would be
// taken for a barcode, which is the price of not refusing every tenth
// product. Lengths follow each network (Mastercard and Mir 16, Amex 15…), so
// a 16-digit loyalty number passes only with a Luhn digit and a bank's
// prefix, in which case refusing it is the safe side.
func IsPaymentCard(s string) bool {
	d, ok := cardDigits(s)
	if !ok {
		return false
	}
	return isPaymentPAN(d)
}

// cardDigits returns the digits of s when s is digits with spaces or dashes
// between groups (and blanks around), with no other character.
func cardDigits(s string) (string, bool) {
	var b [19]byte
	n := 0
	i, j := 0, len(s)
	for i < j && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	for j > i && (s[j-1] == ' ' || s[j-1] == '\t' || s[j-1] == '\r' || s[j-1] == '\n') {
		j--
	}
	sep := false
	for k := i; k < j; k++ {
		c := s[k]
		switch {
		case c >= '0' && c <= '9':
			if n == len(b) {
				return "", false
			}
			b[n] = c
			n++
			sep = false
		case c == ' ' || c == '-':
			if k == i {
				return "", false
			}
			sep = true
		default:
			return "", false
		}
	}
	if sep || n < 13 {
		return "", false
	}
	return string(b[:n]), true
}

// isPaymentPAN is IsPaymentCard over bare digits.
func isPaymentPAN(d string) bool {
	n := len(d)
	if n < 13 || n > 19 || !allDigits(d) || !luhn(d) {
		return false
	}
	if (n == 13 || n == 14) && gs1Valid(d) {
		return false
	}
	p := func(k int) int { // the first k digits as a number
		v := 0
		for i := 0; i < k && i < n; i++ {
			v = v*10 + int(d[i]-'0')
		}
		return v
	}
	in := func(k, lo, hi int) bool { v := p(k); return v >= lo && v <= hi }
	lens := func(ls ...int) bool {
		for _, l := range ls {
			if l == n {
				return true
			}
		}
		return false
	}
	switch {
	case d[0] == '4': // Visa
		return lens(13, 16, 19)
	case in(4, 2200, 2204): // Mir
		return n >= 16
	case in(2, 51, 55), in(4, 2221, 2720): // Mastercard
		return n == 16
	case in(2, 34, 34), in(2, 37, 37): // American Express
		return n == 15
	case in(4, 3528, 3589): // JCB
		return n >= 16
	case in(3, 300, 305), in(2, 36, 36), in(2, 38, 39): // Diners Club
		return n >= 14
	case in(4, 6011, 6011), in(3, 644, 649), in(2, 65, 65): // Discover
		return n >= 16
	case in(2, 62, 62), in(4, 8100, 8171): // UnionPay
		return n >= 16
	case in(2, 50, 50), in(2, 56, 69): // Maestro
		return true
	}
	return false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// luhn reports whether the digits d end in a valid Luhn check digit.
func luhn(d string) bool {
	sum := 0
	double := false
	for i := len(d) - 1; i >= 0; i-- {
		v := int(d[i] - '0')
		if double {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
		double = !double
	}
	return sum%10 == 0
}

// gs1Valid reports whether the digits d end in a valid GS1 (EAN/UPC/GTIN)
// check digit: weights 3 and 1 alternating from the right, check digit
// excluded.
func gs1Valid(d string) bool {
	sum := 0
	w := 3
	for i := len(d) - 2; i >= 0; i-- {
		sum += int(d[i]-'0') * w
		w = 4 - w
	}
	return (10-sum%10)%10 == int(d[len(d)-1]-'0')
}
