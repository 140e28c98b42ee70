"""The layer stack's views: the input, then every layer's output, each in its own titled view (a layer with
several feature maps shows one, chosen under the view), and the receptive field of a selected pixel outlined
on every earlier view down to the input.

Each view draws its own array's pixels (layers shrink, so they are not linked); the rectangles come from
engine.receptive_field, the levels from the worker thread (gui.stack_document).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QWidget

import engine
from gui.stack_cell import CELL_CHROME, StackCell


def layer_title(index: int, layer) -> str:
    """'2. ReLU' (layers counted from 1, as the strip and the CLI's files count them)."""
    return f"{index + 1}. {layer.label}"


class StackViews(QWidget):
    """The input and every layer's output in a grid; ``pixelClicked(view, row, col)`` with view 0 the input
    and view k layer k-1 (row, col in that view's own pixels)."""

    pixelClicked = Signal(int, int, int)
    pixelHovered = Signal(int, int, int)  # view, row, col (row -1: the mouse left the image)
    mapChosen = Signal(int, int)  # view, map

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.cells: list[StackCell] = []
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(6)
        self.selected: tuple[int, int, int] | None = None  # view, row, col
        self.fields: tuple = ()
        self.zoom_to_field = False
        self.presentation = False
        self._columns = 0

    def set_count(self, views: int) -> None:
        """Have exactly ``views`` views (the input and one per layer), laid out in rows of MAX_COLUMNS or fewer."""
        while len(self.cells) < views:
            cell = StackCell(len(self.cells), self)
            cell.set_presentation(self.presentation)
            cell.panel.widget.scene().sigMouseClicked.connect(lambda ev, c=cell: self._click(c, ev))
            cell.panel.widget.scene().sigMouseMoved.connect(lambda pos, c=cell: self._hover(c, pos))
            cell.mapChosen.connect(lambda m, c=cell: self.mapChosen.emit(c.index, m))
            self.cells.append(cell)
        while len(self.cells) > views:
            cell = self.cells.pop()
            self.grid.removeWidget(cell)
            cell.setParent(None)
            cell.deleteLater()
        self._columns = 0
        self.arrange()

    def arrange(self) -> None:
        """Rows and columns that give the views the largest square images in the space there is, counting
        the room the thumbnails of layers with several maps take in cells of that size."""
        if self.cells:
            self.place_in(max(range(1, len(self.cells) + 1), key=self.image_side))

    def place_in(self, columns: int) -> None:
        """The views in rows of ``columns``."""
        if columns == self._columns:
            return
        self._columns, rows = columns, math.ceil(len(self.cells) / columns)
        for n, cell in enumerate(self.cells):
            self.grid.removeWidget(cell)
            self.grid.addWidget(cell, n // columns, n % columns)
        for c in range(self.grid.columnCount()):
            self.grid.setColumnStretch(c, 1 if c < columns else 0)
        for r in range(self.grid.rowCount()):
            self.grid.setRowStretch(r, 1 if r < rows else 0)

    def image_side(self, columns: int) -> float:
        """The side of the largest square image every view keeps with the views in ``columns`` columns."""
        views, spacing = len(self.cells), self.grid.spacing()
        rows = math.ceil(views / columns)
        width = (max(self.width(), 1) - (columns - 1) * spacing) / columns
        height = (max(self.height(), 1) - (rows - 1) * spacing) / rows
        strip = max(cell.strip_height(int(width), int(height)) for cell in self.cells)
        return min(width, height - CELL_CHROME - strip)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.arrange()

    def cell(self, view: int) -> StackCell:
        return self.cells[view]

    def fit(self) -> None:
        for cell in self.cells:
            cell.fit()

    def set_presentation(self, on: bool) -> None:
        """Projector mode: the panels' large titles and thicker outlines, as in today's views."""
        self.presentation = on
        for cell in self.cells:
            cell.set_presentation(on)

    def set_zoom_to_field(self, on: bool) -> None:
        """Whether a selection zooms every view onto its receptive field (off: fit them again)."""
        self.zoom_to_field = on
        if on and self.selected is not None:
            self._zoom()
        elif not on:
            self.fit()

    def outline(self, view: int | None, row: int = 0, col: int = 0, fields: tuple = ()) -> None:
        """Outline pixel (row, col) of ``view`` and ``fields`` (engine.receptive_field's rectangles: item 0 on
        the input, item k on view k) on the views before it; None clears every outline."""
        self.selected = None if view is None else (view, row, col)
        self.fields = fields
        self.focus_term(None)
        for cell in self.cells:
            k = cell.index
            if view is None or k > view:
                cell.place(None, None)
            elif k == view:
                cell.place(None, (row, col))
            else:
                cell.place(fields[k] if k < len(fields) else None, None)
        if view is not None and self.zoom_to_field:
            self._zoom()

    def _zoom(self) -> None:
        """Zoom every view up to the selected one onto its part of the receptive field."""
        view, row, col = self.selected
        for cell in self.cells[:view]:
            if cell.index < len(self.fields) and self.fields[cell.index].height:
                cell.zoom_to(self.fields[cell.index])
        self.cells[view].zoom_to(engine.Rect(row, col, 1, 1), margin=4.0)

    def focus_term(self, pixel: tuple[int, int] | None) -> None:
        """Outline ``pixel`` on the view below the selected one: the pixel a chosen term reads (None: none)."""
        below = None if self.selected is None else self.selected[0] - 1
        for cell in self.cells:
            cell.place_term(pixel if cell.index == below and pixel is not None else None)

    def _hover(self, cell: StackCell, pos: QPointF) -> None:
        pixel = cell.panel.pixel_at(pos)
        self.pixelHovered.emit(cell.index, *(pixel if pixel else (-1, -1)))

    def _click(self, cell: StackCell, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        pixel = cell.panel.pixel_at(event.scenePos())
        if pixel is not None:
            self.pixelClicked.emit(cell.index, *pixel)

    def click_point(self, view: int, row: int, col: int) -> QPointF:
        """Scene position of the centre of pixel (row, col) of ``view`` (for tests and scripted clicks)."""
        return self.cells[view].panel.view.mapViewToScene(QPointF(col + 0.5, row + 0.5))
