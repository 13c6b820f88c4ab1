package hardware_test

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"loyaltydesk/hardware"
)

var update = flag.Bool("update", false, "rewrite the ESC/POS golden files in testdata/escpos")

// The fixed slip of the golden files.
var (
	goldenAbove = []string{"Кофейня «Зерно»", "Карта гостя"}
	goldenCode  = "LD000123-ABCDEFGH"
	goldenBelow = []string{"Покажите код на кассе"}
)

// escCmd is one command of an ESC/POS stream as parseSlip reads it.
type escCmd struct {
	name   string // "ESC @", "ESC t", "ESC a", "ESC d", "LF", "text", "GS ( k", "GS v 0", "GS V"
	arg    byte   // ESC t/a/d's n, GS V's m
	params []byte // GS ( k's parameters (cn fn …), GS v 0's image, the text's bytes
	xBytes int    // GS v 0: width in bytes
	yDots  int    // GS v 0: height in dots
}

// parseSlip reads a stream made only of the commands a slip may use; any
// other byte (a stray control character, a command cut short, a length
// that runs past the end) is an error.
func parseSlip(b []byte) ([]escCmd, error) {
	var cmds []escCmd
	need := func(i, n int) error {
		if i+n > len(b) {
			return fmt.Errorf("command at %d cut short: needs %d bytes, %d left", i, n, len(b)-i)
		}
		return nil
	}
	for i := 0; i < len(b); {
		switch c := b[i]; {
		case c == 0x1b:
			if err := need(i, 2); err != nil {
				return nil, err
			}
			switch b[i+1] {
			case '@':
				cmds = append(cmds, escCmd{name: "ESC @"})
				i += 2
			case 't', 'a', 'd':
				if err := need(i, 3); err != nil {
					return nil, err
				}
				cmds = append(cmds, escCmd{name: "ESC " + string(b[i+1]), arg: b[i+2]})
				i += 3
			default:
				return nil, fmt.Errorf("unknown ESC %#x at %d", b[i+1], i)
			}
		case c == 0x1d:
			if err := need(i, 3); err != nil {
				return nil, err
			}
			switch {
			case b[i+1] == '(' && b[i+2] == 'k':
				if err := need(i, 5); err != nil {
					return nil, err
				}
				n := int(b[i+3]) | int(b[i+4])<<8
				if err := need(i+5, n); err != nil {
					return nil, err
				}
				cmds = append(cmds, escCmd{name: "GS ( k", params: b[i+5 : i+5+n]})
				i += 5 + n
			case b[i+1] == 'v' && b[i+2] == '0':
				if err := need(i, 8); err != nil {
					return nil, err
				}
				if b[i+3] != 0 {
					return nil, fmt.Errorf("GS v 0 at %d: mode %d, want 0 (normal)", i, b[i+3])
				}
				x := int(b[i+4]) | int(b[i+5])<<8
				y := int(b[i+6]) | int(b[i+7])<<8
				if x == 0 || y == 0 {
					return nil, fmt.Errorf("GS v 0 at %d: empty image %d×%d", i, x, y)
				}
				if err := need(i+8, x*y); err != nil {
					return nil, err
				}
				cmds = append(cmds, escCmd{name: "GS v 0", xBytes: x, yDots: y, params: b[i+8 : i+8+x*y]})
				i += 8 + x*y
			case b[i+1] == 'V':
				if err := need(i, 4); err != nil {
					return nil, err
				}
				cmds = append(cmds, escCmd{name: "GS V", arg: b[i+2], params: b[i+3 : i+4]})
				i += 4
			default:
				return nil, fmt.Errorf("unknown GS %#x at %d", b[i+1], i)
			}
		case c == 0x0a:
			cmds = append(cmds, escCmd{name: "LF"})
			i++
		case c >= 0x20 && c != 0x7f:
			j := i
			for j < len(b) && b[j] >= 0x20 && b[j] != 0x7f {
				j++
			}
			cmds = append(cmds, escCmd{name: "text", params: b[i:j]})
			i = j
		default:
			return nil, fmt.Errorf("stray control byte %#x at %d", c, i)
		}
	}
	return cmds, nil
}

// texts returns the slip's lines decoded from code page 866.
func texts(t *testing.T, cmds []escCmd) []string {
	t.Helper()
	var out []string
	for _, c := range cmds {
		if c.name == "text" {
			s, err := charmap.CodePage866.NewDecoder().Bytes(c.params)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, string(s))
		}
	}
	return out
}

