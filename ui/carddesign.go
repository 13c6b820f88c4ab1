package ui

// The card designer (issue 8): the venue's name, a logo, the colours and
// which fields a printed card shows, with a live preview drawn close to what
// cardprint puts in the PDF.

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg" // logos may be JPEG
	_ "image/png"
	"io"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	qrcode "github.com/skip2/go-qrcode"

	"loyaltydesk/app"
	"loyaltydesk/app/cardprint"
	"loyaltydesk/assets"
)

// CardService is what the screens need of app.Cards (QR-01…QR-04).
type CardService interface {
	Design(ctx context.Context) (app.CardDesign, error)
	SaveDesign(ctx context.Context, d app.CardDesign) error
	Issue(ctx context.Context, clientID string) (app.IssuedCard, error)
	ForPrint(ctx context.Context, clientIDs []string, issueMissing bool) ([]app.IssuedCard, error)
}

// The colour fields of the designer, checked here before the design is sent.
const (
	fieldCardBackground = "card_background"
	fieldCardForeground = "card_foreground"
	fieldCardAccent     = "card_accent"
	reasonNotColour     = "not_colour"
	maxLogoBytes        = 512 << 10
)

// cr80Aspect is a CR80 card's width over its height (85.60 × 53.98 mm).
const cr80Aspect = 85.60 / 53.98

// sampleCard is what the preview shows.
var sampleCard = app.IssuedCard{ClientName: "Смирнова Анна", GroupName: "Золото", Number: "000123", Code: "LD000123-7K3QZ0M9TX"}

// cardDesignScreen is the designer tab.
type cardDesignScreen struct {
	u       *UI
	content fyne.CanvasObject

	venue                  *widget.Entry
	colours                map[string]*widget.Entry
	swatches               map[string]*canvas.Rectangle
	showName, showNumber   *widget.Check
	showGroup              *widget.Check
	logo                   []byte
	logoInfo               *widget.Label
	logoPick, logoRemove   *widget.Button
	errs                   map[string]*widget.Label
	saveBtn                *widget.Button
	status                 *widget.Label
	preview                *cardPreview
	loading                bool
	gen                    int // the latest load; an older one that ends later is dropped
	saved                  app.CardDesign
	afterLoadHook, onSaved func()
}

func newCardDesignScreen(u *UI) *cardDesignScreen {
	s := &cardDesignScreen{u: u, colours: map[string]*widget.Entry{}, swatches: map[string]*canvas.Rectangle{}, errs: map[string]*widget.Label{}}
	s.venue = widget.NewEntry()
	s.venue.SetPlaceHolder(tr("cards.venue_ph", "e.g. Coffee on Lenina"))
	s.venue.OnChanged = func(string) { s.changed() }
	s.venue.OnSubmitted = func(string) { s.save() }
	form := widget.NewForm()
	s.errs[app.FieldVenueName] = pageErrLabel()
	form.Append(fieldLabel(app.FieldVenueName), container.NewVBox(s.venue, s.errs[app.FieldVenueName]))

	s.logoInfo = widget.NewLabel(tr("cards.no_logo", "No logo"))
	s.logoPick = widget.NewButtonWithIcon(tr("cards.pick_logo", "Choose logo…"), theme.FolderOpenIcon(), s.pickLogo)
	s.logoRemove = widget.NewButtonWithIcon(tr("cards.remove_logo", "Remove logo"), theme.DeleteIcon(), func() {
		s.logo = nil
		s.showLogo()
		s.changed()
	})
	s.errs[app.FieldLogo] = pageErrLabel()
	form.Append(fieldLabel(app.FieldLogo), container.NewVBox(container.NewHBox(s.logoPick, s.logoRemove, s.logoInfo), s.errs[app.FieldLogo]))

	for _, f := range []string{fieldCardBackground, fieldCardForeground, fieldCardAccent} {
		form.Append(fieldLabel(f), s.colourRow(f))
	}
	// A colour the use case refuses is named under the background's row.
	s.errs[app.FieldColour] = s.errs[fieldCardBackground]

	s.showName = widget.NewCheck(tr("cards.show_name", "Client's name"), func(bool) { s.changed() })
	s.showNumber = widget.NewCheck(tr("cards.show_number", "Card number"), func(bool) { s.changed() })
	s.showGroup = widget.NewCheck(tr("cards.show_group", "Group"), func(bool) { s.changed() })
	form.Append(tr("cards.fields", "On the card"), container.NewHBox(s.showName, s.showNumber, s.showGroup))

	s.saveBtn = widget.NewButtonWithIcon(tr("cards.save", "Save design"), theme.DocumentSaveIcon(), s.save)
	s.saveBtn.Importance = widget.HighImportance
	s.status = widget.NewLabel("")
	s.preview = newCardPreview()
	left := container.NewVBox(
		pageHeading(tr("cards.design_title", "Card design")),
		pageHint(tr("cards.design_hint", "How printed cards look. The QR code holds the card's code; the till recognises it.")),
		form,
		container.NewHBox(s.saveBtn, s.status))
	right := container.NewVBox(pageHeading(tr("cards.preview", "Preview")), container.NewCenter(s.preview.content),
		pageHint(tr("cards.preview_hint", "A sample client; printed cards are 85.6 × 54 mm.")))
	s.content = container.NewVScroll(container.NewPadded(container.NewBorder(nil, nil, nil, container.NewPadded(right), left)))
	s.changed()
	return s
}

