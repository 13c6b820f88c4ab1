package main

// The import and export commands (CL-17, CL-18): the same import and export
// as the GUI's dialogs, headless.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"loyaltydesk/app"
	"loyaltydesk/app/transfer"
	"loyaltydesk/db"
	"loyaltydesk/ui"
)

// listFlag collects a repeated flag (--map a=b --map c=d).
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, " ") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// parseInterspersed parses flags that may come before, between or after the
// positional arguments, and returns the positional ones.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos, args = append(pos, args[0]), args[1:]
	}
}

// runTransfer runs `import clients …` or `export clients …`.
func runTransfer(cmd string, args []string, defPath string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loyaltydesk "+cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dbPath := fs.String("db", defPath, "")
	var maps listFlag
	var dryRun *bool
	var duplicates, format, segment, separator, columns *string
	if cmd == "import" {
		fs.Var(&maps, "map", "")
		dryRun = fs.Bool("dry-run", false, "")
		duplicates = fs.String("duplicates", string(app.DuplicatesSkip), "")
		separator = fs.String("separator", "", "")
	} else {
		format = fs.String("format", "", "")
		segment = fs.String("segment", "", "")
		separator = fs.String("separator", ";", "")
		columns = fs.String("columns", "", "")
	}
	pos, err := parseInterspersed(fs, args)
	bad := func(msg string, a ...any) int {
		fmt.Fprintf(stderr, "loyaltydesk %s: %s\n", cmd, fmt.Sprintf(msg, a...))
		fmt.Fprintf(stderr, "Run `loyaltydesk --help` for the usage.\n")
		return 2
	}
	switch {
	case errors.Is(err, flag.ErrHelp):
		printUsage(stdout, defPath)
		return 0
	case err != nil:
		return bad("%v", err)
	case len(pos) != 2 || pos[0] != "clients":
		return bad("want `%s clients FILE`", cmd)
	}
	sep, ok := parseSeparator(*separator)
	if !ok {
		return bad("--separator %q: use ';', ',' or tab", *separator)
	}
	if err := ui.SetupLanguage(""); err != nil {
		fmt.Fprintf(stderr, "loyaltydesk %s: %v\n", cmd, err)
	}
	file := pos[1]
	ctx := app.WithActor(context.Background(), "cli")
	store, err := db.Open(ctx, *dbPath, db.Options{})
	if err != nil {
		fmt.Fprintf(stderr, "loyaltydesk %s: %v\n", cmd, err)
		return 1
	}
	defer store.Close()
	clock := app.SystemClock{}
	clients := app.NewClients(store, clock)
	svc := transfer.NewService(clients)
	if cmd == "import" {
		mode := app.DuplicateMode(*duplicates)
		if mode != app.DuplicatesSkip && mode != app.DuplicatesMerge {
			return bad("--duplicates %q: use skip or merge", *duplicates)
		}
		return cliImport(ctx, svc, file, maps, sep, mode, *dryRun, stdout, stderr)
	}
	f := transfer.Format(strings.ToLower(*format))
	if f == "" {
		f, _ = transfer.FormatOf(file)
	}
	if f != transfer.CSV && f != transfer.XLSX {
		return bad("--format csv or xlsx is needed (or a FILE ending in .csv or .xlsx)")
	}
	return cliExport(ctx, svc, clients, app.NewSettings(store, clock), file, f, sep, *segment, *columns, stdout, stderr)
}

// parseSeparator reads --separator: ";", ",", "tab" or a tab character; ""
// detects it (imports).
func parseSeparator(s string) (rune, bool) {
	switch strings.ToLower(s) {
	case "":
		return 0, true
	case "tab", "\\t", "\t":
		return '\t', true
	case ";", ",":
		r, _ := utf8.DecodeRuneInString(s)
		return r, true
	}
	return 0, false
}

// progressPrinter writes a job's progress to w every few seconds; a job
// done within the first few seconds prints nothing.
type progressPrinter struct {
	w       io.Writer
	start   time.Time
	last    time.Time
	printed bool
}

func newProgressPrinter(w io.Writer) *progressPrinter {
	now := time.Now()
	return &progressPrinter{w: w, start: now, last: now}
}

