package app

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"io"
	"os"
	"time"

	"nightjar/player"
)

// frameTimeout bounds finding and decoding one frame: a second or two on
// the reference machine, so a decode that never delivers its frame is an
// error rather than a command that hangs (the recordings command's own
// bound is 30 min, for cat).
const frameTimeout = 30 * time.Second

// frameAt writes the decoded frame of a camera at a moment to out as a PNG,
// at full resolution. A moment in a gap is an error naming the nearest
// footage.
func (a *App) frameAt(ctx context.Context, cameraID string, at time.Time, out string, stdout io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, frameTimeout)
	defer cancel()
	src, err := a.cameraSource(cameraID)
	if err != nil {
		return err
	}
	pieces, _, ok, err := src.Run(ctx, at)
	if err != nil {
		return err
	}
	if !ok {
		return a.noFootageAt(cameraID, at)
	}
	img, err := player.Frame(ctx, pieces, at, a.masks().live(cameraID))
	if err != nil {
		return fmt.Errorf("decode the frame at %s: %w", at.Local().Format("2006-01-02 15:04:05.000"), err)
	}
	cam, err := a.DB.Camera(cameraID)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return err
	}
	b := withTextChunks(buf.Bytes(), [][2]string{
		{"Title", cam.Name},
		{"Source", "Nightjar " + Version},
		{"Creation Time", at.UTC().Format(time.RFC3339Nano)},
		{"Comment", fmt.Sprintf("camera %s; recorded frame at %s, %dx%d", cam.ID, at.UTC().Format(time.RFC3339Nano), img.Bounds().Dx(), img.Bounds().Dy())},
	})
	if err := os.WriteFile(out, b, 0o600); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	fmt.Fprintf(stdout, "wrote %s (%dx%d, %s)\n", out, img.Bounds().Dx(), img.Bounds().Dy(), at.Local().Format("2006-01-02 15:04:05.000"))
	return nil
}

// noFootageAt is the error for a moment with no footage: it names the
// nearest footage before and after.
func (a *App) noFootageAt(cameraID string, at time.Time) error {
	tl, err := a.timelineOf(cameraID, at.Add(-nextLookahead), at.Add(nextLookahead))
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("camera %s has no footage at %s", cameraID, at.Local().Format("2006-01-02 15:04:05"))
	var near []string
	var prev time.Time
	for _, r := range tl.Runs {
		if !r.To.After(at) {
			prev = r.To
		}
	}
	if !prev.IsZero() {
		near = append(near, "the footage before ends at "+prev.Local().Format("2006-01-02 15:04:05"))
	}
	if next, ok := tl.NextFootage(at); ok {
		near = append(near, "the next starts at "+next.Local().Format("2006-01-02 15:04:05"))
	}
	if len(near) == 0 {
		return fmt.Errorf("%s, and none at all", msg)
	}
	return fmt.Errorf("%s; %s", msg, joinAnd(near))
}

func joinAnd(s []string) string {
	if len(s) == 2 {
		return s[0] + ", and " + s[1]
	}
	return s[0]
}
