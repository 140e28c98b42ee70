"""Pooling on the convolved image: max, avg or min over size x size windows moved by stride.

Windows that do not fit are dropped (Keras 'valid'). ``avg`` sums the window in float64 in row-major
order, divides by size*size and stores float32; max and min keep the convolved image's dtype.
"""

from __future__ import annotations

import numpy as np

from .options import PoolOptions


def pool_rows(convolved: np.ndarray, pool: PoolOptions, p0: int, p1: int) -> np.ndarray:
    """Pooled rows p0..p1."""
    out_h, out_w = pool.output_shape(*convolved.shape)
    size, step = pool.size, pool.step
    rows = p1 - p0
    if rows <= 0 or out_w == 0:
        return np.empty((max(rows, 0), out_w), dtype=pool_dtype(convolved.dtype, pool))

    def window(di: int, dj: int) -> np.ndarray:
        r = p0 * step + di
        return convolved[r:r + step * (rows - 1) + 1:step, dj:dj + step * (out_w - 1) + 1:step]

    offsets = [(di, dj) for di in range(size) for dj in range(size)]
    if pool.op == "avg":
        acc = np.zeros((rows, out_w), dtype=np.float64)
        for di, dj in offsets:
            acc += window(di, dj)
        acc /= size * size
        return acc.astype(np.float32)
    reduce = np.maximum if pool.op == "max" else np.minimum
    result = window(*offsets[0]).copy()
    for di, dj in offsets[1:]:
        reduce(result, window(di, dj), out=result)
    return result


def pool_dtype(dtype: np.dtype, pool: PoolOptions) -> np.dtype:
    return np.dtype(np.float32) if pool.op == "avg" else np.dtype(dtype)


def pool(convolved: np.ndarray, pool: PoolOptions) -> np.ndarray:
    """The pooled image."""
    return pool_rows(convolved, pool, 0, pool.output_shape(*convolved.shape)[0])
