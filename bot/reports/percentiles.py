"""Response-time percentiles from a histogram of (milliseconds, count), as PostgreSQL's percentile_cont."""

from __future__ import annotations

from collections.abc import Sequence

PERCENTILES = (0.5, 0.9, 0.95, 0.99)


def percentiles(histogram: Sequence[tuple[int, int]], points: Sequence[float] = PERCENTILES) -> dict[float, float]:
    """Percentiles (linear interpolation, as PostgreSQL's percentile_cont) from sorted (value, count) pairs."""
    total = sum(n for _v, n in histogram)
    if not total:
        return {}

    def value_at(position: int) -> int:
        seen = 0
        for value, n in histogram:
            seen += n
            if position < seen:
                return value
        return histogram[-1][0]

    out: dict[float, float] = {}
    for p in points:
        rank = p * (total - 1)  # 0-based position in the sorted values
        below = int(rank)
        lower, upper = value_at(below), value_at(min(below + 1, total - 1))
        out[p] = lower + (upper - lower) * (rank - below)
    return out
