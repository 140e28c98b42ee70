"""The colour maps of the views and the bar under each view that says what its colours mean: a horizontal
colour bar from the low to the high level, and beneath its ends how many pixels lie beyond them.

Every view has one, the input included, so the three views always have the same size (a bar beside only
some of them would narrow those, and their linked ranges would then crop the images).
"""

from __future__ import annotations

import functools

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPen, QStaticText
from PySide6.QtWidgets import QApplication, QGraphicsItem

from engine.colour_maps import colour_stops, colour_table
from engine.levels import Levels
from gui.text_cache import laid_out


#: The colour maps of the views (engine.colour_maps' names)
MAP_NAMES = ("gray", "diverging")


@functools.cache
def colour_map(name: str) -> pg.ColorMap:
    """engine.colour_maps' map ``name`` for pyqtgraph items, as its 256 table entries: a 256-entry lookup
    table of one (pyqtgraph's default size) is the engine's table, so a thumbnail or a view pyqtgraph colours
    itself shows the engine's colours. Made when first asked for (pyqtgraph makes a QColor per entry), not
    at start-up, where the views show colours the engine made."""
    return pg.ColorMap(np.linspace(0.0, 1.0, 256), colour_table(name))


@functools.cache
def gradient_map(name: str) -> pg.ColorMap:
    """The same map by its few stops, for the histogram's gradient (which shows a handle at every stop)."""
    positions, colours = colour_stops(name)
    return pg.ColorMap(np.array(positions), np.array(colours, dtype=np.ubyte))


def __getattr__(name: str):
    """GRAY, DIVERGING, COLOUR_MAPS (name -> colour_map) and GRADIENTS (name -> gradient_map), made on first use."""
    if name in ("GRAY", "DIVERGING"):
        return colour_map(name.lower())
    if name in ("COLOUR_MAPS", "GRADIENTS"):
        make = colour_map if name == "COLOUR_MAPS" else gradient_map
        return {map_name: make(map_name) for map_name in MAP_NAMES}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


CAPTION_COLOUR = QColor(210, 212, 216)
CHOICE_NAMES = {"99": "99th percentile of |v|", "99.9": "99.9th percentile of |v|", "full": "full range"}
#: The same, short enough for the caption between the counts.
CHOICE_CAPTIONS = {"99": "99th pct |v|", "99.9": "99.9th pct |v|", "full": "full range"}


def _percent(fraction: float) -> str:
    if fraction == 0:
        return "0%"
    if fraction < 0.001:
        return "<0.1%"
    return f"{fraction * 100:.1f}%"


def describe(levels: Levels | None, signed: bool) -> tuple[tuple[str, str, str], tuple[str, str, str]]:
    """Two lines of (left, middle, right) captions under the bar: the values at its ends (and 0), then the
    share of pixels below its low end, the level rule, the share above its high end (gray levels: none)."""
    if levels is None:
        return (("", "", ""), ("", "", ""))
    middle = "0" if signed else ""
    ends = (f"{levels.low:g}", middle, f"{levels.high:g}")
    if not signed:
        return (ends, ("", "", ""))
    about = "" if levels.exact else "≈"
    left = f"◀ {about}{_percent(levels.fraction(levels.below))} below"
    right = f"{about}{_percent(levels.fraction(levels.above))} above ▶"
    return (ends, (left, CHOICE_CAPTIONS.get(levels.choice, ""), right))


def _short(text: str) -> str:
    """'◀ 0.4% below' -> '◀ 0.4%': what a narrow bar has room for."""
    return text.replace(" below", "").replace(" above", "")


def _bare(text: str) -> str:
    """'◀ 0.4%' -> '0.4%'."""
    return text.replace("◀ ", "").replace(" ▶", "")


def tooltip(levels: Levels | None, signed: bool) -> str:
    if levels is None:
        return ""
    if not signed:
        return f"Gray levels: {levels.low:g} is black, {levels.high:g} is white."
    about = "about " if not levels.exact else ""
    return (f"Colours from {levels.low:g} (blue) through 0 (white) to {levels.high:g} (red), ends at the "
            f"{CHOICE_NAMES.get(levels.choice, levels.choice)}.\n"
            f"{about}{levels.below:,} of {levels.total:,} pixels lie below {levels.low:g} and {about}"
            f"{levels.above:,} above {levels.high:g}; they are drawn in the end colours.\n"
            "Right-click to choose the levels (also in View > Signed output levels).")


def _gradient(name: str) -> QImage:
    """The map's table as a one-pixel-high image: drawn stretched over the bar, each entry a band."""
    rgb = np.ascontiguousarray(colour_table(name))
    return QImage(rgb.data, len(rgb), 1, rgb.nbytes, QImage.Format.Format_RGB888).convertToFormat(
        QImage.Format.Format_RGB32)


#: Where the bar sits in its strip (pixels): its frame from (1, 1), BAR_HEIGHT high, tick marks TICK long up
#: from its bottom edge at each quarter; the caption's two lines start at CAPTION_TOP.
BAR_HEIGHT = 11
TICK = 5
CAPTION_TOP = 18
FRAME_COLOUR = QColor(150, 150, 150)
MIDDLE_LEAST = 4  # letters the middle caption keeps when elided, else it is left out (its tooltip says it all)


