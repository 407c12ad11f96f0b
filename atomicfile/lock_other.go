//go:build !unix

package atomicfile

import "os"

// renameOpen is false where an open file cannot be renamed.
const renameOpen = false

// Without file locks a leftover is told by its age alone (staleAfter).
func lock(*os.File) {}

func held(string) bool { return true }
