"""Step mode's controls: its actions (with their keys), the toolbar and the play-speed slider."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel, QSlider, QToolBar

from gui.menus import make_action

SPEEDS = (1, 2, 5, 10, 20, 50, 100, 200, 500)  # steps per second, slider positions


class StepControls:
    """The actions call ``mode``'s methods; ``sync(active)`` enables what only works while stepping."""

    def __init__(self, mode, parent):
        def act(text, slot, shortcut, tip, checkable=False):
            return make_action(parent, text, slot, shortcut, tip, checkable=checkable)

        self.toggle = act("Step through", mode.set_active, "F9",
                          "Step mode: click a pixel and see every multiply-and-sum", checkable=True)
        self.prev = act("◀ Previous", lambda: mode.move(-1), ("Left", "Backspace"), "Previous pixel")
        self.next = act("Next ▶", lambda: mode.move(1), ("Right", "N"), "Next pixel (raster order)")
        self.up = act("Row up", lambda: mode.move(-mode.row_length()), "Up", "Same column, previous row")
        self.down = act("Row down", lambda: mode.move(mode.row_length()), "Down", "Same column, next row")
        self.home = act("|◀ First", mode.home, "Home", "First pixel")
        self.end = act("Last ▶|", mode.end, "End", "Last pixel")
        self.play = act("▶ Play", mode.toggle_play, "Space", "Play/pause: slide the kernel over the image",
                        checkable=True)
        self.speed = QSlider(Qt.Orientation.Horizontal)
        self.speed.setRange(0, len(SPEEDS) - 1)
        self.speed.setValue(3)
        self.speed.setMaximumWidth(140)
        self.speed.setToolTip("Play speed, from 1 to 500 steps a second")
        self.speed_label = QLabel()
        self.speed.valueChanged.connect(self._speed_changed)
        self._speed_changed()
        self.toolbar = QToolBar("Step through", parent)
        self.toolbar.setObjectName("step_toolbar")
        self.toolbar.addAction(self.toggle)
        self.toolbar.addSeparator()
        for action in (self.home, self.prev, self.play, self.next, self.end):
            self.toolbar.addAction(action)
        self.toolbar.addWidget(self.speed)
        self.toolbar.addWidget(self.speed_label)
        self.toolbar.addSeparator()
        self.sync(False)

    @property
    def steps_per_second(self) -> int:
        return SPEEDS[self.speed.value()]

    def menu_actions(self) -> list:
        return [self.toggle, self.home, self.prev, self.next, self.up, self.down, self.end, self.play]

    def sync(self, active: bool) -> None:
        self.toggle.setChecked(active)
        for action in (self.prev, self.next, self.up, self.down, self.home, self.end):
            action.setEnabled(active)
        # Space only plays while stepping; outside step mode it belongs to the focused widget
        self.play.setShortcut(QKeySequence("Space") if active else QKeySequence())

    def show_playing(self, playing: bool) -> None:
        self.play.setChecked(playing)
        self.play.setText("‖ Pause" if playing else "▶ Play")

    def _speed_changed(self) -> None:
        self.speed_label.setText(f" {self.steps_per_second} steps/s ")
