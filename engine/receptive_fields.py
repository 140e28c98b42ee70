"""Receptive fields (engine.receptive_field): which pixels of the input, and of every layer in between, one
output pixel depends on.

Going down a layer, a set of output rows becomes the rows their windows read: a conv layer's pixel r reads
rows ``r*s - before + i*d`` (i = 0..k-1; s the stride, d the dilation, ``before`` the 'SAME' padding above,
0 for 'valid'), a pool layer's rows ``r*step .. r*step + size - 1``, a ReLU its own row; columns likewise.
Rows in the padding read nothing under the 'zero' border, and the image row the border mode copies under
the others (so near a 'wrap' border the field reaches the far side). Lab mode's 3x3 loop reads x-1..x+1 for
interior pixels and keeps the 1-pixel margin's own pixel.

The rectangle on each array is the bounding box of the pixels read (``clip=True``, the default). With
``clip=False`` it is the window arithmetic alone, padding included, whose height is
``1 + sum_l (k_l - 1) * d_l * prod_{i<l} s_i`` over the layers below the pixel (the textbook formula;
a pool layer has k = size, d = 1, s = its stride; a ReLU k = 1).
"""

from __future__ import annotations

import numpy as np

from .borders import source_index
from .errors import OptionsError
from .explain import _position
from .geometry import Rect
from .layer_options import same_padding
from .pipeline import ConvLayer, Layer, Pipeline, PoolLayer, output_shapes


def _axis_taps(layer: Layer, axis: int, in_size: int) -> tuple[int, int, int, int]:
    """(stride, dilation, taps, before) of a layer along one axis (0 rows, 1 columns)."""
    if isinstance(layer, PoolLayer):
        return layer.pool.step, 1, layer.pool.size, 0
    if isinstance(layer, ConvLayer):
        o = layer.options
        if o.lab:
            return 1, 1, 3, 1
        before = 0 if o.border == "valid" else same_padding(in_size, o.shape[axis], o.stride[axis],
                                                            o.dilation[axis])[0]
        return o.stride[axis], o.dilation[axis], o.shape[axis], before
    return 1, 1, 1, 0


def _read(layer: Layer, axis: int, indices: np.ndarray, in_size: int) -> np.ndarray:
    """The sorted input indices (along one axis) that the given output indices read, padding resolved."""
    step, gap, taps, before = _axis_taps(layer, axis, in_size)
    read = (indices[:, None] * step - before + np.arange(taps)[None, :] * gap).ravel()
    border = layer.options.border if isinstance(layer, ConvLayer) and not layer.options.lab else "zero"
    inside = (read >= 0) & (read < in_size)
    outside = np.unique(read[~inside])
    copied = [source_index(int(i), in_size, border) for i in outside] if border not in ("zero", "valid") else []
    copied = np.array([c for c in copied if c is not None], dtype=read.dtype)
    return np.unique(np.concatenate([read[inside], copied]))


def _lab_read(rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Lab mode's loop: interior pixels read their 3x3 neighbourhood, margin pixels only themselves."""
    height, width = shape
    inner_rows = rows[(rows >= 1) & (rows < height - 1)]
    inner_cols = cols[(cols >= 1) & (cols < width - 1)]
    if inner_rows.size == 0 or inner_cols.size == 0:  # every pixel of the set is in the margin
        return rows, cols
    spread = np.arange(-1, 2)
    return (np.unique(np.concatenate([rows, (inner_rows[:, None] + spread).ravel()])),
            np.unique(np.concatenate([cols, (inner_cols[:, None] + spread).ravel()])))


def _rect(rows, cols) -> Rect:
    if rows.size == 0 or cols.size == 0:  # the pixel reads only zero padding
        return Rect(0, 0, 0, 0)
    return Rect(int(rows[0]), int(cols[0]), int(rows[-1] - rows[0] + 1), int(cols[-1] - cols[0] + 1))


def receptive_field(pipeline: Pipeline, image_shape: tuple[int, ...], layer: int, row: int, col: int,
                    clip: bool = True) -> tuple[Rect, ...]:
    """The rectangles pixel (row, col) of layer ``layer``'s output (layers counted from 0) depends on:
    item 0 on the input image, item k on layer k-1's output, and the last item (``layer + 1``) the pixel
    itself. See the module docstring for ``clip``. A pixel that reads only zero padding depends on no
    pixel below: its rectangles there are empty (height and width 0)."""
    if not isinstance(pipeline, Pipeline):
        raise OptionsError(f"expected an engine.Pipeline, not {type(pipeline).__name__}")
    shapes = [tuple(int(n) for n in image_shape[:2])] + [s[:2] for s in output_shapes(pipeline, image_shape)]
    if isinstance(layer, bool) or not isinstance(layer, (int, np.integer)) or not 0 <= layer < len(pipeline):
        raise OptionsError(f"there is no layer {layer!r}: the pipeline has {len(pipeline)} layer(s), counted from 0")
    row, col = _position(shapes[layer + 1], row, col, f"output of layer {layer + 1}")
    rows, cols = np.array([row]), np.array([col])
    if not clip:
        return _unclipped(pipeline, shapes, int(layer), row, col)
    rects = [Rect(row, col, 1, 1)]
    for k in range(layer, -1, -1):
        below, current = shapes[k], pipeline.layers[k]
        if isinstance(current, ConvLayer) and current.options.lab:
            rows, cols = _lab_read(rows, cols, below)
        else:
            rows, cols = _read(current, 0, rows, below[0]), _read(current, 1, cols, below[1])
        rects.append(_rect(rows, cols))
    return tuple(reversed(rects))


def _unclipped(pipeline: Pipeline, shapes: list, layer: int, row: int, col: int) -> tuple[Rect, ...]:
    """The window arithmetic with padding, nothing clipped or resolved."""
    spans = [(row, row), (col, col)]
    rects = [Rect(row, col, 1, 1)]
    for k in range(layer, -1, -1):
        for axis in (0, 1):
            step, gap, taps, before = _axis_taps(pipeline.layers[k], axis, shapes[k][axis])
            lo, hi = spans[axis]
            spans[axis] = (lo * step - before, hi * step - before + (taps - 1) * gap)
        (top, bottom), (left, right) = spans
        rects.append(Rect(top, left, bottom - top + 1, right - left + 1))
    return tuple(reversed(rects))

