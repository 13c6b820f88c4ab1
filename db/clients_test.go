package db

// Tests of the client queries (CL-01, CL-03, CL-13) against a real file.

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"loyaltydesk/app"
)

// CL-01: every field the store keeps reads back as written.
func TestClientRoundTrip(t *testing.T) {
	path := tempPath(t)
	s := openAt(t, path)
	ctx := context.Background()
	referrer := testClient(s.NodeID(), "Вера", "Старая", "")
	insertClient(t, s, referrer)

	at := time.Date(2026, 3, 15, 13, 45, 6, 789_000_000, time.FixedZone("MSK", 3*3600))
	c := app.Client{
		ID: app.NewID(), FirstName: "Анна", LastName: "Семёнова", Patronymic: "Петровна",
		Phone: "+79161234567", Email: "anna@mail.ru", Gender: app.GenderFemale,
		BirthDate: app.Date{Year: 1990, Month: time.March, Day: 5}, ExternalID: "POS-1", Note: "многострочная\nзаметка",
		Blocked: true, BlockReason: "долг", Favorite: true, SMSSubscribed: true, EmailSubscribed: true,
		ReferrerID: referrer.ID, CreatedAt: at, UpdatedAt: at.Add(time.Second), NodeID: s.NodeID(),
	}
	card := testIdentifier(c.ID, s.NodeID(), app.MediaCard, app.InputBarcode, "CARD-1")
	card.CreatedAt, card.UpdatedAt = at, at
	phone := testIdentifier(c.ID, s.NodeID(), app.MediaPhone, app.InputPhone, c.Phone)
	phone.CreatedAt, phone.UpdatedAt = at.Add(time.Minute), at.Add(time.Minute)
	if err := s.Update(ctx, func(tx app.Tx) error {
		if err := tx.InsertClient(ctx, c); err != nil {
			return err
		}
		if err := tx.InsertIdentifier(ctx, phone); err != nil {
			return err
		}
		return tx.InsertIdentifier(ctx, card)
	}); err != nil {
		t.Fatal(err)
	}

	got, err := s.Client(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := c
	want.CreatedAt, want.UpdatedAt = at.UTC(), at.Add(time.Second).UTC()
	card.CreatedAt, card.UpdatedAt = at.UTC(), at.UTC()
	phone.CreatedAt, phone.UpdatedAt = at.Add(time.Minute).UTC(), at.Add(time.Minute).UTC()
	want.Identifiers = []app.Identifier{card, phone} // in creation order
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Client:\n got %+v\nwant %+v", got, want)
	}

	// Times are stored as UTC text with milliseconds, dates as ISO, keys derived.
	var created, birth, nameKey, fnameKey, phoneRev string
	if err := rawDB(t, path).QueryRow(`SELECT created_at, birth_date, name_key, fname_key, phone_rev FROM clients WHERE id = ?`, c.ID).
		Scan(&created, &birth, &nameKey, &fnameKey, &phoneRev); err != nil {
		t.Fatal(err)
	}
	if created != "2026-03-15T10:45:06.789Z" || birth != "1990-03-05" || nameKey != "семенова анна петровна" ||
		fnameKey != "анна семенова" || phoneRev != "76543216197" {
		t.Errorf("stored columns: %s %s %q %q %s", created, birth, nameKey, fnameKey, phoneRev)
	}

	// A client with no optional data stores NULLs and reads back zero values.
	bare := testClient(s.NodeID(), "Борис", "", "")
	insertClient(t, s, bare)
	gotBare, err := s.Client(ctx, bare.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !gotBare.BirthDate.IsZero() || gotBare.ReferrerID != "" || gotBare.GroupID != "" || gotBare.Identifiers != nil {
		t.Errorf("bare client = %+v", gotBare)
	}
	var nulls int
	if err := rawDB(t, path).QueryRow(`SELECT count(*) FROM clients WHERE id = ? AND birth_date IS NULL AND referrer_id IS NULL AND group_id IS NULL`,
		bare.ID).Scan(&nulls); err != nil || nulls != 1 {
		t.Errorf("optional columns of a bare client are not NULL (%d, %v)", nulls, err)
	}
}

// CL-01: UpdateClient rewrites fields and search keys; missing rows are ErrNotFound.
func TestUpdateClient(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	c := testClient(s.NodeID(), "Анна", "Семёнова", "+79161234567")
	insertClient(t, s, c)

	c.LastName, c.Phone, c.Email = "Иванова", "+79031112233", "anna@b.ru"
	c.UpdatedAt = testNow.Add(time.Hour)
	if err := s.Update(ctx, func(tx app.Tx) error { return tx.UpdateClient(ctx, c) }); err != nil {
		t.Fatal(err)
	}
	got, err := s.Client(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.LastName != "Иванова" || got.Phone != "+79031112233" || !got.UpdatedAt.Equal(testNow.Add(time.Hour)) || !got.CreatedAt.Equal(testNow) {
		t.Errorf("updated client = %+v", got)
	}
	// Search keys follow the new values.
	for text, want := range map[string]int{"иванова": 1, "семенова": 0, "2233": 1, "4567": 0} {
		if n, err := s.CountClients(ctx, app.ClientSelect{Keys: app.NormalizeSearch(text, "RU")}); err != nil || n != want {
			t.Errorf("CountClients(%q) = %d, %v; want %d", text, n, err, want)
		}
	}

	missing := testClient(s.NodeID(), "X", "", "")
	for name, fn := range map[string]func(tx app.Tx) error{
		"UpdateClient":     func(tx app.Tx) error { return tx.UpdateClient(ctx, missing) },
		"DeleteClient":     func(tx app.Tx) error { return tx.DeleteClient(ctx, missing.ID, testNow, s.NodeID()) },
		"DeleteIdentifier": func(tx app.Tx) error { return tx.DeleteIdentifier(ctx, app.NewID(), testNow, s.NodeID()) },
		"Client":           func(tx app.Tx) error { _, err := tx.Client(ctx, missing.ID); return err },
	} {
		if err := s.Update(ctx, fn); !errors.Is(err, app.ErrNotFound) {
			t.Errorf("%s of a missing row: err = %v, want ErrNotFound", name, err)
		}
	}
}

// CL-03: an identifier value is unique among live rows; a soft-deleted value
// can be used again.
func TestIdentifierValueUniqueAmongLiveRows(t *testing.T) {
	path := tempPath(t)
	s := openAt(t, path)
	ctx := context.Background()
	a := testClient(s.NodeID(), "Анна", "", "")
	b := testClient(s.NodeID(), "Борис", "", "")
	insertClient(t, s, a)
	insertClient(t, s, b)

	first := testIdentifier(a.ID, s.NodeID(), app.MediaCard, app.InputBarcode, "CARD-1")
	if err := s.Update(ctx, func(tx app.Tx) error { return tx.InsertIdentifier(ctx, first) }); err != nil {
		t.Fatal(err)
	}
	for _, owner := range []string{b.ID, a.ID} {
		dup := testIdentifier(owner, s.NodeID(), app.MediaCard, app.InputRFID, "CARD-1")
		err := s.Update(ctx, func(tx app.Tx) error { return tx.InsertIdentifier(ctx, dup) })
		if !errors.Is(err, app.ErrConflict) {
			t.Errorf("second live CARD-1 (client %s): err = %v, want ErrConflict", owner, err)
		}
	}
	if got, err := s.IdentifierByValue(ctx, "CARD-1"); err != nil || got.ID != first.ID || got.ClientID != a.ID {
		t.Errorf("IdentifierByValue = %+v, %v", got, err)
	}
	// Values are exact: no trimming, case matters.
	for _, v := range []string{"card-1", "CARD-1 ", "CARD-", ""} {
		if _, err := s.IdentifierByValue(ctx, v); !errors.Is(err, app.ErrNotFound) {
			t.Errorf("IdentifierByValue(%q) err = %v, want ErrNotFound", v, err)
		}
	}
	// An empty value is refused by the schema.
	empty := testIdentifier(a.ID, s.NodeID(), app.MediaCard, app.InputBarcode, "")
	if err := s.Update(ctx, func(tx app.Tx) error { return tx.InsertIdentifier(ctx, empty) }); !errors.Is(err, app.ErrInvalid) {
		t.Errorf("empty identifier value: err = %v, want ErrInvalid", err)
	}

	later := testNow.Add(time.Hour)
	if err := s.Update(ctx, func(tx app.Tx) error { return tx.DeleteIdentifier(ctx, first.ID, later, "other-node") }); err != nil {
		t.Fatal(err)
	}
	if _, err := s.IdentifierByValue(ctx, "CARD-1"); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("IdentifierByValue of a deleted value: err = %v", err)
	}
	reuse := testIdentifier(b.ID, s.NodeID(), app.MediaCard, app.InputBarcode, "CARD-1")
	if err := s.Update(ctx, func(tx app.Tx) error { return tx.InsertIdentifier(ctx, reuse) }); err != nil {
		t.Fatalf("reusing a soft-deleted value: %v", err)
	}
	if got, err := s.IdentifierByValue(ctx, "CARD-1"); err != nil || got.ClientID != b.ID {
		t.Errorf("IdentifierByValue after reuse = %+v, %v; want client %s", got, err, b.ID)
	}
	// The deleted row is still there, stamped.
	var deletedAt, node string
	if err := rawDB(t, path).QueryRow(`SELECT deleted_at, node_id FROM client_identifiers WHERE id = ?`, first.ID).Scan(&deletedAt, &node); err != nil ||
		deletedAt != "2026-03-15T11:00:00.000Z" || node != "other-node" {
		t.Errorf("deleted identifier row: %q %q %v", deletedAt, node, err)
	}
	// Deleting twice is ErrNotFound.
	if err := s.Update(ctx, func(tx app.Tx) error { return tx.DeleteIdentifier(ctx, first.ID, later, s.NodeID()) }); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("second DeleteIdentifier: err = %v, want ErrNotFound", err)
	}
}

