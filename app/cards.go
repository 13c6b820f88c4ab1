package app

// QR cards (QR-01…QR-04): each issued card carries a short code in the QR
// alphanumeric alphabet with a keyed MAC (a per-venue secret made at first
// use, kept in the database, so it travels with backups); the code is the
// client's identification method (media card, input QR). Re-issuing revokes
// the old code; a revoked or forged code at the till says so and is logged.
//
// The code format (17–19 characters, so a QR code of it is version 1 at
// error level M, version 2 at Q):
//
//	LD 000123 - 7K3QZ0M9TX
//	│  │        └ the MAC: the first 50 bits of HMAC-SHA256(secret,
//	│  │          "card:"+number) in Crockford's base32 alphabet
//	│  │          (0-9 A-Z without I L O U), ten characters
//	│  └ the card number, decimal, zero-padded to six digits (more
//	│    digits past 999999)
//	└ the prefix
//
// written "LD000123-7K3QZ0M9TX". Only digits, capitals and "-" are used:
// all in QR alphanumeric mode, and all typed the same by a keyboard-wedge
// scanner under the Russian layout. Text is upper-cased before checking, so
// a scanner typing lower case (Caps Lock, a layout translation) still
// works. The MAC covers the number exactly as printed, so any change of one
// character (a typo, a guessed neighbour number) passes with probability
// 2⁻⁵⁰. The secret is 32 bytes from crypto/rand, made at the first issue
// and kept (hex) in setting cards.secret; it is never logged or shown.
//
// A text is "ours" when it is in the card format or one edit away from it
// (a character changed, lost or added), or starts like a code ("LD", a
// digit, and a "-" further on: a code cut short or run on). Ours but not
// exactly a code with the right MAC is a forged or mistyped code.

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // logos: image.DecodeConfig knows JPEG
	_ "image/png"  // and PNG
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Setting keys of the cards.
const (
	SettingCardSecret = "cards.secret" // the venue's MAC key (never shown)
	SettingCardDesign = "cards.design" // CardDesign as JSON
	SettingCardNext   = "cards.next_number"
)

// Field names of the card design.
const (
	FieldVenueName = "venue_name"
	FieldLogo      = "logo"
	FieldColour    = "colour"
)

// Errors of a card code at the till.
var (
	// ErrForgedCode means a text in our card format whose check fails: a
	// typo or a guessed number.
	ErrForgedCode = errors.New("card code check failed")
	// ErrRevokedCode means a genuine code of a card re-issued or withdrawn.
	ErrRevokedCode = errors.New("card code revoked")
)

// CardDesign is how printed cards look (stored in settings).
type CardDesign struct {
	VenueName  string `json:"venue_name"`
	Logo       []byte `json:"logo,omitempty"` // PNG or JPEG, at most 512 KB
	Background string `json:"background"`     // "#RRGGBB"
	Foreground string `json:"foreground"`     // text
	Accent     string `json:"accent"`         // a stripe / the number
	ShowName   bool   `json:"show_name"`
	ShowNumber bool   `json:"show_number"`
	ShowGroup  bool   `json:"show_group"`
}

// IssuedCard is a client's card as printed.
type IssuedCard struct {
	ClientID   string
	ClientName string
	GroupName  string
	Number     string // the card number people read, e.g. "000123"
	Code       string // what the QR code holds
	IssuedAt   time.Time
}

// Limits and defaults of the card design.
const (
	MaxVenueNameLen = 40        // characters
	MaxLogoBytes    = 512 << 10 // 512 KB
	DefaultCardBg   = "#1B2A4A" // dark blue
	DefaultCardFg   = "#FFFFFF" // white
	DefaultCardAcc  = "#F2B134" // amber
	cardPrefix      = "LD"      //
	cardDigits      = 6         // the number is zero-padded to this
	cardMACChars    = 10        // 50 bits of MAC
	cardSecretBytes = 32        //
	cardAlphabet    = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
)

// cardCodeLen is the length of a code with a six-digit number.
const cardCodeLen = len(cardPrefix) + cardDigits + 1 + cardMACChars

var cardB32 = base32.NewEncoding(cardAlphabet).WithPadding(base32.NoPadding)

// Cards issues and checks QR card codes and keeps the card design.
type Cards struct {
	store Store
	clock Clock
}

// NewCards returns the card use cases.
func NewCards(store Store, clock Clock) *Cards { return &Cards{store: store, clock: clock} }

