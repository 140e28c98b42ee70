"""Step-through teaching mode: select an output pixel, see its kernel window and its arithmetic.

The window creates one StepMode; it adds a toolbar, a Step menu, a dock with the StepPanel and overlays on
the three views. Every number comes from engine.explain_pixel / explain_pool, computed per pixel, so a step
costs the same on any image size.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QRectF, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QLabel, QSlider, QToolBar

import engine
from gui.step_cursor import StepCursor
from gui.step_overlays import StepOverlays
from gui.step_panel import StepPanel

SPEEDS = (1, 2, 5, 10, 20, 50, 100, 200, 500)  # steps per second, slider positions
TICK_MS = 16


class StepMode(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.is_active = False
        self.playing = False
        self.cursor: StepCursor | None = None
        self.presentation = False
        self.panel = StepPanel()
        self.dock = QDockWidget("Step through: how this pixel is made", window)
        self.dock.setObjectName("step_dock")
        self.dock.setWidget(self.panel)
        self.dock.setMinimumWidth(420)
        self._fitted_for: tuple[int, int] | None = None  # the kernel shape the dock was last fitted to
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.hide()
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self._budget = 0.0
        self._margin: tuple[int, int] | None = None  # a lab-mode margin pixel the loop never visits
        self._build_actions()
        self.overlays = StepOverlays(window.views)
        window.views.pixelClicked.connect(self._on_click)
        window.optionsChanged.connect(lambda _o: self._on_inputs_changed())
        window.imageChanged.connect(self._on_inputs_changed)
        window.resultShown.connect(lambda _r: self.refresh())

    # -- set-up ---------------------------------------------------------------------------------------
    def _build_actions(self) -> None:
        w = self.window

        def action(text, slot, shortcut, tip, checkable=False):
            a = QAction(text, w)
            a.setShortcuts([QKeySequence(s) for s in shortcut] if isinstance(shortcut, tuple) else [QKeySequence(shortcut)])
            a.setToolTip(f"{tip} ({QKeySequence(shortcut[0] if isinstance(shortcut, tuple) else shortcut).toString()})")
            a.setStatusTip(tip)
            a.setCheckable(checkable)
            a.triggered.connect(slot)
            w.addAction(a)
            return a

        self.toggle_action = action("Step through", self._toggled, "F9",
                                    "Step mode: click a pixel and see every multiply-and-sum", checkable=True)
        self.prev_action = action("◀ Previous", lambda: self.move(-1), ("Left", "Backspace"), "Previous pixel")
        self.next_action = action("Next ▶", lambda: self.move(1), ("Right", "N"), "Next pixel (raster order)")
        self.up_action = action("Row up", lambda: self.move(-self._row_length()), "Up", "Same column, previous row")
        self.down_action = action("Row down", lambda: self.move(self._row_length()), "Down", "Same column, next row")
        self.home_action = action("|◀ First", self.home, "Home", "First pixel")
        self.end_action = action("Last ▶|", self.end, "End", "Last pixel")
        self.play_action = action("▶ Play", self.toggle_play, "Space", "Play/pause: slide the kernel over the image",
                                  checkable=True)
        self.presentation_action = action("Presentation", lambda on: self.window.set_presentation(on), "F10",
                                          "Large text and high-contrast outlines for projectors", checkable=True)
        self.speed = QSlider(Qt.Orientation.Horizontal)
        self.speed.setRange(0, len(SPEEDS) - 1)
        self.speed.setValue(3)
        self.speed.setMaximumWidth(140)
        self.speed.setToolTip("Play speed, from 1 to 500 steps a second")
        self.speed_label = QLabel()
        self.speed.valueChanged.connect(self._speed_changed)
        self._speed_changed()
        self.toolbar = QToolBar("Step through", w)
        self.toolbar.setObjectName("step_toolbar")
        self.toolbar.addAction(self.toggle_action)
        self.toolbar.addSeparator()
        for a in (self.home_action, self.prev_action, self.play_action, self.next_action, self.end_action):
            self.toolbar.addAction(a)
        self.toolbar.addWidget(self.speed)
        self.toolbar.addWidget(self.speed_label)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.presentation_action)
        w.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        menu = w.menuBar().addMenu("&Step")
        for a in (self.toggle_action, self.home_action, self.prev_action, self.next_action, self.up_action,
                  self.down_action, self.end_action, self.play_action, self.presentation_action):
            menu.addAction(a)
        # the Help menu stays last
        help_action = next((a for a in w.menuBar().actions() if a.text() == "&Help"), None)
        if help_action is not None:
            w.menuBar().removeAction(help_action)
            w.menuBar().addAction(help_action)
        self._sync_actions()

    # -- public API ---------------------------------------------------------------------------------------
    @property
    def current(self) -> tuple[int, int] | None:
        return self.cursor.pos if self.cursor is not None and self.is_active else None

    def enter(self) -> None:
        if self.is_active:
            return
        self.is_active = True
        self.toggle_action.setChecked(True)
        self._reset_cursor(keep=None)
        self.dock.show()
        self.refresh()
        self.zoom_to_current()

    def exit(self) -> None:
        self.pause()
        if not self.is_active:
            return
        self.is_active = False
        self.toggle_action.setChecked(False)
        self.dock.hide()
        self.overlays.hide()
        self._fitted_for = None
        self._sync_actions()

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
        if span is None:
            span = 3 * max(self.window.options.shape) + 4
        row, col = self._margin or self.current
        oy, ox = StepOverlays.origin(self.window.options)
        self.window.views.input.view.setRange(QRectF(ox + col - span / 2, oy + row - span / 2, span, span),
                                              padding=0)

    def _follow(self) -> None:
        """While stepping, keep the current pixel in view (re-centre only when it leaves it)."""
        row, col = self._margin or self.current or (0, 0)
        oy, ox = StepOverlays.origin(self.window.options)
        view = self.window.views.input.view
        shown = view.viewRect()
        if not shown.contains(ox + col + 0.5, oy + row + 0.5):
            # pan, keeping the zoom: the pixel comes to the centre
            view.translateBy(x=ox + col + 0.5 - shown.center().x(), y=oy + row + 0.5 - shown.center().y())

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
        self.refresh()

    def home(self) -> None:
        if self.is_active and self.cursor is not None:
            self._margin = None
            self.cursor.home()
            self.refresh()

    def end(self) -> None:
        if self.is_active and self.cursor is not None:
            self._margin = None
            self.cursor.end()
            self.refresh()

    def play(self) -> None:
        if not self.is_active:
            self.enter()
        if self.cursor is None:
            return
        if self.cursor.at_end():
            self.cursor.home()
        self.playing = True
        self._budget = 0.0
        self.play_action.setChecked(True)
        self.play_action.setText("‖ Pause")
        self.timer.start()
        self.refresh()

    def pause(self) -> None:
        self.playing = False
        self.timer.stop()
        self.play_action.setChecked(False)
        self.play_action.setText("▶ Play")
        self.overlays.hide_dim()

    def toggle_play(self) -> None:
        self.pause() if self.playing else self.play()

    def set_presentation(self, on: bool) -> None:
        self.presentation = on
        self.presentation_action.setChecked(on)
        self.panel.set_presentation(on)
        self.overlays.set_presentation(on)
        self.dock.setMinimumWidth(520 if on else 420)
        self.window.resizeDocks([self.dock], [520 if on else 420], Qt.Orientation.Horizontal)
        self._fitted_for = None  # fit again in the new font
        self.refresh()

    # -- behaviour ---------------------------------------------------------------------------------------
    def _toggled(self, checked: bool) -> None:
        self.enter() if checked else self.exit()

    def _speed_changed(self) -> None:
        self.speed_label.setText(f" {SPEEDS[self.speed.value()]} steps/s ")

    def _row_length(self) -> int:
        if self.cursor is None:
            return 1
        return max(self.cursor.width - (2 if self.cursor.lab and self.cursor.height >= 3 else 0), 1)

    def _tick(self) -> None:
        if self.cursor is None:
            self.pause()
            return
        self._budget += SPEEDS[self.speed.value()] * TICK_MS / 1000.0
        steps = int(self._budget)
        if steps:
            self._budget -= steps
            self._margin = None
            if not self.cursor.move(steps) or self.cursor.at_end():
                self.refresh()
                self.pause()
                return
            self.refresh()

    def _on_click(self, panel: str, row: int, col: int) -> None:
        if not self.is_active or self.window.image is None:
            return
        options = self.window.options
        if panel == "input" and options.border == "valid" and not options.lab:
            kh, kw = options.shape
            row, col = row - (kh - 1) // 2, col - (kw - 1) // 2
        elif panel == "pooled" and options.pool is not None:
            row, col = row * options.pool.step, col * options.pool.step
        height, width = options.output_shape(*self.window.image.shape)
        row, col = min(max(row, 0), height - 1), min(max(col, 0), width - 1)
        if height and width:
            self.select(row, col)

    def _on_inputs_changed(self) -> None:
        if self.is_active:
            keep = self.cursor.pos if self.cursor is not None else None
            self._reset_cursor(keep)
            self.refresh()

    def _reset_cursor(self, keep: tuple[int, int] | None) -> None:
        image = self.window.image
        self._margin = None
        if image is None:
            self.cursor = None
            return
        height, width = self.window.options.output_shape(*image.shape)
        self.cursor = StepCursor(height, width, self.window.options.lab)
        if keep is not None:
            index = self.cursor.index_of(min(keep[0], height - 1), min(keep[1], width - 1))
            if index is not None:
                self.cursor.index = index

    def _sync_actions(self) -> None:
        for a in (self.prev_action, self.next_action, self.up_action, self.down_action, self.home_action,
                  self.end_action):
            a.setEnabled(self.is_active)
        # Space only plays while stepping; outside step mode it belongs to the focused widget
        self.play_action.setShortcut(QKeySequence("Space") if self.is_active else QKeySequence())

    def refresh(self) -> None:
        """Recompute the explanation for the current pixel and redraw panel and overlays."""
        self._sync_actions()
        if not self.is_active or self.cursor is None or self.cursor.count == 0 and self._margin is None:
            self.overlays.hide()
            return
        window = self.window
        image, options = window.image, window.options
        row, col = self._margin or self.cursor.pos
        try:
            explanation = engine.explain_pixel(image, options, row, col)
            pool = self._pool_explanation(row, col)
        except engine.KernelscopeError as e:
            window.show_message(str(e), error=True)
            return
        self.panel.show_explanation(explanation, pool, options.shape)
        if options.shape != self._fitted_for and self.window.fit_dock(self.dock, self.panel.scroll, 0.5):
            self._fitted_for = options.shape  # a new kernel size: the dock grew to show the grids
        self.overlays.draw(image.shape, options, row, col, pool, self.playing)
        self._follow()

    def _pool_explanation(self, row: int, col: int) -> engine.PoolExplanation | None:
        window = self.window
        options = window.options
        if options.pool is None or window.image is None:
            return None
        conv_h, conv_w = options.output_shape(*window.image.shape)
        if options.lab and (conv_h % 2 or conv_w % 2):
            return None
        out_h, out_w = options.pool.output_shape(conv_h, conv_w)
        step, size = options.pool.step, options.pool.size
        pr, pc = row // step, col // step
        if pr >= out_h or pc >= out_w or row - pr * step >= size or col - pc * step >= size:
            return None
        result = window.result
        convolved = None
        if result is not None and result.options == options and result.image is window.image:
            convolved = result.convolved
        return engine.explain_pool(window.image, options, pr, pc, convolved=convolved)
