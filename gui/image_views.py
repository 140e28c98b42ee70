"""The three image views (input, convolved, pooled) sharing one coordinate frame: the input's pixels.

Where each output pixel is drawn comes from engine.Geometry (the convolved pixel on its window's anchor,
'valid' output shifted by the padding it lacks; each pooled pixel over the block of convolved pixels its
stride advances by), so zooming or panning one view moves all three and a point means the same place in each.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QFontMetrics, QTransform
from PySide6.QtWidgets import QHBoxLayout, QWidget

import engine

GRAY = pg.ColorMap([0.0, 1.0], [(0, 0, 0), (255, 255, 255)])
#: Diverging blue - white - red for signed (raw) output, 0 in the middle.
DIVERGING = pg.ColorMap([0.0, 0.5, 1.0], [(33, 102, 172), (247, 247, 247), (178, 24, 43)])


#: Around the images: dark enough for gray images, yet not black, so a dark result's edges stay visible.
BACKGROUND = (48, 50, 54)


class _Title(pg.LabelItem):
    """A view's title that never widens its view: a long title is elided ("...") to the view's width, with
    the whole title in its tooltip, because a view box wider than its widget overlaps its neighbour on
    screen and pyqtgraph's axis links then misalign the views. ``text`` is always the whole title."""

    def __init__(self, text: str = " ", **args):
        self._full = text
        self._showing = False
        super().__init__(text, **args)

    def setText(self, text: str, **args) -> None:
        if text == self._full and not args and getattr(self, "text", None) == text:
            return  # unchanged (every result sets it): a new text re-lays out and repaints the whole view
        self._full = text
        self.setToolTip(text)
        self._show(**args)

    def _show(self, **args) -> None:
        shown = self._full
        width = int(self.width()) - 12
        if width > 24:
            shown = QFontMetrics(self.item.font()).elidedText(self._full, Qt.TextElideMode.ElideRight, width)
        self._showing = True  # LabelItem.setText calls resizeEvent itself
        try:
            super().setText(shown, **args)
        finally:
            self._showing = False
        self.text = self._full

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if not self._showing:
            self._show()

    def updateMin(self):
        super().updateMin()
        self.setMinimumWidth(0)
        self._sizeHint[Qt.SizeHint.MinimumSize] = (0.0, self._sizeHint[Qt.SizeHint.MinimumSize][1])
        self._sizeHint[Qt.SizeHint.PreferredSize] = (0.0, self._sizeHint[Qt.SizeHint.PreferredSize][1])


class ExactImageItem(pg.ImageItem):
    """An ImageItem whose screen-resolution downsampling keeps every k-th pixel instead of averaging blocks.

    Every pixel drawn is one the engine computed (no blended values), the data keep their dtype (uint8 stays
    on pyqtgraph's fast lookup-table path), and the cost follows the screen: a 4096x4096 result fitted into a
    500-pixel view is rendered from a 512x512 slice, without a pass over the whole array.
    """

    def render(self):
        full = self.image
        if not self.autoDownsample or full is None or full.size == 0:
            return super().render()
        xds, yds = self._computeDownsampleFactors()
        if xds is None:
            return super().render()
        self.autoDownsample = False
        self.image = full[::yds, ::xds]
        try:
            super().render()
        finally:
            self.image = full
            self.autoDownsample = True
        self._lastDownsample = (xds, yds)


