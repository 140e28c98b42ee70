"""Lab mode: the notebook's loops, bit for bit, quirks included.

The notebook computes, for x (the ROW) in 1..H-2 and y (the column) in 1..W-2::

    s = 0.0; for a in 0..2: for b in 0..2: s = s + I[x+b-1, y+a-1] * filter[a][b]
    s = s * weight; s = 0 if s < 0; s = 255 if s > 255; out[x, y] = s   (stored into an integer image)

so ``filter[a][b]`` multiplies the pixel b-1 rows down and a-1 columns right: the kernel acts transposed
relative to how it is written, and the 1-pixel margin keeps the original pixels. Its pooling is 2x2
windows with stride 2, maximum, reading x+1 and y+1, which fails on odd sizes.
"""

from __future__ import annotations

import numpy as np

from .convolution import Convolution
from .errors import LabModeError
from .lab_rules import check_image_size
from .images import check_image
from .options import JobOptions


def lab_input(image: np.ndarray) -> np.ndarray:
    """The image as the notebook's integers (int64, like scipy's ascent), or LabModeError."""
    image = check_image(image)
    if image.dtype.kind == "f":
        if not np.all(image == np.floor(image)) or np.abs(image).max() >= 2 ** 53:
            raise LabModeError("lab mode runs on integer images like the notebook's; this image holds "
                               "fractional values (use standard mode)")
    return image.astype(np.int64)


def lab_output_dtype(image: np.ndarray) -> np.dtype:
    """The dtype of lab-mode results: the notebook stores into a copy of its integer image."""
    return np.dtype(np.uint8) if image.dtype == np.uint8 else np.dtype(np.int64)


def lab_taps(options: JobOptions) -> list[tuple[int, int, float]]:
    """(a, b, filter[a][b]) in the notebook's order: a over kernel rows, b over columns."""
    return [(a, b, options.kernel[a][b]) for a in range(3) for b in range(3)]


def lab_rows(ints: np.ndarray, options: JobOptions, x0: int, x1: int, clamp: bool = True) -> np.ndarray:
    """The stored values for interior rows x0..x1 (1 <= x0, x1 <= H-1) and columns 1..W-2 (with
    ``clamp=False`` the values before the clamp, float64)."""
    width = ints.shape[1]
    acc = np.zeros((x1 - x0, max(width - 2, 0)), dtype=np.float64)
    tmp = np.empty_like(acc)
    for a, b, k in lab_taps(options):
        if k == 0.0:
            continue  # adds 0.0: the running sum is never -0.0, so skipping changes no bit
        np.multiply(ints[x0 + b - 1:x1 + b - 1, a:a + width - 2], k, out=tmp, dtype=np.float64, casting="unsafe")
        acc += tmp
    acc *= options.weight
    if clamp:
        np.clip(acc, 0.0, 255.0, out=acc)
    return acc


def lab_convolve(image: np.ndarray, options: JobOptions) -> np.ndarray:
    ints = lab_input(image)
    out = ints.astype(lab_output_dtype(check_image(image)))
    height, width = ints.shape
    if height >= 3 and width >= 3:
        np.copyto(out[1:-1, 1:-1], lab_rows(ints, options, 1, height - 1), casting="unsafe")
    return out


def check_lab_pool(shape: tuple[int, int]) -> None:
    check_image_size(shape)


def lab_pool(convolved: np.ndarray) -> np.ndarray:
    """The notebook's 2x2 stride-2 max pooling (values as the notebook's newImage, dtype of the input)."""
    check_lab_pool(convolved.shape)
    return np.maximum(np.maximum(convolved[0::2, 0::2], convolved[1::2, 0::2]),
                      np.maximum(convolved[0::2, 1::2], convolved[1::2, 1::2]))


def lab_interior(image: np.ndarray, options: JobOptions):
    """A standard-mode Convolution that computes lab mode's interior (rows and columns 1..-2) bit for bit,
    or None when there is none.

    The notebook's sum runs in its own order (a over kernel rows, b over columns), but when the image holds
    integers and the kernel is whole (or dyadic), every partial sum is exact, so any order gives the same
    float64 sum; then lab mode is a 'valid' correlation with the transposed kernel, * weight (+ 0.0 changes
    nothing: the clamp sends -0.0 to 0), clamped and truncated: exactly the standard clamp path, with its
    integer, separable and threaded speed-ups. Non-dyadic kernels keep the notebook's order (lab_rows)."""
    height, width = image.shape
    if image.dtype.kind not in "ui" or height < 3 or width < 3:
        return None
    transposed = tuple(zip(*options.kernel))
    job = Convolution(image, JobOptions(kernel=transposed, weight=options.weight, border="valid", pool=None))
    return job if job.path in ("integer", "separable", "fft") else None

