package writeback

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestFileIsWrittenOutAsItGrows: while a file grows past Margin, the disk
// is asked, through its descriptor, to write all of it but the last
// Margin — never more, never once stopped; stop returns promptly; Held
// finds the descriptor by the file's name.
func TestFileIsWrittenOutAsItGrows(t *testing.T) {
	type call struct {
		fd        int
		off, n    int64
		after     bool // made after stop returned
		sizeAfter int64
	}
	var (
		mu      sync.Mutex
		calls   []call
		stopped bool
	)
	path := filepath.Join(t.TempDir(), "f")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	realSyncRange := syncRange
	syncRange = func(fd int, off, n int64, flags int) error {
		st, _ := f.Stat()
		mu.Lock()
		calls = append(calls, call{fd, off, n, stopped, st.Size()})
		mu.Unlock()
		return nil
	}
	defer func() { syncRange = realSyncRange }()
	if fd, ok := Held(path); !ok || fd != int(f.Fd()) {
		t.Fatalf("Held: %d %v, want %d", fd, ok, f.Fd())
	}
	stop := File(f)
	chunk := []byte(strings.Repeat("quy hoạch ", 1<<15)) // 384 KiB
	for range 8 {
		if _, err := f.Write(chunk); err != nil {
			t.Fatal(err)
		}
		time.Sleep(Every)
	}
	start := time.Now()
	stop()
	mu.Lock()
	stopped = true
	mu.Unlock()
	if d := time.Since(start); d > time.Second {
		t.Errorf("stop took %v", d)
	}
	time.Sleep(2 * Every)
	mu.Lock()
	defer mu.Unlock()
	if len(calls) < 2 {
		t.Fatalf("%d requests to write a file grown to %d bytes over %v", len(calls), 8*len(chunk), 8*Every)
	}
	for _, c := range calls {
		if c.fd != int(f.Fd()) || c.off != 0 || c.n <= 0 || c.n+Margin > c.sizeAfter || c.after {
			t.Errorf("request %+v (Margin %d)", c, Margin)
		}
	}
	if last := calls[len(calls)-1]; last.n+Margin < int64(3*len(chunk)) {
		t.Errorf("the last request covers %d bytes of %d", last.n, 8*len(chunk))
	}
}
