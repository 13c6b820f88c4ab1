package main

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var qrSet = filepath.Join("..", "shared", "testdata", "qr-blackbox")

// TestDecodeCommand: real photos print "file<TAB>text" (the text exactly
// as the set expects it, line breaks escaped), an image without a code
// prints nothing, an unreadable or non-image file is named on stderr after
// the rest are done, and the status is then 1.
func TestDecodeCommand(t *testing.T) {
	photos := []string{
		filepath.Join(qrSet, "qrcode-6", "1.png"),
		filepath.Join(qrSet, "qrcode-1", "1.png"),
		filepath.Join(qrSet, "qrcode-2", "16.png"), // Japanese text with CR LF
	}
	for _, p := range photos {
		if _, err := os.Stat(p); err != nil {
			t.Skipf("the QR photo set is not there: %v", err)
		}
	}
	dir := t.TempDir()
	blank := filepath.Join(dir, "blank.png")
	f, err := os.Create(blank)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, image.NewGray(image.Rect(0, 0, 64, 64))); err != nil {
		t.Fatal(err)
	}
	f.Close()
	notImage := filepath.Join(dir, "notes.png")
	if err := os.WriteFile(notImage, []byte("not a picture"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.png")

	args := append([]string{"decode", notImage}, photos[0], blank, missing, photos[1], photos[2])
	var out, errb bytes.Buffer
	if code := run(args, &out, &errb); code != 1 {
		t.Fatalf("exit %d, want 1; stderr %s", code, errb.String())
	}
	var want strings.Builder
	for _, p := range photos {
		text, err := os.ReadFile(strings.TrimSuffix(p, ".png") + ".txt")
		if err != nil {
			t.Fatal(err)
		}
		want.WriteString(p + "\t" + escapeLine(string(text)) + "\n")
	}
	if out.String() != want.String() {
		t.Fatalf("stdout:\n%q\nwant:\n%q", out.String(), want.String())
	}
	if !strings.Contains(out.String(), `\r\n`) {
		t.Fatal("the CR LF inside a code was not escaped")
	}
	e := errb.String()
	if !strings.Contains(e, notImage+": not an image") || !strings.Contains(e, missing+":") || strings.Contains(e, blank) {
		t.Fatalf("stderr: %s", e)
	}
	if strings.Count(e, "\n") != 2 {
		t.Fatalf("stderr has %d lines, want 2: %s", strings.Count(e, "\n"), e)
	}
}

// TestDecodeCommandOK: readable files only: status 0, a miss prints
// nothing.
func TestDecodeCommandOK(t *testing.T) {
	p := filepath.Join(qrSet, "qrcode-6", "2.png")
	if _, err := os.Stat(p); err != nil {
		t.Skipf("the QR photo set is not there: %v", err)
	}
	want, err := os.ReadFile(filepath.Join(qrSet, "qrcode-6", "2.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run([]string{"decode", p}, &out, &errb); code != 0 || errb.Len() != 0 {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	if out.String() != p+"\t"+string(want)+"\n" {
		t.Fatalf("stdout %q", out.String())
	}
}

// TestDecodeCommandUsage: --help prints the usage (status 0); no file or
// an unknown option is a usage error (status 2).
func TestDecodeCommandUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"decode", "--help"}, &out, &errb); code != 0 || !strings.Contains(out.String(), "Usage: loyaltydesk decode IMAGE") {
		t.Fatalf("--help: exit %d, %q", code, out.String())
	}
	for _, args := range [][]string{{"decode"}, {"decode", "--bogus", "x.png"}} {
		out.Reset()
		errb.Reset()
		if code := run(args, &out, &errb); code != 2 || !strings.Contains(errb.String(), "Usage:") || out.Len() != 0 {
			t.Fatalf("%q: exit %d, stdout %q, stderr %q", args, code, out.String(), errb.String())
		}
	}
}
