"""How the window looks: presentation mode (the application's font scaled up for projection, the views,
their pixel numbers and step mode following) and the views' histograms."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

PRESENTATION_SCALE = 1.6


class Presentation:
    """Presentation mode for ``views``, ``pixel_numbers`` (gui.pixel_numbers) and ``step_mode``; ``action``
    (View > Presentation mode) is kept checked while it is on, and ``relayout()`` lays the docks out again."""

    def __init__(self, views, pixel_numbers, step_mode, relayout: Callable[[], None]):
        self.views, self.pixel_numbers, self.step_mode, self.relayout = views, pixel_numbers, step_mode, relayout
        self.action = None
        self._base_point_size: float | None = None

    def set(self, on: bool) -> None:
        """Presentation mode on or off: the application's font scaled, and everything that follows it."""
        font = QApplication.font()
        if self._base_point_size is None:
            self._base_point_size = font.pointSizeF()
        font.setPointSizeF(self._base_point_size * (PRESENTATION_SCALE if on else 1.0))
        QApplication.setFont(font)
        if self.action is not None:
            self.action.setChecked(on)
        self.views.set_presentation(on)
        for numbers in self.pixel_numbers:
            numbers.set_presentation(on)
        self.step_mode.set_presentation(on)
        self.relayout()

    def show_histograms(self, checked: bool) -> None:
        """The views' histograms and level handles (View > Show histograms/levels)."""
        for panel in self.views.panels():
            panel.set_histogram_visible(checked)
        QTimer.singleShot(0, self.views.fit)  # the views changed height: fit the image again
