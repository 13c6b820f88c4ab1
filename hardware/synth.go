package hardware

import (
	"image"
	"math"
	"time"

	"github.com/anthonynsimon/bild/blur"
	qrgen "github.com/skip2/go-qrcode"
)

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

func (o SynthOptions) withDefaults() SynthOptions {
	if o.Width <= 0 {
		o.Width = 1280
	}
	if o.Height <= 0 {
		o.Height = 720
	}
	if o.Interval <= 0 {
		o.Interval = 100 * time.Millisecond
	}
	if o.Scale <= 0 {
		o.Scale = 0.45
	}
	o.Perspective = math.Max(0, math.Min(o.Perspective, 0.9))
	o.Glare = math.Max(0, math.Min(o.Glare, 1))
	return o
}

// NewSynthSource is a fake camera that renders each text as a QR code in
// turn (with our generator), degraded as opt says, and loops.
//
// Frames are *image.YCbCr (4:2:0, neutral chroma) like a webcam's, each
// text's frame rendered once and replayed; an empty texts list gives an
// empty scene. A text too long for a QR code is drawn as an empty scene.
func NewSynthSource(texts []string, opt SynthOptions) FrameSource {
	opt = opt.withDefaults()
	frames := make([]image.Image, 0, len(texts))
	for _, t := range texts {
		frames = append(frames, renderSynth(t, opt))
	}
	if len(frames) == 0 {
		frames = append(frames, renderSynth("", opt))
	}
	return NewImageSource(frames, opt.Interval, true)
}

// renderSynth draws one frame of the fake camera: text as a QR code (none
// when text is empty) on a grey scene, degraded as opt says.
func renderSynth(text string, opt SynthOptions) *image.YCbCr {
	opt = opt.withDefaults()
	w, h := opt.Width, opt.Height
	y := make([]byte, w*h)
	// The scene: a counter-top grey with a soft gradient and fixed sensor
	// noise (a cheap hash, the same every time).
	for j := 0; j < h; j++ {
		for i := 0; i < w; i++ {
			n := int(hash32(uint32(i), uint32(j))%13) - 6
			v := 110 + 40*i/w + 20*j/h + n
			y[j*w+i] = clampByte(v)
		}
	}
	if text != "" {
		if q, err := qrgen.New(text, qrgen.Medium); err == nil {
			drawCode(y, w, h, q.Bitmap(), opt)
		}
	}
	if opt.Blur > 0 {
		y = blurPlane(y, w, h, opt.Blur)
	}
	if opt.Glare > 0 {
		// A bright spot up and right of the code's centre, a third of the
		// code across, washing it out towards white.
		cx, cy := float64(w)/2+0.12*float64(h), float64(h)/2-0.1*float64(h)
		r := 0.16 * float64(h)
		for j := 0; j < h; j++ {
			for i := 0; i < w; i++ {
				dx, dy := float64(i)-cx, float64(j)-cy
				g := opt.Glare * math.Exp(-(dx*dx+dy*dy)/(2*r*r))
				if g < 0.004 {
					continue
				}
				v := float64(y[j*w+i])
				y[j*w+i] = clampByte(int(v + (255-v)*g + 0.5))
			}
		}
	}
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	copy(img.Y, y)
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = 128, 128
	}
	return img
}

