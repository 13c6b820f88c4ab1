package app

import (
	"context"
	"fmt"
	"strings"
)

// Setting keys stored with the venue's data.
const (
	SettingPhoneRegion = "phone_region" // ISO 3166 region for phones typed without +country
	SettingVenueName   = "venue_name"
)

// Settings reads and changes the venue's settings.
type Settings struct {
	store Store
	clock Clock
}

// NewSettings returns the settings use cases.
func NewSettings(store Store, clock Clock) *Settings {
	return &Settings{store: store, clock: clock}
}

// PhoneRegion returns the default phone region (RU unless set).
func (s *Settings) PhoneRegion(ctx context.Context) (string, error) {
	return phoneRegion(ctx, s.store)
}

func phoneRegion(ctx context.Context, r SettingsReader) (string, error) {
	v, ok, err := r.Setting(ctx, SettingPhoneRegion)
	if err != nil {
		return "", fmt.Errorf("read phone region: %w", err)
	}
	if !ok || v == "" {
		return DefaultRegion, nil
	}
	return v, nil
}

// SetPhoneRegion changes the default phone region; it must be a region code
// such as RU, KZ or BY.
func (s *Settings) SetPhoneRegion(ctx context.Context, region string) error {
	region = strings.ToUpper(strings.TrimSpace(region))
	if !ValidRegion(region) {
		return &ValidationError{Fields: []FieldError{{Field: FieldRegion, Reason: ReasonBadRegion, Value: region}}}
	}
	return s.set(ctx, SettingPhoneRegion, region)
}

// VenueName returns the venue's name ("" if not set).
func (s *Settings) VenueName(ctx context.Context) (string, error) {
	v, _, err := s.store.Setting(ctx, SettingVenueName)
	return v, err
}

// SetVenueName changes the venue's name.
func (s *Settings) SetVenueName(ctx context.Context, name string) error {
	return s.set(ctx, SettingVenueName, cleanText(name))
}

func (s *Settings) set(ctx context.Context, key, value string) error {
	now := s.clock.Now()
	return s.store.Update(ctx, func(tx Tx) error {
		if err := tx.SetSetting(ctx, key, value, now, s.store.NodeID()); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, AuditEntry{
			ID: NewID(), At: now, NodeID: s.store.NodeID(), Actor: ActorOf(ctx),
			Action: "settings.set", Entity: "setting", EntityID: key,
			Details: jsonObject("value", value),
		})
	})
}

// SettingListColumns keeps the client list's chosen columns (CL-12), as a
// comma-separated list of column keys.
const SettingListColumns = "ui.clients.columns"

// ListColumns returns the column keys the client list shows, in order: the
// saved choice without keys no longer known (a removed variable), or
// DefaultColumns when nothing was saved.
func (s *Settings) ListColumns(ctx context.Context) ([]string, error) {
	v, ok, err := s.store.Setting(ctx, SettingListColumns)
	if err != nil {
		return nil, fmt.Errorf("read list columns: %w", err)
	}
	if !ok || v == "" {
		return append([]string(nil), DefaultColumns...), nil
	}
	var keys []string
	for _, k := range strings.Split(v, ",") {
		if IsColumnKey(k) {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return append([]string(nil), DefaultColumns...), nil
	}
	return keys, nil
}

// SetListColumns saves the client list's columns. Unknown keys and an empty
// choice are refused.
func (s *Settings) SetListColumns(ctx context.Context, keys []string) error {
	if len(keys) == 0 {
		return &ValidationError{Fields: []FieldError{{Field: FieldColumn, Reason: ReasonRequired}}}
	}
	for _, k := range keys {
		if !IsColumnKey(k) || strings.Contains(k, ",") {
			return &ValidationError{Fields: []FieldError{{Field: FieldColumn, Reason: ReasonUnknownField, Value: k}}}
		}
	}
	now := s.clock.Now()
	return s.store.Update(ctx, func(tx Tx) error {
		return tx.SetSetting(ctx, SettingListColumns, strings.Join(keys, ","), now, s.store.NodeID())
	})
}
