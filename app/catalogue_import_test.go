package app_test

// Tests of the product import (PU-01) over the real SQLite store: columns in
// Russian and English, encodings and separators, nested categories, matching
// by SKU and by name, every reason a row is rejected, all or nothing, dry
// runs and the audit entry.

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"loyaltydesk/app"
	"loyaltydesk/app/transfer"
	"loyaltydesk/db"
)

type catEnv struct {
	*env
	cat *app.Catalogue
}

func newCatEnv(t *testing.T) *catEnv {
	e := newEnv(t)
	return &catEnv{env: e, cat: app.NewCatalogue(e.store, e.clock)}
}

// importText reads a CSV file's text as the program does (app/transfer) and
// imports it.
func importText(ctx context.Context, cat *app.Catalogue, text string, dryRun bool) (app.ProductImportReport, error) {
	t, err := transfer.ReadCSV(ctx, strings.NewReader(text), transfer.ReadOptions{})
	if err != nil {
		return app.ProductImportReport{DryRun: dryRun}, err
	}
	return cat.ImportProducts(ctx, t, dryRun)
}

func (e *catEnv) importCSV(t *testing.T, text string, dryRun bool) app.ProductImportReport {
	t.Helper()
	rep, err := importText(e.ctx, e.cat, text, dryRun)
	if err != nil {
		t.Fatalf("ImportProducts: %v", err)
	}
	if rep.DryRun != dryRun {
		t.Errorf("report DryRun = %v, want %v", rep.DryRun, dryRun)
	}
	return rep
}

// products returns "path|name|sku|price" of every product, by name.
func (e *catEnv) products(t *testing.T) []string {
	t.Helper()
	cats, err := e.cat.Categories(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]app.ProductCategory{}
	for _, c := range cats {
		byID[c.ID] = c
	}
	path := func(id string) string {
		var parts []string
		for ; id != ""; id = byID[id].ParentID {
			parts = append([]string{byID[id].Name}, parts...)
		}
		return strings.Join(parts, "/")
	}
	ps, err := e.cat.Products(e.ctx, app.ProductQuery{})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = path(p.CategoryID) + "|" + p.Name + "|" + p.SKU + "|" + app.FormatMoney(p.Price, ".")
	}
	return out
}

func (e *catEnv) categoryCount(t *testing.T) int {
	t.Helper()
	cs, err := e.cat.Categories(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	return len(cs)
}

func (e *catEnv) importAuditCount(t *testing.T) int {
	t.Helper()
	all, err := e.store.AuditOf(e.ctx, "product", "*")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range all {
		if a.Action == "products.import" {
			n++
		}
	}
	return n
}

// PU-01: Russian headers, ";" between cells, nested categories and prices
// as people write them.
func TestImportProductsCreates(t *testing.T) {
	e := newCatEnv(t)
	rep := e.importCSV(t, "Наименование;Категория;Цена, ₽;Артикул\n"+
		"Латте;Напитки/Кофе;250;LAT-1\n"+
		"\n"+ // a blank line is left out
		"Капучино;Напитки / Кофе;\"250,50\";\n"+
		"Торт «Наполеон»;Десерты;1 500;NAP\n"+
		"Вода;;80 руб.;\n", false)
	if rep.Rows != 4 || rep.Created != 4 || rep.Updated != 0 || rep.Categories != 3 || len(rep.Problems) != 0 || !rep.Written {
		t.Fatalf("report = %+v", rep)
	}
	want := []string{
		"|Вода||80.00",
		"Напитки/Кофе|Капучино||250.50",
		"Напитки/Кофе|Латте|LAT-1|250.00",
		"Десерты|Торт «Наполеон»|NAP|1500.00",
	}
	if got := e.products(t); !slices.Equal(got, want) {
		t.Errorf("products = %q, want %q", got, want)
	}
	if n := e.importAuditCount(t); n != 1 {
		t.Errorf("%d import audit entries, want 1", n)
	}
}

// PU-01: English headers, commas, and a Windows-1251 file as Russian Excel
// saves it; a UTF-8 BOM and "sep=" work too.
func TestImportProductsEncodingsAndSeparators(t *testing.T) {
	e := newCatEnv(t)
	cp, err := charmap.Windows1251.NewEncoder().String("Name,Category,Price,SKU\nЭспрессо,Кофе,150.5,E1\n")
	if err != nil {
		t.Fatal(err)
	}
	if rep, err := importText(e.ctx, e.cat, cp, false); err != nil || rep.Created != 1 {
		t.Fatalf("Windows-1251: %+v, %v", rep, err)
	}
	bom := "\xEF\xBB\xBFsep=\t\nназвание\tцена\tкод\nЧай\t90\tT1\n"
	if rep := e.importCSV(t, bom, false); rep.Created != 1 {
		t.Fatalf("BOM and sep=: %+v", rep)
	}
	want := []string{"Кофе|Эспрессо|E1|150.50", "|Чай|T1|90.00"}
	slices.Sort(want)
	got := e.products(t)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("products = %q, want %q", got, want)
	}
}

