"""Standard-mode convolution (cross-correlation, kernel not flipped, as in TensorFlow and PyTorch).

Arithmetic, for every output pixel, in this order::

    s = 0.0; for i, j in row-major kernel order: s = s + K[i][j] * P[r+i][c+j]   (float64)
    v = s * weight + offset
    clamp: min(max(v, 0), 255) truncated toward zero -> uint8;  raw: float32(v)

The fast paths give bit-identical results to that loop:
- *integer path*: when the image holds integers and every kernel entry is a multiple of 2**-e (whole
  numbers, halves, quarters, ...), each product and partial sum above is exact in float64, so the sum is
  computed exactly in integers (order does not matter for exact sums) and scaled by 2**-e, exactly.
- *float path*: otherwise the sum is accumulated in float64 tap by tap, in the same row-major order as the
  loop, which performs exactly the same roundings.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .borders import pad
from .errors import ImageError
from .images import check_image
from .options import JobOptions

_MAX_EXPONENT = 24


def dyadic_kernel(kernel: np.ndarray) -> tuple[np.ndarray, int] | None:
    """``(K * 2**e as int64, e)`` for the smallest e making every entry whole, or None if there is none."""
    for exponent in range(_MAX_EXPONENT + 1):
        scaled = kernel * float(2 ** exponent)
        if np.all(scaled == np.floor(scaled)) and np.abs(scaled).max(initial=0) < 2.0 ** 31:
            return scaled.astype(np.int64), exponent
    return None


def _integer_accumulator(image: np.ndarray, kint: np.ndarray) -> np.dtype | None:
    """The smallest integer dtype that holds every partial sum exactly, or None if no integer path fits."""
    if image.dtype.kind not in "ui":
        return None
    info = np.iinfo(image.dtype)
    peak = max(abs(int(info.min)), abs(int(info.max)))
    if image.dtype.itemsize > 2:  # wide integer images: use the actual range
        peak = max(abs(int(image.min())), abs(int(image.max())))
    bound = peak * int(np.abs(kint).sum())
    if bound < 2 ** 15 and image.dtype.itemsize == 1:
        return np.dtype(np.int16)
    if bound < 2 ** 31:
        return np.dtype(np.int32)
    if bound < 2 ** 53:
        return np.dtype(np.int64)
    return None


@dataclass
class Convolution:
    """A prepared standard-mode convolution that can compute any band of output rows."""

    image: np.ndarray
    options: JobOptions

    def __post_init__(self) -> None:
        self.image = check_image(self.image)
        height, width = self.image.shape
        kh, kw = self.options.shape
        if self.options.border == "valid" and (height < kh or width < kw):
            raise ImageError(
                f"the image ({height}x{width}) is smaller than the {kh}x{kw} kernel, so the 'valid' border "
                "leaves no output; choose another border mode or a smaller kernel")
        self.shape = self.options.output_shape(height, width)
        self.dtype = np.dtype(np.uint8 if self.options.output_range == "clamp" else np.float32)
        self.padded = pad(self.image, self.options.padding, self.options.border)
        kernel = self.options.kernel_array
        self._taps = [(i, j, float(kernel[i, j])) for i in range(kh) for j in range(kw) if kernel[i, j] != 0.0]
        dyadic = dyadic_kernel(kernel)
        self._acc_dtype = None if dyadic is None else _integer_accumulator(self.image, dyadic[0])
        if self._acc_dtype is not None:
            kint, self._exponent = dyadic
            self._int_taps = [(i, j, int(kint[i, j])) for i, j, _ in self._taps]

    @property
    def path(self) -> str:
        """Which arithmetic path runs: 'integer' or 'float' (see the module docstring)."""
        return "float" if self._acc_dtype is None else "integer"

    def sums(self, r0: int, r1: int) -> np.ndarray:
        """The kernel sums ``s`` (float64) for output rows r0..r1."""
        rows = r1 - r0
        width = self.shape[1]
        if self._acc_dtype is not None:
            acc = np.zeros((rows, width), dtype=self._acc_dtype)
            tmp = np.empty_like(acc)
            for i, j, k in self._int_taps:
                window = self.padded[r0 + i:r1 + i, j:j + width]
                if k == 1:
                    np.add(acc, window, out=acc, casting="unsafe")
                elif k == -1:
                    np.subtract(acc, window, out=acc, casting="unsafe")
                else:
                    np.multiply(window, k, out=tmp, dtype=tmp.dtype, casting="unsafe")
                    acc += tmp
            total = acc.astype(np.float64)
            if self._exponent:
                total *= 2.0 ** -self._exponent
            return total
        acc = np.zeros((rows, width), dtype=np.float64)
        tmp = np.empty_like(acc)
        for i, j, k in self._taps:
            np.multiply(self.padded[r0 + i:r1 + i, j:j + width], k, out=tmp, dtype=np.float64, casting="unsafe")
            acc += tmp
        return acc

    def compute(self, r0: int, r1: int, out: np.ndarray) -> None:
        """Write output rows r0..r1 into ``out[r0:r1]``."""
        value = self.sums(r0, r1)
        with np.errstate(over="ignore", invalid="ignore"):
            value *= self.options.weight
            value += self.options.offset
            finish(value, self.options.output_range, out[r0:r1])


def finish(value: np.ndarray, output_range: str, out: np.ndarray) -> None:
    """Store ``value`` (float64) as the output range says: clamp 0..255 and truncate, or float32."""
    if output_range == "clamp":
        np.clip(value, 0.0, 255.0, out=value)
        np.copyto(out, value, casting="unsafe")  # float -> uint8 truncates toward zero
    else:
        np.copyto(out, value, casting="unsafe")


def convolve(image: np.ndarray, options: JobOptions) -> np.ndarray:
    """The convolved image (uint8 for 'clamp', float32 for 'raw'; lab mode: see engine.lab)."""
    if options.lab:
        from .lab import lab_convolve

        return lab_convolve(image, options)
    job = Convolution(image, options)
    out = np.empty(job.shape, dtype=job.dtype)
    job.compute(0, job.shape[0], out)
    return out
