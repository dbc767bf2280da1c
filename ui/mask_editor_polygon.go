package ui

import "fyne.io/fyne/v2"

// DoubleTapped ends a polygon: with the Polygon tool the tap's point is
// its last corner, unless it falls on the corner tapped just before, and
// the polygon closes once it has three. With the other tools it selects,
// as a tap does.
//
// Fyne's desktop driver reports a double tap instead of its two taps,
// so neither tap has added a corner yet.
func (e *maskEditor) DoubleTapped(ev *fyne.PointEvent) {
	if e.tool != toolPolygon {
		e.Tapped(ev)
		return
	}
	p := e.toFrame(ev.Position)
	if n := len(e.draft); n == 0 || !e.near(ev.Position, e.draft[n-1]) {
		e.draft = append(e.draft, p)
	}
	if len(e.draft) < 3 {
		e.Refresh()
		return
	}
	e.ClosePolygon()
}