// colourRow is a hex entry, a swatch and a button opening the colour picker.
func (s *cardDesignScreen) colourRow(field string) fyne.CanvasObject {
	e := widget.NewEntry()
	e.SetPlaceHolder("#1E3A5F")
	e.OnChanged = func(string) { s.changed() }
	e.OnSubmitted = func(string) { s.save() }
	sw := canvas.NewRectangle(color.Transparent)
	sw.SetMinSize(fyne.NewSize(32, 32))
	sw.StrokeColor = theme.Color(theme.ColorNameInputBorder)
	sw.StrokeWidth = 1
	sw.CornerRadius = 4
	pick := widget.NewButtonWithIcon("", theme.ColorPaletteIcon(), func() {
		c, _ := parseColour(e.Text)
		d := dialog.NewColorPicker(fieldLabel(field), tr("cards.pick_colour", "Pick a colour"), func(c color.Color) {
			e.SetText(colourHex(c))
		}, s.u.win)
		d.Advanced = true
		if c != nil {
			d.SetColor(c)
		}
		d.Show()
	})
	s.colours[field] = e
	s.swatches[field] = sw
	s.errs[field] = pageErrLabel()
	e.Resize(fyne.NewSize(120, e.MinSize().Height))
	return container.NewVBox(container.NewBorder(nil, nil, nil, container.NewHBox(sw, pick), e), s.errs[field])
}

// parseColour reads "#RRGGBB" (the # may be left out).
func parseColour(s string) (color.Color, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "#")
	if len(s) != 6 {
		return nil, false
	}
	v, err := strconv.ParseUint(s, 16, 32)
	if err != nil {
		return nil, false
	}
	return color.NRGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}, true
}

// colourHex writes c as "#RRGGBB".
func colourHex(c color.Color) string {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	return fmt.Sprintf("#%02X%02X%02X", n.R, n.G, n.B)
}

// load fills the designer with the stored design.
func (s *cardDesignScreen) load() {
	s.gen++
	gen := s.gen
	s.u.async(func() {
		d, err := s.u.deps.Cards.Design(s.u.ctx())
		fyne.Do(func() {
			if gen != s.gen {
				return
			}
			if err != nil {
				s.status.SetText(errorMessage(err))
				return
			}
			s.fill(d)
			if s.afterLoadHook != nil {
				s.afterLoadHook()
			}
		})
	})
}

func (s *cardDesignScreen) fill(d app.CardDesign) {
	s.loading = true
	s.saved = d
	s.venue.SetText(d.VenueName)
	s.colours[fieldCardBackground].SetText(d.Background)
	s.colours[fieldCardForeground].SetText(d.Foreground)
	s.colours[fieldCardAccent].SetText(d.Accent)
	s.showName.SetChecked(d.ShowName)
	s.showNumber.SetChecked(d.ShowNumber)
	s.showGroup.SetChecked(d.ShowGroup)
	s.logo = d.Logo
	s.showLogo()
	s.loading = false
	s.clearErrors()
	s.changed()
}

