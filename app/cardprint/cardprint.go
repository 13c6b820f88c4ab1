// Package cardprint renders QR cards (QR-02, QR-03): PDF pages of single
// CR80 cards or A4 sheets of ten with crop marks, the QR drawn as vector
// modules, a Cyrillic font embedded from assets; and a PNG of one code.
package cardprint

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/signintech/gopdf"
	qrcode "github.com/skip2/go-qrcode"

	"loyaltydesk/app"
	"loyaltydesk/assets/fonts"
)

// Layout is how cards are put on pages.
type Layout string

// The layouts.
const (
	LayoutCR80 Layout = "cr80" // one 85.60 × 53.98 mm card per page
	LayoutA4   Layout = "a4"   // ten cards on an A4 sheet with crop marks
)

// Sizes in millimetres.
const (
	CardW = 85.60 // CR80 (ISO/IEC 7810 ID-1) width
	CardH = 53.98 // and height
	// SafeMargin is how far everything printed keeps from the card's edge
	// (the background and the accent stripe run to the edge).
	SafeMargin = 4.0

	a4W, a4H    = 210.0, 297.0
	a4Cols      = 2
	a4Rows      = 5
	gutterX     = 6.0 // between the columns
	gutterY     = 4.0 // between the rows: crop marks go in the gutters
	markGap     = 0.8 // a crop mark starts this far from the card's corner
	markLen     = 2.6 // and is this long (less than a gutter less the gap)
	markWidth   = 0.12
	qrSide      = 36.0 // the white square of the code, quiet zone included
	logoBox     = 11.0 // the logo fits in a square this big
	stripeH     = 2.2  // the accent stripe along the bottom edge
	fontRegular = "NotoSans"
	fontBold    = "NotoSans-Bold"
)

// Level is the error correction of printed codes: go-qrcode's High is
// QR level Q (25 %), which makes a card
// code (17–20 characters) QR version 2; version 1 reads badly when the
// card is tilted (issue 7).
const Level = qrcode.High

// Rect is a card's place on its page, in millimetres from the page's
// top-left corner.
type Rect struct{ X, Y, W, H float64 }

// PageSize returns the page size of a layout in millimetres.
func PageSize(layout Layout) (w, h float64) {
	if layout == LayoutA4 {
		return a4W, a4H
	}
	return CardW, CardH
}

// PerPage returns how many cards a page of the layout holds.
func PerPage(layout Layout) int {
	if layout == LayoutA4 {
		return a4Cols * a4Rows
	}
	return 1
}

// CardRect returns where the i-th card of a page (0-based, row by row) is.
func CardRect(layout Layout, i int) Rect {
	if layout != LayoutA4 {
		return Rect{0, 0, CardW, CardH}
	}
	left := (a4W - a4Cols*CardW - (a4Cols-1)*gutterX) / 2
	top := (a4H - a4Rows*CardH - (a4Rows-1)*gutterY) / 2
	col, row := i%a4Cols, i/a4Cols
	return Rect{left + float64(col)*(CardW+gutterX), top + float64(row)*(CardH+gutterY), CardW, CardH}
}

// QRRect returns where the white square of the code (quiet zone included)
// is on a card at r.
func QRRect(r Rect) Rect {
	return Rect{r.X + r.W - SafeMargin - qrSide, r.Y + (r.H-stripeH-qrSide)/2, qrSide, qrSide}
}

// Modules returns the code's modules with the quiet zone of four, true
// for dark, at the level printed cards use.
func Modules(code string) ([][]bool, error) {
	q, err := qrcode.New(code, Level)
	if err != nil {
		return nil, fmt.Errorf("QR code of %q: %w", code, err)
	}
	return q.Bitmap(), nil
}

// rgb is a colour for gopdf.
type rgb struct{ r, g, b uint8 }

// parseColour reads "#RRGGBB"; def when s is not one.
func parseColour(s, def string) rgb {
	s = strings.TrimSpace(s)
	if len(s) != 7 || s[0] != '#' {
		if s == def {
			return rgb{}
		}
		return parseColour(def, def)
	}
	v, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil {
		if s == def {
			return rgb{}
		}
		return parseColour(def, def)
	}
	return rgb{uint8(v >> 16), uint8(v >> 8), uint8(v)}
}

