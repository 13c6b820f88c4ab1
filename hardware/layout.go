package hardware

// The Russian keyboard layout: a keyboard-wedge scanner types keys by
// position, so under ЙЦУКЕН its ";1234=5678?" arrives as "ж1234=5678,".

import "unicode"

// russianToUS maps each character of the Russian (ЙЦУКЕН) layout to the
// character of the US (QWERTY) layout on the same key. Digits and the keys
// both layouts share (- = \ and their shifted ! % * ( ) _ +) are left as
// they are.
var russianToUS = map[rune]rune{
	// Letters, row by row, lower and upper case.
	'ё': '`', 'Ё': '~',
	'й': 'q', 'ц': 'w', 'у': 'e', 'к': 'r', 'е': 't', 'н': 'y', 'г': 'u', 'ш': 'i', 'щ': 'o', 'з': 'p', 'х': '[', 'ъ': ']',
	'Й': 'Q', 'Ц': 'W', 'У': 'E', 'К': 'R', 'Е': 'T', 'Н': 'Y', 'Г': 'U', 'Ш': 'I', 'Щ': 'O', 'З': 'P', 'Х': '{', 'Ъ': '}',
	'ф': 'a', 'ы': 's', 'в': 'd', 'а': 'f', 'п': 'g', 'р': 'h', 'о': 'j', 'л': 'k', 'д': 'l', 'ж': ';', 'э': '\'',
	'Ф': 'A', 'Ы': 'S', 'В': 'D', 'А': 'F', 'П': 'G', 'Р': 'H', 'О': 'J', 'Л': 'K', 'Д': 'L', 'Ж': ':', 'Э': '"',
	'я': 'z', 'ч': 'x', 'с': 'c', 'м': 'v', 'и': 'b', 'т': 'n', 'ь': 'm', 'б': ',', 'ю': '.',
	'Я': 'Z', 'Ч': 'X', 'С': 'C', 'М': 'V', 'И': 'B', 'Т': 'N', 'Ь': 'M', 'Б': '<', 'Ю': '>',
	// Punctuation that moved: Shift+2 3 4 6 7, the / key and Shift+/, Shift+\.
	'"': '@', '№': '#', ';': '$', ':': '^', '?': '&',
	'.': '/', ',': '?', '/': '|',
}

// FromRussianLayout turns what a scanner typed under the Russian layout
// back into what it meant under the US one (ж1234=5678, → ;1234=5678?).
// It translates every character, so call it only on text typed under the
// Russian layout (DetectWedge does when the burst holds Cyrillic or №).
func FromRussianLayout(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if us, ok := russianToUS[r]; ok {
			r = us
		}
		out = append(out, r)
	}
	return string(out)
}

// hasRussian reports whether s holds a character only the Russian layout
// types (a Cyrillic letter or №).
func hasRussian(s string) bool {
	for _, r := range s {
		if r == '№' || unicode.Is(unicode.Cyrillic, r) {
			return true
		}
	}
	return false
}
