package ui

import (
	"context"
	"fmt"
	"hash/crc32"
	"sync"

	"quyhoach/assets"
	"quyhoach/gis/scene"
	"quyhoach/plan"
)

// A large version opens on its stored overview (issue 16: the window at a
// province's size). Once a version of overviewFrom lots or more is shown
// with its attributes, its overview — the map seen whole, lots filled, no
// labels (scene.EncodeOverview) — is drawn in the background and kept in
// the store (store.Overview, a cache checked by its checksum). The next
// window opening on that version shows it at once (MapView.ShowOverview),
// fitted, while the lots are read behind it: panned or zoomed it is
// resampled, coarse up close; the lots' own frame takes its place when they
// are read, and what needs them (selecting, inspecting) waits as before.
// An overview drawn in another style (colours, hidden layers, opacity,
// order, what the code draws: scene.OverviewStyle) is not shown, and is
// drawn again. One is kept per plan: switching between two large versions
// of a plan at each start draws and writes it each time (2–4 MB).

// overviewFrom is the number of features from which a version's overview
// is kept: below it the lots are read by the time the window is up. At
// 100 000 lots the window opens on the overview 0.49–0.56 s after launch
// instead of the lots' 0.86–1.1 s; the lots are drawn 0.6–0.8 s after it
// (0.25 s later than without it: ui/attributes.go). The stored 2 048-pixel
// overview is 7 MB, read and decoded in 40–100 ms.
// Tests lower it.
var overviewFrom = 50_000

// overviewStore is a source that keeps overviews (store.Store).
type overviewStore interface {
	Overview(ctx context.Context, code string, number int) (style string, data []byte, err error)
	OverviewStyle(ctx context.Context, code string, number int) (string, error)
	PutOverview(ctx context.Context, code string, number int, style string, data []byte) error
	ReadOnly() bool
}

// colours fingerprints the land-use catalogue the lots are filled from.
var colours = sync.OnceValue(func() string { return fmt.Sprintf("%08x", crc32.ChecksumIEEE(assets.LandUse)) })

// overviewOptions are the options the map draws plan code's overview
// with, and their style.
func (w *Window) overviewOptions(code string) (scene.Options, string) {
	o := w.planOptions(code)
	o.Background = Background
	return o, scene.OverviewStyle(o, colours())
}

// readOverview reads version n's stored overview: nil when the source keeps
// none, there is none, or it cannot be read (then it is drawn again).
func (w *Window) readOverview(ctx context.Context, n node) (style string, p *scene.Preview) {
	src, ok := w.src.(overviewStore)
	if !ok {
		return "", nil
	}
	style, data, err := src.Overview(ctx, n.Plan, n.Version)
	if err != nil || data == nil {
		return "", nil
	}
	if p, err = scene.DecodeOverview(data); err != nil {
		return "", nil
	}
	return style, p
}

// showOverview shows p, of plan code, while its version is read, unless
// something is on the map already, p was drawn in another style, or the
// reading was dropped (ctx).
func (w *Window) showOverview(ctx context.Context, code, style string, p *scene.Preview) {
	if _, want := w.overviewOptions(code); ctx.Err() != nil || !w.Map.Scene().Empty() || style != want {
		return
	}
	w.Map.ShowOverview(p)
}

// keepOverview stores the overview of s, drawn as sc with its attributes
// read, unless the store has it in this style already or cannot be
// written: in the background once the map has drawn its next frame (a few
// exact frames' work on one core), stopped by the window's closing.
func (w *Window) keepOverview(s *plan.State, sc *scene.Scene) {
	src, ok := w.src.(overviewStore)
	n := 0
	for _, l := range s.Layers {
		n += len(l.Features)
	}
	if !ok || src.ReadOnly() || s.Dossier != nil || n < overviewFrom {
		return
	}
	o, style := w.overviewOptions(s.Plan.Code)
	ctx := w.life
	keep := func() {
		if have, err := src.OverviewStyle(ctx, s.Plan.Code, s.Version.Number); err != nil || have == style {
			return
		}
		data, ok := sc.EncodeOverview(o)
		if !ok || ctx.Err() != nil {
			return
		}
		err := src.PutOverview(ctx, s.Plan.Code, s.Version.Number, style, data) // a cache: one not kept is drawn again next time
		onUI(func() {
			if w.opts.OnTaskDone != nil {
				w.opts.OnTaskDone("overview", err)
			}
		})
	}
	if w.opts.Sync {
		keep()
		return
	}
	w.afterFrame(func() { go keep() })
}
