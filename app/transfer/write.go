package transfer

import (
	"bufio"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"loyaltydesk/app"
)

// formulaStarts are the first characters that make a spreadsheet read a cell
// as a formula; the CSV writer guards such text with an apostrophe.
const formulaStarts = "=+-@\t\r"

// cellKind is how a writer shows a column's values.
type cellKind int

const (
	cellText cellKind = iota
	cellInt
	cellMoney   // int64 hundredths: kopecks, or basis points of a percent
	cellDate    // app.Date
	cellTime    // time.Time
	cellBoolTxt // already turned into the yes / no text
)

// rowWriter writes a header and rows of values of the kinds kinds names.
type rowWriter interface {
	header(titles []string) error
	row(vals []any) error
	close() error
}

// csvWriter writes UTF-8 CSV with a BOM, so Excel takes it for UTF-8.
type csvWriter struct {
	buf   *bufio.Writer
	w     *csv.Writer
	kinds []cellKind
	dec   string // decimal separator: "," beside ";" for Russian Excel
	rec   []string
}

func newCSVWriter(out io.Writer, sep rune, kinds []cellKind) *csvWriter {
	buf := bufio.NewWriterSize(out, 256<<10)
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(buf)
	w.Comma = sep
	w.UseCRLF = true
	dec := "."
	if sep == ';' {
		dec = ","
	}
	return &csvWriter{buf: buf, w: w, kinds: kinds, dec: dec, rec: make([]string, len(kinds))}
}

func (c *csvWriter) header(titles []string) error {
	for i, t := range titles {
		c.rec[i] = guard(t)
	}
	return c.w.Write(c.rec)
}

func (c *csvWriter) row(vals []any) error {
	for i, v := range vals {
		c.rec[i] = c.text(c.kinds[i], v)
	}
	return c.w.Write(c.rec)
}

func (c *csvWriter) text(k cellKind, v any) string {
	if v == nil {
		return ""
	}
	switch k {
	case cellInt:
		if n, ok := v.(int64); ok {
			return strconv.FormatInt(n, 10)
		}
	case cellMoney:
		if n, ok := v.(int64); ok {
			return app.FormatMoney(n, c.dec)
		}
	case cellDate:
		if d, ok := v.(app.Date); ok {
			return d.Format()
		}
	case cellTime:
		if t, ok := v.(time.Time); ok {
			return app.FormatTime(t)
		}
	}
	if s, ok := v.(string); ok {
		return guard(s)
	}
	return ""
}

// guard puts an apostrophe before text a spreadsheet would run as a formula
// (CSV injection); the CSV reader takes it off again.
func guard(s string) string {
	if s != "" && strings.ContainsRune(formulaStarts, rune(s[0])) {
		return "'" + s
	}
	return s
}

func (c *csvWriter) close() error {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return err
	}
	return c.buf.Flush()
}

// xlsxWriter streams a workbook of one sheet with typed cells: numbers as
// numbers, money with two decimals, dates and times as dates.
type xlsxWriter struct {
	out   io.Writer
	f     *excelize.File
	sw    *excelize.StreamWriter
	kinds []cellKind
	style map[cellKind]int
	bold  int
	n     int
	cells []any
}

func newXLSXWriter(out io.Writer, sheet string, kinds []cellKind) (*xlsxWriter, error) {
	f := excelize.NewFile()
	if sheet == "" {
		sheet = "Sheet1"
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		f.Close()
		return nil, err
	}
	x := &xlsxWriter{out: out, f: f, kinds: kinds, style: map[cellKind]int{}, cells: make([]any, len(kinds))}
	for k, fmtCode := range map[cellKind]string{
		cellMoney: "#,##0.00",
		cellDate:  "dd.mm.yyyy",
		cellTime:  "dd.mm.yyyy hh:mm",
	} {
		id, err := f.NewStyle(&excelize.Style{CustomNumFmt: &fmtCode})
		if err != nil {
			f.Close()
			return nil, err
		}
		x.style[k] = id
	}
	var err error
	if x.bold, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		f.Close()
		return nil, err
	}
	if x.sw, err = f.NewStreamWriter(sheet); err != nil {
		f.Close()
		return nil, err
	}
	for i, k := range kinds {
		width := 18.0
		switch k {
		case cellInt, cellBoolTxt:
			width = 10
		case cellMoney, cellDate:
			width = 13
		}
		if err := x.sw.SetColWidth(i+1, i+1, width); err != nil {
			f.Close()
			return nil, err
		}
	}
	if err := x.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		f.Close()
		return nil, err
	}
	return x, nil
}

func (x *xlsxWriter) header(titles []string) error {
	for i, t := range titles {
		x.cells[i] = excelize.Cell{StyleID: x.bold, Value: t}
	}
	return x.next()
}

func (x *xlsxWriter) next() error {
	x.n++
	cell, err := excelize.CoordinatesToCellName(1, x.n)
	if err != nil {
		return err
	}
	return x.sw.SetRow(cell, x.cells)
}

func (x *xlsxWriter) row(vals []any) error {
	for i, v := range vals {
		x.cells[i] = x.cell(x.kinds[i], v)
	}
	return x.next()
}

func (x *xlsxWriter) cell(k cellKind, v any) any {
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		if v == "" {
			return nil
		}
		return v
	case int64:
		if k == cellMoney {
			return excelize.Cell{StyleID: x.style[cellMoney], Value: float64(v) / 100}
		}
		return v
	case app.Date:
		if v.IsZero() {
			return nil
		}
		return excelize.Cell{StyleID: x.style[cellDate], Value: v.Time(time.UTC)}
	case time.Time:
		if v.IsZero() {
			return nil
		}
		// The sheet shows the local wall-clock time, as the list does.
		l := v.Local()
		wall := time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
		return excelize.Cell{StyleID: x.style[cellTime], Value: wall}
	}
	return v
}

func (x *xlsxWriter) close() error {
	defer x.f.Close()
	if err := x.sw.Flush(); err != nil {
		return err
	}
	_, err := x.f.WriteTo(x.out)
	return err
}
