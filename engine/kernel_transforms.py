"""Rotating, flipping and transposing a kernel, as a grid of rows (row 0 on top, column 0 on the left, the
way the editor shows it and the engine applies it).

``flip_both`` is what true convolution does to a kernel: convolving with K equals correlating (Kernelscope's
default, like TensorFlow) with K turned by 180 degrees.
"""

from __future__ import annotations

from typing import Sequence

Grid = tuple[tuple[float, ...], ...]


def _grid(rows) -> Grid:
    return tuple(tuple(row) for row in rows)


def rotate_clockwise(kernel: Sequence[Sequence[float]]) -> Grid:
    """Turn 90 degrees clockwise as shown on screen: the top row becomes the right column
    (new[i][j] = old[h - 1 - j][i]); Sobel x becomes Sobel y."""
    return _grid(zip(*reversed(kernel)))


def rotate_counterclockwise(kernel: Sequence[Sequence[float]]) -> Grid:
    """Turn 90 degrees counter-clockwise: the top row becomes the left column, read bottom up
    (new[i][j] = old[j][w - 1 - i]); the inverse of rotate_clockwise."""
    return _grid(reversed(list(zip(*kernel))))


def flip_horizontal(kernel: Sequence[Sequence[float]]) -> Grid:
    """Mirror left to right (each row reversed)."""
    return _grid(reversed(row) for row in kernel)


def flip_vertical(kernel: Sequence[Sequence[float]]) -> Grid:
    """Mirror top to bottom (the rows in reverse order)."""
    return _grid(reversed(kernel))


def flip_both(kernel: Sequence[Sequence[float]]) -> Grid:
    """Flip in both axes (a 180-degree turn): the kernel that convolution multiplies."""
    return _grid(reversed(row) for row in reversed(kernel))


def transpose(kernel: Sequence[Sequence[float]]) -> Grid:
    """Swap rows and columns (new[i][j] = old[j][i]): what the notebook's lab-mode loop does to a kernel."""
    return _grid(zip(*kernel))


#: The transforms by name, in the order the editor offers them.
TRANSFORMS = {
    "rotate clockwise": rotate_clockwise,
    "rotate counter-clockwise": rotate_counterclockwise,
    "flip horizontal": flip_horizontal,
    "flip vertical": flip_vertical,
    "transpose": transpose,
}
