package player

import (
	"context"
	"fmt"
	"image"
	"strconv"
	"time"

	mpv "github.com/gen2brain/go-mpv"

	"nightjar/internal/zones"
)

// stillTimeout bounds Frame and Thumbnail when ctx has no deadline.
const stillTimeout = 20 * time.Second

// Frame decodes the frame on screen at wall time at, exactly, at the
// footage's full resolution, with mask painted over it: what `nightjar
// recordings frame` writes. pieces are a run (or part of one) in time
// order; a time none of them covers is ErrNoFootage. It uses a
// short-lived mpv instance of its own.
func Frame(ctx context.Context, pieces []Piece, at time.Time, mask *zones.Mask) (*image.RGBA, error) {
	tl := newTimeline(pieces)
	t, ok := tl.at(at)
	if !ok {
		return nil, fmt.Errorf("decode frame at %s: %w", at.Format(time.RFC3339Nano), ErrNoFootage)
	}
	img, err := still(ctx, CoreOptions{"hr-seek": "yes", "hr-seek-framedrop": "no"}, edlURL(tl.pieces), t, 0, true, mask)
	if err != nil {
		return nil, fmt.Errorf("decode frame at %s: %w", at.Format(time.RFC3339Nano), err)
	}
	return img, nil
}

// Thumbnail decodes a keyframe next to wall time at in piece, scaled to
// width pixels wide (keeping the aspect): the first keyframe at or after
// at, or the piece's last keyframe when none follows. It decodes no
// other frame, so it is fast, and shows a moment up to one GOP from at.
// mask is painted over it.
func Thumbnail(ctx context.Context, piece Piece, at time.Time, width int, mask *zones.Mask) (*image.RGBA, error) {
	if width <= 0 {
		return nil, fmt.Errorf("thumbnail: width %d is not positive", width)
	}
	if at.Before(piece.Start) || !at.Before(piece.End()) {
		return nil, fmt.Errorf("thumbnail at %s: %w", at.Format(time.RFC3339Nano), ErrNoFootage)
	}
	opts := CoreOptions{
		// Keyframes only: the decoder drops the rest unseen, and hr-seek
		// shows the first keyframe at or after at, or at the piece's end
		// its last one. The demuxer starts 4 s early, so an MPEG-TS seek
		// that lands a keyframe late (see demuxerBackoffs) still starts
		// before at.
		"hr-seek":                "yes",
		"hr-seek-framedrop":      "no",
		"hr-seek-demuxer-offset": "4",
		"vd-lavc-skipframe":      "nonkey",
		"vd-lavc-skiploopfilter": "all",
		"vd-lavc-fast":           "yes",
		"vd-lavc-threads":        "1",
		"demuxer-readahead-secs": "0",
		"cache":                  "no",
	}
	img, err := still(ctx, opts, edlURL([]Piece{piece}), at.Sub(piece.Start), width, false, mask)
	if err != nil {
		return nil, fmt.Errorf("thumbnail at %s: %w", at.Format(time.RFC3339Nano), err)
	}
	return img, nil
}

// stillStall is how long a seek may go without its restart before it is
// sent again (from further back, as a late one): a seek of a Frame or a
// Thumbnail takes well under a second, and one was seen never to finish.
const stillStall = 3 * time.Second

