package hardware

// API of the camera side, agreed before it is built (helper A replaces the
// bodies; the signatures stay).

import (
	"context"
	"errors"
	"image"
	"time"
)

var errNotBuilt = errors.New("not built yet")

// Camera is a camera the system offers.
type Camera struct {
	ID    string // stable id to open it by
	Label string // what people see
}

// Cameras lists the cameras (none, and no error, when there are none).
func Cameras() ([]Camera, error) { return nil, errNotBuilt }

// FrameSource delivers camera frames: the real camera (OpenCamera) or a
// fake replaying images or rendering codes.
type FrameSource interface {
	// Next blocks until the next frame; it returns io.EOF when a finite
	// source is done, ctx.Err() when ctx ends.
	Next(ctx context.Context) (image.Image, error)
	Close() error
}

// OpenCamera opens a camera by its id ("" for the first one).
func OpenCamera(id string) (FrameSource, error) { return nil, errNotBuilt }

// CameraOptions tune RunCamera; zero values take the defaults.
type CameraOptions struct {
	Dedupe       time.Duration // the same text again within this is dropped (default 3 s)
	PreviewEvery time.Duration // frames to Sink.Frame at most this often (default 100 ms)
	Now          func() time.Time
}

// RunCamera reads src until ctx ends (or src ends), decodes the newest
// frame whenever the decoder is free, and reports scans (KindQR), preview
// frames and status to sink. It closes src.
func RunCamera(ctx context.Context, source string, src FrameSource, sink Sink, opt CameraOptions) error {
	return errNotBuilt
}

// NewImageSource is a fake camera replaying images (looping when loop is
// set) one every interval.
func NewImageSource(frames []image.Image, interval time.Duration, loop bool) FrameSource {
	return nil
}

// SynthOptions say how a fake camera renders codes; zero values are mild.
type SynthOptions struct {
	Width, Height int           // frame size (default 1280×720)
	Interval      time.Duration // between frames (default 100 ms)
	Blur          float64       // Gaussian blur radius in pixels
	Rotate        float64       // degrees
	Perspective   float64       // 0…0.4: how much one side shrinks
	Glare         float64       // 0…1: a bright spot's strength
	Invert        bool          // white on black (a phone in dark mode)
	Scale         float64       // the code's share of the frame height (default 0.45)
}

// NewSynthSource is a fake camera that renders each text as a QR code in
// turn (with our generator), degraded as opt says, and loops.
func NewSynthSource(texts []string, opt SynthOptions) FrameSource { return nil }
