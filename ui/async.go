package ui

import (
	"context"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
)

// runInline makes runAsync synchronous. Most widget tests set it: Fyne's
// test driver runs fyne.Do on the calling goroutine, not on one UI
// thread, so real background work would race with the test's own widget
// reads. Tests of the real route install a UI loop instead (uiHook).
var runInline bool

// uiHook, when set, replaces fyne.Do: tests run their own UI loop on the
// test goroutine, so the real goroutines can be exercised without races.
var uiHook atomic.Pointer[func(func())]

// toUI hands f to the UI goroutine. Every goroutine of the package
// reaches widgets through it.
func toUI(f func()) {
	if h := uiHook.Load(); h != nil {
		(*h)(f)
		return
	}
	fyne.Do(f)
}

// runAsync runs work on its own goroutine with a timeout and hands the
// result to done on the UI goroutine. It is the one route from background
// work back into widgets.
func runAsync[T any](timeout time.Duration, work func(ctx context.Context) (T, error), done func(T, error)) {
	inline := runInline
	run := func() {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		v, err := work(ctx)
		if inline {
			done(v, err)
			return
		}
		toUI(func() { done(v, err) })
	}
	if inline {
		run()
		return
	}
	go run()
}
