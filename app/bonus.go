package app

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// maxMessageLen is the longest message to a client, in characters.
const maxMessageLen = 1000

// Ledger holds the bonus account use cases (BN-01…BN-05, BN-08, CL-04):
// accounts, holds, manual operations and the jobs that expire points and
// release abandoned holds. Every write is one transaction; the balance is
// the sum of the entries.
type Ledger struct {
	store Store
	clock Clock
}

// NewLedger returns the bonus account use cases.
func NewLedger(store Store, clock Clock) *Ledger { return &Ledger{store: store, clock: clock} }

// AccountTypes returns the account types, the default first.
func (l *Ledger) AccountTypes(ctx context.Context) ([]AccountType, error) {
	ts, err := l.store.AccountTypes(ctx)
	if err != nil {
		return nil, fmt.Errorf("read account types: %w", err)
	}
	return ts, nil
}

// SaveAccountType creates (empty ID) or renames an account type and sets its
// expiry (BN-01, BN-08).
func (l *Ledger) SaveAccountType(ctx context.Context, t AccountType) (AccountType, error) {
	t.Name = strings.TrimSpace(t.Name)
	var v validation
	switch {
	case t.Name == "":
		v.add(FieldName, ReasonRequired, "")
	case utf8.RuneCountInString(t.Name) > maxNameLen:
		v.add(FieldName, ReasonTooLong, t.Name)
	}
	if t.ExpiryDays < 0 || t.ExpiryDays > 3660 {
		v.add(FieldExpiryDays, ReasonBadValue, fmt.Sprint(t.ExpiryDays))
	}
	if err := v.err(); err != nil {
		return AccountType{}, err
	}
	now, node := l.clock.Now(), l.store.NodeID()
	err := l.store.Update(ctx, func(tx Tx) error {
		ts, err := tx.AccountTypes(ctx)
		if err != nil {
			return err
		}
		var old *AccountType
		for i := range ts {
			if ts[i].ID != t.ID && strings.EqualFold(ts[i].Name, t.Name) {
				return &ValidationError{Fields: []FieldError{{Field: FieldName, Reason: ReasonTaken, Value: t.Name}}}
			}
			if ts[i].ID == t.ID {
				old = &ts[i]
			}
		}
		t.UpdatedAt, t.NodeID = now, node
		if t.ID == "" {
			t.ID, t.CreatedAt, t.IsDefault = NewID(), now, false
			err = tx.InsertAccountType(ctx, t)
		} else if old == nil {
			return fmt.Errorf("account type %s: %w", t.ID, ErrNotFound)
		} else {
			t.CreatedAt, t.IsDefault = old.CreatedAt, old.IsDefault
			err = tx.UpdateAccountType(ctx, t)
		}
		if err != nil {
			return err
		}
		return tx.AppendAudit(ctx, auditOf(ctx, now, node, "account_type.save", "account_type", t.ID,
			"name", t.Name, "expiry_days", fmt.Sprint(t.ExpiryDays)))
	})
	if err != nil {
		return AccountType{}, fmt.Errorf("save account type %q: %w", t.Name, err)
	}
	return t, nil
}

// Accounts returns the client's bonus accounts with their balances (CL-04).
func (l *Ledger) Accounts(ctx context.Context, clientID string) ([]Account, error) {
	as, err := l.store.Accounts(ctx, clientID)
	if err != nil {
		return nil, fmt.Errorf("read accounts of %s: %w", clientID, err)
	}
	return as, nil
}

// Balance returns the client's account of the type, or a zero account (no
// ID) when the client has none yet.
func (l *Ledger) Balance(ctx context.Context, clientID, typeID string) (Account, error) {
	a, err := l.store.Account(ctx, clientID, typeID)
	if errors.Is(err, ErrNotFound) {
		return Account{ClientID: clientID, TypeID: typeID}, nil
	}
	if err != nil {
		return Account{}, fmt.Errorf("read account of %s: %w", clientID, err)
	}
	return a, nil
}

