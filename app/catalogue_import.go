package app

// The product import (PU-01): a table of products as a venue keeps its menu
// in Excel or exports it from its old POS, read from CSV or XLSX by
// app/transfer as the client import's files are.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Columns of a product import file.
const (
	ProductColName     = "name"
	ProductColCategory = "category"
	ProductColPrice    = "price"
	ProductColSKU      = "sku"
)

// productSynonyms are the headers (folded as foldHeader folds them) a product
// import recognises, in Russian and English. A header that starts with one of
// them and goes on after a space, comma or bracket ("Цена, ₽", "Price (RUB)")
// is recognised too.
var productSynonyms = map[string][]string{
	ProductColName: {"name", "название", "наименование", "товар", "product", "product name", "item",
		"название товара", "наименование товара", "блюдо", "позиция"},
	ProductColCategory: {"category", "категория", "группа", "раздел", "category path", "группа товаров",
		"категория товара", "папка"},
	ProductColPrice: {"price", "цена", "стоимость", "цена продажи", "sale price", "price rub"},
	ProductColSKU:   {"sku", "артикул", "код", "code", "код товара", "product code", "article", "plu"},
}

// CategorySeparator separates the levels of a category path in an import
// file: "Напитки/Кофе" is Кофе under Напитки.
const CategorySeparator = "/"

// productColumns are the columns of a product file (-1: absent).
type productColumns struct {
	header                     []string
	name, category, price, sku int
}

// productColumnsOf finds the product columns of a header; the first column
// that names a field gets it. A file without a name or price column is a
// *ValidationError on FieldColumn, ReasonNotFound, naming the field
// (ProductColName or ProductColPrice).
func productColumnsOf(header []string) (productColumns, error) {
	pc := productColumns{header: header, name: -1, category: -1, price: -1, sku: -1}
	slot := map[string]*int{ProductColName: &pc.name, ProductColCategory: &pc.category, ProductColPrice: &pc.price, ProductColSKU: &pc.sku}
	for i, h := range header {
		key := foldHeader(h)
		if key == "" {
			continue
		}
		if f := productField(key); f != "" && *slot[f] < 0 {
			*slot[f] = i
		}
	}
	var v validation
	if pc.name < 0 {
		v.add(FieldColumn, ReasonNotFound, ProductColName)
	}
	if pc.price < 0 {
		v.add(FieldColumn, ReasonNotFound, ProductColPrice)
	}
	return pc, v.err()
}

// productField returns the product column a folded header names, or "".
func productField(key string) string {
	for _, f := range []string{ProductColName, ProductColCategory, ProductColPrice, ProductColSKU} {
		for _, s := range productSynonyms[f] {
			if key == s {
				return f
			}
		}
	}
	for _, f := range []string{ProductColName, ProductColCategory, ProductColPrice, ProductColSKU} {
		for _, s := range productSynonyms[f] {
			if rest, ok := strings.CutPrefix(key, s); ok && rest != "" && strings.ContainsRune(" ,(", rune(rest[0])) {
				return f
			}
		}
	}
	return ""
}

// productRow is a row of a product file as parsed and checked on its own.
type productRow struct {
	line     int
	name     string
	path     []string // the category path, top first; nil: top level (or no category column)
	price    int64
	sku      string
	problems []ImportProblem
}

// problem is fe on a line, in column col (none when col < 0).
func (pc productColumns) problem(line, col int, fe FieldError) ImportProblem {
	p := ImportProblem{Line: line, FieldError: fe}
	if col >= 0 && col < len(pc.header) {
		p.Column, p.ColumnIndex = cleanText(pc.header[col]), col+1
	}
	return p
}

// parse reads and checks one row of a product file.
func (pc productColumns) parse(row ImportRow) productRow {
	r := productRow{line: row.Line}
	cell := func(i int) string {
		if i >= 0 && i < len(row.Cells) {
			return strings.TrimSpace(row.Cells[i])
		}
		return ""
	}
	problem := func(col int, field, reason, value string) {
		r.problems = append(r.problems, pc.problem(row.Line, col, FieldError{Field: field, Reason: reason, Value: value}))
	}
	r.name = cleanText(cell(pc.name))
	switch {
	case r.name == "":
		problem(pc.name, FieldName, ReasonRequired, "")
	case tooLong(r.name, maxNameLen):
		problem(pc.name, FieldName, ReasonTooLong, r.name)
	}
	for _, part := range strings.Split(cell(pc.category), CategorySeparator) {
		part = cleanText(part)
		switch {
		case part == "":
		case tooLong(part, maxNameLen):
			problem(pc.category, FieldProductCat, ReasonTooLong, part)
		default:
			r.path = append(r.path, part)
		}
	}
	if len(r.path) > maxCategoryDepth {
		problem(pc.category, FieldProductCat, ReasonTooLong, cell(pc.category))
	}
	price, reason := parsePrice(cell(pc.price))
	if reason != "" {
		problem(pc.price, FieldPrice, reason, cell(pc.price))
	}
	r.price = price
	r.sku = cleanText(cell(pc.sku))
	if tooLong(r.sku, maxExtIDLen) {
		problem(pc.sku, FieldSKU, ReasonTooLong, r.sku)
	}
	return r
}

