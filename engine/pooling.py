"""Pooling on the convolved image: max, avg or min over size x size windows moved by stride.

Windows that do not fit are dropped (Keras 'valid'). ``avg`` sums the window in float64 in row-major
order, divides by size*size and stores float32; max and min keep the convolved image's dtype.
"""

from __future__ import annotations

import numpy as np

from .options import PoolOptions
from .scratch import scratch


def pool_rows(convolved: np.ndarray, pool: PoolOptions, p0: int, p1: int, out: np.ndarray | None = None
              ) -> np.ndarray:
    """Pooled rows p0..p1 (written into ``out`` when given, which is returned)."""
    out_h, out_w = pool.output_shape(*convolved.shape)
    size, step = pool.size, pool.step
    rows = max(p1 - p0, 0)
    if out is None:
        out = np.empty((rows, out_w), dtype=pool_dtype(convolved.dtype, pool))
    if rows == 0 or out_w == 0:
        return out

    def window(di: int, dj: int) -> np.ndarray:
        r = p0 * step + di
        return convolved[r:r + step * (rows - 1) + 1:step, dj:dj + step * (out_w - 1) + 1:step]

    if pool.op == "avg":
        acc = np.zeros((rows, out_w), dtype=np.float64)
        for di in range(size):
            for dj in range(size):
                acc += window(di, dj)
        acc /= size * size
        np.copyto(out, acc, casting="unsafe")
        return out
    # max and min do not depend on order: reduce each window's rows first (whole rows, contiguous), then
    # its columns (strided) on the smaller array
    reduce = np.maximum if pool.op == "max" else np.minimum
    first = p0 * step
    rows_of = [convolved[first + di:first + di + step * (rows - 1) + 1:step] for di in range(size)]
    lines = rows_of[0] if size == 1 else reduce(rows_of[0], rows_of[1])
    for more in rows_of[2:]:
        reduce(lines, more, out=lines)
    if size == step == 2 and lines.dtype == np.uint8 and lines.shape[1] % 2 == 0 and lines.flags.c_contiguous:
        _pairs_uint8(lines, reduce, out)
        return out
    columns = [lines[:, dj:dj + step * (out_w - 1) + 1:step] for dj in range(size)]
    if size == 1:
        np.copyto(out, columns[0])
        return out
    reduce(columns[0], columns[1], out=out)
    for more in columns[2:]:
        reduce(out, more, out=out)
    return out


def _pairs_uint8(lines: np.ndarray, reduce: np.ufunc, out: np.ndarray) -> None:
    """out = reduce of each pair of neighbouring columns of uint8 ``lines`` (even width), through a uint16
    view: one byte of each pair in the low half, one in the high half. Contiguous 16-bit operations have
    numpy's vector loops; a stride-2 uint8 one does not."""
    pairs = lines.view(np.uint16)
    low = scratch("pool_low", pairs.size, np.uint16).reshape(pairs.shape)
    high = scratch("pool_high", pairs.size, np.uint16).reshape(pairs.shape)
    np.bitwise_and(pairs, 0xFF, out=low)
    np.right_shift(pairs, 8, out=high)
    reduce(low, high, out=low)
    np.copyto(out, low[:, :out.shape[1]], casting="unsafe")


def pool_dtype(dtype: np.dtype, pool: PoolOptions) -> np.dtype:
    return np.dtype(np.float32) if pool.op == "avg" else np.dtype(dtype)


def pool(convolved: np.ndarray, pool: PoolOptions) -> np.ndarray:
    """The pooled image."""
    return pool_rows(convolved, pool, 0, pool.output_shape(*convolved.shape)[0])
