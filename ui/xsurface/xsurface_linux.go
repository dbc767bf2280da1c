//go:build linux && cgo && !wayland

package xsurface

/*
#cgo LDFLAGS: -lX11 -lXext
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XShm.h>

// The last X error on each of our connections, by display. Xlib's
// default handler exits the process; a closed parent window must not do
// that. Errors on connections that are not ours (GLFW's) are dropped.
// The handler runs on whichever thread made the failing call, so the
// slots are read and written under xs_errors_mu; nothing calls Xlib while
// holding it.
#define XS_SLOTS 32
static struct { Display *d; int err; } xs_errors[XS_SLOTS];
static pthread_mutex_t xs_errors_mu = PTHREAD_MUTEX_INITIALIZER;

static int xs_on_error(Display *d, XErrorEvent *e) {
	pthread_mutex_lock(&xs_errors_mu);
	for (int i = 0; i < XS_SLOTS; i++)
		if (xs_errors[i].d == d) { xs_errors[i].err = e->error_code; break; }
	pthread_mutex_unlock(&xs_errors_mu);
	return 0;
}

static void xs_install_handler(void) { XSetErrorHandler(xs_on_error); }

static void xs_track(Display *d, int on) {
	pthread_mutex_lock(&xs_errors_mu);
	for (int i = 0; i < XS_SLOTS; i++) {
		if (on && !xs_errors[i].d) { xs_errors[i].d = d; xs_errors[i].err = 0; break; }
		if (!on && xs_errors[i].d == d) { xs_errors[i].d = NULL; break; }
	}
	pthread_mutex_unlock(&xs_errors_mu);
}

static int xs_take_error(Display *d) {
	XSync(d, False);
	int e = 0;
	pthread_mutex_lock(&xs_errors_mu);
	for (int i = 0; i < XS_SLOTS; i++) {
		if (xs_errors[i].d == d) {
			e = xs_errors[i].err;
			xs_errors[i].err = 0;
			break;
		}
	}
	pthread_mutex_unlock(&xs_errors_mu);
	return e;
}

typedef struct {
	Display *d;
	Window win;
	GC gc;
	Visual *visual;
	int depth;
	XImage *img;
	XShmSegmentInfo shm;
} xs_surface;

static int xs_open(xs_surface *s, unsigned long parent) {
	memset(s, 0, sizeof *s);
	s->shm.shmid = -1;
	s->d = XOpenDisplay(NULL);
	if (!s->d) return 1;
	xs_track(s->d, 1);
	if (!XShmQueryExtension(s->d)) return 2;
	XWindowAttributes pa;
	if (!XGetWindowAttributes(s->d, (Window)parent, &pa)) return 3;
	s->visual = pa.visual;
	s->depth = pa.depth;
	if (s->depth != 24 && s->depth != 32) return 4;
	if (s->visual->red_mask != 0xff0000 || s->visual->green_mask != 0xff00 || s->visual->blue_mask != 0xff) return 4;
	XSetWindowAttributes a;
	memset(&a, 0, sizeof a);
	a.background_pixmap = None; // keep what is there until the first put
	a.border_pixel = 0;
	a.colormap = pa.colormap;
	a.event_mask = ExposureMask; // no input: it goes to the parent
	s->win = XCreateWindow(s->d, (Window)parent, 0, 0, 1, 1, 0, s->depth, InputOutput, s->visual,
		CWBackPixmap | CWBorderPixel | CWColormap | CWEventMask, &a);
	s->gc = XCreateGC(s->d, s->win, 0, NULL);
	return xs_take_error(s->d) ? 5 : 0;
}

static void xs_free_image(xs_surface *s) {
	if (!s->img) return;
	XShmDetach(s->d, &s->shm);
	XSync(s->d, False);
	s->img->data = NULL;
	XDestroyImage(s->img);
	shmdt(s->shm.shmaddr);
	s->img = NULL;
	s->shm.shmid = -1;
}

// xs_resize makes a w×h shared image. The segment is marked for removal at
// once, so it goes away with the process whatever happens.
static int xs_resize(xs_surface *s, int w, int h) {
	xs_free_image(s);
	s->img = XShmCreateImage(s->d, s->visual, s->depth, ZPixmap, NULL, &s->shm, w, h);
	if (!s->img) return 1;
	if (s->img->bits_per_pixel != 32) { XDestroyImage(s->img); s->img = NULL; return 2; }
	s->shm.shmid = shmget(IPC_PRIVATE, (size_t)s->img->bytes_per_line * h, IPC_CREAT | 0600);
	if (s->shm.shmid < 0) { XDestroyImage(s->img); s->img = NULL; return 3; }
	s->shm.shmaddr = s->img->data = shmat(s->shm.shmid, NULL, 0);
	s->shm.readOnly = True;
	if (s->shm.shmaddr == (char *)-1) {
		shmctl(s->shm.shmid, IPC_RMID, NULL);
		s->img->data = NULL; XDestroyImage(s->img); s->img = NULL;
		return 4;
	}
	XShmAttach(s->d, &s->shm);
	int err = xs_take_error(s->d);
	shmctl(s->shm.shmid, IPC_RMID, NULL);
	if (err) {
		shmdt(s->shm.shmaddr);
		s->img->data = NULL; XDestroyImage(s->img); s->img = NULL;
		return 5;
	}
	return 0;
}

static int xs_place(xs_surface *s, int x, int y, int w, int h) {
	XMoveResizeWindow(s->d, s->win, x, y, w, h);
	XMapRaised(s->d, s->win);
	return xs_take_error(s->d);
}

static int xs_hide(xs_surface *s) {
	XUnmapWindow(s->d, s->win);
	return xs_take_error(s->d);
}

// xs_exposed drains Expose events and reports whether there were any.
static int xs_exposed(xs_surface *s) {
	XEvent ev;
	int n = 0;
	while (XCheckWindowEvent(s->d, s->win, ExposureMask, &ev)) n++;
	return n;
}

// xs_put sends one rectangle; xs_sync waits until the server has read
// every put, so the caller may draw into the image again.
static void xs_put(xs_surface *s, int x, int y, int w, int h) {
	XShmPutImage(s->d, s->win, s->gc, s->img, x, y, x, y, w, h, False);
}

static int xs_sync(xs_surface *s) { return xs_take_error(s->d); }

static void xs_close(xs_surface *s) {
	if (!s->d) return;
	xs_free_image(s);
	if (s->gc) XFreeGC(s->d, s->gc);
	if (s->win) XDestroyWindow(s->d, s->win);
	XSync(s->d, False);
	xs_track(s->d, 0);
	XCloseDisplay(s->d);
	s->d = NULL;
}

static unsigned long xs_root(void) {
	Display *d = XOpenDisplay(NULL);
	if (!d) return 0;
	unsigned long r = DefaultRootWindow(d);
	XCloseDisplay(d);
	return r;
}

static char *xs_data(xs_surface *s) { return s->img ? s->img->data : NULL; }
static int xs_stride(xs_surface *s) { return s->img ? s->img->bytes_per_line : 0; }
*/
import "C"

