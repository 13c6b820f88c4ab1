package demo

import (
	"context"
	"fmt"
	"slices"

	"loyaltydesk/app"
)

// Loyalty sets up the demo venue's loyalty program through the use cases,
// after Generate has loaded it: the seed 001 program "Кэшбэк за кофе" (10 %
// of coffee for the group «Постоянные», points pay up to half a bill), a 5 %
// program for VIP guests, two gifts, and opening balances for the top guests
// (3 % of what they spent, as if brought from an old system) through the
// client import, so the till and the client pages show real balances.
func Loyalty(ctx context.Context, store app.Store, clock app.Clock, top int) error {
	clients := app.NewClients(store, clock)
	catalogue := app.NewCatalogue(store, clock)
	d, err := clients.Directory(ctx)
	if err != nil {
		return err
	}
	group := func(name string) string {
		if i := slices.IndexFunc(d.Groups, func(r app.Ref) bool { return r.Name == name }); i >= 0 {
			return d.Groups[i].ID
		}
		return ""
	}
	cats, err := catalogue.Categories(ctx)
	if err != nil {
		return err
	}
	var coffee []string
	for _, c := range cats {
		if c.Name == "Кофе" {
			coffee = append(coffee, c.ID)
		}
	}
	programs := []app.Program{
		{Name: "Кэшбэк за кофе", Enabled: true, GroupIDs: []string{group("Постоянные")}, CategoryIDs: coffee,
			Weekdays: app.AllWeekdays, Reward: app.RewardPercent, RewardValue: 1000, MaxPayShareBP: 5000},
		{Name: "VIP: 5 % со всего чека", Enabled: true, GroupIDs: []string{group("VIP")},
			Weekdays: app.AllWeekdays, Reward: app.RewardPercent, RewardValue: 500, MaxPayShareBP: 10000, MinBalance: 100_00},
	}
	for _, p := range programs {
		if _, err := catalogue.SaveProgram(ctx, p); err != nil {
			return fmt.Errorf("demo program %q: %w", p.Name, err)
		}
	}
	for _, g := range []app.Gift{{Name: "Десерт дня", Points: 150_00}, {Name: "Капучино в подарок", Points: 200_00}} {
		if _, err := catalogue.SaveGift(ctx, g); err != nil {
			return fmt.Errorf("demo gift %q: %w", g.Name, err)
		}
	}
	best, err := clients.Search(ctx, app.ClientQuery{Sort: app.SortVisits, Desc: true, Limit: top})
	if err != nil {
		return err
	}
	t := app.ImportTable{Name: "демо: баллы из прежней системы", Header: []string{"ФИО", "Телефон", "Баллы"}}
	for i, c := range best {
		if c.Phone == "" || c.Stats.Sold <= 0 {
			continue
		}
		points := c.Stats.Sold * 3 / 100
		t.Rows = append(t.Rows, app.ImportRow{Line: i + 2, Cells: []string{c.FullName(), c.Phone, fmt.Sprintf("%d,%02d", points/100, points%100)}})
	}
	if len(t.Rows) == 0 {
		return nil
	}
	rep, err := clients.Import(ctx, t, app.ImportOptions{Mapping: []string{app.ImportFullName, app.ImportPhone, app.ImportOpening}, Duplicates: app.DuplicatesMerge})
	if err != nil {
		return err
	}
	if !rep.Written {
		return fmt.Errorf("demo balances: %d rows rejected, first: %+v", rep.Rejected, rep.Problems)
	}
	return nil
}
