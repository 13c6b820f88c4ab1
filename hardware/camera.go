package hardware

// The real camera (ID-01) through github.com/pion/mediadevices: V4L2 on
// Linux, Media Foundation on Windows, AVFoundation on macOS, all with cgo
// (built without cgo the camera driver is left out and no camera is
// listed).

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"strings"
	"sync"

	"github.com/pion/mediadevices"
	"github.com/pion/mediadevices/pkg/driver"
	"github.com/pion/mediadevices/pkg/driver/camera"
	"github.com/pion/mediadevices/pkg/io/video"
	"github.com/pion/mediadevices/pkg/prop"
)

// Camera is a camera the system offers.
type Camera struct {
	ID    string // stable id to open it by
	Label string // what people see
}

// ErrNoCamera is OpenCamera's error when the camera asked for (or any
// camera) is not there.
var ErrNoCamera = errors.New("no such camera")

// camMu guards mediadevices' driver registry; open counts the cameras
// open, so the registry is rebuilt (to see a camera plugged in since the
// start) only while none is.
var (
	camMu    sync.Mutex
	openCams int
)

// Cameras lists the cameras (none, and no error, when there are none).
//
// A camera's ID is the system's stable name for it (on Linux the
// /dev/v4l/by-id name with the video node, on Windows its name, on macOS
// its unique id), not mediadevices' id, which changes at every start.
func Cameras() ([]Camera, error) {
	camMu.Lock()
	defer camMu.Unlock()
	if openCams == 0 {
		camera.Initialize()
	}
	return listCameras(), nil
}

// listCameras lists the video inputs that are not screens; camMu is held.
func listCameras() []Camera {
	var out []Camera
	for _, info := range mediadevices.EnumerateDevices() {
		if info.Kind != mediadevices.VideoInput || info.DeviceType == driver.Screen {
			continue
		}
		d := findDriver(func(d driver.Driver) bool { return d.ID() == info.DeviceID })
		if d == nil {
			continue
		}
		out = append(out, Camera{ID: d.Info().Label, Label: cameraLabel(d.Info())})
	}
	return out
}

// cameraLabel is what people see: the device's name (without the bus
// after the separator) and its node.
func cameraLabel(in driver.Info) string {
	name, _, _ := strings.Cut(in.Name, camera.LabelSeparator)
	_, node, _ := strings.Cut(in.Label, camera.LabelSeparator)
	switch {
	case name != "" && node != "":
		return name + " (" + node + ")"
	case name != "":
		return name
	}
	return in.Label
}

func findDriver(match func(driver.Driver) bool) driver.Driver {
	for _, d := range driver.GetManager().Query(driver.FilterVideoRecorder()) {
		if d.Info().DeviceType != driver.Screen && match(d) {
			return d
		}
	}
	return nil
}

// OpenCamera opens a camera by its id ("" for the first one). It asks for
// 1280×720 (the camera gives the nearest it has); frames come as the
// driver decodes them (YCbCr for the usual YUYV, NV12 and MJPEG cameras).
// Close releases the camera.
func OpenCamera(id string) (FrameSource, error) {
	camMu.Lock()
	defer camMu.Unlock()
	var devID string
	if id != "" {
		byLabel := func(d driver.Driver) bool { return d.Info().Label == id }
		d := findDriver(byLabel)
		if d == nil && openCams == 0 {
			camera.Initialize() // plugged in since the start
			d = findDriver(byLabel)
		}
		if d == nil {
			return nil, fmt.Errorf("%w: %s", ErrNoCamera, id)
		}
		devID = d.ID()
	} else if findDriver(func(driver.Driver) bool { return true }) == nil {
		if openCams == 0 {
			camera.Initialize()
		}
		if findDriver(func(driver.Driver) bool { return true }) == nil {
			return nil, ErrNoCamera
		}
	}
	stream, err := mediadevices.GetUserMedia(mediadevices.MediaStreamConstraints{
		Video: func(c *mediadevices.MediaTrackConstraints) {
			if devID != "" {
				c.DeviceID = prop.StringExact(devID)
			}
			c.Width = prop.Int(1280)
			c.Height = prop.Int(720)
		},
	})
	if err != nil {
		return nil, fmt.Errorf("opening the camera: %w", err)
	}
	tracks := stream.GetVideoTracks()
	if len(tracks) == 0 {
		return nil, ErrNoCamera
	}
	vt, ok := tracks[0].(*mediadevices.VideoTrack)
	if !ok {
		tracks[0].Close()
		return nil, fmt.Errorf("opening the camera: an unexpected track %T", tracks[0])
	}
	openCams++
	// copy: each frame is our own, whatever the worker keeps of it.
	return &cameraSource{track: vt, reader: vt.NewReader(true), done: make(chan struct{})}, nil
}

// cameraSource is an open camera.
type cameraSource struct {
	track  *mediadevices.VideoTrack
	reader video.Reader
	once   sync.Once
	done   chan struct{}
}

type frameResult struct {
	img image.Image
	err error
}

// Next returns the camera's next frame.
func (c *cameraSource) Next(ctx context.Context) (image.Image, error) {
	select {
	case <-c.done:
		return nil, io.EOF
	default:
	}
	ch := make(chan frameResult, 1)
	go func() {
		img, release, err := c.reader.Read()
		if release != nil {
			defer release()
		}
		ch <- frameResult{img, err}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			select {
			case <-c.done:
				return nil, io.EOF
			default:
			}
			return nil, fmt.Errorf("reading the camera: %w", r.err)
		}
		return r.img, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-c.done:
		return nil, io.EOF
	}
}

// Close releases the camera.
func (c *cameraSource) Close() error {
	var err error
	c.once.Do(func() {
		close(c.done)
		err = c.track.Close()
		camMu.Lock()
		openCams--
		camMu.Unlock()
	})
	return err
}