// CL-01: external ids are unique among live clients; empty ones never clash.
func TestExternalIDUniqueAmongLiveClients(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	a := testClient(s.NodeID(), "Анна", "", "")
	a.ExternalID = "POS-1"
	insertClient(t, s, a)
	for range 3 {
		insertClient(t, s, testClient(s.NodeID(), "Без", "номера", "")) // external_id ''
	}
	b := testClient(s.NodeID(), "Борис", "", "")
	b.ExternalID = "POS-1"
	if err := s.Update(ctx, func(tx app.Tx) error { return tx.InsertClient(ctx, b) }); !errors.Is(err, app.ErrConflict) {
		t.Errorf("second live POS-1: err = %v, want ErrConflict", err)
	}
	if id, err := s.ClientIDByExternalID(ctx, "POS-1"); err != nil || id != a.ID {
		t.Errorf("ClientIDByExternalID = %q, %v; want %s", id, err, a.ID)
	}
	if _, err := s.ClientIDByExternalID(ctx, ""); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("ClientIDByExternalID(\"\") err = %v, want ErrNotFound", err)
	}
	if err := s.Update(ctx, func(tx app.Tx) error { return tx.DeleteClient(ctx, a.ID, testNow, s.NodeID()) }); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ClientIDByExternalID(ctx, "POS-1"); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("ClientIDByExternalID of a deleted client: err = %v", err)
	}
	insertClient(t, s, b)
	if id, err := s.ClientIDByExternalID(ctx, "POS-1"); err != nil || id != b.ID {
		t.Errorf("ClientIDByExternalID after reuse = %q, %v; want %s", id, err, b.ID)
	}
}

