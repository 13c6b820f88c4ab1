package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"loyaltydesk/app"
	"loyaltydesk/app/transfer"
)

// TransferService is what the import and export dialogs need (CL-17, CL-18):
// transfer.Service.
type TransferService interface {
	Export(ctx context.Context, q app.ClientQuery, columns []string, path string, opt transfer.ExportOptions) (int, error)
	Read(ctx context.Context, path string, opt transfer.ReadOptions) (app.ImportTable, error)
	AutoMap(ctx context.Context, t app.ImportTable) ([]string, error)
	Import(ctx context.Context, t app.ImportTable, opt app.ImportOptions) (app.ImportReport, error)
}

// progressEvery is how often a running import or export shows its progress.
const progressEvery = 100 * time.Millisecond

// throttle lets through one progress update per progressEvery, and the last.
type throttle struct{ last time.Time }

func (t *throttle) ok(final bool) bool {
	now := time.Now()
	if final || now.Sub(t.last) >= progressEvery {
		t.last = now
		return true
	}
	return false
}

// dialogKeys makes Esc run esc and Enter run enter (if set) while the dialog
// is open and no widget has taken the key; the window's own handler comes
// back when the dialog closes.
func (u *UI) dialogKeys(dlg dialog.Dialog, esc, enter func()) {
	c := u.win.Canvas()
	prev := c.OnTypedKey()
	c.SetOnTypedKey(func(k *fyne.KeyEvent) {
		switch {
		case k.Name == fyne.KeyEscape:
			esc()
			return
		case (k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter) && enter != nil:
			enter()
			return
		}
		if prev != nil {
			prev(k)
		}
	})
	dlg.SetOnClosed(func() { c.SetOnTypedKey(prev) })
}

// ExportTexts fills an export's headers, yes / no and genders in the UI's
// language (the CLI uses it too).
func ExportTexts(opt transfer.ExportOptions) transfer.ExportOptions {
	opt.Title = columnTitle
	opt.Yes = tr("transfer.yes", "yes")
	opt.No = tr("transfer.no", "no")
	opt.Gender = genderLabel
	opt.Sheet = tr("transfer.sheet", "Clients")
	return opt
}

// exportDialog is the export of a list or a checked set (CL-17): format,
// separator, a file to save to, then a progress bar that can be cancelled.
type exportDialog struct {
	u       *UI
	q       app.ClientQuery
	columns []string

	format  *widget.RadioGroup
	sep     *widget.Select
	info    *widget.Label
	bar     *widget.ProgressBar
	status  *widget.Label
	saveBtn *widget.Button
	stopBtn *widget.Button // Cancel while running, Close otherwise
	body    *fyne.Container
	dlg     *dialog.CustomDialog

	cancel  context.CancelFunc
	running bool
	// Written and path are the last export's rows and file.
	written int
	path    string
}

var separators = []rune{';', ',', '\t'}

