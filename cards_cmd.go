package main

// `loyaltydesk cards pdf|png` (issue 8, QR-02, QR-03): printed QR cards
// headless, for a saved segment or listed clients, through the same use
// cases and renderer as the GUI's card dialogs.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"loyaltydesk/app"
	"loyaltydesk/app/cardprint"
	"loyaltydesk/db"
)

const cardsUsage = `Usage:
  loyaltydesk cards pdf [--db FILE] (--segment NAME | --clients ID,...)
                 [--layout a4|cr80] [--issue-missing] OUT.pdf
  loyaltydesk cards png [--db FILE] --client ID [--size PX] [--issue-missing] OUT.png

pdf writes the QR cards of the clients of a saved segment (--segment, the
name as in the client list) or of the listed client IDs (--clients, comma
separated) in the card design saved in the program: --layout a4 (default)
puts ten cards on an A4 sheet with crop marks, cr80 one card per 85.60 x
53.98 mm page. A client's card is their live card code; clients without one
are left out unless --issue-missing issues them one (blocked clients never
get one). It prints "N cards, M issued now -> OUT.pdf".

png writes one client's code as a QR image of about PX pixels (default 600).

Exit status: 0 done, 1 the database or the file failed or there is nothing
to print, 2 a wrong command line.
`

// runCards is `loyaltydesk cards …`.
func runCards(args []string, defPath string, stdout, stderr io.Writer) int {
	bad := func(msg string, a ...any) int {
		fmt.Fprintf(stderr, "loyaltydesk cards: %s\n\n%s", fmt.Sprintf(msg, a...), cardsUsage)
		return 2
	}
	if len(args) == 0 {
		return bad("want `cards pdf` or `cards png`")
	}
	sub := args[0]
	switch sub {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, cardsUsage)
		return 0
	case "pdf", "png":
	default:
		return bad("unknown subcommand %q: want pdf or png", sub)
	}
	fs := flag.NewFlagSet("loyaltydesk cards "+sub, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dbPath := fs.String("db", defPath, "")
	issueMissing := fs.Bool("issue-missing", false, "")
	var segment, clientList, layout, client *string
	var size *int
	if sub == "pdf" {
		segment = fs.String("segment", "", "")
		clientList = fs.String("clients", "", "")
		layout = fs.String("layout", string(cardprint.LayoutA4), "")
	} else {
		client = fs.String("client", "", "")
		size = fs.Int("size", 600, "")
	}
	pos, err := parseInterspersed(fs, args[1:])
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, cardsUsage)
		return 0
	case err != nil:
		return bad("%v", err)
	case len(pos) != 1:
		return bad("name one output file (got %d)", len(pos))
	}
	out := pos[0]
	var ids []string
	if sub == "pdf" {
		if (*segment == "") == (*clientList == "") {
			return bad("give either --segment NAME or --clients ID,...")
		}
		if l := cardprint.Layout(strings.ToLower(*layout)); l != cardprint.LayoutA4 && l != cardprint.LayoutCR80 {
			return bad("--layout %q: use a4 or cr80", *layout)
		}
		seen := map[string]bool{}
		for _, id := range strings.Split(*clientList, ",") {
			if id = strings.TrimSpace(id); id != "" && !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
		if *segment == "" && len(ids) == 0 {
			return bad("--clients lists no client ID")
		}
	} else {
		if strings.TrimSpace(*client) == "" {
			return bad("--client ID is needed")
		}
		if *size < 21 || *size > 10000 {
			return bad("--size %d: use 21 to 10000 pixels", *size)
		}
		ids = []string{strings.TrimSpace(*client)}
	}

	fail := func(msg string, a ...any) int {
		fmt.Fprintf(stderr, "loyaltydesk cards %s: %s\n", sub, fmt.Sprintf(msg, a...))
		return 1
	}
	if _, err := os.Stat(*dbPath); err != nil {
		return fail("no database at %s (%v)", *dbPath, err)
	}
	ctx := app.WithActor(context.Background(), "cli")
	store, err := db.Open(ctx, *dbPath, db.Options{})
	if err != nil {
		return fail("%v", err)
	}
	defer store.Close()
	clock := app.SystemClock{}
	cards := app.NewCards(store, clock)
	if sub == "pdf" && *segment != "" {
		var code int
		if ids, code = segmentClients(ctx, app.NewClients(store, clock), *segment, stderr); code != 0 {
			return code
		}
		if len(ids) == 0 {
			return fail("segment %q has no clients", *segment)
		}
	}
	start := time.Now()
	printed, err := cards.ForPrint(ctx, ids, *issueMissing)
	switch {
	case errors.Is(err, app.ErrNotFound):
		return fail("%v (check the client IDs)", err)
	case err != nil:
		return fail("%v", err)
	case len(printed) == 0 && !*issueMissing:
		return fail("none of the %d clients has a card; --issue-missing issues them one", len(ids))
	case len(printed) == 0:
		return fail("none of the %d clients can have a card (blocked)", len(ids))
	}
	issued := 0
	for _, c := range printed {
		if !c.IssuedAt.Before(start) {
			issued++
		}
	}
	if sub == "png" {
		if err := writeAtomically(out, func(w io.Writer) error {
			return cardprint.PNG(w, printed[0].Code, *size)
		}); err != nil {
			return fail("%v", err)
		}
		fmt.Fprintf(stdout, "card № %s of %s → %s\n", printed[0].Number, printed[0].ClientName, out)
		return 0
	}
	design, err := cards.Design(ctx)
	if err != nil {
		return fail("%v", err)
	}
	pp := newProgressPrinter(stderr)
	err = writeAtomically(out, func(w io.Writer) error {
		return cardprint.PDF(w, design, printed, cardprint.Layout(strings.ToLower(*layout)), func(done, total int) {
			pp.print(false, "cards: %d of %d", done, total)
		})
	})
	if err != nil {
		return fail("%v", err)
	}
	fmt.Fprintf(stdout, "%d cards, %d issued now → %s\n", len(printed), issued, out)
	if left := len(ids) - len(printed); left > 0 {
		why := "without a card (--issue-missing issues them one) or blocked"
		if *issueMissing {
			why = "blocked"
		}
		fmt.Fprintf(stderr, "loyaltydesk cards pdf: %d of the %d clients left out: %s\n", left, len(ids), why)
	}
	return 0
}

