package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"sync"
	"time"

	"loyaltydesk/app"
)

// This file answers the client list: a ClientSelect (search text, filter,
// checked ids, order) becomes SQL for a page, a count, a stream, and the
// selection of a bulk change.
//
// How a page is read decides its speed at a million clients:
//
//   - With search text, the text picks the rows (a name prefix is a range of
//     clients_name or clients_fname, the other matches are a union of small
//     index lookups) and the filter's conditions are checked on those rows.
//   - Without text and without filter, a page walks the index of its order
//     (clients_name, clients_created, …) and stops after the page.
//   - With a filter there are two ways, and the faster one depends on how
//     many clients match (see planWalk): walk the index of the order and
//     check each row until the page is full, or find every match (see
//     source: the covering clients_filter index, the members of a tag or a
//     category, the checked ids) and sort them. The store keeps the last
//     counts it made (CountClients runs before the first page) to choose.
//
// Every value is a bound argument; only fixed SQL text is put together.

// where is a conjunction of SQL conditions and their arguments, in order.
type where struct {
	conds []string
	args  []any
}

func (w *where) and(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

// andIn adds "col IN (…)" for a non-empty list of values.
func andIn[T ~string](w *where, col string, vals []T) {
	args := make([]any, len(vals))
	for i, v := range vals {
		args[i] = string(v)
	}
	w.and(col+` IN (?`+strings.Repeat(`, ?`, len(vals)-1)+`)`, args...)
}

func (w *where) join(o where) {
	w.conds = append(w.conds, o.conds...)
	w.args = append(w.args, o.args...)
}

// sql returns the conditions joined by AND ("1" when there are none).
func (w where) sql() string {
	if len(w.conds) == 0 {
		return "1"
	}
	return strings.Join(w.conds, " AND ")
}

// genderValue is the gender column's value a gender filter asks for.
func genderValue(g app.GenderFilter) string {
	if g == app.GenderIsUnknown {
		return ""
	}
	return string(g)
}

// errNoToday is returned for an age condition without the day to count on.
var errNoToday = fmt.Errorf("client selection: an age condition needs Today: %w", app.ErrInvalid)

// condMode is what reads the rows a filter's conditions are checked on.
type condMode int

const (
	// byRow: a walk or a few rows found otherwise; membership is a look into
	// the member table's primary key for each row.
	byRow condMode = iota
	// byMemberList: the rows are found through the members of the tag or
	// category, so membership is an IN (list) the planner reads from.
	byMemberList
	// byFilterIndex: a read of the covering clients_filter index; membership
	// is an IN (list), made once and looked into for each entry.
	byFilterIndex
)

// filterWhere turns a filter into conditions on the client row c. Every value
// is a bound argument.
//
// In mode byFilterIndex the conditions are written for a read of the covering
// clients_filter index, whose first columns (gender and the four flags) have
// a few values each:
//
//   - up to the last of those columns the filter sets, each column gets an
//     equality or, when the filter leaves it open, IN (all its values): the
//     read then seeks to the few runs of entries that can match (favourites:
//     24 runs, 6,000 of 1M entries, 20 ms instead of 160 ms);
//   - every other column is wrapped in a unary +, so the planner checks it on
//     the entries it reads rather than try a skip-scan over ten columns,
//     which takes seconds.
func filterWhere(f app.ClientFilter, today app.Date, mode condMode) (where, error) {
	var w where
	forFilterIndex := mode == byFilterIndex
	col := func(name string) string {
		if forFilterIndex {
			return "+c." + name
		}
		return "c." + name
	}
	flags := []struct {
		col string
		set bool
		val any
		all string // every value the column may hold (its CHECK)
	}{
		{"gender", f.Gender != app.GenderAny, genderValue(f.Gender), `('', 'female', 'male')`},
		{"sms_subscribed", f.SMS != app.Any, f.SMS == app.Yes, `(0, 1)`},
		{"email_subscribed", f.Email != app.Any, f.Email == app.Yes, `(0, 1)`},
		{"blocked", f.Blocked != app.Any, f.Blocked == app.Yes, `(0, 1)`},
		{"favorite", f.Favorite != app.Any, f.Favorite == app.Yes, `(0, 1)`},
	}
	last := -1
	for i, fl := range flags {
		if fl.set {
			last = i
		}
	}
	if !forFilterIndex {
		last = len(flags) - 1
	}
	for _, fl := range flags[:last+1] {
		switch {
		case fl.set:
			w.and(`c.`+fl.col+` = ?`, fl.val)
		case forFilterIndex:
			w.and(`c.` + fl.col + ` IN ` + fl.all)
		}
	}
	if f.AgeFrom != nil || f.AgeTo != nil {
		if today.IsZero() {
			return w, errNoToday
		}
		// A client without a birth date has no age: NULL fails both bounds.
		from, to := f.BirthBounds(today)
		w.and(col("birth_date") + ` IS NOT NULL`)
		if !from.IsZero() {
			w.and(col("birth_date")+` >= ?`, from.String())
		}
		if !to.IsZero() {
			w.and(col("birth_date")+` <= ?`, to.String())
		}
	}
	intRange := func(name string, from, to *int64) {
		if from != nil {
			w.and(col(name)+` >= ?`, *from)
		}
		if to != nil {
			w.and(col(name)+` <= ?`, *to)
		}
	}
	intRange("visits", f.VisitsFrom, f.VisitsTo)
	intRange("sold", f.SoldFrom, f.SoldTo)
	intRange("paid", f.PaidFrom, f.PaidTo)
	// The bounds are local calendar days; last_visit_at is UTC text, so a day
	// runs from its local midnight to the next one.
	if !f.LastVisitFrom.IsZero() {
		w.and(col("last_visit_at")+` >= ?`, formatTime(f.LastVisitFrom.Time(time.Local)))
	}
	if !f.LastVisitTo.IsZero() {
		w.and(col("last_visit_at")+` < ?`, formatTime(f.LastVisitTo.AddDays(1).Time(time.Local)))
	}
	ref := func(name, id string) {
		switch id {
		case "":
		case app.NoneID:
			w.and(col(name) + ` IS NULL`)
		default:
			w.and(col(name)+` = ?`, id)
		}
	}
	ref("group_id", f.GroupID)
	ref("class_id", f.ClassID)
	if !f.BirthdayFrom.IsZero() || !f.BirthdayTo.IsZero() {
		from, to := int64(101), int64(1231)
		if !f.BirthdayFrom.IsZero() {
			from = int64(f.BirthdayFrom)
		}
		if !f.BirthdayTo.IsZero() {
			to = int64(f.BirthdayTo)
		}
		if from <= to {
			w.and(col("birth_md")+` BETWEEN ? AND ?`, from, to)
		} else { // over New Year: 20.12–10.01
			w.and(`(`+col("birth_md")+` >= ? OR `+col("birth_md")+` <= ?)`, from, to)
		}
	}
	// Membership last: SQLite checks the conditions in this order, and a
	// look into a member list costs more than a column of the index. A walk
	// looks into the member table's key for each row it passes rather than
	// make a list of 100,000 members for each window.
	member := func(id, members, column, table string) {
		switch id {
		case "":
		case app.NoneID:
			// No live one: members of deleted categories and tags do not count.
			w.and(`NOT EXISTS (SELECT 1 FROM ` + members + ` m JOIN ` + table + ` r ON r.id = m.` + column +
				` AND r.deleted_at IS NULL WHERE m.client_id = ` + col("id") + `)`)
		default:
			if mode == byRow {
				w.and(`EXISTS (SELECT 1 FROM `+members+` WHERE client_id = c.id AND `+column+` = ?)`, id)
				return
			}
			w.and(col("id")+` IN (SELECT client_id FROM `+members+` WHERE `+column+` = ?)`, id)
		}
	}
	member(f.CategoryID, "client_category_members", "category_id", "client_categories")
	member(f.TagID, "client_tags", "tag_id", "tags")
	return w, nil
}

// idsWhere limits the selection to sel.IDs; one argument holds them all as a
// JSON array, however many there are.
func idsWhere(ids []string) (where, error) {
	var w where
	if ids == nil {
		return w, nil
	}
	b, err := json.Marshal(ids)
	if err != nil {
		return w, err
	}
	w.and(`c.id IN (SELECT value FROM json_each(?))`, string(b))
	return w, nil
}

// filtered reports whether sel has a filter or a checked set.
func filtered(sel app.ClientSelect) bool { return sel.IDs != nil || !sel.Filter.IsEmpty() }

// nobody reports whether sel matches nobody without asking the database.
func nobody(sel app.ClientSelect) bool { return sel.IDs != nil && len(sel.IDs) == 0 }

// hasMembers reports whether f picks the members of a tag or a category.
func hasMembers(f app.ClientFilter) bool {
	return f.TagID != "" && f.TagID != app.NoneID || f.CategoryID != "" && f.CategoryID != app.NoneID
}

// Access paths of an unordered selection.
const (
	fromText    = `clients c NOT INDEXED`                           // rowids of the text's matches
	fromList    = `clients c INDEXED BY sqlite_autoindex_clients_1` // a list of ids
	fromFilter  = `clients c INDEXED BY clients_filter`             // a scan of the filter index
	fromClients = `clients c`
)

// source returns the FROM clause (with the access path) and the conditions of
// the unordered selection sel, for counting, sorting and bulk changes:
//
//   - the text's matches, found by their indexes and read by rowid, are few
//     next to the base;
//   - a checked set is a list of ids, read one by one;
//   - the members of a tag or a category are read one by one, or found by a
//     scan of the filter index that looks into the member list for each
//     client meeting the other conditions, whichever costs less (byList);
//   - any other filter scans the covering filter index without reading the
//     table.
func (q *queries) source(ctx context.Context, sel app.ClientSelect) (string, where, error) {
	var w where
	w.and(`c.deleted_at IS NULL`)
	from := fromClients
	switch {
	case !sel.Keys.IsEmpty():
		from = fromText
		m, margs := textMatches(sel.Keys)
		w.and(`c.rowid IN (`+m+`)`, margs...)
	case sel.IDs != nil:
		from = fromList
	case hasMembers(sel.Filter):
		list, err := q.byList(ctx, sel)
		if err != nil {
			return "", w, err
		}
		from = fromFilter
		if list {
			from = fromList
		}
	case !sel.Filter.IsEmpty():
		from = fromFilter
	}
	mode := byRow
	switch from {
	case fromFilter:
		mode = byFilterIndex
	case fromList:
		mode = byMemberList
	}
	fw, err := filterWhere(sel.Filter, sel.Today, mode)
	if err != nil {
		return "", w, err
	}
	w.join(fw)
	iw, err := idsWhere(sel.IDs)
	if err != nil {
		return "", w, err
	}
	w.join(iw)
	return from, w, nil
}

// Costs of the two ways to the members of a tag or a category who meet the
// filter's other conditions, in nanoseconds (measured at 1M clients):
const (
	memberReadNs  = 4_000 // per member: their row, by id
	filterEntryNs = 135   // per client: an entry of the filter index
	memberProbeNs = 900   // per client meeting the other conditions: a look into the member list
	// passSample is how many clients, spread over the table, tell what share
	// of the base meets the other conditions.
	passSample = 1_000
)

// byList reports whether the members of sel's tag or category are cheaper to
// read one by one than to find by a scan of the filter index. Reading costs
// the same per member whatever the other conditions; the scan costs little
// per client but a look into the member list for each client who meets the
// other conditions, so it wins when they are selective. That share comes
// from a sample of the clients.
func (q *queries) byList(ctx context.Context, sel app.ClientSelect) (bool, error) {
	if forceAccess != "" {
		return forceAccess == "list", nil
	}
	f := sel.Filter
	members := int64(-1)
	for _, m := range []struct{ id, table, column string }{
		{f.TagID, "client_tags", "tag_id"}, {f.CategoryID, "client_category_members", "category_id"},
	} {
		if m.id == "" || m.id == app.NoneID {
			continue
		}
		var n int64
		if err := q.q.QueryRowContext(ctx, `SELECT count(*) FROM `+m.table+` WHERE `+m.column+` = ?`, m.id).Scan(&n); err != nil {
			return false, err
		}
		if members < 0 || n < members {
			members = n
		}
	}
	total, err := q.clientsAbout(ctx)
	if err != nil || total == 0 {
		return true, err
	}
	share, err := q.passShare(ctx, sel, total)
	if err != nil {
		return false, err
	}
	scan := float64(total) * (filterEntryNs + share*memberProbeNs)
	return float64(members*memberReadNs) <= scan, nil
}

// passShare estimates the share of the total clients who meet sel's filter
// but its tag and category: it checks passSample clients spread evenly over
// the table.
func (q *queries) passShare(ctx context.Context, sel app.ClientSelect, total int64) (float64, error) {
	others := sel.Filter
	if others.TagID != app.NoneID {
		others.TagID = ""
	}
	if others.CategoryID != app.NoneID {
		others.CategoryID = ""
	}
	if others.IsEmpty() {
		return 1, nil
	}
	ow, err := filterWhere(others, sel.Today, byRow)
	if err != nil {
		return 0, err
	}
	step := max(total/passSample, 1)
	ids := make([]int64, 0, passSample)
	for id := step; id <= total && len(ids) < passSample; id += step {
		ids = append(ids, id)
	}
	sample, err := json.Marshal(ids)
	if err != nil {
		return 0, err
	}
	var seen, pass int64
	if err := q.q.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(`+ow.sql()+`), 0) FROM clients c NOT INDEXED
		WHERE c.rowid IN (SELECT value FROM json_each(?)) AND c.deleted_at IS NULL`,
		append(ow.args, string(sample))...).Scan(&seen, &pass); err != nil {
		return 0, err
	}
	if seen == 0 {
		return 1, nil
	}
	return float64(pass) / float64(seen), nil
}

// textMatches returns a query of the rowids of the live clients matching the
// search text: the two name prefixes and the other matches.
func textMatches(k app.SearchKeys) (string, []any) {
	hi := k.Name + "\U0010FFFF"
	other, oargs := otherMatches(k)
	q := `SELECT rowid FROM clients INDEXED BY clients_name WHERE name_key >= ? AND name_key < ? AND deleted_at IS NULL
		UNION SELECT rowid FROM clients INDEXED BY clients_fname WHERE fname_key >= ? AND fname_key < ? AND deleted_at IS NULL
		UNION SELECT rowid FROM clients WHERE id IN (` + other + `) AND deleted_at IS NULL`
	return q, append([]any{k.Name, hi, k.Name, hi}, oargs...)
}

// otherMatches returns the ids matching keys by e-mail, external id,
// identifier value and phone, each arm a range scan of an index. The WHERE of
// an arm repeats the condition of the partial index it is meant to use, or
// SQLite cannot use that index and scans the table.
func otherMatches(k app.SearchKeys) (string, []any) {
	var arms []string
	var args []any
	prefix := func(col, v string) {
		arms = append(arms, `SELECT id FROM clients WHERE `+col+` >= ? AND `+col+` < ? AND deleted_at IS NULL AND `+col+` <> ''`)
		args = append(args, v, v+"\U0010FFFF")
	}
	if !strings.ContainsRune(k.Email, ' ') {
		prefix("email", k.Email)
	}
	arms = append(arms, `SELECT id FROM clients WHERE external_id = ? AND external_id <> '' AND deleted_at IS NULL`)
	args = append(args, k.Raw)
	arms = append(arms, `SELECT client_id FROM client_identifiers WHERE value >= ? AND value < ? AND deleted_at IS NULL`)
	args = append(args, k.Raw, k.Raw+"\U0010FFFF")
	if k.Phone != "" {
		prefix("phone", k.Phone)
	}
	if k.Digits != "" {
		prefix("phone_rev", k.Digits)
	}
	return strings.Join(arms, " UNION "), args
}

// sortSpec is a sort key's column and the index that holds it in order,
// (column, id) over the live clients.
type sortSpec struct {
	index    string
	col      string
	nullable bool // NULL (never came) sorts last in both directions
}

var sortSpecs = map[app.SortKey]sortSpec{
	app.SortName:      {"clients_name", "name_key", false},
	app.SortCreated:   {"clients_created", "created_at", false},
	app.SortLastVisit: {"clients_last_visit", "last_visit_at", true},
	app.SortVisits:    {"clients_visits", "visits", false},
	app.SortSold:      {"clients_sold", "sold", false},
	app.SortPaid:      {"clients_paid", "paid", false},
}

func specOf(k app.SortKey) (sortSpec, error) {
	s, ok := sortSpecs[k]
	if !ok {
		return s, fmt.Errorf("client selection: sort key %q: %w", k, app.ErrInvalid)
	}
	return s, nil
}

// orderBy is the ORDER BY of a sort that is not read from an index.
func (s sortSpec) orderBy(desc bool) string {
	if desc {
		return `c.` + s.col + ` DESC, c.id DESC`
	}
	if s.nullable {
		return `c.` + s.col + ` IS NULL, c.` + s.col + `, c.id`
	}
	return `c.` + s.col + `, c.id`
}

// part is one query of a page read in parts: its rows come after those of
// the parts before it.
type part struct {
	from  string   // FROM clause with the index to walk
	w     where    // conditions
	keys  []string // the ORDER BY columns, which the index holds in order
	desc  bool
	index string // the index, for a window bound; "" when the part is not walked
	extra string // the part's own condition on that index (walk bounds repeat it)
}

func (p part) orderBy() string {
	var b strings.Builder
	for i, k := range p.keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(k)
		if p.desc {
			b.WriteString(" DESC")
		}
	}
	return b.String()
}

func (p part) query(columns string) (string, []any) {
	return `SELECT ` + columns + ` FROM ` + p.from + ` WHERE ` + p.w.sql() + ` ORDER BY ` + p.orderBy(), p.w.args
}

// walkParts returns the parts that read clients in the order of spec by
// walking its index, with conditions w on every row. NULLs come first in an
// index, and a window's bound cannot be NULL, so a nullable key is read in
// two parts either way: the clients with a key in its order, then those
// without by id.
func walkParts(spec sortSpec, desc bool, w where) []part {
	from := `clients c INDEXED BY ` + spec.index
	base := where{}
	base.and(`c.deleted_at IS NULL`)
	base.join(w)
	if !spec.nullable {
		return []part{{from: from, w: base, keys: []string{"c." + spec.col, "c.id"}, desc: desc, index: spec.index}}
	}
	notNull, isNull := where{}, where{}
	notNull.and(`c.` + spec.col + ` IS NOT NULL`)
	notNull.join(base)
	isNull.and(`c.` + spec.col + ` IS NULL`)
	isNull.join(base)
	return []part{
		{from: from, w: notNull, keys: []string{"c." + spec.col, "c.id"}, desc: desc, index: spec.index, extra: `c.` + spec.col + ` IS NOT NULL`},
		{from: from, w: isNull, keys: []string{"c.id"}, desc: desc, index: spec.index, extra: `c.` + spec.col + ` IS NULL`},
	}
}

// textParts returns the three parts of a search in name order, each read in
// the order of an index so that a page never waits for a sort of every match:
//
//  1. clients whose surname-first name starts with the text (clients_name);
//  2. then those whose first-name-first name does (clients_fname);
//  3. then the few found by e-mail, phone, identifier or external id, by name.
//
// Each part leaves out what an earlier part listed, so paging over the parts
// in this order sees every match once. The filter's conditions w are checked
// on every row.
func textParts(k app.SearchKeys, w where) []part {
	hi := k.Name + "\U0010FFFF"
	inName := `(c.name_key >= ? AND c.name_key < ?)`
	inFirst := `(c.fname_key >= ? AND c.fname_key < ?)`
	var p1, p2, p3 where
	p1.and(inName, k.Name, hi)
	p1.and(`c.deleted_at IS NULL`)
	p1.join(w)
	p2.and(inFirst, k.Name, hi)
	p2.and(`c.deleted_at IS NULL AND NOT `+inName, k.Name, hi)
	p2.join(w)
	other, oargs := otherMatches(k)
	p3.and(`c.id IN (`+other+`)`, oargs...)
	p3.and(`c.deleted_at IS NULL AND NOT `+inName+` AND NOT `+inFirst, k.Name, hi, k.Name, hi)
	p3.join(w)
	return []part{
		{from: `clients c INDEXED BY clients_name`, w: p1, keys: []string{"c.name_key", "c.id"}},
		{from: `clients c INDEXED BY clients_fname`, w: p2, keys: []string{"c.fname_key", "c.id"}},
		{from: `clients c INDEXED BY sqlite_autoindex_clients_1`, w: p3, keys: []string{"c.name_key", "c.id"}},
	}
}

// byParts reports whether a search is listed in the parts of textParts: in
// name order, A to Z. Any other order lists the matches as one set.
func byParts(sel app.ClientSelect) bool { return sel.Sort == app.SortName && !sel.Desc }

// rowConditions returns the filter and checked-set conditions checked on each
// row of a walk or a text part.
func rowConditions(sel app.ClientSelect) (where, error) {
	w, err := filterWhere(sel.Filter, sel.Today, byRow)
	if err != nil {
		return w, err
	}
	iw, err := idsWhere(sel.IDs)
	w.join(iw)
	return w, err
}

// Choosing between a walk of the order's index and a sort of the matches
// (measured at 1M clients, see BenchmarkFilterThreeConditions):
//
//   - A walk reads the index of the order and each row it passes, about
//     walkRowCost per row, until the page is full. If the matches were spread
//     evenly it would pass (offset+limit) × total / matches rows; they are not
//     (in name order all the men named Абрамов come before the first Абрамова,
//     the regulars are the recent clients), so a walk goes in windows of the
//     index, each walkWindowGrowth times the one before, and gives up for a
//     sort once it has passed as many rows as the sort would cost.
//   - A sort finds the matches through the filter index (a scan of the whole
//     index, about sortFixedCost) or a member list, reads each match and keeps
//     the first offset+limit in a sorter: about sortRowCost per match.
//
// A filter matching 200,000 of 1M clients fills a page of 50 after a few
// thousand rows of walk (3 ms) but sorts 200,000 rows (1 s); a filter matching
// 500 would walk some 100,000 rows (over 100 ms) but sorts 500 (a few ms). The
// costs are in units of one walked row.
const (
	walkRowCost      = 1
	sortRowCost      = 4
	sortFixedCost    = 20_000
	walkWindowGrowth = 4
)

// Tests change these to take each way on a small database.
var (
	// minWalkWindow is the first window of a walk, in index entries.
	minWalkWindow int64 = 2_000
	// forceAccess, when not "", reads the members of a tag or a category
	// "list" or "filter" whatever their number.
	forceAccess string
	// forcePlan, when not "", picks "walk", "walk-once" (a walk that gives
	// up after its first window) or "sort" whatever the counts.
	forcePlan string
)

// walkPlan is how far a walk may go before it gives up for a sort.
type walkPlan struct {
	window int64 // the first window, in index entries; 0: no windows
	budget int64 // the entries all windows may pass; 0: no limit
}

// planWalk reports whether reading need rows out of matches (of total
// clients) is cheaper by a walk, and how far the walk may go.
func planWalk(need, matches, total int64) (bool, walkPlan) {
	expect := need * total / max(matches, 1)
	sortCost := sortFixedCost + matches*sortRowCost
	plan := walkPlan{window: max(minWalkWindow, 2*expect), budget: sortCost / walkRowCost}
	switch forcePlan {
	case "walk":
		plan.budget = 0
		return true, plan
	case "walk-once": // give up after the first window
		plan.budget = plan.window
		return true, plan
	case "sort":
		return false, plan
	}
	if matches <= 0 || expect*walkRowCost > sortCost {
		return false, plan
	}
	return true, plan
}

// planHints remembers the last counts the store made per selection. They only
// choose between plans: a stale one makes a page slower, never wrong.
type planHints struct {
	mu     sync.Mutex
	counts map[uint64]int
	order  []uint64 // oldest first
}

const planHintsKept = 32

func newPlanHints() *planHints { return &planHints{counts: map[uint64]int{}} }

// hintKey fingerprints what a count depends on: text, filter, day, checked set.
func hintKey(sel app.ClientSelect) uint64 {
	h := fnv.New64a()
	f, _ := json.Marshal(sel.Filter)
	fmt.Fprintf(h, "%q\x00%s\x00%s\x00%t\x00", sel.Keys.Raw, f, sel.Today, sel.IDs == nil)
	for _, id := range sel.IDs {
		h.Write([]byte(id))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

func (h *planHints) get(sel app.ClientSelect) (int, bool) {
	if h == nil {
		return 0, false
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	n, ok := h.counts[hintKey(sel)]
	return n, ok
}

func (h *planHints) put(sel app.ClientSelect, n int) {
	if h == nil {
		return
	}
	key := hintKey(sel)
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.counts[key]; !ok {
		h.order = append(h.order, key)
		if len(h.order) > planHintsKept {
			delete(h.counts, h.order[0])
			h.order = h.order[1:]
		}
	}
	h.counts[key] = n
}

// CountClients counts the live clients matching sel.
func (q *queries) CountClients(ctx context.Context, sel app.ClientSelect) (int, error) {
	if nobody(sel) {
		return 0, nil
	}
	if sel.Keys.IsEmpty() && !filtered(sel) {
		// The narrow partial index counts live clients four times faster than
		// the table scan the planner picks by itself (0.09 s vs 0.4 s at 1M).
		var n int
		err := q.q.QueryRowContext(ctx, `SELECT count(*) FROM clients INDEXED BY clients_fname WHERE deleted_at IS NULL`).Scan(&n)
		return n, err
	}
	from, w, err := q.source(ctx, sel)
	if err != nil {
		return 0, err
	}
	var n int
	if err := q.q.QueryRowContext(ctx, `SELECT count(*) FROM `+from+` WHERE `+w.sql(), w.args...).Scan(&n); err != nil {
		return 0, err
	}
	q.hints.put(sel, n)
	return n, nil
}

// matchCount returns the count of sel the store made last, or counts now;
// fresh tells which. Only a fresh count may decide what a page holds.
func (q *queries) matchCount(ctx context.Context, sel app.ClientSelect) (n int, fresh bool, err error) {
	if n, ok := q.hints.get(sel); ok {
		return n, false, nil
	}
	n, err = q.CountClients(ctx, sel)
	return n, true, err
}

// clientsAbout returns about how many clients there are, deleted ones
// included: the largest rowid, read from the end of the table.
func (q *queries) clientsAbout(ctx context.Context) (int64, error) {
	var n sql.NullInt64
	err := q.q.QueryRowContext(ctx, `SELECT max(rowid) FROM clients`).Scan(&n)
	return n.Int64, err
}

// SearchClients returns a page of live clients matching sel, in the order
// Clients.Search describes.
func (q *queries) SearchClients(ctx context.Context, sel app.ClientSelect, offset, limit int) ([]app.Client, error) {
	out := make([]app.Client, 0, max(limit, 0))
	if limit <= 0 || nobody(sel) {
		return out, nil
	}
	offset = max(offset, 0)
	spec, err := specOf(sel.Sort)
	if err != nil {
		return nil, err
	}
	if !sel.Keys.IsEmpty() {
		if byParts(sel) {
			rw, err := rowConditions(sel)
			if err != nil {
				return nil, err
			}
			_, err = q.readParts(ctx, &out, textParts(sel.Keys, rw), offset, limit, walkPlan{})
			return out, err
		}
		err := q.readSorted(ctx, &out, sel, spec, offset, limit)
		return out, err
	}
	if !filtered(sel) {
		_, err := q.readParts(ctx, &out, walkParts(spec, sel.Desc, where{}), offset, limit, walkPlan{})
		return out, err
	}
	n, fresh, err := q.matchCount(ctx, sel)
	if err != nil {
		return nil, err
	}
	if fresh && offset >= n {
		return out, nil
	}
	if offset > n/2 && offset >= mirrorFrom && !spec.nullable {
		return q.readMirrored(ctx, sel, n, fresh, offset, limit)
	}
	total, err := q.clientsAbout(ctx)
	if err != nil {
		return nil, err
	}
	if walk, plan := planWalk(int64(min(offset+limit, n)), int64(n), total); walk {
		rw, err := rowConditions(sel)
		if err != nil {
			return nil, err
		}
		done, err := q.readParts(ctx, &out, walkParts(spec, sel.Desc, rw), offset, limit, plan)
		if err != nil || done {
			return out, err
		}
		out = out[:0] // the window ran out before the page was full: sort instead
	}
	err = q.readSorted(ctx, &out, sel, spec, offset, limit)
	return out, err
}

// mirrorFrom is the offset from which a page in the far half of a filter's
// matches is read from the other end (tests lower it).
var mirrorFrom = 1000

// readMirrored reads a page in the far half of sel's n matches from the other
// end: the reversed order at the mirrored offset, turned back. Walking or
// sorting to the last page of 200,000 matches takes seconds, and the first
// pages of the reversed order cost what first pages cost. It needs an exact
// count (a kept one may be stale, so it counts again) and an order whose
// reverse is exact, which last visit is not: clients who never came are last
// in both directions.
func (q *queries) readMirrored(ctx context.Context, sel app.ClientSelect, n int, fresh bool, offset, limit int) ([]app.Client, error) {
	if !fresh {
		var err error
		if n, err = q.CountClients(ctx, sel); err != nil {
			return nil, err
		}
		if offset >= n {
			return []app.Client{}, nil
		}
	}
	end := min(offset+limit, n)
	back := sel
	back.Desc = !sel.Desc
	page, err := q.SearchClients(ctx, back, n-end, end-offset)
	if err != nil {
		return nil, err
	}
	slices.Reverse(page)
	return page, nil
}

// readSorted reads a page of sel's matches sorted by spec.
func (q *queries) readSorted(ctx context.Context, out *[]app.Client, sel app.ClientSelect, spec sortSpec, offset, limit int) error {
	from, w, err := q.source(ctx, sel)
	if err != nil {
		return err
	}
	args := append(append([]any{}, w.args...), limit, offset)
	return q.scanClients(ctx, out, `SELECT `+clientColumns+` FROM `+from+` WHERE `+w.sql()+
		` ORDER BY `+spec.orderBy(sel.Desc)+` LIMIT ? OFFSET ?`, args...)
}

// readParts appends to out the rows offset… offset+limit of the parts read one
// after another. With a plan.window, each walked part is read in windows of
// its index and the walk gives up after plan.budget entries (if not 0): done
// is then false and out incomplete.
func (q *queries) readParts(ctx context.Context, out *[]app.Client, parts []part, offset, limit int, plan walkPlan) (done bool, err error) {
	start := len(*out)
	budget := plan.budget
	for _, p := range parts {
		window := int64(0)
		if plan.window > 0 && p.index != "" {
			window = plan.window
		}
		var lo []any // the key the current window starts after
		for {
			if len(*out)-start == limit {
				return true, nil
			}
			if window > 0 && plan.budget > 0 && budget <= 0 {
				return false, nil
			}
			w := p.w
			var hi []any // the last key of the window; nil: the part ends within it
			if window > 0 {
				if hi, err = q.windowEnd(ctx, p, lo, window); err != nil {
					return false, err
				}
				w = p.within(lo, hi)
			}
			query := `SELECT ` + clientColumns + ` FROM ` + p.from + ` WHERE ` + w.sql() + ` ORDER BY ` + p.orderBy()
			before := len(*out)
			a := append(append([]any{}, w.args...), limit-(len(*out)-start), offset)
			if err := q.scanClients(ctx, out, query+` LIMIT ? OFFSET ?`, a...); err != nil {
				return false, err
			}
			if len(*out) > before {
				offset = 0
			} else if offset > 0 {
				// The page starts after this part or window: skip as many
				// rows as it has, counting no further than the offset.
				var n int
				if err := q.q.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM `+p.from+` WHERE `+w.sql()+
					` LIMIT ?)`, append(append([]any{}, w.args...), offset)...).Scan(&n); err != nil {
					return false, err
				}
				offset -= n
			}
			if hi == nil {
				break // the part is read to its end
			}
			budget -= window
			lo, window = hi, window*walkWindowGrowth
		}
	}
	return true, nil
}

