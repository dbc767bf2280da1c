package ui

import (
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// calendar is a month of day buttons; the days with footage are
// highlighted. Weeks start on Monday. Every day is a button, so Tab and
// Space pick a day from the keyboard.
type calendar struct {
	year  int
	month time.Month
	days  map[int]bool // days with footage in the month shown
	// onPick hears a day picked; onMonth a month turned to, so its days
	// with footage can be read.
	onPick  func(y int, m time.Month, d int)
	onMonth func(y int, m time.Month)

	title   *widget.Label
	grid    *fyne.Container
	buttons []*widget.Button // by day of the month, from 1
	obj     fyne.CanvasObject
}

func newCalendar(y int, m time.Month) *calendar {
	c := &calendar{year: y, month: m}
	c.title = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	prev := widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { c.turn(-1) })
	next := widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { c.turn(1) })
	c.grid = container.NewGridWithColumns(7)
	c.obj = container.NewVBox(container.NewBorder(nil, nil, prev, next, c.title), c.grid)
	c.build()
	return c
}

// turn shows the month by months away.
func (c *calendar) turn(by int) {
	t := time.Date(c.year, c.month+time.Month(by), 1, 12, 0, 0, 0, time.UTC)
	c.show(t.Year(), t.Month())
}

// show turns to y-m and asks for its days with footage.
func (c *calendar) show(y int, m time.Month) {
	if y == c.year && m == c.month {
		return
	}
	c.year, c.month, c.days = y, m, nil
	c.build()
	if c.onMonth != nil {
		c.onMonth(y, m)
	}
}

// setDays marks the days of y-m with footage; an answer for another
// month than the one shown is dropped.
func (c *calendar) setDays(y int, m time.Month, days map[int]bool) {
	if y != c.year || m != c.month {
		return
	}
	c.days = days
	for d, b := range c.buttons {
		if d == 0 {
			continue
		}
		imp := widget.LowImportance
		if days[d] {
			imp = widget.HighImportance
		}
		if b.Importance != imp {
			b.Importance = imp
			b.Refresh()
		}
	}
}

func (c *calendar) build() {
	first := time.Date(c.year, c.month, 1, 12, 0, 0, 0, time.UTC)
	c.title.SetText(first.Format("January 2006"))
	objs := make([]fyne.CanvasObject, 0, 49)
	for _, d := range []string{"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"} {
		objs = append(objs, widget.NewLabelWithStyle(d, fyne.TextAlignCenter, fyne.TextStyle{Italic: true}))
	}
	lead := (int(first.Weekday()) + 6) % 7 // Monday first
	for range lead {
		objs = append(objs, widget.NewLabel(""))
	}
	n := time.Date(c.year, c.month+1, 0, 12, 0, 0, 0, time.UTC).Day()
	c.buttons = make([]*widget.Button, n+1)
	for d := 1; d <= n; d++ {
		b := widget.NewButton(strconv.Itoa(d), func() {
			if c.onPick != nil {
				c.onPick(c.year, c.month, d)
			}
		})
		b.Importance = widget.LowImportance
		if c.days[d] {
			b.Importance = widget.HighImportance
		}
		c.buttons[d] = b
		objs = append(objs, b)
	}
	c.grid.Objects = objs
	c.grid.Refresh()
}
