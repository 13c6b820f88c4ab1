package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"

	"loyaltydesk/app"
	"loyaltydesk/assets"
)

// ClientService is what the screens need of app.Clients.
type ClientService interface {
	Get(ctx context.Context, id string) (app.Client, error)
	Create(ctx context.Context, in app.ClientInput) (app.Client, error)
	Update(ctx context.Context, id string, in app.ClientInput) (app.Client, error)
	Delete(ctx context.Context, id string) error
	Search(ctx context.Context, q app.ClientQuery) ([]app.Client, error)
	Count(ctx context.Context, q app.ClientQuery) (int, error)
	Each(ctx context.Context, q app.ClientQuery, fn func(app.Client) error) error
	Extras(ctx context.Context, ids []string) (map[string]app.Extras, error)
	Directory(ctx context.Context) (app.Directory, error)
	Today() app.Date

	Segments(ctx context.Context) ([]app.Segment, error)
	SaveSegment(ctx context.Context, name string, q app.SegmentQuery) (app.Segment, error)
	DeleteSegment(ctx context.Context, id string) error
	Apply(ctx context.Context, q app.ClientQuery, a app.Action) (int, error)
	Unsubscribe(ctx context.Context, pasted string) (app.UnsubscribeReport, error)

	AddIdentifier(ctx context.Context, clientID string, in app.IdentifierInput) (app.Identifier, error)
	RemoveIdentifier(ctx context.Context, clientID, identifierID string) error
	AddContact(ctx context.Context, clientID string, in app.ContactInput) (app.Contact, error)
	RemoveContact(ctx context.Context, clientID, contactID string) error
	SetVariable(ctx context.Context, clientID, name, value string) (app.Variable, error)
	RemoveVariable(ctx context.Context, clientID, name string) error
	SetReferrer(ctx context.Context, clientID, referrerID string) error
	Referrals(ctx context.Context, id string, limit int) ([]app.Client, error)
}

// BackupService makes and lists backups of the database (AD-03).
type BackupService interface {
	// Now makes a backup (and rotates) and returns its path.
	Now(ctx context.Context) (string, error)
	// List lists the backups, newest first.
	List() ([]app.BackupInfo, error)
}

// RestoreService restores a backup in place of the open database (AD-03);
// after Restore the program must start again.
type RestoreService interface {
	Check(ctx context.Context, path string) error
	Restore(ctx context.Context, path string) (saved string, err error)
}

// SettingsService is what the screens need of app.Settings.
type SettingsService interface {
	PhoneRegion(ctx context.Context) (string, error)
	SetPhoneRegion(ctx context.Context, region string) error
	VenueName(ctx context.Context) (string, error)
	SetVenueName(ctx context.Context, name string) error
	ListColumns(ctx context.Context) ([]string, error)
	SetListColumns(ctx context.Context, keys []string) error
}

// Screens the window can open on, for --screen and screenshots.
const (
	ScreenClients      = "clients"
	ScreenClientNew    = "client-new"
	ScreenClientEdit   = "client-edit"
	ScreenSettings     = "settings"
	ScreenClientsError = "client-error"
	ScreenClientPage   = "client-page"
	// ScreenClientsFiltered is the list with a filter on and a checked row.
	ScreenClientsFiltered = "clients-filtered"
	// ScreenTill is the till with a guest identified and an order open.
	ScreenTill = "till"
	// ScreenTillCamera is the till with the camera preview, the guest
	// identified by the camera (run with --fake-camera and a guest's code).
	ScreenTillCamera = "till-camera"
	// ScreenClientBonus is a client page on its bonus accounts tab.
	ScreenClientBonus = "client-bonus"
	// ScreenCatalogue is the catalogue of products.
	ScreenCatalogue = "catalogue"
	// ScreenPrograms is the bonus program editor on its first program.
	ScreenPrograms = "programs"
	// ScreenAudit is the audit log.
	ScreenAudit = "audit"
	// ScreenGroups is the client groups editor.
	ScreenGroups = "groups"
	// ScreenRules is the loyalty rule editor (issue 6).
	ScreenRules = "rules"
	// ScreenOutbox is the outbox of messages (LR-08).
	ScreenOutbox = "outbox"
	// ScreenClientLoyalty is a client page on its loyalty tab: why the
	// client has their discount, class, group and categories.
	ScreenClientLoyalty = "client-loyalty"
	// ScreenDevices is the device settings (ID-05) with a test-scan panel
	// open.
	ScreenDevices = "devices"
	// ScreenCardDesign is the card designer with its preview (issue 8).
	ScreenCardDesign = "card-design"
)

