package app

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"nightjar/devices/onvif"
	"nightjar/internal/redact"
	"nightjar/storage/catalog"
)

// errForeignStream: a stored stream is on another host than the camera
// and was not given by hand, so its credentials stay home.
var errForeignStream = errors.New("the stream is on another host than the camera")

// streamURL is the one place a camera's credentials join a stream URI,
// for the live wall, recording and snapshots alike (use names which, for
// the log). It takes rtsp and rtsps only, and sends the password to
// another host than the camera's ONVIF address only when the user gave
// that stream by hand (cam.ManualStreams); then it logs a warning.
// Probed streams are rewritten to the camera's host when it is added, so
// a foreign host here is an old record or a tampered catalogue.
func (a *App) streamURL(cam catalog.Camera, uri, pass, use string) (string, error) {
	u, err := url.Parse(uri)
	if err != nil || uri == "" || u.Host == "" {
		return "", fmt.Errorf("camera %s has no usable stream URI", cam.ID)
	}
	if u.Scheme != "rtsp" && u.Scheme != "rtsps" {
		return "", fmt.Errorf("camera %s: stream scheme %q refused: only rtsp and rtsps", cam.ID, u.Scheme)
	}
	if cam.DeviceURL != "" && !onvif.SameHost(uri, cam.DeviceURL) {
		if !cam.ManualStreams {
			return "", fmt.Errorf("camera %s: %w (%s, camera at %s); Nightjar does not send the password there: add the camera again, or give the stream by hand with --main/--sub",
				cam.ID, errForeignStream, u.Hostname(), hostname(cam.DeviceURL))
		}
		a.Log.Warn("sending the camera's credentials to a stream host given by hand", "camera", cam.ID, "use", use,
			"stream", redact.RedactURL(uri), "camera_host", hostname(cam.DeviceURL))
	}
	u.User = nil
	if cam.Username != "" {
		u.User = url.UserPassword(cam.Username, pass)
	}
	full := u.String()
	if a.streamHook != nil {
		a.streamHook(use, full)
	}
	return full, nil
}

func hostname(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Hostname()
}

// manualStreamURL checks a stream URL the user typed (--main/--sub): an
// absolute rtsp or rtsps URL without credentials, which go in --user and
// --password-stdin so that they reach the keyring.
func manualStreamURL(flag, raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || (u.Scheme != "rtsp" && u.Scheme != "rtsps") {
		return "", fmt.Errorf("%s %q is not an rtsp:// or rtsps:// URL", flag, redact.RedactURL(raw))
	}
	if u.User != nil {
		return "", fmt.Errorf("%s: give the user name and password with --user and --password-stdin, not in the URL", flag)
	}
	return u.String(), nil
}

// applyManualStreams puts the stream URLs the user typed into cam and
// sets its warning.
func applyManualStreams(cam *catalog.Camera, mainURL, subURL string) error {
	for _, o := range []struct {
		flag, raw string
		dst       *string
	}{{"--main", mainURL, &cam.MainURI}, {"--sub", subURL, &cam.SubURI}} {
		if o.raw == "" {
			continue
		}
		u, err := manualStreamURL(o.flag, o.raw)
		if err != nil {
			return err
		}
		*o.dst = u
		cam.ManualStreams = true
	}
	cam.StreamWarning = ""
	if cam.ManualStreams {
		cam.StreamWarning = streamWarning(*cam)
	}
	return nil
}

// streamWarning says which streams are on another host than the camera's
// address (its ONVIF device, or for an rtsp:// camera its main stream),
// or is "".
func streamWarning(cam catalog.Camera) string {
	home := cam.DeviceURL
	if home == "" {
		home = cam.MainURI
	}
	var foreign []string
	for _, s := range []struct{ name, uri string }{{"main", cam.MainURI}, {"sub", cam.SubURI}} {
		if s.uri != "" && !onvif.SameHost(s.uri, home) {
			foreign = append(foreign, s.name+" stream on "+hostname(s.uri))
		}
	}
	if len(foreign) == 0 {
		return ""
	}
	return strings.Join(foreign, ", ") + ", not the camera's host " + hostname(home) + " (given by hand; the camera's password is sent there too)"
}
