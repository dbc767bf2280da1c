package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
)

// runInline makes runAsync synchronous. Widget tests set it: Fyne's test
// driver runs fyne.Do on the calling goroutine, not on one UI thread, so
// real background work would race with the test's own widget reads.
var runInline bool

// runAsync runs work on its own goroutine with a timeout and hands the
// result to done on the UI goroutine. It is the one route from background
// work back into widgets.
func runAsync[T any](timeout time.Duration, work func(ctx context.Context) (T, error), done func(T, error)) {
	run := func() {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		v, err := work(ctx)
		if runInline {
			done(v, err)
			return
		}
		fyne.Do(func() { done(v, err) })
	}
	if runInline {
		run()
		return
	}
	go run()
}
