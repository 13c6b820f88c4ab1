package ui

// Tests of the Catalogue tab (PU-01, PU-06) over the real store: categories
// and products through their dialogs, field errors that save nothing, the
// tree and the search, gifts, and the CSV import with its dry run.

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"loyaltydesk/app"
)

// openCatalogue shows the Catalogue tab with its data loaded.
func openCatalogue(t *testing.T, h *harness) *catalogueScreen {
	t.Helper()
	h.ui.tabs.Select(h.ui.catalogueTab)
	return h.ui.catalogue
}

// addCategory makes a category through the dialog; parent is the path
// shown in the parent select ("" for the top).
func addCategory(t *testing.T, s *catalogueScreen, name, parent string) {
	t.Helper()
	d := s.editCategory(nil)
	test.Type(d.name, name)
	if parent != "" {
		d.parent.SetSelected(parent)
	} else {
		d.parent.SetSelectedIndex(0)
	}
	test.Tap(d.saveBtn)
	if d.open {
		t.Fatalf("category dialog still open: %v", d.visibleErrors())
	}
}

// addProduct makes a product through the dialog.
func addProduct(t *testing.T, s *catalogueScreen, name, category, sku, price string) {
	t.Helper()
	d := s.editProduct(nil)
	test.Type(d.name, name)
	d.category.SetSelected(category)
	test.Type(d.sku, sku)
	test.Type(d.price, price)
	d.price.TypedKey(enterKey()) // Enter saves
	if d.open {
		t.Fatalf("product dialog still open: %v", d.visibleErrors())
	}
}

func storedProducts(t *testing.T, h *harness) []app.Product {
	t.Helper()
	ps, err := h.catalogue.Products(context.Background(), app.ProductQuery{})
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

func productNames(ps []app.Product) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name
	}
	return out
}

