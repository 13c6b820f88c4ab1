package app_test

// FuzzCheckCode: card code checking never panics, a genuine code always
// checks, and nothing else checks as genuine (QR-01).

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"loyaltydesk/app"
	"loyaltydesk/db"
)

// oracleCode recomputes the documented code of a number from the secret:
// "LD" + number + "-" + the first 50 bits of HMAC-SHA256(secret,
// "card:"+number) in Crockford's base32.
func oracleCode(secret []byte, number string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("card:" + number))
	enc := base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding)
	return "LD" + number + "-" + enc.EncodeToString(m.Sum(nil)[:7])[:10]
}

var codeShape = regexp.MustCompile(`^LD([0-9]{6,})-`)

func FuzzCheckCode(f *testing.F) {
	ctx := context.Background()
	clock := app.NewManualClock(testNow)
	store, err := db.Open(ctx, filepath.Join(f.TempDir(), "fuzz.db"), db.Options{Clock: clock})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { store.Close() })
	clients := app.NewClients(store, clock)
	cards := app.NewCards(store, clock)
	var codes []string
	for _, name := range []string{"Анна", "Борис", "Вера"} {
		c, err := clients.Create(ctx, app.ClientInput{FirstName: name})
		if err != nil {
			f.Fatal(err)
		}
		card, err := cards.Issue(ctx, c.ID)
		if err != nil {
			f.Fatal(err)
		}
		codes = append(codes, card.Code)
	}
	hexSecret, _, err := store.Setting(ctx, app.SettingCardSecret)
	if err != nil {
		f.Fatal(err)
	}
	secret, err := hex.DecodeString(hexSecret)
	if err != nil {
		f.Fatal(err)
	}
	for _, c := range codes {
		if oracleCode(secret, c[2:8]) != c {
			f.Fatalf("issued %s is not the documented code %s", c, oracleCode(secret, c[2:8]))
		}
		f.Add(c)
		f.Add(strings.ToLower(c))
		f.Add(c[:len(c)-1] + "0")
		f.Add(c[:5] + "9" + c[6:])
		f.Add(c + " ")
		f.Add(c[:12])
	}
	for _, s := range []string{"", "LD", "LD1-", "LD000001-", "LD0000001-ABCDEFGHJK", "ld999999-zzzzzzzzzz",
		"+79161234567", "ЛВ000001-АБВ", "LD000001-ABCDEFGHJK\x00", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		ours, err := cards.CheckCode(ctx, text)
		if err != nil && !errors.Is(err, app.ErrForgedCode) {
			t.Fatalf("CheckCode(%q): unexpected error %v", text, err)
		}
		if !ours && err != nil {
			t.Fatalf("CheckCode(%q) = not ours with %v", text, err)
		}
		norm := strings.ToUpper(strings.TrimSpace(text))
		if ours && err == nil { // genuine: it must be exactly the code of its number
			m := codeShape.FindStringSubmatch(norm)
			if m == nil || oracleCode(secret, m[1]) != norm {
				t.Fatalf("CheckCode(%q) says genuine; it is no real code", text)
			}
		}
		// A genuine code always checks, in any case.
		if m := codeShape.FindStringSubmatch(norm); m != nil && len(m[1]) == 6 {
			real := oracleCode(secret, m[1])
			for _, v := range []string{real, strings.ToLower(real)} {
				if ours, err := cards.CheckCode(ctx, v); !ours || err != nil {
					t.Fatalf("CheckCode(%q) = %v, %v; a genuine code must check", v, ours, err)
				}
			}
		}
	})
}
