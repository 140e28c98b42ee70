"""Numbers on the pixels: a view zoomed in to about 24 screen pixels per image pixel and more writes each
visible pixel's value on it (engine.pixel_text), in black or white by the displayed colour's luminance so
it reads on dark and light pixels alike, and larger in presentation mode.

One item per view, added over the image; it paints only the pixels in the exposed rectangle, reading the
engine's array the view shows (ImagePanel.data) at paint time."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from engine.pixel_text import PIXEL_CHARS, fit_pixel
from gui.text_cache import laid_out, text_width

#: screen pixels per image pixel from which the numbers are written (normal, presentation)
MIN_CELL = {False: 24.0, True: 32.0}
#: the text's height as a share of the pixel's side, and its largest size in screen pixels
TEXT_SHARE = {False: 0.30, True: 0.36}
MAX_TEXT_PX = {False: 15.0, True: 24.0}
MIN_TEXT_PX = 7.0
#: share of a pixel's side the text may span, but at least this many screen pixels clear at each side
FILL, PAD_PX = 0.92, 1.0
DARK, LIGHT = QColor(0, 0, 0), QColor(255, 255, 255)


@dataclass(frozen=True)
class _Written:
    """The texts of the pixels in sight (rows from ``top``, columns from ``left``), their font and which
    pixels are displayed light (their text is then black)."""

    font: QFont
    key: str  # font.toString()
    top: int
    left: int
    texts: list[list[str]]
    light: list[list[bool]]


class PixelNumbers(QGraphicsItem):
    """The numbers over one ImagePanel's pixels; ``drawn`` keeps the last paint's ((row, col), text, dark)
    with dark True for black text (on a light pixel), ``cell`` and ``font`` its pixel side and font."""

    def __init__(self, panel):
        super().__init__()
        self.panel = panel
        self.presentation = False
        self.drawn: list[tuple[tuple[int, int], str, bool]] = []
        self.cell, self.font = 0.0, QFont()
        self._bounds = QRectF()
        self._cached: tuple[tuple, _Written | None] | None = None  # (what it was worked out for, _Written)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)
        self.setZValue(3)  # over the image, under step mode's outlines
        panel.view.addItem(self, ignoreBounds=True)
        panel.item.sigImageChanged.connect(self.refresh)

    def set_presentation(self, on: bool) -> None:
        self.presentation = on
        self._cached = None
        self.update()

    def refresh(self) -> None:
        """The panel shows new data: take its extent and paint again."""
        placement, data = self.panel.placement, self.panel.data
        self._cached = None  # new values (the engine may have written them into the same array)
        bounds = QRectF()
        if data is not None and placement is not None and data.size:
            top, left, height, width = placement.extent
            bounds = QRectF(left, top, width, height)
        if bounds != self._bounds:
            self.prepareGeometryChange()
            self._bounds = bounds
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def cell_pixels(self, transform) -> float:
        """Screen pixels per image pixel of this panel's data under ``transform`` (the smaller side)."""
        scale = self.panel.placement.scale
        return min(abs(transform.m11()) * scale[1], abs(transform.m22()) * scale[0])

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        self.drawn = []
        panel = self.panel
        data, placement, levels = panel.data, panel.placement, panel.levels
        if data is None or placement is None or levels is None or not data.size or data.ndim != 2:
            return
        transform = painter.worldTransform()
        cell = self.cell_pixels(transform)
        if cell < MIN_CELL[self.presentation]:
            return
        # the scene exposes more than the view box shows (its clip hides the rest): only what is seen
        seen = self._bounds.intersected(panel.view.viewRect())
        exposed = option.exposedRect.intersected(seen)
        if exposed.isEmpty():
            return
        written = self._written(painter.font(), cell, seen)
        if written is None:  # not even one rounded digit fits these pixels: no numbers at this zoom
            return
        self.cell, self.font = cell, written.font
        rows, cols = _span(data, placement, exposed)
        if not rows or not cols:
            return
        (oy, ox), (sy, sx) = placement.origin, placement.scale
        m11, m12, m21, m22 = transform.m11(), transform.m12(), transform.m21(), transform.m22()
        dx, dy = transform.dx(), transform.dy()
        # screen centre of pixel (r, c): the column's share plus the row's (the view maps affinely)
        across = {c: (m11 * (ox + (c + 0.5) * sx), m12 * (ox + (c + 0.5) * sx)) for c in cols}
        down = {r: (m21 * (oy + (r + 0.5) * sy) + dx, m22 * (oy + (r + 0.5) * sy) + dy) for r in rows}
        font, key = written.font, written.key
        painter.save()
        painter.resetTransform()  # text in screen pixels: the view's scale would stretch the glyphs
        painter.setFont(font)
        for is_light, colour in ((True, DARK), (False, LIGHT)):
            painter.setPen(colour)
            for r in rows:
                texts, light = written.texts[r - written.top], written.light[r - written.top]
                row_x, row_y = down[r]
                for c in cols:
                    j = c - written.left
                    if light[j] != is_light:
                        continue
                    text = texts[j]
                    static, text_w, text_h = laid_out(text, font, key)
                    col_x, col_y = across[c]
                    painter.drawStaticText(QPointF(col_x + row_x - text_w / 2, col_y + row_y - text_h / 2), static)
                    self.drawn.append(((r, c), text, is_light))
        painter.restore()

    def _written(self, base: QFont, cell: float, seen: QRectF) -> _Written | None:
        """What every pixel in sight is written as at this zoom (one font and length for all, so a partial
        repaint writes as the whole view did), worked out once per view range and data."""
        panel = self.panel
        data, placement = panel.data, panel.placement
        rows, cols = _span(data, placement, seen)
        key = (id(data), cell, base.toString(), self.presentation, rows, cols, panel.levels.bounds,
               id(panel.colormap))
        if self._cached is not None and self._cached[0] == key:
            return self._cached[1]
        block = data[rows.start:rows.stop, cols.start:cols.stop]
        values = block.tolist()
        fitted = self._fitted(base, cell, values)
        written = None
        if fitted is not None:
            font, chars = fitted
            written = _Written(font, font.toString(), rows.start, cols.start,
                               [[_pixel_text(v, chars) for v in row] for row in values],
                               self._light_pixels(block, panel.levels.bounds).tolist())
        self._cached = (key, written)
        return written

    def _fitted(self, base: QFont, cell: float, values: list[list[float]]) -> tuple[QFont, int] | None:
        """(font, characters per value) with every value's text inside a pixel ``cell`` screen pixels wide:
        the usual size, else a smaller one down to MIN_TEXT_PX, else fewer significant digits
        (engine.fit_pixel); None when even that overflows."""
        room = min(cell * FILL, cell - 2 * PAD_PX)
        font = QFont(base)
        size = min(cell * TEXT_SHARE[self.presentation], MAX_TEXT_PX[self.presentation])
        font.setPixelSize(max(int(size), 1))
        chars = PIXEL_CHARS
        texts = {_pixel_text(v, chars) for row in values for v in row}
        widest = _widest(font, texts)
        if widest > room:  # long values (raw floats) get a smaller font rather than overflow the pixel
            font.setPixelSize(max(int(size * room / widest), int(MIN_TEXT_PX)))
            widest = _widest(font, texts)
        while widest > room:  # at the smallest legible size: fewer digits, marked as rounded
            chars -= 1
            texts = {_pixel_text(v, chars) for row in values for v in row}
            if chars < 1 or None in texts:
                return None
            widest = _widest(font, texts)
        return font, chars

    def _light_pixels(self, block: np.ndarray, bounds: tuple[float, float]) -> np.ndarray:
        """Which pixels are displayed light (luminance over one half), from the view's levels and colormap."""
        low, high = bounds
        span = (high - low) or 1.0
        fraction = np.clip((block.astype(np.float64) - low) / span, 0.0, 1.0)
        rgb = np.asarray(self.panel.colormap.map(fraction.ravel(), mode="float"))[:, :3]
        luminance = rgb @ np.array([0.299, 0.587, 0.114])
        return (luminance > 0.5).reshape(block.shape)


@functools.lru_cache(maxsize=1 << 16)  # a step or a pan writes mostly the numbers it wrote before
def _pixel_text(value: float, chars: int) -> str | None:
    return fit_pixel(value, chars)


def _widest(font: QFont, texts: set[str]) -> int:
    """The widest ink or advance of ``texts`` in ``font``: either can be the wider for a given string."""
    metrics, key = QFontMetrics(font), font.toString()
    return max((text_width(metrics, key, t) for t in texts), default=0)


def _span(data: np.ndarray, placement, rect: QRectF) -> tuple[range, range]:
    """The rows and columns of ``data`` at least partly inside ``rect`` (scene coordinates; touching edges:
    out)."""
    r0, c0 = placement.index_at(rect.top(), rect.left())
    r1, c1 = placement.index_at(rect.bottom() - 1e-9, rect.right() - 1e-9)
    return (range(max(r0, 0), min(r1, data.shape[0] - 1) + 1), range(max(c0, 0), min(c1, data.shape[1] - 1) + 1))


def attach(views) -> list[PixelNumbers]:
    """Numbers on the pixels of each of the three views."""
    return [PixelNumbers(panel) for panel in views.panels()]
