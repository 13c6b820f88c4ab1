package ui

import (
	"context"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"loyaltydesk/app"
	"loyaltydesk/app/transfer"
)

// catalogueScreen is the Catalogue tab (PU-01): the tree of product
// categories on the left, the products of the chosen category (with its
// subcategories) on the right with a search, the CSV import, and a Gifts
// section (PU-06).
type catalogueScreen struct {
	u       *UI
	content fyne.CanvasObject
	// sections holds Products and Gifts.
	sections *container.AppTabs

	cats   catIndex
	tree   *widget.Tree
	selCat string // the chosen category; "" is every product

	search   *widget.Entry
	products []app.Product
	table    *widget.Table
	selRow   int // the chosen product row, -1 none
	count    *widget.Label
	seq      int // the newest product query, so a late answer is dropped

	editCatBtn, delCatBtn   *widget.Button
	editProdBtn, delProdBtn *widget.Button

	gifts       []app.Gift
	giftTable   *widget.Table
	selGift     int
	editGiftBtn *widget.Button
	delGiftBtn  *widget.Button

	// The dialogs opened last, for tests and screenshots.
	lastProduct  *productDialog
	lastCategory *categoryDialog
	lastGift     *giftDialog
	lastImport   *productImportDialog
}

// allProducts is the tree's node above the top-level categories.
const allProducts = "*"

func newCatalogueScreen(u *UI) *catalogueScreen {
	s := &catalogueScreen{u: u, selRow: -1, selGift: -1}
	s.cats = newCatIndex(nil)
	s.tree = widget.NewTree(s.treeChildren, s.treeBranch, func(bool) fyne.CanvasObject {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}, func(uid widget.TreeNodeID, _ bool, o fyne.CanvasObject) {
		l := o.(*widget.Label)
		if uid == allProducts {
			l.SetText(tr("catalogue.all", "All products"))
			return
		}
		l.SetText(s.cats.byID[uid].Name)
	})
	s.tree.OnSelected = func(uid widget.TreeNodeID) {
		if uid == allProducts {
			uid = ""
		}
		s.selCat = uid
		s.syncButtons()
		s.reloadProducts()
	}
	s.tree.OpenBranch(allProducts)

	addCat := widget.NewButtonWithIcon(tr("catalogue.add_category", "Category…"), theme.ContentAddIcon(), func() { s.editCategory(nil) })
	s.editCatBtn = widget.NewButtonWithIcon("", theme.DocumentCreateIcon(), func() {
		if c, ok := s.cats.byID[s.selCat]; ok {
			s.editCategory(&c)
		}
	})
	s.delCatBtn = widget.NewButtonWithIcon("", theme.DeleteIcon(), s.deleteCategory)
	left := container.NewBorder(
		widget.NewLabelWithStyle(tr("catalogue.categories", "Categories"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewHBox(addCat, s.editCatBtn, s.delCatBtn), nil, nil, s.tree)

	s.search = widget.NewEntry()
	s.search.SetPlaceHolder(tr("catalogue.search", "Search by name or SKU"))
	s.search.OnChanged = func(string) { s.reloadProducts() }
	s.table = widget.NewTable(func() (int, int) { return len(s.products), 4 }, newCellLabel, s.productCell)
	s.table.ShowHeaderRow = true
	s.table.CreateHeader = newHeaderLabel
	s.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		titles := []string{fieldLabel(app.FieldName), fieldLabel(app.FieldProductCat), fieldLabel(app.FieldSKU), fieldLabel(app.FieldPrice)}
		if id.Col >= 0 && id.Col < len(titles) {
			o.(*widget.Label).SetText(titles[id.Col])
		}
	}
	for i, w := range []float32{260, 200, 120, 110} {
		s.table.SetColumnWidth(i, w)
	}
	s.table.OnSelected = func(id widget.TableCellID) {
		s.selRow = id.Row
		s.syncButtons()
	}
	addProd := widget.NewButtonWithIcon(tr("catalogue.add_product", "Product…"), theme.ContentAddIcon(), func() { s.editProduct(nil) })
	addProd.Importance = widget.HighImportance
	s.editProdBtn = widget.NewButtonWithIcon(tr("catalogue.edit", "Edit…"), theme.DocumentCreateIcon(), func() {
		if p, ok := s.selectedProduct(); ok {
			s.editProduct(&p)
		}
	})
	s.delProdBtn = widget.NewButtonWithIcon(tr("catalogue.delete", "Delete"), theme.DeleteIcon(), s.deleteProduct)
	importBtn := widget.NewButtonWithIcon(tr("catalogue.import", "Import CSV…"), theme.UploadIcon(), func() { s.showImport() })
	s.count = widget.NewLabel("")
	s.count.Importance = widget.LowImportance
	top := container.NewBorder(nil, nil, nil, container.NewHBox(addProd, s.editProdBtn, s.delProdBtn, importBtn), s.search)
	right := container.NewBorder(top, s.count, nil, nil, s.table)
	split := container.NewHSplit(left, right)
	split.Offset = 0.25

	s.giftTable = widget.NewTable(func() (int, int) { return len(s.gifts), 2 }, newCellLabel, s.giftCell)
	s.giftTable.ShowHeaderRow = true
	s.giftTable.CreateHeader = newHeaderLabel
	s.giftTable.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		titles := []string{fieldLabel(app.FieldName), tr("catalogue.gift_points", "Points cost")}
		if id.Col >= 0 && id.Col < len(titles) {
			o.(*widget.Label).SetText(titles[id.Col])
		}
	}
	s.giftTable.SetColumnWidth(0, 320)
	s.giftTable.SetColumnWidth(1, 140)
	s.giftTable.OnSelected = func(id widget.TableCellID) {
		s.selGift = id.Row
		s.syncButtons()
	}
	addGift := widget.NewButtonWithIcon(tr("catalogue.add_gift", "Gift…"), theme.ContentAddIcon(), func() { s.editGift(nil) })
	addGift.Importance = widget.HighImportance
	s.editGiftBtn = widget.NewButtonWithIcon(tr("catalogue.edit", "Edit…"), theme.DocumentCreateIcon(), func() {
		if s.selGift >= 0 && s.selGift < len(s.gifts) {
			g := s.gifts[s.selGift]
			s.editGift(&g)
		}
	})
	s.delGiftBtn = widget.NewButtonWithIcon(tr("catalogue.delete", "Delete"), theme.DeleteIcon(), s.deleteGift)
	hint := widget.NewLabel(tr("catalogue.gifts_hint", "Gifts are given from the client page; their points are taken from the client's balance."))
	hint.Wrapping = fyne.TextWrapWord
	hint.Importance = widget.LowImportance
	gifts := container.NewBorder(container.NewHBox(addGift, s.editGiftBtn, s.delGiftBtn), hint, nil, nil, s.giftTable)

	s.sections = container.NewAppTabs(
		container.NewTabItem(tr("catalogue.products", "Products"), split),
		container.NewTabItem(tr("catalogue.gifts", "Gifts"), gifts),
	)
	s.content = s.sections
	s.syncButtons()
	return s
}

