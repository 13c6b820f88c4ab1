package app

import (
	"slices"
	"time"
)

// The automatic loyalty rules (LR-01…LR-06) as pure evaluation: from a
// client's figures and the day, what discount, class and categories the
// rules give them, and which rule gave each. Storing the rules, their editor
// and when they run (LR-07) build on this.

// Measure is what a rule counts.
type Measure string

// Measures.
const (
	MeasureSold   Measure = "sold"   // the bill, kopecks (LR-09)
	MeasurePaid   Measure = "paid"   // the money received, kopecks (LR-09)
	MeasureVisits Measure = "visits" // visits
	// MeasureAbsentDays: more than From days without a visit (category rules).
	MeasureAbsentDays Measure = "absent_days"
	// MeasureCame and MeasureMissed: the last appointment's status was
	// "came" / "did not come" (category rules, PU-04).
	MeasureCame   Measure = "came"
	MeasureMissed Measure = "missed"
)

// Figures are what rules look at for one client.
type Figures struct {
	Sold, Paid, Visits int64
	// LastVisit is the day of the last visit; zero: never.
	LastVisit Date
	// LastStatus is the status of the last appointment: MeasureCame,
	// MeasureMissed or "".
	LastStatus Measure
}

// value is the figure a rule of measure m compares with its threshold.
func (f Figures) value(m Measure) int64 {
	switch m {
	case MeasureSold:
		return f.Sold
	case MeasurePaid:
		return f.Paid
	case MeasureVisits:
		return f.Visits
	}
	return 0
}

// DiscountRule gives DiscountBP to clients whose Measure (sold, paid or
// visits) is From or more (LR-01).
type DiscountRule struct {
	ID         string
	Measure    Measure
	From       int64
	DiscountBP int
}

// ClassRule puts clients whose Measure is From or more in ClassID (LR-03).
type ClassRule struct {
	ID      string
	ClassID string
	Measure Measure
	From    int64
}

// CategoryRule adds clients to (Add) or removes them from CategoryID (LR-04,
// LR-05) when their Measure reaches From: sold, paid or visits from From;
// more than From days without a visit; or the last appointment's status.
type CategoryRule struct {
	ID         string
	CategoryID string
	Add        bool
	Measure    Measure
	From       int64
}

// Rules are a venue's automatic loyalty rules. A lapse of N > 0 days takes
// the discount (LR-02) or the class (LR-03) away from a client who has not
// visited for more than N days.
type Rules struct {
	Discounts         []DiscountRule
	DiscountLapseDays int
	Classes           []ClassRule
	ClassLapseDays    int
	Categories        []CategoryRule
	// Warning is the message before a discount lapses (LR-08).
	Warning LapseWarning
}

// ClassRank is a class and its priority: the higher wins (GR-05).
type ClassRank struct {
	ID       string
	Priority int
}

// Outcome is what the rules give a client, with the rule behind each part
// (for the client page's explanation).
type Outcome struct {
	DiscountBP   int
	DiscountRule string // the rule that gave the discount; "" for none
	// DiscountLapsed says the discount is 0 because of the lapse.
	DiscountLapsed bool
	ClassID        string
	ClassRule      string
	ClassLapsed    bool
	// Categories are the client's categories after the rules, sorted; Added
	// and Removed say which rules changed which.
	Categories []string
	Added      map[string]string // category → rule
	Removed    map[string]string // category → rule
}

// absentDays is how many whole days the client has not visited, or -1 for a
// client who never did.
func absentDays(f Figures, today Date) int {
	if f.LastVisit.IsZero() {
		return -1
	}
	return int(today.Time(time.UTC).Sub(f.LastVisit.Time(time.UTC)).Hours() / 24)
}

// Evaluate applies the rules to a client's figures on day today. Conflicts
// resolve as LR-06 says, whatever order the rules were written in: the
// largest discount wins; the class of the highest priority wins (by id on a
// tie); every matching category rule applies, and a removal wins over an
// addition of the same category. current are the client's categories now.
func (r Rules) Evaluate(f Figures, today Date, classes []ClassRank, current []string) Outcome {
	var o Outcome
	absent := absentDays(f, today)
	// LR-01, LR-02.
	if !(r.DiscountLapseDays > 0 && absent > r.DiscountLapseDays) {
		for _, d := range r.Discounts {
			if f.value(d.Measure) >= d.From && (d.DiscountBP > o.DiscountBP ||
				(d.DiscountBP == o.DiscountBP && o.DiscountRule != "" && d.ID < o.DiscountRule)) {
				o.DiscountBP, o.DiscountRule = d.DiscountBP, d.ID
			}
		}
	} else {
		o.DiscountLapsed = true
	}
	// LR-03.
	if !(r.ClassLapseDays > 0 && absent > r.ClassLapseDays) {
		rank := func(id string) (int, bool) {
			for _, c := range classes {
				if c.ID == id {
					return c.Priority, true
				}
			}
			return 0, false
		}
		best := -1 << 31
		for _, c := range r.Classes {
			p, ok := rank(c.ClassID)
			if !ok || f.value(c.Measure) < c.From {
				continue
			}
			if p > best || (p == best && (c.ClassID < o.ClassID || (c.ClassID == o.ClassID && c.ID < o.ClassRule))) {
				best, o.ClassID, o.ClassRule = p, c.ClassID, c.ID
			}
		}
	} else {
		o.ClassLapsed = true
	}
	// LR-04, LR-05.
	o.Added, o.Removed = map[string]string{}, map[string]string{}
	matches := func(c CategoryRule) bool {
		switch c.Measure {
		case MeasureSold, MeasurePaid, MeasureVisits:
			return f.value(c.Measure) >= c.From
		case MeasureAbsentDays:
			return absent > int(c.From)
		case MeasureCame, MeasureMissed:
			return f.LastStatus == c.Measure
		}
		return false
	}
	for _, c := range r.Categories {
		if !matches(c) {
			continue
		}
		m := o.Removed
		if c.Add {
			m = o.Added
		}
		if prev, ok := m[c.CategoryID]; !ok || c.ID < prev {
			m[c.CategoryID] = c.ID
		}
	}
	set := slices.Clone(current)
	for cat := range o.Added {
		if _, removed := o.Removed[cat]; !removed && !slices.Contains(set, cat) {
			set = append(set, cat)
		}
	}
	for cat := range o.Removed {
		delete(o.Added, cat)
		set = slices.DeleteFunc(set, func(s string) bool { return s == cat })
	}
	slices.Sort(set)
	o.Categories = slices.Compact(set)
	return o
}