// cardMAC returns the MAC characters of a card number (as printed).
func cardMAC(secret []byte, number string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("card:" + number))
	return cardB32.EncodeToString(m.Sum(nil)[:7])[:cardMACChars] // 56 bits → 12 chars; the first 10 hold 50 bits
}

// cardCode returns the code of a card number.
func cardCode(secret []byte, number string) string {
	return cardPrefix + number + "-" + cardMAC(secret, number)
}

// formatCardNumber zero-pads n to six digits.
func formatCardNumber(n int64) string { return fmt.Sprintf("%0*d", cardDigits, n) }

// parsedCode is a text read as a card code.
type parsedCode struct {
	text   string // trimmed and upper-cased
	number string // when exact
	mac    string
	exact  bool // exactly in the format (the MAC still to check)
	ours   bool // in the format or near it
}

var looseCard = regexp.MustCompile(`^LD[0-9][0-9A-Z]*-`)

// parseCardCode reads text as a card code.
func parseCardCode(text string) parsedCode {
	s := strings.ToUpper(strings.TrimSpace(text))
	p := parsedCode{text: s}
	if len(s) != utf8.RuneCountInString(s) { // ASCII only
		return p
	}
	if n := len(s) - len(cardPrefix) - 1 - cardMACChars; n >= cardDigits && cardMisfits(s, n, -1) == 0 &&
		(n == cardDigits || s[2] != '0') { // no padding beyond six digits
		p.exact, p.number, p.mac = true, s[2:2+n], s[3+n:]
	}
	p.ours = p.exact || nearCardCode(s) || looseCard.MatchString(s)
	return p
}

// nearCardCode reports whether s is one edit (a character changed, lost or
// added) away from the card format.
func nearCardCode(s string) bool {
	for n := cardDigits; n <= cardDigits+12; n++ {
		size := len(cardPrefix) + n + 1 + cardMACChars
		switch len(s) {
		case size:
			if cardMisfits(s, n, -1) <= 1 {
				return true
			}
		case size - 1: // a character lost: some slot of the pattern is skipped
			for k := range size {
				if cardMisfits(s, n, k) == 0 {
					return true
				}
			}
		case size + 1: // a character added
			for k := range len(s) {
				if cardMisfits(s[:k]+s[k+1:], n, -1) == 0 {
					return true
				}
			}
		}
	}
	return false
}

// cardMisfits counts (up to 2) the characters of s out of place against the
// pattern of a code whose number has n digits, with the pattern's slot skip
// left out (-1: none).
func cardMisfits(s string, n, skip int) int {
	bad := 0
	for i := 0; i < len(s) && bad < 2; i++ {
		slot := i
		if skip >= 0 && i >= skip {
			slot++
		}
		if !cardCharFits(slot, n, s[i]) {
			bad++
		}
	}
	return bad
}

// cardCharFits reports whether c may stand at position i of a code whose
// number has n digits.
func cardCharFits(i, n int, c byte) bool {
	switch {
	case i < len(cardPrefix):
		return c == cardPrefix[i]
	case i < len(cardPrefix)+n:
		return c >= '0' && c <= '9'
	case i == len(cardPrefix)+n:
		return c == '-'
	default:
		return strings.IndexByte(cardAlphabet, c) >= 0
	}
}

// cardSecret reads the venue's secret; nil when none was made yet.
func cardSecret(ctx context.Context, r SettingsReader) ([]byte, error) {
	v, ok, err := r.Setting(ctx, SettingCardSecret)
	if err != nil {
		return nil, fmt.Errorf("read card secret: %w", err)
	}
	if !ok || v == "" {
		return nil, nil
	}
	b, err := hex.DecodeString(v)
	if err != nil || len(b) < 16 {
		return nil, errors.New("card secret setting is damaged") // never the value
	}
	return b, nil
}

// checkCard tells whether text is ours and whether it is genuine; it
// returns the canonical code when genuine.
func checkCard(ctx context.Context, r SettingsReader, text string) (p parsedCode, err error) {
	p = parseCardCode(text)
	if !p.ours {
		return p, nil
	}
	if !p.exact {
		return p, ErrForgedCode
	}
	secret, err := cardSecret(ctx, r)
	if err != nil {
		return p, err
	}
	if secret == nil || !hmac.Equal([]byte(cardMAC(secret, p.number)), []byte(p.mac)) {
		return p, ErrForgedCode // no secret yet: nothing was ever issued
	}
	return p, nil
}

