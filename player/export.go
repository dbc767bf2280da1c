package player

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	mpv "github.com/gen2brain/go-mpv"

	"nightjar/internal/zones"
)

// ClipOptions say what EncodeClip makes.
type ClipOptions struct {
	// Pieces are the recorded segments that overlap [From, To), in time
	// order. They may have gaps between them: the clip holds the footage
	// back to back, and ClipResult.Spans says where each stretch lies.
	Pieces   []Piece
	From, To time.Time
	// Mask is burned into every frame; nil burns none.
	Mask *zones.Mask
	// Out is the MP4 file to write. It is removed when EncodeClip fails.
	Out string
	// Preset is the x264 preset ("ultrafast" when empty) and CRF its
	// constant rate factor (23 when 0).
	Preset string
	CRF    int
	// Progress, when set, is called from time to time with how much of
	// the clip is encoded, out of its whole length.
	Progress func(done, total time.Duration)
}

// ClipResult describes an encoded clip.
type ClipResult struct {
	Width, Height int
	// Spans are the stretches of footage in the clip, in order, each
	// with where it starts in the clip.
	Spans    []ClipSpan
	Duration time.Duration
}

// ClipSpan is one stretch of footage in a clip.
type ClipSpan struct {
	From, To time.Time
	Offset   time.Duration
}

// clipStall bounds how long an export may go without progress before it
// is given up: a decoder or encoder that stopped.
const clipStall = 30 * time.Second

// EncodeClip re-encodes the footage of [From, To) to an H.264 MP4 with the
// mask burned in, through libmpv's encoding mode (the FFmpeg libraries
// libmpv brings: no other binary, no network).
//
// The zones reach the encoder as images laid over each decoded frame by
// FFmpeg's overlay filter (zones.Mask.Layers): the same pixel coverage
// as the render path's Apply, without taking every frame through an RGB
// render buffer and back. Any error the filter graph or the encoder logs
// fails the export, so a graph that did not load can never leave a clip
// unmasked.
func EncodeClip(ctx context.Context, opts ClipOptions) (res ClipResult, err error) {
	pieces, spans, start, end := clipWindow(opts.Pieces, opts.From, opts.To)
	if len(pieces) == 0 {
		return res, fmt.Errorf("encode clip: %w", ErrNoFootage)
	}
	res.Spans, res.Duration = spans, end-start
	defer func() {
		if err != nil {
			os.Remove(opts.Out)
		}
	}()
	w, h, frame, colour, err := probeSize(ctx, pieces[0].URL)
	if err != nil {
		return res, fmt.Errorf("encode clip: %w", err)
	}
	res.Width, res.Height = w, h
	tmp, err := os.MkdirTemp("", "nightjar-export-")
	if err != nil {
		return res, fmt.Errorf("encode clip: %w", err)
	}
	defer os.RemoveAll(tmp)
	graph, err := maskGraph(grownLayers(opts.Mask.Layers(w, h), exportMargin), tmp, colour)
	if err != nil {
		return res, fmt.Errorf("encode clip: %w", err)
	}
	preset, crf := opts.Preset, opts.CRF
	if preset == "" {
		preset = "ultrafast"
	}
	if crf == 0 {
		crf = 23
	}
	// Each piece is its own playlist entry: mpv's encoder joins them
	// frame for frame, where an edl:// timeline loses the last frame of
	// every piece. The first starts at the range's start, seeking its
	// demuxer back to the piece's own first keyframe (a TS seek of its
	// own can land late); the last ends at the range's end.
	entries := make([]clipEntry, len(pieces))
	for i, p := range pieces {
		entries[i] = clipEntry{url: p.URL, to: p.Length, length: p.Length}
	}
	entries[0].from = start
	last := len(pieces) - 1
	entries[last].to = end - newTimeline(pieces).offs[last]
	// mpv's encoder drops the last frame it is given (it never learns
	// how long that frame lasts), so the last frame goes in once more.
	tail := entries[last]
	tail.from, tail.spare = max(tail.from, tail.to-frame+2*time.Millisecond), true
	entries = append(entries, tail)
	settings := CoreOptions{
		"o": opts.Out, "of": "mp4", "ovc": "libx264", "ovcopts": fmt.Sprintf("preset=%s,crf=%d", preset, crf),
		"ocopy-metadata": "no", "vo": "lavc", "audio": "no", "sub": "no",
		"vf":      "lavfi=[" + graph + "]",
		"hr-seek": "yes", "hr-seek-framedrop": "no", "hr-seek-demuxer-offset": seconds(start + time.Second),
	}
	if err := encode(ctx, settings, entries, opts.Progress); err != nil {
		return res, fmt.Errorf("encode clip: %w", err)
	}
	// libmpv creates the file for everyone to read; footage is the
	// user's alone.
	if err := os.Chmod(opts.Out, 0o600); err != nil {
		return res, fmt.Errorf("encode clip: %w", err)
	}
	return res, nil
}

