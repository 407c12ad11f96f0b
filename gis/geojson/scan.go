package geojson

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/paulmach/orb"
)

// The JSON layer of the reader: a recursive-descent scanner over a window
// of the input that slides as reading goes on (see INTERNALS.md). Syntax
// errors are fatal; they record a problem with line and column and unwind
// with panic(abort{}), which decode recovers.

const (
	maxProblems = 100 // Read stops after this many problems
	maxDepth    = 64  // JSON nesting limit (objects and arrays)
	maxInterned = 1 << 16
	slabPoints  = 1 << 13 // positions per shared backing array
	windowSize  = 256 << 10
)

// abort unwinds the parser after a fatal problem.
type abort struct{}

// seg is one step of a JSON path: an object key, or an array index when idx >= 0.
type seg struct {
	key string
	idx int
}

type parser struct {
	// Input. data is the window; pos the read position in it. Indices into
	// data stay valid until the next refill, which slides the window by the
	// returned shift; it never drops bytes at or after pos or mark.
	data         []byte
	pos          int
	mark         int // -1, or a position to keep while looking ahead
	buf          []byte
	r            io.Reader
	eof          bool
	ioErr        error
	size         int64 // input size when known up front, else -1
	read         int64 // bytes read from r
	skipGeometry bool  // geometries skipped (ParseProperties)
	// featStart is the offset of the feature being read in the input (-1:
	// none); a feature longer than MaxFeatureBytes stops the reading.
	featStart int64
	base      int64 // offset of data[0] in the input
	lines     int   // newlines before data[0]
	col       int   // characters between the last of them and data[0]

	opt      Options
	single   bool // reading one feature (ParseFeature): no interning
	problems []Problem

	feature  int   // index of the feature being read, -1 outside features
	streamed bool  // features have started (a crs member after them is too late to stream)
	eachErr  error // what Options.Each returned to stop reading
	path     []seg // where the scanner is, for problem paths
	depth    int   // open objects and arrays

	sbuf     []byte            // unescaped string scratch
	kbuf     []byte            // member key scratch
	strs     map[string]string // interned property keys
	propHint int               // property count of the previous feature

	pts          []orb.Point    // position list scratch
	slab         []orb.Point    // shared backing store of decoded position lists
	vertices     int            // positions in the current feature
	overVertices bool           // the current feature exceeded MaxVertices
	ids          map[string]int // feature ids seen, with their first feature
	crsBad       bool           // the crs member had a problem
}

// parserPool keeps parsers for their buffers: ParseFeature is called once
// per stored body when a version is opened, and fresh memory is slow to touch.
var parserPool = sync.Pool{New: func() any { return new(parser) }}

func newParser(opt Options) *parser {
	p := parserPool.Get().(*parser)
	p.opt, p.feature, p.mark, p.size, p.featStart = opt, -1, -1, -1, -1
	return p
}

// release returns p to the pool, dropping everything that refers to the
// input or to results, and any oversized buffer.
func (p *parser) release() {
	*p = parser{path: p.path[:0], pts: p.pts[:0], sbuf: p.sbuf[:0], kbuf: p.kbuf[:0], buf: p.buf}
	if cap(p.pts) > 1<<16 {
		p.pts = nil
	}
	if cap(p.sbuf) > 1<<16 {
		p.sbuf = nil
	}
	if cap(p.buf) > 4*windowSize {
		p.buf = nil
	}
	parserPool.Put(p)
}

// refill slides the window and reads more input. It returns by how much
// indices into the old window must be lowered, and whether bytes arrived.
func (p *parser) refill() (shift int, ok bool) {
	if p.eof {
		return 0, false
	}
	keep := p.pos
	if p.mark >= 0 && p.mark < keep {
		keep = p.mark
	}
	p.discard(keep)
	if p.buf == nil {
		p.buf = make([]byte, windowSize)
	}
	n := copy(p.buf, p.data[keep:])
	if n == len(p.buf) { // one value fills the window: widen it
		nb := make([]byte, 2*len(p.buf))
		copy(nb, p.buf)
		p.buf = nb
	}
	p.pos -= keep
	if p.mark >= 0 {
		p.mark -= keep
	}
	m := 0
	var err error
	for m == 0 && err == nil {
		m, err = p.r.Read(p.buf[n:])
	}
	p.data = p.buf[:n+m]
	p.read += int64(m)
	if p.featStart >= 0 && p.read-p.featStart > p.opt.MaxFeatureBytes+int64(len(p.buf)) {
		p.featureTooLarge()
	}
	if p.opt.MaxBytes > 0 && p.read > p.opt.MaxBytes {
		p.data = p.buf[:n]
		p.problems = append(p.problems, tooLarge(p.opt.MaxBytes))
		panic(abort{})
	}
	if err == io.EOF {
		p.eof = true
	} else if err != nil {
		p.ioErr = err
		panic(abort{})
	}
	return keep, m > 0
}

