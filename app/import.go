package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Import fields: what a column of an import file fills (CL-18). A column may
// also fill a custom variable, as VariablePrefix + its name ("var:Напиток").
// Where a field is also a list column, the keys are the same.
const (
	ImportSkip       = "skip" // the column is not imported
	ImportFullName   = "full_name"
	ImportLastName   = "last_name"
	ImportFirstName  = "first_name"
	ImportPatronymic = "patronymic"
	ImportPhone      = "phone"
	ImportEmail      = "email"
	ImportGender     = "gender"
	ImportBirthDate  = "birth_date"
	ImportExternalID = "external_id"
	ImportNote       = "note"
	ImportCard       = "card" // a card number: media card, read as a barcode
	ImportTags       = "tags" // tag names separated by commas
	ImportSMS        = "sms"  // SMS subscription: да / нет, yes / no, 1 / 0
	ImportEmailSub   = "email_subscribed"
	// ImportOpening is the bonus balance brought from the venue's old system,
	// in points ("150", "150,50"): one "opening" entry on the client's
	// default account, at most once per client.
	ImportOpening = FieldOpeningBal
)

// ImportFields lists the fields a column can be mapped to, in the order the
// mapping offers them (skip and variables aside).
var ImportFields = []string{
	ImportFullName, ImportLastName, ImportFirstName, ImportPatronymic,
	ImportPhone, ImportEmail, ImportGender, ImportBirthDate, ImportExternalID,
	ImportNote, ImportCard, ImportTags, ImportSMS, ImportEmailSub, ImportOpening,
}

// Field names and reasons of import and export problems, beyond errors.go's.
const (
	FieldFullName = "full_name"        // the client's name as a whole
	FieldCard     = "card"             // a card number in an import row
	FieldSMS      = "sms"              // the SMS subscription
	FieldEmailSub = "email_subscribed" // the e-mail subscription
	FieldVariable = "variable"         // a custom variable's value (Value names it)
	FieldFile     = "file"             // the file as a whole
	FieldFormat   = "format"           // an export format or separator

	// ReasonUnknownGender: a gender that is none of м/ж, male/female, ….
	ReasonUnknownGender = "unknown_gender"
	// ReasonAmbiguous: the row matches several clients, so it cannot be merged.
	ReasonAmbiguous = "ambiguous"
	// ReasonBadFile: the file cannot be read as the format it claims (Value
	// says where: a line number, or the reader's message).
	ReasonBadFile = "bad_file"
	// ReasonEmptyFile: the file has no header or no rows.
	ReasonEmptyFile = "empty_file"
	// ReasonUnsupported: the file is neither CSV nor XLSX.
	ReasonUnsupported = "unsupported"
)

// DuplicateMode says what an import does with a row that is a client it
// already has (CL-18).
type DuplicateMode string

// Duplicate modes.
const (
	DuplicatesSkip  DuplicateMode = "skip"  // leave the client as it is; count the row as skipped
	DuplicatesMerge DuplicateMode = "merge" // update the client with the row's non-empty values
)

// ImportTable is a file to import as read: a header and the rows under it.
type ImportTable struct {
	// Name is the file's name, for the audit log.
	Name   string
	Header []string
	Rows   []ImportRow
	// SerialDates says the cells come from a spreadsheet, where a date cell
	// holds a day number (from 1899-12-30, or 1904-01-01 when Date1904).
	SerialDates bool
	Date1904    bool
}

// ImportRow is one row of an import file.
type ImportRow struct {
	// Line is where the row is: the line in a CSV file or the row number of a
	// sheet, as the person sees it in an editor or Excel.
	Line  int
	Cells []string
}

// ImportStage names what an import is busy with, for its progress.
type ImportStage string

// Import stages.
const (
	StageRead  ImportStage = "read"  // reading the file
	StageCheck ImportStage = "check" // checking rows and looking for duplicates
	StageWrite ImportStage = "write" // writing the clients
)

// ImportProgress is how far an import has come.
type ImportProgress struct {
	Stage       ImportStage
	Done, Total int
}

// ImportOptions say how to import a table.
type ImportOptions struct {
	// Mapping holds the field of each column of the header (ImportSkip, one of
	// ImportFields, or "var:" + a variable name); see AutoMap and ParseMapping.
	Mapping    []string
	Duplicates DuplicateMode // DuplicatesSkip if empty
	// DryRun checks every row and reports what would happen, writing nothing.
	DryRun bool
	// Progress, if set, is called now and then from the importing goroutine.
	Progress func(ImportProgress)
}

// ImportReport says what an import did, or would do in a dry run, with every
// row (CL-18).
type ImportReport struct {
	Rows     int // rows in the file
	Created  int // rows that made a new client
	Merged   int // rows merged into a client (an existing one or an earlier row's)
	Skipped  int // duplicate rows left out
	Rejected int // rows with problems
	// Openings counts the rows that bring an opening balance (ImportOpening)
	// for a client they create or merge into; a client that already has one
	// keeps it.
	Openings int
	// Problems lists every problem of every rejected row, by line.
	Problems []ImportProblem
	DryRun   bool
	// Written says the clients were stored. An import that rejects a row
	// writes nothing.
	Written bool
}

// ImportProblem is why a row was rejected: its line, the column (as the
// file's header names it) and the field error.
type ImportProblem struct {
	Line   int
	Column string
	// ColumnIndex is the column's 1-based number; 0 when the problem is the
	// row as a whole.
	ColumnIndex int
	FieldError
}

// progressEvery is how many rows an import handles between progress calls.
const progressEvery = 500

// IsImportField reports whether f is a field a column can be mapped to
// (ImportSkip and "var:name" included).
func IsImportField(f string) bool {
	if name, ok := strings.CutPrefix(f, VariablePrefix); ok {
		name = cleanText(name)
		return name != "" && !tooLong(name, maxVarNameLen)
	}
	return f == ImportSkip || slices.Contains(ImportFields, f)
}