func newCellLabel() fyne.CanvasObject {
	l := widget.NewLabel("")
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

func newHeaderLabel() fyne.CanvasObject {
	l := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

func (s *catalogueScreen) treeChildren(uid widget.TreeNodeID) []widget.TreeNodeID {
	switch uid {
	case "":
		return []widget.TreeNodeID{allProducts}
	case allProducts:
		return s.cats.kids[""]
	}
	return s.cats.kids[uid]
}

func (s *catalogueScreen) treeBranch(uid widget.TreeNodeID) bool {
	return uid == "" || uid == allProducts || len(s.cats.kids[uid]) > 0
}

func (s *catalogueScreen) productCell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	if id.Row < 0 || id.Row >= len(s.products) {
		l.SetText("")
		return
	}
	p := s.products[id.Row]
	l.Alignment = fyne.TextAlignLeading
	switch id.Col {
	case 0:
		l.SetText(p.Name)
	case 1:
		l.SetText(s.cats.path(p.CategoryID))
	case 2:
		l.SetText(p.SKU)
	case 3:
		l.Alignment = fyne.TextAlignTrailing
		l.SetText(moneyText(p.Price))
	}
}

func (s *catalogueScreen) giftCell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	if id.Row < 0 || id.Row >= len(s.gifts) {
		l.SetText("")
		return
	}
	g := s.gifts[id.Row]
	if id.Col == 0 {
		l.Alignment = fyne.TextAlignLeading
		l.SetText(g.Name)
		return
	}
	l.Alignment = fyne.TextAlignTrailing
	l.SetText(pointsAmount(g.Points))
}

// pointsAmount writes kopecks of points as a number the Russian way: 2550 → "25,5".
func pointsAmount(v int64) string { return strings.ReplaceAll(app.FormatPoints(v), ".", ",") }