// showExport opens the export dialog for the clients q selects (the current
// text, filter and sort, or the checked IDs), writing the given column keys in
// order; nil columns means the list's saved columns (CL-17).
func (u *UI) showExport(q app.ClientQuery, columns []string) *exportDialog {
	q.Offset, q.Limit = 0, 0
	d := &exportDialog{u: u, q: q, columns: columns}
	d.format = widget.NewRadioGroup([]string{"Excel (XLSX)", "CSV"}, func(s string) {
		if d.csv() {
			d.sep.Enable()
		} else {
			d.sep.Disable()
		}
	})
	d.format.Horizontal = true
	d.format.Required = true
	d.sep = widget.NewSelect([]string{
		tr("export.sep_semicolon", "; semicolon (Russian Excel)"),
		tr("export.sep_comma", ", comma"),
		tr("export.sep_tab", "Tab"),
	}, nil)
	d.sep.SetSelectedIndex(0)
	d.format.SetSelected("Excel (XLSX)")
	d.info = widget.NewLabel(tr("export.counting", "Counting clients…"))
	d.info.Wrapping = fyne.TextWrapWord
	d.bar = widget.NewProgressBar()
	d.bar.Hide()
	d.status = widget.NewLabel("")
	d.status.Wrapping = fyne.TextWrapWord
	d.status.Hide()
	d.saveBtn = widget.NewButton(tr("export.save", "Save as…"), d.chooseFile)
	d.saveBtn.Importance = widget.HighImportance
	d.saveBtn.Disable() // until the columns are known
	d.stopBtn = widget.NewButton(tr("dialog.cancel", "Cancel"), d.stop)
	form := widget.NewForm(
		widget.NewFormItem(tr("export.format", "Format"), d.format),
		widget.NewFormItem(tr("export.separator", "CSV separator"), d.sep),
	)
	d.body = container.NewVBox(d.info, form, d.bar, d.status)
	d.dlg = dialog.NewCustomWithoutButtons(tr("export.title", "Export clients"), d.body, u.win)
	d.dlg.SetButtons([]fyne.CanvasObject{d.stopBtn, d.saveBtn})
	u.dialogKeys(d.dlg, d.stop, func() {
		if !d.running && !d.saveBtn.Disabled() {
			d.chooseFile()
		}
	})
	d.dlg.Resize(fyne.NewSize(520, 300))
	d.dlg.Show()
	u.async(d.load)
	return d
}

func (d *exportDialog) csv() bool { return d.format.Selected == "CSV" }

// load counts the clients and, without given columns, reads the list's.
func (d *exportDialog) load() {
	ctx := d.u.ctx()
	n, err := d.u.deps.Clients.Count(ctx, d.q)
	cols := d.columns
	if err == nil && cols == nil {
		cols, err = d.u.deps.Settings.ListColumns(ctx)
	}
	fyne.Do(func() {
		if err != nil {
			d.info.SetText(errorMessage(err))
			d.info.Importance = widget.DangerImportance
			d.info.Refresh()
			d.saveBtn.Disable()
			return
		}
		d.columns = cols
		d.saveBtn.Enable()
		d.info.SetText(tr("export.info", "{{.Clients}}, columns: {{.Columns}}", map[string]any{
			"Clients": clientCount(n), "Columns": len(cols),
		}))
	})
}

func clientCount(n int) string {
	return lang.XN("export.clients", "{{.Count}} clients", n, map[string]any{"Count": groupDigits(n)})
}

// options are the export's settings as chosen.
func (d *exportDialog) options() transfer.ExportOptions {
	opt := transfer.ExportOptions{Format: transfer.XLSX}
	if d.csv() {
		opt.Format = transfer.CSV
		opt.Separator = separators[max(d.sep.SelectedIndex(), 0)]
	}
	return ExportTexts(opt)
}

// chooseFile asks where to save, then exports there.
func (d *exportDialog) chooseFile() {
	ext := "." + string(d.options().Format)
	fd := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		path := w.URI().Path()
		w.Close()
		if filepath.Ext(path) == "" {
			os.Remove(path)
			path += ext
		}
		d.start(path)
	}, d.u.win)
	fd.SetFileName(tr("export.file_name", "clients") + "-" + time.Now().Format("2006-01-02") + ext)
	fd.SetFilter(storage.NewExtensionFileFilter([]string{ext}))
	fd.Resize(fyne.NewSize(800, 560))
	fd.Show()
}

// start exports to path off the UI goroutine, showing progress.
func (d *exportDialog) start(path string) {
	if d.running || d.columns == nil {
		return
	}
	ctx, cancel := context.WithCancel(d.u.ctx())
	d.cancel, d.running = cancel, true
	d.format.Disable()
	d.sep.Disable()
	d.saveBtn.Disable()
	d.bar.SetValue(0)
	d.bar.Show()
	d.status.Importance = widget.MediumImportance
	d.status.SetText(tr("export.writing", "Writing {{.File}}…", map[string]any{"File": filepath.Base(path)}))
	d.status.Show()
	d.body.Refresh() // lay out what was hidden
	opt := d.options()
	var th throttle
	opt.Progress = func(done, total int) {
		if !th.ok(done == total) {
			return
		}
		fyne.Do(func() {
			if total > 0 {
				d.bar.SetValue(float64(done) / float64(total))
			}
		})
	}
	q, cols := d.q, slices.Clone(d.columns)
	d.u.async(func() {
		n, err := d.u.deps.Transfer.Export(ctx, q, cols, path, opt)
		cancel()
		if err != nil {
			removeIfEmpty(path) // the save dialog made it
		}
		fyne.Do(func() { d.finish(path, n, err) })
	})
}

