package cardprint_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"loyaltydesk/app"
	"loyaltydesk/app/cardprint"
	"loyaltydesk/db"
	"loyaltydesk/hardware"
)

// env is a real SQLite store with the use cases the tests need.
type env struct {
	ctx   context.Context
	store *db.Store
	cards *app.Cards
	till  *app.Till
}

func newEnv(t testing.TB) *env {
	t.Helper()
	ctx := app.WithActor(context.Background(), "test")
	store, err := db.Open(ctx, filepath.Join(t.TempDir(), "cards.db"), db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	clock := app.SystemClock{}
	till := app.NewTill(store, clock, app.NewLedger(store, clock), app.NewPurchases(store, clock))
	return &env{ctx: ctx, store: store, cards: app.NewCards(store, clock), till: till}
}

var (
	firstNames = []string{"Анна", "Борис", "Вера", "Глеб", "Дарья", "Егор", "Жанна", "Зиновий", "Ирина", "Кирилл"}
	lastNames  = []string{"Иванова", "Петров", "Смирнова", "Кузнецов", "Попова", "Соколов", "Лебедева", "Козлов",
		"Новикова", "Морозов-Константинопольский"}
)

// issue makes n clients and issues them cards through ForPrint.
func (e *env) issue(t testing.TB, n int) []app.IssuedCard {
	t.Helper()
	clients := app.NewClients(e.store, app.SystemClock{})
	ids := make([]string, n)
	for i := range n {
		c, err := clients.Create(e.ctx, app.ClientInput{
			FirstName: firstNames[i%len(firstNames)], LastName: lastNames[(i/len(firstNames)+i)%len(lastNames)],
			Phone: fmt.Sprintf("+7 916 %03d-%02d-%02d", 100+i/100, i%100, (i*7)%100),
		})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = c.ID
	}
	cards, err := e.cards.ForPrint(e.ctx, ids, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(cards) != n {
		t.Fatalf("ForPrint gave %d cards for %d clients", len(cards), n)
	}
	return cards
}

// logoPNG is a real PNG logo, w × h, a gradient.
func logoPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(120 * x / w), 40, uint8(120 * y / h), 255}) // dark: it shows on white
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func design(logo []byte) app.CardDesign {
	return app.CardDesign{VenueName: "Кофейня «Северный ветер»", Logo: logo, Background: app.DefaultCardBg,
		Foreground: app.DefaultCardFg, Accent: app.DefaultCardAcc, ShowName: true, ShowNumber: true, ShowGroup: true}
}

