package ui

// A client's QR card (QR-01…QR-04): the card dialog of the client page
// (issue, re-issue, PNG, PDF, printing, a thermal slip) and the bulk
// printing of cards for the checked or found clients.

import (
	"context"
	"errors"
	"io"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"loyaltydesk/app"
	"loyaltydesk/app/cardprint"
	"loyaltydesk/hardware"
)

// Preferences of the thermal slip printer.
const (
	prefSlipTarget = "cards.slip.target"
	prefSlipNative = "cards.slip.native"
	prefSlipModule = "cards.slip.module"
)

// cardDialog shows a client's card and what can be done with it.
type cardDialog struct {
	u        *UI
	clientID string
	card     *app.IssuedCard // nil: no card yet
	design   app.CardDesign
	changed  func()

	number, code          *widget.Label
	qr                    *canvas.Image
	issueBtn              *widget.Button
	pngBtn, pdfBtn        *widget.Button
	printBtn, slipBtn     *widget.Button
	errLbl                *widget.Label
	dlg                   *dialog.CustomDialog
	confirm               *dialog.ConfirmDialog
	lastPDF               string // the last PDF written (for tests and printing)
	printers              *widget.Select
	slipTarget            *widget.Entry
	slipMode              *widget.RadioGroup
	slipModule            *widget.Select
	slipDlg, printDlg     *dialog.CustomDialog
	slipSend              *widget.Button
	slipErr               *widget.Label
	open                  bool
	afterLoad, afterIssue func()
}

// showCardDialog opens the card dialog of a client; changed is called on
// the UI goroutine after a card is issued.
func (u *UI) showCardDialog(clientID string, changed func()) *cardDialog {
	d := &cardDialog{u: u, clientID: clientID, changed: changed}
	d.number = widget.NewLabel("")
	d.number.TextStyle.Bold = true
	d.code = widget.NewLabel("")
	d.code.TextStyle.Monospace = true
	d.code.Selectable = true
	d.qr = &canvas.Image{FillMode: canvas.ImageFillContain, ScaleMode: canvas.ImageScalePixels}
	d.qr.SetMinSize(fyne.NewSize(180, 180))
	d.issueBtn = widget.NewButtonWithIcon(tr("cards.issue", "Issue card"), theme.ContentAddIcon(), d.askIssue)
	d.issueBtn.Importance = widget.HighImportance
	d.pngBtn = widget.NewButtonWithIcon(tr("cards.save_png", "Save PNG…"), theme.DownloadIcon(), d.savePNG)
	d.pdfBtn = widget.NewButtonWithIcon(tr("cards.pdf", "PDF…"), theme.DocumentIcon(), d.openPDF)
	d.printBtn = widget.NewButtonWithIcon(tr("cards.print", "Print…"), theme.DocumentPrintIcon(), d.choosePrinter)
	d.slipBtn = widget.NewButtonWithIcon(tr("cards.slip", "Receipt printer…"), theme.DocumentPrintIcon(), d.askSlip)
	d.errLbl = pageErrLabel()
	info := container.NewVBox(d.number, d.code)
	body := container.NewVBox(
		container.NewBorder(nil, nil, d.qr, nil, info),
		container.NewGridWithColumns(2, d.issueBtn, d.pngBtn, d.pdfBtn, d.printBtn, d.slipBtn),
		d.errLbl)
	closeBtn := widget.NewButton(tr("dialog.close", "Close"), func() { d.dlg.Hide() })
	d.dlg = dialog.NewCustomWithoutButtons(tr("cards.card_title", "Client's card"), body, u.win)
	d.dlg.SetButtons([]fyne.CanvasObject{closeBtn})
	d.dlg.SetOnClosed(func() { d.open = false })
	d.dlg.Resize(fyne.NewSize(520, 0))
	d.show()
	d.open = true
	d.dlg.Show()
	d.load()
	u.cardDlg = d
	return d
}

