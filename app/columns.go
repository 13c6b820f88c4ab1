package app

import (
	"slices"
	"strings"
	"time"
)

// ColumnKind says what a column's values are, so the list, CSV and XLSX can
// show each as it should (money right-aligned with kopecks, dates as dates).
type ColumnKind int

// Column kinds and the Go type of their values (see Column.Value).
const (
	KindText  ColumnKind = iota // string
	KindInt                     // int64
	KindMoney                   // int64 kopecks
	KindDate                    // Date (zero = empty)
	KindTime                    // time.Time (zero = empty)
	KindBool                    // bool
)

// Column is one column a client list or export can show (CL-12, CL-17): a
// client field, a total, or a custom variable.
type Column struct {
	Key  string // stable: saved in settings and accepted by the CLI
	Kind ColumnKind
	// Sort is the order a click on the header gives; Sortable says whether
	// there is one (name or an indexed total).
	Sort     SortKey
	Sortable bool
	// Variable is the variable's name for a "var:" column.
	Variable string
}

// Column keys of client fields and totals.
const (
	ColFullName     = "full_name"
	ColLastName     = "last_name"
	ColFirstName    = "first_name"
	ColPatronymic   = "patronymic"
	ColPhone        = "phone"
	ColEmail        = "email"
	ColGender       = "gender"
	ColBirthDate    = "birth_date"
	ColAge          = "age"
	ColExternalID   = "external_id"
	ColNote         = "note"
	ColGroup        = "group"
	ColClass        = "class"
	ColStatus       = "status"
	ColDiscount     = "discount"
	ColCategories   = "categories"
	ColTags         = "tags"
	ColBlocked      = "blocked"
	ColBlockReason  = "block_reason"
	ColFavorite     = "favorite"
	ColSMS          = "sms"
	ColEmailSub     = "email_subscribed"
	ColVisits       = "visits"
	ColSold         = "sold"
	ColPaid         = "paid"
	ColAverageCheck = "average_check"
	ColFirstVisit   = "first_visit"
	ColLastVisit    = "last_visit"
	ColCreated      = "created_at"
	ColUpdated      = "updated_at"
	ColID           = "id"
)

// VariablePrefix starts the key of a custom variable's column: "var:Любимый напиток".
const VariablePrefix = "var:"

// FieldColumns lists the columns of client fields and totals in the order the
// column chooser offers them.
var FieldColumns = []Column{
	{Key: ColFullName, Sort: SortName, Sortable: true},
	{Key: ColLastName}, {Key: ColFirstName}, {Key: ColPatronymic},
	{Key: ColPhone}, {Key: ColEmail},
	{Key: ColGender}, {Key: ColBirthDate, Kind: KindDate}, {Key: ColAge, Kind: KindInt},
	{Key: ColExternalID}, {Key: ColNote},
	{Key: ColGroup}, {Key: ColClass}, {Key: ColStatus}, {Key: ColDiscount, Kind: KindInt},
	{Key: ColCategories}, {Key: ColTags},
	{Key: ColBlocked, Kind: KindBool}, {Key: ColBlockReason}, {Key: ColFavorite, Kind: KindBool},
	{Key: ColSMS, Kind: KindBool}, {Key: ColEmailSub, Kind: KindBool},
	{Key: ColVisits, Kind: KindInt, Sort: SortVisits, Sortable: true},
	{Key: ColSold, Kind: KindMoney, Sort: SortSold, Sortable: true},
	{Key: ColPaid, Kind: KindMoney, Sort: SortPaid, Sortable: true},
	{Key: ColAverageCheck, Kind: KindMoney},
	{Key: ColFirstVisit, Kind: KindTime},
	{Key: ColLastVisit, Kind: KindTime, Sort: SortLastVisit, Sortable: true},
	{Key: ColCreated, Kind: KindTime, Sort: SortCreated, Sortable: true},
	{Key: ColUpdated, Kind: KindTime},
	{Key: ColID},
}

// DefaultColumns are the list's columns until the user picks others.
var DefaultColumns = []string{ColFullName, ColPhone, ColEmail, ColBirthDate, ColGroup, ColVisits, ColSold, ColLastVisit}

// IsColumnKey reports whether key names a field column or a variable column.
func IsColumnKey(key string) bool {
	if name, ok := strings.CutPrefix(key, VariablePrefix); ok {
		return name != ""
	}
	return slices.ContainsFunc(FieldColumns, func(c Column) bool { return c.Key == key })
}

