package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"loyaltydesk/app"
)

// TillService is what the till screen needs of app.Till (PU-03).
type TillService interface {
	NewOrder() app.Order
	Identify(ctx context.Context, text string) (app.Guest, error)
	// IdentifyScan finds the guest of a device's scan: its value, then its
	// secondary values (ID-02).
	IdentifyScan(ctx context.Context, value string, alt ...string) (app.Guest, error)
	Guest(ctx context.Context, clientID string) (app.Guest, error)
	Attach(ctx context.Context, o *app.Order, g app.Guest) error
	Quote(ctx context.Context, o app.Order) (app.Quote, error)
	PayWithPoints(ctx context.Context, o *app.Order, points int64) error
	Close(ctx context.Context, o app.Order) (app.Purchase, error)
	Cancel(ctx context.Context, o app.Order) error
}

// LedgerService is what the screens need of app.Ledger (BN-01…BN-05, CL-04).
type LedgerService interface {
	AccountTypes(ctx context.Context) ([]app.AccountType, error)
	SaveAccountType(ctx context.Context, t app.AccountType) (app.AccountType, error)
	Accounts(ctx context.Context, clientID string) ([]app.Account, error)
	OpenAccount(ctx context.Context, clientID, typeID string) (app.Account, error)
	History(ctx context.Context, q app.EntryQuery) ([]app.Entry, error)
	Adjust(ctx context.Context, ap app.Approval, in app.Adjustment) (app.AdjustReport, error)
	ResetHolds(ctx context.Context, clientID string) (int, error)
}

// PurchaseService is what the screens need of app.Purchases (PU-02, PU-05, PU-06).
type PurchaseService interface {
	Get(ctx context.Context, id string) (app.Purchase, error)
	History(ctx context.Context, q app.PurchaseQuery) ([]app.Purchase, error)
	Preview(ctx context.Context, in app.PurchaseInput) (app.Quote, error)
	Record(ctx context.Context, in app.PurchaseInput) (app.Purchase, error)
	Refund(ctx context.Context, in app.RefundInput) (app.Purchase, error)
	Gift(ctx context.Context, clientID, giftID, note string) (app.Purchase, error)
	NewNumber() string
}

// CatalogueService is what the screens need of app.Catalogue (PU-01, BN-06).
type CatalogueService interface {
	Categories(ctx context.Context) ([]app.ProductCategory, error)
	Products(ctx context.Context, q app.ProductQuery) ([]app.Product, error)
	Gifts(ctx context.Context) ([]app.Gift, error)
	Programs(ctx context.Context) ([]app.Program, error)
	SaveCategory(ctx context.Context, c app.ProductCategory) (app.ProductCategory, error)
	DeleteCategory(ctx context.Context, id string) error
	SaveProduct(ctx context.Context, p app.Product) (app.Product, error)
	DeleteProduct(ctx context.Context, id string) error
	SaveGift(ctx context.Context, g app.Gift) (app.Gift, error)
	DeleteGift(ctx context.Context, id string) error
	SaveProgram(ctx context.Context, p app.Program) (app.Program, error)
	DeleteProgram(ctx context.Context, id string) error
	// ImportProducts imports a table of products read from CSV or XLSX
	// (PU-01); with dryRun it only checks. A file with any bad row changes
	// nothing.
	ImportProducts(ctx context.Context, t app.ImportTable, dryRun bool) (app.ProductImportReport, error)
}

// GroupService is what the screens need of app.Groups (GR-01, GR-02).
type GroupService interface {
	List(ctx context.Context) ([]app.Group, error)
	Save(ctx context.Context, g app.Group) (app.Group, error)
	Delete(ctx context.Context, id string) error
}

// AuthService is what the screens need of app.Auth (AD-01, AD-02).
type AuthService interface {
	Users(ctx context.Context) ([]app.User, error)
	NeedsSignIn(ctx context.Context) (bool, error)
	SaveUser(ctx context.Context, ap app.Approval, id string, in app.UserInput) (app.User, error)
	SignIn(ctx context.Context, name, secret string) (app.Session, error)
	Approve(ctx context.Context, secret string) (app.Approval, error)
	AuditLog(ctx context.Context, q app.AuditQuery) ([]app.AuditEntry, error)
}

// approve asks for the administrator password (AD-01) and calls then on the
// UI goroutine with the approval. Wrong passwords keep the dialog open with
// the reason; too many lock it for a while (the message says until when, and
// the field is disabled until then). With no administrator yet, it offers to
// add the owner first (users.go) and then goes on with their approval.
func (u *UI) approve(title string, then func(app.Approval)) {
	if u.deps.Auth == nil {
		return
	}
	u.async(func() {
		users, err := u.deps.Auth.Users(u.ctx())
		fyne.Do(func() {
			if err == nil && !hasAdmin(users) {
				u.setFirstOwner(then)
				return
			}
			u.showApprove(title, then)
		})
	})
}

// approvePrompt is the administrator password dialog; UI.auth.prompt holds
// the latest one, for tests.
type approvePrompt struct {
	secret   *widget.Entry
	errLabel *widget.Label
	ok       *widget.Button
	dlg      dialog.Dialog
	busy     bool
	locked   bool
}

func (u *UI) showApprove(title string, then func(app.Approval)) {
	p := &approvePrompt{}
	u.auth.prompt = p
	p.secret = widget.NewPasswordEntry()
	p.secret.SetPlaceHolder(tr("auth.secret_ph", "PIN or password"))
	msg := widget.NewLabel(tr("auth.approve_hint", "This operation needs the password of an owner or a manager."))
	msg.Wrapping = fyne.TextWrapWord
	p.errLabel = pageErrLabel()
	submit := func() {
		if p.busy || p.locked {
			return
		}
		p.busy = true
		s := p.secret.Text
		u.async(func() {
			ap, err := u.deps.Auth.Approve(u.ctx(), s)
			fyne.Do(func() {
				p.busy = false
				if err != nil {
					p.errLabel.SetText(errorMessage(err))
					p.errLabel.Show()
					p.dlg.Resize(fyne.NewSize(440, 0)) // grow by the message
					p.secret.SetText("")
					var le *app.LockedError
					switch {
					case errors.As(err, &le):
						p.locked = true
						p.secret.Disable()
						p.ok.Disable()
						u.unlockAt(le.Until, func() {
							p.locked = false
							p.secret.Enable()
							p.ok.Enable()
							p.errLabel.Hide()
						})
					case errors.Is(err, app.ErrNoAdmin):
						p.dlg.Hide()
						u.setFirstOwner(then)
					case !errors.Is(err, app.ErrBadSecret):
						p.dlg.Hide()
						u.showError(err)
					}
					return
				}
				p.dlg.Hide()
				then(ap)
			})
		})
	}
	p.secret.OnSubmitted = func(string) { submit() }
	form := widget.NewForm(widget.NewFormItem(tr("field.secret", "PIN or password"), p.secret))
	p.ok = widget.NewButton(tr("auth.approve", "Confirm"), submit)
	p.ok.Importance = widget.HighImportance
	cancel := widget.NewButton(tr("dialog.cancel", "Cancel"), func() { p.dlg.Hide() })
	p.dlg = dialog.NewCustomWithoutButtons(title, container.NewVBox(msg, form, p.errLabel,
		container.NewHBox(layout.NewSpacer(), cancel, p.ok)), u.win)
	p.dlg.Resize(fyne.NewSize(440, 0))
	p.dlg.Show()
	u.win.Canvas().Focus(p.secret)
}
