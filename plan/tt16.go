package plan

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"quyhoach/atomicfile"
	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/gis/dxf"
	"quyhoach/gis/landuse"
	"quyhoach/gis/render"
	"quyhoach/store"
)

// TT16Request is a plan version written as the electronic dossier of
// Thông tư 16/2025 (DOMAIN.md): HoSoGIS/ (GeoPackage, EPSG:9215, the
// common fields filled), HoSoScan/ (the plan's sheets and the dossier's
// documents as PDF and images), HoSoBASIC/ (editable originals: the plan as
// DXF, the dossier's DWG, DOCX and XLSX).
type TT16Request struct {
	Plan    string
	Version int    // 0: the current one
	Dir     string // the dossier's folder; it must not exist, or be empty
	// Catalogue names the lots' classes (tenDoiTuong) and colours the
	// sheets and the drawing.
	Catalogue *landuse.Catalogue
	Fonts     render.Fonts // of the sheets
	// Paper of the sheets printed into HoSoScan (default A1, landscape).
	Paper string
}

// TT16File is a file the dossier holds.
type TT16File struct {
	Path   string // relative to the dossier's folder, with /
	Size   int64
	SHA256 string
	What   string // in Vietnamese, for the manifest
}

// AttachmentSource gives an attachment's bytes; *store.Store satisfies it.
type AttachmentSource interface {
	Extract(ctx context.Context, dossier, attachment int64) (store.Attachment, []byte, error)
}

// The dossier's folders (DOMAIN.md).
var tt16Folders = []string{"HoSoGIS/QuyHoach", "HoSoGIS/HienTrang", "HoSoGIS/NenDiaHinh", "HoSoGIS/MocGioi", "HoSoScan", "HoSoBASIC"}

// ExportTT16 writes the TT 16 dossier of a plan version. Each file is
// written whole (atomicfile); a manifest DanhMuc.csv lists them with their
// SHA-256. src also gives the approving dossier's documents when it is an
// AttachmentSource.
func ExportTT16(ctx context.Context, src Source, req TT16Request) ([]TT16File, error) {
	if entries, err := os.ReadDir(req.Dir); err == nil && len(entries) > 0 {
		return nil, &ExportError{fmt.Sprintf("%s exists and is not empty: give a new folder for the dossier", req.Dir)}
	} else if err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	snap, err := src.Load(ctx, req.Plan, req.Version)
	if err != nil {
		return nil, err
	}
	var dossier *store.Dossier
	if snap.Version.Dossier != 0 {
		d, err := src.Dossier(ctx, snap.Version.Dossier)
		if err != nil {
			return nil, err
		}
		dossier = &d
	}
	for _, dir := range tt16Folders {
		if err := os.MkdirAll(filepath.Join(req.Dir, dir), 0o755); err != nil {
			return nil, err
		}
	}
	var files []TT16File
	write := func(rel, what string, fn func(*os.File) error) error {
		p := filepath.Join(req.Dir, filepath.FromSlash(rel))
		if err := atomicfile.Write(p, fn); err != nil {
			return err
		}
		f, err := describeFile(p, rel, what)
		if err != nil {
			return err
		}
		files = append(files, f)
		return nil
	}
	// HoSoGIS: the layers in the national grid, the common fields filled.
	layers := commonFields(snap, dossier, req.Catalogue)
	tr, _ := crs.New(crs.WGS84, crs.TM3LangSon)
	layers = gis.Project(layers, tr)
	var plan, markers []gis.Layer
	for _, l := range layers {
		if strings.HasPrefix(l.Name, "MocGioi") {
			markers = append(markers, l)
		} else {
			plan = append(plan, l)
		}
	}
	code := safeName(snap.Plan.Code)
	gpkgs := []struct {
		rel    string
		layers []gis.Layer
		what   string
	}{{"HoSoGIS/QuyHoach/" + code + ".gpkg", plan, "Dữ liệu GIS quy hoạch (GeoPackage, VN-2000 / TM-3 107-15)"},
		{"HoSoGIS/MocGioi/" + code + "_MocGioi.gpkg", markers, "Mốc giới quy hoạch (GeoPackage, VN-2000 / TM-3 107-15)"}}
	for _, g := range gpkgs {
		if len(g.layers) == 0 {
			continue
		}
		p := filepath.Join(req.Dir, filepath.FromSlash(g.rel))
		if err := store.WriteGeoPackage(ctx, p, g.layers, crs.TM3LangSon); err != nil {
			return nil, err
		}
		f, err := describeFile(p, g.rel, g.what)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	// HoSoScan: the plan's sheet.
	paper := req.Paper
	if paper == "" {
		paper = "A1"
	}
	doc, err := Sheets(ctx, src, req.Catalogue, req.Fonts, PrintRequest{Plan: snap.Plan.Code, Ref: Ref{Version: snap.Version.Number}, Paper: paper, Landscape: true})
	if err != nil {
		return nil, fmt.Errorf("the plan's sheet: %w", err)
	}
	if err := write("HoSoScan/"+code+"_BanDoQuyHoach.pdf", "Bản đồ quy hoạch tổng mặt bằng sử dụng đất (PDF)", func(f *os.File) error { return doc.Write(f) }); err != nil {
		return nil, err
	}
	// HoSoBASIC: the plan as an editable drawing.
	drawing := Drawing(layers, req.Catalogue)
	if err := write("HoSoBASIC/"+code+".dxf", "Bản vẽ quy hoạch dạng DXF (AutoCAD R2000, mét, VN-2000 / TM-3 107-15)", func(f *os.File) error { return dxf.Write(f, drawing) }); err != nil {
		return nil, err
	}
	// The approving dossier's documents, where they belong.
	if as, ok := src.(AttachmentSource); ok && dossier != nil {
		for _, a := range dossier.Attachments {
			folder := "HoSoScan"
			switch strings.ToLower(filepath.Ext(a.Name)) {
			case ".dwg", ".dxf", ".doc", ".docx", ".xls", ".xlsx", ".odt", ".ods":
				folder = "HoSoBASIC"
			}
			_, data, err := as.Extract(ctx, dossier.ID, a.ID)
			if err != nil {
				return nil, err
			}
			rel := folder + "/" + safeName(a.Name)
			if err := write(rel, attachmentWhat(a.Kind), func(f *os.File) error { _, err := f.Write(data); return err }); err != nil {
				return nil, err
			}
		}
	}
	slices.SortFunc(files, func(a, b TT16File) int { return strings.Compare(a.Path, b.Path) })
	err = write("DanhMuc.csv", "Danh mục hồ sơ", func(f *os.File) error { return writeManifest(f, snap, files) })
	return files, err
}

// commonFields returns the version's layers (WGS84, cloned) with the six
// fields TT 16 asks of every feature class filled: a value the feature
// has is kept, else maThongTinQH of the version, maHoSoQH of the dossier
// that made it, maDoiTuong numbered per layer, tenDoiTuong the class's or
// layer's name, phanLoai the class code, ghiChu empty.
func commonFields(snap *store.Snapshot, d *store.Dossier, cat *landuse.Catalogue) []gis.Layer {
	out := make([]gis.Layer, len(snap.Layers))
	for li, l := range snap.Layers {
		fs := make([]gis.Feature, len(l.Features))
		prefix := initials(l.Name)
		for i, f := range l.Features {
			p := make(map[string]any, len(f.Properties)+6)
			for k, v := range f.Properties {
				p[k] = v
			}
			set := func(k, v string) {
				if s, _ := p[k].(string); strings.TrimSpace(s) == "" {
					p[k] = v
				}
			}
			set("maThongTinQH", snap.Version.MaThongTinQH)
			if d != nil {
				set("maHoSoQH", d.Code)
			}
			set("maHoSoQH", "")
			set("maDoiTuong", fmt.Sprintf("%s-%02d", prefix, i+1))
			name, class := layerTitle(l.Name), ""
			if l.Name == gis.LandUseLayer && cat != nil {
				if c, ok := cat.Of(f); ok {
					name, class = c.NameVI, c.Code
				}
			}
			set("tenDoiTuong", name)
			set("phanLoai", class)
			set("ghiChu", "")
			fs[i] = gis.Feature{ID: f.ID, Geometry: orb.Clone(f.Geometry), Properties: p}
		}
		out[li] = gis.Layer{Name: l.Name, Features: fs}
	}
	return out
}

// initials abbreviates a TT 16 layer name for generated codes:
// RanhGioiQuyHoach_A → RGQH.
func initials(layer string) string {
	var b strings.Builder
	for _, r := range strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(layer, "_A"), "_L"), "_P") {
		if r >= 'A' && r <= 'Z' {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "DT"
	}
	return b.String()
}

