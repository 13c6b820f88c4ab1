package app

import (
	"math/bits"
	"slices"
	"time"
)

// RewardKind is how a bonus program rewards a qualifying order.
type RewardKind string

// Reward kinds.
const (
	// RewardPercent pays RewardValue basis points (1000 = 10 %) of the
	// qualifying lines' base.
	RewardPercent RewardKind = "percent"
	// RewardFixed pays RewardValue kopecks of points once per qualifying order.
	RewardFixed RewardKind = "fixed"
)

// AccrualBase says which amount a percent reward is counted on (LR-09).
type AccrualBase string

// Accrual bases.
const (
	// BaseSold counts the lines' amounts after discounts.
	BaseSold AccrualBase = "sold"
	// BasePaid counts the money actually received for the lines.
	BasePaid AccrualBase = "paid"
)

// AllWeekdays is the weekday mask of every day (bit 0 is Monday).
const AllWeekdays = 0x7f

// Program is a bonus program (BN-06, GR-03): who earns, on what, when and how
// much, and how its points may pay for orders (BN-07).
type Program struct {
	ID            string
	Name          string
	AccountTypeID string
	Enabled       bool
	// GroupIDs are the client groups it is for; empty means every client.
	GroupIDs []string
	// CategoryIDs (with their subcategories) and ProductIDs pick the
	// qualifying lines; both empty means every line.
	CategoryIDs []string
	ProductIDs  []string
	// MinOrder is the smallest bill (Sold, after discounts) that earns.
	MinOrder int64
	// ActiveFrom and ActiveTo bound the dates it runs on, inclusive; zero is open.
	ActiveFrom Date
	ActiveTo   Date
	// Weekdays is a mask, bit 0 = Monday … bit 6 = Sunday.
	Weekdays int
	// HoursFrom and HoursTo, minutes after midnight, bound the time of day
	// (HoursTo after midnight wraps: 22:00–02:00); equal means all day.
	HoursFrom int
	HoursTo   int
	Reward    RewardKind
	// RewardValue is basis points for RewardPercent, kopecks for RewardFixed.
	RewardValue int64
	Base        AccrualBase
	// EarnOnBonusPaid lets the part of a line paid with points earn points
	// too (off by default).
	EarnOnBonusPaid bool
	// MaxPayShareBP is the largest share of a bill that points may pay
	// (basis points; 0 = points cannot pay); MinBalance is the smallest
	// available balance a client needs before paying with points (BN-07).
	MaxPayShareBP int
	MinBalance    int64
	CreatedAt     time.Time
	UpdatedAt     time.Time
	NodeID        string
}

// RunsAt reports whether the program is enabled, is for clients of groupID
// (empty: a client without a group) and runs at t (t's own zone is the
// venue's).
func (p Program) RunsAt(groupID string, t time.Time) bool {
	if !p.Enabled {
		return false
	}
	if len(p.GroupIDs) > 0 && !slices.Contains(p.GroupIDs, groupID) {
		return false
	}
	d := DateOf(t)
	if !p.ActiveFrom.IsZero() && d.Before(p.ActiveFrom) {
		return false
	}
	if !p.ActiveTo.IsZero() && p.ActiveTo.Before(d) {
		return false
	}
	wd := (int(t.Weekday()) + 6) % 7 // Monday = 0
	if p.Weekdays&(1<<wd) == 0 {
		return false
	}
	if p.HoursFrom != p.HoursTo {
		m := t.Hour()*60 + t.Minute()
		if p.HoursFrom < p.HoursTo {
			if m < p.HoursFrom || m >= p.HoursTo {
				return false
			}
		} else if m < p.HoursFrom && m >= p.HoursTo {
			return false
		}
	}
	return true
}

// RewardLine is what a program needs to know of one receipt line.
type RewardLine struct {
	ProductID  string
	CategoryID string
	Amount     int64 // after discounts, including the part paid with points
	Bonus      int64 // the part of Amount paid with points
	Paid       int64 // the money received for the line
}

// Categories answers which categories a category lies in (itself and its
// ancestors). A nil Categories knows no parents.
type Categories map[string]string // id → parent id

// within reports whether category id is one of ids or lies under one.
func (c Categories) within(id string, ids []string) bool {
	for seen := 0; id != "" && seen < 64; seen++ {
		if slices.Contains(ids, id) {
			return true
		}
		id = c[id]
	}
	return false
}

// qualifies reports whether a line is one the program rewards.
func (p Program) qualifies(l RewardLine, cats Categories) bool {
	if len(p.CategoryIDs) == 0 && len(p.ProductIDs) == 0 {
		return true
	}
	if l.ProductID != "" && slices.Contains(p.ProductIDs, l.ProductID) {
		return true
	}
	return l.CategoryID != "" && cats.within(l.CategoryID, p.CategoryIDs)
}

