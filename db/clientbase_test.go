package db

// Tests of what a client carries beyond their row and of bulk changes
// (CL-02, CL-09, CL-10, CL-14, CL-15, CL-16, CL-19, GR-06) on a real file.

import (
	"context"
	"database/sql"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"loyaltydesk/app"
)

// CL-16: a client's totals read back as InsertClient wrote them, and an edit
// of the client leaves them alone.
func TestClientStatsAndRefs(t *testing.T) {
	path := tempPath(t)
	s := openAt(t, path)
	ctx := context.Background()
	node := s.NodeID()
	var group, class, status string
	err := s.Update(ctx, func(tx app.Tx) error {
		for kind, dst := range map[app.RefKind]*string{app.RefGroup: &group, app.RefClass: &class, app.RefStatus: &status} {
			*dst = app.NewID()
			if err := tx.InsertRef(ctx, kind, app.Ref{ID: *dst, Name: string(kind)}, testNow, node); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	c := testClient(node, "Анна", "Семёнова", "")
	c.BirthDate = app.Date{Year: 1990, Month: time.December, Day: 31}
	c.GroupID, c.ClassID, c.StatusID, c.DiscountBP = group, class, status, 750
	c.Stats = app.ClientStats{Visits: 12, Sold: 1_234_500, Paid: 1_200_000,
		FirstVisit: time.Date(2025, 1, 2, 3, 4, 5, 6e6, time.UTC), LastVisit: time.Date(2026, 3, 1, 18, 0, 0, 0, time.UTC)}
	insertClient(t, s, c)
	got, err := s.Client(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Stats != c.Stats || got.GroupID != group || got.ClassID != class || got.StatusID != status || got.DiscountBP != 750 {
		t.Errorf("stored client = %+v", got)
	}
	var md int
	if err := rawDB(t, path).QueryRow(`SELECT birth_md FROM clients WHERE id = ?`, c.ID).Scan(&md); err != nil || md != 1231 {
		t.Errorf("birth_md = %d, %v", md, err)
	}

	upd := got
	upd.Stats = app.ClientStats{} // an edit never carries totals
	upd.BirthDate = app.Date{Year: 1990, Month: time.February, Day: 1}
	upd.ClassID, upd.DiscountBP = "", 0
	if err := s.Update(ctx, func(tx app.Tx) error { return tx.UpdateClient(ctx, upd) }); err != nil {
		t.Fatal(err)
	}
	got, err = s.Client(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Stats != c.Stats || got.ClassID != "" || got.DiscountBP != 0 {
		t.Errorf("after an edit: stats %+v, class %q, discount %d", got.Stats, got.ClassID, got.DiscountBP)
	}
	var birthMD sql.NullInt64
	if err := rawDB(t, path).QueryRow(`SELECT birth_md FROM clients WHERE id = ?`, c.ID).Scan(&birthMD); err != nil || birthMD.Int64 != 201 {
		t.Errorf("birth_md after an edit = %v, %v", birthMD, err)
	}
	upd.BirthDate = app.Date{}
	if err := s.Update(ctx, func(tx app.Tx) error { return tx.UpdateClient(ctx, upd) }); err != nil {
		t.Fatal(err)
	}
	if err := rawDB(t, path).QueryRow(`SELECT birth_md FROM clients WHERE id = ?`, c.ID).Scan(&birthMD); err != nil || birthMD.Valid {
		t.Errorf("birth_md without a birth date = %v, %v", birthMD, err)
	}

	// Names are unique among the live records of a kind.
	err = s.Update(ctx, func(tx app.Tx) error {
		return tx.InsertRef(ctx, app.RefClass, app.Ref{ID: app.NewID(), Name: string(app.RefClass)}, testNow, node)
	})
	if !errors.Is(err, app.ErrConflict) {
		t.Errorf("second class of a name: %v", err)
	}
	err = s.Update(ctx, func(tx app.Tx) error {
		return tx.InsertRef(ctx, "shelf", app.Ref{ID: app.NewID(), Name: "x"}, testNow, node)
	})
	if !errors.Is(err, app.ErrInvalid) {
		t.Errorf("unknown ref kind: %v", err)
	}
}

// CL-02, CL-10, CL-19: contacts, variables and referrals.
func TestContactsVariablesReferrals(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	node := s.NodeID()
	anna := testClient(node, "Анна", "Семёнова", "+79161234567")
	anna.Email = "anna@mail.ru"
	boris := testClient(node, "Борис", "Орлов", "+79031112233")
	gone := testClient(node, "Вера", "Удалённая", "")
	for _, c := range []app.Client{anna, boris, gone} {
		insertClient(t, s, c)
	}
	at := testNow.Add(time.Hour)
	work := app.Contact{ID: app.NewID(), ClientID: boris.ID, Kind: app.ContactPhone, Value: "+79161234567", Label: "рабочий",
		CreatedAt: at, UpdatedAt: at, NodeID: node}
	mail := app.Contact{ID: app.NewID(), ClientID: boris.ID, Kind: app.ContactEmail, Value: "boris@work.ru",
		CreatedAt: at.Add(time.Second), UpdatedAt: at.Add(time.Second), NodeID: node}
	tg := app.Contact{ID: app.NewID(), ClientID: gone.ID, Kind: app.ContactSocial, Value: "https://t.me/vera",
		CreatedAt: at, UpdatedAt: at, NodeID: node}
	err := s.Update(ctx, func(tx app.Tx) error {
		for _, c := range []app.Contact{work, mail, tg} {
			if err := tx.InsertContact(ctx, c); err != nil {
				return err
			}
		}
		if err := tx.SetReferrer(ctx, boris.ID, anna.ID, at, node); err != nil {
			return err
		}
		if err := tx.SetReferrer(ctx, gone.ID, anna.ID, at.Add(time.Minute), node); err != nil {
			return err
		}
		return tx.DeleteClient(ctx, gone.ID, at, node)
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Client(ctx, boris.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Contacts, []app.Contact{work, mail}) || got.ReferrerID != anna.ID {
		t.Errorf("contacts %+v, referrer %q", got.Contacts, got.ReferrerID)
	}
	for _, tc := range []struct {
		kind  app.ContactKind
		value string
		want  []string
	}{
		{app.ContactPhone, "+79161234567", sortedIDs(anna.ID, boris.ID)}, // a main phone and a further one
		{app.ContactPhone, "+79031112233", []string{boris.ID}},
		{app.ContactEmail, "anna@mail.ru", []string{anna.ID}},
		{app.ContactEmail, "boris@work.ru", []string{boris.ID}},
		{app.ContactSocial, "https://t.me/vera", nil}, // its client is deleted
		{app.ContactPhone, "", nil},
	} {
		if ids, err := s.ClientIDsByContact(ctx, tc.kind, tc.value); err != nil || !slices.Equal(ids, tc.want) {
			t.Errorf("ClientIDsByContact(%s, %q) = %v, %v; want %v", tc.kind, tc.value, ids, err, tc.want)
		}
	}
	if _, err := s.ClientIDsByContact(ctx, "fax", "1"); !errors.Is(err, app.ErrInvalid) {
		t.Errorf("unknown contact kind: %v", err)
	}
	err = s.Update(ctx, func(tx app.Tx) error { return tx.DeleteContact(ctx, boris.ID, work.ID, at, node) })
	if err != nil {
		t.Fatal(err)
	}
	if ids, _ := s.ClientIDsByContact(ctx, app.ContactPhone, "+79161234567"); !slices.Equal(ids, []string{anna.ID}) {
		t.Errorf("after deleting the contact: %v", ids)
	}
	for _, del := range []func(tx app.Tx) error{
		func(tx app.Tx) error { return tx.DeleteContact(ctx, boris.ID, work.ID, at, node) },  // again
		func(tx app.Tx) error { return tx.DeleteContact(ctx, anna.ID, mail.ID, at, node) },   // someone else's
		func(tx app.Tx) error { return tx.DeleteVariable(ctx, anna.ID, "размер", at, node) }, // none
		func(tx app.Tx) error { return tx.SetReferrer(ctx, gone.ID, anna.ID, at, node) },     // deleted client
	} {
		if err := s.Update(ctx, del); !errors.Is(err, app.ErrNotFound) {
			t.Errorf("change of a missing row: %v", err)
		}
	}
	if err := s.Update(ctx, func(tx app.Tx) error { return tx.SetReferrer(ctx, anna.ID, anna.ID, at, node) }); !errors.Is(err, app.ErrInvalid) {
		t.Errorf("a client referring themselves: %v", err)
	}

	// Variables: set, replace keeping the id, delete, set again.
	v := app.Variable{ID: app.NewID(), ClientID: anna.ID, Name: "размер", Value: "M", CreatedAt: at, UpdatedAt: at, NodeID: node}
	later := at.Add(time.Hour)
	err = s.Update(ctx, func(tx app.Tx) error {
		if err := tx.SetVariable(ctx, v); err != nil {
			return err
		}
		return tx.SetVariable(ctx, app.Variable{ID: app.NewID(), ClientID: anna.ID, Name: "размер", Value: "L",
			CreatedAt: later, UpdatedAt: later, NodeID: node})
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err = s.Client(ctx, anna.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := v
	want.Value, want.UpdatedAt = "L", later
	if !reflect.DeepEqual(got.Variables, []app.Variable{want}) {
		t.Errorf("variables %+v, want %+v", got.Variables, want)
	}
	if got.Referred != 1 {
		t.Errorf("Referred = %d, want 1 (the deleted client does not count)", got.Referred)
	}
	err = s.Update(ctx, func(tx app.Tx) error {
		if err := tx.DeleteVariable(ctx, anna.ID, "размер", later, node); err != nil {
			return err
		}
		return tx.SetVariable(ctx, app.Variable{ID: app.NewID(), ClientID: anna.ID, Name: "размер", Value: "S",
			CreatedAt: later, UpdatedAt: later, NodeID: node})
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Client(ctx, anna.ID); len(got.Variables) != 1 || got.Variables[0].Value != "S" || got.Variables[0].ID == v.ID {
		t.Errorf("variable set after deleting: %+v", got.Variables)
	}

	// Referrals: newest first, deleted ones left out, limited.
	carl := testClient(node, "Карл", "Новый", "")
	carl.ReferrerID, carl.CreatedAt, carl.UpdatedAt = anna.ID, testNow.Add(time.Hour), testNow.Add(time.Hour)
	insertClient(t, s, carl)
	refs, err := s.Referrals(ctx, anna.ID, 0)
	if err != nil || !slices.Equal(idsOf(refs), []string{carl.ID, boris.ID}) {
		t.Errorf("Referrals = %v, %v; want Карл, Борис", idsOf(refs), err)
	}
	if refs, err := s.Referrals(ctx, anna.ID, 1); err != nil || len(refs) != 1 || refs[0].ID != carl.ID {
		t.Errorf("Referrals(limit 1) = %v, %v", idsOf(refs), err)
	}
}

func sortedIDs(ids ...string) []string {
	slices.Sort(ids)
	return ids
}

// CL-09, GR-06: tags and categories on the card, in the list's extras and in
// the directory.
func TestTagsCategoriesDirectory(t *testing.T) {
	f := newBaseFixture(t)
	s := f.s
	ctx := context.Background()
	node := s.NodeID()
	err := s.Update(ctx, func(tx app.Tx) error {
		for i, c := range f.clients[:3] {
			if err := tx.SetVariable(ctx, app.Variable{ID: app.NewID(), ClientID: c.ID, Name: []string{"б", "а", "б"}[i],
				Value: "v", CreatedAt: testNow, UpdatedAt: testNow, NodeID: node}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.Directory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	names := func(refs []app.Ref) []string {
		var out []string
		for _, r := range refs {
			out = append(out, r.Name)
		}
		return out
	}
	for what, tc := range map[string]struct{ got, want []string }{
		"groups":     {names(d.Groups), []string{"VIP", "Гости"}},
		"classes":    {names(d.Classes), []string{"Бронза", "Золото"}},
		"statuses":   {names(d.Statuses), nil},
		"categories": {names(d.Categories), []string{"Кофеманы"}}, // Сладкоежки is deleted
		"tags":       {names(d.Tags), []string{"веган", "из Instagram"}},
		"variables":  {d.Variables, []string{"а", "б"}},
	} {
		if !slices.Equal(tc.got, tc.want) {
			t.Errorf("Directory %s = %v, want %v", what, tc.got, tc.want)
		}
	}
	if tag, err := s.TagByName(ctx, "веган"); err != nil || tag.ID != f.tags[0] || !tag.CreatedAt.Equal(testNow) || tag.NodeID != node {
		t.Errorf("TagByName(веган) = %+v, %v", tag, err)
	}
	if _, err := s.TagByName(ctx, "старый"); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("TagByName of a deleted tag: %v", err)
	}
	err = s.Update(ctx, func(tx app.Tx) error {
		return tx.InsertTag(ctx, app.Tag{ID: app.NewID(), Name: "веган", CreatedAt: testNow, UpdatedAt: testNow, NodeID: node})
	})
	if !errors.Is(err, app.ErrConflict) {
		t.Errorf("a second live tag of a name: %v", err)
	}

	ids := idsOf(f.clients)
	extras, err := s.ClientExtras(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range f.clients {
		var want app.Extras
		for _, tag := range []int{0, 1} { // by name: веган, из Instagram; not the deleted one
			if f.tagged[f.tags[tag]][c.ID] {
				want.Tags = append(want.Tags, []string{"веган", "из Instagram"}[tag])
			}
		}
		if f.members[f.cats[0]][c.ID] {
			want.CategoryIDs = []string{f.cats[0]}
		}
		if i < 3 {
			want.Variables = map[string]string{[]string{"б", "а", "б"}[i]: "v"}
		}
		got, ok := extras[c.ID]
		if ok != (want.Tags != nil || want.CategoryIDs != nil || want.Variables != nil) || !reflect.DeepEqual(got, want) {
			t.Errorf("extras of %s = %+v (%v), want %+v", c.ID, got, ok, want)
		}
		if i > 10 {
			continue
		}
		card, err := s.Client(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var tagNames []string
		for _, tag := range card.Tags {
			tagNames = append(tagNames, tag.Name)
		}
		if !slices.Equal(tagNames, want.Tags) || !slices.Equal(card.CategoryIDs, want.CategoryIDs) {
			t.Errorf("card of %s: tags %v, categories %v; want %v, %v", c.ID, tagNames, card.CategoryIDs, want.Tags, want.CategoryIDs)
		}
	}
	if e, err := s.ClientExtras(ctx, nil); err != nil || len(e) != 0 {
		t.Errorf("ClientExtras(nil) = %v, %v", e, err)
	}
	// Adding to a category twice changes nothing.
	c := f.clients[0]
	err = s.Update(ctx, func(tx app.Tx) error {
		if err := tx.AddToCategory(ctx, c.ID, f.cats[0], testNow, node); err != nil {
			return err
		}
		return tx.AddToCategory(ctx, c.ID, f.cats[0], testNow, node)
	})
	if card, _ := s.Client(ctx, c.ID); err != nil || !slices.Equal(card.CategoryIDs, []string{f.cats[0]}) {
		t.Errorf("after adding twice: %v, %v", card.CategoryIDs, err)
	}
}

// CL-15: bulk changes of a filter, a search and a checked set count the
// clients they changed and stamp them.
func TestBulkChanges(t *testing.T) {
	f := newBaseFixture(t)
	s := f.s
	ctx := context.Background()
	node := "other-node"
	at := testNow.Add(48 * time.Hour)
	yes, no := true, false
	vip := f.groups[1]
	run := func(fn func(tx app.Tx) (int, error)) int {
		t.Helper()
		var n int
		if err := s.Update(ctx, func(tx app.Tx) error {
			var err error
			n, err = fn(tx)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return n
	}
	stamped := func(ids []string) {
		t.Helper()
		for _, id := range ids {
			c, err := s.Client(ctx, id)
			if err != nil || !c.UpdatedAt.Equal(at) || c.NodeID != node {
				t.Errorf("client %s: updated %v by %q (%v)", id, c.UpdatedAt, c.NodeID, err)
			}
		}
	}

	// A filter: the women who are not favorites yet become favorites.
	women := app.ClientSelect{Filter: app.ClientFilter{Gender: app.GenderIsFemale}, Today: baseToday}
	wantWomen := f.want(women)
	notYet := f.want(app.ClientSelect{Filter: app.ClientFilter{Gender: app.GenderIsFemale, Favorite: app.No}, Today: baseToday})
	if n := run(func(tx app.Tx) (int, error) {
		return tx.UpdateClients(ctx, women, app.ClientChange{Favorite: &yes}, at, node)
	}); n != len(notYet) || n == 0 {
		t.Errorf("UpdateClients(women, favorite) = %d, want %d", n, len(notYet))
	}
	stamped(notYet)
	if got := f.want(app.ClientSelect{}); len(got) == 0 {
		t.Fatal("no clients")
	}
	if n, _ := s.CountClients(ctx, app.ClientSelect{Filter: app.ClientFilter{Gender: app.GenderIsFemale, Favorite: app.Yes}}); n != len(wantWomen) {
		t.Errorf("%d favourite women, want %d", n, len(wantWomen))
	}
	// Again: nothing changes.
	if n := run(func(tx app.Tx) (int, error) {
		return tx.UpdateClients(ctx, women, app.ClientChange{Favorite: &yes}, at, node)
	}); n != 0 {
		t.Errorf("repeated UpdateClients = %d, want 0", n)
	}

	// A checked set: move to a group, block with a reason; the deleted client stays out.
	checked := []string{f.clients[1].ID, f.clients[2].ID, f.deleted.ID}
	reason := "проверка"
	if n := run(func(tx app.Tx) (int, error) {
		return tx.UpdateClients(ctx, app.ClientSelect{IDs: checked}, app.ClientChange{GroupID: &vip, Blocked: &yes, BlockReason: &reason}, at, node)
	}); n != 2 {
		t.Errorf("UpdateClients(checked) = %d, want 2", n)
	}
	for _, id := range checked[:2] {
		if c, _ := s.Client(ctx, id); c.GroupID != vip || !c.Blocked || c.BlockReason != reason {
			t.Errorf("client %s after the change: %+v", id, c)
		}
	}
	// Clearing the group of a search's matches.
	none := ""
	search := app.ClientSelect{Keys: app.NormalizeSearch("ив", "RU"), Filter: app.ClientFilter{GroupID: vip}}
	inSearch := f.wantAfter(t, search)
	if n := run(func(tx app.Tx) (int, error) {
		return tx.UpdateClients(ctx, search, app.ClientChange{GroupID: &none}, at, node)
	}); n != len(inSearch) {
		t.Errorf("UpdateClients(search) = %d, want %d", n, len(inSearch))
	}
	if n, _ := s.CountClients(ctx, search); n != 0 {
		t.Errorf("%d matches still in VIP", n)
	}
	// The whole base: unsubscribe from e-mail.
	subscribed, _ := s.CountClients(ctx, app.ClientSelect{Filter: app.ClientFilter{Email: app.Yes}})
	if n := run(func(tx app.Tx) (int, error) {
		return tx.UpdateClients(ctx, app.ClientSelect{}, app.ClientChange{Email: &no, SMS: nil}, at, node)
	}); n != subscribed || n == 0 {
		t.Errorf("UpdateClients(everyone) = %d, want %d", n, subscribed)
	}
	if n, _ := s.CountClients(ctx, app.ClientSelect{Filter: app.ClientFilter{Email: app.Yes}}); n != 0 {
		t.Errorf("%d still subscribed", n)
	}
	if n := run(func(tx app.Tx) (int, error) {
		return tx.UpdateClients(ctx, app.ClientSelect{}, app.ClientChange{}, at, node)
	}); n != 0 {
		t.Errorf("an empty change changed %d", n)
	}
	if n := run(func(tx app.Tx) (int, error) {
		return tx.UpdateClients(ctx, app.ClientSelect{IDs: []string{}}, app.ClientChange{Email: &yes}, at, node)
	}); n != 0 {
		t.Errorf("an empty checked set changed %d", n)
	}

	// Tags on a filter and on a checked set.
	tag := f.tags[0]
	males := app.ClientSelect{Filter: app.ClientFilter{Gender: app.GenderIsMale}}
	var untagged int
	for _, id := range f.want(males) {
		if !f.tagged[tag][id] {
			untagged++
		}
	}
	if n := run(func(tx app.Tx) (int, error) { return tx.TagClients(ctx, males, tag, at, node) }); n != untagged || n == 0 {
		t.Errorf("TagClients(men) = %d, want %d", n, untagged)
	}
	if n := run(func(tx app.Tx) (int, error) { return tx.TagClients(ctx, males, tag, at, node) }); n != 0 {
		t.Errorf("TagClients again = %d, want 0", n)
	}
	withTagAndMale, _ := s.CountClients(ctx, app.ClientSelect{Filter: app.ClientFilter{Gender: app.GenderIsMale, TagID: tag}})
	if withTagAndMale != len(f.want(males)) {
		t.Errorf("%d men with the tag, want %d", withTagAndMale, len(f.want(males)))
	}
	if n := run(func(tx app.Tx) (int, error) { return tx.UntagClients(ctx, males, tag, at, node) }); n != withTagAndMale {
		t.Errorf("UntagClients(men) = %d, want %d", n, withTagAndMale)
	}
	one := app.ClientSelect{IDs: []string{f.clients[5].ID}}
	wantOne := 1
	if f.tagged[f.tags[1]][f.clients[5].ID] {
		wantOne = 0
	}
	if n := run(func(tx app.Tx) (int, error) { return tx.TagClients(ctx, one, f.tags[1], at, node) }); n != wantOne {
		t.Errorf("TagClients(one) = %d, want %d", n, wantOne)
	}
	for _, fn := range []func(tx app.Tx) error{
		func(tx app.Tx) error { _, err := tx.TagClients(ctx, one, f.tags[2], at, node); return err }, // deleted
		func(tx app.Tx) error { _, err := tx.UntagClients(ctx, one, "no-such-tag", at, node); return err },
	} {
		if err := s.Update(ctx, fn); !errors.Is(err, app.ErrNotFound) {
			t.Errorf("a missing tag: %v", err)
		}
	}
}

// wantAfter reads the current ids of sel from the store (after changes the
// fixture's model does not follow).
func (f *baseFixture) wantAfter(t *testing.T, sel app.ClientSelect) []string {
	t.Helper()
	cs, err := f.s.SearchClients(context.Background(), sel, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return idsOf(cs)
}

// CL-14: saved segments read back after closing and reopening the store;
// names are unique among live ones.
func TestSegmentsRoundTrip(t *testing.T) {
	path := tempPath(t)
	s := openAt(t, path)
	ctx := context.Background()
	node := s.NodeID()
	q := app.SegmentQuery{
		Text: "Иван",
		Filter: app.ClientFilter{
			Gender: app.GenderIsFemale, AgeFrom: ptr(18), AgeTo: ptr(35), SoldFrom: ptr[int64](100_000),
			LastVisitFrom: app.Date{Year: 2026, Month: time.January, Day: 1}, GroupID: app.NoneID,
			BirthdayFrom: 1220, BirthdayTo: 110, SMS: app.Yes, Blocked: app.No,
		},
		Sort: app.SortSold, Desc: true,
	}
	seg := app.Segment{ID: app.NewID(), Name: "Молодые без группы", Query: q, CreatedAt: testNow, UpdatedAt: testNow, NodeID: node}
	other := app.Segment{ID: app.NewID(), Name: "Все", CreatedAt: testNow, UpdatedAt: testNow, NodeID: node}
	save := func(s *Store, seg app.Segment) error {
		return s.Update(ctx, func(tx app.Tx) error { return tx.SaveSegment(ctx, seg) })
	}
	for _, sg := range []app.Segment{seg, other} {
		if err := save(s, sg); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	s = openAt(t, path)
	got, err := s.Segments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, []app.Segment{other, seg}) {
		t.Errorf("Segments after reopening =\n%+v\nwant\n%+v", got, []app.Segment{other, seg})
	}
	// Replacing: a new query and name, the same id and created time.
	seg2 := seg
	seg2.Name, seg2.Query, seg2.UpdatedAt = "Переименован", app.SegmentQuery{Filter: app.ClientFilter{Favorite: app.Yes}}, testNow.Add(time.Hour)
	seg2.CreatedAt = testNow.Add(time.Hour) // ignored: the row keeps its own
	if err := save(s, seg2); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Segments(ctx)
	want := seg2
	want.CreatedAt = testNow
	if len(got) != 2 || !reflect.DeepEqual(got[1], want) {
		t.Errorf("after replacing: %+v", got)
	}
	dup := app.Segment{ID: app.NewID(), Name: "Все", CreatedAt: testNow, UpdatedAt: testNow, NodeID: node}
	if err := save(s, dup); !errors.Is(err, app.ErrConflict) {
		t.Errorf("a second live segment named Все: %v", err)
	}
	if err := s.Update(ctx, func(tx app.Tx) error { return tx.DeleteSegment(ctx, other.ID, testNow, node) }); err != nil {
		t.Fatal(err)
	}
	if err := save(s, dup); err != nil {
		t.Errorf("the name of a deleted segment is free again: %v", err)
	}
	if err := save(s, other); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("saving a deleted segment: %v", err)
	}
	if err := s.Update(ctx, func(tx app.Tx) error { return tx.DeleteSegment(ctx, other.ID, testNow, node) }); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("deleting twice: %v", err)
	}
	if got, _ := s.Segments(ctx); len(got) != 2 || got[0].ID != dup.ID {
		t.Errorf("segments at the end: %+v", got)
	}
}