// segmentClients returns the IDs of the clients of the saved segment named
// name (case aside), in the segment's order; a missing segment is exit
// status 2 with the names of those saved.
func segmentClients(ctx context.Context, clients *app.Clients, name string, stderr io.Writer) ([]string, int) {
	segs, err := clients.Segments(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "loyaltydesk cards pdf: %v\n", err)
		return nil, 1
	}
	var names []string
	for _, s := range segs {
		names = append(names, s.Name)
		if !strings.EqualFold(s.Name, name) {
			continue
		}
		q := app.ClientQuery{Text: s.Query.Text, Filter: s.Query.Filter, Sort: s.Query.Sort, Desc: s.Query.Desc}
		var ids []string
		if err := clients.Each(ctx, q, func(c app.Client) error {
			ids = append(ids, c.ID)
			return nil
		}); err != nil {
			fmt.Fprintf(stderr, "loyaltydesk cards pdf: segment %q: %v\n", name, err)
			return nil, 1
		}
		return ids, 0
	}
	fmt.Fprintf(stderr, "loyaltydesk cards pdf: no segment %q; saved segments: %s\n", name, strings.Join(names, ", "))
	return nil, 2
}

// writeAtomically writes path through write: the file appears only when
// complete, and nothing is left on an error.
func writeAtomically(path string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	err = f.Chmod(0o644) // CreateTemp makes it 0600
	if err == nil {
		err = write(f)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