// importSynonyms are the headers (folded: lower case, ё→е, single spaces,
// without trailing ":" and "*") that AutoMap recognises, in Russian and
// English, the export's own column titles included.
var importSynonyms = map[string][]string{
	ImportFullName:   {"full_name", "фио", "ф.и.о.", "ф. и. о.", "full name", "name", "клиент", "client", "полное имя", "фамилия имя отчество"},
	ImportLastName:   {"last_name", "фамилия", "last name", "surname", "family name"},
	ImportFirstName:  {"first_name", "имя", "first name", "given name"},
	ImportPatronymic: {"patronymic", "отчество", "middle name", "middle_name"},
	ImportPhone:      {"phone", "телефон", "тел", "тел.", "мобильный", "мобильный телефон", "номер телефона", "phone number", "mobile", "mobile phone", "телефон клиента"},
	ImportEmail:      {"email", "e-mail", "e mail", "почта", "эл. почта", "эл.почта", "электронная почта", "email address", "e-mail address", "адрес e-mail"},
	ImportGender:     {"gender", "пол", "sex"},
	ImportBirthDate:  {"birth_date", "дата рождения", "birth date", "birthday", "date of birth", "день рождения", "др", "д.р.", "dob"},
	ImportExternalID: {"external_id", "внешний id", "external id", "user id", "внешний идентификатор", "id в кассе", "pos id"},
	ImportNote:       {"note", "заметка", "примечание", "комментарий", "notes", "comment"},
	ImportCard:       {"card", "карта", "номер карты", "card number", "карта лояльности", "дисконтная карта", "бонусная карта", "loyalty card"},
	ImportTags:       {"tags", "теги", "тэги", "метки", "tag", "тег"},
	ImportSMS:        {"sms", "смс", "подписка на sms", "подписка sms", "sms-рассылка", "sms subscription", "подписка на смс"},
	ImportEmailSub:   {"email_subscribed", "подписка на e-mail", "подписка e-mail", "подписка на email", "e-mail-рассылка", "e-mail subscription", "email subscription"},
	ImportOpening:    {"opening_balance", "баланс", "бонусы", "баллы", "бонусный баланс", "остаток баллов", "начальный баланс", "balance", "points", "bonus balance", "opening balance"},
}

var importBySynonym = func() map[string]string {
	m := map[string]string{}
	for field, names := range importSynonyms {
		for _, n := range names {
			m[foldHeader(n)] = field
		}
	}
	return m
}()

// foldHeader is a header as AutoMap compares it.
func foldHeader(s string) string {
	s = FoldName(s)
	s = strings.TrimRight(s, ":* ")
	return strings.TrimLeft(s, "* ")
}

// AutoMap guesses the field of each header: by field key, by a Russian or
// English name ("Телефон", "Дата рождения", "Карта"), "var:name" for a
// variable, or the name of a variable in use (variables). A field goes to the
// first column that names it; the rest are skipped.
func AutoMap(header []string, variables []string) []string {
	out := make([]string, len(header))
	used := map[string]bool{}
	for i, h := range header {
		out[i] = ImportSkip
		f := guessField(h, variables)
		if f == ImportSkip || used[f] {
			continue
		}
		used[f] = true
		out[i] = f
	}
	return out
}

func guessField(h string, variables []string) string {
	key := foldHeader(h)
	if key == "" {
		return ImportSkip
	}
	if name, ok := strings.CutPrefix(cleanText(h), VariablePrefix); ok && IsImportField(VariablePrefix+name) {
		return VariablePrefix + cleanText(name)
	}
	if f, ok := importBySynonym[key]; ok {
		return f
	}
	for _, v := range variables {
		if FoldName(v) == key {
			return VariablePrefix + v
		}
	}
	return ImportSkip
}

