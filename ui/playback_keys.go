package ui

import (
	"context"
	"fmt"
	"slices"
	"time"

	"fyne.io/fyne/v2"
)

// Moving through footage, from the transport buttons and the keyboard.
// Every control has a key (playbackHelp lists them):
//
//	Space        play / pause
//	← / →        10 s back / on
//	, / .        one frame back / on
//	↑ / ↓        speed ×2 / ÷2 (1/8× to 16×)
//	PgUp / PgDn  previous / next motion event
//	Home / End   previous / next bookmark
//	G, Shift+G   next / previous gap
//	[ / ]        in / out mark at the playhead
//	B            bookmark the selection (or the moment) …
//	Delete       remove the bookmark last chosen from the list …
//	S            SYNC on / off
//	+ / −        zoom in / out about the playhead
//	T            type a date and time
//	D            the calendar, at the playhead's day (Tab moves, Space picks)
//	O            the saved layouts
//	/            search the bookmarks
//	1–9          tick or untick camera n
//	L or Esc     back to the Live page

// jumpStep is how far ← and → move.
const jumpStep = 10 * time.Second

// TypedKey handles the page's keys; the window sends them while the page
// is on show and no entry has the focus.
func (p *playbackPage) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeySpace:
		p.togglePause()
	case fyne.KeyLeft:
		p.jump(-jumpStep)
	case fyne.KeyRight:
		p.jump(jumpStep)
	case fyne.KeyComma:
		p.step(-1)
	case fyne.KeyPeriod:
		p.step(1)
	case fyne.KeyUp:
		p.changeSpeed(2)
	case fyne.KeyDown:
		p.changeSpeed(0.5)
	case fyne.KeyPageUp:
		p.jumpMark(markEvent, -1)
	case fyne.KeyPageDown:
		p.jumpMark(markEvent, 1)
	case fyne.KeyHome:
		p.jumpMark(markBookmark, -1)
	case fyne.KeyEnd:
		p.jumpMark(markBookmark, 1)
	case fyne.KeyG:
		if p.shift {
			p.jumpMark(markGap, -1)
		} else {
			p.jumpMark(markGap, 1)
		}
	case fyne.KeyLeftBracket:
		p.markIn()
	case fyne.KeyRightBracket:
		p.markOut()
	case fyne.KeyS:
		p.toggleSync()
	case fyne.KeyPlus, fyne.KeyEqual, "KP_Add":
		p.zoom(wheelZoom)
	case fyne.KeyMinus, "KP_Subtract":
		p.zoom(1 / wheelZoom)
	case fyne.KeyDelete:
		p.bm.askRemove()
	case fyne.KeyL, fyne.KeyEscape:
		p.backToLive()
	case fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6, fyne.Key7, fyne.Key8, fyne.Key9:
		p.toggleCamera(int(ev.Name[0] - '1'))
	}
}

// toggleCamera ticks or unticks the n-th camera (from 0).
func (p *playbackPage) toggleCamera(n int) {
	if n < 0 || n >= len(p.cams) {
		return
	}
	name := p.cams[n].Name
	sel := slices.Clone(p.camChecks.Selected)
	if i := slices.Index(sel, name); i >= 0 {
		sel = slices.Delete(sel, i, i+1)
	} else {
		sel = append(sel, name)
	}
	p.camChecks.SetSelected(sel)
}

// TypedRune handles the keys that open an entry (B, T and /). They are
// taken as runes, which come after the key: taken as keys, the entry
// they focus would receive their letter too.
func (p *playbackPage) TypedRune(r rune) {
	if p.mw.win == nil {
		return
	}
	switch r {
	case 'b', 'B':
		p.bm.addDialog()
	case 't', 'T':
		p.mw.win.Canvas().Focus(p.when)
	case '/':
		p.mw.win.Canvas().Focus(p.bm.search)
	case 'o', 'O':
		if !p.layoutSel.Disabled() {
			p.mw.win.Canvas().Focus(p.layoutSel)
			p.layoutSel.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace}) // opens the list
		}
	case 'd', 'D':
		p.focusDay()
	}
}

