"""Where step mode is: one output pixel, moved in the order the computation visits pixels."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class StepCursor:
    """Raster order over the convolved image. In lab mode, the notebook's loop order: x (the row) outer,
    y (the column) inner, over the interior only, since its loop never visits the 1-pixel margin."""

    height: int
    width: int
    lab: bool = False
    index: int = 0

    @property
    def _rows(self) -> tuple[int, int]:
        return (1, self.height - 1) if self.lab and self.height >= 3 and self.width >= 3 else (0, self.height)

    @property
    def _cols(self) -> tuple[int, int]:
        return (1, self.width - 1) if self.lab and self.height >= 3 and self.width >= 3 else (0, self.width)

    @property
    def count(self) -> int:
        (r0, r1), (c0, c1) = self._rows, self._cols
        return max(r1 - r0, 0) * max(c1 - c0, 0)

    @property
    def pos(self) -> tuple[int, int]:
        (r0, _), (c0, c1) = self._rows, self._cols
        per_row = max(c1 - c0, 1)
        return (r0 + self.index // per_row, c0 + self.index % per_row)

    def index_of(self, row: int, col: int) -> int | None:
        """The step index of (row, col), or None if the loop never visits it (lab mode's margin)."""
        (r0, r1), (c0, c1) = self._rows, self._cols
        if not (r0 <= row < r1 and c0 <= col < c1):
            return None
        return (row - r0) * (c1 - c0) + (col - c0)

    def move(self, steps: int) -> bool:
        """Move by ``steps`` (negative: back), stopping at the ends; returns False if it could not move."""
        target = min(max(self.index + steps, 0), max(self.count - 1, 0))
        moved = target != self.index
        self.index = target
        return moved

    def home(self) -> None:
        self.index = 0

    def end(self) -> None:
        self.index = max(self.count - 1, 0)

    def at_end(self) -> bool:
        return self.index >= self.count - 1
