package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// MaskLifter is what a PlaybackService offers when liftable privacy
// zones can be revealed: for one camera, in playback only, for a bounded
// time and with a reason. The service checks the permission; a refusal's
// error names what is missing.
type MaskLifter interface {
	LiftMasks(ctx context.Context, cameraID string, d time.Duration, reason string) (until time.Time, err error)
}

// liftChoices are the lift lengths offered.
var liftChoices = []string{"1 minute", "5 minutes", "15 minutes", "30 minutes"}

func liftLength(s string) time.Duration {
	switch s {
	case "1 minute":
		return time.Minute
	case "15 minutes":
		return 15 * time.Minute
	case "30 minutes":
		return 30 * time.Minute
	}
	return 5 * time.Minute
}

// liftDialog asks for the camera, how long and why, then lifts that
// camera's liftable zones in playback.
func (p *playbackPage) liftDialog() {
	lifter, ok := p.svc.(MaskLifter)
	if !ok || len(p.chosen) == 0 {
		p.setStatus("Choose a camera first: a lift reveals one camera's liftable zones in playback.")
		return
	}
	names := p.chosenNames()
	cam := widget.NewSelect(names, nil)
	cam.SetSelectedIndex(0)
	length := widget.NewSelect(liftChoices, nil)
	length.SetSelected("5 minutes")
	reason := widget.NewEntry()
	reason.SetPlaceHolder("Why must the hidden area be seen? (required)")
	note := widget.NewLabel("Only liftable zones are revealed, only here in playback, and they come back by themselves. Permanent zones stay.")
	note.Wrapping = fyne.TextWrapWord
	items := []*widget.FormItem{
		widget.NewFormItem("Camera", cam), widget.NewFormItem("For", length), widget.NewFormItem("Reason", reason),
		widget.NewFormItem("", note),
	}
	d := dialog.NewForm("Lift privacy masks", "Lift", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		id := p.chosen[cam.SelectedIndex()]
		why, dur, name := strings.TrimSpace(reason.Text), liftLength(length.Selected), cam.Selected
		runAsync(10*time.Second, func(ctx context.Context) (time.Time, error) {
			return lifter.LiftMasks(ctx, id, dur, why)
		}, func(until time.Time, err error) {
			if err != nil {
				p.setStatus("Masks not lifted: " + err.Error())
				return
			}
			p.setStatus(fmt.Sprintf("Liftable zones of %s are revealed in playback until %s (%s).", name, until.In(p.loc).Format("15:04:05"), why))
		})
	}, p.mw.win)
	reason.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("a reason is required")
		}
		return nil
	}
	d.Resize(fyne.NewSize(480, 300))
	d.Show()
}