// clipWindow picks the pieces that overlap [from, to), the stretches of
// footage they hold there, and where the range starts and ends on the
// timeline of those pieces played back to back.
func clipWindow(all []Piece, from, to time.Time) (pieces []Piece, spans []ClipSpan, start, end time.Duration) {
	for _, p := range all {
		if p.End().After(from) && p.Start.Before(to) && p.Length > 0 {
			pieces = append(pieces, p)
		}
	}
	if len(pieces) == 0 {
		return nil, nil, 0, 0
	}
	tl := newTimeline(pieces)
	start = max(0, from.Sub(pieces[0].Start))
	last := len(pieces) - 1
	end = tl.offs[last] + min(pieces[last].Length, to.Sub(pieces[last].Start))
	for i, p := range pieces {
		a, b := later(p.Start, from), earlier(p.End(), to)
		off := tl.offs[i] + a.Sub(p.Start) - start
		if n := len(spans); n > 0 && spans[n-1].To.Equal(a) {
			spans[n-1].To = b
			continue
		}
		spans = append(spans, ClipSpan{From: a, To: b, Offset: off})
	}
	return pieces, spans, start, end
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// colourSpace is how a video's YUV encodes colour: FFmpeg's names for
// the matrix and the range, so a solid zone's RGB colour is converted
// the way the decoder will convert it back.
type colourSpace struct{ matrix, levels string }

// probeSize opens url and reads its video's size, frame length (40 ms
// when the container does not say) and colour space.
func probeSize(ctx context.Context, url string) (w, h int, frame time.Duration, cs colourSpace, err error) {
	c, err := NewCore(CoreOptions{"pause": "yes"})
	if err != nil {
		return 0, 0, 0, cs, err
	}
	defer c.Close()
	if err := c.Command("loadfile", url); err != nil {
		return 0, 0, 0, cs, fmt.Errorf("open footage: %w", err)
	}
	for ctx.Err() == nil {
		ev := c.WaitEvent(0.05)
		if ev == nil {
			return 0, 0, 0, cs, ErrClosed
		}
		if ev.EventID == mpv.EventEnd {
			if ef := ev.EndFile(); ef.Reason == mpv.EndFileError {
				return 0, 0, 0, cs, fmt.Errorf("open footage: %w", ef.Error)
			}
		}
		if d := c.dims.Load(); d != 0 {
			frame = 40 * time.Millisecond
			if fps, err := strconv.ParseFloat(c.Property("container-fps"), 64); err == nil && fps >= 1 && fps <= 300 {
				frame = time.Duration(float64(time.Second) / fps)
			}
			cs = colourSpace{matrix: "bt601", levels: "tv"}
			switch c.Property("video-params/colormatrix") {
			case "bt.709":
				cs.matrix = "bt709"
			case "bt.2020-ncl":
				cs.matrix = "bt2020"
			}
			if c.Property("video-params/colorlevels") == "full" {
				cs.levels = "pc"
			}
			return int(d >> 32), int(d & 0xffffffff), frame, cs, nil
		}
	}
	return 0, 0, 0, cs, fmt.Errorf("read the footage's size: %w", ctx.Err())
}

// exportMargin is how far a clip's zones reach past their edges, in
// pixels: H.264 smears a sharp edge over a few pixels, and a zone must
// hold its colour up to its last pixel.
const exportMargin = 4

// grownLayers grows every zone of l by n pixels on each side.
func grownLayers(l zones.Layers, n int) zones.Layers {
	if l.Solid != nil {
		l.Solid = growRGBA(l.Solid, n)
	}
	for i, p := range l.Pixelated {
		a := image.NewAlpha(p.Alpha.Rect)
		for y := a.Rect.Min.Y; y < a.Rect.Max.Y; y++ {
			for x := a.Rect.Min.X; x < a.Rect.Max.X; x++ {
				if p.Alpha.AlphaAt(x, y).A == 0 {
					continue
				}
				for dy := -n; dy <= n; dy++ {
					for dx := -n; dx <= n; dx++ {
						if q := image.Pt(x+dx, y+dy); q.In(a.Rect) {
							a.Pix[a.PixOffset(q.X, q.Y)] = 255
						}
					}
				}
			}
		}
		l.Pixelated[i].Alpha = a
	}
	return l
}

// growRGBA spreads each opaque pixel of img over its n-pixel
// neighbourhood where that is transparent.
func growRGBA(img *image.RGBA, n int) *image.RGBA {
	out := image.NewRGBA(img.Rect)
	copy(out.Pix, img.Pix)
	b := img.Rect
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := img.RGBAAt(x, y)
			if c.A == 0 {
				continue
			}
			for dy := -n; dy <= n; dy++ {
				for dx := -n; dx <= n; dx++ {
					q := image.Pt(x+dx, y+dy)
					if q.In(b) && out.RGBAAt(q.X, q.Y).A == 0 {
						out.SetRGBA(q.X, q.Y, c)
					}
				}
			}
		}
	}
	return out
}