// maxCategoryDepth is the deepest category path an import makes.
const maxCategoryDepth = 8

// parsePrice reads a price in roubles as people type it in a spreadsheet —
// "250", "250,50", "1 500", "1500.5", "250 ₽", "250 руб." — as kopecks. It
// returns the reason it cannot: ReasonRequired (empty), ReasonNegative, or
// ReasonBadValue (not an amount, more than two decimals, or too large).
func parsePrice(s string) (int64, string) {
	if strings.Map(dropBlank, s) == "" {
		return 0, ReasonRequired
	}
	v, err := ParseAmount(s)
	switch {
	case err != nil:
		return 0, ReasonBadValue
	case v < 0:
		return 0, ReasonNegative
	case v > maxPrice:
		return 0, ReasonBadValue
	}
	return v, ""
}

// dropBlank drops the spaces ParseAmount ignores.
func dropBlank(r rune) rune {
	switch r {
	case ' ', '\u00a0', '\u202f', '\u2009', '\t':
		return -1
	}
	return r
}

// ImportProducts reads a CSV of products (PU-01) — a header with a name and
// a price column, optional category (a path "Напитки/Кофе" makes nested
// categories) and SKU columns, in Russian or English — and adds or updates
// the catalogue, all or nothing.
//
// A row is the product with its SKU; failing that, the product of the same
// name in the same category (anywhere, when the file has no category column);
// failing that, a new product. A matched product takes the row's name, price,
// category and SKU (a product matched by name keeps its SKU when the row has
// none; a product whose SKU differs from the row's is not the row's, which
// then makes a new product). Categories of the path that do not exist are
// made. A row with a bad value, a row repeating an earlier row's SKU or
// product, and a row whose name matches several products are rejected with
// their line, column and reason. If any row is rejected, or on a dry run,
// nothing is written; otherwise everything is written in one transaction
// with one audit entry. Problems of the file as a whole (no name or price
// column, unreadable, empty) come back as a *ValidationError.
func (c *Catalogue) ImportProducts(ctx context.Context, t ImportTable, dryRun bool) (ProductImportReport, error) {
	rep := ProductImportReport{DryRun: dryRun}
	if t.Header == nil || len(t.Rows) == 0 {
		return rep, &ValidationError{Fields: []FieldError{{Field: FieldFile, Reason: ReasonEmptyFile}}}
	}
	cols, err := productColumnsOf(t.Header)
	if err != nil {
		return rep, err
	}
	rows := make([]productRow, len(t.Rows))
	for i, row := range t.Rows {
		rows[i] = cols.parse(row)
	}
	rep.Rows = len(rows)
	if dryRun {
		pl, err := planProducts(ctx, c.store, rows, cols)
		if err != nil {
			return rep, fmt.Errorf("check product import: %w", err)
		}
		return pl.report(rep), nil
	}
	now, node := c.clock.Now(), c.store.NodeID()
	var pl *productPlan
	err = c.store.Update(ctx, func(tx Tx) error {
		pl, err = planProducts(ctx, tx, rows, cols)
		if err != nil {
			return err
		}
		if pl.rejected > 0 {
			return errImportRejected
		}
		return pl.write(ctx, tx, now, node)
	})
	switch {
	case errors.Is(err, errImportRejected):
		return pl.report(rep), nil
	case err != nil:
		return rep, fmt.Errorf("import products: %w", err)
	}
	rep = pl.report(rep)
	rep.Written = true
	return rep, nil
}

// productPlan is what an import will write.
type productPlan struct {
	newCats  []ProductCategory
	products []Product // new and changed products, in the file's order
	created  int
	updated  int
	rejected int
	problems []ImportProblem
}

func (pl *productPlan) report(rep ProductImportReport) ProductImportReport {
	rep.Created, rep.Updated, rep.Categories = pl.created, pl.updated, len(pl.newCats)
	rep.Problems = pl.problems
	return rep
}

// catalogueReader is what planning reads: the store or a transaction.
type catalogueReader interface {
	ProductCategories(ctx context.Context) ([]ProductCategory, error)
	Products(ctx context.Context, q ProductQuery) ([]Product, error)
}

