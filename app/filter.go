package app

import (
	"fmt"
	"strings"
	"time"
)

// Tri is a yes / no / either condition of a filter. The zero value is Any.
type Tri int8

// Tri values.
const (
	Any Tri = 0
	Yes Tri = 1
	No  Tri = 2
)

// GenderFilter selects clients by gender; "" means any.
type GenderFilter string

// Gender filter values.
const (
	GenderAny       GenderFilter = ""
	GenderIsMale    GenderFilter = "male"
	GenderIsFemale  GenderFilter = "female"
	GenderIsUnknown GenderFilter = "unknown" // not stated
)

// ClientFilter is a combinable set of conditions on clients (CL-14). Every
// condition left at its zero value matches everyone; set conditions must all
// hold. Ranges are inclusive at both ends. It is saved as JSON in segments, so
// the field tags are a stable format.
type ClientFilter struct {
	Gender GenderFilter `json:"gender,omitempty"`
	// AgeFrom and AgeTo are full years on the day of the query.
	AgeFrom *int `json:"age_from,omitempty"`
	AgeTo   *int `json:"age_to,omitempty"`
	// VisitsFrom and VisitsTo bound the number of operations (purchases).
	VisitsFrom *int64 `json:"visits_from,omitempty"`
	VisitsTo   *int64 `json:"visits_to,omitempty"`
	// Sold and paid totals, in kopecks.
	SoldFrom *int64 `json:"sold_from,omitempty"`
	SoldTo   *int64 `json:"sold_to,omitempty"`
	PaidFrom *int64 `json:"paid_from,omitempty"`
	PaidTo   *int64 `json:"paid_to,omitempty"`
	// LastVisitFrom and LastVisitTo bound the date of the last visit (local
	// calendar days); a client who never came matches neither.
	LastVisitFrom Date `json:"last_visit_from,omitzero"`
	LastVisitTo   Date `json:"last_visit_to,omitzero"`
	// GroupID, ClassID, CategoryID and TagID pick one group, class, client
	// category or tag; NoneID picks clients without any.
	GroupID    string `json:"group_id,omitempty"`
	ClassID    string `json:"class_id,omitempty"`
	CategoryID string `json:"category_id,omitempty"`
	TagID      string `json:"tag_id,omitempty"`
	// BirthdayFrom and BirthdayTo select birthdays by day of the year, whatever
	// the year of birth; From after To wraps over New Year (20.12–10.01).
	BirthdayFrom MonthDay `json:"birthday_from,omitzero"`
	BirthdayTo   MonthDay `json:"birthday_to,omitzero"`

	SMS      Tri `json:"sms,omitempty"`
	Email    Tri `json:"email,omitempty"`
	Blocked  Tri `json:"blocked,omitempty"`
	Favorite Tri `json:"favorite,omitempty"`
}

// NoneID in ClientFilter.GroupID or ClassID picks clients without a group or
// class; in CategoryID or TagID, clients without any category or tag.
const NoneID = "-"

// IsEmpty reports whether the filter matches everyone.
func (f ClientFilter) IsEmpty() bool { return f == (ClientFilter{}) || f.Conditions() == 0 }

// Conditions returns how many conditions are set (a range counts once).
func (f ClientFilter) Conditions() int {
	n := 0
	count := func(set bool) {
		if set {
			n++
		}
	}
	count(f.Gender != GenderAny)
	count(f.AgeFrom != nil || f.AgeTo != nil)
	count(f.VisitsFrom != nil || f.VisitsTo != nil)
	count(f.SoldFrom != nil || f.SoldTo != nil)
	count(f.PaidFrom != nil || f.PaidTo != nil)
	count(!f.LastVisitFrom.IsZero() || !f.LastVisitTo.IsZero())
	count(f.GroupID != "")
	count(f.ClassID != "")
	count(f.CategoryID != "")
	count(f.TagID != "")
	count(!f.BirthdayFrom.IsZero() || !f.BirthdayTo.IsZero())
	count(f.SMS != Any)
	count(f.Email != Any)
	count(f.Blocked != Any)
	count(f.Favorite != Any)
	return n
}

// Validate checks the filter's values and ranges; problems come back as a
// *ValidationError naming the filter fields.
func (f ClientFilter) Validate() error {
	var v validation
	switch f.Gender {
	case GenderAny, GenderIsMale, GenderIsFemale, GenderIsUnknown:
	default:
		v.add(FieldGender, ReasonBadValue, string(f.Gender))
	}
	intRange := func(field string, from, to *int64) {
		if from != nil && *from < 0 {
			v.add(field, ReasonNegative, fmt.Sprint(*from))
		} else if to != nil && *to < 0 {
			v.add(field, ReasonNegative, fmt.Sprint(*to))
		} else if from != nil && to != nil && *from > *to {
			v.add(field, ReasonBadRange, fmt.Sprintf("%d-%d", *from, *to))
		}
	}
	if f.AgeFrom != nil || f.AgeTo != nil {
		var from, to *int64
		if f.AgeFrom != nil {
			a := int64(*f.AgeFrom)
			from = &a
		}
		if f.AgeTo != nil {
			a := int64(*f.AgeTo)
			to = &a
		}
		intRange(FieldAge, from, to)
		if (from != nil && *from > maxAgeYears) || (to != nil && *to > maxAgeYears) {
			v.add(FieldAge, ReasonTooOld, "")
		}
	}
	intRange(FieldVisits, f.VisitsFrom, f.VisitsTo)
	intRange(FieldSold, f.SoldFrom, f.SoldTo)
	intRange(FieldPaid, f.PaidFrom, f.PaidTo)
	if !f.LastVisitFrom.IsZero() && !f.LastVisitTo.IsZero() && f.LastVisitTo.Before(f.LastVisitFrom) {
		v.add(FieldLastVisit, ReasonBadRange, f.LastVisitFrom.Format()+"-"+f.LastVisitTo.Format())
	}
	if !f.BirthdayFrom.IsZero() && !f.BirthdayFrom.Valid() {
		v.add(FieldBirthday, ReasonBadDate, f.BirthdayFrom.String())
	}
	if !f.BirthdayTo.IsZero() && !f.BirthdayTo.Valid() {
		v.add(FieldBirthday, ReasonBadDate, f.BirthdayTo.String())
	}
	for _, t := range []Tri{f.SMS, f.Email, f.Blocked, f.Favorite} {
		if t < Any || t > No {
			v.add(FieldFilter, ReasonBadValue, fmt.Sprint(t))
		}
	}
	return v.err()
}

