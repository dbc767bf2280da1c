package camsim

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/bluenviron/gortsplib/v5"
)

// Camera is one simulated camera. Its exported methods are the Go fault
// injection API for tests.
type Camera struct {
	Index  int
	Name   string
	sim    *Sim
	log    *slog.Logger
	hasPTZ bool

	httpAddr, rtspAddr, rtpAddr, rtcpAddr string

	mu          sync.Mutex
	user, pass  string
	clockOffset time.Duration
	rtsp        *rtspServer
	http        *http.Server
	httpLn      net.Listener
	stallUntil  time.Time
	isStalled   bool
	dropEvery   time.Duration
	lastDrop    time.Time
	ptz         *ptzState
	faults      soapFaults
	foreignHost string // FaultForeignHost: the host media URIs report
	noGetUsers  bool   // FaultNoGetUsers
	userLevel   string // the user's ONVIF level; "" is Administrator
	upSince     time.Time
	downUntil   time.Time

	nonces       nonceCache
	digestNonces map[string]time.Time
	evOnce       sync.Once
	ev           *eventState
	marker       markerState
	sends        sendLog
	masks        maskState
}

func newCamera(s *Sim, i int, ptz bool) (*Camera, error) {
	c := &Camera{
		Index:       i,
		Name:        fmt.Sprintf("Camsim %d", i+1),
		sim:         s,
		hasPTZ:      ptz,
		user:        s.cfg.User,
		pass:        s.cfg.Pass,
		clockOffset: s.cfg.ClockOffset,
	}
	c.log = s.cfg.Log.With("component", "camsim", "camera", c.Name)
	if ptz {
		c.ptz = newPTZState(i)
	}
	return c, nil
}

// up starts the camera's servers.
func (c *Camera) up(sets map[string]*clipSet) error {
	r, err := startRTSP(c, sets)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.httpAddr)
	if err != nil {
		r.close()
		return fmt.Errorf("camera %s: listen %s: %w", c.Name, c.httpAddr, err)
	}
	srv := &http.Server{Handler: c.httpHandler(), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	c.mu.Lock()
	c.rtsp, c.http, c.httpLn, c.upSince = r, srv, ln, time.Now()
	c.mu.Unlock()
	return nil
}

// down stops the camera's servers and closes every connection.
func (c *Camera) down() {
	c.mu.Lock()
	r, srv := c.rtsp, c.http
	c.rtsp, c.http, c.httpLn = nil, nil, nil
	c.mu.Unlock()
	if srv != nil {
		srv.Close()
	}
	if r != nil {
		r.close()
	}
}

func (c *Camera) credentials() (string, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.user, c.pass
}

// SetCredentials changes the camera's user and password, as ONVIF SetUser
// does.
func (c *Camera) SetCredentials(user, pass string) {
	c.mu.Lock()
	c.user, c.pass = user, pass
	c.mu.Unlock()
}

// now is the camera's own clock, including its offset.
func (c *Camera) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.clockOffset).UTC()
}

// SetClockOffset skews the camera's clock.
func (c *Camera) SetClockOffset(d time.Duration) {
	c.mu.Lock()
	c.clockOffset = d
	c.mu.Unlock()
}

func (c *Camera) stream(kind string) *gortsplib.ServerStream {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.rtsp == nil {
		return nil
	}
	return c.rtsp.streams[kind]
}

func (c *Camera) stalled() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.isStalled && !c.stallUntil.IsZero() && time.Now().After(c.stallUntil) {
		c.isStalled = false
	}
	return c.isStalled
}

// Stall stops sending video for d without closing any session; d of 0
// stalls until Resume.
func (c *Camera) Stall(d time.Duration) {
	c.mu.Lock()
	c.isStalled = true
	c.stallUntil = time.Time{}
	if d > 0 {
		c.stallUntil = time.Now().Add(d)
	}
	c.mu.Unlock()
}

// Resume ends a stall.
func (c *Camera) Resume() {
	c.mu.Lock()
	c.isStalled = false
	c.mu.Unlock()
}

