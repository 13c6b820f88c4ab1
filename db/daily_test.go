package db

import (
	"context"
	"testing"
	"time"

	"loyaltydesk/app"
)

// AD-03: the daily policy on a real store: a first backup at once, none
// while the newest is under a day old, the next one after a day, and
// rotation to Keep.
func TestDailyBackup(t *testing.T) {
	ctx := context.Background()
	clock := app.NewManualClock(testNow)
	s, err := Open(ctx, tempPath(t), Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	d := &app.DailyBackup{Store: s, Clock: clock, Keep: 2}
	check := func(wantNew bool) {
		t.Helper()
		path, err := d.Check(ctx)
		if err != nil || (path != "") != wantNew {
			t.Fatalf("at %v: Check = %q, %v; want a backup: %v", clock.Now(), path, err, wantNew)
		}
	}
	check(true)
	clock.Advance(23 * time.Hour)
	check(false)
	clock.Advance(2 * time.Hour)
	check(true)
	clock.Advance(25 * time.Hour)
	check(true)
	list, err := s.Backups()
	if err != nil || len(list) != 2 || !list[0].Time.Equal(clock.Now()) {
		t.Errorf("after three daily backups with Keep 2: %+v, %v", list, err)
	}

	// Run checks at once, then stops with its context.
	clock.Advance(25 * time.Hour)
	made := make(chan string, 1)
	d.OnDone = func(path string, err error) { made <- path }
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { d.Run(rctx); close(done) }()
	if p := <-made; p == "" {
		t.Error("Run made no backup at start")
	}
	cancel()
	<-done
}
