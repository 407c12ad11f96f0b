package landuse_test

import (
	"image/color"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"quyhoach/assets"
	"quyhoach/gis"
	"quyhoach/gis/landuse"
)

func embedded(t *testing.T) *landuse.Catalogue {
	t.Helper()
	c, err := landuse.Parse(assets.LandUse)
	if err != nil {
		t.Fatalf("embedded catalogue: %v", err)
	}
	return c
}

func TestEmbeddedCatalogue(t *testing.T) {
	c := embedded(t)
	classes := c.Classes()
	if len(classes) < 30 {
		t.Fatalf("got %d classes, want every TT16 class and the border-gate ones", len(classes))
	}
	// Every layer of DOMAIN.md's table, with its ACI and RGB.
	want := map[string]struct {
		aci int
		rgb string
	}{
		"DAT_O_Nhomnhao": {42, "#cc9900"}, "DAT_O_Honhop_Nhomo": {22, "#cc3200"}, "DAT_O_Langxom": {57, "#7f7f40"},
		"DAT_Dichvu": {12, "#cc0000"}, "DAT_HTXH_Yte": {220, "#ff00bf"}, "DAT_HTXH_Vanhoa": {243, "#cc667f"},
		"DAT_HTXH_Theducthethao": {94, "#009900"}, "DAT_HTXH_Truonghoc": {15, "#994c4c"},
		"DAT_HTXH_CayxanhCC": {72, "#66cc00"}, "DAT_Cayxanhhanche": {94, "#009900"},
		"DAT_Cayxanhchuyendung": {126, "#007f5f"}, "DAT_SX_Congnghiep": {192, "#6600cc"},
		"DAT_DaotaoNC": {144, "#007399"}, "DAT_Coquan": {34, "#994c00"}, "DAT_Dulich": {210, "#ff00ff"},
		"DAT_Ditich_tongiao": {16, "#7f0000"}, "DAT_Anninh": {64, "#739900"}, "DAT_Quocphong": {79, "#394c26"},
		"DAT_HTKT_DuongGT": {251, "#5b5b5b"}, "DAT_HTKT_Baidoxe": {252, "#848484"},
		"DAT_HTKT_Hatangkhac": {199, "#39264c"}, "DAT_NN_Nongnghiep": {3, "#00ff00"},
		"DAT_NN_Rungsanxuat": {107, "#3f7f4f"}, "DAT_NN_Rungphongho": {129, "#264c43"},
		"DAT_NN_Rungdacdung": {148, "#00394c"}, "DAT_KHAC_Honuoc": {154, "#004c99"},
		"DAT_KHAC_Songsuoi": {152, "#0066cc"}, "DAT_KHAC_Chuasudung": {9, "#c0c0c0"},
	}
	for layer, w := range want {
		cl, ok := c.Lookup(layer)
		if !ok {
			t.Errorf("layer %s missing", layer)
			continue
		}
		if cl.ACI != w.aci || hex(cl.RGB) != w.rgb {
			t.Errorf("%s: got ACI %d %s, want %d %s", layer, cl.ACI, hex(cl.RGB), w.aci, w.rgb)
		}
	}
	borderGate := 0
	colours := map[string]string{}
	for _, cl := range classes {
		if cl.NameVI == "" || cl.NameEN == "" || cl.Group == "" {
			t.Errorf("%s: names and group required", cl.Code)
		}
		if cl.RGB.A != 0xff {
			t.Errorf("%s: colour not opaque", cl.Code)
		}
		if cl.Group == "border gate" {
			borderGate++
			if !strings.HasPrefix(cl.Layer, "DAT_CK_") {
				t.Errorf("%s: border-gate layer %s, want DAT_CK_…", cl.Code, cl.Layer)
			}
			if other, dup := colours[hex(cl.RGB)]; dup {
				t.Errorf("%s: colour %s already used by %s", cl.Code, hex(cl.RGB), other)
			}
		}
		if _, dup := colours[hex(cl.RGB)]; !dup {
			colours[hex(cl.RGB)] = cl.Code
		}
		for _, st := range landuse.Stages {
			if cl.Outline(st).WidthMM <= 0 {
				t.Errorf("%s: no outline for %s", cl.Code, st)
			}
		}
	}
	if borderGate < 4 {
		t.Errorf("got %d border-gate classes, want customs control, non-tariff zone, bonded warehouses, vehicle yards", borderGate)
	}
	if got := c.Codes(); len(got) != len(classes) || got[0] != classes[0].Code {
		t.Errorf("Codes() = %v, not in catalogue order", got)
	}
}

