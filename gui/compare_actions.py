"""Compare mode's menu (View > Compare with) and its actions: how a user picks kernel A and enters the mode,
leaves it, steps through pixels and plays them (Space, at the speed of step mode's slider, which [ and ]
still set); step mode's own actions rest while compare mode has the views."""

from __future__ import annotations

from typing import Callable

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu

import engine
from gui.compare_mode import CompareMode
from gui.menus import make_action
from gui.shortcuts import KEYS_WHEN_ACTIVE


class CompareActions:
    """The ``menu`` (for the View menu) and the toolbar actions of ``mode``'s dock. ``user_presets()``: the
    user's own presets, listed after the built-in ones; ``step_controls``: step mode's, disabled meanwhile."""

    def __init__(self, mode: CompareMode, parent, user_presets: Callable[[], list] = list, step_mode=None):
        self.mode, self.parent, self.user_presets, self.step_mode = mode, parent, user_presets, step_mode
        self._stepping: tuple[int, int] | None = None  # step mode's pixel when compare mode was entered

        def act(text, slot, shortcut=None, tip="", checkable=False):
            return make_action(parent, text, slot, shortcut, tip, checkable=checkable, menu=self.menu)

        self.menu = QMenu("Compare &with", parent)
        self.menu.setToolTipsVisible(True)
        self.freeze = act("A = &current kernel (freeze it, then edit B)", mode.freeze, "F8",
                          "Keep the kernel as it is now as A; edit the kernel (B) and see A, B and A - B")
        self.presets = self.menu.addMenu("A = &preset")
        self.presets.setToolTipsVisible(True)
        self.presets.aboutToShow.connect(self._list_presets)
        self._list_presets()  # filled now too, so its actions exist before the menu is first opened
        self.file = act("A = kernel &file...", self.choose_file, None,
                        "A kernel from a text file (a,b;c,d or rows of numbers) or a .npy file")
        self.leave = act("&Leave compare mode", mode.leave, "Shift+F8", "Back to the input, convolved and pooled views")
        self.menu.addSeparator()
        self.largest = act("Go to the &largest difference", mode.go_to_largest, "G",
                           "Explain the pixel where A and B differ most")
        self.next_difference = act("&Next differing pixel", mode.go_to_next_difference, "D",
                                   "The next pixel (raster order) where A and B differ")
        self.prev = act("◀ Previous pixel", lambda: mode.move(-1), "Left", "A's and B's previous pixel")
        self.next = act("Next pixel ▶", lambda: mode.move(1), "Right", "A's and B's next pixel")
        self.up = act("Row up", lambda: mode.move_rows(-1), "Up", "Same column, previous row")
        self.down = act("Row down", lambda: mode.move_rows(1), "Down", "Same column, next row")
        self.play = act("▶ Play", mode.toggle_play, "Space", "Play/pause: walk A and B through the pixels "
                        "side by side (speed: step mode's slider, [ and ])", checkable=True)
        self.play.setProperty(KEYS_WHEN_ACTIVE, "Space (in compare mode)")
        self.while_active = (self.leave, self.largest, self.next_difference, self.prev, self.next, self.up, self.down,
                             self.play)
        # on the step dock's toolbar, once built (None: a separator)
        mode.toolbar_actions = (self.largest, self.prev, self.play, self.next, self.next_difference, None, self.leave)
        mode.playingChanged.connect(self._show_playing)
        mode.entered.connect(lambda: self._sync(True))
        mode.left.connect(lambda: self._sync(False))
        self._sync(False)

    def _list_presets(self) -> None:
        menu = self.presets
        menu.clear()
        for preset in engine.PRESETS:
            action = menu.addAction(preset.name)
            action.setToolTip(preset.description)
            action.triggered.connect(lambda _=False, p=preset: self.mode.compare_with_preset(p))
        user = self.user_presets()
        if user:
            menu.addSeparator()
            for preset in user:
                menu.addAction(f"{preset.name} (yours)").triggered.connect(
                    lambda _=False, p=preset: self.mode.compare_with_preset(p))

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.parent, "Kernel A", "", "Kernels (*.txt *.csv *.npy);;All files (*)")
        if path:
            self.mode.compare_with_file(path)

    def _show_playing(self, playing: bool) -> None:
        self.play.setChecked(playing)
        self.play.setText("‖ Pause" if playing else "▶ Play")

    def _sync(self, active: bool) -> None:
        for action in self.while_active:
            action.setEnabled(active)
        # Space only plays while comparing; otherwise it belongs to step mode or the focused widget
        self.play.setShortcut(QKeySequence("Space") if active else QKeySequence())
        if self.step_mode is None:
            return
        controls = self.step_mode.controls
        if active:
            self._stepping = self.step_mode.current  # back there on leaving
            self.step_mode.exit()  # its overlays and dock belong to the normal views
        for action in controls.menu_actions():
            if action is not None and action not in (controls.slower, controls.faster):  # they set Play's speed
                action.setEnabled(not active)
        if not active:
            controls.sync(self.step_mode.is_active)
            if self._stepping is not None:
                self.step_mode.restore_position(self._stepping)
            self._stepping = None


def attach_compare_mode(window) -> CompareMode:
    """Compare mode for the main window: its menu under View (``mode.actions``), its dock, presentation mode
    followed."""
    mode = CompareMode(window, window.document, window.views, window.status.show_message,
                       lambda: window.layer_panel.slice[1], window.dock_layout.schedule,
                       lambda: window.step_mode.controls.steps_per_second)
    actions = CompareActions(mode, window, lambda: window.presets.user_presets, window.step_mode)
    window.menus.view.addMenu(actions.menu)
    window.dock_layout.manage_below(mode.dock)
    window.menus.presentation.toggled.connect(mode.set_presentation)
    window.files.sessionOpening.connect(mode.leave)  # a session is one-layer window or stack, never compare
    mode.actions = actions
    return mode
