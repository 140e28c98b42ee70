"""The layer stack in the window: switches the centre between today's three views and the stack's views,
shows the layer strip and the layer step panel, and follows the StackDocument (results, refusals, the
chosen layer). A click on any view's pixel selects it: its receptive field (engine.receptive_field) is
outlined on every earlier view and the step panel explains it (engine.explain_layer_pixel).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDockWidget

import engine
from engine.pixel_text import format_pixel
from gui.docks import LazyDock
from gui.status_bar import HOVER_CHARS
from gui.stack_document import ShownStack, is_signed
from gui.stack_files import StackFiles, build_stack_menus
from gui.stack_views import StackViews, layer_title


#: From this window width the step dock sits right of the views; narrower, it is a tab over the side dock.
WIDE_WINDOW = 1400
STEP_WIDTH = 360


class StackMode(QObject):
    """Owns the stack's views, the strip dock and the step dock of ``window`` (a MainWindow)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.stack = stack = window.document.stack
        self.views = StackViews()
        self.views.hide()
        # the strip (gui.layer_strip) and the step panel (gui.stack_step) are built when first shown or used
        self.strip_dock = LazyDock("Layers (the chosen one is edited on the left)", "layer_strip_dock",
                                   self._build_strip, window, Qt.DockWidgetArea.TopDockWidgetArea)
        self.strip_dock.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
        self.step_dock = LazyDock("Layer pixel: how it is made", "stack_step_dock", self._build_panel, window)
        self.selected: tuple[int, int, int] | None = None  # view (0: input, k: layer k-1), row, col
        self.history: list[tuple[int, int, int]] = []  # where "go down" came from, for "back up"
        stack.activeChanged.connect(self._on_active)
        self._chosen: tuple[int, str] | None = None  # the layer the panels show (index, kind)
        stack.optionsChanged.connect(self._on_options)
        stack.resultReady.connect(self._show_result)
        stack.jobFailed.connect(lambda failure: window.status.show_message(failure.message, error=True))
        stack.refused.connect(self._on_refused)
        self.views.pixelClicked.connect(self.select)
        self.views.pixelHovered.connect(self._show_hover)
        self.views.mapChosen.connect(lambda _view, _map: self._redraw())
        window.menus.presentation.toggled.connect(self.views.set_presentation)
        for key, step in (("Left", (0, -1)), ("Right", (0, 1)), ("Up", (-1, 0)), ("Down", (1, 0))):
            shortcut = QShortcut(QKeySequence(key), self.views, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda s=step: self.step(*s))
        self.files = StackFiles(window, self)
        self.toggle = build_stack_menus(window, self, self.files)

    def _build_strip(self, dock: QDockWidget):
        from gui.layer_strip import LayerStrip

        strip = LayerStrip(self.stack)
        strip.show_pipeline(self.stack.pipeline)
        dock.setMaximumHeight(strip.sizeHint().height() + 24)  # a strip, not a share of the window
        return strip

    def _build_panel(self, _dock: QDockWidget):
        from gui.stack_step import StackStepPanel

        panel = StackStepPanel()
        panel.goDown.connect(self.go_down)
        panel.backUp.connect(self.back_up)
        panel.termChosen.connect(lambda target: self.views.focus_term(None if target is None else target[:2]))
        return panel

    @property
    def strip(self):
        """The layer strip (gui.layer_strip.LayerStrip), built on first use."""
        return self.strip_dock.content

    @property
    def panel(self):
        """The layer step panel (gui.stack_step.StackStepPanel), built on first use."""
        return self.step_dock.content

    # -- on and off -----------------------------------------------------------------------------------
    def set_active(self, on: bool) -> None:
        self.stack.activate() if on else self.stack.deactivate()

    def _on_active(self, on: bool) -> None:
        window = self.window
        window.status.drop_refusal()  # what the other mode refused no longer applies
        for user in (window.kernel_actions, window.presets):  # kernel actions and presets edit the chosen layer
            user.document = self.stack if on else window.document
        if on:
            window.compare.leave()  # the stack's views take the centre, its layer the editor
            window.step_mode.exit()
            window.show_views(self.views)
            self.strip_dock.show()
        else:
            window.show_views(None)
            self.strip_dock.hide()
            self.step_dock.hide()
            self.selected, self.history = None, []
            window.editor.setEnabled(True)
            window.layer_panel.setEnabled(True)
            self._chosen = None
            window.options_panel.set_stack_layer(None)
            window.panels.show_options(window.document.options, again=True)
        self.views.setVisible(on)
        window.views.setVisible(not on)
        controls = window.step_mode.controls  # today's step mode steps today's views: the stack has its own
        for action in (controls.toggle, controls.play, controls.taps):
            action.setEnabled(not on)
        self.toggle.setChecked(on)

    # -- following the document -------------------------------------------------------------------------
    def show_chosen(self, options: engine.JobOptions, again: bool = True) -> None:
        """The chosen layer in the editor and options panel: a conv layer's kernel and options, a pool
        layer's pooling row; what the layer does not have is shown disabled. ``again`` False: only what an
        edit of the same layer changes (the panels relayout otherwise on every kernel step)."""
        window, kind = self.window, self.stack.layer.kind
        if again:  # first: showing the options enables what this kind of layer has, from what it says
            window.options_panel.set_stack_layer(kind)
        window.editor.blockSignals(True)  # showing a layer is not editing it (a new kernel size re-emits)
        try:
            window.panels.show_options(options, again=again)
        finally:
            window.editor.blockSignals(False)
        if again:
            window.editor.setEnabled(kind == "conv")
            window.layer_panel.setEnabled(kind == "conv")

    def _on_options(self, options: engine.JobOptions) -> None:
        chosen = (self.stack.chosen, self.stack.layer.kind)
        if chosen != self._chosen and self.step_dock in self.window.tabifiedDockWidgets(self.window.side_dock):
            self.window.side_dock.raise_()  # another layer chosen: its kernel and options come to the front
        self.show_chosen(options, again=chosen != self._chosen)
        self._chosen = chosen
        self.window.status.drop_refusal()

    def _on_refused(self, why: str) -> None:
        self.window.status.show_refusal(why)
        if self.stack.active:
            self.show_chosen(self.stack.options)

    def _show_result(self, shown: ShownStack) -> None:
        pipeline, outputs = shown.pipeline, shown.outputs
        self.views.set_count(len(outputs) + 1)
        image = shown.result.image
        first = self.views.cell(0)
        if first.array is not image:
            first.show_array(image, None, False, "Input", image.shape, colour=True)
        for index, output in enumerate(outputs):
            cell = self.views.cell(index + 1)
            if cell.array is output:
                continue  # a layer before the edited one: the same array, nothing to paint again
            cell.show_array(output, shown.levels[index], is_signed(pipeline, index),
                            layer_title(index, pipeline.layers[index]), output.shape)
        self.views.arrange()  # layers with several maps show thumbnails, which take room in their cells
        seconds = sum(shown.result.seconds[shown.result.start:])  # the layers this job ran
        self.window.status.time_label.setText(f"last job {seconds * 1000:.0f} ms")
        if self.selected is not None and self.selected[0] > len(outputs):
            self.selected = None
        self._redraw()

    def _show_hover(self, view: int, row: int, col: int) -> None:
        """The value under the mouse in the status bar, as the engine formats pixels."""
        cell = self.views.cell(view)
        if row < 0 or cell.array is None:
            self.window.status.hover_label.setText("")
            return
        value = cell.array[row, col] if cell.array.ndim == 2 or cell.is_colour else cell.array[row, col, cell.channel]
        name = "input" if view == 0 else f"layer {view}" + (f" map {cell.channel}" if cell.array.ndim == 3 else "")
        text = (", ".join(format_pixel(v, HOVER_CHARS) for v in value) if getattr(value, "ndim", 0)
                else format_pixel(value, HOVER_CHARS))
        self.window.status.hover_label.setText(f"{name} [{row}, {col}] = {text}")

    # -- selecting pixels ---------------------------------------------------------------------------------
    def select(self, view: int, row: int, col: int) -> None:
        """Select pixel (row, col) of ``view`` (0: the input, k: layer k-1's output)."""
        self.selected = (view, row, col)
        self.history = []
        self._redraw()
        if view > 0:
            self._place_step_dock()

    def _place_step_dock(self) -> None:
        """Right of the views where they keep room beside it, else a tab over the kernel and options (a
        click on a layer in the strip brings those back)."""
        window = self.window
        wide = window.width() >= WIDE_WINDOW
        if wide and window.dockWidgetArea(self.step_dock) != Qt.DockWidgetArea.RightDockWidgetArea:
            window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.step_dock)
        elif not wide and self.step_dock not in window.tabifiedDockWidgets(window.side_dock):
            window.tabifyDockWidget(window.side_dock, self.step_dock)
        # on the right, room for a term's four columns; as a tab, the side dock's width
        self.step_dock.setMinimumWidth(STEP_WIDTH if wide else 0)
        window.dock_layout.schedule()
        self.step_dock.show()
        self.step_dock.raise_()

    def _redraw(self) -> None:
        """Outline the selected pixel's receptive field and explain it, from the result shown now."""
        shown = self.stack.shown
        if self.selected is None or shown is None or not self.stack.is_current:
            self.views.outline(None)
            failure = self.stack.failure
            self.panel.show_unavailable("click a pixel of any layer" if self.selected is None
                                        else failure.message if failure is not None
                                        else "the layers are being computed")
            return
        view, row, col = self.selected
        if view == 0:
            self.views.outline(0, row, col)
            self.panel.show_unavailable(f"input[{row}, {col}]: a pixel of the image itself, made by no layer",
                                        can_go_up=bool(self.history))
            return
        layer = view - 1
        try:
            fields = engine.receptive_field(shown.pipeline, shown.result.image.shape, layer, row, col)
        except engine.KernelscopeError as e:
            fields = ()
            self.window.status.show_message(str(e), error=True)
        self.views.outline(view, row, col, fields)
        channel = self.views.cell(view).channel  # the map its view shows
        try:
            explanation = engine.explain_layer_pixel(shown.result.image, shown.pipeline, shown.result, layer,
                                                     row, col, channel)
        except engine.KernelscopeError as e:
            self.panel.show_unavailable(str(e))
            return
        self.panel.show_explanation(layer, shown.pipeline.layers[layer], explanation, channel, bool(self.history))

    def step(self, rows: int, cols: int) -> None:
        """Move the selected pixel within its layer (the arrow keys over the views), staying on the image."""
        if self.selected is None or self.views.cell(self.selected[0]).array is None:
            return
        view, row, col = self.selected
        height, width = self.views.cell(view).array.shape[:2]
        self.select(view, min(max(row + rows, 0), height - 1), min(max(col + cols, 0), width - 1))

    def go_down(self, row: int, col: int, channel: int) -> None:
        """Follow a term down: select the pixel of the layer below that it reads (showing its map)."""
        if self.selected is None or self.selected[0] == 0:
            return
        self.history.append(self.selected)
        view = self.selected[0] - 1
        self.selected = (view, row, col)
        cell = self.views.cell(view)
        if cell.channel != channel and view > 0:
            cell.set_map(channel)  # redraws through mapChosen
        else:
            self._redraw()

    def back_up(self) -> None:
        if self.history:
            self.selected = self.history.pop()
            self._redraw()
