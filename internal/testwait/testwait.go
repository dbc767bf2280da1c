// Package testwait polls a condition in tests, for the behaviour that
// happens on another goroutine or in another process.
package testwait

import (
	"testing"
	"time"
)

// Until polls ok every 10 ms and fails the test, naming what it waited
// for, if ok is still false after within.
func Until(t testing.TB, within time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", within, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