// ParseMapping applies --map specs "column=field" to mapping (one field per
// header column, as AutoMap returns). A column is named by its header
// (case-insensitively) or by its 1-based number; field is one of
// ImportFields, ImportSkip or "var:name". Problems come back as a
// *ValidationError on FieldColumn naming the spec.
func ParseMapping(header, mapping []string, specs []string) ([]string, error) {
	out := slices.Clone(mapping)
	var v validation
	for _, spec := range specs {
		col, field, ok := strings.Cut(spec, "=")
		col, field = strings.TrimSpace(col), strings.TrimSpace(field)
		if !ok || col == "" || field == "" {
			v.add(FieldColumn, ReasonBadValue, spec)
			continue
		}
		i := headerIndex(header, col)
		if i < 0 {
			v.add(FieldColumn, ReasonNotFound, col)
			continue
		}
		if name, isVar := strings.CutPrefix(field, VariablePrefix); isVar {
			field = VariablePrefix + cleanText(name)
		} else {
			field = strings.ToLower(field)
		}
		if !IsImportField(field) {
			v.add(FieldColumn, ReasonUnknownField, field)
			continue
		}
		// A field given to a column leaves the column that had it by AutoMap.
		if field != ImportSkip {
			for j := range out {
				if j != i && out[j] == field {
					out[j] = ImportSkip
				}
			}
		}
		out[i] = field
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	return out, nil
}

func headerIndex(header []string, col string) int {
	for i, h := range header {
		if strings.EqualFold(cleanText(h), cleanText(col)) {
			return i
		}
	}
	if n, err := strconv.Atoi(col); err == nil && n >= 1 && n <= len(header) {
		return n - 1
	}
	return -1
}

// ValidateMapping checks a mapping against its header: one known field per
// column, no field twice, and a column for the name (full, last or first).
func ValidateMapping(header, mapping []string) error {
	var v validation
	if len(mapping) != len(header) {
		v.add(FieldColumn, ReasonBadValue, fmt.Sprintf("%d of %d", len(mapping), len(header)))
		return v.err()
	}
	seen := map[string]bool{}
	named := false
	for i, f := range mapping {
		if !IsImportField(f) {
			v.add(FieldColumn, ReasonUnknownField, f)
			continue
		}
		if f == ImportSkip {
			continue
		}
		key := f
		if name, ok := strings.CutPrefix(f, VariablePrefix); ok {
			key = VariablePrefix + cleanText(name)
		}
		if seen[key] {
			v.add(FieldColumn, ReasonDuplicate, header[i])
		}
		seen[key] = true
		if f == ImportFullName || f == ImportLastName || f == ImportFirstName {
			named = true
		}
	}
	if !named {
		v.add(FieldFullName, ReasonRequired, "")
	}
	return v.err()
}

// Import adds the clients of a table, all or nothing (CL-18). Every row is
// checked first: the fields as the client dialog checks them, the gender,
// dates, cards, tags and subscriptions, and whether the row is a client the
// venue already has — by external id, phone or e-mail, or by card when the
// row has none of these — or one an earlier row of the file has. Such a
// duplicate is skipped or merged as opt.Duplicates says. A card that belongs
// to another client than the row's rejects the row. If any row is rejected,
// or on a dry run, nothing is written; otherwise every client is written in
// one transaction with one audit entry. Problems of the file as a whole (the
// mapping) come back as a *ValidationError; the rows' problems come in the
// report.
func (s *Clients) Import(ctx context.Context, t ImportTable, opt ImportOptions) (ImportReport, error) {
	rep := ImportReport{Rows: len(t.Rows), DryRun: opt.DryRun}
	if opt.Duplicates == "" {
		opt.Duplicates = DuplicatesSkip
	}
	if opt.Duplicates != DuplicatesSkip && opt.Duplicates != DuplicatesMerge {
		return rep, &ValidationError{Fields: []FieldError{{Field: FieldFilter, Reason: ReasonBadValue, Value: string(opt.Duplicates)}}}
	}
	if err := ValidateMapping(t.Header, opt.Mapping); err != nil {
		return rep, err
	}
	if len(t.Rows) == 0 {
		return rep, &ValidationError{Fields: []FieldError{{Field: FieldFile, Reason: ReasonEmptyFile}}}
	}
	region, err := phoneRegion(ctx, s.store)
	if err != nil {
		return rep, err
	}
	now := s.clock.Now()
	p := newImportParser(t, opt.Mapping, region, now)
	rows := make([]importRow, len(t.Rows))
	err = inChunks(ctx, len(rows), runtime.GOMAXPROCS(0), func(ctx context.Context, from, to int) error {
		for i := from; i < to; i++ {
			rows[i] = p.parse(t.Rows[i])
		}
		return ctx.Err()
	}, func(from, to int) error { return nil })
	if err != nil {
		return rep, err
	}
	if opt.DryRun {
		pl := newImportPlan(p, opt, rows)
		if err := pl.check(ctx, s.store); err != nil {
			return rep, fmt.Errorf("check import: %w", err)
		}
		return pl.report(rep), nil
	}
	node := s.store.NodeID()
	var pl *importPlan
	err = s.store.Update(ctx, func(tx Tx) error {
		pl = newImportPlan(p, opt, rows)
		if err := pl.check(ctx, s.store); err != nil {
			return err
		}
		if pl.rejected > 0 {
			return errImportRejected
		}
		return pl.write(ctx, tx, t.Name, now, node)
	})
	switch {
	case errors.Is(err, errImportRejected):
		return pl.report(rep), nil
	case err != nil:
		return rep, fmt.Errorf("import clients: %w", err)
	}
	rep = pl.report(rep)
	rep.Written = true
	return rep, nil
}

// errImportRejected rolls the import's transaction back when a row is bad.
var errImportRejected = errors.New("import: rows rejected")

// importRow is a row as parsed and checked on its own.
type importRow struct {
	line     int
	problems []ImportProblem
	c        Client // cleaned fields; BirthDate etc. set only when given
	given    importGiven
	card     string
	tags     []string
	vars     []nameValue
	sms      *bool
	emailSub *bool
	opening  int64 // points brought from the old system; 0: none
}

type nameValue struct{ name, value string }

// importGiven flags the client fields a row gives (non-empty), for merges.
type importGiven uint16

const (
	givenFirst importGiven = 1 << iota
	givenLast
	givenPatronymic
	givenPhone
	givenEmail
	givenGender
	givenBirth
	givenExternalID
	givenNote
)

// importParser turns rows of cells into checked rows.
type importParser struct {
	t       ImportTable
	mapping []string
	region  string
	now     time.Time
	col     map[string]int // field → column index
	name    int            // the first name column, for "name required"
}

func newImportParser(t ImportTable, mapping []string, region string, now time.Time) *importParser {
	mapping = slices.Clone(mapping)
	p := &importParser{t: t, mapping: mapping, region: region, now: now, col: map[string]int{}, name: -1}
	for i, f := range mapping {
		if f == ImportSkip {
			continue
		}
		if name, ok := strings.CutPrefix(f, VariablePrefix); ok {
			f = VariablePrefix + cleanText(name)
			mapping[i] = f
		}
		p.col[f] = i
		if p.name < 0 && (f == ImportFullName || f == ImportLastName || f == ImportFirstName) {
			p.name = i
		}
	}
	return p
}

func (p *importParser) problem(r *importRow, col int, fe FieldError) {
	pr := ImportProblem{Line: r.line, FieldError: fe}
	if col >= 0 && col < len(p.t.Header) {
		pr.Column, pr.ColumnIndex = cleanText(p.t.Header[col]), col+1
	}
	r.problems = append(r.problems, pr)
}

// columnOf returns the column a field error of clean belongs to.
func (p *importParser) columnOf(field string) int {
	pick := func(fs ...string) int {
		for _, f := range fs {
			if i, ok := p.col[f]; ok {
				return i
			}
		}
		return -1
	}
	switch field {
	case FieldFirstName:
		return pick(ImportFirstName, ImportFullName)
	case FieldLastName:
		return pick(ImportLastName, ImportFullName)
	case FieldPatronymic:
		return pick(ImportPatronymic, ImportFullName)
	case FieldPhone, FieldEmail, FieldGender, FieldBirthDate, FieldExternalID, FieldNote:
		return pick(field)
	case FieldIdentifier, FieldCard:
		return pick(ImportCard)
	}
	return -1
}

// parse reads and checks one row on its own.
func (p *importParser) parse(row ImportRow) importRow {
	r := importRow{line: row.Line}
	cell := func(i int) string {
		if i < len(row.Cells) {
			return strings.TrimSpace(row.Cells[i])
		}
		return ""
	}
	var in ClientInput
	var full string
	for i, f := range p.mapping {
		v := cell(i)
		if f == ImportSkip || v == "" {
			continue
		}
		switch f {
		case ImportFullName:
			full = v
		case ImportLastName:
			in.LastName = v
		case ImportFirstName:
			in.FirstName = v
		case ImportPatronymic:
			in.Patronymic = v
		case ImportPhone:
			in.Phone = v
		case ImportEmail:
			in.Email = v
		case ImportGender:
			g, ok := ParseGender(v)
			if !ok {
				p.problem(&r, i, FieldError{Field: FieldGender, Reason: ReasonUnknownGender, Value: v})
			}
			in.Gender = g
		case ImportBirthDate:
			in.BirthDate = p.date(v)
		case ImportExternalID:
			in.ExternalID = v
		case ImportNote:
			in.Note = v
		case ImportCard:
			idf, err := cleanIdentifier(IdentifierInput{Media: MediaCard, Input: InputBarcode, Value: v}, p.region)
			for _, fe := range FieldErrors(err) {
				fe.Field = FieldCard
				p.problem(&r, i, fe)
			}
			r.card = idf.Value
		case ImportTags:
			for _, tag := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' }) {
				tag = cleanText(tag)
				switch {
				case tag == "" || slices.Contains(r.tags, tag):
				case tooLong(tag, maxTagLen):
					p.problem(&r, i, FieldError{Field: FieldTag, Reason: ReasonTooLong, Value: tag})
				default:
					r.tags = append(r.tags, tag)
				}
			}
		case ImportSMS, ImportEmailSub:
			b, ok := ParseYesNo(v)
			field := FieldSMS
			if f == ImportEmailSub {
				field = FieldEmailSub
			}
			if !ok {
				p.problem(&r, i, FieldError{Field: field, Reason: ReasonBadValue, Value: v})
				continue
			}
			if f == ImportSMS {
				r.sms = &b
			} else {
				r.emailSub = &b
			}
		case ImportOpening:
			amount, reason := parsePrice(v)
			if reason != "" {
				p.problem(&r, i, FieldError{Field: FieldOpeningBal, Reason: reason, Value: v})
				continue
			}
			r.opening = amount
		default:
			name, _ := strings.CutPrefix(f, VariablePrefix)
			if tooLong(v, maxNoteLen) {
				p.problem(&r, i, FieldError{Field: FieldVariable, Reason: ReasonTooLong, Value: name})
				continue
			}
			r.vars = append(r.vars, nameValue{name, v})
		}
	}
	if full != "" {
		last, first, patronymic := SplitFullName(full)
		in.LastName = firstNonEmpty(in.LastName, last)
		in.FirstName = firstNonEmpty(in.FirstName, first)
		in.Patronymic = firstNonEmpty(in.Patronymic, patronymic)
	}
	if cleanText(in.FirstName) == "" && cleanText(in.LastName) == "" {
		p.problem(&r, p.name, FieldError{Field: FieldFullName, Reason: ReasonRequired})
	}
	gender := in.Gender
	in.Gender = GenderUnknown // checked above
	c, err := clean(in, p.region, p.now)
	c.Gender = gender
	for _, fe := range FieldErrors(err) {
		if fe.Field == FieldFirstName && fe.Reason == ReasonRequired {
			continue // reported as the name above
		}
		p.problem(&r, p.columnOf(fe.Field), fe)
	}
	r.c = c
	// A row's problems read left to right, the row as a whole first.
	slices.SortStableFunc(r.problems, func(a, b ImportProblem) int { return a.ColumnIndex - b.ColumnIndex })
	for _, g := range []struct {
		flag importGiven
		set  bool
	}{
		{givenFirst, c.FirstName != ""}, {givenLast, c.LastName != ""}, {givenPatronymic, c.Patronymic != ""},
		{givenPhone, c.Phone != ""}, {givenEmail, c.Email != ""}, {givenGender, c.Gender != GenderUnknown},
		{givenBirth, !c.BirthDate.IsZero()}, {givenExternalID, c.ExternalID != ""}, {givenNote, c.Note != ""},
	} {
		if g.set {
			r.given |= g.flag
		}
	}
	return r
}