// PU-01: categories and products made, edited, found and deleted through
// the tab's dialogs; a bad price shows its error and saves nothing.
func TestCatalogueProductsThroughDialogs(t *testing.T) {
	h := newHarness(t)
	s := openCatalogue(t, h)
	addCategory(t, s, "Напитки", "")
	addCategory(t, s, "Кофе", "Напитки")
	cats, err := h.catalogue.Categories(context.Background())
	if err != nil || len(cats) != 2 {
		t.Fatalf("categories = %+v, %v", cats, err)
	}
	if got := s.cats.path(cats[1].ID); got != "Напитки / Кофе" && s.cats.path(cats[0].ID) != "Напитки / Кофе" {
		t.Errorf("no category Напитки / Кофе: %+v", cats)
	}

	// A price that is not one: the error under the price, nothing stored.
	d := s.editProduct(nil)
	test.Type(d.name, "Латте")
	test.Type(d.price, "abc")
	test.Tap(d.saveBtn)
	if got := d.errs[app.FieldPrice].Text; !d.errs[app.FieldPrice].Visible() || got != "Цена: «abc» — не сумма; пример: 1500 или 1 500,50" {
		t.Errorf("price error = %q (shown %v); all: %v", got, d.errs[app.FieldPrice].Visible(), d.visibleErrors())
	}
	if !d.open || len(storedProducts(t, h)) != 0 {
		t.Fatal("a bad price closed the dialog or stored a product")
	}
	d.price.SetText("250")
	d.category.SetSelected("Напитки / Кофе")
	test.Tap(d.saveBtn)
	if d.open {
		t.Fatalf("dialog still open: %v", d.visibleErrors())
	}
	addProduct(t, s, "Капучино", "Напитки / Кофе", "CAP", "1 500,50")
	addProduct(t, s, "Вода", "— без категории —", "", "80")
	ps := storedProducts(t, h)
	if got := productNames(ps); !slices.Equal(got, []string{"Вода", "Капучино", "Латте"}) {
		t.Fatalf("products = %q", got)
	}
	if ps[1].Price != 150050 || ps[1].SKU != "CAP" || ps[2].Price != 25000 || ps[0].CategoryID != "" {
		t.Errorf("stored = %+v", ps)
	}

	// An SKU another product has: the error under the SKU.
	d = s.editProduct(nil)
	test.Type(d.name, "Капучино большой")
	test.Type(d.sku, "CAP")
	test.Type(d.price, "300")
	test.Tap(d.saveBtn)
	if got := d.errs[app.FieldSKU].Text; got != "Артикул: «CAP» уже используется" {
		t.Errorf("SKU error = %q; all %v", got, d.visibleErrors())
	}
	d.dlg.Hide()

	// The table shows every product; a category shows its own and its
	// subcategories'; the search narrows.
	if len(s.products) != 3 {
		t.Fatalf("table shows %d products, want 3", len(s.products))
	}
	var drinks string
	for id, c := range s.cats.byID {
		if c.Name == "Напитки" {
			drinks = id
		}
	}
	s.tree.Select(drinks)
	if got := productNames(s.products); !slices.Equal(got, []string{"Капучино", "Латте"}) {
		t.Errorf("Напитки shows %q", got)
	}
	texts := visibleTexts(h.win)
	for _, want := range []string{"Капучино", "Напитки / Кофе", "CAP", moneyText(150050), "Товаров: 2"} {
		if !contains(texts, want) {
			t.Errorf("the window does not show %q; it shows %q", want, texts)
		}
	}
	test.Type(s.search, "лат")
	if got := productNames(s.products); !slices.Equal(got, []string{"Латте"}) {
		t.Errorf("search «лат» shows %q", got)
	}
	s.search.SetText("")

	// Edit: a new price.
	s.table.Select(tableCell(1))
	test.Tap(s.editProdBtn)
	d = s.lastProduct
	if d.name.Text != "Латте" || d.price.Text != "250" {
		t.Fatalf("edit dialog shows %q, %q", d.name.Text, d.price.Text)
	}
	d.price.SetText("260,5")
	test.Tap(d.saveBtn)
	if p := storedProducts(t, h)[2]; p.Price != 26050 || p.Name != "Латте" {
		t.Errorf("edited = %+v", p)
	}

	// Delete, after the confirmation.
	s.tree.Select(allProducts)
	s.table.Select(tableCell(0)) // Вода
	test.Tap(s.delProdBtn)
	tapDialogButton(t, h, "Удалить")
	if got := productNames(storedProducts(t, h)); !slices.Equal(got, []string{"Капучино", "Латте"}) {
		t.Errorf("after delete: %q", got)
	}

	// Deleting Напитки moves Кофе (and its products) to the top.
	s.tree.Select(drinks)
	test.Tap(s.delCatBtn)
	tapDialogButton(t, h, "Удалить")
	cats, _ = h.catalogue.Categories(context.Background())
	if len(cats) != 1 || cats[0].Name != "Кофе" || cats[0].ParentID != "" {
		t.Errorf("categories after delete = %+v", cats)
	}
	if s.selCat != "" || len(s.products) != 2 {
		t.Errorf("after deleting the chosen category: selected %q, %d products shown", s.selCat, len(s.products))
	}
}

// PU-01: a category can be renamed and moved under another, but not under
// itself (the select does not offer it).
func TestCatalogueCategoryRenameAndMove(t *testing.T) {
	h := newHarness(t)
	s := openCatalogue(t, h)
	addCategory(t, s, "Кофе", "")
	addCategory(t, s, "Напитки", "")
	var coffee app.ProductCategory
	for _, c := range s.cats.byID {
		if c.Name == "Кофе" {
			coffee = c
		}
	}
	d := s.editCategory(&coffee)
	if slices.Contains(d.parent.Options, "Кофе") {
		t.Errorf("Кофе is offered as its own parent: %q", d.parent.Options)
	}
	d.name.SetText("Кофе и чай")
	d.parent.SetSelected("Напитки")
	test.Tap(d.saveBtn)
	if d.open {
		t.Fatalf("dialog still open: %v", d.visibleErrors())
	}
	if got := s.cats.path(coffee.ID); got != "Напитки / Кофе и чай" {
		t.Errorf("path = %q", got)
	}
	// A name taken under the same parent.
	d = s.editCategory(nil)
	test.Type(d.name, "напитки")
	d.parent.SetSelectedIndex(0)
	test.Tap(d.saveBtn)
	if got := d.errs[app.FieldName].Text; got != "Название: «напитки» уже используется" {
		t.Errorf("name error = %q; all %v", got, d.visibleErrors())
	}
}