// drawCode paints the code's modules (quiet zone included) onto the
// plane: a square of opt.Scale of the height in the middle, its right
// side shrunk by opt.Perspective, turned by opt.Rotate; each pixel is the
// mean of 4 samples, so edges are anti-aliased.
func drawCode(y []byte, w, h int, bits [][]bool, opt SynthOptions) {
	n := float64(len(bits))
	side := opt.Scale * float64(h)
	half := side / 2
	p := opt.Perspective
	// Corners of the code (TL, TR, BR, BL) around the centre.
	corners := [4][2]float64{{-half, -half}, {half, -half * (1 - p)}, {half, half * (1 - p)}, {-half, half}}
	sin, cos := math.Sincos(opt.Rotate * math.Pi / 180)
	cx, cy := float64(w)/2, float64(h)/2
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for i, c := range corners {
		x, yy := c[0]*cos-c[1]*sin+cx, c[0]*sin+c[1]*cos+cy
		corners[i] = [2]float64{x, yy}
		minX, maxX = math.Min(minX, x), math.Max(maxX, x)
		minY, maxY = math.Min(minY, yy), math.Max(maxY, yy)
	}
	// The homography from the frame to the unit square.
	toUnit := invert3(squareToQuad(corners))
	dark, light := 35, 235
	if opt.Invert {
		dark, light = light-20, 20 // a phone in dark mode: light modules on near-black
	}
	x0, x1 := max(0, int(minX)), min(w-1, int(maxX)+1)
	y0, y1 := max(0, int(minY)), min(h-1, int(maxY)+1)
	offs := [4][2]float64{{0.25, 0.25}, {0.75, 0.25}, {0.25, 0.75}, {0.75, 0.75}}
	for j := y0; j <= y1; j++ {
		for i := x0; i <= x1; i++ {
			sum, in := 0, 0
			for _, o := range offs {
				u, v, ok := apply3(toUnit, float64(i)+o[0], float64(j)+o[1])
				if !ok || u < 0 || v < 0 || u >= 1 || v >= 1 {
					continue
				}
				in++
				if bits[int(v*n)][int(u*n)] {
					sum += dark
				} else {
					sum += light
				}
			}
			if in == 0 {
				continue
			}
			bg := int(y[j*w+i])
			y[j*w+i] = clampByte((sum + bg*(4-in)) / 4)
		}
	}
}

// blurPlane blurs a luminance plane with bild's Gaussian.
func blurPlane(y []byte, w, h int, radius float64) []byte {
	g := &image.Gray{Pix: y, Stride: w, Rect: image.Rect(0, 0, w, h)}
	b := blur.Gaussian(g, radius)
	out := make([]byte, w*h)
	for j := 0; j < h; j++ {
		row := b.Pix[j*b.Stride:]
		for i := 0; i < w; i++ {
			out[j*w+i] = row[4*i] // grey: R = G = B
		}
	}
	return out
}

type mat3 [9]float64

// squareToQuad is the projective map of the unit square onto the quad
// q (TL, TR, BR, BL) (Heckbert's construction).
func squareToQuad(q [4][2]float64) mat3 {
	x0, y0 := q[0][0], q[0][1]
	x1, y1 := q[1][0], q[1][1]
	x2, y2 := q[2][0], q[2][1]
	x3, y3 := q[3][0], q[3][1]
	dx3, dy3 := x0-x1+x2-x3, y0-y1+y2-y3
	if dx3 == 0 && dy3 == 0 {
		return mat3{x1 - x0, x3 - x0, x0, y1 - y0, y3 - y0, y0, 0, 0, 1}
	}
	dx1, dx2, dy1, dy2 := x1-x2, x3-x2, y1-y2, y3-y2
	den := dx1*dy2 - dx2*dy1
	g := (dx3*dy2 - dx2*dy3) / den
	hh := (dx1*dy3 - dx3*dy1) / den
	return mat3{x1 - x0 + g*x1, x3 - x0 + hh*x3, x0, y1 - y0 + g*y1, y3 - y0 + hh*y3, y0, g, hh, 1}
}

func invert3(m mat3) mat3 {
	a, b, c, d, e, f, g, h, i := m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8]
	A, B, C := e*i-f*h, -(d*i - f*g), d*h-e*g
	det := a*A + b*B + c*C
	return mat3{A / det, -(b*i - c*h) / det, (b*f - c*e) / det, B / det, (a*i - c*g) / det, -(a*f - c*d) / det, C / det, -(a*h - b*g) / det, (a*e - b*d) / det}
}

func apply3(m mat3, x, y float64) (float64, float64, bool) {
	z := m[6]*x + m[7]*y + m[8]
	if z == 0 {
		return 0, 0, false
	}
	return (m[0]*x + m[1]*y + m[2]) / z, (m[3]*x + m[4]*y + m[5]) / z, true
}

func hash32(a, b uint32) uint32 {
	h := a*0x9e3779b1 ^ b*0x85ebca77
	h ^= h >> 15
	h *= 0x2c1b3c6d
	h ^= h >> 12
	return h
}

func clampByte(v int) byte {
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return byte(v)
}
