package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"time"

	"nightjar/devices/onvif"
	"nightjar/internal/uithread"
	"nightjar/storage/catalog"
	"nightjar/ui"
)

// The Cameras page's services (ui.CameraService).

// Discover probes target (a host or range) by unicast, and in demo mode
// the simulator's responder. With no target outside demo mode it probes
// the local network by multicast: only ever on the user's request.
func (s *guiServices) Discover(ctx context.Context, target string) ([]ui.FoundCamera, error) {
	uithread.Check("network: discover")
	opt := onvif.DiscoverOptions{Wait: 2 * time.Second}
	if target != "" {
		opt.Targets = append(opt.Targets, target)
	}
	if s.a.DemoDiscovery != "" {
		opt.Targets = append(opt.Targets, s.a.DemoDiscovery)
	}
	opt.Multicast = len(opt.Targets) == 0
	found, err := onvif.Discover(ctx, opt)
	if err != nil {
		return nil, err
	}
	cams, _ := s.a.DB.Cameras()
	known := map[string]bool{}
	for _, c := range cams {
		known[hostOf(c.DeviceURL)] = true
	}
	out := make([]ui.FoundCamera, 0, len(found))
	for _, f := range found {
		fc := ui.FoundCamera{Name: f.Name, Hardware: f.Hardware, Address: f.XAddrs[0]}
		for _, x := range f.XAddrs {
			fc.Added = fc.Added || known[hostOf(x)]
		}
		if fc.Name == "" {
			fc.Name = f.Endpoint
		}
		out = append(out, fc)
	}
	s.a.Log.Info("discovery", "target", target, "multicast", opt.Multicast, "found", len(out))
	return out, nil
}

func (s *guiServices) AddCamera(ctx context.Context, f ui.AddForm) (ui.CameraRow, error) {
	uithread.Check("network: add camera")
	cam, err := s.a.AddCamera(ctx, AddRequest{Address: f.Address, User: f.User, Pass: f.Pass, Name: f.Name, Group: f.Group})
	if err != nil {
		s.a.Log.Warn("add camera failed", "address", f.Address, "err", err)
		return ui.CameraRow{}, err
	}
	return cameraRow(cam), nil
}

func (s *guiServices) RemoveCamera(ctx context.Context, id string, deleteRecordings bool) error {
	uithread.Check("catalogue: remove camera")
	return s.a.RemoveCamera(ctx, id, deleteRecordings)
}

func (s *guiServices) EditCamera(ctx context.Context, id, name, group string) error {
	uithread.Check("catalogue: edit camera")
	if err := ctx.Err(); err != nil {
		return err
	}
	if name == "" {
		return errors.New("a camera needs a name")
	}
	cam, err := s.a.DB.Camera(id)
	if err != nil {
		return err
	}
	cam.Name, cam.Group = name, group
	return s.a.DB.PutCamera(cam)
}

func (s *guiServices) ChangePassword(ctx context.Context, id, newPass string) error {
	uithread.Check("network: change password")
	return s.a.ChangeCameraPassword(ctx, id, newPass)
}

func (s *guiServices) ErrorHint(err error) string { return cameraHint(err) }

// skewWarning is the clock offset above which a camera is shown as clock
// skewed: it still works, but its own timestamps and overlays are wrong.
const skewWarning = time.Minute

// CheckCamera tests the connection: ONVIF cameras with their stored
// credentials, RTSP-only ones by reaching their port. A camera that is
// not online comes with an error saying why, which ErrorHint turns into
// what to do; only a working camera whose clock is off has a status
// without one.
func (s *guiServices) CheckCamera(ctx context.Context, id string) (ui.CameraStatus, error) {
	uithread.Check("network: check camera")
	cam, err := s.a.DB.Camera(id)
	if err != nil {
		return ui.StatusOffline, err
	}
	if cam.DeviceURL == "" {
		u, err := url.Parse(cam.MainURI)
		if err != nil {
			return ui.StatusOffline, fmt.Errorf("read the camera's stream address: %w", err)
		}
		host := u.Host
		if u.Port() == "" {
			host = net.JoinHostPort(u.Hostname(), "554")
		}
		conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", host)
		if err != nil {
			return ui.StatusOffline, fmt.Errorf("reach %s: %w (%w)", host, onvif.ErrUnreachable, err)
		}
		conn.Close()
		return ui.StatusOnline, nil
	}
	pass, err := s.a.cameraPassword(ctx, id)
	if err != nil {
		return ui.StatusOffline, err
	}
	c := &onvif.Client{DeviceURL: cam.DeviceURL, Username: cam.Username, Password: pass}
	off, err := c.SyncClock(ctx)
	if err == nil {
		_, err = c.DeviceInformation(ctx)
	}
	switch {
	case errors.Is(err, onvif.ErrUnauthorized):
		return ui.StatusAuthFailed, err
	case errors.Is(err, onvif.ErrClockSkew):
		return ui.StatusClockSkew, err
	case err != nil:
		return ui.StatusOffline, err
	case off > skewWarning || off < -skewWarning:
		return ui.StatusClockSkew, nil
	}
	return ui.StatusOnline, nil
}

// Saved wall layouts (ui.LayoutStore).

func (s *guiServices) SavedLayouts(ctx context.Context) ([]ui.SavedLayout, error) {
	uithread.Check("catalogue: saved layouts")
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ls, err := s.a.DB.Layouts()
	out := make([]ui.SavedLayout, 0, len(ls))
	for _, l := range ls {
		out = append(out, ui.SavedLayout{Name: l.Name, Layout: l.Layout, Cameras: l.Cameras})
	}
	return out, err
}

func (s *guiServices) SaveLayout(ctx context.Context, l ui.SavedLayout) error {
	uithread.Check("catalogue: save layout")
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.a.DB.PutLayout(catalog.Layout{Name: l.Name, Layout: l.Layout, Cameras: l.Cameras})
}
