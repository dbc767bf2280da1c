package catalog

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"

	"nightjar/internal/zones"
)

// Camera is a camera record. It holds no secret: the password lives in the
// keyring under the camera's ID, and URIs carry no userinfo.
type Camera struct {
	ID          string        `json:"id"`
	Name        string        `json:"name"`
	Group       string        `json:"group,omitempty"`
	DeviceURL   string        `json:"device_url,omitempty"` // ONVIF device service; empty for RTSP-only cameras
	Username    string        `json:"username,omitempty"`
	MainProfile string        `json:"main_profile,omitempty"`
	SubProfile  string        `json:"sub_profile,omitempty"`
	MainURI     string        `json:"main_uri,omitempty"`
	SubURI      string        `json:"sub_uri,omitempty"`
	SnapshotURI string        `json:"snapshot_uri,omitempty"`
	PTZ         bool          `json:"ptz,omitempty"`
	Events      bool          `json:"events,omitempty"`
	ClockOffset time.Duration `json:"clock_offset,omitempty"`
	Added       time.Time     `json:"added"`

	Manufacturer string `json:"manufacturer,omitempty"`
	Model        string `json:"model,omitempty"`
	// FactoryPassword is set while the camera is known to use a factory
	// default password; the password itself is only in the keyring.
	FactoryPassword bool `json:"factory_password,omitempty"`
	// ManualStreams is set when the user gave the stream URIs by hand (an
	// rtsp:// camera, or --main/--sub URLs). Only then may a stream live
	// on a host other than DeviceURL's and still get the credentials.
	ManualStreams bool `json:"manual_streams,omitempty"`
	// StreamWarning, when set, says that a stream given by hand is on
	// another host than the camera, which receives the password too.
	StreamWarning string `json:"stream_warning,omitempty"`

	Record RecordSettings `json:"record"`
	// Zones are the camera's privacy zones, in normalized coordinates.
	Zones []zones.Zone `json:"zones,omitempty"`
}

// PutCamera inserts or replaces c.
func (db *DB) PutCamera(c Camera) error {
	if c.ID == "" {
		return fmt.Errorf("put camera: empty id")
	}
	v, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("encode camera %s: %w", c.ID, err)
	}
	return db.bolt.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketCameras).Put([]byte(c.ID), v)
	})
}

// Camera returns the camera with id.
func (db *DB) Camera(id string) (Camera, error) {
	var c Camera
	err := db.bolt.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketCameras).Get([]byte(id))
		if v == nil {
			return fmt.Errorf("camera %s: %w", id, ErrNotFound)
		}
		return json.Unmarshal(v, &c)
	})
	return c, err
}

// Cameras returns every camera, sorted by group then name.
func (db *DB) Cameras() ([]Camera, error) {
	var out []Camera
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketCameras).ForEach(func(k, v []byte) error {
			var c Camera
			if err := json.Unmarshal(v, &c); err != nil {
				return fmt.Errorf("decode camera %s: %w", k, err)
			}
			out = append(out, c)
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool {
		if out[i].Group != out[j].Group {
			return out[i].Group < out[j].Group
		}
		return out[i].Name < out[j].Name
	})
	return out, err
}

// DeleteCamera removes the camera with id. It reports ErrNotFound when there
// is none.
func (db *DB) DeleteCamera(id string) error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketCameras)
		if b.Get([]byte(id)) == nil {
			return fmt.Errorf("camera %s: %w", id, ErrNotFound)
		}
		return b.Delete([]byte(id))
	})
}
