"""Step mode's overlays made of many single pixels: the taps of the kernel window on the input (each tap's
cell outlined, so a dilated window shows its gaps and a strided one where it reads), and, while the mouse
is over an input pixel, every convolved pixel whose window holds it (engine.Geometry.outputs_reading).

Each set of cells is one path item over a black halo: a 15x15 window is 225 cells, which as separate
items would each cost a scene update on every step.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem

import engine

TAPS = "#ffeb3b"  # the window's colour (gui.step.overlays.WINDOW)
READERS = "#76ff03"  # the convolved pixels reading the hovered input pixel
HALO = "#000000"


def _path_item(colour: str, width: float, z: float, fill: QColor | None = None) -> QGraphicsPathItem:
    item = QGraphicsPathItem()
    pen = QPen(QColor(colour), width)
    pen.setCosmetic(True)  # screen pixels, whatever the zoom
    pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    item.setPen(pen)
    item.setBrush(QBrush(fill) if fill is not None else QBrush(Qt.BrushStyle.NoBrush))
    item.setZValue(z)
    item.setVisible(False)
    return item


class CellsOutline:
    """Outlines of whole pixels (top, left, height, width in the view's coordinates) on one view."""

    def __init__(self, view, colour: str, z: float, fill: QColor | None = None):
        self.halo = _path_item(HALO, 3.5, z)
        self.line = _path_item(colour, 1.5, z + 1, fill)
        for item in (self.halo, self.line):
            view.addItem(item, ignoreBounds=True)
        self.cells: list[tuple[float, float, float, float]] = []

    def place(self, cells: list[tuple[float, float, float, float]]) -> None:
        cells = list(cells)
        shift = _shift(self.cells, cells)
        self.cells = cells
        if shift is not None and self.line.isVisible():  # the same cells one step on: move, not rebuild
            for item in (self.halo, self.line):
                item.setPos(item.pos().x() + shift[1], item.pos().y() + shift[0])
            return
        path = QPainterPath()
        inset = 0.08  # neighbouring cells' outlines stay apart: a gap between taps reads as a gap
        for top, left, height, width in cells:
            path.addRect(QRectF(left + inset, top + inset, width - 2 * inset, height - 2 * inset))
        for item in (self.halo, self.line):
            item.setPath(path)
            item.setPos(0.0, 0.0)
            item.setVisible(bool(cells))

    def hide(self) -> None:
        self.place([])

    def isVisible(self) -> bool:
        return self.line.isVisible()

    def set_width(self, width: float) -> None:
        for item, w in ((self.line, width), (self.halo, width + 2.0)):
            pen = item.pen()
            pen.setWidthF(w)
            item.setPen(pen)


def _shift(before: list[tuple[float, float, float, float]], after: list[tuple[float, float, float, float]]
           ) -> tuple[float, float] | None:
    """(rows, columns) that move every cell of ``before`` onto the same cell of ``after``, or None."""
    if not before or len(before) != len(after):
        return None
    dy, dx = after[0][0] - before[0][0], after[0][1] - before[0][1]
    if all(a[0] - b[0] == dy and a[1] - b[1] == dx and a[2:] == b[2:] for a, b in zip(after, before)):
        return dy, dx
    return None


def tap_cells(geometry: engine.Geometry, row: int, col: int) -> list[tuple[float, float, float, float]]:
    """The input cells convolved pixel (row, col) reads, one per tap (padding included)."""
    if geometry.untouched(row, col):
        return []
    return [(float(r), float(c), 1.0, 1.0) for r, c in dict.fromkeys(geometry.taps(row, col))]


class ReadersHighlight(QObject):
    """While step mode is on and the mouse is over input pixel (r, c): every convolved pixel whose window has
    a tap on it, outlined on the convolved view (the GUI asks the engine which; it computes none itself)."""

    def __init__(self, step_mode):
        super().__init__(step_mode)
        self.step = step_mode
        self.views = step_mode.views
        self.outline = CellsOutline(self.views.convolved.view, READERS, z=8, fill=QColor(118, 255, 3, 60))  # under the pixel
        self.hovered: tuple[int, int] | None = None
        self.readers: list[tuple[int, int]] = []
        self.views.pixelHovered.connect(self._on_hover)
        step_mode.document.optionsChanged.connect(lambda _options: self.clear())  # another geometry
        step_mode.document.imageChanged.connect(self.clear)

    def _on_hover(self, panel: str, row: int, col: int) -> None:
        document = self.step.document
        if panel != "input" or row < 0 or not self.step.is_active or document.image is None:
            if panel == "input" or not self.step.is_active:
                self.clear()
            return
        if self.hovered == (row, col):
            return
        self.hovered = (row, col)
        geometry = engine.Geometry.of(document.image.shape, document.options)
        self.readers = geometry.outputs_reading(row, col)
        self.outline.place([geometry.conv.cell(r, c) for r, c in self.readers])

    def clear(self) -> None:
        self.hovered = None
        self.readers = []
        self.outline.hide()
