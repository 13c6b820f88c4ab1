package hardware

// The till's confirmation sound (ID-01…ID-03): a short beep, high for a
// guest found, low and double for a code not found or refused. The sound is
// a WAV made in memory and played without cgo by what the system has: on
// Linux paplay, pw-play or aplay (whichever is on PATH), on macOS afplay,
// on Windows PlaySoundW of winmm.dll. With no player the beep is silently
// skipped (said once in the log at debug level).

import (
	"bytes"
	"encoding/binary"
	"log/slog"
	"math"
	"os"
	"sync"
)

// The beeps' shape.
const (
	beepRate   = 22050 // samples per second, mono, 16 bits
	beepOKHz   = 1760  // A6: a short bright "found"
	beepBadHz  = 440   // A4, twice: "no"
	beepOKMS   = 90
	beepBadMS  = 110
	beepGapMS  = 60
	beepVolume = 0.35 // of full scale
	beepFadeMS = 6    // fade in and out, so the beep does not click
)

var (
	beepOnce          sync.Once
	beepOK, beepBad   []byte // the two WAVs, made once and never changed (Windows plays them in place)
	playerMissingOnce sync.Once
)

func beepSounds() {
	beepOnce.Do(func() {
		beepOK = wavPCM16(beepRate, tone(beepRate, beepOKHz, beepOKMS))
		bad := tone(beepRate, beepBadHz, beepBadMS)
		bad = append(bad, make([]int16, beepRate*beepGapMS/1000)...)
		bad = append(bad, tone(beepRate, beepBadHz, beepBadMS)...)
		beepBad = wavPCM16(beepRate, bad)
	})
}

// BeepWAV returns the beep as a WAV file: the "found" one when ok, the
// "not found or refused" one otherwise. The bytes are shared: do not change
// them.
func BeepWAV(ok bool) []byte {
	beepSounds()
	if ok {
		return beepOK
	}
	return beepBad
}

// Beep plays the beep (see BeepWAV) without waiting for it. It does nothing
// when the system has no player it knows.
func Beep(ok bool) {
	if err := playAsync(BeepWAV(ok)); err != nil {
		playerMissingOnce.Do(func() { slog.Debug("no sound player: the till's beeps are silent", "err", err) })
	}
}

// tone is a sine of hz for ms milliseconds at rate, faded in and out.
func tone(rate, hz, ms int) []int16 {
	n := rate * ms / 1000
	fade := rate * beepFadeMS / 1000
	out := make([]int16, n)
	for i := range out {
		amp := beepVolume
		if i < fade {
			amp *= float64(i) / float64(fade)
		}
		if j := n - 1 - i; j < fade {
			amp *= float64(j) / float64(fade)
		}
		out[i] = int16(math.Round(amp * math.MaxInt16 * math.Sin(2*math.Pi*float64(hz)*float64(i)/float64(rate))))
	}
	return out
}

// wavPCM16 encodes mono 16-bit samples as a WAV file: the 44-byte RIFF
// header (RIFF size, "fmt " chunk of PCM, "data" chunk) and the samples,
// little-endian.
func wavPCM16(rate int, samples []int16) []byte {
	const channels, bits = 1, 16
	data := len(samples) * channels * bits / 8
	var b bytes.Buffer
	b.Grow(44 + data)
	w := func(v any) { _ = binary.Write(&b, binary.LittleEndian, v) }
	b.WriteString("RIFF")
	w(uint32(36 + data))
	b.WriteString("WAVE")
	b.WriteString("fmt ")
	w(uint32(16))                         // the fmt chunk's size
	w(uint16(1))                          // PCM
	w(uint16(channels))                   // mono
	w(uint32(rate))                       // sample rate
	w(uint32(rate * channels * bits / 8)) // byte rate
	w(uint16(channels * bits / 8))        // block align
	w(uint16(bits))                       // bits per sample
	b.WriteString("data")
	w(uint32(data))
	w(samples)
	return b.Bytes()
}

// writeTempWAV writes a sound to a temporary file for a player that takes a
// path; the caller removes it.
func writeTempWAV(wav []byte) (string, error) {
	f, err := os.CreateTemp("", "loyaltydesk-beep-*.wav")
	if err != nil {
		return "", err
	}
	if _, err := f.Write(wav); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}
