package secrets

import (
	"errors"
	"fmt"
)

// Sentinel errors; test with errors.Is.
var (
	// ErrNotFound means the keyring has no entry for the key.
	ErrNotFound = errors.New("secret not found in keyring")
	// ErrUnavailable means no keyring service could be reached or used.
	ErrUnavailable = errors.New("no OS keyring is available")
	// ErrTimeout means the keyring did not answer in time.
	ErrTimeout = errors.New("the OS keyring did not answer in time")
	// ErrTooBig means the secret is larger than the keyring accepts.
	ErrTooBig = errors.New("secret too large for the keyring")
)

// Error is returned by every Store call that fails.
type Error struct {
	Op  string // "get", "set", "delete" or "check"
	Key string // the entry's key; never the secret
	Err error  // one of the sentinels above, possibly wrapping the cause
}

func (e *Error) Error() string {
	if e.Key == "" {
		return fmt.Sprintf("keyring %s: %v", e.Op, e.Err)
	}
	return fmt.Sprintf("keyring %s %q: %v", e.Op, e.Key, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Hint returns a sentence telling the user what to do about err, or "" when
// err is not a keyring error that has one.
func Hint(err error) string {
	switch {
	case errors.Is(err, ErrUnavailable):
		return "Nightjar keeps passwords and keys only in the OS keyring and will not store them in plain text. " +
			"On Linux start a Secret Service such as gnome-keyring or KWallet (for example: install gnome-keyring and log in to a desktop session, " +
			"or run 'dbus-run-session -- sh -c \"echo -n | gnome-keyring-daemon --unlock; nightjar\"'), then try again."
	case errors.Is(err, ErrTimeout):
		return "The keyring may be locked and waiting for you to unlock it. Unlock it in your desktop session, then try again."
	case errors.Is(err, ErrNotFound):
		return "The stored secret is missing from the keyring. Enter it again to store it."
	case errors.Is(err, ErrTooBig):
		return "The secret is too large for the keyring."
	}
	return ""
}