// removeIfEmpty removes the empty file the save dialog created for an export
// that did not happen.
func removeIfEmpty(path string) {
	if fi, err := os.Stat(path); err == nil && fi.Size() == 0 {
		os.Remove(path)
	}
}

func (d *exportDialog) finish(path string, n int, err error) {
	d.running, d.cancel = false, nil
	d.format.Enable()
	if d.csv() {
		d.sep.Enable()
	}
	d.saveBtn.Enable()
	d.stopBtn.SetText(tr("transfer.close", "Close"))
	switch {
	case errors.Is(err, context.Canceled):
		d.bar.Hide()
		d.status.Importance = widget.WarningImportance
		d.status.SetText(tr("export.cancelled", "Export cancelled; no file was written."))
	case err != nil:
		d.bar.Hide()
		d.status.Importance = widget.DangerImportance
		d.status.SetText(TransferErrorText(err))
	default:
		d.written, d.path = n, path
		d.bar.SetValue(1)
		d.status.Importance = widget.SuccessImportance
		d.status.SetText(ExportDoneText(n, path))
	}
	d.body.Refresh()
}

// stop cancels a running export, or closes the dialog.
func (d *exportDialog) stop() {
	if d.running {
		d.cancel()
		return
	}
	d.dlg.Hide()
}

// importDialog is the import of clients from a file (CL-18): the file, the
// mapping of its columns with a preview, what to do with duplicates, a dry
// run or the import, with progress, and the report of rejected rows.
type importDialog struct {
	u    *UI
	done func()

	table   app.ImportTable
	mapping []string
	// options and fields of each column's Select, label for label
	options [][]string
	fields  [][]string
	setting bool // a Select is being set by code

	fileLbl   *widget.Label
	pickBtn   *widget.Button
	mapBox    *fyne.Container
	preview   *widget.Table
	dupMode   *widget.RadioGroup
	bar       *widget.ProgressBar
	status    *widget.Label
	summary   *widget.Label
	problems  []string
	report    *widget.List
	copyBtn   *widget.Button
	checkBtn  *widget.Button
	importBtn *widget.Button
	stopBtn   *widget.Button
	selects   []*widget.Select
	foot      *fyne.Container
	dlg       *dialog.CustomDialog

	cancel   context.CancelFunc
	running  bool
	imported bool
	last     app.ImportReport
}

// previewRows is how many rows of the file the preview shows.
const previewRows = 10