// CheckCode tells whether text is in our card format and, if so, whether
// its MAC holds: (false, nil) not ours; (true, nil) genuine; (true,
// ErrForgedCode) ours but forged or mistyped. Lower case is accepted.
func (c *Cards) CheckCode(ctx context.Context, text string) (ours bool, err error) {
	p, err := checkCard(ctx, c.store, text)
	return p.ours, err
}

// identifyCard answers the till for a text no identifier, phone or
// external id matched: a live card code's client (typed in lower case),
// ErrRevokedCode for a genuine code no longer live, ErrForgedCode for a
// text in our format whose check fails (both audited), or ErrNotFound when
// the text is not ours.
func identifyCard(ctx context.Context, store Store, clock Clock, text string) (string, error) {
	p, err := checkCard(ctx, store, text)
	if !p.ours {
		if err != nil {
			return "", err
		}
		return "", fmt.Errorf("identify %q: %w", text, ErrNotFound)
	}
	action, entityID, details := "card.forged", "", jsonObject("text", strings.TrimSpace(text))
	switch {
	case err == nil:
		idf, lerr := store.IdentifierByValue(ctx, p.text)
		if lerr == nil {
			return idf.ClientID, nil
		}
		if !errors.Is(lerr, ErrNotFound) {
			return "", lerr
		}
		err, action, entityID, details = ErrRevokedCode, "card.revoked", p.number, jsonObject("number", p.number)
	case !errors.Is(err, ErrForgedCode):
		return "", err
	}
	now := clock.Now()
	if aerr := store.Update(ctx, func(tx Tx) error {
		return tx.AppendAudit(ctx, AuditEntry{
			ID: NewID(), At: now, NodeID: store.NodeID(), Actor: ActorOf(ctx),
			Action: action, Entity: "card", EntityID: entityID, Details: details,
		})
	}); aerr != nil {
		return "", fmt.Errorf("audit %s: %w", action, aerr)
	}
	return "", fmt.Errorf("identify %q: %w", text, err)
}

// Design returns the card design (defaults from the venue's name when none
// was saved).
func (c *Cards) Design(ctx context.Context) (CardDesign, error) {
	v, ok, err := c.store.Setting(ctx, SettingCardDesign)
	if err != nil {
		return CardDesign{}, fmt.Errorf("read card design: %w", err)
	}
	if ok && v != "" {
		var d CardDesign
		if err := json.Unmarshal([]byte(v), &d); err == nil {
			return d, nil
		}
		// A damaged design falls back to the defaults rather than stopping printing.
	}
	name, _, err := c.store.Setting(ctx, SettingVenueName)
	if err != nil {
		return CardDesign{}, fmt.Errorf("read venue name: %w", err)
	}
	name = cleanText(name)
	if r := []rune(name); len(r) > MaxVenueNameLen {
		name = strings.TrimSpace(string(r[:MaxVenueNameLen]))
	}
	return CardDesign{
		VenueName: name, Background: DefaultCardBg, Foreground: DefaultCardFg, Accent: DefaultCardAcc,
		ShowName: true, ShowNumber: true, ShowGroup: true,
	}, nil
}

var hexColour = regexp.MustCompile(`^#[0-9A-F]{6}$`)

