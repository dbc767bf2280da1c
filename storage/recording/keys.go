package recording

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"sync"

	"filippo.io/age"
	"golang.org/x/crypto/chacha20poly1305"

	"nightjar/storage/catalog"
	"nightjar/storage/secrets"
)

// MasterKeyName is the keyring entry of the recording master key of the
// data directory with the catalogue install id.
func MasterKeyName(installID string) string { return "recording/master-key/" + installID }

// Sentinel errors; test with errors.Is.
var (
	// ErrShredded means the day's identity was destroyed by retention or
	// erasure, so its footage can never be decrypted again.
	ErrShredded = errors.New("the day's key was destroyed")
	// ErrMasterKeyLost means day keys exist but the keyring has no master
	// key to unwrap them.
	ErrMasterKeyLost = errors.New("the recording master key is missing from the keyring")
)

// keyring is the part of secrets.Store that Keys uses.
type keyring interface {
	Get(ctx context.Context, key string) (string, error)
	Set(ctx context.Context, key, secret string) error
}

// dayKeyStore is the part of the catalogue that Keys uses.
type dayKeyStore interface {
	PutDayKey(day string, wrapped []byte) error
	DayKey(day string) ([]byte, error)
	DeleteDayKey(day string) error
	DayKeys() ([]string, error)
}

// Keys hands out per-day age identities. It is safe for concurrent use.
type Keys struct {
	ring keyring
	db   dayKeyStore
	name string // keyring entry of the master key

	mu     sync.Mutex
	master []byte
	days   map[string]*age.X25519Identity
}

// NewKeys returns Keys backed by the keyring entry name and the
// catalogue; see MasterKeyName.
func NewKeys(ring keyring, name string, db dayKeyStore) *Keys {
	return &Keys{ring: ring, db: db, name: name, days: map[string]*age.X25519Identity{}}
}

// masterKey loads the master key, creating it when no day was ever keyed.
// It holds k.mu.
func (k *Keys) masterKey(ctx context.Context) ([]byte, error) {
	if k.master != nil {
		return k.master, nil
	}
	s, err := k.ring.Get(ctx, k.name)
	switch {
	case err == nil:
		m, err := base64.StdEncoding.DecodeString(s)
		if err != nil || len(m) != chacha20poly1305.KeySize {
			return nil, fmt.Errorf("recording master key in the keyring is malformed")
		}
		k.master = m
		return m, nil
	case !errors.Is(err, secrets.ErrNotFound):
		return nil, fmt.Errorf("load recording master key: %w", err)
	}
	days, err := k.db.DayKeys()
	if err != nil {
		return nil, err
	}
	if len(days) > 0 {
		// A new master key would silently orphan every recorded day.
		return nil, fmt.Errorf("%w (%d recorded days cannot be decrypted)", ErrMasterKeyLost, len(days))
	}
	m := make([]byte, chacha20poly1305.KeySize)
	if _, err := rand.Read(m); err != nil {
		return nil, err
	}
	if err := k.ring.Set(ctx, k.name, base64.StdEncoding.EncodeToString(m)); err != nil {
		return nil, fmt.Errorf("store recording master key: %w", err)
	}
	k.master = m
	return m, nil
}

func dayAD(day string) []byte { return []byte("nightjar day identity v1 " + day) }

// Recipient returns the recipient of day, creating the day's identity on
// first use.
func (k *Keys) Recipient(ctx context.Context, day string) (*age.X25519Recipient, error) {
	id, err := k.identity(ctx, day, true)
	if err != nil {
		return nil, err
	}
	return id.Recipient(), nil
}

// Identity returns the identity of day, or ErrShredded when it is gone.
func (k *Keys) Identity(ctx context.Context, day string) (*age.X25519Identity, error) {
	return k.identity(ctx, day, false)
}

func (k *Keys) identity(ctx context.Context, day string, create bool) (*age.X25519Identity, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if id, ok := k.days[day]; ok {
		return id, nil
	}
	master, err := k.masterKey(ctx)
	if err != nil {
		return nil, err
	}
	aead, err := chacha20poly1305.NewX(master)
	if err != nil {
		return nil, err
	}
	wrapped, err := k.db.DayKey(day)
	switch {
	case err == nil:
		if len(wrapped) < aead.NonceSize() {
			return nil, fmt.Errorf("day key %s is malformed", day)
		}
		plain, err := aead.Open(nil, wrapped[:aead.NonceSize()], wrapped[aead.NonceSize():], dayAD(day))
		if err != nil {
			return nil, fmt.Errorf("day key %s does not open with the keyring's master key", day)
		}
		id, err := age.ParseX25519Identity(string(plain))
		if err != nil {
			return nil, fmt.Errorf("day key %s: %w", day, err)
		}
		k.days[day] = id
		return id, nil
	case !errors.Is(err, catalog.ErrNotFound):
		return nil, err
	case !create:
		return nil, fmt.Errorf("day key %s: %w", day, ErrShredded)
	}
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+128)
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	sealed := aead.Seal(nonce, nonce, []byte(id.String()), dayAD(day))
	if err := k.db.PutDayKey(day, sealed); err != nil {
		return nil, fmt.Errorf("store day key %s: %w", day, err)
	}
	k.days[day] = id
	return id, nil
}

// IDs lists the key ids that have an identity, in order: days (shared
// keys of older segments) and "day/camera" keys.
func (k *Keys) IDs() ([]string, error) { return k.db.DayKeys() }

// Shred destroys the identity of day. Its files can never be read again.
func (k *Keys) Shred(day string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.days, day)
	return k.db.DeleteDayKey(day)
}
