"""Reading every sh-th row and sw-th column of a padded image straight from the image (for strided layers).

``fill_sampled`` writes ``out[y, x] = P[rows[y], cols[x]]`` where P is the image padded as ``border`` says
(engine.borders: numpy.pad's rules, also for pads wider than the image). The part inside the image is one
strided copy; only the few padded rows and columns are looked up one by one.
"""

from __future__ import annotations

import numpy as np

from .borders import source_index


def _inside(indices: range, offset: int, size: int) -> tuple[int, int]:
    """The positions k (k0 <= k < k1) of ``indices`` whose index - offset lies inside 0..size-1."""
    step = indices.step
    first = max(0, -(-(offset - indices.start) // step))
    last = min(len(indices), max(0, -(-(offset + size - indices.start) // step)))
    return first, max(first, last)


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
            c0 = cols[x0] - left
            out[y0:y1, x0:x1] = image_rows[:, c0:c0 + (x1 - x0 - 1) * cols.step + 1:cols.step]
        for x, source in outside_cols:
            out[y0:y1, x] = 0 if source is None else image_rows[:, source]
    for y in [*range(y0), *range(y1, len(rows))]:
        source = source_index(rows[y] - top, height, border)
        if source is None:
            out[y] = 0
            continue
        row = image[source]
        if x1 > x0:
            c0 = cols[x0] - left
            out[y, x0:x1] = row[c0:c0 + (x1 - x0 - 1) * cols.step + 1:cols.step]
        for x, column in outside_cols:
            out[y, x] = 0 if column is None else row[column]
