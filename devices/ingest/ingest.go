package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bluenviron/gortsplib/v5"
	"github.com/bluenviron/gortsplib/v5/pkg/base"
	"github.com/bluenviron/gortsplib/v5/pkg/description"
	"github.com/bluenviron/gortsplib/v5/pkg/format"
	"github.com/bluenviron/gortsplib/v5/pkg/format/rtph264"
	"github.com/bluenviron/gortsplib/v5/pkg/format/rtph265"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
	"github.com/pion/rtp"

	"nightjar/internal/redact"
)

// Track is one recorded elementary stream.
type Track struct {
	Codec  string // "h264", "h265" or "aac"
	AAC    *mpeg4audio.AudioSpecificConfig
	Params [][]byte // VPS (H.265), SPS and PPS from the session description
	Width  int
	Height int
}

// Frame is one access unit.
type Frame struct {
	Track   int
	PTS     time.Duration
	AU      [][]byte
	Arrived time.Time
}

// Handler receives a session's tracks and frames. Calls come from one
// goroutine at a time.
type Handler interface {
	SessionStart(tracks []Track)
	SessionFrame(f Frame)
	SessionStop(err error)
}

// Client records one RTSP stream.
type Client struct {
	// URL is the stream, with credentials.
	URL     string
	Handler Handler
	Log     *slog.Logger
	// StallTimeout ends a session that gets no video for this long. It
	// defaults to 5 s.
	StallTimeout time.Duration
	// MaxBackoff caps the reconnect wait. It defaults to 30 s.
	MaxBackoff time.Duration

	sessions atomic.Int64
	frames   atomic.Int64
}

// Sessions is how many sessions have started.
func (c *Client) Sessions() int64 { return c.sessions.Load() }

// Frames is how many frames were handed on.
func (c *Client) Frames() int64 { return c.frames.Load() }

func (c *Client) log() *slog.Logger {
	if c.Log != nil {
		return c.Log
	}
	return slog.Default().With("component", "ingest")
}

