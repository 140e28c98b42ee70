"""A titled grid of numbers shaped like the kernel (or the pooling window), painted in one go.

One widget paints all its cells: a 15x15 kernel would otherwise be 675 labels to re-lay-out and repaint
on every step. Each cell keeps the exact value it shows; its tooltip shows it in full.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QLabel, QSizePolicy, QToolTip, QVBoxLayout, QWidget

import engine
from gui.text_cache import laid_out, text_width

PAD_X, PAD_Y, GAP = 6, 3, 2
FOCUS = "#ff6d00"  # the focused tap, in the grids and on the image (gui.step.overlays uses it too)
CAPTION_MIN_POINTS = 8.0  # captions (lab mode's offsets) stay legible, never ~7 px print


#: Longest text a cell shows in full; longer ones (a float32 result such as 97.44444274902344, or 102 * 0.1
#: in float64) are rounded to 8 significant digits, and the cell's tooltip has the exact value.
MAX_CELL_TEXT = 10


@functools.lru_cache(maxsize=1 << 16)  # stepping formats the same numbers again and again
def fmt(value: float) -> str:
    """A number as the panel prints it: engine.format_number (12, -3.5, 1/9), or 8 significant digits when
    that would be long."""
    text = engine.format_number(value)
    return text if len(text) <= MAX_CELL_TEXT else f"{float(value):.8g}"


@functools.lru_cache(maxsize=256)
def _colour(name: str) -> QColor:
    return QColor(name)


@dataclass
class Cell:
    """What one cell shows: the number (rounded for display, exact kept), a caption and its look."""

    exact: float | None = None
    shown: str = ""
    caption: str = ""
    note: str = ""  # what the tooltip says under the exact value
    foreground: str = "#000000"
    background: str = "#ffffff"
    bold: bool = False
    italic: bool = False
    dashed: bool = False  # outside the image: padding
    focus: bool = False  # the tap being shown or hovered: outlined thick, with its partners in the other grids

    def set_number(self, value: float | None, tip: str = "", *, caption: str = "", foreground: str = "#000000",
                   background: str = "#ffffff", bold: bool = False, italic: bool = False,
                   dashed: bool = False) -> None:
        self.exact = None if value is None else float(value)
        self.shown = "" if value is None else fmt(value)
        self.caption = caption if value is not None else ""
        self.note = tip
        self.foreground, self.background = foreground, background
        self.bold, self.italic, self.dashed = bold, italic, dashed
        self.focus = False

    @property
    def tip(self) -> str:
        """The tooltip: the exact value in full, then the note (built when asked: a step sets ~700 cells)."""
        return "" if self.exact is None else f"{self.exact!r}\n{self.note}".strip()


class _Canvas(QWidget):
    def __init__(self, grid: NumberGrid):
        super().__init__()
        self.grid = grid
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._size = QSize(0, 0)
        self._cell = (0, 0)
        self._snapshot: list | None = None
        self._made_fonts: dict | None = None
        self._hovered: tuple[int, int] | None = None
        self.setMouseTracking(True)

    def _fonts(self) -> tuple[QFont, QFont]:
        """(bold, caption) fonts."""
        fonts = self._font_set()
        return fonts["bold"][0], fonts["small"][0]

    def _font_set(self) -> dict:
        """The fonts the cells are drawn in, each with its key (font.toString()); made again only after a
        font change (presentation mode), not on every paint."""
        if self._made_fonts is None:
            plain, bold, italic, small = QFont(self.font()), QFont(self.font()), QFont(self.font()), QFont(self.font())
            bold.setBold(True)
            italic.setItalic(True)
            bold_italic = QFont(bold)
            bold_italic.setItalic(True)
            small.setPointSizeF(max(self.font().pointSizeF() * 0.85, CAPTION_MIN_POINTS))
            fonts = {(False, False): plain, (True, False): bold, (False, True): italic, (True, True): bold_italic,
                     "bold": bold, "small": small}
            self._made_fonts = {style: (font, font.toString()) for style, font in fonts.items()}
        return self._made_fonts

    def cell_size(self) -> tuple[int, int]:
        (bold, bold_key), (small, small_key) = self._font_set()["bold"], self._font_set()["small"]
        metrics, small_metrics = QFontMetrics(bold), QFontMetrics(small)
        cells = [cell for line in self.grid.cells for cell in line]
        shown = {c.shown for c in cells} | {"-000"}
        captions = {c.caption for c in cells}
        width = max([text_width(metrics, bold_key, text) for text in shown]
                    + [text_width(small_metrics, small_key, text) for text in captions])
        height = metrics.height() + (small_metrics.height() if any(c.caption for c in cells) else 0)
        return width + 2 * PAD_X, height + 2 * PAD_Y

    def refresh(self) -> None:
        """Repaint if anything shown changed (the kernel grid, say, stays the same while stepping)."""
        snapshot = [[(c.shown, c.caption, c.foreground, c.background, c.bold, c.italic, c.dashed, c.focus)
                     for c in line] for line in self.grid.cells]
        if snapshot == self._snapshot:
            return
        self._snapshot = snapshot
        rows = len(self.grid.cells)
        cols = len(self.grid.cells[0]) if rows else 0
        self._cell = self.cell_size()
        w, h = self._cell
        size = QSize(cols * w + max(cols - 1, 0) * GAP + 1, rows * h + max(rows - 1, 0) * GAP + 1)
        if size != self._size:
            self._size = size
            self.setFixedSize(size)
        self.update()

    def sizeHint(self) -> QSize:
        return self._size

    def cell_rect(self, r: int, c: int) -> QRectF:
        w, h = self._cell
        return QRectF(c * (w + GAP) + 0.5, r * (h + GAP) + 0.5, w, h)

    def paintEvent(self, event) -> None:
        exposed = QRectF(event.rect())  # big kernels scroll: paint only the cells in view
        painter = QPainter(self)
        fonts = self._font_set()
        caption_font = fonts["small"]
        caption_h = QFontMetrics(caption_font[0]).height()
        h = self._cell[1]
        outlines: dict[bool, list[QRectF]] = {False: [], True: []}  # by dashed
        texts: dict[tuple, list[tuple[QRectF, str]]] = {}  # by (font, colour): few pen and font changes
        for r, line in enumerate(self.grid.cells):
            for c, cell in enumerate(line):
                rect = self.cell_rect(r, c)
                if not rect.intersects(exposed):
                    continue
                painter.fillRect(rect, _colour(cell.background))
                outlines[cell.dashed].append(rect)
                if cell.shown:
                    number = rect.adjusted(0, PAD_Y, 0, -PAD_Y - (caption_h if cell.caption else 0))
                    texts.setdefault((cell.bold, cell.italic, cell.foreground), []).append((number, cell.shown))
                if cell.caption:
                    texts.setdefault(("caption", "#455a64"), []).append(
                        (rect.adjusted(0, h - PAD_Y - caption_h, 0, -PAD_Y), cell.caption))
        painter.setPen(QPen(_colour("#9e9e9e"), 1))
        painter.drawRects(outlines[False])
        painter.setPen(QPen(_colour("#616161"), 1, Qt.PenStyle.DashLine))
        painter.drawRects(outlines[True])
        focused = [self.cell_rect(r, c).adjusted(1, 1, -1, -1) for r, line in enumerate(self.grid.cells)
                   for c, cell in enumerate(line) if cell.focus]
        if focused:
            painter.setPen(QPen(_colour(FOCUS), 3))
            painter.drawRects(focused)
        for style, boxes in texts.items():
            font, key = caption_font if style[0] == "caption" else fonts[style[:2]]
            painter.setFont(font)
            painter.setPen(_colour(style[-1]))
            for box, text in boxes:
                static, width, height = laid_out(text, font, key)
                centre = box.center()
                painter.drawStaticText(QPointF(centre.x() - width / 2, centre.y() - height / 2), static)
        painter.end()

    def cell_at(self, point: QPointF) -> tuple[int, int] | None:
        for r, line in enumerate(self.grid.cells):
            for c, _cell in enumerate(line):
                if self.cell_rect(r, c).contains(point):
                    return r, c
        return None

    def mouseMoveEvent(self, event) -> None:
        self._set_hovered(self.cell_at(event.position()))
        super().mouseMoveEvent(event)

    def leaveEvent(self, event) -> None:
        self._set_hovered(None)
        super().leaveEvent(event)

    def _set_hovered(self, cell: tuple[int, int] | None) -> None:
        if cell != self._hovered:
            self._hovered = cell
            self.grid.hovered.emit(*(cell or (-1, -1)))

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            for r, line in enumerate(self.grid.cells):
                for c, cell in enumerate(line):
                    if self.cell_rect(r, c).contains(event.position()):
                        QToolTip.showText(event.globalPosition().toPoint(), cell.tip, self)
                        return True
            QToolTip.hideText()
            return True
        if event.type() == QEvent.Type.FontChange:
            self._snapshot = self._made_fonts = None
            self.refresh()
        return super().event(event)


class NumberGrid(QWidget):
    """A titled grid of cells; fill the cells, then call refresh() once. ``hovered(row, col)`` follows the
    mouse over the cells ((-1, -1) when it leaves them)."""

    hovered = Signal(int, int)

    def __init__(self, title: str):
        super().__init__()
        self.title = QLabel(f"<b>{title}</b>")
        self.cells: list[list[Cell]] = []
        self.canvas = _Canvas(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.canvas)
        layout.addStretch(1)

    def set_shape(self, rows: int, cols: int) -> None:
        if len(self.cells) != rows or (rows and len(self.cells[0]) != cols):
            self.cells = [[Cell() for _ in range(cols)] for _ in range(rows)]

    def clear(self) -> None:
        for line in self.cells:
            for cell in line:
                cell.set_number(None)

    def refresh(self) -> None:
        self.canvas.refresh()