// OpenAccount creates the client's account of the type by hand (CL-04); an
// existing one is returned as it is.
func (l *Ledger) OpenAccount(ctx context.Context, clientID, typeID string) (Account, error) {
	now, node := l.clock.Now(), l.store.NodeID()
	var out Account
	err := l.store.Update(ctx, func(tx Tx) error {
		if _, err := tx.Client(ctx, clientID); err != nil {
			return err
		}
		a, made, err := ensureAccount(ctx, tx, clientID, typeID, now, node)
		if err != nil {
			return err
		}
		out = a
		if !made {
			return nil
		}
		return tx.AppendAudit(ctx, auditOf(ctx, now, node, "account.open", "client", clientID, "account_type", typeID))
	})
	if err != nil {
		return Account{}, fmt.Errorf("open account: %w", err)
	}
	return out, nil
}

// History returns ledger entries, newest first.
func (l *Ledger) History(ctx context.Context, q EntryQuery) ([]Entry, error) {
	es, err := l.store.Entries(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("read ledger: %w", err)
	}
	return es, nil
}

// AdjustKind is a manual operation on balances.
type AdjustKind string

// Manual operations (BN-03, BN-04).
const (
	AdjustAccrue  AdjustKind = "accrue"
	AdjustDebit   AdjustKind = "debit"
	AdjustCorrect AdjustKind = "correct" // Amount is signed
)

// Adjustment is a manual accrual, debit or correction for one client, the
// checked clients or everyone a query finds (BN-03…BN-05).
type Adjustment struct {
	Target  ClientQuery // Target.IDs: the checked clients; else everyone it finds
	TypeID  string      // "" is the default account type
	Kind    AdjustKind
	Amount  int64 // kopecks of points; > 0, or ≠ 0 for a correction
	Reason  string
	Message string // to the client, delivered by the messages issue
}

// AdjustReport says what a manual operation did.
type AdjustReport struct {
	Changed int
	// Short lists the clients left unchanged because they had fewer points
	// available than the debit (a balance never goes negative).
	Short []string
	Total int64 // the points moved, signed
}

// maxBulk is the most clients one manual operation changes in one transaction.
const maxBulk = 1_000_000

