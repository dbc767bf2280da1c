package ui

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The Playback page: choose cameras (one, several, or a saved layout), a
// day from the calendar or a typed time, then move through the footage
// on the timeline and with the transport, mostly from the keyboard
// (playback_keys.go). The session's players run behind a sessionDriver,
// so nothing here waits on a player; the playhead comes from a poller at
// about 12 Hz. Bookmarks are in playback_bookmarks.go, the tiles in
// playback_tiles.go.

// playbackPage is the Playback page's state. UI goroutine only.
type playbackPage struct {
	mw  *MainWindow
	svc PlaybackService
	loc *time.Location
	now func() time.Time

	cams   []PlaybackCamera
	chosen []string // the cameras asked for, in order
	saved  []SavedLayout

	// The open session; nil until the page is first shown.
	sess      *sessionDriver
	poll      *poller
	tiles     *playbackTiles
	open      []PlaybackCamera // the session's cameras, in tile order
	openGen   int
	laneGen   int
	laneBusy  bool      // a read of the lanes is on its way
	laneAgain bool      // and another was asked for meanwhile
	loadFrom  time.Time // the stretch the lanes hold
	loadTo    time.Time
	lastPos   []time.Time // each tile's position at the last poll

	playhead time.Time
	paused   bool
	speed    float64
	synced   bool
	in, out  time.Time
	shift    bool
	onShow   bool

	tl        *timelineWidget
	thumbs    *thumbnails
	cal       *calendar
	camChecks *widget.CheckGroup
	layoutSel *widget.Select
	when      *widget.Entry
	pos       *widget.Label
	speedText *widget.Label
	status    *widget.Label
	playBtn   *widget.Button
	syncBtn   *widget.Button
	tilesBox  *fyne.Container
	thumbImg  *canvas.Image
	thumbText *canvas.Text
	thumbBg   *canvas.Rectangle
	thumbBox  *fyne.Container
	thumbX    float32
	bm        *bookmarkPanel
	obj       fyne.CanvasObject
}

func newPlaybackPage(mw *MainWindow) *playbackPage {
	p := &playbackPage{mw: mw, svc: mw.svc.Playback, loc: mw.cfg.Location, now: mw.cfg.Now, paused: true, speed: 1, synced: true}
	if p.loc == nil {
		p.loc = time.Local
	}
	if p.now == nil {
		p.now = time.Now
	}
	p.cams = p.svc.PlaybackCameras()
	if len(p.cams) > 0 {
		p.chosen = []string{p.cams[0].ID}
	}
	now := p.now()
	p.playhead = now.Add(-time.Minute)
	p.tl = newTimeline(p.loc, timeView{From: now.Add(-55 * time.Minute), Span: time.Hour})
	p.tl.playhead = p.playhead
	p.tl.onSeek = p.seekFromTimeline
	p.tl.onView = p.viewChanged
	p.tl.onHover = p.hover
	p.thumbs = newThumbnails(p.svc, p.showThumb)
	l := now.In(p.loc)
	p.cal = newCalendar(l.Year(), l.Month())
	p.cal.onPick = p.pickDay
	p.cal.onMonth = p.loadDays
	p.bm = newBookmarkPanel(p)
	p.obj = p.build()
	p.setLanes(nil)
	p.showPosition()
	return p
}

