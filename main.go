// Command quyhoach is a desktop GIS for the zoning plans of the Đồng Đăng –
// Lạng Sơn border-gate economic zone. Without arguments it opens the window;
// with a subcommand it works as a CLI on the same store (see README.md).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"quyhoach/assets"
	"quyhoach/gis/crs"
	"quyhoach/store"
	"quyhoach/ui"
	_ "quyhoach/ui/locale" // before Fyne reads $LANG
)

// command is one CLI subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, c *cli, args []string) error
}

// commands is filled by the cmd_*.go files' init functions.
var commands = map[string]command{}

func register(c command) { commands[c.name] = c }

// cli carries what every command shares.
type cli struct {
	name   string // the command, for error prefixes
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	db     string // --db, "" for the per-user default
}

// exitError carries an exit status: 2 bad input or usage, 1 a check found problems.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func usageErr(format string, args ...any) error {
	return &exitError{2, fmt.Errorf(format, args...)}
}

func main() {
	// QUYHOACH_CPUPROFILE=FILE writes a CPU profile of the run (go tool
	// pprof): for finding where a command spends its time at scale.
	if path := os.Getenv("QUYHOACH_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil && pprof.StartCPUProfile(f) == nil {
			code := run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
			pprof.StopCPUProfile()
			f.Close()
			os.Exit(code)
		}
	}
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes one invocation and returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := &cli{stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") && args[0] != "-h" && args[0] != "--help" && args[0] != "--version" {
		c.name = "gui"
		fs := c.flags("")
		dossier := fs.Int64("dossier", 0, "open the window on this dossier's page")
		edit := fs.Int64("edit", 0, "open this draft dossier for editing")
		size := fs.String("size", "", "the window's size for this run, WIDTHxHEIGHT (default: as last closed)")
		if err := parseNone(fs, args); err != nil {
			return report(c, err)
		}
		o := ui.Options{OpenDossier: *dossier, EditDossier: *edit}
		if *size != "" {
			var w, h float32
			if n, _ := fmt.Sscanf(*size, "%fx%f", &w, &h); n != 2 || w < 1 || h < 1 {
				return report(c, usageErr("--size %q: want WIDTHxHEIGHT, e.g. 1024x640", *size))
			}
			o.Size = fyne.NewSize(w, h)
		}
		return report(c, runGUI(ctx, c, o))
	}
	name := args[0]
	if name == "-h" || name == "--help" || name == "help" {
		printUsage(stdout)
		return 0
	}
	if name == "--version" || name == "version" {
		printVersion(stdout)
		return 0
	}
	cmd, ok := commands[name]
	if !ok {
		printUsage(stderr)
		c.name = name
		return report(c, usageErr("unknown command (see the list above)"))
	}
	c.name = name
	return report(c, cmd.run(ctx, c, args[1:]))
}

func report(c *cli, err error) int {
	if err == nil {
		return 0
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	msg := strings.TrimPrefix(err.Error(), "store: ")
	if !strings.HasPrefix(msg, c.name+": ") { // a refused step names itself: "approve: …"
		msg = c.name + ": " + msg
	}
	fmt.Fprintf(c.stderr, "quyhoach: %s\n", msg)
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	// Bad input is the common failure of a CLI over user files.
	return 2
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: quyhoach [--db FILE]            open the window")
	fmt.Fprintln(w, "       quyhoach --version               the program's version")
	fmt.Fprintln(w, "       quyhoach COMMAND [flags] [args]  commands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "Every command takes --db FILE; without it the per-user file is used (created with the sample plans).")
}

// flags returns a flag set with the shared --db flag.
func (c *cli) flags(usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	// The flag package's own error line is dropped: report prints it once,
	// after the usage, as "quyhoach: CMD: …".
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.db, "db", "", "store file (default: the per-user file)")
	fs.Usage = func() {
		if usage != "" {
			fmt.Fprintf(c.stderr, "usage: quyhoach %s\n", usage)
		}
		fs.SetOutput(c.stderr)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return fs
}

// parse parses flags anywhere among the arguments (flags may follow a file
// name) and returns the positional arguments.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, &exitError{2, err}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// parseNone parses flags for a command that takes no other argument.
func parseNone(fs *flag.FlagSet, args []string) error {
	pos, err := parse(fs, args)
	if err == nil && len(pos) > 0 {
		err = usageErr("unexpected argument %q (this command takes flags only)", pos[0])
	}
	return err
}

// crsFlag is a --crs flag: an EPSG code, checked as it is parsed; 0 when
// not given.
type crsFlag struct{ code crs.Code }

func (f *crsFlag) String() string {
	if f.code == 0 {
		return ""
	}
	return f.code.String()
}

func (f *crsFlag) Set(s string) (err error) {
	f.code, err = crs.Parse(s)
	return err
}

// defaultDB is the per-user store file.
func defaultDB() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "quyhoach", "quyhoach.db")
	}
	if runtime.GOOS == "linux" {
		if h, err := os.UserHomeDir(); err == nil {
			return filepath.Join(h, ".local", "share", "quyhoach", "quyhoach.db")
		}
	}
	d, err := os.UserConfigDir()
	if err != nil {
		d = "."
	}
	return filepath.Join(d, "quyhoach", "quyhoach.db")
}

// open opens the store named by --db. The per-user default file is created
// with the sample plans on first use; a file named with --db must exist.
func (c *cli) open(ctx context.Context) (*store.Store, error) {
	// a command has the store to itself while it runs (store.Options.Alone)
	if c.db != "" {
		return store.Open(ctx, c.db, store.Options{Alone: true})
	}
	path := defaultDB()
	if _, err := os.Stat(path); err == nil {
		return store.Open(ctx, path, store.Options{Alone: true})
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, path, store.Options{Create: true, Alone: true})
	if err != nil {
		return nil, err
	}
	if err := st.InstallSamples(ctx, assets.Samples); err != nil {
		st.Close()
		return nil, err
	}
	fmt.Fprintf(c.stderr, "quyhoach: created %s with the sample plans\n", path)
	return st, nil
}

