package app

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Classes (GR-05), categories (GR-06) and statuses (GR-04): their editors,
// changes by hand, visits with a status (PU-04), the outbox (LR-08) and the
// explanation of a client's standing.

// Classes returns the classes, highest priority first, with their client
// counts.
func (l *Loyalty) Classes(ctx context.Context) ([]Class, error) {
	return counted(ctx, l.store, RefClass, l.store.ClientClasses, func(c *Class) (string, *int) { return c.ID, &c.Clients })
}

// Categories returns the client categories by name, with their members.
func (l *Loyalty) Categories(ctx context.Context) ([]Category, error) {
	return counted(ctx, l.store, RefCategory, l.store.ClientCategories, func(c *Category) (string, *int) { return c.ID, &c.Clients })
}

// Statuses returns the statuses by position, with their client counts.
func (l *Loyalty) Statuses(ctx context.Context) ([]Status, error) {
	return counted(ctx, l.store, RefStatus, l.store.ClientStatuses, func(s *Status) (string, *int) { return s.ID, &s.Clients })
}

// counted reads the records of a kind and fills each one's client count.
func counted[T any](ctx context.Context, r LoyaltyReader, kind RefKind, list func(context.Context) ([]T, error), count func(*T) (string, *int)) ([]T, error) {
	xs, err := list(ctx)
	if err != nil {
		return nil, fmt.Errorf("read %s list: %w", kind, err)
	}
	for i := range xs {
		id, n := count(&xs[i])
		if *n, err = r.RefClients(ctx, kind, id); err != nil {
			return nil, err
		}
	}
	return xs, nil
}

// refNames are the live names of one kind with their ids.
func refNames(ctx context.Context, tx Tx, kind RefKind) (map[string]string, error) {
	names := map[string]string{}
	switch kind {
	case RefClass:
		cs, err := tx.ClientClasses(ctx)
		for _, c := range cs {
			names[c.ID] = c.Name
		}
		return names, err
	case RefCategory:
		cs, err := tx.ClientCategories(ctx)
		for _, c := range cs {
			names[c.ID] = c.Name
		}
		return names, err
	case RefStatus:
		ss, err := tx.ClientStatuses(ctx)
		for _, s := range ss {
			names[s.ID] = s.Name
		}
		return names, err
	}
	return nil, fmt.Errorf("ref kind %q", kind)
}

// uniqueName refuses a name another live record of the kind has.
func uniqueName(ctx context.Context, tx Tx, kind RefKind, id, name string) error {
	names, err := refNames(ctx, tx, kind)
	if err != nil {
		return err
	}
	for oid, n := range names {
		if oid != id && strings.EqualFold(n, name) {
			return &ValidationError{Fields: []FieldError{{Field: FieldName, Reason: ReasonTaken, Value: name}}}
		}
	}
	return nil
}

// SaveClass creates (empty ID) or changes a class; names are unique.
func (l *Loyalty) SaveClass(ctx context.Context, c Class) (Class, error) {
	var v validation
	c.Name = cleanName(&v, FieldName, c.Name)
	if err := v.err(); err != nil {
		return Class{}, err
	}
	now, node := l.clock.Now(), l.store.NodeID()
	if c.ID == "" {
		c.ID, c.CreatedAt = NewID(), now
	}
	c.UpdatedAt, c.NodeID = now, node
	err := l.store.Update(ctx, func(tx Tx) error {
		if err := uniqueName(ctx, tx, RefClass, c.ID, c.Name); err != nil {
			return err
		}
		if err := tx.SaveClass(ctx, c); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, auditOf(ctx, now, node, "class.save", "class", c.ID, "name", c.Name, "priority", strconv.Itoa(c.Priority)))
	})
	if err != nil {
		return Class{}, fmt.Errorf("save class %q: %w", c.Name, err)
	}
	return c, nil
}

