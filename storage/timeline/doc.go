// Package timeline is the per-camera timeline model of the Playback page:
// which stretches of a time window hold playable footage (runs), which hold
// none (gaps), which are damaged, when motion was seen and where the
// bookmarks are. It is built from catalogue rows alone, through the small
// Source interface that *catalog.DB satisfies, and never reads a segment
// file.
//
// A run is contiguous playable footage that mpv can play as one edl://
// timeline: segments of one camera, each starting at most MaxGap after the
// one before ended, with the same codec and picture size. A longer pause
// is a gap; a damaged segment, a change of codec or size and the segment
// being written end a run.
//
// Times are instants; Day turns a local calendar day into the instants
// that bound it, so a day with a daylight-saving change is 23 or 25 hours
// long and footage lands at its true local time.
//
// # Caveats
//
// Runs and Damaged hold whole segments, so the first and last may reach
// outside the window they were built for. Gaps are the pauses between
// footage inside the window; the time before the first footage and after
// the last is not listed as a gap. The segment being written has no
// duration in the catalogue: its end is taken to be the builder's clock,
// clamped to the window. Motion that was switched on and never off ends
// MotionCap after its last report.
package timeline