func (p *playbackPage) build() fyne.CanvasObject {
	names := make([]string, len(p.cams))
	for i, c := range p.cams {
		names[i] = c.Name
	}
	p.camChecks = widget.NewCheckGroup(names, nil)
	p.camChecks.Selected = p.chosenNames()
	p.camChecks.OnChanged = p.checksChanged
	p.layoutSel = widget.NewSelect(nil, p.chooseLayout)
	p.layoutSel.PlaceHolder = "Saved layout or group… (O)"
	p.when = widget.NewEntry()
	p.when.SetPlaceHolder("2026-03-29 14:30, -10m, now")
	p.when.OnSubmitted = p.goTo
	goBtn := widget.NewButtonWithIcon("Go", theme.MailForwardIcon(), func() { p.goTo(p.when.Text) })
	left := container.NewVBox(
		widget.NewLabelWithStyle("Cameras (1–9)", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		p.layoutSel, p.camChecks,
		widget.NewSeparator(),
		p.cal.obj,
		widget.NewLabelWithStyle("Go to (T)", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewBorder(nil, nil, nil, goBtn, p.when),
		widget.NewSeparator(),
		p.bm.obj,
	)

	p.pos = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true, Monospace: true})
	p.speedText = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	p.status = widget.NewLabel("")
	p.status.Wrapping = fyne.TextWrapWord
	btn := func(label string, icon fyne.Resource, f func()) *widget.Button {
		b := widget.NewButtonWithIcon(label, icon, f)
		return b
	}
	p.playBtn = btn("Play", theme.MediaPlayIcon(), p.togglePause)
	p.syncBtn = btn("", theme.ViewRefreshIcon(), p.toggleSync)
	transport := container.NewHBox(
		btn("", theme.MediaSkipPreviousIcon(), func() { p.jumpMark(markEvent, -1) }),
		btn("10 s", theme.MediaFastRewindIcon(), func() { p.jump(-10 * time.Second) }),
		btn("", theme.NavigateBackIcon(), func() { p.step(-1) }),
		p.playBtn,
		btn("", theme.NavigateNextIcon(), func() { p.step(1) }),
		btn("10 s", theme.MediaFastForwardIcon(), func() { p.jump(10 * time.Second) }),
		btn("", theme.MediaSkipNextIcon(), func() { p.jumpMark(markEvent, 1) }),
		widget.NewSeparator(),
		btn("", theme.MoveDownIcon(), func() { p.changeSpeed(0.5) }),
		p.speedText,
		btn("", theme.MoveUpIcon(), func() { p.changeSpeed(2) }),
		widget.NewSeparator(),
		btn("In", nil, p.markIn), btn("Out", nil, p.markOut),
		btn("Bookmark", theme.ContentAddIcon(), p.bm.addDialog),
		p.syncBtn,
		btn("", theme.ZoomOutIcon(), func() { p.zoom(1 / wheelZoom) }),
		btn("", theme.ZoomInIcon(), func() { p.zoom(wheelZoom) }),
		btn("Live", theme.MediaVideoIcon(), p.backToLive),
	)
	if _, ok := p.svc.(MaskLifter); ok {
		transport.Add(btn("Lift masks…", theme.VisibilityIcon(), p.liftDialog))
	}
	help := widget.NewLabel(playbackHelp)
	help.TextStyle.Italic = true
	help.Wrapping = fyne.TextWrapWord
	bottom := container.NewVBox(p.tl, container.NewHBox(p.pos), transport, p.status, help)

	p.thumbImg = canvas.NewImageFromImage(image.NewRGBA(image.Rect(0, 0, 1, 1)))
	p.thumbImg.FillMode = canvas.ImageFillContain
	p.thumbImg.SetMinSize(fyne.NewSize(thumbWidth, thumbWidth*9/16))
	p.thumbText = canvas.NewText("", color.White)
	p.thumbText.TextSize = theme.CaptionTextSize()
	p.thumbBg = canvas.NewRectangle(color.NRGBA{0, 0, 0, 0xd0})
	p.thumbBox = container.NewWithoutLayout(p.thumbBg, p.thumbImg, p.thumbText)
	p.thumbBox.Hide()
	p.tilesBox = container.NewStack(placeholder(PagePlayback, "Choose a camera on the left."))
	centre := container.NewBorder(nil, bottom, nil, nil, container.NewStack(p.tilesBox, p.thumbBox))
	return container.NewBorder(nil, nil, container.NewVScroll(left), nil, centre)
}

// playbackHelp lists the page's keys.
const playbackHelp = "Space play/pause · ←/→ 10 s · , . frame · ↑/↓ speed · PgUp/PgDn event · Home/End bookmark · G/Shift+G gap · [ ] in/out · B bookmark (Del removes) · S sync · +/− zoom · T type a time · D calendar · O layouts · / search bookmarks · 1–9 cameras · L or Esc live"

func (p *playbackPage) chosenNames() []string {
	var out []string
	for _, id := range p.chosen {
		for _, c := range p.cams {
			if c.ID == id {
				out = append(out, c.Name)
			}
		}
	}
	return out
}

