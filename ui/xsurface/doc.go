// Package xsurface shows pixels in a child window of an X11 window through
// MIT-SHM, without going through OpenGL.
//
// The live wall draws its video here when it can. Under a software GL
// (Mesa's llvmpipe: no GPU, a VM, a remote desktop) every repaint of a Fyne
// window rasterises the whole window on the CPU, which cost a live wall
// about as much as decoding its streams. A shared-memory image handed to
// the X server costs one copy, in the server, as it does for mpv's own X11
// output. Elsewhere (Windows, macOS, Wayland, no MIT-SHM) New fails and
// the wall keeps drawing through Fyne.
//
// The child window selects no input events, so pointer and keyboard events
// reach the parent (Fyne's window) as before.
package xsurface