func hex(c color.NRGBA) string {
	const digits = "0123456789abcdef"
	b := []byte{'#', 0, 0, 0, 0, 0, 0}
	for i, v := range []uint8{c.R, c.G, c.B} {
		b[1+2*i], b[2+2*i] = digits[v>>4], digits[v&15]
	}
	return string(b)
}

func TestLookup(t *testing.T) {
	c := embedded(t)
	tests := []struct {
		in, code string
		ok       bool
	}{
		{"CN", "CN", true},
		{"cn", "CN", true},
		{"  OHH ", "OHH", true},
		{"DAT_SX_Congnghiep", "CN", true},
		{"dat_sx_congnghiep", "CN", true},
		{"DAT_HTXH_Theducthethao", "TDTT", true},
		{"DAT_Cayxanhhanche", "CXHC", true}, // same ACI 94 as sport, kept apart
		{"DAT_NN_Rungphongho", "RPH", true},
		{"DAT_CK_Phithuequan", "PTQ", true},
		{"KSLH", "KSLH", true},
		{"", "", false},
		{"XYZ", "", false},
		{"DAT_NN_Rung", "", false},
		{"C N", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			cl, ok := c.Lookup(tt.in)
			if ok != tt.ok || cl.Code != tt.code {
				t.Errorf("Lookup(%q) = %q, %v; want %q, %v", tt.in, cl.Code, ok, tt.code, tt.ok)
			}
		})
	}
}

func TestOf(t *testing.T) {
	c := embedded(t)
	f := gis.Feature{Properties: map[string]any{"phanLoai": "DAT_Dichvu"}}
	if cl, ok := c.Of(f); !ok || cl.Code != "DV" {
		t.Errorf("Of(DAT_Dichvu) = %q, %v; want DV", cl.Code, ok)
	}
	for _, props := range []map[string]any{nil, {"phanLoai": 12.0}, {"phanLoai": "nope"}} {
		if cl, ok := c.Of(gis.Feature{Properties: props}); ok {
			t.Errorf("Of(%v) = %q, want no class", props, cl.Code)
		}
	}
}

func TestOutline(t *testing.T) {
	c := embedded(t)
	cn, _ := c.Lookup("CN")
	ht, dd, dh := cn.Outline("HT"), cn.Outline("QHDD"), cn.Outline("QHDH")
	if !(ht.WidthMM < dd.WidthMM) || len(ht.Dash) != 0 || len(dd.Dash) != 0 || len(dh.Dash) == 0 {
		t.Errorf("CN outlines: HT %+v, QHDD %+v, QHDH %+v; want thin, solid band, dashed", ht, dd, dh)
	}
	for _, s := range []string{"", "qhdd", " QHDD ", "other"} {
		if got := cn.Outline(s); !reflect.DeepEqual(got, dd) {
			t.Errorf("Outline(%q) = %+v, want the QHDD one %+v", s, got, dd)
		}
	}
	if got := cn.Outline(" ht"); !reflect.DeepEqual(got, ht) {
		t.Errorf("Outline(\" ht\") = %+v, want %+v", got, ht)
	}
	gt, _ := c.Lookup("GT")
	if gt.Outline("QHDD").WidthMM == dd.WidthMM || gt.Outline("HT").WidthMM != ht.WidthMM {
		t.Errorf("GT outlines %+v: want the QHDD override and the default HT", gt.Outlines)
	}
}

func TestStage(t *testing.T) {
	for in, want := range map[string]string{"HT": "HT", "ht ": "HT", "QHDH": "QHDH", "qhdd": "QHDD", "": "QHDD", "x": "QHDD"} {
		if got := landuse.Stage(in); got != want {
			t.Errorf("Stage(%q) = %q, want %q", in, got, want)
		}
	}
}

const okOutline = `"outline":{"HT":{"width_mm":0.13,"dash":[]},"QHDD":{"width_mm":0.35,"dash":[]},"QHDH":{"width_mm":0.35,"dash":[3,1.5]}}`

func catalogue(classes ...string) string {
	return `{` + okOutline + `,"classes":[` + strings.Join(classes, ",") + `]}`
}

func class(code, layer, rgb string, aci int, extra string) string {
	s := `{"code":"` + code + `","layer":"` + layer + `","name_vi":"Đất","name_en":"Land","group":"g","aci":` +
		strconv.Itoa(aci) + `,"rgb":"` + rgb + `"`
	if extra != "" {
		s += "," + extra
	}
	return s + "}"
}

