// Package fonts embeds the fonts of printed cards: Noto Sans Regular and
// Bold (TrueType, with Cyrillic), under the SIL Open Font License 1.1
// (OFL.txt beside them).
//
// It is its own package, not part of package assets, because assets uses
// Fyne and the card renderer under app/ must not (app/deps_test.go).
package fonts

import _ "embed" // the font files

// NotoSansRegular is Noto Sans Regular: client names, groups.
//
//go:embed NotoSans-Regular.ttf
var NotoSansRegular []byte

// NotoSansBold is Noto Sans Bold: the venue's name, the card number.
//
//go:embed NotoSans-Bold.ttf
var NotoSansBold []byte

// License is the text of the fonts' license (SIL OFL 1.1).
//
//go:embed OFL.txt
var License string