// PU-06: gifts listed, added, edited and deleted; points that are not a
// number show the error.
func TestCatalogueGifts(t *testing.T) {
	h := newHarness(t)
	s := openCatalogue(t, h)
	s.sections.SelectIndex(1)
	d := s.editGift(nil)
	test.Type(d.name, "Десерт в подарок")
	test.Type(d.points, "много")
	test.Tap(d.saveBtn)
	if !d.errs[app.FieldPoints].Visible() {
		t.Fatalf("no points error; shown %v", d.visibleErrors())
	}
	d.points.SetText("150")
	test.Tap(d.saveBtn)
	gs, err := h.catalogue.Gifts(context.Background())
	if err != nil || len(gs) != 1 || gs[0].Points != 15000 || gs[0].Name != "Десерт в подарок" {
		t.Fatalf("gifts = %+v, %v", gs, err)
	}
	if texts := visibleTexts(h.win); !contains(texts, "Десерт в подарок") || !contains(texts, "150") {
		t.Errorf("the gifts table shows %q", texts)
	}
	s.giftTable.Select(tableCell(0))
	test.Tap(s.editGiftBtn)
	s.lastGift.points.SetText("99,5")
	test.Tap(s.lastGift.saveBtn)
	if gs, _ := h.catalogue.Gifts(context.Background()); len(gs) != 1 || gs[0].Points != 9950 {
		t.Errorf("edited gift = %+v", gs)
	}
	s.giftTable.Select(tableCell(0))
	test.Tap(s.delGiftBtn)
	tapDialogButton(t, h, "Удалить")
	if gs, _ := h.catalogue.Gifts(context.Background()); len(gs) != 0 {
		t.Errorf("gifts after delete = %+v", gs)
	}
}

// PU-01: the import checks the file first and lists every rejected line
// with its reason, writing nothing; the fixed file is checked, then
// imported, and the table shows its products.
func TestCatalogueImportDialog(t *testing.T) {
	h := newHarness(t)
	s := openCatalogue(t, h)
	dir := t.TempDir()
	bad := filepath.Join(dir, "menu.csv")
	good := filepath.Join(dir, "menu-fixed.csv")
	write := func(path, text string) {
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(bad, "Наименование;Категория;Цена;Артикул\nЛатте;Напитки/Кофе;250;L1\nКапучино;Напитки/Кофе;двести;\nЧай;Напитки;90;L1\n")
	write(good, "Наименование;Категория;Цена;Артикул\nЛатте;Напитки/Кофе;250;L1\nКапучино;Напитки/Кофе;240;\nЧай;Напитки;90;T1\n")

	d := s.showImport()
	d.load(bad)
	if len(d.problems) != 2 {
		t.Fatalf("problems = %q", d.problems)
	}
	for i, want := range []string{
		"Строка 3, столбец «Цена»: Цена: «двести» — не цена; пример: 250 или 1 500,50",
		"Строка 4, столбец «Артикул»: Артикул: «L1» уже есть в строке выше",
	} {
		if d.problems[i] != want {
			t.Errorf("problem %d = %q, want %q", i, d.problems[i], want)
		}
	}
	if !strings.Contains(d.summary.Text, "Отклонено строк: 2") {
		t.Errorf("summary = %q", d.summary.Text)
	}
	if !d.importBtn.Disabled() {
		t.Error("Import is enabled for a file with bad rows")
	}
	if n := len(storedProducts(t, h)); n != 0 {
		t.Fatalf("%d products stored by a rejected file", n)
	}

	d.load(good)
	if len(d.problems) != 0 || d.importBtn.Disabled() {
		t.Fatalf("fixed file: problems %q, import disabled %v", d.problems, d.importBtn.Disabled())
	}
	if !strings.Contains(d.summary.Text, "Будет создано товаров: 3") || len(storedProducts(t, h)) != 0 {
		t.Errorf("dry run summary = %q", d.summary.Text)
	}
	test.Tap(d.importBtn)
	if !d.last.Written || d.last.Created != 3 || d.last.Categories != 2 {
		t.Fatalf("import report = %+v", d.last)
	}
	if !d.importBtn.Disabled() {
		t.Error("Import is still enabled after the import")
	}
	if got := productNames(storedProducts(t, h)); !slices.Equal(got, []string{"Капучино", "Латте", "Чай"}) {
		t.Errorf("stored = %q", got)
	}
	if len(s.products) != 3 || len(s.cats.byID) != 2 {
		t.Errorf("the tab shows %d products and %d categories", len(s.products), len(s.cats.byID))
	}
}

func tableCell(row int) widget.TableCellID { return widget.TableCellID{Row: row, Col: 0} }
