//go:build linux && cgo

package player

/*
#include <malloc.h>
#include <stdlib.h>

// limit_arenas runs when the program loads, before any thread exists:
// glibc fixes its arena limit when a thread first needs an arena, so a
// cap set later, from Go, came too late to stop five arenas forming.
__attribute__((constructor)) static void limit_arenas(void) {
#ifdef M_ARENA_MAX
	if (getenv("MALLOC_ARENA_MAX") == NULL) {
		mallopt(M_ARENA_MAX, 2);
	}
#endif
}
*/
import "C"

// glibc's malloc arenas are capped at two (by limit_arenas above). Each
// libmpv instance runs several threads, and glibc gives threads up to
// eight arenas per core, each keeping freed memory of its own: on a
// 16-tile wall that was about 70 MB of resident memory for nothing.
// MALLOC_ARENA_MAX, when set, wins.