// AllScreens lists the names --screen accepts.
var AllScreens = []string{ScreenClients, ScreenClientNew, ScreenClientEdit, ScreenClientsError, ScreenSettings,
	ScreenClientPage, ScreenClientsFiltered, ScreenTill, ScreenTillCamera, ScreenClientBonus, ScreenCatalogue, ScreenPrograms, ScreenAudit, ScreenGroups,
	ScreenRules, ScreenOutbox, ScreenClientLoyalty, ScreenDevices, ScreenCardDesign}

// Deps is what the UI is built from.
type Deps struct {
	Clients  ClientService
	Settings SettingsService
	// Transfer imports and exports clients (CL-17, CL-18).
	Transfer TransferService
	// Backups, when set, adds the Backups section to the settings (AD-03).
	Backups BackupService
	// Restore, when set with Backups, adds "Restore…" to the section.
	Restore RestoreService
	// The money side (issue 5); each, when set, adds its screens and tabs.
	Till      TillService
	Ledger    LedgerService
	Purchases PurchaseService
	Catalogue CatalogueService
	Auth      AuthService
	// Groups, when set, adds the client groups editor (issue 6).
	Groups GroupService
	// Loyalty, when set, adds the rule editor, the outbox, the client page's
	// loyalty tab and changes by hand (issue 6).
	Loyalty LoyaltyService
	// Devices, with Hardware, adds the device settings (ID-05) and lets the
	// till listen to the configured readers and cameras (ID-01…ID-03).
	Devices  DeviceService
	Hardware *Hardware
	// Cards, when set, adds the card designer, the client's card dialog
	// and the bulk printing of cards (issue 8).
	Cards CardService
	// DBPath is shown in the settings.
	DBPath  string
	Version string
	// Async runs blocking work off the UI goroutine; nil means `go f()`. Tests
	// pass a synchronous runner.
	Async func(f func())
}

// UI is the main window and its screens.
type UI struct {
	deps     Deps
	app      fyne.App
	win      fyne.Window
	tabs     *container.AppTabs
	clients  *clientsScreen
	settings *settingsScreen
	// The navigation tabs, to select them by what they are.
	clientsTab, settingsTab, tillTab, catalogueTab, programsTab, auditTab *container.TabItem
	groupsTab, rulesTab, outboxTab                                        *container.TabItem
	rules                                                                 *rulesScreen     // nil without Deps.Loyalty (rules.go)
	outbox                                                                *outboxScreen    // nil without Deps.Loyalty (outbox.go)
	groups                                                                *groupsScreen    // nil without Deps.Groups (groups.go)
	till                                                                  *tillScreen      // nil without Deps.Till (till.go)
	catalogue                                                             *catalogueScreen // nil without Deps.Catalogue (catalogue.go)
	programs                                                              *programsScreen  // nil without Deps.Catalogue (programs.go)
	audit                                                                 *auditScreen     // nil without Deps.Auth (audit.go)
	// devices runs the configured readers and cameras and holds the
	// Devices tab; nil without Deps.Devices and Deps.Hardware (hardware.go,
	// devices.go).
	devices *deviceManager
	// cardsTab is the card designer (carddesign.go); nil without
	// Deps.Cards. lastCards is the last bulk printing of cards (cards.go).
	cardsTab   *container.TabItem
	cardDesign *cardDesignScreen
	lastCards  *bulkCards
	cardDlg    *cardDialog // the last card dialog opened (cards.go)
	// onClientChanged, when set by the client list, is called on the UI
	// goroutine with the id of a client the client page changed or deleted
	// (see clientpage.go).
	onClientChanged func(id string)
	// pages is the client page over the list (clientpage.go).
	pages pageState
	// auth is who is signed in, the sign-in screen and the role gating
	// (users.go, AD-01).
	auth authState
}

