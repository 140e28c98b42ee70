"""What a handout figure of a result shows, as numbers: each image's gray pixels (one per image pixel, the
way a saved PNG maps them), the values its colour bar's ends and ticks stand for, and the option lines.
Qt-free; the window paints it (gui/export/figure.py) and scales each image by a whole factor only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import OptionsError

from .codegen.parts import describe
from .images import display_levels
from .jobs import JobResult
from .numbers import format_number, format_size
from .saving import to_display_uint8


@dataclass(frozen=True)
class FigureImage:
    """One image of the figure: ``pixels`` (uint8 gray) is exactly what is drawn, pixel for pixel."""

    title: str
    pixels: np.ndarray
    #: (gray level, the value it stands for) for the colour bar's labels
    ticks: tuple[tuple[int, str], ...]


def _input_image(image: np.ndarray, label: str) -> FigureImage:
    title = f"Input: {label}, {format_size(image.shape)}" if label else f"Input {format_size(image.shape)}"
    if image.dtype == np.uint8:
        return FigureImage(title, image, ((0, "0"), (255, "255")))
    low, high = display_levels(image)  # any other image: its own range stretched over the grays
    scaled = (image.astype(np.float64) - low) * (255.0 / (high - low))
    pixels = np.clip(np.floor(scaled + 0.5), 0, 255).astype(np.uint8)
    return FigureImage(title, pixels, ((0, f"{low:.4g}"), (255, f"{high:.4g}")))


def _result_image(title: str, array: np.ndarray, output_range: str) -> FigureImage:
    """A result as its saved PNG shows it (engine.saving.to_display_uint8): clamp values as they are; raw
    values as 128 + 127 * v / max|v|, so gray 128 is 0."""
    pixels = to_display_uint8(array, output_range)
    if output_range == "clamp":
        return FigureImage(title, pixels, ((0, "0"), (255, "255")))
    peak = float(np.abs(array).max()) if array.size else 0.0
    shown = f"{peak:.4g}"  # the bar's end, to read it by: the exact values are in the data
    return FigureImage(title, pixels, ((1, "-" + shown), (128, "0"), (255, shown)))


def figure_images(result: JobResult, label: str = "") -> list[FigureImage]:
    """Input, convolved and (when pooling is on) pooled, in that order."""
    options = result.options
    if options.is_layer_kernel or result.convolved.ndim == 3:
        raise OptionsError("the figure shows one kernel's single-channel result; for a layer or a colour "
                           "image, save each map with File > Save or `apply --out NAME.png` (one file per map)")
    output_range = "clamp" if options.lab else options.output_range
    if options.lab:
        how = "lab mode (the notebook's loop)"
    else:
        kh, kw = options.shape
        how = f"{kh}x{kw}, {options.border} border, {output_range}"
    images = [_input_image(result.image, label),
              _result_image(f"Convolved {format_size(result.convolved.shape)}: {how}", result.convolved,
                            output_range)]
    if result.pooled is not None and options.pool is not None:
        pool = options.pool
        title = f"Pooled {format_size(result.pooled.shape)}: {pool.op} {pool.size}x{pool.size}, stride {pool.step}"
        images.append(_result_image(title, result.pooled, output_range))
    return images


def figure_text(result: JobResult) -> list[str]:
    """The options, a line each, as the figure prints them under the kernel grid."""
    return describe(result.options)[1:]


def kernel_cells(result: JobResult) -> list[list[str]]:
    """The kernel's entries as the window writes them (1/9, -4, 0.5)."""
    return [[format_number(v) for v in row] for row in result.options.kernel]


def whole_scales(result: JobResult, target: int) -> list[int]:
    """Whole scale factors for figure_images: the largest that keeps the input within ``target`` pixels (at
    least 1) for the input and the convolved image, times the pooling stride for the pooled one, so that the
    three line up as the window's views do."""
    factor = max(1, target // max(result.image.shape))
    factors = [factor, factor]
    if result.pooled is not None and result.options.pool is not None:
        factors.append(factor * result.options.pool.step)
    return factors
