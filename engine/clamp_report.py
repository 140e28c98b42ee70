"""What the clamp threw away: which pixels of a clamped result were negative before the clamp (stored as
0, shown black) and which were above 255 (stored as 255, shown white), from the exact values before the
clamp (the float64 ``sum * weight + offset`` of the module docstring of engine.convolution, or lab mode's
``sum * weight``), never from the stored ones, which cannot tell 0 from -300."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .convolution import Convolution
from .errors import OptionsError
from .images import check_image
from .lab import lab_input, lab_rows
from .options import JobOptions

KEPT, NEGATIVE, HIGH = 0, 1, 2
#: rows of output computed at a time (the values before the clamp are float64: 8 bytes a pixel)
BAND_PIXELS = 1 << 20


@dataclass(frozen=True)
class ClampReport:
    """``labels[r, c]``: KEPT, NEGATIVE (was < 0, stored 0) or HIGH (was > 255, stored 255), over the
    convolved image; ``clamped_pixels``: how many pixels the clamp applied to (lab mode: not its margin)."""

    labels: np.ndarray
    negative: int
    high: int
    clamped_pixels: int

    def describe(self) -> str:
        """'48% of pixels were negative and show as black; 2% were above 255 and show as white'."""
        parts = [f"{_percent(self.negative, self.clamped_pixels)} of pixels were negative and show as black",
                 f"{_percent(self.high, self.clamped_pixels)} were above 255 and show as white"]
        return "; ".join(parts)


def _percent(count: int, total: int) -> str:
    if count == 0 or total == 0:
        return "0%"
    share = 100.0 * count / total
    if share < 1.0:
        return "under 1%"
    if share > 99.0 and count < total:
        return "over 99%"
    return f"{share:.0f}%"


class _BeforeClamp(Convolution):
    """The standard convolution with its last step left out: float64 ``s * weight + offset``, the value
    the clamp then applies to (the finish of Convolution's float64 path, which equals the loop's)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.dtype = np.dtype(np.float64)
        if self._acc_dtype is None:  # float kernels: the loop's own sums, tap by tap
            self._fft = self._fixed = None  # (FFT, fixed-point) sums are only certified close enough to
            # decide the stored value, not the sign before it

    def _finish(self, sums: np.ndarray, rows: np.ndarray) -> None:
        width = rows.shape[1]
        if self._acc_dtype is not None:  # exact integer sums S = s * 2**e
            value = sums[:, :width] * 2.0 ** -self._exponent
        else:
            value = sums[:, :width].astype(np.float64, copy=True)
        with np.errstate(over="ignore", invalid="ignore"):
            if self.options.weight != 1.0:
                value *= self.options.weight
            np.add(value, self.options.offset, out=rows)


class _Band:
    """out[t0:t1] of a whole image's rows, stored for rows r0.. only (Convolution.compute indexes by row)."""

    def __init__(self, array: np.ndarray, r0: int):
        self.array, self.r0 = array, r0

    def __getitem__(self, rows: slice) -> np.ndarray:
        return self.array[rows.start - self.r0:rows.stop - self.r0]


def _label(before: np.ndarray, out: np.ndarray) -> None:
    out[before < 0.0] = NEGATIVE
    out[before > 255.0] = HIGH


def clamp_report_refusal(image_shape: tuple[int, ...], options: JobOptions) -> str | None:
    """Why there is no clamp report for ``options`` on an image of ``image_shape`` (None: there is one)."""
    if options.output_range != "clamp" and not options.lab:
        return "the output is raw (not clamped), so the clamp throws nothing away"
    if len(image_shape) != 2 or options.is_layer_kernel:
        return ("what the clamp threw away is shown for one-channel images and 2-D kernels, not for colour "
                "images or kernels of several maps")
    return None


def clamp_report(image: np.ndarray, options: JobOptions) -> ClampReport:
    """Which pixels the clamp changed, and how many, for ``image`` under clamped ``options``."""
    if not isinstance(options, JobOptions):
        raise OptionsError(f"options must be engine.JobOptions, not {type(options).__name__}")
    refusal = clamp_report_refusal(np.shape(image), options)
    if refusal is not None:
        raise OptionsError(refusal)
    image = check_image(image)
    if options.lab:
        ints = lab_input(image)
        labels = np.zeros(ints.shape, dtype=np.uint8)
        height, width = ints.shape
        clamped = max(height - 2, 0) * max(width - 2, 0)
        step = max(1, BAND_PIXELS // max(width, 1))
        for x0 in range(1, height - 1 if clamped else 1, step):
            x1 = min(x0 + step, height - 1)
            _label(lab_rows(ints, options, x0, x1, clamp=False), labels[x0:x1, 1:-1])
    else:
        job = _BeforeClamp(image, options)
        height, width = job.shape
        labels = np.zeros(job.shape, dtype=np.uint8)
        clamped = height * width
        step = job.band_rows or max(1, BAND_PIXELS // max(width, 1))
        for r0 in range(0, height, step):
            r1 = min(r0 + step, height)
            before = np.empty((r1 - r0, width), dtype=np.float64)
            job.compute(r0, r1, _Band(before, r0))
            _label(before, labels[r0:r1])
    return ClampReport(labels, int(np.count_nonzero(labels == NEGATIVE)), int(np.count_nonzero(labels == HIGH)),
                       clamped)