// base is the amount of a line the program's reward is counted on.
func (p Program) base(l RewardLine) int64 {
	if p.Base == BasePaid {
		return max(l.Paid, 0)
	}
	if p.EarnOnBonusPaid {
		return max(l.Amount, 0)
	}
	return max(l.Amount-l.Bonus, 0)
}

// Earn returns what the program pays for an order whose bill (Sold, after
// discounts) is sold, and each line's share of it (in the order of lines).
// Voided lines must be left out by the caller. The program's time and group
// conditions are RunsAt's business, not Reward's.
func (p Program) Earn(sold int64, lines []RewardLine, cats Categories) (int64, []int64) {
	shares := make([]int64, len(lines))
	if sold < p.MinOrder || sold <= 0 {
		return 0, shares
	}
	bases := make([]int64, len(lines))
	var total int64
	for i, l := range lines {
		if p.qualifies(l, cats) {
			bases[i] = p.base(l)
			total += bases[i]
		}
	}
	if total <= 0 {
		return 0, shares
	}
	var reward int64
	switch p.Reward {
	case RewardPercent:
		reward = total * p.RewardValue / 10000 // whole kopecks, rounded down
	case RewardFixed:
		reward = p.RewardValue
	}
	return reward, Spread(reward, bases)
}

// Spread divides total over parts in proportion to weights, in whole units,
// giving the rounding remainder to the largest fractions first, so the shares
// add up to total exactly. Zero weights get nothing; with no positive weight
// everything is zero.
func Spread(total int64, weights []int64) []int64 {
	out := make([]int64, len(weights))
	var sum int64
	for _, w := range weights {
		if w > 0 {
			sum += w
		}
	}
	if sum == 0 || total == 0 {
		return out
	}
	type rem struct {
		i    int
		frac int64
	}
	var given int64
	rems := make([]rem, 0, len(weights))
	for i, w := range weights {
		if w <= 0 {
			continue
		}
		q, r := mulDiv(total, w, sum)
		out[i] = q
		given += q
		rems = append(rems, rem{i, r})
	}
	slices.SortStableFunc(rems, func(a, b rem) int {
		switch {
		case a.frac > b.frac:
			return -1
		case a.frac < b.frac:
			return 1
		}
		return 0
	})
	for k := 0; given < total && k < len(rems); k++ {
		out[rems[k].i]++
		given++
	}
	return out
}

// mulDiv returns a*b/c and its remainder, truncated toward zero like Go's
// division, computing the product in 128 bits so that no amount a venue can
// enter overflows; c must be above zero and the quotient must fit in int64.
func mulDiv(a, b, c int64) (int64, int64) {
	neg := (a < 0) != (b < 0)
	hi, lo := bits.Mul64(abs64(a), abs64(b))
	if hi >= uint64(c) {
		panic("mulDiv: quotient overflows")
	}
	q, r := bits.Div64(hi, lo, uint64(c))
	if neg {
		return -int64(q), -int64(r)
	}
	return int64(q), int64(r)
}

func abs64(v int64) uint64 {
	if v < 0 {
		return uint64(-v)
	}
	return uint64(v)
}

// PayRule is how points may pay an order (BN-07).
type PayRule struct {
	MaxShareBP int   // the largest share of the bill; 0: points cannot pay
	MinBalance int64 // the smallest available balance allowed to pay
}

// PayRuleFor returns the most generous pay rule among the programs that run
// for a client of groupID at t and use the account type: the largest share,
// and with equal shares the smallest minimum balance.
func PayRuleFor(programs []Program, typeID, groupID string, t time.Time) PayRule {
	var best PayRule
	found := false
	for _, p := range programs {
		if p.AccountTypeID != typeID || p.MaxPayShareBP <= 0 || !p.RunsAt(groupID, t) {
			continue
		}
		if !found || p.MaxPayShareBP > best.MaxShareBP ||
			(p.MaxPayShareBP == best.MaxShareBP && p.MinBalance < best.MinBalance) {
			best = PayRule{MaxShareBP: p.MaxPayShareBP, MinBalance: p.MinBalance}
			found = true
		}
	}
	return best
}

// Cap returns the most points (kopecks) the rule lets pay a bill of sold when
// the client has available: the share of the bill, no more than available,
// and nothing when available is below the minimum balance.
func (r PayRule) Cap(sold, available int64) int64 {
	if r.MaxShareBP <= 0 || sold <= 0 || available <= 0 || available < r.MinBalance {
		return 0
	}
	c, _ := mulDiv(sold, int64(r.MaxShareBP), 10000)
	return min(c, available)
}
