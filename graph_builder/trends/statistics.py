"""The statistics of the time trends: Theil-Sen slopes, log-linear (Poisson) trends with their
confidence intervals, and Kleinberg's burst automaton."""

from __future__ import annotations

import math
from collections.abc import Callable
from statistics import NormalDist

import numpy as np

__all__ = ["kleinberg", "log_linear_trend", "theil_sen"]

#: The largest log-slope per period :func:`log_linear_trend` looks for: beyond it, unbounded.
_SLOPE_BOUND = 50.0
_BISECTIONS = 56

#: Pairs of periods handled at once by :func:`theil_sen` (bounds its memory).
_PAIR_CHUNK = 2_000_000


def _chi2_one(level: float) -> float:
    """The ``level`` quantile of chi-square with one degree of freedom: the square of the
    normal quantile of ``(1 - level) / 2`` (scipy.stats would cost its import; the lower
    tail keeps the precision of a level near 1).

    >>> round(_chi2_one(0.95), 4)
    3.8415
    """
    return NormalDist().inv_cdf((1 - level) / 2) ** 2


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


def log_linear_trend(
    counts: np.ndarray, totals: np.ndarray, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The trend of each row of ``counts`` (papers per period out of ``totals``): the slope
    ``b`` of a Poisson regression ``counts[t] ~ totals[t] * exp(a + b * t)``, so that the
    share of the period's papers is multiplied by ``exp(b)`` each period, and the bounds of
    its ``level`` profile-likelihood interval.

    The interval is widened by the row's overdispersion (quasi-Poisson): Pearson's chi-square
    of the fit over its degrees of freedom (periods with papers - 2), when above 1, so a
    row whose periods scatter around the fitted curve (a bump, one lucky period) is less
    sure of its slope. Periods without papers are left out (their positions count). Returns
    ``(slope, low, high)``, ``inf``/``-inf`` where unbounded (every paper in the last or the
    first period), and ``(0, -inf, inf)`` for a row without papers or with fewer than two
    periods with papers.

    >>> b, low, high = log_linear_trend(np.array([[10, 20, 40]]), np.array([100, 100, 100]))
    >>> round(float(b[0]), 4), bool(0 < low[0] < b[0] < high[0])
    (0.6931, True)
    """
    counts = np.asarray(counts, dtype=float)
    present = np.asarray(totals) > 0
    counts, log_n = counts[:, present], np.log(np.asarray(totals, dtype=float)[present])
    t = np.flatnonzero(present).astype(float)
    t -= t.mean() if t.size else 0.0
    rows = counts.shape[0]
    papers = counts.sum(axis=1)
    slope, low, high = np.zeros(rows), np.full(rows, -np.inf), np.full(rows, np.inf)
    fit = papers > 0
    if t.size < 2 or not fit.any():
        return slope, low, high
    y, papers = counts[fit], papers[fit]
    mean_t = y @ t / papers

    def loglik(b: np.ndarray) -> np.ndarray:  # profile log-likelihood, the intercept fitted
        w = b[:, None] * t + log_n
        top = w.max(axis=1)
        return papers * (b * mean_t - top - np.log(np.exp(w - top[:, None]).sum(axis=1)))

    def weights(b: np.ndarray) -> np.ndarray:  # each period's part of the fitted papers
        w = b[:, None] * t + log_n
        w = np.exp(w - w.max(axis=1, keepdims=True))
        return w / w.sum(axis=1, keepdims=True)

    edge = np.full(len(y), _SLOPE_BOUND)
    # The slope's score equation: the fitted mean time equals the papers' mean time.
    b = _bisect(lambda x: weights(x) @ t - mean_t, -edge, edge)
    expected = weights(b) * papers[:, None]
    pearson = np.divide((y - expected) ** 2, expected, out=np.zeros_like(y), where=expected > 0)
    dispersion = np.maximum(1.0, pearson.sum(axis=1) / max(t.size - 2, 1))
    floor = loglik(b) - dispersion * _chi2_one(level) / 2

    def rise(x: np.ndarray) -> np.ndarray:  # > 0 where x is inside the interval
        return loglik(x) - floor

    lower = _bisect(rise, -edge, b)
    upper = _bisect(lambda x: -rise(x), b, edge)
    b_low = np.where(rise(-edge) < 0, lower, -np.inf)
    b_high = np.where(rise(edge) < 0, upper, np.inf)
    limit = _SLOPE_BOUND * (1 - 1e-9)
    slope[fit] = np.where(b > limit, np.inf, np.where(b < -limit, -np.inf, b))
    low[fit], high[fit] = b_low, b_high
    return slope, low, high


def _bisect(f: Callable[[np.ndarray], np.ndarray], low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """A root of each element of the increasing function ``f`` between ``low`` and ``high``
    (elementwise, by bisection); the end nearer its values where it has none there."""
    low, high = low.copy(), high.copy()
    for _ in range(_BISECTIONS):
        middle = (low + high) / 2
        above = f(middle) > 0
        high, low = np.where(above, middle, high), np.where(above, low, middle)
    return (low + high) / 2


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
