"""Makes office.dxf and office-problems.dxf: drawings as a CAD office draws
a 1/500 plan in AutoCAD — R2000, millimetres ($INSUNITS 4) in VN-2000 /
TM-3 107-15, lots as closed polylines and hatches on TT 16 layers and one
consultant's own layer, blocks (nested, rotated, scaled, MINSERT),
attributes, MTEXT with inline font changes, texts in TCVN3 (.VnTime,
.VnTimeH) and VNI fonts, a spline, an ellipse, a circle, boundary, red
line, road centre line, boundary markers, a dimension and a title block —
and office.json, what reading them must give (areas from ezdxf's own
flattening at 1e-6 m).

Run once (the outputs are committed):
  QT_QPA_PLATFORM=offscreen /usr/bin/python3 make_office.py
TCVN3 bytes come from glibc's iconv (TCVN5712-1), not from quyhoach.
"""
import json, math, subprocess
import ezdxf
from ezdxf.math import Vec2, closed_uniform_bspline

E0, N0 = 444000.0, 2430400.0   # metres: near Hữu Nghị gate
MM = 1000.0

def P(x, y):
    """Local metres to drawing millimetres."""
    return ((E0 + x) * MM, (N0 + y) * MM)

def tcvn3(s):
    b = subprocess.run(["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"], input=s.encode(), capture_output=True, check=True).stdout
    return b.decode("cp1252")  # ezdxf writes it back as these bytes (ANSI_1252)

def vni(s):
    # VNI by hand for the letters used: base letter + mark byte.
    table = {"ạ": "a\xef", "ế": "e\xe1", "ậ": "a\xe4", "ư": "\xf6", "ờ": "\xf4\xf8", "Đ": "\xd1", "ờ": "\xf4\xf8"}
    return "".join(table.get(c, c) for c in s)

