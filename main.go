// Command loyaltydesk is the LoyaltyDesk desktop loyalty CRM: the GUI, and
// the command-line tools of the same binary (demo data, client import and
// export, version). Run
// `loyaltydesk --help`.
//
// This file only wires things together: flags, data folder, logging, the
// database, the use cases and the UI.
package main

import (
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
	"github.com/BurntSushi/toml"

	"loyaltydesk/app"
	"loyaltydesk/app/demo"
	"loyaltydesk/app/transfer"
	"loyaltydesk/db"
	"loyaltydesk/hardware"
	"loyaltydesk/ui"
)

// AppID is the application id; it must match FyneApp.toml.
const AppID = "ru.loyaltydesk.app"

// fyneAppTOML is the one place the version is written: `loyaltydesk version`,
// the About dialog and the packages all read it.
//
//go:embed FyneApp.toml
var fyneAppTOML string

// version is the program's version from FyneApp.toml.
var version = mustVersion(fyneAppTOML)

func mustVersion(src string) string {
	var meta struct {
		Details struct {
			ID      string
			Version string
			Build   int
		}
	}
	if _, err := toml.Decode(src, &meta); err != nil || meta.Details.Version == "" {
		panic(fmt.Sprintf("FyneApp.toml: no [Details] Version (%v)", err))
	}
	if meta.Details.ID != AppID {
		panic(fmt.Sprintf("FyneApp.toml: ID %q differs from AppID %q", meta.Details.ID, AppID))
	}
	return meta.Details.Version
}

