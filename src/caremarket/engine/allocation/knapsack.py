"""Exact 0/1 knapsacks over whole units of hours, many at once, in NumPy.

Each capacity row (key) holds a handful of whole packages, so its best subset is a small 0/1
knapsack: sizes are whole units (a quarter hour for every real input), values are floats. The
column generation prices every key of many components in one call, so the dynamic programme
runs in *rounds*: round j adds the j-th item of every key at once, on a 2-D array with one row
per key. Keys whose positive items all fit are answered without the programme, and keys are
grouped by width (the capacity they can actually use) so a wide key does not widen the rest.

The answer is exact for the integer sizes given; callers choose how hours become units (rounded
down for a bound, rounded up for a placement that must fit, see ``compiled.py``).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from caremarket.engine.allocation.compiled import sum_by

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

# Values at or below this are never worth taking: zero, so the knapsack stays exact.
POSITIVE = 0.0
# A single group of keys while rows x widest row stays under this many cells.
CELLS_ONE_GROUP = 400_000


def knapsack(
    key_start: IntArray, size: IntArray, value: FloatArray, cap: IntArray
) -> tuple[FloatArray, BoolArray]:
    """Best value per key and one optimal subset (a mask over items).

    Items are grouped by key: those of key ``k`` are ``key_start[k]:key_start[k + 1]``. For each
    key, the subset maximises the sum of ``value`` with the sum of ``size`` at most ``cap[k]``.
    """
    n_key = len(cap)
    n_item = len(size)
    best = np.zeros(n_key)
    take = np.zeros(n_item, bool)
    if n_item == 0:
        return best, take
    counts = np.diff(key_start)
    key_of = np.repeat(np.arange(n_key, dtype=np.int64), counts)
    useful = (value > POSITIVE) & (size <= cap[key_of])
    used_size = np.where(useful, size, 0).astype(np.float64)
    total = sum_by(key_of, used_size, n_key)
    easy = total <= cap
    sure = useful & (easy[key_of] | (size == 0))
    take[sure] = True
    best += sum_by(key_of[sure], value[sure], n_key)
    hard_items = np.flatnonzero(useful & ~sure)
    if len(hard_items) == 0:
        return best, take
    hard_keys = np.flatnonzero(~easy)
    width = np.minimum(cap, total).astype(np.int64)  # the capacity a key can actually use
    for keys in _buckets(hard_keys, width[hard_keys]):
        in_bucket = np.zeros(n_key, bool)
        in_bucket[keys] = True
        items = hard_items[in_bucket[key_of[hard_items]]]
        value_b, take_b = _rounds(key_of[items], size[items], value[items], keys, width[keys])
        best[keys] += value_b
        take[items[take_b]] = True
    return best, take


def _buckets(keys: IntArray, width: IntArray) -> list[IntArray]:
    """Keys grouped by width: one group while the widest row stays cheap, else powers of two.

    Each round of the programme costs a few NumPy calls whatever its size, so fewer, fuller
    groups win until the arrays themselves get large.
    """
    if len(keys) * (int(width.max()) + 1) <= CELLS_ONE_GROUP:
        return [keys]
    bucket = np.ceil(np.log2(width + 1.0)).astype(np.int64)
    return [keys[bucket == b] for b in np.unique(bucket)]


def _rounds(
    item_key: IntArray, size: IntArray, value: FloatArray, keys: IntArray, width: IntArray
) -> tuple[FloatArray, BoolArray]:
    """The dynamic programme for keys with items to choose from (items sorted by key).

    Rows are keys by decreasing item count, so the keys that have a j-th item are always the
    first rows: each round works on a prefix view of the table, gathering with flat indices.
    """
    first = np.searchsorted(item_key, item_key)  # items are grouped by key
    rank = np.arange(len(item_key)) - first
    count = np.bincount(np.searchsorted(keys, item_key), minlength=len(keys))
    by_count = np.argsort(-count, kind="stable")
    row_of = np.empty(len(keys), np.int64)
    row_of[by_count] = np.arange(len(keys))
    rows = row_of[np.searchsorted(keys, item_key)]
    order = np.lexsort((rows, rank))
    ranks = rank[order]
    n_round = int(ranks[-1]) + 1
    bounds = np.searchsorted(ranks, np.arange(n_round + 1))
    w = int(width.max()) + 1
    pad = int(size.max())  # columns of -inf on the left: a shift past zero reads -inf
    stride = pad + w
    table = np.full((len(keys), stride), -np.inf)
    table[:, pad:] = 0.0
    dp = table[:, pad:]
    flat = table.reshape(-1)
    col = np.arange(w, dtype=np.int64)
    # Per item, where its row's shifted view starts in the flat table; per round, its slice.
    start = rows * stride + pad - size
    steps = [order[bounds[j] : bounds[j + 1]] for j in range(n_round)]
    taken: list[BoolArray] = []
    for sl in steps:  # round j: rows 0..len(sl)-1, in row order
        cand = flat[start[sl][:, None] + col]
        cand += value[sl][:, None]
        view = dp[: len(sl)]
        better = cand > view
        np.copyto(view, cand, where=better)
        taken.append(better)
    at = width[by_count].copy()  # per row
    best_rows = dp[np.arange(len(keys)), at]
    take = np.zeros(len(item_key), bool)
    for j in range(n_round - 1, -1, -1):
        sl = steps[j]
        t = taken[j][np.arange(len(sl)), at[: len(sl)]]
        take[sl[t]] = True
        at[: len(sl)][t] -= size[sl[t]]
    best = np.empty(len(keys))
    best[by_count] = best_rows
    return best, take


def knapsack_one(size: IntArray, value: FloatArray, cap: int) -> BoolArray:
    """One key: an optimal subset (mask) of items with positive value within ``cap``."""
    useful = (value > POSITIVE) & (size <= cap)
    if int(size[useful].sum()) <= cap:
        return useful
    idx = np.flatnonzero(useful)
    dp = np.zeros(cap + 1)
    taken = np.zeros((len(idx), cap + 1), bool)
    for i, a in enumerate(idx):
        s = int(size[a])
        cand = dp[: cap + 1 - s] + value[a]
        better = cand > dp[s:]
        taken[i, s:] = better
        dp[s:] = np.where(better, cand, dp[s:])
    take = np.zeros(len(size), bool)
    c = cap
    for i in range(len(idx) - 1, -1, -1):
        if taken[i, c]:
            take[idx[i]] = True
            c -= int(size[idx[i]])
    return take