// featureTooLarge stops at a feature over MaxFeatureBytes.
func (p *parser) featureTooLarge() {
	p.add(Problem{Feature: p.feature, Msg: "feature is larger than " + formatBytes(p.opt.MaxFeatureBytes) + " (Options.MaxFeatureBytes); refused"})
	panic(abort{})
}

func tooLarge(max int64) Problem {
	return Problem{Feature: -1, Msg: "file is larger than " + formatBytes(max) + " (Options.MaxBytes); refused"}
}

// discard drops data[:k] from the window, counting its lines for lineCol.
func (p *parser) discard(k int) {
	d := p.data[:k]
	if i := bytes.LastIndexByte(d, '\n'); i >= 0 {
		p.lines += bytes.Count(d, []byte{'\n'})
		p.col = utf8.RuneCount(d[i+1:])
	} else {
		p.col += utf8.RuneCount(d)
	}
	p.base += int64(k)
}

// ensure tries to have n bytes from p.pos on in the window; false means the
// input ends before.
func (p *parser) ensure(n int) bool {
	for len(p.data)-p.pos < n {
		if _, ok := p.refill(); !ok {
			return false
		}
	}
	return true
}

// remaining bounds the input left after p.pos, for sizing allocations.
func (p *parser) remaining() int64 {
	switch {
	case p.eof:
		return int64(len(p.data) - p.pos)
	case p.size >= 0:
		return p.size - p.base - int64(p.pos)
	}
	return 1 << 40
}

// problem records a non-fatal problem at the current path.
func (p *parser) problem(msg string) {
	p.add(Problem{Feature: p.feature, Path: p.pathString(), Msg: msg})
}

func (p *parser) problemf(format string, args ...any) {
	p.problem(fmt.Sprintf(format, args...))
}

// add records a problem and aborts once there are too many.
func (p *parser) add(pr Problem) {
	if len(p.problems) >= maxProblems {
		p.problems = append(p.problems, Problem{Feature: -1,
			Msg: fmt.Sprintf("more than %d problems; stopped reading", maxProblems)})
		panic(abort{})
	}
	p.problems = append(p.problems, pr)
}

// fatal records a problem that ends reading.
func (p *parser) fatal(msg string) {
	p.problems = append(p.problems, Problem{Feature: p.feature, Path: p.pathString(), Msg: msg})
	panic(abort{})
}

// syntax records a syntax error at the current position and aborts.
func (p *parser) syntax(msg string) {
	line, col := p.lineCol(p.pos)
	p.fatal(fmt.Sprintf("line %d, column %d: %s", line, col, msg))
}

// unexpected reports the byte at p.pos (or the end of input) as a syntax error.
func (p *parser) unexpected(context string) {
	if p.pos >= len(p.data) && !p.ensure(1) {
		p.syntax("unexpected end of JSON input")
	}
	p.syntax("invalid character " + p.quoteChar() + " " + context)
}

func (p *parser) quoteChar() string {
	c := p.data[p.pos]
	switch {
	case c == '\'':
		return `'\''`
	case c == '"':
		return `'"'`
	case c < utf8.RuneSelf:
		s := strconv.Quote(string(rune(c)))
		return "'" + s[1:len(s)-1] + "'"
	}
	p.ensure(utf8.UTFMax)
	r, _ := utf8.DecodeRune(p.data[p.pos:])
	if r == utf8.RuneError {
		return fmt.Sprintf("'\\x%02x'", c)
	}
	return "'" + string(r) + "'"
}

