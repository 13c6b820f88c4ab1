package hardware

import (
	"context"
	"errors"
	"image"
	"io"
	"sync"
	"testing"
	"time"
)

// chanSource is a frame source the test feeds by hand: Next returns what
// is sent on frames (an error on errs), and tells on asked each time it
// is called.
type chanSource struct {
	frames chan image.Image
	errs   chan error
	asked  chan struct{}
	closed chan struct{}
	once   sync.Once
	onNext func()
}

func newChanSource() *chanSource {
	return &chanSource{frames: make(chan image.Image), errs: make(chan error), asked: make(chan struct{}, 100), closed: make(chan struct{})}
}

func (s *chanSource) Next(ctx context.Context) (image.Image, error) {
	if s.onNext != nil {
		s.onNext()
	}
	s.asked <- struct{}{}
	select {
	case img := <-s.frames:
		return img, nil
	case err := <-s.errs:
		return nil, err
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-s.closed:
		return nil, errClosed
	}
}

func (s *chanSource) Close() error { s.once.Do(func() { close(s.closed) }); return nil }

// recorder is a Sink that keeps everything.
type recorder struct {
	mu     sync.Mutex
	scans  []Scan
	raws   []string
	rawErr []error
	states []State
	detail []string
	frames int
	scanCh chan Scan
}

func newRecorder() *recorder { return &recorder{scanCh: make(chan Scan, 100)} }

func (r *recorder) sink() Sink {
	return Sink{
		Scan: func(s Scan) {
			r.mu.Lock()
			r.scans = append(r.scans, s)
			r.mu.Unlock()
			r.scanCh <- s
		},
		Raw: func(_ string, data []byte, err error) {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.raws = append(r.raws, string(data))
			r.rawErr = append(r.rawErr, err)
		},
		Status: func(s Status) {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.states = append(r.states, s.State)
			r.detail = append(r.detail, s.Detail)
		},
		Frame: func(string, image.Image) {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.frames++
		},
	}
}

// fakeClock is a clock the test moves.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

var small = SynthOptions{Width: 640, Height: 360}

// TestRunCameraNewestFrame: while the decoder is busy, frames that came
// meanwhile are dropped but the newest, which is decoded next.
func TestRunCameraNewestFrame(t *testing.T) {
	src := newChanSource()
	rec := newRecorder()
	gate := make(chan struct{})
	sink := rec.sink()
	inner := sink.Scan
	sink.Scan = func(s Scan) {
		inner(s)
		if s.Value == "LC-1" {
			<-gate // the decoder is busy with the first scan
		}
	}
	done := make(chan error, 1)
	go func() { done <- RunCamera(context.Background(), "camera", src, sink, CameraOptions{}) }()
	<-src.asked
	src.frames <- renderSynth("LC-1", small)
	if s := <-rec.scanCh; s.Value != "LC-1" {
		t.Fatalf("first scan %q", s.Value)
	}
	// The decoder is held; three frames arrive meanwhile.
	for _, text := range []string{"LC-2", "LC-3", "LC-4"} {
		<-src.asked
		src.frames <- renderSynth(text, small)
	}
	<-src.asked // LC-4 is in the mailbox
	close(gate)
	if s := <-rec.scanCh; s.Value != "LC-4" {
		t.Fatalf("after the busy spell the decoder read %q, want the newest LC-4", s.Value)
	}
	src.errs <- io.EOF
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.scans) != 2 {
		t.Fatalf("scans %+v: the older frames were not dropped", rec.scans)
	}
	s := rec.scans[1]
	if s.Source != "camera" || s.Kind != KindQR || string(s.Raw) != "LC-4" || s.At.IsZero() {
		t.Fatalf("scan %+v", s)
	}
}

// TestDecodeWorkerDedupe: the same text again within Dedupe of its last
// sighting is dropped; after it has been away that long it counts again;
// another text is not held up; a bank card's number reaches no one.
func TestDecodeWorkerDedupe(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}
	rec := newRecorder()
	w := decodeWorker{source: "cam", opt: CameraOptions{Now: clock.Now}.withDefaults(), seen: map[string]time.Time{}}
	call := func(f func()) { f() }
	a, b := renderSynth("LC-0001234567", small), renderSynth("0001234567", small)
	step := func(img image.Image, d time.Duration) {
		clock.Add(d)
		w.decode(img, call, rec.sink())
	}
	step(a, 0)                     // scan
	step(a, time.Second)           // dropped
	step(b, 500*time.Millisecond)  // another code: scan
	step(a, 1500*time.Millisecond) // 2 s after it was last seen: dropped
	step(a, 3*time.Second)         // away 3 s: scan again
	step(renderSynth("4111111111111111", small), 0)
	var got []string
	for _, s := range rec.scans {
		got = append(got, s.Value)
	}
	want := []string{"LC-0001234567", "0001234567", "LC-0001234567"}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("scans %q, want %q", got, want)
	}
	if n := len(rec.raws); n != 4 || rec.raws[3] != "" || !errors.Is(rec.rawErr[3], ErrBankCard) {
		t.Fatalf("raw lines %q %v: the bank card must arrive as nil with ErrBankCard", rec.raws, rec.rawErr)
	}
	if !rec.scans[2].At.Equal(clock.Now()) {
		t.Fatalf("scan time %v, want the injected clock's %v", rec.scans[2].At, clock.Now())
	}
}

