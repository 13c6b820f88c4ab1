package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"loyaltydesk/app"
)

// This file holds the catalogue (PU-01): product categories, products, and
// the gifts given from the client page (PU-06).

// softDelete marks a live row of table deleted, or returns app.ErrNotFound.
func (q *queries) softDelete(ctx context.Context, table, what, id string, at time.Time, node string) error {
	ts := formatTime(at)
	res, err := q.q.ExecContext(ctx, `UPDATE `+table+` SET deleted_at = ?, updated_at = ?, node_id = ?
		WHERE id = ? AND deleted_at IS NULL`, ts, ts, node, id)
	if err != nil {
		return err
	}
	return mustAffect(res, what, id)
}

// writeErr names the record a write failed on and turns a constraint error
// into app.ErrConflict or app.ErrInvalid.
func writeErr(what, id string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s %s: %w", what, id, mapErr(err))
}

const categoryColumns = `id, name, coalesce(parent_id, ''), created_at, updated_at, node_id`

func scanCategory(r scanner) (app.ProductCategory, error) {
	var c app.ProductCategory
	var created, updated string
	err := r.Scan(&c.ID, &c.Name, &c.ParentID, &created, &updated, &c.NodeID)
	if err == nil {
		c.CreatedAt, c.UpdatedAt, err = parseTimes(created, updated)
	}
	return c, err
}

// ProductCategories returns the live product categories by name.
func (q *queries) ProductCategories(ctx context.Context) ([]app.ProductCategory, error) {
	return queryAll(ctx, q, scanCategory, `SELECT `+categoryColumns+` FROM product_categories
		WHERE deleted_at IS NULL ORDER BY name, id`)
}

// SaveProductCategory inserts a category or renames and moves a live one. Its
// parent must be a live category that does not lie under it (app.ErrInvalid);
// a deleted category is app.ErrNotFound.
func (q *queries) SaveProductCategory(ctx context.Context, c app.ProductCategory) error {
	if c.ParentID != "" {
		var live, cycle bool
		err := q.q.QueryRowContext(ctx, `WITH RECURSIVE up (id) AS (
				SELECT ?1 UNION SELECT p.parent_id FROM product_categories p JOIN up ON p.id = up.id
				WHERE p.parent_id IS NOT NULL
			) SELECT EXISTS (SELECT 1 FROM product_categories WHERE id = ?1 AND deleted_at IS NULL),
			         EXISTS (SELECT 1 FROM up WHERE id = ?2)`, c.ParentID, c.ID).Scan(&live, &cycle)
		if err != nil {
			return err
		}
		if !live || cycle {
			return fmt.Errorf("product category %s: parent %s is deleted or lies under it: %w", c.ID, c.ParentID, app.ErrInvalid)
		}
	}
	res, err := q.q.ExecContext(ctx, `INSERT INTO product_categories (id, name, parent_id, created_at, updated_at, node_id)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, parent_id = excluded.parent_id,
			updated_at = excluded.updated_at, node_id = excluded.node_id
		WHERE product_categories.deleted_at IS NULL`,
		c.ID, c.Name, nullString(c.ParentID), formatTime(c.CreatedAt), formatTime(c.UpdatedAt), c.NodeID)
	if err != nil {
		return writeErr("product category", c.ID, err)
	}
	return mustAffect(res, "product category", c.ID)
}

// DeleteProductCategory soft-deletes a live category; its products and
// subcategories stay where they are.
func (q *queries) DeleteProductCategory(ctx context.Context, id string, at time.Time, node string) error {
	return q.softDelete(ctx, "product_categories", "product category", id, at, node)
}

const productColumns = `p.id, coalesce(p.category_id, ''), p.name, p.sku, p.price, p.created_at, p.updated_at, p.node_id`

func scanProduct(r scanner) (app.Product, error) {
	var p app.Product
	var created, updated string
	err := r.Scan(&p.ID, &p.CategoryID, &p.Name, &p.SKU, &p.Price, &created, &updated, &p.NodeID)
	if err == nil {
		p.CreatedAt, p.UpdatedAt, err = parseTimes(created, updated)
	}
	return p, err
}