// rasterise renders pdfPath at dpi with poppler's pdftoppm and returns the
// pages in order.
func rasterise(t *testing.T, pdfPath string, dpi int) []image.Image {
	t.Helper()
	bin, err := exec.LookPath("pdftoppm")
	if err != nil {
		t.Skip("pdftoppm (poppler-utils) is not installed: the printed cards cannot be read back; " +
			"install it with packaging/install-deps.sh --test")
	}
	prefix := filepath.Join(t.TempDir(), "page")
	if out, err := exec.Command(bin, "-r", fmt.Sprint(dpi), "-gray", "-png", pdfPath, prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	files, err := filepath.Glob(prefix + "-*.png")
	if err != nil || len(files) == 0 {
		t.Fatalf("pdftoppm wrote no pages (%v)", err)
	}
	slices.Sort(files) // zero-padded page numbers
	pages := make([]image.Image, len(files))
	for i, f := range files {
		r, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		pages[i], err = png.Decode(r)
		r.Close()
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	return pages
}

// crop returns the part of page at r (mm) at dpi.
func crop(page image.Image, r cardprint.Rect, dpi float64) image.Image {
	px := func(mm float64) int { return int(mm * dpi / 25.4) }
	b := image.Rect(px(r.X), px(r.Y), px(r.X+r.W)+1, px(r.Y+r.H)+1).Intersect(page.Bounds())
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Bounds(), page, b.Min, draw.Src)
	return out
}

// The issue's acceptance: cards for 50 clients, printed on A4 sheets and
// on CR80 pages, rasterised at 300 dpi, every code read back by the
// hardware decoder identifies its client at the till; a code with one
// character changed is rejected as forged.
func TestRoundTrip50Cards(t *testing.T) {
	if testing.Short() {
		t.Skip("rasterises and decodes 100 cards")
	}
	e := newEnv(t)
	cards := e.issue(t, 50)
	d := design(logoPNG(t, 160, 90))
	for _, layout := range []cardprint.Layout{cardprint.LayoutA4, cardprint.LayoutCR80} {
		t.Run(string(layout), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "cards.pdf")
			f, err := os.Create(path)
			if err != nil {
				t.Fatal(err)
			}
			var calls []int
			err = cardprint.PDF(f, d, cards, layout, func(done, total int) {
				if total != len(cards) {
					t.Errorf("progress total %d, want %d", total, len(cards))
				}
				calls = append(calls, done)
			})
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(calls) == 0 || calls[len(calls)-1] != len(cards) || !slices.IsSorted(calls) {
				t.Errorf("progress reported %v; want rising to %d", calls, len(cards))
			}
			const dpi = 300
			pages := rasterise(t, path, dpi)
			per := cardprint.PerPage(layout)
			if want := (len(cards) + per - 1) / per; len(pages) != want {
				t.Fatalf("%d pages, want %d", len(pages), want)
			}
			pw, ph := cardprint.PageSize(layout)
			if b := pages[0].Bounds(); abs(b.Dx()-int(pw*dpi/25.4)) > 2 || abs(b.Dy()-int(ph*dpi/25.4)) > 2 {
				t.Errorf("page is %v px at %d dpi; want %.1f × %.1f mm", b.Size(), dpi, pw, ph)
			}
			texts := make([]string, len(cards))
			var wg sync.WaitGroup
			for i := range cards {
				wg.Go(func() {
					q := cardprint.QRRect(cardprint.CardRect(layout, i%per))
					q = cardprint.Rect{X: q.X - 2, Y: q.Y - 2, W: q.W + 4, H: q.H + 4} // the card around it too
					texts[i], _ = hardware.Decode(crop(pages[i/per], q, dpi))
				})
			}
			wg.Wait()
			for i, c := range cards {
				if texts[i] != c.Code {
					t.Errorf("card %d (%s): read %q, want %q", i, c.Number, texts[i], c.Code)
					continue
				}
				g, err := e.till.Identify(e.ctx, texts[i])
				if err != nil || g.Client.ID != c.ClientID {
					t.Errorf("card %d: %q identifies %q (%v), want client %s", i, texts[i], g.Client.ID, err, c.ClientID)
				}
			}
		})
	}
	// One character changed, in the MAC and in the number: the till rejects it.
	code := cards[17].Code
	for _, pos := range []int{len(code) - 1, len(code) - 5, 4, 7} {
		b := []byte(code)
		if b[pos] == '7' {
			b[pos] = '8'
		} else {
			b[pos] = '7'
		}
		g, err := e.till.Identify(e.ctx, string(b))
		if !errors.Is(err, app.ErrForgedCode) {
			t.Errorf("%q (from %q): client %q, err %v; want ErrForgedCode", b, code, g.Client.ID, err)
		}
	}
}

func abs(n int) int { return max(n, -n) }

// Every printed code is QR version 2 or more (a quiet zone of four each
// side: version v has 17+4v modules): version 1 reads badly tilted.
func TestCodesAreVersion2(t *testing.T) {
	e := newEnv(t)
	for _, c := range e.issue(t, 3) {
		m, err := cardprint.Modules(c.Code)
		if err != nil {
			t.Fatal(err)
		}
		if v := (len(m) - 8 - 17) / 4; v < 2 {
			t.Errorf("%q is QR version %d (%d modules with the quiet zone)", c.Code, v, len(m))
		}
	}
}

// pdfCounts counts what a PDF holds: image XObjects, embedded TrueType
// fonts and the names of its fonts.
func pdfCounts(pdf []byte) (images, fontFiles int, fonts []string) {
	images = len(regexp.MustCompile(`/Subtype\s*/Image`).FindAll(pdf, -1))
	fontFiles = bytes.Count(pdf, []byte("/FontFile2"))
	for _, m := range regexp.MustCompile(`/BaseFont\s*/([A-Za-z0-9+_-]+)`).FindAllSubmatch(pdf, -1) {
		fonts = append(fonts, string(m[1]))
	}
	slices.Sort(fonts)
	return images, fontFiles, slices.Compact(fonts)
}

