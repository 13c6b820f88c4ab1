package db

// Tests of users (AD-01) and the audit log's query (AD-02) on a real SQLite
// file.

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"loyaltydesk/app"
)

// AD-01: users round trip, one per name in any case (Cyrillic too), with a
// known role.
func TestUsers(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	node := s.NodeID()
	save := func(u app.User) error {
		return s.Update(ctx, func(tx app.Tx) error { return tx.SaveUser(ctx, u) })
	}
	olga := app.User{ID: app.NewID(), Name: "Ольга", Role: app.RoleOwner, SecretHash: "$argon2id$x",
		CreatedAt: testNow, UpdatedAt: testNow, NodeID: node}
	ivan := app.User{ID: app.NewID(), Name: "Ivan", Role: app.RoleCashier, SecretHash: "$argon2id$y", Disabled: true,
		CreatedAt: testNow, UpdatedAt: testNow, NodeID: node}
	for _, u := range []app.User{olga, ivan} {
		if err := save(u); err != nil {
			t.Fatalf("SaveUser(%s): %v", u.Name, err)
		}
	}
	us, err := s.Users(ctx)
	if err != nil || !reflect.DeepEqual(us, []app.User{ivan, olga}) {
		t.Errorf("Users = %+v, %v", us, err)
	}
	// An update by id keeps the created time it is given and may rename.
	olga.Name, olga.Role, olga.SecretHash, olga.UpdatedAt = "Ольга Петровна", app.RoleManager, "$argon2id$z", testNow.Add(time.Hour)
	if err := save(olga); err != nil {
		t.Fatal(err)
	}
	if us, _ := s.Users(ctx); len(us) != 2 || us[1] != olga {
		t.Errorf("after the update: %+v", us)
	}
	for _, tc := range []struct {
		name string
		u    app.User
		want error
	}{
		{"a taken name in another case", app.User{ID: app.NewID(), Name: "ОЛЬГА ПЕТРОВНА", Role: app.RoleCashier}, app.ErrConflict},
		{"a taken Latin name", app.User{ID: app.NewID(), Name: "ivan", Role: app.RoleCashier}, app.ErrConflict},
		{"an unknown role", app.User{ID: app.NewID(), Name: "Пётр", Role: "admin"}, app.ErrInvalid},
		{"no name", app.User{ID: app.NewID(), Role: app.RoleCashier}, app.ErrInvalid},
	} {
		tc.u.CreatedAt, tc.u.UpdatedAt, tc.u.NodeID = testNow, testNow, node
		if err := save(tc.u); !errors.Is(err, tc.want) {
			t.Errorf("%s: SaveUser = %v, want %v", tc.name, err, tc.want)
		}
	}
	// Renaming a user to their own name in another case is no conflict.
	ivan.Name = "IVAN"
	if err := save(ivan); err != nil {
		t.Errorf("renaming to the same name in capitals: %v", err)
	}
}

// AD-02: the audit log by text, action prefix, actor, time and page, newest
// first.
func TestAuditLogQuery(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	node := s.NodeID()
	at := func(m int) time.Time { return testNow.Add(time.Duration(m) * time.Minute) }
	es := []app.AuditEntry{
		{ID: app.NewID(), At: at(0), Actor: "Ольга", Action: "client.update", Entity: "client", EntityID: "c-1", Details: `{"name":"Анна"}`},
		{ID: app.NewID(), At: at(1), Actor: "Ольга", Action: "ledger.debit", Entity: "account_type", EntityID: "t-1", Details: `{"reason":"100% скидка"}`},
		{ID: app.NewID(), At: at(2), Actor: "Ivan", Action: "ledger.accrue", Entity: "account_type", EntityID: "t-1", Details: `{"reason":"birthday"}`},
		{ID: app.NewID(), At: at(3), Actor: "system", Action: "ledgerx.other", Entity: "x", EntityID: "x_1", Details: `{}`},
		{ID: app.NewID(), At: at(4), Actor: "Ivan", Action: "gift.give", Entity: "client", EntityID: "c-2", Details: `{"gift":"Mug"}`},
	}
	if err := s.Update(ctx, func(tx app.Tx) error {
		for _, e := range es {
			e.NodeID = node
			if err := tx.AppendAudit(ctx, e); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for i := range es {
		es[i].NodeID = node
	}
	for _, tc := range []struct {
		name string
		q    app.AuditQuery
		want []int
	}{
		{"all", app.AuditQuery{}, []int{4, 3, 2, 1, 0}},
		{"action prefix", app.AuditQuery{Action: "ledger."}, []int{2, 1}},
		{"exact action", app.AuditQuery{Action: "client.update"}, []int{0}},
		{"actor", app.AuditQuery{Actor: "Ivan"}, []int{4, 2}},
		{"actor is exact", app.AuditQuery{Actor: "ivan"}, nil},
		{"text in details", app.AuditQuery{Text: "BIRTH"}, []int{2}},
		{"text in actor", app.AuditQuery{Text: "Ольг"}, []int{1, 0}},
		{"text in entity id", app.AuditQuery{Text: "c-2"}, []int{4}},
		{"text in action", app.AuditQuery{Text: "accrue"}, []int{2}},
		{"a % is no wildcard", app.AuditQuery{Text: "100%"}, []int{1}},
		{"an _ is no wildcard", app.AuditQuery{Text: "x_"}, []int{3}},
		{"from, to", app.AuditQuery{From: at(1), To: at(3)}, []int{2, 1}},
		{"page", app.AuditQuery{Offset: 1, Limit: 2}, []int{3, 2}},
		{"all at once", app.AuditQuery{Text: "t-1", Action: "ledger.", Actor: "Ольга", From: at(0), To: at(5)}, []int{1}},
	} {
		got, err := s.AuditLog(ctx, tc.q)
		var want []app.AuditEntry
		for _, i := range tc.want {
			want = append(want, es[i])
		}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("AuditLog(%s) = %+v, %v; want %v", tc.name, got, err, tc.want)
		}
	}
}
