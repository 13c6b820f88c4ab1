package db

import (
	"context"
	"fmt"
	"time"

	"loyaltydesk/app"
)

// This file holds the bonus programs (BN-06, BN-07, GR-03, LR-09) with the
// groups they are for and the categories and products they reward.

// Programs returns the live programs by name with their groups (by id) and
// targets (in the order saved).
func (q *queries) Programs(ctx context.Context) ([]app.Program, error) {
	ps, err := queryAll(ctx, q, scanProgram, `SELECT id, name, account_type_id, enabled, min_order,
			coalesce(active_from, ''), coalesce(active_to, ''), weekdays, coalesce(minute_from, 0), coalesce(minute_to, 0),
			reward_kind, reward_value, base, earn_on_bonus_paid, max_pay_share_bp, min_balance,
			created_at, updated_at, node_id
		FROM bonus_programs WHERE deleted_at IS NULL ORDER BY name, id`)
	if err != nil || len(ps) == 0 {
		return ps, err
	}
	at := make(map[string]*app.Program, len(ps))
	for i := range ps {
		at[ps[i].ID] = &ps[i]
	}
	type link struct{ program, group, category, product string }
	links, err := queryAll(ctx, q, func(r scanner) (link, error) {
		var l link
		var k, o int64
		err := r.Scan(&l.program, &l.group, &l.category, &l.product, &k, &o)
		return l, err
	}, `SELECT program_id, group_id, '', '', 0, 0 FROM bonus_program_groups
		UNION ALL
		SELECT program_id, '', coalesce(category_id, ''), coalesce(product_id, ''), 1, rowid FROM bonus_program_targets
		ORDER BY 5, 6, 2`)
	if err != nil {
		return nil, err
	}
	for _, l := range links {
		p := at[l.program]
		switch {
		case p == nil:
		case l.group != "":
			p.GroupIDs = append(p.GroupIDs, l.group)
		case l.category != "":
			p.CategoryIDs = append(p.CategoryIDs, l.category)
		case l.product != "":
			p.ProductIDs = append(p.ProductIDs, l.product)
		}
	}
	return ps, nil
}

func scanProgram(r scanner) (app.Program, error) {
	var p app.Program
	var from, to, reward, base, created, updated string
	err := r.Scan(&p.ID, &p.Name, &p.AccountTypeID, &p.Enabled, &p.MinOrder, &from, &to, &p.Weekdays,
		&p.HoursFrom, &p.HoursTo, &reward, &p.RewardValue, &base, &p.EarnOnBonusPaid, &p.MaxPayShareBP, &p.MinBalance,
		&created, &updated, &p.NodeID)
	if err != nil {
		return p, err
	}
	p.Reward, p.Base = app.RewardKind(reward), app.AccrualBase(base)
	for _, d := range []struct {
		s   string
		dst *app.Date
	}{{from, &p.ActiveFrom}, {to, &p.ActiveTo}} {
		if d.s == "" {
			continue
		}
		if *d.dst, err = app.ParseDate(d.s); err != nil {
			return p, fmt.Errorf("program %s: %w", p.ID, err)
		}
	}
	p.CreatedAt, p.UpdatedAt, err = parseTimes(created, updated)
	return p, err
}

// SaveProgram inserts a program or rewrites a live one (a deleted one is
// app.ErrNotFound), replacing its groups and targets. Equal hours mean all
// day and are stored as 0 and 0; an empty base is "sold".
func (q *queries) SaveProgram(ctx context.Context, p app.Program) error {
	from, to := p.HoursFrom, p.HoursTo
	if from == to {
		from, to = 0, 0
	}
	base := p.Base
	if base == "" {
		base = app.BaseSold
	}
	res, err := q.q.ExecContext(ctx, `INSERT INTO bonus_programs (id, name, account_type_id, enabled, min_order,
			active_from, active_to, weekdays, minute_from, minute_to, reward_kind, reward_value, base, earn_on_bonus_paid,
			max_pay_share_bp, min_balance, created_at, updated_at, node_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, account_type_id = excluded.account_type_id,
			enabled = excluded.enabled, min_order = excluded.min_order, active_from = excluded.active_from,
			active_to = excluded.active_to, weekdays = excluded.weekdays, minute_from = excluded.minute_from,
			minute_to = excluded.minute_to, reward_kind = excluded.reward_kind, reward_value = excluded.reward_value,
			base = excluded.base, earn_on_bonus_paid = excluded.earn_on_bonus_paid,
			max_pay_share_bp = excluded.max_pay_share_bp, min_balance = excluded.min_balance,
			updated_at = excluded.updated_at, node_id = excluded.node_id
		WHERE bonus_programs.deleted_at IS NULL`,
		p.ID, p.Name, p.AccountTypeID, p.Enabled, p.MinOrder, nullString(p.ActiveFrom.String()), nullString(p.ActiveTo.String()),
		p.Weekdays, from, to, string(p.Reward), p.RewardValue, string(base), p.EarnOnBonusPaid,
		p.MaxPayShareBP, p.MinBalance, formatTime(p.CreatedAt), formatTime(p.UpdatedAt), p.NodeID)
	if err != nil {
		return writeErr("program", p.ID, err)
	}
	if err := mustAffect(res, "program", p.ID); err != nil {
		return err
	}
	for _, stmt := range []string{`DELETE FROM bonus_program_groups WHERE program_id = ?`,
		`DELETE FROM bonus_program_targets WHERE program_id = ?`} {
		if _, err := q.q.ExecContext(ctx, stmt, p.ID); err != nil {
			return writeErr("program", p.ID, err)
		}
	}
	for _, g := range p.GroupIDs {
		if _, err := q.q.ExecContext(ctx, `INSERT INTO bonus_program_groups (program_id, group_id) VALUES (?, ?)
			ON CONFLICT DO NOTHING`, p.ID, g); err != nil {
			return writeErr("program", p.ID, err)
		}
	}
	for _, id := range p.CategoryIDs {
		if _, err := q.q.ExecContext(ctx, `INSERT INTO bonus_program_targets (program_id, category_id) VALUES (?, ?)`,
			p.ID, id); err != nil {
			return writeErr("program", p.ID, err)
		}
	}
	for _, id := range p.ProductIDs {
		if _, err := q.q.ExecContext(ctx, `INSERT INTO bonus_program_targets (program_id, product_id) VALUES (?, ?)`,
			p.ID, id); err != nil {
			return writeErr("program", p.ID, err)
		}
	}
	return nil
}

// DeleteProgram soft-deletes a live program; its groups and targets stay
// with it.
func (q *queries) DeleteProgram(ctx context.Context, id string, at time.Time, node string) error {
	return q.softDelete(ctx, "bonus_programs", "program", id, at, node)
}