// BirthBounds turns the age range into bounds on the birth date as of today:
// a client is AgeFrom…AgeTo years old when born on or after from and on or
// before to. A zero bound is open.
func (f ClientFilter) BirthBounds(today Date) (from, to Date) {
	if f.AgeTo != nil {
		// Not yet AgeTo+1: born after today minus AgeTo+1 years.
		from = today.AddYears(-(*f.AgeTo + 1)).AddDays(1)
	}
	if f.AgeFrom != nil {
		to = today.AddYears(-*f.AgeFrom)
	}
	return from, to
}

// AddYears returns the date n years later; 29 February becomes 28 February in
// a year without it.
func (d Date) AddYears(n int) Date {
	y := d.Year + n
	day := d.Day
	if d.Month == time.February && day == 29 && !isLeap(y) {
		day = 28
	}
	return Date{Year: y, Month: d.Month, Day: day}
}

// AddDays returns the date n days later.
func (d Date) AddDays(n int) Date {
	return DateOf(d.Time(time.UTC).AddDate(0, 0, n))
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// MarshalText writes the ISO form, so dates in saved segments read back.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads what MarshalText wrote (or DD.MM.YYYY).
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MonthDay is a day of the year as month*100+day (1231 = 31 December); zero
// means unset.
type MonthDay int

// MonthDayOf returns the day of the year of d.
func MonthDayOf(d Date) MonthDay {
	if d.IsZero() {
		return 0
	}
	return MonthDay(int(d.Month)*100 + d.Day)
}

// IsZero reports whether the day is unset.
func (m MonthDay) IsZero() bool { return m == 0 }

// Month and Day split m.
func (m MonthDay) Month() int { return int(m) / 100 }

// Day returns the day of the month.
func (m MonthDay) Day() int { return int(m) % 100 }

// Valid reports whether m is a day that exists in a leap year.
func (m MonthDay) Valid() bool {
	mo, d := m.Month(), m.Day()
	if mo < 1 || mo > 12 || d < 1 {
		return false
	}
	return d <= time.Date(2000, time.Month(mo)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// String returns DD.MM, or "" when unset.
func (m MonthDay) String() string {
	if m.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d.%02d", m.Day(), m.Month())
}

// ParseMonthDay reads DD.MM (also D.M, DD/MM) or a full date, whose year it
// ignores. Empty text is the unset day.
func ParseMonthDay(s string) (MonthDay, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	if d, err := ParseDate(s); err == nil && !d.IsZero() {
		return MonthDayOf(d), nil
	}
	var day, mon int
	var sep1 rune
	if n, err := fmt.Sscanf(s, "%d%c%d", &day, &sep1, &mon); err != nil || n != 3 || (sep1 != '.' && sep1 != '/') {
		return 0, fmt.Errorf("day of year %q: want DD.MM: %w", s, ErrInvalid)
	}
	m := MonthDay(mon*100 + day)
	if !m.Valid() {
		return 0, fmt.Errorf("day of year %q does not exist: %w", s, ErrInvalid)
	}
	return m, nil
}

// SortKey names a column the client list can be ordered by. Each has an index,
// so a page of a sorted list never waits for a sort of every client.
type SortKey string

// Sort keys.
const (
	SortName      SortKey = ""           // surname, first name, patronymic
	SortCreated   SortKey = "created_at" // registration
	SortLastVisit SortKey = "last_visit"
	SortVisits    SortKey = "visits"
	SortSold      SortKey = "sold"
	SortPaid      SortKey = "paid"
)

// SortKeys lists the sort keys.
var SortKeys = []SortKey{SortName, SortCreated, SortLastVisit, SortVisits, SortSold, SortPaid}

// ClientSelect is a resolved selection of clients handed to the store: the
// normalised search text, the filter, the day ages are counted on and the order.
type ClientSelect struct {
	Keys   SearchKeys
	Filter ClientFilter
	Today  Date
	Sort   SortKey
	Desc   bool
	// IDs, when not nil, limits the selection to these clients (a checked set).
	IDs []string
}

// Segment is a saved, named client query shown in the sidebar (CL-14).
type Segment struct {
	ID        string
	Name      string
	Query     SegmentQuery
	CreatedAt time.Time
	UpdatedAt time.Time
	NodeID    string
}

// SegmentQuery is what a segment remembers: the search text, the filter and
// the order. It is stored as JSON.
type SegmentQuery struct {
	Text   string       `json:"text,omitempty"`
	Filter ClientFilter `json:"filter"`
	Sort   SortKey      `json:"sort,omitempty"`
	Desc   bool         `json:"desc,omitempty"`
}
