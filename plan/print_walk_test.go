package plan

import (
	"bytes"
	"errors"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"quyhoach/gis"
	"quyhoach/store"
)

// TestWalkedPrintIsTheLoadedOne prints sample requests twice, the plan
// loaded and the plan walked (the threshold lowered to its size): the
// same text on the sheet (title block, balances, labels, legend), and the
// same page to the eye (poppler's rendering; vertices along straight
// sides are left out of the walked map, so anti-aliasing may differ a
// little), the walked map in layers.
func TestWalkedPrintIsTheLoadedOne(t *testing.T) {
	for _, tool := range []string{"pdftoppm", "pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skip("no poppler")
		}
	}
	st, cat := sampleStore(t), catalogue(t)
	lot := mustState(t, st, "chi-ma").Lots()[3].String("maDoiTuong")
	at := func() time.Time { return time.Date(2026, 5, 4, 0, 0, 0, 0, time.UTC) }
	dir := t.TempDir()
	for name, r := range map[string]PrintRequest{
		"plan":     {Plan: "chi-ma", Paper: "A3", Balance: true},
		"dossier":  {Plan: "chi-ma", Ref: Ref{Dossier: 2}, Paper: "A3", Adjusted: true, Balance: true},
		"lots":     {Plan: "chi-ma", Paper: "A4", Lots: []string{lot}},
		"english":  {Plan: "huu-nghi", Paper: "A2", Landscape: true, Lang: "en", Balance: true},
		"scale":    {Plan: "truc-trung-tam", Paper: "A4", Scale: 5000},
		"unlabels": {Plan: "dong-banh", Paper: "A3", NoLabels: true},
		"compare":  {Plan: "chi-ma", Ref: Ref{Dossier: 2}, Paper: "A3", Compare: true},
	} {
		r.Now = at
		var text [2][]byte
		var file [2]string
		for i, threshold := range []int{1 << 30, 1} {
			printWalkLots = threshold
			doc, err := Sheets(ctx, st, cat, fonts, r)
			printWalkLots = 20000
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			var buf bytes.Buffer
			if err := doc.Write(&buf); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if layered := bytes.Contains(buf.Bytes(), []byte("/Subtype /Form")); layered != (i == 1) {
				t.Fatalf("%s: walked %v, map in layers %v", name, i == 1, layered)
			}
			file[i] = filepath.Join(dir, name+[]string{"-loaded", "-walked"}[i])
			if err := os.WriteFile(file[i]+".pdf", buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			if text[i], err = exec.Command("pdftotext", "-layout", file[i]+".pdf", "-").Output(); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command("pdftoppm", "-png", "-r", "50", "-singlefile", file[i]+".pdf", file[i]).CombinedOutput(); err != nil || len(out) > 0 {
				t.Fatalf("%s: pdftoppm: %v %s", name, err, out)
			}
			if len(doc.Sheets) == 2 { // the adjustment beside the base
				if out, err := exec.Command("pdftoppm", "-png", "-r", "50", "-f", "2", "-singlefile", file[i]+".pdf", file[i]+"-2").CombinedOutput(); err != nil || len(out) > 0 {
					t.Fatalf("%s: pdftoppm: %v %s", name, err, out)
				}
			}
		}
		if !bytes.Equal(text[0], text[1]) {
			t.Errorf("%s: the walked sheet's text differs:\n%s\n---\n%s", name, text[0], text[1])
		}
		mean, off := pageDiff(t, file[0]+".png", file[1]+".png")
		t.Logf("%s: %d bytes of text, pages differ by %.3f/255 on average, %.4f%% pixels off", name, len(text[0]), mean, 100*off)
		if mean > 0.3 || off > 0.0005 {
			t.Errorf("%s: the walked page differs: mean %.3f/255, %.3f%% pixels off", name, mean, 100*off)
		}
		if _, err := os.Stat(file[0] + "-2.png"); err == nil {
			if mean, off := pageDiff(t, file[0]+"-2.png", file[1]+"-2.png"); mean > 0.3 || off > 0.0005 {
				t.Errorf("%s: the walked second page differs: mean %.3f/255, %.3f%% pixels off", name, mean, 100*off)
			}
		} else if r.Compare {
			t.Errorf("%s: no second page compared", name)
		}
	}
}

