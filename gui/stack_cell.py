"""One view of the layer stack: a layer's output (or the input) in a titled ImagePanel, every map's thumbnail
and the map chooser under it for a layer with several maps, and the outlines a receptive field draws on it.
gui.stack_views lays these cells out in a grid."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QSpinBox, QVBoxLayout, QWidget

import engine
from engine.numbers import format_size
from gui.image_panel import ImagePanel
from gui.step.grid import FOCUS
from gui.stack_maps import LayerTiles
from gui.step.overlays import PIXEL, WINDOW, Outline

#: Height of a view's title, levels bar and size row together: what is not image in a cell.
CELL_CHROME = 110
MIN_CELL = 110  # the least width or height of a view, so many layers still fit a 1024x768 window


def size_notes(shape: tuple[int, ...], several: bool) -> tuple[str, ...]:
    """What to write before the map chooser, longest first: '510x510 x 4 maps, map', '510x510 x 4 maps',
    '510x510 x4', '510x510'; or just '510x510' for one map."""
    size = format_size(shape)
    if not several:
        return (size,)
    return (f"{size} x {shape[2]} maps, map", f"{size} x {shape[2]} maps", f"{size} x{shape[2]}", size)


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
        self._notes: tuple[str, ...] = ("",)
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
        self._notes = size_notes(shape, several)
        self.size_label.setToolTip(self._notes[0])
        self._fit_note()
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

    def strip_height(self, width: int, height: int) -> int:
        """The thumbnails' height in a cell of this size: at most a third of the cell, and none where the
        view would drop below MIN_CELL (0: no thumbnails)."""
        room = min(height - CELL_CHROME - MIN_CELL, (height - CELL_CHROME) // 3)
        strip = self.tiles.wanted_height(width, room) if self.tiles.count and room > 0 else 0
        return strip if strip >= self.tiles.least_height() else 0

    def _fit_tiles(self) -> None:
        strip = self.strip_height(self.width(), self.height())
        self.tiles.setFixedHeight(strip)
        self.tiles.setVisible(strip > 0)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_tiles()
        self._fit_note()

    def _fit_note(self) -> None:
        """The longest size note that fits beside the map chooser (a narrow cell must not cut it)."""
        room = self.size_label.width()
        metrics = self.size_label.fontMetrics()
        fitting = [note for note in self._notes if metrics.horizontalAdvance(note) <= room]
        note = fitting[0] if fitting else self._notes[-1]
        if self.size_label.text() != note:
            self.size_label.setText(note)

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