// syncButtons enables what the selection allows.
func (s *catalogueScreen) syncButtons() {
	enable := func(b *widget.Button, on bool) {
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	_, catOK := s.cats.byID[s.selCat]
	enable(s.editCatBtn, catOK)
	enable(s.delCatBtn, catOK)
	_, prodOK := s.selectedProduct()
	enable(s.editProdBtn, prodOK)
	enable(s.delProdBtn, prodOK)
	giftOK := s.selGift >= 0 && s.selGift < len(s.gifts)
	enable(s.editGiftBtn, giftOK)
	enable(s.delGiftBtn, giftOK)
}

func (s *catalogueScreen) selectedProduct() (app.Product, bool) {
	if s.selRow >= 0 && s.selRow < len(s.products) {
		return s.products[s.selRow], true
	}
	return app.Product{}, false
}

// load reads the categories, the products shown and the gifts.
func (s *catalogueScreen) load() {
	q := s.query()
	s.seq++
	seq := s.seq
	u := s.u
	u.async(func() {
		ctx := u.ctx()
		cats, err := u.deps.Catalogue.Categories(ctx)
		var prods []app.Product
		var gifts []app.Gift
		if err == nil {
			prods, err = u.deps.Catalogue.Products(ctx, q)
		}
		if err == nil {
			gifts, err = u.deps.Catalogue.Gifts(ctx)
		}
		fyne.Do(func() {
			if err != nil {
				u.showError(err)
				return
			}
			s.cats = newCatIndex(cats)
			if _, ok := s.cats.byID[s.selCat]; !ok && s.selCat != "" {
				s.selCat = ""
				s.tree.Select(allProducts)
			} else if s.selCat == "" {
				s.markAll()
			}
			s.tree.Refresh()
			s.gifts = gifts
			s.selGift = -1
			s.giftTable.UnselectAll()
			s.giftTable.Refresh()
			if seq == s.seq {
				s.setProducts(prods)
			}
			s.syncButtons()
		})
	})
}

// markAll shows "All products" chosen in the tree without reading again.
func (s *catalogueScreen) markAll() {
	cb := s.tree.OnSelected
	s.tree.OnSelected = nil
	s.tree.Select(allProducts)
	s.tree.OnSelected = cb
}

func (s *catalogueScreen) query() app.ProductQuery {
	return app.ProductQuery{Text: strings.TrimSpace(s.search.Text), CategoryID: s.selCat}
}

// reloadProducts reads the products of the chosen category and search.
func (s *catalogueScreen) reloadProducts() {
	q := s.query()
	s.seq++
	seq := s.seq
	u := s.u
	u.async(func() {
		prods, err := u.deps.Catalogue.Products(u.ctx(), q)
		fyne.Do(func() {
			if seq != s.seq {
				return
			}
			if err != nil {
				u.showError(err)
				return
			}
			s.setProducts(prods)
		})
	})
}

func (s *catalogueScreen) setProducts(prods []app.Product) {
	s.products = prods
	s.selRow = -1
	s.table.UnselectAll()
	s.table.Refresh()
	s.count.SetText(tr("catalogue.count", "Products: {{.Count}}", map[string]any{"Count": len(prods)}))
	s.syncButtons()
}

// catIndex answers questions about the category tree.
type catIndex struct {
	byID map[string]app.ProductCategory
	kids map[string][]string // parent id ("" the top) → child ids by name
}

// newCatIndex indexes categories given by name; one whose parent is missing
// counts as top level.
func newCatIndex(cs []app.ProductCategory) catIndex {
	c := catIndex{byID: map[string]app.ProductCategory{}, kids: map[string][]string{}}
	for _, cat := range cs {
		c.byID[cat.ID] = cat
	}
	for _, cat := range cs {
		parent := cat.ParentID
		if _, ok := c.byID[parent]; !ok {
			parent = ""
		}
		c.kids[parent] = append(c.kids[parent], cat.ID)
	}
	return c
}

// path is a category's names from the top: "Напитки / Кофе".
func (c catIndex) path(id string) string {
	var parts []string
	for i := 0; id != "" && i < 64; i++ {
		cat, ok := c.byID[id]
		if !ok {
			break
		}
		parts = append(parts, cat.Name)
		id = cat.ParentID
	}
	slices.Reverse(parts)
	return strings.Join(parts, " / ")
}

// ordered lists the category ids depth first, each level by name.
func (c catIndex) ordered() []string {
	var out []string
	var walk func(parent string, depth int)
	walk = func(parent string, depth int) {
		if depth > 64 {
			return
		}
		for _, id := range c.kids[parent] {
			out = append(out, id)
			walk(id, depth+1)
		}
	}
	walk("", 0)
	return out
}

// under reports whether id is root or lies under it.
func (c catIndex) under(id, root string) bool {
	for i := 0; id != "" && i < 64; i++ {
		if id == root {
			return true
		}
		id = c.byID[id].ParentID
	}
	return false
}

// choices returns the labels and ids of a category select: first none (with
// the label given), then every category by path, leaving out skip and what
// lies under it.
func (c catIndex) choices(none, skip string) ([]string, []string) {
	labels, ids := []string{none}, []string{""}
	for _, id := range c.ordered() {
		if skip != "" && c.under(id, skip) {
			continue
		}
		labels = append(labels, c.path(id))
		ids = append(ids, id)
	}
	return labels, ids
}

// fieldForm is a form whose fields each show their error under them, in
// the words message gives; errors of fields it lacks go to a general label.
type fieldForm struct {
	win     fyne.Window
	form    *widget.Form
	errs    map[string]*widget.Label
	focus   map[string]fyne.Focusable
	order   []string
	general *widget.Label
	message func(app.FieldError) string
}

func newFieldForm(win fyne.Window, message func(app.FieldError) string) *fieldForm {
	f := &fieldForm{win: win, form: widget.NewForm(), errs: map[string]*widget.Label{},
		focus: map[string]fyne.Focusable{}, message: message}
	f.general = pageErrLabel()
	return f
}

// add appends a field to the form: its label, the object shown, and what to
// focus when it is in error (may be nil).
func (f *fieldForm) add(field, label string, obj fyne.CanvasObject, focus fyne.Focusable) {
	f.form.Append(label, container.NewVBox(obj, f.errLabel(field)))
	f.order = append(f.order, field)
	if focus != nil {
		f.focus[field] = focus
	}
}

func (f *fieldForm) errLabel(field string) *widget.Label {
	l := pageErrLabel()
	f.errs[field] = l
	return l
}

func (f *fieldForm) clear() {
	for _, l := range f.errs {
		l.Hide()
	}
	f.general.Hide()
}

// showErrors puts err's field errors under their fields and focuses the first.
func (f *fieldForm) showErrors(err error) {
	f.clear()
	fes := app.FieldErrors(err)
	if len(fes) == 0 {
		f.general.SetText(errorMessage(err))
		f.general.Show()
		return
	}
	first := ""
	for _, fe := range fes {
		l, ok := f.errs[fe.Field]
		if !ok {
			f.general.SetText(f.message(fe))
			f.general.Show()
			continue
		}
		if l.Visible() {
			continue
		}
		l.SetText(f.message(fe))
		l.Show()
		if first == "" {
			first = fe.Field
		}
	}
	if fo, ok := f.focus[first]; ok && f.win != nil {
		f.win.Canvas().Focus(fo)
	}
}

// visibleErrors returns the errors shown, by field.
func (f *fieldForm) visibleErrors() map[string]string {
	m := map[string]string{}
	for field, l := range f.errs {
		if l.Visible() {
			m[field] = l.Text
		}
	}
	if f.general.Visible() {
		m[""] = f.general.Text
	}
	return m
}

// editDialog is a dialog around a fieldForm with Cancel and Save; Enter in
// an entry and the Enter key save, Escape closes.
type editDialog struct {
	*fieldForm
	u       *UI
	saveBtn *widget.Button
	dlg     *dialog.CustomDialog
	open    bool
	saving  bool
}

// newEditDialog builds the dialog; top, when set, is shown above the form
// and takes the room left.
func newEditDialog(u *UI, title string, top fyne.CanvasObject, save func()) *editDialog {
	d := &editDialog{u: u, fieldForm: newFieldForm(u.win, fieldMessage)}
	d.saveBtn = widget.NewButton(tr("dialog.save", "Save"), save)
	d.saveBtn.Importance = widget.HighImportance
	cancel := widget.NewButton(tr("dialog.cancel", "Cancel"), func() { d.dlg.Hide() })
	var body fyne.CanvasObject = container.NewVBox(d.form, d.general)
	if top != nil {
		body = container.NewBorder(nil, body, nil, nil, top)
	}
	d.dlg = dialog.NewCustomWithoutButtons(title, body, u.win)
	d.dlg.SetButtons([]fyne.CanvasObject{cancel, d.saveBtn})
	prev := u.win.Canvas().OnTypedKey()
	u.dialogKeys(d.dlg, func() { d.dlg.Hide() }, save)
	d.dlg.SetOnClosed(func() {
		d.open = false
		d.u.win.Canvas().SetOnTypedKey(prev)
	})
	d.dlg.Resize(fyne.NewSize(520, 0))
	return d
}

func (d *editDialog) present(focus fyne.Focusable) {
	d.open = true
	d.dlg.Show()
	if focus != nil {
		d.u.win.Canvas().Focus(focus)
	}
}

// run saves off the UI goroutine: work returns the use case's error; on
// success the dialog closes and then runs.
func (d *editDialog) run(work func(ctx context.Context) error, then func()) {
	if d.saving {
		return
	}
	d.saving = true
	d.saveBtn.Disable()
	u := d.u
	u.async(func() {
		err := work(u.ctx())
		fyne.Do(func() {
			d.saving = false
			d.saveBtn.Enable()
			if err != nil {
				d.showErrors(err)
				return
			}
			d.clear()
			d.dlg.Hide()
			if then != nil {
				then()
			}
		})
	})
}

// confirmDelete asks before deleting; yes runs on the UI goroutine.
func (u *UI) confirmDelete(title, message string, yes func()) {
	d := dialog.NewConfirm(title, message, func(ok bool) {
		if ok {
			yes()
		}
	}, u.win)
	d.SetConfirmText(tr("catalogue.delete", "Delete"))
	d.SetDismissText(tr("dialog.cancel", "Cancel"))
	d.SetConfirmImportance(widget.DangerImportance)
	d.Show()
}

// deleteWith runs a delete off the UI goroutine and reloads after it.
func (u *UI) deleteWith(work func(ctx context.Context) error, then func()) {
	u.async(func() {
		err := work(u.ctx())
		fyne.Do(func() {
			if err != nil {
				u.showError(err)
			}
			then()
		})
	})
}

// categoryDialog adds, renames or moves a category (PU-01).
type categoryDialog struct {
	*editDialog
	s         *catalogueScreen
	cat       *app.ProductCategory
	name      *widget.Entry
	parent    *widget.Select
	parentIDs []string
}

// editCategory opens the category dialog; nil adds one under the category
// chosen in the tree.
func (s *catalogueScreen) editCategory(c *app.ProductCategory) *categoryDialog {
	d := &categoryDialog{s: s, cat: c}
	title := tr("catalogue.new_category", "New category")
	skip, parent := "", s.selCat
	if c != nil {
		title = tr("catalogue.edit_category", "Category: {{.Name}}", map[string]any{"Name": c.Name})
		skip, parent = c.ID, c.ParentID
	}
	d.editDialog = newEditDialog(s.u, title, nil, d.save)
	d.name = widget.NewEntry()
	d.name.OnSubmitted = func(string) { d.save() }
	labels, ids := s.cats.choices(tr("catalogue.top_level", "— top level —"), skip)
	d.parent, d.parentIDs = widget.NewSelect(labels, nil), ids
	d.parent.SetSelectedIndex(max(slices.Index(ids, parent), 0))
	if c != nil {
		d.name.SetText(c.Name)
	}
	d.add(app.FieldName, fieldLabel(app.FieldName), d.name, d.name)
	d.add(app.FieldProductCat, tr("catalogue.parent", "Inside"), d.parent, d.parent)
	s.lastCategory = d
	d.present(d.name)
	return d
}

func (d *categoryDialog) save() {
	c := app.ProductCategory{Name: d.name.Text}
	if d.cat != nil {
		c = *d.cat
		c.Name = d.name.Text
	}
	if i := d.parent.SelectedIndex(); i >= 0 && i < len(d.parentIDs) {
		c.ParentID = d.parentIDs[i]
	}
	d.run(func(ctx context.Context) error {
		_, err := d.s.u.deps.Catalogue.SaveCategory(ctx, c)
		return err
	}, d.s.load)
}

func (s *catalogueScreen) deleteCategory() {
	c, ok := s.cats.byID[s.selCat]
	if !ok {
		return
	}
	s.u.confirmDelete(tr("catalogue.delete_category", "Delete category"),
		tr("catalogue.delete_category_q", "Delete the category «{{.Name}}»? Its products and subcategories move up a level.", map[string]any{"Name": c.Name}),
		func() {
			s.u.deleteWith(func(ctx context.Context) error { return s.u.deps.Catalogue.DeleteCategory(ctx, c.ID) }, s.load)
		})
}

// productDialog adds or edits a product (PU-01): name, category, SKU and
// price in roubles.
type productDialog struct {
	*editDialog
	s        *catalogueScreen
	product  *app.Product
	name     *widget.Entry
	category *widget.Select
	catIDs   []string
	sku      *widget.Entry
	price    *widget.Entry
}

// editProduct opens the product dialog; nil adds one in the chosen category.
func (s *catalogueScreen) editProduct(p *app.Product) *productDialog {
	d := &productDialog{s: s, product: p}
	title := tr("catalogue.new_product", "New product")
	if p != nil {
		title = tr("catalogue.edit_product", "Product: {{.Name}}", map[string]any{"Name": p.Name})
	}
	d.editDialog = newEditDialog(s.u, title, nil, d.save)
	d.name, d.sku, d.price = widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	for _, e := range []*widget.Entry{d.name, d.sku, d.price} {
		e.OnSubmitted = func(string) { d.save() }
	}
	d.price.SetPlaceHolder("250 / 1 500,50")
	labels, ids := s.cats.choices(tr("catalogue.no_category", "— no category —"), "")
	d.category, d.catIDs = widget.NewSelect(labels, nil), ids
	catID := s.selCat
	if p != nil {
		catID = p.CategoryID
		d.name.SetText(p.Name)
		d.sku.SetText(p.SKU)
		d.price.SetText(roublesInput(p.Price))
	}
	d.category.SetSelectedIndex(max(slices.Index(ids, catID), 0))
	d.add(app.FieldName, fieldLabel(app.FieldName), d.name, d.name)
	d.add(app.FieldProductCat, fieldLabel(app.FieldProductCat), d.category, d.category)
	d.add(app.FieldSKU, fieldLabel(app.FieldSKU), d.sku, d.sku)
	d.add(app.FieldPrice, tr("catalogue.price_rub", "Price, ₽"), d.price, d.price)
	s.lastProduct = d
	d.present(d.name)
	return d
}

func (d *productDialog) save() {
	p := app.Product{}
	if d.product != nil {
		p = *d.product
	}
	p.Name, p.SKU = d.name.Text, d.sku.Text
	if i := d.category.SelectedIndex(); i >= 0 && i < len(d.catIDs) {
		p.CategoryID = d.catIDs[i]
	}
	price, ok, fe := parseRoubles(d.price.Text, app.FieldPrice)
	if fe == nil && !ok {
		fe = &app.FieldError{Field: app.FieldPrice, Reason: app.ReasonRequired}
	}
	if fe != nil {
		d.showErrors(&app.ValidationError{Fields: []app.FieldError{*fe}})
		return
	}
	p.Price = price
	d.run(func(ctx context.Context) error {
		_, err := d.s.u.deps.Catalogue.SaveProduct(ctx, p)
		return err
	}, d.s.load)
}

func (s *catalogueScreen) deleteProduct() {
	p, ok := s.selectedProduct()
	if !ok {
		return
	}
	s.u.confirmDelete(tr("catalogue.delete_product", "Delete product"),
		tr("catalogue.delete_product_q", "Delete «{{.Name}}» from the catalogue? Receipts keep its name.", map[string]any{"Name": p.Name}),
		func() {
			s.u.deleteWith(func(ctx context.Context) error { return s.u.deps.Catalogue.DeleteProduct(ctx, p.ID) }, s.load)
		})
}

// giftDialog adds or edits a gift (PU-06): its name and points cost.
type giftDialog struct {
	*editDialog
	s      *catalogueScreen
	gift   *app.Gift
	name   *widget.Entry
	points *widget.Entry
}

func (s *catalogueScreen) editGift(g *app.Gift) *giftDialog {
	d := &giftDialog{s: s, gift: g}
	title := tr("catalogue.new_gift", "New gift")
	if g != nil {
		title = tr("catalogue.edit_gift", "Gift: {{.Name}}", map[string]any{"Name": g.Name})
	}
	d.editDialog = newEditDialog(s.u, title, nil, d.save)
	d.name, d.points = widget.NewEntry(), widget.NewEntry()
	for _, e := range []*widget.Entry{d.name, d.points} {
		e.OnSubmitted = func(string) { d.save() }
	}
	d.points.SetPlaceHolder(tr("catalogue.gift_points_ph", "0 for a free gift"))
	if g != nil {
		d.name.SetText(g.Name)
		d.points.SetText(roublesInput(g.Points))
	}
	d.add(app.FieldName, fieldLabel(app.FieldName), d.name, d.name)
	d.add(app.FieldPoints, tr("catalogue.gift_points", "Points cost"), d.points, d.points)
	s.lastGift = d
	d.present(d.name)
	return d
}

func (d *giftDialog) save() {
	g := app.Gift{}
	if d.gift != nil {
		g = *d.gift
	}
	g.Name = d.name.Text
	pts, ok, fe := parseRoubles(d.points.Text, app.FieldPoints)
	if fe == nil && !ok {
		fe = &app.FieldError{Field: app.FieldPoints, Reason: app.ReasonRequired}
	}
	if fe != nil {
		d.showErrors(&app.ValidationError{Fields: []app.FieldError{*fe}})
		return
	}
	g.Points = pts
	d.run(func(ctx context.Context) error {
		_, err := d.s.u.deps.Catalogue.SaveGift(ctx, g)
		return err
	}, d.s.load)
}

func (s *catalogueScreen) deleteGift() {
	if s.selGift < 0 || s.selGift >= len(s.gifts) {
		return
	}
	g := s.gifts[s.selGift]
	s.u.confirmDelete(tr("catalogue.delete_gift", "Delete gift"),
		tr("catalogue.delete_gift_q", "Delete the gift «{{.Name}}»?", map[string]any{"Name": g.Name}),
		func() {
			s.u.deleteWith(func(ctx context.Context) error { return s.u.deps.Catalogue.DeleteGift(ctx, g.ID) }, s.load)
		})
}

// productImportDialog imports products from a CSV file (PU-01): the file is
// checked first (a dry run) and its report shown — rows, what would be
// created and updated, every rejected line with its reason — and only a
// clean file can then be imported. Work runs off the UI goroutine with a
// running bar.
type productImportDialog struct {
	s         *catalogueScreen
	path      string
	fileLbl   *widget.Label
	pickBtn   *widget.Button
	importBtn *widget.Button
	closeBtn  *widget.Button
	bar       *widget.ProgressBarInfinite
	status    *widget.Label
	summary   *widget.Label
	problems  []string
	list      *widget.List
	foot      *fyne.Container
	dlg       *dialog.CustomDialog
	running   bool
	ready     bool // the file was checked and is clean
	imported  bool
	last      app.ProductImportReport
}

func (s *catalogueScreen) showImport() *productImportDialog {
	d := &productImportDialog{s: s}
	d.fileLbl = widget.NewLabel(tr("catalogue.import_hint",
		"Choose a CSV file with a header row: name (Название), price (Цена), and optionally category (Категория; «Напитки/Кофе» makes a subcategory) and SKU (Артикул). Products are matched by SKU, then by name in their category."))
	d.fileLbl.Wrapping = fyne.TextWrapWord
	d.pickBtn = widget.NewButton(tr("import.choose", "Choose file…"), d.chooseFile)
	d.importBtn = widget.NewButton(tr("import.run", "Import"), func() { d.run(false) })
	d.importBtn.Importance = widget.HighImportance
	d.importBtn.Disable()
	d.closeBtn = widget.NewButton(tr("transfer.close", "Close"), func() { d.dlg.Hide() })
	d.bar = widget.NewProgressBarInfinite()
	d.bar.Stop()
	d.bar.Hide()
	d.status = widget.NewLabel("")
	d.status.Wrapping = fyne.TextWrapWord
	d.summary = widget.NewLabel("")
	d.summary.Wrapping = fyne.TextWrapWord
	d.list = problemList(&d.problems)
	d.foot = container.NewVBox(d.bar, d.status)
	head := container.NewVBox(container.NewBorder(nil, nil, d.pickBtn, nil, d.fileLbl), d.summary)
	body := container.NewBorder(head, d.foot, nil, nil, d.list)
	d.dlg = dialog.NewCustomWithoutButtons(tr("catalogue.import_title", "Import products"), body, s.u.win)
	d.dlg.SetButtons([]fyne.CanvasObject{d.closeBtn, d.importBtn})
	s.u.dialogKeys(d.dlg, func() {
		if !d.running {
			d.dlg.Hide()
		}
	}, func() {
		if !d.importBtn.Disabled() {
			d.run(false)
		}
	})
	d.dlg.Resize(fyne.NewSize(760, 520))
	d.dlg.Show()
	s.lastImport = d
	return d
}

func (d *productImportDialog) chooseFile() {
	fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		d.load(path)
	}, d.s.u.win)
	fd.SetFilter(storage.NewExtensionFileFilter([]string{".csv", ".txt", ".tsv", ".xlsx"}))
	fd.Resize(fyne.NewSize(800, 560))
	fd.Show()
}