// load reads the client's live card and the design.
func (d *cardDialog) load() {
	d.u.async(func() {
		ctx := d.u.ctx()
		cards, err := d.u.deps.Cards.ForPrint(ctx, []string{d.clientID}, false)
		var design app.CardDesign
		if err == nil {
			design, err = d.u.deps.Cards.Design(ctx)
		}
		fyne.Do(func() {
			if err != nil {
				d.fail(err)
				return
			}
			d.design = design
			d.card = nil
			if len(cards) > 0 {
				c := cards[0]
				d.card = &c
			}
			d.show()
			if d.afterLoad != nil {
				d.afterLoad()
			}
		})
	})
}

func (d *cardDialog) fail(err error) {
	d.errLbl.SetText(errorMessage(err))
	d.errLbl.Show()
}

// show shows the card or «No card».
func (d *cardDialog) show() {
	d.errLbl.Hide()
	if d.card == nil {
		d.number.SetText(tr("cards.no_card", "No card"))
		d.code.SetText("")
		d.qr.Image = nil
		d.qr.Refresh()
		d.issueBtn.SetText(tr("cards.issue", "Issue card"))
		for _, b := range []*widget.Button{d.pngBtn, d.pdfBtn, d.printBtn, d.slipBtn} {
			b.Disable()
		}
		return
	}
	d.number.SetText(tr("cards.number", "Card № {{.Number}}", map[string]any{"Number": d.card.Number}))
	d.code.SetText(d.card.Code)
	d.qr.Image = qrImage(d.card.Code, 360)
	d.qr.Refresh()
	d.issueBtn.SetText(tr("cards.reissue", "Re-issue"))
	for _, b := range []*widget.Button{d.pngBtn, d.pdfBtn, d.printBtn, d.slipBtn} {
		b.Enable()
	}
}

// askIssue issues a card, after a confirmation when it replaces one.
func (d *cardDialog) askIssue() {
	if d.card == nil {
		d.issue()
		return
	}
	d.confirm = dialog.NewConfirm(tr("cards.reissue_title", "Re-issue the card?"),
		tr("cards.reissue_text", "The old card's code (№ {{.Number}}) will stop working at the till.", map[string]any{"Number": d.card.Number}),
		func(ok bool) {
			if ok {
				d.issue()
			}
		}, d.u.win)
	d.confirm.Show()
}

func (d *cardDialog) issue() {
	d.issueBtn.Disable()
	d.u.async(func() {
		c, err := d.u.deps.Cards.Issue(d.u.ctx(), d.clientID)
		fyne.Do(func() {
			d.issueBtn.Enable()
			if err != nil {
				d.fail(err)
				return
			}
			d.card = &c
			d.show()
			if d.changed != nil {
				d.changed()
			}
			if d.afterIssue != nil {
				d.afterIssue()
			}
		})
	})
}

func (d *cardDialog) fileName(ext string) string {
	return "card-" + d.card.Number + ext
}

// savePNG writes the code as a PNG where the user says (QR-03).
func (d *cardDialog) savePNG() {
	code := d.card.Code
	fd := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		d.u.async(func() {
			err := cardprint.PNG(w, code, 600)
			if cerr := w.Close(); err == nil {
				err = cerr
			}
			fyne.Do(func() {
				if err != nil {
					d.fail(err)
				}
			})
		})
	}, d.u.win)
	fd.SetFileName(d.fileName(".png"))
	fd.SetFilter(storage.NewExtensionFileFilter([]string{".png"}))
	fd.Show()
}

