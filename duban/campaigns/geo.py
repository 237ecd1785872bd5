"""Plain geometry on WGS-84 coordinates: distances, bounding boxes, polygons, the areas nearest to
each of several centres, and the GCJ-02 offset that Chinese map SDKs and tiles (AMap, Tencent)
apply, both ways."""

from __future__ import annotations

import math

EARTH_RADIUS_M = 6_371_008.8
_A = 6_378_245.0  # the Krasovsky ellipsoid GCJ-02 is defined on
_EE = 0.006_693_421_622_965_943


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def bounding_box(lat: float, lng: float, radius_m: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lng, max_lng) of a square holding the circle; a cheap index filter
    before the exact distance."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlng = math.degrees(radius_m / (EARTH_RADIUS_M * math.cos(math.radians(lat))))
    return lat - dlat, lat + dlat, lng - dlng, lng + dlng


def contains(polygon: list[list[float]], lat: float, lng: float) -> bool:
    """Whether the point lies inside the polygon, given as [[lat, lng], …] (ray casting)."""
    inside = False
    n = len(polygon)
    for i in range(n):
        (y1, x1), (y2, x2) = polygon[i], polygon[(i + 1) % n]
        if (y1 > lat) != (y2 > lat):
            x_cross = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
            if lng < x_cross:
                inside = not inside
    return inside


def _clip(polygon: list[tuple[float, float]], a: float, b: float, c: float) -> list[tuple[float, float]]:
    """The part of a polygon (x, y points) where a·x + b·y <= c (one Sutherland–Hodgman step)."""
    kept: list[tuple[float, float]] = []
    n = len(polygon)
    for i in range(n):
        p, q = polygon[i], polygon[(i + 1) % n]
        fp, fq = a * p[0] + b * p[1] - c, a * q[0] + b * q[1] - c
        if fp <= 0:
            kept.append(p)
        if (fp < 0 < fq) or (fq < 0 < fp):
            t = fp / (fp - fq)
            kept.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    return kept


def nearest_cells(centres: list[tuple[float, float]], within: list[list[float]]) -> list[list[list[float]]]:
    """For each (lat, lng) centre, the part of the `within` polygon ([[lat, lng], …]) nearer to it
    than to any other centre: its Voronoi cell, on a plane local to the district (longitude scaled
    by the cosine of the latitude), so a point in a cell has that centre as its nearest one.
    A cell that the polygon leaves empty is []."""
    if not centres or len(within) < 3:
        return [[] for _ in centres]
    scale = math.cos(math.radians(sum(lat for lat, _lng in centres) / len(centres)))
    points = [(lng * scale, lat) for lat, lng in centres]
    bounds = [(lng * scale, lat) for lat, lng in within]
    cells = []
    for i, (xi, yi) in enumerate(points):
        cell = bounds
        for j, (xj, yj) in enumerate(points):
            if j == i or (xj, yj) == (xi, yi) or not cell:
                continue
            # Nearer to i than to j: 2(pj - pi)·q <= |pj|² - |pi|².
            cell = _clip(cell, 2 * (xj - xi), 2 * (yj - yi), xj * xj + yj * yj - xi * xi - yi * yi)
        cells.append([[round(y, 6), round(x / scale, 6)] for x, y in cell] if len(cell) >= 3 else [])
    return cells


def box_around(points: list[tuple[float, float]], margin_m: float) -> list[list[float]]:
    """A rectangle ([[lat, lng], …]) holding every point with `margin_m` to spare on each side."""
    lats, lngs = [lat for lat, _lng in points], [lng for _lat, lng in points]
    south, _n, west, _e = bounding_box(min(lats), min(lngs), margin_m)
    _s, north, _w, east = bounding_box(max(lats), max(lngs), margin_m)
    return [[south, west], [north, west], [north, east], [south, east]]


def _out_of_china(lat: float, lng: float) -> bool:
    return not (73.66 < lng < 135.05 and 3.86 < lat < 53.55)


def _delta(lat: float, lng: float) -> tuple[float, float]:
    x, y = lng - 105.0, lat - 35.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    dlat += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    dlat += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    dlat += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    dlng = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    dlng += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    dlng += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    dlng += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    rad = math.radians(lat)
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    dlng = (dlng * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return dlat, dlng


def wgs84_to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    if _out_of_china(lat, lng):
        return lat, lng
    dlat, dlng = _delta(lat, lng)
    return lat + dlat, lng + dlng


def gcj02_to_wgs84(lat: float, lng: float) -> tuple[float, float]:
    """Inverse of `wgs84_to_gcj02` by fixed-point iteration (better than 1 cm after a few steps)."""
    if _out_of_china(lat, lng):
        return lat, lng
    wlat, wlng = lat, lng
    for _ in range(10):
        glat, glng = wgs84_to_gcj02(wlat, wlng)
        wlat, wlng = wlat - (glat - lat), wlng - (glng - lng)
        if abs(glat - lat) < 1e-9 and abs(glng - lng) < 1e-9:
            break
    return wlat, wlng
