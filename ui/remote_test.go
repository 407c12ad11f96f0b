package ui

import (
	"context"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"quyhoach/gis"
	"quyhoach/office"
	"quyhoach/office/pgtest"
	"quyhoach/plan"
	"quyhoach/store"
)

// sampleOffice is an office store (a fresh database of the throw-away
// cluster) loaded from a store with the sample plans; its address.
func sampleOffice(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	addr := pgtest.DB(t)
	if err := office.Init(ctx, addr); err != nil {
		t.Fatal(err)
	}
	o, err := office.Open(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	if err := o.Load(ctx, sampleStore(t), nil); err != nil {
		t.Fatal(err)
	}
	return addr
}

// cloneOffice makes a replica of the office at addr and opens it.
func cloneOffice(t *testing.T, addr string, opt store.Options) *store.Store {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "laptop.db")
	if _, err := plan.Clone(ctx, addr, path, nil); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, path, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// draftOn makes a draft dossier on huu-nghi changing its first lot's
// storeys; its number.
func draftOn(t *testing.T, s *store.Store, title string) int64 {
	t.Helper()
	ctx := context.Background()
	snap, err := s.Load(ctx, "huu-nghi", 0, store.DefaultLayer)
	if err != nil {
		t.Fatal(err)
	}
	lot := snap.Layer(store.DefaultLayer).Features[0]
	lot.Properties["tangCaoMax"] = float64(7)
	id, err := s.CreateDossier(ctx, store.NewDossier{Plan: "huu-nghi", Kind: store.Local, Title: title})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(ctx, store.ApplyRequest{Dossier: id, Features: []gis.Feature{lot}}); err != nil {
		t.Fatal(err)
	}
	return id
}

// byTitle is the number of the dossier titled title in s.
func byTitle(t *testing.T, s *store.Store, title string) int64 {
	t.Helper()
	ds, err := s.Dossiers(context.Background(), store.DossierFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.Title == title {
			return d.ID
		}
	}
	t.Fatalf("no dossier %q", title)
	return 0
}

// officeTitles are the titles of the dossiers the office holds.
func officeTitles(t *testing.T, addr string) []string {
	t.Helper()
	o, err := office.Open(context.Background(), addr)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	ds, err := o.Dossiers(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range ds {
		out = append(out, d.Bundle.Title)
	}
	return out
}

// segment is the status bar's office segment, "" when hidden.
func segment(w *Window) string {
	if !w.Status.Remote.Visible() {
		return ""
	}
	return w.Status.Remote.Text()
}

// TestOfficeInTheWindow: a clone's window shows the office's state in the
// status bar; a draft written makes it "1 to push", Push from the menu
// sends it (the office holds it, the list says its number there); a step
// pushed by another replica shows as "to pull" and Pull lists it; a push
// of a dossier both changed is refused with what to do, and the pull it
// offers leaves that dossier as it is here, saying so.
func TestOfficeInTheWindow(t *testing.T) {
	SetLanguage("vi")
	t.Setenv("HOME", t.TempDir())
	ctx := context.Background()
	addr := sampleOffice(t)
	a := cloneOffice(t, addr, store.Options{})
	b := cloneOffice(t, addr, store.Options{})

	w := newWindow(t, a)
	w.updateMenu()
	pull, push, off := menuItem(t, w, "dossier.pull"), menuItem(t, w, "dossier.push"), menuItem(t, w, "dossier.office")
	if pull.Label != "Kéo về từ văn phòng" || push.Label != "Đẩy lên văn phòng" || off.Label != "Văn phòng…" {
		t.Fatalf("labels %q %q %q", pull.Label, push.Label, off.Label)
	}
	if pull.Disabled || push.Disabled || off.Disabled {
		t.Fatal("the office's items are greyed on a clone")
	}
	if got := segment(w); got != "Văn phòng: đã cập nhật" {
		t.Fatalf("a fresh clone's status: %q", got)
	}

	// a draft written in the window's way: the state follows
	var id int64
	w.dossiers.steps.Run("draft", func(context.Context) (func(), error) {
		id = draftOn(t, a, "Điều chỉnh tầng cao lô đầu")
		return nil, nil
	})
	if got := segment(w); got != "Văn phòng: 1 thay đổi chờ đẩy" {
		t.Fatalf("after a draft: %q", got)
	}
	push.Action()
	if !slices.Contains(officeTitles(t, addr), "Điều chỉnh tầng cao lô đầu") {
		t.Fatal("the office lacks the dossier pushed")
	}
	res := w.Office.Result
	if res == nil || len(res.Rows) != 1 || !strings.HasPrefix(res.Texts()[0], "Đã gửi: hồ sơ 4 (huu-nghi, dự thảo) → số ") ||
		!strings.HasSuffix(res.Texts()[0], " ở văn phòng") {
		t.Fatalf("what the push sent: %v", res)
	}
	if texts := topDialogTexts(w.Window); !slices.Contains(texts, "Những gì đã đẩy lên") {
		t.Fatalf("the push's list shows %q", texts)
	}
	res.Close()
	pump(t, "progress told", func() bool { return true })
	if got := segment(w); got != "Văn phòng: đã cập nhật" {
		t.Fatalf("after the push: %q", got)
	}

	// the reviewer, on another replica, submits it and pushes
	if _, err := plan.Pull(ctx, b, nil); err != nil {
		t.Fatal(err)
	}
	onB := byTitle(t, b, "Điều chỉnh tầng cao lô đầu")
	if _, err := b.Advance(ctx, onB, store.Step{Action: "submit", DocNo: "12/TTr-BQL", DocDate: "2026-11-25", AckWarnings: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := plan.Push(ctx, b, nil); err != nil {
		t.Fatal(err)
	}
	w.Office.Refresh()
	if got := segment(w); got != "Văn phòng: 1 chờ kéo về" {
		t.Fatalf("after the other's push: %q", got)
	}
	w.ShowDashboard()
	pull.Action()
	res = w.Office.Result
	if res == nil || !slices.Contains(res.Texts(), "Hồ sơ 4: thêm 1 bước và 0 tài liệu mới; hồ sơ hiện ở trạng thái đã trình.") {
		t.Fatalf("what the pull brought: %v", res)
	}
	if res.Rows[0].Dossier != id {
		t.Errorf("the row opens dossier %d, want %d", res.Rows[0].Dossier, id)
	}
	if d, err := a.Dossier(ctx, id); err != nil || d.State != store.Submitted {
		t.Fatalf("after the pull: %+v %v", d, err)
	}
	found := false
	for _, r := range w.Dashboard.rows {
		found = found || r.ID == id && r.State == store.Submitted
	}
	if !found {
		t.Error("the dashboard was not read again after the pull")
	}
	res.Close()
	if got := segment(w); got != "Văn phòng: đã cập nhật" {
		t.Fatalf("after the pull: %q", got)
	}

	// both add a document to it; B pushes first: A's push is refused
	if _, err := b.Attach(ctx, onB, "to_trinh", "y-kien-b.pdf", []byte("%PDF ý kiến B")); err != nil {
		t.Fatal(err)
	}
	if _, err := plan.Push(ctx, b, nil); err != nil {
		t.Fatal(err)
	}
	w.dossiers.steps.Run("attach", func(ctx context.Context) (func(), error) {
		_, err := a.Attach(ctx, id, "to_trinh", "y-kien-a.pdf", []byte("%PDF ý kiến A"))
		return nil, err
	})
	if got := segment(w); got != "Văn phòng: 1 chờ đẩy · 1 chờ kéo về" {
		t.Fatalf("changed on both sides: %q", got)
	}
	before := len(officeTitles(t, addr))
	push.Action()
	if r := w.Office.Refusal; !strings.HasPrefix(r, "Hồ sơ 4 (Điều chỉnh tầng cao lô đầu; số ") ||
		!strings.HasSuffix(r, "sau lần kéo về trước của bạn. Chưa gửi gì: hãy kéo về, rồi đẩy lên lại.") {
		t.Fatalf("the refusal: %q", r)
	}
	if texts := topDialogTexts(w.Window); !slices.Contains(texts, "Chưa đẩy lên") || !slices.Contains(texts, "Kéo về ngay") {
		t.Fatalf("the refusal's dialog shows %q", texts)
	}
	if !strings.HasPrefix(w.Status.Text.Text, "Chưa đẩy lên: Hồ sơ ") {
		t.Errorf("status after the refusal: %q", w.Status.Text.Text)
	}
	if len(officeTitles(t, addr)) != before {
		t.Fatal("a refused push changed the office")
	}
	tapButton(t, w.Window, "Kéo về ngay")
	res = w.Office.Result
	if res == nil || len(res.Rows) == 0 || !strings.HasPrefix(res.Rows[0].Text, "Hồ sơ 4 được giữ nguyên như ở máy này: hồ sơ đã thay đổi cả ở đây và ở văn phòng kể từ lần kéo về trước.\n") {
		t.Fatalf("the pull after the refusal: %v", res)
	}
	if res.Rows[0].Title != "Điều chỉnh tầng cao lô đầu" || res.Rows[0].Dossier != id {
		t.Errorf("the row of the dossier left as it is: %+v", res.Rows[0])
	}
	replay := res.Rows[0].Do // both recorded a document: A's may go after B's
	if replay == nil || res.Rows[0].Act != "Ghi lại của tôi sau của văn phòng" {
		t.Fatalf("no way to record A's document again after the office's: %+v", res.Rows[0])
	}
	res.Close()

	// while a pull runs, the segment tells its steps
	w.Office.busy = "pull"
	w.Office.told("pull", "versions", 2, 4)
	if got := segment(w); got != "Văn phòng: đang kéo về…" {
		t.Errorf("the segment during a pull: %q", got)
	}
	if got := w.Status.Text.Text; got != "Đang kéo về từ văn phòng: đọc các phiên bản (2/4)…" {
		t.Errorf("a pull's step: %q", got)
	}
	d := w.ShowOffice()
	if d.Step.Text != "Đang kéo về từ văn phòng: đọc các phiên bản (2/4)…" || !d.progress.Visible() || !d.Pull.Disabled() {
		t.Errorf("the dialog during a pull: %q, progress shown %v", d.Step.Text, d.progress.Visible())
	}
	w.Office.workDone("pull", nil)
	w.Office.told("pull", "write", 0, 0) // late: dropped
	// the dossier left as it is stays to push and to pull till it is settled
	if got := segment(w); got != "Văn phòng: 1 chờ đẩy · 1 chờ kéo về" || d.progress.Visible() || d.Pull.Disabled() {
		t.Errorf("after the pull: %q, progress shown %v", got, d.progress.Visible())
	}
	d.Close()

	// settled: A's document recorded again after B's, then pushed
	replay()
	res = w.Office.Result
	want := "1 bước hoặc tài liệu của bạn đã được ghi lại sau của văn phòng: Đẩy lên để gửi chúng"
	if res == nil || len(res.Rows) == 0 || !strings.Contains(res.Rows[0].Text, want) {
		t.Fatalf("the replayed pull lists %v", res)
	}
	res.Close()
	push.Action()
	if w.Office.Refusal != "" {
		t.Fatalf("the push after the replay was refused: %q", w.Office.Refusal)
	}
	if got := segment(w); got != "Văn phòng: đã cập nhật" {
		t.Errorf("after the replay and its push: %q", got)
	}
	if v, err := a.Verify(ctx, store.VerifyOptions{}); err != nil || len(v.Findings) > 0 {
		t.Errorf("verify after the replay: %v %+v", err, v.Findings)
	}
}

// TestOfficeOfflineAndDialog: an office out of reach is "offline", with
// the changes still to push; the Office dialog says why, and Pull there
// says it could not connect without losing anything.
func TestOfficeOfflineAndDialog(t *testing.T) {
	SetLanguage("vi")
	t.Setenv("HOME", t.TempDir())
	ctx := context.Background()
	addr := sampleOffice(t)
	a := cloneOffice(t, addr, store.Options{})
	r, _, err := a.Remote(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r.URL = "postgres://canbo@127.0.0.1:1/quyhoach?connect_timeout=2"
	if err := a.SetRemote(ctx, r); err != nil {
		t.Fatal(err)
	}
	draftOn(t, a, "Điều chỉnh ngoại tuyến")
	start := time.Now()
	w := newWindow(t, a)
	if got := segment(w); got != "Văn phòng: ngoại tuyến · 1 chờ đẩy" {
		t.Fatalf("offline: %q", got)
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("the state took %v", time.Since(start))
	}
	d := w.ShowOffice()
	if d == nil {
		t.Fatal("no Office dialog")
	}
	if d.Address.Text != "postgres://canbo@127.0.0.1:1/quyhoach?connect_timeout=2" || len(d.LastPull.Text) != len("2006-01-02 15:04") {
		t.Errorf("address %q, last pull %q", d.Address.Text, d.LastPull.Text)
	}
	if !strings.HasPrefix(d.State.Text, "Ngoại tuyến: không kết nối được văn phòng (office: cannot connect to ") ||
		!strings.HasSuffix(d.State.Text, "1 thay đổi chờ đẩy; công việc vẫn tiếp tục ở đây.") {
		t.Errorf("state %q", d.State.Text)
	}
	if d.Pull.Disabled() || d.Push.Disabled() {
		t.Error("Pull and Push are greyed in the dialog")
	}
	d.Push.OnTapped()
	if !strings.Contains(w.Office.Refusal, "cannot connect") {
		t.Fatalf("push to an office out of reach: %q", w.Office.Refusal)
	}
	if ds, _ := a.Pending(ctx); len(ds.Dossiers) != 1 {
		t.Fatal("a push that could not connect lost the dossier to push")
	}
}

// TestOfficeWantsPassword: a clone whose login needs a password, with
// none in the environment: the status bar's ask never prompts (nor hangs
// on a terminal); it says a password is needed, and how it is given.
func TestOfficeWantsPassword(t *testing.T) {
	SetLanguage("vi")
	t.Setenv("HOME", t.TempDir())
	ctx := context.Background()
	addr := sampleOffice(t)
	o, err := office.Open(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	if err := o.AddUser(ctx, "canbo_ui", "officer", "mat-khau-ui"); err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(addr)
	u.User = url.User("canbo_ui")
	t.Setenv("PGPASSWORD", "mat-khau-ui")
	a := cloneOffice(t, u.String(), store.Options{})
	t.Setenv("PGPASSWORD", "")
	w := newWindow(t, a)
	if got := segment(w); got != "Văn phòng: cần mật khẩu" {
		t.Fatalf("a login without its password: %q (%s)", got, w.Office.state.Problem)
	}
	d := w.ShowOffice()
	if !strings.HasPrefix(d.State.Text, "Văn phòng cần mật khẩu của canbo_ui: Kéo về hoặc Đẩy lên sẽ hỏi mật khẩu") {
		t.Errorf("state %q", d.State.Text)
	}
	d.Close()
	t.Setenv("PGPASSWORD", "mat-khau-ui")
	w.Office.Refresh()
	if got := segment(w); got != "Văn phòng: đã cập nhật" {
		t.Fatalf("with the password: %q", got)
	}
}

// TestNoOfficeNoSync: a store never cloned has the office's items greyed
// and no segment in the status bar; a clone opened read-only can show its
// office but neither pull nor push.
func TestNoOfficeNoSync(t *testing.T) {
	SetLanguage("vi")
	w := newWindow(t, sampleStore(t))
	w.updateMenu()
	for _, k := range []string{"dossier.pull", "dossier.push", "dossier.office"} {
		if !menuItem(t, w, k).Disabled {
			t.Errorf("%s is not greyed on a store with no office", k)
		}
	}
	if segment(w) != "" {
		t.Errorf("status segment %q on a store with no office", segment(w))
	}
	w.Pull()
	if w.Status.Text.Text != "Tệp dữ liệu này không có văn phòng: không được sao từ văn phòng nào" {
		t.Errorf("pull without an office: %q", w.Status.Text.Text)
	}

	addr := sampleOffice(t)
	ro := cloneOffice(t, addr, store.Options{ReadOnly: true})
	w = newWindow(t, ro)
	w.updateMenu()
	if !menuItem(t, w, "dossier.pull").Disabled || !menuItem(t, w, "dossier.push").Disabled || menuItem(t, w, "dossier.office").Disabled {
		t.Error("a read-only clone: pull and push must be greyed, the office shown")
	}
	if got := segment(w); got != "Văn phòng: đã cập nhật" {
		t.Errorf("a read-only clone's status: %q", got)
	}
}

// TestOfficeSegmentCut: the status bar's segment never grows past
// segmentMax (the bar's minimum is the window's): longer words are cut
// with an ellipsis, and Text keeps them whole.
func TestOfficeSegmentCut(t *testing.T) {
	s := newOfficeSegment()
	long := strings.Repeat("Văn phòng: 1 chờ đẩy · ", 8)
	if !s.Set(long, nil) || s.Set(long, nil) {
		t.Fatal("Set reports a change only when the words change")
	}
	if s.Text() != long || !strings.HasSuffix(s.Label.Text, "…") || !strings.HasPrefix(long, strings.TrimSuffix(s.Label.Text, "…")) {
		t.Fatalf("cut %q", s.Label.Text)
	}
	if w := s.MinSize().Width; w > segmentMax+40 {
		t.Fatalf("the segment is %v wide", w)
	}
	s.Set("Văn phòng: đã cập nhật", nil)
	if s.Label.Text != "Văn phòng: đã cập nhật" {
		t.Fatalf("short words cut: %q", s.Label.Text)
	}
}

// TestPasswordDialogHoldsNothingTheUINeeds: while the password dialog of a
// pull waits, forgetting the password (a refusal's, on the UI goroutine)
// does not wait for it; the password typed is then given and kept.
func TestPasswordDialogHoldsNothingTheUINeeds(t *testing.T) {
	w := newWindow(t, sampleStore(t))
	w.opts.Sync = false // a dialog, not the tests' refusal
	o := &officeSync{w: w}
	o.asked.Store(true)
	got := make(chan string, 1)
	go func() {
		pw, _ := o.askPassword("canbo", "office.example")
		got <- pw
	}()
	pump(t, "the password dialog", func() bool { return slices.Contains(topDialogTexts(w.Window), tr("Connect")) })
	forgot := make(chan struct{})
	go func() {
		o.forgetPassword()
		close(forgot)
	}()
	select {
	case <-forgot:
	case <-time.After(5 * time.Second):
		t.Fatal("forgetting the password waited for the dialog")
	}
	var entry *widget.Entry
	walkObjects(w.Canvas().Overlays().Top(), func(o fyne.CanvasObject) bool {
		if e, ok := o.(*widget.Entry); ok {
			if e.Password {
				entry = e
			}
			return false
		}
		return true
	})
	if entry == nil {
		t.Fatal("no password entry in the dialog")
	}
	test.Type(entry, "mat-khau")
	tapButton(t, w.Window, tr("Connect"))
	if pw := <-got; pw != "mat-khau" {
		t.Fatalf("password given %q", pw)
	}
	if pw, err := o.askPassword("canbo", "office.example"); pw != "mat-khau" || err != nil {
		t.Fatalf("the password was not kept: %q %v", pw, err)
	}
}