// windowMemoryLimit is the window's soft memory limit (runtime/debug): a
// larger plan still opens, its collector then capped at half the CPU. At
// 1 000 000 lots the window's peak is 1 489–1 495 MiB with it (1 539–1 546
// at 1 400 MiB: over issue 16's 1.5 GiB), its attributes 0.7 s later.
const windowMemoryLimit = 1350 << 20

// importMemoryLimit is the import command's soft memory limit: a re-import
// matched by key holds the plan's keys and hashes (0.3–0.5 GB live at
// 1 000 000 lots), and the heap grew to twice that before it was collected
// (a re-import of our own export of a million lots: 1.1–1.2 GB; 0.95 GB
// with this limit, in the same time).
const importMemoryLimit = 768 << 20

// importGCPercent is the import command's collector target (GOGC): an
// import's garbage is short-lived (each feature's parse and encodings), and
// collecting it at every doubling of a small heap took a tenth of 100 000
// lots' import (1.79 → 1.63 s wall, 2.78 → 2.55 s CPU, 235 → 330 MB); the
// soft memory limit bounds the heap where the plan is large (1 000 000
// lots: 952 MB peak, a re-import matched by key 919 MB).
const importGCPercent = 400

// gcPercent sets the collector's target (runtime/debug); GOGC, when set,
// is the user's.
func gcPercent(n int) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(n)
	}
}

// softMemoryLimit sets the program's soft memory limit (runtime/debug): the
// collector works harder near it rather than let the heap grow to twice
// what is live. GOMEMLIMIT, when set, is the user's.
func softMemoryLimit(n int64) {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(n)
	}
}

// runGUI opens the window. A store that does not open (missing, not a
// store, newer, locked …) still opens a window: the start window, with a
// dialog saying why and offering the ways on (ui/stores.go). Only a
// dossier of --dossier or --edit that the store lacks ends the command.
func runGUI(ctx context.Context, c *cli, o ui.Options) error {
	path := c.db
	if path == "" {
		// the per-user store, made with the sample plans on first use; if
		// that fails, the window says why
		path = defaultDB()
		if st, err := c.open(ctx); err == nil {
			st.Close()
		}
	}
	a := app.NewWithID("vn.langson.quyhoach")
	// The window holds the plan it shows (1.2 GB live at 1 000 000 lots):
	// 2 GB there without a limit; 1.6 GB with it, and no slower.
	softMemoryLimit(windowMemoryLimit)
	if t := os.Getenv("QUYHOACH_TRACE_START"); t != "" { // .ci/bench-startup, .ci/bench-window
		// QUYHOACH_TRACE_START=N, the launch's Unix time in ns: each line
		// says how long after it, so the script need not poll for the line
		// (polling shares the two cores with the window it times)
		since := func() string { return "" }
		if t0, err := strconv.ParseInt(t, 10, 64); err == nil && t0 > 1 {
			since = func() string { return fmt.Sprintf(" after %d ms", (time.Now().UnixNano()-t0)/1e6) }
		}
		o.OnFirstFrame = func(overview bool) {
			what := ""
			if overview {
				what = " (the version's stored overview)"
			}
			fmt.Fprintln(c.stderr, "quyhoach: first map frame"+since()+what)
		}
		o.OnLotsFrame = func() { fmt.Fprintln(c.stderr, "quyhoach: lots drawn"+since()) }
		prev := o.OnTaskDone
		o.OnTaskDone = func(name string, err error) { // a large plan's attributes, read behind its first frame
			if prev != nil {
				prev(name, err)
			}
			if name == "attributes" && err == nil {
				fmt.Fprintln(c.stderr, "quyhoach: attributes read"+since())
			}
			if name == "overview" && err == nil {
				fmt.Fprintln(c.stderr, "quyhoach: overview kept"+since())
			}
		}
	}
	if os.Getenv("QUYHOACH_TRACE") != "" { // .ci/window-dossier: what is shown, where the controls are
		o.OnTrace = func(line string) { fmt.Fprintln(c.stderr, "quyhoach: "+line) }
	}
	o.Version, o.DefaultStore = version(), defaultDB()
	sh := ui.NewShell(a, o)
	ui.LoadFaces() // while the store opens; the language is set (its system font)
	defer sh.Close()
	if err := sh.Start(path); err != nil {
		return err
	}
	a.Run()
	return nil
}

// Version is the program's version, set when building a release:
// go build -ldflags "-X main.Version=1.2.0". Without it the version is
// "dev" with the commit the binary was built from, when Go recorded one.
var Version string

// version is Version, or what the build recorded.
func version() string {
	if Version != "" {
		return Version
	}
	v := "dev"
	if bi, ok := debug.ReadBuildInfo(); ok {
		var rev, dirty string
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					dirty = "+changes"
				}
			}
		}
		if len(rev) >= 12 {
			v += "-" + rev[:12] + dirty
		}
	}
	return v
}

// printVersion writes the program's version and what it was built with.
func printVersion(w io.Writer) {
	fyne := "?"
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if m.Path == "fyne.io/fyne/v2" {
				fyne = m.Version
			}
		}
	}
	fmt.Fprintf(w, "quyhoach %s (%s, Fyne %s, %s/%s)\n", version(), runtime.Version(), fyne, runtime.GOOS, runtime.GOARCH)
}