// showImport opens the import dialog; done is called after a successful import
// so the list can reload (CL-18).
func (u *UI) showImport(done func()) *importDialog {
	d := &importDialog{u: u, done: done}
	d.fileLbl = widget.NewLabel(tr("import.no_file", "Choose a CSV or Excel (XLSX) file with a header row."))
	d.fileLbl.Wrapping = fyne.TextWrapWord
	d.pickBtn = widget.NewButton(tr("import.choose", "Choose file…"), d.chooseFile)
	d.mapBox = container.NewGridWithColumns(3)
	d.preview = widget.NewTable(d.previewSize, func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}, d.previewCell)
	d.dupMode = widget.NewRadioGroup([]string{
		tr("import.dup_skip", "Skip them"), tr("import.dup_merge", "Merge into the client"),
	}, nil)
	d.dupMode.Horizontal = true
	d.dupMode.Required = true
	d.dupMode.SetSelected(d.dupMode.Options[0])
	d.bar = widget.NewProgressBar()
	d.bar.Hide()
	d.status = widget.NewLabel("")
	d.status.Wrapping = fyne.TextWrapWord
	d.summary = widget.NewLabel("")
	d.summary.Wrapping = fyne.TextWrapWord
	d.report = problemList(&d.problems)
	d.copyBtn = widget.NewButton(tr("import.copy", "Copy the report"), d.copyReport)
	d.copyBtn.Disable()
	d.checkBtn = widget.NewButton(tr("import.check", "Check (dry run)"), func() { d.run(true) })
	d.importBtn = widget.NewButton(tr("import.run", "Import"), func() { d.run(false) })
	d.importBtn.Importance = widget.HighImportance
	d.stopBtn = widget.NewButton(tr("dialog.cancel", "Cancel"), d.stop)
	d.checkBtn.Disable()
	d.importBtn.Disable()

	mapping := container.NewBorder(widget.NewLabelWithStyle(tr("import.mapping", "File columns and the client fields they fill"),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil, container.NewVScroll(d.mapBox))
	preview := container.NewBorder(widget.NewLabelWithStyle(tr("import.preview", "First rows of the file"),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil, d.preview)
	top := container.NewHSplit(mapping, preview)
	top.Offset = 0.45
	results := container.NewBorder(container.NewBorder(nil, nil, nil, d.copyBtn, d.summary), nil, nil, nil, d.report)
	center := container.NewVSplit(top, results)
	center.Offset = 0.7
	head := container.NewBorder(nil, nil, d.pickBtn, nil, d.fileLbl)
	d.foot = container.NewVBox(
		container.NewHBox(widget.NewLabel(tr("import.duplicates", "Clients already in the base (same phone, e-mail, external ID or card):")), d.dupMode),
		d.bar, d.status,
	)
	body := container.NewBorder(head, d.foot, nil, nil, center)
	d.dlg = dialog.NewCustomWithoutButtons(tr("import.title", "Import clients"), body, u.win)
	d.dlg.SetButtons([]fyne.CanvasObject{d.stopBtn, d.checkBtn, d.importBtn})
	u.dialogKeys(d.dlg, d.stop, func() {
		if !d.importBtn.Disabled() {
			d.run(false)
		}
	})
	d.dlg.Resize(fyne.NewSize(960, 680))
	d.dlg.Show()
	return d
}

// chooseFile asks for the file to import.
func (d *importDialog) chooseFile() {
	fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		d.load(path)
	}, d.u.win)
	fd.SetFilter(storage.NewExtensionFileFilter([]string{".csv", ".txt", ".tsv", ".xlsx"}))
	fd.Resize(fyne.NewSize(800, 560))
	fd.Show()
}

// load reads the file off the UI goroutine and maps its columns.
func (d *importDialog) load(path string) {
	if d.running {
		return
	}
	ctx, cancel := context.WithCancel(d.u.ctx())
	d.begin(cancel)
	d.status.SetText(tr("import.reading", "Reading {{.File}}…", map[string]any{"File": filepath.Base(path)}))
	var th throttle
	opt := transfer.ReadOptions{Progress: func(p app.ImportProgress) {
		if th.ok(false) {
			fyne.Do(func() { d.showProgress(p) })
		}
	}}
	d.u.async(func() {
		t, err := d.u.deps.Transfer.Read(ctx, path, opt)
		var mapping []string
		if err == nil {
			mapping, err = d.u.deps.Transfer.AutoMap(ctx, t)
		}
		cancel()
		fyne.Do(func() {
			d.end()
			if err != nil {
				d.fail(err)
				return
			}
			d.setTable(path, t, mapping)
		})
	})
}

