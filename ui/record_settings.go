package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// Record modes as RecordForm carries them.
const (
	ModeOff        = "off"
	ModeContinuous = "continuous"
	ModeScheduled  = "scheduled"
	ModeEvent      = "event"
	ModeManual     = "manual"
)

// RecordForm is a camera's record settings as the dialog edits them.
type RecordForm struct {
	Mode   string // one of the Mode* constants
	Stream string // "main" or "sub"
	// Retention keeps footage this long; 0 keeps it until the disk needs
	// the space.
	Retention time.Duration
	PreRoll   time.Duration
	PostRoll  time.Duration
	// Days and the hour range [FromHour, ToHour) make the weekly schedule;
	// Days[0] is Sunday.
	Days             [7]bool
	FromHour, ToHour int
}

// RecordSettingsStore keeps each camera's record settings, for the
// Recording… dialog.
type RecordSettingsStore interface {
	RecordSettings(ctx context.Context, id string) (RecordForm, error)
	// SetRecordSettings stores f and applies it to the camera's recorder.
	SetRecordSettings(ctx context.Context, id string, f RecordForm) error
}

// StorageService reports the recordings disk and edits its limits, for
// the Settings page.
type StorageService interface {
	StorageUsage(ctx context.Context) (StorageUsage, error)
	// StorageLimits returns the disk cap (0: none) and the free-space
	// reserve, in bytes.
	StorageLimits(ctx context.Context) (limit, reserve int64, err error)
	SetStorageLimits(ctx context.Context, limit, reserve int64) error
}

// StorageUsage is the recordings disk as the Settings page shows it.
type StorageUsage struct {
	Bytes, Free int64
	Segments    int
	// BytesPerDay is the current recording rate; 0 when nothing records.
	BytesPerDay float64
	Reserve     int64
	Damaged     int
}

var modeLabels = []struct{ mode, label string }{
	{ModeOff, "Off"},
	{ModeContinuous, "Continuous"},
	{ModeScheduled, "On a weekly schedule"},
	{ModeEvent, "On motion (with pre- and post-roll)"},
	{ModeManual, "Only when started by hand (R)"},
}

var weekdays = []string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}

// showRecordSettings reads r's record settings off the UI goroutine and
// opens the dialog that edits them.
func (v *camerasView) showRecordSettings(r CameraRow) {
	if v.recs == nil {
		return
	}
	runAsync(10*time.Second, func(ctx context.Context) (RecordForm, error) {
		return v.recs.RecordSettings(ctx, r.ID)
	}, func(f RecordForm, err error) {
		if err != nil {
			v.showError("Reading record settings of "+r.Name, err)
			return
		}
		v.recordDialog(r, f)
	})
}