func (p *progressPrinter) print(final bool, format string, a ...any) {
	if (!final || !p.printed) && time.Since(p.last) < 3*time.Second {
		return
	}
	p.last, p.printed = time.Now(), true
	fmt.Fprintf(p.w, format+" (%s)\n", append(a, time.Since(p.start).Round(100*time.Millisecond))...)
}

func cliImport(ctx context.Context, svc *transfer.Service, file string, maps []string, sep rune, mode app.DuplicateMode,
	dryRun bool, stdout, stderr io.Writer) int {
	pp := newProgressPrinter(stderr)
	t, err := svc.Read(ctx, file, transfer.ReadOptions{Separator: sep, Progress: func(p app.ImportProgress) {
		pp.print(false, "import: read %d rows", p.Done)
	}})
	if err != nil {
		fmt.Fprintf(stderr, "loyaltydesk import: %s: %s\n", file, ui.TransferErrorText(err))
		return 1
	}
	mapping, err := svc.AutoMap(ctx, t)
	if err == nil {
		mapping, err = app.ParseMapping(t.Header, mapping, maps)
	}
	if err == nil {
		err = app.ValidateMapping(t.Header, mapping)
	}
	fmt.Fprintln(stdout, ui.ImportFileText(t))
	for i, f := range mapping {
		if f != app.ImportSkip {
			fmt.Fprintf(stdout, "  %d. %q → %s\n", i+1, t.Header[i], f)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "loyaltydesk import: %s\n", ui.TransferErrorText(err))
		return 2
	}
	rep, err := svc.Import(ctx, t, app.ImportOptions{
		Mapping: mapping, Duplicates: mode, DryRun: dryRun,
		Progress: func(p app.ImportProgress) {
			pp.print(p.Done == p.Total, "import: %s %d of %d rows", p.Stage, p.Done, p.Total)
		},
	})
	if err != nil {
		fmt.Fprintf(stderr, "loyaltydesk import: %s\n", ui.TransferErrorText(err))
		return 1
	}
	for _, p := range rep.Problems {
		fmt.Fprintln(stdout, ui.ImportProblemText(p))
	}
	fmt.Fprintln(stdout, ui.ImportSummary(rep))
	if rep.Rejected > 0 {
		return 1
	}
	return 0
}

func cliExport(ctx context.Context, svc *transfer.Service, clients *app.Clients, settings *app.Settings, file string,
	format transfer.Format, sep rune, segment, columns string, stdout, stderr io.Writer) int {
	var q app.ClientQuery
	if segment != "" {
		segs, err := clients.Segments(ctx)
		if err != nil {
			fmt.Fprintf(stderr, "loyaltydesk export: %s\n", ui.TransferErrorText(err))
			return 1
		}
		found := false
		var names []string
		for _, s := range segs {
			names = append(names, s.Name)
			if strings.EqualFold(s.Name, segment) {
				q = app.ClientQuery{Text: s.Query.Text, Filter: s.Query.Filter, Sort: s.Query.Sort, Desc: s.Query.Desc}
				found = true
			}
		}
		if !found {
			fmt.Fprintf(stderr, "loyaltydesk export: no segment %q; saved segments: %s\n", segment, strings.Join(names, ", "))
			return 2
		}
	}
	var cols []string
	if columns != "" {
		for _, c := range strings.Split(columns, ",") {
			if c = strings.TrimSpace(c); c != "" {
				cols = append(cols, c)
			}
		}
	} else {
		var err error
		if cols, err = settings.ListColumns(ctx); err != nil {
			fmt.Fprintf(stderr, "loyaltydesk export: %s\n", ui.TransferErrorText(err))
			return 1
		}
	}
	if sep == 0 {
		sep = ';'
	}
	pp := newProgressPrinter(stderr)
	opt := ui.ExportTexts(transfer.ExportOptions{Format: format, Separator: sep, Progress: func(done, total int) {
		pp.print(false, "export: %d of %d clients", done, total)
	}})
	n, err := svc.Export(ctx, q, cols, file, opt)
	if err != nil {
		fmt.Fprintf(stderr, "loyaltydesk export: %s\n", ui.TransferErrorText(err))
		if app.FieldErrors(err) != nil {
			return 2
		}
		return 1
	}
	fmt.Fprintln(stdout, ui.ExportDoneText(n, file))
	return 0
}
