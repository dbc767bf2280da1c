package ui

import (
	"context"
	"image"
	"time"
)

// thumbWidth is the hover thumbnail's width in pixels.
const thumbWidth = 192

// thumbKey names a cached thumbnail: a camera and a bucket of time.
type thumbKey struct {
	camera string
	bucket int64 // unix seconds, truncated to the bucket
}

// thumbBucket is how much time one thumbnail stands for at a view of
// span: about a minute on a wide view, down to 2 s zoomed right in, so
// moving the pointer a few pixels asks for nothing new.
func thumbBucket(span time.Duration) time.Duration {
	b := span / 200
	return min(time.Minute, max(2*time.Second, b.Truncate(time.Second)))
}

// thumbCacheSize is how many thumbnails stay in memory (about 192×108×4
// bytes each: some 20 MB at most). Thumbnails are never written to disk.
const thumbCacheSize = 256

// thumbnails fetches hover thumbnails through runAsync, one at a time:
// while one is being decoded only the newest wish waits, and the answers
// are kept in memory by (camera, bucket). UI goroutine only.
type thumbnails struct {
	svc    PlaybackService
	cache  map[thumbKey]image.Image
	order  []thumbKey // oldest first, for eviction
	busy   bool
	want   *thumbWish
	failed map[thumbKey]bool
	// show receives a thumbnail for the wish that is still current.
	show func(img image.Image, at time.Time)
	cur  thumbKey
}

type thumbWish struct {
	key thumbKey
	at  time.Time
}

func newThumbnails(svc PlaybackService, show func(image.Image, time.Time)) *thumbnails {
	return &thumbnails{svc: svc, cache: map[thumbKey]image.Image{}, failed: map[thumbKey]bool{}, show: show}
}

// request asks for the thumbnail of camera at at (at a view of span).
func (th *thumbnails) request(camera string, at time.Time, span time.Duration) {
	b := thumbBucket(span)
	key := thumbKey{camera, at.Truncate(b).Unix()}
	th.cur = key
	if img, ok := th.cache[key]; ok {
		th.show(img, at)
		return
	}
	if th.failed[key] {
		th.show(nil, at)
		return
	}
	th.want = &thumbWish{key, at.Truncate(b).Add(b / 2)}
	th.next()
}

// cancel forgets the wish: the pointer left the lanes.
func (th *thumbnails) cancel() {
	th.want, th.cur = nil, thumbKey{}
}

func (th *thumbnails) next() {
	if th.busy || th.want == nil {
		return
	}
	w := *th.want
	th.want = nil
	th.busy = true
	runAsync(5*time.Second, func(ctx context.Context) (image.Image, error) {
		return th.svc.Thumbnail(ctx, w.key.camera, w.at, thumbWidth)
	}, func(img image.Image, err error) {
		th.busy = false
		if err != nil || img == nil {
			if len(th.failed) > thumbCacheSize {
				clear(th.failed)
			}
			th.failed[w.key] = true
		} else {
			th.put(w.key, img)
		}
		if th.cur == w.key {
			th.show(img, w.at)
		}
		th.next()
	})
}

func (th *thumbnails) put(k thumbKey, img image.Image) {
	if _, ok := th.cache[k]; !ok {
		th.order = append(th.order, k)
	}
	th.cache[k] = img
	for len(th.order) > thumbCacheSize {
		delete(th.cache, th.order[0])
		th.order = th.order[1:]
	}
}