// only returns the commands named name.
func only(cmds []escCmd, name string) []escCmd {
	var out []escCmd
	for _, c := range cmds {
		if c.name == name {
			out = append(out, c)
		}
	}
	return out
}

// rasterImage draws a GS v 0 image on white with a margin of quiet zone
// (the paper around a printed code is white too).
func rasterImage(c escCmd, margin int) *image.Gray {
	w := c.xBytes * 8
	img := image.NewGray(image.Rect(0, 0, w+2*margin, c.yDots+2*margin))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for y := 0; y < c.yDots; y++ {
		for x := 0; x < w; x++ {
			if c.params[y*c.xBytes+x/8]&(0x80>>(x%8)) != 0 {
				img.SetGray(x+margin, y+margin, color.Gray{})
			}
		}
	}
	return img
}

// inkSpan is the first and last dot column with ink in a GS v 0 image.
func inkSpan(c escCmd) (first, last int) {
	first, last = -1, -1
	for x := 0; x < c.xBytes*8; x++ {
		for y := 0; y < c.yDots; y++ {
			if c.params[y*c.xBytes+x/8]&(0x80>>(x%8)) != 0 {
				if first < 0 {
					first = x
				}
				last = x
				break
			}
		}
	}
	return first, last
}

// checkFrame checks what every slip has: initialise, PC866, centred text
// before the code, back to the left, a feed, and a cut only when asked.
func checkFrame(t *testing.T, cmds []escCmd, cut bool) {
	t.Helper()
	if len(cmds) < 4 || cmds[0].name != "ESC @" || cmds[1].name != "ESC t" || cmds[1].arg != 17 ||
		cmds[2].name != "ESC a" || cmds[2].arg != 1 {
		t.Fatalf("the slip does not start with ESC @, ESC t 17, ESC a 1: %+v", cmds[:min(4, len(cmds))])
	}
	last := cmds[len(cmds)-1]
	if cut {
		if last.name != "GS V" || last.arg != 66 || last.params[0] != 0 {
			t.Errorf("the slip ends with %+v, not a cut GS V 66 0", last)
		}
		cmds = cmds[:len(cmds)-1]
	} else if len(only(cmds, "GS V")) != 0 {
		t.Error("the slip cuts without Cut")
	}
	if feed := cmds[len(cmds)-1]; feed.name != "ESC d" || feed.arg == 0 {
		t.Errorf("the slip ends with %+v, not a feed", feed)
	}
}

// checkNative checks the GS ( k blocks: model 2, the module size, the
// level, the stored data with pL pH = len+3, and the print, in that order.
func checkNative(t *testing.T, cmds []escCmd, code string, size int, level byte) {
	t.Helper()
	blocks := only(cmds, "GS ( k")
	if len(blocks) != 5 {
		t.Fatalf("%d GS ( k blocks, want 5", len(blocks))
	}
	want := [][]byte{{49, 65, 50, 0}, {49, 67, byte(size)}, {49, 69, 48 + byte(strings.IndexByte("LMQH", string(level)[0]))},
		append([]byte{49, 80, 48}, code...), {49, 81, 48}}
	for i, b := range blocks {
		if !bytes.Equal(b.params, want[i]) {
			t.Errorf("GS ( k block %d = % x, want % x", i, b.params, want[i])
		}
	}
	if got := string(blocks[3].params[3:]); got != code {
		t.Errorf("stored data %q, want %q", got, code)
	}
	if len(only(cmds, "GS v 0")) != 0 {
		t.Error("the native slip carries a raster image too")
	}
}

// checkRaster checks the GS v 0 image: as wide as the paper, square, the
// code centred in it, and that it reads back as code.
func checkRaster(t *testing.T, cmds []escCmd, code string, size, widthDots int, decode bool) {
	t.Helper()
	imgs := only(cmds, "GS v 0")
	if len(imgs) != 1 || len(only(cmds, "GS ( k")) != 0 {
		t.Fatalf("%d raster images and %d GS ( k blocks, want one image and no blocks", len(imgs), len(only(cmds, "GS ( k")))
	}
	img := imgs[0]
	if img.xBytes != (widthDots+7)/8 {
		t.Errorf("image %d bytes wide, want %d for %d dots", img.xBytes, (widthDots+7)/8, widthDots)
	}
	first, last := inkSpan(img)
	if side := last - first + 1; side != img.yDots || side%size != 0 {
		t.Errorf("code %d dots wide and %d tall, want square and a multiple of %d", side, img.yDots, size)
	}
	if d := first - (widthDots - 1 - last); d < -1 || d > 1 {
		t.Errorf("code not centred: %d dots on the left, %d on the right", first, widthDots-1-last)
	}
	if decode {
		got, ok := hardware.Decode(rasterImage(img, 4*size))
		if !ok || got != code {
			t.Errorf("the raster image reads %q (%v), want %q", got, ok, code)
		}
	}
}

