package app

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Group is a client group (GR-01): a discount, and with AutoMove a band of
// spend (SpendFrom up to, not including, SpendTo; SpendTo 0 = no upper bound)
// that moves clients into it automatically (GR-02). Amounts are kopecks.
type Group struct {
	ID         string
	Name       string
	DiscountBP int // basis points: 1000 = 10 %
	SpendFrom  int64
	SpendTo    int64
	AutoMove   bool
	Clients    int // live clients in the group (filled by Groups.List)
	CreatedAt  time.Time
	UpdatedAt  time.Time
	NodeID     string
}

// GroupReader reads client groups.
type GroupReader interface {
	// ClientGroups returns the live groups by name (Clients not filled).
	ClientGroups(ctx context.Context) ([]Group, error)
}

// GroupWriter writes client groups inside a transaction.
type GroupWriter interface {
	// SaveGroup inserts or updates a group by id.
	SaveGroup(ctx context.Context, g Group) error
	// DeleteGroup soft-deletes a group that has no live clients.
	DeleteGroup(ctx context.Context, id string, at time.Time, node string) error
}

// SettingPromotionBase says which total moves clients between groups (GR-02):
// "sold" (the default) or "paid" (LR-09).
const SettingPromotionBase = "loyalty.promotion_base"

// Groups holds the client group use cases (GR-01, GR-02).
type Groups struct {
	store Store
	clock Clock
}

// NewGroups returns the client group use cases.
func NewGroups(store Store, clock Clock) *Groups { return &Groups{store: store, clock: clock} }

// List returns the groups by name with their client counts.
func (g *Groups) List(ctx context.Context) ([]Group, error) {
	gs, err := g.store.ClientGroups(ctx)
	if err != nil {
		return nil, fmt.Errorf("read groups: %w", err)
	}
	for i := range gs {
		if gs[i].Clients, err = groupClients(ctx, g.store, gs[i].ID); err != nil {
			return nil, err
		}
	}
	return gs, nil
}

// groupClients counts the live clients of a group.
func groupClients(ctx context.Context, r ClientReader, id string) (int, error) {
	n, err := r.CountClients(ctx, ClientSelect{Filter: ClientFilter{GroupID: id}})
	if err != nil {
		return 0, fmt.Errorf("count the clients of group %s: %w", id, err)
	}
	return n, nil
}

// Save validates and creates (empty ID) or changes a group. Names are unique;
// the discount is 0…100 %; an upper bound of spend is above the lower one.
// Bands of automatic groups may overlap: a client then goes to the one with
// the highest lower bound they reach (PromotionTarget).
func (g *Groups) Save(ctx context.Context, gr Group) (Group, error) {
	var v validation
	gr.Name = cleanName(&v, FieldName, gr.Name)
	if gr.DiscountBP < 0 || gr.DiscountBP > 10000 {
		v.add(FieldDiscount, ReasonBadValue, fmt.Sprint(gr.DiscountBP))
	}
	if gr.SpendFrom < 0 {
		v.add(FieldSpendFrom, ReasonNegative, fmt.Sprint(gr.SpendFrom))
	}
	switch {
	case gr.SpendTo < 0:
		v.add(FieldSpendTo, ReasonNegative, fmt.Sprint(gr.SpendTo))
	case gr.SpendTo > 0 && gr.SpendTo <= gr.SpendFrom:
		v.add(FieldSpendTo, ReasonBadRange, fmt.Sprint(gr.SpendTo))
	}
	if err := v.err(); err != nil {
		return Group{}, err
	}
	now, node := g.clock.Now(), g.store.NodeID()
	if gr.ID == "" {
		gr.ID = NewID()
	}
	err := g.store.Update(ctx, func(tx Tx) error {
		gs, err := tx.ClientGroups(ctx)
		if err != nil {
			return err
		}
		gr.CreatedAt = now
		for _, o := range gs {
			if o.ID != gr.ID && strings.EqualFold(o.Name, gr.Name) {
				return &ValidationError{Fields: []FieldError{{Field: FieldName, Reason: ReasonTaken, Value: gr.Name}}}
			}
			if o.ID == gr.ID {
				gr.CreatedAt = o.CreatedAt
			}
		}
		gr.UpdatedAt, gr.NodeID = now, node
		if err := tx.SaveGroup(ctx, gr); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, auditOf(ctx, now, node, "group.save", "group", gr.ID, "name", gr.Name,
			"discount_bp", fmt.Sprint(gr.DiscountBP), "spend_from", fmt.Sprint(gr.SpendFrom),
			"spend_to", fmt.Sprint(gr.SpendTo), "auto_move", fmt.Sprint(gr.AutoMove)))
	})
	if err != nil {
		return Group{}, fmt.Errorf("save group %q: %w", gr.Name, err)
	}
	return gr, nil
}

