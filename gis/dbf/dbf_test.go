package dbf

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"quyhoach/gis/vntext"
)

func TestWriteRead(t *testing.T) {
	fields := []Field{{"maDoiTuong", 'C', 10, 0}, {"tenDoiTuon", 'C', 40, 0}, {"matDo", 'N', 10, 2}, {"tang", 'N', 10, 0}, {"coHT", 'L', 1, 0}}
	rows := [][]any{
		{"ONM-01", "Đất nhóm nhà ở", 42.5, 5.0, true},
		{"CN-01", "", nil, 3.0, false},
	}
	var buf bytes.Buffer
	if err := Write(&buf, fields, rows, time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	tab, err := Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()), vntext.UTF8)
	if err != nil {
		t.Fatal(err)
	}
	if tab.Records != 2 || len(tab.Fields) != 5 {
		t.Fatalf("%d records, %d fields", tab.Records, len(tab.Fields))
	}
	vals := make([]any, 5)
	for _, want := range rows {
		if _, err := tab.Next(vals); err != nil {
			t.Fatal(err)
		}
		for i := range want {
			if vals[i] != want[i] {
				t.Errorf("field %s: %v, want %v", fields[i].Name, vals[i], want[i])
			}
		}
	}
	if _, err := tab.Next(vals); !errors.Is(err, ErrDone) {
		t.Errorf("after the last record: %v", err)
	}
	if err := Write(&buf, []Field{{"toolongname", 'C', 5, 0}}, nil, time.Now()); err == nil {
		t.Error("an 11-byte name was written")
	}
	if err := Write(&buf, []Field{{"a", 'C', 3, 0}}, [][]any{{"Đất"}}, time.Now()); err == nil {
		t.Error("5 bytes of text went into 3")
	}
}

func TestEncodings(t *testing.T) {
	for cpg, want := range map[string]vntext.Encoding{"UTF-8": vntext.UTF8, "1258": vntext.CP1258, "CP1258": vntext.CP1258, "ANSI 1252": vntext.CP1252, "65001": vntext.UTF8} {
		if e, err := EncodingOfCPG(cpg + "\r\n"); err != nil || e != want {
			t.Errorf(".cpg %q: %s %v", cpg, e, err)
		}
	}
	if EncodingOfLDID(0x57) != vntext.CP1252 || EncodingOfLDID(0) != vntext.Auto {
		t.Error("language-driver bytes")
	}
}

func FuzzOpen(f *testing.F) {
	var buf bytes.Buffer
	Write(&buf, []Field{{"a", 'C', 4, 0}, {"b", 'N', 8, 2}, {"c", 'D', 8, 0}, {"d", 'L', 1, 0}}, [][]any{{"x", 1.5, nil, true}}, time.Now())
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := Open(bytes.NewReader(data), int64(len(data)), vntext.Auto)
		if err != nil {
			return
		}
		vals := make([]any, len(tab.Fields))
		for range tab.Records + 1 {
			if _, err := tab.Next(vals); err != nil {
				return
			}
		}
		t.Fatal("more records than the header says")
	})
}