// PresetClasses adds the classes of seed 004 under the names given (in the
// UI's language: Bronze, Silver, Gold), each above the one before and above
// every existing class; names that exist are kept as they are. It returns
// the three classes, lowest first.
func (l *Loyalty) PresetClasses(ctx context.Context, names [3]string) ([]Class, error) {
	existing, err := l.store.ClientClasses(ctx)
	if err != nil {
		return nil, err
	}
	top := 0
	for _, c := range existing {
		top = max(top, c.Priority)
	}
	out := make([]Class, 0, 3)
	for _, n := range names {
		i := slices.IndexFunc(existing, func(c Class) bool { return strings.EqualFold(c.Name, n) })
		if i >= 0 {
			out = append(out, existing[i])
			continue
		}
		top++
		c, err := l.SaveClass(ctx, Class{Name: n, Priority: top})
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// PresetClassRules are seed 004's class rules for the preset classes (lowest
// first): sold from 20 000, 50 000, 100 000 ₽ or 10, 30, 50 visits.
func PresetClassRules(classes []Class) []ClassRule {
	sold := []int64{20_000_00, 50_000_00, 100_000_00}
	visits := []int64{10, 30, 50}
	var rs []ClassRule
	for i, c := range classes[:min(3, len(classes))] {
		rs = append(rs, ClassRule{ClassID: c.ID, Measure: MeasureSold, From: sold[i]},
			ClassRule{ClassID: c.ID, Measure: MeasureVisits, From: visits[i]})
	}
	return rs
}

// SaveCategory creates (empty ID) or renames a client category.
func (l *Loyalty) SaveCategory(ctx context.Context, c Category) (Category, error) {
	var v validation
	c.Name = cleanName(&v, FieldName, c.Name)
	if err := v.err(); err != nil {
		return Category{}, err
	}
	now, node := l.clock.Now(), l.store.NodeID()
	if c.ID == "" {
		c.ID, c.CreatedAt = NewID(), now
	}
	c.UpdatedAt, c.NodeID = now, node
	err := l.store.Update(ctx, func(tx Tx) error {
		if err := uniqueName(ctx, tx, RefCategory, c.ID, c.Name); err != nil {
			return err
		}
		if err := tx.SaveCategory(ctx, c); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, auditOf(ctx, now, node, "category.save", "category", c.ID, "name", c.Name))
	})
	if err != nil {
		return Category{}, fmt.Errorf("save category %q: %w", c.Name, err)
	}
	return c, nil
}

// SaveStatus creates (empty ID) or changes a status.
func (l *Loyalty) SaveStatus(ctx context.Context, s Status) (Status, error) {
	var v validation
	s.Name = cleanName(&v, FieldName, s.Name)
	if err := v.err(); err != nil {
		return Status{}, err
	}
	now, node := l.clock.Now(), l.store.NodeID()
	if s.ID == "" {
		s.ID, s.CreatedAt = NewID(), now
	}
	s.UpdatedAt, s.NodeID = now, node
	err := l.store.Update(ctx, func(tx Tx) error {
		if err := uniqueName(ctx, tx, RefStatus, s.ID, s.Name); err != nil {
			return err
		}
		if err := tx.SaveStatus(ctx, s); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, auditOf(ctx, now, node, "status.save", "status", s.ID, "name", s.Name, "position", strconv.Itoa(s.Position)))
	})
	if err != nil {
		return Status{}, fmt.Errorf("save status %q: %w", s.Name, err)
	}
	return s, nil
}

// DeleteRef removes a class, category or status that no client has and no
// rule names; otherwise it is refused (ReasonInUse, Value: how many clients,
// or "rules").
func (l *Loyalty) DeleteRef(ctx context.Context, kind RefKind, id string) error {
	field := map[RefKind]string{RefClass: FieldClass, RefCategory: FieldCategory, RefStatus: FieldStatus}[kind]
	if field == "" {
		return fmt.Errorf("delete %q: %w", kind, ErrInvalid)
	}
	now, node := l.clock.Now(), l.store.NodeID()
	err := l.store.Update(ctx, func(tx Tx) error {
		names, err := refNames(ctx, tx, kind)
		if err != nil {
			return err
		}
		name, ok := names[id]
		if !ok {
			return fmt.Errorf("%s %s: %w", kind, id, ErrNotFound)
		}
		n, err := tx.RefClients(ctx, kind, id)
		if err != nil {
			return err
		}
		if n > 0 {
			return &ValidationError{Fields: []FieldError{{Field: field, Reason: ReasonInUse, Value: strconv.Itoa(n)}}}
		}
		rules, err := tx.LoyaltyRules(ctx)
		if err != nil {
			return err
		}
		used := slices.ContainsFunc(rules.Classes, func(c ClassRule) bool { return c.ClassID == id }) ||
			slices.ContainsFunc(rules.Categories, func(c CategoryRule) bool { return c.CategoryID == id })
		if used {
			return &ValidationError{Fields: []FieldError{{Field: field, Reason: ReasonInUse, Value: "rules"}}}
		}
		if err := tx.DeleteRef(ctx, kind, id, now, node); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, auditOf(ctx, now, node, string(kind)+".delete", string(kind), id, "name", name))
	})
	if err != nil {
		return fmt.Errorf("delete %s: %w", kind, err)
	}
	return nil
}