// Delete removes a group without clients; one with clients is refused
// (FieldGroup, ReasonInUse) so that nobody loses a discount by accident.
func (g *Groups) Delete(ctx context.Context, id string) error {
	now, node := g.clock.Now(), g.store.NodeID()
	err := g.store.Update(ctx, func(tx Tx) error {
		gs, err := tx.ClientGroups(ctx)
		if err != nil {
			return err
		}
		for _, o := range gs {
			if o.ID != id {
				continue
			}
			n, err := groupClients(ctx, tx, id)
			if err != nil {
				return err
			}
			if n > 0 {
				return &ValidationError{Fields: []FieldError{{Field: FieldGroup, Reason: ReasonInUse, Value: fmt.Sprint(n)}}}
			}
			if err := tx.DeleteGroup(ctx, id, now, node); err != nil {
				return err
			}
			return tx.AppendAudit(ctx, auditOf(ctx, now, node, "group.delete", "group", id, "name", o.Name))
		}
		return fmt.Errorf("group %s: %w", id, ErrNotFound)
	})
	if err != nil {
		return fmt.Errorf("delete group: %w", err)
	}
	return nil
}

// PromotionTarget returns the group a client belongs in by spend (GR-02):
// clients of a group without "move automatically" stay where they are; a
// client without a group, or in an automatic group, goes to the automatic
// group whose band holds spend (the highest lower bound when bands
// overlap), or stays put when no band does. ok reports a move.
func PromotionTarget(groups []Group, current string, spend int64) (target string, ok bool) {
	if current != "" {
		auto := false
		for _, g := range groups {
			if g.ID == current {
				auto = g.AutoMove
			}
		}
		if !auto {
			return current, false
		}
	}
	best := -1
	for i, g := range groups {
		if !g.AutoMove || spend < g.SpendFrom || (g.SpendTo > 0 && spend >= g.SpendTo) {
			continue
		}
		if best < 0 || g.SpendFrom > groups[best].SpendFrom {
			best = i
		}
	}
	if best < 0 || groups[best].ID == current {
		return current, false
	}
	return groups[best].ID, true
}

// promote moves a client to the group their spend puts them in (GR-02), in
// the transaction that changed the spend, with an audit line.
func promote(ctx context.Context, tx Tx, clientID string, now time.Time, node string) error {
	gs, err := tx.ClientGroups(ctx)
	if err != nil || !hasAutoGroup(gs) {
		return err
	}
	c, err := tx.Client(ctx, clientID)
	if err != nil {
		return err
	}
	base, _, err := tx.Setting(ctx, SettingPromotionBase)
	if err != nil {
		return err
	}
	spend := c.Stats.Sold
	if base == string(BasePaid) {
		spend = c.Stats.Paid
	}
	target, ok := PromotionTarget(gs, c.GroupID, spend)
	if !ok {
		return nil
	}
	if _, err := tx.UpdateClients(ctx, ClientSelect{IDs: []string{clientID}}, ClientChange{GroupID: &target}, now, node); err != nil {
		return err
	}
	return tx.AppendAudit(ctx, AuditEntry{ID: NewID(), At: now, NodeID: node, Actor: "system", Action: "group.promote",
		Entity: "client", EntityID: clientID, Details: jsonObject("from", c.GroupID, "to", target, "spend", fmt.Sprint(spend))})
}

func hasAutoGroup(gs []Group) bool {
	for _, g := range gs {
		if g.AutoMove {
			return true
		}
	}
	return false
}