// lineCol turns a window position into a 1-based line and column (in characters).
func (p *parser) lineCol(pos int) (line, col int) {
	pos = min(pos, len(p.data))
	d := p.data[:pos]
	line = p.lines + 1 + bytes.Count(d, []byte{'\n'})
	if i := bytes.LastIndexByte(d, '\n'); i >= 0 {
		return line, utf8.RuneCount(d[i+1:]) + 1
	}
	return line, p.col + utf8.RuneCount(d) + 1
}

func (p *parser) pushKey(k string) { p.path = append(p.path, seg{key: k, idx: -1}) }
func (p *parser) pushIdx(i int)    { p.path = append(p.path, seg{idx: i}) }
func (p *parser) setIdx(i int)     { p.path[len(p.path)-1].idx = i }
func (p *parser) pop()             { p.path = p.path[:len(p.path)-1] }

func (p *parser) pathString() string {
	var b []byte
	for _, s := range p.path {
		if s.idx >= 0 {
			b = append(b, '[')
			b = strconv.AppendInt(b, int64(s.idx), 10)
			b = append(b, ']')
			continue
		}
		b = appendPathKey(b, s.key)
	}
	return string(b)
}

// appendPathKey appends .key, or ["key"] when key is not a plain identifier.
func appendPathKey(b []byte, k string) []byte {
	plain := k != ""
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			plain = false
			break
		}
	}
	if !plain {
		b = append(b, '[')
		b = strconv.AppendQuote(b, k)
		return append(b, ']')
	}
	if len(b) > 0 {
		b = append(b, '.')
	}
	return append(b, k...)
}

// next skips white space and returns the next byte, 0 at the end of input.
func (p *parser) next() byte {
	for {
		for p.pos < len(p.data) {
			switch c := p.data[p.pos]; c {
			case ' ', '\t', '\n', '\r':
				p.pos++
			default:
				return c
			}
		}
		if _, ok := p.refill(); !ok {
			return 0
		}
	}
}

// kindOf names the JSON type of the value starting with c, "" if none does.
func kindOf(c byte) string {
	switch c {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a bool"
	case 'n':
		return "null"
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return "a number"
	}
	return ""
}

// wrongType reports that the value at p.pos (called what) has the wrong JSON
// type and skips it. An invalid value is a syntax error instead.
func (p *parser) wrongType(what, want string) {
	kind := kindOf(p.next())
	if kind == "" {
		p.unexpected("looking for beginning of value")
	}
	p.problem(what + " is " + kind + ", want " + want)
	p.skipValue()
}

// enter and leave count nesting depth.
func (p *parser) enter() {
	p.depth++
	if p.depth > maxDepth {
		line, col := p.lineCol(p.pos)
		p.fatal(fmt.Sprintf("line %d, column %d: JSON nested deeper than %d levels", line, col, maxDepth))
	}
}

func (p *parser) leave() { p.depth-- }

// beginObject consumes '{' (at p.pos) and reports whether members follow;
// an empty object is consumed whole.
func (p *parser) beginObject() bool {
	p.enter()
	p.pos++
	if p.next() == '}' {
		p.pos++
		p.leave()
		return false
	}
	return true
}

// key reads a member key and its colon. The bytes are valid until the next
// key is read.
func (p *parser) key() []byte {
	return p.memberKey(false)
}

// readKey is key with UTF-8 validation, for keys that are kept.
func (p *parser) readKey() []byte {
	return p.memberKey(true)
}

func (p *parser) memberKey(validate bool) []byte {
	if p.next() != '"' {
		p.unexpected("looking for beginning of object key string")
	}
	k := p.readString(validate)
	if p.pos < len(p.data) && p.data[p.pos] == ':' {
		p.pos++
		return k
	}
	k = append(p.kbuf[:0], k...) // next may slide the window under k
	p.kbuf = k
	if p.next() != ':' {
		p.unexpected("after object key")
	}
	p.pos++
	return k
}

// moreMembers consumes the ',' or '}' after a member value and reports
// whether another member follows.
func (p *parser) moreMembers() bool {
	switch p.next() {
	case ',':
		p.pos++
		return true
	case '}':
		p.pos++
		p.leave()
		return false
	}
	p.unexpected("after object key:value pair")
	return false
}