// Run reads the stream until ctx ends, reconnecting with backoff.
func (c *Client) Run(ctx context.Context) {
	backoff := time.Second
	maxBackoff := c.MaxBackoff
	if maxBackoff <= 0 {
		maxBackoff = 30 * time.Second
	}
	for ctx.Err() == nil {
		began := time.Now()
		err := c.session(ctx)
		if ctx.Err() != nil {
			return
		}
		if time.Since(began) > 10*time.Second {
			backoff = time.Second
		}
		c.log().Warn("stream lost; reconnecting", "url", redact.RedactURL(c.URL), "err", err, "in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, maxBackoff)
	}
}

// credentialsOnlyTo drops the Authorization header from requests to any
// host but host. gortsplib follows a DESCRIBE redirect to another host
// and takes the credentials along; a camera must not be able to send
// them elsewhere that way. The redirected server then refuses the
// session, which fails with its 401.
func credentialsOnlyTo(host string) func(*base.Request) {
	return func(req *base.Request) {
		if req.URL == nil || !strings.EqualFold(req.URL.Hostname(), host) {
			delete(req.Header, "Authorization")
		}
	}
}

// errStall ends a session that stopped delivering video.
var errStall = errors.New("no video for too long")

func (c *Client) session(ctx context.Context) error {
	u, err := base.ParseURL(c.URL)
	if err != nil {
		return fmt.Errorf("stream address: %w", err)
	}
	tcp := gortsplib.ProtocolTCP
	rc := &gortsplib.Client{Scheme: u.Scheme, Host: u.Host, Protocol: &tcp,
		ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second,
		OnRequest: credentialsOnlyTo(u.Hostname())}
	if err := rc.Start(); err != nil {
		return err
	}
	defer rc.Close()
	desc, _, err := rc.Describe(u)
	if err != nil {
		return err
	}
	tracks, readers, err := c.setup(rc, desc)
	if err != nil {
		return err
	}
	var (
		mu       sync.Mutex
		lastSeen = time.Now()
		stopped  bool
	)
	c.sessions.Add(1)
	c.Handler.SessionStart(tracks)
	deliver := func(f Frame, video bool) {
		mu.Lock()
		defer mu.Unlock()
		if stopped {
			return
		}
		if video {
			lastSeen = f.Arrived
		}
		c.frames.Add(1)
		c.Handler.SessionFrame(f)
	}
	for _, rd := range readers {
		rd := rd
		rc.OnPacketRTP(rd.media, rd.format, func(pkt *rtp.Packet) {
			pts, ok := rc.PacketPTS(rd.media, pkt)
			if !ok {
				return
			}
			aus, err := rd.decode(pkt)
			if err != nil || len(aus) == 0 {
				return
			}
			now := time.Now()
			base := time.Duration(pts) * time.Second / time.Duration(rd.format.ClockRate())
			if rd.video {
				deliver(Frame{Track: rd.track, PTS: base, AU: aus, Arrived: now}, true)
				return
			}
			// AAC: several access units of 1024 samples per packet.
			for i, au := range aus {
				off := time.Duration(i*1024) * time.Second / time.Duration(rd.format.ClockRate())
				deliver(Frame{Track: rd.track, PTS: base + off, AU: [][]byte{au}, Arrived: now}, false)
			}
		})
	}
	if _, err := rc.Play(nil); err != nil {
		return err
	}
	stall := c.StallTimeout
	if stall <= 0 {
		stall = 5 * time.Second
	}
	done := make(chan error, 1)
	go func() { done <- rc.Wait() }()
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	var end error
loop:
	for {
		select {
		case <-ctx.Done():
			end = ctx.Err()
			break loop
		case err := <-done:
			end = err
			break loop
		case now := <-tick.C:
			mu.Lock()
			idle := now.Sub(lastSeen)
			mu.Unlock()
			if idle > stall {
				end = errStall
				break loop
			}
		}
	}
	rc.Close()
	mu.Lock()
	stopped = true
	c.Handler.SessionStop(end)
	mu.Unlock()
	return end
}

// maxSide is the largest picture side an H.264 or H.265 level allows
// (level 6.2: the square root of 8 × the largest frame, about 16888
// pixels). An SPS claiming more, or a cropping larger than the picture, is
// not believed.
const maxSide = 16888

// pictureSize is w×h when it is a possible picture, or 0×0 (unknown).
func pictureSize(w, h int) (int, int) {
	if w <= 0 || h <= 0 || w > maxSide || h > maxSide {
		return 0, 0
	}
	return w, h
}

type reader struct {
	media  *description.Media
	format format.Format
	track  int
	video  bool
	decode func(*rtp.Packet) ([][]byte, error)
}

// setup picks the tracks to record and sets up their medias.
func (c *Client) setup(rc *gortsplib.Client, desc *description.Session) ([]Track, []reader, error) {
	tracks, readers, err := c.pickTracks(desc)
	if err != nil {
		return nil, nil, err
	}
	seen := map[*description.Media]bool{}
	for _, r := range readers {
		if seen[r.media] {
			continue
		}
		seen[r.media] = true
		if _, err := rc.Setup(desc.BaseURL, r.media, 0, 0); err != nil {
			return nil, nil, err
		}
	}
	return tracks, readers, nil
}

// pickTracks picks the first video format, and AAC audio when there is
// one, from the camera's session description.
func (c *Client) pickTracks(desc *description.Session) ([]Track, []reader, error) {
	var tracks []Track
	var readers []reader
	haveVideo, haveAudio := false, false
	for _, m := range desc.Medias {
		for _, f := range m.Formats {
			switch f := f.(type) {
			case *format.H264:
				if haveVideo {
					continue
				}
				d, err := f.CreateDecoder()
				if err != nil {
					return nil, nil, err
				}
				t := Track{Codec: "h264"}
				if sps, pps := f.SafeParams(); len(sps) > 0 && len(pps) > 0 { // "sprop-parameter-sets=SPS," gives an empty PPS
					t.Params = [][]byte{sps, pps}
					var s h264.SPS
					if s.Unmarshal(sps) == nil {
						t.Width, t.Height = pictureSize(s.Width(), s.Height())
					}
				}
				readers = append(readers, reader{media: m, format: f, track: len(tracks), video: true, decode: func(p *rtp.Packet) ([][]byte, error) {
					au, err := d.Decode(p)
					if errors.Is(err, rtph264.ErrMorePacketsNeeded) {
						return nil, nil
					}
					return au, err
				}})
				tracks = append(tracks, t)
				haveVideo = true
			case *format.H265:
				if haveVideo {
					continue
				}
				d, err := f.CreateDecoder()
				if err != nil {
					return nil, nil, err
				}
				t := Track{Codec: "h265"}
				if vps, sps, pps := f.SafeParams(); len(vps) > 0 && len(sps) > 0 && len(pps) > 0 {
					t.Params = [][]byte{vps, sps, pps}
					var s h265.SPS
					if s.Unmarshal(sps) == nil {
						t.Width, t.Height = pictureSize(s.Width(), s.Height())
					}
				}
				readers = append(readers, reader{media: m, format: f, track: len(tracks), video: true, decode: func(p *rtp.Packet) ([][]byte, error) {
					au, err := d.Decode(p)
					if errors.Is(err, rtph265.ErrMorePacketsNeeded) {
						return nil, nil
					}
					return au, err
				}})
				tracks = append(tracks, t)
				haveVideo = true
			case *format.MPEG4Audio:
				if haveAudio || f.Config == nil {
					continue
				}
				d, err := f.CreateDecoder()
				if err != nil {
					return nil, nil, err
				}
				readers = append(readers, reader{media: m, format: f, track: len(tracks), decode: d.Decode})
				tracks = append(tracks, Track{Codec: "aac", AAC: f.Config})
				haveAudio = true
			case *format.G711:
				c.log().Info("G.711 audio is not recorded: MPEG-TS cannot carry it")
			}
		}
	}
	if !haveVideo {
		return nil, nil, fmt.Errorf("the stream has no H.264 or H.265 video")
	}
	return tracks, readers, nil
}