// New builds the main window of a; call Window().ShowAndRun() to start.
func New(a fyne.App, deps Deps) *UI {
	if deps.Async == nil {
		deps.Async = func(f func()) { go f() }
	}
	u := &UI{deps: deps, app: a}
	u.win = a.NewWindow("LoyaltyDesk")
	u.win.SetIcon(assets.Icon)
	u.clients = newClientsScreen(u)
	u.settings = newSettingsScreen(u)
	u.pages.area = container.NewStack(u.clients.content)
	u.clientsTab = container.NewTabItemWithIcon(tr("nav.clients", "Clients"), theme.AccountIcon(), u.pages.area)
	u.settingsTab = container.NewTabItemWithIcon(tr("nav.settings", "Settings"), theme.SettingsIcon(), u.settings.content)
	u.tabs = container.NewAppTabs(u.clientsTab)
	if deps.Till != nil {
		u.till = newTillScreen(u)
		u.tillTab = container.NewTabItemWithIcon(tr("nav.till", "Till"), theme.ComputerIcon(), u.till.content)
		u.tabs.Append(u.tillTab)
	}
	if deps.Catalogue != nil {
		u.catalogue = newCatalogueScreen(u)
		u.catalogueTab = container.NewTabItemWithIcon(tr("nav.catalogue", "Catalogue"), theme.ListIcon(), u.catalogue.content)
		u.programs = newProgramsScreen(u)
		u.programsTab = container.NewTabItemWithIcon(tr("nav.programs", "Bonus programs"), theme.ContentAddIcon(), u.programs.content)
		u.tabs.Append(u.catalogueTab)
		u.tabs.Append(u.programsTab)
	}
	if deps.Groups != nil {
		u.groups = newGroupsScreen(u)
		u.groupsTab = container.NewTabItemWithIcon(tr("nav.groups", "Client groups"), theme.GridIcon(), u.groups.content)
		u.tabs.Append(u.groupsTab)
	}
	if deps.Loyalty != nil {
		u.rules = newRulesScreen(u)
		u.rulesTab = container.NewTabItemWithIcon(tr("nav.rules", "Loyalty rules"), theme.ConfirmIcon(), u.rules.content)
		u.outbox = newOutboxScreen(u)
		u.outboxTab = container.NewTabItemWithIcon(tr("nav.outbox", "Outbox"), theme.MailSendIcon(), u.outbox.content)
		u.tabs.Append(u.rulesTab)
		u.tabs.Append(u.outboxTab)
	}
	if deps.Auth != nil {
		u.audit = newAuditScreen(u)
		u.auditTab = container.NewTabItemWithIcon(tr("nav.audit", "Audit log"), theme.HistoryIcon(), u.audit.content)
		u.tabs.Append(u.auditTab)
	}
	if deps.Cards != nil {
		u.cardDesign = newCardDesignScreen(u)
		u.cardsTab = container.NewTabItemWithIcon(tr("nav.cards", "Cards"), theme.DocumentPrintIcon(), u.cardDesign.content)
		u.tabs.Append(u.cardsTab)
	}
	if deps.Devices != nil && deps.Hardware != nil {
		u.devices = newDeviceManager(u)
		if u.till != nil {
			u.till.listen() // scans reach the till before its tab is first opened
		}
		u.devices.screen = newDevicesScreen(u)
		u.tabs.Append(u.devices.screen.tab)
		// The devices stop, and are waited for, when the window closes.
		u.win.SetOnClosed(u.devices.Stop)
	}
	u.tabs.Append(u.settingsTab)
	u.tabs.SetTabLocation(container.TabLocationLeading)
	u.tabs.OnSelected = func(t *container.TabItem) {
		u.devicesTabLeft(t) // a test-scan panel closes when its tab is left (devices.go)
		switch t {
		case u.settingsTab:
			u.settings.load()
		case u.clientsTab:
			u.focusClientsTab()
		case u.tillTab:
			u.till.focus()
		case u.catalogueTab:
			u.catalogue.load()
		case u.programsTab:
			u.programs.load()
		case u.groupsTab:
			u.groups.load()
		case u.rulesTab:
			u.rules.load()
		case u.outboxTab:
			u.outbox.load()
		case u.auditTab:
			u.audit.load()
		case u.cardsTab:
			u.cardDesign.load()
		case u.devicesTab():
			u.devices.screen.load()
		}
	}
	u.win.SetContent(u.tabs)
	u.win.SetMainMenu(u.menu())
	u.win.Resize(fyne.NewSize(1240, 740))
	u.addShortcuts()
	u.loadTitle()
	u.win.Canvas().Focus(u.clients.search) // type to search straight away
	u.startAuth()                          // the sign-in screen first once users exist (users.go)
	if u.devices != nil {
		u.devices.Reload() // start the enabled devices
	}
	return u
}

// Window returns the main window.
func (u *UI) Window() fyne.Window { return u.win }

