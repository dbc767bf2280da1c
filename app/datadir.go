package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// defaultDataDir is os.UserConfigDir()/nightjar.
func defaultDataDir() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the user config directory: %w", err)
	}
	return filepath.Join(base, "nightjar"), nil
}

// errDataDir marks a data directory that cannot be used.
var errDataDir = errors.New("data directory unusable")

// prepareDataDir creates dir (mode 0700) when missing and checks that files
// can be created in it.
func prepareDataDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("%w: create %s: %w", errDataDir, dir, err)
	}
	f, err := os.CreateTemp(dir, ".write-test-*")
	if err != nil {
		return fmt.Errorf("%w: %s is not writable: %w", errDataDir, dir, err)
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	return nil
}