// date turns a spreadsheet's day number into YYYY-MM-DD; other text is left
// for ParseDate.
func (p *importParser) date(v string) string {
	if !p.t.SerialDates {
		return v
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || f < 1 || f > 2958465 { // 9999-12-31
		return v
	}
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if p.t.Date1904 {
		base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return DateOf(base.AddDate(0, 0, int(math.Floor(f)))).String()
}

// ParseGender reads a gender as people write it: м / ж, муж / жен, мужской /
// женский, male / female, m / f (any case, with or without a final dot);
// empty is not stated. ok is false for anything else.
func ParseGender(s string) (g Gender, ok bool) {
	switch strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".") {
	case "":
		return GenderUnknown, true
	case "м", "муж", "мужской", "мужчина", "m", "male", "man":
		return GenderMale, true
	case "ж", "жен", "женский", "женщина", "f", "female", "woman":
		return GenderFemale, true
	}
	return GenderUnknown, false
}

// ParseYesNo reads a yes / no cell: да / нет, yes / no, 1 / 0, true / false
// (and Russian Excel's ИСТИНА / ЛОЖЬ), any case.
func ParseYesNo(s string) (v bool, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "да", "д", "yes", "y", "1", "true", "истина", "+":
		return true, true
	case "нет", "н", "no", "n", "0", "false", "ложь", "-":
		return false, true
	}
	return false, false
}

