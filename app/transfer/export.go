package transfer

import (
	"context"
	"os"
	"path/filepath"
	"slices"

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
	total, err := src.Count(ctx, q)
	if err != nil {
		return 0, err
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
	e := &exporter{ctx: ctx, src: src, w: w, cols: cols, opt: opt, total: total,
		data: app.RowData{Dir: &dir, Today: src.Today()}, vals: make([]any, len(cols)),
		extras: slices.ContainsFunc(cols, needsExtras)}
	if err := src.Each(ctx, q, e.add); err != nil {
		return 0, err
	}
	if err := e.flush(); err != nil {
		return 0, err
	}
	if err := ctx.Err(); err != nil {
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
		opt.Progress(e.done, max(total, e.done))
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

// exporter buffers clients so their tags and variables are read in batches.
type exporter struct {
	ctx    context.Context
	src    Source
	w      rowWriter
	cols   []app.Column
	opt    ExportOptions
	data   app.RowData
	vals   []any
	extras bool
	batch  []app.Client
	done   int
	total  int
}

func (e *exporter) add(c app.Client) error {
	e.batch = append(e.batch, c)
	if len(e.batch) >= extrasBatch {
		return e.flush()
	}
	return nil
}

func (e *exporter) flush() error {
	if len(e.batch) == 0 {
		return nil
	}
	if err := e.ctx.Err(); err != nil {
		return err
	}
	var extras map[string]app.Extras
	if e.extras {
		ids := make([]string, len(e.batch))
		for i, c := range e.batch {
			ids[i] = c.ID
		}
		var err error
		if extras, err = e.src.Extras(e.ctx, ids); err != nil {
			return err
		}
	}
	for _, c := range e.batch {
		e.data.Extras = extras[c.ID]
		for i, col := range e.cols {
			e.vals[i] = e.value(col, c)
		}
		if err := e.w.row(e.vals); err != nil {
			return err
		}
	}
	e.done += len(e.batch)
	e.batch = e.batch[:0]
	if e.opt.Progress != nil {
		e.opt.Progress(e.done, max(e.total, e.done))
	}
	return nil
}

func (e *exporter) value(col app.Column, c app.Client) any {
	v := col.Value(c, e.data)
	switch col.Key {
	case app.ColPhone:
		if c.Phone != "" {
			return app.FormatPhone(c.Phone)
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
