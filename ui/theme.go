package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// ThemeMode selects the colour variant. ThemeSystem follows the OS.
type ThemeMode int

const (
	ThemeSystem ThemeMode = iota
	ThemeLight
	ThemeDark
)

// nightjarTheme is Fyne's default theme with Nightjar's accent colour and an
// optional forced variant. With ThemeSystem it follows the OS setting, which
// Fyne reads from the desktop (the XDG portal on Linux).
type nightjarTheme struct {
	mode ThemeMode
}

var accent = color.NRGBA{R: 0xe0, G: 0x8a, B: 0x1e, A: 0xff} // nightjar amber

func (t nightjarTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	switch t.mode {
	case ThemeLight:
		v = theme.VariantLight
	case ThemeDark:
		v = theme.VariantDark
	}
	switch n {
	case theme.ColorNamePrimary, theme.ColorNameFocus:
		return accent
	case theme.ColorNameSelection:
		return color.NRGBA{R: accent.R, G: accent.G, B: accent.B, A: 0x55}
	}
	return theme.DefaultTheme().Color(n, v)
}

func (nightjarTheme) Font(s fyne.TextStyle) fyne.Resource     { return theme.DefaultTheme().Font(s) }
func (nightjarTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }
func (nightjarTheme) Size(n fyne.ThemeSizeName) float32       { return theme.DefaultTheme().Size(n) }