// SplitFullName splits "Фамилия Имя Отчество": one word is a first name, two
// are the last and first names, and words after the third belong to the
// patronymic ("Алиев Рашид Гусейн оглы").
func SplitFullName(s string) (last, first, patronymic string) {
	w := strings.Fields(s)
	switch len(w) {
	case 0:
		return "", "", ""
	case 1:
		return "", w[0], ""
	case 2:
		return w[0], w[1], ""
	}
	return w[0], w[1], strings.Join(w[2:], " ")
}

// importPlan resolves the rows against the store and the earlier rows, and
// then writes them.
type importPlan struct {
	p    *importParser
	opt  ImportOptions
	rows []importRow
	// what each row does, by row index
	action []importAction
	target []string // the client each created or merged row ends in
	// The keys of the file's rows so far, to the client they end in: an
	// existing client's id, or newPrefix + the index of the creating row.
	byIdent map[string]string // phones and cards: one namespace, like identifiers
	byExt   map[string]string
	byEmail map[string]string

	created, merged, skipped, rejected int
	problems                           []ImportProblem
}

type importAction uint8

const (
	actReject importAction = iota
	actCreate
	actMerge
	actSkip
)

const newPrefix = "\x00new:"

func newImportPlan(p *importParser, opt ImportOptions, rows []importRow) *importPlan {
	return &importPlan{
		p: p, opt: opt, rows: rows,
		action:  make([]importAction, len(rows)),
		target:  make([]string, len(rows)),
		byIdent: map[string]string{}, byExt: map[string]string{}, byEmail: map[string]string{},
	}
}

func (pl *importPlan) progress(stage ImportStage, done, total int) {
	if pl.opt.Progress != nil && (done%progressEvery == 0 || done == total) {
		pl.opt.Progress(ImportProgress{Stage: stage, Done: done, Total: total})
	}
}

// match is what one key of a row found: the clients (0, 1 or several) and
// whether they come from an earlier row of the file.
type match struct {
	ids      []string
	fromFile bool
}

func (m match) one() string {
	if len(m.ids) == 1 {
		return m.ids[0]
	}
	return ""
}

// check decides what each row does. r reads the store: the store itself,
// whose read connections look rows up in parallel. In a real import check
// runs inside the import's write transaction before anything is written, and
// that transaction holds the store's write lock from its start, so what the
// readers see cannot change until the import is done. (Writing each chunk
// as soon as it is checked, beside the next chunks' lookups, was slower:
// the readers and the writer slow each other down.)
func (pl *importPlan) check(ctx context.Context, r ClientReader) error {
	total := len(pl.rows)
	pl.progress(StageCheck, 0, total)
	found := make([]dbMatches, total)
	br, batch := r.(BatchReader)
	return inChunks(ctx, total, lookupWorkers, func(ctx context.Context, from, to int) error {
		if batch {
			return pl.lookupBatch(ctx, br, pl.rows[from:to], found[from:to])
		}
		for i := from; i < to; i++ {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := pl.lookup(ctx, r, &pl.rows[i], &found[i]); err != nil {
				return fmt.Errorf("line %d: %w", pl.rows[i].line, err)
			}
		}
		return nil
	}, func(from, to int) error {
		for i := from; i < to; i++ {
			pl.checkRow(i, &found[i])
		}
		pl.progress(StageCheck, to, total)
		return nil
	})
}

// write stores the checked rows in tx.
func (pl *importPlan) write(ctx context.Context, tx Tx, source string, now time.Time, node string) error {
	w := newImportWriter(ctx, tx, now, node)
	total := len(pl.rows)
	pl.progress(StageWrite, 0, total)
	for i := range pl.rows {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := w.row(pl, i); err != nil {
			return fmt.Errorf("line %d: %w", pl.rows[i].line, err)
		}
		pl.progress(StageWrite, i+1, total)
	}
	return w.finish(pl, source)
}

// lookupWorkers is how many lookups an import runs at once: as many as the
// store's read connections (db.Store has four).
const lookupWorkers = 4

// checkChunk is how many rows a lookup worker takes at a time.
const checkChunk = 250