// windowEnd returns the key of the window-th entry of a walked part's index
// after the key lo (from the start when nil), or nil when the part has fewer.
func (q *queries) windowEnd(ctx context.Context, p part, lo []any, window int64) ([]any, error) {
	var w where
	w.and(`c.deleted_at IS NULL`)
	if p.extra != "" {
		w.and(p.extra)
	}
	w.join(p.after(lo))
	rows, err := q.q.QueryContext(ctx, `SELECT `+strings.Join(p.keys, ", ")+` FROM clients c INDEXED BY `+p.index+
		` WHERE `+w.sql()+` ORDER BY `+p.orderBy()+` LIMIT 1 OFFSET ?`, append(w.args, window-1)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, rows.Err()
	}
	key := make([]any, len(p.keys))
	ptrs := make([]any, len(p.keys))
	for i := range key {
		ptrs[i] = &key[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return nil, err
	}
	return key, rows.Err()
}

// after is the condition that a row comes after the key lo in the part's
// order (none when lo is nil).
func (p part) after(lo []any) where {
	var w where
	if lo == nil {
		return w
	}
	op := ">"
	if p.desc {
		op = "<"
	}
	w.and(`(`+strings.Join(p.keys, ", ")+`) `+op+` (?`+strings.Repeat(", ?", len(lo)-1)+`)`, lo...)
	return w
}

// within returns the part's conditions limited to the keys after lo and up
// to hi (either may be nil: open).
func (p part) within(lo, hi []any) where {
	w := p.after(lo)
	if hi != nil {
		op := "<="
		if p.desc {
			op = ">="
		}
		w.and(`(`+strings.Join(p.keys, ", ")+`) `+op+` (?`+strings.Repeat(", ?", len(hi)-1)+`)`, hi...)
	}
	w.join(p.w)
	return w
}

// EachClient calls fn for every live client matching sel, in order, reading
// one query at a time (a page's parts in turn) without holding the rows in
// memory. It stops at fn's first error or when ctx is done.
func (q *queries) EachClient(ctx context.Context, sel app.ClientSelect, fn func(app.Client) error) error {
	if nobody(sel) {
		return nil
	}
	spec, err := specOf(sel.Sort)
	if err != nil {
		return err
	}
	var queries []string
	var args [][]any
	addParts := func(ps []part) {
		for _, p := range ps {
			qs, a := p.query(clientColumns)
			queries, args = append(queries, qs), append(args, a)
		}
	}
	sorted := func() error {
		from, w, err := q.source(ctx, sel)
		if err != nil {
			return err
		}
		queries = append(queries, `SELECT `+clientColumns+` FROM `+from+` WHERE `+w.sql()+` ORDER BY `+spec.orderBy(sel.Desc))
		args = append(args, w.args)
		return nil
	}
	switch {
	case !sel.Keys.IsEmpty() && byParts(sel):
		rw, err := rowConditions(sel)
		if err != nil {
			return err
		}
		addParts(textParts(sel.Keys, rw))
	case !sel.Keys.IsEmpty():
		if err := sorted(); err != nil {
			return err
		}
	case !filtered(sel):
		addParts(walkParts(spec, sel.Desc, where{}))
	default:
		// Every match is read: walk the whole index when most clients
		// match, else sort the matches. A sorted stream costs about twice
		// as much per row as a walk (its rows are large and spill to
		// temporary files): 155,000 of 1M clients stream in 1.5 s sorted
		// against 5 s walked.
		n, err := q.CountClients(ctx, sel)
		if err != nil || n == 0 {
			return err
		}
		total, err := q.clientsAbout(ctx)
		if err != nil {
			return err
		}
		if (forcePlan == "" && 2*int64(n) >= total) || forcePlan == "walk" {
			rw, err := rowConditions(sel)
			if err != nil {
				return err
			}
			addParts(walkParts(spec, sel.Desc, rw))
		} else if err := sorted(); err != nil {
			return err
		}
	}
	for i, query := range queries {
		if err := q.eachRow(ctx, query, args[i], fn); err != nil {
			return err
		}
	}
	return nil
}

func (q *queries) eachRow(ctx context.Context, query string, args []any, fn func(app.Client) error) error {
	rows, err := q.q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := ctx.Err(); err != nil {
			return err
		}
		c, err := scanClient(rows)
		if err != nil {
			return err
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return ctx.Err()
}

func (q *queries) scanClients(ctx context.Context, out *[]app.Client, query string, args ...any) error {
	rows, err := q.q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanClient(rows)
		if err != nil {
			return err
		}
		*out = append(*out, c)
	}
	return rows.Err()
}