// focusDay turns the calendar to the playhead's month and focuses its
// day: Tab and Shift+Tab move on, Space picks.
func (p *playbackPage) focusDay() {
	l := p.playhead.In(p.loc)
	p.cal.show(l.Year(), l.Month())
	p.mw.win.Canvas().Focus(p.cal.buttons[l.Day()])
}

// KeyDown and KeyUp follow Shift, for Shift+G.
func (p *playbackPage) KeyDown(k fyne.KeyName) {
	if k == "LeftShift" || k == "RightShift" {
		p.shift = true
	}
}

func (p *playbackPage) KeyUp(k fyne.KeyName) {
	if k == "LeftShift" || k == "RightShift" {
		p.shift = false
	}
}

func (p *playbackPage) backToLive() { p.mw.ShowPage(PageLive) }

// seek moves the playhead to at and asks the session to follow.
func (p *playbackPage) seek(at time.Time) {
	p.playhead = at
	for i := range p.lastPos {
		p.lastPos[i] = time.Time{} // a seek is not playing over damage
	}
	p.tl.SetPlayhead(at, true)
	p.showPosition()
	if p.sess != nil {
		p.sess.seekTo(at)
	}
	p.sayDamageAt(at)
}

// sayDamageAt tells when at is in damaged footage of a camera.
func (p *playbackPage) sayDamageAt(at time.Time) {
	for _, l := range p.tl.lanes {
		for _, d := range l.Data.Damaged {
			if !at.Before(d.From) && at.Before(d.To) {
				p.setStatus(fmt.Sprintf("%s: the footage at %s is damaged (%s) and is skipped; it is never played.",
					l.Name, at.In(p.loc).Format("15:04:05"), d.Problem))
				return
			}
		}
	}
}

// seekFromTimeline is a click or a scrub on the timeline. A click also
// plays; a scrub only moves.
func (p *playbackPage) seekFromTimeline(at time.Time, final bool) {
	if !final {
		p.playhead = at
		p.showPosition()
		if p.sess != nil {
			p.sess.seekTo(at)
		}
		return
	}
	p.seek(at)
	if p.tl.drag == dragNone && p.paused {
		p.setPaused(false)
	}
}

func (p *playbackPage) togglePause() { p.setPaused(!p.paused) }

func (p *playbackPage) setPaused(paused bool) {
	p.paused = paused
	p.showPlayState()
	if p.sess != nil {
		p.sess.do(func(s PlaybackSession) { s.SetPaused(paused) })
	}
}

func (p *playbackPage) jump(d time.Duration) { p.seek(p.playhead.Add(d)) }

// step moves frames frames, pausing.
func (p *playbackPage) step(frames int) {
	p.paused = true
	p.showPlayState()
	if p.sess != nil {
		p.sess.do(func(s PlaybackSession) { s.Step(frames) })
	}
}

// Speeds run from 1/8× to 16× in steps of ×2.
const (
	minSpeed = 1.0 / 8
	maxSpeed = 16.0
)

func (p *playbackPage) changeSpeed(by float64) {
	x := min(maxSpeed, max(minSpeed, p.speed*by))
	if x == p.speed {
		return
	}
	p.speed = x
	p.showPlayState()
	if p.sess != nil {
		p.sess.do(func(s PlaybackSession) { s.SetSpeed(x) })
	}
}

func (p *playbackPage) markIn() {
	p.in = p.playhead
	if !p.out.IsZero() && !p.out.After(p.in) {
		p.out = time.Time{}
	}
	p.tl.SetSelection(p.in, p.out)
	p.setStatus("In at " + p.in.In(p.loc).Format("15:04:05.000"))
}

func (p *playbackPage) markOut() {
	p.out = p.playhead
	if !p.in.IsZero() && !p.out.After(p.in) {
		p.in = time.Time{}
	}
	p.tl.SetSelection(p.in, p.out)
	p.setStatus("Out at " + p.out.In(p.loc).Format("15:04:05.000"))
}