// DeleteClient is soft: the row stays (purchases point at it), its
// identifiers are freed, and it leaves every read.
func TestDeleteClientIsSoft(t *testing.T) {
	path := tempPath(t)
	s := openAt(t, path)
	ctx := context.Background()
	c := testClient(s.NodeID(), "Анна", "Семёнова", "+79161234567")
	insertClient(t, s, c)
	other := testClient(s.NodeID(), "Борис", "Семёнов", "+79031112233")
	insertClient(t, s, other)

	if err := s.Update(ctx, func(tx app.Tx) error { return tx.DeleteClient(ctx, c.ID, testNow.Add(time.Hour), "node-2") }); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Client(ctx, c.ID); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("Client(deleted) err = %v", err)
	}
	if _, err := s.IdentifierByValue(ctx, c.Phone); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("IdentifierByValue(deleted client's phone) err = %v", err)
	}
	for _, text := range []string{"", "семен", "4567", "+7916"} {
		cs, err := s.SearchClients(ctx, app.ClientSelect{Keys: app.NormalizeSearch(text, "RU")}, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, got := range cs {
			if got.ID == c.ID {
				t.Errorf("SearchClients(%q) lists the deleted client", text)
			}
		}
	}
	var rows, liveIdfs int
	var deletedAt, node string
	raw := rawDB(t, path)
	if err := raw.QueryRow(`SELECT count(*), max(deleted_at), max(node_id) FROM clients WHERE id = ?`, c.ID).Scan(&rows, &deletedAt, &node); err != nil {
		t.Fatal(err)
	}
	if rows != 1 || deletedAt != "2026-03-15T11:00:00.000Z" || node != "node-2" {
		t.Errorf("deleted client row: %d rows, deleted_at %q, node %q", rows, deletedAt, node)
	}
	if err := raw.QueryRow(`SELECT count(*) FROM client_identifiers WHERE client_id = ? AND deleted_at IS NULL`, c.ID).Scan(&liveIdfs); err != nil || liveIdfs != 0 {
		t.Errorf("live identifiers of the deleted client: %d (%v)", liveIdfs, err)
	}
	if got, err := s.Client(ctx, other.ID); err != nil || len(got.Identifiers) != 1 {
		t.Errorf("the other client was touched: %+v, %v", got, err)
	}
}