// pageDiff is the mean difference of two page images (0–255) and the share
// of pixels off by more than 64.
func pageDiff(t *testing.T, a, b string) (mean, off float64) {
	t.Helper()
	read := func(p string) *bytes.Reader {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return bytes.NewReader(data)
	}
	ia, err := png.Decode(read(a))
	if err != nil {
		t.Fatal(err)
	}
	ib, err := png.Decode(read(b))
	if err != nil {
		t.Fatal(err)
	}
	if ia.Bounds() != ib.Bounds() {
		t.Fatalf("pages %v and %v", ia.Bounds(), ib.Bounds())
	}
	var sum float64
	bad := 0
	bd := ia.Bounds()
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		for x := bd.Min.X; x < bd.Max.X; x++ {
			r1, g1, b1, _ := ia.At(x, y).RGBA()
			r2, g2, b2, _ := ib.At(x, y).RGBA()
			d := (math.Abs(float64(r1)-float64(r2)) + math.Abs(float64(g1)-float64(g2)) + math.Abs(float64(b1)-float64(b2))) / 3 / 257
			sum += d
			if d > 64 {
				bad++
			}
		}
	}
	n := float64(bd.Dx() * bd.Dy())
	return sum / n, float64(bad) / n
}

// TestWalkedPrintErrors: a lot code that is not in a walked plan is the
// loaded path's request error; a plan with no lots is refused the same
// way.
func TestWalkedPrintErrors(t *testing.T) {
	st, cat := sampleStore(t), catalogue(t)
	printWalkLots = 1
	defer func() { printWalkLots = 20000 }()
	_, err := Sheets(ctx, st, cat, fonts, PrintRequest{Plan: "chi-ma", Paper: "A3", Lots: []string{"KHONG-CO"}})
	var re *RequestError
	if !errors.As(err, &re) || re.Text(func(o string) string { return "--" + o }) != "--lots: no lot KHONG-CO in the plan" {
		t.Errorf("missing lot: %v", err)
	}
	if _, err := Sheets(ctx, st, cat, fonts, PrintRequest{Plan: "khong-co", Paper: "A3"}); err == nil {
		t.Errorf("a plan that is not there printed")
	}
}

// BenchmarkPrintA0100k prints a 100 000-lot version on A0, fitted, the
// plan walked and the plan loaded; MB-heap is the peak heap in use, MB-pdf
// the file's size.
func BenchmarkPrintA0100k(b *testing.B) {
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "s.db"), store.Options{Create: true})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if err := st.CreatePlan(ctx, store.Plan{Code: "lots", Name: "Lots", Level: "detailed", Scale: 500}); err != nil {
		b.Fatal(err)
	}
	if _, err := st.Import(ctx, store.ImportRequest{Plan: "lots", Layers: []gis.Layer{{Name: gis.LandUseLayer, Features: manyLots(100000)}}}); err != nil {
		b.Fatal(err)
	}
	cat := catalogue(b)
	for _, c := range []struct {
		name      string
		threshold int
	}{{"walked", 20000}, {"loaded", 1 << 30}} {
		b.Run(c.name, func(b *testing.B) {
			printWalkLots = c.threshold
			defer func() { printWalkLots = 20000 }()
			runtime.GC()
			var peak uint64
			var size int
			for b.Loop() {
				done, top := make(chan struct{}), make(chan uint64)
				go func() {
					var most uint64
					var ms runtime.MemStats
					for {
						runtime.ReadMemStats(&ms)
						most = max(most, ms.HeapInuse)
						select {
						case <-done:
							top <- most
							return
						case <-time.After(5 * time.Millisecond):
						}
					}
				}()
				doc, err := Sheets(ctx, st, cat, fonts, PrintRequest{Plan: "lots", Paper: "A0"})
				if err != nil {
					b.Fatal(err)
				}
				var buf countingWriter
				if err := doc.Write(&buf); err != nil {
					b.Fatal(err)
				}
				close(done)
				peak, size = max(peak, <-top), int(buf)
			}
			b.ReportMetric(float64(peak)/(1<<20), "MB-heap")
			b.ReportMetric(float64(size)/(1<<20), "MB-pdf")
		})
	}
}

// countingWriter counts what is written to it.
type countingWriter int64

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}