// maskGraph writes the layers as PNG files into dir and returns the
// FFmpeg filter graph (from [in] to [out]) that lays them over each
// frame: each pixelated zone is its block-aligned rectangle scaled down
// by its block (area: each pixel the mean of a block) and up again,
// cut to the zone's shape; the solid zones go over everything, in the
// footage's colour space cs.
func maskGraph(l zones.Layers, dir string, cs colourSpace) (string, error) {
	if strings.ContainsAny(dir, `:'\[],;=`) {
		return "", fmt.Errorf("temporary directory %q has a character the filter graph cannot take", dir)
	}
	var g []string
	cur := "in"
	next := func() string {
		cur = "v" + strconv.Itoa(len(g))
		return cur
	}
	g = append(g, "[in]format=yuv420p["+next()+"]")
	for i, p := range l.Pixelated {
		name := filepath.Join(dir, fmt.Sprintf("zone%d.png", i))
		if err := writePNG(name, p.Alpha); err != nil {
			return "", err
		}
		b, n := p.Bounds, p.Block
		base, part, alpha, cut := fmt.Sprintf("b%d", i), fmt.Sprintf("p%d", i), fmt.Sprintf("a%d", i), fmt.Sprintf("c%d", i)
		from := cur
		g = append(g,
			fmt.Sprintf("[%s]split[%s][%s]", from, base, part+"in"),
			fmt.Sprintf("[%sin]crop=%d:%d:%d:%d:exact=1,format=yuv444p,scale=%d:%d:flags=area,scale=%d:%d:flags=neighbor,format=yuva444p[%s]",
				part, b.Dx(), b.Dy(), b.Min.X, b.Min.Y, max(1, (b.Dx()+n-1)/n), max(1, (b.Dy()+n-1)/n), b.Dx(), b.Dy(), part),
			fmt.Sprintf("movie=%s,format=gray[%s]", name, alpha),
			fmt.Sprintf("[%s][%s]alphamerge[%s]", part, alpha, cut),
			fmt.Sprintf("[%s][%s]overlay=%d:%d:eof_action=repeat[%s]", base, cut, b.Min.X, b.Min.Y, next()),
		)
	}
	if l.Solid != nil && !opaqueBounds(l.Solid).Empty() {
		// Only the rectangle that holds the zones is laid over each
		// frame: blending the whole frame cost a third of the export.
		box := opaqueBounds(l.Solid)
		name := filepath.Join(dir, "solid.png")
		if err := writePNG(name, l.Solid.SubImage(box)); err != nil {
			return "", err
		}
		from := cur
		// Converted to YUV as the footage's own decoder converts back, so
		// the zone shows the colour asked for.
		g = append(g, fmt.Sprintf("movie=%s,scale=out_color_matrix=%s:out_range=%s,format=yuva420p[s]", name, cs.matrix, cs.levels),
			fmt.Sprintf("[%s][s]overlay=%d:%d:eof_action=repeat[%s]", from, box.Min.X, box.Min.Y, next()))
	}
	g = append(g, "["+cur+"]format=yuv420p[out]")
	return strings.Join(g, ";"), nil
}

// opaqueBounds is the smallest rectangle holding img's pixels that are
// not transparent.
func opaqueBounds(img *image.RGBA) image.Rectangle {
	var r image.Rectangle
	for y := img.Rect.Min.Y; y < img.Rect.Max.Y; y++ {
		row := img.Pix[img.PixOffset(img.Rect.Min.X, y):img.PixOffset(img.Rect.Max.X, y)]
		first, last := -1, -1
		for i := 3; i < len(row); i += 4 {
			if row[i] != 0 {
				if first < 0 {
					first = i / 4
				}
				last = i / 4
			}
		}
		if first >= 0 {
			x := img.Rect.Min.X
			r = r.Union(image.Rect(x+first, y, x+last+1, y+1))
		}
	}
	return r
}

