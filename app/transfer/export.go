package transfer

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"loyaltydesk/app"
)

// Source is what an export reads: app.Clients.
type Source interface {
	Count(ctx context.Context, q app.ClientQuery) (int, error)
	Each(ctx context.Context, q app.ClientQuery, fn func(app.Client) error) error
	Extras(ctx context.Context, ids []string) (map[string]app.Extras, error)
	Directory(ctx context.Context) (app.Directory, error)
	Today() app.Date
}

// ExportOptions say how to write an export.
type ExportOptions struct {
	Format Format // CSV or XLSX
	// Separator of CSV cells: ';' (the default, for Russian Excel, which then
	// also gets money with a decimal comma), ',' or '\t'.
	Separator rune
	// Title returns a column's header; nil writes the column keys. A variable
	// column's default title is the variable's name.
	Title func(key string) string
	// Yes and No are how yes / no columns read ("да" / "нет" by default).
	Yes, No string
	// Gender returns how a gender reads; nil writes "м" / "ж".
	Gender func(app.Gender) string
	// Sheet names the XLSX sheet ("Clients" by default).
	Sheet string
	// Progress, if set, is told how many of the total rows are written, now
	// and then, from the exporting goroutine.
	Progress func(done, total int)
}

// extrasBatch is how many clients' tags and variables one Extras call reads.
const extrasBatch = 500

