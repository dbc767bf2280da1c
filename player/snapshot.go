package player

import (
	"context"
	"fmt"
	"image"
	"time"

	"nightjar/internal/zones"
)

// Snapshot grabs one frame of a stream at its full resolution, with mask
// painted over it. It opens its own short-lived mpv instance, so any
// stream (the main one, while the wall shows the sub stream) can be
// captured.
func Snapshot(ctx context.Context, url string, mask *zones.Mask) (*image.RGBA, error) {
	c, err := NewCore(CoreOptions{"profile": "low-latency", "cache": "no", "rtsp-transport": "tcp", "network-timeout": "5"})
	if err != nil {
		return nil, err
	}
	defer c.Close()
	c.SetMask(mask)
	if err := c.Command("loadfile", url); err != nil {
		return nil, fmt.Errorf("open stream: %w", err)
	}
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("no frame: %w", ctx.Err())
		case <-c.Frames():
		case <-tick.C:
		}
		var w, h int
		fmt.Sscan(c.Property("video-params/w"), &w)
		fmt.Sscan(c.Property("video-params/h"), &h)
		c.setSize(w, h) // the still is w×h, whatever its display aspect
		if w <= 0 || h <= 0 || !c.HasNewFrame() {
			continue
		}
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		if err := c.Render(img, img.Bounds()); err != nil {
			return nil, err
		}
		return img, nil
	}
}