func goldenSlip(t *testing.T, native bool) []byte {
	t.Helper()
	b, err := hardware.Slip(goldenAbove, goldenCode, goldenBelow,
		hardware.SlipOptions{Native: native, ModuleSize: 6, ErrorLevel: 'M', WidthDots: 384, Cut: true})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Both paths match their golden byte files (`go test ./hardware -run Golden -update`,
// the package before the flag, rewrites them after a deliberate change).
func TestSlipGolden(t *testing.T) {
	for _, c := range []struct {
		file   string
		native bool
	}{{"native.bin", true}, {"raster.bin", false}} {
		got := goldenSlip(t, c.native)
		path := filepath.Join("testdata", "escpos", c.file)
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -run Golden -update to make it)", err)
		}
		if !bytes.Equal(got, want) {
			i := 0
			for i < len(got) && i < len(want) && got[i] == want[i] {
				i++
			}
			t.Errorf("%s: %d bytes differ from the golden %d bytes from byte %d", c.file, len(got), len(want), i)
		}
	}
}

// The golden slips themselves: the Cyrillic lines survive code page 866
// (the guillemets as plain quotes), the native blocks carry the code, and
// the raster image decodes to the code with our own decoder.
func TestSlipGoldenContent(t *testing.T) {
	wantLines := []string{`Кофейня "Зерно"`, "Карта гостя", "Покажите код на кассе"}
	for _, native := range []bool{true, false} {
		for _, fromFile := range []bool{false, true} {
			b := goldenSlip(t, native)
			if fromFile {
				name := map[bool]string{true: "native.bin", false: "raster.bin"}[native]
				var err error
				if b, err = os.ReadFile(filepath.Join("testdata", "escpos", name)); err != nil {
					t.Fatal(err)
				}
			}
			cmds, err := parseSlip(b)
			if err != nil {
				t.Fatalf("native=%v: %v", native, err)
			}
			checkFrame(t, cmds, true)
			if got := texts(t, cmds); strings.Join(got, "|") != strings.Join(wantLines, "|") {
				t.Errorf("lines %q, want %q", got, wantLines)
			}
			if native {
				checkNative(t, cmds, goldenCode, 6, 'M')
			} else {
				checkRaster(t, cmds, goldenCode, 6, 384, true)
			}
		}
	}
}

// Characters code page 866 lacks print as '?', and control characters in
// a line cannot smuggle a command in.
func TestSlipTextEncoding(t *testing.T) {
	b, err := hardware.Slip([]string{"Ёлка № 5 — €10…", "a\x1bd\x05b\x1dV\x00", "😀 ok\u00a0\t"}, "X", nil, hardware.SlipOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cmds, err := parseSlip(b)
	if err != nil {
		t.Fatalf("a control character in a line broke the stream: %v", err)
	}
	want := []string{"Ёлка № 5 - ?10...", "a?d?b?V?", "? ok ?"}
	if got := texts(t, cmds); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("lines %q, want %q", got, want)
	}
	checkFrame(t, cmds, false)
	checkRaster(t, cmds, "X", 6, 384, true) // the defaults: raster, 6 dots, 58 mm
}

