"""The three image views (input, convolved, pooled) sharing one coordinate frame: the input's pixels.

Where each output pixel is drawn comes from engine.Geometry (the convolved pixel on its window's anchor,
'valid' output shifted by the padding it lacks; each pooled pixel over the block of convolved pixels its
stride advances by), so zooming or panning one view moves all three and a point means the same place in each.
The panels are built alike (title, view, levels bar), so the linked views always have the same size.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

import engine
from engine import levels as engine_levels
from engine.colour_maps import display_image
from gui.colorbar import CHOICE_NAMES
from gui.image_panel import CONVERT_MAX_PIXELS, ImagePanel

GAP = 6  # pixels between the views

def convolved_title(result: engine.JobResult) -> str:
    options = result.options
    height, width = result.convolved.shape[:2]
    if options.lab:
        how = "lab mode (the notebook's loop)"
    else:
        kh, kw = options.shape
        rng = "clamp 0..255" if options.output_range == "clamp" else options.output_range
        how = f"{kh}x{kw}, {options.border} border, {rng}"
        if options.stride != (1, 1) or options.dilation != (1, 1):
            how += f", stride {options.stride[0]},{options.stride[1]}, dilation {options.dilation[0]},{options.dilation[1]}"
    maps = f" x {result.convolved.shape[2]} maps" if result.convolved.ndim == 3 else ""
    return f"Convolved {width}x{height}{maps}: {how}"


def pooled_title(result: engine.JobResult) -> str:
    pool = result.options.pool
    if pool is None or result.pooled is None:
        return "Pooled: off"
    height, width = result.pooled.shape[:2]
    stride = "" if pool.step == pool.size else f", stride {pool.step}"
    return f"Pooled {width}x{height}: {pool.op} of {pool.size}x{pool.size}{stride}"


def _finite(value_range: tuple[float, float] | None) -> bool:
    """Whether a float result's value range is known and finite (NaN has no colour; pyqtgraph's is none)."""
    return value_range is not None and all(np.isfinite(value_range))


def is_diverging(options: engine.JobOptions) -> bool:
    """Raw (signed) output is shown with the diverging colormap centred on 0; clamped output in gray."""
    return options.output_range == "raw" and not options.lab


def result_levels(result: engine.JobResult, choice: str = engine_levels.DEFAULT_CHOICE,
                  previous: float | None = None) -> dict[str, engine_levels.Levels]:
    """Display levels of a job's outputs (engine.levels.result_levels with this window's colour rule)."""
    return engine_levels.result_levels(result, is_diverging(result.options), choice, previous)


class ImageViews(QWidget):
    """Input, convolved and pooled side by side, linked; reports hover and clicks in image coordinates."""

    pixelHovered = Signal(str, int, int)  # panel, row, col  (row = -1 when the mouse leaves the image)
    pixelClicked = Signal(str, int, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.input = ImagePanel("input", "Input")
        self.convolved = ImagePanel("convolved", "Convolved")
        self.pooled = ImagePanel("pooled", "Pooled")
        for panel in self.panels():
            panel.setParent(self)
            panel.widget.scene().sigMouseMoved.connect(lambda pos, p=panel: self._hover(p, pos))
            panel.widget.scene().sigMouseClicked.connect(lambda ev, p=panel: self._click(p, ev))
        self.convolved.view.setXLink(self.input.view)
        self.convolved.view.setYLink(self.input.view)
        self.pooled.view.setXLink(self.input.view)
        self.pooled.view.setYLink(self.input.view)
        self.geometry: engine.Geometry | None = None
        self._image_shape: tuple[int, int] | None = None
        self._result: engine.JobResult | None = None
        self._signed_bound: float | None = None  # the signed levels shown (read by the worker thread)
        self.levels_choice = engine_levels.DEFAULT_CHOICE
        #: whether prepare_display colours results ahead on the worker thread (off while a mode's own views
        #: cover these: they would colour what nobody sees, and colour it themselves once shown again)
        self.colour_ahead = True
        self.levels_menu = self._build_levels_menu()
        for panel in (self.convolved, self.pooled):
            panel.levels_bar.menuRequested.connect(lambda pos, p=panel: self._levels_menu_at(p, pos))

    # -- layout: three columns of exactly one width, so the linked views line up to the pixel ------------
    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        width = (self.width() - 2 * GAP) // 3
        x = (self.width() - 2 * GAP - 3 * width) // 2  # the odd pixels go to the outer margins
        for panel in self.panels():
            panel.setGeometry(x, 0, width, self.height())
            x += width + GAP

    def minimumSizeHint(self) -> QSize:
        least = self.input.minimumSizeHint()
        return QSize(3 * least.width() + 2 * GAP, least.height())

    def sizeHint(self) -> QSize:
        return QSize(3 * 300 + 2 * GAP, 400)

    def panels(self) -> tuple[ImagePanel, ImagePanel, ImagePanel]:
        return (self.input, self.convolved, self.pooled)

    def panel(self, name: str) -> ImagePanel:
        return {"input": self.input, "convolved": self.convolved, "pooled": self.pooled}[name]

    def _build_levels_menu(self) -> QMenu:
        menu = QMenu("Signed output &levels", self)
        menu.setToolTipsVisible(True)
        group = QActionGroup(menu)
        self.levels_actions: dict[str, QAction] = {}
        for choice in engine_levels.LEVEL_CHOICES:
            action = QAction(CHOICE_NAMES[choice].capitalize(), menu, checkable=True)
            action.setChecked(choice == self.levels_choice)
            action.setToolTip("The colour bar's ends sit at this value of |v|; pixels beyond are counted under "
                              "the bar" if choice != "full" else "The colour bar spans every value")
            action.triggered.connect(lambda _checked, c=choice: self.set_levels_choice(c))
            group.addAction(action)
            menu.addAction(action)
            self.levels_actions[choice] = action
        return menu

    def _levels_menu_at(self, panel: ImagePanel, pos) -> None:
        if panel.levels_bar.signed:  # the choice is about signed output; gray levels are fixed
            self.levels_menu.popup(pos.toPoint())

    def set_levels_choice(self, choice: str) -> None:
        """Where signed (raw) output's colour bar ends: '99' or '99.9' (percentiles of |v|) or 'full'."""
        self.levels_choice = engine_levels.check_choice(choice)
        self.levels_actions[choice].setChecked(True)
        self._signed_bound = None  # a new rule: no steady levels carried over
        if self._result is not None:
            self.show_result(self._result)

    def prepare_levels(self, result: engine.JobResult) -> dict[str, engine_levels.Levels]:
        """The display levels of a result, for the worker thread to compute along with the job: touches no
        widget and reads only immutable values, so the GUI thread never makes a pass over a big result."""
        return result_levels(result, self.levels_choice, self._signed_bound)

    def prepare_display(self, result: engine.JobResult, levels: dict[str, engine_levels.Levels]) -> dict:
        """The pixels the convolved and pooled views will show ('convolved', 'pooled' -> DisplayImage), for
        the worker thread to colour along with the job (engine.colour_maps), sampled at the step each view
        drew its last image at. Left out where a view must colour the data itself: several maps, a value
        that is not finite, or more pixels than it converts (a big image zoomed in)."""
        shown = {}
        if not self.colour_ahead:
            return shown
        colour_map = "diverging" if is_diverging(result.options) else "gray"
        for panel, array in ((self.convolved, result.convolved), (self.pooled, result.pooled)):
            step = panel.item.sampling  # a tuple the GUI thread replaces, never changes
            if (array is None or array.ndim != 2 or array.size == 0 or panel.name not in levels
                    or -(-array.shape[0] // step[0]) * -(-array.shape[1] // step[1]) > CONVERT_MAX_PIXELS
                    or (array.dtype.kind == "f" and not _finite(result.convolved_range))):
                continue
            shown[panel.name] = display_image(array, levels[panel.name].bounds, colour_map, step)
        return shown

    def set_presentation(self, on: bool) -> None:
        """Presentation mode: large, high-contrast titles (on two lines where needed) and captions."""
        for panel in self.panels():
            panel.set_presentation(on)

    def fit(self) -> None:
        """Zoom all three views (they are linked) so every whole image is visible."""
        if self.geometry is not None:
            top, left, height, width = self.geometry.bounds
        elif self._image_shape is not None:
            top, left, (height, width) = 0.0, 0.0, self._image_shape
        else:
            return
        self.input.view.setRange(QRectF(left, top, width, height), padding=0.01)

    def show_input(self, image: np.ndarray) -> None:
        self._image_shape = tuple(image.shape[:2])
        self.geometry = None
        self._signed_bound = None  # another image: its levels owe nothing to the last one's
        self.input.show(image)
        self.fit()

    def show_result(self, result: engine.JobResult, levels: dict | None = None, display: dict | None = None) -> None:
        """Show a job's outputs; ``levels`` maps 'convolved'/'pooled' to levels from prepare_levels
        (computed here when missing), ``display`` to their pixels from prepare_display (the views colour
        what is missing or made for other levels)."""
        display = display or {}
        options = result.options
        diverging = is_diverging(options)
        stale = diverging and levels and levels["convolved"].choice != self.levels_choice  # chosen since
        if not levels or stale:
            levels = self.prepare_levels(result)
        self._result = result
        self._signed_bound = levels["convolved"].high if diverging else None
        self.geometry = geometry = engine.Geometry.of(result.image.shape, options)
        self.convolved.show(result.convolved, geometry.conv, diverging=diverging, levels=levels.get("convolved"),
                            display=display.get("convolved"))
        self.convolved.set_title(convolved_title(result))
        if result.pooled is not None and geometry.pooled is not None:
            self.pooled.show(result.pooled, geometry.pooled, diverging=diverging, levels=levels.get("pooled"),
                             display=display.get("pooled"))
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
