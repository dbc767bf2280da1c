package logging

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"nightjar/internal/redact"
)

// RotatingFile is an io.Writer that appends to a log file and, when the file
// would grow past MaxBytes, renames it to name.1 (shifting older ones up to
// name.Keep) and starts a new one. It is safe for concurrent use.
type RotatingFile struct {
	// Path is the log file. Its directory must exist.
	Path string
	// MaxBytes is the size at which the file rotates. It defaults to 10 MiB.
	MaxBytes int64
	// Keep is how many rotated files are kept. It defaults to 5.
	Keep int

	mu   sync.Mutex
	f    *os.File
	size int64
}

// OpenRotating opens (or creates) the log file at path.
func OpenRotating(path string) (*RotatingFile, error) {
	r := &RotatingFile{Path: path}
	if err := r.open(); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *RotatingFile) open() error {
	f, err := os.OpenFile(r.Path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("open log file: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("stat log file: %w", err)
	}
	r.f, r.size = f, st.Size()
	return nil
}

func (r *RotatingFile) maxBytes() int64 {
	if r.MaxBytes <= 0 {
		return 10 << 20
	}
	return r.MaxBytes
}

func (r *RotatingFile) keep() int {
	if r.Keep <= 0 {
		return 5
	}
	return r.Keep
}

// Write appends p, rotating first when p would push the file past MaxBytes.
func (r *RotatingFile) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.f == nil {
		return 0, os.ErrClosed
	}
	if r.size > 0 && r.size+int64(len(p)) > r.maxBytes() {
		if err := r.rotate(); err != nil {
			return 0, err
		}
	}
	n, err := r.f.Write(p)
	r.size += int64(n)
	return n, err
}

func (r *RotatingFile) rotate() error {
	if err := r.f.Close(); err != nil {
		return fmt.Errorf("close log file: %w", err)
	}
	r.f = nil
	for i := r.keep() - 1; i >= 1; i-- {
		_ = os.Rename(fmt.Sprintf("%s.%d", r.Path, i), fmt.Sprintf("%s.%d", r.Path, i+1))
	}
	if err := os.Rename(r.Path, r.Path+".1"); err != nil {
		return fmt.Errorf("rotate log file: %w", err)
	}
	return r.open()
}

// Close closes the file. Later writes fail with os.ErrClosed.
func (r *RotatingFile) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.f == nil {
		return nil
	}
	err := r.f.Close()
	r.f = nil
	return err
}

// ParseLevel turns "debug", "info", "warn" or "error" into a slog level.
func ParseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.ToUpper(s))); err != nil {
		return 0, fmt.Errorf("unknown log level %q (use debug, info, warn or error)", s)
	}
	return l, nil
}

// NewLogger returns a text logger writing to w at level. String attributes
// pass through redact.RedactURL, so a URL logged by mistake loses its password.
func NewLogger(w io.Writer, level slog.Level) *slog.Logger {
	h := slog.NewTextHandler(w, &slog.HandlerOptions{
		Level: level,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Value.Kind() == slog.KindString {
				a.Value = slog.StringValue(redact.RedactURL(a.Value.String()))
			}
			return a
		},
	})
	return slog.New(h)
}

// Dir returns the directory for log files under dataDir, creating it.
func Dir(dataDir string) (string, error) {
	d := filepath.Join(dataDir, "logs")
	if err := os.MkdirAll(d, 0o700); err != nil {
		return "", fmt.Errorf("create log directory: %w", err)
	}
	return d, nil
}
