"""The terms of one standard-mode output pixel, computed a whole window at a time (engine.explain uses it).

A 15x15 kernel has 225 terms; worked out one by one in Python they cost a step about a millisecond. Here the
border lookups are made once per row and once per column, the values are read in one indexing, and the
products and running sums are numpy float64 operations that round exactly as the loop's Python floats do:
each product is one IEEE multiply, and ``np.add.accumulate`` over a 1-D float64 array adds strictly left to
right (unlike ``np.sum``, which adds pairwise), so with a 0.0 in front its partial sums are the loop's
``total = total + product``, bit for bit, signed zeros included.
"""

from __future__ import annotations

import numpy as np

from .borders import source_index
from .images import MAX_ABS_VALUE


def window_terms(image: np.ndarray, kernel, top: int, left: int, border: str, row: int, col: int,
                 make_term) -> list | None:
    """``make_term(kernel_pos, input_pos, source_pos, origin, value, weight, product, running_sum)`` for each
    kernel cell in row-major order, for convolved[row, col] of a 2-D ``image`` (padding ``top``, ``left``);
    None when a value it reads is NaN, infinite or too large (the caller's loop then names the pixel)."""
    height, width = image.shape
    rows = [row + i - top for i in range(len(kernel))]
    cols = [col + j - left for j in range(len(kernel[0]))]
    row_sources = [source_index(r, height, border) for r in rows]
    col_sources = [source_index(c, width, border) for c in cols]
    values = image[np.ix_([0 if s is None else s for s in row_sources],
                          [0 if s is None else s for s in col_sources])].astype(np.float64)
    padded_rows = [i for i, s in enumerate(row_sources) if s is None]
    padded_cols = [j for j, s in enumerate(col_sources) if s is None]
    values[padded_rows, :] = 0.0  # zero padding: these cells read nothing
    values[:, padded_cols] = 0.0
    if not (np.isfinite(values).all() and (np.abs(values) <= MAX_ABS_VALUE).all()):
        return None
    products = values * np.asarray(kernel, dtype=np.float64)
    sums = np.add.accumulate(np.concatenate(([0.0], products.ravel())))[1:]
    values_list, products_list, sums_list = values.ravel().tolist(), products.ravel().tolist(), sums.tolist()
    terms = []
    n = 0
    for i, (r, sr) in enumerate(zip(rows, row_sources)):
        for j, (c, sc) in enumerate(zip(cols, col_sources)):
            if sr is None or sc is None:
                source, origin = None, "zero"
            else:
                source = (sr, sc)
                origin = "image" if sr == r and sc == c else border
            terms.append(make_term((i, j), (r, c), source, origin, values_list[n], kernel[i][j],
                                   products_list[n], sums_list[n]))
            n += 1
    return terms
