//go:build !unix

package player

import "os"

// wakeupFile returns nil: mpv has no wakeup pipe here, so WaitEvent
// waits inside libmpv.
func wakeupFile(int) *os.File { return nil }
