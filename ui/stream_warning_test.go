package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestCameraRowShowsStreamWarning checks that a camera whose stream was
// given by hand on another host says so on the Cameras page, first in
// its detail line so that truncation does not hide it.
func TestCameraRowShowsStreamWarning(t *testing.T) {
	a := test.NewTempApp(t)
	const warning = "main stream on 10.0.0.9, not the camera's host 10.0.0.5"
	svc := &fakeServices{cameras: 1, extra: []CameraRow{{ID: "w", Name: "Gate", Address: "http://10.0.0.5/onvif/device_service", StreamWarning: warning}}}
	w := NewMainWindow(a, svc.services(), WindowConfig{})
	v := newCamerasView(w, svc, svc)
	if len(v.rows) != 2 {
		t.Fatalf("%d rows, want 2", len(v.rows))
	}
	for i, r := range v.rows {
		row := v.newRow()
		v.updateRow(i, row)
		detail := row.(*fyne.Container).Objects[0].(*fyne.Container).Objects[1].(*widget.Label).Text
		if has := strings.HasPrefix(detail, "Warning: "+warning); has != (r.StreamWarning != "") {
			t.Errorf("camera %s: detail %q; warning shown %v, want %v", r.ID, detail, has, r.StreamWarning != "")
		}
	}
}
