package ui

import (
	"log/slog"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"loyaltydesk/app"
)

// pageSize is how many rows one query fetches; maxPages how many pages the list
// keeps in memory. The table itself only creates the cells that are visible.
// processStart is when the program started, for the start-up time in the log.
var processStart = time.Now()

const (
	pageSize      = 100
	maxPages      = 30
	searchDelay   = 250 * time.Millisecond
	columnName    = 0
	columnPhone   = 1
	columnEmail   = 2
	columnBirth   = 3
	columnGender  = 4
	columnExtID   = 5
	columnCreated = 6
)

type column struct {
	title string
	width float32
}

func clientColumns() []column {
	return []column{
		{tr("col.name", "Name"), 290},
		{tr("col.phone", "Phone"), 160},
		{tr("col.email", "E-mail"), 220},
		{tr("col.birth_date", "Birth date"), 135},
		{tr("col.gender", "Gender"), 90},
		{tr("col.external_id", "External ID"), 115},
		{tr("col.created", "Added"), 105},
	}
}

// clientsScreen is the client list (CL-12) with its search box (CL-13). Rows
// are fetched a page at a time as the table scrolls; nothing loads the whole
// table. All fields are touched only on the UI goroutine.
type clientsScreen struct {
	u         *UI
	content   fyne.CanvasObject
	search    *widget.Entry
	count     *widget.Label
	status    *widget.Label
	loading   *widget.ProgressBarInfinite
	empty     *widget.Label
	emptyBox  *fyne.Container
	table     *widget.Table
	columns   []column
	timer     *time.Timer
	gen       int // bumped by every reload; stale results are dropped
	query     string
	total     int
	loaded    bool
	shownOnce bool
	pages     map[int][]app.Client
	pending   map[int]bool
	order     []int // pages in load order, for eviction
	whenDone  []func()
	// lastDialog is the client dialog opened last (for tests and screenshots).
	lastDialog *clientDialog
}

func newClientsScreen(u *UI) *clientsScreen {
	s := &clientsScreen{u: u, columns: clientColumns(), pages: map[int][]app.Client{}, pending: map[int]bool{}}
	s.search = widget.NewEntry()
	s.search.SetPlaceHolder(tr("clients.search", "Search: name, phone, e-mail, card, external ID (Ctrl+F)"))
	s.search.OnChanged = func(string) { s.searchLater() }
	s.search.OnSubmitted = func(string) { s.reload() }
	s.count = widget.NewLabel("")
	s.count.TextStyle.Bold = true
	s.status = widget.NewLabel("")
	s.status.Truncation = fyne.TextTruncateEllipsis
	s.loading = widget.NewProgressBarInfinite()
	s.loading.Hide()
	s.empty = widget.NewLabel("")
	s.empty.Alignment = fyne.TextAlignCenter
	newBtn := widget.NewButtonWithIcon(tr("clients.new", "New client"), theme.ContentAddIcon(), func() { s.newClient() })
	newBtn.Importance = widget.HighImportance

	s.table = widget.NewTableWithHeaders(s.size, s.createCell, s.updateCell)
	s.table.ShowHeaderColumn = false
	s.table.CreateHeader = func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.TextStyle.Bold = true
		return l
	}
	s.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(s.columns) {
			o.(*widget.Label).SetText(s.columns[id.Col].title)
		}
	}
	for i, c := range s.columns {
		s.table.SetColumnWidth(i, c.width)
	}
	s.table.OnSelected = func(id widget.TableCellID) {
		s.table.UnselectAll()
		s.editRow(id.Row)
	}

	top := container.NewBorder(nil, nil, nil, newBtn, s.search)
	bottom := container.NewBorder(nil, nil, s.count, nil, s.status)
	// The empty-list message sits on a plate so the column lines do not run through it.
	plate := canvas.NewRectangle(theme.Color(theme.ColorNameBackground))
	plate.CornerRadius = theme.Size(theme.SizeNameInputRadius)
	s.emptyBox = container.NewCenter(container.NewStack(plate, container.NewPadded(s.empty)))
	s.emptyBox.Hide()
	body := container.NewStack(s.table, s.emptyBox)
	s.content = container.NewBorder(container.NewVBox(top, s.loading), bottom, nil, nil, body)
	s.reload()
	return s
}

func (s *clientsScreen) size() (int, int) { return s.total, len(s.columns) }

func (s *clientsScreen) createCell() fyne.CanvasObject {
	l := widget.NewLabel("")
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

func (s *clientsScreen) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	c, ok := s.row(id.Row)
	if !ok {
		l.SetText("…")
		return
	}
	l.SetText(cellText(c, id.Col))
}

// cellText is what the list shows for a client in a column.
func cellText(c app.Client, col int) string {
	switch col {
	case columnName:
		return c.DisplayName()
	case columnPhone:
		return app.FormatPhone(c.Phone)
	case columnEmail:
		return c.Email
	case columnBirth:
		return c.BirthDate.Format()
	case columnGender:
		return genderLabel(c.Gender)
	case columnExtID:
		return c.ExternalID
	case columnCreated:
		return c.CreatedAt.Local().Format("02.01.2006")
	}
	return ""
}

// row returns the client at a row, asking for its page if it is not loaded.
func (s *clientsScreen) row(i int) (app.Client, bool) {
	p := i / pageSize
	if rows, ok := s.pages[p]; ok {
		if j := i - p*pageSize; j < len(rows) {
			return rows[j], true
		}
		return app.Client{}, false
	}
	s.requestPage(p)
	return app.Client{}, false
}

