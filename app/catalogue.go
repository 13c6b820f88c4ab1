package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Catalogue holds the catalogue use cases (PU-01): product categories,
// products and gifts, and the bonus programs that refer to them (BN-06).
type Catalogue struct {
	store Store
	clock Clock
}

// NewCatalogue returns the catalogue and bonus program use cases.
func NewCatalogue(store Store, clock Clock) *Catalogue { return &Catalogue{store: store, clock: clock} }

// Categories returns the product categories by name.
func (c *Catalogue) Categories(ctx context.Context) ([]ProductCategory, error) {
	cs, err := c.store.ProductCategories(ctx)
	if err != nil {
		return nil, fmt.Errorf("read product categories: %w", err)
	}
	return cs, nil
}

// Products returns the products q selects, by name.
func (c *Catalogue) Products(ctx context.Context, q ProductQuery) ([]Product, error) {
	ps, err := c.store.Products(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("read products: %w", err)
	}
	return ps, nil
}

// Gifts returns the gifts by name.
func (c *Catalogue) Gifts(ctx context.Context) ([]Gift, error) {
	gs, err := c.store.Gifts(ctx)
	if err != nil {
		return nil, fmt.Errorf("read gifts: %w", err)
	}
	return gs, nil
}

// Programs returns the bonus programs by name.
func (c *Catalogue) Programs(ctx context.Context) ([]Program, error) {
	ps, err := c.store.Programs(ctx)
	if err != nil {
		return nil, fmt.Errorf("read bonus programs: %w", err)
	}
	return ps, nil
}

// cleanName trims a name and checks it is there and not too long.
func cleanName(v *validation, field, name string) string {
	name = strings.Join(strings.Fields(name), " ")
	switch {
	case name == "":
		v.add(field, ReasonRequired, "")
	case utf8.RuneCountInString(name) > maxNameLen:
		v.add(field, ReasonTooLong, name)
	}
	return name
}

// SaveCategory creates (empty ID) or changes a product category. Names are
// unique under one parent, and a category cannot lie under itself.
func (c *Catalogue) SaveCategory(ctx context.Context, pc ProductCategory) (ProductCategory, error) {
	var v validation
	pc.Name = cleanName(&v, FieldName, pc.Name)
	if err := v.err(); err != nil {
		return ProductCategory{}, err
	}
	err := c.save(ctx, "product_category.save", "product_category", &pc.ID, func(tx Tx, now time.Time, node string) error {
		cs, err := tx.ProductCategories(ctx)
		if err != nil {
			return err
		}
		parents := Categories{}
		var old *ProductCategory
		for i, o := range cs {
			parents[o.ID] = o.ParentID
			if o.ID == pc.ID {
				old = &cs[i]
			}
		}
		for _, o := range cs {
			if o.ID != pc.ID && o.ParentID == pc.ParentID && strings.EqualFold(o.Name, pc.Name) {
				return &ValidationError{Fields: []FieldError{{Field: FieldName, Reason: ReasonTaken, Value: pc.Name}}}
			}
		}
		if pc.ParentID != "" {
			if _, ok := parents[pc.ParentID]; !ok {
				return &ValidationError{Fields: []FieldError{{Field: FieldProductCat, Reason: ReasonNotFound, Value: pc.ParentID}}}
			}
			if pc.ID != "" && parents.within(pc.ParentID, []string{pc.ID}) {
				return &ValidationError{Fields: []FieldError{{Field: FieldProductCat, Reason: ReasonCycle, Value: pc.Name}}}
			}
		}
		pc.UpdatedAt, pc.NodeID = now, node
		if old != nil {
			pc.CreatedAt = old.CreatedAt
		} else {
			pc.CreatedAt = now
		}
		return tx.SaveProductCategory(ctx, pc)
	}, func() []string { return []string{"name", pc.Name, "parent", pc.ParentID} })
	return pc, err
}

