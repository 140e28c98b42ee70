"""Reading every sh-th row and sw-th column of a padded image straight from the image (for strided layers).

``fill_sampled`` writes ``out[y, x] = P[rows[y], cols[x]]`` where P is the image padded as ``border`` says
(engine.borders: numpy.pad's rules, also for pads wider than the image). The part inside the image is one
strided copy; only the few padded rows and columns are looked up one by one.

Every other column of an 8-bit image (stride 2, the common case) is not copied element by element: a row of
bytes read as little-endian 16-bit pairs holds column 2k in the low byte and 2k + 1 in the high byte, so one
phase is ``pairs & 255`` and the other ``pairs >> 8``, contiguous vector loops several times faster than a
strided copy.
"""

from __future__ import annotations

import numpy as np

from .borders import source_index


def _inside(indices: range, offset: int, size: int) -> tuple[int, int]:
    """The positions k (k0 <= k < k1) of ``indices`` whose index - offset lies inside 0..size-1."""
    step = indices.step
    first = min(len(indices), max(0, -(-(offset - indices.start) // step)))
    last = min(len(indices), max(0, -(-(offset + size - indices.start) // step)))
    return first, max(first, last)


_PAIRS = np.dtype("<u2")


def copy_columns(rows: np.ndarray, start: int, count: int, step: int, out: np.ndarray) -> None:
    """out[:, x] = rows[:, start + x * step] for x < count (``rows``: image rows, contiguous along a row)."""
    if count <= 0:
        return
    if step == 2 and rows.dtype == np.uint8 and rows.strides[-1] == 1 and out.dtype.kind in "uif":
        phase, base = start % 2, start - start % 2
        pairs = min(count, (rows.shape[-1] - base) // 2)
        if pairs > 0:
            source = rows[..., base:base + 2 * pairs].view(_PAIRS)
            target = out[..., :pairs]
            if target.dtype.itemsize == 2 and target.dtype.kind in "ui":
                target = target.view(np.uint16)  # the same bits for 0..255: no conversion loop
            with np.errstate(all="ignore"):
                if phase:
                    np.right_shift(source, 8, out=target, casting="unsafe")
                else:
                    np.bitwise_and(source, 255, out=target, casting="unsafe")
        if pairs < count:  # the last column of an odd width has no partner byte
            out[..., pairs:count] = rows[..., start + pairs * step:start + (count - 1) * step + 1:step]
        return
    out[..., :count] = rows[..., start:start + (count - 1) * step + 1:step]


def fill_sampled(image: np.ndarray, border: str, padding: tuple[int, int, int, int], rows: range, cols: range,
                 out: np.ndarray) -> None:
    """out[y, x] = padded[rows[y], cols[x]] (``padding``: rows above, below, columns left, right)."""
    height, width = image.shape
    top, _, left, _ = padding
    y0, y1 = _inside(rows, top, height)
    x0, x1 = _inside(cols, left, width)
    outside_cols = [(x, source_index(cols[x] - left, width, border)) for x in [*range(x0), *range(x1, len(cols))]]
    if y1 > y0:
        r0 = rows[y0] - top
        image_rows = image[r0:r0 + (y1 - y0 - 1) * rows.step + 1:rows.step]
        if x1 > x0:
            copy_columns(image_rows, cols[x0] - left, x1 - x0, cols.step, out[y0:y1, x0:x1])
        for x, source in outside_cols:
            out[y0:y1, x] = 0 if source is None else image_rows[:, source]
    for y in [*range(y0), *range(y1, len(rows))]:
        source = source_index(rows[y] - top, height, border)
        if source is None:
            out[y] = 0
            continue
        row = image[source]
        if x1 > x0:
            copy_columns(row, cols[x0] - left, x1 - x0, cols.step, out[y, x0:x1])
        for x, column in outside_cols:
            out[y, x] = 0 if column is None else row[column]


def fill_row_phases(image: np.ndarray, border: str, padding: tuple[int, int, int, int], start: int, count: int,
                    cols: range, out: np.ndarray) -> None:
    """out[pr, y, x] = padded[start + y * step + pr, cols[x]] for pr < step = out.shape[0] and y < count: all
    ``step`` row phases at once, so the image rows inside are read once, in order (one strided copy of
    whole groups of ``step`` rows), rather than every step-th row per phase."""
    step, height, width = out.shape[0], *image.shape
    top, left = padding[0], padding[2]
    g0 = min(count, max(0, -(-(top - start) // step)))  # groups of rows wholly inside the image: g0..g1
    g1 = max(g0, min(count, (top + height - start) // step))
    for groups in (range(g0), range(g1, count)):
        if len(groups):
            for pr in range(step):
                rows = range(start + groups.start * step + pr, start + groups.stop * step, step)
                fill_sampled(image, border, padding, rows, cols, out[pr, groups.start:groups.stop])
    if g1 == g0:
        return
    block = image[start + g0 * step - top:start + g1 * step - top].reshape(g1 - g0, step, width)
    target = out[:, g0:g1].transpose(1, 0, 2)
    x0, x1 = _inside(cols, left, width)
    if x1 > x0:
        copy_columns(block, cols[x0] - left, x1 - x0, cols.step, target[..., x0:x1])
    for x in [*range(x0), *range(x1, len(cols))]:
        source = source_index(cols[x] - left, width, border)
        target[..., x] = 0 if source is None else block[..., source]
