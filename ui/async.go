package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
)

// runAsync runs work on its own goroutine with a timeout and hands the
// result to done on the UI goroutine. It is the one route from background
// work back into widgets.
func runAsync[T any](timeout time.Duration, work func(ctx context.Context) (T, error), done func(T, error)) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		v, err := work(ctx)
		fyne.Do(func() { done(v, err) })
	}()
}