// Adjust does a manual operation on the target's accounts of the type, in one
// transaction, behind an administrator's approval; every client gets one
// entry with the reason, and the audit log one line for the operation. A
// debit or negative correction that one client could not afford leaves that
// client out (reported in Short); aimed at one client, it fails instead.
func (l *Ledger) Adjust(ctx context.Context, ap Approval, in Adjustment) (AdjustReport, error) {
	now, node := l.clock.Now(), l.store.NodeID()
	if err := ap.check(now); err != nil {
		return AdjustReport{}, err
	}
	in.Reason = strings.TrimSpace(in.Reason)
	in.Message = strings.TrimSpace(in.Message)
	if in.TypeID == "" {
		in.TypeID = DefaultAccountTypeID
	}
	var v validation
	switch {
	case in.Kind == AdjustCorrect && in.Amount == 0:
		v.add(FieldAmount, ReasonRequired, "")
	case in.Kind != AdjustCorrect && in.Amount <= 0:
		v.add(FieldAmount, ReasonNotPositive, FormatPoints(in.Amount))
	}
	if in.Kind != AdjustAccrue && in.Kind != AdjustDebit && in.Kind != AdjustCorrect {
		v.add(FieldOpReason, ReasonBadValue, string(in.Kind))
	}
	switch {
	case in.Reason == "":
		v.add(FieldOpReason, ReasonRequired, "")
	case utf8.RuneCountInString(in.Reason) > maxReasonLen:
		v.add(FieldOpReason, ReasonTooLong, "")
	}
	if utf8.RuneCountInString(in.Message) > maxMessageLen {
		v.add(FieldMessage, ReasonTooLong, "")
	}
	if err := v.err(); err != nil {
		return AdjustReport{}, err
	}
	sel, err := (&Clients{store: l.store, clock: l.clock}).selection(ctx, in.Target)
	if err != nil {
		return AdjustReport{}, err
	}
	actor := ActorOf(ctx)
	single := len(in.Target.IDs) == 1
	var rep AdjustReport
	err = l.store.Update(ctx, func(tx Tx) error {
		if _, err := accountType(ctx, tx, in.TypeID); err != nil {
			return err
		}
		var ids []string
		if err := tx.EachClient(ctx, sel, func(c Client) error {
			ids = append(ids, c.ID)
			if len(ids) > maxBulk {
				return fmt.Errorf("%w: more than %d clients", ErrInvalid, maxBulk)
			}
			return nil
		}); err != nil {
			return err
		}
		if len(ids) == 0 {
			return &ValidationError{Fields: []FieldError{{Field: FieldClient, Reason: ReasonRequired}}}
		}
		if ba, ok := tx.(BatchAccruer); ok && in.Amount > 0 && in.Kind != AdjustDebit {
			kind := EntryAccrue
			if in.Kind == AdjustCorrect {
				kind = EntryCorrect
			}
			if err := accrueMany(ctx, tx, ba, in.TypeID, Entry{Kind: kind, Amount: in.Amount, Author: actor,
				Reason: in.Reason, Message: in.Message, CreatedAt: now, NodeID: node}, ids); err != nil {
				return err
			}
			rep.Changed, rep.Total = len(ids), in.Amount*int64(len(ids))
			ids = nil
		}
		for _, id := range ids {
			kind, amount := EntryAccrue, in.Amount
			switch in.Kind {
			case AdjustDebit:
				kind, amount = EntryDebit, -in.Amount
			case AdjustCorrect:
				kind = EntryCorrect
			}
			e := Entry{ID: NewID(), ClientID: id, Kind: kind, Amount: amount, Author: actor,
				Reason: in.Reason, Message: in.Message, CreatedAt: now, NodeID: node}
			err := post(ctx, tx, in.TypeID, e, "")
			if errors.Is(err, errShort) {
				if single {
					return &ValidationError{Fields: []FieldError{{Field: FieldAmount, Reason: ReasonInsufficient, Value: FormatPoints(in.Amount)}}}
				}
				rep.Short = append(rep.Short, id)
				continue
			}
			if err != nil {
				return err
			}
			rep.Changed++
			rep.Total += amount
		}
		return tx.AppendAudit(ctx, auditOf(ctx, now, node, "ledger."+string(in.Kind), "account_type", in.TypeID,
			"amount", FormatPoints(in.Amount), "reason", in.Reason, "message", in.Message,
			"clients", fmt.Sprint(rep.Changed), "short", fmt.Sprint(len(rep.Short)),
			"approved_by", ap.Name, "target", targetText(in.Target)))
	})
	if err != nil {
		return AdjustReport{}, fmt.Errorf("%s points: %w", in.Kind, err)
	}
	return rep, nil
}

// accrueChunk is how many clients one AccrueMany call writes.
const accrueChunk = 5000

// accrueMany writes the lot e to every client of ids through a batch writer,
// a chunk at a time, with its expiry from the account type.
func accrueMany(ctx context.Context, tx Tx, ba BatchAccruer, typeID string, e Entry, ids []string) error {
	t, err := accountType(ctx, tx, typeID)
	if err != nil {
		return err
	}
	if t.ExpiryDays > 0 {
		e.ExpiresAt = e.CreatedAt.AddDate(0, 0, t.ExpiryDays)
	}
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), accrueChunk)]
		ids = ids[len(chunk):]
		entryIDs := make([]string, len(chunk))
		accountIDs := make([]string, len(chunk))
		for i := range chunk {
			entryIDs[i], accountIDs[i] = NewID(), NewID()
		}
		if err := ba.AccrueMany(ctx, typeID, e, chunk, entryIDs, accountIDs); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

// targetText describes a manual operation's target for the audit log.
func targetText(q ClientQuery) string {
	if len(q.IDs) > 0 {
		if len(q.IDs) <= 20 {
			return strings.Join(q.IDs, ",")
		}
		return fmt.Sprintf("%d checked clients", len(q.IDs))
	}
	return "filter"
}

