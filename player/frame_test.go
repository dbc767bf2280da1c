package player

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestFrameExactAndGap decodes frames at times in both pieces of a run,
// at full resolution, and reads their numbers off the picture; a time
// after the run is ErrNoFootage.
func TestFrameExactAndGap(t *testing.T) {
	fs := newFootageServer(t)
	pieces := []Piece{fs.piece(t, 0, pieceFrames), fs.piece(t, pieceFrames, pieceFrames)}
	for _, want := range []int{37, 262, 499} {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		img, err := Frame(ctx, pieces, wallOfFrame(want).Add(30*time.Millisecond), nil)
		cancel()
		if err != nil {
			t.Fatalf("frame %d: %v", want, err)
		}
		if b := img.Bounds(); b.Dx() != testWidth || b.Dy() != testHeight {
			t.Fatalf("frame %d is %v, want %dx%d", want, b, testWidth, testHeight)
		}
		if got, ok := readCode(img); !ok || got != want {
			t.Errorf("Frame at frame %d's time shows %d (readable %v)", want, got, ok)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := Frame(ctx, pieces, pieces[1].End().Add(time.Second), nil); !errors.Is(err, ErrNoFootage) {
		t.Fatalf("frame in a gap: %v, want ErrNoFootage", err)
	}
	if _, err := Frame(ctx, pieces, pieces[0].Start.Add(-time.Millisecond), nil); !errors.Is(err, ErrNoFootage) {
		t.Fatalf("frame before the footage: %v, want ErrNoFootage", err)
	}
}

// TestThumbnailKeyframe: a thumbnail is the requested width, keeps the
// aspect, and shows the keyframe at or after the time, or past the
// piece's last keyframe that one (test footage has a keyframe every testGOP frames).
func TestThumbnailKeyframe(t *testing.T) {
	fs := newFootageServer(t)
	piece := fs.piece(t, pieceFrames, pieceFrames)
	for _, at := range []int{pieceFrames + 10, pieceFrames + 130, pieceFrames + 200, pieceFrames + 249} {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		img, err := Thumbnail(ctx, piece, wallOfFrame(at), 320, nil)
		cancel()
		if err != nil {
			t.Fatalf("thumbnail at frame %d: %v", at, err)
		}
		if b := img.Bounds(); b.Dx() != 320 || b.Dy() != 180 {
			t.Fatalf("thumbnail is %v, want 320x180", b)
		}
		// The keyframe after, or past the last one that one.
		want := at + (testGOP-at%testGOP)%testGOP
		if want >= pieceFrames*2 {
			want = at - at%testGOP
		}
		if got, ok := readCode(img); !ok || got != want {
			t.Errorf("thumbnail at frame %d shows %d (readable %v), want keyframe %d", at, got, ok, want)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := Thumbnail(ctx, piece, piece.End(), 160, nil); !errors.Is(err, ErrNoFootage) {
		t.Fatalf("thumbnail past the piece: %v, want ErrNoFootage", err)
	}
}