import (
	"errors"
	"fmt"
	"image"
	"sync"
	"unsafe"
)

var installHandler sync.Once

// Surface is a child window showing a shared-memory image. Its methods
// must not be called concurrently.
type Surface struct {
	s      *C.xs_surface
	img    *image.RGBA
	shown  image.Rectangle
	mapped bool
}

// New makes a hidden child window of the X11 window parent. It fails
// without an X display, without MIT-SHM or on a visual other than 24-bit
// true colour.
func New(parent uintptr) (*Surface, error) {
	if parent == 0 {
		return nil, errors.New("no parent window")
	}
	installHandler.Do(func() { C.xs_install_handler() })
	s := (*C.xs_surface)(C.calloc(1, C.sizeof_xs_surface))
	if rc := C.xs_open(s, C.ulong(parent)); rc != 0 {
		C.xs_close(s)
		C.free(unsafe.Pointer(s))
		return nil, fmt.Errorf("x11 surface: %s", [...]string{"", "cannot open the display", "no MIT-SHM", "parent window not found", "unsupported visual", "cannot create the window"}[rc])
	}
	return &Surface{s: s}, nil
}

// Show places the window at r, in the parent's pixels, maps it and returns
// its image: B, G, R, X bytes per pixel, sized to r, in shared memory. The
// image stays valid until a Show with another size, or Close; its pixels
// are kept when only the position changes.
func (s *Surface) Show(r image.Rectangle) (*image.RGBA, error) {
	if r.Empty() {
		return nil, errors.New("x11 surface: empty rectangle")
	}
	if s.img == nil || s.img.Rect.Size() != r.Size() {
		s.img = nil
		if rc := C.xs_resize(s.s, C.int(r.Dx()), C.int(r.Dy())); rc != 0 {
			return nil, fmt.Errorf("x11 surface: shared image %dx%d failed (%d)", r.Dx(), r.Dy(), rc)
		}
		n := int(C.xs_stride(s.s)) * r.Dy()
		pix := unsafe.Slice((*byte)(unsafe.Pointer(C.xs_data(s.s))), n)
		s.img = &image.RGBA{Pix: pix, Stride: int(C.xs_stride(s.s)), Rect: image.Rect(0, 0, r.Dx(), r.Dy())}
	}
	if r != s.shown || !s.mapped {
		if rc := C.xs_place(s.s, C.int(r.Min.X), C.int(r.Min.Y), C.int(r.Dx()), C.int(r.Dy())); rc != 0 {
			return nil, fmt.Errorf("x11 surface: place window: X error %d", rc)
		}
		s.shown, s.mapped = r, true
	}
	return s.img, nil
}

// Hide unmaps the window; the parent shows through again.
func (s *Surface) Hide() {
	if s.mapped {
		C.xs_hide(s.s)
		s.mapped = false
	}
}

// Shown reports whether the window is mapped.
func (s *Surface) Shown() bool { return s.mapped }

// Exposed reports whether the X server lost some of the window's pixels
// (it was covered or just mapped) since the last call: put everything.
func (s *Surface) Exposed() bool { return C.xs_exposed(s.s) > 0 }

// Put shows the given parts of the image and returns once the X server
// has read them, so the image may be drawn into again.
func (s *Surface) Put(rects ...image.Rectangle) error {
	if s.img == nil || !s.mapped {
		return nil
	}
	for _, r := range rects {
		r = r.Intersect(s.img.Rect)
		if r.Empty() {
			continue
		}
		C.xs_put(s.s, C.int(r.Min.X), C.int(r.Min.Y), C.int(r.Dx()), C.int(r.Dy()))
	}
	if rc := C.xs_sync(s.s); rc != 0 {
		return fmt.Errorf("x11 surface: put image: X error %d", rc)
	}
	return nil
}

// rootWindow is the display's root window, or 0 without a display.
func rootWindow() uintptr { return uintptr(C.xs_root()) }

// Close destroys the window and frees the image. The Surface must not be
// used afterwards.
func (s *Surface) Close() {
	if s.s == nil {
		return
	}
	C.xs_close(s.s)
	C.free(unsafe.Pointer(s.s))
	s.s, s.img = nil, nil
}
