//go:build !unix

package store

import "os"

// writable reports whether the store file at path can be opened for writing.
func writable(path string) bool {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return false
	}
	f.Close()
	return true
}