// Bad options and codes are refused with an error naming what is wrong.
func TestSlipValidation(t *testing.T) {
	long := strings.Repeat("A", 2000) // version 40 at H holds 1,852 alphanumerics
	for _, c := range []struct {
		code string
		opt  hardware.SlipOptions
		want string
	}{
		{"X", hardware.SlipOptions{ModuleSize: 17}, "module size 17"},
		{"X", hardware.SlipOptions{ModuleSize: -1}, "module size -1"},
		{"X", hardware.SlipOptions{ErrorLevel: 'X'}, "error level 'X'"},
		{"X", hardware.SlipOptions{ErrorLevel: 'm'}, "error level 'm'"},
		{"X", hardware.SlipOptions{WidthDots: 4}, "paper width 4"},
		{"X", hardware.SlipOptions{WidthDots: 100000}, "paper width 100000"},
		{"", hardware.SlipOptions{}, "empty"},
		{"", hardware.SlipOptions{Native: true}, "empty"},
		{long, hardware.SlipOptions{ErrorLevel: 'H', Native: true}, "too long"},
		{long, hardware.SlipOptions{ErrorLevel: 'H'}, "too long"},
		{strings.Repeat("1", 7090), hardware.SlipOptions{ErrorLevel: 'L', Native: true}, "7089"},
		{goldenCode, hardware.SlipOptions{ModuleSize: 16, ErrorLevel: 'H'}, "smaller module size"}, // version 2: 25 modules, 400 dots
		{goldenCode, hardware.SlipOptions{ModuleSize: 8, WidthDots: 160}, "160 dots"},
	} {
		b, err := hardware.Slip(nil, c.code, nil, c.opt)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Slip(%.10q…, %+v) = %d bytes, %v; want an error with %q", c.code, c.opt, len(b), err, c.want)
		}
	}
	// The printer draws the code itself: its width is the printer's business.
	if _, err := hardware.Slip(nil, goldenCode, nil, hardware.SlipOptions{Native: true, ModuleSize: 16}); err != nil {
		t.Errorf("native at 16 dots: %v", err)
	}
	// 80 mm paper takes what 58 mm does not.
	b, err := hardware.Slip(nil, goldenCode, nil, hardware.SlipOptions{ModuleSize: 16, WidthDots: 576})
	if err != nil {
		t.Fatalf("raster at 16 dots on 576: %v", err)
	}
	cmds, err := parseSlip(b)
	if err != nil {
		t.Fatal(err)
	}
	checkRaster(t, cmds, goldenCode, 16, 576, true)
}

const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

// For random alphanumeric codes of 1–60 characters, random module sizes,
// levels and widths, both paths give a stream of well-formed commands: the
// native blocks carry the code with the right lengths, and the raster
// image is the paper's width with the code centred; it reads back.
func TestSlipRandomCodes(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 4))
	n := 200
	if testing.Short() {
		n = 40
	}
	for i := 0; i < n; i++ {
		code := make([]byte, 1+rng.IntN(60))
		for j := range code {
			code[j] = alnum[rng.IntN(len(alnum))]
		}
		level := "LMQH"[rng.IntN(4)]
		size := 1 + rng.IntN(8) // 60 alphanumerics at H: version 5, 37 modules, 296 dots at 8
		width := []int{384, 576, 512, 300}[rng.IntN(4)]
		cut := rng.IntN(2) == 0
		for _, native := range []bool{true, false} {
			opt := hardware.SlipOptions{Native: native, ModuleSize: size, ErrorLevel: level, WidthDots: width, Cut: cut}
			b, err := hardware.Slip([]string{"Строка"}, string(code), []string{"line"}, opt)
			if err != nil {
				t.Fatalf("Slip(%q, %+v): %v", code, opt, err)
			}
			cmds, err := parseSlip(b)
			if err != nil {
				t.Fatalf("Slip(%q, %+v): %v", code, opt, err)
			}
			checkFrame(t, cmds, cut)
			if native {
				checkNative(t, cmds, string(code), size, level)
			} else {
				// Reading every code back costs; every code is read at 2+ dots.
				checkRaster(t, cmds, string(code), size, width, size >= 2)
			}
		}
	}
}

// Whatever the lines and the code, a slip that is made is a stream of
// well-formed commands.
func FuzzSlip(f *testing.F) {
	f.Add("Кофейня «Зерно»", "LD000123-ABCDEFGH", byte('M'), 6, true)
	f.Add("a\x1b@\x1dV", "\x00\x1b", byte('H'), 1, false)
	f.Fuzz(func(t *testing.T, line, code string, level byte, size int, native bool) {
		b, err := hardware.Slip([]string{line}, code, []string{line}, hardware.SlipOptions{Native: native, ModuleSize: size, ErrorLevel: level})
		if err != nil {
			return
		}
		cmds, err := parseSlip(b)
		if err != nil {
			t.Fatalf("Slip(%q, %q): %v", line, code, err)
		}
		if len(only(cmds, "GS ( k"))+len(only(cmds, "GS v 0")) == 0 {
			t.Fatal("a slip with no code")
		}
	})
}
