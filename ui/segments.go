package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"loyaltydesk/app"
)

// sidebarWidth is the width of the segments sidebar.
const sidebarWidth = 200

// Kinds of sidebar entries.
const (
	sideHeader = iota
	sideAll
	sideFavorites
	sideSegment
	sideGroup
	sideNone // "nothing saved yet"
)

type sideItem struct {
	kind  int
	label string
	seg   app.Segment
	group app.Ref
}

// sidebar lists the ready-made lists left of the client list: all clients,
// favorites, the saved segments (CL-14) and the client groups (GR-01).
// Choosing one shows its clients.
type sidebar struct {
	s        *clientsScreen
	content  fyne.CanvasObject
	list     *widget.List
	items    []sideItem
	segs     []app.Segment
	groups   []app.Ref
	selected int
	// lastSegment is the segment chosen last, the name a save suggests.
	lastSegment *app.Segment
	delBtn      *widget.Button
}

func newSidebar(s *clientsScreen) *sidebar {
	b := &sidebar{s: s, selected: -1}
	b.list = widget.NewList(
		func() int { return len(b.items) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			it := b.items[id]
			l.TextStyle = fyne.TextStyle{Bold: it.kind == sideHeader, Italic: it.kind == sideNone}
			l.SizeName = theme.SizeNameText
			l.Importance = widget.MediumImportance
			switch it.kind {
			case sideHeader:
				l.SizeName = theme.SizeNameCaptionText
				l.Importance = widget.HighImportance
			case sideNone:
				l.Importance = widget.LowImportance
			}
			l.SetText(it.label)
		})
	b.list.OnSelected = b.chosen
	b.delBtn = widget.NewButtonWithIcon(tr("segment.delete", "Delete segment"), theme.DeleteIcon(), b.confirmDelete)
	b.delBtn.Disable()
	b.build()
	b.selectQuietly(0) // the list starts with all clients
	width := canvas.NewRectangle(nil)
	width.SetMinSize(fyne.NewSize(sidebarWidth, 0))
	b.content = container.NewBorder(nil, nil, nil, widget.NewSeparator(),
		container.NewStack(width, container.NewBorder(nil, b.delBtn, nil, nil, b.list)))
	return b
}

// build lays the entries out again from the segments and groups.
func (b *sidebar) build() {
	b.items = []sideItem{
		{kind: sideAll, label: tr("segment.all", "All clients")},
		{kind: sideFavorites, label: tr("segment.favorites", "Favorites")},
		{kind: sideHeader, label: tr("segment.segments", "Segments")},
	}
	for _, seg := range b.segs {
		b.items = append(b.items, sideItem{kind: sideSegment, label: seg.Name, seg: seg})
	}
	if len(b.segs) == 0 {
		b.items = append(b.items, sideItem{kind: sideNone, label: tr("segment.none", "none saved yet")})
	}
	b.items = append(b.items, sideItem{kind: sideHeader, label: tr("segment.groups", "Groups")})
	for _, g := range b.groups {
		b.items = append(b.items, sideItem{kind: sideGroup, label: g.Name, group: g})
	}
	if len(b.groups) == 0 {
		b.items = append(b.items, sideItem{kind: sideNone, label: tr("segment.no_groups", "no groups yet")})
	}
	b.list.Refresh()
}

func (b *sidebar) setSegments(segs []app.Segment) {
	b.segs = segs
	b.build()
}

func (b *sidebar) setGroups(groups []app.Ref) {
	b.groups = groups
	b.build()
}

// chosen shows the entry's clients; headers are not chosen.
func (b *sidebar) chosen(id widget.ListItemID) {
	if id < 0 || id >= len(b.items) {
		return
	}
	it := b.items[id]
	if it.kind == sideHeader || it.kind == sideNone {
		b.list.Unselect(id)
		return
	}
	b.selected = id
	b.delBtn.Disable()
	s := b.s
	q := app.SegmentQuery{Sort: s.sort, Desc: s.desc}
	switch it.kind {
	case sideFavorites:
		q.Filter.Favorite = app.Yes
	case sideGroup:
		q.Filter.GroupID = it.group.ID
	case sideSegment:
		seg := it.seg
		b.lastSegment = &seg
		q = seg.Query
		b.delBtn.Enable()
	}
	s.apply(q)
}

// unselect drops the choice once the user changes the list by hand; the
// segment stays the name a save suggests.
func (b *sidebar) unselect() {
	if b.selected < 0 {
		return
	}
	b.selected = -1
	b.list.UnselectAll()
	b.delBtn.Disable()
}

// selectSegment marks the segment with id as chosen, without applying it.
func (b *sidebar) selectSegment(id string) {
	for i, it := range b.items {
		if it.kind == sideSegment && it.seg.ID == id {
			seg := it.seg
			b.lastSegment = &seg
			b.selectQuietly(i)
			b.delBtn.Enable()
		}
	}
}

