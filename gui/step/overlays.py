"""What step mode draws over the three views: the kernel window (padded cells hatched) on the input, the
current pixel and its pooling window on the convolved image, the pooled pixel, lab mode's untouched margin,
and while playing the dimmed part the raster scan has not reached yet.

All views share the input's coordinates; where each pixel and window sits comes from engine.Geometry.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QGraphicsRectItem

import engine
from gui.step.cell_overlays import CellsOutline, tap_cells
from gui.step.grid import FOCUS

WINDOW = "#ffeb3b"
PIXEL = "#00e5ff"
POOL = "#ff4081"
HALO = "#000000"
DIM = QColor(25, 35, 90, 200)  # tinted, so "not reached yet" differs from black pixels


def _rect(colour: str, width: float, style=Qt.PenStyle.SolidLine, fill: QBrush | None = None,
          z: float = 10) -> QGraphicsRectItem:
    item = QGraphicsRectItem()
    pen = QPen(QColor(colour), width)
    pen.setCosmetic(True)  # width in screen pixels, whatever the zoom
    pen.setStyle(style)
    item.setPen(pen if width > 0 else QPen(Qt.PenStyle.NoPen))
    item.setBrush(fill if fill is not None else QBrush(Qt.BrushStyle.NoBrush))
    item.setZValue(z)
    item.setVisible(False)
    return item


class Outline:
    """A coloured outline over a black halo, so it stays visible on bright and dark images alike."""

    def __init__(self, view, colour: str, style=Qt.PenStyle.SolidLine, z: float = 10):
        self.halo = _rect(HALO, 4.5, z=z)
        self.line = _rect(colour, 2.5, style, z=z + 1)
        view.addItem(self.halo, ignoreBounds=True)
        view.addItem(self.line, ignoreBounds=True)

    def place(self, rect: QRectF | None) -> None:
        for item in (self.halo, self.line):
            if rect is not None:
                item.setRect(rect)
            item.setVisible(rect is not None)

    def set_width(self, width: float) -> None:
        for item, w in ((self.line, width), (self.halo, width + 2.0)):
            pen = item.pen()
            pen.setWidthF(w)
            item.setPen(pen)

    def isVisible(self) -> bool:
        return self.line.isVisible()

    def rect(self) -> QRectF:
        return self.line.rect()


class StepOverlays:
    """The outlines, hatching and dimming step mode draws on the three views for one selected pixel;
    ``draw`` places them all, ``hide`` removes them."""

    def __init__(self, views):
        self.views = views
        self.window = Outline(views.input.view, WINDOW, Qt.PenStyle.DashLine)  # the extent; taps: each cell
        self.taps = CellsOutline(views.input.view, WINDOW, z=12)
        self.pixel = Outline(views.convolved.view, PIXEL, z=12)  # above its pooling window
        self.conv_pool = Outline(views.convolved.view, POOL, Qt.PenStyle.DashLine)
        self.pool = Outline(views.pooled.view, POOL)
        self.tap = Outline(views.input.view, FOCUS, z=14)  # the input pixel of the focused tap
        self.padded: list[QGraphicsRectItem] = []
        hatch = QBrush(QColor(200, 200, 200, 170), Qt.BrushStyle.BDiagPattern)
        self.margin = [_rect("#00000000", 0, fill=QBrush(QColor(255, 255, 255, 60)), z=4) for _ in range(4)]
        for item in self.margin:
            item.setBrush(hatch)
            views.convolved.view.addItem(item, ignoreBounds=True)
        self.dim_conv = [_rect("#00000000", 0, fill=QBrush(DIM), z=5) for _ in range(2)]
        self.dim_pool = [_rect("#00000000", 0, fill=QBrush(DIM), z=5) for _ in range(2)]
        for item in self.dim_conv:
            views.convolved.view.addItem(item, ignoreBounds=True)
        for item in self.dim_pool:
            views.pooled.view.addItem(item, ignoreBounds=True)

    def focus(self, input_pos: tuple[int, int] | None) -> None:
        """Outline the input pixel (row, col) the focused tap reads (padding included), or none."""
        self.tap.place(None if input_pos is None else QRectF(input_pos[1], input_pos[0], 1, 1))

    def set_presentation(self, on: bool) -> None:
        for outline in (self.window, self.pixel, self.pool, self.tap):
            outline.set_width(4.0 if on else 2.5)
        self.conv_pool.set_width(3.0 if on else 2.0)
        self.taps.set_width(2.5 if on else 1.5)

    def draw(self, geometry: engine.Geometry, row: int, col: int, pool: engine.PoolExplanation | None,
             playing: bool) -> None:
        """Outline convolved pixel (row, col), the input window it reads and the pooling window around it."""
        height, width = geometry.image_shape
        self._clear_padded()
        untouched = geometry.untouched(row, col)
        window = geometry.input_window(row, col)
        self.window.place(None if untouched else _qrect(window))
        self.taps.place(tap_cells(geometry, row, col))
        if not untouched:  # the taps in the padding, not the gaps between dilated taps
            for r, c in dict.fromkeys(geometry.taps(row, col)):
                if not (0 <= r < height and 0 <= c < width):
                    self._add_padded(QRectF(c, r, 1, 1))
        conv = geometry.conv
        self.pixel.place(_cell(conv, row, col))
        if pool is not None:
            covered = geometry.pool_window(*pool.out_pos)
            top, left, _, _ = conv.cell(covered.top, covered.left)
            self.conv_pool.place(QRectF(left, top, covered.width * conv.scale[1], covered.height * conv.scale[0]))
            self.pool.place(_cell(geometry.pooled, *pool.out_pos))
        else:
            self.conv_pool.place(None)
            self.pool.place(None)
        self._draw_margin(geometry)
        if playing:
            self._draw_dim(geometry, row, col)
        else:
            self.hide_dim()

    def _add_padded(self, rect: QRectF) -> None:
        cell = _rect("#bdbdbd", 1.0, Qt.PenStyle.DotLine, QBrush(QColor(220, 220, 220, 170),
                                                                 Qt.BrushStyle.BDiagPattern), z=9)
        cell.setRect(rect)
        cell.setVisible(True)
        self.views.input.view.addItem(cell, ignoreBounds=True)
        self.padded.append(cell)

    def _clear_padded(self) -> None:
        for item in self.padded:
            if item.scene() is not None:
                item.scene().removeItem(item)
        self.padded = []

    def _draw_margin(self, geometry: engine.Geometry) -> None:
        """Lab mode: hatch the 1-pixel margin of the convolved image, which the notebook never writes."""
        height, width = geometry.image_shape
        show = geometry.lab and height >= 3 and width >= 3
        if show:
            for item, rect in zip(self.margin, (QRectF(0, 0, width, 1), QRectF(0, height - 1, width, 1),
                                                QRectF(0, 1, 1, height - 2), QRectF(width - 1, 1, 1, height - 2))):
                item.setRect(rect)
        for item in self.margin:
            item.setVisible(show)

    def _draw_dim(self, geometry: engine.Geometry, row: int, col: int) -> None:
        """Build-up: dim what the raster scan has not reached (the rest of this row and all rows below)."""
        height, width = geometry.conv_shape
        oy, ox = geometry.conv_origin
        sy, sx = geometry.conv.scale  # a strided layer's pixels sit stride input pixels apart
        below, rest = self.dim_conv
        rest.setRect(QRectF(ox + (col + 1) * sx, oy + row * sy, (width - col - 1) * sx, sy))
        below.setRect(QRectF(ox, oy + (row + 1) * sy, width * sx, (height - row - 1) * sy))
        for item in self.dim_conv:
            item.setVisible(True)
        if geometry.pool is None:
            for item in self.dim_pool:
                item.setVisible(False)
            return
        size, step = geometry.pool.size, geometry.pool.step
        out_h, out_w = geometry.pooled_shape
        # pooled rows whose windows end above this row are complete; the next one fills in along this row
        # only if its window ends on this row, column by column as its windows' last columns are reached
        current = (row - size) // step + 1 if row >= size else 0
        done_cols = 0
        if current * step + size - 1 == row and col >= size - 1:
            done_cols = min((col - size + 1) // step + 1, out_w)
        pool_below, pool_rest = self.dim_pool
        pool_rest.setRect(QRectF(ox + done_cols * step * sx, oy + current * step * sy,
                                 (out_w - done_cols) * step * sx, step * sy))
        pool_below.setRect(QRectF(ox, oy + (current + 1) * step * sy, out_w * step * sx,
                                  (out_h - current - 1) * step * sy))
        pool_rest.setVisible(current < out_h)
        pool_below.setVisible(current + 1 < out_h)

    def hide_dim(self) -> None:
        for item in self.dim_conv + self.dim_pool:
            item.setVisible(False)

    def hide(self) -> None:
        for outline in (self.window, self.pixel, self.conv_pool, self.pool, self.tap):
            outline.place(None)
        for item in self.margin:
            item.setVisible(False)
        self.taps.hide()
        self._clear_padded()
        self.hide_dim()


def _qrect(rect: engine.Rect) -> QRectF:
    return QRectF(rect.left, rect.top, rect.width, rect.height)


def _cell(placement: engine.Placement, row: int, col: int) -> QRectF:
    top, left, height, width = placement.cell(row, col)
    return QRectF(left, top, width, height)
