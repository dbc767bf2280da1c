//go:build unix

package player

import (
	"os"
	"syscall"
)

// wakeupFile turns mpv's wakeup pipe into a file Go's poller can wait on.
// It duplicates the descriptor, so the file can be closed without
// touching the one mpv owns; nil when the pipe is not usable.
func wakeupFile(fd int) *os.File {
	if fd < 0 {
		return nil
	}
	dup, err := syscall.Dup(fd)
	if err != nil {
		return nil
	}
	syscall.CloseOnExec(dup)
	if err := syscall.SetNonblock(dup, true); err != nil {
		syscall.Close(dup)
		return nil
	}
	return os.NewFile(uintptr(dup), "mpv-wakeup")
}
