"""Border modes: where a kernel cell that falls outside the image takes its value from.

The modes are named after numpy.pad and match it exactly, also when the padding is wider than the
image (a 15x15 kernel on a 3x3 image): the pattern simply repeats.
"""

from __future__ import annotations

import numpy as np

from .options import BORDERS


def source_index(index: int, size: int, border: str) -> int | None:
    """The in-image index whose value a (possibly outside) index ``index`` uses, or None for zero padding."""
    if 0 <= index < size:
        return index
    if border in ("zero", "valid"):
        return None
    if border == "edge":
        return 0 if index < 0 else size - 1
    if border == "wrap":
        return index % size
    if border == "reflect":
        if size == 1:
            return 0
        period = 2 * (size - 1)
        m = index % period
        return m if m < size else period - m
    if border == "symmetric":
        period = 2 * size
        m = index % period
        return m if m < size else period - 1 - m
    raise ValueError(f"unknown border mode {border!r}; known: {', '.join(BORDERS)}")


def fill_padded(image: np.ndarray, border: str, padding: tuple[int, int, int, int], a: int, b: int,
                out: np.ndarray) -> None:
    """Write rows a..b of the padded image (``padding``: rows above, below, columns left, right, filled as
    ``border`` says) into ``out`` (b - a rows of the padded width, any dtype that holds the values)."""
    height, width = image.shape
    top, _, left, right = padding
    inside = out[:, left:left + width]
    first, last = max(a, top), min(b, top + height)  # padded rows that are image rows, in one block
    if last > first:
        inside[first - a:last - a] = image[first - top:last - top]
    for r in [*range(a, min(first, b)), *range(max(last, a), b)]:
        source = source_index(r - top, height, border)
        inside[r - a] = 0 if source is None else image[source]
    for columns, offsets in ((slice(0, left), range(-left, 0)), (slice(left + width, left + width + right),
                                                                range(width, width + right))):
        sources = [source_index(c, width, border) for c in offsets]
        if sources:
            if sources[0] is None:
                out[:, columns] = 0
            else:
                out[:, columns] = inside[:, sources]
