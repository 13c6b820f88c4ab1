package ui

import (
	"context"

	"loyaltydesk/app"
)

// LoyaltyService is what the screens need of app.Loyalty (issue 6): the
// rules and their editor, classes, categories and statuses, changes by hand,
// visits with a status, the outbox and a client's explanation.
type LoyaltyService interface {
	Rules(ctx context.Context) (app.Rules, error)
	Check(ctx context.Context, r app.Rules) ([]app.RuleWarning, error)
	Save(ctx context.Context, r app.Rules) (app.Rules, []app.RuleWarning, error)
	RecalculateAll(ctx context.Context, progress func(app.RecalcProgress)) (app.RecalcProgress, error)
	Classes(ctx context.Context) ([]app.Class, error)
	Categories(ctx context.Context) ([]app.Category, error)
	Statuses(ctx context.Context) ([]app.Status, error)
	SaveClass(ctx context.Context, c app.Class) (app.Class, error)
	SaveCategory(ctx context.Context, c app.Category) (app.Category, error)
	SaveStatus(ctx context.Context, s app.Status) (app.Status, error)
	DeleteRef(ctx context.Context, kind app.RefKind, id string) error
	PresetClasses(ctx context.Context, names [3]string) ([]app.Class, error)
	ApplyClient(ctx context.Context, clientID string) (app.Decision, error)
	Explain(ctx context.Context, clientID string) (app.Explanation, error)
	SetManual(ctx context.Context, q app.ClientQuery, ch app.ManualChange) (int, error)
	RecordVisit(ctx context.Context, in app.VisitInput) (app.Visit, error)
	SetVisitStatus(ctx context.Context, id string, status app.VisitStatus) error
	Visits(ctx context.Context, clientID string, limit int) ([]app.Visit, error)
	Outbox(ctx context.Context, q app.OutboxQuery) ([]app.Message, error)
	CancelMessage(ctx context.Context, id string) error
}

var _ LoyaltyService = (*app.Loyalty)(nil)