func TestParseErrors(t *testing.T) {
	a := class("A", "DAT_A", "#112233", 1, "")
	tests := []struct {
		name, data, want string
	}{
		{"empty", ``, "EOF"},
		{"not json", `[1,2]`, "cannot unmarshal"},
		{"trailing", catalogue(a) + `{}`, "data after"},
		{"no classes", catalogue(), "no classes"},
		{"unknown member", catalogue(class("A", "DAT_A", "#112233", 1, `"rbg":"#000000"`)), "unknown field"},
		{"duplicate code", catalogue(a, class("a", "DAT_B", "#112233", 2, "")), `"a" is already used by class 1`},
		{"duplicate layer", catalogue(a, class("B", "dat_a", "#112233", 2, "")), `"dat_a" is already used`},
		{"code is another layer", catalogue(a, class("DAT_A", "DAT_B", "#112233", 2, "")), "already used"},
		{"empty code", catalogue(class("", "DAT_A", "#112233", 1, "")), "code"},
		{"code with space", catalogue(class("A B", "DAT_A", "#112233", 1, "")), "without spaces"},
		{"empty layer", catalogue(class("A", " ", "#112233", 1, "")), "layer"},
		{"short rgb", catalogue(class("A", "DAT_A", "#123", 1, "")), `rgb "#123"`},
		{"bad hex", catalogue(class("A", "DAT_A", "#12345g", 1, "")), "#rrggbb"},
		{"no hash", catalogue(class("A", "DAT_A", "1122334", 1, "")), "#rrggbb"},
		{"aci 0", catalogue(class("A", "DAT_A", "#112233", 0, "")), "aci 0"},
		{"aci 256", catalogue(class("A", "DAT_A", "#112233", 256, "")), "aci 256"},
		{"bad stage", catalogue(class("A", "DAT_A", "#112233", 1, `"outline":{"XX":{"width_mm":1}}`)), `unknown stage "XX"`},
		{"no width", catalogue(class("A", "DAT_A", "#112233", 1, `"outline":{"HT":{"dash":[1]}}`)), "width_mm missing"},
		{"negative dash", catalogue(class("A", "DAT_A", "#112233", 1, `"outline":{"HT":{"width_mm":0.2,"dash":[1,-1]}}`)), "dash length -1"},
		{"default stage missing", `{"outline":{"HT":{"width_mm":0.1}},"classes":[` + a + `]}`, "default outline: stage"},
		{"no name", catalogue(`{"code":"A","layer":"DAT_A","group":"g","aci":1,"rgb":"#000000"}`), "name_vi missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := landuse.Parse([]byte(tt.data))
			if err == nil {
				t.Fatalf("Parse succeeded with %d classes, want an error containing %q", len(c.Classes()), tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "landuse: ") {
				t.Errorf("got error %q, want one starting landuse: and containing %q", err, tt.want)
			}
		})
	}
}

func TestParseOverride(t *testing.T) {
	c, err := landuse.Parse([]byte(catalogue(
		class("A", "DAT_A", "#A0b0C0", 7, `"outline":{"QHDH":{"width_mm":0.5,"dash":[2,1,0.5,1]}}`),
		class("B", "DAT_B", "#000000", 250, ""))))
	if err != nil {
		t.Fatal(err)
	}
	a, _ := c.Lookup("dat_a")
	if a.RGB != (color.NRGBA{0xa0, 0xb0, 0xc0, 0xff}) {
		t.Errorf("got colour %v", a.RGB)
	}
	want := landuse.Outlines{
		HT:   landuse.Stroke{WidthMM: 0.13},
		QHDD: landuse.Stroke{WidthMM: 0.35},
		QHDH: landuse.Stroke{WidthMM: 0.5, Dash: []float64{2, 1, 0.5, 1}},
	}
	if !reflect.DeepEqual(a.Outlines, want) {
		t.Errorf("got outlines %+v, want %+v", a.Outlines, want)
	}
	b, _ := c.Lookup("B")
	if b.Outline("QHDH").WidthMM != 0.35 || len(b.Outline("QHDH").Dash) != 2 {
		t.Errorf("B keeps the default: got %+v", b.Outline("QHDH"))
	}
	if got := c.Classes(); len(got) != 2 || got[0].Code != "A" || got[1].Code != "B" {
		t.Errorf("Classes() = %v, want A, B in order", got)
	}
}
