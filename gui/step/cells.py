"""What one cell of a step grid shows (gui.step.grid paints them): the number rounded for display with the
exact value kept for its tooltip, a caption and its look; and how the panel formats numbers."""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable

import engine

#: Longest text a cell shows in full; longer ones (a float32 result such as 97.44444274902344, or 102 * 0.1
#: in float64) are rounded to 8 significant digits, and the cell's tooltip has the exact value.
MAX_CELL_TEXT = 10


@functools.lru_cache(maxsize=1 << 16)  # stepping formats the same numbers again and again
def fmt(value: float) -> str:
    """A number as the panel prints it: engine.format_number (12, -3.5, 1/9), or 8 significant digits when
    that would be long."""
    text = engine.format_number(value)
    return text if len(text) <= MAX_CELL_TEXT else f"{float(value):.8g}"



class Cell:
    """What one cell shows: the number (rounded for display, exact kept), a caption and its look."""

    __slots__ = ("exact", "shown", "caption", "note", "foreground", "background", "bold", "italic", "dashed",
                 "focus")

    def __init__(self):
        self.exact: float | None = None
        self.shown = ""
        self.caption = ""
        self.note: str | Callable[[], str] = ""  # what the tooltip says under the exact value (made when asked)
        self.foreground, self.background = "#000000", "#ffffff"
        self.bold = self.italic = False
        self.dashed = False  # outside the image: padding
        self.focus = False  # the tap being shown or hovered: outlined thick, with its partners in the other grids

    def set_number(self, value: float | None, tip: str | Callable[[], str] = "", *, caption: str = "",
                   foreground: str = "#000000", background: str = "#ffffff", bold: bool = False,
                   italic: bool = False, dashed: bool = False) -> None:
        self.exact = None if value is None else float(value)
        self.shown = "" if value is None else fmt(value)
        self.caption = caption if value is not None else ""
        self.note = tip
        self.foreground, self.background = foreground, background
        self.bold, self.italic, self.dashed = bold, italic, dashed
        self.focus = False

    def look(self) -> tuple:
        """Everything the cell's paint depends on (shown and caption first)."""
        return LOOK(self)

    @property
    def tip(self) -> str:
        """The tooltip: the exact value in full, then the note (built when asked: a step sets ~700 cells)."""
        if self.exact is None:
            return ""
        note = self.note() if callable(self.note) else self.note
        return f"{self.exact!r}\n{note}".strip()


#: a cell's look (Cell.look), read in one call for a whole grid: map(LOOK, cells)
LOOK = operator.attrgetter("shown", "caption", "foreground", "background", "bold", "italic", "dashed", "focus")


def shift(before: list[list[tuple]], after: list[list[tuple]]) -> tuple[int, int]:
    """(rows, columns) such that ``after[r][c] == before[r + rows][c + columns]`` wherever both exist, for
    a move by one cell (most of a grid of input values when the window moves to a neighbouring pixel);
    (0, 0) when no such move holds for at least half the cells."""
    rows, cols = len(after), len(after[0]) if after else 0
    for dr, dc in ((0, 1), (0, -1), (1, 0), (-1, 0)):
        if rows - abs(dr) < 1 or cols - abs(dc) < 1 or 2 * (rows - abs(dr)) * (cols - abs(dc)) < rows * cols:
            continue
        if all(after[r][c] == before[r + dr][c + dc] for r in range(max(-dr, 0), rows - max(dr, 0))
               for c in range(max(-dc, 0), cols - max(dc, 0))):
            return dr, dc
    return 0, 0
