package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"nightjar/devices/onvif"
	"nightjar/internal/redact"
	"nightjar/storage/catalog"
	"nightjar/storage/secrets"
)

// AddRequest is what a user gives to add a camera.
type AddRequest struct {
	// Address is host, host:port, an ONVIF device URL, or an rtsp:// URL
	// for a camera without ONVIF (live and recording only).
	Address    string
	User, Pass string
	Name       string // defaults to what the camera reports
	Group      string
	// MainProfile and SubProfile override the automatic choice of
	// streams (profile tokens, as 'nightjar probe' lists them).
	MainProfile, SubProfile string
	// MainURL and SubURL give a stream by hand (rtsp:// or rtsps://,
	// without credentials), overriding the probed one; an rtsp:// camera
	// takes only SubURL. A stream on another host than the camera is
	// allowed this way only, and the record carries a warning.
	MainURL, SubURL string
}

// keyringKey is where a camera's password lives in the OS keyring.
func keyringKey(id string) string { return "camera/" + id }

func newCameraID() string {
	b := make([]byte, 6)
	rand.Read(b)
	return "cam-" + hex.EncodeToString(b)
}

// DeviceURL turns what a user typed into an ONVIF device service URL.
func DeviceURL(addr string) (string, error) {
	addr = strings.TrimSpace(addr)
	if addr == "" {
		return "", errors.New("no address given")
	}
	if !strings.Contains(addr, "://") {
		addr = "http://" + addr
	}
	u, err := url.Parse(addr)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("%q is not a camera address (try 192.168.1.20 or http://192.168.1.20/onvif/device_service)", addr)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("unsupported scheme %q", u.Scheme)
	}
	u.User = nil
	if u.Path == "" || u.Path == "/" {
		u.Path = "/onvif/device_service"
	}
	return u.String(), nil
}

// ProbeCamera connects to an ONVIF camera with the given credentials.
func ProbeCamera(ctx context.Context, addr, user, pass string) (*onvif.ProbeResult, error) {
	dev, err := DeviceURL(addr)
	if err != nil {
		return nil, err
	}
	c := &onvif.Client{DeviceURL: dev, Username: user, Password: pass}
	return c.Probe(ctx)
}

// AddCamera probes the camera (unless it is a bare RTSP URL), stores its
// record in the catalogue and its password in the keyring. Nothing is
// stored when any step fails.
func (a *App) AddCamera(ctx context.Context, req AddRequest) (catalog.Camera, error) {
	cam := catalog.Camera{ID: newCameraID(), Name: req.Name, Group: req.Group, Username: req.User, Added: time.Now().UTC(),
		Record: catalog.RecordSettings{Retention: recommendedRetention}}
	if strings.HasPrefix(strings.ToLower(req.Address), "rtsp://") || strings.HasPrefix(strings.ToLower(req.Address), "rtsps://") {
		u, err := url.Parse(req.Address)
		if err != nil || u.Host == "" {
			return cam, fmt.Errorf("%q is not an RTSP URL", redact.RedactURL(req.Address))
		}
		if u.User != nil { // credentials typed into the URL move to the keyring
			if cam.Username == "" {
				cam.Username = u.User.Username()
			}
			if p, ok := u.User.Password(); ok && req.Pass == "" {
				req.Pass = p
			}
			u.User = nil
		}
		cam.MainURI, cam.SubURI = u.String(), u.String()
		cam.ManualStreams = true
		if cam.Name == "" {
			cam.Name = u.Hostname()
		}
		if req.MainURL != "" {
			return cam, errors.New("an rtsp:// camera's address is its main stream: give only --sub")
		}
		if err := applyManualStreams(&cam, "", req.SubURL); err != nil {
			return cam, err
		}
	} else {
		res, err := ProbeCamera(ctx, req.Address, req.User, req.Pass)
		if err != nil {
			return cam, err
		}
		if err := overrideStreams(res, req.MainProfile, req.SubProfile); err != nil {
			return cam, err
		}
		fillFromProbe(&cam, res)
		if err := applyManualStreams(&cam, req.MainURL, req.SubURL); err != nil {
			return cam, err
		}
		if cam.SubURI == "" && req.MainURL != "" {
			cam.SubURI = cam.MainURI
		}
		if cam.MainURI == "" || cam.SubURI == "" {
			why := ""
			if len(res.StreamRefused) > 0 {
				why = " (" + strings.Join(res.StreamRefused, "; ") + ")"
			}
			return cam, fmt.Errorf("the camera reported no usable stream for profile %s or %s%s: %w", cam.MainProfile, cam.SubProfile, why, onvif.ErrBadURI)
		}
		if cam.Name == "" {
			cam.Name = strings.TrimSpace(res.Info.Manufacturer + " " + res.Info.Model)
			if h, _, err := net.SplitHostPort(hostOf(res.DeviceURL)); err == nil {
				cam.Name += " (" + h + ")"
			}
		}
	}
	cam.FactoryPassword = cam.Username != "" && onvif.IsFactoryCredential(cam.Username, req.Pass)
	if cam.Username != "" {
		if err := a.Secrets.Set(ctx, keyringKey(cam.ID), req.Pass); err != nil {
			return cam, err
		}
	}
	if err := a.DB.PutCamera(cam); err != nil {
		a.Secrets.Delete(context.WithoutCancel(ctx), keyringKey(cam.ID))
		return cam, err
	}
	if a.events != nil {
		a.events.watch(cam)
	}
	a.Log.Info("camera added", "camera", cam.ID, "device", cam.DeviceURL, "stream", cam.MainURI, "factory_password", cam.FactoryPassword)
	if cam.StreamWarning != "" {
		a.Log.Warn("camera stream on another host", "camera", cam.ID, "warning", cam.StreamWarning)
	}
	return cam, nil
}

