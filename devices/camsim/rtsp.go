package camsim

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/bluenviron/gortsplib/v5"
	"github.com/bluenviron/gortsplib/v5/pkg/auth"
	"github.com/bluenviron/gortsplib/v5/pkg/base"
	"github.com/bluenviron/gortsplib/v5/pkg/description"
	"github.com/bluenviron/gortsplib/v5/pkg/format"
	"github.com/bluenviron/gortsplib/v5/pkg/liberrors"
	"github.com/pion/rtp"
)

// rtspServer is one camera's RTSP server with a main and a sub stream.
// It lives while the camera is up; a reboot closes it and makes a new one.
type rtspServer struct {
	cam     *Camera
	srv     *gortsplib.Server
	streams map[string]*gortsplib.ServerStream // by stream kind

	mu       sync.Mutex
	sessions map[*gortsplib.ServerSession]struct{}
}

func startRTSP(cam *Camera, sets map[string]*clipSet) (*rtspServer, error) {
	r := &rtspServer{cam: cam, streams: map[string]*gortsplib.ServerStream{}, sessions: map[*gortsplib.ServerSession]struct{}{}}
	r.srv = &gortsplib.Server{
		Handler:        r,
		RTSPAddress:    cam.rtspAddr,
		UDPRTPAddress:  cam.rtpAddr,
		UDPRTCPAddress: cam.rtcpAddr,
		AuthMethods:    []auth.VerifyMethod{auth.VerifyMethodDigestMD5},
		ReadTimeout:    10 * time.Second,
		WriteTimeout:   10 * time.Second,
	}
	if err := r.srv.Start(); err != nil {
		return nil, fmt.Errorf("camera %s: start RTSP server on %s: %w", cam.Name, cam.rtspAddr, err)
	}
	for kind, set := range sets {
		v := set.views[0]
		st := &gortsplib.ServerStream{
			Server: r.srv,
			Desc: &description.Session{
				Title: cam.Name + " " + kind,
				Medias: []*description.Media{{
					Type:    description.MediaTypeVideo,
					Formats: []format.Format{&format.H264{PayloadTyp: 96, PacketizationMode: 1, SPS: v.SPS, PPS: v.PPS}},
				}},
			},
		}
		if err := st.Initialize(); err != nil {
			r.close()
			return nil, fmt.Errorf("camera %s: init %s stream: %w", cam.Name, kind, err)
		}
		r.streams[kind] = st
	}
	return r, nil
}

func (r *rtspServer) close() {
	for _, st := range r.streams {
		st.Close()
	}
	r.srv.Close()
}

// dropSessions closes every reader's session, as a camera that drops its
// clients does.
func (r *rtspServer) dropSessions() int {
	r.mu.Lock()
	list := make([]*gortsplib.ServerSession, 0, len(r.sessions))
	for s := range r.sessions {
		list = append(list, s)
	}
	r.mu.Unlock()
	for _, s := range list {
		s.Close()
	}
	return len(list)
}

func (r *rtspServer) readers() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.sessions)
}

// OnSessionOpen implements gortsplib.ServerHandlerOnSessionOpen.
func (r *rtspServer) OnSessionOpen(ctx *gortsplib.ServerHandlerOnSessionOpenCtx) {
	r.mu.Lock()
	r.sessions[ctx.Session] = struct{}{}
	r.mu.Unlock()
}

// OnSessionClose implements gortsplib.ServerHandlerOnSessionClose.
func (r *rtspServer) OnSessionClose(ctx *gortsplib.ServerHandlerOnSessionCloseCtx) {
	r.mu.Lock()
	delete(r.sessions, ctx.Session)
	r.mu.Unlock()
}

// streamFor maps a request path such as "/main" or "/stream/sub" to a stream.
func (r *rtspServer) streamFor(path string) *gortsplib.ServerStream {
	path = strings.Trim(path, "/")
	if i := strings.LastIndex(path, "/"); i >= 0 {
		path = path[i+1:]
	}
	return r.streams[path]
}

func (r *rtspServer) authorize(c *gortsplib.ServerConn, req *base.Request) bool {
	user, pass := r.cam.credentials()
	if user == "" {
		return true
	}
	return c.VerifyCredentials(req, user, pass)
}

// lookup authorises a DESCRIBE or SETUP and finds its stream.
func (r *rtspServer) lookup(c *gortsplib.ServerConn, req *base.Request, path string) (*base.Response, *gortsplib.ServerStream, error) {
	if !r.authorize(c, req) {
		return &base.Response{StatusCode: base.StatusUnauthorized}, nil, liberrors.ErrServerAuth{}
	}
	st := r.streamFor(path)
	if st == nil {
		return &base.Response{StatusCode: base.StatusNotFound}, nil, nil
	}
	return &base.Response{StatusCode: base.StatusOK}, st, nil
}

