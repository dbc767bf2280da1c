// Package uitest drives Nightjar's main window from tests of other
// packages, such as app's tests of its adapters against a real App. It
// imports Fyne's test driver, so only tests import it.
//
// Caveats: the test goroutine is the one UI goroutine. Work that the
// window hands to the UI from its goroutines queues until the driver
// pumps it, so widgets are only touched from the test goroutine.
package uitest

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"nightjar/ui"
)

// Driver is a main window under test and its UI loop.
type Driver struct {
	t   *testing.T
	q   chan func()
	Win *ui.MainWindow
}

// New builds the main window for svc on a Fyne test app, with the test
// goroutine as its UI goroutine.
func New(t *testing.T, svc ui.Services) *Driver {
	t.Helper()
	d := &Driver{t: t, q: make(chan func(), 1<<14)}
	ui.SetUILoop(func(f func()) { d.q <- f })
	t.Cleanup(func() { ui.SetUILoop(nil) })
	a := test.NewTempApp(t)
	d.Win = ui.NewMainWindow(a, svc, ui.WindowConfig{})
	t.Cleanup(func() { d.Win.Window().Close() })
	return d
}

// Run runs queued UI work for about dur.
func (d *Driver) Run(dur time.Duration) {
	end := time.After(dur)
	for {
		select {
		case f := <-d.q:
			f()
		case <-end:
			return
		}
	}
}

// Until runs queued UI work until cond holds, and fails the test after
// timeout.
func (d *Driver) Until(timeout time.Duration, what string, cond func() bool) {
	d.t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			d.t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		select {
		case f := <-d.q:
			f()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// Content is the window's content.
func (d *Driver) Content() fyne.CanvasObject { return d.Win.Window().Canvas().Content() }

// Top is the topmost dialog or menu, or nil.
func (d *Driver) Top() fyne.CanvasObject { return d.Win.Window().Canvas().Overlays().Top() }

// Find walks o's tree, the widgets' rendered objects included, for the
// first object match accepts.
func Find(o fyne.CanvasObject, match func(fyne.CanvasObject) bool) fyne.CanvasObject {
	if o == nil || !o.Visible() {
		return nil
	}
	if match(o) {
		return o
	}
	var kids []fyne.CanvasObject
	switch v := o.(type) {
	case *fyne.Container:
		kids = v.Objects
	case fyne.Widget:
		kids = test.WidgetRenderer(v).Objects()
	}
	for _, k := range kids {
		if f := Find(k, match); f != nil {
			return f
		}
	}
	return nil
}

// Button is the visible button labelled label under o, or nil.
func Button(o fyne.CanvasObject, label string) *widget.Button {
	b, _ := Find(o, func(c fyne.CanvasObject) bool {
		b, ok := c.(*widget.Button)
		return ok && b.Text == label && !b.Disabled()
	}).(*widget.Button)
	return b
}

// Tap taps the button labelled label in the topmost dialog, or in the
// window when none is open, waiting up to timeout for it to appear.
func (d *Driver) Tap(label string, timeout time.Duration) {
	d.t.Helper()
	var b *widget.Button
	d.Until(timeout, "a button "+label, func() bool {
		root := d.Top()
		if root == nil {
			root = d.Content()
		}
		b = Button(root, label)
		return b != nil
	})
	test.Tap(b)
}

// TypeKey types the key named k into the window, as a keyboard would.
func (d *Driver) TypeKey(k string) {
	d.Win.Window().Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyName(k)})
}

// HasText reports whether a visible label or text under the topmost
// dialog (top) or the window contains s.
func (d *Driver) HasText(top bool, s string) bool { return d.Text(top, s) != "" }

// Text is the first visible label or text containing s, under the
// topmost dialog (top) or the window, or "".
func (d *Driver) Text(top bool, s string) string {
	root := d.Content()
	if top {
		root = d.Top()
	}
	var found string
	Find(root, func(c fyne.CanvasObject) bool {
		var t string
		switch v := c.(type) {
		case *widget.Label:
			t = v.Text
		case *widget.RichText:
			t = v.String()
		case *canvas.Text:
			t = v.Text
		}
		if strings.Contains(t, s) {
			found = t
			return true
		}
		return false
	})
	return found
}

// SetEntry sets the text of the entry under the topmost dialog (top) or
// the window that match accepts, given its placeholder and text.
func (d *Driver) SetEntry(top bool, match func(placeholder, text string) bool, text string) {
	d.t.Helper()
	root := d.Content()
	if top {
		root = d.Top()
	}
	e, ok := Find(root, func(c fyne.CanvasObject) bool {
		e, ok := c.(*widget.Entry)
		return ok && match(e.PlaceHolder, e.Text)
	}).(*widget.Entry)
	if !ok {
		d.t.Fatal("no such entry")
	}
	e.SetText(text)
}

// SelectRow selects row i of the first list in the window.
func (d *Driver) SelectRow(i int) {
	d.t.Helper()
	l, ok := Find(d.Content(), func(o fyne.CanvasObject) bool { _, ok := o.(*widget.List); return ok }).(*widget.List)
	if !ok {
		d.t.Fatal("no list in the window")
	}
	l.Select(i)
}
