"""The colours a result is shown in: the window's two colour maps (gray, and a diverging blue - white - red
for signed values) as 256-entry tables, and the mapping of an array's values to screen pixels through them.

A value v between display levels low..high takes table entry k = floor((v - low) * s) with s = 256 / (high
- low), clipped to 0..255 (float64 arithmetic): the 256 entries split low..high into equal bins, and values
beyond the ends take the end colours. For 8-bit data with levels 0..255 that is k = v. The window's worker
thread maps each new result this way, so the GUI thread only hands the finished pixels to Qt.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

TABLE_SIZE = 256

# ColorBrewer RdBu from the centre (0) out to each end (|v| = L), in equal steps.
_TO_RED = ((247, 247, 247), (253, 219, 199), (244, 165, 130), (214, 96, 77), (178, 24, 43), (103, 0, 31))
_TO_BLUE = ((247, 247, 247), (209, 229, 240), (146, 197, 222), (67, 147, 195), (33, 102, 172), (5, 48, 97))


def _diverging_stops() -> tuple[tuple[float, ...], tuple[tuple[int, int, int], ...]]:
    """Blue - white - red for signed values, 0 in the middle, with the colour at |v| = u * L taken from
    sqrt(u) of the way along RdBu: a value at 4% of L already has a fifth of the way's colour, so the small
    values that make up most of a filtered photo stand out from 0, while the ends stay the strongest."""
    steps = len(_TO_RED) - 1
    positions, colours = [], []
    for k in range(steps, 0, -1):
        positions.append(0.5 - 0.5 * (k / steps) ** 2)
        colours.append(_TO_BLUE[k])
    for k in range(steps + 1):
        positions.append(0.5 + 0.5 * (k / steps) ** 2)
        colours.append(_TO_RED[k])
    return tuple(positions), tuple(colours)


#: name -> (positions 0..1, RGB colours at them): the stops each map interpolates linearly between.
COLOUR_MAPS = {
    "gray": ((0.0, 1.0), ((0, 0, 0), (255, 255, 255))),
    "diverging": _diverging_stops(),
}


def colour_stops(name: str) -> tuple[tuple[float, ...], tuple[tuple[int, int, int], ...]]:
    """(positions, RGB colours) of a colour map of COLOUR_MAPS."""
    return COLOUR_MAPS[name]


@functools.lru_cache(maxsize=None)
def colour_table(name: str) -> np.ndarray:
    """The map's TABLE_SIZE x 3 uint8 RGB table: entry k is the colour at position k / (TABLE_SIZE - 1),
    linearly interpolated between the stops and rounded to the nearest level (gray: entry k is k)."""
    positions, colours = COLOUR_MAPS[name]
    at = np.arange(TABLE_SIZE) / (TABLE_SIZE - 1)
    rgb = np.asarray(colours, dtype=np.float64)
    table = np.stack([np.interp(at, positions, rgb[:, c]) for c in range(3)], axis=1)
    table = np.floor(table + 0.5).astype(np.uint8)
    table.flags.writeable = False
    return table


@functools.lru_cache(maxsize=None)
def _pixel_table(name: str) -> np.ndarray:
    """The table as 32-bit pixels 0xffRRGGBB (Qt's RGB32 in native byte order)."""
    rgb = colour_table(name).astype(np.uint32)
    pixels = (np.uint32(0xFF000000) | (rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2]).astype(np.uint32)
    pixels.flags.writeable = False
    return pixels


def colour_indices(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """Each value's table entry for display levels low..high (the rule in the module docstring), as uint8."""
    if values.dtype == np.uint8:
        return _byte_indices(float(low), float(high))[values]
    scale = TABLE_SIZE / (high - low) if high > low else 0.0
    work = np.subtract(values, low, dtype=np.float64)
    work *= scale
    np.clip(work, 0, TABLE_SIZE - 1, out=work)  # truncating what is now 0..255 is the floor
    return work.astype(np.uint8)


@functools.lru_cache(maxsize=16)
def _byte_indices(low: float, high: float) -> np.ndarray:
    """colour_indices of every uint8 value, for looking 8-bit data up in one pass."""
    return colour_indices(np.arange(256, dtype=np.float64), low, high)


@dataclass(frozen=True, eq=False)
class DisplayImage:
    """An array's pixels as shown: every ``step``-th row and column (the views draw big arrays at screen
    resolution) through colour map ``colour_map`` at display levels ``levels``, as uint32 0xffRRGGBB."""

    pixels: np.ndarray
    levels: tuple[float, float]
    colour_map: str
    step: tuple[int, int]  # (rows, columns)

    def fits(self, levels: tuple[float, float], colour_map: str, step: tuple[int, int]) -> bool:
        """Whether these are the pixels of ``levels``, ``colour_map`` and ``step``."""
        return (self.colour_map == colour_map and self.step == tuple(step)
                and tuple(float(v) for v in self.levels) == tuple(float(v) for v in levels))


def display_image(array: np.ndarray, levels: tuple[float, float], colour_map: str,
                  step: tuple[int, int] = (1, 1)) -> DisplayImage:
    """The pixels of a 2-D ``array`` (every ``step``-th row and column from the first) in ``colour_map``."""
    if array.ndim != 2:
        raise ValueError(f"a display image needs a 2-D array, not {array.ndim}-D")
    sampled = array[::step[0], ::step[1]]
    low, high = float(levels[0]), float(levels[1])
    if sampled.dtype == np.uint8:  # one lookup per pixel: value -> pixel
        pixels = _byte_pixels(colour_map, low, high).take(sampled)
    else:
        pixels = _pixel_table(colour_map).take(colour_indices(sampled, low, high))
    return DisplayImage(pixels, (low, high), colour_map, (int(step[0]), int(step[1])))


@functools.lru_cache(maxsize=16)
def _byte_pixels(colour_map: str, low: float, high: float) -> np.ndarray:
    """The pixel of every uint8 value."""
    return _pixel_table(colour_map).take(_byte_indices(low, high))
