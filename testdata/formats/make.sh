#!/usr/bin/env bash
# Makes the format fixtures from the sample plan of Chi Ma (assets/sample/chi-ma/v1),
# once, with GDAL 3.6's ogr2ogr (and glibc's iconv for TCVN3). The outputs are committed;
# README.md says what each holds.
set -euo pipefail
cd "$(dirname "$0")"
S=../../assets/sample/chi-ma/v1
L=ChucNangSuDungDat_A
rm -rf chi-ma.dxf chi-ma-cp1258.zip chi-ma.kml chi-ma.tab chi-ma.dat chi-ma.id chi-ma.map chi-ma-tcvn3.zip chi-ma-tm3-106-50.zip tmp
mkdir tmp

# DXF: lots as hatches on CAD layers named by class code, their codes as MTEXT inside.
ogr2ogr -f DXF chi-ma.dxf $S/$L.geojson -dialect SQLite -sql \
  "SELECT geometry, phanLoai AS Layer, NULL AS OGR_STYLE FROM $L UNION ALL
   SELECT ST_PointOnSurface(geometry) AS geometry, phanLoai AS Layer,
          'LABEL(f:\"Arial\",s:2g,t:\"' || maDoiTuong || '\")' AS OGR_STYLE FROM $L"

# Shapefile, DBF in Windows-1258 (its .cpg says so), zipped.
ogr2ogr -f "ESRI Shapefile" -lco ENCODING=CP1258 tmp/cp1258 $S/$L.geojson 2>/dev/null
(cd tmp/cp1258 && zip -q -X ../../chi-ma-cp1258.zip $L.*)

# KML for Google Earth (LIBKML: attributes as ExtendedData).
ogr2ogr -f LIBKML chi-ma.kml $S/$L.geojson

# MapInfo TAB (four files).
# (BOUNDS: MapInfo stores integers over the bounds; the default ones round to ~2 cm here.)
ogr2ogr -f "MapInfo File" -lco BOUNDS=470000,2400000,490000,2410000 chi-ma.tab $S/$L.geojson

# Shapefile whose DBF holds TCVN3 (ABC) bytes, as old tables do, with no .cpg:
# names encoded by iconv (an en dash, which TCVN3 lacks, as a hyphen), written through
# GDAL byte for byte (ISO-8859-1).
python3 - "$S/$L.geojson" tmp/tcvn3.geojson <<'PY'
import json, subprocess, sys
d = json.load(open(sys.argv[1]))
for f in d["features"]:
    for k in ("tenDoiTuong", "ghiChu"):
        v = f["properties"].get(k)
        if v:
            v = f["properties"][k] = v.replace("\u2013", "-")  # TCVN3 has no en dash
            b = subprocess.run(["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"], input=v.encode(), capture_output=True, check=True).stdout
            f["properties"][k] = b.decode("latin-1")
json.dump(d, open(sys.argv[2], "w"), ensure_ascii=False)
PY
ogr2ogr -f "ESRI Shapefile" -lco ENCODING=ISO-8859-1 tmp/tcvn3 tmp/tcvn3.geojson -nln $L 2>/dev/null
rm tmp/tcvn3/$L.cpg
(cd tmp/tcvn3 && zip -q -X ../../chi-ma-tcvn3.zip $L.*)

# Shapefile in a VN-2000 TM-3 grid EPSG does not list (central meridian 106°50'),
# its .prj written as ArcGIS writes one.
ogr2ogr -f "ESRI Shapefile" -lco ENCODING=UTF-8 tmp/tm3 $S/$L.geojson \
  -t_srs "+proj=tmerc +lat_0=0 +lon_0=106.8333333333333 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 +towgs84=-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278 +units=m +no_defs" 2>/dev/null
cp ../../gis/crs/testdata/wkt/vn2000-tm3-106-50.esri.prj tmp/tm3/$L.prj
(cd tmp/tm3 && zip -q -X ../../chi-ma-tm3-106-50.zip $L.*)
rm -rf tmp