// Hold reserves points of the client's account for an open order (BN-02):
// they stay posted but are no longer available. amount must not exceed what
// is available.
func (l *Ledger) Hold(ctx context.Context, clientID, typeID string, amount int64, orderRef string) (Entry, error) {
	if typeID == "" {
		typeID = DefaultAccountTypeID
	}
	if amount <= 0 {
		return Entry{}, &ValidationError{Fields: []FieldError{{Field: FieldBonusPay, Reason: ReasonNotPositive, Value: FormatPoints(amount)}}}
	}
	now, node := l.clock.Now(), l.store.NodeID()
	e := Entry{ID: NewID(), ClientID: clientID, Kind: EntryHold, Held: amount, OrderRef: orderRef,
		Author: ActorOf(ctx), Reason: "order " + orderRef, CreatedAt: now, NodeID: node}
	err := l.store.Update(ctx, func(tx Tx) error {
		a, err := tx.Account(ctx, clientID, typeID)
		if errors.Is(err, ErrNotFound) || (err == nil && a.Available() < amount) {
			return &ValidationError{Fields: []FieldError{{Field: FieldBonusPay, Reason: ReasonInsufficient, Value: FormatPoints(amount)}}}
		}
		if err != nil {
			return err
		}
		e.AccountID = a.ID
		return tx.AppendEntry(ctx, e)
	})
	if err != nil {
		return Entry{}, fmt.Errorf("hold points: %w", err)
	}
	return e, nil
}

// settleID is the key of the one entry that settles a hold (confirm or
// release), so a hold can never be settled twice.
func settleID(holdID string) string { return DerivedID("settle", holdID) }

// Release gives the points of an open order's hold back (the order was
// cancelled). Releasing a settled hold does nothing.
func (l *Ledger) Release(ctx context.Context, holdID, reason string) error {
	now, node := l.clock.Now(), l.store.NodeID()
	err := l.store.Update(ctx, func(tx Tx) error {
		_, err := releaseHold(ctx, tx, holdID, ActorOf(ctx), reason, now, node)
		return err
	})
	if err != nil {
		return fmt.Errorf("release hold %s: %w", holdID, err)
	}
	return nil
}

// releaseHold writes the release of an open hold and reports whether it did
// (false: the hold was already settled).
func releaseHold(ctx context.Context, tx Tx, holdID, author, reason string, now time.Time, node string) (bool, error) {
	h, err := tx.Entry(ctx, holdID)
	if err != nil {
		return false, err
	}
	if h.Kind != EntryHold {
		return false, fmt.Errorf("%w: entry %s is not a hold", ErrInvalid, holdID)
	}
	if _, err := tx.Entry(ctx, settleID(holdID)); err == nil {
		return false, nil
	} else if !errors.Is(err, ErrNotFound) {
		return false, err
	}
	e := Entry{ID: settleID(holdID), AccountID: h.AccountID, ClientID: h.ClientID, Kind: EntryRelease,
		Held: -h.Held, HoldID: holdID, OrderRef: h.OrderRef, Author: author, Reason: reason, CreatedAt: now, NodeID: node}
	return true, tx.AppendEntry(ctx, e)
}

// ResetHolds releases every open hold of the client ("Reset holds", BN-02)
// and returns how many it released.
func (l *Ledger) ResetHolds(ctx context.Context, clientID string) (int, error) {
	now, node := l.clock.Now(), l.store.NodeID()
	n := 0
	err := l.store.Update(ctx, func(tx Tx) error {
		hs, err := tx.OpenHolds(ctx, clientID, time.Time{})
		if err != nil {
			return err
		}
		for _, h := range hs {
			ok, err := releaseHold(ctx, tx, h.ID, ActorOf(ctx), "reset holds", now, node)
			if err != nil {
				return err
			}
			if ok {
				n++
			}
		}
		if n == 0 {
			return nil
		}
		return tx.AppendAudit(ctx, auditOf(ctx, now, node, "ledger.reset_holds", "client", clientID, "released", fmt.Sprint(n)))
	})
	if err != nil {
		return 0, fmt.Errorf("reset holds of %s: %w", clientID, err)
	}
	return n, nil
}

// HoldTimeout is how long a hold of an abandoned order (the till closed
// without closing or cancelling it) lives before ReleaseStale gives it back.
const HoldTimeout = 2 * time.Hour

