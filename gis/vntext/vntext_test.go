package vntext

import (
	"bytes"
	"os/exec"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// letters are the Vietnamese letters with marks, lower and upper case.
const letters = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ" +
	"ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ"

func iconv(t *testing.T, from, to string, in []byte) []byte {
	t.Helper()
	if _, err := exec.LookPath("iconv"); err != nil {
		t.Skip("iconv not installed")
	}
	cmd := exec.Command("iconv", "-f", from, "-t", to)
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("iconv -f %s -t %s: %v", from, to, err)
	}
	return out
}

// TestTCVN3AgainstIconv holds every byte of the table against glibc's
// TCVN 5712:1993 converter, an implementation independent of ours.
func TestTCVN3AgainstIconv(t *testing.T) {
	for b := 0x80; b < 0x100; b++ {
		want := norm.NFC.String(string(iconv(t, "TCVN5712-1", "UTF-8", []byte{byte(b)})))
		if got := Decode([]byte{byte(b)}, TCVN3); got != want {
			t.Errorf("byte %#x: got %q, want %q", b, got, want)
		}
	}
}

func TestDecodeKnownText(t *testing.T) {
	for _, c := range []struct {
		in   string
		enc  Encoding
		want string
	}{
		// DOMAIN.md: what other programs show for a TCVN3 "Đất ở".
		{"\xa7\xcat \xeb", TCVN3, "Đất ở"},
		{"\xa7\xcat c\xabng nghi\xd6p", TCVN3, "Đất công nghiệp"},
		// The example of the vietnamese-conversion package's README.
		{"Xin cha\xf8o ca\xf9c ba\xefn", VNI, "Xin chào các bạn"},
		{"\xd1a\xe1t \xf4\xfb", VNI, "Đất ở"},
		{"\xd1A\xc1T \xd4\xdb", VNI, "ĐẤT Ở"},
		{"Khu v\xf6\xefc c\xf6\xfba kha\xe5u", VNI, "Khu vực cửa khẩu"},
		{"\xd0\xe2\xect \xf5\xd2", CP1258, "Đất ở"},
		{"caf\xe9", CP1252, "café"},
		{"Đất ở", UTF8, "Đất ở"},
		{"Đa\u0302\u0301t", Auto, "Đất"}, // NFC
		{"S\xe1nh", Auto, "Sánh"},        // invalid UTF-8 read as Windows-1252
	} {
		if got := Decode([]byte(c.in), c.enc); got != c.want {
			t.Errorf("Decode(%q, %s) = %q, want %q", c.in, c.enc, got, c.want)
		}
	}
}

func TestCP1258AgainstIconv(t *testing.T) {
	for _, r := range letters {
		s := string(r)
		b, err := Encode(s, CP1258)
		if err != nil {
			t.Fatal(err)
		}
		if want := norm.NFC.String(string(iconv(t, "CP1258", "UTF-8", b))); want != s {
			t.Errorf("%q: iconv reads our CP1258 %x as %q", s, b, want)
		}
		if got := Decode(b, CP1258); got != s {
			t.Errorf("%q: Decode(Encode) = %q", s, got)
		}
	}
}

func TestRoundTripEveryLetter(t *testing.T) {
	for _, e := range []Encoding{TCVN3, VNI, CP1258, UTF8} {
		for _, r := range letters {
			b, err := Encode(string(r), e)
			if err != nil {
				t.Errorf("%s: %v", e, err)
				continue
			}
			if got := Decode(b, e); got != string(r) {
				t.Errorf("%s: %q → %x → %q", e, string(r), b, got)
			}
		}
	}
	if _, err := Encode("日本", TCVN3); err == nil {
		t.Error("TCVN3 wrote Japanese")
	}
}

func TestRedecode(t *testing.T) {
	// "§Êt ë": a TCVN3 text that a program took as Windows-1252.
	if got := Redecode("§Êt ë", TCVN3, false); got != "Đất ở" {
		t.Errorf("got %q", got)
	}
	if got := Redecode("§Êt ë", TCVN3, true); got != "ĐẤT Ở" {
		t.Errorf("capitals: got %q", got)
	}
	if got := Redecode("Ñaát ôû", VNI, false); got != "Đất ở" {
		t.Errorf("VNI: got %q", got)
	}
	if got := Redecode("Đa\u0302\u0301t 日本", UTF8, false); got != "Đất 日本" {
		t.Errorf("utf-8: got %q", got)
	}
}

func TestFontEncoding(t *testing.T) {
	for _, c := range []struct {
		font string
		enc  Encoding
		caps bool
	}{
		{".VnTime", TCVN3, false}, {".VnTimeH", TCVN3, true}, {".VnArial", TCVN3, false},
		{"VNTIME.TTF", TCVN3, false}, {`C:\Fonts\vntimeh.ttf`, TCVN3, true}, {"vnarialh.shx", TCVN3, true},
		{"VNI-Times", VNI, false}, {"VNI-Helve-Condense.TTF", VNI, false},
		{"Arial", Auto, false}, {"txt.shx", Auto, false}, {"VnPro", Auto, false}, {"", Auto, false},
	} {
		e, caps := FontEncoding(c.font)
		if e != c.enc || caps != c.caps {
			t.Errorf("%q: got %s %v, want %s %v", c.font, e, caps, c.enc, c.caps)
		}
	}
}

func TestParse(t *testing.T) {
	for in, want := range map[string]Encoding{
		"utf-8": UTF8, "UTF8": UTF8, "cp1258": CP1258, "Windows-1258": CP1258, "ANSI_1258": CP1258,
		"cp1252": CP1252, "latin1": CP1252, "tcvn3": TCVN3, "ABC": TCVN3, "vni": VNI,
	} {
		if got, err := Parse(in); err != nil || got != want {
			t.Errorf("Parse(%q) = %s, %v", in, got, err)
		}
	}
	if _, err := Parse("ebcdic"); err == nil {
		t.Error("ebcdic parsed")
	}
	for _, n := range Names {
		if e, err := Parse(n); err != nil || e.String() != n {
			t.Errorf("%s does not round-trip: %s %v", n, e, err)
		}
	}
}