// inChunks runs work over [0, n) in chunks on workers goroutines, and then
// (on the calling goroutine, in order) done for each chunk as soon as it and
// the ones before it are worked. The first error stops everything.
func inChunks(ctx context.Context, n, workers int, work func(ctx context.Context, from, to int) error, done func(from, to int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	chunks := (n + checkChunk - 1) / checkChunk
	results := make([]chan error, chunks)
	for c := range results {
		results[c] = make(chan error, 1)
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait()
	}()
	for range min(workers, chunks) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range jobs {
				results[c] <- work(ctx, c*checkChunk, min(n, (c+1)*checkChunk))
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(jobs)
		for c := range chunks {
			select {
			case jobs <- c:
			case <-ctx.Done():
				return
			}
		}
	}()
	for c := range chunks {
		select {
		case err := <-results[c]:
			if err != nil {
				return err
			}
		case <-ctx.Done():
			return ctx.Err()
		}
		if err := done(c*checkChunk, min(n, (c+1)*checkChunk)); err != nil {
			return err
		}
	}
	return nil
}

func (pl *importPlan) reject(i int, probs ...ImportProblem) {
	pl.action[i] = actReject
	pl.rejected++
	pl.problems = append(pl.problems, probs...)
}

// dbMatches are the clients of the store a row's keys find.
type dbMatches struct {
	ext, phone, phoneContacts, email, card []string
}

// lookup finds the store's clients with a row's keys; it reads nothing of
// the plan, so rows are looked up in parallel.
func (pl *importPlan) lookup(ctx context.Context, r ClientReader, row *importRow, m *dbMatches) error {
	if len(row.problems) > 0 {
		return nil
	}
	c := row.c
	var err error
	if c.ExternalID != "" {
		if m.ext, err = one(r.ClientIDByExternalID(ctx, c.ExternalID)); err != nil {
			return err
		}
	}
	if c.Phone != "" {
		if m.phone, err = identOwner(ctx, r, c.Phone); err != nil {
			return err
		}
		if len(m.phone) == 0 {
			if m.phoneContacts, err = r.ClientIDsByContact(ctx, ContactPhone, c.Phone); err != nil {
				return err
			}
		}
	}
	if c.Email != "" {
		if m.email, err = r.ClientIDsByContact(ctx, ContactEmail, c.Email); err != nil {
			return err
		}
	}
	if row.card != "" {
		if m.card, err = identOwner(ctx, r, row.card); err != nil {
			return err
		}
	}
	return nil
}

// lookupBatch is lookup for a chunk of rows, a query per kind of key.
func (pl *importPlan) lookupBatch(ctx context.Context, br BatchReader, rows []importRow, found []dbMatches) error {
	var exts, idents, emails []string
	for i := range rows {
		row := &rows[i]
		if len(row.problems) > 0 {
			continue
		}
		for _, k := range []struct {
			list  *[]string
			value string
		}{{&exts, row.c.ExternalID}, {&idents, row.c.Phone}, {&idents, row.card}, {&emails, row.c.Email}} {
			if k.value != "" {
				*k.list = append(*k.list, k.value)
			}
		}
	}
	owners, err := br.IdentifierOwners(ctx, idents)
	if err != nil {
		return err
	}
	var phones []string
	for i := range rows {
		if p := rows[i].c.Phone; p != "" && len(rows[i].problems) == 0 && owners[p] == "" {
			phones = append(phones, p)
		}
	}
	byPhone, err := br.ClientIDsByContacts(ctx, ContactPhone, phones)
	if err != nil {
		return err
	}
	byEmail, err := br.ClientIDsByContacts(ctx, ContactEmail, emails)
	if err != nil {
		return err
	}
	byExt, err := br.ClientIDsByExternalIDs(ctx, exts)
	if err != nil {
		return err
	}
	list := func(id string) []string {
		if id == "" {
			return nil
		}
		return []string{id}
	}
	for i := range rows {
		row, m := &rows[i], &found[i]
		if len(row.problems) > 0 {
			continue
		}
		m.ext = list(byExt[row.c.ExternalID])
		if row.c.Phone != "" {
			if m.phone = list(owners[row.c.Phone]); m.phone == nil {
				m.phoneContacts = byPhone[row.c.Phone]
			}
		}
		if row.c.Email != "" {
			m.email = byEmail[row.c.Email]
		}
		if row.card != "" {
			m.card = list(owners[row.card])
		}
	}
	return nil
}

func identOwner(ctx context.Context, r ClientReader, value string) ([]string, error) {
	idf, err := r.IdentifierByValue(ctx, value)
	return one(idf.ClientID, err)
}

// checkRow decides what row i does, from what the store has (found) and
// what the earlier rows did.
func (pl *importPlan) checkRow(i int, found *dbMatches) {
	row := &pl.rows[i]
	if len(row.problems) > 0 {
		pl.reject(i, row.problems...)
		return
	}
	c := row.c
	var ext, phone, phoneContact, email, card match
	if c.ExternalID != "" {
		ext = pl.find(pl.byExt, c.ExternalID, found.ext)
	}
	if c.Phone != "" {
		if phone = pl.find(pl.byIdent, c.Phone, found.phone); len(phone.ids) == 0 {
			phoneContact = match{ids: found.phoneContacts}
		}
	}
	if c.Email != "" {
		email = pl.find(pl.byEmail, c.Email, found.email)
	}
	if row.card != "" {
		card = pl.find(pl.byIdent, row.card, found.card)
	}

	// The row's client: by external id, then phone, then e-mail; by card only
	// when the row has none of them.
	target, ambiguous := "", ""
	for _, k := range []struct {
		m     match
		field string
	}{{ext, FieldExternalID}, {phone, FieldPhone}, {phoneContact, FieldPhone}, {email, FieldEmail}} {
		if len(k.m.ids) == 0 {
			continue
		}
		if target = k.m.one(); target == "" {
			ambiguous = k.field
		}
		break
	}
	if c.ExternalID == "" && c.Phone == "" && c.Email == "" {
		target = card.one()
	}
	// A card or phone held by another client than the row's is a conflict
	// whatever the mode: the row would take it from its owner.
	if owner := card.one(); owner != "" && owner != target && ambiguous == "" {
		reason := ReasonTaken
		if card.fromFile {
			reason = ReasonDuplicate
		}
		pl.reject(i, pl.problem(row, FieldError{Field: FieldCard, Reason: reason, Value: row.card}))
		return
	}
	duplicate := target != "" || ambiguous != ""
	if duplicate && pl.opt.Duplicates == DuplicatesSkip {
		pl.action[i] = actSkip
		pl.skipped++
		return
	}
	if ambiguous != "" {
		pl.reject(i, pl.problem(row, FieldError{Field: ambiguous, Reason: ReasonAmbiguous, Value: fieldValue(c, ambiguous)}))
		return
	}
	if owner := phone.one(); owner != "" && owner != target {
		reason := ReasonTaken
		if phone.fromFile {
			reason = ReasonDuplicate
		}
		pl.reject(i, pl.problem(row, FieldError{Field: FieldPhone, Reason: reason, Value: c.Phone}))
		return
	}
	if target == "" {
		target = newPrefix + strconv.Itoa(i)
		pl.action[i] = actCreate
		pl.created++
	} else {
		pl.action[i] = actMerge
		pl.merged++
	}
	pl.target[i] = target
	for _, k := range []struct {
		m     map[string]string
		value string
	}{{pl.byExt, c.ExternalID}, {pl.byIdent, c.Phone}, {pl.byEmail, c.Email}, {pl.byIdent, row.card}} {
		if k.value != "" {
			k.m[k.value] = target
		}
	}
}

func one(id string, err error) ([]string, error) {
	switch {
	case errors.Is(err, ErrNotFound):
		return nil, nil
	case err != nil:
		return nil, err
	}
	return []string{id}, nil
}

// find looks a key up among the earlier rows, then in what the store has.
func (pl *importPlan) find(m map[string]string, value string, store []string) match {
	if t, ok := m[value]; ok {
		return match{ids: []string{t}, fromFile: true}
	}
	return match{ids: store}
}

// problem is a problem of row about fe's field, in the field's column.
func (pl *importPlan) problem(row *importRow, fe FieldError) ImportProblem {
	pr := ImportProblem{Line: row.line, FieldError: fe}
	if col := pl.p.columnOf(fe.Field); col >= 0 && col < len(pl.p.t.Header) {
		pr.Column, pr.ColumnIndex = cleanText(pl.p.t.Header[col]), col+1
	}
	return pr
}

func fieldValue(c Client, field string) string {
	switch field {
	case FieldExternalID:
		return c.ExternalID
	case FieldPhone:
		return c.Phone
	case FieldEmail:
		return c.Email
	}
	return ""
}

// report fills rep with the plan's counts and problems.
func (pl *importPlan) report(rep ImportReport) ImportReport {
	rep.Created, rep.Merged, rep.Skipped, rep.Rejected = pl.created, pl.merged, pl.skipped, pl.rejected
	rep.Problems = pl.problems
	for i, a := range pl.action {
		if (a == actCreate || a == actMerge) && pl.rows[i].opening > 0 {
			rep.Openings++
		}
	}
	return rep
}

// BatchReader is what a store's reader may offer so that an import looks the
// keys of many rows up in one query each, rather than one query per key
// (CL-18). The import uses it when the store has it.
type BatchReader interface {
	// IdentifierOwners returns, for those of values that are the value of a
	// live identifier, the client holding it.
	IdentifierOwners(ctx context.Context, values []string) (map[string]string, error)
	// ClientIDsByContacts is ClientIDsByContact for many values: each value
	// found, to its clients by id.
	ClientIDsByContacts(ctx context.Context, kind ContactKind, values []string) (map[string][]string, error)
	// ClientIDsByExternalIDs returns, for those of externalIDs a live client
	// has, the client.
	ClientIDsByExternalIDs(ctx context.Context, externalIDs []string) (map[string]string, error)
}

// BatchWriter is what a transaction may offer so that an import stores many
// new clients and identifiers in one statement each. The import uses it
// when the transaction has it.
type BatchWriter interface {
	// InsertClients stores new clients, as InsertClient does one.
	InsertClients(ctx context.Context, cs []Client) error
	// InsertIdentifiers stores identification methods, as InsertIdentifier
	// does one.
	InsertIdentifiers(ctx context.Context, ids []Identifier) error
}

// writeBatch is how many new clients or identifiers an import hands a
// BatchWriter at once.
const writeBatch = 500

// importWriter writes an import's rows in its transaction: new clients and
// their identifiers in batches when the transaction can (a client always
// before its identifiers), merges at once, variables and tags at the end.
type importWriter struct {
	ctx     context.Context
	tx      Tx
	bw      BatchWriter
	now     time.Time
	node    string
	clients []Client
	idents  []Identifier
	// news holds the clients the import makes, by plan target, as written.
	news     map[string]*Client
	vars     []Variable
	tagged   map[string][]string // tag name → client ids
	tagOrder []string
	hasTag   map[[2]string]bool // client id, tag name
	openings []opening
}

// opening is a client's balance from the old system, in kopecks of points.
type opening struct {
	clientID string
	amount   int64
}

func newImportWriter(ctx context.Context, tx Tx, now time.Time, node string) *importWriter {
	w := &importWriter{ctx: ctx, tx: tx, now: now, node: node,
		news: map[string]*Client{}, tagged: map[string][]string{}, hasTag: map[[2]string]bool{}}
	w.bw, _ = tx.(BatchWriter)
	return w
}

func (w *importWriter) client(c Client) error {
	if w.bw == nil {
		return w.tx.InsertClient(w.ctx, c)
	}
	if w.clients = append(w.clients, c); len(w.clients) >= writeBatch {
		return w.flush()
	}
	return nil
}

func (w *importWriter) ident(idf Identifier) error {
	if w.bw == nil {
		return w.tx.InsertIdentifier(w.ctx, idf)
	}
	if w.idents = append(w.idents, idf); len(w.idents) >= writeBatch {
		return w.flush()
	}
	return nil
}

func (w *importWriter) flush() error {
	if len(w.clients) > 0 {
		if err := w.bw.InsertClients(w.ctx, w.clients); err != nil {
			return err
		}
		w.clients = w.clients[:0]
	}
	if len(w.idents) > 0 {
		if err := w.bw.InsertIdentifiers(w.ctx, w.idents); err != nil {
			return err
		}
		w.idents = w.idents[:0]
	}
	return nil
}

// row writes row i: a new client, or a merge into an existing client or
// into one an earlier row of the file made.
func (w *importWriter) row(pl *importPlan, i int) error {
	a, t, row := pl.action[i], pl.target[i], &pl.rows[i]
	if a != actCreate && a != actMerge {
		return nil
	}
	var c, old Client
	switch {
	case a == actCreate:
		c = Client{ID: NewID(), CreatedAt: w.now}
		applyRow(&c, row)
		c.UpdatedAt, c.NodeID = w.now, w.node
		if err := w.client(c); err != nil {
			return err
		}
		if c.Phone != "" {
			pid := phoneIdentifier(c, w.now, w.node)
			if err := w.ident(pid); err != nil {
				return err
			}
			c.Identifiers = append(c.Identifiers, pid)
		}
	default:
		if nc, ok := w.news[t]; ok {
			if err := w.flush(); err != nil { // the client must be stored to change it
				return err
			}
			old = *nc
		} else {
			var err error
			if old, err = w.tx.Client(w.ctx, t); err != nil {
				return err
			}
		}
		c = old
		c.Identifiers = slices.Clone(old.Identifiers)
		applyRow(&c, row)
		c.UpdatedAt, c.NodeID = w.now, w.node
		if err := w.tx.UpdateClient(w.ctx, c); err != nil {
			return err
		}
		if c.Phone != old.Phone {
			if err := syncPhoneMethod(w.ctx, w.tx, &c, old.Phone, w.now, w.node); err != nil {
				return err
			}
		}
	}
	if card := row.card; card != "" && card != c.Phone &&
		!slices.ContainsFunc(c.Identifiers, func(idf Identifier) bool { return idf.Value == card }) {
		idf := Identifier{ID: NewID(), ClientID: c.ID, Media: MediaCard, Input: InputBarcode, Value: card,
			CreatedAt: w.now, UpdatedAt: w.now, NodeID: w.node}
		var err error
		if a == actCreate {
			err = w.ident(idf)
		} else {
			err = w.tx.InsertIdentifier(w.ctx, idf)
		}
		if err != nil {
			return err
		}
		c.Identifiers = append(c.Identifiers, idf)
	}
	if strings.HasPrefix(t, newPrefix) {
		w.news[t] = &c
	}
	if row.opening > 0 {
		w.openings = append(w.openings, opening{c.ID, row.opening})
	}
	for _, v := range row.vars {
		w.vars = append(w.vars, Variable{ID: NewID(), ClientID: c.ID, Name: v.name, Value: v.value,
			CreatedAt: w.now, UpdatedAt: w.now, NodeID: w.node})
	}
	for _, tag := range row.tags {
		if key := [2]string{c.ID, tag}; !w.hasTag[key] {
			w.hasTag[key] = true
			if _, ok := w.tagged[tag]; !ok {
				w.tagOrder = append(w.tagOrder, tag)
			}
			w.tagged[tag] = append(w.tagged[tag], c.ID)
		}
	}
	return nil
}

// finish stores what is left: the last batch, the variables, the tags and
// the audit entry.
func (w *importWriter) finish(pl *importPlan, source string) error {
	ctx, tx, now, node := w.ctx, w.tx, w.now, w.node
	if err := w.flush(); err != nil {
		return err
	}
	for _, v := range w.vars {
		if err := tx.SetVariable(ctx, v); err != nil {
			return err
		}
	}
	openings := 0
	for _, o := range w.openings {
		made, err := openingBalance(ctx, tx, o.clientID, o.amount, source, now, node)
		if err != nil {
			return err
		}
		if made {
			openings++
		}
	}
	for _, name := range w.tagOrder {
		tag, err := ensureTag(ctx, tx, name, now, node)
		if err != nil {
			return err
		}
		ids := w.tagged[name]
		for len(ids) > 0 {
			chunk := ids[:min(len(ids), tagChunk)]
			ids = ids[len(chunk):]
			if _, err := tx.TagClients(ctx, ClientSelect{IDs: chunk}, tag.ID, now, node); err != nil {
				return err
			}
		}
	}
	b, _ := json.Marshal(map[string]any{
		"file": source, "rows": len(pl.rows), "created": pl.created, "merged": pl.merged,
		"skipped": pl.skipped, "duplicates": string(pl.opt.Duplicates), "opening_balances": openings,
	})
	return tx.AppendAudit(ctx, AuditEntry{
		ID: NewID(), At: now, NodeID: node, Actor: ActorOf(ctx),
		Action: "clients.import", Entity: "client", EntityID: "*", Details: string(b),
	})
}

// tagChunk is how many clients one TagClients call of an import names.
const tagChunk = 500

// applyRow copies the fields a row gives onto c.
func applyRow(c *Client, row *importRow) {
	r := row.c
	set := func(flag importGiven, dst *string, v string) {
		if row.given&flag != 0 {
			*dst = v
		}
	}
	set(givenFirst, &c.FirstName, r.FirstName)
	set(givenLast, &c.LastName, r.LastName)
	set(givenPatronymic, &c.Patronymic, r.Patronymic)
	set(givenPhone, &c.Phone, r.Phone)
	set(givenEmail, &c.Email, r.Email)
	set(givenExternalID, &c.ExternalID, r.ExternalID)
	set(givenNote, &c.Note, r.Note)
	if row.given&givenGender != 0 {
		c.Gender = r.Gender
	}
	if row.given&givenBirth != 0 {
		c.BirthDate = r.BirthDate
	}
	if row.sms != nil {
		c.SMSSubscribed = *row.sms
	}
	if row.emailSub != nil {
		c.EmailSubscribed = *row.emailSub
	}
}

// openingBalance writes a client's opening balance (kopecks of points) as one
// "opening" entry on the default account; its key derives from the client,
// so a client gets one opening balance however often a file is imported.
func openingBalance(ctx context.Context, tx Tx, clientID string, amount int64, source string, now time.Time, node string) (bool, error) {
	id := DerivedID("opening", clientID)
	if _, err := tx.Entry(ctx, id); err == nil {
		return false, nil
	} else if !errors.Is(err, ErrNotFound) {
		return false, err
	}
	e := Entry{ID: id, ClientID: clientID, Kind: EntryOpening, Amount: amount, Author: ActorOf(ctx),
		Reason: "opening balance: " + source, CreatedAt: now, NodeID: node}
	return true, post(ctx, tx, DefaultAccountTypeID, e, "")
}