// SaveDesign validates and stores the design: a venue name of at most 40
// characters, colours as #RRGGBB, a logo (if any) of at most 512 KB that
// decodes as PNG or JPEG. A *ValidationError names the fields (colours with
// Item "background", "foreground" or "accent").
func (c *Cards) SaveDesign(ctx context.Context, d CardDesign) error {
	var v validation
	d.VenueName = cleanText(d.VenueName)
	if utf8.RuneCountInString(d.VenueName) > MaxVenueNameLen {
		v.add(FieldVenueName, ReasonTooLong, d.VenueName)
	}
	for _, col := range []struct {
		item string
		to   *string
	}{{"background", &d.Background}, {"foreground", &d.Foreground}, {"accent", &d.Accent}} {
		*col.to = strings.ToUpper(strings.TrimSpace(*col.to))
		if !hexColour.MatchString(*col.to) {
			v.addErr(FieldError{Field: FieldColour, Reason: ReasonBadValue, Value: *col.to, Item: col.item})
		}
	}
	if len(d.Logo) == 0 {
		d.Logo = nil
	} else if len(d.Logo) > MaxLogoBytes {
		v.add(FieldLogo, ReasonTooLong, strconv.Itoa(len(d.Logo)))
	} else if _, format, err := image.DecodeConfig(bytes.NewReader(d.Logo)); err != nil || (format != "png" && format != "jpeg") {
		v.add(FieldLogo, ReasonBadValue, format)
	}
	if err := v.err(); err != nil {
		return err
	}
	raw, err := json.Marshal(d)
	if err != nil {
		return err
	}
	now := c.clock.Now()
	return c.store.Update(ctx, func(tx Tx) error {
		if err := tx.SetSetting(ctx, SettingCardDesign, string(raw), now, c.store.NodeID()); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, AuditEntry{
			ID: NewID(), At: now, NodeID: c.store.NodeID(), Actor: ActorOf(ctx),
			Action: "cards.design", Entity: "setting", EntityID: SettingCardDesign,
			Details: jsonObject("venue_name", d.VenueName, "background", d.Background, "foreground", d.Foreground,
				"accent", d.Accent, "logo_bytes", strconv.Itoa(len(d.Logo))),
		})
	})
}

// issuer issues cards within one transaction: the secret and the next
// number are read once and the counter written back at the end.
type issuer struct {
	tx     Tx
	node   string
	now    time.Time
	secret []byte
	next   int64
	issued int
}

func newIssuer(ctx context.Context, tx Tx, node string, now time.Time) (*issuer, error) {
	is := &issuer{tx: tx, node: node, now: now, next: 1}
	secret, err := cardSecret(ctx, tx)
	if err != nil {
		return nil, err
	}
	if secret == nil {
		secret = make([]byte, cardSecretBytes)
		if _, err := rand.Read(secret); err != nil {
			return nil, fmt.Errorf("make card secret: %w", err)
		}
		if err := tx.SetSetting(ctx, SettingCardSecret, hex.EncodeToString(secret), now, node); err != nil {
			return nil, err
		}
	}
	is.secret = secret
	v, ok, err := tx.Setting(ctx, SettingCardNext)
	if err != nil {
		return nil, err
	}
	if ok && v != "" {
		if is.next, err = strconv.ParseInt(v, 10, 64); err != nil || is.next < 1 {
			return nil, fmt.Errorf("setting %s is %q: not a card number", SettingCardNext, v)
		}
	}
	return is, nil
}

// issue gives client c a new card, revoking their earlier codes.
func (is *issuer) issue(ctx context.Context, c Client) (IssuedCard, error) {
	if c.Blocked {
		return IssuedCard{}, &ValidationError{Fields: []FieldError{{Field: FieldClient, Reason: ReasonBlocked, Value: c.FullName()}}}
	}
	revoked := 0
	for _, idf := range c.Identifiers {
		if isCardIdentifier(idf) && parseCardCode(idf.Value).ours {
			if err := is.tx.DeleteIdentifier(ctx, idf.ID, is.now, is.node); err != nil {
				return IssuedCard{}, err
			}
			revoked++
		}
	}
	number := formatCardNumber(is.next)
	is.next++
	is.issued++
	code := cardCode(is.secret, number)
	idf := Identifier{ID: NewID(), ClientID: c.ID, Media: MediaCard, Input: InputQR, Value: code,
		CreatedAt: is.now, UpdatedAt: is.now, NodeID: is.node}
	if err := is.tx.InsertIdentifier(ctx, idf); err != nil {
		return IssuedCard{}, err
	}
	if err := is.tx.AppendAudit(ctx, AuditEntry{
		ID: NewID(), At: is.now, NodeID: is.node, Actor: ActorOf(ctx),
		Action: "card.issue", Entity: "client", EntityID: c.ID,
		Details: jsonObject("number", number, "revoked", strconv.Itoa(revoked)),
	}); err != nil {
		return IssuedCard{}, err
	}
	return IssuedCard{ClientID: c.ID, ClientName: c.FullName(), Number: number, Code: code, IssuedAt: is.now}, nil
}

// finish writes the counter back.
func (is *issuer) finish(ctx context.Context) error {
	if is.issued == 0 {
		return nil
	}
	return is.tx.SetSetting(ctx, SettingCardNext, strconv.FormatInt(is.next, 10), is.now, is.node)
}

