package ui

import (
	"errors"
	"fmt"
	"time"

	"nightjar/internal/when"
)

// parseWhen reads a typed date and time in the forms the CLI takes
// (internal/when); nothing typed asks for a time.
func parseWhen(s string, now time.Time, loc *time.Location) (time.Time, error) {
	t, err := when.Parse(s, now, loc)
	if errors.Is(err, when.ErrEmpty) {
		return t, fmt.Errorf("type a date and time, e.g. 2026-03-29 14:30, -10m or now")
	}
	return t, err
}
