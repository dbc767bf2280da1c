package catalog

import "errors"

var (
	// ErrLocked means another process holds the catalogue open.
	ErrLocked = errors.New("catalogue is in use by another Nightjar")
	// ErrCorrupt means the catalogue file is not a valid database.
	ErrCorrupt = errors.New("catalogue file is damaged")
	// ErrNotFound means no record has the requested id.
	ErrNotFound = errors.New("not found in catalogue")
	// ErrReadOnly means the data directory cannot be written.
	ErrReadOnly = errors.New("data directory is not writable")
)