// SetManual changes the status, discount or class of the clients q picks by
// hand (GR-04), with the meaning the change's mode states, and one audit
// line. Where the rules get a say (a floor, or handing back to the rules)
// they are applied to those clients at once. It returns how many clients
// changed.
func (l *Loyalty) SetManual(ctx context.Context, q ClientQuery, ch ManualChange) (int, error) {
	var v validation
	mode := func(m ManualMode) {
		if !slices.Contains([]ManualMode{ManualFixed, ManualFloor, ManualOnce, ManualRules}, m) {
			v.add(FieldMode, ReasonBadValue, string(m))
		}
	}
	if ch.Discount != nil {
		mode(ch.Discount.Mode)
		if ch.Discount.Mode != ManualRules && (ch.Discount.BP < 0 || ch.Discount.BP > 10000) {
			v.add(FieldDiscount, ReasonBadValue, strconv.Itoa(ch.Discount.BP))
		}
	}
	if ch.Class != nil {
		mode(ch.Class.Mode)
	}
	if ch.StatusID == nil && ch.Discount == nil && ch.Class == nil {
		v.add(FieldMode, ReasonRequired, "")
	}
	if err := v.err(); err != nil {
		return 0, err
	}
	sel, err := NewClients(l.store, l.clock).selection(ctx, q)
	if err != nil {
		return 0, err
	}
	now, node := l.clock.Now(), l.store.NodeID()
	var n int
	err = l.store.Update(ctx, func(tx Tx) error {
		check := func(kind RefKind, field, id string) error {
			if id == "" {
				return nil
			}
			names, err := refNames(ctx, tx, kind)
			if err != nil {
				return err
			}
			if _, ok := names[id]; !ok {
				return &ValidationError{Fields: []FieldError{{Field: field, Reason: ReasonNotFound, Value: id}}}
			}
			return nil
		}
		var kv []string
		if ch.StatusID != nil {
			if err := check(RefStatus, FieldStatus, *ch.StatusID); err != nil {
				return err
			}
			kv = append(kv, "status", *ch.StatusID)
		}
		if ch.Class != nil {
			if ch.Class.Mode != ManualRules {
				if err := check(RefClass, FieldClass, ch.Class.ClassID); err != nil {
					return err
				}
			}
			kv = append(kv, "class", ch.Class.ClassID, "class_mode", string(ch.Class.Mode))
		}
		if ch.Discount != nil {
			kv = append(kv, "discount_bp", strconv.Itoa(ch.Discount.BP), "discount_mode", string(ch.Discount.Mode))
		}
		var err error
		if n, err = tx.SetManual(ctx, sel, ch, now, node); err != nil {
			return err
		}
		kv = append(kv, "clients", strconv.Itoa(n))
		if len(q.IDs) == 1 {
			return tx.AppendAudit(ctx, auditOf(ctx, now, node, "client.manual", "client", q.IDs[0], kv...))
		}
		return tx.AppendAudit(ctx, auditOf(ctx, now, node, "clients.manual", "clients", "", kv...))
	})
	if err != nil {
		return 0, fmt.Errorf("change by hand: %w", err)
	}
	if (ch.Discount != nil && (ch.Discount.Mode == ManualFloor || ch.Discount.Mode == ManualRules)) ||
		(ch.Class != nil && (ch.Class.Mode == ManualFloor || ch.Class.Mode == ManualRules)) {
		var ids []string
		if err := l.store.EachClient(ctx, sel, func(c Client) error { ids = append(ids, c.ID); return nil }); err != nil {
			return n, err
		}
		slices.Sort(ids)
		if _, err := l.recalc(ctx, RuleSubjectQuery{IDs: ids}, len(ids), "manual", nil); err != nil {
			return n, err
		}
	}
	return n, nil
}

// VisitInput is an appointment's outcome to record (PU-04).
type VisitInput struct {
	ClientID string
	At       Date // the day of the visit; zero: today
	Status   VisitStatus
	Sold     int64 // the bill, kopecks ("came" only)
	Paid     int64 // the money received, kopecks, at most Sold
	Note     string
}

