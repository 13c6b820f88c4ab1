//go:build windows

package hardware

import (
	"unsafe"

	"golang.org/x/sys/windows"
)

// PlaySoundW's flags (mmsystem.h).
const (
	sndAsync     = 0x0001 // return at once
	sndNoDefault = 0x0002 // no default sound when this one cannot play
	sndMemory    = 0x0004 // the sound is a WAV in memory
)

var procPlaySoundW = windows.NewLazySystemDLL("winmm.dll").NewProc("PlaySoundW")

// playAsync plays a WAV from memory through winmm's PlaySoundW without
// waiting. The WAV must stay unchanged while it plays: the beeps are made
// once and kept (BeepWAV).
func playAsync(wav []byte) error {
	if err := procPlaySoundW.Find(); err != nil {
		return err
	}
	if len(wav) == 0 {
		return nil
	}
	r, _, err := procPlaySoundW.Call(uintptr(unsafe.Pointer(&wav[0])), 0, sndMemory|sndAsync|sndNoDefault)
	if r == 0 {
		return err
	}
	return nil
}
