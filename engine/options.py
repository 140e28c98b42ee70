"""Job options: one immutable value object shared by the window, the command line and session files."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any, Iterable

import numpy as np

from . import lab_rules, layer_options
from .layer_options import MAX_STEP
from .errors import OptionsError
from .kernel_transforms import flip_both
from .numbers import format_number

BORDERS = ("zero", "edge", "reflect", "symmetric", "wrap", "valid")
OUTPUT_RANGES = ("clamp", "raw", "relu")
POOL_OPS = ("max", "avg", "min")
MIN_KERNEL_SIDE = 1
MAX_KERNEL_SIDE = 15
MAX_POOL_SIZE = 16
#: Largest magnitude of a kernel entry, the weight and the offset. With image values within
#: engine.images.MAX_ABS_VALUE this keeps every intermediate value finite: results are never inf or NaN.
VALUE_LIMIT = 1e6
_LIMIT_TEXT = "1e6"

#: What each border mode does, for tooltips, --help and error messages.
BORDER_HELP = {
    "zero": "pixels outside the image count as 0 (0 0 | a b c)",
    "edge": "the outermost pixel is repeated (a a | a b c)",
    "reflect": "mirrored without repeating the edge pixel (c b | a b c)",
    "symmetric": "mirrored including the edge pixel (b a | a b c)",
    "wrap": "the image repeats like a tile (b c | a b c)",
    "valid": "no padding: only positions where the whole kernel fits; the output shrinks",
}


def _finite(name: str, value: Any) -> float:
    if isinstance(value, (str, bytes)):  # "2" in a session file is a wrong type, not a number
        raise OptionsError(f"{name} must be a number, not {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise OptionsError(f"{name} must be a number, not {value!r}") from None
    if isinstance(value, bool) or not math.isfinite(number):
        raise OptionsError(f"{name} must be a finite number, not {value!r}")
    if abs(number) > VALUE_LIMIT:
        raise OptionsError(f"{name} must be between -{_LIMIT_TEXT} and {_LIMIT_TEXT}, not {format_number(number)}")
    return number + 0.0  # turns -0.0 into 0.0 so that results never carry a negative zero


def _kernel_rows(kernel: Any) -> tuple[tuple[float, ...], ...]:
    if isinstance(kernel, np.ndarray):
        kernel = kernel.tolist()
    if isinstance(kernel, (str, bytes)) or not isinstance(kernel, Iterable):
        raise OptionsError("the kernel must be a grid of numbers (a list of rows)")
    rows = []
    for row in kernel:
        if isinstance(row, (str, bytes)) or not isinstance(row, Iterable):
            raise OptionsError("the kernel must be a grid of numbers (a list of rows)")
        rows.append(tuple(_finite("every kernel entry", v) for v in row))
    if not rows or not rows[0]:
        raise OptionsError("the kernel is empty; it needs at least one row and one column")
    width = len(rows[0])
    if any(len(r) != width for r in rows):
        raise OptionsError("the kernel's rows have different lengths; every row needs the same number of entries")
    height = len(rows)
    if not (MIN_KERNEL_SIDE <= height <= MAX_KERNEL_SIDE and MIN_KERNEL_SIDE <= width <= MAX_KERNEL_SIDE):
        raise OptionsError(
            f"the kernel is {height}x{width} (rows x columns); kernels can be 1x1 up to "
            f"{MAX_KERNEL_SIDE}x{MAX_KERNEL_SIDE}"
        )
    return tuple(rows)


@dataclass(frozen=True)
class PoolOptions:
    """Pooling applied to the convolved image: windows that do not fit are dropped (Keras 'valid')."""

    op: str = "max"
    size: int = 2
    stride: int | None = None  # None: same as size

    def __post_init__(self) -> None:
        if self.op not in POOL_OPS:
            raise OptionsError(f"pooling must be one of {', '.join(POOL_OPS)}, not {self.op!r}")
        for name in ("size", "stride"):
            value = getattr(self, name)
            if value is None and name == "stride":
                continue
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
                raise OptionsError(f"pool {name} must be a whole number, not {value!r}")
            if not 1 <= value <= MAX_POOL_SIZE:
                raise OptionsError(f"pool {name} must be between 1 and {MAX_POOL_SIZE}, not {value}")
            object.__setattr__(self, name, int(value))

    @property
    def step(self) -> int:
        """The stride actually used."""
        return self.size if self.stride is None else self.stride

    def output_shape(self, height: int, width: int) -> tuple[int, int]:
        if height < self.size or width < self.size:
            return (0, 0)
        return ((height - self.size) // self.step + 1, (width - self.size) // self.step + 1)


#: The notebook's pooling: 2x2 windows, stride 2, maximum.
LAB_POOL = PoolOptions("max", 2, 2)


@dataclass(frozen=True)
class JobOptions:
    """Everything that decides a convolve+pool result, apart from the image.

    ``out[r, c] = weight * sum_ij kernel[i][j] * padded[r+i, c+j] + offset`` (standard mode), then clamped
    to 0..255 and truncated, or kept as float (``output_range='raw'``). ``lab=True`` reproduces the
    notebook's loops instead; engine.lab_rules says which options it takes (3x3 kernel, offset 0, border
    'zero', clamp, 2x2 max pooling or none) and anything else is refused with a LabModeError.
    """

    kernel: tuple = ((0.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 0.0))
    weight: float = 1.0
    offset: float | tuple[float, ...] = 0.0
    lab: bool = False
    border: str = "zero"
    output_range: str = "clamp"
    pool: PoolOptions | None = field(default_factory=PoolOptions)
    #: True convolution: the kernel turned 180 degrees before the correlation above (scipy.signal.convolve2d);
    #: False (default): cross-correlation, as TensorFlow and PyTorch compute
    flip: bool = False
    stride: tuple[int, int] = (1, 1)
    dilation: tuple[int, int] = (1, 1)

    def __post_init__(self) -> None:
        object.__setattr__(self, "kernel", layer_options.kernel_grid(self.kernel, _kernel_rows, _finite))
        object.__setattr__(self, "weight", _finite("the weight", self.weight))
        object.__setattr__(self, "offset", layer_options.offsets(self.offset, _finite))
        object.__setattr__(self, "stride", layer_options.step_pair("stride", self.stride, MAX_STEP))
        object.__setattr__(self, "dilation", layer_options.step_pair("dilation", self.dilation, MAX_STEP))
        layer_options.check_layer(self)
        if not isinstance(self.lab, (bool, np.bool_)):
            raise OptionsError(f"lab must be true or false, not {self.lab!r}")
        object.__setattr__(self, "lab", bool(self.lab))
        if not isinstance(self.flip, (bool, np.bool_)):
            raise OptionsError(f"flip must be true or false, not {self.flip!r}")
        object.__setattr__(self, "flip", bool(self.flip))
        if self.border not in BORDERS:
            raise OptionsError(f"border must be one of {', '.join(BORDERS)}, not {self.border!r}")
        if self.output_range not in OUTPUT_RANGES:
            raise OptionsError(f"output range must be clamp, raw or relu, not {self.output_range!r}")
        if self.pool is not None and not isinstance(self.pool, PoolOptions):
            raise OptionsError("pool must be pooling options or None")
        if self.lab:
            lab_rules.check(self)  # refuses, with the reason, whatever the notebook's loops cannot honour
            if self.pool is not None:
                object.__setattr__(self, "pool", LAB_POOL)

    # -- derived values -------------------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.kernel), len(self.kernel[0]))

    @property
    def effective_kernel(self) -> tuple[tuple[float, ...], ...]:
        """The kernel as the correlation multiplies it: turned 180 degrees when ``flip``."""
        if not self.flip:
            return self.kernel
        if self.is_layer_kernel:  # HWIO: turn the two spatial axes, keep the channel axes
            return layer_options.kernel_grid(np.flip(self.kernel_array, (0, 1)), _kernel_rows, _finite)
        return flip_both(self.kernel)

    def as_correlation(self) -> "JobOptions":
        """The same job as a plain correlation (the effective kernel, flip off): what the engine computes."""
        return replace(self, kernel=self.effective_kernel, flip=False) if self.flip else self

    @property
    def kernel_array(self) -> np.ndarray:
        """The kernel as float64: kh x kw, or kh x kw x Cin x Cout (HWIO) for a layer kernel."""
        array = np.array(self.kernel, dtype=np.float64)
        array.flags.writeable = False
        return array

    @property
    def kernel_sum(self) -> float:
        total = 0.0
        for value in self.kernel_array.ravel().tolist():
            total += value
        return total

    @property
    def is_layer_kernel(self) -> bool:
        """True for a 4-D HWIO kernel (kh, kw, Cin, Cout); False for a 2-D one."""
        return isinstance(self.kernel[0][0], tuple)

    @property
    def layer_shape(self) -> tuple[int, int, int | None, int | None]:
        """(kh, kw, Cin, Cout); Cin and Cout are None for a 2-D kernel (it filters every channel alike)."""
        if self.is_layer_kernel:
            return (*self.shape, len(self.kernel[0][0]), len(self.kernel[0][0][0]))
        return (*self.shape, None, None)

    def offset_of(self, channel: int) -> float:
        """The offset (bias) added to output channel ``channel``."""
        return self.offset[channel] if isinstance(self.offset, tuple) else self.offset

    @property
    def padding(self) -> tuple[int, int, int, int]:
        """Rows above, rows below, columns left, columns right with stride 1 (TensorFlow 'SAME' anchor);
        ``padding_for`` gives them for any stride."""
        if self.lab or self.border == "valid":
            return (0, 0, 0, 0)
        (kh, kw), (dh, dw) = self.shape, self.dilation
        return ((kh - 1) * dh // 2, (kh - 1) * dh - (kh - 1) * dh // 2, (kw - 1) * dw // 2,
                (kw - 1) * dw - (kw - 1) * dw // 2)

    def padding_for(self, height: int, width: int, *_: int) -> tuple[int, int, int, int]:
        """Rows above, below, columns left, right for an input of ``height`` x ``width`` (TF 'SAME' per axis)."""
        if self.lab or self.border == "valid":
            return (0, 0, 0, 0)
        return (*layer_options.same_padding(height, self.shape[0], self.stride[0], self.dilation[0]),
                *layer_options.same_padding(width, self.shape[1], self.stride[1], self.dilation[1]))

    def output_shape(self, height: int, width: int, *_: int) -> tuple[int, int]:
        """Shape of the convolved image for an input of ``height`` x ``width`` (a channel count after them
        is ignored: every channel has the same shape)."""
        if self.lab:
            return (height, width)
        valid = self.border == "valid"
        return (layer_options.output_size(height, self.shape[0], self.stride[0], self.dilation[0], valid),
                layer_options.output_size(width, self.shape[1], self.stride[1], self.dilation[1], valid))

    def pooled_shape(self, height: int, width: int, *_: int) -> tuple[int, int] | None:
        if self.pool is None:
            return None
        return self.pool.output_shape(*self.output_shape(height, width))

    def with_changes(self, **changes: Any) -> "JobOptions":
        """A copy with some fields changed (validated like any new options)."""
        return replace(self, **changes)

    def with_kernel_value(self, row: int, col: int, value: float) -> "JobOptions":
        rows = [list(r) for r in self.kernel]
        rows[row][col] = value
        return replace(self, kernel=rows)

    def kernel_slice(self, in_channel: int, out_channel: int) -> tuple[tuple[float, ...], ...]:
        """The kh x kw slice K[:, :, in_channel, out_channel] of a layer kernel (the 2-D kernel itself)."""
        if not self.is_layer_kernel:
            return self.kernel
        return tuple(tuple(cell[in_channel][out_channel] for cell in row) for row in self.kernel)

    def with_kernel_slice(self, in_channel: int, out_channel: int, grid) -> "JobOptions":
        """A copy whose slice (in_channel, out_channel) is ``grid`` (the whole kernel for a 2-D kernel)."""
        if not self.is_layer_kernel:
            return replace(self, kernel=grid)
        array = np.array(self.kernel, dtype=np.float64)
        array[:, :, in_channel, out_channel] = np.array(_kernel_rows(grid), dtype=np.float64)
        return replace(self, kernel=array)

    # -- serialisation (sessions, presets) ------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "kernel": self.kernel_array.tolist(),
            "weight": self.weight,
            "offset": list(self.offset) if isinstance(self.offset, tuple) else self.offset,
            "stride": list(self.stride),
            "dilation": list(self.dilation),
            "lab": self.lab,
            "flip": self.flip,
            "border": self.border,
            "output_range": self.output_range,
            "pool": None
            if self.pool is None
            else {"op": self.pool.op, "size": self.pool.size, "stride": self.pool.stride},
        }

    @classmethod
    def from_dict(cls, data: Any) -> "JobOptions":
        """Build options from ``to_dict`` output; anything malformed raises OptionsError with a clear message."""
        if not isinstance(data, dict):
            raise OptionsError("options must be a JSON object")
        known = {"kernel", "weight", "offset", "lab", "flip", "border", "output_range", "pool", "stride",
                 "dilation"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise OptionsError(f"unknown option(s): {', '.join(unknown)}")
        if "kernel" not in data:
            raise OptionsError("options have no kernel")
        kwargs = {k: v for k, v in data.items() if k != "pool"}
        for name in ("border", "output_range"):
            if name in kwargs and not isinstance(kwargs[name], str):
                raise OptionsError(f"{name.replace('_', ' ')} must be text, not {kwargs[name]!r}")
        pool = data.get("pool", {"op": "max", "size": 2, "stride": None})
        if pool is not None:
            if not isinstance(pool, dict) or set(pool) - {"op", "size", "stride"}:
                raise OptionsError("pool must be an object with op, size and stride, or null")
            if "op" in pool and not isinstance(pool["op"], str):
                raise OptionsError(f"pool op must be text, not {pool['op']!r}")
            pool = PoolOptions(**pool)
        return cls(pool=pool, **kwargs)