// OnDescribe implements gortsplib.ServerHandlerOnDescribe.
func (r *rtspServer) OnDescribe(ctx *gortsplib.ServerHandlerOnDescribeCtx) (*base.Response, *gortsplib.ServerStream, error) {
	return r.lookup(ctx.Conn, ctx.Request, ctx.Path)
}

// OnSetup implements gortsplib.ServerHandlerOnSetup.
func (r *rtspServer) OnSetup(ctx *gortsplib.ServerHandlerOnSetupCtx) (*base.Response, *gortsplib.ServerStream, error) {
	return r.lookup(ctx.Conn, ctx.Request, ctx.Path)
}

// OnPlay implements gortsplib.ServerHandlerOnPlay.
func (r *rtspServer) OnPlay(*gortsplib.ServerHandlerOnPlayCtx) (*base.Response, error) {
	return &base.Response{StatusCode: base.StatusOK}, nil
}

// feeder plays one stream kind of one camera in real time, forever, with
// continuous RTP timestamps across clip loops.
type feeder struct {
	cam  *Camera
	set  *clipSet
	kind string
}

func randUint32() uint32 {
	var b [4]byte
	rand.Read(b[:])
	return binary.BigEndian.Uint32(b[:])
}

func (f *feeder) run(stop <-chan struct{}) {
	spec := f.set.spec
	interval := time.Second / time.Duration(spec.FPS)
	ticks := uint32(90000 / spec.FPS)
	base := randUint32()
	start := time.Now()
	view := f.cam.viewIndex(len(f.set.views))
	var painter *bandPainter
	if f.set.band != nil {
		painter = newBandPainter(f.set.band)
	}
	var payloads, buf [][]byte
	seq := uint16(randUint32())
	ssrc := randUint32()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for idx := uint64(0); ; idx++ {
		due := start.Add(time.Duration(idx) * interval)
		timer.Reset(time.Until(due))
		select {
		case <-stop:
			return
		case <-timer.C:
		}
		n := len(f.set.views[0].AUs)
		pos := int(idx % uint64(n))
		if f.set.views[view].AUs[pos].IDR {
			view = f.cam.viewIndex(len(f.set.views)) // the pan position picks the view at keyframes
		}
		st := f.cam.stream(f.kind)
		if st == nil || f.cam.stalled() {
			continue // down or stalled: time goes on, nothing is sent
		}
		au := &f.set.views[view].AUs[pos]
		ts := base + uint32(idx)*ticks
		ntp := time.Now()
		f.cam.sends.note(f.kind, ntp)
		medi := st.Desc.Medias[0]
		payloads = au.Payloads
		marked := false
		if painter != nil && au.band != nil {
			var nal []byte
			nal, marked = painter.slice(au.band, f.cam, f.cam.markAt(f.kind, due))
			buf = append(buf[:0], au.prePayloads...)
			buf = packetizeNAL(nal, buf)
			buf = append(buf, au.restPayloads...)
			payloads = buf
		}
		for i, payload := range payloads {
			p := &rtp.Packet{
				Header: rtp.Header{
					Version: 2, PayloadType: 96, SequenceNumber: seq, Timestamp: ts, SSRC: ssrc,
					Marker: i == len(payloads)-1,
				},
				Payload: payload,
			}
			seq++
			if err := st.WritePacketRTPWithNTP(medi, p, ntp); err != nil {
				break // the stream closed under us (reboot); try again next frame
			}
		}
		if marked {
			f.cam.noteMarkerSent(f.kind, time.Now())
		}
	}
}

// freePortPair finds an even UDP port p with p+1 also free on host, for
// RTP and RTCP.
func freePortPair(host string) (int, error) {
	for i := 0; i < 50; i++ {
		c, err := net.ListenPacket("udp", net.JoinHostPort(host, "0"))
		if err != nil {
			return 0, err
		}
		p := c.LocalAddr().(*net.UDPAddr).Port
		c.Close()
		if p%2 == 1 {
			p--
		}
		a, err1 := net.ListenPacket("udp", net.JoinHostPort(host, fmt.Sprint(p)))
		b, err2 := net.ListenPacket("udp", net.JoinHostPort(host, fmt.Sprint(p+1)))
		if a != nil {
			a.Close()
		}
		if b != nil {
			b.Close()
		}
		if err1 == nil && err2 == nil {
			return p, nil
		}
	}
	return 0, fmt.Errorf("no free UDP port pair on %s", host)
}