const usage = `LoyaltyDesk — loyalty CRM for cafes, restaurants, bars and salons.

Usage:
  loyaltydesk [--db FILE] [--screen NAME] [--fake-camera TEXT]
                                             start the program (GUI)
  loyaltydesk demo [--db FILE] --clients N [--seed S]
                                             fill a new database with a demo venue
  loyaltydesk import clients FILE [--map COLUMN=FIELD]... [--dry-run]
                 [--duplicates skip|merge] [--separator SEP] [--db FILE]
                                             import clients from CSV or XLSX: all
                                             rows or, if any row is rejected, none
  loyaltydesk export clients [--format csv|xlsx] [--segment NAME]
                 [--columns KEY,...] [--separator SEP] [--db FILE] FILE
                                             export clients to CSV or XLSX
  loyaltydesk import products FILE [--dry-run] [--db FILE]
                                             import the catalogue from CSV or XLSX
                                             (name, category "Напитки/Кофе", price,
                                             SKU): all rows or, if any is rejected,
                                             none
  loyaltydesk check [--fix-totals] [--db FILE]
                                             prove every bonus balance equals the
                                             sum of its ledger entries and every
                                             client's totals equal their purchases
                                             (--fix-totals rebuilds those that differ)
  loyaltydesk recalc [--db FILE]             apply the loyalty rules to every client
                                             now, then the daily lapses and lapse
                                             warnings if not yet done today
  loyaltydesk backup [--db FILE]             back up the database now into the
                                             backups folder beside it
  loyaltydesk restore FILE [--db FILE]       replace the database with a backup
                                             (the current one is backed up first)
  loyaltydesk cards pdf [--db FILE] (--segment NAME | --clients ID,...)
                 [--layout a4|cr80] [--issue-missing] OUT.pdf
                                             print QR cards to a PDF (A4 sheets of
                                             ten with crop marks, or CR80 pages)
  loyaltydesk cards png [--db FILE] --client ID [--size PX] OUT.png
                                             one client's card code as a QR image;
                                             ` + "`cards --help`" + ` tells more
  loyaltydesk decode IMAGE...                print file<TAB>text for each QR code
                                             read in the images (nothing for a miss)
  loyaltydesk listen --port PATH|--usb VID:PID [--baud N]
                 [--format auto|barcode|magstripe|emmarine|ironlogic]
                                             print each scan of a serial reader as
                                             a JSON line (to check a reader);
                                             --list lists the ports, --help the
                                             line settings
  loyaltydesk version                        print the version
  loyaltydesk --help                         print this help

Options:
  --db FILE      the database file (default: %s)
  --screen NAME  open on a screen: %s
  --fake-camera TEXT
                 for demos and screenshots: instead of the real cameras, one
                 "Demo camera" that shows TEXT as a QR code (slightly blurred
                 and turned); the till listens to it even if no camera is set
                 up in the device settings
  --clients N    demo: how many clients to make
  --seed S       demo: random seed; the same seed makes the same venue (default 1)

Import (CL-18):
  FILE is .csv, .txt, .tsv (UTF-8, Windows-1251 or UTF-16; separator found by
  itself unless --separator) or .xlsx (the first sheet). The first row names the
  columns; columns map to fields by their names (Фамилия, Телефон, Дата рождения,
  Карта, ...). --map COLUMN=FIELD sets one: COLUMN is a header or a column number
  from 1. FIELD is one of full_name, last_name, first_name, patronymic, phone,
  email, gender, birth_date, external_id, note, card, tags, sms,
  email_subscribed, opening_balance (points from the old system, once per
  client; column «Баллы» or «Баланс»), var:NAME (a custom variable) or skip.
  A row is a client already in the base when its external ID, phone or e-mail
  (or, without these, its card) matches one; --duplicates skip (default) leaves
  the client alone, merge fills it with the row's non-empty values.
  --dry-run       check every row and report, writing nothing
  Rejected rows are listed by line, column and reason; then nothing is written
  and the exit status is 1.

Export (CL-17):
  --format F      csv or xlsx (default: by FILE's extension)
  --segment NAME  only the clients of a saved segment (default: everyone)
  --columns KEYS  column keys, e.g. full_name,phone,email,birth_date,sold,tags
                  or var:NAME (default: the client list's columns)
  --separator SEP CSV cells: ';' (default, Russian Excel), ',' or tab

Backups (AD-03):
  Backups live in the folder "backups" beside the database. The program makes
  one a day (keeping the newest %d) and one before every schema upgrade.
  restore refuses a FILE that is not a LoyaltyDesk database or is damaged;
  close LoyaltyDesk before restoring.

The GUI language follows the system (LANG) unless chosen in Settings.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	defPath, err := db.DefaultPath()
	if err != nil {
		defPath = db.FileName
	}
	help := func(w io.Writer) { printUsage(w, defPath) }
	cmd := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	if cmd == "import" && len(args) > 0 && args[0] == "products" {
		return runImportProducts(args[1:], defPath, stdout, stderr)
	}
	if cmd == "check" {
		return runCheck(args, defPath, stdout, stderr)
	}
	if cmd == "decode" {
		return runDecode(args, stdout, stderr)
	}
	if cmd == "listen" {
		return runListen(args, stdout, stderr)
	}
	if cmd == "cards" {
		return runCards(args, defPath, stdout, stderr)
	}
	if cmd == "recalc" {
		return runRecalc(args, defPath, stdout, stderr)
	}
	if cmd == "import" || cmd == "export" {
		return runTransfer(cmd, args, defPath, stdout, stderr)
	}
	if cmd == "restore" || cmd == "backup" {
		return runBackupCmd(cmd, args, defPath, stdout, stderr)
	}
	fs := flag.NewFlagSet("loyaltydesk", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dbPath := fs.String("db", defPath, "")
	screen := fs.String("screen", ui.ScreenClients, "")
	clients := fs.Int("clients", 0, "")
	seed := fs.Int64("seed", 1, "")
	fakeCamera := fs.String("fake-camera", "", "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			help(stdout)
			return 0
		}
		fmt.Fprintf(stderr, "loyaltydesk: %v\n\n", err)
		help(stderr)
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "loyaltydesk: unexpected argument %q\n\n", fs.Arg(0))
		help(stderr)
		return 2
	}
	switch cmd {
	case "":
		if !slices.Contains(ui.AllScreens, *screen) {
			fmt.Fprintf(stderr, "loyaltydesk: unknown screen %q; one of: %s\n", *screen, strings.Join(ui.AllScreens, ", "))
			return 2
		}
		return runGUI(*dbPath, *screen, *fakeCamera, stderr)
	case "demo":
		if *clients <= 0 {
			fmt.Fprintln(stderr, "loyaltydesk demo: --clients N is required (N > 0)")
			return 2
		}
		if err := runDemo(*dbPath, *clients, *seed, stderr); err != nil {
			fmt.Fprintf(stderr, "loyaltydesk demo: %v\n", err)
			return 1
		}
		return 0
	case "version":
		fmt.Fprintf(stdout, "LoyaltyDesk %s\n", version)
		return 0
	case "help":
		help(stdout)
		return 0
	}
	fmt.Fprintf(stderr, "loyaltydesk: unknown command %q\n\n", cmd)
	help(stderr)
	return 2
}

func printUsage(w io.Writer, defPath string) {
	fmt.Fprintf(w, usage, defPath, strings.Join(ui.AllScreens, ", "), db.DefaultBackupKeep)
}

// setupLog logs to stderr and to loyaltydesk.log beside the database.
func setupLog(dbPath string, stderr io.Writer) func() {
	w := stderr
	closeFn := func() {}
	if err := os.MkdirAll(filepath.Dir(dbPath), 0o700); err == nil {
		logPath := filepath.Join(filepath.Dir(dbPath), "loyaltydesk.log")
		if f, err := os.OpenFile(logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600); err == nil {
			w = io.MultiWriter(stderr, f)
			closeFn = func() { f.Close() }
		}
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo})))
	return closeFn
}

func runGUI(dbPath, screen, fakeCamera string, stderr io.Writer) int {
	if abs, err := filepath.Abs(dbPath); err == nil {
		dbPath = abs
	}
	defer setupLog(dbPath, stderr)()
	a := fyneapp.NewWithID(AppID)
	if err := ui.SetupLanguage(a.Preferences().String(ui.PrefLanguage)); err != nil {
		slog.Warn("translations", "err", err)
	}
	ctx := context.Background()
	start := time.Now()
	store, err := db.Open(ctx, dbPath, db.Options{})
	if err != nil {
		slog.Error("open database", "path", dbPath, "err", err)
		showFatal(a, err)
		return 1
	}
	defer store.Close()
	slog.Info("database open", "path", dbPath, "node", store.NodeID(), "took", time.Since(start))
	clock := app.SystemClock{}
	bctx, stopBackups := context.WithCancel(ctx)
	backupsDone := make(chan struct{})
	daily := &app.DailyBackup{Store: store, Clock: clock, Keep: db.DefaultBackupKeep,
		OnDone: func(path string, err error) {
			if err != nil {
				slog.Error("daily backup", "err", err)
				return
			}
			slog.Info("daily backup", "path", path)
		}}
	go func() { daily.Run(bctx); close(backupsDone) }()
	defer func() { stopBackups(); <-backupsDone }()
	clients := app.NewClients(store, clock)
	ledger := app.NewLedger(store, clock)
	purchases := app.NewPurchases(store, clock)
	jobsDone := make(chan struct{})
	jobs := &app.LedgerJobs{Ledger: ledger, OnDone: func(expired, released int, err error) {
		if err != nil {
			slog.Error("ledger jobs", "err", err)
		} else if expired > 0 || released > 0 {
			slog.Info("ledger jobs", "expired_lots", expired, "released_holds", released)
		}
	}}
	go func() { jobs.Run(bctx); close(jobsDone) }()
	defer func() { stopBackups(); <-jobsDone }()
	loyalty := app.NewLoyalty(store, clock)
	loyaltyDone := make(chan struct{})
	rulesJobs := &app.LoyaltyJobs{Loyalty: loyalty, OnDone: func(r app.DailyResult, err error) {
		if err != nil {
			slog.Error("loyalty daily job", "err", err)
		} else if r.Ran {
			slog.Info("loyalty daily job", "clients", r.Recalc.Done, "changed", r.Recalc.Changed,
				"warnings_queued", r.Warnings, "warnings_skipped", r.Skipped)
		}
	}}
	go func() { rulesJobs.Run(bctx); close(loyaltyDone) }()
	defer func() { stopBackups(); <-loyaltyDone }()
	var devices ui.DeviceService = app.NewDevices(store, clock)
	hw := &ui.Hardware{Cameras: hardware.Cameras, OpenCamera: hardware.OpenCamera, Ports: hardware.Ports}
	if fakeCamera != "" {
		devices, hw = withDemoCamera(fakeCamera, devices, hw)
	}
	u := ui.New(a, ui.Deps{
		Clients:   clients,
		Till:      app.NewTill(store, clock, ledger, purchases),
		Ledger:    ledger,
		Purchases: purchases,
		Catalogue: app.NewCatalogue(store, clock),
		Auth:      app.NewAuth(store, clock),
		Groups:    app.NewGroups(store, clock),
		Loyalty:   loyalty,
		Settings:  app.NewSettings(store, clock),
		Transfer:  transfer.NewService(clients),
		Devices:   devices,
		Hardware:  hw,
		Cards:     app.NewCards(store, clock),
		Backups:   daily,
		Restore:   &app.Restorer{Store: store, BeforeClose: func() { stopBackups(); <-backupsDone; <-jobsDone; <-loyaltyDone }},
		DBPath:    dbPath,
		Version:   version,
	})
	u.Open(screen)
	u.Window().ShowAndRun()
	return 0
}

// demoCameraID is the id of the demo camera of --fake-camera.
const demoCameraID = "demo-camera"

// withDemoCamera replaces the cameras by one "Demo camera" rendering text as
// a QR code (hardware.NewSynthSource), and makes the device settings list it
// as an enabled camera when none is set up, without storing it.
func withDemoCamera(text string, devices ui.DeviceService, hw *ui.Hardware) (ui.DeviceService, *ui.Hardware) {
	demo := *hw
	demo.Cameras = func() ([]hardware.Camera, error) {
		return []hardware.Camera{{ID: demoCameraID, Label: "Demo camera"}}, nil
	}
	demo.OpenCamera = func(string) (hardware.FrameSource, error) {
		return hardware.NewSynthSource([]string{text}, hardware.SynthOptions{Blur: 0.8, Rotate: 6, Glare: 0.15, Scale: 0.5}), nil
	}
	return demoCameraDevices{devices}, &demo
}

// demoCameraDevices is the device settings with the demo camera added to the
// list when no camera is enabled.
type demoCameraDevices struct{ ui.DeviceService }

func (d demoCameraDevices) List(ctx context.Context) ([]app.Device, error) {
	ds, err := d.DeviceService.List(ctx)
	if err != nil {
		return nil, err
	}
	for _, dev := range ds {
		if dev.Kind == app.DeviceCamera && dev.Enabled {
			return ds, nil
		}
	}
	return append(ds, app.Device{ID: demoCameraID, Kind: app.DeviceCamera, Name: "Demo camera", Enabled: true, Camera: demoCameraID}), nil
}

// showFatal shows an error that keeps the program from starting.
func showFatal(a fyne.App, err error) {
	w := a.NewWindow("LoyaltyDesk")
	msg := widget.NewLabel(err.Error())
	msg.Wrapping = fyne.TextWrapWord
	w.SetContent(container.NewBorder(nil, widget.NewButton("OK", a.Quit), nil, nil, msg))
	w.Resize(fyne.NewSize(520, 200))
	w.ShowAndRun()
}

// demoBalances is how many of the demo's best guests get a balance.
const demoBalances = 3000

func runDemo(dbPath string, clients int, seed int64, stderr io.Writer) error {
	start := time.Now()
	last := time.Now()
	progress := func(done, total int) {
		if time.Since(last) >= 5*time.Second || done == total {
			last = time.Now()
			fmt.Fprintf(stderr, "demo: %d of %d clients (%s)\n", done, total, time.Since(start).Round(time.Second))
		}
	}
	fmt.Fprintf(stderr, "demo: %d clients; indexes and statistics are built after the last one\n", clients)
	opt := demo.Options{Clients: clients, Seed: seed, Now: time.Now().Truncate(24 * time.Hour)}
	ctx := app.WithActor(context.Background(), "demo")
	st, err := db.LoadDemo(ctx, dbPath, nil, opt, progress)
	if err != nil {
		return err
	}
	store, err := db.Open(ctx, dbPath, db.Options{})
	if err != nil {
		return err
	}
	if err := demo.Loyalty(ctx, store, app.SystemClock{}, demoBalances); err != nil {
		return errors.Join(err, store.Close())
	}
	if err := store.Close(); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "demo: %d clients, %d identifiers, %d purchases with %d lines written to %s in %s\n",
		st.Clients, st.Identifiers, st.Purchases, st.Lines, dbPath, time.Since(start).Round(time.Second))
	return nil
}
