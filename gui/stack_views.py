"""The layer stack's views: the input, then every layer's output, each in its own titled view (a layer with
several feature maps shows one, chosen under the view), and the receptive field of a selected pixel outlined
on every earlier view down to the input.

Each view draws its own array's pixels (layers shrink, so they are not linked); the rectangles come from
engine.receptive_field, the levels from the worker thread (gui.stack_document).
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QSpinBox, QVBoxLayout, QWidget

import engine
from engine.numbers import format_size
from gui.image_panel import ImagePanel
from gui.step.grid import FOCUS
from gui.stack_maps import LayerTiles
from gui.step.overlays import PIXEL, WINDOW, Outline

#: Height of a view's title, levels bar and size row together: what is not image in a cell.
CELL_CHROME = 110
MIN_CELL = 110  # the least width or height of a view, so many layers still fit a 1024x768 window


def layer_title(index: int, layer) -> str:
    """'2. ReLU' (layers counted from 1, as the strip and the CLI's files count them)."""
    return f"{index + 1}. {layer.label}"


def size_note(shape: tuple[int, ...], several: bool) -> str:
    """'510x510' or '510x510, maps:' before the map chooser."""
    return f"{format_size(shape)}" + (f" x {shape[2]} maps, map" if several else "")


class StackCell(QWidget):
    """One view of the stack: an ImagePanel, every map's thumbnail and the map chooser under it (shown for
    several maps; the thumbnails only where the view keeps MIN_CELL), and the outlines of a receptive field (yellow) and of the selected pixel (cyan)."""

    mapChosen = Signal(int)

    def __init__(self, index: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.index = index  # 0: the input; k: layer k-1's output
        self.panel = ImagePanel(f"stack{index}", "Input" if index == 0 else f"Layer {index}")
        self.panel.widget.setMinimumSize(MIN_CELL, MIN_CELL)
        self.map = QSpinBox()
        self.map.setToolTip("Which feature map (output channel) of this layer the view shows, from 0")
        policy = self.map.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # every cell's row keeps one height, so the views line up
        self.map.setSizePolicy(policy)
        self.map.hide()
        self.size_label = QLabel()
        self.size_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # never widens the cell
        row = QHBoxLayout()
        row.setContentsMargins(4, 0, 4, 0)
        row.addWidget(self.size_label, 1)
        row.addWidget(self.map)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.panel, 1)
        self.tiles = LayerTiles(self)
        self.tiles.hide()
        self.tiles.mapChosen.connect(self.set_map)
        layout.addWidget(self.tiles)
        layout.addLayout(row)
        self.field = Outline(self.panel.view, WINDOW)
        self.pixel = Outline(self.panel.view, PIXEL, z=12)
        self.term = Outline(self.panel.view, FOCUS, z=14)  # the pixel the step panel's chosen term reads
        self.array: np.ndarray | None = None
        self._levels, self._signed, self._colour = None, False, False
        self._shown_shape: tuple | None = None
        self.map.valueChanged.connect(self._on_map)

    @property
    def channel(self) -> int:
        """The map shown (0 for an output with one)."""
        return self.map.value() if self._several else 0

    @property
    def _several(self) -> bool:
        return self.array is not None and self.array.ndim == 3 and not self._colour

    @property
    def is_colour(self) -> bool:
        """The input's RGB, shown as colour (not one map of several)."""
        return self._colour

    def show_array(self, array: np.ndarray, levels, signed: bool, title: str, shape: tuple[int, ...],
                   colour: bool = False) -> None:
        """Show a layer's output (one map of several unless ``colour``: the input's RGB as is)."""
        self.array, self._levels, self._signed, self._colour = array, levels, signed, colour
        several = self._several
        self.map.blockSignals(True)
        self.map.setRange(0, array.shape[2] - 1 if several else 0)
        self.map.blockSignals(False)
        self.map.setVisible(several)
        self.size_label.setText(size_note(shape, several))
        self.size_label.setToolTip(self.size_label.text())
        self._show()
        self.tiles.show_layer(array if several else None, levels, signed, self.channel)
        self._fit_tiles()
        self.panel.set_title(title)
        if array.shape[:2] != self._shown_shape:
            self._shown_shape = array.shape[:2]
            self.fit()

    def set_map(self, channel: int) -> None:
        """Show map ``channel`` (as if chosen under the view)."""
        self.map.setValue(channel)

    def _show(self) -> None:
        if self.array is not None:
            data = self.array[:, :, self.map.value()] if self._several else self.array
            self.panel.show(data, diverging=self._signed, levels=self._levels)

    def _on_map(self, channel: int) -> None:
        self._show()
        self.tiles.set_chosen(channel)
        self.mapChosen.emit(channel)

    def _fit_tiles(self) -> None:
        """The thumbnails at most a third of the cell, and none where the view would drop below MIN_CELL."""
        room = min(self.height() - CELL_CHROME - MIN_CELL, (self.height() - CELL_CHROME) // 3)
        strip = self.tiles.wanted_height(self.width(), room) if self.tiles.count and room > 0 else 0
        strip = strip if strip >= self.tiles.least_height() else 0
        self.tiles.setFixedHeight(strip)
        self.tiles.setVisible(strip > 0)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_tiles()

    def clear(self) -> None:
        self.array = None
        self.tiles.show_layer(None, None, False, 0)
        self._fit_tiles()
        self.panel.show(None)
        self.place(None, None)

    def fit(self) -> None:
        if self.array is not None:
            height, width = self.array.shape[:2]
            self.panel.view.setRange(QRectF(0, 0, width, height), padding=0.01)

    def place(self, field: engine.Rect | None, pixel: tuple[int, int] | None) -> None:
        """Outline ``field`` (a receptive field's rectangle here) and/or ``pixel`` (the selected one)."""
        empty = field is None or field.height == 0  # a pixel that reads only zero padding depends on nothing here
        self.field.place(None if empty else QRectF(field.left, field.top, field.width, field.height))
        self.pixel.place(None if pixel is None else QRectF(pixel[1], pixel[0], 1, 1))

    def set_presentation(self, on: bool) -> None:
        self.panel.set_presentation(on)
        for outline in (self.field, self.pixel, self.term):
            outline.set_width(4.0 if on else 2.5)

    def place_term(self, pixel: tuple[int, int] | None) -> None:
        self.term.place(None if pixel is None else QRectF(pixel[1], pixel[0], 1, 1))

    def zoom_to(self, rect: engine.Rect, margin: float = 1.0) -> None:
        """Zoom so ``rect`` and ``margin`` times its size around it fill the view."""
        span = max(rect.height, rect.width) * (1 + 2 * margin) + 2
        cy, cx = rect.top + rect.height / 2, rect.left + rect.width / 2
        self.panel.view.setRange(QRectF(cx - span / 2, cy - span / 2, span, span), padding=0)


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
        self._arrange()

    def _arrange(self) -> None:
        """Rows and columns that give the views the largest square images in the space there is."""
        views = len(self.cells)
        if not views:
            return
        width, height = max(self.width(), 1), max(self.height(), 1)

        def image_side(columns: int) -> float:
            rows = math.ceil(views / columns)
            return min(width / columns, height / rows - CELL_CHROME)

        columns = max(range(1, views + 1), key=image_side)
        if columns == self._columns:
            return
        self._columns, rows = columns, math.ceil(views / columns)
        for n, cell in enumerate(self.cells):
            self.grid.removeWidget(cell)
            self.grid.addWidget(cell, n // columns, n % columns)
        for c in range(self.grid.columnCount()):
            self.grid.setColumnStretch(c, 1 if c < columns else 0)
        for r in range(self.grid.rowCount()):
            self.grid.setRowStretch(r, 1 if r < rows else 0)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._arrange()

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
