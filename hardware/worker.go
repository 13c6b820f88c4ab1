package hardware

import (
	"context"
	"errors"
	"image"
	"io"
	"sync"
	"time"
)

// FrameSource delivers camera frames: the real camera (OpenCamera) or a
// fake replaying images or rendering codes.
type FrameSource interface {
	// Next blocks until the next frame; it returns io.EOF when a finite
	// source is done, ctx.Err() when ctx ends.
	Next(ctx context.Context) (image.Image, error)
	Close() error
}

// CameraOptions tune RunCamera; zero values take the defaults.
type CameraOptions struct {
	Dedupe       time.Duration // the same text again within this is dropped (default 3 s)
	PreviewEvery time.Duration // frames to Sink.Frame at most this often (default 100 ms)
	Now          func() time.Time
}

func (o CameraOptions) withDefaults() CameraOptions {
	if o.Dedupe <= 0 {
		o.Dedupe = 3 * time.Second
	}
	if o.PreviewEvery <= 0 {
		o.PreviewEvery = 100 * time.Millisecond
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// RunCamera reads src until ctx ends (or src ends), decodes the newest
// frame whenever the decoder is free, and reports scans (KindQR), preview
// frames and status to sink. It closes src.
//
// A reader goroutine pulls frames into a one-frame mailbox (a newer frame
// replaces one not yet decoded, so the decoder never works through a
// backlog) and passes one to sink.Frame at most every PreviewEvery; the
// decoder (the calling goroutine) takes the newest frame whenever it is
// free. A text seen again less than Dedupe after it was last seen is
// dropped (so a phone held to the camera is one scan; it counts again
// once it has been away that long). Each new text goes to sink.Raw, then
// through ParseQR to sink.Scan; a bank card's number goes to sink.Raw as
// nil with ErrBankCard and never further. Status goes Starting, Ready at
// the first frame, Failed (with the error) if the source fails, and
// Stopped at the end. Sink calls never overlap (a preview frame due while
// the sink is busy is skipped).
//
// It returns nil when ctx ends or the source ends (io.EOF), and the
// source's error when it fails.
func RunCamera(ctx context.Context, source string, src FrameSource, sink Sink, opt CameraOptions) error {
	opt = opt.withDefaults()
	var sinkMu sync.Mutex // sink calls from both goroutines never overlap
	call := func(f func()) {
		sinkMu.Lock()
		defer sinkMu.Unlock()
		f()
	}
	tryCall := func(f func()) bool {
		if !sinkMu.TryLock() {
			return false
		}
		defer sinkMu.Unlock()
		f()
		return true
	}
	status := func(st State, detail string) {
		call(func() { sink.status(Status{Source: source, State: st, Detail: detail, At: opt.Now()}) })
	}
	status(StateStarting, "")

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	mailbox := make(chan image.Image, 1)
	var readErr error
	readerDone := make(chan struct{})
	go func() {
		defer close(readerDone)
		readErr = readFrames(ctx, source, src, sink, mailbox, opt, tryCall, status)
	}()

	w := decodeWorker{source: source, opt: opt, seen: map[string]time.Time{}}
	for {
		select {
		case img := <-mailbox:
			if ctx.Err() == nil {
				w.decode(img, call, sink)
			}
			continue
		case <-readerDone:
			// A finite source's last frame is still decoded.
			select {
			case img := <-mailbox:
				if ctx.Err() == nil {
					w.decode(img, call, sink)
				}
			default:
			}
		case <-ctx.Done():
			// Close unblocks a source whose Next does not watch ctx.
			src.Close()
			<-readerDone
		}
		cancel()
		err := readErr
		if closeErr := src.Close(); err == nil && closeErr != nil && !errors.Is(closeErr, errClosed) {
			err = closeErr
		}
		if err != nil {
			status(StateFailed, err.Error())
		}
		status(StateStopped, "")
		return err
	}
}

// readFrames pulls frames into the mailbox until ctx ends or the source
// does; it returns the source's error (nil for io.EOF or ctx's end).
func readFrames(ctx context.Context, source string, src FrameSource, sink Sink, mailbox chan image.Image, opt CameraOptions, tryCall func(func()) bool, status func(State, string)) error {
	var lastPreview time.Time
	ready := false
	for {
		img, err := src.Next(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if img == nil {
			continue
		}
		if !ready {
			ready = true
			status(StateReady, "")
		}
		// The one-frame mailbox: the newest frame wins.
		select {
		case mailbox <- img:
		default:
			select {
			case <-mailbox:
			default:
			}
			select {
			case mailbox <- img:
			default:
			}
		}
		if now := opt.Now(); lastPreview.IsZero() || now.Sub(lastPreview) >= opt.PreviewEvery {
			// A preview is skipped while the sink is busy with a scan:
			// the reader must keep taking frames.
			if tryCall(func() { sink.frame(source, img) }) {
				lastPreview = now
			}
		}
	}
}

// decodeWorker is the decoder's state: the frame count (which costly pass
// runs) and when each text was last seen.
type decodeWorker struct {
	source string
	opt    CameraOptions
	n      int
	seen   map[string]time.Time
}

// decode reads one frame and reports what it holds.
func (w *decodeWorker) decode(img image.Image, call func(func()), sink Sink) {
	w.n++
	text, ok := decodeFrame(img, w.n)
	if !ok {
		return
	}
	now := w.opt.Now()
	for t, at := range w.seen {
		if now.Sub(at) >= w.opt.Dedupe {
			delete(w.seen, t)
		}
	}
	_, dup := w.seen[text]
	w.seen[text] = now
	if dup {
		return
	}
	p, err := ParseQR(text)
	if errors.Is(err, ErrBankCard) {
		call(func() { sink.raw(w.source, nil, ErrBankCard) })
		return
	}
	raw := []byte(text)
	call(func() { sink.raw(w.source, raw, err) })
	if err != nil {
		return
	}
	call(func() {
		sink.scan(Scan{Source: w.source, Kind: p.Kind, Value: p.Value, Alt: p.Alt, Raw: []byte(text), At: now})
	})
}