// DropSessions closes every RTSP session now and returns how many there
// were.
func (c *Camera) DropSessions() int {
	c.mu.Lock()
	r := c.rtsp
	c.mu.Unlock()
	if r == nil {
		return 0
	}
	return r.dropSessions()
}

// DropEvery closes every RTSP session every d; 0 turns it off.
func (c *Camera) DropEvery(d time.Duration) {
	c.mu.Lock()
	c.dropEvery, c.lastDrop = d, time.Now()
	c.mu.Unlock()
}

// Readers returns the number of open RTSP sessions.
func (c *Camera) Readers() int {
	c.mu.Lock()
	r := c.rtsp
	c.mu.Unlock()
	if r == nil {
		return 0
	}
	return r.readers()
}

// Reboot takes the camera down, RTSP and ONVIF alike, for d, then brings it
// back on the same ports. It returns at once.
func (c *Camera) Reboot(d time.Duration) {
	c.log.Info("rebooting", "for", d)
	c.down()
	c.dropSubscriptions()
	c.mu.Lock()
	c.downUntil = time.Now().Add(d)
	c.mu.Unlock()
}

// IsUp reports whether the camera is serving.
func (c *Camera) IsUp() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.http != nil
}

// background runs the camera's timers: scheduled drops, the end of a
// reboot, PTZ motion and the motion event schedule.
func (c *Camera) background(stop <-chan struct{}) {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	sets, _ := clips()
	for {
		select {
		case <-stop:
			return
		case now := <-t.C:
			c.mu.Lock()
			drop := c.dropEvery > 0 && now.Sub(c.lastDrop) >= c.dropEvery
			if drop {
				c.lastDrop = now
			}
			reboot := c.http == nil && !c.downUntil.IsZero() && now.After(c.downUntil)
			if reboot {
				c.downUntil = time.Time{}
			}
			c.mu.Unlock()
			if drop {
				c.DropSessions()
			}
			if reboot {
				if err := c.up(sets); err != nil {
					c.log.Error("come back after reboot", "err", err)
					c.mu.Lock()
					c.downUntil = now.Add(time.Second)
					c.mu.Unlock()
				}
			}
			if c.ptz != nil {
				c.ptz.step(now)
			}
			c.tickEvents(now)
		}
	}
}

// viewIndex maps the pan position to one of n pre-encoded views.
func (c *Camera) viewIndex(n int) int {
	if c.ptz == nil {
		return (c.Index*2 + 4) % n // fixed cameras look away from where PTZ homes point
	}
	pan, _, _ := c.ptz.position()
	i := int((pan+1)/2*float64(n-1) + 0.5)
	return max(0, min(n-1, i))
}

// Fault kinds for InjectFault and 'nightjar camsim --fault'.
const (
	FaultDrop        = "drop"          // close RTSP sessions every d (default 10 s)
	FaultStall       = "stall"         // stop sending video, keep sessions (for d, or until cleared)
	FaultReboot      = "reboot"        // everything down for d (default 10 s)
	FaultClock       = "clock"         // clock offset d
	FaultGarbage     = "garbage"       // bytes before the SOAP XML
	FaultOversized   = "oversized"     // a 100 MB SOAP body
	FaultSlow        = "slow"          // drip the SOAP response a byte at a time
	FaultMalformed   = "malformed"     // broken XML
	FaultNotONVIF    = "not-onvif"     // answer with a plain web page
	FaultNoMotionOff = "no-motion-off" // motion-off events go missing (for d, or until cleared)
	FaultNoSync      = "no-sync"       // refuse SetSynchronizationPoint (until cleared)
	FaultNone        = "none"          // clear SOAP and event faults, drops and stalls
	// FaultForeignHost makes GetStreamUri and GetSnapshotUri report
	// another host, as a camera behind NAT or a hostile one does. Its
	// argument is HOST or HOST:PORT; see ReportForeignHost.
	FaultForeignHost = "foreign-host"
	// FaultNoGetUsers makes GetUsers fail with ActionNotSupported.
	FaultNoGetUsers = "no-getusers"
)