// beginArray consumes '[' (at p.pos) and reports whether elements follow;
// an empty array is consumed whole.
func (p *parser) beginArray() bool {
	p.enter()
	p.pos++
	if p.next() == ']' {
		p.pos++
		p.leave()
		return false
	}
	return true
}

// moreElements consumes the ',' or ']' after an element and reports whether
// another element follows.
func (p *parser) moreElements() bool {
	switch p.next() {
	case ',':
		p.pos++
		return true
	case ']':
		p.pos++
		p.leave()
		return false
	}
	p.unexpected("after array element")
	return false
}

// isEmptyArray reports whether an empty array "[]" comes next, and consumes it if so.
func (p *parser) isEmptyArray() bool {
	if p.next() != '[' {
		return false
	}
	for i := p.pos + 1; ; {
		if i >= len(p.data) {
			shift, ok := p.refill()
			if i -= shift; !ok {
				return false
			}
			continue
		}
		switch p.data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		case ']':
			p.pos = i + 1
			return true
		default:
			return false
		}
	}
}

// readString reads the string at p.pos (which is '"'). The result aliases the
// window or a scratch buffer: use it before reading on. With validate, a
// string that is not UTF-8 is a problem.
func (p *parser) readString(validate bool) []byte {
	i := p.pos + 1
	ascii := true
	for {
		d := p.data
		for ; i < len(d); i++ {
			c := d[i]
			switch {
			case c == '"':
				s := d[p.pos+1 : i]
				p.pos = i + 1
				if validate && !ascii && !utf8.Valid(s) {
					p.problem("text is not valid UTF-8; convert the file to UTF-8")
				}
				return s
			case c == '\\':
				return p.readEscaped(i, ascii, validate)
			case c < 0x20:
				p.pos = i
				p.unexpected("in string literal")
			case c >= utf8.RuneSelf:
				ascii = false
			}
		}
		shift, ok := p.refill()
		if i -= shift; !ok {
			p.pos = i
			p.unexpected("in string literal")
		}
	}
}

// readEscaped goes on reading the string at p.pos from its first backslash at i.
func (p *parser) readEscaped(i int, ascii, validate bool) []byte {
	b := append(p.sbuf[:0], p.data[p.pos+1:i]...)
	p.pos = i
	for {
		if !p.ensure(1) {
			p.unexpected("in string literal")
		}
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			p.sbuf = b
			if validate && !ascii && !utf8.Valid(b) {
				p.problem("text is not valid UTF-8; convert the file to UTF-8")
			}
			return b
		case c == '\\':
			p.pos++
			if !p.ensure(1) {
				p.unexpected("in string escape code")
			}
			switch e := p.data[p.pos]; e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r := p.hex4()
				if utf16.IsSurrogate(r) {
					r2, ok := p.hexAt()
					if d := utf16.DecodeRune(r, r2); ok && d != utf8.RuneError {
						r = d
						p.pos += 6
					} else {
						r = utf8.RuneError
					}
				}
				b = utf8.AppendRune(b, r)
			default:
				p.unexpected("in string escape code")
			}
			p.pos++
		case c < 0x20:
			p.unexpected("in string literal")
		default:
			if c >= utf8.RuneSelf {
				ascii = false
			}
			b = append(b, c)
			p.pos++
		}
	}
}

// hex4 reads the four hex digits after the 'u' at p.pos, leaving p.pos on the last.
func (p *parser) hex4() rune {
	var r rune
	for range 4 {
		p.pos++
		if !p.ensure(1) {
			p.unexpected("in \\u hexadecimal character escape")
		}
		v, ok := unhex(p.data[p.pos])
		if !ok {
			p.unexpected("in \\u hexadecimal character escape")
		}
		r = r<<4 | v
	}
	return r
}

// hexAt decodes an escape \uXXXX right after p.pos, if there is one.
func (p *parser) hexAt() (rune, bool) {
	if !p.ensure(7) || p.data[p.pos+1] != '\\' || p.data[p.pos+2] != 'u' {
		return 0, false
	}
	var r rune
	for _, c := range p.data[p.pos+3 : p.pos+7] {
		v, ok := unhex(c)
		if !ok {
			return 0, false
		}
		r = r<<4 | v
	}
	return r, true
}

