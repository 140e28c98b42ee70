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


def unit_pair(acc: np.ndarray, first: tuple[np.ndarray, int], second: tuple[np.ndarray, int]) -> bool:
    """Start acc as k0 * w0 + k1 * w1 in one pass when the weights are +-1 (not both -1); False otherwise."""
    (w0, k0), (w1, k1) = first, second
    if k0 == 1 and abs(k1) == 1:
        (np.add if k1 == 1 else np.subtract)(w0, w1, out=acc, casting="unsafe")
    elif k0 == -1 and k1 == 1:
        np.subtract(w1, w0, out=acc, casting="unsafe")
    else:
        return False
    return True


def float_sums(F: np.ndarray, taps: list[tuple[int, float]], shared: list[tuple[float, np.ndarray]],
               acc: np.ndarray, tmp: np.ndarray) -> None:
    """``acc`` (n values) = the float64 sums, tap by tap in the given order (row-major), with the loop's
    own roundings: each tap adds fl(k * v) to the running sum. ``taps``: (flat shift, k). ``F`` holds the
    padded values as float64 or as integers that float64 holds exactly (each multiply converts them first).

    ``shared`` lists (k, buffer) for kernel values that several taps use: F * k is computed once into the
    buffer and each such tap adds its slice; the products, and so every addition, are the same.
    The first tap sets acc = fl(k * v) rather than fl(0.0 + fl(k * v)); they differ only when the product
    is -0.0, and then only in the sign of a zero, which the finish's ``+ offset`` (never -0.0) removes."""
    n = acc.shape[0]
    products = {}
    for k, buffer in shared:
        products[k] = np.multiply(F[:buffer.shape[0]], k, out=buffer, dtype=np.float64)
    first = None  # the first tap's products while they sit in a products buffer: added, never copied
    for number, (shift, k) in enumerate(taps):
        product = products.get(k)
        if product is not None:
            term = product[shift:shift + n]
        elif number == 0:
            np.multiply(F[shift:shift + n], k, out=acc, dtype=np.float64)
            continue
        else:
            term = np.multiply(F[shift:shift + n], k, out=tmp, dtype=np.float64)
        if number == 0:
            first = term
        elif first is not None:
            np.add(first, term, out=acc)
            first = None
        else:
            np.add(acc, term, out=acc)
    if first is not None:
        np.copyto(acc, first)


def int_plan(groups: list[tuple[int, list[tuple[int, int]]]]) -> list[tuple[int, bool, list[tuple[int, int]]]]:
    """The order int_sums works in, from (m, [(shift, sign)]) groups: (m, flip, [(shift, sign)]) with the +1
    taps first (summed straight into acc), else the smallest group; a group whose taps are all negative is
    summed positive (flip) and subtracted. Exact sums do not depend on the order."""
    def negative(members):
        return all(sign < 0 for _, sign in members)

    order = sorted(groups, key=lambda group: (group[0] != 1 or negative(group[1]), len(group[1])))
    return [(m, negative(members), sorted([(shift, -sign if negative(members) else sign) for shift, sign in members],
                                          key=lambda tap: -tap[1])) for m, members in order]


def int_sums(F: np.ndarray, plan: list[tuple[int, bool, list[tuple[int, int]]]], acc: np.ndarray,
             tmp: np.ndarray) -> None:
    """``acc`` = the exact integer sums S = sum over magnitudes m of m * (the windows whose weight is +m,
    minus those at -m), in int_plan's order: one pass per tap and about two per magnitude. Each group sum
    is bounded by bound / m and every partial result by bound, so acc's dtype holds them."""
    n = acc.shape[0]
    if not plan:
        acc.fill(0)
        return
    for number, (magnitude, flip, signed) in enumerate(plan):
        factor = -magnitude if flip else magnitude
        if number == 0 and len(signed) == 1:
            shift, sign = signed[0]
            np.multiply(F[shift:shift + n], sign * factor, out=acc, casting="unsafe")
        elif number == 0 and factor == 1:
            _signed_sum(F, signed, acc)
        elif len(signed) == 1 and magnitude != 1:  # one tap: its products straight into tmp, then added
            shift, sign = signed[0]
            np.multiply(F[shift:shift + n], magnitude, out=tmp, casting="unsafe")
            (np.add if (sign > 0) != flip else np.subtract)(acc, tmp, out=acc)
        else:
            _signed_sum(F, signed, tmp)
            if number == 0:
                np.multiply(tmp, factor, out=acc, casting="unsafe")
                continue
            if magnitude != 1:
                tmp *= magnitude
            (np.subtract if flip else np.add)(acc, tmp, out=acc)


def _signed_sum(F: np.ndarray, signed: list[tuple[int, int]], target: np.ndarray) -> None:
    """target = the sum of the windows at ``signed`` (shift, +-1), +1 taps first; the first two in one pass."""
    n = target.shape[0]
    windows = [(F[shift:shift + n], sign) for shift, sign in signed]
    start = 2 if len(windows) > 1 and unit_pair(target, windows[0], windows[1]) else 1
    if start == 1:
        np.copyto(target, windows[0][0]) if windows[0][1] > 0 else np.negative(windows[0][0], out=target)
    for window, sign in windows[start:]:
        if sign > 0:
            target += window
        else:
            target -= window


def separable_sums(F: np.ndarray, column_taps: list[tuple[int, int]], row_taps: list[tuple[int, int]],
                   columns: np.ndarray, column_tmp: np.ndarray, acc: np.ndarray, tmp: np.ndarray) -> None:
    """``acc`` = the exact integer sums of a rank-one kernel a x b: a column pass (taps (row shift, a_i))
    over the n + kw - 1 positions the row pass reads (``columns``), then a row pass (taps (j, b_j)).
    |column sums| <= peak * sum|a| <= bound, so acc's dtype holds them too."""
    n = acc.shape[0]
    m = columns.shape[0]
    for taps, target, scratch_, window in ((column_taps, columns, column_tmp, lambda s: F[s:s + m]),
                                           (row_taps, acc, tmp, lambda j: columns[j:j + n])):
        paired = len(taps) > 1 and unit_pair(target, (window(taps[0][0]), taps[0][1]),
                                             (window(taps[1][0]), taps[1][1]))
        for number, (shift, k) in enumerate(taps[2 if paired else 0:]):
            accumulate(target, scratch_, window(shift), k, first=number == 0 and not paired)
