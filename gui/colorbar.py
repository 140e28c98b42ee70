"""The colour maps of the views and the bar under each view that says what its colours mean: a horizontal
colour bar from the low to the high level, and beneath its ends how many pixels lie beyond them.

Every view has one, the input included, so the three views always have the same size (a bar beside only
some of them would narrow those, and their linked ranges would then crop the images).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter

from engine.levels import Levels

GRAY = pg.ColorMap([0.0, 1.0], [(0, 0, 0), (255, 255, 255)])

# ColorBrewer RdBu from the centre (0) out to each end (|v| = L), in equal steps.
_TO_RED = [(247, 247, 247), (253, 219, 199), (244, 165, 130), (214, 96, 77), (178, 24, 43), (103, 0, 31)]
_TO_BLUE = [(247, 247, 247), (209, 229, 240), (146, 197, 222), (67, 147, 195), (33, 102, 172), (5, 48, 97)]


def _stretched_diverging() -> pg.ColorMap:
    """Blue - white - red for signed values, 0 in the middle, with the colour at |v| = u * L taken from
    sqrt(u) of the way along RdBu: a value at 4% of L already has a fifth of the way's colour, so the small
    values that make up most of a filtered photo stand out from 0, while the ends stay the strongest."""
    steps = len(_TO_RED) - 1
    positions, colours = [], []
    for k in range(steps, 0, -1):
        positions.append(0.5 - 0.5 * (k / steps) ** 2)
        colours.append(_TO_BLUE[k])
    for k in range(steps + 1):
        positions.append(0.5 + 0.5 * (k / steps) ** 2)
        colours.append(_TO_RED[k])
    return pg.ColorMap(np.array(positions), np.array(colours, dtype=np.ubyte))


DIVERGING = _stretched_diverging()
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


class _Caption(pg.GraphicsWidget):
    """Two lines of three short texts under the bar's left end, middle and right end. Painted directly, at
    a fixed height: new texts (every result brings new counts) repaint this strip and lay out nothing."""

    def __init__(self):
        super().__init__()
        self._lines = (("", "", ""), ("", "", ""))
        self._font = QFont()
        self.set_point_size(None)

    def set_point_size(self, size: float | None) -> None:
        self._font = QFont()
        if size is not None:
            self._font.setPointSizeF(size)
        height = 2 * QFontMetrics(self._font).height() + 2
        self.setMinimumHeight(height)
        self.setMaximumHeight(height)
        self.update()

    def set_lines(self, lines) -> None:
        if lines != self._lines:
            self._lines = lines
            self.update()

    def lines(self):
        return self._lines

    def paint(self, painter: QPainter, *_args) -> None:
        painter.setFont(self._font)
        painter.setPen(CAPTION_COLOUR)
        metrics = QFontMetrics(self._font)
        box = self.boundingRect()
        height = metrics.height()
        for k, (left, middle, right) in enumerate(self._lines):
            rect = QRectF(box.left(), box.top() + k * height, box.width(), height)
            gap = metrics.horizontalAdvance("  ")
            half = rect.width() / 2 - gap / 2
            for shorter in (_short, _bare):  # narrow bars: drop the words, then the arrows
                if max(metrics.horizontalAdvance(left), metrics.horizontalAdvance(right)) > half:
                    left, right = shorter(left), shorter(right)
            painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, left)
            painter.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, right)
            used = max(metrics.horizontalAdvance(left), metrics.horizontalAdvance(right))
            room = rect.width() - 2 * (used + gap)
            if middle and room > metrics.horizontalAdvance(middle[:1] + "…"):  # only where it fits between
                shown = metrics.elidedText(middle, Qt.TextElideMode.ElideRight, int(room))
                painter.drawText(QRectF(rect.center().x() - room / 2, rect.top(), room, height),
                                 Qt.AlignmentFlag.AlignCenter, shown)


class LevelsBar(pg.GraphicsLayout):
    """A horizontal colour bar (low level at the left end, high at the right) above the values at its
    ends and the share of pixels beyond each end. Always shown, so that every view keeps the same height."""

    menuRequested = Signal(object)  # screen position of a right-click

    def __init__(self):
        super().__init__()
        self.setContentsMargins(0, 0, 0, 0)
        self.layout.setSpacing(0)
        self.bar = pg.ColorBarItem(values=(0, 255), colorMap=GRAY, interactive=False, width=10,
                                   orientation="horizontal", colorMapMenu=False)
        self.bar.axis.setStyle(showValues=False)  # the caption writes the ends, which an axis label would overrun
        self.bar.axis.setHeight(6)
        self.addItem(self.bar, row=0, col=0)
        self.caption = _Caption()
        self.addItem(self.caption, row=1, col=0)
        self.levels: Levels | None = None
        self.signed = False
        self._shown: tuple | None = None

    def show_levels(self, levels: Levels | None, signed: bool) -> None:
        """The bar for these levels; None (no image, e.g. pooling off): an empty strip of the same height."""
        self.levels, self.signed = levels, signed
        self.bar.setOpacity(0.0 if levels is None else 1.0)
        if levels is not None and self._shown != (levels.low, levels.high, signed):
            # the bar's axis is slow to redraw: only when the levels or the map change
            if self._shown is None or self._shown[2] != signed:
                self.bar.setColorMap(DIVERGING if signed else GRAY)
            self._shown = (levels.low, levels.high, signed)
            self.bar.setLevels((levels.low, levels.high))
            quarters = [levels.low + (levels.high - levels.low) * k / 4 for k in range(5)]
            self.bar.axis.setTicks([[(value, "") for value in quarters]])
        self.caption.set_lines(describe(levels, signed))
        tip = tooltip(levels, signed)
        if tip != self.toolTip():
            self.setToolTip(tip)

    def set_point_size(self, size: float | None) -> None:
        """The caption at this size (None: the application's font, which presentation mode enlarges)."""
        self.caption.set_point_size(size)

    def mouseClickEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.RightButton:
            event.accept()
            self.menuRequested.emit(event.screenPos())
