// Package ui is Nightjar's Fyne user interface: the main window, its pages,
// widgets and dialogs. It is the only package (with main and assets) that
// imports Fyne.
//
// ui consumes services through small interfaces it declares itself (see
// Services) and never blocks the UI goroutine: slow work runs through
// runAsync, which delivers its result with fyne.Do (through toUI, which
// tests replace with a UI loop of their own).
package ui
