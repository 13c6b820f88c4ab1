package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The automatic loyalty use cases (issue 6): the rules saved with their
// settings, applied to one client in the transaction that changed their
// figures (a purchase, a refund, a visit), to everyone in the background when
// the rules are saved, from the client card, and daily for the lapses; the
// classes, categories and statuses; changes by hand with a stated meaning;
// warnings before a discount lapses; and why a client has what they have.

// Settings of the rules.
const (
	SettingDiscountLapseDays = "loyalty.discount_lapse_days"
	SettingClassLapseDays    = "loyalty.class_lapse_days"
	SettingWarningDays       = "loyalty.lapse_warning_days"
	SettingWarningTemplate   = "loyalty.lapse_warning_template"
	// SettingDailyRun is the last day the daily job ran (YYYY-MM-DD).
	SettingDailyRun = "loyalty.daily_run"
)

// DefaultWarningTemplate is the lapse warning's text until the venue writes
// its own (LR-08).
const DefaultWarningTemplate = "{name}, ваша скидка {discount} действует до {date}. Ждём вас!"

// WarningPlaceholders are the placeholders a lapse warning may use.
var WarningPlaceholders = []string{"{name}", "{discount}", "{date}"}

// Field names of the rules and the things around them.
const (
	FieldMeasure        = "measure"
	FieldThreshold      = "threshold"
	FieldClass          = "class"
	FieldCategory       = "category"
	FieldStatus         = "status"
	FieldPriority       = "priority"
	FieldLapseDays      = "lapse_days"
	FieldClassLapseDays = "class_lapse_days"
	FieldWarningDays    = "warning_days"
	FieldTemplate       = "template"
	FieldMode           = "mode"
	FieldVisitAt        = "visit_at"
	FieldVisitStatus    = "visit_status"
)

// RecalcBatch is how many clients one transaction of a recalculation covers:
// small enough that a purchase waits at most a few milliseconds for it.
const RecalcBatch = 2000

// LapseWarning is the message sent Days days before a discount lapses
// (LR-08); Days 0 sends none.
type LapseWarning struct {
	Days     int
	Template string
}

// Loyalty holds the automatic loyalty use cases.
type Loyalty struct {
	store Store
	clock Clock
}

// NewLoyalty returns the automatic loyalty use cases.
func NewLoyalty(store Store, clock Clock) *Loyalty { return &Loyalty{store: store, clock: clock} }

type rulesReader interface {
	LoyaltyReader
	SettingsReader
}

// readRules reads the rules with their lapse and warning settings.
func readRules(ctx context.Context, r rulesReader) (Rules, error) {
	rules, err := r.LoyaltyRules(ctx)
	if err != nil {
		return Rules{}, fmt.Errorf("read rules: %w", err)
	}
	ints := []struct {
		key string
		to  *int
	}{{SettingDiscountLapseDays, &rules.DiscountLapseDays}, {SettingClassLapseDays, &rules.ClassLapseDays},
		{SettingWarningDays, &rules.Warning.Days}}
	for _, s := range ints {
		v, ok, err := r.Setting(ctx, s.key)
		if err != nil {
			return Rules{}, err
		}
		if ok {
			*s.to, _ = strconv.Atoi(v)
		}
	}
	t, ok, err := r.Setting(ctx, SettingWarningTemplate)
	if err != nil {
		return Rules{}, err
	}
	rules.Warning.Template = DefaultWarningTemplate
	if ok {
		rules.Warning.Template = t
	}
	return rules, nil
}

// Rules returns the saved rules with their settings.
func (l *Loyalty) Rules(ctx context.Context) (Rules, error) { return readRules(ctx, l.store) }

// RuleWarning is something about a set of rules that is allowed but is
// probably not what the owner meant: it is shown before saving.
type RuleWarning struct {
	Code  string // one of the Warn* constants
	Rule  string // the rule it is about
	Other string // the rule that causes it, if any
}