def make(problems):
    doc = ezdxf.new("R2000", setup=False)
    doc.header["$INSUNITS"] = 4
    doc.header["$DWGCODEPAGE"] = "ANSI_1252"
    doc.styles.new("VNTIME", dxfattribs={"font": "VNTIME.TTF"}).set_extended_font_data(".VnTime")
    doc.styles.new("VNTIMEH", dxfattribs={"font": "VNTIMEH.TTF"}).set_extended_font_data(".VnTimeH")
    doc.styles.new("VNI", dxfattribs={"font": "VNI-TIMES.TTF"}).set_extended_font_data("VNI-Times")
    for name, color in [("DAT_O_Nhomnhao", 42), ("DAT_SX_Congnghiep", 192), ("KHO_NQ", 202), ("DAT_HTXH_CayxanhCC", 72),
                        ("DAT_Dichvu", 12), ("DAT_KHAC_Honuoc", 154), ("DAT_HTXH_Theducthethao", 94), ("DAT_Coquan", 34),
                        ("RANH_GIOI", 1), ("CHI_GIOI_DO", 1), ("TIM_DUONG", 8), ("MOC_GIOI", 7), ("TEXT_KH", 7),
                        ("KICH_THUOC", 3), ("KHUNG_TEN", 7)]:
        doc.layers.add(name, color=color)
    msp = doc.modelspace()
    H = 2.5 * MM
    def text(s, x, y, layer="TEXT_KH", style="Standard", h=H):
        msp.add_text(s, dxfattribs={"layer": layer, "style": style, "height": h, "insert": P(x, y)})
    lots = []

    # 1. ONM-01: closed polyline and a solid hatch of the same ring.
    ring = [P(0, 0), P(100, 0), P(100, 80), P(0, 80)]
    msp.add_lwpolyline(ring, close=True, dxfattribs={"layer": "DAT_O_Nhomnhao"})
    h = msp.add_hatch(color=42, dxfattribs={"layer": "DAT_O_Nhomnhao"})
    h.paths.add_polyline_path(ring, is_closed=True)
    text("ONM-01", 40, 50)
    text(tcvn3("MĐXD 40%"), 40, 40, style="VNTIME")
    text("3-5T", 40, 30)
    text(tcvn3("Nhà ở liên kế"), 40, 20, style="VNTIME")
    lots.append({"code": "ONM-01", "class": "ONM", "area": 8000.0, "name": "Nhà ở liên kế", "matDoXayDung": 40, "tangCaoMin": 3, "tangCaoMax": 5})

    # 2. CN-01: a polyline with an arc side (bulge), an MTEXT with inline fonts.
    b = 0.25
    msp.add_lwpolyline([(*P(120, 0), 0, 0, 0), (*P(220, 0), 0, 0, 0), (*P(220, 80), 0, 0, b), (*P(120, 80), 0, 0, 0)],
                       format="xyseb", close=True, dxfattribs={"layer": "DAT_SX_Congnghiep"})
    theta = 4 * math.atan(b); c = 100.0; r = c / (2 * math.sin(theta / 2))
    seg_area = r * r / 2 * (theta - math.sin(theta))
    msp.add_mtext("CN-01\\P{\\f.VnTime|b0|i0|c0|p18;" + tcvn3("HSSDĐ 1,2") + "}\\P{\\f.VnTime|b0|i0|c0|p18;" + tcvn3("Công nghiệp") + "}",
                  dxfattribs={"layer": "TEXT_KH", "char_height": H, "insert": P(150, 50)})
    lots.append({"code": "CN-01", "class": "CN", "area": 8000.0 + seg_area, "name": "Công nghiệp", "heSoSuDungDat": 1.2})

    # 3. KNQ-01: a hatch only, on the consultant's own layer, edges with an
    # arc, a hole; its code an attribute of a block, its name in VNI.
    h = msp.add_hatch(color=202, dxfattribs={"layer": "KHO_NQ"})
    ep = h.paths.add_edge_path(flags=1)
    ep.add_line(P(240, 0), P(340, 0))
    ep.add_line(P(340, 0), P(340, 80))
    ep.add_arc(P(290, 80), radius=50 * MM, start_angle=0, end_angle=180, ccw=True)
    ep.add_line(P(240, 80), P(240, 0))
    h.paths.add_polyline_path([P(270, 20), P(310, 20), P(310, 60), P(270, 60)], is_closed=True, flags=0)
    kh = doc.blocks.new("KYHIEU")
    kh.add_circle((0, 0), radius=4 * MM)
    kh.add_attdef("KH", (0, 0), dxfattribs={"height": H})
    ins = msp.add_blockref("KYHIEU", P(290, 70), dxfattribs={"layer": "TEXT_KH"})
    ins.add_attrib("KH", "KNQ-01", P(290, 70), dxfattribs={"height": H, "layer": "TEXT_KH"})
    text(vni("Kho ngoại quan"), 250, 10, style="VNI")
    lots.append({"code": "KNQ-01", "class": "KNQ", "area": 8000.0 + math.pi * 50 * 50 / 2 - 1600.0, "name": "Kho ngoại quan"})

    # 4. CXCC-01: a circle; its name in .VnTimeH, the capitals font.
    msp.add_circle(P(400, 40), radius=35 * MM, dxfattribs={"layer": "DAT_HTXH_CayxanhCC"})
    text("CXCC-01", 390, 45)
    text(tcvn3("cây xanh"), 390, 30, style="VNTIMEH")
    lots.append({"code": "CXCC-01", "class": "CXCC", "area": math.pi * 35 * 35, "name": "CÂY XANH"})

    # 5. Lots from blocks: LO (on layer 0) nested in CUM, rotated and scaled, a MINSERT.
    lo = doc.blocks.new("LO", base_point=(0, 0))
    lo.add_lwpolyline([(0, 0), (30 * MM, 0), (30 * MM, 20 * MM), (0, 20 * MM)], close=True, dxfattribs={"layer": "0"})
    cum = doc.blocks.new("CUM", base_point=(0, 0))
    cum.add_blockref("LO", (0, 0))
    cum.add_blockref("LO", (40 * MM, 0))
    msp.add_blockref("CUM", P(0, 100), dxfattribs={"layer": "DAT_O_Nhomnhao"})
    msp.add_blockref("LO", P(100, 130), dxfattribs={"layer": "DAT_Dichvu", "rotation": 90, "xscale": 2, "yscale": 2})
    mi = msp.add_blockref("LO", P(120, 100), dxfattribs={"layer": "DAT_Dichvu"})
    mi.grid(size=(1, 2), spacing=(0, 40 * MM))
    for code, cls, x, y, area in [("ONM-02", "ONM", 15, 110, 600.0), ("ONM-03", "ONM", 55, 110, 600.0), ("DV-01", "DV", 80, 160, 2400.0),
                                  ("DV-02", "DV", 135, 110, 600.0), ("DV-03", "DV", 175, 110, 600.0)]:
        text(code, x - 5, y)
        lots.append({"code": code, "class": cls, "area": area})

    # 6. MN-01: a closed spline.
    ctrl = [P(280, 180), P(330, 175), P(345, 210), P(310, 235), P(270, 220)]
    sp = msp.add_spline(dxfattribs={"layer": "DAT_KHAC_Honuoc"})
    sp.apply_construction_tool(closed_uniform_bspline(ctrl, order=4))
    text("MN-01", 300, 205)
    o = Vec2(P(0, 0))  # relative coordinates: no precision lost to 4e8 mm
    pts = [(Vec2(v) - o) / MM for v in sp.construction_tool().flattening(1e-6 * MM)]
    a = 0.0
    for p, q in zip(pts, pts[1:] + pts[:1]):
        a += p.x * q.y - q.x * p.y
    lots.append({"code": "MN-01", "class": "MN", "area": abs(a) / 2})

    # 7. TDTT-01: an ellipse.
    msp.add_ellipse(P(420, 140), major_axis=(40 * MM, 0), ratio=0.5, dxfattribs={"layer": "DAT_HTXH_Theducthethao"})
    text("TDTT-01", 410, 140)
    lots.append({"code": "TDTT-01", "class": "TDTT", "area": math.pi * 40 * 20})

    # Boundary, red line, road centre line, markers.
    msp.add_lwpolyline([P(-10, -10), P(470, -10), P(470, 250), P(-10, 250)], close=True, dxfattribs={"layer": "RANH_GIOI"})
    msp.add_lwpolyline([P(-10, -5), P(470, -5)], dxfattribs={"layer": "CHI_GIOI_DO"})
    msp.add_line(P(-10, -7.5), P(400, -7.5), dxfattribs={"layer": "TIM_DUONG"})
    msp.add_arc(P(400, 32.5), radius=40 * MM, start_angle=270, end_angle=360, dxfattribs={"layer": "TIM_DUONG"})
    moc = doc.blocks.new("MOC")
    moc.add_circle((0, 0), radius=0.5 * MM)
    moc.add_line((-1 * MM, 0), (1 * MM, 0))
    moc.add_line((0, -1 * MM), (0, 1 * MM))
    for i, (x, y) in enumerate([(-10, -10), (470, -10), (470, 250), (-10, 250)]):
        msp.add_blockref("MOC", P(x, y), dxfattribs={"layer": "MOC_GIOI"})
        text("M%d" % (i + 1), x + 1, y + 1, layer="MOC_GIOI", h=1 * MM)

    # A dimension and a title block: layers that map to nothing.
    dim = msp.add_linear_dim(base=P(50, -20), p1=P(0, 0), p2=P(100, 0), dxfattribs={"layer": "KICH_THUOC"})
    dim.render()
    msp.add_lwpolyline([P(480, -10), P(600, -10), P(600, 40), P(480, 40)], close=True, dxfattribs={"layer": "KHUNG_TEN"})
    text(tcvn3("Bản vẽ quy hoạch tổng mặt bằng"), 485, 20, layer="KHUNG_TEN", style="VNTIME")

    if problems:
        # An open polyline on a lot layer, a lot overlapping two others, a
        # lot without a code and one with two.
        msp.add_lwpolyline([P(0, 200), P(50, 200), P(50, 230)], dxfattribs={"layer": "DAT_O_Nhomnhao"})
        msp.add_lwpolyline([P(90, 60), P(130, 60), P(130, 90), P(90, 90)], close=True, dxfattribs={"layer": "DAT_Coquan"})
        text("CQ-01", 110, 85)
        msp.add_lwpolyline([P(480, 100), P(520, 100), P(520, 130), P(480, 130)], close=True, dxfattribs={"layer": "DAT_Coquan"})
        msp.add_lwpolyline([P(540, 100), P(580, 100), P(580, 130), P(540, 130)], close=True, dxfattribs={"layer": "DAT_Coquan"})
        text("CQ-02", 545, 115)
        text("CQ-03", 545, 105)
    doc.audit()
    return doc, lots

doc, lots = make(False)
doc.saveas("office.dxf")
doc, _ = make(True)
doc.saveas("office-problems.dxf")
json.dump({"origin": [E0, N0], "lots": lots, "boundary_area": 480.0 * 260.0}, open("office.json", "w"), ensure_ascii=False, indent=1)