// The PDF embeds its fonts and draws the QR codes as vectors: the only
// image is the logo, once however many cards show it; without a logo
// there is none.
func TestPDFEmbedsFontAndNoQRImage(t *testing.T) {
	e := newEnv(t)
	cards := e.issue(t, 12)
	for _, tc := range []struct {
		name   string
		logo   []byte
		images int
	}{{"logo", logoPNG(t, 64, 128), 1}, {"no logo", nil, 0}} {
		for _, layout := range []cardprint.Layout{cardprint.LayoutA4, cardprint.LayoutCR80} {
			var b bytes.Buffer
			if err := cardprint.PDF(&b, design(tc.logo), cards, layout, nil); err != nil {
				t.Fatal(err)
			}
			images, fontFiles, fonts := pdfCounts(b.Bytes())
			if images != tc.images {
				t.Errorf("%s, %s: %d images, want %d", tc.name, layout, images, tc.images)
			}
			if fontFiles == 0 || !slices.Contains(fonts, "NotoSans") || !slices.Contains(fonts, "NotoSans-Bold") {
				t.Errorf("%s, %s: %d embedded font files, fonts %v; want NotoSans and NotoSans-Bold embedded",
					tc.name, layout, fontFiles, fonts)
			}
		}
	}
}

// Bad input is refused with a clear error and nothing written.
func TestPDFRefuses(t *testing.T) {
	card := app.IssuedCard{ClientName: "Анна", Number: "000001", Code: "LD000001-0123456789"}
	for _, tc := range []struct {
		name   string
		d      app.CardDesign
		cards  []app.IssuedCard
		layout cardprint.Layout
		want   string
	}{
		{"layout", design(nil), []app.IssuedCard{card}, "a5", "layout"},
		{"no cards", design(nil), nil, cardprint.LayoutA4, "no cards"},
		{"logo", design([]byte("GIF89a not really")), []app.IssuedCard{card}, cardprint.LayoutCR80, "logo"},
	} {
		var b bytes.Buffer
		err := cardprint.PDF(&b, tc.d, tc.cards, tc.layout, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) || b.Len() != 0 {
			t.Errorf("%s: err %v, %d bytes written; want an error about %s and nothing", tc.name, err, b.Len(), tc.want)
		}
	}
}

// The PNG of a code (QR-03) is square with whole pixels per module, about
// the size asked, with a white quiet zone, and decodes to the code.
func TestPNGReadsBack(t *testing.T) {
	e := newEnv(t)
	c := e.issue(t, 1)[0]
	for _, size := range []int{120, 300, 512} {
		var b bytes.Buffer
		if err := cardprint.PNG(&b, c.Code, size); err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(&b)
		if err != nil {
			t.Fatal(err)
		}
		m, _ := cardprint.Modules(c.Code)
		w := img.Bounds().Dx()
		if w%len(m) != 0 || img.Bounds().Dy() != w || abs(w-size) > len(m) {
			t.Errorf("size %d: %v px for %d modules; want square, whole pixels per module, about %d",
				size, img.Bounds().Size(), len(m), size)
		}
		// The quiet zone: the first four modules' rows are white.
		px := w / len(m)
		for y := range 4 * px {
			for x := range w {
				if r, _, _, _ := img.At(x, y).RGBA(); r < 0x8000 {
					t.Fatalf("size %d: dark pixel at (%d,%d) in the quiet zone", size, x, y)
				}
			}
		}
		text, ok := hardware.Decode(img)
		if !ok || text != c.Code {
			t.Errorf("size %d: decoded %q (%v), want %q", size, text, ok, c.Code)
		}
	}
	if err := cardprint.PNG(io.Discard, "  ", 300); err == nil {
		t.Error("PNG of an empty code: no error")
	}
}

// BenchmarkPDF1000Cards renders 1,000 cards with a logo on A4 sheets
// (target: under 10 s); it reports the file size.
func BenchmarkPDF1000Cards(b *testing.B) {
	e := newEnv(b)
	cards := e.issue(b, 1000)
	d := design(logoPNG(b, 400, 200))
	var n countingWriter
	for b.Loop() {
		n = 0
		if err := cardprint.PDF(&n, d, cards, cardprint.LayoutA4, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n), "bytes")
	b.ReportMetric(float64(n)/1e6, "MB")
}

// countingWriter counts what is written to it.
type countingWriter int64

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}