// RecordVisit records an appointment's outcome (PU-04) and, in the same
// transaction, updates the client's totals, group and rules (LR-07): a visit
// with status "came" counts as a visit with its bill and payment; "did not
// come" counts only for the category rules by status.
func (l *Loyalty) RecordVisit(ctx context.Context, in VisitInput) (Visit, error) {
	now, node := l.clock.Now(), l.store.NodeID()
	var v validation
	if in.ClientID == "" {
		v.add(FieldClient, ReasonRequired, "")
	}
	if in.Status != VisitCame && in.Status != VisitMissed {
		v.add(FieldVisitStatus, ReasonBadValue, string(in.Status))
	}
	if in.Sold < 0 {
		v.add(FieldSold, ReasonNegative, strconv.FormatInt(in.Sold, 10))
	}
	switch {
	case in.Paid < 0:
		v.add(FieldPaid, ReasonNegative, strconv.FormatInt(in.Paid, 10))
	case in.Paid > in.Sold:
		v.add(FieldPaid, ReasonBadRange, strconv.FormatInt(in.Paid, 10))
	}
	if in.Status == VisitMissed && in.Sold > 0 {
		v.add(FieldSold, ReasonBadValue, strconv.FormatInt(in.Sold, 10))
	}
	at := now
	if !in.At.IsZero() {
		if DateOf(now).Before(in.At) {
			v.add(FieldVisitAt, ReasonFutureDate, in.At.Format())
		}
		if in.At != DateOf(now) { // an earlier day: noon of it, in the venue's zone
			at = in.At.Time(now.Location()).Add(12 * time.Hour)
		}
	}
	note := strings.TrimSpace(in.Note)
	if len([]rune(note)) > 1000 {
		v.add(FieldNote, ReasonTooLong, "")
	}
	if err := v.err(); err != nil {
		return Visit{}, err
	}
	vi := Visit{ID: NewID(), ClientID: in.ClientID, At: at, Status: in.Status, Sold: in.Sold, Paid: in.Paid,
		Note: note, Author: ActorOf(ctx), CreatedAt: now, UpdatedAt: now, NodeID: node}
	err := l.store.Update(ctx, func(tx Tx) error {
		if _, err := tx.ClientStanding(ctx, in.ClientID); err != nil {
			return err
		}
		if err := tx.InsertVisit(ctx, vi); err != nil {
			return err
		}
		if err := l.afterVisit(ctx, tx, in.ClientID, now, node); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, auditOf(ctx, now, node, "visit.record", "client", in.ClientID, "visit", vi.ID,
			"status", string(vi.Status), "sold", strconv.FormatInt(vi.Sold, 10), "paid", strconv.FormatInt(vi.Paid, 10)))
	})
	if err != nil {
		return Visit{}, fmt.Errorf("record visit: %w", err)
	}
	return vi, nil
}

// afterVisit brings the client's totals, group and rules up to date after a
// visit changed.
func (l *Loyalty) afterVisit(ctx context.Context, tx Tx, clientID string, now time.Time, node string) error {
	if err := tx.RecomputeClientTotals(ctx, clientID, now, node); err != nil {
		return err
	}
	if err := promote(ctx, tx, clientID, now, node); err != nil {
		return err
	}
	_, err := applyRules(ctx, tx, clientID, now, node)
	return err
}

// SetVisitStatus corrects a visit's status (a guest marked as not come who
// did come, or the other way), with the same updates as recording it.
func (l *Loyalty) SetVisitStatus(ctx context.Context, id string, status VisitStatus) error {
	if status != VisitCame && status != VisitMissed {
		return &ValidationError{Fields: []FieldError{{Field: FieldVisitStatus, Reason: ReasonBadValue, Value: string(status)}}}
	}
	now, node := l.clock.Now(), l.store.NodeID()
	err := l.store.Update(ctx, func(tx Tx) error {
		vi, err := tx.Visit(ctx, id)
		if err != nil {
			return err
		}
		if vi.Status == status {
			return nil
		}
		if status == VisitMissed && vi.Sold > 0 {
			return &ValidationError{Fields: []FieldError{{Field: FieldVisitStatus, Reason: ReasonBadValue, Value: string(status)}}}
		}
		if err := tx.SetVisitStatus(ctx, id, status, now, node); err != nil {
			return err
		}
		if err := l.afterVisit(ctx, tx, vi.ClientID, now, node); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, auditOf(ctx, now, node, "visit.status", "client", vi.ClientID, "visit", id,
			"from", string(vi.Status), "to", string(status)))
	})
	if err != nil {
		return fmt.Errorf("set visit status: %w", err)
	}
	return nil
}

