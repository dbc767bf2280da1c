// Package uithread lets tests catch blocking calls made on the UI
// goroutine. ui marks the goroutine that runs its callbacks (Mark); the
// entry points that can block (the catalogue, the keyring, the network,
// waiting mpv calls, the recorders' lock) call Check with what they are.
// A test calls Enable, drives the window, and fails on any Violations.
//
// Caveats: until Enable, Mark and Check are one atomic load each, so
// release builds pay nothing more. Once enabled, they read the calling
// goroutine's id from runtime.Stack, which is slow and meant for tests
// only. One goroutine is the UI goroutine at a time: the last to call
// Mark.
package uithread

import (
	"bytes"
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
)

var (
	enabled atomic.Bool

	mu         sync.Mutex // guards the fields below
	uiID       uint64     // the marked goroutine; 0 for none
	violations []string
)

// Enable starts checking. Tests call it before they build the window.
func Enable() { enabled.Store(true) }

// Disable stops checking and forgets the marked goroutine and every
// violation.
func Disable() {
	enabled.Store(false)
	mu.Lock()
	uiID, violations = 0, nil
	mu.Unlock()
}

// Mark records the calling goroutine as the UI goroutine.
func Mark() {
	if !enabled.Load() {
		return
	}
	id := goroutineID()
	mu.Lock()
	uiID = id
	mu.Unlock()
}

// Check notes a violation when it is called on the UI goroutine. what
// names the blocking call, e.g. "catalogue: cameras".
func Check(what string) {
	if !enabled.Load() {
		return
	}
	id := goroutineID()
	mu.Lock()
	defer mu.Unlock()
	if id != uiID {
		return
	}
	violations = append(violations, what+" on the UI goroutine, from "+callers())
}

// Violations returns the blocking calls made on the UI goroutine since
// Enable.
func Violations() []string {
	mu.Lock()
	defer mu.Unlock()
	return append([]string(nil), violations...)
}

// goroutineID reads the calling goroutine's id from the first line of its
// stack trace, "goroutine 42 [running]:".
func goroutineID() uint64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	b = bytes.TrimPrefix(b, []byte("goroutine "))
	if i := bytes.IndexByte(b, ' '); i > 0 {
		b = b[:i]
	}
	id, err := strconv.ParseUint(string(b), 10, 64)
	if err != nil {
		panic(fmt.Sprintf("uithread: cannot read the goroutine id from %q", b))
	}
	return id
}

// callers names the functions that led to Check, nearest first.
func callers() string {
	pc := make([]uintptr, 6)
	n := runtime.Callers(3, pc)
	frames := runtime.CallersFrames(pc[:n])
	var out []byte
	for {
		f, more := frames.Next()
		if len(out) > 0 {
			out = append(out, " < "...)
		}
		out = append(out, f.Function...)
		if !more {
			break
		}
	}
	return string(out)
}
