package dxf

import (
	"bytes"
	"os"
	"testing"
)

// FuzzRead feeds the reader broken drawings: it must return a drawing or
// an error, never panic, and never exceed its budgets.
func FuzzRead(f *testing.F) {
	for _, p := range []string{"testdata/office.dxf"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b[:min(len(b), 6000)])
			f.Add(b)
		}
	}
	f.Add([]byte(dxfText("0\nLWPOLYLINE\n8\nA\n90\n3\n70\n1\n10\n0\n20\n0\n42\n1\n10\n1\n20\n0\n10\n1\n20\n1\n")))
	f.Add([]byte(dxfText("0\nHATCH\n8\nA\n91\n1\n92\n1\n93\n2\n72\n2\n10\n0\n20\n0\n40\n1\n50\n0\n51\n360\n73\n0\n72\n4\n94\n3\n73\n0\n74\n0\n95\n8\n96\n4\n40\n0\n40\n0\n40\n0\n40\n0\n40\n1\n40\n1\n40\n1\n40\n1\n10\n0\n20\n0\n10\n1\n20\n1\n10\n2\n20\n0\n10\n3\n20\n1\n97\n0\n")))
	f.Add([]byte(dxfText("0\nMTEXT\n1\n{\\f.VnTime|b0;M\xa7XD} 40%\\P\\S1^2;\n0\nTEXT\n1\n%%c%%d%%p%%123\n")))
	f.Add([]byte("0\nSECTION\n2\nBLOCKS\n0\nBLOCK\n2\nA\n0\nINSERT\n2\nA\n0\nENDBLK\n0\nENDSEC\n" + dxfText("0\nINSERT\n2\nA\n")))
	f.Fuzz(func(t *testing.T, data []byte) {
		o := Options{MaxVertices: 10_000, MaxTotalVertices: 200_000, MaxEntities: 20_000}
		d, err := Read(bytes.NewReader(data), o)
		if err != nil {
			return
		}
		if len(d.Entities) > o.MaxEntities {
			t.Fatalf("%d entities, past the budget", len(d.Entities))
		}
		n := 0
		for _, e := range d.Entities {
			n += len(e.Path)
			for _, r := range e.Rings {
				n += len(r)
			}
		}
		if n > o.MaxTotalVertices+o.MaxVertices {
			t.Fatalf("%d vertices, past the budget", n)
		}
	})
}