// layerTitle is the Vietnamese name of a TT 16 layer.
func layerTitle(layer string) string {
	switch layer {
	case gis.LandUseLayer:
		return "Đất quy hoạch"
	case gis.BoundaryLayer:
		return "Ranh giới quy hoạch"
	case "ChiGioiDuongDo_L":
		return "Chỉ giới đường đỏ"
	case "ChiGioiXayDung_L":
		return "Chỉ giới xây dựng"
	case "TimDuongGiaoThong_L":
		return "Tim đường giao thông"
	case "MocGioiQuyHoach_P":
		return "Mốc giới quy hoạch"
	case "KhuVucDieuChinh_A":
		return "Khu vực điều chỉnh"
	case "PhanOQuyHoach_A":
		return "Phân ô quy hoạch"
	}
	return layer
}

func attachmentWhat(kind string) string {
	switch kind {
	case "to_trinh":
		return "Tờ trình"
	case "thuyet_minh":
		return "Thuyết minh"
	case "ban_ve":
		return "Bản vẽ"
	case "du_thao_quyet_dinh":
		return "Dự thảo quyết định"
	case "quy_dinh_quan_ly":
		return "Quy định quản lý"
	case "y_kien":
		return "Ý kiến"
	case "bao_cao_tham_dinh":
		return "Báo cáo thẩm định"
	case "quyet_dinh":
		return "Quyết định"
	}
	return kind
}

// safeName keeps a name to one path element.
func safeName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r < 0x20 {
			return '_'
		}
		return r
	}, strings.TrimSpace(s))
	if s == "" || s == "." || s == ".." {
		return "_"
	}
	return s
}

func describeFile(p, rel, what string) (TT16File, error) {
	f, err := os.Open(p)
	if err != nil {
		return TT16File{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return TT16File{}, err
	}
	return TT16File{Path: rel, Size: n, SHA256: hex.EncodeToString(h.Sum(nil)), What: what}, nil
}

// writeManifest writes DanhMuc.csv: the dossier's files, and its folders
// that hold nothing.
func writeManifest(w io.Writer, snap *store.Snapshot, files []TT16File) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"tep", "noi_dung", "kich_thuoc", "sha256"})
	for _, f := range files {
		cw.Write([]string{f.Path, f.What, strconv.FormatInt(f.Size, 10), f.SHA256})
	}
	for _, dir := range tt16Folders {
		empty := true
		for _, f := range files {
			empty = empty && !strings.HasPrefix(f.Path, dir+"/")
		}
		if empty {
			cw.Write([]string{dir + "/", "không có dữ liệu trong quyhoach", "", ""})
		}
	}
	cw.Flush()
	return cw.Error()
}
