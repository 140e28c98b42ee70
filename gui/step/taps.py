"""Tap by tap: inside one output pixel, its products one at a time in the order engine.explain_pixel
lists its terms (the order the sum is made), and the focus that lights up one term's partners everywhere:
its input cell, kernel cell, product and running-sum line in the panel, and its input pixel on the image.

A mixin of StepMode (gui.step.mode), which holds the cursor, the panel and the overlays."""

from __future__ import annotations

import engine


class TapSteps:
    """StepMode's taps: ``tap`` is None while whole pixels are shown, else the term shown last."""

    tap: int | None
    _hovered: int | None
    _explained: tuple | None

    # -- actions ------------------------------------------------------------------------------------------
    def set_tap_mode(self, on: bool) -> None:
        """Tap by tap (on: the current pixel from its first tap) or whole pixels."""
        if not self.is_active and on:
            self.enter()
        self.tap = 0 if on and self.cursor is not None else None
        self.controls.show_tap_mode(self.tap is not None)
        self.refresh()

    def next_tap(self) -> None:
        """One more product of this pixel (after its last, the next pixel's first); starts tap by tap."""
        if self.tap is None:
            self.set_tap_mode(True)
            return
        if self._move_taps(1):
            self.refresh()

    def previous_tap(self) -> None:
        if self.tap is None:
            self.set_tap_mode(True)
            return
        if self._move_taps(-1):
            self.refresh()

    def taps_per_pixel(self) -> int:
        """Terms of one pixel: kh x kw, times Cin for a layer kernel (it reads every input channel)."""
        rows, cols, cin, _ = self.document.options.layer_shape
        return rows * cols * (cin or 1)

    # -- moving -------------------------------------------------------------------------------------------
    def _move_taps(self, steps: int) -> bool:
        """Move ``steps`` taps on (negative: back), across pixels in the cursor's order; False if it could
        not move (the first tap of the first pixel, the last of the last)."""
        if self.cursor is None or self.tap is None:
            return False
        per_pixel = self.taps_per_pixel()
        start = self.cursor.index * per_pixel + self.tap
        target = min(max(start + steps, 0), max(self.cursor.count * per_pixel - 1, 0))
        self.cursor.index, self.tap = divmod(target, per_pixel)
        self._margin = None
        return target != start

    def _first_tap(self) -> None:
        """A move by whole pixels while tap by tap starts the new pixel at its first tap."""
        if self.tap is not None:
            self.tap = 0

    # -- the explanation shown, remembered while its taps are stepped through --------------------------
    def _explain(self, row: int, col: int) -> tuple[engine.PixelExplanation, engine.PoolExplanation | None]:
        document = self.document
        channel = self._channel()
        key = (id(document.image), document.options, document.result is not None and id(document.result), row, col,
               channel)
        if self._explained is None or self._explained[0] != key:
            explanation = engine.explain_pixel(document.image, document.options, row, col, channel)
            self._explained = (key, explanation, self._pool_explanation(row, col))
        return self._explained[1], self._explained[2]

    # -- focus: the tap shown, or the term under the mouse ----------------------------------------------
    def _hover(self, term: int | None) -> None:
        if term != self._hovered:
            self._hovered = term
            self._show_focus()

    def _on_image_hover(self, panel: str, row: int, col: int) -> None:
        """Over the input image, a pixel of the current window focuses the terms that read it."""
        if panel != "input" or not self.is_active or self.panel.explanation is None:
            return
        explanation = self.panel.explanation
        term = next((k for k, t in enumerate(explanation.terms) if t.input_pos == (row, col)), None)
        self._hover(term)

    @property
    def focus(self) -> int | None:
        return self._hovered if self._hovered is not None else self.tap

    def _show_focus(self, panel: bool = True) -> None:
        explanation = self.panel.explanation
        focus = self.focus
        if explanation is None or focus is None or focus >= len(explanation.terms):
            focus = None
        if panel:
            self.panel.set_focus(focus)
        if focus is None:
            self.overlays.focus(None)
            return
        self.overlays.focus(explanation.terms[focus].input_pos)