// shown runs when the page comes on show: the first time it opens the
// session, for the live wall's selected camera when it has footage.
func (p *playbackPage) shown() {
	p.onShow = true
	p.giveKeysBack()
	if p.sess == nil {
		if wl := p.mw.wall; wl != nil && wl.Selected() >= 0 && wl.Selected() < len(wl.streams) {
			id := wl.streams[wl.Selected()].ID
			for _, c := range p.cams {
				if c.ID == id {
					p.chosen = []string{id}
				}
			}
		}
		p.camChecks.Selected = p.chosenNames()
		p.camChecks.Refresh()
		p.openSession()
		p.loadLayouts()
		p.loadDays(p.cal.year, p.cal.month)
		p.bm.reload()
	} else if p.poll.stopped() {
		p.startPolling()
	}
}

// hidden runs when another page comes on show: playback pauses and the
// poller stops.
func (p *playbackPage) hidden() {
	if !p.onShow {
		return
	}
	p.onShow = false
	if p.sess != nil {
		p.setPaused(true) // even when it looks paused: a step pauses on its own
	}
	p.poll.halt() // kept, so closing the session waits for its last read
}

// close ends the session (the window closes).
func (p *playbackPage) close() {
	p.openGen++
	p.closeSession()
}

func (p *playbackPage) closeSession() {
	if p.tiles != nil {
		p.tiles.close()
		p.tiles = nil
	}
	if p.sess != nil {
		p.sess.close(p.poll)
		p.sess, p.poll = nil, nil
	}
}

// openSession plays the chosen cameras, off the UI goroutine.
func (p *playbackPage) openSession() {
	p.closeSession()
	p.openGen++
	gen := p.openGen
	var cams []PlaybackCamera
	for _, id := range p.chosen {
		for _, c := range p.cams {
			if c.ID == id {
				cams = append(cams, c)
			}
		}
	}
	if len(cams) == 0 {
		p.setTilesContent(placeholder(PagePlayback, "Choose a camera on the left, or a saved layout."))
		p.setLanes(nil)
		return
	}
	ids := make([]string, len(cams))
	for i, c := range cams {
		ids[i] = c.ID
	}
	p.setTilesContent(placeholder(PagePlayback, "Opening the footage…"))
	runAsync(30*time.Second, func(ctx context.Context) (PlaybackSession, error) {
		return p.svc.OpenPlayback(ids)
	}, func(s PlaybackSession, err error) {
		if gen != p.openGen {
			if s != nil {
				go s.Close()
			}
			return
		}
		if err != nil {
			p.setTilesContent(placeholder(PagePlayback, "The footage could not be opened: "+err.Error()+". Check the cameras' recordings on the Cameras page, then choose them again."))
			p.setStatus("Could not open playback: " + err.Error())
			return
		}
		p.open = cams
		p.sess = newSessionDriver(s)
		p.tiles = newPlaybackTiles(cams, s.Tiles(), WallConfig{Log: p.mw.cfg.Log})
		p.lastPos = make([]time.Time, len(cams))
		p.setTilesContent(p.tiles.obj)
		synced, paused, speed, at := p.synced, p.paused, p.speed, p.playhead
		p.sess.do(func(s PlaybackSession) {
			s.SetSynced(synced)
			s.SetSpeed(speed)
			s.SetPaused(paused)
		})
		p.sess.seekTo(at)
		if p.onShow {
			p.startPolling()
		}
		p.loadLanes(true)
	})
}

func (p *playbackPage) startPolling() {
	if p.sess == nil || runInline {
		return
	}
	p.poll = startPoller(p.sess.sess, len(p.open), p.apply)
}

func (p *playbackPage) setTilesContent(o fyne.CanvasObject) {
	p.tilesBox.Objects = []fyne.CanvasObject{o}
	p.tilesBox.Refresh()
}