// recordDialog edits f, r's record settings, and saves them.
func (v *camerasView) recordDialog(r CameraRow, f RecordForm) {
	var labels []string
	for _, m := range modeLabels {
		labels = append(labels, m.label)
	}
	mode := widget.NewSelect(labels, nil)
	for _, m := range modeLabels {
		if m.mode == f.Mode {
			mode.SetSelected(m.label)
		}
	}
	if mode.Selected == "" {
		mode.SetSelected(modeLabels[0].label)
	}
	stream := widget.NewRadioGroup([]string{"Main stream (full quality)", "Sub stream (less disk)"}, nil)
	stream.Horizontal = true
	stream.SetSelected("Main stream (full quality)")
	if f.Stream == "sub" {
		stream.SetSelected("Sub stream (less disk)")
	}
	keep := widget.NewEntry()
	keep.SetPlaceHolder("e.g. 30 d or 12 h; empty keeps until the disk needs the space")
	keep.SetText(formatRetention(f.Retention))
	pre := widget.NewSelect([]string{"2 s", "5 s", "10 s"}, nil)
	pre.SetSelected(fmt.Sprintf("%d s", int(f.PreRoll.Seconds())))
	if pre.Selected == "" {
		pre.SetSelected("5 s")
	}
	post := widget.NewSelect([]string{"5 s", "10 s", "30 s", "60 s"}, nil)
	post.SetSelected(fmt.Sprintf("%d s", int(f.PostRoll.Seconds())))
	if post.Selected == "" {
		post.SetSelected("10 s")
	}
	var dayChecks []fyne.CanvasObject
	days := make([]*widget.Check, 7)
	for i, d := range weekdays {
		days[i] = widget.NewCheck(d, nil)
		days[i].SetChecked(f.Days[i])
		dayChecks = append(dayChecks, days[i])
	}
	var hours []string
	for h := 0; h <= 24; h++ {
		hours = append(hours, fmt.Sprintf("%02d:00", h))
	}
	from := widget.NewSelect(hours[:24], nil)
	from.SetSelected(hours[f.FromHour])
	to := widget.NewSelect(hours[1:], nil)
	to.SetSelected(hours[max(1, min(24, f.ToHour))])
	items := []*widget.FormItem{
		widget.NewFormItem("Record", mode),
		widget.NewFormItem("Stream", stream),
		widget.NewFormItem("Keep for", keep),
		widget.NewFormItem("Pre-roll", pre),
		widget.NewFormItem("Post-roll", post),
		widget.NewFormItem("Schedule days", container.NewHBox(dayChecks...)),
		widget.NewFormItem("Schedule hours", container.NewHBox(from, widget.NewLabel("to"), to)),
	}
	dialog.ShowForm("Recording: "+r.Name, "Save", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		out := RecordForm{Stream: "main"}
		for _, m := range modeLabels {
			if m.label == mode.Selected {
				out.Mode = m.mode
			}
		}
		if strings.HasPrefix(stream.Selected, "Sub") {
			out.Stream = "sub"
		}
		ret, err := parseRetention(keep.Text)
		if err != nil {
			v.showError("Saving record settings", err)
			return
		}
		out.Retention = ret
		out.PreRoll = parseSeconds(pre.Selected)
		out.PostRoll = parseSeconds(post.Selected)
		for i, c := range days {
			out.Days[i] = c.Checked
		}
		out.FromHour, _ = strconv.Atoi(strings.TrimSuffix(from.Selected, ":00"))
		out.ToHour, _ = strconv.Atoi(strings.TrimSuffix(to.Selected, ":00"))
		if out.Mode == ModeScheduled && (out.ToHour <= out.FromHour || out.Days == [7]bool{}) {
			v.showError("Saving record settings", fmt.Errorf("a schedule needs at least one day and an end hour after its start hour"))
			return
		}
		runAsync(10*time.Second, func(ctx context.Context) (struct{}, error) {
			return struct{}{}, v.recs.SetRecordSettings(ctx, r.ID, out)
		}, func(_ struct{}, err error) {
			if err != nil {
				v.showError("Saving record settings of "+r.Name, err)
				return
			}
			v.reload()
		})
	}, v.w.win)
}

func parseSeconds(s string) time.Duration {
	n, _ := strconv.Atoi(strings.TrimSuffix(s, " s"))
	return time.Duration(n) * time.Second
}

// storageText describes the recordings disk for the Settings page.
func storageText(u StorageUsage) string {
	gb := func(b int64) string {
		if b < 1e9 {
			return fmt.Sprintf("%.0f MB", float64(b)/1e6)
		}
		return fmt.Sprintf("%.1f GB", float64(b)/1e9)
	}
	s := fmt.Sprintf("Recordings use %s in %d segments.", gb(u.Bytes), u.Segments)
	if u.Free >= 0 {
		s += fmt.Sprintf(" %s free on that disk", gb(u.Free))
		if u.Reserve > 0 {
			s += fmt.Sprintf(" (%s kept in reserve)", gb(u.Reserve))
		}
		s += "."
	}
	if u.BytesPerDay > 0 && u.Free >= 0 {
		days := float64(u.Free-u.Reserve) / u.BytesPerDay
		s += fmt.Sprintf(" At the current rate, about %.1f days of space remain before the oldest footage is deleted.", max(0, days))
	} else {
		s += " Nothing is recording now."
	}
	if u.Damaged > 0 {
		s += fmt.Sprintf(" %d segments are damaged: run 'nightjar recordings verify'.", u.Damaged)
	}
	return s
}

