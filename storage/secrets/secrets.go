package secrets

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/zalando/go-keyring"
)

// Service is the keyring service name every Nightjar entry is stored under.
const Service = "nightjar"

// Backend is the keyring the Store talks to. The OS keyring is the default;
// unit tests may pass an in-memory one.
type Backend interface {
	Set(service, key, secret string) error
	Get(service, key string) (string, error)
	Delete(service, key string) error
}

type osKeyring struct{}

func (osKeyring) Set(s, k, v string) error        { return keyring.Set(s, k, v) }
func (osKeyring) Get(s, k string) (string, error) { return keyring.Get(s, k) }
func (osKeyring) Delete(s, k string) error        { return keyring.Delete(s, k) }

// Store reads and writes secrets in the OS keyring.
type Store struct {
	// Service is the keyring service name. It defaults to "nightjar".
	Service string
	// Timeout bounds each call. It defaults to 5 s.
	Timeout time.Duration
	// Backend is the keyring. It defaults to the OS keyring.
	Backend Backend
}

func (s *Store) service() string {
	if s.Service == "" {
		return Service
	}
	return s.Service
}

func (s *Store) backend() Backend {
	if s.Backend == nil {
		return osKeyring{}
	}
	return s.Backend
}

func (s *Store) timeout() time.Duration {
	if s.Timeout <= 0 {
		return 5 * time.Second
	}
	return s.Timeout
}

// Set stores secret under key, replacing any previous value.
func (s *Store) Set(ctx context.Context, key, secret string) error {
	_, err := s.call(ctx, "set", key, func(b Backend) (string, error) {
		return "", b.Set(s.service(), key, secret)
	})
	return err
}

// Get returns the secret stored under key.
func (s *Store) Get(ctx context.Context, key string) (string, error) {
	return s.call(ctx, "get", key, func(b Backend) (string, error) {
		return b.Get(s.service(), key)
	})
}

// Delete removes key. Deleting a key that is not there is not an error.
func (s *Store) Delete(ctx context.Context, key string) error {
	_, err := s.call(ctx, "delete", key, func(b Backend) (string, error) {
		return "", b.Delete(s.service(), key)
	})
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// Check tells whether the keyring is reachable and usable, by looking up an
// entry that does not exist. It returns nil when the keyring answers.
func (s *Store) Check(ctx context.Context) error {
	_, err := s.call(ctx, "check", "", func(b Backend) (string, error) {
		return b.Get(s.service(), "nightjar-probe")
	})
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// call runs fn on its own goroutine so that a hung keyring cannot block the
// caller past the timeout. The goroutine of a timed-out call finishes on its
// own when the keyring answers; it holds no lock.
func (s *Store) call(ctx context.Context, op, key string, fn func(Backend) (string, error)) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout())
	defer cancel()
	type result struct {
		v   string
		err error
	}
	done := make(chan result, 1)
	b := s.backend()
	go func() {
		v, err := fn(b)
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			return "", &Error{Op: op, Key: key, Err: classify(r.err)}
		}
		return r.v, nil
	case <-ctx.Done():
		return "", &Error{Op: op, Key: key, Err: fmt.Errorf("%w: %w", ErrTimeout, ctx.Err())}
	}
}

func classify(err error) error {
	switch {
	case errors.Is(err, keyring.ErrNotFound), errors.Is(err, ErrNotFound):
		return ErrNotFound
	case errors.Is(err, keyring.ErrSetDataTooBig), errors.Is(err, ErrTooBig):
		return ErrTooBig
	case errors.Is(err, ErrUnavailable):
		return err
	}
	return fmt.Errorf("%w: %w", ErrUnavailable, err)
}
