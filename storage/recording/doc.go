// Package recording writes, reads, checks and deletes encrypted recording
// segments.
//
// A segment is an MPEG-TS file encrypted with age to the X25519 recipient of
// its UTC day. The day identities are kept in the catalogue wrapped with
// XChaCha20-Poly1305 under a master key that lives only in the OS keyring, so
// deleting a day's wrapped identity makes its files unreadable
// (crypto-shredding).
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
package recording