// DeleteCategory removes a product category; its products and subcategories
// move up to its parent.
func (c *Catalogue) DeleteCategory(ctx context.Context, id string) error {
	return c.save(ctx, "product_category.delete", "product_category", &id, func(tx Tx, now time.Time, node string) error {
		cs, err := tx.ProductCategories(ctx)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(cs, func(o ProductCategory) bool { return o.ID == id })
		if i < 0 {
			return fmt.Errorf("product category %s: %w", id, ErrNotFound)
		}
		parent := cs[i].ParentID
		for _, o := range cs {
			if o.ParentID == id {
				o.ParentID, o.UpdatedAt, o.NodeID = parent, now, node
				if err := tx.SaveProductCategory(ctx, o); err != nil {
					return err
				}
			}
		}
		ps, err := tx.Products(ctx, ProductQuery{CategoryID: id})
		if err != nil {
			return err
		}
		for _, p := range ps {
			if p.CategoryID == id {
				p.CategoryID, p.UpdatedAt, p.NodeID = parent, now, node
				if err := tx.SaveProduct(ctx, p); err != nil {
					return err
				}
			}
		}
		return tx.DeleteProductCategory(ctx, id, now, node)
	}, nil)
}

// maxPrice is the highest price of a product, in kopecks (a hundred million roubles).
const maxPrice = 100_000_000_00

// SaveProduct creates (empty ID) or changes a product. An SKU, when given,
// is unique.
func (c *Catalogue) SaveProduct(ctx context.Context, p Product) (Product, error) {
	var v validation
	p.Name = cleanName(&v, FieldName, p.Name)
	p.SKU = strings.TrimSpace(p.SKU)
	if utf8.RuneCountInString(p.SKU) > maxExtIDLen {
		v.add(FieldSKU, ReasonTooLong, p.SKU)
	}
	switch {
	case p.Price < 0:
		v.add(FieldPrice, ReasonNegative, fmt.Sprint(p.Price))
	case p.Price > maxPrice:
		v.add(FieldPrice, ReasonBadValue, fmt.Sprint(p.Price))
	}
	if err := v.err(); err != nil {
		return Product{}, err
	}
	err := c.save(ctx, "product.save", "product", &p.ID, func(tx Tx, now time.Time, node string) error {
		return saveProduct(ctx, tx, &p, now, node)
	}, func() []string { return []string{"name", p.Name, "price", fmt.Sprint(p.Price), "sku", p.SKU} })
	return p, err
}

// saveProduct checks a product's references and uniqueness and writes it.
func saveProduct(ctx context.Context, tx Tx, p *Product, now time.Time, node string) error {
	if p.CategoryID != "" {
		cs, err := tx.ProductCategories(ctx)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(cs, func(o ProductCategory) bool { return o.ID == p.CategoryID }) {
			return &ValidationError{Fields: []FieldError{{Field: FieldProductCat, Reason: ReasonNotFound, Value: p.CategoryID}}}
		}
	}
	if p.SKU != "" {
		same, err := tx.Products(ctx, ProductQuery{Text: p.SKU})
		if err != nil {
			return err
		}
		for _, o := range same {
			if o.ID != p.ID && strings.EqualFold(o.SKU, p.SKU) {
				return &ValidationError{Fields: []FieldError{{Field: FieldSKU, Reason: ReasonTaken, Value: p.SKU}}}
			}
		}
	}
	if p.ID == "" {
		p.ID = NewID()
	}
	p.CreatedAt = now
	if old, err := tx.Product(ctx, p.ID); err == nil {
		p.CreatedAt = old.CreatedAt
	} else if !errors.Is(err, ErrNotFound) {
		return err
	}
	p.UpdatedAt, p.NodeID = now, node
	return tx.SaveProduct(ctx, *p)
}

// DeleteProduct removes a product from the catalogue; receipts keep its name.
func (c *Catalogue) DeleteProduct(ctx context.Context, id string) error {
	return c.save(ctx, "product.delete", "product", &id, func(tx Tx, now time.Time, node string) error {
		if _, err := tx.Product(ctx, id); err != nil {
			return err
		}
		return tx.DeleteProduct(ctx, id, now, node)
	}, nil)
}