// Products returns the live products pq selects, by name. Text matches a
// fragment of the name or the SKU folded as app.FoldName folds (any case, ё
// as е), which SQLite's LIKE cannot do beyond ASCII; a venue's catalogue is
// small enough to fold in Go. CategoryID takes its subcategories along.
func (q *queries) Products(ctx context.Context, pq app.ProductQuery) ([]app.Product, error) {
	var w where
	w.and(`p.deleted_at IS NULL`)
	with := ``
	if pq.CategoryID != "" {
		with = `WITH RECURSIVE sub (id) AS (
			SELECT ? UNION SELECT c.id FROM product_categories c JOIN sub ON c.parent_id = sub.id) `
		w.args = append(w.args, pq.CategoryID)
		w.and(`p.category_id IN (SELECT id FROM sub)`)
	}
	text := app.FoldName(pq.Text)
	limit := limitOf(pq.Limit)
	if text != "" {
		limit = -1
	}
	all, err := queryAll(ctx, q, scanProduct, with+`SELECT `+productColumns+` FROM products p
		WHERE `+w.sql()+` ORDER BY p.name, p.id LIMIT ?`, append(w.args, limit)...)
	if err != nil || text == "" {
		return all, err
	}
	out := all[:0]
	for _, p := range all {
		if strings.Contains(app.FoldName(p.Name), text) || strings.Contains(app.FoldName(p.SKU), text) {
			out = append(out, p)
			if len(out) == pq.Limit {
				break
			}
		}
	}
	return out, nil
}

// Product returns a live product.
func (q *queries) Product(ctx context.Context, id string) (app.Product, error) {
	p, err := scanProduct(q.q.QueryRowContext(ctx, `SELECT `+productColumns+` FROM products p
		WHERE p.id = ? AND p.deleted_at IS NULL`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return app.Product{}, fmt.Errorf("product %s: %w", id, app.ErrNotFound)
	}
	return p, err
}

// SaveProduct inserts a product or rewrites a live one; a SKU another live
// product has is app.ErrConflict, a deleted product app.ErrNotFound.
func (q *queries) SaveProduct(ctx context.Context, p app.Product) error {
	res, err := q.q.ExecContext(ctx, `INSERT INTO products (id, category_id, name, sku, price, created_at, updated_at, node_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET category_id = excluded.category_id, name = excluded.name, sku = excluded.sku,
			price = excluded.price, updated_at = excluded.updated_at, node_id = excluded.node_id
		WHERE products.deleted_at IS NULL`,
		p.ID, nullString(p.CategoryID), p.Name, p.SKU, p.Price, formatTime(p.CreatedAt), formatTime(p.UpdatedAt), p.NodeID)
	if err != nil {
		return writeErr("product", p.ID, err)
	}
	return mustAffect(res, "product", p.ID)
}

// DeleteProduct soft-deletes a live product, freeing its SKU; receipts keep
// pointing at it.
func (q *queries) DeleteProduct(ctx context.Context, id string, at time.Time, node string) error {
	return q.softDelete(ctx, "products", "product", id, at, node)
}

// Gifts returns the live gifts by name.
func (q *queries) Gifts(ctx context.Context) ([]app.Gift, error) {
	return queryAll(ctx, q, func(r scanner) (app.Gift, error) {
		var g app.Gift
		var created, updated string
		err := r.Scan(&g.ID, &g.Name, &g.Points, &created, &updated, &g.NodeID)
		if err == nil {
			g.CreatedAt, g.UpdatedAt, err = parseTimes(created, updated)
		}
		return g, err
	}, `SELECT id, name, points, created_at, updated_at, node_id FROM gifts WHERE deleted_at IS NULL ORDER BY name, id`)
}

// SaveGift inserts a gift or rewrites a live one (a deleted one is
// app.ErrNotFound).
func (q *queries) SaveGift(ctx context.Context, g app.Gift) error {
	res, err := q.q.ExecContext(ctx, `INSERT INTO gifts (id, name, points, created_at, updated_at, node_id)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, points = excluded.points,
			updated_at = excluded.updated_at, node_id = excluded.node_id
		WHERE gifts.deleted_at IS NULL`,
		g.ID, g.Name, g.Points, formatTime(g.CreatedAt), formatTime(g.UpdatedAt), g.NodeID)
	if err != nil {
		return writeErr("gift", g.ID, err)
	}
	return mustAffect(res, "gift", g.ID)
}

// DeleteGift soft-deletes a live gift.
func (q *queries) DeleteGift(ctx context.Context, id string, at time.Time, node string) error {
	return q.softDelete(ctx, "gifts", "gift", id, at, node)
}