// PU-01: a row is the product with its SKU (which may rename and move it),
// else the product of its name in its category; an unchanged row changes
// nothing, and a new name makes a new product.
func TestImportProductsUpdates(t *testing.T) {
	e := newCatEnv(t)
	e.importCSV(t, "name;category;price;sku\nЛатте;Кофе;250;LAT\nКапучино;Кофе;240;\nЧай;Чай;100;TEA\n", false)
	rep := e.importCSV(t, "name;category;price;sku\n"+
		"Латте большой;Напитки/Кофе;300;lat\n"+ // by SKU (any case): renamed, moved, new price
		"капучино;Кофе;260;CAP\n"+ // by name in Кофе: new price, gets the SKU
		"Чай;Чай;100;TEA\n"+ // the same: unchanged
		"Раф;Кофе;280;\n", false) // new
	if rep.Rows != 4 || rep.Created != 1 || rep.Updated != 2 || rep.Categories != 2 || !rep.Written {
		t.Fatalf("report = %+v", rep)
	}
	want := []string{
		"Кофе|Раф||280.00",
		"Кофе|капучино|CAP|260.00",
		"Напитки/Кофе|Латте большой|lat|300.00",
		"Чай|Чай|TEA|100.00",
	}
	got := e.products(t)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("products = %q, want %q", got, want)
	}
	// Without a category column a name matches anywhere, and categories stay.
	rep = e.importCSV(t, "Название;Цена\nРаф;290\n", false)
	if rep.Updated != 1 || rep.Created != 0 {
		t.Fatalf("report = %+v", rep)
	}
	if got := e.products(t); !slices.Contains(got, "Кофе|Раф||290.00") {
		t.Errorf("products = %q", got)
	}
}

