package db

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"loyaltydesk/app"
)

// The batch lookups and inserts of an import (CL-18) agree with the
// one-value methods, skip soft-deleted rows and write what InsertClient writes.
func TestBatchLookupsAndInserts(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	node := s.NodeID()
	var cs []app.Client
	var ids []app.Identifier
	// More than one INSERT statement's worth of rows.
	for i := range batchInsertRows + 7 {
		c := testClient(node, fmt.Sprintf("Имя%d", i), "Фамилия", fmt.Sprintf("+7916%07d", i))
		c.Email = fmt.Sprintf("c%d@example.ru", i)
		c.ExternalID = fmt.Sprintf("ext-%d", i)
		c.BirthDate = app.Date{Year: 1990, Month: 5, Day: 1 + i%28}
		cs = append(cs, c)
		ids = append(ids, app.Identifier{ID: app.NewID(), ClientID: c.ID, Media: app.MediaCard, Input: app.InputBarcode,
			Value: fmt.Sprintf("CARD%d", i), CreatedAt: c.CreatedAt, UpdatedAt: c.CreatedAt, NodeID: node})
	}
	err := s.Update(ctx, func(tx app.Tx) error {
		bw := tx.(app.BatchWriter)
		if err := bw.InsertClients(ctx, cs); err != nil {
			return err
		}
		if err := bw.InsertIdentifiers(ctx, ids); err != nil {
			return err
		}
		if err := tx.InsertContact(ctx, app.Contact{ID: app.NewID(), ClientID: cs[1].ID, Kind: app.ContactPhone,
			Value: cs[0].Phone, CreatedAt: testNow, UpdatedAt: testNow, NodeID: node}); err != nil {
			return err
		}
		return tx.DeleteClient(ctx, cs[2].ID, testNow, node)
	})
	if err != nil {
		t.Fatal(err)
	}
	// A client inserted in a batch reads back as one inserted alone would.
	got, err := s.Client(ctx, cs[3].ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.FullName() != cs[3].FullName() || got.Phone != cs[3].Phone || got.BirthDate != cs[3].BirthDate ||
		len(got.Identifiers) != 1 || got.Identifiers[0].Value != "CARD3" {
		t.Errorf("client read back = %+v", got)
	}
	if found, _ := s.SearchClients(ctx, app.ClientSelect{Keys: app.NormalizeSearch("Имя3 Фамилия", "RU")}, 0, 10); len(found) != 1 {
		t.Errorf("search by name found %d, want 1", len(found))
	}

	br := app.Store(s).(app.BatchReader)
	values := []string{"CARD0", "CARD2", "CARD4", "nobody", cs[5].Phone}
	owners, err := br.IdentifierOwners(ctx, values)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, v := range values {
		if idf, err := s.IdentifierByValue(ctx, v); err == nil {
			want[v] = idf.ClientID
		}
	}
	if !reflect.DeepEqual(owners, want) || owners["CARD0"] != cs[0].ID {
		t.Errorf("IdentifierOwners = %v, want %v", owners, want)
	}

	phones := []string{cs[0].Phone, cs[2].Phone, "+79990000000"}
	byPhone, err := br.ClientIDsByContacts(ctx, app.ContactPhone, phones)
	if err != nil {
		t.Fatal(err)
	}
	wantPhones := map[string][]string{}
	for _, p := range phones {
		if one, _ := s.ClientIDsByContact(ctx, app.ContactPhone, p); len(one) > 0 {
			wantPhones[p] = one
		}
	}
	if !reflect.DeepEqual(byPhone, wantPhones) || len(byPhone[cs[0].Phone]) != 2 {
		t.Errorf("ClientIDsByContacts = %v, want %v", byPhone, wantPhones)
	}
	byMail, err := br.ClientIDsByContacts(ctx, app.ContactEmail, []string{cs[6].Email, cs[2].Email})
	if err != nil || !reflect.DeepEqual(byMail, map[string][]string{cs[6].Email: {cs[6].ID}}) {
		t.Errorf("by e-mail = %v, %v", byMail, err)
	}
	if _, err := br.ClientIDsByContacts(ctx, "fax", []string{"1"}); err == nil {
		t.Error("unknown contact kind accepted")
	}

	ext, err := br.ClientIDsByExternalIDs(ctx, []string{"ext-7", "ext-2", "ext-none"})
	if err != nil || !reflect.DeepEqual(ext, map[string]string{"ext-7": cs[7].ID}) {
		t.Errorf("ClientIDsByExternalIDs = %v, %v", ext, err)
	}
	for _, empty := range []func() (int, error){
		func() (int, error) { m, err := br.IdentifierOwners(ctx, nil); return len(m), err },
		func() (int, error) { m, err := br.ClientIDsByExternalIDs(ctx, nil); return len(m), err },
	} {
		if n, err := empty(); n != 0 || err != nil {
			t.Errorf("empty lookup = %d, %v", n, err)
		}
	}
}