// planProducts matches the rows with the catalogue and checks them against
// it and each other; cols names the columns of their problems.
func planProducts(ctx context.Context, rd catalogueReader, rows []productRow, cols productColumns) (*productPlan, error) {
	hasCategory := cols.category >= 0
	cats, err := rd.ProductCategories(ctx)
	if err != nil {
		return nil, err
	}
	prods, err := rd.Products(ctx, ProductQuery{})
	if err != nil {
		return nil, err
	}
	pl := &productPlan{}
	// child is the category of a folded name under a parent id ("" is the top).
	child := map[string]string{}
	for _, cat := range cats {
		child[cat.ParentID+"\x00"+FoldName(cat.Name)] = cat.ID
	}
	bySKU := map[string]int{}
	byName := map[string][]int{} // folded name (+ category id with a category column) → products
	nameKey := func(catID, name string) string {
		if !hasCategory {
			return FoldName(name)
		}
		return catID + "\x00" + FoldName(name)
	}
	for i, p := range prods {
		if p.SKU != "" {
			bySKU[strings.ToLower(p.SKU)] = i
		}
		k := nameKey(p.CategoryID, p.Name)
		byName[k] = append(byName[k], i)
	}
	seenSKU := map[string]bool{}     // lower SKU
	seenName := map[string]bool{}    // folded path + name
	seenProduct := map[string]bool{} // matched product ids
	for _, r := range rows {
		if len(r.problems) > 0 {
			pl.reject(r.problems...)
			continue
		}
		reject := func(field, reason, value string) {
			col := cols.name
			if field == FieldSKU {
				col = cols.sku
			}
			pl.reject(cols.problem(r.line, col, FieldError{Field: field, Reason: reason, Value: value}))
		}
		// The category, if it exists already (the walk stops at the first
		// missing level: a new category holds no products yet).
		catID, catExists := "", true
		for _, part := range r.path {
			id, ok := child[catID+"\x00"+FoldName(part)]
			if !ok {
				catExists = false
				break
			}
			catID = id
		}
		pathKey := FoldName(strings.Join(r.path, CategorySeparator))
		if !hasCategory {
			pathKey = ""
		}
		if r.sku != "" {
			if seenSKU[strings.ToLower(r.sku)] {
				reject(FieldSKU, ReasonDuplicate, r.sku)
				continue
			}
		}
		if seenName[pathKey+"\x00"+FoldName(r.name)] {
			reject(FieldName, ReasonDuplicate, r.name)
			continue
		}
		match := -1
		if i, ok := bySKU[strings.ToLower(r.sku)]; ok && r.sku != "" {
			match = i
		} else if catExists {
			var cands []int
			for _, i := range byName[nameKey(catID, r.name)] {
				if r.sku == "" || prods[i].SKU == "" {
					cands = append(cands, i)
				}
			}
			if len(cands) > 1 {
				reject(FieldName, ReasonAmbiguous, r.name)
				continue
			}
			if len(cands) == 1 {
				match = cands[0]
			}
		}
		if match >= 0 {
			if seenProduct[prods[match].ID] {
				reject(FieldName, ReasonDuplicate, prods[match].Name)
				continue
			}
			seenProduct[prods[match].ID] = true
		}
		if r.sku != "" {
			seenSKU[strings.ToLower(r.sku)] = true
		}
		seenName[pathKey+"\x00"+FoldName(r.name)] = true
		if hasCategory && !catExists {
			catID = ""
			for _, part := range r.path {
				k := catID + "\x00" + FoldName(part)
				id, ok := child[k]
				if !ok {
					id = NewID()
					child[k] = id
					pl.newCats = append(pl.newCats, ProductCategory{ID: id, Name: part, ParentID: catID})
				}
				catID = id
			}
		}
		if match < 0 {
			p := Product{Name: r.name, SKU: r.sku, Price: r.price, CategoryID: catID}
			pl.products = append(pl.products, p)
			pl.created++
			continue
		}
		p := prods[match]
		old := p
		p.Name, p.Price = r.name, r.price
		if r.sku != "" {
			p.SKU = r.sku
		}
		if hasCategory {
			p.CategoryID = catID
		}
		if p != old {
			pl.products = append(pl.products, p)
			pl.updated++
		}
	}
	return pl, nil
}

func (pl *productPlan) reject(ps ...ImportProblem) {
	pl.rejected++
	pl.problems = append(pl.problems, ps...)
}

// write stores the plan's categories and products and an audit entry.
func (pl *productPlan) write(ctx context.Context, tx Tx, now time.Time, node string) error {
	for _, cat := range pl.newCats {
		cat.CreatedAt, cat.UpdatedAt, cat.NodeID = now, now, node
		if err := tx.SaveProductCategory(ctx, cat); err != nil {
			return err
		}
	}
	for _, p := range pl.products {
		if p.ID == "" {
			p.ID, p.CreatedAt = NewID(), now
		}
		p.UpdatedAt, p.NodeID = now, node
		if err := tx.SaveProduct(ctx, p); err != nil {
			return err
		}
	}
	b, _ := json.Marshal(map[string]any{
		"created": pl.created, "updated": pl.updated, "categories": len(pl.newCats),
	})
	return tx.AppendAudit(ctx, AuditEntry{
		ID: NewID(), At: now, NodeID: node, Actor: ActorOf(ctx),
		Action: "products.import", Entity: "product", EntityID: "*", Details: string(b),
	})
}