func unhex(c byte) (rune, bool) {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0'), true
	case c >= 'a' && c <= 'f':
		return rune(c - 'a' + 10), true
	case c >= 'A' && c <= 'F':
		return rune(c - 'A' + 10), true
	}
	return 0, false
}

// skipString skips the string at p.pos without decoding it.
func (p *parser) skipString() {
	p.pos++
	for {
		d := p.data
		for p.pos < len(d) {
			switch c := d[p.pos]; {
			case c == '"':
				p.pos++
				return
			case c == '\\':
				p.pos++
				if !p.ensure(1) {
					p.unexpected("in string escape code")
				}
				switch p.data[p.pos] {
				case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				case 'u':
					p.hex4()
				default:
					p.unexpected("in string escape code")
				}
				d = p.data
			case c < 0x20:
				p.unexpected("in string literal")
			}
			p.pos++
		}
		if _, ok := p.refill(); !ok {
			p.unexpected("in string literal")
		}
	}
}

// literal consumes the literal word (true, false or null) at p.pos.
func (p *parser) literal(word string) {
	p.ensure(len(word))
	for i := 0; i < len(word); i++ {
		if p.pos >= len(p.data) || p.data[p.pos] != word[i] {
			if i == 0 {
				p.unexpected("looking for beginning of value")
			}
			p.unexpected(fmt.Sprintf("in literal %s (expecting '%c')", word, word[i]))
		}
		p.pos++
	}
}

// skipValue checks and skips any JSON value.
func (p *parser) skipValue() {
	switch p.next() {
	case '{':
		if p.beginObject() {
			for {
				p.key()
				p.skipValue()
				if !p.moreMembers() {
					break
				}
			}
		}
	case '[':
		if p.beginArray() {
			for {
				p.skipValue()
				if !p.moreElements() {
					break
				}
			}
		}
	case '"':
		p.skipString()
	case 't':
		p.literal("true")
	case 'f':
		p.literal("false")
	case 'n':
		p.literal("null")
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		p.scanNumber()
	default:
		p.unexpected("looking for beginning of value")
	}
}

// value decodes any JSON value as encoding/json does into an any: string,
// float64, bool, nil, []any, map[string]any.
func (p *parser) value() any {
	switch p.next() {
	case '{':
		m := map[string]any{}
		p.members(m)
		return m
	case '[':
		a := []any{}
		if p.beginArray() {
			p.pushIdx(0)
			for i := 0; ; i++ {
				p.setIdx(i)
				a = append(a, p.value())
				if !p.moreElements() {
					break
				}
			}
			p.pop()
		}
		return a
	case '"':
		v := p.readString(true)
		if len(v) > p.opt.MaxValue {
			p.problemf("a text of %s is longer than %s (Options.MaxValue): a lot's property is a few words, not a document", formatBytes(int64(len(v))), formatBytes(int64(p.opt.MaxValue)))
			return ""
		}
		return string(v)
	case 't':
		p.literal("true")
		return true
	case 'f':
		p.literal("false")
		return false
	case 'n':
		p.literal("null")
		return nil
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return p.number()
	}
	p.unexpected("looking for beginning of value")
	return nil
}

// members decodes the members of the object at p.pos into m. A repeated
// key is a problem.
func (p *parser) members(m map[string]any) {
	if !p.beginObject() {
		return
	}
	for {
		k := p.intern(p.readKey())
		p.pushKey(k)
		n := len(m)
		m[k] = p.value()
		if len(m) == n {
			p.problemf("duplicate key %q", k)
		}
		p.pop()
		if !p.moreMembers() {
			return
		}
	}
}

// intern returns b as a string, sharing one copy among equal keys: property
// keys repeat across thousands of features.
func (p *parser) intern(b []byte) string {
	if p.single || len(b) > 64 {
		return string(b)
	}
	if s, ok := p.strs[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(p.strs) < maxInterned {
		if p.strs == nil {
			p.strs = make(map[string]string)
		}
		p.strs[s] = s
	}
	return s
}
