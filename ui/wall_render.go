package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
)

// The wall's renderer: the canvas objects over and under the composed
// video, and where they go.

// CreateRenderer implements fyne.Widget.
func (w *Wall) CreateRenderer() fyne.WidgetRenderer {
	r := &wallRenderer{w: w}
	r.raster = canvas.NewRaster(w.comp.generate)
	r.raster.ScaleMode = canvas.ImageScalePixels
	for range maxTiles {
		h := canvas.NewText("Right-click or drop a camera here", color.NRGBA{0xaa, 0xaa, 0xaa, 0xff})
		h.Hide()
		r.hints = append(r.hints, h)
	}
	r.border = canvas.NewRectangle(color.Transparent)
	r.border.StrokeColor = theme.Color(theme.ColorNamePrimary)
	r.border.StrokeWidth = 2
	r.toast = canvas.NewText("", color.White)
	r.toastBg = canvas.NewRectangle(color.NRGBA{0, 0, 0, 0xcc})
	r.toast.Hide()
	r.toastBg.Hide()
	for _, s := range w.streams {
		o := &tileOverlay{
			name:  canvas.NewText(s.Name, color.White),
			badge: canvas.NewText("", color.White),
			stats: canvas.NewText("", color.White),
			warn:  canvas.NewText("", color.NRGBA{0xff, 0xb0, 0x20, 0xff}),
			rec:   canvas.NewText("", color.NRGBA{0xff, 0x30, 0x30, 0xff}),
			bg:    canvas.NewRectangle(color.NRGBA{0, 0, 0, 0x99}),
			// The replay badge is black on amber, unlike anything live.
			replay:   canvas.NewText("", color.NRGBA{0, 0, 0, 0xff}),
			replayBg: canvas.NewRectangle(color.NRGBA{0xff, 0xb0, 0x20, 0xe6}),
		}
		o.replay.TextStyle.Bold = true
		o.replay.Hide()
		o.replayBg.Hide()
		o.rec.TextStyle.Bold = true
		o.name.TextStyle.Bold = true
		o.warn.TextStyle.Bold = true
		o.stats.TextSize = theme.CaptionTextSize()
		r.overlays = append(r.overlays, o)
	}
	if w.nativeActive() {
		r.raster.Hide()
	}
	r.applyTexts(false)
	w.rend = r
	return r
}

// overlaysChanged shows new overlay texts. When the X11 surface shows
// them, they are laid out and painted there only: a Fyne refresh would
// repaint the whole window for nothing.
func (w *Wall) overlaysChanged() {
	if w.rend != nil && w.nativeActive() {
		w.rend.Layout(w.Size())
		return
	}
	w.Refresh()
}

// wallRenderer owns the wall's canvas objects: the raster the video is
// composed into, and the texts and boxes over it.
type wallRenderer struct {
	w        *Wall
	raster   *canvas.Raster
	overlays []*tileOverlay // one per stream
	border   *canvas.Rectangle
	hints    []*canvas.Text // "pick a camera" on empty tiles
	toast    *canvas.Text
	toastBg  *canvas.Rectangle
}

type tileOverlay struct {
	name, badge, stats *canvas.Text
	rec                *canvas.Text // "● REC" while the camera records
	warn               *canvas.Text
	bg                 *canvas.Rectangle
	// replay is the instant replay's badge, bottom right, on replayBg;
	// hidden while the tile is live.
	replay   *canvas.Text
	replayBg *canvas.Rectangle
}

func (r *wallRenderer) Objects() []fyne.CanvasObject {
	if r.w.nativeActive() {
		// The texts are drawn into the X11 surface, over the video.
		return []fyne.CanvasObject{r.raster}
	}
	return append([]fyne.CanvasObject{r.raster}, r.overlayObjects()...)
}

// overlayObjects are the texts and boxes drawn over the video.
func (r *wallRenderer) overlayObjects() []fyne.CanvasObject {
	var objs []fyne.CanvasObject
	for _, o := range r.overlays {
		objs = append(objs, o.bg, o.name, o.warn, o.rec, o.badge, o.stats, o.replayBg, o.replay)
	}
	for _, h := range r.hints {
		objs = append(objs, h)
	}
	return append(objs, r.border, r.toastBg, r.toast)
}

// applyTexts puts the wall's overlay texts into the canvas texts,
// refreshing those that changed when refresh is set.
func (r *wallRenderer) applyTexts(refresh bool) {
	set := func(t *canvas.Text, v string) {
		if t.Text != v {
			t.Text = v
			if refresh {
				t.Refresh()
			}
		}
	}
	for i, o := range r.overlays {
		tt := r.w.texts[i]
		set(o.badge, tt.badge)
		set(o.rec, tt.rec)
		set(o.stats, tt.stats)
		set(o.warn, tt.warn)
	}
	set(r.toast, r.w.toast.msg)
	if r.w.toast.on {
		r.toast.Show()
		r.toastBg.Show()
	} else {
		r.toast.Hide()
		r.toastBg.Hide()
	}
}