// renderer draws cards on one gopdf document.
type renderer struct {
	pdf                *gopdf.GoPdf
	d                  app.CardDesign
	bg, fg, accent     rgb
	logo               gopdf.ImageHolder
	logoW, logoH       float64  // the logo's box on the card, mm
	venue              []string // the venue's name in one or two lines, already fitted
	venueSize          float64  // its font size, pt
	venueX, venueWidth float64
}

// PDF writes the cards to w; progress (may be nil) gets cards done and the
// total as it goes.
func PDF(w io.Writer, d app.CardDesign, cards []app.IssuedCard, layout Layout, progress func(done, total int)) error {
	if layout != LayoutA4 && layout != LayoutCR80 {
		return fmt.Errorf("card layout %q: want %q or %q", layout, LayoutA4, LayoutCR80)
	}
	if len(cards) == 0 {
		return errors.New("no cards to print")
	}
	pw, ph := PageSize(layout)
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{Unit: gopdf.UnitMM, PageSize: gopdf.Rect{W: pw, H: ph}})
	pdf.SetInfo(gopdf.PdfInfo{Title: "LoyaltyDesk cards", Creator: "LoyaltyDesk", Producer: "gopdf"})
	if err := pdf.AddTTFFontData(fontRegular, fonts.NotoSansRegular); err != nil {
		return fmt.Errorf("card font: %w", err)
	}
	if err := pdf.AddTTFFontData(fontBold, fonts.NotoSansBold); err != nil {
		return fmt.Errorf("card font: %w", err)
	}
	r := &renderer{pdf: pdf, d: d,
		bg:     parseColour(d.Background, app.DefaultCardBg),
		fg:     parseColour(d.Foreground, app.DefaultCardFg),
		accent: parseColour(d.Accent, app.DefaultCardAcc),
	}
	if err := r.prepare(); err != nil {
		return err
	}
	per := PerPage(layout)
	for i, c := range cards {
		slot := i % per
		if slot == 0 {
			pdf.AddPage()
		}
		cr := CardRect(layout, slot)
		if err := r.card(cr, c); err != nil {
			return fmt.Errorf("card %s: %w", c.Number, err)
		}
		if layout == LayoutA4 {
			r.cropMarks(cr)
		}
		if progress != nil && ((i+1)%per == 0 || i+1 == len(cards)) {
			progress(i+1, len(cards))
		}
	}
	if _, err := pdf.WriteTo(w); err != nil {
		return fmt.Errorf("write cards PDF: %w", err)
	}
	return nil
}

// prepare reads the logo and fits the venue's name once for all cards.
func (r *renderer) prepare() error {
	textX := SafeMargin
	if len(r.d.Logo) > 0 {
		cfg, _, err := image.DecodeConfig(bytes.NewReader(r.d.Logo))
		if err != nil || cfg.Width == 0 || cfg.Height == 0 {
			return fmt.Errorf("card logo: not a PNG or JPEG image (%v)", err)
		}
		if r.logo, err = gopdf.ImageHolderByBytes(r.d.Logo); err != nil {
			return fmt.Errorf("card logo: %w", err)
		}
		r.logoW, r.logoH = logoBox, logoBox
		if cfg.Width >= cfg.Height {
			r.logoH = logoBox * float64(cfg.Height) / float64(cfg.Width)
		} else {
			r.logoW = logoBox * float64(cfg.Width) / float64(cfg.Height)
		}
		textX += r.logoW + 2
	}
	r.venueX = textX
	r.venueWidth = CardW - SafeMargin - qrSide - 2.5 - textX
	var err error
	r.venue, r.venueSize, err = r.fitVenue(strings.TrimSpace(r.d.VenueName))
	return err
}

// Sizes of the venue's name: the largest that fits on one line, else up to
// three lines (broken at spaces, as tall as the logo) at the largest size
// that takes them; shortened with "…" only when even that does not fit.
const (
	venueMaxPt    = 11.0
	venueMinPt    = 7.0
	venueMaxLines = 3
)

