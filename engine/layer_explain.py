"""The arithmetic of one output pixel, for every job: ``explain_pixel`` and ``explain_pool`` (engine's API)
hand one-channel jobs to engine.explain and explain layer jobs (channels, HWIO kernel, stride, dilation,
relu) here, term by term.

Plain Python floats in the order of engine.layer's loop: i, then j, then ci; the stored value equals the
bulk output bit for bit. Each term names its input channel, and the explanation carries the per-channel
subtotals (each the float64 sum of that channel's products in (i, j) order).
"""

from __future__ import annotations

import math

import numpy as np

from .borders import source_index
from .channels import MAX_CHANNELS, channel as channel_of
from .errors import ImageError, OptionsError
from . import explain
from .explain import (PixelExplanation, PoolExplanation, Term, _check_channel, _options, _pixel, _position,
                      _store, check_convolved, pool_explanation)
from .images import check_shape
from .layer import Layer
from .layer_jobs import is_layer_job
from .numbers import format_size
from .options import JobOptions



def explain_pixel(image: np.ndarray, options: JobOptions, row: int, col: int, channel: int = 0
                  ) -> PixelExplanation:
    """Every term of convolved[row, col] of output ``channel`` (see engine.explain.explain_pixel)."""
    if is_layer_job(image, _options(options)):
        return explain_layer_job_pixel(image, options, row, col, channel)
    return explain.explain_pixel(image, options, row, col, channel)


def explain_pool(image: np.ndarray, options: JobOptions, row: int, col: int,
                 convolved: np.ndarray | None = None, channel: int = 0) -> PoolExplanation:
    """How pooled[row, col] of output ``channel`` was made (see engine.explain.explain_pool)."""
    if not is_layer_job(image, _options(options)):
        return explain.explain_pool(image, options, row, col, convolved, channel)
    if options.pool is None:
        raise OptionsError("pooling is off, so there is no pooled pixel to explain")
    image, plane = layer_plane(image, options, convolved, channel)
    conv_shape = options.output_shape(*image.shape[:2])
    if plane is not None:
        plane = check_convolved(plane, conv_shape)
    return pool_explanation(options, conv_shape, row, col, lambda r, c: (
        _pixel(plane, r, c, math.inf) if plane is not None
        else explain_layer_job_pixel(image, options, r, c, channel).stored))


def check_layer_shape(image: np.ndarray) -> np.ndarray:
    """The O(1) checks of an image with channels: 2-D, or H x W x C with C = 1 to 4, of real numbers."""
    if isinstance(image, np.ndarray) and image.ndim == 3:
        if not 1 <= image.shape[2] <= MAX_CHANNELS:
            raise ImageError(f"the image has {image.shape[2]} channels; images have 1 to {MAX_CHANNELS}")
        check_shape(image[:, :, 0])
        return image.astype(np.uint8) if image.dtype == np.bool_ else image
    return check_shape(image)


def explain_layer_job_pixel(image: np.ndarray, options: JobOptions, row: int, col: int,
                            channel: int = 0) -> PixelExplanation:
    """Every term of output channel ``channel`` at (row, col) of one layer job (channels, an HWIO kernel,
    stride, dilation; see engine.explain.explain_pixel). engine.explain_layer_pixel explains a pixel of a
    pipeline's layer."""
    image = check_layer_shape(image)
    flipped = options.flip
    options = options.as_correlation()  # the terms show the kernel as it is multiplied (turned for flip)
    _, count, shape = Layer.check(image, options)
    channel = _check_channel(channel, count)
    row, col = _position(shape, row, col, "convolved image")
    height, width = image.shape[:2]
    top, _, left, _ = options.padding_for(height, width)
    (sh, sw), (dh, dw), border = options.stride, options.dilation, options.border
    kernel = options.kernel_array
    inputs = range(kernel.shape[2]) if kernel.ndim == 4 else [channel]
    terms, subtotals = [], {ci: 0.0 for ci in inputs}
    total = 0.0
    for i in range(kernel.shape[0]):
        for j in range(kernel.shape[1]):
            r, c = row * sh + i * dh - top, col * sw + j * dw - left
            sr, sc = source_index(r, height, border), source_index(c, width, border)
            for ci in inputs:
                k = float(kernel[i, j, ci, channel] if kernel.ndim == 4 else kernel[i, j])
                if sr is None or sc is None:
                    source, origin, value = None, "zero", 0.0
                else:
                    source = (sr, sc)
                    origin = "image" if (sr, sc) == (r, c) else border
                    value = _pixel(channel_of(image, ci), sr, sc)
                product = value * k
                total = total + product
                subtotals[ci] = subtotals[ci] + product
                terms.append(Term((i, j), (r, c), source, origin, value, k, product, total, ci))
    offset = options.offset_of(channel)
    weighted = total * options.weight
    before = weighted + offset
    stored, clamped = _store(before, options.output_range)
    return PixelExplanation((row, col), False, tuple(terms), total, options.weight, weighted, offset, before,
                            options.output_range, stored, clamped, channel=channel,
                            subtotals=tuple(subtotals.items()), flipped=flipped)


def layer_plane(image: np.ndarray, options: JobOptions, convolved: np.ndarray | None, channel: int
                ) -> tuple[np.ndarray, np.ndarray | None]:
    """For explaining a pooled pixel of a layer job: the checked image and output channel ``channel`` of
    ``convolved`` (when given) as H' x W'."""
    image = check_layer_shape(image)
    options = options.as_correlation()  # the terms show the kernel as it is multiplied (turned for flip)
    _, count, shape = Layer.check(image, options)
    channel = _check_channel(channel, count)
    if convolved is None:
        return image, None
    expected = shape if count == 1 else (*shape, count)
    if not isinstance(convolved, np.ndarray) or convolved.shape != expected:
        got = convolved.shape if isinstance(convolved, np.ndarray) else type(convolved).__name__
        raise ImageError(f"the convolved image given is {got}; these options make {format_size(shape)}"
                         + (f" x {count} channels" if count > 1 else "") + " from this image")
    return image, (convolved if count == 1 else convolved[:, :, channel])