// setTable shows a file that was read: its mapping and preview.
func (d *importDialog) setTable(path string, t app.ImportTable, mapping []string) {
	d.table, d.mapping, d.imported = t, mapping, false
	d.fileLbl.SetText(ImportFileText(t))
	d.options, d.fields = make([][]string, len(t.Header)), make([][]string, len(t.Header))
	d.selects = make([]*widget.Select, len(t.Header))
	d.mapBox.RemoveAll()
	for i, h := range t.Header {
		d.options[i], d.fields[i] = mappingChoices(h, mapping[i])
		sel := widget.NewSelect(d.options[i], nil)
		i := i
		sel.OnChanged = func(string) { d.mapped(i) }
		d.selects[i] = sel
		sample := ""
		if len(t.Rows) > 0 && i < len(t.Rows[0].Cells) {
			sample = t.Rows[0].Cells[i]
		}
		name := widget.NewLabel(headerName(t.Header, i))
		name.Truncation = fyne.TextTruncateEllipsis
		ex := widget.NewLabel(sample)
		ex.Truncation = fyne.TextTruncateEllipsis
		ex.Importance = widget.LowImportance
		d.mapBox.Add(name)
		d.mapBox.Add(sel)
		d.mapBox.Add(ex)
	}
	d.setSelects()
	d.mapBox.Refresh()
	for c := range t.Header {
		d.preview.SetColumnWidth(c, 150)
	}
	d.preview.Refresh()
	d.clearReport()
	d.status.Importance = widget.MediumImportance
	d.status.SetText(tr("import.ready", "Check the mapping, then run a check or import."))
	d.status.Refresh()
	d.checkBtn.Enable()
	d.importBtn.Enable()
}

// headerName is a column's header, or "Column N" when it has none.
func headerName(header []string, i int) string {
	if i < len(header) && strings.TrimSpace(header[i]) != "" {
		return header[i]
	}
	return tr("import.column_n", "Column {{.N}}", map[string]any{"N": i + 1})
}

// mappingChoices are the labels and fields a column can be mapped to: skip,
// the client fields, and a variable named after the column.
func mappingChoices(header, current string) (labels, fields []string) {
	fields = append([]string{app.ImportSkip}, app.ImportFields...)
	if h := strings.Join(strings.Fields(header), " "); h != "" && app.IsImportField(app.VariablePrefix+h) {
		fields = append(fields, app.VariablePrefix+h)
	}
	if strings.HasPrefix(current, app.VariablePrefix) && !slices.Contains(fields, current) {
		fields = append(fields, current)
	}
	labels = make([]string, len(fields))
	for i, f := range fields {
		labels[i] = ImportFieldName(f)
	}
	return labels, fields
}

// ImportFieldName is how the mapping names a field.
func ImportFieldName(f string) string {
	if name, ok := strings.CutPrefix(f, app.VariablePrefix); ok {
		return tr("import.field_variable", "Variable «{{.Name}}»", map[string]any{"Name": name})
	}
	switch f {
	case app.ImportSkip:
		return tr("import.field_skip", "— do not import —")
	case app.ImportCard:
		return tr("import.field_card", "Card number")
	}
	return columnTitle(f)
}

// setSelects shows the mapping in the Selects.
func (d *importDialog) setSelects() {
	d.setting = true
	defer func() { d.setting = false }()
	for i, sel := range d.selects {
		j := slices.Index(d.fields[i], d.mapping[i])
		if j < 0 {
			j = 0
		}
		sel.SetSelectedIndex(j)
	}
}

// mapped takes column i's new field; a field taken from another column
// leaves that column skipped.
func (d *importDialog) mapped(i int) {
	if d.setting {
		return
	}
	j := d.selects[i].SelectedIndex()
	if j < 0 {
		return
	}
	f := d.fields[i][j]
	for k := range d.mapping {
		if k != i && f != app.ImportSkip && d.mapping[k] == f {
			d.mapping[k] = app.ImportSkip
		}
	}
	d.mapping[i] = f
	d.setSelects()
	d.clearReport()
}

func (d *importDialog) previewSize() (int, int) {
	return min(len(d.table.Rows), previewRows) + 1, len(d.table.Header)
}

func (d *importDialog) previewCell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	if id.Row == 0 {
		l.TextStyle = fyne.TextStyle{Bold: true}
		l.SetText(headerName(d.table.Header, id.Col))
		return
	}
	l.TextStyle = fyne.TextStyle{}
	text := ""
	if r := d.table.Rows[id.Row-1]; id.Col < len(r.Cells) {
		text = strings.ReplaceAll(r.Cells[id.Col], "\n", " ")
	}
	l.SetText(text)
}

