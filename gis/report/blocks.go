package report

import (
	"fmt"
	"strings"
	"time"

	"quyhoach/gis/landuse"
	"quyhoach/gis/render"
)

// Letterhead is the administrative header (Nghị định 30/2020): the issuing
// body and the document number on the left, the national motto and the
// place and date on the right.
type Letterhead struct {
	Parent string // the body above the issuer, e.g. "UBND TỈNH LẠNG SƠN"
	Agency string // the issuer, e.g. "BAN QUẢN LÝ KHU KINH TẾ CỬA KHẨU ĐỒNG ĐĂNG – LẠNG SƠN"
	Number string // e.g. "Số: 12/TTQH-BQL"
	Place  string // e.g. "Lạng Sơn"
	Date   time.Time
}

// VNDate writes a date as documents date themselves: "ngày 27 tháng 11 năm 2026".
func VNDate(t time.Time) string {
	return fmt.Sprintf("ngày %02d tháng %02d năm %d", t.Day(), int(t.Month()), t.Year())
}

func (l Letterhead) items(dst render.Surface, w float64, _ *landuse.Catalogue) []item {
	left, right := 0.45*w, 0.55*w
	size := 12 * pt
	lh := size * lineGap
	var ls []line
	if l.Parent != "" {
		ls = append(ls, wrapLines(dst, strings.ToUpper(l.Parent), size, false, left)...)
	}
	agency := wrapLines(dst, strings.ToUpper(l.Agency), size, true, left)
	ls = append(ls, agency...)
	motto := []line{{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", true}, {"Độc lập – Tự do – Hạnh phúc", true}}
	date := fmt.Sprintf("%s, %s", l.Place, VNDate(l.Date))
	h := float64(max(len(ls), len(motto))+2)*lh + 2
	return []item{{h: h, draw: func(dst render.Surface, x, y float64) {
		cy := y + size
		for _, ln := range ls {
			dst.Text(render.Text{X: x + left/2, Y: cy, S: ln.s, Size: size, Bold: ln.bold, Color: black, Align: render.Center})
			cy += lh
		}
		rule := func(cx, y, width float64) {
			dst.Stroke(render.Line(cx-width/2, y, cx+width/2, y), render.Pen{Color: black, Width: 0.3})
		}
		// under the last line, clear of the dots below Vietnamese letters
		rule(x+left/2, cy-lh+2.4, min(left*0.5, 30))
		dst.Text(render.Text{X: x + left/2, Y: cy + lh*0.7, S: l.Number, Size: size, Color: black, Align: render.Center})
		my := y + size
		msize := []float64{11.5 * pt, 12.5 * pt}
		for i, m := range motto {
			dst.Text(render.Text{X: x + left + right/2, Y: my, S: m.s, Size: msize[i], Bold: true, Color: black, Align: render.Center})
			my += lh
		}
		rule(x+left+right/2, my-lh+2.4, dst.TextWidth(motto[1].s, msize[1], true))
		dst.Text(render.Text{X: x + left + right/2, Y: my + lh*0.7, S: date, Size: size, Color: black, Align: render.Center})
	}}}
}

// Heading is a centred or numbered title.
type Heading struct {
	Text   string
	Size   float64 // em, mm; 0: 12 pt
	Center bool
}

func (hd Heading) items(dst render.Surface, w float64, _ *landuse.Catalogue) []item {
	size := hd.Size
	if size <= 0 {
		size = BodySize
	}
	ls := wrapLines(dst, hd.Text, size, true, w)
	lh := size * lineGap
	var out []item
	for i, ln := range ls {
		extra := 0.0
		if i == 0 {
			extra = lh * 0.5 // space above
		}
		ln := ln
		out = append(out, item{h: lh + extra, keep: true, draw: func(dst render.Surface, x, y float64) {
			t := render.Text{X: x, Y: y + extra + size, S: ln.s, Size: size, Bold: true, Color: black}
			if hd.Center {
				t.X, t.Align = x+w/2, render.Center
			}
			dst.Text(t)
		}})
	}
	return out
}

// Paragraph is wrapped text, broken over pages line by line.
type Paragraph struct {
	Text   string
	Size   float64 // em, mm; 0: BodySize
	Bold   bool
	Indent float64 // mm, every line
	Center bool
	Warn   bool // in red: a finding the reader must not miss
}

func (p Paragraph) items(dst render.Surface, w float64, _ *landuse.Catalogue) []item {
	size := p.Size
	if size <= 0 {
		size = BodySize
	}
	col := black
	if p.Warn {
		col = red
	}
	lh := size * lineGap
	var out []item
	for _, ln := range wrapLines(dst, p.Text, size, p.Bold, w-p.Indent) {
		ln := ln
		out = append(out, item{h: lh, draw: func(dst render.Surface, x, y float64) {
			t := render.Text{X: x + p.Indent, Y: y + size, S: ln.s, Size: size, Bold: p.Bold || ln.bold, Color: col}
			if p.Center {
				t.X, t.Align = x+w/2, render.Center
			}
			dst.Text(t)
		}})
	}
	return out
}

// Fields are label: value lines, values wrapped beside their labels.
type Fields struct {
	Rows  [][2]string
	Label float64 // label column width, mm; 0: 45
	Size  float64 // 0: BodySize
}

func (f Fields) items(dst render.Surface, w float64, _ *landuse.Catalogue) []item {
	size := f.Size
	if size <= 0 {
		size = BodySize
	}
	lw := f.Label
	if lw <= 0 {
		lw = 45
	}
	lh := size * lineGap
	var out []item
	for _, r := range f.Rows {
		vals := wrapLines(dst, r[1], size, false, w-lw)
		if len(vals) == 0 {
			vals = []line{{"", false}}
		}
		for i, v := range vals {
			label := ""
			if i == 0 {
				label = r[0]
			}
			v := v
			out = append(out, item{h: lh, draw: func(dst render.Surface, x, y float64) {
				dst.Text(render.Text{X: x, Y: y + size, S: label, Size: size, Bold: true, Color: black})
				dst.Text(render.Text{X: x + lw, Y: y + size, S: v.s, Size: size, Bold: v.bold, Color: black})
			}})
		}
	}
	return out
}

// Column is a table column.
type Column struct {
	Title string
	Width float64 // share of the table's width; the shares are normalised
	Right bool    // right-aligned (numbers)
}

// Row is a table row.
type Row struct {
	Cells []string
	Bold  bool
	Shade bool
	Red   bool // a finding: the row in red
}

// Table is a ruled table whose rows run over pages, its header repeated.
type Table struct {
	Columns []Column
	Rows    []Row
	Size    float64 // 0: 9 pt
}

func (t Table) items(dst render.Surface, w float64, _ *landuse.Catalogue) []item {
	size := t.Size
	if size <= 0 {
		size = SmallPt
	}
	total := 0.0
	for _, c := range t.Columns {
		total += c.Width
	}
	widths := make([]float64, len(t.Columns))
	for i, c := range t.Columns {
		widths[i] = w * c.Width / total
	}
	const pad = 1.0
	lh := size * lineGap
	row := func(r Row, header bool) item {
		cells := make([][]line, len(t.Columns))
		n := 1
		for i := range t.Columns {
			text := ""
			if i < len(r.Cells) {
				text = r.Cells[i]
			}
			cells[i] = wrapLines(dst, text, size, r.Bold || header, widths[i]-2*pad)
			n = max(n, len(cells[i]))
		}
		h := float64(n)*lh + 2*pad
		return item{h: h, draw: func(dst render.Surface, x, y float64) {
			if r.Shade || header {
				dst.Fill(render.Rect(x, y, w, h), shade)
			}
			col := black
			if r.Red {
				col = red
			}
			cx := x
			for i, c := range t.Columns {
				for k, ln := range cells[i] {
					ty := y + pad + float64(k)*lh + size
					tx, al := cx+pad, render.Left
					switch {
					case header:
						tx, al = cx+widths[i]/2, render.Center
					case c.Right:
						tx, al = cx+widths[i]-pad, render.Right
					}
					dst.Text(render.Text{X: tx, Y: ty, S: ln.s, Size: size, Bold: r.Bold || header || ln.bold, Color: col, Align: al})
				}
				cx += widths[i]
			}
			pen := render.Pen{Color: black, Width: 0.2}
			dst.Stroke(render.Rect(x, y, w, h), pen)
			cx = x
			for _, wd := range widths[:len(widths)-1] {
				cx += wd
				dst.Stroke(render.Line(cx, y, cx, y+h), pen)
			}
		}}
	}
	titles := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		titles[i] = c.Title
	}
	head := row(Row{Cells: titles}, true)
	out := []item{head}
	out[0].keep = true
	for _, r := range t.Rows {
		it := row(r, false)
		it.repeat = &head
		out = append(out, it)
	}
	return out
}

// Signature is the end of a document: recipients on the left, the
// signer's title, a note and room for the signature and seal on the right.
type Signature struct {
	Recipients []string // "Nơi nhận:" lines
	Title      string   // e.g. "NGƯỜI CUNG CẤP THÔNG TIN"
	Note       string   // e.g. "(Ký, ghi rõ họ tên, đóng dấu)"
	Name       string   // printed under the room for the signature
}

func (s Signature) items(dst render.Surface, w float64, _ *landuse.Catalogue) []item {
	size := BodySize
	small := 10 * pt
	lh := size * lineGap
	const room = 28.0 // mm for the signature and seal
	titles := wrapLines(dst, strings.ToUpper(s.Title), size, true, w*0.5)
	h := lh*0.8 + float64(len(titles)+1)*lh + room + lh
	h = max(h, lh*0.8+float64(len(s.Recipients)+1)*small*lineGap)
	return []item{{h: h, draw: func(dst render.Surface, x, y float64) {
		y += lh * 0.8
		if len(s.Recipients) > 0 {
			ry := y + small
			dst.Text(render.Text{X: x, Y: ry, S: "Nơi nhận:", Size: small, Bold: true, Color: black})
			for _, r := range s.Recipients {
				ry += small * lineGap
				dst.Text(render.Text{X: x, Y: ry, S: "– " + r, Size: small * 0.95, Color: black})
			}
		}
		cx := x + w*0.72
		ty := y + size
		for _, t := range titles {
			dst.Text(render.Text{X: cx, Y: ty, S: t.s, Size: size, Bold: true, Color: black, Align: render.Center})
			ty += lh
		}
		dst.Text(render.Text{X: cx, Y: ty, S: s.Note, Size: small, Color: black, Align: render.Center})
		if s.Name != "" {
			dst.Text(render.Text{X: cx, Y: ty + room, S: s.Name, Size: size, Bold: true, Color: black, Align: render.Center})
		}
	}}}
}

// Space is vertical space, mm.
type Space float64

func (s Space) items(render.Surface, float64, *landuse.Catalogue) []item {
	return []item{{h: float64(s), draw: func(render.Surface, float64, float64) {}}}
}

// line is one line of wrapped text.
type line struct {
	s    string
	bold bool
}

// wrapLines breaks text into lines no wider than w: at spaces, at the
// newlines it holds, and inside a word longer than a line.
func wrapLines(dst render.Surface, text string, size float64, bold bool, w float64) []line {
	var out []line
	for _, para := range strings.Split(text, "\n") {
		cur := ""
		for _, word := range strings.Fields(para) {
			for dst.TextWidth(word, size, bold) > w && len([]rune(word)) > 1 {
				if cur != "" {
					out, cur = append(out, line{cur, bold}), ""
				}
				r := []rune(word)
				k := len(r) - 1
				for k > 1 && dst.TextWidth(string(r[:k]), size, bold) > w {
					k--
				}
				out = append(out, line{string(r[:k]), bold})
				word = string(r[k:])
			}
			try := word
			if cur != "" {
				try = cur + " " + word
			}
			if cur != "" && dst.TextWidth(try, size, bold) > w {
				out, cur = append(out, line{cur, bold}), word
			} else {
				cur = try
			}
		}
		if cur != "" || len(out) == 0 && para != "" {
			out = append(out, line{cur, bold})
		}
	}
	return out
}

// fitText shortens s with "…" until it fits w.
func fitText(dst render.Surface, s string, size float64, bold bool, w float64) string {
	if dst.TextWidth(s, size, bold) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && dst.TextWidth(string(r)+"…", size, bold) > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}
