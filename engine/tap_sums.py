"""Kernel sums over a tile of output rows, tap by tap, each tap one contiguous pass.

A tile of T output rows reads T + kh - 1 padded rows. They are stored one after another in a flat array
``F`` (each row ``pw`` = padded width long) followed by kw - 1 zeros. Output pixel (r, c) of the tile sits
at flat index ``r * pw + c`` and its tap (i, j) reads ``F[r * pw + c + i * pw + j]``, so for every output
of the tile at once the tap is the contiguous slice ``F[s:s + n]`` with ``s = i * pw + j`` and
``n = T * pw``: one 1-D ufunc loop (numpy's fastest) per pass. The kw - 1 positions past the image's width
in each row are computed as well and never stored.
"""

from __future__ import annotations

import numpy as np


def accumulate(acc: np.ndarray, tmp: np.ndarray, window: np.ndarray, k: int, first: bool = False) -> None:
    """acc += k * window, exactly, in acc's integer dtype (tmp: scratch of acc's shape); the first tap
    sets acc instead (saves zeroing it)."""
    if first:
        np.multiply(window, k, out=acc, dtype=acc.dtype, casting="unsafe")
    elif k == 1:
        np.add(acc, window, out=acc, casting="unsafe")
    elif k == -1:
        np.subtract(acc, window, out=acc, casting="unsafe")
    else:
        np.multiply(window, k, out=tmp, dtype=tmp.dtype, casting="unsafe")
        acc += tmp


def float_sums(F: np.ndarray, taps: list[tuple[int, float]], shared: list[tuple[float, np.ndarray]],
               acc: np.ndarray, tmp: np.ndarray) -> None:
    """``acc`` (n values) = the float64 sums, tap by tap in the given order (row-major), with the loop's
    own roundings: each tap adds fl(k * v) to the running sum. ``taps``: (flat shift, k).

    ``shared`` lists (k, buffer) for kernel values that several taps use: F * k is computed once into the
    buffer and each such tap adds its slice; the products, and so every addition, are the same.
    The first tap sets acc = fl(k * v) rather than fl(0.0 + fl(k * v)); they differ only when the product
    is -0.0, and then only in the sign of a zero, which the finish's ``+ offset`` (never -0.0) removes."""
    n = acc.shape[0]
    products = {}
    for k, buffer in shared:
        products[k] = np.multiply(F[:buffer.shape[0]], k, out=buffer)
    for number, (shift, k) in enumerate(taps):
        product = products.get(k)
        if product is not None:
            source = product[shift:shift + n]
            if number == 0:
                np.copyto(acc, source)
            else:
                np.add(acc, source, out=acc)
        elif number == 0:
            np.multiply(F[shift:shift + n], k, out=acc)
        else:
            np.multiply(F[shift:shift + n], k, out=tmp)
            np.add(acc, tmp, out=acc)


def int_sums(F: np.ndarray, groups: list[tuple[int, list[tuple[int, int]]]], acc: np.ndarray,
             tmp: np.ndarray) -> None:
    """``acc`` = the exact integer sums S = sum over magnitudes m of m * (the windows whose weight is +m,
    minus those at -m): one add per tap and one multiply per magnitude; ``groups``: (m, [(shift, sign)]).
    Exact sums do not depend on the order, and each group sum is bounded by bound / m, so acc's dtype
    holds it."""
    n = acc.shape[0]
    started = False
    for magnitude, members in groups:
        target = acc if magnitude == 1 else tmp
        for number, (shift, sign) in enumerate(members):
            window = F[shift:shift + n]
            if number == 0 and (target is tmp or not started):
                np.copyto(target, window) if sign > 0 else np.negative(window, out=target)
            elif sign > 0:
                target += window
            else:
                target -= window
        if magnitude == 1:
            started = True
        elif started:
            tmp *= magnitude
            acc += tmp
        else:
            np.multiply(tmp, magnitude, out=acc)
            started = True
    if not started:
        acc.fill(0)


def separable_sums(F: np.ndarray, column_taps: list[tuple[int, int]], row_taps: list[tuple[int, int]],
                   columns: np.ndarray, column_tmp: np.ndarray, acc: np.ndarray, tmp: np.ndarray) -> None:
    """``acc`` = the exact integer sums of a rank-one kernel a x b: a column pass (taps (row shift, a_i))
    over the n + kw - 1 positions the row pass reads (``columns``), then a row pass (taps (j, b_j)).
    |column sums| <= peak * sum|a| <= bound, so acc's dtype holds them too."""
    n = acc.shape[0]
    m = columns.shape[0]
    for number, (shift, k) in enumerate(column_taps):
        accumulate(columns, column_tmp, F[shift:shift + m], k, first=number == 0)
    for number, (j, k) in enumerate(row_taps):
        accumulate(acc, tmp, columns[j:j + n], k, first=number == 0)
