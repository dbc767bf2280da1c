package catalog

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// bucketErasures holds the local erasure record: one receipt per erase,
// keyed by its time. It is created by the first PutErasure, so older
// catalogues need no migration.
var bucketErasures = []byte("erasures")

// Erasure is the receipt of one erase of recorded footage: what was asked,
// what really went, when, by whom and why. It is the local erasure record
// until the audit log exists; the audit log will take the same receipt.
type Erasure struct {
	ID string    `json:"id"`
	At time.Time `json:"at"` // when the erase finished, or stopped
	By string    `json:"by"` // the OS user for now; the account once accounts exist
	// Reason is why, as the user typed it (a deletion request, say).
	Reason string `json:"reason,omitempty"`
	// CameraIDs are the cameras asked for; empty means every camera.
	CameraIDs []string `json:"cameras,omitempty"`
	// From and To are the range asked for.
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	// ErasedFrom and ErasedTo are the real extent of the erased segments:
	// a segment across a bound goes whole, so they may lie outside [From,
	// To). Zero when no segment went.
	ErasedFrom time.Time `json:"erased_from,omitzero"`
	ErasedTo   time.Time `json:"erased_to,omitzero"`
	// Cameras are the cameras whose footage went.
	Cameras  []string      `json:"erased_cameras,omitempty"`
	Segments int           `json:"segments"`
	Bytes    int64         `json:"bytes"`
	Duration time.Duration `json:"duration"`
	// ShreddedKeys are the day keys destroyed: "2006-01-02/cam" per camera,
	// or "2006-01-02" for a day's shared key from before per-camera keys.
	ShreddedKeys []string `json:"shredded_keys,omitempty"`
	// Rekeyed counts other cameras' segments moved off a destroyed shared
	// day key to their own key first.
	Rekeyed int `json:"rekeyed,omitempty"`
	// Bookmarks are the bookmarks deleted with the footage.
	Bookmarks []Bookmark `json:"bookmarks,omitempty"`
	// Kept names what the erase could not touch: a segment being written,
	// or a whole day whose key had to stay, with why.
	Kept []string `json:"kept,omitempty"`
	// Complete is false when the erase stopped halfway; Problem says why.
	// Running the same erase again finishes it.
	Complete bool   `json:"complete"`
	Problem  string `json:"problem,omitempty"`
}

// erasureKey sorts by time: At as big-endian Unix nanoseconds, then the ID.
func erasureKey(e Erasure) []byte {
	k := binary.BigEndian.AppendUint64(nil, uint64(max(0, e.At.UnixNano())))
	return append(k, e.ID...)
}

// PutErasure stores the receipt e, giving it an ID and a time when it has
// none, and returns it as stored.
func (db *DB) PutErasure(e Erasure) (Erasure, error) {
	if e.At.IsZero() {
		e.At = time.Now()
	}
	e.At = e.At.Round(0)
	if e.ID == "" {
		id, err := newBookmarkID()
		if err != nil {
			return e, fmt.Errorf("make erasure id: %w", err)
		}
		e.ID = id
	}
	v, err := json.Marshal(e)
	if err != nil {
		return e, fmt.Errorf("encode erasure receipt: %w", err)
	}
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketErasures)
		if err != nil {
			return err
		}
		return b.Put(erasureKey(e), v)
	})
	if err != nil {
		return e, fmt.Errorf("store erasure receipt: %w", err)
	}
	return e, nil
}

// Erasures returns the erasure record, newest first.
func (db *DB) Erasures() ([]Erasure, error) {
	var out []Erasure
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketErasures)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			var e Erasure
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("decode erasure receipt %x: %w", k, err)
			}
			out = append(out, e)
		}
		return nil
	})
	return out, err
}
