package sheet

import (
	"quyhoach/gis"
	"quyhoach/gis/landuse"
)

// The sheet's own words. An official sheet is Vietnamese (Lang "" or
// "vi"); on request (print --lang en) its furniture — legend, balance
// tables, title block labels, scale, notes — is written in English. The
// data it carries (the plan's and agencies' names, lot codes, decision
// numbers) stays as recorded. english holds every word the drawing code
// writes, keyed by the Vietnamese; TestEnglishSheetWords checks that an
// English sheet writes no Vietnamese of its own.
var english = map[string]string{
	"CHÚ GIẢI": "LEGEND",
	"Loại đất chưa có trong danh mục":                "Land use not in the catalogue",
	"Ranh giới lô hiện trạng (HT)":                   "Existing lot boundary (HT)",
	"Ranh giới lô quy hoạch đợt đầu (QHDD)":          "First-phase lot boundary (QHDD)",
	"Ranh giới lô quy hoạch dài hạn (QHDH)":          "Long-term lot boundary (QHDH)",
	"Ranh giới quy hoạch":                            "Plan boundary",
	"Ranh giới khu vực điều chỉnh":                   "Boundary of the adjusted area",
	"Tim đường giao thông":                           "Road centre line",
	"Ký hiệu lô đất, diện tích":                      "Lot code, area",
	"Mật độ xây dựng · tầng cao · hệ số sử dụng đất": "Building coverage · storeys · floor-area ratio",
	"SƠ ĐỒ VỊ TRÍ":                                   "LOCATION",
	"CÂN BẰNG ĐẤT KHU VỰC ĐIỀU CHỈNH":                "LAND BALANCE OF THE ADJUSTED AREA",
	"BẢNG CÂN BẰNG SỬ DỤNG ĐẤT":                      "LAND-USE BALANCE",
	"CÂN BẰNG ĐẤT TOÀN ĐỒ ÁN":                        "LAND BALANCE OF THE WHOLE PLAN",
	"STT":                                            "No.",
	"Ký hiệu":                                        "Code",
	"Phê duyệt (ha)":                                 "Approved (ha)",
	"Điều chỉnh (ha)":                                "Adjusted (ha)",
	"Diện tích (ha)":                                 "Area (ha)",
	"Tổng":                                           "Total",
	"… và %d loại đất khác":                          "… and %d other land uses",
	"CƠ QUAN PHÊ DUYỆT":                              "APPROVING AUTHORITY",
	"CƠ QUAN THẨM ĐỊNH":                              "APPRAISING AGENCY",
	"CƠ QUAN TỔ CHỨC LẬP":                            "ORGANISING AGENCY",
	"ĐƠN VỊ TƯ VẤN":                                  "CONSULTANT",
	"ĐỒ ÁN":                                          "PLAN",
	"TÊN BẢN VẼ":                                     "DRAWING",
	"QUYẾT ĐỊNH PHÊ DUYỆT":                           "APPROVAL DECISION",
	"ngày":                                           "of",
	"MÃ NIÊM PHONG DỮ LIỆU":                          "DATA SEAL",
	"KÝ HIỆU BẢN VẼ":                                 "DRAWING NO.",
	"TỶ LỆ":                                          "SCALE",
	"CHỦ NHIỆM ĐỒ ÁN":                                "PROJECT LEAD",
	"THIẾT KẾ":                                       "DESIGNED",
	"KIỂM TRA":                                       "CHECKED",
	"NGÀY":                                           "DATE",
	"B":                                              "N", // the north arrow: Bắc
	"Hệ tọa độ VN-2000, kinh tuyến trục 107°15′, múi chiếu 3° (EPSG:9215); X (N), Y (E) tính bằng mét; lưới %s m": "VN-2000, central meridian 107°15′, 3° zone (EPSG:9215); X (N), Y (E) in metres; grid %s m",
}

// word is a Vietnamese word of the drawing in the sheet's language.
func (s *Sheet) word(vi string) string {
	if s.Lang == "en" {
		if en, ok := english[vi]; ok {
			return en
		}
	}
	return vi
}

// num writes a number in the sheet's language (1.234,5 or 1,234.5).
func (s *Sheet) num(v float64, decimals int) string { return gis.Format(v, decimals, s.lang()) }

func (s *Sheet) lang() string {
	if s.Lang == "en" {
		return "en"
	}
	return "vi"
}

// className is a class's name in the sheet's language.
func (s *Sheet) className(c landuse.Class) string {
	if s.Lang == "en" && c.NameEN != "" {
		return c.NameEN
	}
	return c.NameVI
}

// ScaleTextIn is the numeric scale in a language: "TỶ LỆ 1/2000" ("vi",
// ScaleText), "SCALE 1/2000" ("en").
func (l Layout) ScaleTextIn(lang string) string {
	return (&Sheet{Lang: lang}).word("TỶ LỆ") + " 1/" + formatScale(l.Scale)
}