// CL-12, CL-13: SearchClients pages in name order; CountClients agrees.
func TestSearchClientsOrderAndPaging(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	names := [][2]string{ // last, first
		{"Яковлев", "Ян"}, {"Абрамова", "Анна"}, {"Ёлкин", "Егор"}, {"Егорова", "Ева"}, {"Семёнов", "Пётр"},
		{"Семенова", "Анна"}, {"Smith", "John"}, {"Абрамова", "Алла"},
	}
	for i, n := range names {
		c := testClient(s.NodeID(), n[1], n[0], "")
		c.Email = []string{"a@x.ru", "b@x.ru"}[i%2]
		insertClient(t, s, c)
	}
	all, err := s.SearchClients(ctx, app.ClientSelect{Keys: app.SearchKeys{}}, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range all {
		got = append(got, c.FullName())
	}
	want := []string{"Smith John", "Абрамова Алла", "Абрамова Анна", "Егорова Ева", "Ёлкин Егор", "Семёнов Пётр", "Семенова Анна", "Яковлев Ян"}
	if !slices.Equal(got, want) {
		t.Errorf("order = %v, want %v", got, want)
	}
	// Pages of 3 put together are the whole list.
	var paged []string
	for off := 0; off < 12; off += 3 {
		page, err := s.SearchClients(ctx, app.ClientSelect{Keys: app.SearchKeys{}}, off, 3)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page {
			paged = append(paged, c.FullName())
		}
	}
	if !slices.Equal(paged, want) {
		t.Errorf("paged = %v, want %v", paged, want)
	}
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"абрамова", []string{"Абрамова Алла", "Абрамова Анна"}},
		{"анна", []string{"Абрамова Анна", "Семенова Анна"}},
		{"семен", []string{"Семёнов Пётр", "Семенова Анна"}},
		{"b@x", []string{"Абрамова Алла", "Абрамова Анна", "Егорова Ева", "Семенова Анна"}},
		{"john smith", []string{"Smith John"}},
		{"нет", nil},
	} {
		k := app.NormalizeSearch(tc.text, "RU")
		cs, err := s.SearchClients(ctx, app.ClientSelect{Keys: k}, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range cs {
			got = append(got, c.FullName())
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("SearchClients(%q) = %v, want %v", tc.text, got, tc.want)
		}
		if n, err := s.CountClients(ctx, app.ClientSelect{Keys: k}); err != nil || n != len(tc.want) {
			t.Errorf("CountClients(%q) = %d, %v; want %d", tc.text, n, err, len(tc.want))
		}
		// Paging the search one row at a time gives the same rows.
		var one []string
		for off := range len(tc.want) + 1 {
			page, err := s.SearchClients(ctx, app.ClientSelect{Keys: k}, off, 1)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range page {
				one = append(one, c.FullName())
			}
		}
		if !slices.Equal(one, tc.want) {
			t.Errorf("SearchClients(%q) one by one = %v, want %v", tc.text, one, tc.want)
		}
	}
}

// CL-13: a client matched by several arms (name, e-mail, identifier) is
// listed and counted once.
func TestSearchCountsEachClientOnce(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	c := testClient(s.NodeID(), "Anna", "Anna", "+79161234567")
	c.Email = "anna@x.ru"
	c.ExternalID = "anna"
	insertClient(t, s, c)
	if err := s.Update(ctx, func(tx app.Tx) error {
		return tx.InsertIdentifier(ctx, testIdentifier(c.ID, s.NodeID(), app.MediaGuestApp, app.InputQR, "anna-qr"))
	}); err != nil {
		t.Fatal(err)
	}
	k := app.NormalizeSearch("anna", "RU")
	cs, err := s.SearchClients(ctx, app.ClientSelect{Keys: k}, 0, 100)
	if err != nil || len(cs) != 1 {
		t.Errorf("SearchClients(anna) = %d rows, %v; want 1", len(cs), err)
	}
	if n, err := s.CountClients(ctx, app.ClientSelect{Keys: k}); err != nil || n != 1 {
		t.Errorf("CountClients(anna) = %d, %v; want 1", n, err)
	}
}

