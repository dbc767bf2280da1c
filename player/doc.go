// Package player plays video through libmpv and renders it in software into
// Go images: live camera streams for the wall, recorded segments for
// playback, and snapshots.
//
// It never imports Fyne. A frame is rendered into any *image.RGBA (or a
// rectangle of one), which ui/ then shows.
//
// Playback plays a camera's recorded runs, as the app's Source hands them
// out, as edl:// windows of up to 16 pieces with exact lengths, and keeps
// its own map between EDL time and wall-clock time (EDL has no gaps).
// Seeks are exact; Group puts several Playbacks on one playhead. Frame
// and Thumbnail decode single pictures.
//
// # Caveats
//
// FFmpeg's MPEG-TS seek over HTTP sometimes lands a GOP late; such a seek
// is repeated from further back, which costs a second seek. A paused
// libmpv render context completes a seek only once its frame is drawn, so
// a player nobody draws seeks slowly: keep rendering its frames. mpv's
// disk cache is off, so nothing decoded or downloaded touches the disk.
//
// go-mpv v0.4.0 needs libmpv client API 2.1. On older libmpv (0.35, Debian
// 12) build with CGO_CFLAGS=-I<repo>/player/mpvcompat, as the Makefile does.
//
// mpv's "rgb0" software format leaves the fourth byte at 0; Render sets it
// to 255, or the image would be fully transparent.
package player
