package app_test

// Tests of the QR card codes (QR-01) over the real SQLite store: issuing,
// identifying at the till, re-issuing, forged and mistyped codes, the
// venue secret across a reopen, printing lists and the card design.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"loyaltydesk/app"
	"loyaltydesk/db"
)

// cardFormat is the documented card code: LD, six digits, "-", ten
// Crockford base32 characters.
var cardFormat = regexp.MustCompile(`^LD[0-9]{6}-[0-9ABCDEFGHJKMNPQRSTVWXYZ]{10}$`)

// qrAlnum is the QR alphanumeric alphabet.
const qrAlnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

type cardEnv struct {
	*money
	cards *app.Cards
}

func newCardEnv(t *testing.T) *cardEnv {
	t.Helper()
	m := newMoney(t)
	return &cardEnv{money: m, cards: app.NewCards(m.store, m.clock)}
}

func (e *cardEnv) issue(t *testing.T, clientID string) app.IssuedCard {
	t.Helper()
	card, err := e.cards.Issue(e.ctx, clientID)
	if err != nil {
		t.Fatalf("Issue(%s): %v", clientID, err)
	}
	return card
}

// audits returns the audit entries whose action starts with action.
func (e *cardEnv) audits(t *testing.T, action string) []app.AuditEntry {
	t.Helper()
	es, err := e.auth.AuditLog(e.ctx, app.AuditQuery{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

func (e *cardEnv) secret(t *testing.T) string {
	t.Helper()
	v, ok, err := e.store.Setting(e.ctx, app.SettingCardSecret)
	if err != nil || !ok {
		t.Fatalf("secret setting: %v, set %v", err, ok)
	}
	return v
}

func TestCardIssueIdentifiesAtTheTill(t *testing.T) {
	e := newCardEnv(t)
	regulars := e.group(t, "Постоянные")
	a := e.guest(t, "+79161230001", regulars)
	b := e.guest(t, "+79161230002", "")
	ca, cb := e.issue(t, a.ID), e.issue(t, b.ID)
	for _, c := range []app.IssuedCard{ca, cb} {
		if !cardFormat.MatchString(c.Code) || !strings.HasPrefix(c.Code, "LD"+c.Number+"-") {
			t.Errorf("code %q (number %q) is not in the card format", c.Code, c.Number)
		}
		if len(c.Code) > 20 {
			t.Errorf("code %q is longer than a version 1-M QR code holds (20)", c.Code)
		}
	}
	if ca.Number != "000001" || cb.Number != "000002" {
		t.Errorf("numbers = %s, %s; want 000001, 000002", ca.Number, cb.Number)
	}
	if ca.ClientName != a.FullName() || ca.GroupName != "Постоянные" || ca.IssuedAt.IsZero() {
		t.Errorf("card = %+v", ca)
	}
	for _, c := range []struct {
		card app.IssuedCard
		id   string
	}{{ca, a.ID}, {cb, b.ID}} {
		g, err := e.till.Identify(e.ctx, c.card.Code)
		if err != nil || g.Client.ID != c.id {
			t.Errorf("Identify(%s) = %s, %v; want %s", c.card.Code, g.Client.ID, err, c.id)
		}
		if ours, err := e.cards.CheckCode(e.ctx, c.card.Code); !ours || err != nil {
			t.Errorf("CheckCode(%s) = %v, %v; want genuine", c.card.Code, ours, err)
		}
	}
	// The code is the client's identifier: media card, input QR.
	var found bool
	for _, idf := range e.get(t, a.ID).Identifiers {
		if idf.Value == ca.Code {
			found = idf.Media == app.MediaCard && idf.Input == app.InputQR
		}
	}
	if !found {
		t.Errorf("client %s has no card/QR identifier %s", a.ID, ca.Code)
	}
	// Audited with the number, never the secret.
	secret := e.secret(t)
	issues := e.audits(t, "card.issue")
	if len(issues) != 2 {
		t.Fatalf("card.issue audited %d times, want 2", len(issues))
	}
	for _, en := range issues {
		if !strings.Contains(en.Details, `"number":"00000`) || strings.Contains(en.Details, secret) || en.Actor != "Ольга" {
			t.Errorf("audit %+v", en)
		}
	}
	// Not ours: a phone-like or other text is still "not found", not forged.
	for _, text := range []string{"4600000000001", "HELLO", "LD", "ABC-123"} {
		if ours, err := e.cards.CheckCode(e.ctx, text); ours || err != nil {
			t.Errorf("CheckCode(%q) = %v, %v; want not ours", text, ours, err)
		}
		if _, err := e.till.Identify(e.ctx, text); !errors.Is(err, app.ErrNotFound) {
			t.Errorf("Identify(%q) = %v; want ErrNotFound", text, err)
		}
	}
}

func TestCardLowerCaseTyped(t *testing.T) {
	e := newCardEnv(t)
	a := e.guest(t, "+79161230001", "")
	card := e.issue(t, a.ID)
	for _, text := range []string{strings.ToLower(card.Code), " " + card.Code + "\n", strings.ToLower(card.Code[:5]) + card.Code[5:]} {
		g, err := e.till.Identify(e.ctx, text)
		if err != nil || g.Client.ID != a.ID {
			t.Errorf("Identify(%q) = %s, %v; want %s", text, g.Client.ID, err, a.ID)
		}
		if g, err := e.till.IdentifyScan(e.ctx, text); err != nil || g.Client.ID != a.ID {
			t.Errorf("IdentifyScan(%q) = %s, %v", text, g.Client.ID, err)
		}
	}
	if n := len(e.audits(t, "card.forged")) + len(e.audits(t, "card.revoked")); n != 0 {
		t.Errorf("a genuine lower-case code wrote %d revoked/forged audit lines", n)
	}
}

func TestCardReissueRevokesOldCode(t *testing.T) {
	e := newCardEnv(t)
	a := e.guest(t, "+79161230001", "")
	old := e.issue(t, a.ID)
	// A card identifier of another kind stays; only our codes are revoked.
	if _, err := e.clients.AddIdentifier(e.ctx, a.ID, app.IdentifierInput{Media: app.MediaCard, Input: app.InputRFID, Value: "00007EE424"}); err != nil {
		t.Fatal(err)
	}
	cur := e.issue(t, a.ID)
	if cur.Number == old.Number || cur.Code == old.Code {
		t.Fatalf("re-issue kept number/code: %+v vs %+v", cur, old)
	}
	_, err := e.till.Identify(e.ctx, old.Code)
	if !errors.Is(err, app.ErrRevokedCode) || errors.Is(err, app.ErrNotFound) {
		t.Fatalf("Identify(old code) = %v; want ErrRevokedCode", err)
	}
	// The old code is still genuine (its MAC holds), just no longer live.
	if ours, err := e.cards.CheckCode(e.ctx, old.Code); !ours || err != nil {
		t.Errorf("CheckCode(old) = %v, %v", ours, err)
	}
	rev := e.audits(t, "card.revoked")
	if len(rev) != 1 || rev[0].EntityID != old.Number || rev[0].Actor != "Ольга" {
		t.Errorf("card.revoked audit = %+v; want one naming %s", rev, old.Number)
	}
	if g, err := e.till.Identify(e.ctx, cur.Code); err != nil || g.Client.ID != a.ID {
		t.Errorf("Identify(new code) = %s, %v", g.Client.ID, err)
	}
	if g, err := e.till.Identify(e.ctx, "00007EE424"); err != nil || g.Client.ID != a.ID {
		t.Errorf("the RFID identifier went with the re-issue: %v", err)
	}
	var cardQR int
	for _, idf := range e.get(t, a.ID).Identifiers {
		if idf.Media == app.MediaCard && idf.Input == app.InputQR {
			cardQR++
		}
	}
	if cardQR != 1 {
		t.Errorf("client has %d live card QR identifiers, want 1", cardQR)
	}
	if issues := e.audits(t, "card.issue"); len(issues) != 2 || !strings.Contains(issues[0].Details, `"revoked":"1"`) {
		t.Errorf("card.issue audits = %+v", issues)
	}
	// A deleted client's code is revoked too.
	if err := e.clients.Delete(e.ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.till.Identify(e.ctx, cur.Code); !errors.Is(err, app.ErrRevokedCode) {
		t.Errorf("Identify(deleted client's code) = %v; want ErrRevokedCode", err)
	}
}

func TestCardOneCharacterChangeIsForged(t *testing.T) {
	e := newCardEnv(t)
	a := e.guest(t, "+79161230001", "")
	b := e.guest(t, "+79161230002", "")
	ca, cb := e.issue(t, a.ID), e.issue(t, b.ID)
	codes := map[string]bool{ca.Code: true, cb.Code: true}
	tries := 0
	for _, card := range []app.IssuedCard{ca, cb} {
		for i := range len(card.Code) {
			for _, r := range qrAlnum {
				if byte(r) == card.Code[i] {
					continue
				}
				text := card.Code[:i] + string(r) + card.Code[i+1:]
				if codes[text] {
					continue
				}
				tries++
				g, err := e.till.Identify(e.ctx, text)
				if !errors.Is(err, app.ErrForgedCode) || g.Client.ID != "" {
					t.Fatalf("Identify(%q) = client %q, %v; want ErrForgedCode", text, g.Client.ID, err)
				}
				if ours, err := e.cards.CheckCode(e.ctx, text); !ours || !errors.Is(err, app.ErrForgedCode) {
					t.Fatalf("CheckCode(%q) = %v, %v; want ours and forged", text, ours, err)
				}
			}
		}
	}
	// A guessed neighbour: the next number with a MAC copied from a real card.
	guess := "LD000003" + ca.Code[len("LD000001"):]
	if _, err := e.till.Identify(e.ctx, guess); !errors.Is(err, app.ErrForgedCode) {
		t.Errorf("Identify(%q) = %v; want ErrForgedCode", guess, err)
	}
	tries++
	// Cut short or run on.
	for _, text := range []string{ca.Code[:len(ca.Code)-1], ca.Code + "7", ca.Code[:10]} {
		if _, err := e.till.Identify(e.ctx, text); !errors.Is(err, app.ErrForgedCode) {
			t.Errorf("Identify(%q) = %v; want ErrForgedCode", text, err)
		}
		tries++
	}
	forged := e.audits(t, "card.forged")
	if len(forged) != tries {
		t.Errorf("card.forged audited %d times for %d tries", len(forged), tries)
	}
	if len(forged) > 0 && (!strings.Contains(forged[0].Details, "LD") || forged[0].Entity != "card") {
		t.Errorf("forged audit = %+v", forged[0])
	}
}

func TestCardSecretSurvivesReopenAndDiffersPerVenue(t *testing.T) {
	e := newCardEnv(t)
	a := e.guest(t, "+79161230001", "")
	card := e.issue(t, a.ID)
	secret := e.secret(t)
	if len(secret) != 64 {
		t.Errorf("secret is %d hex digits, want 64 (32 bytes)", len(secret))
	}

	// Reopen the same file: the secret and the code hold.
	if err := e.store.Close(); err != nil {
		t.Fatal(err)
	}
	store, err := db.Open(e.ctx, e.path, db.Options{Clock: e.clock})
	if err != nil {
		t.Fatal(err)
	}
	e.store = store // closed by the env's cleanup
	if v, _, _ := store.Setting(e.ctx, app.SettingCardSecret); v != secret {
		t.Error("the secret changed across a reopen")
	}
	till := app.NewTill(store, e.clock, app.NewLedger(store, e.clock), app.NewPurchases(store, e.clock))
	if g, err := till.Identify(e.ctx, card.Code); err != nil || g.Client.ID != a.ID {
		t.Errorf("after reopen Identify = %s, %v", g.Client.ID, err)
	}
	cards := app.NewCards(store, e.clock)
	next := e.issueWith(t, cards, a.ID)
	if next.Number != "000002" {
		t.Errorf("the counter restarted: %s", next.Number)
	}

	// Another venue: another secret, and our code is forged there, though
	// its number 000001 exists there too.
	other := newCardEnv(t)
	oa := other.guest(t, "+79161230001", "")
	oc := other.issue(t, oa.ID)
	if other.secret(t) == secret {
		t.Error("two databases share a secret")
	}
	if oc.Number != card.Number || oc.Code == card.Code {
		t.Errorf("other venue's card %+v vs %+v", oc, card)
	}
	if _, err := other.till.Identify(other.ctx, card.Code); !errors.Is(err, app.ErrForgedCode) {
		t.Errorf("another venue's code = %v; want ErrForgedCode", err)
	}
}

func (e *cardEnv) issueWith(t *testing.T, cards *app.Cards, id string) app.IssuedCard {
	t.Helper()
	c, err := cards.Issue(e.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCardNoSecretYet(t *testing.T) {
	e := newCardEnv(t)
	// Nothing issued: a text in the format is forged, and checking makes no secret.
	if ours, err := e.cards.CheckCode(e.ctx, "LD000001-ABCDEFGHJK"); !ours || !errors.Is(err, app.ErrForgedCode) {
		t.Errorf("CheckCode = %v, %v", ours, err)
	}
	if _, ok, _ := e.store.Setting(e.ctx, app.SettingCardSecret); ok {
		t.Error("checking a code made a secret")
	}
}

func TestCardIssueRefusesBlockedAndDeleted(t *testing.T) {
	e := newCardEnv(t)
	a := e.guest(t, "+79161230001", "")
	if _, err := e.clients.Apply(e.ctx, app.ClientQuery{IDs: []string{a.ID}}, app.Action{Kind: app.ActionBlock, Reason: "долг"}); err != nil {
		t.Fatal(err)
	}
	_, err := e.cards.Issue(e.ctx, a.ID)
	fieldError(t, err, app.FieldClient, app.ReasonBlocked)
	b := e.guest(t, "+79161230002", "")
	if err := e.clients.Delete(e.ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.cards.Issue(e.ctx, b.ID); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("Issue(deleted) = %v; want ErrNotFound", err)
	}
	if v, _, _ := e.store.Setting(e.ctx, app.SettingCardNext); v != "" {
		t.Errorf("refused issues moved the counter to %s", v)
	}
}

func TestCardsForPrint(t *testing.T) {
	e := newCardEnv(t)
	g := e.group(t, "VIP")
	a := e.guest(t, "+79161230001", g)
	b := e.guest(t, "+79161230002", "")
	c := e.guest(t, "+79161230003", "")
	blocked := e.guest(t, "+79161230004", "")
	if _, err := e.clients.Apply(e.ctx, app.ClientQuery{IDs: []string{blocked.ID}}, app.Action{Kind: app.ActionBlock, Reason: "долг"}); err != nil {
		t.Fatal(err)
	}
	e.issue(t, b.ID)
	bCard := e.issue(t, b.ID) // the newest is the live one

	ids := []string{c.ID, blocked.ID, a.ID, b.ID}
	got, err := e.cards.ForPrint(e.ctx, ids, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Code != bCard.Code || got[0].Number != bCard.Number || got[0].ClientName != b.FullName() {
		t.Fatalf("ForPrint(no issuing) = %+v; want only b's live card %+v", got, bCard)
	}

	got, err = e.cards.ForPrint(e.ctx, ids, true)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{c.ID, a.ID, b.ID} // order kept; the blocked client left out
	if len(got) != len(want) {
		t.Fatalf("ForPrint(issuing) = %+v", got)
	}
	numbers := map[string]bool{}
	for i, card := range got {
		if card.ClientID != want[i] {
			t.Errorf("card %d is %s's, want %s's", i, card.ClientID, want[i])
		}
		if !cardFormat.MatchString(card.Code) || !strings.HasPrefix(card.Code, "LD"+card.Number+"-") {
			t.Errorf("card %+v", card)
		}
		numbers[card.Number] = true
		if gg, err := e.till.Identify(e.ctx, card.Code); err != nil || gg.Client.ID != card.ClientID {
			t.Errorf("Identify(%s) = %s, %v", card.Code, gg.Client.ID, err)
		}
	}
	if len(numbers) != 3 || got[2].Code != bCard.Code {
		t.Errorf("numbers %v; b's card %s, want kept %s", numbers, got[2].Code, bCard.Code)
	}
	if got[1].GroupName != "VIP" || got[1].ClientName != a.FullName() {
		t.Errorf("a's card = %+v", got[1])
	}
	// Again: nothing new is issued.
	again, err := e.cards.ForPrint(e.ctx, ids, true)
	if err != nil {
		t.Fatal(err)
	}
	for i := range again {
		if again[i].Code != got[i].Code {
			t.Errorf("second ForPrint re-issued %s", again[i].ClientID)
		}
	}
	if n := len(e.audits(t, "card.issue")); n != 4 {
		t.Errorf("card.issue audited %d times, want 4", n)
	}
	if _, err := e.cards.ForPrint(e.ctx, []string{a.ID, app.NewID()}, true); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("ForPrint(unknown id) = %v; want ErrNotFound", err)
	}
}

func encodeImage(t *testing.T, format string, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, x%h, color.RGBA{R: 200, A: 255})
	}
	var buf bytes.Buffer
	var err error
	if format == "png" {
		err = png.Encode(&buf, img)
	} else {
		err = jpeg.Encode(&buf, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCardDesign(t *testing.T) {
	e := newCardEnv(t)
	if err := e.settings.SetVenueName(e.ctx, "Кофейня «Зерно»"); err != nil {
		t.Fatal(err)
	}
	d, err := e.cards.Design(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d.VenueName != "Кофейня «Зерно»" || d.Background != app.DefaultCardBg || d.Foreground != "#FFFFFF" ||
		d.Accent == "" || !d.ShowName || !d.ShowNumber || !d.ShowGroup || d.Logo != nil {
		t.Errorf("default design = %+v", d)
	}

	bad := d
	bad.VenueName = strings.Repeat("Я", app.MaxVenueNameLen+1)
	bad.Background, bad.Accent = "navy", "#12345G"
	bad.Logo = []byte("not an image at all")
	err = e.cards.SaveDesign(e.ctx, bad)
	fieldError(t, err, app.FieldVenueName, app.ReasonTooLong)
	if fe := fieldError(t, err, app.FieldColour, app.ReasonBadValue); fe.Item != "background" {
		t.Errorf("colour error names %q, want background", fe.Item)
	}
	if n := len(app.FieldErrors(err)); n != 4 {
		t.Errorf("%d field errors (%v), want 4: name, background, accent, logo", n, err)
	}
	fieldError(t, err, app.FieldLogo, app.ReasonBadValue)
	big := d
	big.Logo = make([]byte, app.MaxLogoBytes+1)
	copy(big.Logo, encodeImage(t, "png", 8, 8))
	fieldError(t, e.cards.SaveDesign(e.ctx, big), app.FieldLogo, app.ReasonTooLong)
	gif := d
	gif.Logo = []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;")
	fieldError(t, e.cards.SaveDesign(e.ctx, gif), app.FieldLogo, app.ReasonBadValue)
	if after, _ := e.cards.Design(e.ctx); after.VenueName != d.VenueName || after.Logo != nil {
		t.Errorf("a refused design changed the stored one: %+v", after)
	}

	for _, format := range []string{"png", "jpeg"} {
		good := d
		good.VenueName = "  Зерно   и  Ко "
		good.Background, good.Foreground, good.Accent = "#0a1b2c", "#FFFFFF", "#ff8800"
		good.ShowGroup = false
		good.Logo = encodeImage(t, format, 64, 32)
		if err := e.cards.SaveDesign(e.ctx, good); err != nil {
			t.Fatalf("SaveDesign(%s logo): %v", format, err)
		}
		got, err := e.cards.Design(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got.VenueName != "Зерно и Ко" || got.Background != "#0A1B2C" || got.Accent != "#FF8800" ||
			got.ShowGroup || !got.ShowName || !bytes.Equal(got.Logo, good.Logo) {
			t.Errorf("saved %s design read back as %+v", format, got)
		}
	}
	// The venue's name changing later does not rewrite a saved design.
	if err := e.settings.SetVenueName(e.ctx, "Другое"); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.cards.Design(e.ctx); got.VenueName != "Зерно и Ко" {
		t.Errorf("saved venue name = %q", got.VenueName)
	}
	if es := e.audits(t, "cards.design"); len(es) != 2 || strings.Contains(es[0].Details, "iVBOR") {
		t.Errorf("cards.design audits = %d (%v)", len(es), es)
	}
}

// BenchmarkCardsForPrint1000 issues and lists cards for 1,000 clients (the
// bulk print of a segment).
func BenchmarkCardsForPrint1000(b *testing.B) {
	ctx := context.Background()
	clock := app.NewManualClock(testNow)
	store, err := db.Open(ctx, filepath.Join(b.TempDir(), "cards.db"), db.Options{Clock: clock})
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	clients := app.NewClients(store, clock)
	ids := make([]string, 1000)
	for i := range ids {
		c, err := clients.Create(ctx, app.ClientInput{FirstName: fmt.Sprintf("Гость %d", i), LastName: "Иванов"})
		if err != nil {
			b.Fatal(err)
		}
		ids[i] = c.ID
	}
	cards := app.NewCards(store, clock)
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		if err := store.Update(ctx, func(tx app.Tx) error { // take the cards away again
			for _, id := range ids {
				c, err := tx.Client(ctx, id)
				if err != nil {
					return err
				}
				for _, idf := range c.Identifiers {
					if err := tx.DeleteIdentifier(ctx, idf.ID, clock.Now(), store.NodeID()); err != nil {
						return err
					}
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		got, err := cards.ForPrint(ctx, ids, true)
		if err != nil || len(got) != len(ids) {
			b.Fatalf("ForPrint = %d cards, %v", len(got), err)
		}
	}
}
