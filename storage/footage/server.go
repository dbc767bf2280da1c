package footage

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"nightjar/storage/catalog"
	"nightjar/storage/recording"
)

// plainOpener opens a segment's checked plaintext; *recording.Store is one.
type plainOpener interface {
	OpenPlain(ctx context.Context, row catalog.Segment) (*recording.Plain, error)
}

// rowLookup lists catalogue rows; *catalog.DB is one.
type rowLookup interface {
	Segments(catalog.SegmentFilter) ([]catalog.Segment, error)
}

// Config configures a Server.
type Config struct {
	Store plainOpener
	DB    rowLookup
	// Log defaults to slog.Default().
	Log *slog.Logger
	// WriteTimeout bounds one response. A player that pauses with a
	// response half read holds it open until then. It defaults to 5 min.
	WriteTimeout time.Duration
	// OpenTimeout bounds finding and checking a segment before the first
	// byte. It defaults to 30 s.
	OpenTimeout time.Duration
}

// Server serves footage on loopback until Close.
type Server struct {
	cfg   Config
	log   *slog.Logger
	token string
	addr  string // 127.0.0.1:port, also the only Host accepted
	srv   *http.Server
	done  chan error

	closeOnce sync.Once
	closeErr  error
}

const loopback = "127.0.0.1"

// Start listens on 127.0.0.1 on a free port and serves in the background.
// ctx bounds starting only; Close stops the server.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Store == nil || cfg.DB == nil {
		return nil, errors.New("start footage server: Store and DB are required")
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = 5 * time.Minute
	}
	if cfg.OpenTimeout <= 0 {
		cfg.OpenTimeout = 30 * time.Second
	}
	log := cfg.Log
	if log == nil {
		log = slog.Default()
	}
	log = log.With("component", "footage")
	tok := make([]byte, 32)
	if _, err := rand.Read(tok); err != nil {
		return nil, fmt.Errorf("make footage token: %w", err)
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp4", net.JoinHostPort(loopback, "0"))
	if err != nil {
		return nil, fmt.Errorf("listen for footage on loopback: %w", err)
	}
	ta, ok := ln.Addr().(*net.TCPAddr)
	if !ok || !ta.IP.IsLoopback() {
		ln.Close()
		return nil, fmt.Errorf("footage listener is on %v, not loopback", ln.Addr())
	}
	s := &Server{cfg: cfg, log: log, token: hex.EncodeToString(tok), addr: ta.String(), done: make(chan error, 1)}
	s.srv = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       time.Minute,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	go func() { s.done <- s.srv.Serve(ln) }()
	log.Info("serving footage on loopback", "addr", s.addr)
	return s, nil
}

// Addr is the listening address, 127.0.0.1:port.
func (s *Server) Addr() string { return s.addr }

// URL is where a player reads row.
func (s *Server) URL(row catalog.Segment) string {
	return fmt.Sprintf("http://%s/%s/seg/%s/%d.ts", s.addr, s.token, url.PathEscape(row.CameraID), row.Start.UnixNano())
}

// Close stops listening and ends open responses, waiting up to 2 s for
// them to finish. Later calls return the first call's result.
func (s *Server) Close() error {
	s.closeOnce.Do(func() { s.closeErr = s.close() })
	return s.closeErr
}

func (s *Server) close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if err != nil {
		err = s.srv.Close()
	}
	if serr := <-s.done; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	if err != nil {
		return fmt.Errorf("close footage server: %w", err)
	}
	return nil
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if r.Host != s.addr {
		http.Error(w, "wrong host", http.StatusForbidden)
		return
	}
	cam, start, ok := s.parsePath(r.URL.EscapedPath())
	if !ok {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	log := s.log.With("camera", cam, "start", start.UTC().Format(time.RFC3339Nano))
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.OpenTimeout)
	defer cancel()
	row, err := s.lookup(cam, start)
	if errors.Is(err, catalog.ErrNotFound) {
		http.Error(w, "no such segment", http.StatusNotFound)
		return
	}
	if err != nil {
		log.Error("look up segment", "err", err)
		http.Error(w, "cannot read the catalogue", http.StatusInternalServerError)
		return
	}
	p, err := s.cfg.Store.OpenPlain(ctx, row)
	if err != nil {
		var d *recording.DamageError
		switch {
		case errors.As(err, &d):
			log.Warn("refused a damaged segment", "problem", d.Reason)
			http.Error(w, "segment is damaged: "+d.Reason, http.StatusGone)
		case errors.Is(err, recording.ErrShredded):
			http.Error(w, "segment is unreadable: its day's key was destroyed", http.StatusGone)
		case r.Context().Err() != nil:
			// The player hung up (a seek elsewhere, or closing) while the
			// segment was being checked: nothing went wrong.
			log.Debug("request ended before the segment opened", "err", err)
		default:
			log.Error("open segment", "err", err)
			http.Error(w, "cannot open the segment", http.StatusInternalServerError)
		}
		return
	}
	defer p.Close()
	w.Header().Set("Content-Type", "video/mp2t")
	if !p.Growing && row.SHA256 != "" {
		w.Header().Set("ETag", `"`+row.SHA256+`"`)
	}
	body := &errReader{r: io.NewSectionReader(p.R, 0, p.Size)}
	http.ServeContent(w, r, "", time.Time{}, body)
	if body.err != nil {
		// The status went out; the response stops short.
		log.Warn("segment read failed while serving", "err", body.err)
	}
}

// errReader remembers a read error other than the end, which ServeContent
// swallows.
type errReader struct {
	r   *io.SectionReader
	err error
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF && e.err == nil {
		e.err = err
	}
	return n, err
}

func (e *errReader) Seek(off int64, whence int) (int64, error) { return e.r.Seek(off, whence) }

// parsePath reads /<token>/seg/<camera>/<start-unix-nanos>.ts.
func (s *Server) parsePath(p string) (string, time.Time, bool) {
	parts := strings.Split(p, "/")
	if len(parts) != 5 || parts[0] != "" {
		return "", time.Time{}, false
	}
	if subtle.ConstantTimeCompare([]byte(parts[1]), []byte(s.token)) != 1 || parts[2] != "seg" {
		return "", time.Time{}, false
	}
	cam, err := url.PathUnescape(parts[3])
	if err != nil || cam == "" {
		return "", time.Time{}, false
	}
	num, ok := strings.CutSuffix(parts[4], ".ts")
	if !ok {
		return "", time.Time{}, false
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil {
		return "", time.Time{}, false
	}
	return cam, time.Unix(0, n).UTC(), true
}

// lookup finds the row of the segment of cam starting exactly at start.
func (s *Server) lookup(cam string, start time.Time) (catalog.Segment, error) {
	rows, err := s.cfg.DB.Segments(catalog.SegmentFilter{CameraID: cam, From: start, To: start.Add(1)})
	if err != nil {
		return catalog.Segment{}, err
	}
	for _, r := range rows {
		if r.CameraID == cam && r.Start.Equal(start) {
			return r, nil
		}
	}
	return catalog.Segment{}, catalog.ErrNotFound
}