// fitVenue sets the venue's name in the space beside the logo.
func (r *renderer) fitVenue(name string) ([]string, float64, error) {
	if name == "" {
		return nil, venueMaxPt, nil
	}
	for size := venueMaxPt; size >= venueMinPt; size-- {
		if err := r.pdf.SetFont(fontBold, "", size); err != nil {
			return nil, 0, err
		}
		lines, ok, err := r.wrap(name, venueMaxLines)
		if err != nil || ok {
			return lines, size, err
		}
	}
	// Even the smallest does not take it: the last line is shortened.
	lines, _, err := r.wrap(name, venueMaxLines)
	if err != nil {
		return nil, 0, err
	}
	if len(lines) == venueMaxLines {
		words := strings.Fields(name)
		used := len(strings.Fields(strings.Join(lines[:venueMaxLines-1], " ")))
		lines[venueMaxLines-1], err = r.fit(strings.Join(words[used:], " "), r.venueWidth)
	}
	return lines, venueMinPt, err
}

// wrap breaks s at spaces into lines at most venueWidth wide in the current
// font, greedily; ok says it took at most max lines, each word fitting.
func (r *renderer) wrap(s string, max int) (lines []string, ok bool, err error) {
	words := strings.Fields(s)
	for len(words) > 0 {
		n := 1
		for n < len(words) {
			w, err := r.pdf.MeasureTextWidth(strings.Join(words[:n+1], " "))
			if err != nil {
				return nil, false, err
			}
			if w > r.venueWidth {
				break
			}
			n++
		}
		line := strings.Join(words[:n], " ")
		if w, err := r.pdf.MeasureTextWidth(line); err != nil {
			return nil, false, err
		} else if w > r.venueWidth {
			line, _ = r.fit(line, r.venueWidth)
			lines = append(lines, line)
			return lines, false, nil
		}
		lines = append(lines, line)
		words = words[n:]
		if len(lines) == max && len(words) > 0 {
			return lines, false, nil
		}
	}
	return lines, true, nil
}

