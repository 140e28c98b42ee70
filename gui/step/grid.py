"""A titled grid of numbers shaped like the kernel (or the pooling window), painted in one go.

One widget paints all its cells: a 15x15 kernel would otherwise be 675 labels to re-lay-out and repaint
on every step; it repaints only the cells whose look changed, and a step to a neighbouring pixel moves the
painted input values along instead of painting them again. The cells are gui.step.cells.Cell.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QLabel, QSizePolicy, QToolTip, QVBoxLayout, QWidget

from gui.step.cells import LOOK, Cell, fmt, shift
from gui.text_cache import laid_out, text_width

PAD_X, PAD_Y, GAP = 6, 3, 2
OUTLINE = "#9e9e9e"  # a cell's outline
FOCUS = "#ff6d00"  # the focused tap, in the grids and on the image (gui.step.overlays uses it too)
CAPTION_MIN_POINTS = 8.0  # captions (lab mode's offsets) stay legible, never ~7 px print


@functools.lru_cache(maxsize=256)
def _colour(name: str) -> QColor:
    return QColor(name)


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
        self.painted: set[tuple[int, int]] = set()  # the cells the last paint drew
        self.setMouseTracking(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # paints its gaps too: scroll() moves pixels

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

    def cell_size(self, looks: list[list[tuple]] | None = None) -> tuple[int, int]:
        """(width, height) of every cell: room for the widest number and caption (``looks``: the cells'
        Cell.look(), when already read)."""
        if looks is None:
            looks = [list(map(LOOK, line)) for line in self.grid.cells]
        return self.size_for({look[0] for line in looks for look in line}, {look[1] for line in looks for look in line})

    def size_for(self, shown: set[str], captions: set[str]) -> tuple[int, int]:
        """cell_size for cells showing the numbers ``shown`` and the captions ``captions``."""
        (bold, bold_key), (small, small_key) = self._font_set()["bold"], self._font_set()["small"]
        metrics, small_metrics = QFontMetrics(bold), QFontMetrics(small)
        width = max([text_width(metrics, bold_key, text) for text in shown | {"-000"}]
                    + [text_width(small_metrics, small_key, text) for text in captions])
        height = metrics.height() + (small_metrics.height() if captions - {""} else 0)
        return width + 2 * PAD_X, height + 2 * PAD_Y

    def fit(self, rows: int, cols: int, shown: set[str], captions: set[str]) -> None:
        """Take the size that cells showing ``shown`` and ``captions`` need, before they are filled (the
        grid is out of sight: its cells are filled when it is painted or read)."""
        cell = self.size_for(shown, captions)
        self._resize(rows, cols, cell)
        if cell != self._cell:
            self._cell = cell
            self._snapshot = None  # painted at another size: the next refresh paints every cell

    def _resize(self, rows: int, cols: int, cell: tuple[int, int]) -> None:
        size = QSize(cols * cell[0] + max(cols - 1, 0) * GAP + 1, rows * cell[1] + max(rows - 1, 0) * GAP + 1)
        if size != self._size:
            self._size = size
            self.setFixedSize(size)

    def in_sight(self) -> bool:
        """Whether any of the grid shows (scrolled away in the panel, or its dock hidden: not)."""
        return self.isVisible() and not self.visibleRegion().isEmpty()

    def refresh(self) -> None:
        """Repaint the cells whose look changed (the kernel grid, say, stays the same while stepping; a tap
        changes two or three cells)."""
        snapshot = [list(map(LOOK, line)) for line in self.grid.cells]
        before = self._snapshot
        if snapshot == before:
            return
        self._snapshot = snapshot
        rows = len(self.grid.cells)
        cols = len(self.grid.cells[0]) if rows else 0
        cell = self.cell_size(snapshot)
        self._resize(rows, cols, cell)
        if cell != self._cell or before is None or len(before) != rows or (rows and len(before[0]) != cols):
            self._cell = cell
            self.update()
            return
        dr, dc = shift(before, snapshot)
        if dr or dc:  # a step to a neighbouring pixel: move what is painted, paint what came in
            self.scroll(-dc * (cell[0] + GAP), -dr * (cell[1] + GAP))
        changed = [(r, c) for r, line in enumerate(snapshot) for c in range(cols)
                   if not (0 <= r + dr < rows and 0 <= c + dc < cols) or line[c] != before[r + dr][c + dc]]
        if 2 * len(changed) > rows * cols:
            self.update()
            return
        for r, c in changed:  # a focus outline reaches one pixel beyond its cell's rectangle
            self.update(self.cell_rect(r, c).toAlignedRect().adjusted(-1, -1, 1, 1))

    def sizeHint(self) -> QSize:
        return self._size

    def forget_painted(self) -> None:
        """The cells changed without refresh() (filled when first painted or read): the next refresh paints
        them all."""
        self._snapshot = None

    def cell_rect(self, r: int, c: int) -> QRectF:
        w, h = self._cell
        return QRectF(c * (w + GAP) + 0.5, r * (h + GAP) + 0.5, w, h)

    def _exposed_cells(self, region) -> set[tuple[int, int]]:
        """The cells meeting ``region`` (big kernels scroll; a tap repaints a few cells)."""
        w, h = self._cell
        rows = len(self.grid.cells)
        cols = len(self.grid.cells[0]) if rows else 0
        cells: set[tuple[int, int]] = set()
        if not w or not h:
            return cells
        for rect in region:  # cell (r, c) covers pixels c * (w + GAP) .. c * (w + GAP) + w, likewise down
            r0, r1 = max(-((h - rect.top()) // (h + GAP)), 0), min(rect.bottom() // (h + GAP), rows - 1)
            c0, c1 = max(-((w - rect.left()) // (w + GAP)), 0), min(rect.right() // (w + GAP), cols - 1)
            cells.update((r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1))
        self.painted = cells
        return cells

    def paintEvent(self, event) -> None:
        exposed = self._exposed_cells(event.region())
        painter = QPainter(self)
        painter.fillRect(event.rect(), self.palette().window())
        fonts = self._font_set()
        caption_font = fonts["small"]
        caption_h = QFontMetrics(caption_font[0]).height()
        w, h = self._cell
        cells = self.grid.cells
        # a solid cell is its outline's colour filled, then its inside in its own: two rectangle fills,
        # which Qt does far faster than stroking each outline; padding's dashed outlines are stroked
        outer, dashed, focused = [], [], []
        insides: dict[str, list[QRect]] = {}
        texts: dict[tuple, list[tuple[float, float, str]]] = {}  # by (font, colour): few pen and font changes
        for r, c in exposed:
            cell = cells[r][c]
            x, y = c * (w + GAP), r * (h + GAP)
            if cell.dashed:
                dashed.append((QRectF(x + 0.5, y + 0.5, w, h), cell.background))
            else:
                outer.append(QRect(x, y, w + 1, h + 1))
                insides.setdefault(cell.background, []).append(QRect(x + 1, y + 1, w - 1, h - 1))
            centre_x = x + 0.5 + w / 2
            if cell.shown:
                texts.setdefault((cell.bold, cell.italic, cell.foreground), []).append(
                    (centre_x, y + 0.5 + (h - (caption_h if cell.caption else 0)) / 2, cell.shown))
            if cell.caption:
                texts.setdefault(("caption", "#455a64"), []).append(
                    (centre_x, y + 0.5 + h - PAD_Y - caption_h / 2, cell.caption))
            if cell.focus:
                focused.append(QRectF(x + 1.5, y + 1.5, w - 2, h - 2))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_colour(OUTLINE))
        painter.drawRects(outer)
        for background, rects in insides.items():
            painter.setBrush(_colour(background))
            painter.drawRects(rects)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if dashed:
            for rect, background in dashed:
                painter.fillRect(rect, _colour(background))
            painter.setPen(QPen(_colour("#616161"), 1, Qt.PenStyle.DashLine))
            painter.drawRects([rect for rect, _ in dashed])
        if focused:
            painter.setPen(QPen(_colour(FOCUS), 3))
            painter.drawRects(focused)
        for style, boxes in texts.items():
            font, key = caption_font if style[0] == "caption" else fonts[style[:2]]
            painter.setFont(font)
            painter.setPen(_colour(style[-1]))
            for centre_x, centre_y, text in boxes:
                static, width, height = laid_out(text, font, key)
                painter.drawStaticText(QPointF(centre_x - width / 2, centre_y - height / 2), static)
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
        self._cells: list[list[Cell]] = []
        self._pending: Callable[[], None] | None = None
        self.canvas = _Canvas(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.canvas)
        layout.addStretch(1)

    @property
    def cells(self) -> list[list[Cell]]:
        """The cells, row by row (filled first if their filling was put off while out of sight)."""
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending()
            self.canvas.forget_painted()
        return self._cells

    @cells.setter
    def cells(self, cells: list[list[Cell]]) -> None:
        self._cells = cells

    def fill_later(self, fill: Callable[[], None], shown: set[str], captions: set[str]) -> None:
        """The grid is out of sight: take the size ``fill`` will need (cells showing ``shown`` and
        ``captions``) now, and fill the cells only when they are painted or read."""
        self._pending = fill
        rows = len(self._cells)
        self.canvas.fit(rows, len(self._cells[0]) if rows else 0, shown, captions)

    def set_shape(self, rows: int, cols: int) -> bool:
        """rows x cols cells; True when they are new (empty) cells."""
        if len(self._cells) != rows or (rows and len(self._cells[0]) != cols):
            self._cells = [[Cell() for _ in range(cols)] for _ in range(rows)]
            self._pending = None  # it filled the cells of the old shape
            return True
        return False

    def clear(self) -> None:
        for line in self.cells:
            for cell in line:
                cell.set_number(None)

    def refresh(self) -> None:
        self.canvas.refresh()


__all__ = ["Cell", "NumberGrid", "fmt"]