// parseRetention reads "30", "30 d" (days) or "12 h" (hours); empty is 0.
func parseRetention(s string) (time.Duration, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return 0, nil
	}
	unit := 24 * time.Hour
	switch {
	case strings.HasSuffix(s, "h"):
		unit, s = time.Hour, strings.TrimSpace(strings.TrimSuffix(s, "h"))
	case strings.HasSuffix(s, "d"):
		s = strings.TrimSpace(strings.TrimSuffix(s, "d"))
	}
	n, err := strconv.Atoi(s)
	// n is checked before it is multiplied: a product past the int64
	// range would wrap to a small or negative retention.
	if err != nil || n < 0 || n > int(3650*24*time.Hour/unit) {
		return 0, fmt.Errorf("keep for takes days (30 d) or hours (12 h), up to 10 years")
	}
	return time.Duration(n) * unit, nil
}

// formatRetention writes a retention for the Keep field.
func formatRetention(d time.Duration) string {
	switch {
	case d <= 0:
		return ""
	case d%(24*time.Hour) == 0:
		return fmt.Sprintf("%d d", d/(24*time.Hour))
	default:
		return fmt.Sprintf("%d h", (d+time.Hour-1)/time.Hour)
	}
}

// parseGB reads a size in GB; empty is 0.
func parseGB(s string) (int64, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(strings.ToUpper(s)), "GB"))
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || !(v >= 0 && v <= 1e6) { // NaN fails both
		return 0, fmt.Errorf("%q is not a size in GB", s)
	}
	return int64(v * 1e9), nil
}

func formatGB(b int64) string {
	if b <= 0 {
		return ""
	}
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.2f", float64(b)/1e9), "0"), ".")
}

// storageLimitsForm edits the disk cap and the reserve.
func (w *MainWindow) storageLimitsForm(svc StorageService) fyne.CanvasObject {
	limit, reserve := widget.NewEntry(), widget.NewEntry()
	limit.SetPlaceHolder("no cap")
	reserve.SetPlaceHolder("1")
	status := widget.NewLabel("")
	runAsync(10*time.Second, func(ctx context.Context) ([2]int64, error) {
		l, r, err := svc.StorageLimits(ctx)
		return [2]int64{l, r}, err
	}, func(lr [2]int64, err error) {
		if err != nil {
			status.SetText("Cannot read the limits: " + err.Error() + ". Enter them again and save.")
			return
		}
		limit.SetText(formatGB(lr[0]))
		reserve.SetText(formatGB(lr[1]))
	})
	save := widget.NewButton("Save limits", func() {
		l, err1 := parseGB(limit.Text)
		r, err2 := parseGB(reserve.Text)
		if err1 != nil || err2 != nil {
			status.SetText("Sizes are in GB, for example 500 or 1.5.")
			return
		}
		runAsync(10*time.Second, func(ctx context.Context) (struct{}, error) {
			return struct{}{}, svc.SetStorageLimits(ctx, l, r)
		}, func(_ struct{}, err error) {
			if err != nil {
				status.SetText("Could not save: " + err.Error() + ". Check that the data folder is writable, then save again.")
				return
			}
			status.SetText("Saved. The oldest footage goes first when a limit is reached.")
			w.refreshStorage()
		})
	})
	return container.NewVBox(
		container.NewGridWithColumns(4, widget.NewLabel("Cap all footage at (GB)"), limit, widget.NewLabel("Keep free on disk (GB)"), reserve),
		container.NewHBox(save, status))
}

// recordModeLabel is a camera list's short word for a record mode.
func recordModeLabel(mode string) string {
	switch mode {
	case ModeContinuous:
		return "continuously"
	case ModeScheduled:
		return "on schedule"
	case ModeEvent:
		return "on motion"
	case ModeManual:
		return "by hand"
	}
	return ""
}
