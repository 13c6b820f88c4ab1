// Package transfer reads and writes the client files of imports and exports
// (CL-17, CL-18): CSV as Russian Excel writes and reads it (Windows-1251 or
// UTF-8 with a BOM, ";" between cells) and XLSX through excelize. It turns
// files into app.ImportTable for app.Clients.Import, and a client query into
// a file.
package transfer

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"loyaltydesk/app"
)

// Format is a file format of imports and exports.
type Format string

// Formats.
const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// FormatOf returns the format a file's name says: .csv, .txt and .tsv are CSV.
func FormatOf(path string) (Format, bool) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv", ".txt", ".tsv":
		return CSV, true
	case ".xlsx", ".xlsm":
		return XLSX, true
	}
	return "", false
}

// maxFileSize caps what an import reads into memory (a million rows of a
// dozen columns fit well within it).
const maxFileSize = 512 << 20

// ReadOptions tune reading.
type ReadOptions struct {
	// Separator of a CSV file's cells; 0 detects ";", "," or a tab.
	Separator rune
	// Progress, if set, is told how many rows were read (Total stays 0).
	Progress func(app.ImportProgress)
}

// ReadFile reads an import file, CSV or XLSX by its name. Problems come
// back as a *app.ValidationError on app.FieldFile.
func ReadFile(ctx context.Context, path string, opt ReadOptions) (app.ImportTable, error) {
	format, ok := FormatOf(path)
	if !ok {
		return app.ImportTable{}, fileError(app.ReasonUnsupported, filepath.Ext(path))
	}
	f, err := os.Open(path)
	if err != nil {
		return app.ImportTable{}, err
	}
	defer f.Close()
	var t app.ImportTable
	if format == XLSX {
		t, err = ReadXLSX(ctx, f, opt)
	} else {
		t, err = ReadCSV(ctx, f, opt)
	}
	t.Name = filepath.Base(path)
	return t, err
}

func fileError(reason, value string) error {
	return &app.ValidationError{Fields: []app.FieldError{{Field: app.FieldFile, Reason: reason, Value: value}}}
}

// table collects the rows read: the first row with a non-blank cell is the
// header, blank rows are left out.
type table struct {
	ctx context.Context
	t   app.ImportTable
	opt ReadOptions
	n   int
}

func (tb *table) add(line int, cells []string) error {
	blank := true
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			blank = false
			break
		}
	}
	if blank {
		return nil
	}
	if tb.t.Header == nil {
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		tb.t.Header = cells
		return nil
	}
	tb.t.Rows = append(tb.t.Rows, app.ImportRow{Line: line, Cells: cells})
	if tb.n++; tb.n%1000 == 0 {
		if tb.opt.Progress != nil {
			tb.opt.Progress(app.ImportProgress{Stage: app.StageRead, Done: tb.n})
		}
		return tb.ctx.Err()
	}
	return nil
}

func (tb *table) done() (app.ImportTable, error) {
	if tb.t.Header == nil || len(tb.t.Rows) == 0 {
		return tb.t, fileError(app.ReasonEmptyFile, "")
	}
	if tb.opt.Progress != nil {
		tb.opt.Progress(app.ImportProgress{Stage: app.StageRead, Done: tb.n, Total: tb.n})
	}
	return tb.t, nil
}

// ReadCSV reads a CSV file: UTF-8 (with or without a BOM), UTF-16 with a BOM
// (Excel's "Unicode text"), or Windows-1251 (what Russian Excel writes) when
// the bytes are not UTF-8. An Excel "sep=;" first line names the separator;
// otherwise opt.Separator does, or the first line's most frequent of ";",
// "," and tab. Line numbers are the file's lines.
func ReadCSV(ctx context.Context, r io.Reader, opt ReadOptions) (app.ImportTable, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return app.ImportTable{}, err
	}
	if len(data) > maxFileSize {
		return app.ImportTable{}, fileError(app.ReasonTooLong, strconv.Itoa(maxFileSize>>20)+" MB")
	}
	text, err := decodeText(data)
	if err != nil {
		return app.ImportTable{}, fileError(app.ReasonBadFile, err.Error())
	}
	sep, skip := opt.Separator, 0
	if first, _, _ := strings.Cut(text, "\n"); strings.HasPrefix(strings.ToLower(first), "sep=") {
		if s := strings.TrimRight(first[len("sep="):], "\r"); utf8.RuneCountInString(s) == 1 {
			sep, _ = utf8.DecodeRuneInString(s)
			skip = len(first) + 1
		}
	}
	if sep == 0 {
		sep = DetectSeparator(text)
	}
	if !validSeparator(sep) {
		return app.ImportTable{}, &app.ValidationError{Fields: []app.FieldError{{Field: app.FieldFormat, Reason: app.ReasonBadValue, Value: string(sep)}}}
	}
	firstLine := 1
	if skip > 0 {
		text, firstLine = text[min(skip, len(text)):], 2
	}
	// Quotes are strict, so a quote left open is reported rather than
	// swallowing the rest of the file; a file with stray quotes inside cells
	// (Кафе "Ромашка") is read again leniently.
	tb, err := readRecords(ctx, text, sep, firstLine, false, opt)
	var pe *csv.ParseError
	if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrBareQuote) {
		tb, err = readRecords(ctx, text, sep, firstLine, true, opt)
	}
	if errors.As(err, &pe) {
		return app.ImportTable{}, fileError(app.ReasonBadFile, strconv.Itoa(pe.StartLine+firstLine-1))
	}
	if err != nil {
		return app.ImportTable{}, err
	}
	return tb.done()
}

