"""The CNN-layer part of JobOptions: HWIO kernels, one bias per output channel, stride and dilation, and
TensorFlow's output-size and 'SAME' padding rules (one home for them; engine.geometry draws with them).

- 'valid': ``floor((H - ((k - 1) * d + 1)) / s) + 1`` rows (0 when the dilated window does not fit);
- every other border: ``ceil(H / s)`` rows, padded by ``total = max((out - 1) * s + (k - 1) * d + 1 - H, 0)``,
  ``before = total // 2`` above and the rest below (likewise for columns).
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

import numpy as np

from .errors import OptionsError

#: Stride and dilation go from 1 to this, per axis; a layer kernel has 1 to MAX_OUT_CHANNELS output channels
#: and 1 to MAX_IN_CHANNELS input channels (images have up to 4).
MAX_STEP = 8
MAX_OUT_CHANNELS = 8
MAX_IN_CHANNELS = 4


def effective_size(kernel_size: int, dilation: int) -> int:
    """The span of a dilated kernel: (k - 1) * d + 1 pixels."""
    return (kernel_size - 1) * dilation + 1


def output_size(size: int, kernel_size: int, stride: int, dilation: int, valid: bool) -> int:
    """Output length along one axis of ``size`` input pixels (TensorFlow 'VALID' or 'SAME')."""
    if valid:
        span = effective_size(kernel_size, dilation)
        return 0 if size < span else (size - span) // stride + 1
    return -(-size // stride)


def same_padding(size: int, kernel_size: int, stride: int, dilation: int) -> tuple[int, int]:
    """(before, after) padding along one axis by TensorFlow's 'SAME' rule."""
    out = -(-size // stride)
    total = max((out - 1) * stride + effective_size(kernel_size, dilation) - size, 0)
    return total // 2, total - total // 2


def step_pair(name: str, value: Any, limit: int) -> tuple[int, int]:
    """A stride or dilation as (rows, columns): one whole number for both axes, or two."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    pair = list(value) if isinstance(value, (tuple, list)) else [value, value]
    if len(pair) != 2:
        raise OptionsError(f"the {name} must be one whole number or two (rows, columns), not {value!r}")
    for v in pair:
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)):
            raise OptionsError(f"the {name} must be whole numbers, not {v!r}")
        if not 1 <= v <= limit:
            raise OptionsError(f"the {name} must be between 1 and {limit}, not {v}")
    return (int(pair[0]), int(pair[1]))


def _is_grid_of_grids(kernel: Any) -> bool:
    try:
        cell = kernel[0][0]
    except (TypeError, IndexError, KeyError):
        return False
    return isinstance(cell, (Iterable, np.ndarray)) and not isinstance(cell, (str, bytes))


def kernel_grid(kernel: Any, rows_of: Callable[[Any], tuple], finite: Callable[[str, Any], float]) -> tuple:
    """A 2-D kernel as rows (``rows_of``, today's rules), or a 4-D HWIO kernel as nested tuples."""
    if isinstance(kernel, np.ndarray):
        if kernel.dtype.kind not in "biuf":
            raise OptionsError(f"the kernel must hold real numbers, not {kernel.dtype}")
        if kernel.ndim not in (2, 4):
            raise OptionsError(f"the kernel has {kernel.ndim} dimension(s); it must be 2-D (kh x kw) or 4-D "
                               "HWIO (kh x kw x input channels x output channels)")
        if kernel.ndim == 2:
            return rows_of(kernel.astype(np.float64))
    elif not _is_grid_of_grids(kernel):
        return rows_of(kernel)
    try:
        array = np.array(kernel, dtype=np.float64)
    except (TypeError, ValueError):
        raise OptionsError("the layer kernel must be a kh x kw x Cin x Cout grid of numbers (HWIO), with "
                           "every row, cell and channel list the same length") from None
    if array.ndim != 4:
        raise OptionsError(f"the kernel has {array.ndim} dimension(s); it must be 2-D (kh x kw) or 4-D HWIO "
                           "(kh x kw x input channels x output channels)")
    kh, kw, cin, cout = array.shape
    rows_of(np.zeros((kh, kw)))  # the kernel size rules of 2-D kernels
    if not 1 <= cin <= MAX_IN_CHANNELS:
        raise OptionsError(f"the layer kernel has {cin} input channels; images have 1 to {MAX_IN_CHANNELS}")
    if not 1 <= cout <= MAX_OUT_CHANNELS:
        raise OptionsError(f"the layer kernel has {cout} output channels; layers have 1 to {MAX_OUT_CHANNELS}")
    values = [finite("every kernel entry", v) for v in array.ravel().tolist()]
    array = np.array(values, dtype=np.float64).reshape(array.shape)
    return tuple(tuple(tuple(tuple(channel) for channel in cell) for cell in row) for row in array.tolist())


def offsets(offset: Any, finite: Callable[[str, Any], float]) -> float | tuple[float, ...]:
    """One offset for every output channel (a number), or one per output channel (a tuple of 2 or more)."""
    if isinstance(offset, np.ndarray):
        offset = offset.tolist()
    if isinstance(offset, (list, tuple)):
        if not 1 <= len(offset) <= MAX_OUT_CHANNELS:
            raise OptionsError(f"give one offset, or one per output channel (1 to {MAX_OUT_CHANNELS}); "
                               f"{len(offset)} were given")
        values = tuple(finite("every offset", v) for v in offset)
        return values[0] if len(values) == 1 else values
    return finite("the offset", offset)


def check_layer(options: Any) -> None:
    """A per-channel offset must have one value per output channel of a layer kernel."""
    if isinstance(options.offset, tuple) and options.is_layer_kernel:
        cout = options.layer_shape[3]
        if len(options.offset) != cout:
            raise OptionsError(f"the kernel has {cout} output channel(s) but {len(options.offset)} offsets were "
                               "given; give one offset, or one per output channel")


def out_channels(options: Any, image_channels: int) -> int:
    """How many output channels the layer makes from an image of ``image_channels``; OptionsError when
    a layer kernel's input channels or the offsets do not match the image."""
    kh, kw, cin, cout = options.layer_shape
    if cin is None:  # a 2-D kernel filters each channel by itself
        cout = image_channels
    elif cin != image_channels:
        raise OptionsError(f"the kernel takes {cin} input channel(s) (kh x kw x Cin x Cout = {kh}x{kw}x{cin}x"
                           f"{cout}) but the image has {image_channels}")
    if isinstance(options.offset, tuple) and len(options.offset) != cout:
        raise OptionsError(f"{len(options.offset)} offsets were given for {cout} output channel(s); give one "
                           "offset, or one per output channel")
    return cout


def shape_arithmetic(size: int, kernel_size: int, stride: int, dilation: int, valid: bool,
                     axis: str = "rows") -> str:
    """How one axis's output length comes about, with the numbers filled in, e.g.
    ``floor((512 + 1 - 3) / 2) + 1 = 256`` (input + padding - dilated window, over the stride, plus one),
    or why there is no output."""
    span = effective_size(kernel_size, dilation)
    pad = 0 if valid else sum(same_padding(size, kernel_size, stride, dilation))
    out = output_size(size, kernel_size, stride, dilation, valid)
    if out == 0:
        window = f"{span}" + (f" ({kernel_size} taps, dilation {dilation})" if dilation > 1 else "")
        return (f"no output: the kernel's window spans {window} {axis} but the image has {size} and the "
                "'valid' border adds no padding; choose another border, a smaller kernel or less dilation")
    return f"floor(({size} + {pad} - {span}) / {stride}) + 1 = {out}"
