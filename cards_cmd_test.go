package main

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"loyaltydesk/app"
	"loyaltydesk/db"
	"loyaltydesk/hardware"
)

// cardsDB makes a database with five clients, three of them Ивановы in the
// saved segment «Ивановы», and returns its path and the client IDs.
func cardsDB(t *testing.T) (path string, ivanovs, others []string) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "cards.db")
	ctx := app.WithActor(context.Background(), "test")
	store, err := db.Open(ctx, path, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	clients := app.NewClients(store, app.SystemClock{})
	for i, name := range []string{"Иванов", "Петрова", "Иванова", "Сидоров", "Иванов"} {
		c, err := clients.Create(ctx, app.ClientInput{FirstName: "Гость" + strconv.Itoa(i), LastName: name,
			Phone: "+7 916 555-01-0" + strconv.Itoa(i)})
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(name, "Иванов") {
			ivanovs = append(ivanovs, c.ID)
		} else {
			others = append(others, c.ID)
		}
	}
	if _, err := clients.SaveSegment(ctx, "Ивановы", app.SegmentQuery{Text: "Иванов"}); err != nil {
		t.Fatal(err)
	}
	return path, ivanovs, others
}

// liveCards returns the clients' live cards in the database at path.
func liveCards(t *testing.T, path string, ids []string) []app.IssuedCard {
	t.Helper()
	store, err := db.Open(context.Background(), path, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	cards, err := app.NewCards(store, app.SystemClock{}).ForPrint(context.Background(), ids, false)
	if err != nil {
		t.Fatal(err)
	}
	return cards
}

// `cards pdf` prints a segment's cards, issuing the missing ones only when
// asked, and says how many; printing again issues none.
func TestCardsPDFSegment(t *testing.T) {
	path, ivanovs, others := cardsDB(t)
	out := filepath.Join(t.TempDir(), "cards.pdf")

	code, stdout, stderr := runCLI(t, "cards", "pdf", "--db", path, "--segment", "ивановы", out)
	if code != 1 || !strings.Contains(stderr, "--issue-missing") {
		t.Errorf("no cards yet, no --issue-missing: exit %d, stderr %q; want 1 and a hint", code, stderr)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed print left %s (%v)", out, err)
	}

	code, stdout, stderr = runCLI(t, "cards", "pdf", "--db", path, "--segment", "Ивановы", "--issue-missing", out)
	if code != 0 || !strings.Contains(stdout, "3 cards, 3 issued now → "+out) {
		t.Fatalf("exit %d, stdout %q, stderr %q; want 3 cards, 3 issued", code, stdout, stderr)
	}
	pdf, err := os.ReadFile(out)
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("%s: %d bytes, %v; want a PDF", out, len(pdf), err)
	}
	if n := len(regexp.MustCompile(`/Type\s*/Page\b`).FindAll(pdf, -1)); n != 1 {
		t.Errorf("A4 PDF of 3 cards has %d pages, want 1", n)
	}
	if got := liveCards(t, path, ivanovs); len(got) != 3 {
		t.Errorf("the segment's clients have %d live cards, want 3", len(got))
	}
	if got := liveCards(t, path, others); len(got) != 0 {
		t.Errorf("clients outside the segment got %d cards", len(got))
	}

	out2 := filepath.Join(t.TempDir(), "cr80.pdf")
	code, stdout, stderr = runCLI(t, "cards", "pdf", "--db", path, "--clients", strings.Join(ivanovs[:2], ", ")+","+others[0],
		"--layout", "cr80", out2)
	if code != 0 || !strings.Contains(stdout, "2 cards, 0 issued now") || !strings.Contains(stderr, "1 of the 3 clients left out") {
		t.Errorf("--clients: exit %d, stdout %q, stderr %q; want 2 cards, none issued, one left out", code, stdout, stderr)
	}
	pdf, _ = os.ReadFile(out2)
	if n := len(regexp.MustCompile(`/Type\s*/Page\b`).FindAll(pdf, -1)); n != 2 {
		t.Errorf("CR80 PDF of 2 cards has %d pages, want 2", n)
	}
}

// `cards png` writes a client's code that the decoder reads back as their
// live card code.
func TestCardsPNG(t *testing.T) {
	path, ivanovs, _ := cardsDB(t)
	out := filepath.Join(t.TempDir(), "code.png")
	code, stdout, stderr := runCLI(t, "cards", "png", "--db", path, "--client", ivanovs[1], "--issue-missing", "--size", "400", out)
	if code != 0 || !strings.Contains(stdout, out) {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	cards := liveCards(t, path, ivanovs[1:2])
	text, ok := hardware.Decode(img)
	if len(cards) != 1 || !ok || text != cards[0].Code {
		t.Errorf("PNG reads %q (%v); the client's cards: %+v", text, ok, cards)
	}
}

// Wrong command lines exit 2 and name the problem; a missing database or
// client exits 1; nothing is written.
func TestCardsErrors(t *testing.T) {
	path, ivanovs, _ := cardsDB(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "x.pdf")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"cards"}, 2, "cards pdf"},
		{[]string{"cards", "svg", out}, 2, "unknown subcommand"},
		{[]string{"cards", "pdf", "--db", path, out}, 2, "--segment"},
		{[]string{"cards", "pdf", "--db", path, "--segment", "Ивановы", "--clients", ivanovs[0], out}, 2, "either"},
		{[]string{"cards", "pdf", "--db", path, "--segment", "Ивановы"}, 2, "output file"},
		{[]string{"cards", "pdf", "--db", path, "--segment", "Ивановы", "--layout", "a5", out}, 2, "a4 or cr80"},
		{[]string{"cards", "pdf", "--db", path, "--segment", "Нет такого", out}, 2, "saved segments: Ивановы"},
		{[]string{"cards", "pdf", "--db", path, "--clients", "no-such-id", "--issue-missing", out}, 1, "client"},
		{[]string{"cards", "pdf", "--db", filepath.Join(dir, "none.db"), "--clients", "x", out}, 1, "no database"},
		{[]string{"cards", "png", "--db", path, out}, 2, "--client"},
		{[]string{"cards", "png", "--db", path, "--client", ivanovs[0], "--size", "5", out}, 2, "--size"},
	} {
		code, _, stderr := runCLI(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("%q: exit %d, stderr %q; want %d and %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("failed commands left files: %v", entries)
	}
	if _, err := os.Stat(filepath.Join(dir, "none.db")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a missing database was created (%v)", err)
	}
	for _, args := range [][]string{{"cards", "--help"}, {"cards", "pdf", "--help"}} {
		code, stdout, _ := runCLI(t, args...)
		if code != 0 || !strings.Contains(stdout, "--issue-missing") {
			t.Errorf("%q: exit %d, stdout %q; want the usage", args, code, stdout)
		}
	}
}
