package hardware

import (
	"image"
	"testing"
)

// The camera's decode cost per 1280×720 YCbCr frame (the format webcams
// deliver). At 10 frames per second the budget is 100 ms a frame for one
// core: ms/frame ÷ 100 is the share of a core the camera path uses.

func benchFrames(b *testing.B, texts []string) []image.Image {
	b.Helper()
	var frames []image.Image
	for _, t := range texts {
		frames = append(frames, renderSynth(t, SynthOptions{Blur: 1, Glare: 0.3, Rotate: 10}))
	}
	return frames
}

// BenchmarkDecodeFrame720p: a frame with a code, through the camera's
// decoder (the cheap passes read it).
func BenchmarkDecodeFrame720p(b *testing.B) {
	frames := benchFrames(b, []string{"LC-0001234567"})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, ok := decodeFrame(frames[0], i); !ok {
			b.Fatal("no code read")
		}
	}
}

// BenchmarkDecodeFrame720pNoCode: an empty counter, the usual frame; the
// camera tries both cheap passes and one costlier pass in turn.
func BenchmarkDecodeFrame720pNoCode(b *testing.B) {
	frames := benchFrames(b, []string{""})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if text, ok := decodeFrame(frames[0], i); ok {
			b.Fatalf("read %q from an empty scene", text)
		}
	}
}

// BenchmarkDecodeStill720pNoCode: Decode (every pass, as for a still
// image) on an empty frame: what a camera would cost if it ran them all.
func BenchmarkDecodeStill720pNoCode(b *testing.B) {
	frames := benchFrames(b, []string{""})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Decode(frames[0])
	}
}

// BenchmarkCameraPath10fps: the camera path's cost per frame at 10 fps,
// one frame in ten holding a code (a guest at the till now and then);
// it reports the share of one core (cpu%) the decode takes.
func BenchmarkCameraPath10fps(b *testing.B) {
	frames := benchFrames(b, []string{"LC-0001234567", "", "", "", "", "", "", "", "", ""})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		decodeFrame(frames[i%len(frames)], i)
	}
	perFrame := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(perFrame*1000, "ms/frame")
	b.ReportMetric(perFrame*10*100, "cpu%@10fps")
}
