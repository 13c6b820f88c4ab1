package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"loyaltydesk/hardware"
)

// lockedBuffer is a buffer written by the listen goroutine and read by the
// test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// waitText waits (10 s at most) until buf's text satisfies cond.
func waitText(t *testing.T, what string, buf *lockedBuffer, cond func(string) bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond(buf.String()) {
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s; got %q", what, buf.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// ID-02: `listen` on a pseudo-terminal prints each scan as a JSON line, a
// bank card as an error line without its digits, and the reader's state on
// stderr; it ends when its context does (Ctrl+C).
func TestListenCommand(t *testing.T) {
	master, slave, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer master.Close()
	defer slave.Close()

	var out, errOut lockedBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- runListenCtx(ctx, []string{"--port", slave.Name(), "--baud", "9600", "--format", "auto"}, &out, &errOut)
	}()
	waitText(t, "ready", &errOut, func(s string) bool { return strings.Contains(s, ": ready") })

	pan := "4276001234567896"
	if !hardware.IsPaymentCard(pan) {
		t.Fatal("the test number is not a card")
	}
	for _, line := range []string{
		"Em-Marine[5500] 126,58404\r\n",
		"No card\r\n",
		"%B" + pan + "^IVANOV/IVAN^2712101000000000000000000?;" + pan + "=2712101?\r\n",
		"ж1234=5678,\r\n",
		"\x01\x02\r\n",
	} {
		for i := 0; i < len(line); i++ {
			if _, err := master.Write([]byte{line[i]}); err != nil {
				t.Fatal(err)
			}
		}
	}
	waitText(t, "three JSON lines", &out, func(s string) bool { return strings.Count(s, "\n") >= 3 })
	waitText(t, "the unrecognized line", &errOut, func(s string) bool { return strings.Contains(s, "not an identifier") })
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("listen did not stop")
	}

	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("not a JSON line %q: %v", l, err)
		}
		lines = append(lines, m)
	}
	if len(lines) != 3 {
		t.Fatalf("lines %v", lines)
	}
	em := lines[0]
	if em["kind"] != "emmarine" || em["value"] != "55007EE424" || em["raw"] != "Em-Marine[5500] 126,58404" || em["source"] != slave.Name() {
		t.Errorf("EM-Marine line %v", em)
	}
	if alt, _ := em["alt"].([]any); len(alt) != 1 || alt[0] != "126,58404" {
		t.Errorf("EM-Marine alt %v", em["alt"])
	}
	if card := lines[1]; card["error"] == nil || card["value"] != nil || card["raw"] != nil {
		t.Errorf("bank card line %v", card)
	}
	if ms := lines[2]; ms["kind"] != "magstripe" || ms["value"] != "1234" {
		t.Errorf("magstripe line %v", ms)
	}
	for i := 0; i+6 <= len(pan); i++ {
		if strings.Contains(out.String()+errOut.String(), pan[i:i+6]) {
			t.Fatalf("the card's digits %s were printed", pan[i:i+6])
		}
	}
	if !strings.Contains(errOut.String(), "no card") || !strings.Contains(errOut.String(), ": stopped") {
		t.Errorf("stderr %q", errOut.String())
	}
}

func TestListenCommandUsage(t *testing.T) {
	if code, out, _ := runCLI(t, "listen", "--help"); code != 0 || !strings.Contains(out, "--port PATH") {
		t.Fatalf("--help: %d %q", code, out)
	}
	for _, args := range [][]string{
		{"listen"},
		{"listen", "--port", "/dev/null", "--format", "morse"},
		{"listen", "--port", "/dev/null", "--parity", "purple"},
		{"listen", "--port", "/dev/null", "extra"},
		{"listen", "--baud"},
	} {
		if code, _, errOut := runCLI(t, args...); code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a message", args, code, errOut)
		}
	}
	if code, _, errOut := runCLI(t, "listen", "--list"); code != 0 {
		t.Fatalf("--list: %d %s", code, errOut)
	}
}