// Everything printed keeps the 3 mm safe margin of a CR80 card, long names
// are cut with "…" to fit (the venue's wraps first), and the A4 sheet's crop marks lie outside the
// cards at their corners: a card with a white background and stripe is
// rasterised and every dark pixel must be inside the margin; pdftotext
// reads the cut texts back.
func TestLayoutMarginsAndCuts(t *testing.T) {
	d := design(logoPNG(t, 50, 120))
	d.Background, d.Accent, d.Foreground = "#FFFFFF", "#FFFFFF", "#000000"
	d.VenueName = "Ресторан «Щедрый Константинополь» у Петропавловской"
	card := app.IssuedCard{ClientName: "Константинопольская-Щедрина Александра Владимировна", GroupName: "Золотые гости выходного дня навсегда",
		Number: "1234567", Code: "LD1234567-0123456789"}
	dir := t.TempDir()
	for _, layout := range []cardprint.Layout{cardprint.LayoutCR80, cardprint.LayoutA4} {
		path := filepath.Join(dir, string(layout)+".pdf")
		var b bytes.Buffer
		if err := cardprint.PDF(&b, d, []app.IssuedCard{card, card}, layout, nil); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		const dpi = 300
		page := rasterise(t, path, dpi)[0]
		px := func(mm float64) int { return int(mm * dpi / 25.4) }
		cr := cardprint.CardRect(layout, 0)
		inner := image.Rect(px(cr.X+3), px(cr.Y+3), px(cr.X+cr.W-3)+1, px(cr.Y+cr.H-3)+1)
		card := image.Rect(px(cr.X), px(cr.Y), px(cr.X+cr.W), px(cr.Y+cr.H))
		dark, outside, marks := 0, 0, 0
		b2 := page.Bounds()
		for y := b2.Min.Y; y < b2.Max.Y; y++ {
			for x := b2.Min.X; x < b2.Max.X; x++ {
				if l, _, _, _ := color.GrayModel.Convert(page.At(x, y)).RGBA(); l > 0x8000 {
					continue
				}
				p := image.Pt(x, y)
				switch {
				case p.In(inner):
					dark++
				case p.In(card.Inset(-2)): // the edge itself may anti-alias
					outside++
				case layout == cardprint.LayoutA4 && p.In(card.Inset(-px(4))):
					marks++
				}
			}
		}
		if dark == 0 || outside != 0 {
			t.Errorf("%s: %d dark pixels inside the safe margin, %d in it; want none in it", layout, dark, outside)
		}
		if layout == cardprint.LayoutA4 && marks < 8*px(2) {
			t.Errorf("A4: %d crop mark pixels round the first card; want eight marks", marks)
		}
		if layout == cardprint.LayoutCR80 {
			bin, err := exec.LookPath("pdftotext")
			if err != nil {
				continue
			}
			out, err := exec.Command(bin, "-f", "1", "-l", "1", path, "-").Output()
			if err != nil {
				t.Fatalf("pdftotext: %v", err)
			}
			text := string(out)
			for _, want := range []string{"Ресторан «", "Константинопольск", "Золотые", "№ 1234567"} {
				if !strings.Contains(text, want) {
					t.Errorf("the card's text %q lacks %q", text, want)
				}
			}
			// The venue's name takes up to three lines beside the logo;
			// the client's and group's names are cut.
			if !strings.Contains(text, "Петропавловской") || strings.Count(text, "…") < 2 || strings.Contains(text, "Владимировна") {
				t.Errorf("the card's text %q: want the venue whole on its lines, the client and group names cut with …", text)
			}
		}
	}
}

// A usual venue name beside a logo is printed whole: smaller, or on two
// lines, rather than cut to «Кофейня «…» (QR-02).
func TestVenueNameShrinksOrWraps(t *testing.T) {
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	for _, name := range []string{"Кофейня «Зерно»", "Кофейня «Северный ветер»", "Салон красоты «Северное сияние»"} {
		d := design(logoPNG(t, 120, 120))
		d.VenueName = name
		var b bytes.Buffer
		if err := cardprint.PDF(&b, d, []app.IssuedCard{{ClientName: "Анна", Number: "000001", Code: "LD000001-0123456789"}}, cardprint.LayoutCR80, nil); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "card.pdf")
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(bin, path, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		text := strings.Join(strings.Fields(string(out)), " ")
		if !strings.Contains(text, name) || strings.Contains(text, "…") {
			t.Errorf("venue %q printed as %q", name, text)
		}
	}
}
