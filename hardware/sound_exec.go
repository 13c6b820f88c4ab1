//go:build !windows

package hardware

import (
	"errors"
	"os"
	"os/exec"
	"runtime"
)

// errNoPlayer means the system has none of the players the beep knows.
var errNoPlayer = errors.New("no sound player on PATH (paplay, pw-play, aplay or afplay)")

// player is a command that plays a WAV file given as its last argument.
type player struct {
	name string
	args []string
}

// players lists the players to try on goos, the first found winning.
func players(goos string) []player {
	if goos == "darwin" {
		return []player{{name: "afplay"}}
	}
	return []player{{name: "paplay"}, {name: "pw-play"}, {name: "aplay", args: []string{"-q"}}}
}

// findPlayer returns the path and arguments of the first player on PATH.
func findPlayer() (string, []string, error) {
	for _, p := range players(runtime.GOOS) {
		if path, err := exec.LookPath(p.name); err == nil {
			return path, p.args, nil
		}
	}
	return "", nil, errNoPlayer
}

// play plays a WAV through a player and waits until it is done.
func play(wav []byte) error {
	path, args, err := findPlayer()
	if err != nil {
		return err
	}
	file, err := writeTempWAV(wav)
	if err != nil {
		return err
	}
	defer os.Remove(file)
	return exec.Command(path, append(args, file)...).Run()
}

// playAsync plays a WAV off the caller's goroutine; it reports only a
// missing player, at once.
func playAsync(wav []byte) error {
	if _, _, err := findPlayer(); err != nil {
		return err
	}
	go func() { _ = play(wav) }()
	return nil
}
