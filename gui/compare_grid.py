"""How compare mode lays out its six views (gui.compare_views): columns of one width and rows of one
height, so the linked views line up to the pixel, in the arrangement that gives the larger images, and a
least size that keeps room for the images beside their titles and colour bars."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QSizePolicy, QWidget

from gui.image_panel import ImagePanel
from gui.image_views import GAP

PANEL_LEAST = 96  # a panel's least width and height (six in a row fit a 1024-wide window's centre, presenting too)
PANEL_MARGINS = (3, 3, 3, 3)  # around a panel's title, view and levels bar, and between them
LEAST_IMAGE = 96  # the image's least height in a row of panels: the area asks for it beside their titles and bars


def chrome(panel: ImagePanel) -> int:
    """A panel's height that is not image: its title, its levels bar, and its layout's spacing and margins
    (presentation mode's larger text makes it larger)."""
    layout = panel.widget.ci.layout
    _, top, _, bottom = layout.getContentsMargins()
    title = panel.title.effectiveSizeHint(Qt.SizeHint.MinimumSize).height()
    return int(np.ceil(title + panel.levels_bar.minimumHeight() + 2 * layout.verticalSpacing() + top + bottom))


class Grid(QWidget):
    """The panels in columns of exactly one width and rows of one height, so the linked views line up to
    the pixel: each row of three (A, B, A - B; the pooled ones) in a row of its own, or all six in one row
    where that gives larger images (a short, wide area); a row whose first panel is hidden takes no room."""

    def __init__(self, rows, parent=None):
        super().__init__(parent)
        self.rows = rows
        for row in rows:
            for panel in row:
                panel.setParent(self)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def _shown(self) -> list:
        return [row for row in self.rows if not row[0].isHidden()]

    def arrangement(self) -> list:
        """The rows of panels as laid out: one per row of three, or one row of every panel shown."""
        shown = self._shown()
        if len(shown) < 2:
            return shown
        extra = chrome(self.rows[0][0])

        def width(columns: int) -> float:
            return (self.width() - (columns - 1) * GAP) / columns

        def image_side(rows: int, columns: int) -> float:  # the largest square image each panel can show
            return min(width(columns), (self.height() - (rows - 1) * GAP) / rows - extra)

        columns = 3 * len(shown)
        if not self._one_row_fits() or image_side(len(shown), 3) >= image_side(1, columns):
            return shown
        return [tuple(p for row in shown for p in row)]

    def _one_row_fits(self) -> bool:
        """Whether every panel shown fits in one row, each at least PANEL_LEAST wide."""
        columns = 3 * len(self._shown())
        return (self.width() - (columns - 1) * GAP) / columns >= PANEL_LEAST

    def relayout(self) -> None:
        rows = self.arrangement()
        columns = max((len(row) for row in rows), default=3)
        width = (self.width() - (columns - 1) * GAP) // columns
        height = (self.height() - (len(rows) - 1) * GAP) // max(len(rows), 1)
        y = 0
        for row in rows:
            x = (self.width() - (columns - 1) * GAP - columns * width) // 2
            for panel in row:
                panel.setGeometry(x, y, width, height)
                x += width + GAP
            y += height + GAP

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.updateGeometry()  # the least height counts the rows the width allows
        self.relayout()

    def minimumSizeHint(self) -> QSize:
        """Three panels across, and a row's titles and bars with LEAST_IMAGE of image between (the docks
        under the area give way rather than squeeze the images out)."""
        first = self.rows[0][0]
        least = first.minimumSizeHint()
        rows = max(1, 1 if self._one_row_fits() else len(self._shown()))
        row = max(least.height(), chrome(first) + LEAST_IMAGE)
        return QSize(3 * least.width() + 2 * GAP, rows * row + (rows - 1) * GAP)

    def sizeHint(self) -> QSize:
        return QSize(3 * 300 + 2 * GAP, 400)
