package ui

import (
	"context"
	"image"
	"time"

	"nightjar/internal/zones"
)

// PrivacyService serves the Privacy page: the summary, a camera's
// privacy zones and the picture to draw them on, pushing zones to the
// camera, retention, erasure and whether liftable zones may be lifted.
// app implements it over the same code as the CLI.
type PrivacyService interface {
	Summary(ctx context.Context) (PrivacySummary, error)
	Zones(ctx context.Context, cameraID string) ([]zones.Zone, error)
	// SaveZones replaces the camera's zones; every picture of it takes
	// them from its next frame.
	SaveZones(ctx context.Context, cameraID string, zs []zones.Zone) error
	// EditorFrame is a fresh live frame, with the saved zones already
	// painted by the one masking step.
	EditorFrame(ctx context.Context, cameraID string) (*image.RGBA, error)
	MaskSupport(ctx context.Context, cameraID string) (MaskSupport, error)
	// PushZones sends the zones to the camera; it returns one line saying
	// what happened.
	PushZones(ctx context.Context, cameraID string) (string, error)
	Retention(ctx context.Context) (RetentionView, error)
	// SetRetention sets how long a camera's footage is kept; above the
	// recommendation it needs a reason.
	SetRetention(ctx context.Context, cameraID string, keep time.Duration, reason string) error
	PlanErase(ctx context.Context, req EraseRequest) (ErasePlan, error)
	Erase(ctx context.Context, req EraseRequest) (EraseReceipt, error)
	Receipts(ctx context.Context) ([]EraseReceipt, error)
	// AllowLift says whether liftable zones may be revealed in playback.
	AllowLift(ctx context.Context) (bool, error)
	SetAllowLift(ctx context.Context, on bool) error
}

// PrivacySummary is the top of the Privacy page, one plain sentence each.
type PrivacySummary struct{ Recorded, Kept, Encryption, Location string }

// MaskSupport says whether a camera can burn zones in itself.
type MaskSupport struct {
	Supported           bool
	MaxMasks, MaxPoints int
	Note                string
}

// RetentionRow is one camera's retention; Next reads "footage older than
// 7 days; next deletion tonight 02:00, 3.1 GB".
type RetentionRow struct {
	CameraID, Name string
	Keep           time.Duration
	Reason, Next   string
}

// RetentionView is the Privacy page's retention section.
type RetentionView struct {
	Cameras                  []RetentionRow
	Cap, Reserve, Used, Free int64
	// Recommended is the regulators' few days (72 h).
	Recommended time.Duration
}

// EraseRequest is a range to erase; an empty CameraID means every camera.
type EraseRequest struct {
	CameraID string
	From, To time.Time
	Reason   string
}

// ErasePlan is what an erase would destroy; From and To are the real
// extent (a segment across a bound goes whole).
type ErasePlan struct {
	Cameras   []string
	Segments  int
	Bytes     int64
	Duration  time.Duration
	From, To  time.Time
	WholeDays []string
	Bookmarks []string
	Note      string
}

// EraseReceipt is the record an erase leaves.
type EraseReceipt struct {
	ID                      string
	At                      time.Time
	By                      string
	Cameras                 []string
	From, To                time.Time
	Segments                int
	Bytes                   int64
	ShreddedDays, Bookmarks []string
	Reason                  string
}