// SaveGift creates (empty ID) or changes a gift (PU-06).
func (c *Catalogue) SaveGift(ctx context.Context, g Gift) (Gift, error) {
	var v validation
	g.Name = cleanName(&v, FieldName, g.Name)
	if g.Points < 0 {
		v.add(FieldPoints, ReasonNegative, FormatPoints(g.Points))
	}
	if err := v.err(); err != nil {
		return Gift{}, err
	}
	err := c.save(ctx, "gift.save", "gift", &g.ID, func(tx Tx, now time.Time, node string) error {
		gs, err := tx.Gifts(ctx)
		if err != nil {
			return err
		}
		g.CreatedAt = now
		for _, o := range gs {
			if o.ID != g.ID && strings.EqualFold(o.Name, g.Name) {
				return &ValidationError{Fields: []FieldError{{Field: FieldName, Reason: ReasonTaken, Value: g.Name}}}
			}
			if o.ID == g.ID {
				g.CreatedAt = o.CreatedAt
			}
		}
		g.UpdatedAt, g.NodeID = now, node
		return tx.SaveGift(ctx, g)
	}, func() []string { return []string{"name", g.Name, "points", FormatPoints(g.Points)} })
	return g, err
}

// DeleteGift removes a gift.
func (c *Catalogue) DeleteGift(ctx context.Context, id string) error {
	return c.save(ctx, "gift.delete", "gift", &id, func(tx Tx, now time.Time, node string) error {
		return tx.DeleteGift(ctx, id, now, node)
	}, nil)
}

// SaveProgram validates and creates (empty ID) or changes a bonus program
// (BN-06, BN-07, GR-03).
func (c *Catalogue) SaveProgram(ctx context.Context, p Program) (Program, error) {
	var v validation
	p.Name = cleanName(&v, FieldName, p.Name)
	if p.AccountTypeID == "" {
		p.AccountTypeID = DefaultAccountTypeID
	}
	switch p.Reward {
	case RewardPercent:
		if p.RewardValue <= 0 || p.RewardValue > 10000 {
			v.add(FieldReward, ReasonBadValue, fmt.Sprint(p.RewardValue))
		}
	case RewardFixed:
		if p.RewardValue <= 0 || p.RewardValue > maxPrice {
			v.add(FieldReward, ReasonBadValue, fmt.Sprint(p.RewardValue))
		}
	default:
		v.add(FieldReward, ReasonBadValue, string(p.Reward))
	}
	if p.Base == "" {
		p.Base = BaseSold
	}
	if p.Base != BaseSold && p.Base != BasePaid {
		v.add(FieldReward, ReasonBadValue, string(p.Base))
	}
	if p.MinOrder < 0 {
		v.add(FieldMinOrder, ReasonNegative, fmt.Sprint(p.MinOrder))
	}
	if !p.ActiveFrom.IsZero() && !p.ActiveTo.IsZero() && p.ActiveTo.Before(p.ActiveFrom) {
		v.add(FieldActiveDates, ReasonBadRange, p.ActiveFrom.Format()+"–"+p.ActiveTo.Format())
	}
	if p.Weekdays&AllWeekdays == 0 || p.Weekdays&^AllWeekdays != 0 {
		v.add(FieldWeekdays, ReasonRequired, "")
	}
	if p.HoursFrom < 0 || p.HoursFrom >= 24*60 || p.HoursTo < 0 || p.HoursTo >= 24*60 {
		v.add(FieldHours, ReasonBadValue, fmt.Sprintf("%d–%d", p.HoursFrom, p.HoursTo))
	}
	if p.MaxPayShareBP < 0 || p.MaxPayShareBP > 10000 {
		v.add(FieldPayShare, ReasonBadValue, fmt.Sprint(p.MaxPayShareBP))
	}
	if p.MinBalance < 0 {
		v.add(FieldMinBalance, ReasonNegative, FormatPoints(p.MinBalance))
	}
	if err := v.err(); err != nil {
		return Program{}, err
	}
	var groupNames string
	err := c.save(ctx, "program.save", "program", &p.ID, func(tx Tx, now time.Time, node string) error {
		if _, err := accountType(ctx, tx, p.AccountTypeID); err != nil {
			return err
		}
		names, err := c.checkProgramRefs(ctx, tx, p)
		if err != nil {
			return err
		}
		groupNames = strings.Join(names, ", ")
		ps, err := tx.Programs(ctx)
		if err != nil {
			return err
		}
		p.CreatedAt = now
		for _, o := range ps {
			if o.ID != p.ID && strings.EqualFold(o.Name, p.Name) {
				return &ValidationError{Fields: []FieldError{{Field: FieldName, Reason: ReasonTaken, Value: p.Name}}}
			}
			if o.ID == p.ID {
				p.CreatedAt = o.CreatedAt
			}
		}
		p.UpdatedAt, p.NodeID = now, node
		return tx.SaveProgram(ctx, p)
	}, func() []string {
		return []string{"name", p.Name, "reward", string(p.Reward), "value", fmt.Sprint(p.RewardValue),
			"groups", groupNames, "enabled", fmt.Sprint(p.Enabled)}
	})
	return p, err
}

