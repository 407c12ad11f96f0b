package writeback

import "golang.org/x/sys/unix"

var realSyncRange = unix.SyncFileRange
