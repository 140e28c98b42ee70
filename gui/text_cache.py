"""Short texts laid out once per font: the step panel's grids and the numbers on the pixels draw the same
few numbers again on every step, and QStaticText draws a prepared layout without shaping it again."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics, QStaticText, QTransform

#: entries kept before a cache starts afresh (a sweep over a big image meets many numbers)
MAX_ENTRIES = 50000

_LAID_OUT: dict[tuple[str, str], tuple[QStaticText, float, float]] = {}
_WIDTHS: dict[tuple[str, str], int] = {}


def laid_out(text: str, font: QFont, font_key: str) -> tuple[QStaticText, float, float]:
    """(``text`` prepared for ``font``, its width, its height); ``font_key`` is ``font.toString()``."""
    key = (font_key, text)
    hit = _LAID_OUT.get(key)
    if hit is None:
        if len(_LAID_OUT) > MAX_ENTRIES:
            _LAID_OUT.clear()
        static = QStaticText(text)
        static.setTextFormat(Qt.TextFormat.PlainText)
        static.prepare(QTransform(), font)
        size = static.size()
        hit = _LAID_OUT[key] = (static, size.width(), size.height())
    return hit


def text_width(metrics: QFontMetrics, font_key: str, text: str) -> int:
    """The wider of ``text``'s advance and its ink (``metrics.boundingRect``), remembered per font."""
    key = (font_key, text)
    width = _WIDTHS.get(key)
    if width is None:
        if len(_WIDTHS) > MAX_ENTRIES:
            _WIDTHS.clear()
        width = _WIDTHS[key] = max(metrics.horizontalAdvance(text), metrics.boundingRect(text).width())
    return width