class ImagePanel(QWidget):
    """One titled view: a ViewBox with an ImageItem, an optional colour bar and histogram."""

    def __init__(self, name: str, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.name = name
        self.data: np.ndarray | None = None
        self.placement: engine.Placement | None = None  # where its pixels sit in input coordinates
        self.widget = pg.GraphicsLayoutWidget()
        self.widget.setBackground(BACKGROUND)
        self.widget.setMinimumSize(160, 160)
        self.title = _Title(title)
        self.widget.addItem(self.title, row=0, col=0, colspan=2)
        self.view = self.widget.addViewBox(row=1, col=0, lockAspect=True, invertY=True, enableMenu=False)
        self.view.setDefaultPadding(0.01)
        self.item = ExactImageItem(axisOrder="row-major", autoDownsample=True)
        self.item.setColorMap(GRAY)
        self._diverging = False
        self.view.addItem(self.item)
        self.colorbar: pg.ColorBarItem | None = None
        self._colorbar_levels: tuple[float, float] | None = None
        self.histogram: pg.HistogramLUTItem | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.widget)

    def set_title(self, text: str) -> None:
        self.title.setText(text)

    def show(self, data: np.ndarray | None, placement: engine.Placement | None = None, diverging: bool = False,
             levels: tuple[float, float] | None = None):
        """Show ``data`` (exact engine values) with fixed levels; no auto-levels per frame. ``placement``
        (from engine.Geometry) says where its pixels sit on the input; None: on the input's own pixels.

        ``levels`` (from engine.display_levels) can be computed ahead, off the GUI thread."""
        self.data = data
        if data is not None and placement is None:
            placement = engine.Placement(data.shape[:2], (0.0, 0.0), (1.0, 1.0))
        self.placement = placement
        if data is None or data.size == 0:
            self.item.clear()
            self._show_colorbar(False, (0.0, 1.0))
            return
        if levels is None:
            levels = engine.display_levels(data, diverging)
        levels = self._steady(levels, diverging)
        if diverging != self._diverging:  # a new lookup table only when the colormap changes
            self._diverging = diverging
            self.item.setColorMap(self.colormap)
            if self.histogram is not None:
                self.histogram.gradient.setColorMap(self.colormap)
        self.item.setImage(data, autoLevels=False, levels=levels)
        transform = QTransform()
        transform.translate(placement.origin[1], placement.origin[0])
        transform.scale(placement.scale[1], placement.scale[0])
        if transform != self.item.transform():
            self.item.setTransform(transform)
        self._show_colorbar(diverging, levels)
        if self.histogram is not None:
            self.histogram.setLevels(*levels)

    def _steady(self, levels: tuple[float, float], diverging: bool) -> tuple[float, float]:
        """Diverging levels (+-L) stay as they are while the new result's own L' fits them and is not much
        smaller (L/4 <= L' <= L): colours keep their meaning from one live edit to the next, and the colour
        bar is not redrawn on every step. Nothing saturates: the data's peak is <= L' <= L."""
        shown = self._colorbar_levels
        if diverging and shown is not None and self._diverging and levels[0] == -levels[1]:
            if shown[1] / 4 <= levels[1] <= shown[1]:
                return shown
        return levels

    def _show_colorbar(self, diverging: bool, levels: tuple[float, float]) -> None:
        if diverging:
            if self.colorbar is None:
                self.colorbar = pg.ColorBarItem(colorMap=DIVERGING, interactive=False, width=14)
                self.widget.addItem(self.colorbar, row=1, col=1)
            if self._colorbar_levels != tuple(levels):  # its axis is slow to redraw: only when they change
                self._colorbar_levels = tuple(levels)
                self.colorbar.setLevels(levels)
            self.colorbar.setVisible(True)
        elif self.colorbar is not None:
            self.colorbar.setVisible(False)

    @property
    def colormap(self) -> pg.ColorMap:
        return DIVERGING if self._diverging else GRAY

    def set_histogram_visible(self, visible: bool) -> None:
        """A histogram with draggable levels under the view (below, so the image keeps its width)."""
        if visible and self.histogram is None:
            levels = self.item.getLevels()
            self.histogram = pg.HistogramLUTItem(orientation="horizontal")
            self.histogram.gradient.setColorMap(self.colormap)  # before linking: it sets the item's LUT
            self.histogram.setImageItem(self.item)  # this auto-levels: put the fixed levels back
            if self.data is not None and self.data.size and levels is not None:
                self.histogram.setLevels(*levels)
            self.histogram.setMaximumHeight(110)
            self.widget.addItem(self.histogram, row=2, col=0, colspan=2)
        if self.histogram is not None:
            self.histogram.setVisible(visible)

    def pixel_at(self, scene_pos: QPointF) -> tuple[int, int] | None:
        """(row, col) of this panel's own data under a scene position, or None outside the image."""
        if self.data is None or self.placement is None or not self.view.sceneBoundingRect().contains(scene_pos):
            return None
        point = self.view.mapSceneToView(scene_pos)
        row, col = self.placement.index_at(point.y(), point.x())
        return (row, col) if self.placement.holds(row, col) else None


