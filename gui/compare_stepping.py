"""Compare mode's stepping: which pixel A's and B's explanations show, moved by keys, clicks, the jumps to
the differing pixels, and Play (gui.step.playback, pixel by pixel at the given rate). A mixin of
gui.compare_mode.CompareMode, which explains and draws the pixel (``refresh``)."""

from __future__ import annotations

from gui.step.cursor import StepCursor


class CompareStepping:
    """Needs from the mode: ``is_active``, ``comparison``, ``problem``, ``cursor`` (a StepCursor), ``views``
    (gui.compare_views.CompareViews), ``playback``, ``playing``, ``playingChanged`` and ``refresh(zoom)``."""

    cursor: StepCursor | None

    def _place(self, pixel: tuple[int, int]) -> bool:
        index = self.cursor.index_of(*pixel) if self.cursor is not None else None
        if index is None:
            return False
        self.cursor.index = index
        return True

    @property
    def current(self) -> tuple[int, int] | None:
        return self.cursor.pos if self.is_active and self.cursor is not None and self.cursor.count else None

    def select(self, row: int, col: int, zoom: bool = False) -> None:
        """Explain pixel (row, col) of A and B (a pixel outside, or in lab mode's margin, is ignored);
        ``zoom``: onto it, when it is not well in view."""
        if self._place((row, col)):
            self.refresh(zoom)

    def move(self, steps: int) -> None:
        if self.current is not None and self.cursor.move(steps):
            self.refresh(zoom=True)

    def move_rows(self, rows: int) -> None:
        if self.current is not None:
            row, col = self.current
            self.select(row + rows, col, zoom=True)

    def go_to_largest(self) -> None:
        if self.comparison is not None and self.comparison.largest_at is not None:
            self.select(*self.comparison.largest_at[:2], zoom=True)

    def go_to_next_difference(self) -> None:
        if self.comparison is not None and self.current is not None:
            found = self.comparison.next_differing(*self.current)
            if found is not None:
                self.select(*found, zoom=True)

    def play(self) -> None:
        """Walk A and B through the pixels in the loop's order from here (from the first at the end)."""
        if self.current is None or self.comparison is None or self.problem is not None:
            return
        if self.cursor.at_end():
            self.cursor.home()
        self.playing = True
        self.playback.start()
        self.playingChanged.emit(True)
        self.refresh(zoom=True)

    def pause(self) -> None:
        was, self.playing = self.playing, False
        self.playback.stop()
        if was:
            self.playingChanged.emit(False)

    def toggle_play(self) -> None:
        self.pause() if self.playing else self.play()

    def _advance(self, steps: int) -> bool:
        """Play's frame: ``steps`` pixels on; False once the last pixel is reached (or nothing to show)."""
        if self.current is None or self.problem is not None:
            return False
        moved = self.cursor.move(steps)
        self.refresh()
        self.views.follow(self.current)
        return moved and not self.cursor.at_end()