// load takes a file and checks it (a dry run).
func (d *productImportDialog) load(path string) {
	if d.running {
		return
	}
	d.path, d.imported = path, false
	d.fileLbl.SetText(filepath.Base(path))
	d.run(true)
}

// run checks (dryRun) or imports the file off the UI goroutine.
func (d *productImportDialog) run(dryRun bool) {
	if d.running || d.path == "" || (!dryRun && (!d.ready || d.imported)) {
		return
	}
	d.running, d.ready = true, false
	d.pickBtn.Disable()
	d.importBtn.Disable()
	d.problems = nil
	d.list.Refresh()
	d.summary.SetText("")
	d.status.Importance = widget.MediumImportance
	if dryRun {
		d.status.SetText(tr("catalogue.import_checking", "Checking the file…"))
	} else {
		d.status.SetText(tr("catalogue.import_writing", "Importing products…"))
	}
	d.bar.Show()
	d.bar.Start()
	d.foot.Refresh()
	path, u := d.path, d.s.u
	u.async(func() {
		var rep app.ProductImportReport
		t, err := transfer.ReadFile(u.ctx(), path, transfer.ReadOptions{})
		if err == nil {
			rep, err = u.deps.Catalogue.ImportProducts(u.ctx(), t, dryRun)
		}
		fyne.Do(func() { d.finish(rep, err) })
	})
}

