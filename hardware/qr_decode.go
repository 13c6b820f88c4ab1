package hardware

// The QR decoder (ID-01): gozxing's QR reader fed the image's luminance
// plane directly, through a LuminanceSource of our own.
//
// Why gozxing: github.com/liyue201/goqr (the design card's first choice)
// returns wrong text for numeric segments (1234567890 reads as 3216549870),
// so one guest's card could identify another; gozxing (MIT, pure Go) reads
// the ZXing photo set with no wrong text. The README has the figures.

import (
	"errors"
	"image"
	"image/draw"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	xdraw "golang.org/x/image/draw"
)

// Decode returns the text of the QR code in img ("" and false if none),
// trying the inverted image too.
//
// It runs the cheap passes a camera needs first (the hybrid binarizer on
// the luminance plane, then on the inverted plane for white-on-black
// phone screens) and the costlier ones only when those find nothing.
func Decode(img image.Image) (string, bool) {
	return decodePlane(lumaOf(img), fullPasses)
}

// decodeFast is the camera passes alone.
func decodeFast(img image.Image) (string, bool) {
	return decodePlane(lumaOf(img), cameraPasses)
}

// decodeFrame is the camera's decoder for its n-th frame: the cheap passes
// on every frame, and one of the costlier ones in turn (a camera gets
// another frame 100 ms later, so the hard passes are spread over frames
// rather than all run on each; the upscaled ones are for small stills).
func decodeFrame(img image.Image, n int) (string, bool) {
	p := lumaOf(img)
	if text, ok := decodePlane(p, cameraPasses); ok {
		return text, true
	}
	if n < 0 {
		n = -n
	}
	return decodePlane(p, cameraExtra[n%len(cameraExtra):n%len(cameraExtra)+1])
}

// A pass is one way of binarizing and reading the plane.
type pass struct {
	name     string
	invert   bool // read the inverted plane (white-on-black codes)
	global   bool // the global-histogram binarizer instead of the hybrid one
	harder   bool // gozxing's TRY_HARDER hint (a finer finder-pattern scan)
	up       bool // read a plane grown twice (small photos)
	turn     bool // read the plane turned a quarter
	maxWidth int  // skip the pass when the plane is wider than this
}

var (
	// cameraPasses are what the camera tries on every frame.
	cameraPasses = []pass{
		{name: "hybrid"},
		{name: "hybrid inverted", invert: true},
	}
	// cameraExtra are the camera's costlier passes, one per frame in turn.
	cameraExtra = []pass{
		{name: "global", global: true, harder: true},
		{name: "turned global", turn: true, global: true, harder: true},
		{name: "global inverted", global: true, harder: true, invert: true},
	}
	// fullPasses are what Decode tries on a still image, in order: the
	// camera's passes, the global-histogram binarizer (ZXing's fallback
	// for photos the local thresholds break up), the plane turned a
	// quarter (the finder-pattern scan runs along rows), and for small
	// photos the plane grown twice. Each was kept for the codes of the
	// ZXing photo set it adds (TestDecodeBlackboxPasses logs them). The
	// global binarizer on the grown plane read two more photos but misread
	// an artistic code (qrcode-2/13, "photography" for "photograph") at
	// 180° and 270°: it is left out, since a wrong text is another guest.
	fullPasses = []pass{
		{name: "hybrid"},
		{name: "hybrid inverted", invert: true},
		{name: "global", global: true, harder: true},
		{name: "global inverted", global: true, harder: true, invert: true},
		{name: "turned global", turn: true, global: true, harder: true},
		{name: "double", up: true, harder: true, maxWidth: 400},
		{name: "double turned", up: true, turn: true, harder: true, maxWidth: 400},
	}
)

var (
	hintsNone   = map[gozxing.DecodeHintType]interface{}{}
	hintsHarder = map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true}
)

// decodePlane runs the passes in order and returns the first text read.
func decodePlane(p *lumaPlane, passes []pass) (string, bool) {
	if p == nil || p.w == 0 || p.h == 0 {
		return "", false
	}
	for _, ps := range passes {
		if text, ok := runPass(p, ps); ok {
			return text, true
		}
	}
	return "", false
}

// runPass runs one pass.
func runPass(p *lumaPlane, ps pass) (string, bool) {
	if ps.maxWidth > 0 && p.w > ps.maxWidth {
		return "", false
	}
	src := p
	if ps.up {
		src = src.double()
	}
	if ps.turn {
		src = src.turned()
	}
	var ls gozxing.LuminanceSource = src
	if ps.invert {
		ls = src.inverted()
	}
	var bin gozxing.Binarizer
	if ps.global {
		bin = gozxing.NewGlobalHistgramBinarizer(ls)
	} else {
		bin = gozxing.NewHybridBinarizer(ls)
	}
	bmp, err := gozxing.NewBinaryBitmap(bin)
	if err != nil {
		return "", false
	}
	hints := hintsNone
	if ps.harder {
		hints = hintsHarder
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, hints)
	if err != nil || res == nil {
		return "", false
	}
	return res.GetText(), true
}

// lumaPlane is an 8-bit luminance plane (0 black … 255 white), read in
// place from an image's Y or gray pixels when it has them.
type lumaPlane struct {
	gozxing.LuminanceSourceBase
	pix    []byte
	stride int
	w, h   int
}

var _ gozxing.LuminanceSource = (*lumaPlane)(nil)

