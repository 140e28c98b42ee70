"""Compare mode's views: result A, result B and A - B side by side, linked, A and B on one shared colour
scale and the difference on a diverging one centred on 0, under a line that says how many pixels differ and
by how much; when the options pool, a second row does the same for the pooled outputs (drawn over the
convolved pixels they pool, so all six views line up). Every number shown comes from an engine.Comparison;
this module only lays it out."""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QLabel, QVBoxLayout, QWidget

import engine
from gui.compare_grid import PANEL_LEAST, PANEL_MARGINS, Grid
from gui.image_panel import ImagePanel
from gui.image_views import is_diverging

MARK_PEN = QColor("#ffd54f")  # the selected pixel, as step mode's window colour
RING_SIZE = 18  # screen pixels


def one_map(array: np.ndarray, channel: int) -> np.ndarray:
    """The map shown of a result with several (H x W x C): ``channel``, or the last one there is."""
    return array if array.ndim == 2 else array[:, :, min(channel, array.shape[2] - 1)]


class CompareViews(QWidget):
    """A, B and A - B of one engine.Comparison, and the pooled three when it pools. ``pixelClicked(row,
    col)``: a convolved pixel of any of them (of a pooled view: the first pixel of that pooled pixel's window)."""

    pixelClicked = Signal(int, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.a = ImagePanel("a", "A")
        self.b = ImagePanel("b", "B")
        self.difference = ImagePanel("difference", "A - B")
        # titles that say which first, so that elided in a narrow panel they still do
        self.pooled = (ImagePanel("pooled a", "A pooled"), ImagePanel("pooled b", "B pooled"),
                       ImagePanel("pooled difference", "A - B pooled"))
        for panel in self.pooled:
            panel.hide()
        for panel in self.panels():
            panel.widget.setMinimumSize(PANEL_LEAST, PANEL_LEAST)
            panel.widget.ci.layout.setContentsMargins(*PANEL_MARGINS)  # six small panels: more room for images
            panel.widget.ci.layout.setSpacing(PANEL_MARGINS[0])
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setContentsMargins(6, 2, 6, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.summary)
        self.grid = Grid(((self.a, self.b, self.difference), self.pooled))
        layout.addWidget(self.grid, 1)
        self.comparison: engine.Comparison | None = None
        self.channel = 0
        self.marks = []  # (panel, the pixel's outline, its ring) for every panel
        self.marked: tuple[int, int] | None = None
        for panel in self.panels():
            if panel is not self.a:
                panel.view.setXLink(self.a.view)
                panel.view.setYLink(self.a.view)
            panel.widget.scene().sigMouseClicked.connect(lambda event, p=panel: self._click(p, event))
            mark = QGraphicsRectItem()  # the pixel itself, when zoomed in
            pen = QPen(MARK_PEN, 2)
            pen.setCosmetic(True)
            mark.setPen(pen)
            # a ring of fixed screen size around it: findable on the whole image too
            ring = pg.ScatterPlotItem(size=RING_SIZE, symbol="o", pen=pg.mkPen(MARK_PEN, width=2), brush=None)
            for item in (mark, ring):
                item.setZValue(10)
                item.hide()
                panel.view.addItem(item)
            self.marks.append((panel, mark, ring))

    def minimumSizeHint(self) -> QSize:
        """The grid's least size under the summary as wrapped at this width: the window's docks give way."""
        grid = self.grid.minimumSizeHint()
        summary = self.summary.heightForWidth(max(self.width(), grid.width()))
        return QSize(grid.width(), grid.height() + max(summary, 0) + self.layout().spacing())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.updateGeometry()  # the summary wraps to another height

    def panels(self) -> tuple[ImagePanel, ...]:
        """Every panel: A, B, A - B, then the pooled ones (shown only when the options pool)."""
        return (self.a, self.b, self.difference, *self.pooled)

    def set_presentation(self, on: bool) -> None:
        for panel in self.panels():
            panel.set_presentation(on, title_lines=1)  # narrow panels: one line, elided, whole in the tooltip
        self.grid.updateGeometry()  # its least height follows the larger titles and captions

    # -- content ----------------------------------------------------------------------------------------
    def show_comparison(self, comparison: engine.Comparison, levels: engine.ComparisonLevels, a_label: str,
                        b_label: str, channel: int = 0) -> None:
        """Show A and B (on the shared levels) and A - B; ``channel``: the map shown of results with several."""
        first = self.comparison is None or self.comparison.difference.shape != comparison.difference.shape
        self.comparison, self.channel = comparison, channel
        signed = is_diverging(comparison.b.options)
        for panel, result, label, shown in ((self.a, comparison.a, a_label, levels.a),
                                            (self.b, comparison.b, b_label, levels.b)):
            _show(panel, one_map(result.convolved, channel), None, signed, shown)
            panel.set_title(f"{label}: {_kernel_text(result.options)}")
        _show(self.difference, one_map(comparison.difference, channel), None, True, levels.difference)
        self.difference.set_title(f"A - B{_map_text(comparison, channel)}")
        self._show_pooled(comparison, levels, channel)
        for panel in self.panels():
            panel.item.setOpacity(1.0)
        lines = [comparison.describe()]
        if comparison.pooled is not None:
            lines.append(comparison.pooled.describe())
        text = "<br>".join(f"<b>{html.escape(line)}</b>" for line in lines)
        if text != self.summary.text():
            self.summary.setText(text)
            self.updateGeometry()
        self.summary.setToolTip("Counted over every pixel (every map) of the convolved (and pooled) results, "
                                "by the engine")
        if first:
            self.fit()

    def _show_pooled(self, comparison: engine.Comparison, levels: engine.ComparisonLevels, channel: int) -> None:
        """The pooled row: pooled A and B on A's and B's scale, their difference on its own; hidden without
        pooling."""
        pooled = comparison.pooled
        if (pooled is None) != self.pooled[0].isHidden():
            for panel in self.pooled:
                panel.setVisible(pooled is not None)
            self.grid.updateGeometry()
            self.grid.relayout()
        if pooled is None:
            return
        placement = engine.pooled_placement(comparison)
        signed = is_diverging(comparison.b.options)
        for panel, values, shown, name, diverging in (
                (self.pooled[0], pooled.a, levels.pooled.a, "A pooled", signed),
                (self.pooled[1], pooled.b, levels.pooled.b, "B pooled", signed),
                (self.pooled[2], pooled.difference, levels.pooled.difference, "A - B pooled", True)):
            _show(panel, one_map(values, channel), placement, diverging, shown)
            panel.set_title(name + _map_text(comparison, channel))

    def show_problem(self, message: str) -> None:
        """These kernels cannot be compared: say why; the last comparison stays, faded, as out of date."""
        self.summary.setText(f"<b>Cannot compare:</b> {html.escape(message)}")
        for panel in self.panels():
            if panel.data is not None:
                panel.item.setOpacity(0.35)

    def mark(self, pixel: tuple[int, int] | None, pooled: tuple[int, int] | None = None) -> None:
        """Outline convolved pixel (row, col) and ring it in A, B and A - B, and the pooled pixel ``pooled``
        (engine.pooled_pixel: the one drawn over it) in the pooled views (None: no mark)."""
        self.marked = pixel
        for panel, mark, ring in self.marks:
            at = pixel if panel not in self.pooled else pooled
            if at is not None:
                if panel in self.pooled:
                    top, left, height, width = panel.placement.cell(*at)
                else:
                    top, left, height, width = at[0], at[1], 1, 1
                mark.setRect(QRectF(left, top, width, height))
                ring.setData([left + width / 2], [top + height / 2])
            for item in (mark, ring):
                item.setVisible(at is not None)

    def fit(self) -> None:
        if self.a.data is not None:
            height, width = self.a.data.shape[:2]
            self.a.view.setRange(QRectF(0, 0, width, height), padding=0.01)

    def zoom_to(self, pixel: tuple[int, int], span: int) -> None:
        """Zoom the linked views onto ``pixel`` unless it is already well inside them."""
        row, col = pixel
        shown = self.a.view.viewRect()
        inside = shown.adjusted(1, 1, -1, -1).contains(QPointF(col + 0.5, row + 0.5))
        if not inside or shown.width() > 8 * span:
            self.a.view.setRange(QRectF(col + 0.5 - span / 2, row + 0.5 - span / 2, span, span), padding=0)

    def follow(self, pixel: tuple[int, int]) -> None:
        """Keep ``pixel`` in view while playing: pan (keeping the zoom) once it leaves the views."""
        row, col = pixel
        view = self.a.view
        shown = view.viewRect()
        if not shown.contains(QPointF(col + 0.5, row + 0.5)):
            view.translateBy(x=col + 0.5 - shown.center().x(), y=row + 0.5 - shown.center().y())

    def _click(self, panel: ImagePanel, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        pixel = panel.pixel_at(event.scenePos())
        if pixel is not None and panel in self.pooled:  # a pooled pixel: the first pixel of its window
            top, left, _, _ = panel.placement.cell(*pixel)
            pixel = (int(top), int(left))
        if pixel is not None:
            self.pixelClicked.emit(*pixel)


def _show(panel: ImagePanel, data: np.ndarray, placement, diverging: bool, levels) -> None:
    """``panel.show`` unless it shows this very array already, so placed and coloured: while B is edited, A
    and pooled A keep their arrays and, mostly, their levels, and are not drawn again."""
    if (panel.data is not data or panel.levels != levels or panel.colour_map != ("diverging" if diverging else "gray")
            or (placement is not None and panel.placement != placement)):
        panel.show(data, placement, diverging=diverging, levels=levels)


def _kernel_text(options: engine.JobOptions) -> str:
    kh, kw = options.shape
    weight = "" if options.weight == 1 else f" x {engine.format_number(options.weight)}"
    offset = "" if options.offset == 0 else f" + {engine.format_number(options.offset)}"
    return f"{kh}x{kw}{weight}{offset}"


def _map_text(comparison: engine.Comparison, channel: int) -> str:
    maps = comparison.difference
    return "" if maps.ndim == 2 else f", map {min(channel, maps.shape[2] - 1) + 1} of {maps.shape[2]}"
