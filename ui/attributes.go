package ui

import (
	"context"
	"errors"
	"math"
	"runtime/debug"
	"sync"
	"time"

	"quyhoach/gis/scene"
	"quyhoach/plan"
	"quyhoach/store"
)

// A version opens in two phases (plan.OpenDrawing, plan.Attributes): the
// map is built as the version's drawing is read — ids, grid geometry,
// class and area, no properties — and a large plan (twoPhaseFrom features
// or more) is shown at once, its attributes read behind it into the same
// features, and its scene completed in place (scene.Builder, Complete): the
// view and the selection stay, labels come. Until they land, what needs them
// (inspecting, checking, site information, conformity) waits for them,
// the status bar saying how far the reading is; search finds nothing yet.
// If they cannot be read, the map stays a viewer and says why.

// twoPhaseFrom is the number of features from which a version is shown
// before its attributes are read; a smaller one is shown whole at once, so
// its labels never pop in (tests lower it).
var twoPhaseFrom = 20_000

// loadVersion is the work of showing version n: the drawing read and
// styled as it comes, then the attributes read now or behind the map.
func (w *Window) loadVersion(n node, lang string) func(ctx context.Context) (func(), error) {
	return func(ctx context.Context) (func(), error) {
		resume := pauseCollector()
		b := scene.NewBuilder(w.cat, lang)
		d, ok, err := plan.OpenDrawing(ctx, w.src, n.Plan, n.Version, func(bt store.DrawingBatch) error {
			b.Add(bt.Layer, bt.Len, bt.Features, func(i int) (string, float64) { return bt.Measures[i].Class, bt.Measures[i].M2 })
			return ctx.Err()
		})
		if err != nil || !ok || d.Len() < twoPhaseFrom {
			resume()
		}
		if err != nil {
			return nil, err
		}
		if !ok { // a source without drawings: the state in one go
			s, err := plan.Open(ctx, w.src, n.Plan, plan.Ref{Version: n.Version})
			if err != nil {
				return nil, err
			}
			v := view{node: n, state: s, plan: scene.Plan(s.Layers, w.cat, lang)}
			return func() { w.show(v) }, nil
		}
		drawn := b.Scene()
		for i := range d.Layers {
			d.Layers[i].Measures = nil // in the scene now
		}
		if d.Len() < twoPhaseFrom {
			s, err := plan.Attributes(ctx, w.src, d, nil)
			if err != nil {
				return nil, err
			}
			drawn.Complete(w.cat)
			v := view{node: n, state: s, plan: drawn}
			return func() { w.show(v) }, nil
		}
		v := view{node: n, state: plan.Drawn(d), plan: drawn, drawing: d}
		if err := ctx.Err(); err != nil {
			resume()
			return nil, err
		}
		return func() {
			w.show(v)
			w.attrLoad = &attributeLoad{}
			w.afterFrame(func() {
				resume()
				w.readAttributes(v, lang)
			})
		}, nil
	}
}

// collector counts the loads that hold the garbage collector paused.
var collector struct {
	sync.Mutex
	paused  int
	percent int
}

// earlyLoad is the work of showing a version started before the browser
// asks for it: the plan shown last, read as the window is built (0.1 s
// that was spent before the reading began: at 100 000 lots a fifth of the
// first frame's wait). The window keeps it till the next Show, which drops
// it: not asked for, or (taken, the load task's work) replaced.
type earlyLoad struct {
	n      node
	lang   string
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}
	apply  func()
	err    error
	taken  bool

	// the version's stored overview, read and not yet shown
	mu       sync.Mutex
	ovStyle  string
	overview *scene.Preview
}

// lastNode is the browser's node shown when the window closed last (its id)
// if the store has it, else the first plan's: a node remembered from
// another store (or gone since) stands for nothing here, and read early it
// cost the first start on this store its stored overview.
func (w *Window) lastNode(data browserData) string {
	if id := w.app.Preferences().String(prefLastNode); data.has(id) {
		return id
	}
	return data.Plans[0].Code
}

