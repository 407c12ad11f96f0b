//go:build !linux

package writeback

import "os"

// File is writeback_linux.go's start of the disk's writing of a growing
// file; elsewhere the caller's fsync writes it all.
func File(f *os.File) (stop func()) { return func() {} }

// Path is File for a file written through another's descriptor.
func Path(path string) (stop func()) { return func() {} }

// Held reports no descriptor: only Linux lists them (/proc/self/fd).
func Held(path string) (fd int, ok bool) { return 0, false }
