package ui

import (
	"log/slog"
	"slices"
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

// processStart is when the program started, for the start-up time in the log.
var processStart = time.Now()

// pageSize is how many rows one query fetches; maxPages how many pages the list
// keeps in memory. The table itself only creates the cells that are visible.
const (
	pageSize    = 100
	maxPages    = 30
	searchDelay = 250 * time.Millisecond
	// checkColWidth is the width of the check-box column, table column 0.
	checkColWidth = 36
)

// listRow is one client of the list with the extras its columns show.
type listRow struct {
	c app.Client
	x app.Extras
}

// clientsScreen is the client list (CL-12) with its search box (CL-13),
// filter panel and segments (CL-14), check boxes, quick-info panel and quick
// actions (CL-15). Rows are fetched a page at a time as the table scrolls;
// nothing loads the whole table. All fields are touched only on the UI
// goroutine.
type clientsScreen struct {
	u          *UI
	content    fyne.CanvasObject
	search     *widget.Entry
	count      *widget.Label
	checkedLbl *widget.Label
	status     *widget.Label
	loading    *widget.ProgressBarInfinite
	empty      *widget.Label
	emptyBox   *fyne.Container
	table      *clientTable
	filtersBtn *widget.Button
	actionsBtn *widget.Button
	exportBtn  *widget.Button
	moreBtn    *widget.Button

	// colKeys are the shown columns' keys, cols the columns; table column
	// i+1 shows cols[i].
	colKeys []string
	cols    []app.Column
	dir     app.Directory
	today   app.Date

	timer   *time.Timer
	gen     int             // bumped by every reload; stale results are dropped
	query   app.ClientQuery // what the rows shown answer: text, filter, sort
	filter  app.ClientFilter
	sort    app.SortKey
	desc    bool
	filling bool // code is filling the search box: do not react
	total   int  // rows matching the query
	all     int  // clients in the base
	// allStale says clients were added or removed since all was counted.
	allStale bool
	loaded   bool
	// shownOnce notes the first page shown, for the start-up time in the log.
	shownOnce bool
	pages     map[int][]listRow
	pending   map[int]bool // pages being read
	wanted    map[int]bool // pages asked for, not yet being read
	latest    int          // the page asked for last
	fetching  int          // page reads under way
	order     []int        // pages in load order, for eviction
	whenDone  []func()

	checked map[string]bool // ids of the checked clients
	focusID string          // the client the quick-info panel shows
	kbRow   int             // the row the keyboard is on
	tapped  int             // the row a tap selected last
	// focusLater is a row chosen before its page was read (End), or -1.
	focusLater int
	onScreen   map[int]bool // rows drawn, while collecting the visible ones

	filters *filterPanel
	side    *sidebar
	quick   *quickInfo

	// The dialogs opened last, for tests and screenshots.
	lastDialog  *clientDialog
	lastChooser *columnChooser
	lastBulk    *bulkDialog
	lastUnsub   *unsubscribeDialog
	lastSave    *segmentDialog
}

func newClientsScreen(u *UI) *clientsScreen {
	s := &clientsScreen{
		u: u, pages: map[int][]listRow{}, pending: map[int]bool{}, wanted: map[int]bool{}, checked: map[string]bool{},
		colKeys: slices.Clone(app.DefaultColumns), today: u.deps.Clients.Today(), focusLater: -1,
	}
	s.cols = columnsOf(s.colKeys)
	s.search = widget.NewEntry()
	s.search.SetPlaceHolder(tr("clients.search", "Search: name, phone, e-mail, card, external ID (Ctrl+F)"))
	s.search.OnChanged = func(string) {
		if !s.filling {
			s.side.unselect()
			s.changedLater()
		}
	}
	s.search.OnSubmitted = func(string) { s.applyChanges() }
	s.count = widget.NewLabel("")
	s.count.TextStyle.Bold = true
	s.checkedLbl = widget.NewLabel("")
	s.checkedLbl.Hide()
	s.status = widget.NewLabel("")
	s.status.Truncation = fyne.TextTruncateEllipsis
	s.loading = widget.NewProgressBarInfinite()
	s.loading.Hide()
	s.empty = widget.NewLabel("")
	s.empty.Alignment = fyne.TextAlignCenter
	s.empty.Wrapping = fyne.TextWrapWord

	s.filters = newFilterPanel(s)
	s.side = newSidebar(s)
	s.quick = newQuickInfo(s)
	s.table = newClientTable(s)

	newBtn := widget.NewButtonWithIcon(tr("clients.new", "New client"), theme.ContentAddIcon(), func() { s.newClient() })
	newBtn.Importance = widget.HighImportance
	s.filtersBtn = widget.NewButtonWithIcon(tr("filter.show", "Filters"), theme.MenuDropDownIcon(), s.toggleFilters)
	s.filtersBtn.IconPlacement = widget.ButtonIconTrailingText
	s.actionsBtn = widget.NewButtonWithIcon(tr("bulk.actions", "Actions"), theme.MenuDropDownIcon(), nil)
	s.actionsBtn.IconPlacement = widget.ButtonIconTrailingText
	s.actionsBtn.OnTapped = func() { s.showActionsMenu(s.actionsBtn) }
	s.exportBtn = widget.NewButtonWithIcon(tr("clients.export", "Export"), theme.DownloadIcon(), func() { s.export(s.exportBtn) })
	s.moreBtn = widget.NewButtonWithIcon("", theme.MoreVerticalIcon(), func() { s.showMoreMenu(s.moreBtn) })

	top := container.NewBorder(nil, nil, nil,
		container.NewHBox(s.filtersBtn, s.actionsBtn, s.exportBtn, s.moreBtn, newBtn), s.search)
	bottom := container.NewBorder(nil, nil, container.NewHBox(s.count, s.checkedLbl), nil, s.status)
	// The empty-list message sits on a plate so the column lines do not run through it.
	plate := canvas.NewRectangle(theme.Color(theme.ColorNameBackground))
	plate.CornerRadius = theme.Size(theme.SizeNameInputRadius)
	s.emptyBox = container.NewCenter(container.NewStack(plate, container.NewPadded(s.empty)))
	s.emptyBox.Hide()
	body := container.NewStack(s.table, s.emptyBox)
	main := container.NewBorder(container.NewVBox(top, s.filters.content, s.loading), bottom, nil, s.quick.content, body)
	s.content = container.NewBorder(nil, nil, s.side.content, nil, main)
	u.onClientChanged = s.clientChanged
	s.start()
	return s
}

// columnsOf returns the columns of keys, skipping unknown ones.
func columnsOf(keys []string) []app.Column {
	out := make([]app.Column, 0, len(keys))
	for _, k := range keys {
		if c, ok := app.ColumnByKey(k); ok {
			out = append(out, c)
		}
	}
	return out
}

// start reads the chosen columns, the directory and the segments, then loads
// the first page.
func (s *clientsScreen) start() {
	s.loading.Show()
	s.loading.Start()
	s.u.async(func() {
		ctx := s.u.ctx()
		keys, err := s.u.deps.Settings.ListColumns(ctx)
		if err != nil {
			slog.Error("read list columns", "err", err)
		}
		dir, derr := s.u.deps.Clients.Directory(ctx)
		if derr != nil {
			slog.Error("read directory", "err", derr)
		}
		segs, serr := s.u.deps.Clients.Segments(ctx)
		if serr != nil {
			slog.Error("read segments", "err", serr)
		}
		fyne.Do(func() {
			if err == nil && len(keys) > 0 {
				s.colKeys, s.cols = keys, columnsOf(keys)
				s.table.setColumns()
			}
			if derr == nil {
				s.setDirectory(dir)
			}
			if serr == nil {
				s.side.setSegments(segs)
			}
			s.reload()
		})
	})
}

// loadDirectory reads the groups, classes, categories, tags and variables
// again, after something may have added one.
func (s *clientsScreen) loadDirectory() {
	s.u.async(func() {
		dir, err := s.u.deps.Clients.Directory(s.u.ctx())
		fyne.Do(func() {
			if err != nil {
				slog.Error("read directory", "err", err)
				return
			}
			s.setDirectory(dir)
		})
	})
}

func (s *clientsScreen) setDirectory(dir app.Directory) {
	s.dir = dir
	s.filters.setDirectory(dir)
	s.side.setGroups(dir.Groups)
	s.table.Refresh()
}

// setColumns shows the columns keys, in order.
func (s *clientsScreen) setColumns(keys []string) {
	had := s.needsExtras()
	s.colKeys, s.cols = slices.Clone(keys), columnsOf(keys)
	s.table.setColumns()
	if !had && s.needsExtras() {
		s.refresh() // the rows in memory lack their tags and variables
		return
	}
	s.table.Refresh()
}

// needsExtras reports whether a shown column needs the rows' extras.
func (s *clientsScreen) needsExtras() bool {
	return slices.ContainsFunc(s.cols, func(c app.Column) bool {
		return c.Variable != "" || c.Key == app.ColTags || c.Key == app.ColCategories
	})
}

func (s *clientsScreen) size() (int, int) { return s.total, len(s.cols) + 1 }

// rowData is what column values need beyond the row.
func (s *clientsScreen) rowData() app.RowData {
	return app.RowData{Dir: &s.dir, Today: s.today}
}

// row returns the client at a row, asking for its page if it is not loaded.
func (s *clientsScreen) row(i int) (listRow, bool) {
	p := i / pageSize
	if rows, ok := s.pages[p]; ok {
		if j := i - p*pageSize; j >= 0 && j < len(rows) {
			return rows[j], true
		}
		return listRow{}, false
	}
	s.requestPage(p)
	return listRow{}, false
}

// fetch reads one page of q, with the extras when the columns need them.
func (s *clientsScreen) fetch(q app.ClientQuery, p int, extras bool) ([]listRow, error) {
	q.Offset, q.Limit = p*pageSize, pageSize
	ctx := s.u.ctx()
	cs, err := s.u.deps.Clients.Search(ctx, q)
	if err != nil {
		return nil, err
	}
	rows := make([]listRow, len(cs))
	for i, c := range cs {
		rows[i].c = c
	}
	if extras && len(cs) > 0 {
		ids := make([]string, len(cs))
		for i, c := range cs {
			ids[i] = c.ID
		}
		x, err := s.u.deps.Clients.Extras(ctx, ids)
		if err != nil {
			return nil, err
		}
		for i := range rows {
			rows[i].x = x[rows[i].c.ID]
		}
	}
	return rows, nil
}

// requestPage asks for page p of the list. Pages are read at most
// maxFetches at a time, the one asked for last first: while the user drags
// the scroll bar across a million rows, the pages passed by are dropped
// (the table asks again for any still on screen when the next page lands).
func (s *clientsScreen) requestPage(p int) {
	if s.pending[p] || p < 0 || p*pageSize >= max(s.total, 1) {
		return
	}
	s.wanted[p] = true
	s.latest = p
	s.pumpPages()
}

// maxFetches is how many page reads run at once.
const maxFetches = 2

func (s *clientsScreen) pumpPages() {
	for s.fetching < maxFetches && len(s.wanted) > 0 {
		best := -1
		for p := range s.wanted {
			if d := abs(p - s.latest); d > 2 {
				delete(s.wanted, p) // scrolled past
			} else if best < 0 || d < abs(best-s.latest) {
				best = p
			}
		}
		if best < 0 {
			return
		}
		delete(s.wanted, best)
		s.fetchPage(best)
	}
}

func (s *clientsScreen) fetchPage(p int) {
	s.pending[p] = true
	s.fetching++
	gen, q, extras := s.gen, s.query, s.needsExtras()
	s.u.async(func() {
		rows, err := s.fetch(q, p, extras)
		fyne.Do(func() {
			s.fetching--
			if gen != s.gen {
				s.pumpPages()
				return
			}
			delete(s.pending, p)
			if err != nil {
				s.status.SetText(errorMessage(err))
				return
			}
			s.storePage(p, rows)
			s.table.Refresh()
			if f := s.focusLater; f >= p*pageSize && f < (p+1)*pageSize {
				s.focus(f)
			}
			s.pumpPages()
		})
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func (s *clientsScreen) storePage(p int, rows []listRow) {
	if _, ok := s.pages[p]; !ok {
		s.order = append(s.order, p)
	}
	s.pages[p] = rows
	for len(s.order) > maxPages {
		delete(s.pages, s.order[0])
		s.order = s.order[1:]
	}
}

// changedLater applies the search box and the filter panel once typing pauses.
func (s *clientsScreen) changedLater() {
	if s.timer != nil {
		s.timer.Stop()
	}
	s.timer = time.AfterFunc(searchDelay, func() { fyne.Do(s.applyChanges) })
}

// applyChanges reads a changed filter panel and reloads the list; a bad
// value in the panel shows its message and leaves the list as it is.
func (s *clientsScreen) applyChanges() {
	if s.timer != nil {
		s.timer.Stop()
	}
	if s.filters.dirty {
		flt, err := s.filters.read()
		if err != nil {
			s.filters.showError(err)
			return
		}
		s.filters.dirty = false
		s.filters.errLbl.Hide()
		s.filter = flt
	}
	s.reload()
}

// currentQuery is what the search box, the applied filter and the order ask for.
func (s *clientsScreen) currentQuery() app.ClientQuery {
	return app.ClientQuery{Text: strings.TrimSpace(s.search.Text), Filter: s.filter, Sort: s.sort, Desc: s.desc}
}

// reload counts the matches of the search text and filter and fetches the
// first page, off the UI goroutine, then shows the top of the list. A change
// of the text or the filter clears the check boxes and the quick info.
func (s *clientsScreen) reload() {
	q := s.currentQuery()
	if q.Text != s.query.Text || q.Filter != s.query.Filter {
		s.clearChecks()
		s.quick.close()
	}
	s.load(q, true)
}

// refresh reads the current query again, keeping the scroll position and
// the check boxes: after a change to clients.
func (s *clientsScreen) refresh() { s.load(s.currentQuery(), false) }

func (s *clientsScreen) load(q app.ClientQuery, top bool) {
	if s.timer != nil {
		s.timer.Stop()
	}
	s.gen++
	gen, extras := s.gen, s.needsExtras()
	// Counting the whole base takes a while at a million clients: a search
	// reuses the last count unless clients may have changed since.
	countAll := !top || s.all == 0 || s.allStale
	s.allStale = false
	s.loaded = false
	s.loading.Show()
	s.loading.Start()
	s.u.async(func() {
		ctx := s.u.ctx()
		start := time.Now()
		n, err := s.u.deps.Clients.Count(ctx, q)
		all := n
		if filtered := q.Text != "" || !q.Filter.IsEmpty(); err == nil && filtered && countAll {
			all, err = s.u.deps.Clients.Count(ctx, app.ClientQuery{})
		} else if filtered {
			all = -1 // as counted before
		}
		var first []listRow
		if err == nil {
			first, err = s.fetch(q, 0, extras)
		}
		slog.Debug("client list query", "query", q.Text, "filter", q.Filter.Conditions(), "total", n, "took", time.Since(start))
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
			s.query = q
			s.pages, s.pending, s.wanted, s.order = map[int][]listRow{}, map[int]bool{}, map[int]bool{}, nil
			s.focusLater = -1
			s.storePage(0, first)
			s.total, s.loaded = n, true
			if all >= 0 {
				s.all = all
			}
			s.today = s.u.deps.Clients.Today()
			s.showCount()
			s.table.Refresh()
			if top {
				s.table.ScrollToTop()
				s.kbRow = 0
			}
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
	q := s.query
	data := map[string]any{"Count": groupDigits(s.total), "Total": groupDigits(s.all), "Query": q.Text}
	filtered := q.Text != "" || !q.Filter.IsEmpty()
	if !filtered {
		s.count.SetText(lang.XN("clients.count", "{{.Count}} clients", s.total, data))
	} else {
		s.count.SetText(lang.XN("clients.found", "Found: {{.Count}} of {{.Total}}", s.total, data))
	}
	switch {
	case s.total > 0:
		s.emptyBox.Hide()
	case !filtered:
		s.empty.SetText(tr("clients.empty", "No clients yet. Press «New client» (Ctrl+N) to add the first one."))
		s.emptyBox.Show()
	case q.Filter.IsEmpty():
		s.empty.SetText(tr("clients.nothing_found", "Nobody matches «{{.Query}}».", data))
		s.emptyBox.Show()
	default:
		s.empty.SetText(tr("clients.nothing_filtered", "Nobody matches the filter. Change or reset its conditions."))
		s.emptyBox.Show()
	}
	s.filters.showActive()
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

// sortBy orders the list by a column: a second click reverses the order.
// Totals and dates start from the largest, names from A.
func (s *clientsScreen) sortBy(c app.Column) {
	if !c.Sortable {
		return
	}
	if s.sort == c.Sort {
		s.desc = !s.desc
	} else {
		s.sort, s.desc = c.Sort, c.Sort != app.SortName
	}
	s.filters.showSort()
	s.side.unselect()
	s.reload()
}

// setSort orders the list by key.
func (s *clientsScreen) setSort(key app.SortKey, desc bool) {
	if s.sort == key && s.desc == desc {
		return
	}
	s.sort, s.desc = key, desc
	s.filters.showSort()
	s.reload()
}

// apply shows what a segment or sidebar entry asks for.
func (s *clientsScreen) apply(q app.SegmentQuery) {
	s.filling = true
	s.search.SetText(q.Text)
	s.filling = false
	s.filter, s.sort, s.desc = q.Filter, q.Sort, q.Desc
	s.filters.fill(q.Filter)
	s.filters.showSort()
	s.reload()
}

// segmentQuery is what a segment saved now would remember.
func (s *clientsScreen) segmentQuery() app.SegmentQuery {
	return app.SegmentQuery{Text: strings.TrimSpace(s.search.Text), Filter: s.filter, Sort: s.sort, Desc: s.desc}
}

// toggleCheck checks or unchecks the client at a row and shows it in the
// quick-info panel.
func (s *clientsScreen) toggleCheck(row int) {
	r, ok := s.row(row)
	if !ok {
		return
	}
	if s.checked[r.c.ID] {
		delete(s.checked, r.c.ID)
		if s.focusID == r.c.ID && len(s.checked) > 0 {
			for id := range s.checked {
				s.focusID = id
				break
			}
		}
	} else {
		s.checked[r.c.ID] = true
		s.focusID = r.c.ID
	}
	s.kbRow = row
	s.checksChanged()
}

// checkRows checks (or unchecks) the clients at rows.
func (s *clientsScreen) checkRows(rows []int, on bool) {
	for _, i := range rows {
		r, ok := s.row(i)
		if !ok {
			continue
		}
		if on {
			s.checked[r.c.ID] = true
		} else {
			delete(s.checked, r.c.ID)
		}
	}
	s.checksChanged()
}

// visibleRows returns the loaded rows the table shows now: a full refresh
// draws exactly the visible cells, so it notes the rows it draws.
func (s *clientsScreen) visibleRows() []int {
	s.onScreen = map[int]bool{}
	s.table.Refresh()
	seen := s.onScreen
	s.onScreen = nil
	rows := make([]int, 0, len(seen))
	for r := range seen {
		if _, ok := s.row(r); ok {
			rows = append(rows, r)
		}
	}
	slices.Sort(rows)
	return rows
}

// checkAllOnScreen checks every row on screen, or unchecks them when all
// are checked already (the header's check box, Ctrl+A).
func (s *clientsScreen) checkAllOnScreen() {
	rows := s.visibleRows()
	all := len(rows) > 0
	for _, i := range rows {
		if r, _ := s.row(i); !s.checked[r.c.ID] {
			all = false
		}
	}
	if !all && len(rows) > 0 && s.focusID == "" {
		r, _ := s.row(rows[0])
		s.focusID = r.c.ID
	}
	s.checkRows(rows, !all)
}

func (s *clientsScreen) clearChecks() {
	if len(s.checked) == 0 {
		return
	}
	s.checked = map[string]bool{}
	s.checksChanged()
}

// checkedIDs returns the checked clients' ids, sorted.
func (s *clientsScreen) checkedIDs() []string {
	ids := make([]string, 0, len(s.checked))
	for id := range s.checked {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

func (s *clientsScreen) checksChanged() {
	n := len(s.checked)
	if n == 0 {
		s.checkedLbl.Hide()
	} else {
		s.checkedLbl.SetText(lang.XN("clients.checked", "· checked: {{.Count}}", n, map[string]any{"Count": groupDigits(n)}))
		s.checkedLbl.Show()
	}
	s.table.Refresh()
	s.quick.show(s.focusID)
}

// focus shows the client at a row in the quick-info panel.
func (s *clientsScreen) focus(row int) {
	r, ok := s.row(row)
	if !ok {
		s.focusLater = row // once its page is in
		return
	}
	s.focusLater = -1
	s.kbRow = row
	s.focusID = r.c.ID
	s.table.Refresh()
	s.quick.show(r.c.ID)
}

// openRow opens the page of the client at a row.
func (s *clientsScreen) openRow(row int) {
	if r, ok := s.row(row); ok {
		s.u.openClient(r.c.ID)
	}
}

// clientChanged reads the rows again after the client page changed a client.
func (s *clientsScreen) clientChanged(id string) {
	if id == s.focusID {
		s.quick.show(id)
	}
	s.refresh()
}

// toggleFilters shows or hides the filter panel.
func (s *clientsScreen) toggleFilters() {
	if s.filters.content.Visible() {
		s.filters.content.Hide()
		s.u.win.Canvas().Focus(s.table)
	} else {
		s.filters.content.Show()
		s.u.win.Canvas().Focus(s.filters.gender)
	}
	s.filters.showActive()
}

// showMoreMenu lists the rarer tools of the list.
func (s *clientsScreen) showMoreMenu(anchor fyne.CanvasObject) {
	menu := fyne.NewMenu("",
		fyne.NewMenuItem(tr("column.choose", "Columns…"), func() { s.showColumnChooser() }),
		fyne.NewMenuItem(tr("clients.import", "Import clients…"), func() {
			s.u.showImport(func() { s.allStale = true; s.loadDirectory(); s.reload() })
		}),
		fyne.NewMenuItem(tr("unsubscribe.menu", "Mass unsubscribe…"), func() { s.showUnsubscribe() }),
	)
	showMenuBelow(menu, anchor, s.u.win)
}

// export hands the list, or the checked clients, to the export dialog with
// the shown columns.
func (s *clientsScreen) export(anchor fyne.CanvasObject) {
	q := s.query
	q.Offset, q.Limit = 0, 0
	if len(s.checked) == 0 {
		s.u.showExport(q, slices.Clone(s.colKeys))
		return
	}
	checked := app.ClientQuery{IDs: s.checkedIDs(), Sort: q.Sort, Desc: q.Desc}
	n, m := len(s.checked), s.total
	menu := fyne.NewMenu("",
		fyne.NewMenuItem(scopeChecked(n), func() { s.u.showExport(checked, slices.Clone(s.colKeys)) }),
		fyne.NewMenuItem(scopeAll(m), func() { s.u.showExport(q, slices.Clone(s.colKeys)) }),
	)
	showMenuBelow(menu, anchor, s.u.win)
}

func showMenuBelow(menu *fyne.Menu, anchor fyne.CanvasObject, win fyne.Window) {
	c := win.Canvas()
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(anchor)
	widget.ShowPopUpMenuAtPosition(menu, c, pos.Add(fyne.NewPos(0, anchor.Size().Height)))
}

func (s *clientsScreen) newClient() *clientDialog {
	d := newClientDialog(s, nil)
	d.show()
	s.lastDialog = d
	return d
}

// editRow opens the edit dialog of the client at a row of the list.
func (s *clientsScreen) editRow(row int) {
	r, ok := s.row(row)
	if !ok {
		return
	}
	s.u.async(func() {
		full, err := s.u.deps.Clients.Get(s.u.ctx(), r.c.ID)
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
	if c.ID == s.focusID {
		s.quick.show(c.ID)
	}
	s.allStale = created
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

// clientTable is the list's table with the keys of a list: Space checks the
// row the keyboard is on, Enter or a double click opens it, Page Up / Down,
// Home and End jump.
type clientTable struct {
	widget.Table
	s *clientsScreen
}

func newClientTable(s *clientsScreen) *clientTable {
	t := &clientTable{s: s}
	t.Length = s.size
	t.CreateCell = t.createCell
	t.UpdateCell = t.updateCell
	t.ShowHeaderRow = true
	// No sticky check column: at a million rows the offsets pass float32's
	// precision and a sticky column drifts off its rows near the end.
	t.CreateHeader = func() fyne.CanvasObject { return newHeaderCell() }
	t.UpdateHeader = t.updateHeader
	t.OnSelected = func(id widget.TableCellID) {
		t.UnselectAll()
		t.s.kbRow, t.s.tapped = id.Row, id.Row
		if id.Col == 0 {
			t.s.toggleCheck(id.Row)
			return
		}
		t.s.focus(id.Row)
	}
	t.ExtendBaseWidget(t)
	t.setColumns()
	return t
}

// setColumns sizes the table's columns after a change of the shown columns.
func (t *clientTable) setColumns() {
	t.SetColumnWidth(0, checkColWidth)
	for i, c := range t.s.cols {
		t.SetColumnWidth(i+1, columnWidth(c))
	}
	t.Refresh()
}

// TypedKey adds the list's keys to the table's arrows.
func (t *clientTable) TypedKey(e *fyne.KeyEvent) {
	s := t.s
	switch e.Name {
	case fyne.KeySpace:
		s.toggleCheck(s.kbRow)
		return
	case fyne.KeyReturn, fyne.KeyEnter:
		s.openRow(s.kbRow)
		return
	case fyne.KeyPageDown, fyne.KeyPageUp, fyne.KeyHome, fyne.KeyEnd:
		row := s.kbRow
		switch e.Name {
		case fyne.KeyPageDown:
			row += 10
		case fyne.KeyPageUp:
			row -= 10
		case fyne.KeyHome:
			row = 0
		case fyne.KeyEnd:
			row = s.total - 1
		}
		row = max(0, min(row, s.total-1))
		t.Select(widget.TableCellID{Row: row, Col: 1})
		return
	case fyne.KeyDown:
		if s.kbRow < s.total-1 {
			s.kbRow++
		}
	case fyne.KeyUp:
		if s.kbRow > 0 {
			s.kbRow--
		}
	}
	t.Table.TypedKey(e)
}

// DoubleTapped opens the client under the pointer. A double click reaches
// the table without its single taps, so it first selects the row there; on
// a line between rows it does nothing.
func (t *clientTable) DoubleTapped(e *fyne.PointEvent) {
	s := t.s
	s.tapped = -1
	t.Table.Tapped(e)
	if s.tapped >= 0 {
		s.openRow(s.tapped)
	}
}

// A cell is a stack of a background (the focused row), a label and a check
// box; column 0 shows the check box, the others the label.
func (t *clientTable) createCell() fyne.CanvasObject {
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameSelection))
	bg.Hide()
	l := widget.NewLabel("")
	l.Truncation = fyne.TextTruncateEllipsis
	return container.NewStack(bg, l, newCheckCell())
}

func (t *clientTable) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	s := t.s
	cell := o.(*fyne.Container)
	bg, l, check := cell.Objects[0].(*canvas.Rectangle), cell.Objects[1].(*widget.Label), cell.Objects[2].(*checkCell)
	r, ok := s.row(id.Row)
	if s.onScreen != nil {
		s.onScreen[id.Row] = true
	}
	if ok && r.c.ID == s.focusID {
		bg.FillColor = theme.Color(theme.ColorNameSelection)
		bg.Show()
		bg.Refresh()
	} else {
		bg.Hide()
	}
	// The stack skips hidden objects when it lays out, so what is shown again
	// takes the cell's size here.
	if id.Col == 0 {
		l.Hide()
		check.Move(fyne.Position{})
		check.Resize(cell.Size())
		check.Show()
		row := id.Row
		check.onTap = func() { s.kbRow = row; s.toggleCheck(row) }
		check.set(ok && s.checked[r.c.ID], false)
		return
	}
	check.Hide()
	l.Move(fyne.Position{})
	l.Resize(cell.Size())
	l.Show()
	if id.Col-1 >= len(s.cols) {
		l.SetText("")
		return
	}
	c := s.cols[id.Col-1]
	l.Alignment = columnAlign(c)
	if !ok {
		l.SetText("…")
		return
	}
	l.SetText(cellText(c, r, s.rowData()))
}

func (t *clientTable) updateHeader(id widget.TableCellID, o fyne.CanvasObject) {
	s := t.s
	h := o.(*headerCell)
	if id.Col == 0 {
		h.showCheck(len(s.checked) > 0, len(s.checked) > 0 && len(s.checked) < s.total)
		h.onTap = s.checkAllOnScreen
		return
	}
	if id.Col < 0 || id.Col-1 >= len(s.cols) {
		h.showTitle("", nil)
		h.onTap = nil
		return
	}
	c := s.cols[id.Col-1]
	var icon fyne.Resource
	if c.Sortable && c.Sort == s.sort {
		icon = theme.MoveUpIcon()
		if s.desc {
			icon = theme.MoveDownIcon()
		}
	}
	h.showTitle(columnTitle(c.Key), icon)
	h.label.Alignment = columnAlign(c)
	h.onTap = nil
	if c.Sortable {
		h.onTap = func() { s.sortBy(c) }
	}
}

// checkCell is a check box that does not take the keyboard focus, so Tab
// does not stop on every row; Space checks the row the table is on.
type checkCell struct {
	widget.BaseWidget
	icon  *widget.Icon
	onTap func()
}

func newCheckCell() *checkCell {
	c := &checkCell{icon: widget.NewIcon(theme.CheckButtonIcon())}
	c.ExtendBaseWidget(c)
	return c
}

func (c *checkCell) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewCenter(c.icon))
}

// set shows the box checked, partly checked or empty.
func (c *checkCell) set(on, partial bool) {
	switch {
	case partial:
		c.icon.SetResource(theme.NewPrimaryThemedResource(theme.Icon(theme.IconNameCheckButtonPartial)))
	case on:
		c.icon.SetResource(theme.NewPrimaryThemedResource(theme.CheckButtonCheckedIcon()))
	default:
		c.icon.SetResource(theme.CheckButtonIcon())
	}
}

// Tapped toggles the box.
func (c *checkCell) Tapped(*fyne.PointEvent) {
	if c.onTap != nil {
		c.onTap()
	}
}

// headerCell is a column header: a title with the sort arrow, or the
// check-all box over the check column. A tap sorts or checks.
type headerCell struct {
	widget.BaseWidget
	label *widget.Label
	icon  *widget.Icon
	check *checkCell
	onTap func()
}

func newHeaderCell() *headerCell {
	h := &headerCell{label: widget.NewLabel(""), icon: widget.NewIcon(nil), check: newCheckCell()}
	h.label.TextStyle.Bold = true
	h.label.Truncation = fyne.TextTruncateEllipsis
	h.check.Hide()
	h.ExtendBaseWidget(h)
	return h
}

func (h *headerCell) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(
		container.NewBorder(nil, nil, nil, h.icon, h.label), h.check))
}

func (h *headerCell) showTitle(title string, icon fyne.Resource) {
	h.check.Hide()
	h.label.Show()
	h.label.SetText(title)
	h.icon.SetResource(icon)
	if icon == nil {
		h.icon.Hide()
	} else {
		h.icon.Show()
	}
}

func (h *headerCell) showCheck(on, partial bool) {
	h.label.Hide()
	h.icon.Hide()
	h.check.set(on, partial)
	h.check.onTap = func() { h.Tapped(nil) }
	h.check.Show()
}

// Tapped sorts by the column or checks the rows on screen.
func (h *headerCell) Tapped(*fyne.PointEvent) {
	if h.onTap != nil {
		h.onTap()
	}
}

// showFilteredExample sets a few conditions and checks the first row, for
// the clients-filtered screen of the screenshots.
func (s *clientsScreen) showFilteredExample() {
	f := s.filters
	f.content.Show()
	f.gender.SetSelectedIndex(1)
	f.ageFrom.SetText("25")
	f.ageTo.SetText("45")
	f.visitsFrom.SetText("3")
	f.sms.SetSelectedIndex(1)
	f.apply()
	s.afterLoad(func() {
		if s.total > 0 {
			s.toggleCheck(0)
		}
	})
}