// loadEarly starts showing the plan or version shown last, or nil when
// the window will open on something else (a dossier compared, no plan).
func (w *Window) loadEarly(data browserData, lang string) *earlyLoad {
	if len(data.Plans) == 0 {
		return nil
	}
	n := parseNode(w.lastNode(data))
	if n.IsArea || n.Dossier != 0 || n.Plan == "" {
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	e := &earlyLoad{n: n, lang: lang, ctx: ctx, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(e.done)
		if style, p := w.readOverview(ctx, n); p != nil {
			e.mu.Lock()
			e.ovStyle, e.overview = style, p
			e.mu.Unlock()
			onUI(func() { e.showOverview(w) })
			// It stands for the lots while the window is made: read
			// beside it, on the same two cores, they delayed the
			// window's first paint by a fifth (100 000 lots: 0.46–0.54
			// s after launch against 0.53–0.68 s), and are drawn 0.25 s
			// later for it. A window that shows its plan as it is
			// built (Options.Sync) is never waited for.
			if !w.opts.Sync {
				select {
				case <-w.presented:
				case <-ctx.Done():
				case <-time.After(10 * time.Second): // a window never shown (a mistake)
				}
			}
		}
		e.apply, e.err = w.loadVersion(n, lang)(ctx)
	}()
	return e
}

// showOverview shows the version's stored overview once it is read, if it
// has not been shown: from the read (UI goroutine), or as the window is
// presented (Window.Present), when it was read while the window was made.
func (e *earlyLoad) showOverview(w *Window) {
	if e == nil {
		return
	}
	e.mu.Lock()
	style, p := e.ovStyle, e.overview
	e.overview = nil
	e.mu.Unlock()
	if p != nil {
		w.showOverview(e.ctx, e.n.Plan, style, p)
	}
}

// wait is the early work as a task's: its result once it has it.
func (e *earlyLoad) wait(ctx context.Context) (func(), error) {
	select {
	case <-e.done:
		apply := e.apply
		e.apply = nil // the window keeps e till the next Show: not the view
		if e.err != nil {
			e.cancel() // its stored overview, read late, is not shown (ui/preview.go)
		}
		return apply, e.err
	case <-ctx.Done():
		e.cancel()
		return nil, ctx.Err()
	}
}

// dropEarly stops the early load, if it still runs, and takes the stored
// overview it put on the map off it: what opens is not the plan shown last
// (another plan or version, a dossier compared or edited). A view it made
// is let go; its collector pause ends by itself (pauseCollector).
func (w *Window) dropEarly() {
	if w.early != nil {
		w.early.cancel()
	}
	w.early = nil
	w.Map.dropOverview()
}

// pauseCollector stops the garbage collector until the returned function
// is called (once), when the program runs under a soft memory limit (the
// window's, main.go), which still bounds the heap: a large plan's drawing
// allocates half a gigabyte it keeps, and collecting while it is read
// only delays the first frame (at a million lots, by a third).
func pauseCollector() (resume func()) {
	if debug.SetMemoryLimit(-1) == math.MaxInt64 {
		return func() {}
	}
	collector.Lock()
	if collector.paused++; collector.paused == 1 {
		collector.percent = debug.SetGCPercent(-1)
	}
	collector.Unlock()
	var once sync.Once
	resume = func() {
		once.Do(func() {
			collector.Lock()
			if collector.paused--; collector.paused == 0 {
				debug.SetGCPercent(collector.percent)
			}
			collector.Unlock()
		})
	}
	time.AfterFunc(10*time.Second, resume) // whatever becomes of the load (a result dropped)
	return resume
}

// afterFrame runs fn once the map has rendered its next frame (the first
// of the view just shown: the attributes are read after it, not in its
// way), or after a second at most; at once with Options.Sync.
func (w *Window) afterFrame(fn func()) {
	if w.opts.Sync {
		fn()
		return
	}
	done := false
	run := func() {
		if !done {
			done = true
			fn()
		}
	}
	w.frameWaiters = append(w.frameWaiters, run)
	time.AfterFunc(time.Second, func() { onUI(run) })
}

// frameRendered runs what waited for a frame.
func (w *Window) frameRendered() {
	ws := w.frameWaiters
	w.frameWaiters = nil
	for _, fn := range ws {
		fn()
	}
}

// attributeLoad is the reading of the attributes of the view shown.
type attributeLoad struct {
	percent int
	err     error  // why they could not be read; the map stays a viewer
	pending func() // what waits for them (the last asked)
}

// readAttributes reads the attributes of v, shown as drawn, behind the map.
func (w *Window) readAttributes(v view, lang string) {
	d := v.drawing
	if w.shown.drawing != d || w.attrLoad == nil {
		return // another view since
	}
	w.Status.Busy(w.statusText())
	last := 0
	w.attrs.Run("attributes", func(ctx context.Context) (func(), error) {
		s, err := plan.Attributes(ctx, w.src, d, func(done, total int) {
			if p := done * 100 / max(total, 1); p/5 != last/5 { // every 5 %
				last = p
				onUI(func() { w.attributesProgress(d, p) })
			}
		})
		if err != nil {
			return nil, err
		}
		v.plan.Complete(w.cat)
		return func() { w.attributesRead(d, s) }, nil
	})
}

// attributesProgress says how far the attributes of d are read.
func (w *Window) attributesProgress(d *store.Drawing, percent int) {
	if w.shown.drawing != d || w.attrLoad == nil {
		return
	}
	w.attrLoad.percent = percent
	if !w.Editor.Editing() {
		w.Status.Busy(w.statusText())
	}
}

// attributesRead puts the whole state of d in the place of its drawing,
// whose scene is now complete (the same scene: the map keeps its view and
// selection, and draws again with labels); what waited for it runs.
func (w *Window) attributesRead(d *store.Drawing, s *plan.State) {
	if w.shown.drawing != d {
		return // another view since
	}
	w.shown.state, w.shown.drawing = s, nil
	pending := w.attrLoad.pending
	w.attrLoad = nil
	w.Map.Redraw()
	w.keepOverview(s, w.shown.plan)
	w.Search.SetScene(w.shown.plan)
	w.Compare.ShowState(s, w.Browser.Versions(s.Plan.Code))
	if pending != nil {
		pending()
	}
}

// attributesDone ends the reading of the attributes: an error leaves the
// map a viewer, and says why.
func (w *Window) attributesDone(name string, err error) {
	switch {
	case errors.Is(err, context.Canceled):
	case err != nil:
		if w.attrLoad != nil && w.shown.drawing != nil {
			w.attrLoad.err, w.attrLoad.pending = err, nil
		}
		w.Status.Idle(tr("Attributes not read, the map only shows the plan: {{.Err}}", map[string]any{"Err": err.Error()}))
	default:
		w.Status.Idle(w.statusText())
	}
	if w.opts.OnTaskDone != nil {
		w.opts.OnTaskDone(name, err)
	}
}

// awaitAttributes tells whether the state shown has its attributes still
// to come (or failed to); fn then runs once they are read, in the place of
// what asked before, and the status bar says why nothing happens yet.
func (w *Window) awaitAttributes(fn func()) bool {
	l := w.attrLoad
	if w.shown.drawing == nil || l == nil {
		return false
	}
	if l.err != nil {
		w.Status.Idle(tr("Attributes not read, the map only shows the plan: {{.Err}}", map[string]any{"Err": l.err.Error()}))
		return true
	}
	l.pending = fn
	w.Status.Busy(w.statusText())
	return true
}

// attributesNote is the status bar's note while the attributes are read.
func (w *Window) attributesNote() string {
	p := 0
	if w.attrLoad != nil {
		p = w.attrLoad.percent
	}
	return tr("loading attributes… {{.N}} %", map[string]any{"N": p})
}
