//go:build linux && cgo

package player

/*
#include <malloc.h>
*/
import "C"

// trimCHeap returns every whole free page in glibc's arenas to the
// system, not only those at each arena's top.
func trimCHeap() { C.malloc_trim(0) }