// begin shows a job as running: Cancel stops it, the rest waits.
func (d *importDialog) begin(cancel context.CancelFunc) {
	d.cancel, d.running = cancel, true
	d.pickBtn.Disable()
	d.checkBtn.Disable()
	d.importBtn.Disable()
	d.dupMode.Disable()
	for _, s := range d.selects {
		s.Disable()
	}
	d.stopBtn.SetText(tr("dialog.cancel", "Cancel"))
	d.bar.SetValue(0)
	d.bar.Show()
	d.status.Importance = widget.MediumImportance
	d.foot.Refresh() // lay out what was hidden
}

// end shows the job over.
func (d *importDialog) end() {
	d.cancel, d.running = nil, false
	d.bar.Hide()
	d.foot.Refresh()
	d.pickBtn.Enable()
	d.dupMode.Enable()
	for _, s := range d.selects {
		s.Enable()
	}
	if d.table.Header != nil && !d.imported {
		d.checkBtn.Enable()
		d.importBtn.Enable()
	}
	if d.imported {
		d.stopBtn.SetText(tr("transfer.close", "Close"))
	}
}

func (d *importDialog) fail(err error) {
	d.status.Importance = widget.DangerImportance
	if errors.Is(err, context.Canceled) {
		d.status.Importance = widget.WarningImportance
		d.status.SetText(tr("import.cancelled", "Stopped; nothing was written."))
	} else {
		d.status.SetText(TransferErrorText(err))
	}
	d.status.Refresh()
}

func (d *importDialog) showProgress(p app.ImportProgress) {
	data := map[string]any{"Done": p.Done, "Total": p.Total}
	switch p.Stage {
	case app.StageRead:
		d.status.SetText(tr("import.progress_read", "Reading: {{.Done}} rows", data))
	case app.StageCheck:
		d.status.SetText(tr("import.progress_check", "Checking rows: {{.Done}} of {{.Total}}", data))
	case app.StageWrite:
		d.status.SetText(tr("import.progress_write", "Writing clients: {{.Done}} of {{.Total}}", data))
	}
	if p.Total > 0 {
		// Rows are written as soon as they are checked: one bar for both.
		d.bar.SetValue(float64(p.Done) / float64(p.Total))
	}
}

func (d *importDialog) clearReport() {
	d.problems = nil
	d.summary.SetText("")
	d.copyBtn.Disable()
	d.report.Refresh()
}

// copyReport puts the summary and every rejected row on the clipboard, to
// paste into a message or beside the file.
func (d *importDialog) copyReport() {
	text := d.summary.Text + "\n" + strings.Join(d.problems, "\n") + "\n"
	d.u.app.Clipboard().SetContent(text)
}

// duplicates is the chosen duplicate mode.
func (d *importDialog) duplicates() app.DuplicateMode {
	if d.dupMode.Selected == d.dupMode.Options[1] {
		return app.DuplicatesMerge
	}
	return app.DuplicatesSkip
}

// run checks the file (dryRun) or imports it, off the UI goroutine.
func (d *importDialog) run(dryRun bool) {
	if d.running || d.table.Header == nil || d.imported {
		return
	}
	if err := app.ValidateMapping(d.table.Header, d.mapping); err != nil {
		d.fail(err)
		return
	}
	ctx, cancel := context.WithCancel(d.u.ctx())
	d.begin(cancel)
	d.clearReport()
	var th throttle
	opt := app.ImportOptions{
		Mapping: slices.Clone(d.mapping), Duplicates: d.duplicates(), DryRun: dryRun,
		Progress: func(p app.ImportProgress) {
			if th.ok(p.Done == p.Total) {
				fyne.Do(func() { d.showProgress(p) })
			}
		},
	}
	t := d.table
	d.u.async(func() {
		rep, err := d.u.deps.Transfer.Import(ctx, t, opt)
		cancel()
		fyne.Do(func() {
			if err == nil && rep.Written {
				d.imported = true
			}
			d.end()
			if err != nil {
				d.fail(err)
				return
			}
			d.showReport(rep)
			if rep.Written && d.done != nil {
				d.done()
			}
		})
	})
}

