package uithread

import (
	"strings"
	"testing"
)

func TestCheckNotesOnlyTheMarkedGoroutine(t *testing.T) {
	Enable()
	t.Cleanup(Disable)
	Mark()
	done := make(chan struct{})
	go func() {
		defer close(done)
		Check("catalogue: off the UI goroutine")
	}()
	<-done
	Check("catalogue: cameras")
	v := Violations()
	if len(v) != 1 || !strings.HasPrefix(v[0], "catalogue: cameras on the UI goroutine") {
		t.Fatalf("violations %q, want only the call on the marked goroutine", v)
	}
	if !strings.Contains(v[0], "TestCheckNotesOnlyTheMarkedGoroutine") {
		t.Errorf("violation %q does not name its caller", v[0])
	}
}

func TestDisabledRecordsNothing(t *testing.T) {
	Enable()
	t.Cleanup(Disable)
	Mark()
	enabled.Store(false) // as in a release build: marked, but never enabled
	Check("keyring: get")
	enabled.Store(true)
	if v := Violations(); len(v) != 0 {
		t.Fatalf("disabled checker noted %q", v)
	}
}

// BenchmarkCheckDisabled is what a release build pays per entry point.
func BenchmarkCheckDisabled(b *testing.B) {
	Disable()
	for b.Loop() {
		Check("catalogue: cameras")
	}
}
