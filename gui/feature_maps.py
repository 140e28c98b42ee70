"""Small multiples of a layer's feature maps: every output channel's convolved map in a row and, with
pooling, each map's pooled map under it (wrapped onto two or more such pairs of rows when that makes the
tiles bigger); a click on either makes that map the one in the big views.

A tile is a strided slice of the engine's array (every k-th pixel, as the big views downsample: no blended
values) drawn with the levels the worker computed for the whole result, so one colour means one value in
every tile and in the big views. One widget paints all tiles: sixteen pyqtgraph views would each cost a
scene and a layout on every edit.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QImage, QPainter, QPen, qRgb
from PySide6.QtWidgets import QWidget

import engine
from engine.colour_maps import colour_indices
from engine.levels import plain_levels
from gui.colorbar import colour_map
from gui.image_panel import BACKGROUND
from gui.image_views import is_diverging

TILE_MAX = 132  # a tile's side at most: the strip stays a strip
TILE_MIN = 36  # below this the maps are not worth showing; the strip hides instead
SPACING = 6
CHOSEN = "#00e5ff"  # the chosen map's frame (step mode's pixel colour: "this is the one shown")


class MapTiles(QWidget):
    """The strip of small multiples. ``show_result`` gives it a result with several maps (it is empty for a
    one-map result); ``mapChosen(o)`` when map o (either row) is clicked."""

    mapChosen = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.result: engine.JobResult | None = None
        self.levels: dict[str, engine.Levels] = {}
        self.chosen = 0
        self.stale = False
        self.images: list[list[QImage]] = []  # per row (convolved, pooled), one image per map
        self.steps: list[int] = []  # per row: the tiles show every steps[row]-th pixel of each map
        self._rendered_for: tuple | None = None
        self._diverging: bool | None = None
        self._table: list[int] = []  # the colour map as an Indexed8 colour table
        self._grid: tuple | None = None  # (measured for, columns, left, top, tile width, tile height)
        #: each tile's image by what it shows: (row, map, bounds, size, colours, ...) -> (its pixels, image)
        self._tiles: dict[tuple, tuple[np.ndarray, QImage]] = {}
        self.setMouseTracking(True)
        self.setAutoFillBackground(False)

    # -- content --------------------------------------------------------------------------------------
    @property
    def count(self) -> int:
        """Maps shown (0: the result has one, and the strip has nothing to show)."""
        maps = self._maps()
        return 0 if maps is None or maps.ndim == 2 else maps.shape[2]

    def _maps(self) -> np.ndarray | None:
        """The array whose maps the tiles show (its shape sets their count and aspect)."""
        return None if self.result is None else self.result.convolved

    def rows(self) -> list[tuple[str, np.ndarray]]:
        if not self.count:
            return []
        rows = [("convolved", self.result.convolved)]
        if self.result.pooled is not None and self.result.pooled.ndim == 3 and self.result.pooled.size:
            rows.append(("pooled", self.result.pooled))
        return rows

    def show_result(self, result: engine.JobResult | None, levels: dict[str, engine.Levels], chosen: int) -> None:
        self.result, self.levels = result, dict(levels)
        self.chosen = chosen
        self._rendered_for = None
        self.stale = False
        self.update()

    def set_stale(self, stale: bool) -> None:
        """The maps are those of earlier options (the current ones cannot run): drawn faded, like the views."""
        if stale != self.stale:
            self.stale = stale
            self.update()

    # -- geometry -------------------------------------------------------------------------------------
    def caption_height(self) -> int:
        return QFontMetrics(self.font()).height() + 2

    def _aspect(self) -> float:
        """Height over width of the maps (each tile has the convolved map's shape)."""
        height, width = self._maps().shape[:2]
        return height / max(width, 1)

    def layout_for(self, width: int, height: int) -> tuple[int, int, int]:
        """(columns, tile width, tile height) of the biggest tiles that fit ``width`` x ``height``: all maps
        on one line, or wrapped onto several lines (each with its pooled row) when that makes them bigger."""
        n, rows = self.count, len(self.rows())
        if not n:
            return (1, 0, 0)
        aspect, label, caption = self._aspect(), self._label_width(), self.caption_height()
        best = (n, 0, 0)
        for groups in range(1, n + 1):  # fewer lines first: a wrap must make the tiles bigger to be chosen
            columns = -(-n // groups)  # balanced lines: 4 + 4, not 6 + 2
            lines = -(-n // columns) * rows
            across = min(TILE_MAX, TILE_MAX / aspect, (width - (columns + 1) * SPACING - label) / columns,
                         (height - caption - (lines + 1) * SPACING) / lines / aspect)
            if int(across) > best[1]:
                best = (columns, int(across), int(across * aspect))
        return best

    def tile_size(self, width: int, height: int) -> tuple[int, int]:
        return self.layout_for(width, height)[1:]

    def wanted_height(self, width: int, room: int) -> int:
        """The height of the biggest tiles within ``width`` x ``room``; 0 when there is nothing to show or
        the tiles would be too small to be worth it."""
        columns, w, h = self.layout_for(width, room)
        if not self.count or min(w, h) < TILE_MIN:
            return 0
        return self.height_for(h, -(-self.count // columns))

    def height_for(self, tile_height: int, groups: int = 1) -> int:
        lines = len(self.rows()) * groups
        return self.caption_height() + lines * tile_height + (lines + 1) * SPACING

    def least_height(self) -> int:
        return self.height_for(int(TILE_MIN * max(self._aspect(), 1.0))) if self.count else 0

    def _label_width(self) -> int:
        return QFontMetrics(self.font()).horizontalAdvance("pooled") + SPACING

    def tile_rect(self, row: int, o: int) -> QRect:
        """Where map o's tile of ``row`` (0: convolved, 1: pooled) is; wrapped lines repeat both rows."""
        key = (self.width(), self.height(), self.count, len(self.rows()), self.font().key(),
               None if self._maps() is None else self._maps().shape[:2])
        if self._grid is None or self._grid[0] != key:  # measured once per size: paint asks for every tile
            columns, w, h = self.layout_for(self.width(), self.height())
            self._grid = (key, columns, self._label_width() + SPACING, self.caption_height() + SPACING, w, h)
        _, columns, left, top, w, h = self._grid
        line = (o // columns) * len(self.rows()) + row
        return QRect(left + (o % columns) * (w + SPACING), top + line * (h + SPACING), w, h)

    def map_at(self, point: QPointF) -> int | None:
        for row in range(len(self.rows())):
            for o in range(self.count):
                if self.tile_rect(row, o).contains(point.toPoint()):
                    return o
        return None

    # -- rendering ------------------------------------------------------------------------------------
    def _render(self) -> None:
        """One image per tile, made once per result and tile size: every k-th pixel of the map (k so that
        the slice is about the tile's size), through the colour map's table, scaled to the tile (nearest).
        A tile whose pixels, levels and size are the previous result's keeps its image."""
        size = self.tile_size(self.width(), self.height())
        key = (id(self.result), size)
        if key == self._rendered_for:
            return
        self._rendered_for = key
        self.images, self.steps = [], []
        if min(size) <= 0:
            return
        diverging = self.is_diverging()
        if diverging != self._diverging:
            self._diverging = diverging
            table = colour_map("diverging" if diverging else "gray").getLookupTable(nPts=256, alpha=False, mode="byte")
            self._table = [qRgb(int(r), int(g), int(b)) for r, g, b in table]
        tiles = {}
        for name, array in self.rows():
            levels = self.levels.get(name)
            bounds = levels.bounds if levels is not None else plain_levels(array).bounds
            step = max(1, math.ceil(max(array.shape[0] / size[1], array.shape[1] / size[0])))
            self.steps.append(step)
            images = []
            for o in range(array.shape[2]):
                sampled = array[::step, ::step, o]
                key = (name, o, bounds, size, diverging, sampled.shape, sampled.dtype)
                kept = self._tiles.get(key)
                if kept is None or not np.array_equal(kept[0], sampled):  # an edit changes one map, not all
                    kept = (sampled.copy(), _tile_image(colour_indices(sampled, *bounds), self._table, size))
                tiles[key] = kept
                images.append(kept[1])
            self.images.append(images)
        self._tiles = tiles

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(*BACKGROUND))
        if not self.count:
            painter.end()
            return
        self._render()
        painter.setOpacity(0.35 if self.stale else 1.0)
        painter.setPen(QColor(220, 222, 226))
        metrics = QFontMetrics(self.font())
        painter.drawText(QRect(SPACING, 0, self.width() - 2 * SPACING, self.caption_height()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         metrics.elidedText(self.heading(), Qt.TextElideMode.ElideRight, self.width() - 2 * SPACING))
        for row, (name, _array) in enumerate(self.rows()):
            for o, image in enumerate(self.images[row] if row < len(self.images) else []):
                tile = self.tile_rect(row, o)
                if tile.left() < self._label_width() + 2 * SPACING:  # the first of its line: name the row
                    painter.setPen(QColor(200, 202, 206))
                    painter.drawText(QRect(SPACING, tile.top(), self._label_width(), tile.height()),
                                     Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                                     self.row_label(name))
                painter.drawImage(QPointF(tile.left() + (tile.width() - image.width()) / 2,
                                          tile.top() + (tile.height() - image.height()) / 2), image)
                number = QRect(tile.left(), tile.top(), metrics.horizontalAdvance(str(o)) + 6, metrics.height())
                painter.fillRect(number, QColor(0, 0, 0, 170))
                painter.setPen(QColor(235, 235, 235))
                painter.drawText(number, Qt.AlignmentFlag.AlignCenter, str(o))
        for row in range(len(self.rows())):
            pen = QPen(QColor(CHOSEN), 2)
            painter.setPen(pen)
            painter.drawRect(QRectF(self.tile_rect(row, min(self.chosen, self.count - 1))).adjusted(-2, -2, 2, 2))
        painter.end()

    def is_diverging(self) -> bool:
        return is_diverging(self.result.options)

    def row_label(self, name: str) -> str:
        return "conv" if name == "convolved" else "pooled"

    def tip(self, o: int) -> str:
        what = ("show it in the big convolved and pooled views" if self.result.options.is_layer_kernel
                else "edit its bias and step through it")
        return f"map {o}: click to {what}"

    def heading(self) -> str:
        if not self.result.options.is_layer_kernel:  # a 2-D kernel on each channel: the views show them together
            return (f"{self.count} channels, each filtered by itself (the big views show them together; "
                    f"a click picks the one whose bias you edit and step through)")
        return f"{self.count} feature maps, map {min(self.chosen, self.count - 1)} in the big views (click another)"

    # -- mouse ----------------------------------------------------------------------------------------
    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            o = self.map_at(event.position())
            if o is not None:
                self.mapChosen.emit(o)
                return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        o = self.map_at(event.position())
        self.setCursor(Qt.CursorShape.PointingHandCursor if o is not None else Qt.CursorShape.ArrowCursor)
        self.setToolTip("" if o is None else self.tip(o))
        super().mouseMoveEvent(event)

    def sizeHint(self) -> QSize:
        return QSize(300, self.least_height())


def _tile_image(indices: np.ndarray, table: list[int], size: tuple[int, int]) -> QImage:
    """The colour table's colours of ``indices``, scaled (nearest) to fit a tile of ``size``."""
    height, width = indices.shape
    image = QImage(indices.data, width, height, width, QImage.Format.Format_Indexed8)
    image.setColorTable(table)
    fitted = _fitted(QRectF(0, 0, *size), width, height)
    return image.convertToFormat(QImage.Format.Format_RGB32).scaled(
        max(round(fitted.width()), 1), max(round(fitted.height()), 1),
        Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.FastTransformation)


def _fitted(box: QRectF, width: int, height: int) -> QRectF:
    """The largest rectangle of ``width``:``height`` centred in ``box``."""
    scale = min(box.width() / max(width, 1), box.height() / max(height, 1))
    w, h = width * scale, height * scale
    return QRectF(box.center().x() - w / 2, box.center().y() - h / 2, w, h)