// ReleaseStale releases every hold older than age (an abandoned order's) and
// returns how many. It is safe to run any number of times: a hold is settled
// once.
func (l *Ledger) ReleaseStale(ctx context.Context, age time.Duration) (int, error) {
	now, node := l.clock.Now(), l.store.NodeID()
	n := 0
	err := l.store.Update(ctx, func(tx Tx) error {
		hs, err := tx.OpenHolds(ctx, "", now.Add(-age))
		if err != nil {
			return err
		}
		for _, h := range hs {
			ok, err := releaseHold(ctx, tx, h.ID, "system", "abandoned order", now, node)
			if err != nil {
				return err
			}
			if ok {
				n++
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("release stale holds: %w", err)
	}
	return n, nil
}

// expireBatch is how many lots one expiry transaction handles.
const expireBatch = 1000

// ExpireDue expires the unspent rest of every lot whose time has come (BN-08)
// and returns how many expiry entries it wrote. An expiry takes no more than
// the account has available, so it never drives a balance negative nor eats
// points already spent or held; what a hold kept back expires on a later run,
// once the hold is settled. An expiry's key derives from the lot and what was
// left of it, so a re-run cannot expire the same points twice.
func (l *Ledger) ExpireDue(ctx context.Context) (int, error) {
	now, node := l.clock.Now(), l.store.NodeID()
	total, skipped := 0, 0 // skipped: due lots left as they are, which the next batch steps over
	for {
		n, batch := 0, 0
		err := l.store.Update(ctx, func(tx Tx) error {
			lots, err := tx.DueLots(ctx, now, skipped, expireBatch)
			if err != nil {
				return err
			}
			batch = len(lots)
			for _, lot := range lots {
				a, err := tx.AccountByID(ctx, lot.AccountID)
				if err != nil {
					return err
				}
				amount := min(lot.Remaining, a.Available())
				if amount <= 0 { // all of it held for open orders
					skipped++
					continue
				}
				if amount < lot.Remaining {
					skipped++ // the held rest stays due
				}
				e := Entry{ID: DerivedID("expire", lot.EntryID, strconv.FormatInt(lot.Remaining, 10)), AccountID: a.ID,
					ClientID: a.ClientID, Kind: EntryExpire, Amount: -amount, Author: "system", Reason: "expired",
					CreatedAt: now, NodeID: node, Draws: []Draw{{LotID: lot.EntryID, Amount: amount}}}
				if err := tx.AppendEntry(ctx, e); err != nil {
					return err
				}
				n++
			}
			return nil
		})
		if err != nil {
			return total, fmt.Errorf("expire points: %w", err)
		}
		total += n
		if batch < expireBatch {
			return total, nil
		}
	}
}

// Check proves the cached balances equal the sums of the entries; it returns
// the mismatches (none on a healthy database).
func (l *Ledger) Check(ctx context.Context) ([]LedgerMismatch, error) {
	ms, err := l.store.LedgerCheck(ctx)
	if err != nil {
		return nil, fmt.Errorf("check ledger: %w", err)
	}
	return ms, nil
}

// errShort means an account has fewer points available than a spend needs.
var errShort = errors.New("not enough points available")

// accountType returns the live account type, or a field error.
func accountType(ctx context.Context, tx Tx, id string) (AccountType, error) {
	ts, err := tx.AccountTypes(ctx)
	if err != nil {
		return AccountType{}, err
	}
	for _, t := range ts {
		if t.ID == id {
			return t, nil
		}
	}
	return AccountType{}, &ValidationError{Fields: []FieldError{{Field: FieldAccountType, Reason: ReasonNotFound, Value: id}}}
}

// ensureAccount returns the client's account of the type, creating it (CL-04)
// when missing; made reports a creation.
func ensureAccount(ctx context.Context, tx Tx, clientID, typeID string, now time.Time, node string) (Account, bool, error) {
	a, err := tx.Account(ctx, clientID, typeID)
	if err == nil {
		return a, false, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return Account{}, false, err
	}
	if _, err := accountType(ctx, tx, typeID); err != nil {
		return Account{}, false, err
	}
	a = Account{ID: NewID(), ClientID: clientID, TypeID: typeID, CreatedAt: now, UpdatedAt: now, NodeID: node}
	if err := tx.InsertAccount(ctx, a); err != nil {
		return Account{}, false, err
	}
	return a, true, nil
}

// post writes e on the client's account of the type, creating the account on
// a first lot. A lot gets its expiry from the account type (unless e has
// one); a negative amount draws lots, preferLot first, then the soonest
// expiring, and fails with errShort when the account has less available.
func post(ctx context.Context, tx Tx, typeID string, e Entry, preferLot string) error {
	if e.Amount > 0 {
		a, _, err := ensureAccount(ctx, tx, e.ClientID, typeID, e.CreatedAt, e.NodeID)
		if err != nil {
			return err
		}
		e.AccountID = a.ID
		if e.Kind.IsLot(e.Amount) && e.ExpiresAt.IsZero() {
			t, err := accountType(ctx, tx, typeID)
			if err != nil {
				return err
			}
			if t.ExpiryDays > 0 {
				e.ExpiresAt = e.CreatedAt.AddDate(0, 0, t.ExpiryDays)
			}
		}
		return tx.AppendEntry(ctx, e)
	}
	a, err := tx.Account(ctx, e.ClientID, typeID)
	if errors.Is(err, ErrNotFound) {
		return errShort
	}
	if err != nil {
		return err
	}
	e.AccountID = a.ID
	// A confirm's own hold (e.Held < 0) comes back before it spends.
	if a.Available()-e.Held < -e.Amount {
		return errShort
	}
	draws, err := drawLots(ctx, tx, a.ID, -e.Amount, preferLot)
	if err != nil {
		return err
	}
	e.Draws = draws
	return tx.AppendEntry(ctx, e)
}

// drawLots picks amount from the account's open lots: preferLot first, then
// the soonest expiring, then the oldest.
func drawLots(ctx context.Context, tx Tx, accountID string, amount int64, preferLot string) ([]Draw, error) {
	if amount <= 0 {
		return nil, nil
	}
	lots, err := tx.OpenLots(ctx, accountID)
	if err != nil {
		return nil, err
	}
	for i, lot := range lots {
		if lot.EntryID == preferLot && i > 0 {
			copy(lots[1:i+1], lots[:i])
			lots[0] = lot
			break
		}
	}
	var draws []Draw
	left := amount
	for _, lot := range lots {
		if left == 0 {
			break
		}
		take := min(lot.Remaining, left)
		if take <= 0 {
			continue
		}
		draws = append(draws, Draw{LotID: lot.EntryID, Amount: take})
		left -= take
	}
	if left > 0 {
		return nil, errShort
	}
	return draws, nil
}

// auditOf makes an audit entry by the context's actor with details as
// key-value pairs.
func auditOf(ctx context.Context, now time.Time, node, action, entity, id string, kv ...string) AuditEntry {
	return AuditEntry{ID: NewID(), At: now, NodeID: node, Actor: ActorOf(ctx), Action: action,
		Entity: entity, EntityID: id, Details: jsonObject(kv...)}
}

// FormatPoints writes kopecks of points as points with up to two decimals:
// 2550 → "25.5", 2500 → "25".
func FormatPoints(v int64) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	whole, frac := v/100, v%100
	switch {
	case frac == 0:
		return fmt.Sprintf("%s%d", sign, whole)
	case frac%10 == 0:
		return fmt.Sprintf("%s%d.%d", sign, whole, frac/10)
	}
	return fmt.Sprintf("%s%d.%02d", sign, whole, frac)
}

// LedgerJobs runs the ledger's background jobs: at start and then every
// Every (default ten minutes) it expires due points (BN-08) and releases the
// holds of abandoned orders (older than HoldTimeout). Both are idempotent,
// so a missed or repeated run does no harm.
type LedgerJobs struct {
	Ledger *Ledger
	Every  time.Duration
	// OnDone, if set, is told what each run did.
	OnDone func(expired, released int, err error)
}

// Run runs the jobs until ctx is done.
func (j *LedgerJobs) Run(ctx context.Context) {
	every := j.Every
	if every <= 0 {
		every = 10 * time.Minute
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		expired, err := j.Ledger.ExpireDue(ctx)
		released, err2 := j.Ledger.ReleaseStale(ctx, HoldTimeout)
		if j.OnDone != nil {
			j.OnDone(expired, released, errors.Join(err, err2))
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