// design reads the form.
func (s *cardDesignScreen) design() app.CardDesign {
	norm := func(f string) string {
		t := strings.ToUpper(strings.TrimSpace(s.colours[f].Text))
		if t != "" && !strings.HasPrefix(t, "#") {
			t = "#" + t
		}
		return t
	}
	return app.CardDesign{
		VenueName:  strings.TrimSpace(s.venue.Text),
		Logo:       s.logo,
		Background: norm(fieldCardBackground),
		Foreground: norm(fieldCardForeground),
		Accent:     norm(fieldCardAccent),
		ShowName:   s.showName.Checked,
		ShowNumber: s.showNumber.Checked,
		ShowGroup:  s.showGroup.Checked,
	}
}

// changed redraws the swatches and the preview.
func (s *cardDesignScreen) changed() {
	if s.loading || s.preview == nil {
		return
	}
	for f, e := range s.colours {
		if c, ok := parseColour(e.Text); ok {
			s.swatches[f].FillColor = c
		} else {
			s.swatches[f].FillColor = color.Transparent
		}
		s.swatches[f].Refresh()
	}
	s.preview.show(s.design(), sampleCard)
	s.status.SetText("")
}

func (s *cardDesignScreen) clearErrors() {
	for _, l := range s.errs {
		l.SetText("")
		l.Hide()
	}
}

func (s *cardDesignScreen) showFieldError(field, msg string) {
	l, ok := s.errs[field]
	if !ok {
		l = s.errs[app.FieldColour]
	}
	l.SetText(msg)
	l.Show()
}

// localErrors checks the colours before the design goes to the use case.
func (s *cardDesignScreen) localErrors() []app.FieldError {
	var fes []app.FieldError
	for _, f := range []string{fieldCardBackground, fieldCardForeground, fieldCardAccent} {
		if _, ok := parseColour(s.colours[f].Text); !ok {
			fes = append(fes, app.FieldError{Field: f, Reason: reasonNotColour, Value: strings.TrimSpace(s.colours[f].Text)})
		}
	}
	return fes
}

func (s *cardDesignScreen) save() {
	s.clearErrors()
	s.status.SetText("")
	if fes := s.localErrors(); len(fes) > 0 {
		for _, fe := range fes {
			s.showFieldError(fe.Field, fieldMessage(fe))
		}
		s.u.win.Canvas().Focus(s.colours[fes[0].Field])
		return
	}
	d := s.design()
	s.saveBtn.Disable()
	s.u.async(func() {
		err := s.u.deps.Cards.SaveDesign(s.u.ctx(), d)
		fyne.Do(func() {
			s.saveBtn.Enable()
			if fes := app.FieldErrors(err); len(fes) > 0 {
				for _, fe := range fes {
					s.showFieldError(fe.Field, fieldMessage(fe))
				}
				return
			}
			if err != nil {
				s.status.SetText(errorMessage(err))
				return
			}
			s.saved = d
			s.status.SetText(tr("cards.saved", "Saved"))
			if s.onSaved != nil {
				s.onSaved()
			}
		})
	})
}

func (s *cardDesignScreen) pickLogo() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		s.u.async(func() {
			defer r.Close()
			data, err := io.ReadAll(io.LimitReader(r, maxLogoBytes+1))
			fyne.Do(func() { s.setLogo(data, err) })
		})
	}, s.u.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".png", ".jpg", ".jpeg", ".PNG", ".JPG", ".JPEG"}))
	d.Show()
}

// setLogo takes a logo read from a file, or names what is wrong with it.
func (s *cardDesignScreen) setLogo(data []byte, err error) {
	s.errs[app.FieldLogo].Hide()
	switch {
	case err != nil:
		s.showFieldError(app.FieldLogo, errorMessage(err))
		return
	case len(data) > maxLogoBytes:
		s.showFieldError(app.FieldLogo, tr("cards.logo_too_big", "{{.Field}}: the file is larger than 512 KB", map[string]any{"Field": fieldLabel(app.FieldLogo)}))
		return
	}
	if _, _, err := image.DecodeConfig(bytes.NewReader(data)); err != nil {
		s.showFieldError(app.FieldLogo, tr("cards.logo_not_image", "{{.Field}}: not a PNG or JPEG image", map[string]any{"Field": fieldLabel(app.FieldLogo)}))
		return
	}
	s.logo = data
	s.showLogo()
	s.changed()
}

func (s *cardDesignScreen) showLogo() {
	if len(s.logo) == 0 {
		s.logoInfo.SetText(tr("cards.no_logo", "No logo"))
		s.logoRemove.Disable()
		return
	}
	s.logoInfo.SetText(tr("cards.logo_size", "{{.KB}} KB", map[string]any{"KB": (len(s.logo) + 1023) / 1024}))
	s.logoRemove.Enable()
}

