package hardware

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// wavInfo reads back what a test needs of a WAV made by wavPCM16.
type wavInfo struct {
	rate, byteRate         uint32
	format, channels, bits uint16
	riffSize, dataSize     uint32
	samples                []int16
}

func readWAV(t *testing.T, b []byte) wavInfo {
	t.Helper()
	if len(b) < 44 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WAVE" || string(b[12:16]) != "fmt " || string(b[36:40]) != "data" {
		t.Fatalf("not a canonical WAV header: % x", b[:min(len(b), 44)])
	}
	le := binary.LittleEndian
	w := wavInfo{riffSize: le.Uint32(b[4:]), format: le.Uint16(b[20:]), channels: le.Uint16(b[22:]),
		rate: le.Uint32(b[24:]), byteRate: le.Uint32(b[28:]), bits: le.Uint16(b[34:]), dataSize: le.Uint32(b[40:])}
	if le.Uint32(b[16:]) != 16 {
		t.Errorf("fmt chunk size %d, want 16", le.Uint32(b[16:]))
	}
	w.samples = make([]int16, (len(b)-44)/2)
	if err := binary.Read(bytes.NewReader(b[44:]), le, w.samples); err != nil {
		t.Fatal(err)
	}
	return w
}

// crossings counts the rising zero crossings of a stretch of samples.
func crossings(s []int16) int {
	n := 0
	for i := 1; i < len(s); i++ {
		if s[i-1] < 0 && s[i] >= 0 {
			n++
		}
	}
	return n
}

// The beeps are valid PCM WAVs whose header agrees with their length, and
// "found" is a short high tone, "not found" a longer low one.
func TestBeepWAV(t *testing.T) {
	for _, ok := range []bool{true, false} {
		b := BeepWAV(ok)
		w := readWAV(t, b)
		if w.format != 1 || w.channels != 1 || w.bits != 16 || w.rate != beepRate || w.byteRate != beepRate*2 {
			t.Errorf("ok=%v: format %d, %d channels, %d bits, %d Hz, %d B/s", ok, w.format, w.channels, w.bits, w.rate, w.byteRate)
		}
		if int(w.dataSize) != len(b)-44 || int(w.riffSize) != len(b)-8 {
			t.Errorf("ok=%v: data size %d and RIFF size %d for a file of %d bytes", ok, w.dataSize, w.riffSize, len(b))
		}
		if w.samples[0] != 0 || w.samples[len(w.samples)-1] != 0 {
			t.Errorf("ok=%v: the beep starts at %d and ends at %d, not faded from silence", ok, w.samples[0], w.samples[len(w.samples)-1])
		}
		var peak int16
		for _, s := range w.samples {
			peak = max(peak, s)
		}
		if peak < 8000 || peak > 16000 {
			t.Errorf("ok=%v: peak %d, want about a third of full scale", ok, peak)
		}
	}
	good, bad := readWAV(t, BeepWAV(true)), readWAV(t, BeepWAV(false))
	// The frequency from the zero crossings of the first tone.
	hz := func(s []int16, ms int) int { return crossings(s[:beepRate*ms/1000]) * 1000 / ms }
	if f := hz(good.samples, beepOKMS); f < beepOKHz-30 || f > beepOKHz+30 {
		t.Errorf("the found beep is %d Hz, want about %d", f, beepOKHz)
	}
	if f := hz(bad.samples, beepBadMS); f < beepBadHz-30 || f > beepBadHz+30 {
		t.Errorf("the refused beep is %d Hz, want about %d", f, beepBadHz)
	}
	if len(bad.samples) <= len(good.samples) {
		t.Errorf("the refused beep (%d samples) is not longer than the found one (%d)", len(bad.samples), len(good.samples))
	}
	if dur := len(bad.samples) * 1000 / beepRate; dur > 400 {
		t.Errorf("the refused beep lasts %d ms: too long for a rush", dur)
	}
}