// Open shows the named screen (one of AllScreens) once the first data is in.
func (u *UI) Open(screen string) {
	switch screen {
	case ScreenSettings:
		u.tabs.Select(u.settingsTab)
	case ScreenClientNew:
		u.clients.newClient()
	case ScreenClientEdit:
		u.clients.afterLoad(func() { u.clients.editRow(0) })
	case ScreenClientsError:
		d := u.clients.newClient()
		d.fill(app.ClientInput{FirstName: "Анна", Phone: "8 916 12", Email: "anna@", BirthDate: "31.02.1990"})
		d.save()
	case ScreenClientPage:
		u.openRichestClient()
	case ScreenClientsFiltered:
		u.clients.afterLoad(u.clients.showFilteredExample)
	case ScreenTill:
		if u.till != nil {
			u.tabs.Select(u.tillTab)
			u.till.showExample()
		}
	case ScreenTillCamera:
		if u.till != nil {
			u.tabs.Select(u.tillTab)
			u.till.showCameraExample()
		}
	case ScreenClientBonus:
		u.openRichestClientOn(pageTabBonus)
	case ScreenCatalogue:
		if u.catalogue != nil {
			u.tabs.Select(u.catalogueTab)
		}
	case ScreenPrograms:
		if u.programs != nil {
			u.tabs.Select(u.programsTab)
			u.programs.showExample()
		}
	case ScreenAudit:
		if u.audit != nil {
			u.tabs.Select(u.auditTab)
		}
	case ScreenGroups:
		if u.groups != nil {
			u.tabs.Select(u.groupsTab)
		}
	case ScreenRules:
		if u.rules != nil {
			u.tabs.Select(u.rulesTab)
			u.rules.showExample()
		}
	case ScreenOutbox:
		if u.outbox != nil {
			u.tabs.Select(u.outboxTab)
		}
	case ScreenClientLoyalty:
		u.openRichestClientOn(pageTabLoyalty)
	case ScreenDevices:
		if u.devices != nil {
			u.tabs.Select(u.devicesTab())
			u.devices.screen.showExample()
		}
	case ScreenCardDesign:
		if u.cardDesign != nil {
			u.tabs.Select(u.cardsTab)
			u.cardDesign.showExample()
		}
	}
}

func (u *UI) async(f func()) { u.deps.Async(f) }

// ctx names the signed-in user as the actor ("owner" while no users exist).
func (u *UI) ctx() context.Context { return app.WithActor(context.Background(), u.actor()) }

func (u *UI) showError(err error) {
	dialog.ShowError(errorf(errorMessage(err)), u.win)
}

func (u *UI) loadTitle() {
	u.async(func() {
		name, err := u.deps.Settings.VenueName(u.ctx())
		fyne.Do(func() {
			if err == nil && name != "" {
				u.win.SetTitle("LoyaltyDesk — " + name)
			} else {
				u.win.SetTitle("LoyaltyDesk")
			}
		})
	})
}

func (u *UI) menu() *fyne.MainMenu {
	newClient := fyne.NewMenuItem(tr("menu.new_client", "New client…"), func() { u.tabs.Select(u.clientsTab); u.clients.newClient() })
	newClient.Shortcut = shortcutNew
	var items []*fyne.MenuItem // what the signed-in role may use (users.go)
	if u.may(app.PermClients) {
		items = append(items, newClient)
	}
	if u.may(app.PermTransfer) {
		items = append(items,
			fyne.NewMenuItem(tr("import.menu", "Import clients…"), func() {
				u.showImport(func() { u.clients.loadDirectory(); u.clients.reload() })
			}),
			fyne.NewMenuItem(tr("export.menu", "Export clients…"), func() { u.showExport(app.ClientQuery{}, nil) }))
	}
	if u.signedIn() {
		items = append(items, fyne.NewMenuItemSeparator(), fyne.NewMenuItem(tr("auth.switch_user", "Switch user…"), u.signOut))
	}
	file := fyne.NewMenu(tr("menu.file", "File"), items...)
	about := fyne.NewMenuItem(tr("menu.about", "About LoyaltyDesk"), func() {
		dialog.ShowInformation(tr("menu.about", "About LoyaltyDesk"),
			tr("about.text", "LoyaltyDesk {{.Version}}\nLoyalty CRM for cafes, restaurants, bars and salons.\nDatabase: {{.Path}}",
				map[string]any{"Version": u.deps.Version, "Path": u.deps.DBPath}), u.win)
	})
	return fyne.NewMainMenu(file, fyne.NewMenu(tr("menu.help", "Help"), about))
}