class LevelsBar(pg.GraphicsWidget):
    """A horizontal colour bar (low level at the left end, high at the right) above two lines of captions:
    the values at its ends (and 0), then the share of pixels beyond each end. Always shown, so that every
    view keeps the same height.

    One item painting everything itself, cached as a pixmap: a new result repaints it only when its
    texts or levels change, and the view's other repaints copy the pixmap."""

    menuRequested = Signal(object)  # screen position of a right-click

    def __init__(self):
        super().__init__()
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.levels: Levels | None = None
        self.signed = False
        self._lines = (("", "", ""), ("", "", ""))
        self._gradients = {name: _gradient(name) for name in MAP_NAMES}
        self._point_size: float | None = None
        self._layout: tuple | None = None  # (key, texts placed) of the last paint
        self.set_point_size(None)

    def set_point_size(self, size: float | None) -> None:
        """The caption at this size (None: the application's font, which presentation mode enlarges, followed
        whenever it changes)."""
        self._point_size = size
        self._font = QFont(QApplication.font())
        if size is not None:
            self._font.setPointSizeF(size)
        height = CAPTION_TOP + 2 * QFontMetrics(self._font).height() + 2
        self.setMinimumHeight(height)
        self.setMaximumHeight(height)
        self._layout = None
        self.update()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and self._point_size is None:
            # presentation mode changed the application's font, which the painter draws in: measure in it too
            self.set_point_size(None)

    def show_levels(self, levels: Levels | None, signed: bool) -> None:
        """The bar for these levels; None (no image, e.g. pooling off): an empty strip of the same height."""
        lines = describe(levels, signed)
        if self.shown_levels() != _ends(levels) or signed != self.signed or lines != self._lines:
            self.update()
        self.levels, self.signed, self._lines = levels, signed, lines
        tip = tooltip(levels, signed)
        if tip != self.toolTip():
            self.setToolTip(tip)

    def shown_levels(self) -> tuple[float, float] | None:
        """The values the bar's ends stand for (None: no bar drawn)."""
        return _ends(self.levels)

    def lines(self) -> tuple[tuple[str, str, str], tuple[str, str, str]]:
        """The caption's two lines of (left, middle, right) texts."""
        return self._lines

    def bar_rect(self) -> QRectF:
        """The colour bar's frame in item coordinates; the colours fill it inside the frame's line."""
        return QRectF(1, 1, max(self.boundingRect().width() - 2, 0), BAR_HEIGHT)

    def paint(self, painter: QPainter, *_args) -> None:
        if self.levels is not None:
            bar = self.bar_rect()
            painter.drawImage(bar, self._gradients["diverging" if self.signed else "gray"])
            painter.setPen(QPen(FRAME_COLOUR, 1))
            painter.drawRect(bar)
            for k in range(1, 4):  # the quarters (the frame's sides mark the ends)
                x = bar.left() + bar.width() * k / 4
                painter.drawLine(QPointF(x, bar.bottom()), QPointF(x, bar.bottom() - TICK))
        painter.setPen(CAPTION_COLOUR)
        for at, text, font in self._placed():
            painter.setFont(font)
            painter.drawStaticText(at, text)

    def _placed(self) -> list[tuple[QPointF, QStaticText, QFont]]:
        """The caption's texts (laid out once each, gui.text_cache), where they go and in what font: left
        and right ends, shortened on narrow bars (the words dropped, then the arrows, then a smaller font),
        and the middle text between them where it fits (elided)."""
        width = self.boundingRect().width()
        key = (self._lines, width)
        if self._layout is not None and self._layout[0] == key:
            return self._layout[1]
        font, font_key = self._font, self._font.toString()
        metrics = QFontMetrics(font)
        height = metrics.height()
        gap = metrics.horizontalAdvance("  ")
        half = width / 2 - gap / 2

        def text(value: str) -> tuple[QStaticText, float, float]:
            return laid_out(value, font, font_key)

        placed = []
        for k, (left, middle, right) in enumerate(self._lines):
            top = CAPTION_TOP + k * height
            for shorter in (_short, _bare):
                if max(text(left)[1], text(right)[1]) > half:
                    left, right = shorter(left), shorter(right)
            line_font = font
            (left_text, left_width, left_height), (right_text, right_width, _) = text(left), text(right)
            if left_width + right_width + gap > width:  # still too wide: this line in a smaller font
                line_font = _smaller(font, (width - gap) / (left_width + right_width))
                line_key = line_font.toString()
                left_text, left_width, left_height = laid_out(left, line_font, line_key)
                right_text, right_width, _ = laid_out(right, line_font, line_key)
            y = top + (height - left_height) / 2
            placed += [(QPointF(0, y), left_text, line_font), (QPointF(width - right_width, y), right_text, line_font)]
            used = max(left_width, right_width)
            room = width - 2 * (used + gap)
            if middle and line_font is font and text(middle)[1] > room:
                middle = metrics.elidedText(middle, Qt.TextElideMode.ElideRight, int(max(room, 0)))
                if len(middle.rstrip("…").strip()) < MIDDLE_LEAST:  # too few letters left to read as anything
                    middle = ""
            if middle and line_font is font:
                middle_text, middle_width, _ = text(middle)
                placed.append((QPointF((width - middle_width) / 2, y), middle_text, font))
        placed = [item for item in placed if item[1].text()]
        self._layout = (key, placed)
        return placed

    def mouseClickEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.RightButton:
            event.accept()
            self.menuRequested.emit(event.screenPos())


def _smaller(font: QFont, scale: float) -> QFont:
    """``font`` scaled by ``scale`` (< 1), in whole half points (fewer fonts to lay texts out in)."""
    smaller = QFont(font)
    smaller.setPointSizeF(max(1.0, np.floor(font.pointSizeF() * scale * 2) / 2))
    return smaller


def _ends(levels: Levels | None) -> tuple[float, float] | None:
    return None if levels is None else levels.bounds