// still loads url paused, seeks to timeline time t (exactly or to a
// keyframe) and renders the frame there, width wide (0: full size). It
// returns a clear error when ctx ends first, saying how far it got.
func still(ctx context.Context, opts CoreOptions, url string, t time.Duration, width int, exact bool, mask *zones.Mask) (*image.RGBA, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, stillTimeout)
		defer cancel()
	}
	base := CoreOptions{
		"pause": "yes", "keep-open": "yes", "cache-on-disk": "no", "cache-dir": "",
		"network-timeout": "5", "hwdec": "no",
	}
	for k, v := range opts {
		base[k] = v
	}
	c, err := NewCore(base)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	c.SetMask(mask)
	if err := c.Command("loadfile", url); err != nil {
		return nil, fmt.Errorf("open footage: %w", err)
	}
	// Both seek exactly; a thumbnail's decoder skips every frame but
	// keyframes, so "exactly" becomes the first keyframe from t.
	flags := "absolute+exact"
	seekTo := t
	var frameDur time.Duration
	seeked, begun, attempt := false, false, 0
	var seekSent time.Time
	// libmpv's video output waits for each frame to be rendered before it
	// goes on (or for a timeout of about 200 ms): so the frames on the way
	// are drawn into a scratch pixel as they come.
	scratch := image.NewRGBA(image.Rect(0, 0, 1, 1))
	for {
		if err := ctx.Err(); err != nil {
			state := "did not load the footage"
			if seeked {
				state = fmt.Sprintf("did not finish its seek (sent %d times)", attempt+1)
			}
			return nil, fmt.Errorf("no frame at %v into the footage: mpv %s: %w", t.Round(time.Millisecond), state, err)
		}
		if seeked && time.Since(seekSent) > stillStall && attempt < len(demuxerBackoffs) {
			// No restart for the seek: send it again from further back.
			c.SetProperty("hr-seek-demuxer-offset", seconds(demuxerBackoffs[attempt]))
			attempt++
			begun, seekSent = false, time.Now()
			c.Command("seek", seconds(seekTo), flags)
		}
		if c.HasNewFrame() {
			c.Render(scratch, scratch.Bounds())
		}
		ev := c.WaitEvent(0.005)
		if ev == nil {
			return nil, ErrClosed
		}
		switch ev.EventID {
		case mpv.EventEnd:
			if ef := ev.EndFile(); ef.Reason == mpv.EndFileError {
				return nil, fmt.Errorf("play footage: %w", ef.Error)
			}
		case mpv.EventFileLoaded:
			if exact {
				if fps, err := strconv.ParseFloat(c.Property("container-fps"), 64); err == nil && fps > 0 {
					frameDur = time.Duration(float64(time.Second) / fps)
					seekTo = max(0, t-frameDur+hrSeekSlack+time.Millisecond)
				}
			}
			if err := c.Command("seek", seconds(seekTo), flags); err != nil {
				return nil, fmt.Errorf("seek in footage: %w", err)
			}
			seeked, begun, seekSent = true, false, time.Now()
		case mpv.EventSeek:
			begun = seeked
		case mpv.EventPlaybackRestart:
			if !begun {
				continue // the file's start, before the seek
			}
			v, err := strconv.ParseFloat(c.Property("time-pos"), 64)
			if exact && err == nil && time.Duration(v*float64(time.Second)) < t-frameDur-2*hrSeekSlack {
				continue // an earlier restart: the seek's own is to come
			}
			late := err != nil || c.Property("video-params/dw") == "" || c.Property("eof-reached") == "yes" ||
				time.Duration(v*float64(time.Second)) > t+frameDur/2
			switch {
			case late && exact && attempt < len(demuxerBackoffs):
				// As in Playback: a TS seek that landed late (or past the
				// end) goes again from further back.
				c.SetProperty("hr-seek-demuxer-offset", seconds(demuxerBackoffs[attempt]))
				attempt++
				begun, seekSent = false, time.Now()
				c.Command("seek", seconds(seekTo), flags)
				continue
			}
			return renderStill(c, width)
		}
	}
}

// renderStill renders the frame mpv shows, at full size or width wide.
func renderStill(c *Core, width int) (*image.RGBA, error) {
	var w, h int
	fmt.Sscan(c.Property("video-params/dw"), &w)
	fmt.Sscan(c.Property("video-params/dh"), &h)
	if w <= 0 || h <= 0 {
		return nil, fmt.Errorf("footage has no video")
	}
	c.setSize(w, h)
	if width > 0 {
		h = max(1, (h*width+w/2)/w)
		w = width
	}
	// The restart means the frame is there (hr-seek-framedrop=no); it
	// may already have gone to the scratch pixel, and renders again.
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	if err := c.Render(img, img.Bounds()); err != nil {
		return nil, err
	}
	return img, nil
}
