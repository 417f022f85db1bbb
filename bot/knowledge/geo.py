"""Great-circle distance and a grid index for "the k nearest points", exact and fast at national scale.

A linear scan over 9,000+ puskesmas is fine once, not for every message. The index
buckets points by latitude/longitude cell and searches rings of cells outwards; it
stops only when no unseen cell can hold anything closer than the k-th best found, so
it returns exactly what a brute-force haversine scan returns.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np

EARTH_KM = 6371.0088  # mean Earth radius (IUGG)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Point:
    """A place on Earth in degrees: a puskesmas, or a location a user shared."""

    lat: float
    lon: float


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance in km along the Earth's surface between two points in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


class GridIndex(Generic[T]):
    """Points (lat, lon, item) bucketed in square degree cells; exact k-nearest by haversine."""

    def __init__(self, points: Iterable[tuple[float, float, T]], cell_deg: float = 0.25, max_cells: int = 49) -> None:
        self.cell = cell_deg
        self.max_cells = max_cells  # rings 0-3: beyond this the vectorised scan is faster
        self.items: list[tuple[float, float, float, T]] = []  # lat_rad, lon_rad, cos(lat), item
        self.cells: dict[tuple[int, int], list[int]] = defaultdict(list)
        for lat, lon, item in points:
            index = len(self.items)
            rlat = math.radians(lat)
            self.items.append((rlat, math.radians(lon), math.cos(rlat), item))
            self.cells[self._cell(lat, lon)].append(index)
        self.cells = dict(self.cells)
        lons = [math.degrees(item[1]) for item in self.items]
        self.lon_range = (min(lons), max(lons)) if lons else (0.0, 0.0)
        # Column arrays for the vectorised scan that answers when the rings would grow too wide.
        self._lat = np.array([item[0] for item in self.items], dtype=np.float64)
        self._lon = np.array([item[1] for item in self.items], dtype=np.float64)
        self._cos = np.cos(self._lat)

    def __len__(self) -> int:
        return len(self.items)

    def _cell(self, lat: float, lon: float) -> tuple[int, int]:
        return math.floor(lat / self.cell), math.floor(lon / self.cell)

    def _distance(self, rlat: float, rlon: float, coslat: float, index: int) -> float:
        plat, plon, pcos, _ = self.items[index]
        a = math.sin((plat - rlat) / 2) ** 2 + coslat * pcos * math.sin((plon - rlon) / 2) ** 2
        return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))

    def nearest(
        self, lat: float, lon: float, k: int = 3, accept: Callable[[T], bool] | None = None
    ) -> list[tuple[T, float]]:
        """The k nearest accepted items with their distance in km, nearest first (ties by insertion order)."""
        if k <= 0 or not self.items:
            return []
        if max(abs(lon - self.lon_range[0]), abs(lon - self.lon_range[1])) > 180:
            return self._fallback(lat, lon, k, accept)  # the nearer way round crosses the antimeridian
        rlat, rlon = math.radians(lat), math.radians(lon)
        coslat = math.cos(rlat)
        ci, cj = self._cell(lat, lon)
        best: list[tuple[float, int]] = []  # max-heap of (-distance, -index) holding the k best so far
        visited = 0
        ring = 0
        while True:
            for cell in _ring(ci, cj, ring):
                visited += 1
                for index in self.cells.get(cell, ()):
                    if accept is not None and not accept(self.items[index][3]):
                        continue
                    self._offer(best, k, self._distance(rlat, rlon, coslat, index), index)
            if len(best) == k and self._unseen_bound(lat, coslat, ring) > -best[0][0]:
                break
            ring += 1
            # Far from every point (at sea, or a sparse region): one vectorised pass is cheaper and as exact.
            if ring * self.cell >= 90 or visited > self.max_cells:
                return self._fallback(lat, lon, k, accept)
        return [(self.items[i][3], d) for d, i in sorted((-nd, -ni) for nd, ni in best)]

    def _unseen_bound(self, lat: float, coslat: float, ring: int) -> float:
        """A lower bound in km on the distance to any point outside the rings searched so far."""
        gap = math.radians(ring * self.cell)  # unseen points differ by at least this in latitude or longitude
        if gap <= 0:
            return 0.0
        far_lat = min(math.pi / 2, math.radians(abs(lat)) + gap)
        lon_bound = 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(coslat * math.cos(far_lat)) * math.sin(gap / 2)))
        return min(EARTH_KM * gap, lon_bound)

    @staticmethod
    def _offer(best: list[tuple[float, int]], k: int, distance: float, index: int) -> None:
        entry = (-distance, -index)
        if len(best) < k:
            heapq.heappush(best, entry)
        elif entry > best[0]:
            heapq.heapreplace(best, entry)

    def _fallback(self, lat: float, lon: float, k: int, accept: Callable[[T], bool] | None) -> list[tuple[T, float]]:
        return self.scan(lat, lon, k, accept) if accept is not None else self.scan_vectorised(lat, lon, k)

    def scan_vectorised(self, lat: float, lon: float, k: int = 3) -> list[tuple[T, float]]:
        """Every point at once with numpy; the same formula, order and tie-break as `scan`."""
        rlat, rlon = math.radians(lat), math.radians(lon)
        a = np.sin((self._lat - rlat) / 2) ** 2 + math.cos(rlat) * self._cos * np.sin((self._lon - rlon) / 2) ** 2
        if k < len(a):
            kth = np.partition(a, k - 1)[k - 1]
            candidates = np.flatnonzero(a <= kth)  # ties at the k-th place are all kept, then cut by index
        else:
            candidates = np.arange(len(a))
        order = candidates[np.lexsort((candidates, a[candidates]))][:k]
        rlat_cos = math.cos(rlat)
        return [(self.items[i][3], self._distance(rlat, rlon, rlat_cos, int(i))) for i in order]

    def scan(
        self, lat: float, lon: float, k: int = 3, accept: Callable[[T], bool] | None = None
    ) -> list[tuple[T, float]]:
        """The same answer as `nearest` by checking every point: the baseline and the fallback."""
        rlat, rlon = math.radians(lat), math.radians(lon)
        coslat = math.cos(rlat)
        best: list[tuple[float, int]] = []
        for index, item in enumerate(self.items):
            if accept is not None and not accept(item[3]):
                continue
            self._offer(best, k, self._distance(rlat, rlon, coslat, index), index)
        return [(self.items[i][3], d) for d, i in sorted((-nd, -ni) for nd, ni in best)]


def _ring(ci: int, cj: int, ring: int) -> Sequence[tuple[int, int]]:
    """The cells at Chebyshev distance `ring` from (ci, cj)."""
    if ring == 0:
        return ((ci, cj),)
    cells = [(ci - ring, cj + d) for d in range(-ring, ring + 1)]
    cells += [(ci + ring, cj + d) for d in range(-ring, ring + 1)]
    cells += [(ci + d, cj - ring) for d in range(-ring + 1, ring)]
    cells += [(ci + d, cj + ring) for d in range(-ring + 1, ring)]
    return cells
