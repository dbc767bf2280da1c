package catalog

import (
	"encoding/json"
	"fmt"
	"sort"

	bolt "go.etcd.io/bbolt"
)

var bucketLayouts = []byte("layouts")

// Layout is a saved wall arrangement: a layout name and the camera id on
// each tile ("" for an empty tile).
type Layout struct {
	Name    string   `json:"name"`
	Layout  string   `json:"layout"`
	Cameras []string `json:"cameras"`
}

// PutLayout saves l under its name, replacing one of the same name.
func (db *DB) PutLayout(l Layout) error {
	if l.Name == "" {
		return fmt.Errorf("save layout: empty name")
	}
	v, err := json.Marshal(l)
	if err != nil {
		return err
	}
	return db.bolt.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketLayouts)
		if err != nil {
			return err
		}
		return b.Put([]byte(l.Name), v)
	})
}

// Layouts returns the saved layouts by name.
func (db *DB) Layouts() ([]Layout, error) {
	var out []Layout
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketLayouts)
		if b == nil {
			return nil
		}
		return b.ForEach(func(_, v []byte) error {
			var l Layout
			if err := json.Unmarshal(v, &l); err != nil {
				return fmt.Errorf("decode layout: %w", err)
			}
			out = append(out, l)
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

// DeleteLayout removes a saved layout; a missing one is not an error.
func (db *DB) DeleteLayout(name string) error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketLayouts)
		if b == nil {
			return nil
		}
		return b.Delete([]byte(name))
	})
}