// writePDF renders the card alone on a CR80 page into a temporary file.
func (d *cardDialog) writePDF() (string, error) {
	f, err := os.CreateTemp("", "loyaltydesk-card-*.pdf")
	if err != nil {
		return "", err
	}
	err = cardprint.PDF(f, d.design, []app.IssuedCard{*d.card}, cardprint.LayoutCR80, nil)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// openPDF writes the card's PDF and opens it in the system's viewer.
func (d *cardDialog) openPDF() {
	d.pdfBtn.Disable()
	d.u.async(func() {
		path, err := d.writePDF()
		if err == nil {
			err = hardware.OpenFile(path)
		}
		fyne.Do(func() {
			d.pdfBtn.Enable()
			d.lastPDF = path
			if err != nil {
				d.fail(err)
			}
		})
	})
}

// choosePrinter lists the system's printers and prints the card's PDF on
// the chosen one.
func (d *cardDialog) choosePrinter() {
	d.printBtn.Disable()
	d.u.async(func() {
		ctx, cancel := context.WithTimeout(d.u.ctx(), 10*time.Second)
		defer cancel()
		ps, err := hardware.SystemPrinters(ctx)
		fyne.Do(func() {
			d.printBtn.Enable()
			if err != nil {
				d.fail(err)
				return
			}
			d.printDlg = showPrinterChoice(d.u, ps, func(name string) {
				d.u.async(func() {
					path, err := d.writePDF()
					if err == nil {
						ctx, cancel := context.WithTimeout(d.u.ctx(), time.Minute)
						err = hardware.PrintFile(ctx, name, path)
						cancel()
					}
					fyne.Do(func() {
						d.lastPDF = path
						if err != nil {
							d.fail(err)
						}
					})
				})
			})
		})
	})
}

// showPrinterChoice asks which CUPS printer to print on, the default first.
func showPrinterChoice(u *UI, ps []hardware.SystemPrinter, print func(name string)) *dialog.CustomDialog {
	if len(ps) == 0 {
		dialog.ShowInformation(tr("cards.print_title", "Print"), tr("cards.no_printers", "The system knows no printers: add one in the system's settings, or open the PDF and print from the viewer."), u.win)
		return nil
	}
	names := make([]string, len(ps))
	sel := 0
	for i, p := range ps {
		names[i] = p.Name
		if p.Default {
			sel = i
		}
	}
	pick := widget.NewSelect(names, nil)
	pick.SetSelectedIndex(sel)
	var dlg *dialog.CustomDialog
	ok := widget.NewButton(tr("cards.print_go", "Print"), func() {
		dlg.Hide()
		print(pick.Selected)
	})
	ok.Importance = widget.HighImportance
	cancel := widget.NewButton(tr("dialog.cancel", "Cancel"), func() { dlg.Hide() })
	dlg = dialog.NewCustomWithoutButtons(tr("cards.print_title", "Print"),
		widget.NewForm(widget.NewFormItem(tr("cards.printer", "Printer"), pick)), u.win)
	dlg.SetButtons([]fyne.CanvasObject{cancel, ok})
	dlg.Show()
	u.win.Canvas().Focus(pick)
	return dlg
}

// askSlip asks for the receipt printer (remembered) and prints a slip with
// the card's QR code (QR-04).
func (d *cardDialog) askSlip() {
	prefs := d.u.app.Preferences()
	d.slipTarget = widget.NewEntry()
	d.slipTarget.SetPlaceHolder("tcp://192.168.0.50:9100")
	d.slipTarget.SetText(prefs.StringWithFallback(prefSlipTarget, ""))
	native, raster := tr("cards.slip_native", "The printer's QR command"), tr("cards.slip_raster", "A picture (older printers)")
	d.slipMode = widget.NewRadioGroup([]string{native, raster}, nil)
	d.slipMode.Required = true
	if prefs.BoolWithFallback(prefSlipNative, true) {
		d.slipMode.SetSelected(native)
	} else {
		d.slipMode.SetSelected(raster)
	}
	sizes := make([]string, 16)
	for i := range sizes {
		sizes[i] = strconv.Itoa(i + 1)
	}
	d.slipModule = widget.NewSelect(sizes, nil)
	d.slipModule.SetSelected(strconv.Itoa(prefs.IntWithFallback(prefSlipModule, 6)))
	errl := pageErrLabel()
	form := widget.NewForm(
		widget.NewFormItem(tr("cards.slip_target", "Printer"), d.slipTarget),
		widget.NewFormItem("", pageHint(tr("cards.slip_target_hint", "tcp://192.168.0.50:9100, /dev/usb/lp0 or serial:/dev/ttyUSB0"))),
		widget.NewFormItem(tr("cards.slip_mode", "QR code as"), d.slipMode),
		widget.NewFormItem(tr("cards.slip_module", "Module size, dots"), d.slipModule))
	var send *widget.Button
	send = widget.NewButton(tr("cards.slip_send", "Print slip"), func() {
		target := d.slipTarget.Text
		if target == "" {
			errl.SetText(tr("error.required", "{{.Field}}: required", map[string]any{"Field": tr("cards.slip_target", "Printer")}))
			errl.Show()
			d.u.win.Canvas().Focus(d.slipTarget)
			return
		}
		opt := hardware.SlipOptions{Native: d.slipMode.Selected == native, ModuleSize: d.slipModule.SelectedIndex() + 1, Cut: true}
		prefs.SetString(prefSlipTarget, target)
		prefs.SetBool(prefSlipNative, opt.Native)
		prefs.SetInt(prefSlipModule, opt.ModuleSize)
		card, venue := *d.card, d.design.VenueName
		send.Disable()
		errl.Hide()
		d.u.async(func() {
			data, err := hardware.Slip([]string{venue, card.ClientName}, card.Code,
				[]string{tr("cards.number", "Card № {{.Number}}", map[string]any{"Number": card.Number})}, opt)
			if err == nil {
				ctx, cancel := context.WithTimeout(d.u.ctx(), 15*time.Second)
				err = hardware.SendToPrinter(ctx, target, data)
				cancel()
			}
			fyne.Do(func() {
				send.Enable()
				if err != nil {
					errl.SetText(errorMessage(err))
					errl.Show()
					return
				}
				d.slipDlg.Hide()
			})
		})
	})
	send.Importance = widget.HighImportance
	d.slipSend, d.slipErr = send, errl
	cancel := widget.NewButton(tr("dialog.cancel", "Cancel"), func() { d.slipDlg.Hide() })
	d.slipTarget.OnSubmitted = func(string) { send.OnTapped() }
	d.slipDlg = dialog.NewCustomWithoutButtons(tr("cards.slip_title", "Slip on the receipt printer"), container.NewVBox(form, errl), d.u.win)
	d.slipDlg.SetButtons([]fyne.CanvasObject{cancel, send})
	d.slipDlg.Resize(fyne.NewSize(520, 0))
	d.slipDlg.Show()
	d.u.win.Canvas().Focus(d.slipTarget)
}

// errCancelled stops a PDF being written when the user cancels.
var errCancelled = errors.New("cancelled")

// cancelWriter fails the writes once stop is set.
type cancelWriter struct {
	w    io.Writer
	stop *atomic.Bool
}

func (c cancelWriter) Write(p []byte) (int, error) {
	if c.stop.Load() {
		return 0, errCancelled
	}
	return c.w.Write(p)
}

// bulkCards prints the cards of many clients (QR-02).
type bulkCards struct {
	s         *clientsScreen
	ids       []string
	scope     *widget.RadioGroup
	layout    *widget.RadioGroup
	issue     *widget.Check
	errLbl    *widget.Label
	okBtn     *widget.Button
	dlg       *dialog.CustomDialog
	progress  *widget.ProgressBar
	progLbl   *widget.Label
	progDlg   *dialog.CustomDialog
	stop      atomic.Bool
	path      string // the PDF written
	done      bool
	total     int
	lastDone  int
	onDone    func()
	resultDlg *dialog.CustomDialog
	stopBtn   *widget.Button
	// onProgress, when set (tests), is called on the UI goroutine after
	// each progress report.
	onProgress func(done, total int)
}

// startPrintCards opens the bulk printing dialog.
func (s *clientsScreen) startPrintCards() *bulkCards {
	b := &bulkCards{s: s}
	b.ids, b.scope = s.scopeChoice()
	a4, cr80 := tr("cards.layout_sheets", "A4 sheets, 10 cards each with crop marks"), tr("cards.layout_single", "One card per page (card printer)")
	b.layout = widget.NewRadioGroup([]string{a4, cr80}, nil)
	b.layout.Required = true
	b.layout.SetSelected(a4)
	b.issue = widget.NewCheck(tr("cards.issue_missing", "Issue cards to clients without one"), nil)
	b.issue.SetChecked(true)
	form := widget.NewForm(
		widget.NewFormItem(tr("bulk.whom", "Clients"), b.scope),
		widget.NewFormItem(tr("cards.layout", "Pages"), b.layout),
		widget.NewFormItem("", b.issue))
	b.errLbl = pageErrLabel()
	cancel := widget.NewButton(tr("dialog.cancel", "Cancel"), func() { b.dlg.Hide() })
	b.okBtn = widget.NewButton(tr("cards.make_pdf", "Make PDF"), b.submit)
	b.okBtn.Importance = widget.HighImportance
	b.dlg = dialog.NewCustomWithoutButtons(tr("cards.bulk_title", "Print cards"), container.NewVBox(form, b.errLbl), s.u.win)
	b.dlg.SetButtons([]fyne.CanvasObject{cancel, b.okBtn})
	b.dlg.Resize(fyne.NewSize(520, 0))
	b.dlg.Show()
	s.u.lastCards = b
	return b
}

func (b *bulkCards) layoutChoice() cardprint.Layout {
	if b.layout.Selected == b.layout.Options[1] {
		return cardprint.LayoutCR80
	}
	return cardprint.LayoutA4
}

// submit collects the clients, issues what is missing and writes the PDF
// with a progress bar and a cancel button.
func (b *bulkCards) submit() {
	s := b.s
	q, n, _ := s.scopeQuery(b.ids, b.scope)
	if n == 0 {
		b.errLbl.SetText(tr("cards.nobody", "No clients to print cards for"))
		b.errLbl.Show()
		return
	}
	b.dlg.Hide()
	layout, issue := b.layoutChoice(), b.issue.Checked
	b.progress = widget.NewProgressBar()
	b.progLbl = widget.NewLabel(tr("cards.preparing", "Preparing the cards…"))
	var stop *widget.Button
	stop = widget.NewButton(tr("dialog.cancel", "Cancel"), func() {
		b.stop.Store(true)
		stop.Disable()
		b.progLbl.SetText(tr("cards.cancelling", "Cancelling…"))
	})
	b.stopBtn = stop
	b.progDlg = dialog.NewCustomWithoutButtons(tr("cards.bulk_title", "Print cards"), container.NewVBox(b.progLbl, b.progress), s.u.win)
	b.progDlg.SetButtons([]fyne.CanvasObject{stop})
	b.progDlg.Resize(fyne.NewSize(460, 0))
	b.progDlg.Show()
	s.u.async(func() {
		path, err := b.write(q, layout, issue)
		fyne.Do(func() {
			b.progDlg.Hide()
			b.done = true
			switch {
			case errors.Is(err, errCancelled):
			case err != nil:
				s.u.showError(err)
			default:
				b.path = path
				b.showResult()
			}
			if b.onDone != nil {
				b.onDone()
			}
		})
	})
}

// write runs off the UI goroutine.
func (b *bulkCards) write(q app.ClientQuery, layout cardprint.Layout, issue bool) (string, error) {
	ctx := b.s.u.ctx()
	ids := q.IDs
	if ids == nil {
		err := b.s.u.deps.Clients.Each(ctx, q, func(c app.Client) error {
			if b.stop.Load() {
				return errCancelled
			}
			ids = append(ids, c.ID)
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	cards, err := b.s.u.deps.Cards.ForPrint(ctx, ids, issue)
	if err != nil {
		return "", err
	}
	if len(cards) == 0 {
		return "", &app.ValidationError{Fields: []app.FieldError{{Field: app.FieldClient, Reason: app.ReasonNotFound}}}
	}
	design, err := b.s.u.deps.Cards.Design(ctx)
	if err != nil {
		return "", err
	}
	if b.stop.Load() {
		return "", errCancelled
	}
	f, err := os.CreateTemp("", "loyaltydesk-cards-*.pdf")
	if err != nil {
		return "", err
	}
	// cardprint.PDF cannot be stopped midway: a cancel shows at once, and
	// the writing fails at its first write.
	err = cardprint.PDF(cancelWriter{f, &b.stop}, design, cards, layout, func(done, total int) {
		if b.stop.Load() {
			return
		}
		fyne.Do(func() {
			b.total, b.lastDone = total, done
			if total > 0 {
				b.progress.SetValue(float64(done) / float64(total))
			}
			b.progLbl.SetText(tr("cards.progress", "Cards: {{.Done}} of {{.Total}}", map[string]any{"Done": done, "Total": total}))
			if b.onProgress != nil {
				b.onProgress(done, total)
			}
		})
	})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if b.stop.Load() && err == nil {
		err = errCancelled
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// showResult offers to open, print or save the PDF.
func (b *bulkCards) showResult() {
	u := b.s.u
	path := b.path
	errl := pageErrLabel()
	report := func(err error) {
		fyne.Do(func() {
			if err != nil {
				errl.SetText(errorMessage(err))
				errl.Show()
			}
		})
	}
	open := widget.NewButtonWithIcon(tr("cards.open", "Open"), theme.DocumentIcon(), func() {
		u.async(func() { report(hardware.OpenFile(path)) })
	})
	open.Importance = widget.HighImportance
	print := widget.NewButtonWithIcon(tr("cards.print", "Print…"), theme.DocumentPrintIcon(), func() {
		u.async(func() {
			ctx, cancel := context.WithTimeout(u.ctx(), 10*time.Second)
			ps, err := hardware.SystemPrinters(ctx)
			cancel()
			fyne.Do(func() {
				if err != nil {
					report(err)
					return
				}
				showPrinterChoice(u, ps, func(name string) {
					u.async(func() {
						ctx, cancel := context.WithTimeout(u.ctx(), 5*time.Minute)
						defer cancel()
						report(hardware.PrintFile(ctx, name, path))
					})
				})
			})
		})
	})
	saveAs := widget.NewButtonWithIcon(tr("cards.save_as", "Save as…"), theme.DocumentSaveIcon(), func() {
		fd := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
			if err != nil || w == nil {
				return
			}
			u.async(func() {
				err := copyFileTo(w, path)
				report(err)
			})
		}, u.win)
		fd.SetFileName("cards.pdf")
		fd.SetFilter(storage.NewExtensionFileFilter([]string{".pdf"}))
		fd.Show()
	})
	info, _ := os.Stat(path)
	var size int64
	if info != nil {
		size = info.Size()
	}
	msg := widget.NewLabel(tr("cards.pdf_ready", "The PDF is ready: {{.Count}} cards, {{.KB}} KB.", map[string]any{"Count": b.total, "KB": (size + 1023) / 1024}))
	closeBtn := widget.NewButton(tr("dialog.close", "Close"), func() { b.resultDlg.Hide() })
	b.resultDlg = dialog.NewCustomWithoutButtons(tr("cards.bulk_title", "Print cards"),
		container.NewVBox(msg, container.NewHBox(open, print, saveAs), errl), u.win)
	b.resultDlg.SetButtons([]fyne.CanvasObject{closeBtn})
	b.resultDlg.Show()
	u.win.Canvas().Focus(open)
}

func copyFileTo(w io.WriteCloser, path string) error {
	f, err := os.Open(path)
	if err != nil {
		w.Close()
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	return err
}
