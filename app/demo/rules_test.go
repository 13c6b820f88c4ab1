package demo

import (
	"reflect"
	"slices"
	"testing"

	"loyaltydesk/app"
)

// The demo's rules plan (seed 004) depends on the options alone, names only
// categories it makes, and scales its appointments and statuses with the
// venue; the database side (db.TestDemoRules) carries it out.
func TestRulesPlan(t *testing.T) {
	opt := Options{Clients: 10_000, Seed: 3, Now: testNow}
	p := RulesPlan(opt)
	if !reflect.DeepEqual(p, RulesPlan(opt)) {
		t.Error("the same options gave two plans")
	}
	other := opt
	other.Seed = 4
	if reflect.DeepEqual(p.Visits, RulesPlan(other).Visits) {
		t.Error("another seed gave the same appointments")
	}
	for _, c := range p.CategoryRules {
		if !slices.Contains(p.Categories, c.Category) {
			t.Errorf("rule of unknown category %q", c.Category)
		}
	}
	var came, missed, corrected int
	for _, v := range p.Visits {
		switch {
		case v.Guest >= p.Guests || v.DaysAgo < 1 || v.DaysAgo > 30 || v.Paid > v.Sold:
			t.Errorf("visit %+v", v)
		case v.Status == app.VisitCame && v.Sold > 0:
			came++
		case v.Status == app.VisitMissed && v.Sold == 0:
			missed++
			if v.Corrected {
				corrected++
			}
		default:
			t.Errorf("visit %+v", v)
		}
	}
	if p.Guests != 200 || came < 200 || missed < 40 || corrected == 0 {
		t.Errorf("%d guests: %d came, %d missed, %d corrected", p.Guests, came, missed, corrected)
	}
	small := RulesPlan(Options{Clients: 100, Seed: 3, Now: testNow})
	if small.Guests != 5 || small.Ambassadors != 1 || small.Regulars != 5 || small.Newcomers != 2 {
		t.Errorf("a venue of 100: %+v", small)
	}
}