func (r *wallRenderer) Layout(size fyne.Size) {
	w := r.w
	w.overlayStale = true
	r.applyTexts(false)
	r.layoutToast(size)
	r.raster.Resize(size)
	r.raster.Move(fyne.NewPos(0, 0))
	visible := map[int]rectF{}
	shown, empty := w.model.view()
	for _, sl := range shown {
		visible[sl.stream] = sl.rect
	}
	for i, h := range r.hints {
		if i >= len(empty) {
			h.Hide()
			continue
		}
		e := empty[i]
		hs := h.MinSize()
		h.Move(fyne.NewPos(float32(e.X+e.W/2)*size.Width-hs.Width/2, float32(e.Y+e.H/2)*size.Height-hs.Height/2))
		h.Show()
	}
	pad := theme.Padding()
	for i, o := range r.overlays {
		rf, ok := visible[i]
		for _, obj := range []fyne.CanvasObject{o.bg, o.name, o.warn, o.rec, o.badge, o.stats} {
			if ok {
				obj.Show()
			} else {
				obj.Hide()
			}
		}
		r.layoutReplay(o, w.texts[i].replay, ok, rf, size)
		if !ok {
			continue
		}
		x, y := float32(rf.X)*size.Width, float32(rf.Y)*size.Height
		tw, th := float32(rf.W)*size.Width, float32(rf.H)*size.Height
		// A long name is cut to what the tile leaves beside the badges,
		// not spilled over the next tile.
		room := tw - o.warn.MinSize().Width - o.rec.MinSize().Width - 6*pad
		o.name.Text = fitText(w.streams[i].Name, room, o.name.TextSize, o.name.TextStyle)
		nameSize := o.name.MinSize()
		o.bg.Move(fyne.NewPos(x, y))
		o.bg.Resize(fyne.NewSize(nameSize.Width+o.warn.MinSize().Width+4*pad, nameSize.Height+pad))
		o.name.Move(fyne.NewPos(x+pad, y+pad/2))
		o.warn.Move(fyne.NewPos(x+nameSize.Width+3*pad, y+pad/2))
		rs := o.rec.MinSize()
		o.rec.Move(fyne.NewPos(x+tw-rs.Width-2*pad, y+pad/2))
		bs := o.badge.MinSize()
		o.badge.Move(fyne.NewPos(x+(tw-bs.Width)/2, y+(th-bs.Height)/2))
		o.stats.Move(fyne.NewPos(x+pad, y+th-o.stats.MinSize().Height-pad))
		if i == w.model.selected {
			r.border.Move(fyne.NewPos(x, y))
			r.border.Resize(fyne.NewSize(tw-2, th-2))
		}
	}
}

// layoutReplay shows the replay badge text at the bottom right of the
// tile rf when the tile is shown and has one, cut to the tile's width.
func (r *wallRenderer) layoutReplay(o *tileOverlay, text string, shown bool, rf rectF, size fyne.Size) {
	if !shown || text == "" {
		o.replay.Hide()
		o.replayBg.Hide()
		return
	}
	pad := theme.Padding()
	x, y := float32(rf.X)*size.Width, float32(rf.Y)*size.Height
	tw, th := float32(rf.W)*size.Width, float32(rf.H)*size.Height
	o.replay.Text = fitText(text, tw-6*pad, o.replay.TextSize, o.replay.TextStyle)
	ts := o.replay.MinSize()
	pos := fyne.NewPos(x+tw-ts.Width-3*pad, y+th-ts.Height-pad)
	o.replay.Move(pos)
	o.replayBg.Move(pos.Subtract(fyne.NewPos(pad, pad/2)))
	o.replayBg.Resize(ts.Add(fyne.NewSize(2*pad, pad)))
	o.replay.Show()
	o.replayBg.Show()
}

func (r *wallRenderer) layoutToast(size fyne.Size) {
	ts := r.toast.MinSize()
	pad := theme.Padding()
	pos := fyne.NewPos((size.Width-ts.Width)/2, size.Height-ts.Height-4*pad)
	r.toast.Move(pos)
	r.toastBg.Move(pos.Subtract(fyne.NewPos(2*pad, pad)))
	r.toastBg.Resize(ts.Add(fyne.NewSize(4*pad, 2*pad)))
}

func (r *wallRenderer) MinSize() fyne.Size { return fyne.NewSize(320, 180) }

func (r *wallRenderer) Refresh() {
	r.applyTexts(!r.w.nativeActive())
	r.Layout(r.w.Size())
	for _, o := range r.overlays {
		o.bg.Refresh()
		o.name.Refresh()
		o.warn.Refresh()
		o.replay.Refresh()
		o.replayBg.Refresh()
	}
	r.border.Refresh()
	r.toast.Refresh()
	r.toastBg.Refresh()
}

func (r *wallRenderer) Destroy() {}
