package secrets

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// memKeyring is Memory with a delay and an error to inject, for unit tests
// of the Store's own logic.
type memKeyring struct {
	Memory
	delay time.Duration
	err   error
}

func (k *memKeyring) Set(s, key, v string) error {
	time.Sleep(k.delay)
	if k.err != nil {
		return k.err
	}
	return k.Memory.Set(s, key, v)
}

func (k *memKeyring) Get(s, key string) (string, error) {
	time.Sleep(k.delay)
	if k.err != nil {
		return "", k.err
	}
	return k.Memory.Get(s, key)
}

func TestStoreTimeout(t *testing.T) {
	s := &Store{Backend: &memKeyring{delay: time.Second}, Timeout: 50 * time.Millisecond}
	start := time.Now()
	_, err := s.Get(context.Background(), "cam-1")
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("want ErrTimeout, got %v", err)
	}
	if time.Since(start) > 500*time.Millisecond {
		t.Fatalf("Get blocked for %v past its timeout", time.Since(start))
	}
	if Hint(err) == "" {
		t.Fatal("timeout has no hint")
	}
}

func TestStoreUnavailable(t *testing.T) {
	// The secret is a string neither the key nor the backend's error holds,
	// so finding it in the error can only mean the Store put it there.
	const secret = "Zq7-leak-canary"
	s := &Store{Backend: &memKeyring{err: errors.New("org.freedesktop.secrets was not provided")}}
	err := s.Set(context.Background(), "cam-1", secret)
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("want ErrUnavailable, got %v", err)
	}
	var ke *Error
	if !errors.As(err, &ke) || ke.Op != "set" || ke.Key != "cam-1" {
		t.Fatalf("want *Error{set cam-1}, got %#v", err)
	}
	if strings.Contains(err.Error(), secret) || strings.Contains(fmt.Sprintf("%#v", ke), secret) {
		t.Fatalf("error leaks the secret: %v", err)
	}
	if !strings.Contains(Hint(err), "plain text") {
		t.Fatalf("hint does not explain: %q", Hint(err))
	}
}

// TestOSKeyringRoundTrip runs against the real OS keyring: gnome-keyring
// under dbus-run-session in 'make test'. Outside that setup there is no
// Secret Service and the test says so instead of passing silently.
func TestOSKeyringRoundTrip(t *testing.T) {
	s := &Store{Service: "nightjar-test"}
	ctx := context.Background()
	if err := s.Check(ctx); err != nil {
		if os.Getenv("NIGHTJAR_FULL_TEST") == "" {
			t.Skipf("no OS keyring here (%v); 'make test' provides one", err)
		}
		t.Fatalf("keyring required but unavailable: %v", err)
	}
	buf := make([]byte, 8)
	rand.Read(buf)
	key := "roundtrip-" + hex.EncodeToString(buf)
	secret := "p@ss:w/rd-" + hex.EncodeToString(buf)

	if err := s.Set(ctx, key, secret); err != nil {
		t.Fatalf("set: %v", err)
	}
	got, err := s.Get(ctx, key)
	if err != nil || got != secret {
		t.Fatalf("get = %q, %v; want %q", got, err, secret)
	}
	if err := s.Set(ctx, key, secret+"2"); err != nil {
		t.Fatalf("overwrite: %v", err)
	}
	if got, err := s.Get(ctx, key); err != nil || got != secret+"2" {
		t.Fatalf("overwrite not seen: %q, %v", got, err)
	}
	if err := s.Delete(ctx, key); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if _, err := s.Get(ctx, key); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after delete: want ErrNotFound, got %v", err)
	}
	if err := s.Delete(ctx, key); err != nil {
		t.Fatalf("second delete should be a no-op, got %v", err)
	}
}

// childRan is what the child process prints once it has checked the
// Store, so the parent knows the checks ran and did not just match no test.
const childRan = "nightjar-secrets-child: checked"

// TestNoSecretService points D-Bus at a socket that does not exist, in a
// child process (godbus caches its session connection per process), and
// checks the Store fails fast with ErrUnavailable and a hint.
func TestNoSecretService(t *testing.T) {
	if os.Getenv("NIGHTJAR_SECRETS_CHILD") == "1" {
		s := &Store{Timeout: 3 * time.Second}
		err := s.Set(context.Background(), "cam-1", "pw")
		if !errors.Is(err, ErrUnavailable) {
			t.Fatalf("want ErrUnavailable, got %v", err)
		}
		if Hint(err) == "" {
			t.Fatal("no hint")
		}
		fmt.Println(childRan)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+regexp.QuoteMeta(t.Name())+"$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), "NIGHTJAR_SECRETS_CHILD=1", "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/bus")
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child failed: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), childRan) {
		t.Fatalf("child ran no checks:\n%s", out)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("missing keyring took %v to report", d)
	}
}