// apply shows a reading of the session: the playhead, the state, each
// tile's status, and any damaged footage the tiles just passed over.
func (p *playbackPage) apply(s playbackSnapshot) {
	if p.sess == nil {
		return
	}
	if p.tl.drag != dragScrub && !s.pos.IsZero() {
		p.playhead = s.pos
	}
	if s.paused != p.paused {
		p.paused = s.paused
		p.showPlayState()
	}
	if s.speed > 0 && s.speed != p.speed {
		p.speed = s.speed
		p.showPlayState()
	}
	now := p.now()
	changed := false
	for i, st := range s.tiles {
		if p.tiles != nil && p.tiles.setStatus(i, st, tileOverlayText(st, p.loc, now)) {
			changed = true
		}
		if i < len(p.lastPos) && i < len(p.tl.lanes) {
			if d, ok := passedDamage(p.tl.lanes[i].Data.Damaged, p.lastPos[i], st.Position); ok {
				p.setStatus(fmt.Sprintf("%s: damaged footage %s–%s skipped (%s); it is never played.",
					p.open[i].Name, d.From.In(p.loc).Format("15:04:05"), d.To.In(p.loc).Format("15:04:05"), d.Problem))
			}
			p.lastPos[i] = st.Position
			pos := time.Time{}
			if !p.synced {
				pos = st.Position
			}
			p.tl.lanes[i].Pos = pos
		}
	}
	if changed {
		p.tiles.relayout()
	}
	p.tl.SetPlayhead(p.playhead, !p.paused)
	p.showPosition()
}

// passedDamage reports a damaged stretch that the move from from to to
// crossed or landed in, going forward.
func passedDamage(dam []DamagedSpan, from, to time.Time) (DamagedSpan, bool) {
	if from.IsZero() || !to.After(from) {
		return DamagedSpan{}, false
	}
	for _, d := range dam {
		if d.From.Before(to) && !d.To.Before(from) && d.To.After(from) {
			return d, true
		}
	}
	return DamagedSpan{}, false
}

func (p *playbackPage) setStatus(s string) { p.status.SetText(s) }

// showPosition shows the playhead as local date and time with ms.
func (p *playbackPage) showPosition() {
	setLabel(p.pos, p.playhead.In(p.loc).Format("Mon 2006-01-02 15:04:05.000 MST"))
	p.showPlayState()
}

// setLabel changes a label only when its text changes: the readouts are
// set a dozen times a second, and every refresh repaints.
func setLabel(l *widget.Label, s string) {
	if l.Text != s {
		l.SetText(s)
	}
}

func (p *playbackPage) showPlayState() {
	setLabel(p.speedText, speedLabel(p.speed))
	text, icon := "Play", theme.MediaPlayIcon()
	if !p.paused {
		text, icon = "Pause", theme.MediaPauseIcon()
	}
	if p.playBtn.Text != text {
		p.playBtn.SetText(text)
		p.playBtn.SetIcon(icon)
	}
	sync := "SYNC off"
	if p.synced {
		sync = "SYNC on"
	}
	if p.syncBtn.Text != sync {
		p.syncBtn.SetText(sync)
	}
}

// speedLabel is "1×", "4×", "1/8×".
func speedLabel(x float64) string {
	if x >= 1 {
		return fmt.Sprintf("%g×", x)
	}
	return fmt.Sprintf("1/%g×", 1/x)
}

// loadLanes reads the open cameras' timelines around the view, unless the
// lanes already hold it (force reads anyway).
func (p *playbackPage) loadLanes(force bool) {
	v := p.tl.view
	if !force && !p.loadFrom.IsZero() && !v.From.Before(p.loadFrom) && !v.To().After(p.loadTo) {
		return
	}
	cams := slices.Clone(p.open)
	if len(cams) == 0 {
		return
	}
	p.laneGen++ // an answer on its way is stale now
	if p.laneBusy {
		// One read at a time: a fast drag asks once more when it lands.
		p.laneAgain = true
		return
	}
	from, to := v.From.Add(-v.Span), v.To().Add(v.Span)
	gen := p.laneGen
	p.laneBusy = true
	runAsync(20*time.Second, func(ctx context.Context) ([]TimelineData, error) {
		return readTimelines(ctx, p.svc, cams, from, to)
	}, func(data []TimelineData, err error) {
		p.laneBusy = false
		if p.laneAgain {
			p.laneAgain = false
			defer p.loadLanes(true)
		}
		if gen != p.laneGen {
			return
		}
		if err != nil {
			p.setStatus("The timeline could not be read: " + err.Error() + ". Check that the data folder is readable; moving the timeline tries again.")
			return
		}
		p.loadFrom, p.loadTo = from, to
		lanes := make([]timelineLane, len(cams))
		for i, c := range cams {
			lanes[i] = timelineLane{ID: c.ID, Name: c.Name, Data: data[i]}
		}
		p.setLanes(lanes)
	})
}

