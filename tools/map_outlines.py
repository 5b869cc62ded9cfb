"""Generate ``isgraph/web/assets/outlines.json``: the outlines of the départements and
régions of France as SVG paths, for the maps of ``isgraph serve``.

Source: the GeoJSON of gregoiredavid/france-geojson (IGN Admin Express COG 2018, names
and codes INSEE COG 2018; Licence Ouverte / Open Licence Etalab), as bundled in
``../shared/realdata/territory/geometry/``: the simplified metropolitan départements and
régions, and the five overseas départements (which are also régions) from the file with
overseas, simplified here. Metropolitan France is drawn in Lambert-93 (the official
projection, EPSG:2154); each overseas département in an inset of its own, at its own scale.

    python tools/map_outlines.py ../shared/realdata/territory/geometry > isgraph/web/assets/outlines.json

The output is deterministic: the test suite regenerates it and compares it byte for byte.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

#: The width of the drawing; its height follows metropolitan France's shape.
WIDTH = 1000.0
#: The left strip that holds the overseas insets.
STRIP = 170.0
#: Overseas départements: code → the région they also are, in the order of the insets.
OVERSEAS = {"971": "01", "972": "02", "973": "03", "974": "04", "976": "06"}
#: How far (in drawing units) a simplified outline may stray from the original.
TOLERANCE = 0.6

Ring = list[tuple[float, float]]


def lambert93(lon: float, lat: float) -> tuple[float, float]:
    """EPSG:2154: Lambert conformal conic on GRS80, parallels 44° and 49°, origin 46.5° N 3° E."""
    a, e = 6378137.0, 0.0818191910428158
    lat1, lat2, lat0, lon0 = (math.radians(v) for v in (44.0, 49.0, 46.5, 3.0))

    def m(phi: float) -> float:
        return math.cos(phi) / math.sqrt(1 - (e * math.sin(phi)) ** 2)

    def t(phi: float) -> float:
        return math.tan(math.pi / 4 - phi / 2) / ((1 - e * math.sin(phi)) / (1 + e * math.sin(phi))) ** (e / 2)

    n = math.log(m(lat1) / m(lat2)) / math.log(t(lat1) / t(lat2))
    f = m(lat1) / (n * t(lat1) ** n)
    rho0 = a * f * t(lat0) ** n
    rho = a * f * t(math.radians(lat)) ** n
    theta = n * (math.radians(lon) - lon0)
    return 700000 + rho * math.sin(theta), 6600000 + rho0 - rho * math.cos(theta)


def rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return [ring for polygon in polygons for ring in polygon]


def simplify(points: Ring, tolerance: float) -> Ring:
    """Douglas–Peucker, iterative, keeping the first and last points."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        far, index = 0.0, -1
        for i in range(first + 1, last):
            x, y = points[i]
            distance = abs(dy * (x - x1) - dx * (y - y1)) / length if length else math.hypot(x - x1, y - y1)
            if distance > far:
                far, index = distance, i
        if far > tolerance and index > 0:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def path(shapes: list[Ring]) -> str:
    parts = []
    for ring in shapes:
        simplified = simplify(ring, TOLERANCE)
        if len(simplified) < 4:
            continue
        parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in simplified[:-1]) + "Z")
    return "".join(parts)


def main(folder: Path) -> dict[str, Any]:
    departements = json.loads((folder / "departements-version-simplifiee.geojson").read_text(encoding="utf-8"))["features"]
    regions = json.loads((folder / "regions-version-simplifiee.geojson").read_text(encoding="utf-8"))["features"]
    overseas = {
        f["properties"]["code"]: f
        for f in json.loads((folder / "departements-avec-outre-mer.geojson").read_text(encoding="utf-8"))["features"]
        if f["properties"]["code"] in OVERSEAS
    }
    projected = {
        kind: {
            f["properties"]["code"]: [[lambert93(lon, lat) for lon, lat in ring] for ring in rings(f["geometry"])]
            for f in features
        }
        for kind, features in (("departement", departements), ("region", regions))
    }
    xs = [x for shapes in projected["departement"].values() for ring in shapes for x, _ in ring]
    ys = [y for shapes in projected["departement"].values() for ring in shapes for _, y in ring]
    scale = (WIDTH - STRIP - 10) / (max(xs) - min(xs))
    height = round((max(ys) - min(ys)) * scale + 20)

    def place(x: float, y: float) -> tuple[float, float]:
        return STRIP + (x - min(xs)) * scale, 10 + (max(ys) - y) * scale

    out: dict[str, Any] = {
        "source": "gregoiredavid/france-geojson 5d34ee6d0140c29f785fdb047d9329f1aab58833 (IGN Admin Express COG 2018, INSEE COG 2018)",
        "licence": "Licence Ouverte / Open Licence (Etalab) 2.0",
        "attribution": {
            "fr": "Contours : IGN Admin Express COG 2018, INSEE ; Licence Ouverte (Etalab)",
            "en": "Outlines: IGN Admin Express COG 2018, INSEE; Licence Ouverte (Etalab)",
        },
        "viewBox": f"0 0 {WIDTH:.0f} {height}",
        "insets": [],
        "departement": {},
        "region": {},
        "names": {},
    }
    for kind, features in (("departement", departements), ("region", regions)):
        for f in features:
            code = f["properties"]["code"]
            out[kind][code] = path([[place(x, y) for x, y in ring] for ring in projected[kind][code]])
            out["names"][f"{kind}/{code}"] = f["properties"]["nom"]
    box = (height - 20) / len(OVERSEAS)
    for i, (code, region) in enumerate(OVERSEAS.items()):
        feature = overseas[code]
        shapes = rings(feature["geometry"])
        lons = [lon for ring in shapes for lon, _ in ring]
        lats = [lat for ring in shapes for _, lat in ring]
        factor = math.cos(math.radians((min(lats) + max(lats)) / 2))
        width, tall = (max(lons) - min(lons)) * factor, max(lats) - min(lats)
        size = min((STRIP - 30) / width, (box - 30) / tall)
        left = 10 + (STRIP - 20 - width * size) / 2
        top = 10 + i * box + (box - 20 - tall * size) / 2
        drawn = path(
            [[(left + (lon - min(lons)) * factor * size, top + (max(lats) - lat) * size) for lon, lat in ring] for ring in shapes]
        )
        out["departement"][code] = drawn
        out["region"][region] = drawn
        out["names"][f"departement/{code}"] = feature["properties"]["nom"]
        out["names"][f"region/{region}"] = feature["properties"]["nom"]
        out["insets"].append({"x": 5, "y": round(5 + i * box, 1), "width": STRIP - 15, "height": round(box - 10, 1)})
    return out


if __name__ == "__main__":
    sys.stdout.write(json.dumps(main(Path(sys.argv[1])), ensure_ascii=False, sort_keys=True, indent=0) + "\n")
