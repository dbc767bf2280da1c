package testwait

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestUntilReturnsOnceTrue(t *testing.T) {
	var n atomic.Int32
	go func() {
		time.Sleep(30 * time.Millisecond)
		n.Store(1)
	}()
	Until(t, 5*time.Second, "the store", func() bool { return n.Load() == 1 })
}

// recorder catches Fatalf, which in a real test ends the goroutine.
type recorder struct {
	testing.TB
	msg string
}

func (r *recorder) Helper() {}
func (r *recorder) Fatalf(format string, args ...any) {
	r.msg = fmt.Sprintf(format, args...)
	panic(r)
}

func TestUntilFailsNamingWhat(t *testing.T) {
	r := &recorder{TB: t}
	func() {
		defer func() {
			if p := recover(); p != r {
				t.Fatalf("Until did not fail: %v", p)
			}
		}()
		Until(r, 30*time.Millisecond, "a thing that never comes", func() bool { return false })
	}()
	if !strings.Contains(r.msg, "a thing that never comes") {
		t.Fatalf("message %q does not say what it waited for", r.msg)
	}
}

// TestBufferConcurrentWrites: writes from other goroutines all arrive and
// can be read while they go on (the race detector checks the locking).
func TestBufferConcurrentWrites(t *testing.T) {
	var b Buffer
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				if _, err := b.Write([]byte("x")); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	Until(t, 5*time.Second, "800 bytes written", func() bool { return len(b.String()) == 800 })
	wg.Wait()
}
