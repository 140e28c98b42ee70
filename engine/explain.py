"""The full arithmetic of one output pixel, term by term, exactly as the bulk paths compute it.

Every number here is a plain Python float computed in the order the module docstrings of
engine.convolve and engine.lab give; the stored value equals the bulk output bit for bit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .borders import source_index
from .errors import ImageError, OptionsError
from .explain_terms import window_terms
from .images import MAX_ABS_VALUE, check_shape
from .lab import check_lab_pool, lab_input, lab_taps
from .numbers import format_number, format_size
from .options import JobOptions, PoolOptions


@dataclass(frozen=True)
class Term:
    """One multiply of the multiply-and-sum."""

    kernel_pos: tuple[int, int]  # (row, col) of the kernel cell as written in the editor
    input_pos: tuple[int, int]  # (row, col) in image coordinates; outside the image for padding
    source_pos: tuple[int, int] | None  # the pixel whose value is used; None for zero padding
    origin: str  # 'image', or the border mode that supplied a padded value
    value: float
    weight: float  # the kernel entry
    product: float
    running_sum: float
    channel: int = 0  # the input channel (ci) the value comes from


def _new_term(kernel_pos, input_pos, source_pos, origin, value, weight, product, running_sum) -> Term:
    """Term(...) for a one-channel job, made as the dataclass makes it but its fields set in one go: the
    frozen dataclass's __init__ sets each through object.__setattr__, most of the cost of a 15x15 step's
    225 terms."""
    term = _make(Term)
    term.__dict__.update(kernel_pos=kernel_pos, input_pos=input_pos, source_pos=source_pos, origin=origin,
                         value=value, weight=weight, product=product, running_sum=running_sum, channel=0)
    return term


_make = object.__new__


@dataclass(frozen=True)
class PixelExplanation:
    """How convolved[r, c] was made."""

    out_pos: tuple[int, int]
    lab: bool
    terms: tuple[Term, ...]
    sum: float
    weight: float
    weighted: float  # sum * weight
    offset: float
    before_clamp: float  # weighted + offset
    output_range: str
    stored: float  # the value in the convolved image (int-valued for clamp and lab)
    clamped: str | None  # 'low' or 'high' when the clamp changed the value
    untouched: bool = False  # lab mode's 1-pixel margin: the notebook's loop never writes it
    flipped: bool = False  # true convolution: the terms' kernel is the options' kernel turned 180 degrees
    channel: int = 0  # the output channel
    #: (input channel, float64 sum of its products in (i, j) order) for layer jobs; () for one-channel jobs
    subtotals: tuple[tuple[int, float], ...] = ()

    def describe(self) -> str:
        """The arithmetic as text, one multiply per line, e.g. for a notebook or a slide."""
        r, c = self.out_pos
        mode = "lab mode" if self.lab else "true convolution: K is the kernel turned 180 degrees" if self.flipped \
            else "standard mode"
        lines = [f"convolved[{r}, {c}] ({mode})"]
        if self.untouched:
            lines.append(f"  kept from the input: the notebook's loop skips the 1-pixel margin -> {format_number(self.stored)}")
            return "\n".join(lines)
        if self.subtotals:
            lines[0] = f"convolved[{r}, {c}, {self.channel}] (layer: output channel {self.channel})"
        for t in self.terms:
            where = {"image": "", "zero": " (zero padding)"}.get(t.origin, f" ({t.origin} of {t.source_pos})")
            cell = f"K[{t.kernel_pos[0]}][{t.kernel_pos[1]}]" + (f"[{t.channel}]" if self.subtotals else "")
            at = list(t.input_pos) + ([t.channel] if self.subtotals else [])
            lines.append(f"  {cell} {format_number(t.weight):>6} x in{at}"
                         f"{where} {format_number(t.value):>6} = {format_number(t.product):>8}   sum {format_number(t.running_sum)}")
        for ci, subtotal in self.subtotals:
            lines.append(f"  input channel {ci} contributes {format_number(subtotal)}")
        lines.append(f"  sum {format_number(self.sum)} x weight {format_number(self.weight)} = {format_number(self.weighted)}")
        if not self.lab:
            lines.append(f"  + offset {format_number(self.offset)} = {format_number(self.before_clamp)}")
        if self.output_range == "relu":
            lines.append(f"  stored (relu: max(v, 0), float32) = {format_number(self.stored)}")
        elif self.output_range == "clamp":
            note = {"low": " (clamped up to 0)", "high": " (clamped down to 255)"}.get(self.clamped or "", "")
            lines.append(f"  stored (clamp 0..255, truncate) = {format_number(self.stored)}{note}")
        else:
            lines.append(f"  stored (raw, float32) = {format_number(self.stored)}")
        return "\n".join(lines)


@dataclass(frozen=True)
class PoolExplanation:
    """How pooled[r, c] was made from its window of the convolved image."""

    out_pos: tuple[int, int]
    op: str
    cells: tuple[tuple[tuple[int, int], float], ...]  # ((row, col) in the convolved image, value), row-major
    window: tuple[int, int, int, int]  # top, left, height, width in the convolved image
    result: float
    chosen: tuple[int, int] | None  # for max/min: the first cell (row-major) holding the result
    total: float | None = None  # for avg: the row-major float64 sum


def _store(value: float, output_range: str) -> tuple[float, str | None]:
    if output_range == "relu":
        return (float(np.float32(value)) if value > 0.0 else 0.0), None
    if output_range == "raw":
        return float(np.float32(value)), None
    clamped = None
    if value < 0.0:
        value, clamped = 0.0, "low"
    elif value > 255.0:
        value, clamped = 255.0, "high"
    return float(math.trunc(value)), clamped


def _position(shape: tuple[int, int], row, col, what: str) -> tuple[int, int]:
    """(row, col) as ints when they are whole numbers inside ``shape``; OptionsError otherwise."""
    for name, value in (("row", row), ("column", col)):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
            raise OptionsError(f"a pixel's {name} must be a whole number, not {value!r}")
    row, col = int(row), int(col)
    if not (0 <= row < shape[0] and 0 <= col < shape[1]):
        raise OptionsError(f"pixel (row {row}, column {col}) is outside the {what}, which is {format_size(shape)}")
    return row, col


def _check_channel(channel, count: int) -> int:
    """``channel`` as an int when it is a whole number naming one of ``count`` output channels."""
    if isinstance(channel, (bool, np.bool_)) or not isinstance(channel, (int, np.integer)):
        raise OptionsError(f"an output channel must be a whole number, not {channel!r}")
    if not 0 <= channel < count:
        raise OptionsError(f"output channel {channel} does not exist; this job has {count} (0 to {count - 1})")
    return int(channel)


def _options(options) -> JobOptions:
    if not isinstance(options, JobOptions):
        raise OptionsError(f"options must be engine.JobOptions, not {type(options).__name__}")
    return options


def _pixel(image: np.ndarray, r: int, c: int, limit: float = MAX_ABS_VALUE) -> float:
    """image[r, c] as a float, refused like check_image refuses a whole image (NaN, inf, beyond ``limit``)."""
    value = float(image[r, c])
    if not math.isfinite(value):
        raise ImageError(f"the image contains NaN or infinite values (row {r}, column {c} is {value})")
    if abs(value) > limit:
        raise ImageError(f"the image has values beyond +-{MAX_ABS_VALUE:g} (row {r}, column {c}); Kernelscope "
                         "works with pixel values up to that size")
    return value


def explain_pixel(image: np.ndarray, options: JobOptions, row: int, col: int, channel: int = 0
                  ) -> PixelExplanation:
    """Every term of convolved[row, col] (of output ``channel``) for ``image`` under ``options``.

    Only the image's shape and type and the pixels this one reads are checked (so stepping stays instant
    on big images); bad input raises the engine's errors: OptionsError for the options or a position that
    is not a whole number inside the convolved image, ImageError for the image (NaN, inf, not 2-D)."""
    options = _options(options)
    _check_channel(channel, 1)  # engine.layer_explain explains jobs with several output channels
    image = check_shape(image)
    if options.lab:
        return _explain_lab(image, options, row, col)
    flipped = options.flip
    options = options.as_correlation()  # the terms show the kernel as it is multiplied (flipped for --flip)
    row, col = _position(options.output_shape(*image.shape), row, col, "convolved image")
    top, _, left, _ = options.padding
    terms = window_terms(image, options.kernel, top, left, options.border, row, col, _new_term)
    if terms is None:  # a value the window reads is refused: the loop reads them in order and names the first
        terms = _loop_terms(image, options, row, col)
    total = terms[-1].running_sum
    weighted = total * options.weight
    before = weighted + options.offset
    stored, clamped = _store(before, options.output_range)
    return PixelExplanation((row, col), False, tuple(terms), total, options.weight, weighted, options.offset,
                            before, options.output_range, stored, clamped, flipped=flipped)


def _loop_terms(image: np.ndarray, options: JobOptions, row: int, col: int) -> list[Term]:
    """The terms one by one, each value checked as it is read (window_terms' answer, when every value is
    valid; otherwise the ImageError naming the first refused one)."""
    height, width = image.shape
    top, _, left, _ = options.padding
    border = options.border
    terms = []
    total = 0.0
    for i, kernel_row in enumerate(options.kernel):
        for j, k in enumerate(kernel_row):
            r, c = row + i - top, col + j - left
            sr, sc = source_index(r, height, border), source_index(c, width, border)
            if sr is None or sc is None:
                source, origin, value = None, "zero", 0.0
            else:
                source = (sr, sc)
                origin = "image" if (sr, sc) == (r, c) else border
                value = _pixel(image, sr, sc)
            product = value * k
            total = total + product
            terms.append(_new_term((i, j), (r, c), source, origin, value, k, product, total))
    return terms


def _lab_pixels(image: np.ndarray) -> np.ndarray:
    """The image for reading lab-mode values one by one: integer images as they are (no whole-image copy,
    so stepping stays instant on big images), float images validated and converted like the bulk path."""
    return lab_input(image) if image.dtype.kind == "f" else image


def _explain_lab(image: np.ndarray, options: JobOptions, x: int, y: int) -> PixelExplanation:
    ints = _lab_pixels(image)
    height, width = ints.shape
    x, y = _position((height, width), x, y, "convolved image")
    if not (1 <= x < height - 1 and 1 <= y < width - 1):
        kept = float(int(ints[x, y]))
        return PixelExplanation((x, y), True, (), 0.0, options.weight, 0.0, 0.0, kept, "clamp", kept, None,
                                untouched=True)
    terms = []
    total = 0.0
    for a, b, k in lab_taps(options):
        r, c = x + b - 1, y + a - 1
        value = float(int(ints[r, c]))
        product = value * k
        total = total + product
        terms.append(Term((a, b), (r, c), (r, c), "image", value, k, product, total))
    weighted = total * options.weight
    stored, clamped = _store(weighted, "clamp")
    return PixelExplanation((x, y), True, tuple(terms), total, options.weight, weighted, 0.0, weighted, "clamp",
                            stored, clamped)


def explain_pool(image: np.ndarray, options: JobOptions, row: int, col: int,
                 convolved: np.ndarray | None = None, channel: int = 0) -> PoolExplanation:
    """How pooled[row, col] (of output ``channel``) was made. The window's values come from ``convolved``
    when given (it must be this image's convolved result), otherwise each is explained with explain_pixel."""
    options = _options(options)
    if options.pool is None:
        raise OptionsError("pooling is off, so there is no pooled pixel to explain")
    image = check_shape(image)
    _check_channel(channel, 1)
    conv_shape = options.output_shape(*image.shape)
    if options.lab:
        check_lab_pool(conv_shape)
    if convolved is not None:
        convolved = check_convolved(convolved, conv_shape)
    return pool_explanation(options, conv_shape, row, col, lambda r, c: (
        _pixel(convolved, r, c, math.inf) if convolved is not None else explain_pixel(image, options, r, c).stored))


def check_convolved(convolved: np.ndarray, conv_shape: tuple[int, int]) -> np.ndarray:
    """A convolved image given to explain_pool, if it has the shape these options make; ImageError if not."""
    convolved = check_shape(convolved, "the convolved image")
    if convolved.shape != conv_shape:
        raise ImageError(f"the convolved image given is {format_size(convolved.shape)}; these options make "
                         f"{format_size(conv_shape)} from this image")
    return convolved


def pool_explanation(options: JobOptions, conv_shape: tuple[int, int], row: int, col: int, value_at
                     ) -> PoolExplanation:
    """pooled[row, col] of a convolved image of ``conv_shape`` whose values ``value_at(r, c)`` gives
    (``options``: a job's options, or the PoolOptions themselves)."""
    pool = options if isinstance(options, PoolOptions) else options.pool
    row, col = _position(pool.output_shape(*conv_shape), row, col, "pooled image")
    top, left = row * pool.step, col * pool.step
    cells = []
    for di in range(pool.size):
        for dj in range(pool.size):
            r, c = top + di, left + dj
            cells.append(((r, c), value_at(r, c)))
    values = [v for _, v in cells]
    if pool.op == "avg":
        total = 0.0
        for v in values:
            total = total + v
        result = float(np.float32(total / len(values)))
        return PoolExplanation((row, col), "avg", tuple(cells), (top, left, pool.size, pool.size), result, None,
                               total)
    result = max(values) if pool.op == "max" else min(values)
    chosen = next(pos for pos, v in cells if v == result)
    return PoolExplanation((row, col), pool.op, tuple(cells), (top, left, pool.size, pool.size), result, chosen)
