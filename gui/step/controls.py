"""Step mode's controls: its actions (with their keys), the toolbar and the play-speed slider."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel, QSlider, QToolBar

from gui.menus import make_action
from gui.shortcuts import KEYS_WHEN_ACTIVE

#: steps (taps or pixels) a second, slider positions; the top one sweeps 512x512 in under 5 s
SPEEDS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000, 20000, 60000)


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
        self.play.setProperty(KEYS_WHEN_ACTIVE, "Space (in step mode)")
        self.taps = act("Tap by tap", mode.set_tap_mode, "T", "Step through one pixel's products one at a time "
                        "(Play then goes tap by tap; T again: pixel by pixel)", checkable=True)
        self.next_tap = act("Next tap", mode.next_tap, ("Shift+Right", "."), "The next product of this pixel")
        self.prev_tap = act("Previous tap", mode.previous_tap, ("Shift+Left", ","), "The previous product")
        self.slower = act("Slower", lambda: self.speed.setValue(self.speed.value() - 1), "[", "Play slower")
        self.faster = act("Faster", lambda: self.speed.setValue(self.speed.value() + 1), "]", "Play faster")
        self.speed = QSlider(Qt.Orientation.Horizontal)
        self.speed.setRange(0, len(SPEEDS) - 1)
        self.speed.setValue(3)
        self.speed.setMaximumWidth(140)
        self.speed.setMinimumWidth(110)  # narrower, the toolbar moves it to its overflow (») instead of squashing it
        self.speed.setToolTip(f"Play speed, from 1 to {SPEEDS[-1]:,} steps (taps or pixels) a second")
        self.speed_label = QLabel()
        self.speed.valueChanged.connect(self._speed_changed)
        self._speed_changed()
        self.toolbar = QToolBar("Step through", parent)
        self.toolbar.setObjectName("step_toolbar")
        self.toolbar.addAction(self.toggle)
        self.toolbar.addSeparator()
        for action in (self.home, self.prev, self.play, self.next, self.end, self.taps):  # taps: the keys
            self.toolbar.addAction(action)
        self.toolbar.addWidget(self.speed)
        self.toolbar.addWidget(self.speed_label)
        self.toolbar.addSeparator()
        self.sync(False)

    @property
    def steps_per_second(self) -> int:
        return SPEEDS[self.speed.value()]

    def menu_actions(self) -> list:
        return [self.toggle, self.home, self.prev, self.next, self.up, self.down, self.end, self.play, None,
                self.taps, self.prev_tap, self.next_tap, None, self.slower, self.faster]

    def sync(self, active: bool) -> None:
        self.toggle.setChecked(active)
        for action in (self.prev, self.next, self.up, self.down, self.home, self.end, self.prev_tap, self.next_tap):
            action.setEnabled(active)
        # Space only plays while stepping; outside step mode it belongs to the focused widget
        self.play.setShortcut(QKeySequence("Space") if active else QKeySequence())

    def show_playing(self, playing: bool) -> None:
        self.play.setChecked(playing)
        self.play.setText("‖ Pause" if playing else "▶ Play")

    def show_tap_mode(self, on: bool) -> None:
        self.taps.setChecked(on)
        self._speed_changed()

    def _speed_changed(self) -> None:
        unit = "taps" if self.taps.isChecked() else "pixels"
        self.speed_label.setText(f" {self.steps_per_second:,} {unit}/s ")
