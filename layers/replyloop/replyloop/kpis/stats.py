"""Small statistics with stated definitions: shares, percentiles (linear interpolation), a response-time histogram."""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import pairwise

from replyloop.models.kpis import HistogramBin

__all__ = ["EDGES_SECONDS", "EN_DASH", "duration_label", "histogram", "median", "percentile", "share"]

# Candidate bin edges, from seconds (the demo's compressed clock) to days; a histogram uses a window of them.
EDGES_SECONDS = (
    5, 10, 30, 60, 2 * 60, 5 * 60, 15 * 60, 30 * 60,
    3600, 2 * 3600, 4 * 3600, 8 * 3600, 24 * 3600, 48 * 3600, 96 * 3600,
)  # fmt: skip
EN_DASH = "\u2013"
MAX_BINS = 8
MIN_BINS = 5


def share(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to divide by (never 0 % of nothing)."""
    return part / whole if whole else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100) with linear interpolation between closest ranks (numpy's default, Excel's
    PERCENTILE.INC): rank = q/100 * (n - 1), counted from 0. None for no values."""
    if not values:
        return None
    if not 0 <= q <= 100:
        raise ValueError("q is a percentage")
    ordered = sorted(values)
    rank = q / 100 * (len(ordered) - 1)
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: Sequence[float]) -> float | None:
    return percentile(values, 50)


def _unit(seconds: int) -> tuple[int, str]:
    for size, unit in ((24 * 3600, "d"), (3600, "h"), (60, "min")):
        if seconds >= size:
            return seconds // size, unit
    return seconds, "s"


def duration_label(seconds: int) -> str:
    """5 -> '5 s', 120 -> '2 min', 7200 -> '2 h', 172800 -> '2 d' (whole units, rounded down)."""
    amount, unit = _unit(seconds)
    return f"{amount} {unit}"


def _range_label(lower: int, upper: int) -> str:
    """'1-2 min', or '30 s-1 min' when the units differ (with an en dash)."""
    (low, low_unit), (high, high_unit) = _unit(lower), _unit(upper)
    if low_unit == high_unit:
        return f"{low}{EN_DASH}{high} {high_unit}"
    return f"{low} {low_unit}{EN_DASH}{high} {high_unit}"


def _first_above(value: float) -> int:
    return next((i for i, edge in enumerate(EDGES_SECONDS) if edge > value), len(EDGES_SECONDS) - 1)


def _window(values: Sequence[float]) -> tuple[int, ...]:
    """Consecutive edges from the first above the fastest answer to the first above the 95th percentile, so the
    bars spread over where the answers are and only outliers fall in the open-ended last bin. At least MIN_BINS
    bins (widened towards faster answers, then slower ones), at most MAX_BINS (the first then takes the fastest)."""
    high = _first_above(percentile(values, 95) or 0)
    low = max(0, min(_first_above(min(values)), high - (MIN_BINS - 2)), high - (MAX_BINS - 2))
    high = min(len(EDGES_SECONDS) - 1, max(high, low + MIN_BINS - 2))
    return EDGES_SECONDS[low : high + 1]


def histogram(values: Sequence[float]) -> list[HistogramBin]:
    """Counts per bin: '< e1', 'e1-e2', ..., '>= ek' (lower edge included, upper excluded); empty without values."""
    if not values:
        return []
    edges = _window(values)
    bins = [HistogramBin(label=f"< {duration_label(edges[0])}", upper_seconds=edges[0], count=0)]
    bins += [HistogramBin(label=_range_label(low, high), upper_seconds=high, count=0) for low, high in pairwise(edges)]
    bins.append(HistogramBin(label=f"≥ {duration_label(edges[-1])}", upper_seconds=None, count=0))
    counts = [0] * len(bins)
    for value in values:
        counts[next((i for i, edge in enumerate(edges) if value < edge), len(edges))] += 1
    return [b.model_copy(update={"count": n}) for b, n in zip(bins, counts, strict=True)]