// PU-01: every bad row is reported with its line, column and reason, and a
// file with any bad row writes nothing; fixed, it imports.
func TestImportProductsBadRows(t *testing.T) {
	e := newCatEnv(t)
	// Two products of one name in one category can exist (made by hand).
	for _, p := range []app.Product{{Name: "Сэндвич", Price: 100}, {Name: "Сэндвич", Price: 200}} {
		if _, err := e.cat.SaveProduct(e.ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	before := e.products(t)
	file := "Название;Категория;Цена;Артикул\n" +
		"Латте;Кофе;250;L1\n" + // 2: fine
		";Кофе;100;\n" + // 3: no name
		"Чай;Чай;abc;\n" + // 4: not a price
		"Сок;Напитки;-5;\n" + // 5: negative
		"Морс;Напитки;10,505;\n" + // 6: three decimals
		"Раф;Кофе;280;l1\n" + // 7: the SKU of line 2
		"латте;кофе;260;\n" + // 8: line 2's product again
		"Сэндвич;;150;\n" + // 9: two products match
		"Пирог;" + strings.Repeat("я", 101) + ";100;\n" // 10: category name too long
	rep := e.importCSV(t, file, false)
	type pr struct {
		line          int
		column        string
		field, reason string
	}
	var got []pr
	for _, p := range rep.Problems {
		got = append(got, pr{p.Line, p.Column, p.Field, p.Reason})
	}
	want := []pr{
		{3, "Название", app.FieldName, app.ReasonRequired},
		{4, "Цена", app.FieldPrice, app.ReasonBadValue},
		{5, "Цена", app.FieldPrice, app.ReasonNegative},
		{6, "Цена", app.FieldPrice, app.ReasonBadValue},
		{7, "Артикул", app.FieldSKU, app.ReasonDuplicate},
		{8, "Название", app.FieldName, app.ReasonDuplicate},
		{9, "Название", app.FieldName, app.ReasonAmbiguous},
		{10, "Категория", app.FieldProductCat, app.ReasonTooLong},
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems:\n got %+v\nwant %+v", got, want)
	}
	for _, p := range rep.Problems {
		if p.Column != "" && (p.ColumnIndex < 1 || p.ColumnIndex > 4) {
			t.Errorf("problem %+v: column index %d", p, p.ColumnIndex)
		}
	}
	if rep.Written || rep.Rows != 9 || rep.Created != 1 {
		t.Errorf("report = %+v", rep)
	}
	if got := e.products(t); !slices.Equal(got, before) {
		t.Errorf("a rejected import changed the products: %q", got)
	}
	if n := e.categoryCount(t); n != 0 {
		t.Errorf("a rejected import made %d categories", n)
	}
	if n := e.importAuditCount(t); n != 0 {
		t.Errorf("a rejected import wrote %d audit entries", n)
	}
	// The good row alone imports.
	if rep := e.importCSV(t, "Название;Категория;Цена;Артикул\nЛатте;Кофе;250;L1\n", false); !rep.Written || rep.Created != 1 {
		t.Errorf("fixed file: %+v", rep)
	}
}

// PU-01: a dry run reports what would happen and writes nothing.
func TestImportProductsDryRun(t *testing.T) {
	e := newCatEnv(t)
	e.importCSV(t, "name;price;sku\nЛатте;250;L1\n", false)
	file := "name;category;price;sku\nЛатте;Кофе;260;L1\nРаф;Кофе/Авторский;300;R1\n"
	rep := e.importCSV(t, file, true)
	if rep.Rows != 2 || rep.Created != 1 || rep.Updated != 1 || rep.Categories != 2 || rep.Written || len(rep.Problems) != 0 {
		t.Fatalf("dry run report = %+v", rep)
	}
	if got := e.products(t); !slices.Equal(got, []string{"|Латте|L1|250.00"}) {
		t.Errorf("a dry run changed the products: %q", got)
	}
	if n := e.categoryCount(t); n != 0 {
		t.Errorf("a dry run made %d categories", n)
	}
	if n := e.importAuditCount(t); n != 1 {
		t.Errorf("%d import audit entries after a dry run, want the first import's 1", n)
	}
	rep = e.importCSV(t, file, false)
	if rep.Created != 1 || rep.Updated != 1 || rep.Categories != 2 || !rep.Written {
		t.Fatalf("import report = %+v", rep)
	}
}

// PU-01: a file without a name or price column, an empty file and a broken
// quote are problems of the file.
func TestImportProductsBadFiles(t *testing.T) {
	e := newCatEnv(t)
	for _, tc := range []struct {
		file          string
		field, reason string
		value         string
	}{
		{"Цена;Артикул\n100;A\n", app.FieldColumn, app.ReasonNotFound, app.ProductColName},
		{"Товар;Артикул\nЧай;A\n", app.FieldColumn, app.ReasonNotFound, app.ProductColPrice},
		{"Название;Цена\n", app.FieldFile, app.ReasonEmptyFile, ""},
		{"", app.FieldFile, app.ReasonEmptyFile, ""},
		{"Название;Цена\n\"Чай;100\n", app.FieldFile, app.ReasonBadFile, "2"},
	} {
		_, err := importText(e.ctx, e.cat, tc.file, false)
		fes := app.FieldErrors(err)
		if !errors.Is(err, app.ErrInvalid) || len(fes) == 0 || fes[0].Field != tc.field || fes[0].Reason != tc.reason || fes[0].Value != tc.value {
			t.Errorf("%q: error %v, want %s/%s %q", tc.file, err, tc.field, tc.reason, tc.value)
		}
	}
	if got := e.products(t); len(got) != 0 {
		t.Errorf("products = %q", got)
	}
}

// FuzzImportProducts: any file imports (or dry-runs) without a panic; a
// report with problems wrote nothing, every problem names a line of the file
// and a field and reason, and a written report's counts add up with the
// products in the store.
func FuzzImportProducts(f *testing.F) {
	for _, s := range []string{
		"Наименование;Категория;Цена;Артикул\nЛатте;Напитки/Кофе;250;L1\nЧай;;\"1 500,50\";\n",
		"name,category,price,sku\nTea,,90.5,T\nTea,,90,T\n",
		"sep=;\nтовар;цена\n;abc\n-1;-1\nx;100000000000\n",
		"название\tцена\nЧай\t1.505\n\"Кофе\t100\n",
		"Название;Категория;Цена\nЯ;/ /a//b/;0\n",
		"\xff\xfe;\x00",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	ctx := context.Background()
	clock := app.NewManualClock(testNow)
	store, err := db.Open(ctx, filepath.Join(f.TempDir(), "fuzz.db"), db.Options{Clock: clock})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { store.Close() })
	cat := app.NewCatalogue(store, clock)
	count := func(t *testing.T) int {
		ps, err := cat.Products(ctx, app.ProductQuery{})
		if err != nil {
			t.Fatal(err)
		}
		return len(ps)
	}
	f.Fuzz(func(t *testing.T, file string, dryRun bool) {
		before := count(t)
		rep, err := importText(ctx, cat, file, dryRun)
		after := count(t)
		if err != nil {
			if len(app.FieldErrors(err)) == 0 {
				t.Fatalf("error without field errors: %v", err)
			}
			if after != before {
				t.Fatalf("a refused file changed the products: %d → %d", before, after)
			}
			return
		}
		lines := strings.Count(file, "\n") + 1
		for _, p := range rep.Problems {
			if p.Line < 1 || p.Line > lines || p.Field == "" || p.Reason == "" {
				t.Fatalf("problem %+v (the file has %d lines)", p, lines)
			}
		}
		if rep.Written != (!dryRun && len(rep.Problems) == 0) {
			t.Fatalf("written %v with dry run %v and %d problems", rep.Written, dryRun, len(rep.Problems))
		}
		if !rep.Written && after != before {
			t.Fatalf("an import that wrote nothing changed the products: %d → %d", before, after)
		}
		if rep.Written && after != before+rep.Created {
			t.Fatalf("%d products after creating %d on %d", after, rep.Created, before)
		}
		if rep.Created+rep.Updated > rep.Rows {
			t.Fatalf("report %+v counts more products than rows", rep)
		}
	})
}
