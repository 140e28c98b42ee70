"""Step-through teaching mode: select an output pixel, see its kernel window and its arithmetic.

StepMode follows the document (image, options, result) and draws on the views: a dock with the StepPanel
and overlays on the three views. Every number comes from engine.explain_pixel / explain_pool, computed per
pixel, so a step costs the same on any image size.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QRectF

import engine
from engine.layer_options import out_channels
from gui.docks import LazyDock
from gui.document import Document
from gui.step.cell_overlays import ReadersHighlight
from gui.step.controls import StepControls
from gui.step.cursor import StepCursor
from gui.step.overlays import StepOverlays
from gui.step.playback import Playback
from gui.step.taps import TapSteps


class StepMode(QObject, TapSteps):
    """Owns the step dock, its controls and the overlays; ``parent`` is the main window, which places the
    dock and the toolbar."""

    def __init__(self, document: Document, views, parent):
        super().__init__(parent)
        self.document, self.views = document, views
        self.is_active = False
        self.playing = False
        self.cursor: StepCursor | None = None
        self.presentation = False
        self.channel = 0  # the output channel (feature map) explained, for jobs with several
        # the dock's panel (gui.step.panel) is built when step mode first needs it
        self.dock = LazyDock("Step through: how this pixel is made", "step_dock", self._build_panel, parent)
        self._margin: tuple[int, int] | None = None  # a lab-mode margin pixel the loop never visits
        self.controls = StepControls(self, parent)
        self.speed = self.controls.speed
        self.overlays = StepOverlays(views)
        self.readers = ReadersHighlight(self)  # hovering an input pixel: the convolved pixels reading it
        self.playback = Playback(self._advance, lambda: self.controls.steps_per_second, self.pause, self)
        self.tap: int | None = None  # tap by tap: the term of the current pixel shown last
        self._hovered: int | None = None  # the term under the mouse (panel cell or input pixel)
        self._explained: tuple[tuple, engine.PixelExplanation, engine.PoolExplanation | None] | None = None
        views.pixelClicked.connect(self._on_click)
        views.pixelHovered.connect(self._on_image_hover)
        document.optionsChanged.connect(lambda _o: self._on_inputs_changed())
        document.imageChanged.connect(self._on_inputs_changed)
        document.resultReady.connect(lambda _r: self.refresh())
        document.jobFailed.connect(lambda _f: self.refresh())

    def _build_panel(self, _dock):
        from gui.step.panel import StepPanel

        panel = StepPanel()
        panel.termHovered.connect(lambda k: self._hover(None if k < 0 else k))
        if self.presentation:
            panel.set_presentation(True)
        return panel

    @property
    def panel(self):
        """The dock's gui.step.panel.StepPanel, built on first use."""
        return self.dock.content

    # -- public API ---------------------------------------------------------------------------------------
    @property
    def current(self) -> tuple[int, int] | None:
        return self.cursor.pos if self.cursor is not None and self.is_active else None

    def enter(self) -> None:
        if self.is_active:
            return
        self.is_active = True
        self._reset_cursor(keep=None)
        self.dock.show()
        self.refresh()
        self.zoom_to_current()

    def exit(self) -> None:
        self.pause()
        if not self.is_active:
            return
        self.is_active = False
        self.dock.hide()
        self.overlays.hide()
        self.readers.clear()
        self.controls.sync(False)

    def select(self, row: int, col: int) -> None:
        """Select convolved[row, col] (entering step mode if needed)."""
        if not self.is_active:
            self.enter()
        if self.cursor is None:
            raise engine.KernelscopeError("there is no image to step through")
        index = self.cursor.index_of(row, col)
        height, width = self.cursor.height, self.cursor.width
        if not (0 <= row < height and 0 <= col < width):
            raise engine.KernelscopeError(f"pixel ({row}, {col}) is outside the convolved image ({height}x{width})")
        self._margin = None if index is not None else (row, col)
        if index is not None:
            self.cursor.index = index
        self.refresh()
        self.zoom_to_current()

    def zoom_to_current(self, span: int | None = None) -> None:
        """Zoom the (linked) views onto the selected pixel so its kernel window is clearly visible."""
        if self.current is None:
            return
        if span is None:  # the window, dilation's gaps included, with room around it
            window = self._geometry().input_window(*(self._margin or self.current))
            span = 3 * max(*self.document.options.shape, window.height, window.width) + 4
        top, left, height, width = self._geometry().conv.cell(*(self._margin or self.current))
        self.views.input.view.setRange(QRectF(left + width / 2 - span / 2, top + height / 2 - span / 2, span, span),
                                       padding=0)

    def _geometry(self) -> engine.Geometry:
        return engine.Geometry.of(self.document.image.shape, self.document.options)

    def _follow(self, geometry: engine.Geometry) -> None:
        """While stepping, keep the current pixel in view (re-centre only when it leaves it)."""
        top, left, height, width = geometry.conv.cell(*(self._margin or self.current or (0, 0)))
        y, x = top + height / 2, left + width / 2
        view = self.views.input.view
        shown = view.viewRect()
        if not shown.contains(x, y):  # pan, keeping the zoom: the pixel comes to the centre
            view.translateBy(x=x - shown.center().x(), y=y - shown.center().y())
            # the views would apply the new range only when they start painting, and that change of
            # transform asks for a second paint of every view
            for panel in self.views.panels():
                panel.view.updateMatrix()

    def restore_position(self, pos: tuple[int, int]) -> None:
        try:
            self.select(*pos)
        except engine.KernelscopeError:
            pass

    def move(self, steps: int) -> None:
        if not self.is_active or self.cursor is None:
            return
        self._margin = None
        self.cursor.move(steps)
        self._first_tap()
        self.refresh()

    def home(self) -> None:
        if self.is_active and self.cursor is not None:
            self._margin = None
            self.cursor.home()
            self._first_tap()
            self.refresh()

    def end(self) -> None:
        if self.is_active and self.cursor is not None:
            self._margin = None
            self.cursor.end()
            self._first_tap()
            self.refresh()

    def play(self) -> None:
        if not self.is_active:
            self.enter()
        if self.cursor is None:
            return
        if self.cursor.at_end():
            self.cursor.home()
        self.playing = True
        self.controls.show_playing(True)
        self.playback.start()
        self.refresh()

    def pause(self) -> None:
        self.playing = False
        self.playback.stop()
        self.controls.show_playing(False)
        self.overlays.hide_dim()

    def toggle_play(self) -> None:
        self.pause() if self.playing else self.play()

    def set_presentation(self, on: bool) -> None:
        """Projector mode (the window has scaled the font): thicker outlines, the panel laid out again."""
        self.presentation = on
        if self.dock.built:  # else the panel is built in this mode
            self.panel.set_presentation(on)
        self.overlays.set_presentation(on)
        self.refresh()

    # -- behaviour ---------------------------------------------------------------------------------------
    def set_active(self, on: bool) -> None:
        self.enter() if on else self.exit()

    def row_length(self) -> int:
        """How far Up/Down move: one row of the pixels the computation visits."""
        if self.cursor is None:
            return 1
        return max(self.cursor.width - (2 if self.cursor.lab and self.cursor.height >= 3 else 0), 1)

    def _advance(self, steps: int) -> bool:
        """Play's frame: ``steps`` taps (tap by tap) or pixels on; False once the end is reached."""
        if self.cursor is None or not self.is_active:
            return False
        self._margin = None
        if self.tap is not None:
            moved = self._move_taps(steps)
            self.refresh()
            return moved and not (self.cursor.at_end() and self.tap == self.taps_per_pixel() - 1)
        moved = self.cursor.move(steps)
        self.refresh()
        return moved and not self.cursor.at_end()

    def _on_click(self, panel: str, row: int, col: int) -> None:
        if not self.is_active or self.document.image is None:
            return
        geometry = self._geometry()
        if panel == "input":  # the convolved pixel drawn on this input pixel
            row, col = geometry.conv.index_at(row + 0.5, col + 0.5)
        elif panel == "pooled" and geometry.pool is not None:  # the first pixel of its window
            window = geometry.pool_window(row, col)
            row, col = window.top, window.left
        height, width = geometry.conv_shape
        row, col = min(max(row, 0), height - 1), min(max(col, 0), width - 1)
        if height and width:
            self.select(row, col)

    def _on_inputs_changed(self) -> None:
        if self.is_active:
            keep = self.cursor.pos if self.cursor is not None else None
            self._reset_cursor(keep)
            self.refresh()

    def _reset_cursor(self, keep: tuple[int, int] | None) -> None:
        image = self.document.image
        self._margin = self._explained = None
        self._first_tap()  # a new kernel may have fewer taps
        if image is None:
            self.cursor = None
            return
        height, width = self.document.options.output_shape(*image.shape)
        self.cursor = StepCursor(height, width, self.document.options.lab)
        if keep is not None:
            index = self.cursor.index_of(min(keep[0], height - 1), min(keep[1], width - 1))
            if index is not None:
                self.cursor.index = index

    def refresh(self) -> None:
        """Recompute the explanation for the current pixel and redraw panel and overlays."""
        self.controls.sync(self.is_active)
        if not self.is_active or self.cursor is None or self.cursor.count == 0 and self._margin is None:
            self.overlays.hide()
            return
        image, options = self.document.image, self.document.options
        row, col = self._margin or self.cursor.pos
        try:
            if self.document.failure is not None:  # the views show older options: explain nothing
                raise engine.KernelscopeError(self.document.failure.message)
            explanation, pool = self._explain(row, col)
        except engine.KernelscopeError as e:
            self.panel.show_unavailable(str(e))
            self.overlays.hide()
            return
        self.panel.show_explanation(explanation, pool, options.shape, self.tap)
        geometry = engine.Geometry.of(image.shape, options)
        self.overlays.draw(geometry, row, col, pool, self.playing)
        self._show_focus(panel=self._hovered is not None)  # the panel has focused the tap itself
        self._follow(geometry)

    def _pool_explanation(self, row: int, col: int) -> engine.PoolExplanation | None:
        document = self.document
        options, image = document.options, document.image
        if options.pool is None or image is None:
            return None
        geometry = engine.Geometry.of(image.shape, options)
        conv_h, conv_w = geometry.conv_shape
        if options.lab and (conv_h % 2 or conv_w % 2):
            return None
        # the pooled pixel drawn over this one, if its window holds it (windows with size < stride do not)
        pr, pc = geometry.pooled.index_at(*geometry.conv.cell(row, col)[:2])
        if not geometry.pooled.holds(pr, pc) or not geometry.pool_window(pr, pc).contains(row, col):
            return None
        result = document.result
        convolved = None
        if result is not None and result.options == options and result.image is image:
            convolved = result.convolved
        return engine.explain_pool(image, options, pr, pc, convolved=convolved, channel=self._channel())

    def _channel(self) -> int:
        """The chosen feature map, or the last one the job makes (0 for one-channel jobs)."""
        document = self.document
        if self.channel == 0 or document.image is None or document.options.lab:
            return 0
        maps = out_channels(document.options, engine.channel_count(document.image))
        return min(self.channel, maps - 1)