func (d *productImportDialog) finish(rep app.ProductImportReport, err error) {
	d.running = false
	d.bar.Stop()
	d.bar.Hide()
	d.foot.Refresh()
	d.pickBtn.Enable()
	if err != nil {
		d.status.Importance = widget.DangerImportance
		d.status.SetText(productImportErrorText(err))
		return
	}
	d.last = rep
	d.problems = make([]string, len(rep.Problems))
	for i, p := range rep.Problems {
		d.problems[i] = productProblemText(p)
	}
	d.list.Refresh()
	d.summary.SetText(productImportSummary(rep))
	switch {
	case len(rep.Problems) > 0:
		d.status.Importance = widget.DangerImportance
		d.status.SetText(tr("import.fix_rows", "Fix the rows below in the file and choose it again: nothing was written."))
	case rep.Written:
		d.imported = true
		d.status.Importance = widget.SuccessImportance
		d.status.SetText(tr("import.written", "Done."))
		d.s.load()
	default:
		d.ready = true
		d.importBtn.Enable()
		d.status.Importance = widget.SuccessImportance
		d.status.SetText(tr("import.check_ok", "Every row is fine; press Import to write them."))
	}
	d.status.Refresh()
}

// rejectedRows counts the lines of a report's problems.
func rejectedRows(ps []app.ImportProblem) int {
	lines := map[int]bool{}
	for _, p := range ps {
		lines[p.Line] = true
	}
	return len(lines)
}

