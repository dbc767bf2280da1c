//go:build !linux || !cgo || wayland

package xsurface

import (
	"errors"
	"image"
)

// Surface is not available on this platform.
type Surface struct{}

// New always fails here: the wall draws through Fyne.
func New(uintptr) (*Surface, error) {
	return nil, errors.New("x11 surface: not available on this platform")
}

func (s *Surface) Show(image.Rectangle) (*image.RGBA, error) { return nil, errors.New("unavailable") }
func (s *Surface) Hide()                                     {}
func (s *Surface) Shown() bool                               { return false }
func (s *Surface) Exposed() bool                             { return false }
func (s *Surface) Put(...image.Rectangle) error              { return nil }
func (s *Surface) Close()                                    {}
