// Package secrets keeps Nightjar's secrets (camera passwords, the recording
// master key, the export signing key) in the operating system's keyring:
// the Secret Service (gnome-keyring, KWallet) on Linux, Keychain on macOS and
// Credential Manager on Windows. Every entry is stored under the service name
// "nightjar".
//
// # Caveats
//
// A keyring call can block: a locked collection may pop up an unlock prompt,
// and a wedged D-Bus peer may never answer. Every call here therefore runs
// under a context and a timeout (5 s unless set), and reports ErrTimeout
// rather than hanging the caller.
//
// When no keyring is reachable the calls fail with ErrUnavailable. The
// package never falls back to storing a secret anywhere else.
package secrets