// overrideStreams applies the user's choice of main and sub profile.
func overrideStreams(res *onvif.ProbeResult, main, sub string) error {
	for _, o := range []struct {
		token string
		dst   *string
	}{{main, &res.Main}, {sub, &res.Sub}} {
		if o.token == "" {
			continue
		}
		if _, ok := res.Profile(o.token); !ok {
			var have []string
			for _, p := range res.Profiles {
				have = append(have, p.Token)
			}
			return fmt.Errorf("the camera has no profile %q (it has %s)", o.token, strings.Join(have, ", "))
		}
		*o.dst = o.token
	}
	return nil
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	if u.Port() == "" {
		return u.Host + ":80"
	}
	return u.Host
}

func fillFromProbe(cam *catalog.Camera, res *onvif.ProbeResult) {
	cam.DeviceURL = res.DeviceURL
	cam.Manufacturer, cam.Model = res.Info.Manufacturer, res.Info.Model
	cam.MainProfile, cam.SubProfile = res.Main, res.Sub
	if p, ok := res.Profile(res.Main); ok {
		cam.MainURI = p.StreamURI
	}
	if p, ok := res.Profile(res.Sub); ok {
		cam.SubURI = p.StreamURI
	}
	cam.SnapshotURI = res.SnapshotURI
	cam.PTZ = res.PTZ != nil
	cam.Events = res.Services.PullPoint
	cam.ClockOffset = res.ClockOffset
}

// RemoveCamera stops the camera's recorder and deletes its record and its
// keyring entry. Recordings are kept unless deleteRecordings is set.
func (a *App) RemoveCamera(ctx context.Context, id string, deleteRecordings bool) error {
	if _, err := a.DB.Camera(id); err != nil {
		return err
	}
	if _, demo := a.demoPassword(id); !demo { // demo passwords live in memory only
		if err := a.Secrets.Delete(ctx, keyringKey(id)); err != nil && !errors.Is(err, secrets.ErrNotFound) {
			return fmt.Errorf("remove password of %s from the keyring: %w", id, err)
		}
	}
	a.events.unwatch(id)
	if a.recorders != nil {
		a.recorders.remove(id)
	}
	if deleteRecordings {
		if _, err := a.recordingStore().Erase(id, time.Time{}, time.Time{}, "camera removed"); err != nil {
			return fmt.Errorf("delete recordings of %s: %w", id, err)
		}
	}
	if err := a.DB.DeleteCamera(id); err != nil {
		return err
	}
	a.Log.Info("camera removed", "camera", id, "delete_recordings", deleteRecordings)
	return nil
}

// ChangeCameraPassword sets a new password on the camera through ONVIF
// SetUser, then stores it in the keyring. If the keyring write fails after
// the camera accepted the change, the error says so: the new password is
// then only in the user's hands.
func (a *App) ChangeCameraPassword(ctx context.Context, id, newPass string) error {
	cam, err := a.DB.Camera(id)
	if err != nil {
		return err
	}
	if cam.DeviceURL == "" {
		return errors.New("this camera has no ONVIF service: change its password in its own web page, then edit it here")
	}
	if onvif.IsFactoryCredential(cam.Username, newPass) {
		return errors.New("that password is a well-known factory default too; choose another")
	}
	old, err := a.cameraPassword(ctx, id)
	if err != nil {
		return err
	}
	c := &onvif.Client{DeviceURL: cam.DeviceURL, Username: cam.Username, Password: old}
	if _, err := c.SyncClock(ctx); err != nil {
		return err
	}
	if err := c.SetPassword(ctx, cam.Username, newPass); err != nil {
		return err
	}
	if _, demo := a.demoPassword(id); demo {
		a.demoMu.Lock()
		a.demoPass[id] = newPass
		a.demoMu.Unlock()
	} else if err := a.Secrets.Set(ctx, keyringKey(id), newPass); err != nil {
		return fmt.Errorf("the camera now uses the new password, but saving it in the keyring failed: %w", err)
	}
	cam.FactoryPassword = false
	if err := a.DB.PutCamera(cam); err != nil {
		return err
	}
	a.Log.Info("camera password changed", "camera", id)
	return nil
}
