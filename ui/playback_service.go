package ui

import (
	"context"
	"image"
	"time"
)

// PlaybackService is what the Playback page consumes: the cameras that
// can be played, their timelines, the days with footage, thumbnails,
// playback sessions and bookmarks. app implements it over the catalogue,
// the footage server and the player. Every method that takes a context
// may block (the catalogue, decoding); the page calls them off the UI
// goroutine.
type PlaybackService interface {
	// PlaybackCameras lists the cameras that can be played back. It must
	// answer at once (a cached list).
	PlaybackCameras() []PlaybackCamera
	// Timeline is one camera's footage, gaps, motion, damaged segments and
	// bookmarks between from and to.
	Timeline(ctx context.Context, cameraID string, from, to time.Time) (TimelineData, error)
	// FootageDays reports the days of a month (in the page's time zone)
	// on which any of the cameras has footage, by day of the month.
	FootageDays(ctx context.Context, cameraIDs []string, year int, month time.Month) (map[int]bool, error)
	// Thumbnail is a small picture of the camera's footage nearest at,
	// width pixels wide, decoded from a keyframe.
	Thumbnail(ctx context.Context, cameraID string, at time.Time, width int) (image.Image, error)
	// OpenPlayback starts a session playing the cameras, in order. It may
	// take a moment (players start); the page calls it off the UI
	// goroutine.
	OpenPlayback(cameraIDs []string) (PlaybackSession, error)
	// AddBookmark stores b (an empty ID makes a new one) and returns it as
	// stored. The service fills in Author.
	AddBookmark(ctx context.Context, b BookmarkData) (BookmarkData, error)
	RemoveBookmark(ctx context.Context, id string) error
	// Bookmarks lists bookmarks, of one camera or all ("") whose note
	// contains text (case-insensitive; "" for all).
	Bookmarks(ctx context.Context, cameraID, text string) ([]BookmarkData, error)
}

// PlaybackSession plays a set of cameras on one playhead (synced) or
// each on its own. Its methods are called from the page's own session
// goroutine, never from the UI goroutine, so they may wait on the player;
// the readers (Position, Paused, Speed, TileStatus) are polled about 12
// times a second and should be quick.
type PlaybackSession interface {
	// Tiles are the players, one per camera in the order opened, drawn by
	// the wall's compositor.
	Tiles() []LiveSource
	// TileStatus is where tile i is: its position, and whether it has no
	// footage there and when its next footage starts.
	TileStatus(i int) PlaybackTileStatus
	Seek(at time.Time)
	SetPaused(paused bool)
	// SetSpeed sets the rate, from 1/8 to 16.
	SetSpeed(x float64)
	// Step moves frames frames forward (negative: back), pausing first.
	Step(frames int)
	// SetSynced links every tile to one playhead (true) or lets each play
	// on its own.
	SetSynced(synced bool)
	// Position is the playhead: the wall-clock time of the frame shown.
	Position() time.Time
	Paused() bool
	Speed() float64
	Close()
}

// PlaybackCamera is a camera that has footage to play.
type PlaybackCamera struct {
	ID, Name string
	// Group is the camera's group, "" for none; the page offers each
	// group as a set to play together.
	Group string
}

// PlaybackTileStatus is where one tile of a session is.
type PlaybackTileStatus struct {
	// Position is the wall-clock time of the frame the tile shows.
	Position time.Time
	// NoFootage is set when the camera has nothing recorded at the
	// playhead; Next is then the start of its next footage (zero: none).
	NoFootage bool
	Next      time.Time
}

// TimeSpan is a stretch of wall-clock time, From inclusive, To exclusive.
type TimeSpan struct {
	From, To time.Time
}

// DamagedSpan is footage that failed its checks and is never played.
type DamagedSpan struct {
	TimeSpan
	Problem string
}

// TimelineData is one camera's timeline between two times.
type TimelineData struct {
	Runs, Gaps, Motion []TimeSpan
	Damaged            []DamagedSpan
	Bookmarks          []BookmarkData
}

// BookmarkData is a marked stretch of one camera's footage. Protect keeps
// retention from deleting the footage under it.
type BookmarkData struct {
	ID, CameraID string
	From, To     time.Time
	Note, Author string
	Protect      bool
}
