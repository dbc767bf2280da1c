// Package ingest reads a camera's RTSP stream for recording, with no
// decoding: it depacketizes H.264, H.265 and AAC into access units and hands
// them on with their presentation times.
//
// A Client reconnects with backoff (1 s doubling to 30 s, reset after a
// session that lasted) and tells its handler when a session starts and
// stops, so the recorder can mark the gap.
//
// Caveats: G.711 audio is not carried, because MPEG-TS has no standard way to
// hold it; a camera's G.711 track is skipped with a log line.
package ingest
