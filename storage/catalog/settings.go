package catalog

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Record modes.
const (
	RecordOff        = ""
	RecordContinuous = "continuous"
	RecordScheduled  = "scheduled"
	RecordEvent      = "event"
	RecordManual     = "manual"
)

// RecordSettings say when and how a camera records.
type RecordSettings struct {
	Mode string `json:"mode,omitempty"` // one of the Record* modes; off when empty
	// Stream is "main" (the default) or "sub".
	Stream string `json:"stream,omitempty"`
	// Schedule is the weekly schedule of RecordScheduled: bit h of
	// Schedule[d] is set when hour h of weekday d (Sunday = 0, local time)
	// records.
	Schedule [7]uint32 `json:"schedule,omitempty"`
	// PreRoll and PostRoll frame motion in RecordEvent. They default to 5 s
	// and 10 s; PreRoll is capped at 10 s.
	PreRoll  time.Duration `json:"pre_roll,omitempty"`
	PostRoll time.Duration `json:"post_roll,omitempty"`
	// Retention is how long footage is kept; zero keeps it until the disk
	// cap or reserve needs the space.
	Retention time.Duration `json:"retention,omitempty"`
	// RetentionReason is why footage is kept longer than the
	// recommended few days; it is asked for above that.
	RetentionReason string `json:"retention_reason,omitempty"`
}

// Scheduled reports whether the weekly schedule covers t (in t's location).
func (r RecordSettings) Scheduled(t time.Time) bool {
	return r.Schedule[t.Weekday()]&(1<<uint(t.Hour())) != 0
}

// Settings are the install-wide settings.
type Settings struct {
	// RecordingCap bounds the bytes of recorded footage; zero means no cap.
	RecordingCap int64 `json:"recording_cap,omitempty"`
	// Reserve is the free space kept on the recordings disk by deleting the
	// oldest footage. Zero means the default, 1 GiB; negative turns it off.
	Reserve int64 `json:"reserve,omitempty"`
	// AllowLift lets liftable privacy zones be revealed in playback, for
	// one camera, a bounded time and a reason. Off by default; accounts
	// (issue 16) turn it into a per-role permission.
	AllowLift bool `json:"allow_lift,omitempty"`
	// Theme is "", "light" or "dark".
	Theme string `json:"theme,omitempty"`
}

var metaSettings = []byte("settings")

// Settings returns the stored settings, or the zero value.
func (db *DB) Settings() (Settings, error) {
	var s Settings
	err := db.bolt.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketMeta).Get(metaSettings)
		if v == nil {
			return nil
		}
		return json.Unmarshal(v, &s)
	})
	if err != nil {
		return Settings{}, fmt.Errorf("read settings: %w", err)
	}
	return s, nil
}

// PutSettings stores s.
func (db *DB) PutSettings(s Settings) error {
	v, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return db.bolt.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(metaSettings, v)
	})
}

var metaInstallID = []byte("install_id")

// InstallID returns this data directory's random identifier, creating it on
// first use. It is not secret; it keeps the keyring entries of two data
// directories apart.
func (db *DB) InstallID() (string, error) {
	var id string
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if v := meta.Get(metaInstallID); v != nil {
			id = string(v)
			return nil
		}
		b := make([]byte, 12)
		if _, err := rand.Read(b); err != nil {
			return err
		}
		id = hex.EncodeToString(b)
		return meta.Put(metaInstallID, []byte(id))
	})
	return id, err
}