func (p *playbackPage) setLanes(lanes []timelineLane) {
	if lanes == nil {
		for _, c := range p.open {
			lanes = append(lanes, timelineLane{ID: c.ID, Name: c.Name})
		}
	}
	p.tl.SetLanes(lanes)
}

// viewChanged reads more of the timelines when the view leaves what the
// lanes hold.
func (p *playbackPage) viewChanged(timeView) { p.loadLanes(false) }

// loadDays marks the calendar's days with footage for the chosen cameras.
func (p *playbackPage) loadDays(y int, m time.Month) {
	ids := slices.Clone(p.chosen)
	if len(ids) == 0 {
		p.cal.setDays(y, m, nil)
		return
	}
	runAsync(20*time.Second, func(ctx context.Context) (map[int]bool, error) {
		return p.svc.FootageDays(ctx, ids, y, m)
	}, func(days map[int]bool, err error) {
		if err != nil {
			p.setStatus("The days with footage could not be read: " + err.Error() + ".")
			return
		}
		p.cal.setDays(y, m, days)
	})
}

// pickDay shows the whole local day (23, 24 or 25 hours) and goes to its
// first footage, or to its start when the lanes know of none.
func (p *playbackPage) pickDay(y int, m time.Month, d int) {
	p.giveKeysBack()
	v := dayView(y, m, d, p.loc)
	p.tl.SetView(v)
	at := v.From
	ids := slices.Clone(p.open)
	runAsync(20*time.Second, func(ctx context.Context) (time.Time, error) {
		var first time.Time
		for _, c := range ids {
			td, err := p.svc.Timeline(ctx, c.ID, v.From, v.To())
			if err != nil {
				return time.Time{}, err
			}
			for _, r := range td.Runs {
				f := maxTime(r.From, v.From)
				if r.To.After(v.From) && f.Before(v.To()) && (first.IsZero() || f.Before(first)) {
					first = f
				}
			}
		}
		return first, nil
	}, func(first time.Time, err error) {
		if err != nil {
			p.setStatus("The day could not be read: " + err.Error() + ".")
		}
		if first.IsZero() {
			first = at
			p.setStatus(fmt.Sprintf("No footage on %s for these cameras.", at.In(p.loc).Format("Mon 2 Jan 2006")))
		}
		p.seek(first)
	})
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// goTo seeks to a typed time and gives the keys back to the page.
func (p *playbackPage) goTo(s string) {
	at, err := parseWhen(s, p.now(), p.loc)
	if err != nil {
		p.setStatus(err.Error())
		return
	}
	p.tl.SetView(p.tl.view.centre(at))
	p.seek(at)
	p.giveKeysBack()
}

// giveKeysBack takes the focus from the page's entries and checks, so
// Space and the other keys reach the page again.
func (p *playbackPage) giveKeysBack() {
	if p.mw.win != nil {
		p.mw.win.Canvas().Unfocus()
	}
}

// checksChanged plays the ticked cameras.
func (p *playbackPage) checksChanged(names []string) {
	var ids []string
	for _, c := range p.cams {
		if slices.Contains(names, c.Name) {
			ids = append(ids, c.ID)
		}
	}
	p.giveKeysBack()
	if slices.Equal(ids, p.chosen) {
		return
	}
	p.chosen = ids
	p.openSession()
	p.loadDays(p.cal.year, p.cal.month)
}

// loadLayouts lists the saved layouts in the picker.
func (p *playbackPage) loadLayouts() {
	store := p.mw.svc.Layouts
	if store == nil {
		p.layoutSel.Disable()
		return
	}
	runAsync(10*time.Second, store.SavedLayouts, func(saved []SavedLayout, err error) {
		if err != nil {
			p.setStatus("Saved layouts could not be read: " + err.Error() + ". Pick cameras instead.")
			return
		}
		p.saved = saved
		opts := make([]string, 0, len(saved))
		for _, s := range saved {
			opts = append(opts, s.Name)
		}
		p.layoutSel.SetOptions(append(opts, p.groupOptions()...))
	})
}

// groupPrefix marks a camera group among the picker's saved layouts.
const groupPrefix = "Group: "

// groupOptions are the picker's entries for the camera groups, in the
// order their first camera comes.
func (p *playbackPage) groupOptions() []string {
	var out []string
	for _, c := range p.cams {
		if g := groupPrefix + c.Group; c.Group != "" && !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	return out
}

// chooseLayout plays a saved layout's cameras, in its order.
func (p *playbackPage) chooseLayout(name string) {
	p.giveKeysBack()
	if group, ok := strings.CutPrefix(name, groupPrefix); ok {
		var ids []string
		for _, c := range p.cams {
			if c.Group == group {
				ids = append(ids, c.ID)
			}
		}
		p.playChosen(name, ids)
		return
	}
	for _, sl := range p.saved {
		if sl.Name != name {
			continue
		}
		var ids []string
		for _, id := range sl.Cameras {
			for _, c := range p.cams {
				if c.ID == id && !slices.Contains(ids, id) {
					ids = append(ids, id)
				}
			}
		}
		p.playChosen("The layout "+name, ids)
	}
}

// playChosen plays the cameras of a layout or group, or says it has none.
func (p *playbackPage) playChosen(what string, ids []string) {
	if len(ids) == 0 {
		p.setStatus(what + " has no camera with footage.")
		return
	}
	p.chosen = ids
	p.camChecks.Selected = p.chosenNames()
	p.camChecks.Refresh()
	p.openSession()
	p.loadDays(p.cal.year, p.cal.month)
}

// hover shows the thumbnail of the lane's camera under the pointer.
func (p *playbackPage) hover(lane int, at time.Time, x float32) {
	if lane < 0 || lane >= len(p.tl.lanes) {
		p.thumbs.cancel()
		p.thumbBox.Hide()
		return
	}
	p.thumbX = x
	p.thumbs.request(p.tl.lanes[lane].ID, at, p.tl.view.Span)
}

// showThumb puts a thumbnail above the timeline at the pointer.
func (p *playbackPage) showThumb(img image.Image, at time.Time) {
	label := at.In(p.loc).Format("15:04:05")
	if img == nil {
		label += " · no picture"
		img = image.NewRGBA(image.Rect(0, 0, 16, 9))
	}
	p.thumbImg.Image = img
	p.thumbText.Text = label
	sz := p.thumbImg.MinSize()
	area := p.tilesBox.Size()
	pad := theme.Padding()
	x := min(max(0, p.thumbX-sz.Width/2), max(0, area.Width-sz.Width))
	y := max(0, area.Height-sz.Height-p.thumbText.MinSize().Height-2*pad)
	p.thumbBg.Move(fyne.NewPos(x-pad, y-pad))
	p.thumbBg.Resize(fyne.NewSize(sz.Width+2*pad, sz.Height+p.thumbText.MinSize().Height+2*pad))
	p.thumbImg.Move(fyne.NewPos(x, y))
	p.thumbImg.Resize(sz)
	p.thumbText.Move(fyne.NewPos(x, y+sz.Height))
	p.thumbText.Resize(p.thumbText.MinSize())
	p.thumbBox.Show()
	p.thumbBox.Refresh()
}

// cameraName is the name of camera id.
func (p *playbackPage) cameraName(id string) string {
	for _, c := range p.cams {
		if c.ID == id {
			return c.Name
		}
	}
	return id
}

// readTimelines reads each camera's timeline between from and to, in
// order; it blocks, so callers run it through runAsync.
func readTimelines(ctx context.Context, svc PlaybackService, cams []PlaybackCamera, from, to time.Time) ([]TimelineData, error) {
	out := make([]TimelineData, len(cams))
	for i, c := range cams {
		d, err := svc.Timeline(ctx, c.ID, from, to)
		if err != nil {
			return nil, fmt.Errorf("read the timeline of %s: %w", c.Name, err)
		}
		out[i] = d
	}
	return out, nil
}