// Settings and the audit log.
func TestSettingsAndAuditLog(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	if v, ok, err := s.Setting(ctx, "venue_name"); err != nil || ok || v != "" {
		t.Errorf("unset setting = %q, %v, %v", v, ok, err)
	}
	for _, v := range []string{"Зерно", "", "Кофейня"} {
		if err := s.Update(ctx, func(tx app.Tx) error { return tx.SetSetting(ctx, "venue_name", v, testNow, s.NodeID()) }); err != nil {
			t.Fatal(err)
		}
		if got, ok, err := s.Setting(ctx, "venue_name"); err != nil || !ok || got != v {
			t.Errorf("Setting after SetSetting(%q) = %q, %v, %v", v, got, ok, err)
		}
	}

	id := app.NewID()
	entries := []app.AuditEntry{
		{ID: app.NewID(), At: testNow.Add(2 * time.Minute), NodeID: "n", Actor: "b", Action: "client.update", Entity: "client", EntityID: id, Details: `{"name":"Анна"}`},
		{ID: app.NewID(), At: testNow, NodeID: "n", Actor: "a", Action: "client.create", Entity: "client", EntityID: id},
		{ID: app.NewID(), At: testNow, NodeID: "n", Actor: "a", Action: "client.create", Entity: "client", EntityID: app.NewID()},
		{ID: app.NewID(), At: testNow, NodeID: "n", Actor: "a", Action: "settings.set", Entity: "setting", EntityID: id},
	}
	if err := s.Update(ctx, func(tx app.Tx) error {
		for _, e := range entries {
			if err := tx.AppendAudit(ctx, e); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	got, err := s.AuditOf(ctx, "client", id)
	if err != nil {
		t.Fatal(err)
	}
	want := []app.AuditEntry{entries[1], entries[0]} // oldest first, only this client's
	want[0].Details = "{}"                           // empty details are stored as an empty object
	if !reflect.DeepEqual(got, want) {
		t.Errorf("AuditLog:\n got %+v\nwant %+v", got, want)
	}
}

// CL-13: a search lists surname matches first, then first-name matches, then
// the matches by e-mail, phone or identifier, each group by name; paging one
// row at a time walks the same sequence with no row twice or missing.
func TestSearchOrderOfParts(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	add := func(first, last, phone, email string) string {
		c := testClient(s.NodeID(), first, last, phone)
		c.Email = email
		insertClient(t, s, c)
		return c.FullName()
	}
	want := []string{
		add("Пётр", "Иванов", "", ""),            // surname matches, by name
		add("Анна", "Иванова", "", ""),           //
		add("Иван", "Петров", "", ""),            // first-name matches, by first name
		add("Иван", "Сидоров", "", ""),           //
		add("Олег", "Кузнецов", "", "иван@x.ru"), // e-mail match
	}
	add("Мария", "Смирнова", "", "")
	keys := app.NormalizeSearch("иван", "RU")
	all, err := s.SearchClients(ctx, app.ClientSelect{Keys: keys}, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	names := func(cs []app.Client) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.FullName())
		}
		return out
	}
	if got := names(all); !slices.Equal(got, want) {
		t.Errorf("Search(иван) = %v, want %v", got, want)
	}
	if n, err := s.CountClients(ctx, app.ClientSelect{Keys: keys}); err != nil || n != len(want) {
		t.Errorf("CountClients(иван) = %d, %v; want %d", n, err, len(want))
	}
	var paged []app.Client
	for off := 0; off < len(want)+2; off++ {
		page, err := s.SearchClients(ctx, app.ClientSelect{Keys: keys}, off, 1)
		if err != nil {
			t.Fatal(err)
		}
		paged = append(paged, page...)
	}
	if got := names(paged); !slices.Equal(got, want) {
		t.Errorf("paged one by one = %v, want %v", got, want)
	}
	page, err := s.SearchClients(ctx, app.ClientSelect{Keys: keys}, 1, 3) // a page that spans two parts
	if err != nil {
		t.Fatal(err)
	}
	if got := names(page); !slices.Equal(got, want[1:4]) {
		t.Errorf("page 1..3 = %v, want %v", got, want[1:4])
	}
}
