// Package catalog is Nightjar's bbolt database, nightjar.db in the data
// directory: camera records, settings and, later, segment rows and events.
//
// Opening it takes bbolt's exclusive file lock, which is also Nightjar's
// single-instance guard: a second process on the same data directory gets
// ErrLocked within OpenTimeout instead of waiting forever.
//
// Segment rows are keyed by camera and start time, and each camera's
// longest segment is kept beside them, so a query for a camera and a time
// range reads only the rows in that range (schema 2; Open migrates a
// schema 1 catalogue by building the spans once). Queries by state alone,
// and those with no time bound, still read every row.
//
// Events are keyed by time, newest first, so EventsIn reads only the rows
// of its time range. Bookmarks have their own bucket, created by the first
// PutBookmark: a catalogue from before them needs no migration and stays
// at schema 2. They are few (people make them), so Bookmarks reads them
// all.
//
// Erasure receipts (Erasure: what an erase destroyed, when, by whom, why)
// have their own bucket too, keyed by time and read newest first; they are
// the local erasure record until the audit log exists. A segment row's
// optional Key names its day key ("day/camera"); rows without it use the
// day's shared key, so neither needs a migration.
//
// # Caveats
//
// The catalogue never holds a secret. Camera passwords and keys live in the
// OS keyring (storage/secrets); records here hold at most a user name, and
// stream URIs are stored without userinfo.
package catalog