// cardPreview draws a card in Fyne as cardprint lays it out on paper: the
// background, an accent stripe at the bottom, the logo and the venue's name
// at the top left, the QR code on the right, the client's name, number and
// group at the bottom left.
type cardPreview struct {
	content                      *fyne.Container
	bg, stripe                   *canvas.Rectangle
	venue                        [3]*canvas.Text // the venue's name on up to three lines
	name, number, group          *canvas.Text
	logo, qr                     *canvas.Image
	hasLogo                      bool
	venueText                    string // the whole name; venue shows what fits
	lastCode                     string
	showName, showNum, showGroup bool
}

func newCardPreview() *cardPreview {
	p := &cardPreview{
		bg:     canvas.NewRectangle(color.White),
		stripe: canvas.NewRectangle(color.Black),
		name:   canvas.NewText("", color.Black),
		number: canvas.NewText("", color.Black),
		group:  canvas.NewText("", color.Black),
		logo:   &canvas.Image{FillMode: canvas.ImageFillContain},
		qr:     &canvas.Image{FillMode: canvas.ImageFillContain, ScaleMode: canvas.ImageScalePixels},
	}
	p.bg.StrokeColor = color.NRGBA{A: 0x40}
	p.bg.StrokeWidth = 1
	for i := range p.venue {
		p.venue[i] = canvas.NewText("", color.Black)
		p.venue[i].TextStyle.Bold = true
	}
	p.number.TextStyle.Bold = true
	p.content = container.New(&cardLayout{p: p}, p.bg, p.stripe, p.logo, p.venue[0], p.venue[1], p.venue[2], p.qr, p.name, p.number, p.group)
	return p
}

// show draws the design with the card's data.
func (p *cardPreview) show(d app.CardDesign, c app.IssuedCard) {
	colour := func(hex string, def color.Color) color.Color {
		if c, ok := parseColour(hex); ok {
			return c
		}
		return def
	}
	fg := colour(d.Foreground, color.Black)
	p.bg.FillColor = colour(d.Background, color.White)
	p.stripe.FillColor = colour(d.Accent, fg)
	p.venueText = d.VenueName
	for _, v := range p.venue {
		v.Color = fg
	}
	p.name.Text, p.name.Color = c.ClientName, fg
	p.number.Text, p.number.Color = "№ "+c.Number, colour(d.Accent, fg)
	p.group.Text, p.group.Color = c.GroupName, fg
	p.showName, p.showNum, p.showGroup = d.ShowName, d.ShowNumber, d.ShowGroup && c.GroupName != ""
	p.hasLogo = false
	p.logo.Image = nil
	if len(d.Logo) > 0 {
		if img, _, err := image.Decode(bytes.NewReader(d.Logo)); err == nil {
			p.logo.Image, p.hasLogo = img, true
		}
	}
	if c.Code != p.lastCode {
		p.qr.Image, p.lastCode = qrImage(c.Code, 256), c.Code
	}
	p.content.Refresh()
	for _, o := range p.content.Objects {
		o.Refresh()
	}
}

// qrImage is the QR code of code as cardprint draws it (QR-03), or nil.
func qrImage(code string, size int) image.Image {
	var buf bytes.Buffer
	if err := cardprint.PNG(&buf, code, size); err == nil {
		if img, _, err := image.Decode(&buf); err == nil {
			return img
		}
	}
	// The renderer's PNG is not there: the same code drawn by go-qrcode.
	q, err := qrcode.New(code, qrcode.Medium)
	if err != nil {
		return nil
	}
	return q.Image(size)
}

// cardLayout keeps the card at CR80 proportions and places its parts.
type cardLayout struct{ p *cardPreview }

func (l *cardLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(400, 400/cr80Aspect) }

