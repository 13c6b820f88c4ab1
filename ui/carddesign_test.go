package ui

import (
	"context"
	"image/color"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"loyaltydesk/app"
	"loyaltydesk/assets"
)

// newCardsHarness is newHarness with the cards (issue 8) over the same
// store and clock.
func newCardsHarness(t *testing.T) (*harness, *app.Cards) {
	t.Helper()
	a, store, clock := testStore(t)
	d, h := harnessDeps(store, clock)
	cards := app.NewCards(store, clock)
	d.Cards = cards
	return h.open(t, a, d, fyne.NewSize(1240, 800)), cards
}

// openDesigner selects the cards tab, which loads the stored design.
func openDesigner(t *testing.T, h *harness) *cardDesignScreen {
	t.Helper()
	if h.ui.cardsTab == nil {
		t.Fatal("no cards tab")
	}
	h.ui.tabs.Select(h.ui.cardsTab)
	return h.ui.cardDesign
}

func setText(e interface{ SetText(string) }, s string) { e.SetText(s) }

// Issue 8: a design typed into the designer is stored and comes back in a
// fresh designer.
func TestCardDesignSavesAndReloads(t *testing.T) {
	h, cards := newCardsHarness(t)
	s := openDesigner(t, h)
	setText(s.venue, "")
	test.Type(s.venue, "Кофейня на Ленина")
	setText(s.colours[fieldCardBackground], "#1e3a5f")
	setText(s.colours[fieldCardForeground], "FFFFFF")
	setText(s.colours[fieldCardAccent], "#F2A900")
	s.showName.SetChecked(true)
	s.showNumber.SetChecked(true)
	s.showGroup.SetChecked(false)
	s.setLogo(assets.Icon.Content(), nil)
	test.Tap(s.saveBtn)
	for f, l := range s.errs {
		if l.Visible() {
			t.Fatalf("field %s shows an error: %q", f, l.Text)
		}
	}
	if s.status.Text != "Сохранено" {
		t.Errorf("status = %q, want «Сохранено»", s.status.Text)
	}
	d, err := cards.Design(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if d.VenueName != "Кофейня на Ленина" || d.Background != "#1E3A5F" || d.Foreground != "#FFFFFF" || d.Accent != "#F2A900" ||
		!d.ShowName || !d.ShowNumber || d.ShowGroup || len(d.Logo) != len(assets.Icon.Content()) {
		t.Errorf("stored design = %+v (logo %d bytes)", d, len(d.Logo))
	}

	again := newCardDesignScreen(h.ui)
	again.load()
	if again.venue.Text != "Кофейня на Ленина" || again.colours[fieldCardBackground].Text != "#1E3A5F" ||
		!again.showName.Checked || again.showGroup.Checked || len(again.logo) == 0 || !again.logoRemove.Visible() || again.logoRemove.Disabled() {
		t.Errorf("reloaded designer: venue %q, background %q, name %v, group %v, logo %d bytes",
			again.venue.Text, again.colours[fieldCardBackground].Text, again.showName.Checked, again.showGroup.Checked, len(again.logo))
	}
}

// Issue 8: a bad colour is named under its field and nothing is stored.
func TestCardDesignBadColourNamesFieldSavesNothing(t *testing.T) {
	h, cards := newCardsHarness(t)
	ctx := context.Background()
	before, err := cards.Design(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s := openDesigner(t, h)
	setText(s.venue, "Другое название")
	setText(s.colours[fieldCardBackground], "#12345G")
	test.Tap(s.saveBtn)
	l := s.errs[fieldCardBackground]
	want := "Цвет фона: «#12345G» — не цвет; пишите #RRGGBB, например #1E3A5F"
	if !l.Visible() || l.Text != want {
		t.Errorf("background error = %q (visible %v), want %q", l.Text, l.Visible(), want)
	}
	if s.status.Text == "Сохранено" {
		t.Error("the designer says saved")
	}
	after, err := cards.Design(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after.VenueName != before.VenueName || after.Background != before.Background {
		t.Errorf("design changed from %+v to %+v", before, after)
	}
	if h.win.Canvas().Focused() != s.colours[fieldCardBackground] {
		t.Error("the focus is not on the bad colour")
	}
}

// Issue 8: a logo that is not an image is refused by name.
func TestCardDesignRefusesNonImageLogo(t *testing.T) {
	h, _ := newCardsHarness(t)
	s := openDesigner(t, h)
	s.setLogo([]byte("not a picture"), nil)
	l := s.errs[app.FieldLogo]
	if want := "Логотип: не картинка PNG или JPEG"; !l.Visible() || l.Text != want {
		t.Errorf("logo error = %q (visible %v), want %q", l.Text, l.Visible(), want)
	}
	if len(s.logo) != 0 {
		t.Error("the bad logo was taken")
	}
}

// Issue 8: the preview follows the edits at once: the venue's name, the
// background colour, the fields shown, the logo; and it draws a QR code.
func TestCardDesignPreviewFollowsEdits(t *testing.T) {
	h, _ := newCardsHarness(t)
	s := openDesigner(t, h)
	p := s.preview
	setText(s.venue, "")
	test.Type(s.venue, "Бар «Пятница»")
	if p.venue[0].Text != "Бар «Пятница»" || p.venue[1].Text != "" {
		t.Errorf("preview venue = %q / %q", p.venue[0].Text, p.venue[1].Text)
	}
	// A longer name wraps as the printed card does, whole, rather than
	// being cut.
	setText(s.venue, "Салон красоты «Северное сияние» на Невском")
	var shown []string
	for _, v := range p.venue {
		if v.Text != "" {
			shown = append(shown, v.Text)
		}
	}
	if got := strings.Join(shown, " "); len(shown) < 2 || got != "Салон красоты «Северное сияние» на Невском" {
		t.Errorf("a long venue name shows as %q", shown)
	}
	setText(s.colours[fieldCardBackground], "#102030")
	if got := color.NRGBAModel.Convert(p.bg.FillColor); got != (color.NRGBA{R: 0x10, G: 0x20, B: 0x30, A: 0xff}) {
		t.Errorf("preview background = %v", got)
	}
	if got := color.NRGBAModel.Convert(s.swatches[fieldCardBackground].FillColor); got != (color.NRGBA{R: 0x10, G: 0x20, B: 0x30, A: 0xff}) {
		t.Errorf("swatch = %v", got)
	}
	s.showName.SetChecked(true)
	if !p.name.Visible() || p.name.Text != sampleCard.ClientName {
		t.Errorf("name shown %v %q", p.name.Visible(), p.name.Text)
	}
	s.showName.SetChecked(false)
	if p.name.Visible() {
		t.Error("the name stays on the card after it was unchecked")
	}
	s.setLogo(assets.Icon.Content(), nil)
	if !p.logo.Visible() || p.logo.Image == nil {
		t.Error("the logo is not in the preview")
	}
	test.Tap(s.logoRemove)
	if p.logo.Visible() {
		t.Error("the removed logo stays in the preview")
	}
	if p.qr.Image == nil || p.qr.Image.Bounds().Dx() < 21 {
		t.Error("the preview has no QR code")
	}
	// The card keeps the CR80 proportions.
	sz := p.bg.Size()
	if r := sz.Width / sz.Height; r < 1.57 || r > 1.6 {
		t.Errorf("preview card is %v: ratio %.3f, want 1.586", sz, r)
	}
}