// fit shortens s with "…" until it is at most width wide in the current
// font.
func (r *renderer) fit(s string, width float64) (string, error) {
	s = strings.TrimSpace(s)
	w, err := r.pdf.MeasureTextWidth(s)
	if err != nil || w <= width {
		return s, err
	}
	runes := []rune(s)
	lo, hi := 0, len(runes) // the longest prefix that fits, by bisection
	for lo < hi {
		mid := (lo + hi + 1) / 2
		t := strings.TrimSpace(string(runes[:mid])) + "…"
		if w, err = r.pdf.MeasureTextWidth(t); err != nil {
			return "", err
		}
		if w <= width {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if lo == 0 {
		return "…", nil
	}
	return strings.TrimSpace(string(runes[:lo])) + "…", nil
}

func (r *renderer) fill(c rgb) { r.pdf.SetFillColor(c.r, c.g, c.b) }

// text writes s with its top-left corner at (x, y) in mm, at most width wide.
func (r *renderer) text(x, y, width float64, font string, size float64, c rgb, s string) error {
	if s == "" {
		return nil
	}
	if err := r.pdf.SetFont(font, "", size); err != nil {
		return err
	}
	s, err := r.fit(s, width)
	if err != nil {
		return err
	}
	r.pdf.SetTextColor(c.r, c.g, c.b)
	r.pdf.SetXY(x, y)
	return r.pdf.Cell(nil, s)
}

// card draws one card at cr.
func (r *renderer) card(cr Rect, c app.IssuedCard) error {
	p := r.pdf
	r.fill(r.bg)
	p.RectFromUpperLeftWithStyle(cr.X, cr.Y, cr.W, cr.H, "F")
	r.fill(r.accent)
	p.RectFromUpperLeftWithStyle(cr.X, cr.Y+cr.H-stripeH, cr.W, stripeH, "F")

	top := cr.Y + SafeMargin
	if r.logo != nil {
		if err := p.ImageByHolder(r.logo, cr.X+SafeMargin+(logoBox-r.logoW)/2, top+(logoBox-r.logoH)/2,
			&gopdf.Rect{W: r.logoW, H: r.logoH}); err != nil {
			return fmt.Errorf("card logo: %w", err)
		}
	}
	for i, line := range r.venue {
		y := top + float64(i)*r.venueSize*0.3528*1.2 // pt to mm, with the line's leading
		if err := r.text(cr.X+r.venueX, y, r.venueWidth, fontBold, r.venueSize, r.fg, line); err != nil {
			return err
		}
	}

	// The fields, from the bottom up, in the column left of the code.
	textW := cr.W - 2*SafeMargin - qrSide - 2.5
	x := cr.X + SafeMargin
	y := cr.Y + cr.H - stripeH - SafeMargin + 1 // the stripe is within the margin; text stays 3 mm clear
	if r.d.ShowNumber && c.Number != "" {
		y -= 6
		if err := r.text(x, y, textW, fontBold, 13, r.accent, "№ "+c.Number); err != nil {
			return err
		}
	}
	if r.d.ShowGroup && c.GroupName != "" {
		y -= 4.2
		if err := r.text(x, y, textW, fontRegular, 8, r.fg, c.GroupName); err != nil {
			return err
		}
	}
	if r.d.ShowName && c.ClientName != "" {
		y -= 5
		if err := r.text(x, y, textW, fontRegular, 10, r.fg, c.ClientName); err != nil {
			return err
		}
	}
	return r.qr(QRRect(cr), c.Code)
}

// qr draws the code as vector modules on a white square at q: each run of
// dark modules in a row is one filled rectangle.
func (r *renderer) qr(q Rect, code string) error {
	mods, err := Modules(code)
	if err != nil {
		return err
	}
	p := r.pdf
	p.SetFillColor(255, 255, 255)
	p.RectFromUpperLeftWithStyle(q.X, q.Y, q.W, q.H, "F")
	p.SetFillColor(0, 0, 0)
	m := q.W / float64(len(mods))
	const overlap = 0.01 // rows overlap a hair so no white seam shows between them
	for y, row := range mods {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			start := x
			for x < len(row) && row[x] {
				x++
			}
			p.RectFromUpperLeftWithStyle(q.X+float64(start)*m, q.Y+float64(y)*m, float64(x-start)*m, m+overlap, "F")
		}
	}
	return nil
}

// cropMarks draws the cut marks outside the card's four corners.
func (r *renderer) cropMarks(cr Rect) {
	p := r.pdf
	p.SetStrokeColor(0, 0, 0)
	p.SetLineWidth(markWidth)
	for _, cx := range []float64{cr.X, cr.X + cr.W} {
		for _, cy := range []float64{cr.Y, cr.Y + cr.H} {
			dx, dy := -1.0, -1.0 // outwards from the card
			if cx > cr.X {
				dx = 1
			}
			if cy > cr.Y {
				dy = 1
			}
			p.Line(cx+dx*markGap, cy, cx+dx*(markGap+markLen), cy) // horizontal, on the edge's line
			p.Line(cx, cy+dy*markGap, cx, cy+dy*(markGap+markLen))
		}
	}
}

// PNG writes one code as a QR PNG of about size pixels with a quiet zone
// (QR-03): a whole number of pixels per module, at least one.
func PNG(w io.Writer, code string, size int) error {
	if strings.TrimSpace(code) == "" || !utf8.ValidString(code) {
		return errors.New("no card code to draw")
	}
	mods, err := Modules(code)
	if err != nil {
		return err
	}
	n := len(mods)
	px := max(1, (size+n/2)/n)
	img := image.NewPaletted(image.Rect(0, 0, n*px, n*px), color.Palette{color.White, color.Black})
	for y, row := range mods {
		for x, dark := range row {
			if !dark {
				continue
			}
			for yy := y * px; yy < (y+1)*px; yy++ {
				off := img.PixOffset(x*px, yy)
				for i := range px {
					img.Pix[off+i] = 1
				}
			}
		}
	}
	if err := png.Encode(w, img); err != nil {
		return fmt.Errorf("write QR PNG: %w", err)
	}
	return nil
}
