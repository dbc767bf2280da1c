package camsim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// Config configures a simulator.
type Config struct {
	// Cameras is how many cameras to serve. It defaults to 1.
	Cameras int
	// Host is the address every camera binds. It defaults to 127.0.0.1:
	// the simulator serves loopback only unless told otherwise.
	Host string
	// BasePort, when not 0, gives camera i the HTTP (ONVIF) port
	// BasePort+10*i, RTSP BasePort+10*i+1 and UDP RTP/RTCP the next even
	// pair. 0 picks free ports.
	BasePort int
	// User and Pass are every camera's credentials. They default to
	// admin/admin, a factory default the client should warn about. Set
	// NoAuth to serve without any.
	User, Pass string
	NoAuth     bool
	// NoPTZ lists camera indexes (0-based) without PTZ.
	NoPTZ []int
	// ClockOffset skews every camera's clock.
	ClockOffset time.Duration
	// Seed drives the motion event schedule. 0 means 1.
	Seed int64
	// MotionEvery is the mean time between simulated motion events. It
	// defaults to 20 s; negative turns the schedule off (tests trigger
	// motion by hand).
	MotionEvery time.Duration
	// Log receives the simulator's log. It defaults to discarding.
	Log *slog.Logger
}

// Sim is a running set of simulated cameras.
type Sim struct {
	cfg  Config
	cams []*Camera
	stop chan struct{}
	wg   sync.WaitGroup
}

// Start starts the simulator. Close stops it.
func Start(cfg Config) (*Sim, error) {
	if cfg.Cameras <= 0 {
		cfg.Cameras = 1
	}
	if cfg.Host == "" {
		cfg.Host = "127.0.0.1"
	}
	if !cfg.NoAuth && cfg.User == "" {
		cfg.User, cfg.Pass = "admin", "admin"
	}
	if cfg.NoAuth {
		cfg.User, cfg.Pass = "", ""
	}
	if cfg.Seed == 0 {
		cfg.Seed = 1
	}
	if cfg.MotionEvery == 0 {
		cfg.MotionEvery = 20 * time.Second
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	sets, err := clips()
	if err != nil {
		return nil, err
	}
	s := &Sim{cfg: cfg, stop: make(chan struct{})}
	noPTZ := map[int]bool{}
	for _, i := range cfg.NoPTZ {
		noPTZ[i] = true
	}
	for i := 0; i < cfg.Cameras; i++ {
		cam, err := newCamera(s, i, !noPTZ[i])
		if err != nil {
			s.Close()
			return nil, err
		}
		s.cams = append(s.cams, cam)
		// A free port found by the OS can be taken by someone else before
		// we bind it; with OS-chosen ports, pick again.
		for try := 0; ; try++ {
			if err = cam.assignPorts(cfg.Host, cfg.BasePort); err == nil {
				err = cam.up(sets)
			}
			if err == nil || cfg.BasePort != 0 || try == 4 || !errors.Is(err, syscall.EADDRINUSE) {
				break
			}
		}
		if err != nil {
			s.Close()
			return nil, err
		}
		for _, kind := range []string{Main, Sub} {
			f := &feeder{cam: cam, set: sets[kind], kind: kind}
			s.wg.Add(1)
			go func() { defer s.wg.Done(); f.run(s.stop) }()
		}
		s.wg.Add(1)
		go func() { defer s.wg.Done(); cam.background(s.stop) }()
	}
	return s, nil
}

// Cameras returns the simulated cameras.
func (s *Sim) Cameras() []*Camera { return s.cams }

// Close stops every camera and waits for the simulator's goroutines.
func (s *Sim) Close() error {
	select {
	case <-s.stop:
		return nil
	default:
	}
	close(s.stop)
	for _, c := range s.cams {
		c.down()
	}
	s.wg.Wait()
	return nil
}

// Info is what 'nightjar camsim' prints per camera.
type Info struct {
	Name      string `json:"name"`
	DeviceURL string `json:"device_url"`
	MainURI   string `json:"main_uri"`
	SubURI    string `json:"sub_uri"`
	PTZ       bool   `json:"ptz"`
	User      string `json:"user,omitempty"`
}

// Info describes the camera's endpoints.
func (c *Camera) Info() Info {
	user, _ := c.credentials()
	return Info{Name: c.Name, DeviceURL: c.DeviceURL(), MainURI: c.StreamURI(Main), SubURI: c.StreamURI(Sub), PTZ: c.hasPTZ, User: user}
}

// DeviceURL is the camera's ONVIF device service address.
func (c *Camera) DeviceURL() string { return "http://" + c.httpAddr + "/onvif/device_service" }

// StreamURI is the RTSP address of a stream kind (Main or Sub), without
// credentials.
func (c *Camera) StreamURI(kind string) string { return "rtsp://" + c.rtspAddr + "/" + kind }

func (c *Camera) assignPorts(host string, base int) error {
	if base != 0 {
		p := base + 10*c.Index
		rtp := p + 2
		if rtp%2 == 1 {
			rtp++
		}
		c.httpAddr = net.JoinHostPort(host, strconv.Itoa(p))
		c.rtspAddr = net.JoinHostPort(host, strconv.Itoa(p+1))
		c.rtpAddr = net.JoinHostPort(host, strconv.Itoa(rtp))
		c.rtcpAddr = net.JoinHostPort(host, strconv.Itoa(rtp+1))
		return nil
	}
	for _, dst := range []*string{&c.httpAddr, &c.rtspAddr} {
		l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
		if err != nil {
			return fmt.Errorf("find a free port on %s: %w", host, err)
		}
		*dst = l.Addr().String()
		l.Close()
	}
	rtp, err := freePortPair(host)
	if err != nil {
		return err
	}
	c.rtpAddr = net.JoinHostPort(host, strconv.Itoa(rtp))
	c.rtcpAddr = net.JoinHostPort(host, strconv.Itoa(rtp+1))
	return nil
}

// errDown is returned by calls on a camera that is rebooting.
var errDown = errors.New("camera is down")

// Wait blocks until ctx is done; a helper for the CLI.
func (s *Sim) Wait(ctx context.Context) { <-ctx.Done() }