func (p *playbackPage) toggleSync() {
	p.synced = !p.synced
	synced := p.synced
	p.showPlayState()
	if !synced {
		p.setStatus("SYNC off: each camera plays on its own.")
	} else {
		p.setStatus("SYNC on: every camera follows the playhead.")
		for i := range p.tl.lanes {
			p.tl.lanes[i].Pos = time.Time{}
		}
	}
	if p.sess != nil {
		p.sess.do(func(s PlaybackSession) { s.SetSynced(synced) })
	}
}

// zoom scales the view about the playhead, or about the middle when the
// playhead is out of view.
func (p *playbackPage) zoom(factor float64) {
	v := p.tl.view
	anchor := p.playhead
	if anchor.Before(v.From) || anchor.After(v.To()) {
		anchor = v.From.Add(v.Span / 2)
	}
	p.tl.Zoom(factor, anchor)
}

// markKind is what PgUp/PgDn, Home/End and G move to.
type markKind int

const (
	markEvent markKind = iota
	markBookmark
	markGap
)

func (k markKind) String() string {
	return [...]string{"motion event", "bookmark", "gap"}[k]
}

// markSlack is how far before the playhead a mark must start for the
// previous-mark keys to pick it, so a second press goes further back
// rather than to the start it is playing from.
const markSlack = time.Second

// nextMark is the start of the nearest mark of kind on any lane after at
// (dir > 0) or before at - markSlack (dir < 0).
func nextMark(data []TimelineData, kind markKind, at time.Time, dir int) (time.Time, bool) {
	var best time.Time
	found := false
	consider := func(t time.Time) {
		if dir > 0 && t.After(at) && (!found || t.Before(best)) {
			best, found = t, true
		}
		if dir < 0 && t.Before(at.Add(-markSlack)) && (!found || t.After(best)) {
			best, found = t, true
		}
	}
	for _, d := range data {
		switch kind {
		case markEvent:
			for _, s := range d.Motion {
				consider(s.From)
			}
		case markBookmark:
			for _, b := range d.Bookmarks {
				consider(b.From)
			}
		case markGap:
			for _, s := range d.Gaps {
				consider(s.From)
			}
		}
	}
	return best, found
}

// markSearch is how far the page reads the timelines beyond what the
// lanes hold when looking for a mark.
const markSearch = 24 * time.Hour

// jumpMark goes to the previous or next mark of kind: from the lanes
// when they hold one, else from the timelines of the next 24 hours that
// way, read off the UI goroutine.
func (p *playbackPage) jumpMark(kind markKind, dir int) {
	at := p.playhead
	data := make([]TimelineData, len(p.tl.lanes))
	for i, l := range p.tl.lanes {
		data[i] = l.Data
	}
	if t, ok := nextMark(data, kind, at, dir); ok {
		p.goMark(t, kind)
		return
	}
	from, to := at, at.Add(markSearch)
	if dir < 0 {
		from, to = at.Add(-markSearch), at
	}
	cams := p.open
	runAsync(20*time.Second, func(ctx context.Context) ([]TimelineData, error) {
		return readTimelines(ctx, p.svc, cams, from, to)
	}, func(data []TimelineData, err error) {
		if err != nil {
			p.setStatus("Could not look for the " + kind.String() + ": " + err.Error() + ".")
			return
		}
		t, ok := nextMark(data, kind, at, dir)
		if !ok {
			way := "after"
			if dir < 0 {
				way = "before"
			}
			p.setStatus(fmt.Sprintf("No %s in the 24 hours %s %s.", kind, way, at.In(p.loc).Format("Jan 2 15:04:05")))
			return
		}
		p.goMark(t, kind)
	})
}

func (p *playbackPage) goMark(t time.Time, kind markKind) {
	v := p.tl.view
	if t.Before(v.From) || t.After(v.To()) {
		p.tl.SetView(v.centre(t))
	}
	p.seek(t)
	p.setStatus(fmt.Sprintf("At the %s of %s.", kind, t.In(p.loc).Format("15:04:05")))
}