func isCardIdentifier(idf Identifier) bool { return idf.Media == MediaCard && idf.Input == InputQR }

// liveCard returns the client's newest genuine card code, if any.
func liveCard(c Client, secret []byte) (IssuedCard, bool) {
	if secret == nil {
		return IssuedCard{}, false
	}
	var best Identifier
	var number string
	for _, idf := range c.Identifiers {
		if !isCardIdentifier(idf) {
			continue
		}
		p := parseCardCode(idf.Value)
		if !p.exact || p.text != idf.Value || !hmac.Equal([]byte(cardMAC(secret, p.number)), []byte(p.mac)) {
			continue
		}
		if number == "" || idf.CreatedAt.After(best.CreatedAt) || (idf.CreatedAt.Equal(best.CreatedAt) && idf.ID > best.ID) {
			best, number = idf, p.number
		}
	}
	if number == "" {
		return IssuedCard{}, false
	}
	return IssuedCard{ClientID: c.ID, ClientName: c.FullName(), Number: number, Code: best.Value, IssuedAt: best.CreatedAt}, true
}

// Issue gives the client a new card (number and code) and revokes the codes
// of their earlier cards; audited. A blocked client gets a
// *ValidationError (client: blocked); a deleted one ErrNotFound.
func (c *Cards) Issue(ctx context.Context, clientID string) (IssuedCard, error) {
	var card IssuedCard
	now := c.clock.Now()
	err := c.store.Update(ctx, func(tx Tx) error {
		cl, err := tx.Client(ctx, clientID)
		if err != nil {
			return err
		}
		is, err := newIssuer(ctx, tx, c.store.NodeID(), now)
		if err != nil {
			return err
		}
		if card, err = is.issue(ctx, cl); err != nil {
			return err
		}
		if cl.GroupID != "" {
			d, err := tx.Directory(ctx)
			if err != nil {
				return err
			}
			card.GroupName = NameOf(d.Groups, cl.GroupID)
		}
		return is.finish(ctx)
	})
	if err != nil {
		return IssuedCard{}, fmt.Errorf("issue card to client %s: %w", clientID, err)
	}
	return card, nil
}

// ForPrint returns the live card of each client in order, issuing one to
// those without (when issueMissing), for printing. The live card is the
// newest of the client's genuine card codes. Clients without a card are
// left out when issueMissing is false, and blocked clients without a card
// always (a blocked client is not issued one). An unknown or deleted client
// is ErrNotFound. All the issuing is one transaction.
func (c *Cards) ForPrint(ctx context.Context, clientIDs []string, issueMissing bool) ([]IssuedCard, error) {
	secret, err := cardSecret(ctx, c.store)
	if err != nil {
		return nil, err
	}
	dir, err := c.store.Directory(ctx)
	if err != nil {
		return nil, fmt.Errorf("cards for print: %w", err)
	}
	cards := make([]IssuedCard, len(clientIDs))
	have := make([]bool, len(clientIDs))
	var missing []int
	for i, id := range clientIDs {
		cl, err := c.store.Client(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("cards for print: %w", err)
		}
		if card, ok := liveCard(cl, secret); ok {
			card.GroupName = NameOf(dir.Groups, cl.GroupID)
			cards[i], have[i] = card, true
		} else if issueMissing && !cl.Blocked {
			missing = append(missing, i)
		}
	}
	if len(missing) > 0 {
		now := c.clock.Now()
		err := c.store.Update(ctx, func(tx Tx) error {
			is, err := newIssuer(ctx, tx, c.store.NodeID(), now)
			if err != nil {
				return err
			}
			for _, i := range missing {
				cl, err := tx.Client(ctx, clientIDs[i])
				if err != nil {
					return err
				}
				card, ok := liveCard(cl, is.secret) // issued meanwhile
				if !ok {
					if cl.Blocked {
						continue
					}
					if card, err = is.issue(ctx, cl); err != nil {
						return err
					}
				}
				card.GroupName = NameOf(dir.Groups, cl.GroupID)
				cards[i], have[i] = card, true
			}
			return is.finish(ctx)
		})
		if err != nil {
			return nil, fmt.Errorf("issue cards for print: %w", err)
		}
	}
	out := make([]IssuedCard, 0, len(cards))
	for i, card := range cards {
		if have[i] {
			out = append(out, card)
		}
	}
	return slices.Clip(out), nil
}