// selectQuietly marks entry i as chosen without applying it.
func (b *sidebar) selectQuietly(i int) {
	cb := b.list.OnSelected
	b.list.OnSelected = nil
	b.list.Select(i)
	b.list.OnSelected = cb
	b.selected = i
}

// reloadSegments reads the saved segments again and marks selectID.
func (b *sidebar) reloadSegments(selectID string) {
	u := b.s.u
	u.async(func() {
		segs, err := u.deps.Clients.Segments(u.ctx())
		fyne.Do(func() {
			if err != nil {
				b.s.status.SetText(errorMessage(err))
				return
			}
			b.unselect()
			b.setSegments(segs)
			if selectID != "" {
				b.selectSegment(selectID)
			}
		})
	})
}

func (b *sidebar) confirmDelete() {
	if b.selected < 0 || b.items[b.selected].kind != sideSegment {
		return
	}
	seg := b.items[b.selected].seg
	u := b.s.u
	dialog.ShowConfirm(tr("segment.delete", "Delete segment"),
		tr("segment.delete_confirm", "Delete the segment «{{.Name}}»? The clients stay.", map[string]any{"Name": seg.Name}),
		func(ok bool) {
			if ok {
				b.delete(seg)
			}
		}, u.win)
}

func (b *sidebar) delete(seg app.Segment) {
	u := b.s.u
	u.async(func() {
		err := u.deps.Clients.DeleteSegment(u.ctx(), seg.ID)
		fyne.Do(func() {
			if err != nil {
				u.showError(err)
				return
			}
			if b.lastSegment != nil && b.lastSegment.ID == seg.ID {
				b.lastSegment = nil
			}
			b.s.status.SetText(tr("segment.deleted", "Segment deleted: {{.Name}}", map[string]any{"Name": seg.Name}))
			b.reloadSegments("")
		})
	})
}

// segmentDialog asks for the name to save the list's query under.
type segmentDialog struct {
	s      *clientsScreen
	name   *widget.Entry
	errLbl *widget.Label
	save   *widget.Button
	dlg    *dialog.CustomDialog
	open   bool
}

// showSaveSegment saves the search text, filter and order as a named segment;
// a segment of the same name is replaced.
func (s *clientsScreen) showSaveSegment() *segmentDialog {
	if s.filters.dirty {
		flt, err := s.filters.read()
		if err != nil {
			s.filters.showError(err)
			return nil
		}
		s.filters.dirty = false
		s.filter = flt
		s.reload()
	}
	d := &segmentDialog{s: s}
	d.name = widget.NewEntry()
	d.name.SetPlaceHolder(tr("segment.name_ph", "e.g. Regulars without a visit in a month"))
	if seg := s.side.lastSegment; seg != nil {
		d.name.SetText(seg.Name)
	}
	d.name.OnSubmitted = func(string) { d.submit() }
	d.errLbl = pageErrLabel()
	hint := widget.NewLabel(tr("segment.save_hint", "The segment keeps the search text, the filter and the order. A segment with the same name is replaced."))
	hint.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(widget.NewFormItem(fieldLabel(app.FieldName), container.NewVBox(d.name, d.errLbl)))
	cancel := widget.NewButton(tr("dialog.cancel", "Cancel"), func() { d.dlg.Hide() })
	d.save = widget.NewButton(tr("dialog.save", "Save"), d.submit)
	d.save.Importance = widget.HighImportance
	d.dlg = dialog.NewCustomWithoutButtons(tr("segment.save_title", "Save segment"), container.NewVBox(hint, form), s.u.win)
	d.dlg.SetButtons([]fyne.CanvasObject{cancel, d.save})
	d.dlg.SetOnClosed(func() { d.open = false })
	d.dlg.Resize(fyne.NewSize(480, 0))
	d.open = true
	d.dlg.Show()
	s.u.win.Canvas().Focus(d.name)
	s.lastSave = d
	return d
}

func (d *segmentDialog) submit() {
	s := d.s
	name, q := d.name.Text, s.segmentQuery()
	d.save.Disable()
	s.u.async(func() {
		seg, err := s.u.deps.Clients.SaveSegment(s.u.ctx(), name, q)
		fyne.Do(func() {
			d.save.Enable()
			if err != nil {
				d.errLbl.SetText(errorMessage(err))
				d.errLbl.Show()
				return
			}
			d.dlg.Hide()
			s.status.SetText(tr("segment.saved", "Segment saved: {{.Name}}", map[string]any{"Name": seg.Name}))
			s.side.reloadSegments(seg.ID)
		})
	})
}