// TestRunCameraStatus: Starting, Ready at the first frame, Stopped when a
// finite source ends (its last frame decoded); Failed with the error's
// text when the source fails.
func TestRunCameraStatus(t *testing.T) {
	rec := newRecorder()
	src := NewImageSource([]image.Image{renderSynth("LC-7", small)}, 0, false)
	if err := RunCamera(context.Background(), "cam", src, rec.sink(), CameraOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := rec.states; len(got) != 3 || got[0] != StateStarting || got[1] != StateReady || got[2] != StateStopped {
		t.Fatalf("states %v", got)
	}
	if len(rec.scans) != 1 || rec.scans[0].Value != "LC-7" {
		t.Fatalf("scans %+v", rec.scans)
	}

	broken := newChanSource()
	rec = newRecorder()
	done := make(chan error, 1)
	go func() { done <- RunCamera(context.Background(), "cam", broken, rec.sink(), CameraOptions{}) }()
	<-broken.asked
	broken.frames <- renderSynth("", small)
	<-broken.asked
	broken.errs <- errors.New("device unplugged")
	if err := <-done; err == nil || err.Error() != "device unplugged" {
		t.Fatalf("RunCamera returned %v", err)
	}
	want := []State{StateStarting, StateReady, StateFailed, StateStopped}
	if len(rec.states) != 4 || rec.states[0] != want[0] || rec.states[1] != want[1] || rec.states[2] != want[2] || rec.states[3] != want[3] {
		t.Fatalf("states %v, want %v", rec.states, want)
	}
	if rec.detail[2] != "device unplugged" {
		t.Fatalf("failed detail %q", rec.detail[2])
	}
	select {
	case <-broken.closed:
	default:
		t.Fatal("RunCamera did not close the source")
	}
}

// TestRunCameraPreview: preview frames go out at most every PreviewEvery
// by the injected clock.
func TestRunCameraPreview(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}
	frames := make([]image.Image, 10)
	empty := renderSynth("", SynthOptions{Width: 64, Height: 36})
	for i := range frames {
		frames[i] = empty
	}
	src := &clockedSource{FrameSource: NewImageSource(frames, 0, false), clock: clock, step: 30 * time.Millisecond}
	rec := newRecorder()
	if err := RunCamera(context.Background(), "cam", src, rec.sink(), CameraOptions{Now: clock.Now, PreviewEvery: 100 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	// Frames at 30, 60 … 300 ms: previews at 30, 150 and 270 ms.
	if rec.frames != 3 {
		t.Fatalf("%d preview frames, want 3", rec.frames)
	}
}

// clockedSource moves the clock on by step before each frame.
type clockedSource struct {
	FrameSource
	clock *fakeClock
	step  time.Duration
}

func (s *clockedSource) Next(ctx context.Context) (image.Image, error) {
	s.clock.Add(s.step)
	return s.FrameSource.Next(ctx)
}

// TestRunCameraStopsOnCancel: a never-ending source stops when ctx ends:
// RunCamera returns nil, reports Stopped and closes the source.
func TestRunCameraStopsOnCancel(t *testing.T) {
	src := NewSynthSource([]string{"LC-0001234567"}, SynthOptions{Interval: 5 * time.Millisecond})
	rec := newRecorder()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- RunCamera(ctx, "cam", src, rec.sink(), CameraOptions{}) }()
	if s := <-rec.scanCh; s.Value != "LC-0001234567" {
		t.Fatalf("scan %+v", s)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("RunCamera after cancel: %v", err)
	}
	if last := rec.states[len(rec.states)-1]; last != StateStopped {
		t.Fatalf("last state %v", last)
	}
	if _, err := src.Next(context.Background()); err == nil {
		t.Fatal("the source was not closed")
	}
	if len(rec.scans) != 1 {
		t.Fatalf("the same code held to the camera gave %d scans", len(rec.scans))
	}
}

// TestCameraReal opens the machine's camera when it has one (none can be
// faked here: everything else goes through FrameSource).
func TestCameraReal(t *testing.T) {
	cams, err := Cameras()
	if err != nil {
		t.Fatal(err)
	}
	if len(cams) == 0 {
		t.Skip("no camera on this machine: the real camera path is not exercised")
	}
	t.Logf("cameras: %+v", cams)
	src, err := OpenCamera(cams[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	img, err := src.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("a %T frame of %v", img, img.Bounds())
	if _, err := OpenCamera("no such camera id"); !errors.Is(err, ErrNoCamera) {
		t.Fatalf("OpenCamera of a missing id: %v", err)
	}
}
