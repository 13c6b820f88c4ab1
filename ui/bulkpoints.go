package ui

// The client list's "Change balance…" (BN-05): a manual accrual, debit or
// correction for the checked clients or everyone the list found, with a
// reason and a message, behind the administrator password. It runs as one
// transaction in the ledger (seconds on 100,000 clients) behind a progress
// dialog, and ends with a report: how many clients changed and how many a
// debit left unchanged for lack of points.

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"loyaltydesk/app"
)

// bulkPointsDialog asks what to change and whom.
type bulkPointsDialog struct {
	s       *clientsScreen
	ids     []string
	scope   *widget.RadioGroup
	f       *adjustForm
	okBtn   *widget.Button
	dlg     *dialog.CustomDialog
	open    bool
	confirm dialog.Dialog
	ap      *app.Approval
	// report is what the last run did, as shown.
	report string
}

// startPointsChange reads the account types and opens the dialog.
func (s *clientsScreen) startPointsChange() {
	u := s.u
	u.async(func() {
		ts, err := u.deps.Ledger.AccountTypes(u.ctx())
		fyne.Do(func() {
			if err != nil {
				u.showError(err)
				return
			}
			s.showPointsChange(ts)
		})
	})
}

func (s *clientsScreen) showPointsChange(types []app.AccountType) *bulkPointsDialog {
	d := &bulkPointsDialog{s: s}
	d.ids, d.scope = s.scopeChoice()
	d.f = newAdjustForm("", types, app.DefaultAccountTypeID, d.submit, widget.NewFormItem(tr("bulk.whom", "Clients"), d.scope))
	hint := pageHint(tr("bulk.points_hint", "Every client gets one entry with the reason; a debit skips those who have fewer points available. The administrator password is asked next."))
	d.okBtn = widget.NewButton(tr("bulk.apply", "Apply"), d.submit)
	d.okBtn.Importance = widget.HighImportance
	cancel := widget.NewButton(tr("dialog.cancel", "Cancel"), func() { d.dlg.Hide() })
	d.dlg = dialog.NewCustomWithoutButtons(tr("bulk.points_title", "Change balance"),
		container.NewVBox(hint, d.f.form, d.f.errs.general, moneyButtons(cancel, d.okBtn)), s.u.win)
	d.dlg.SetOnClosed(func() { d.open = false })
	s.u.escCloses(d.dlg, d.f.amount, d.f.reason, d.f.message)
	d.dlg.Resize(fyne.NewSize(560, 0))
	d.open = true
	d.dlg.Show()
	s.u.win.Canvas().Focus(d.f.amount)
	return d
}

// submit checks the fields, asks once more before changing many clients,
// then asks for the administrator password and runs.
func (d *bulkPointsDialog) submit() {
	in, ok := d.f.read()
	if !ok {
		return
	}
	q, n, checked := d.s.scopeQuery(d.ids, d.scope)
	in.Target = q
	if !checked && n > bulkConfirmAbove {
		d.confirm = dialog.NewConfirm(tr("bulk.points_title", "Change balance"),
			lang.XN("bulk.confirm", "Change {{.Count}} clients: everyone the list found?", n, map[string]any{"Count": groupDigits(n)}),
			func(ok bool) {
				if ok {
					d.approve(in)
				}
			}, d.s.u.win)
		d.confirm.Show()
		return
	}
	d.approve(in)
}

func (d *bulkPointsDialog) approve(in app.Adjustment) {
	if d.ap != nil {
		d.run(*d.ap, in)
		return
	}
	d.s.u.approve(tr("bulk.points_title", "Change balance"), func(ap app.Approval) {
		d.ap = &ap
		d.run(ap, in)
	})
}

// run changes the balances off the UI goroutine behind a progress dialog; a
// mistake goes back under its field, success ends with the report.
func (d *bulkPointsDialog) run(ap app.Approval, in app.Adjustment) {
	s, u := d.s, d.s.u
	bar := widget.NewProgressBarInfinite()
	progress := dialog.NewCustomWithoutButtons(tr("bulk.points_title", "Change balance"),
		container.NewVBox(widget.NewLabel(tr("bulk.points_running", "Changing balances…")), bar), u.win)
	progress.Resize(fyne.NewSize(360, 0))
	progress.Show()
	d.okBtn.Disable()
	u.async(func() {
		rep, err := u.deps.Ledger.Adjust(u.ctx(), ap, in)
		fyne.Do(func() {
			bar.Stop()
			progress.Hide()
			d.okBtn.Enable()
			if err != nil {
				if errors.Is(err, app.ErrDenied) {
					d.ap = nil
				}
				d.f.errs.show(err)
				return
			}
			d.dlg.Hide()
			d.report = bulkPointsReport(rep)
			s.status.SetText(d.report)
			dialog.ShowInformation(tr("bulk.points_title", "Change balance"), d.report, u.win)
			s.quick.reload()
			s.refresh()
		})
	})
}

// bulkPointsReport tells what a bulk change did.
func bulkPointsReport(rep app.AdjustReport) string {
	text := lang.XN("bulk.points_changed", "Balance changed for {{.Count}} clients", rep.Changed, map[string]any{"Count": groupDigits(rep.Changed)})
	if n := len(rep.Short); n > 0 {
		text += ". " + lang.XN("bulk.points_short", "{{.Count}} clients left unchanged for lack of points", n, map[string]any{"Count": groupDigits(n)})
	}
	return text
}