// showReport shows what an import did or would do, and every rejected row.
func (d *importDialog) showReport(rep app.ImportReport) {
	d.last = rep
	d.problems = make([]string, len(rep.Problems))
	for i, p := range rep.Problems {
		d.problems[i] = ImportProblemText(p)
	}
	d.summary.SetText(ImportSummary(rep))
	switch {
	case rep.Rejected > 0:
		d.status.Importance = widget.DangerImportance
		d.status.SetText(tr("import.fix_rows", "Fix the rows below in the file and choose it again: nothing was written."))
	case rep.Written:
		d.status.Importance = widget.SuccessImportance
		d.status.SetText(tr("import.written", "Done."))
	default:
		d.status.Importance = widget.SuccessImportance
		d.status.SetText(tr("import.check_ok", "Every row is fine; press Import to write them."))
	}
	d.status.Refresh()
	if len(d.problems) > 0 {
		d.copyBtn.Enable()
	}
	d.report.Refresh()
}

// stop cancels a running job, or closes the dialog.
func (d *importDialog) stop() {
	if d.running {
		d.cancel()
		return
	}
	d.dlg.Hide()
}

// ImportFileText names a file read for an import and its size.
func ImportFileText(t app.ImportTable) string {
	return tr("import.file", "{{.File}}: rows {{.Rows}}, columns {{.Columns}}", map[string]any{
		"File": t.Name, "Rows": len(t.Rows), "Columns": len(t.Header),
	})
}

// ExportDoneText says how many clients an export wrote, and where.
func ExportDoneText(n int, path string) string {
	return tr("export.done", "Exported {{.Clients}} to {{.Path}}", map[string]any{"Clients": clientCount(n), "Path": path})
}

// problemList lists an import's rejected rows, one red line each, cut to the
// width (the whole text is in the copied report).
func problemList(problems *[]string) *widget.List {
	return widget.NewList(func() int { return len(*problems) }, func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		l.Importance = widget.DangerImportance
		return l
	}, func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText((*problems)[i]) })
}

// ImportSummary is one sentence of an import's counts, and what was written.
func ImportSummary(rep app.ImportReport) string {
	data := map[string]any{
		"Rows": rep.Rows, "Created": rep.Created, "Merged": rep.Merged, "Skipped": rep.Skipped, "Rejected": rep.Rejected,
	}
	var s string
	switch {
	case rep.Written:
		s = tr("import.summary_done", "Rows: {{.Rows}}. Created: {{.Created}}, merged: {{.Merged}}, duplicates skipped: {{.Skipped}}.", data)
	case rep.Rejected > 0:
		s = tr("import.summary_rejected", "Rows: {{.Rows}}. Rejected: {{.Rejected}}, so nothing was written. The other rows would create {{.Created}}, merge {{.Merged}} and skip {{.Skipped}}.", data)
	default:
		s = tr("import.summary_dry", "Rows: {{.Rows}}. Would create: {{.Created}}, merge: {{.Merged}}, skip as duplicates: {{.Skipped}}. This was a check: nothing was written.", data)
	}
	if rep.Openings > 0 && rep.Rejected == 0 {
		s += " " + tr("import.summary_openings", "Opening balances: {{.N}} (a client who already has one keeps it).", map[string]any{"N": rep.Openings})
	}
	return s
}

// ImportProblemText is a rejected row's problem as a sentence with its line
// and column.
func ImportProblemText(p app.ImportProblem) string {
	msg := transferFieldMessage(p.FieldError)
	data := map[string]any{"Line": p.Line, "Column": p.Column, "N": p.ColumnIndex, "Message": msg}
	switch {
	case p.ColumnIndex > 0 && p.Column != "":
		return tr("import.problem", "Line {{.Line}}, column «{{.Column}}»: {{.Message}}", data)
	case p.ColumnIndex > 0:
		return tr("import.problem_n", "Line {{.Line}}, column {{.N}}: {{.Message}}", data)
	}
	return tr("import.problem_row", "Line {{.Line}}: {{.Message}}", data)
}

