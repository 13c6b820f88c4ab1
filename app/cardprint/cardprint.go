// Package cardprint renders QR cards (QR-02, QR-03): PDF pages of single
// CR80 cards or A4 sheets of ten with crop marks, the QR drawn as vector
// modules, a Cyrillic font embedded from assets; and a PNG of one code.
//
// API agreed before it is built (helper F fills the bodies and the tests).
package cardprint

import (
	"errors"
	"io"

	"loyaltydesk/app"
)

// Layout is how cards are put on pages.
type Layout string

// The layouts.
const (
	LayoutCR80 Layout = "cr80" // one 85.60 × 53.98 mm card per page
	LayoutA4   Layout = "a4"   // ten cards on an A4 sheet with crop marks
)

var errNotBuilt = errors.New("not built yet")

// PDF writes the cards to w; progress (may be nil) gets cards done and the
// total as it goes.
func PDF(w io.Writer, d app.CardDesign, cards []app.IssuedCard, layout Layout, progress func(done, total int)) error {
	return errNotBuilt
}

// PNG writes one code as a QR PNG of about size pixels with a quiet zone
// (QR-03).
func PNG(w io.Writer, code string, size int) error { return errNotBuilt }