// Warning codes.
const (
	// WarnDuplicate: Rule says what Other already says.
	WarnDuplicate = "duplicate"
	// WarnNeverApplies: Rule never decides anything, because whenever it
	// matches Other matches too and wins (a larger discount from a lower or
	// equal threshold, a class of higher priority from a lower or equal
	// threshold).
	WarnNeverApplies = "never_applies"
	// WarnNeverAdded: a category add rule whose clients a remove rule Other
	// always takes out again (a removal wins).
	WarnNeverAdded = "never_added"
	// WarnNoLapse: a warning before the lapse is set, but discounts never
	// lapse.
	WarnNoLapse = "no_lapse"
)

// measureFor says which measures a kind of rule may use.
func measureFor(category bool, m Measure) bool {
	switch m {
	case MeasureSold, MeasurePaid, MeasureVisits:
		return true
	case MeasureAbsentDays, MeasureCame, MeasureMissed:
		return category
	}
	return false
}

// Check validates rules against the classes and categories that exist and
// returns the warnings; a rule that cannot work is a *ValidationError whose
// fields name the rule in Item.
func (l *Loyalty) Check(ctx context.Context, r Rules) ([]RuleWarning, error) {
	classes, err := l.store.ClientClasses(ctx)
	if err != nil {
		return nil, err
	}
	cats, err := l.store.ClientCategories(ctx)
	if err != nil {
		return nil, err
	}
	return checkRules(r, classes, cats)
}