func (l *cardLayout) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	p := l.p
	w, h := size.Width, size.Width/cr80Aspect
	if h > size.Height {
		h, w = size.Height, size.Height*cr80Aspect
	}
	x0, y0 := (size.Width-w)/2, (size.Height-h)/2
	// The measures of cardprint's card, in millimetres of the card.
	mm := w / 85.60
	const margin, qrSide, logoBox, stripeH, gap = 4.0, 36.0, 11.0, 2.2, 2.5
	pt := float32(0.3528) * mm // a typographic point
	place := func(o fyne.CanvasObject, x, y, ow, oh float32) {
		o.Move(fyne.NewPos(x0+x, y0+y))
		o.Resize(fyne.NewSize(ow, oh))
	}
	place(p.bg, 0, 0, w, h)
	place(p.stripe, 0, h-stripeH*mm, w, stripeH*mm)
	place(p.qr, w-(margin+qrSide)*mm, (h-stripeH*mm-qrSide*mm)/2, qrSide*mm, qrSide*mm)
	textX := float32(margin) * mm
	if p.hasLogo {
		place(p.logo, margin*mm, margin*mm, logoBox*mm, logoBox*mm)
		textX += (logoBox + 2) * mm
		p.logo.Show()
	} else {
		p.logo.Hide()
	}
	venueW := w - (margin+qrSide+gap)*mm - textX
	vlines, vsize := wrapVenue(p.venueText, p.venue[0].TextStyle, venueW, pt)
	for i, v := range p.venue {
		v.Text, v.TextSize = "", vsize*pt
		if i < len(vlines) {
			v.Text = vlines[i]
		}
		place(v, textX, margin*mm+float32(i)*vsize*pt*1.2, venueW, vsize*pt*1.3)
	}
	textW := w - (2*margin+qrSide+gap)*mm
	y := h - (stripeH+margin-1)*mm
	lines := []struct {
		t        *canvas.Text
		on       bool
		size, up float32
	}{{p.number, p.showNum, 13, 6}, {p.group, p.showGroup, 8, 4.2}, {p.name, p.showName, 10, 5}}
	for _, ln := range lines {
		if !ln.on {
			ln.t.Hide()
			continue
		}
		ln.t.Show()
		ln.t.TextSize = ln.size * pt
		y -= ln.up * mm
		place(ln.t, margin*mm, y, textW, ln.size*pt*1.3)
	}
}

// wrapVenue sets the venue's name as cardprint prints it: the largest size
// from 11 down to 7 pt that takes it on one line, else on up to three lines
// broken at spaces, the last shortened with "…" only when even 7 pt does
// not take it. pt is a point in the preview's units.
func wrapVenue(name string, style fyne.TextStyle, width, pt float32) ([]string, float32) {
	name = strings.TrimSpace(name)
	wrap := func(size float32) ([]string, bool) {
		var lines []string
		words := strings.Fields(name)
		for len(words) > 0 {
			n := 1
			for n < len(words) && fyne.MeasureText(strings.Join(words[:n+1], " "), size*pt, style).Width <= width {
				n++
			}
			line := strings.Join(words[:n], " ")
			if fyne.MeasureText(line, size*pt, style).Width > width {
				return append(lines, fitText(line, size*pt, style, width)), false
			}
			lines, words = append(lines, line), words[n:]
			if len(lines) == 3 && len(words) > 0 {
				lines[2] = fitText(lines[2]+" "+strings.Join(words, " "), size*pt, style, width)
				return lines, false
			}
		}
		return lines, true
	}
	for size := float32(11); size >= 7; size-- {
		if lines, ok := wrap(size); ok {
			return lines, size
		}
	}
	lines, _ := wrap(7)
	return lines, 7
}

// fitText shortens s with "…" until it is at most width wide, as cardprint
// fits a name.
func fitText(s string, size float32, style fyne.TextStyle, width float32) string {
	if fyne.MeasureText(s, size, style).Width <= width {
		return s
	}
	r := []rune(s)
	for n := len(r) - 1; n > 0; n-- {
		t := strings.TrimSpace(string(r[:n])) + "…"
		if fyne.MeasureText(t, size, style).Width <= width {
			return t
		}
	}
	return "…"
}

// showExample shows the stored design, with the program's icon as a logo
// and the house colours where none are set (--screen card-design).
func (s *cardDesignScreen) showExample() {
	s.afterLoadHook = func() {
		s.afterLoadHook = nil
		d := s.design()
		if d.VenueName == "" {
			d.VenueName = tr("cards.example_venue", "Zerno")
		}
		if len(d.Logo) == 0 {
			d.Logo = assets.Icon.Content()
		}
		d.ShowName, d.ShowNumber, d.ShowGroup = true, true, true
		s.fill(d)
	}
	s.load()
}