// checkProgramRefs checks that a program's groups, categories and products
// exist, and returns the groups' names.
func (c *Catalogue) checkProgramRefs(ctx context.Context, tx Tx, p Program) ([]string, error) {
	d, err := tx.Directory(ctx)
	if err != nil {
		return nil, err
	}
	var v validation
	var names []string
	for _, g := range p.GroupIDs {
		name := NameOf(d.Groups, g)
		if name == "" {
			v.add(FieldGroup, ReasonNotFound, g)
		}
		names = append(names, name)
	}
	cs, err := tx.ProductCategories(ctx)
	if err != nil {
		return nil, err
	}
	for _, id := range p.CategoryIDs {
		if !slices.ContainsFunc(cs, func(o ProductCategory) bool { return o.ID == id }) {
			v.add(FieldProductCat, ReasonNotFound, id)
		}
	}
	for _, id := range p.ProductIDs {
		if _, err := tx.Product(ctx, id); err != nil {
			v.add(FieldProduct, ReasonNotFound, id)
		}
	}
	return names, v.err()
}

// DeleteProgram removes a bonus program; points it gave stay.
func (c *Catalogue) DeleteProgram(ctx context.Context, id string) error {
	return c.save(ctx, "program.delete", "program", &id, func(tx Tx, now time.Time, node string) error {
		return tx.DeleteProgram(ctx, id, now, node)
	}, nil)
}

// save runs write in one transaction with an audit entry; *id, when empty,
// gets a new key first. details, when set, lists the audit's key-value pairs
// after the write.
func (c *Catalogue) save(ctx context.Context, action, entity string, id *string, write func(tx Tx, now time.Time, node string) error, details func() []string) error {
	now, node := c.clock.Now(), c.store.NodeID()
	if *id == "" {
		*id = NewID()
	}
	err := c.store.Update(ctx, func(tx Tx) error {
		if err := write(tx, now, node); err != nil {
			return err
		}
		var kv []string
		if details != nil {
			kv = details()
		}
		return tx.AppendAudit(ctx, auditOf(ctx, now, node, action, entity, *id, kv...))
	})
	if err != nil {
		return fmt.Errorf("%s: %w", action, err)
	}
	return nil
}

// ProductImportReport says what a product import did or, on a dry run, would
// do (PU-01). Rejected rows name their line, field and reason; any rejected
// row means nothing was written.
type ProductImportReport struct {
	Rows       int // data rows read
	Created    int // new products
	Updated    int // products matched by SKU (or by name in the same category) and changed
	Categories int // categories made
	// Problems lists every problem of every rejected row, by line.
	Problems []ImportProblem
	DryRun   bool
	Written  bool // the products were stored
}