// Export writes the clients q selects (its text, filter and sort, or its
// checked IDs) to path with the columns (keys of app.ColumnByKey), in
// order, and returns how many rows it wrote (CL-17). The file appears only
// when complete: on an error or a cancelled ctx nothing is left at path.
func Export(ctx context.Context, src Source, q app.ClientQuery, columns []string, path string, opt ExportOptions) (n int, err error) {
	cols, err := exportColumns(columns)
	if err != nil {
		return 0, err
	}
	if opt.Format == "" {
		opt.Format, _ = FormatOf(path)
	}
	if opt.Separator == 0 {
		opt.Separator = ';'
	}
	if (opt.Format != CSV && opt.Format != XLSX) || !validSeparator(opt.Separator) {
		return 0, &app.ValidationError{Fields: []app.FieldError{{Field: app.FieldFormat, Reason: app.ReasonBadValue, Value: string(opt.Format)}}}
	}
	if opt.Yes == "" {
		opt.Yes, opt.No = "да", "нет"
	}
	dir, err := src.Directory(ctx)
	if err != nil {
		return 0, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.part")
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	kinds := make([]cellKind, len(cols))
	for i, c := range cols {
		kinds[i] = kindOf(c)
	}
	var w rowWriter
	if opt.Format == XLSX {
		sheet := opt.Sheet
		if sheet == "" {
			sheet = "Clients"
		}
		if w, err = newXLSXWriter(tmp, sheet, kinds); err != nil {
			return 0, err
		}
	} else {
		w = newCSVWriter(tmp, opt.Separator, kinds)
	}
	titles := make([]string, len(cols))
	for i, c := range cols {
		switch {
		case opt.Title != nil:
			titles[i] = opt.Title(c.Key)
		case c.Variable != "":
			titles[i] = c.Variable
		default:
			titles[i] = c.Key
		}
	}
	if err := w.header(titles); err != nil {
		return 0, err
	}
	e := &exporter{src: src, opt: opt}
	if err := e.stream(ctx, q, w, cols, dir); err != nil {
		return 0, err
	}
	if err := w.close(); err != nil {
		return 0, err
	}
	if err := tmp.Close(); err != nil {
		return 0, err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return 0, err
	}
	if opt.Progress != nil {
		opt.Progress(e.done, e.done)
	}
	return e.done, nil
}

func exportColumns(keys []string) ([]app.Column, error) {
	if len(keys) == 0 {
		return nil, &app.ValidationError{Fields: []app.FieldError{{Field: app.FieldColumn, Reason: app.ReasonRequired}}}
	}
	cols := make([]app.Column, 0, len(keys))
	for _, k := range keys {
		c, ok := app.ColumnByKey(k)
		if !ok {
			return nil, &app.ValidationError{Fields: []app.FieldError{{Field: app.FieldColumn, Reason: app.ReasonUnknownField, Value: k}}}
		}
		cols = append(cols, c)
	}
	return cols, nil
}

func needsExtras(c app.Column) bool {
	return c.Variable != "" || c.Key == app.ColTags || c.Key == app.ColCategories
}

func kindOf(c app.Column) cellKind {
	switch {
	case c.Key == app.ColDiscount:
		return cellMoney // basis points: hundredths of a percent
	case c.Kind == app.KindInt:
		return cellInt
	case c.Kind == app.KindMoney:
		return cellMoney
	case c.Kind == app.KindDate:
		return cellDate
	case c.Kind == app.KindTime:
		return cellTime
	case c.Kind == app.KindBool:
		return cellBoolTxt
	}
	return cellText
}

// exporter writes the rows of an export. The store's reading of clients,
// their tags and variables, and the writing of the file overlap: Each hands
// batches of clients to a goroutine that reads their extras and writes them,
// while the count for the progress runs beside both.
type exporter struct {
	src    Source
	opt    ExportOptions
	w      rowWriter
	cols   []app.Column
	data   app.RowData
	vals   []any
	extras bool
	done   int
	total  int // -1 until the count is in
	counts chan int
}

func (e *exporter) stream(ctx context.Context, q app.ClientQuery, w rowWriter, cols []app.Column, dir app.Directory) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	e.w, e.cols, e.total = w, cols, -1
	e.data = app.RowData{Dir: &dir, Today: e.src.Today()}
	e.vals = make([]any, len(cols))
	e.extras = slices.ContainsFunc(cols, needsExtras)
	e.counts = make(chan int, 1)
	go func() {
		n, err := e.src.Count(ctx, q)
		if err != nil {
			n = -1 // the progress goes without a total; Each reports the error
		}
		e.counts <- n
	}()
	batches := make(chan []app.Client, 2)
	var werr error
	written := make(chan struct{})
	go func() {
		defer close(written)
		for b := range batches {
			if werr == nil {
				if werr = e.write(ctx, b); werr != nil {
					cancel()
				}
			}
		}
	}()
	send := func(b []app.Client) error {
		select {
		case batches <- b:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	batch := make([]app.Client, 0, extrasBatch)
	err := e.src.Each(ctx, q, func(c app.Client) error {
		if batch = append(batch, c); len(batch) == extrasBatch {
			if err := send(batch); err != nil {
				return err
			}
			batch = make([]app.Client, 0, extrasBatch)
		}
		return nil
	})
	if err == nil && len(batch) > 0 {
		err = send(batch)
	}
	close(batches)
	<-written
	switch {
	case werr != nil:
		return werr
	case err != nil:
		return err
	}
	return ctx.Err()
}

// write reads the extras of a batch of clients and writes their rows.
func (e *exporter) write(ctx context.Context, batch []app.Client) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var extras map[string]app.Extras
	if e.extras {
		ids := make([]string, len(batch))
		for i, c := range batch {
			ids[i] = c.ID
		}
		var err error
		if extras, err = e.src.Extras(ctx, ids); err != nil {
			return err
		}
	}
	for _, c := range batch {
		e.data.Extras = extras[c.ID]
		for i, col := range e.cols {
			e.vals[i] = e.value(col, c)
		}
		if err := e.w.row(e.vals); err != nil {
			return err
		}
	}
	e.done += len(batch)
	if e.opt.Progress != nil {
		if e.total < 0 {
			select {
			case e.total = <-e.counts:
			default:
			}
		}
		if e.total >= 0 {
			e.opt.Progress(e.done, max(e.total, e.done))
		}
	}
	return nil
}

func (e *exporter) value(col app.Column, c app.Client) any {
	v := col.Value(c, e.data)
	switch col.Key {
	case app.ColPhone:
		if c.Phone != "" && e.opt.Format == CSV {
			// Excel takes +79161234567 in a CSV for a number; spaced, it is text.
			return formatPhone(c.Phone)
		}
	case app.ColGender:
		if e.opt.Gender != nil {
			return e.opt.Gender(c.Gender)
		}
		switch c.Gender {
		case app.GenderMale:
			return "м"
		case app.GenderFemale:
			return "ж"
		}
		return ""
	}
	if b, ok := v.(bool); ok {
		if b {
			return e.opt.Yes
		}
		return e.opt.No
	}
	return v
}

// formatPhone writes a phone for people: +7 916 123-45-67 for Russian mobiles
// at once, others through the phone library.
func formatPhone(e164 string) string {
	if len(e164) == 12 && strings.HasPrefix(e164, "+79") {
		return e164[:2] + " " + e164[2:5] + " " + e164[5:8] + "-" + e164[8:10] + "-" + e164[10:]
	}
	return app.FormatPhone(e164)
}
