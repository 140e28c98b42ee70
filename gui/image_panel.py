"""One titled image view: a ViewBox drawing exact engine values, the levels bar beneath it and an optional
histogram. The three panels of gui.image_views are built alike, so their views always have the same size."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QFont, QFontMetrics, QImage, QTransform
from PySide6.QtWidgets import QHBoxLayout, QWidget

import engine
from engine.levels import Levels, plain_levels, signed_levels
from engine.colour_maps import DisplayImage, colour_table
from gui.colorbar import LevelsBar, colour_map, gradient_map

#: Around the images: dark enough for gray images, yet not black, so a dark result's edges stay visible.
BACKGROUND = (48, 50, 54)
#: Presentation mode: titles large (at least this many points), bold and white, on two lines in every panel.
PRESENTATION_TITLE_POINTS = 16.0


class _Title(pg.LabelItem):
    """A view's title that never widens its view: a long title is elided ("...") to the view's width, with
    the whole title in its tooltip, because a view box wider than its widget overlaps its neighbour on
    screen and pyqtgraph's axis links then misalign the views. ``text`` is always the whole title. With
    ``lines=2`` (presentation) it breaks after the colon or between words, and always takes two lines."""

    def __init__(self, text: str = " ", **args):
        self._full = text
        self._showing = False
        self._lines = 1
        super().__init__(text, **args)

    def setText(self, text: str, **args) -> None:
        if text == self._full and not args and getattr(self, "text", None) == text:
            return  # unchanged (every result sets it): a new text re-lays out and repaints the whole view
        self._full = text
        self.setToolTip(text)
        self._show(**args)

    def set_style(self, lines: int, **style) -> None:
        """Reset to pyqtgraph's default look, then apply ``style`` (LabelItem's size/bold/color)."""
        self._lines = lines
        self.opts = {"color": None, "justify": "center", **style}
        self._show()

    def _font(self) -> QFont:
        """The font the text is drawn in (LabelItem styles it with HTML, not with the item's font)."""
        font = QFont(self.item.font())
        size = self.opts.get("size")
        if size and size.endswith("pt"):
            font.setPointSizeF(float(size[:-2]))
        font.setBold(bool(self.opts.get("bold")))
        return font

    def _fit(self, width: int) -> str:
        """The title as shown: elided to one line, or on two lines: broken after the colon when both halves
        fit, else after as many words as fit if that shows it whole, else after the colon if the first half
        fits (the rest elided), else after as many words as fit."""
        metrics = QFontMetrics(self._font())
        elide = Qt.TextElideMode.ElideRight

        def fits(text: str) -> bool:
            return metrics.horizontalAdvance(text) <= width

        if self._lines == 1 or fits(self._full):
            return metrics.elidedText(self._full, elide, width)
        head, sep, tail = self._full.partition(": ")
        words = self._full.split(" ")
        cut = 1
        while cut < len(words) and fits(" ".join(words[:cut + 1])):
            cut += 1
        greedy = (" ".join(words[:cut]), " ".join(words[cut:]))
        if sep and fits(head + ":") and (fits(tail) or not fits(greedy[1])):
            head, tail = head + ":", tail  # what the view shows, then how
        else:
            head, tail = greedy
        return f"{metrics.elidedText(head, elide, width)}<br>{metrics.elidedText(tail, elide, width)}"

    def _show(self, **args) -> None:
        width = int(self.width()) - 12
        shown = self._fit(width) if width > 24 else self._full
        if self._lines == 2 and "<br>" not in shown:
            shown += "<br>&nbsp;"  # every panel's title row keeps the same height
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


#: QImage formats Qt draws scaled without a conversion per pixel per paint (opaque, with alpha)
FAST_FORMATS = (QImage.Format.Format_RGB32, QImage.Format.Format_ARGB32_Premultiplied)
#: rendered images up to this size are converted to one of them (a bigger one, shown zoomed in: left as is)
CONVERT_MAX_PIXELS = 1 << 20


class ExactImageItem(pg.ImageItem):
    """An ImageItem whose screen-resolution downsampling keeps every k-th pixel instead of averaging blocks,
    and which shows pixels the engine already coloured (engine.colour_maps) when it has them.

    Every pixel drawn is one the engine computed (no blended values), and the cost follows the screen: a
    4096x4096 result fitted into a 500-pixel view is rendered from a 512x512 slice, without a pass over the
    whole array. Given a DisplayImage of the data at the current levels, colour map and sampling step
    (``set_display``; made on the worker thread with the job), rendering is wrapping its pixels in a QImage;
    otherwise (the user dragged the histogram's levels, zoomed to another step, or no display was made)
    pyqtgraph colours the data as before. The rendered image is kept in a format Qt draws scaled as a
    plain copy (FAST_FORMATS).
    """

    def __init__(self, *args, **kwargs):
        self._display: DisplayImage | None = None
        self._map_name = "gray"
        self._map_lut = None
        #: (rows, columns) step of the last render: what a display made for this item should sample
        self.sampling = (1, 1)
        self.from_display = False  # whether the last render showed the engine's pixels (else pyqtgraph's)
        super().__init__(*args, **kwargs)

    def set_colour_map(self, name: str) -> None:
        """Colour single-channel data with engine.colour_maps' map ``name`` (its table, also when pyqtgraph
        colours the data: both ways give the same pixels)."""
        self._map_name = name
        self._map_lut = colour_table(name)
        self.setLookupTable(self._map_lut)

    def set_display(self, display: DisplayImage | None) -> None:
        """The engine's pixels of the next data given to setImage (None: pyqtgraph colours the data)."""
        self._display = display

    def render(self):
        step = self._step()
        self.sampling = step
        self.from_display = self._render_display(step)
        if not self.from_display:
            self._render_sampled(step)
        image = self.qimage
        if image is not None and image.format() not in FAST_FORMATS and image.width() * image.height() <= CONVERT_MAX_PIXELS:
            # pyqtgraph's lookup-table image (Indexed8) is converted pixel by pixel in every paint, at any
            # zoom; converted once here, each paint (a step moving the overlays, a pan) is a plain copy
            self.qimage = image.convertToFormat(FAST_FORMATS[image.hasAlphaChannel()])

    def _step(self) -> tuple[int, int]:
        """(rows, columns) sampling step at the current zoom (1, 1 without autoDownsample)."""
        if not self.autoDownsample or self.image is None or self.image.size == 0:
            return (1, 1)
        xds, yds = self._computeDownsampleFactors()
        return (1, 1) if xds is None else (yds, xds)

    def _render_display(self, step: tuple[int, int]) -> bool:
        display = self._display
        if (display is None or self.image is None or self.lut is not self._map_lut or self.levels is None
                or not display.fits(tuple(self.levels), self._map_name, step)):
            return False
        self.qimage = pg.functions.ndarray_to_qimage(display.pixels, QImage.Format.Format_RGB32)
        self._renderRequired = False
        self._unrenderable = False
        self._lastDownsample = step[::-1]
        return True

    def _render_sampled(self, step: tuple[int, int]):
        full = self.image
        if not self.autoDownsample or full is None or full.size == 0:
            return super().render()
        self.autoDownsample = False
        self.image = full[::step[0], ::step[1]]
        try:
            super().render()
        finally:
            self.image = full
            self.autoDownsample = True
        self._lastDownsample = step[::-1]


class ImagePanel(QWidget):
    """One titled view: a ViewBox with an ImageItem, its levels bar and an optional histogram."""

    def __init__(self, name: str, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.name = name
        self.data: np.ndarray | None = None
        self.placement: engine.Placement | None = None  # where its pixels sit in input coordinates
        self.levels: Levels | None = None
        self.widget = pg.GraphicsLayoutWidget()
        self.widget.setBackground(BACKGROUND)
        self.widget.setMinimumSize(160, 160)
        self.title = _Title(title)
        self.widget.addItem(self.title, row=0, col=0)
        self.view = self.widget.addViewBox(row=1, col=0, lockAspect=True, invertY=True, enableMenu=False)
        self.view.setDefaultPadding(0.01)
        self.item = ExactImageItem(axisOrder="row-major", autoDownsample=True)
        self.item.set_colour_map("gray")
        self._diverging = False
        self.view.addItem(self.item)
        self.levels_bar = LevelsBar()
        self.widget.addItem(self.levels_bar, row=2, col=0)
        self.histogram: pg.HistogramLUTItem | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.widget)

    def set_title(self, text: str) -> None:
        self.title.setText(text)

    def set_presentation(self, on: bool, title_lines: int = 2) -> None:
        """Large, bold, white titles on ``title_lines`` lines and larger captions (on), or the normal look."""
        if on:
            points = max(PRESENTATION_TITLE_POINTS, QFont().pointSizeF() * 1.1)  # above the enlarged text
            self.title.set_style(title_lines, size=f"{points:g}pt", bold=True, color="#ffffff")
        else:
            self.title.set_style(1)
        self.levels_bar.set_point_size(None)  # the application's font, which the window enlarges

    def show(self, data: np.ndarray | None, placement: engine.Placement | None = None, diverging: bool = False,
             levels: Levels | None = None, display: DisplayImage | None = None):
        """Show ``data`` (exact engine values) with fixed levels; no auto-levels per frame. ``placement``
        (from engine.Geometry) says where its pixels sit on the input; None: on the input's own pixels.
        ``levels`` (from engine.levels) and ``display`` (data's pixels at those levels, from
        engine.colour_maps) are best computed ahead, off the GUI thread."""
        self.data = data
        if data is not None and placement is None:
            placement = engine.Placement(data.shape[:2], (0.0, 0.0), (1.0, 1.0))
        self.placement = placement
        if data is None or data.size == 0:
            self.item.clear()
            self.levels = None
            self.levels_bar.show_levels(None, diverging)
            return
        if levels is None:
            levels = signed_levels(data) if diverging else plain_levels(data)
        self.levels = levels
        if diverging != self._diverging:  # a new lookup table only when the colormap changes
            self._diverging = diverging
            if self.histogram is not None:
                self.histogram.gradient.setColorMap(gradient_map(self.colour_map))
            self.item.set_colour_map(self.colour_map)  # after the gradient, which sets a table of its own
        self.item.set_display(display)
        self.item.setImage(data, autoLevels=False, levels=levels.bounds)
        transform = QTransform()
        transform.translate(placement.origin[1], placement.origin[0])
        transform.scale(placement.scale[1], placement.scale[0])
        if transform != self.item.transform():
            self.item.setTransform(transform)
        self.levels_bar.show_levels(levels, diverging)
        if self.histogram is not None:
            self.histogram.setLevels(*levels.bounds)

    @property
    def colour_map(self) -> str:
        """The name of the colour map (engine.colour_maps) the data is shown in."""
        return "diverging" if self._diverging else "gray"

    @property
    def colormap(self) -> pg.ColorMap:
        return colour_map(self.colour_map)

    def set_histogram_visible(self, visible: bool) -> None:
        """A histogram with draggable levels under the view (below, so the image keeps its width). Hidden,
        it leaves the layout: a hidden item would keep its space."""
        if visible and self.histogram is None:
            levels = self.item.getLevels()
            self.histogram = pg.HistogramLUTItem(orientation="horizontal")
            self.histogram.gradient.setColorMap(gradient_map(self.colour_map))  # before linking: it sets the item's LUT
            self.histogram.setImageItem(self.item)  # this auto-levels: put the fixed levels back
            if self.data is not None and self.data.size and levels is not None:
                self.histogram.setLevels(*levels)
            self.item.set_colour_map(self.colour_map)  # the engine's table (the gradient's truncates)
            self.histogram.setMaximumHeight(110)
        if self.histogram is None:
            return
        placed = self.histogram in self.widget.ci.items
        if visible and not placed:
            self.widget.addItem(self.histogram, row=3, col=0)
        elif not visible and placed:
            self.widget.ci.removeItem(self.histogram)
        self.histogram.setVisible(visible)

    def pixel_at(self, scene_pos: QPointF) -> tuple[int, int] | None:
        """(row, col) of this panel's own data under a scene position, or None outside the image."""
        if self.data is None or self.placement is None or not self.view.sceneBoundingRect().contains(scene_pos):
            return None
        point = self.view.mapSceneToView(scene_pos)
        row, col = self.placement.index_at(point.y(), point.x())
        return (row, col) if self.placement.holds(row, col) else None