// newPlane wraps pix (rows stride bytes apart) without copying.
func newPlane(pix []byte, stride, w, h int) *lumaPlane {
	return &lumaPlane{LuminanceSourceBase: gozxing.LuminanceSourceBase{Width: w, Height: h}, pix: pix, stride: stride, w: w, h: h}
}

// lumaOf returns img's luminance plane: the Y plane of a YCbCr frame and
// the pixels of a gray image as they are, an RGBA image converted by a
// tight loop, anything else drawn onto a gray image.
func lumaOf(img image.Image) *lumaPlane {
	if img == nil {
		return nil
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= 0 || h <= 0 {
		return newPlane(nil, 0, 0, 0)
	}
	switch m := img.(type) {
	case *image.YCbCr:
		off := m.YOffset(b.Min.X, b.Min.Y)
		return newPlane(m.Y[off:], m.YStride, w, h)
	case *image.Gray:
		off := m.PixOffset(b.Min.X, b.Min.Y)
		return newPlane(m.Pix[off:], m.Stride, w, h)
	case *image.RGBA:
		return rgbaLuma(m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride, w, h, false)
	case *image.NRGBA:
		return rgbaLuma(m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride, w, h, true)
	}
	g := image.NewGray(image.Rect(0, 0, w, h))
	draw.Draw(g, g.Rect, img, b.Min, draw.Src)
	return newPlane(g.Pix, g.Stride, w, h)
}

// rgbaLuma converts 8-bit RGBA pixels to luminance with ZXing's integer
// weights (0.299, 0.587, 0.114). A transparent pixel counts as white (a
// code on a transparent PNG), a non-premultiplied one is blended onto
// white by its alpha.
func rgbaLuma(pix []byte, stride, w, h int, straight bool) *lumaPlane {
	out := make([]byte, w*h)
	for y := 0; y < h; y++ {
		row := pix[y*stride : y*stride+4*w]
		o := out[y*w : y*w+w]
		for x := range o {
			r, g, b, a := uint32(row[4*x]), uint32(row[4*x+1]), uint32(row[4*x+2]), uint32(row[4*x+3])
			if a == 255 {
				o[x] = byte((306*r + 601*g + 117*b + 0x200) >> 10)
				continue
			}
			if !straight { // premultiplied: un-blend from black
				if a == 0 {
					o[x] = 255
					continue
				}
				r, g, b = r*255/a, g*255/a, b*255/a
			}
			l := (306*r + 601*g + 117*b + 0x200) >> 10
			o[x] = byte((l*a + 255*(255-a)) / 255)
		}
	}
	return newPlane(out, w, w, h)
}

// inverted returns a copy of the plane with black and white swapped.
func (p *lumaPlane) inverted() *lumaPlane {
	out := make([]byte, p.w*p.h)
	for y := 0; y < p.h; y++ {
		row := p.pix[y*p.stride : y*p.stride+p.w]
		o := out[y*p.w : y*p.w+p.w]
		for x, v := range row {
			o[x] = 255 - v
		}
	}
	return newPlane(out, p.w, p.w, p.h)
}

// GetRow returns row y of the plane.
func (p *lumaPlane) GetRow(y int, row []byte) ([]byte, error) {
	if y < 0 || y >= p.h {
		return nil, errors.New("row outside the image")
	}
	if len(row) < p.w {
		row = make([]byte, p.w)
	}
	copy(row, p.pix[y*p.stride:y*p.stride+p.w])
	return row, nil
}

// GetMatrix returns the plane as width×height bytes, without copying when
// the rows are packed.
func (p *lumaPlane) GetMatrix() []byte {
	if p.stride == p.w {
		return p.pix[:p.w*p.h]
	}
	out := make([]byte, p.w*p.h)
	for y := 0; y < p.h; y++ {
		copy(out[y*p.w:], p.pix[y*p.stride:y*p.stride+p.w])
	}
	return out
}

// IsCropSupported says the plane can be cropped.
func (p *lumaPlane) IsCropSupported() bool { return true }

// Crop returns a window of the plane, sharing its pixels.
func (p *lumaPlane) Crop(left, top, width, height int) (gozxing.LuminanceSource, error) {
	if left < 0 || top < 0 || width < 0 || height < 0 || left+width > p.w || top+height > p.h {
		return nil, errors.New("crop outside the image")
	}
	return newPlane(p.pix[top*p.stride+left:], p.stride, width, height), nil
}

// Invert returns the plane with black and white swapped.
func (p *lumaPlane) Invert() gozxing.LuminanceSource { return p.inverted() }

// String draws the plane in characters (for debugging).
func (p *lumaPlane) String() string { return gozxing.LuminanceSourceString(p) }

// double returns the plane grown twice in each direction (bilinear).
func (p *lumaPlane) double() *lumaPlane {
	g := image.NewGray(image.Rect(0, 0, 2*p.w, 2*p.h))
	src := &image.Gray{Pix: p.pix, Stride: p.stride, Rect: image.Rect(0, 0, p.w, p.h)}
	xdraw.BiLinear.Scale(g, g.Rect, src, src.Rect, xdraw.Src, nil)
	return newPlane(g.Pix, g.Stride, 2*p.w, 2*p.h)
}

// turned returns the plane turned a quarter clockwise.
func (p *lumaPlane) turned() *lumaPlane {
	w, h := p.h, p.w
	out := make([]byte, w*h)
	for y := 0; y < p.h; y++ {
		row := p.pix[y*p.stride : y*p.stride+p.w]
		for x, v := range row {
			out[x*w+(w-1-y)] = v
		}
	}
	return newPlane(out, w, w, h)
}