func checkRules(r Rules, classes []Class, cats []Category) ([]RuleWarning, error) {
	var v validation
	bad := func(item, field, reason, value string) {
		v.addErr(FieldError{Field: field, Reason: reason, Value: value, Item: item})
	}
	threshold := func(id string, m Measure, from int64) {
		switch {
		case from < 0:
			bad(id, FieldThreshold, ReasonNegative, fmt.Sprint(from))
		case m == MeasureAbsentDays && from < 1:
			bad(id, FieldThreshold, ReasonNotPositive, fmt.Sprint(from))
		}
	}
	for _, d := range r.Discounts {
		if !measureFor(false, d.Measure) {
			bad(d.ID, FieldMeasure, ReasonBadValue, string(d.Measure))
		}
		threshold(d.ID, d.Measure, d.From)
		if d.DiscountBP <= 0 || d.DiscountBP > 10000 {
			bad(d.ID, FieldDiscount, ReasonBadValue, fmt.Sprint(d.DiscountBP))
		}
	}
	prio := map[string]int{}
	for _, c := range classes {
		prio[c.ID] = c.Priority
	}
	for _, c := range r.Classes {
		if !measureFor(false, c.Measure) {
			bad(c.ID, FieldMeasure, ReasonBadValue, string(c.Measure))
		}
		threshold(c.ID, c.Measure, c.From)
		if _, ok := prio[c.ClassID]; !ok {
			bad(c.ID, FieldClass, ReasonNotFound, c.ClassID)
		}
	}
	for _, c := range r.Categories {
		if !measureFor(true, c.Measure) {
			bad(c.ID, FieldMeasure, ReasonBadValue, string(c.Measure))
		}
		threshold(c.ID, c.Measure, c.From)
		if !slices.ContainsFunc(cats, func(k Category) bool { return k.ID == c.CategoryID }) {
			bad(c.ID, FieldCategory, ReasonNotFound, c.CategoryID)
		}
	}
	if r.DiscountLapseDays < 0 {
		bad("", FieldLapseDays, ReasonNegative, fmt.Sprint(r.DiscountLapseDays))
	}
	if r.ClassLapseDays < 0 {
		bad("", FieldClassLapseDays, ReasonNegative, fmt.Sprint(r.ClassLapseDays))
	}
	switch {
	case r.Warning.Days < 0:
		bad("", FieldWarningDays, ReasonNegative, fmt.Sprint(r.Warning.Days))
	case r.Warning.Days > 0 && r.DiscountLapseDays > 0 && r.Warning.Days >= r.DiscountLapseDays:
		bad("", FieldWarningDays, ReasonBadRange, fmt.Sprint(r.Warning.Days))
	}
	if r.Warning.Days > 0 {
		if strings.TrimSpace(r.Warning.Template) == "" {
			bad("", FieldTemplate, ReasonRequired, "")
		} else if p := unknownPlaceholder(r.Warning.Template); p != "" {
			bad("", FieldTemplate, ReasonBadValue, p)
		}
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	return ruleWarnings(r, prio), nil
}

// unknownPlaceholder returns the first {word} of the template that is not a
// lapse warning's placeholder, or "".
func unknownPlaceholder(t string) string {
	for {
		i := strings.IndexByte(t, '{')
		if i < 0 {
			return ""
		}
		j := strings.IndexByte(t[i:], '}')
		if j < 0 {
			return t[i:]
		}
		if p := t[i : i+j+1]; !slices.Contains(WarningPlaceholders, p) {
			return p
		}
		t = t[i+j+1:]
	}
}

// ruleWarnings finds rules that never decide anything, whatever order they
// are in (the conflicts resolve by value, LR-06).
func ruleWarnings(r Rules, prio map[string]int) []RuleWarning {
	var ws []RuleWarning
	for i, d := range r.Discounts {
		for j, o := range r.Discounts {
			if i == j || o.Measure != d.Measure || o.From > d.From || o.DiscountBP < d.DiscountBP {
				continue
			}
			if o.From == d.From && o.DiscountBP == d.DiscountBP {
				if j < i { // report the later twin once
					ws = append(ws, RuleWarning{Code: WarnDuplicate, Rule: d.ID, Other: o.ID})
				}
				continue
			}
			ws = append(ws, RuleWarning{Code: WarnNeverApplies, Rule: d.ID, Other: o.ID})
			break
		}
	}
	for i, c := range r.Classes {
		for j, o := range r.Classes {
			if i == j || o.Measure != c.Measure || o.From > c.From {
				continue
			}
			if o.ClassID == c.ClassID {
				if o.From == c.From && j < i {
					ws = append(ws, RuleWarning{Code: WarnDuplicate, Rule: c.ID, Other: o.ID})
				}
				continue
			}
			if prio[o.ClassID] > prio[c.ClassID] {
				ws = append(ws, RuleWarning{Code: WarnNeverApplies, Rule: c.ID, Other: o.ID})
				break
			}
		}
	}
	for i, c := range r.Categories {
		for j, o := range r.Categories {
			if i == j || o.CategoryID != c.CategoryID || o.Measure != c.Measure {
				continue
			}
			covers := o.From <= c.From || c.Measure == MeasureCame || c.Measure == MeasureMissed
			switch {
			case o.Add == c.Add && covers && (o.From < c.From || j < i):
				ws = append(ws, RuleWarning{Code: WarnDuplicate, Rule: c.ID, Other: o.ID})
			case c.Add && !o.Add && covers:
				ws = append(ws, RuleWarning{Code: WarnNeverAdded, Rule: c.ID, Other: o.ID})
			default:
				continue
			}
			break
		}
	}
	if r.Warning.Days > 0 && r.DiscountLapseDays == 0 {
		ws = append(ws, RuleWarning{Code: WarnNoLapse})
	}
	return ws
}

// Save validates and stores the rules with their settings, giving new rules
// ids, and returns them with their warnings. The caller then recalculates
// everyone (RecalculateAll) in the background.
func (l *Loyalty) Save(ctx context.Context, r Rules) (Rules, []RuleWarning, error) {
	ws, err := l.Check(ctx, r)
	if err != nil {
		return Rules{}, nil, err
	}
	r.Discounts, r.Classes, r.Categories = slices.Clone(r.Discounts), slices.Clone(r.Classes), slices.Clone(r.Categories)
	for i := range r.Discounts {
		if r.Discounts[i].ID == "" {
			r.Discounts[i].ID = NewID()
		}
	}
	for i := range r.Classes {
		if r.Classes[i].ID == "" {
			r.Classes[i].ID = NewID()
		}
	}
	for i := range r.Categories {
		if r.Categories[i].ID == "" {
			r.Categories[i].ID = NewID()
		}
		if m := r.Categories[i].Measure; m == MeasureCame || m == MeasureMissed {
			r.Categories[i].From = 0
		}
	}
	now, node := l.clock.Now(), l.store.NodeID()
	err = l.store.Update(ctx, func(tx Tx) error {
		if err := tx.ReplaceRules(ctx, r, now, node); err != nil {
			return err
		}
		for k, v := range map[string]string{
			SettingDiscountLapseDays: strconv.Itoa(r.DiscountLapseDays),
			SettingClassLapseDays:    strconv.Itoa(r.ClassLapseDays),
			SettingWarningDays:       strconv.Itoa(r.Warning.Days),
			SettingWarningTemplate:   r.Warning.Template,
		} {
			if err := tx.SetSetting(ctx, k, v, now, node); err != nil {
				return err
			}
		}
		return tx.AppendAudit(ctx, auditOf(ctx, now, node, "rules.save", "rules", "",
			"discount_rules", strconv.Itoa(len(r.Discounts)), "class_rules", strconv.Itoa(len(r.Classes)),
			"category_rules", strconv.Itoa(len(r.Categories)), "discount_lapse_days", strconv.Itoa(r.DiscountLapseDays),
			"class_lapse_days", strconv.Itoa(r.ClassLapseDays), "warning_days", strconv.Itoa(r.Warning.Days)))
	})
	if err != nil {
		return Rules{}, nil, fmt.Errorf("save rules: %w", err)
	}
	return r, ws, nil
}

// Source says where a client's discount or class comes from.
type Source string

// Sources.
const (
	SourceNone   Source = ""       // nothing gives one
	SourceRule   Source = "rule"   // a rule (Outcome names it)
	SourceLapse  Source = "lapse"  // the rules took it away after days without a visit
	SourceFixed  Source = "fixed"  // set by hand, fixed
	SourceFloor  Source = "floor"  // set by hand as a floor the rules did not beat
	SourceKept   Source = "kept"   // no rules of this kind: the value set by hand or imported stays
	SourceManual Source = "manual" // set by hand for now, the rules give nothing
)

// Decision is what the rules and the values set by hand give a client.
type Decision struct {
	Outcome            // the rules alone
	Figures    Figures // what the rules looked at
	Absent     int     // whole days since the last visit; -1: never came
	DiscountBP int     // the discount the client ends with
	DiscountBy Source
	ClassID    string // the class the client ends with
	ClassBy    Source
	Change     RuleChange
	Changed    bool
}

// figuresOf turns a subject into the rules' figures, the last visit's day
// taken where the venue is (loc).
func figuresOf(s RuleSubject, loc *time.Location) Figures {
	f := Figures{Sold: s.Sold, Paid: s.Paid, Visits: s.Visits}
	if !s.LastVisitAt.IsZero() {
		f.LastVisit = DateOf(s.LastVisitAt.In(loc))
	}
	switch s.LastStatus {
	case VisitCame:
		f.LastStatus = MeasureCame
	case VisitMissed:
		f.LastStatus = MeasureMissed
	}
	return f
}

// decide applies the rules and the locks to one client on day today.
func decide(r Rules, ranks []ClassRank, s RuleSubject, today Date, loc *time.Location) Decision {
	f := figuresOf(s, loc)
	d := Decision{Outcome: r.Evaluate(f, today, ranks, s.Categories), Figures: f, Absent: absentDays(f, today)}
	// The discount.
	switch {
	case s.DiscountLock == ManualFixed:
		d.DiscountBP, d.DiscountBy = s.DiscountBP, SourceFixed
	case len(r.Discounts) == 0:
		d.DiscountBP, d.DiscountBy = s.DiscountBP, SourceKept
		if s.DiscountBP == 0 {
			d.DiscountBy = SourceNone
		}
	default:
		d.DiscountBP, d.DiscountBy = d.Outcome.DiscountBP, SourceRule
		if d.Outcome.DiscountLapsed {
			d.DiscountBy = SourceLapse
		} else if d.Outcome.DiscountRule == "" {
			d.DiscountBy = SourceNone
		}
	}
	if s.DiscountLock == ManualFloor && s.DiscountLockBP > d.DiscountBP {
		d.DiscountBP, d.DiscountBy = s.DiscountLockBP, SourceFloor
	}
	// The class.
	prio := func(id string) int {
		for _, c := range ranks {
			if c.ID == id {
				return c.Priority
			}
		}
		return -1 << 31
	}
	switch {
	case s.ClassLock == ManualFixed:
		d.ClassID, d.ClassBy = s.ClassID, SourceFixed
	case len(r.Classes) == 0:
		d.ClassID, d.ClassBy = s.ClassID, SourceKept
		if s.ClassID == "" {
			d.ClassBy = SourceNone
		}
	default:
		d.ClassID, d.ClassBy = d.Outcome.ClassID, SourceRule
		if d.Outcome.ClassLapsed {
			d.ClassBy = SourceLapse
		} else if d.Outcome.ClassRule == "" {
			d.ClassBy = SourceNone
		}
	}
	if s.ClassLock == ManualFloor && s.ClassLockID != "" && (d.ClassID == "" || prio(s.ClassLockID) > prio(d.ClassID)) {
		d.ClassID, d.ClassBy = s.ClassLockID, SourceFloor
	}
	// What changes.
	d.Change.ClientID = s.ClientID
	if d.DiscountBP != s.DiscountBP {
		bp := d.DiscountBP
		d.Change.DiscountBP, d.Changed = &bp, true
	}
	if d.ClassID != s.ClassID {
		id := d.ClassID
		d.Change.ClassID, d.Changed = &id, true
	}
	for _, c := range d.Categories {
		if !slices.Contains(s.Categories, c) {
			d.Change.AddCategories = append(d.Change.AddCategories, c)
		}
	}
	for _, c := range s.Categories {
		if !slices.Contains(d.Categories, c) {
			d.Change.RemoveCategories = append(d.Change.RemoveCategories, c)
		}
	}
	if len(d.Change.AddCategories)+len(d.Change.RemoveCategories) > 0 {
		d.Changed = true
	}
	return d
}

// ranksOf returns the classes' priorities for Evaluate.
func ranksOf(cs []Class) []ClassRank {
	rs := make([]ClassRank, len(cs))
	for i, c := range cs {
		rs[i] = ClassRank{ID: c.ID, Priority: c.Priority}
	}
	return rs
}

// empty reports rules that give and take nothing.
func (r Rules) empty() bool {
	return len(r.Discounts)+len(r.Classes)+len(r.Categories) == 0 && r.DiscountLapseDays == 0 && r.ClassLapseDays == 0
}

// applyRules applies the rules to one client inside tx (LR-07: a purchase, a
// refund, a visit) and writes what changed with an audit line.
func applyRules(ctx context.Context, tx Tx, clientID string, now time.Time, node string) (Decision, error) {
	r, err := readRules(ctx, tx)
	if err != nil || r.empty() {
		return Decision{}, err
	}
	classes, err := tx.ClientClasses(ctx)
	if err != nil {
		return Decision{}, err
	}
	ss, err := tx.RuleSubjects(ctx, RuleSubjectQuery{IDs: []string{clientID}})
	if err != nil {
		return Decision{}, err
	}
	if len(ss) == 0 {
		return Decision{}, fmt.Errorf("client %s: %w", clientID, ErrNotFound)
	}
	d := decide(r, ranksOf(classes), ss[0], DateOf(now), now.Location())
	if !d.Changed {
		return d, nil
	}
	if err := tx.ApplyRuleChanges(ctx, []RuleChange{d.Change}, now, node); err != nil {
		return d, err
	}
	return d, tx.AppendAudit(ctx, AuditEntry{ID: NewID(), At: now, NodeID: node, Actor: ActorOf(ctx), Action: "rules.apply",
		Entity: "client", EntityID: clientID, Details: changeDetails(ss[0], d)})
}

// changeDetails describes a rule change for the audit log.
func changeDetails(s RuleSubject, d Decision) string {
	var kv []string
	if d.Change.DiscountBP != nil {
		kv = append(kv, "discount_from", strconv.Itoa(s.DiscountBP), "discount_to", strconv.Itoa(d.DiscountBP), "discount_rule", d.DiscountRule)
	}
	if d.Change.ClassID != nil {
		kv = append(kv, "class_from", s.ClassID, "class_to", d.ClassID, "class_rule", d.ClassRule)
	}
	if len(d.Change.AddCategories) > 0 {
		kv = append(kv, "categories_added", strings.Join(d.Change.AddCategories, ","))
	}
	if len(d.Change.RemoveCategories) > 0 {
		kv = append(kv, "categories_removed", strings.Join(d.Change.RemoveCategories, ","))
	}
	return jsonObject(kv...)
}

// ApplyClient applies the rules to one client now (LR-07, from the client
// card) and returns the decision.
func (l *Loyalty) ApplyClient(ctx context.Context, clientID string) (Decision, error) {
	var d Decision
	now, node := l.clock.Now(), l.store.NodeID()
	err := l.store.Update(ctx, func(tx Tx) error {
		var err error
		if err = promote(ctx, tx, clientID, now, node); err != nil {
			return err
		}
		d, err = applyRules(ctx, tx, clientID, now, node)
		return err
	})
	if err != nil {
		return Decision{}, fmt.Errorf("apply rules to client %s: %w", clientID, err)
	}
	return d, nil
}

// RecalcProgress says how far a recalculation is.
type RecalcProgress struct {
	Done, Total int // clients looked at, of
	Changed     int // clients whose discount, class or categories changed
}

// RecalculateAll applies the rules to every client (LR-07, after saving the
// rules), RecalcBatch clients per transaction so that the till keeps
// working, telling progress after each batch. A cancelled ctx stops it
// between batches; what was done stays done, and a later run finishes it.
func (l *Loyalty) RecalculateAll(ctx context.Context, progress func(RecalcProgress)) (RecalcProgress, error) {
	total, err := l.store.CountClients(ctx, ClientSelect{})
	if err != nil {
		return RecalcProgress{}, fmt.Errorf("count clients: %w", err)
	}
	return l.recalc(ctx, RuleSubjectQuery{}, total, "all", progress)
}

// recalc applies the rules to the clients q selects (q.IDs, or everyone
// matching its other fields), batch by batch.
func (l *Loyalty) recalc(ctx context.Context, q RuleSubjectQuery, total int, scope string, progress func(RecalcProgress)) (RecalcProgress, error) {
	p := RecalcProgress{Total: total}
	r, err := readRules(ctx, l.store)
	if err != nil {
		return p, err
	}
	classes, err := l.store.ClientClasses(ctx)
	if err != nil {
		return p, err
	}
	ranks := ranksOf(classes)
	ids := q.IDs
	for {
		if err := ctx.Err(); err != nil {
			return p, err
		}
		bq := q
		bq.Limit = RecalcBatch
		if ids != nil {
			if len(ids) == 0 {
				break
			}
			n := min(len(ids), RecalcBatch)
			bq.IDs, ids = ids[:n], ids[n:]
		}
		got, changed, err := l.recalcBatch(ctx, r, ranks, bq)
		if err != nil {
			return p, fmt.Errorf("recalculate rules: %w", err)
		}
		p.Changed += changed
		if ids != nil {
			p.Done += len(bq.IDs) // a deleted client is looked at, and skipped
		} else {
			p.Done += len(got)
			if len(got) < RecalcBatch {
				break
			}
			q.After = got[len(got)-1]
		}
		if progress != nil {
			progress(p)
		}
	}
	p.Total = max(p.Total, p.Done)
	if progress != nil {
		progress(p)
	}
	now, node := l.clock.Now(), l.store.NodeID()
	err = l.store.Update(ctx, func(tx Tx) error {
		return tx.AppendAudit(ctx, auditOf(ctx, now, node, "rules.recalculate", "rules", "", "scope", scope,
			"clients", strconv.Itoa(p.Done), "changed", strconv.Itoa(p.Changed)))
	})
	return p, err
}

// recalcBatch applies the rules to one batch of clients in one transaction
// and returns the ids it looked at and how many changed.
func (l *Loyalty) recalcBatch(ctx context.Context, r Rules, ranks []ClassRank, q RuleSubjectQuery) (ids []string, changed int, err error) {
	now, node := l.clock.Now(), l.store.NodeID()
	err = l.store.Update(ctx, func(tx Tx) error {
		ss, err := tx.RuleSubjects(ctx, q)
		if err != nil {
			return err
		}
		ids = make([]string, len(ss))
		var changes []RuleChange
		for i, s := range ss {
			ids[i] = s.ClientID
			if d := decide(r, ranks, s, DateOf(now), now.Location()); d.Changed {
				changes = append(changes, d.Change)
			}
		}
		changed = len(changes)
		if changed == 0 {
			return nil
		}
		return tx.ApplyRuleChanges(ctx, changes, now, node)
	})
	return ids, changed, err
}

// DailyResult is what a daily run did.
type DailyResult struct {
	Ran        bool // false when it had already run today
	Recalc     RecalcProgress
	Warnings   int // lapse warnings queued
	Skipped    int // lapse warnings written as skipped (unsubscribed, no phone)
	RecalcDays int // the shortest days-without-a-visit any rule counts; 0: none
}

// RunDaily runs the rules' daily work once a day (LR-07, LR-08): the
// clients whose days without a visit may have crossed a rule's line get the
// rules again (lapses, "not visited for more than N days"), and warnings are
// queued for the discounts about to lapse. It runs at start-up too, so a day
// the program was closed is caught up: the rules look at today's date, and
// the warnings cover every discount not yet lapsed.
func (l *Loyalty) RunDaily(ctx context.Context) (DailyResult, error) {
	var res DailyResult
	now := l.clock.Now()
	today := DateOf(now)
	last, _, err := l.store.Setting(ctx, SettingDailyRun)
	if err != nil {
		return res, err
	}
	if last == today.String() {
		return res, nil
	}
	res.Ran = true
	r, err := readRules(ctx, l.store)
	if err != nil {
		return res, err
	}
	days := timeRuleDays(r)
	res.RecalcDays = days
	if days > 0 {
		// Absent more than days: the last visit was before today − days.
		q := RuleSubjectQuery{LastVisitBefore: today.AddDays(-days).Time(now.Location())}
		if res.Recalc, err = l.recalc(ctx, q, 0, "daily", nil); err != nil {
			return res, err
		}
	}
	if res.Warnings, res.Skipped, err = l.queueWarnings(ctx, r, today, now.Location()); err != nil {
		return res, err
	}
	err = l.store.Update(ctx, func(tx Tx) error {
		return tx.SetSetting(ctx, SettingDailyRun, today.String(), l.clock.Now(), l.store.NodeID())
	})
	return res, err
}

// timeRuleDays is the fewest days without a visit any rule counts, 0 if none
// does.
func timeRuleDays(r Rules) int {
	days := 0
	take := func(n int) {
		if n > 0 && (days == 0 || n < days) {
			days = n
		}
	}
	if len(r.Discounts) > 0 {
		take(r.DiscountLapseDays)
	}
	if len(r.Classes) > 0 {
		take(r.ClassLapseDays)
	}
	for _, c := range r.Categories {
		if c.Measure == MeasureAbsentDays {
			take(int(c.From))
		}
	}
	return days
}

// LapseDay is the last day a client whose last visit was on last keeps a
// discount that lapses after lapseDays days without a visit.
func LapseDay(last Date, lapseDays int) Date { return last.AddDays(lapseDays) }

// queueWarnings queues a message for every client whose discount lapses
// within the warning's days (LR-08): the discount holds while the client has
// been away no more than L days, so the window is last visit in
// [today − L, today − L + W − 1]. Each message's id derives from the client
// and their last visit, so re-runs and missed days never queue it twice.
func (l *Loyalty) queueWarnings(ctx context.Context, r Rules, today Date, loc *time.Location) (queued, skipped int, err error) {
	w, lapse := r.Warning.Days, r.DiscountLapseDays
	if w <= 0 || lapse <= 0 || len(r.Discounts) == 0 {
		return 0, 0, nil
	}
	q := RuleSubjectQuery{WithDiscount: true, Limit: RecalcBatch,
		LastVisitFrom: today.AddDays(-lapse).Time(loc), LastVisitBefore: today.AddDays(-lapse + w).Time(loc)}
	for {
		var ss []RuleSubject
		now, node := l.clock.Now(), l.store.NodeID()
		err := l.store.Update(ctx, func(tx Tx) error {
			var err error
			if ss, err = tx.RuleSubjects(ctx, q); err != nil {
				return err
			}
			for _, s := range ss {
				last := DateOf(s.LastVisitAt.In(loc))
				m := Message{ID: DerivedID("lapse-warning", s.ClientID, last.String()), ClientID: s.ClientID,
					Channel: ChannelSMS, Kind: MessageDiscountLapse, To: s.Phone, Status: MessageQueued,
					Text:      RenderWarning(r.Warning.Template, s.Name, s.DiscountBP, LapseDay(last, lapse)),
					CreatedAt: now, UpdatedAt: now, NodeID: node}
				switch {
				case !s.SMSSubscribed:
					m.Status, m.Reason = MessageSkipped, SkipUnsubscribed
				case s.Phone == "":
					m.Status, m.Reason = MessageSkipped, SkipNoPhone
				}
				ok, err := tx.QueueMessage(ctx, m)
				if err != nil {
					return err
				}
				switch {
				case !ok:
				case m.Status == MessageQueued:
					queued++
				default:
					skipped++
				}
			}
			return nil
		})
		if err != nil {
			return queued, skipped, fmt.Errorf("queue lapse warnings: %w", err)
		}
		if len(ss) < RecalcBatch {
			return queued, skipped, nil
		}
		q.After = ss[len(ss)-1].ClientID
	}
}

// RenderWarning fills a lapse warning's template: {name}, {discount} (like
// "5 %") and {date}, the last day the discount holds (DD.MM.YYYY).
func RenderWarning(template, name string, bp int, last Date) string {
	return strings.NewReplacer("{name}", name, "{discount}", PercentText(bp), "{date}", last.Format()).Replace(template)
}

// PercentText writes basis points as a percentage: 500 → "5 %", 750 → "7,5 %".
func PercentText(bp int) string {
	return strings.Replace(FormatPoints(int64(bp)), ".", ",", 1) + "\u00a0%"
}

// LoyaltyJobs runs the daily work at start and then every Every (an hour by
// default: the run itself does nothing twice a day).
type LoyaltyJobs struct {
	Loyalty *Loyalty
	Every   time.Duration
	OnDone  func(DailyResult, error)
}

// Run runs the jobs until ctx is done.
func (j *LoyaltyJobs) Run(ctx context.Context) {
	every := j.Every
	if every <= 0 {
		every = time.Hour
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		res, err := j.Loyalty.RunDaily(ctx)
		if j.OnDone != nil && !errors.Is(err, context.Canceled) {
			j.OnDone(res, err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