// Visits returns a client's visits, newest first.
func (l *Loyalty) Visits(ctx context.Context, clientID string, limit int) ([]Visit, error) {
	vs, err := l.store.ClientVisits(ctx, clientID, limit)
	if err != nil {
		return nil, fmt.Errorf("read visits: %w", err)
	}
	return vs, nil
}

// Outbox returns the outbox's messages, newest first.
func (l *Loyalty) Outbox(ctx context.Context, q OutboxQuery) ([]Message, error) {
	ms, err := l.store.Outbox(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	return ms, nil
}

// CancelMessage cancels a queued message, with an audit line.
func (l *Loyalty) CancelMessage(ctx context.Context, id string) error {
	now, node := l.clock.Now(), l.store.NodeID()
	err := l.store.Update(ctx, func(tx Tx) error {
		if err := tx.CancelMessage(ctx, id, now, node); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, auditOf(ctx, now, node, "message.cancel", "message", id))
	})
	if err != nil {
		return fmt.Errorf("cancel message: %w", err)
	}
	return nil
}

// Explanation says why a client has the discount, class, group and
// categories they have (issue 6, item 7).
type Explanation struct {
	Decision                     // what the rules and the values set by hand give today
	Today         Date           //
	Rules         Rules          // the rules, to describe the ones Decision names
	Subject       RuleSubject    // the client as stored
	Classes       []Class        // names and priorities
	Categories    []Category     // names
	Groups        []Group        // every group, to describe the client's
	PromotionBase AccrualBase    // what moves clients between groups
	Spend         int64          // the client's figure on that base
	GroupAuto     bool           // the client's group moves clients automatically
	LapseOn       Date           // the last day the discount holds; zero when it does not lapse
	ClassLapseOn  Date           // the same for the class
	Pending       bool           // the stored values differ from the decision (a recalculation is due)
	StatusID      string         // set by hand only
	Statuses      []Status       // names
	CategoryRules []CategoryRule // the rules that put the client in each category, or took them out
}

// Explain returns why a client has what they have.
func (l *Loyalty) Explain(ctx context.Context, clientID string) (Explanation, error) {
	var e Explanation
	r, err := readRules(ctx, l.store)
	if err != nil {
		return e, err
	}
	if e.Classes, err = l.store.ClientClasses(ctx); err != nil {
		return e, err
	}
	if e.Categories, err = l.store.ClientCategories(ctx); err != nil {
		return e, err
	}
	if e.Statuses, err = l.store.ClientStatuses(ctx); err != nil {
		return e, err
	}
	if e.Groups, err = l.store.ClientGroups(ctx); err != nil {
		return e, err
	}
	ss, err := l.store.RuleSubjects(ctx, RuleSubjectQuery{IDs: []string{clientID}})
	if err != nil {
		return e, err
	}
	if len(ss) == 0 {
		return e, fmt.Errorf("client %s: %w", clientID, ErrNotFound)
	}
	now := l.clock.Now()
	e.Rules, e.Subject, e.Today, e.StatusID = r, ss[0], DateOf(now), ss[0].StatusID
	e.Decision = decide(r, ranksOf(e.Classes), e.Subject, e.Today, now.Location())
	e.Pending = e.Decision.Changed
	base, _, err := l.store.Setting(ctx, SettingPromotionBase)
	if err != nil {
		return e, err
	}
	e.PromotionBase, e.Spend = BaseSold, e.Subject.Sold
	if base == string(BasePaid) {
		e.PromotionBase, e.Spend = BasePaid, e.Subject.Paid
	}
	for _, g := range e.Groups {
		if g.ID == e.Subject.GroupID {
			e.GroupAuto = g.AutoMove
		}
	}
	if last := e.Figures.LastVisit; !last.IsZero() {
		if r.DiscountLapseDays > 0 && e.DiscountBy == SourceRule {
			e.LapseOn = LapseDay(last, r.DiscountLapseDays)
		}
		if r.ClassLapseDays > 0 && e.ClassBy == SourceRule {
			e.ClassLapseOn = LapseDay(last, r.ClassLapseDays)
		}
	}
	for _, c := range r.Categories {
		if e.Added[c.CategoryID] == c.ID || e.Removed[c.CategoryID] == c.ID {
			e.CategoryRules = append(e.CategoryRules, c)
		}
	}
	return e, nil
}
