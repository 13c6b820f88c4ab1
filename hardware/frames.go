package hardware

import (
	"context"
	"errors"
	"image"
	"io"
	"sync"
	"time"
)

// errClosed is what a closed fake camera's Next returns.
var errClosed = errors.New("the frame source is closed")

// NewImageSource is a fake camera replaying images (looping when loop is
// set) one every interval. The first frame comes at once; a source with
// no frames, or done without loop, returns io.EOF.
func NewImageSource(frames []image.Image, interval time.Duration, loop bool) FrameSource {
	return &imageSource{frames: frames, interval: interval, loop: loop, done: make(chan struct{})}
}

type imageSource struct {
	frames   []image.Image
	interval time.Duration
	loop     bool

	mu   sync.Mutex
	i    int
	last time.Time
	once sync.Once
	done chan struct{}
}

// Next waits until a frame is due and returns it.
func (s *imageSource) Next(ctx context.Context) (image.Image, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.done:
		return nil, errClosed
	default:
	}
	if s.i >= len(s.frames) {
		if !s.loop || len(s.frames) == 0 {
			return nil, io.EOF
		}
		s.i = 0
	}
	if !s.last.IsZero() && s.interval > 0 {
		if wait := time.Until(s.last.Add(s.interval)); wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
				return nil, ctx.Err()
			case <-s.done:
				t.Stop()
				return nil, errClosed
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	img := s.frames[s.i]
	s.i++
	s.last = time.Now()
	return img, nil
}

// Close stops the source: a Next waiting returns at once.
func (s *imageSource) Close() error {
	s.once.Do(func() { close(s.done) })
	return nil
}
