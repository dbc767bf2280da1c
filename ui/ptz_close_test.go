package ui

import (
	"fmt"
	"image/color"
	"slices"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// closablePTZ records its calls and, like the app's control, must not be
// called once closed: the app closes it after the window has gone.
type closablePTZ struct {
	t      *testing.T
	mu     sync.Mutex
	calls  []string
	closed bool
}

func (p *closablePTZ) call(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		p.t.Errorf("PTZ %s after the control was closed", s)
	}
	p.calls = append(p.calls, s)
}
func (p *closablePTZ) Move(pan, tilt, zoom float64) {
	p.call(fmt.Sprintf("move %.1f %.1f %.1f", pan, tilt, zoom))
}
func (p *closablePTZ) Stop()            { p.call("stop") }
func (p *closablePTZ) Home()            { p.call("home") }
func (p *closablePTZ) GotoPreset(n int) { p.call(fmt.Sprintf("goto %d", n)) }
func (p *closablePTZ) SetPreset(n int)  { p.call(fmt.Sprintf("set %d", n)) }
func (p *closablePTZ) close() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
}
func (p *closablePTZ) log() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.calls)
}

// findIconButton walks the object tree for a button showing icon.
func findIconButton(o fyne.CanvasObject, icon fyne.Resource) *widget.Button {
	if b, ok := o.(*widget.Button); ok && b.Icon != nil && b.Icon.Name() == icon.Name() {
		return b
	}
	if c, ok := o.(*fyne.Container); ok {
		for _, child := range c.Objects {
			if b := findIconButton(child, icon); b != nil {
				return b
			}
		}
	}
	return nil
}

func ptzWindow(t *testing.T) (*MainWindow, *closablePTZ) {
	a := test.NewTempApp(t)
	ptz := &closablePTZ{t: t}
	svc := &fakeServices{cameras: 1, streams: []LiveStream{
		{ID: "0", Name: "Dome", Source: &fakeSource{state: TilePlaying, col: color.RGBA{200, 30, 30, 255}}, PTZ: ptz},
	}}
	w := NewMainWindow(a, svc.services(), WindowConfig{})
	if w.wall == nil {
		t.Fatal("no wall for a camera with a stream")
	}
	t.Cleanup(w.wall.Close)
	return w, ptz
}

// TestCloseWindowDuringPadMove taps the pad's pan button and closes the
// window before the nudge's 400 ms are up, then closes the PTZ control as
// the app does. The close stops the camera at once, and the nudge's timer
// sends nothing afterwards (it used to send a stop into the closed
// control: a send on a closed channel).
func TestCloseWindowDuringPadMove(t *testing.T) {
	w, ptz := ptzWindow(t)
	right := findIconButton(w.tabs.Items[0].Content, theme.NavigateNextIcon())
	if right == nil {
		t.Fatal("no pan-right button on the PTZ pad")
	}
	test.Tap(right)
	w.Window().Close()
	ptz.close()
	if got := ptz.log(); !slices.Equal(got, []string{"move 0.5 0.0 0.0", "stop"}) {
		t.Fatalf("PTZ calls by the close %q, want the move and a stop", got)
	}
	time.Sleep(nudge + 200*time.Millisecond) // past the nudge's timer
	if got := ptz.log(); len(got) != 2 {
		t.Fatalf("PTZ calls after the close: %q", got[2:])
	}
}

// TestPadNudgeStops: a tap on the pad moves the camera for a moment and
// the stop follows by itself, through the UI goroutine.
func TestPadNudgeStops(t *testing.T) {
	w, ptz := ptzWindow(t)
	loop := newUILoop(t)
	test.Tap(findIconButton(w.tabs.Items[0].Content, theme.MoveUpIcon()))
	loop.until(t, 5*time.Second, "the nudge's stop", func() bool { return len(ptz.log()) == 2 })
	if got := ptz.log(); !slices.Equal(got, []string{"move 0.0 0.5 0.0", "stop"}) {
		t.Fatalf("PTZ calls %q", got)
	}
}
