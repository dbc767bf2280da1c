package zones

import "image"

// Mask paints a fixed set of zones. It is immutable and safe for
// concurrent use; a nil *Mask paints nothing.
type Mask struct {
	zones []Zone
}

// NewMask compiles zs; it returns nil when zs is empty.
func NewMask(zs []Zone) *Mask {
	if len(zs) == 0 {
		return nil
	}
	return &Mask{zones: append([]Zone(nil), zs...)}
}

// Zones are the zones m paints.
func (m *Mask) Zones() []Zone {
	if m == nil {
		return nil
	}
	return append([]Zone(nil), m.zones...)
}

// Apply paints the zones over the picture drawn into r of img, the whole
// frame scaled to r. bgr says the pixels are in B, G, R, X order.
func (m *Mask) Apply(img *image.RGBA, r image.Rectangle, bgr bool) {
	if m == nil {
		return
	}
	// TODO(lead): implemented in the next commit.
}