func writePNG(name string, img image.Image) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", name, err)
	}
	return f.Close()
}

// clipEntry is one piece of an encode: the part [from, to) of a file,
// counted from its first frame.
type clipEntry struct {
	url              string
	from, to, length time.Duration
	spare            bool // the last frame again, for the encoder to drop
}

// options are the entry's per-file mpv options: a start only when it
// does not start at the beginning, an end only when it stops short.
func (e clipEntry) options() string {
	var o []string
	if e.from > 0 {
		o = append(o, "start="+seconds(max(0, e.from-time.Millisecond)))
	}
	if e.to < e.length {
		o = append(o, "end="+seconds(e.to-time.Millisecond))
	}
	return strings.Join(o, ",")
}

// encode runs one libmpv instance in encoding mode over entries, one
// playlist entry each, into one file. Any message libmpv logs at error
// level fails it; so does ctx, or clipStall without progress.
func encode(ctx context.Context, settings CoreOptions, entries []clipEntry, progress func(done, total time.Duration)) error {
	m := mpv.New()
	if m == nil {
		return errors.New("create mpv instance: libmpv returned nothing")
	}
	defer m.TerminateDestroy() // finishes the file when the encode went well
	base := CoreOptions{"terminal": "no", "msg-level": "all=error", "config": "no", "load-scripts": "no",
		"ytdl": "no", "osc": "no", "input-default-bindings": "no", "idle": "yes", "keep-open": "no"}
	for k, v := range settings {
		base[k] = v
	}
	for k, v := range base {
		if err := m.SetOptionString(k, v); err != nil {
			return fmt.Errorf("set mpv option %s=%s: %w", k, v, err)
		}
	}
	for _, k := range builtinScripts {
		if err := m.SetOptionString(k, "no"); err != nil && !errors.Is(err, mpv.ErrOptionNotFound) {
			return fmt.Errorf("set mpv option %s=no: %w", k, err)
		}
	}
	if err := m.Initialize(); err != nil {
		return fmt.Errorf("initialise mpv: %w", err)
	}
	if err := m.RequestLogMessages("error"); err != nil {
		return fmt.Errorf("ask mpv for its errors: %w", err)
	}
	if err := m.ObserveProperty(1, "time-pos", mpv.FormatDouble); err != nil {
		return fmt.Errorf("follow the encode: %w", err)
	}
	var total time.Duration
	for i, e := range entries {
		if !e.spare {
			total += e.to - e.from
		}
		mode := "append"
		if i == 0 {
			mode = "replace"
		}
		if err := m.Command([]string{"loadfile", e.url, mode, e.options()}); err != nil {
			return fmt.Errorf("open footage: %w", err)
		}
	}
	lastMove := time.Now()
	var errs []string
	var done time.Duration // the entries finished so far
	cur := 0
	for {
		if err := ctx.Err(); err != nil {
			m.Command([]string{"stop"})
			return err
		}
		if time.Since(lastMove) > clipStall {
			return fmt.Errorf("no progress for %v", clipStall)
		}
		ev := m.WaitEvent(0.1)
		switch ev.EventID {
		case mpv.EventLogMsg:
			if lm := ev.LogMessage(); lm.Level == "error" || lm.Level == "fatal" {
				errs = append(errs, strings.TrimSpace(lm.Prefix+": "+lm.Text))
			}
		case mpv.EventPropertyChange:
			p := ev.Property()
			v, ok := p.Data.(float64)
			if p.Name != "time-pos" || !ok || cur >= len(entries) || entries[cur].spare {
				break
			}
			lastMove = time.Now()
			if progress != nil {
				e := entries[cur]
				in := min(e.to-e.from, max(0, time.Duration(v*float64(time.Second))-e.from))
				progress(done+in, total)
			}
		case mpv.EventEnd:
			ef := ev.EndFile()
			switch {
			case ef.Reason == mpv.EndFileError:
				return fmt.Errorf("play footage: %w", ef.Error)
			case len(errs) > 0:
				return fmt.Errorf("the encoder reported: %s", strings.Join(errs, "; "))
			case ef.Reason != mpv.EndFileEOF:
				return fmt.Errorf("the encode ended early (%v)", ef.Reason)
			}
			if cur < len(entries) && !entries[cur].spare {
				done += entries[cur].to - entries[cur].from
			}
			cur++
			lastMove = time.Now()
			if cur == len(entries) {
				if progress != nil {
					progress(total, total)
				}
				return nil
			}
		}
	}
}