// TransferErrorText is a short translated message for an import's or an
// export's error: the file, the mapping, the columns, or anything else.
func TransferErrorText(err error) string {
	fes := app.FieldErrors(err)
	if len(fes) == 0 {
		return errorMessage(err)
	}
	msgs := make([]string, len(fes))
	for i, fe := range fes {
		msgs[i] = transferFieldMessage(fe)
	}
	return strings.Join(msgs, "\n")
}

// transferFieldMessage translates the field errors of imports and exports;
// the client fields' own go through fieldMessage.
func transferFieldMessage(fe app.FieldError) string {
	data := map[string]any{"Field": transferFieldLabel(fe), "Value": fe.Value}
	switch {
	case fe.Field == app.FieldFile:
		switch fe.Reason {
		case app.ReasonUnsupported:
			return tr("transfer.err_unsupported", "«{{.Value}}» files cannot be imported: choose a CSV or Excel (XLSX) file", data)
		case app.ReasonEmptyFile:
			return tr("transfer.err_empty", "The file has no header row or no rows under it")
		case app.ReasonTooLong:
			return tr("transfer.err_too_big", "The file is too large (over {{.Value}})", data)
		}
		if _, err := strconv.Atoi(fe.Value); err == nil {
			return tr("transfer.err_bad_line", "The file is broken at line {{.Value}}: a quote is not closed", data)
		}
		return tr("transfer.err_bad_file", "The file cannot be read; is it really CSV or Excel (XLSX)?")
	case fe.Field == app.FieldColumn:
		switch fe.Reason {
		case app.ReasonNotFound:
			return tr("transfer.err_no_column", "The file has no column «{{.Value}}»", data)
		case app.ReasonUnknownField:
			return tr("transfer.err_unknown_field", "«{{.Value}}» is not a client field", data)
		case app.ReasonDuplicate:
			return tr("transfer.err_twice", "Two columns fill the same field (column «{{.Value}}»)", data)
		case app.ReasonRequired:
			return tr("transfer.err_no_columns", "Choose at least one column")
		}
		return tr("transfer.err_bad_map", "«{{.Value}}» is not column=field", data)
	case fe.Field == app.FieldFormat:
		return tr("transfer.err_format", "Unknown format or separator «{{.Value}}»", data)
	case fe.Field == app.FieldFullName && fe.Reason == app.ReasonRequired:
		return tr("transfer.err_no_name", "No name: a client needs a last name or a first name")
	case fe.Reason == app.ReasonUnknownGender:
		return tr("transfer.err_gender", "{{.Field}}: «{{.Value}}» is not a gender; write м or ж (male or female), or leave it empty", data)
	case fe.Reason == app.ReasonAmbiguous:
		return tr("transfer.err_ambiguous", "{{.Field}}: «{{.Value}}» belongs to several clients, so the row cannot be merged", data)
	case fe.Reason == app.ReasonDuplicate:
		return tr("transfer.err_repeated", "{{.Field}}: «{{.Value}}» is given to another client in an earlier row", data)
	case fe.Reason == app.ReasonBadValue && (fe.Field == app.FieldSMS || fe.Field == app.FieldEmailSub):
		return tr("transfer.err_yes_no", "{{.Field}}: «{{.Value}}» is neither yes nor no (да / нет, 1 / 0)", data)
	case fe.Field == app.FieldFilter && fe.Reason == app.ReasonBadValue:
		return tr("transfer.err_dup_mode", "Duplicates: «{{.Value}}» is neither skip nor merge", data)
	}
	return fieldMessageAs(fe, transferFieldLabel(fe), "")
}

// transferFieldLabel names the import's own fields; others are the client
// fields' labels.
func transferFieldLabel(fe app.FieldError) string {
	switch fe.Field {
	case app.FieldCard:
		return tr("import.field_card", "Card number")
	case app.FieldSMS:
		return columnTitle(app.ColSMS)
	case app.FieldEmailSub:
		return columnTitle(app.ColEmailSub)
	case app.FieldTag:
		return columnTitle(app.ColTags)
	case app.FieldVariable:
		return tr("import.field_variable", "Variable «{{.Name}}»", map[string]any{"Name": fe.Value})
	}
	return fieldLabel(fe.Field)
}
