"""Numbers on the pixels: a view zoomed in to about 24 screen pixels per image pixel and more writes each
visible pixel's value on it (engine.pixel_text), in black or white by the displayed colour's luminance so
it reads on dark and light pixels alike, and larger in presentation mode.

One item per view, added over the image; it paints only the pixels in the exposed rectangle, reading the
engine's array the view shows (ImagePanel.data) at paint time."""

from __future__ import annotations

import functools

import numpy as np
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from engine.pixel_text import format_pixel
from gui.text_cache import laid_out, text_width

#: screen pixels per image pixel from which the numbers are written (normal, presentation)
MIN_CELL = {False: 24.0, True: 32.0}
#: the text's height as a share of the pixel's side, and its largest size in screen pixels
TEXT_SHARE = {False: 0.30, True: 0.36}
MAX_TEXT_PX = {False: 15.0, True: 24.0}
MIN_TEXT_PX = 7.0
DARK, LIGHT = QColor(0, 0, 0), QColor(255, 255, 255)


class PixelNumbers(QGraphicsItem):
    """The numbers over one ImagePanel's pixels; ``drawn`` keeps the last paint's ((row, col), text, dark)
    with dark True for black text (on a light pixel)."""

    def __init__(self, panel):
        super().__init__()
        self.panel = panel
        self.presentation = False
        self.drawn: list[tuple[tuple[int, int], str, bool]] = []
        self._bounds = QRectF()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)
        self.setZValue(3)  # over the image, under step mode's outlines
        panel.view.addItem(self, ignoreBounds=True)
        panel.item.sigImageChanged.connect(self.refresh)

    def set_presentation(self, on: bool) -> None:
        self.presentation = on
        self.update()

    def refresh(self) -> None:
        """The panel shows new data: take its extent and paint again."""
        placement, data = self.panel.placement, self.panel.data
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
        exposed = option.exposedRect.intersected(self._bounds).intersected(panel.view.viewRect())
        if exposed.isEmpty():
            return
        r0, c0 = placement.index_at(exposed.top(), exposed.left())
        r1, c1 = placement.index_at(exposed.bottom() - 1e-9, exposed.right() - 1e-9)  # edges touching: out
        r0, c0 = max(r0, 0), max(c0, 0)
        r1, c1 = min(r1, data.shape[0] - 1), min(c1, data.shape[1] - 1)
        if r1 < r0 or c1 < c0:
            return
        block = data[r0:r1 + 1, c0:c1 + 1]
        texts = [[_pixel_text(v) for v in row] for row in block.tolist()]
        light = self._light_pixels(block, levels.bounds)
        font = QFont(painter.font())
        size = min(cell * TEXT_SHARE[self.presentation], MAX_TEXT_PX[self.presentation])
        font.setPixelSize(max(int(size), 1))
        metrics, key = QFontMetrics(font), font.toString()
        widest = max(text_width(metrics, key, t) for row in texts for t in row)
        if widest > cell * 0.92:  # long values (raw floats) get a smaller font rather than overflow the pixel
            font.setPixelSize(max(int(size * cell * 0.92 / widest), int(MIN_TEXT_PX)))
            key = font.toString()
        painter.save()
        painter.resetTransform()  # text in screen pixels: the view's scale would stretch the glyphs
        painter.setFont(font)
        for is_light, colour in ((True, DARK), (False, LIGHT)):
            painter.setPen(colour)
            for i, row in enumerate(texts):
                for j, text in enumerate(row):
                    if light[i, j] != is_light:
                        continue
                    r, c = r0 + i, c0 + j
                    top, left, height, width = placement.cell(r, c)
                    centre = transform.map(QPointF(left + width / 2, top + height / 2))
                    static, text_w, text_h = laid_out(text, font, key)
                    painter.drawStaticText(QPointF(centre.x() - text_w / 2, centre.y() - text_h / 2), static)
                    self.drawn.append(((r, c), text, is_light))
        painter.restore()

    def _light_pixels(self, block: np.ndarray, bounds: tuple[float, float]) -> np.ndarray:
        """Which pixels are displayed light (luminance over one half), from the view's levels and colormap."""
        low, high = bounds
        span = (high - low) or 1.0
        fraction = np.clip((block.astype(np.float64) - low) / span, 0.0, 1.0)
        rgb = np.asarray(self.panel.colormap.map(fraction.ravel(), mode="float"))[:, :3]
        luminance = rgb @ np.array([0.299, 0.587, 0.114])
        return (luminance > 0.5).reshape(block.shape)


@functools.lru_cache(maxsize=1 << 16)  # a step or a pan writes mostly the numbers it wrote before
def _pixel_text(value: float) -> str:
    return format_pixel(value)


def attach(views) -> list[PixelNumbers]:
    """Numbers on the pixels of each of the three views."""
    return [PixelNumbers(panel) for panel in views.panels()]