func (s *clientsScreen) requestPage(p int) {
	if s.pending[p] {
		return
	}
	s.pending[p] = true
	gen, q := s.gen, s.query
	s.u.async(func() {
		rows, err := s.u.deps.Clients.Search(s.u.ctx(), app.ClientQuery{Text: q, Offset: p * pageSize, Limit: pageSize})
		fyne.Do(func() {
			if gen != s.gen {
				return
			}
			delete(s.pending, p)
			if err != nil {
				s.status.SetText(errorMessage(err))
				return
			}
			s.storePage(p, rows)
			s.table.Refresh()
		})
	})
}

func (s *clientsScreen) storePage(p int, rows []app.Client) {
	s.pages[p] = rows
	s.order = append(s.order, p)
	for len(s.order) > maxPages {
		delete(s.pages, s.order[0])
		s.order = s.order[1:]
	}
}

// searchLater reloads the list once typing pauses.
func (s *clientsScreen) searchLater() {
	if s.timer != nil {
		s.timer.Stop()
	}
	s.timer = time.AfterFunc(searchDelay, func() { fyne.Do(s.reload) })
}

// reload counts the matches of the search text and fetches the first page,
// off the UI goroutine.
func (s *clientsScreen) reload() {
	if s.timer != nil {
		s.timer.Stop()
	}
	s.gen++
	gen, q := s.gen, strings.TrimSpace(s.search.Text)
	s.query = q
	s.loading.Show()
	s.loading.Start()
	s.u.async(func() {
		ctx := s.u.ctx()
		start := time.Now()
		n, err := s.u.deps.Clients.Count(ctx, app.ClientQuery{Text: q})
		var first []app.Client
		if err == nil {
			first, err = s.u.deps.Clients.Search(ctx, app.ClientQuery{Text: q, Limit: pageSize})
		}
		slog.Debug("client list query", "query", q, "total", n, "took", time.Since(start))
		fyne.Do(func() {
			if gen != s.gen {
				return
			}
			s.loading.Stop()
			s.loading.Hide()
			if err != nil {
				s.status.SetText(errorMessage(err))
				return
			}
			s.pages, s.pending, s.order = map[int][]app.Client{}, map[int]bool{}, nil
			s.storePage(0, first)
			s.total, s.loaded = n, true
			s.showCount()
			s.table.Refresh()
			s.table.ScrollToTop()
			if !s.shownOnce {
				s.shownOnce = true
				slog.Info("first page of clients shown", "total", n, "since_start", time.Since(processStart))
			}
			done := s.whenDone
			s.whenDone = nil
			for _, f := range done {
				f()
			}
		})
	})
}

// afterLoad runs f once the list holds data.
func (s *clientsScreen) afterLoad(f func()) {
	if s.loaded && len(s.pending) == 0 {
		f()
		return
	}
	s.whenDone = append(s.whenDone, f)
}

func (s *clientsScreen) showCount() {
	data := map[string]any{"Count": groupDigits(s.total), "Query": s.query}
	if s.query == "" {
		s.count.SetText(lang.XN("clients.count", "{{.Count}} clients", s.total, data))
	} else {
		s.count.SetText(lang.XN("clients.found", "Found: {{.Count}}", s.total, data))
	}
	switch {
	case s.total > 0:
		s.emptyBox.Hide()
	case s.query == "":
		s.empty.SetText(tr("clients.empty", "No clients yet. Press «New client» (Ctrl+N) to add the first one."))
		s.emptyBox.Show()
	default:
		s.empty.SetText(tr("clients.nothing_found", "Nobody matches «{{.Query}}».", data))
		s.emptyBox.Show()
	}
}

// groupDigits writes n with thin-space thousands separators: 1 000 000.
func groupDigits(n int) string {
	d := strconv.Itoa(n)
	if n < 0 {
		return d
	}
	var b strings.Builder
	for i, r := range d {
		if i > 0 && (len(d)-i)%3 == 0 {
			b.WriteRune('\u202f')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (s *clientsScreen) newClient() *clientDialog {
	d := newClientDialog(s, nil)
	d.show()
	s.lastDialog = d
	return d
}

// editRow opens the edit dialog of the client at a row of the list.
func (s *clientsScreen) editRow(row int) {
	c, ok := s.row(row)
	if !ok {
		return
	}
	s.u.async(func() {
		full, err := s.u.deps.Clients.Get(s.u.ctx(), c.ID)
		fyne.Do(func() {
			if err != nil {
				s.u.showError(err)
				return
			}
			s.lastDialog = newClientDialog(s, &full)
			s.lastDialog.show()
		})
	})
}

// saved is called by the dialog after a client was stored.
func (s *clientsScreen) saved(c app.Client, created bool) {
	data := map[string]any{"Name": c.DisplayName()}
	if created {
		s.status.SetText(tr("clients.created", "Client added: {{.Name}}", data))
	} else {
		s.status.SetText(tr("clients.updated", "Changes saved: {{.Name}}", data))
	}
	s.reload()
}

func genderLabel(g app.Gender) string {
	switch g {
	case app.GenderMale:
		return tr("gender.male", "Male")
	case app.GenderFemale:
		return tr("gender.female", "Female")
	}
	return ""
}
