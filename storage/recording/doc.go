// Package recording writes, reads, checks and deletes encrypted recording
// segments.
//
// A segment is an MPEG-TS file encrypted with age to the X25519 recipient of
// its camera and UTC day, key id "2006-01-02/<camera>" (KeyOf, stored on
// the row as Segment.Key). Segments written before keys were per camera use
// the day's shared key, whose id is the day alone (Segment.KeyID falls
// back to it). The identities are kept in the catalogue wrapped with
// XChaCha20-Poly1305 under a master key that lives only in the OS keyring, so
// deleting a wrapped identity makes its files unreadable (crypto-shredding).
//
// Deletion: Sweep enforces retention, the cap and the reserve, then
// destroys every key of a past day that no segment uses. PlanErase and
// EraseRange erase a time range of some or all cameras for a deletion
// request: rows and files go at once (a segment across a bound goes
// whole), bookmarks in the range go with them, and on every UTC day the
// range covers whole the erased cameras' keys are destroyed. A shared day
// key still holding other cameras' footage is destroyed only after that
// footage is re-encrypted to its own camera's key (new file, fsync, row
// update, old file removed). A receipt goes into the catalogue's erasure
// record. A segment being written is never erased; the plan says so.
// PreviewRetention forecasts, as a pure function of the rows, what Sweep
// deletes next and when.
//
// Write order: the catalogue row is stored as open before the file gets any
// data; the file is written in age chunks, padded with MPEG-TS null packets
// so that no more than FlushInterval of video waits in memory, and fsynced
// about every second; on close the size, duration and SHA-256 of the
// ciphertext are stored and the row is closed. At startup Store.Recover keeps
// the authenticated prefix of every open row and deletes files without rows.
//
// Every segment begins with a binding packet on a private PID that names its
// camera, start time and day. age has no associated data, so this packet is
// what makes a segment swapped for another camera's or another time's fail
// the check.
//
// Store.OpenPlain gives random access to one segment's checked plaintext for
// playback: a finished segment through age's DecryptReaderAt after its size
// and hash matched the catalogue (a match is remembered per file size and
// modification time), a segment being written as its authenticated prefix,
// decrypted into memory and kept while the file is unchanged. For a minute
// of 720p (14 MB) on the shared 2-core machine a first open costs about
// 30 ms finished and 80 ms growing, a repeated one about 1 ms
// (BenchmarkOpenPlain).
//
// Caveats: plaintext exists only in memory, but the operating system may
// swap that memory out. The day of a segment is the UTC day of its start.
// Erasing part of a day deletes its files but keeps the day's key, so a
// copy of such a file made before the erase still opens with that key;
// only whole days are crypto-shredded.
package recording
