//go:build !linux || !cgo

package player

// trimCHeap is nil where the C allocator is not glibc's, whose free pages
// stay resident.
var trimCHeap func()
