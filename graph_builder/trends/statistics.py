"""The statistics of the time trends: Theil-Sen slopes and Kleinberg's burst automaton."""

from __future__ import annotations

import math

import numpy as np

__all__ = ["kleinberg", "theil_sen"]

#: Pairs of periods handled at once by :func:`theil_sen` (bounds its memory).
_PAIR_CHUNK = 2_000_000


def theil_sen(shares: np.ndarray) -> np.ndarray:
    """Theil-Sen slope of each row of ``shares`` against 0, 1, 2, ...: the median of
    the slopes between every two columns.

    >>> theil_sen(np.array([[0.0, 1.0, 2.0, 3.0, 30.0], [5.0, 4.0, 3.0, 2.0, 1.0]])).tolist()
    [1.0, -1.0]
    """
    rows, columns = shares.shape
    if columns < 2 or rows == 0:
        return np.zeros(rows)
    i, j = np.triu_indices(columns, k=1)
    per_chunk = max(1, _PAIR_CHUNK // len(i))
    slopes = np.empty(rows)
    for start in range(0, rows, per_chunk):
        block = shares[start : start + per_chunk]
        slopes[start : start + per_chunk] = np.median((block[:, j] - block[:, i]) / (j - i), axis=1)
    return slopes


def kleinberg(
    counts: np.ndarray, totals: np.ndarray, s: float = 2.0, gamma: float = 1.0
) -> list[list[tuple[int, int, float]]]:
    """Bursts of each row of ``counts`` (events per period out of ``totals``), by
    Kleinberg's two-state automaton for batched arrivals.

    Returns, per row, ``(first period, last period, strength)`` of each run of the
    high state (periods are column indices, both ends included).

    >>> kleinberg(np.array([[0, 0, 10, 0, 0]]), np.array([10] * 5))
    [[(2, 2, 6.931472)]]
    """
    counts = np.asarray(counts, dtype=float)
    totals = np.asarray(totals, dtype=float)
    rows, n = counts.shape
    if n == 0 or rows == 0:
        return [[] for _ in range(rows)]
    base = counts.sum(axis=1) / max(totals.sum(), 1.0)
    p0 = np.clip(base, 1e-12, 1 - 1e-12)[:, None]
    p1 = np.clip(base * s, 1e-12, 1 - 1e-9)[:, None]
    misses = totals[None, :] - counts
    # -ln P(counts | state); the binomial coefficient is the same in both states.
    cost0 = -(counts * np.log(p0) + misses * np.log1p(-p0))
    cost1 = -(counts * np.log(p1) + misses * np.log1p(-p1))
    up = gamma * math.log(n) if n > 1 else gamma
    # Viterbi over two states, starting in the low one; moving down is free.
    best0, best1 = cost0[:, 0].copy(), cost1[:, 0] + up
    from_low1 = np.zeros((rows, n), dtype=bool)  # high at t came from low at t-1
    from_high0 = np.zeros((rows, n), dtype=bool)  # low at t came from high at t-1
    for t in range(1, n):
        stay0, drop = best0, best1
        stay1, rise = best1, best0 + up
        from_high0[:, t] = drop < stay0
        from_low1[:, t] = rise < stay1
        best0 = np.minimum(stay0, drop) + cost0[:, t]
        best1 = np.minimum(stay1, rise) + cost1[:, t]
    state = best1 < best0
    gain = cost0 - cost1
    high = np.zeros((rows, n), dtype=bool)
    current = state
    for t in range(n - 1, -1, -1):  # back along the cheapest path, every row at once
        high[:, t] = current
        current = np.where(current, ~from_low1[:, t], from_high0[:, t])
    result: list[list[tuple[int, int, float]]] = [[] for _ in range(rows)]
    for row in np.flatnonzero(high.any(axis=1)).tolist():
        result[row] = _runs(high[row].tolist(), gain[row])
    return result


def _runs(high: list[bool], gain: np.ndarray) -> list[tuple[int, int, float]]:
    runs, start = [], None
    for t, on in enumerate([*high, False]):
        if on and start is None:
            start = t
        elif not on and start is not None:
            runs.append((start, t - 1, round(float(gain[start:t].sum()), 6)))
            start = None
    return runs
