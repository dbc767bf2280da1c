package ui

import (
	"os"
	"testing"
)

// dropUI is the UI hook between tests: work handed to the UI from other
// goroutines (pump ticks, toast and nudge timers) is dropped, since under
// Fyne's test driver it would run on those goroutines and race with the
// test. Tests of that route install a uiLoop.
var dropUI = func(func()) {}

func TestMain(m *testing.M) {
	runInline = true
	uiHook.Store(&dropUI)
	os.Exit(m.Run())
}
