package player

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// stillCtxMargin is how long after its ctx ends Frame or Thumbnail may
// take to return: its loop looks at ctx every 5 ms, then frees its mpv,
// on a loaded machine. mpv's own network-timeout (5 s) is far longer.
const stillCtxMargin = time.Second

// TestFrameAndThumbnailHonourCtx asks for a frame and a thumbnail from
// a footage server that accepts the request and never answers: each
// returns a deadline error saying how far it got once its ctx ends.
func TestFrameAndThumbnailHonourCtx(t *testing.T) {
	stop := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-stop:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(stop)
	piece := Piece{URL: srv.URL + "/tok/seg/cam/1.ts", Start: testBase, Length: 10 * time.Second}
	for _, c := range []struct {
		name string
		f    func(ctx context.Context) error
	}{
		{"Frame", func(ctx context.Context) error {
			_, err := Frame(ctx, []Piece{piece}, testBase.Add(time.Second), nil)
			return err
		}},
		{"Thumbnail", func(ctx context.Context) error {
			_, err := Thumbnail(ctx, piece, testBase.Add(time.Second), 160, nil)
			return err
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			const within = 500 * time.Millisecond
			ctx, cancel := context.WithTimeout(context.Background(), within)
			defer cancel()
			start := time.Now()
			err := c.f(ctx)
			took := time.Since(start)
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("%s from a server that never answers: got %v, want a deadline error", c.name, err)
			}
			if took > within+stillCtxMargin {
				t.Errorf("%s returned %v after it was called, its ctx ended at %v", c.name, took.Round(time.Millisecond), within)
			}
			t.Logf("%s: %v after %v", c.name, err, took.Round(time.Millisecond))
		})
	}
}