// ColumnByKey returns the column with the key; a "var:" key gives a text
// column of that variable.
func ColumnByKey(key string) (Column, bool) {
	if name, ok := strings.CutPrefix(key, VariablePrefix); ok && name != "" {
		return Column{Key: key, Variable: name}, true
	}
	for _, c := range FieldColumns {
		if c.Key == key {
			return c, true
		}
	}
	return Column{}, false
}

// AllColumns returns the field columns followed by a column for each
// variable name in dir.
func AllColumns(dir Directory) []Column {
	out := slices.Clone(FieldColumns)
	for _, name := range dir.Variables {
		out = append(out, Column{Key: VariablePrefix + name, Variable: name})
	}
	return out
}

// RowData is what Column.Value needs beyond the client: names of what the
// client points at, the row's extras, and the day ages are counted on.
type RowData struct {
	Dir    *Directory
	Extras Extras
	Today  Date
}

// Value returns the column's value for c, of the Go type its Kind names, or
// nil when it is unknown (the age of a client without a birth date).
func (col Column) Value(c Client, d RowData) any {
	if col.Variable != "" {
		return d.Extras.Variables[col.Variable]
	}
	dir := d.Dir
	if dir == nil {
		dir = &Directory{}
	}
	switch col.Key {
	case ColFullName:
		return c.FullName()
	case ColLastName:
		return c.LastName
	case ColFirstName:
		return c.FirstName
	case ColPatronymic:
		return c.Patronymic
	case ColPhone:
		return c.Phone
	case ColEmail:
		return c.Email
	case ColGender:
		return string(c.Gender)
	case ColBirthDate:
		return c.BirthDate
	case ColAge:
		if c.BirthDate.IsZero() || d.Today.IsZero() {
			return nil // unknown
		}
		return int64(Age(c.BirthDate, d.Today))
	case ColExternalID:
		return c.ExternalID
	case ColNote:
		return c.Note
	case ColGroup:
		return NameOf(dir.Groups, c.GroupID)
	case ColClass:
		return NameOf(dir.Classes, c.ClassID)
	case ColStatus:
		return NameOf(dir.Statuses, c.StatusID)
	case ColDiscount:
		return c.DiscountBP
	case ColCategories:
		names := make([]string, 0, len(d.Extras.CategoryIDs))
		for _, id := range d.Extras.CategoryIDs {
			if n := NameOf(dir.Categories, id); n != "" {
				names = append(names, n)
			}
		}
		return strings.Join(names, ", ")
	case ColTags:
		return strings.Join(d.Extras.Tags, ", ")
	case ColBlocked:
		return c.Blocked
	case ColBlockReason:
		return c.BlockReason
	case ColFavorite:
		return c.Favorite
	case ColSMS:
		return c.SMSSubscribed
	case ColEmailSub:
		return c.EmailSubscribed
	case ColVisits:
		return c.Stats.Visits
	case ColSold:
		return c.Stats.Sold
	case ColPaid:
		return c.Stats.Paid
	case ColAverageCheck:
		return c.Stats.AverageCheck()
	case ColFirstVisit:
		return c.Stats.FirstVisit
	case ColLastVisit:
		return c.Stats.LastVisit
	case ColCreated:
		return c.CreatedAt
	case ColUpdated:
		return c.UpdatedAt
	case ColID:
		return c.ID
	}
	return ""
}

// Age returns the full years between birth and today.
func Age(birth, today Date) int {
	a := today.Year - birth.Year
	if today.Month < birth.Month || (today.Month == birth.Month && today.Day < birth.Day) {
		a--
	}
	return a
}

// FormatMoney writes kopecks as roubles with two decimals and the decimal
// separator sep: 123456 → "1234.56" (no thousands grouping, for files).
func FormatMoney(kopecks int64, sep string) string {
	neg := kopecks < 0
	if neg {
		kopecks = -kopecks
	}
	s := itoa(kopecks/100) + sep + pad2(kopecks%100)
	if neg {
		s = "-" + s
	}
	return s
}

// FormatTime writes a moment as local "DD.MM.YYYY HH:MM", or "" for zero.
func FormatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format("02.01.2006 15:04")
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

func pad2(n int64) string {
	if n < 10 {
		return "0" + itoa(n)
	}
	return itoa(n)
}
