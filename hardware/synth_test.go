package hardware

import (
	"context"
	"fmt"
	"image"
	"io"
	"testing"
	"time"

	qrgen "github.com/skip2/go-qrcode"
)

// synthCases are degraded renderings our own codes must survive, as a
// phone or a printed card held to the till's camera gives them.
var synthCases = []struct {
	name string
	opt  SynthOptions
}{
	{"plain", SynthOptions{}},
	{"blur 2", SynthOptions{Blur: 2}},
	{"blur 4", SynthOptions{Blur: 4}},
	{"rotate 30", SynthOptions{Rotate: 30}},
	{"rotate 135", SynthOptions{Rotate: 135}},
	{"perspective 0.3", SynthOptions{Perspective: 0.3}},
	{"glare 0.6", SynthOptions{Glare: 0.6}},
	{"inverted", SynthOptions{Invert: true}},
	{"small 0.2", SynthOptions{Scale: 0.2}},
	{"large 0.9", SynthOptions{Scale: 0.9}},
	{"all at once", SynthOptions{Blur: 1.5, Rotate: -20, Perspective: 0.2, Glare: 0.4, Invert: true, Scale: 0.35}},
}

var ourCodes = []string{"LC-0001234567", "0001234567", "https://loyalty.example/c/LC-0009876543"}

// TestSynthDecodes: our own codes read back exactly, through Decode and
// through the camera's decoder, under blur, rotation, perspective, glare,
// inversion and scale.
func TestSynthDecodes(t *testing.T) {
	for _, c := range synthCases {
		for _, text := range ourCodes {
			opt := c.opt
			if q, err := qrgen.New(text, qrgen.Medium); err != nil {
				t.Fatal(err)
			} else if q.VersionNumber == 1 && opt.Perspective > 0.05 {
				// A version-1 code has no alignment pattern: ZXing's
				// detector takes its fourth corner as a parallelogram's,
				// so it reads only a slight perspective (README).
				opt.Perspective = 0.05
			}
			img := renderSynth(text, opt)
			if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != 720 {
				t.Fatalf("frame is %v", b)
			}
			if got, ok := Decode(img); !ok || got != text {
				t.Errorf("%s: Decode(%q) = %q, %v", c.name, text, got, ok)
			}
			// The camera reads it in its first three frames (each tries
			// the cheap passes and one costlier pass in turn).
			read := false
			for n := 1; n <= 3 && !read; n++ {
				got, ok := decodeFrame(img, n)
				if ok && got != text {
					t.Errorf("%s: the camera read %q as %q", c.name, text, got)
				}
				read = ok
			}
			if !read {
				t.Errorf("%s: the camera does not read %q", c.name, text)
			}
		}
	}
}

// TestSynthEmptyScene: a scene without a code reads as nothing.
func TestSynthEmptyScene(t *testing.T) {
	img := renderSynth("", SynthOptions{Glare: 0.5, Blur: 1})
	if got, ok := Decode(img); ok {
		t.Fatalf("an empty scene read as %q", got)
	}
}

// TestSynthSource: the fake camera renders each text in turn and loops;
// a closed source stops.
func TestSynthSource(t *testing.T) {
	src := NewSynthSource([]string{"LC-1", "LC-2"}, SynthOptions{Interval: time.Millisecond, Width: 640, Height: 360})
	ctx := context.Background()
	var got []string
	for i := 0; i < 5; i++ {
		img, err := src.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := img.(*image.YCbCr); !ok {
			t.Fatalf("frame is %T, want *image.YCbCr", img)
		}
		text, _ := Decode(img)
		got = append(got, text)
	}
	if fmt.Sprint(got) != "[LC-1 LC-2 LC-1 LC-2 LC-1]" {
		t.Fatalf("frames read %q", got)
	}
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := src.Next(ctx); err == nil {
		t.Fatal("Next after Close gave a frame")
	}
}

// TestImageSource: images replay in order, once (then io.EOF) or looping;
// Next honours ctx.
func TestImageSource(t *testing.T) {
	a, b := image.NewGray(image.Rect(0, 0, 1, 1)), image.NewGray(image.Rect(0, 0, 2, 2))
	ctx := context.Background()
	once := NewImageSource([]image.Image{a, b}, 0, false)
	for _, want := range []image.Image{a, b} {
		if img, err := once.Next(ctx); err != nil || img != want {
			t.Fatalf("Next = %v, %v", img, err)
		}
	}
	if _, err := once.Next(ctx); err != io.EOF {
		t.Fatalf("after the last frame: %v, want io.EOF", err)
	}
	loop := NewImageSource([]image.Image{a, b}, 0, true)
	for i := 0; i < 5; i++ {
		want := []image.Image{a, b}[i%2]
		if img, err := loop.Next(ctx); err != nil || img != want {
			t.Fatalf("frame %d = %v, %v", i, img, err)
		}
	}
	if _, err := NewImageSource(nil, 0, true).Next(ctx); err != io.EOF {
		t.Fatalf("no frames: %v, want io.EOF", err)
	}
	slow := NewImageSource([]image.Image{a}, time.Hour, true)
	if _, err := slow.Next(ctx); err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := slow.Next(cctx); err != context.Canceled {
		t.Fatalf("Next with an ended ctx: %v", err)
	}
}