func readRecords(ctx context.Context, text string, sep rune, firstLine int, lazy bool, opt ReadOptions) (*table, error) {
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = sep
	cr.LazyQuotes = lazy
	cr.FieldsPerRecord = -1
	tb := &table{ctx: ctx, opt: opt}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return tb, nil
		}
		if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		for i, c := range rec {
			rec[i] = unguard(c)
		}
		if err := tb.add(line+firstLine-1, rec); err != nil {
			return nil, err
		}
	}
}

// decodeText turns a file's bytes into text: BOMs of UTF-8 and UTF-16 are
// honoured, and bytes that are not UTF-8 are read as Windows-1251.
func decodeText(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil {
			return "", fmt.Errorf("UTF-16: %w", err)
		}
		return string(out), nil
	}
	if utf8.Valid(data) {
		return string(data), nil
	}
	out, err := charmap.Windows1251.NewDecoder().Bytes(data)
	if err != nil {
		return "", fmt.Errorf("Windows-1251: %w", err)
	}
	return string(out), nil
}

// DetectSeparator returns the most frequent of ";", "," and tab in text's
// first non-blank line, outside quotes; ";" on a tie, "," when there is none.
func DetectSeparator(text string) rune {
	var line string
	for text != "" {
		line, text, _ = strings.Cut(text, "\n")
		if strings.TrimSpace(line) != "" {
			break
		}
	}
	counts := map[rune]int{}
	quoted := false
	for _, r := range line {
		switch {
		case r == '"':
			quoted = !quoted
		case !quoted && (r == ';' || r == ',' || r == '\t'):
			counts[r]++
		}
	}
	best, n := ',', 0
	for _, r := range []rune{';', '\t', ','} {
		if counts[r] > n {
			best, n = r, counts[r]
		}
	}
	return best
}

func validSeparator(r rune) bool { return r == ';' || r == ',' || r == '\t' }

// unguard takes off the apostrophe the CSV writer puts before a cell that
// would read as a formula ('+7 916 …).
func unguard(s string) string {
	if len(s) >= 2 && s[0] == '\'' && strings.ContainsRune(formulaStarts, rune(s[1])) {
		return s[1:]
	}
	return s
}

// ReadXLSX reads the first sheet of an XLSX workbook. Cells come as stored:
// numbers in full (phones and card numbers keep their digits) and dates as
// day numbers, which the import turns into dates in a birth-date column.
// Line numbers are the sheet's row numbers.
func ReadXLSX(ctx context.Context, r io.Reader, opt ReadOptions) (app.ImportTable, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return app.ImportTable{}, fileError(app.ReasonBadFile, err.Error())
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return app.ImportTable{}, fileError(app.ReasonEmptyFile, "")
	}
	tb := &table{ctx: ctx, opt: opt}
	tb.t.SerialDates = true
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		tb.t.Date1904 = *props.Date1904
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return app.ImportTable{}, fileError(app.ReasonBadFile, err.Error())
	}
	defer rows.Close()
	for line := 1; rows.Next(); line++ {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return app.ImportTable{}, fileError(app.ReasonBadFile, strconv.Itoa(line))
		}
		if err := tb.add(line, cells); err != nil {
			return app.ImportTable{}, err
		}
	}
	if err := rows.Error(); err != nil {
		return app.ImportTable{}, fileError(app.ReasonBadFile, err.Error())
	}
	return tb.done()
}