def convolved_title(result: engine.JobResult) -> str:
    options = result.options
    height, width = result.convolved.shape
    if options.lab:
        how = "lab mode (the notebook's loop)"
    else:
        kh, kw = options.shape
        rng = "clamp 0..255" if options.output_range == "clamp" else "raw"
        how = f"{kh}x{kw}, {options.border} border, {rng}"
    return f"Convolved {width}x{height}: {how}"


def pooled_title(result: engine.JobResult) -> str:
    pool = result.options.pool
    if pool is None or result.pooled is None:
        return "Pooled: off"
    height, width = result.pooled.shape
    stride = "" if pool.step == pool.size else f", stride {pool.step}"
    return f"Pooled {width}x{height}: {pool.op} of {pool.size}x{pool.size}{stride}"


def is_diverging(options: engine.JobOptions) -> bool:
    """Raw (signed) output is shown with the diverging colormap centred on 0; clamped output in gray."""
    return options.output_range == "raw" and not options.lab


def result_levels(result: engine.JobResult) -> dict[str, tuple[float, float]]:
    """Display levels of a job's outputs. Touches no widget, so the worker thread computes it along with
    the job and the GUI thread never makes a pass over a big result."""
    diverging = is_diverging(result.options)
    levels = {"convolved": engine.display_levels(result.convolved, diverging, result.convolved_range)}
    if result.pooled is not None:
        levels["pooled"] = engine.display_levels(result.pooled, diverging)
    return levels


class ImageViews(QWidget):
    """Input, convolved and pooled side by side, linked; reports hover and clicks in image coordinates."""

    pixelHovered = Signal(str, int, int)  # panel, row, col  (row = -1 when the mouse leaves the image)
    pixelClicked = Signal(str, int, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.input = ImagePanel("input", "Input")
        self.convolved = ImagePanel("convolved", "Convolved")
        self.pooled = ImagePanel("pooled", "Pooled")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for panel in self.panels():
            layout.addWidget(panel, 1)
            panel.widget.scene().sigMouseMoved.connect(lambda pos, p=panel: self._hover(p, pos))
            panel.widget.scene().sigMouseClicked.connect(lambda ev, p=panel: self._click(p, ev))
        self.convolved.view.setXLink(self.input.view)
        self.convolved.view.setYLink(self.input.view)
        self.pooled.view.setXLink(self.input.view)
        self.pooled.view.setYLink(self.input.view)

    def panels(self) -> tuple[ImagePanel, ImagePanel, ImagePanel]:
        return (self.input, self.convolved, self.pooled)

    def panel(self, name: str) -> ImagePanel:
        return {"input": self.input, "convolved": self.convolved, "pooled": self.pooled}[name]

    def fit(self) -> None:
        """Zoom all three views (they are linked) so the whole input is visible."""
        self.input.view.autoRange(padding=0.01)

    def show_input(self, image: np.ndarray) -> None:
        self.input.show(image)
        self.fit()

    def show_result(self, result: engine.JobResult, levels: dict | None = None) -> None:
        """Show a job's outputs; ``levels`` maps 'convolved'/'pooled' to precomputed display levels."""
        levels = levels or {}
        options = result.options
        geometry = engine.Geometry.of(result.image.shape, options)
        diverging = is_diverging(options)
        self.convolved.show(result.convolved, geometry.conv, diverging=diverging, levels=levels.get("convolved"))
        self.convolved.set_title(convolved_title(result))
        if result.pooled is not None and geometry.pooled is not None:
            self.pooled.show(result.pooled, geometry.pooled, diverging=diverging, levels=levels.get("pooled"))
        else:
            self.pooled.show(None)
        self.pooled.set_title(pooled_title(result))

    def _hover(self, panel: ImagePanel, pos: QPointF) -> None:
        pixel = panel.pixel_at(pos)
        self.pixelHovered.emit(panel.name, *(pixel if pixel else (-1, -1)))

    def _click(self, panel: ImagePanel, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        pixel = panel.pixel_at(event.scenePos())
        if pixel is not None:
            self.pixelClicked.emit(panel.name, *pixel)