// ReportForeignHost makes the media service report stream and snapshot
// URIs on host (the camera's own ports) or host:port (that port for
// both) instead of the camera's address; "" turns it off. A scheme in
// front (http://host) replaces rtsp and http in both, as a camera that
// offers its video over another protocol does.
func (c *Camera) ReportForeignHost(host string) {
	c.mu.Lock()
	c.foreignHost = host
	c.mu.Unlock()
}

// ReportedStreamURI is the URI GetStreamUri reports for a stream kind:
// StreamURI, or under FaultForeignHost one on the foreign host.
func (c *Camera) ReportedStreamURI(kind string) string {
	return c.mediaScheme("rtsp") + "://" + c.mediaAddr(c.rtspAddr) + "/" + kind
}

// ReportedSnapshotURI is the URI GetSnapshotUri reports.
func (c *Camera) ReportedSnapshotURI() string {
	return c.mediaScheme("http") + "://" + c.mediaAddr(c.httpAddr) + "/onvif/snapshot"
}

// mediaScheme is the scheme media URIs report, def unless the fault names
// one.
func (c *Camera) mediaScheme(def string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, _, ok := strings.Cut(c.foreignHost, "://"); ok {
		return s
	}
	return def
}

// mediaAddr is the host:port media URIs report for a service at addr.
func (c *Camera) mediaAddr(addr string) string {
	c.mu.Lock()
	h := c.foreignHost
	c.mu.Unlock()
	if _, rest, ok := strings.Cut(h, "://"); ok {
		h = rest
	}
	if h == "" {
		return addr
	}
	if _, _, err := net.SplitHostPort(h); err == nil {
		return h
	}
	_, port, _ := net.SplitHostPort(addr)
	return net.JoinHostPort(h, port)
}

// SetUserLevel sets the ONVIF level (Administrator, Operator, User…)
// GetUsers reports for the camera's user.
func (c *Camera) SetUserLevel(level string) {
	c.mu.Lock()
	c.userLevel = level
	c.mu.Unlock()
}

// UserLevel is the user's level, as GetUsers reports and SetUser sets it.
func (c *Camera) UserLevel() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.userLevel == "" {
		return "Administrator"
	}
	return c.userLevel
}

// InjectFault turns on a fault by name; see the Fault constants.
func (c *Camera) InjectFault(kind string, d time.Duration) error {
	switch kind {
	case FaultDrop:
		if d == 0 {
			d = 10 * time.Second
		}
		c.DropEvery(d)
	case FaultStall:
		c.Stall(d)
	case FaultReboot:
		if d == 0 {
			d = 10 * time.Second
		}
		c.Reboot(d)
	case FaultClock:
		c.SetClockOffset(d)
	case FaultGarbage, FaultOversized, FaultSlow, FaultMalformed, FaultNotONVIF:
		c.setSOAPFault(kind)
	case FaultNoMotionOff:
		c.LoseMotionOff(true, d)
	case FaultNoSync:
		c.RefuseSync(true)
	case FaultNoGetUsers:
		c.mu.Lock()
		c.noGetUsers = true
		c.mu.Unlock()
	case FaultForeignHost:
		return fmt.Errorf("fault %q needs a host: %s=HOST[:PORT]", kind, kind)
	case FaultNone:
		c.RefuseSync(false)
		c.LoseMotionOff(false, 0)
		c.setSOAPFault("")
		c.Resume()
		c.DropEvery(0)
		c.ReportForeignHost("")
		c.mu.Lock()
		c.noGetUsers = false
		c.mu.Unlock()
	default:
		return fmt.Errorf("unknown fault %q (drop, stall, reboot, clock, garbage, oversized, slow, malformed, not-onvif, no-motion-off, no-sync, foreign-host=HOST, no-getusers, none)", kind)
	}
	return nil
}
