//go:build linux && cgo

package player

/*
#include <malloc.h>

static void limit_arenas(int n) {
#ifdef M_ARENA_MAX
	mallopt(M_ARENA_MAX, n);
#endif
}
*/
import "C"

import "os"

// init caps glibc's malloc arenas at two. Each libmpv instance runs
// several threads, and glibc gives threads up to eight arenas per core,
// each keeping freed memory of its own: on a 16-tile wall that was about
// 60 MB of resident memory for nothing. MALLOC_ARENA_MAX, when set, wins.
func init() {
	if os.Getenv("MALLOC_ARENA_MAX") == "" {
		C.limit_arenas(2)
	}
}
