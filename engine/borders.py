"""Border modes: where a kernel cell that falls outside the image takes its value from.

The modes are named after numpy.pad and match it exactly, also when the padding is wider than the
image (a 15x15 kernel on a 3x3 image): the pattern simply repeats.
"""

from __future__ import annotations

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