// productImportSummary is one sentence of a product import's counts.
func productImportSummary(rep app.ProductImportReport) string {
	data := map[string]any{"Rows": rep.Rows, "Created": rep.Created, "Updated": rep.Updated,
		"Categories": rep.Categories, "Rejected": rejectedRows(rep.Problems)}
	switch {
	case rep.Written:
		return tr("catalogue.import_done", "Rows: {{.Rows}}. Products created: {{.Created}}, updated: {{.Updated}}; new categories: {{.Categories}}.", data)
	case len(rep.Problems) > 0:
		return tr("catalogue.import_rejected", "Rows: {{.Rows}}. Rejected: {{.Rejected}}, so nothing was written. The other rows would create {{.Created}} products and update {{.Updated}}.", data)
	}
	return tr("catalogue.import_dry", "Rows: {{.Rows}}. Would create {{.Created}} products, update {{.Updated}} and make {{.Categories}} categories. This was a check: nothing was written yet.", data)
}

// productProblemText is a rejected row's problem with its line and column.
func productProblemText(p app.ImportProblem) string {
	data := map[string]any{"Field": fieldLabel(p.Field), "Value": p.Value}
	var msg string
	switch {
	case p.Reason == app.ReasonDuplicate:
		msg = tr("catalogue.err_repeated", "{{.Field}}: «{{.Value}}» is already in an earlier row of the file", data)
	case p.Reason == app.ReasonAmbiguous:
		msg = tr("catalogue.err_ambiguous", "{{.Field}}: several products are called «{{.Value}}»; give the row their SKU", data)
	case p.Field == app.FieldPrice && p.Reason == app.ReasonBadValue:
		msg = tr("catalogue.err_price", "{{.Field}}: «{{.Value}}» is not a price, e.g. 250 or 1 500,50", data)
	default:
		msg = fieldMessage(p.FieldError)
	}
	data = map[string]any{"Line": p.Line, "Column": p.Column, "N": p.ColumnIndex, "Message": msg}
	if p.ColumnIndex > 0 && p.Column != "" {
		return tr("import.problem", "Line {{.Line}}, column «{{.Column}}»: {{.Message}}", data)
	}
	return tr("import.problem_row", "Line {{.Line}}: {{.Message}}", data)
}

// productImportErrorText explains why a file cannot be imported at all.
func productImportErrorText(err error) string {
	for _, fe := range app.FieldErrors(err) {
		if fe.Field == app.FieldColumn && fe.Reason == app.ReasonNotFound {
			label := fieldLabel(app.FieldName)
			if fe.Value == app.ProductColPrice {
				label = fieldLabel(app.FieldPrice)
			}
			return tr("catalogue.err_no_column", "The file has no column «{{.Field}}»: its header row needs one (Название or Name, Цена or Price)", map[string]any{"Field": label})
		}
	}
	return TransferErrorText(err)
}
