"""The Kernel menu and the editor's transform buttons: rotate, flip and transpose the kernel, load and save it
as a file, and switch between correlation and true convolution. Each action edits the document; the engine
does the work (engine.kernel_transforms, engine.kernel_files) and a file that cannot be used gets one message
and changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QMenu, QToolButton, QWidget

import engine
from engine.kernel_files import load_kernel, save_kernel
from engine.kernel_transforms import TRANSFORMS
from gui import settings as app_settings
from gui.file_dialogs import ask_open_path, ask_save_path
from gui.menus import make_action

KERNEL_FILTER = "Kernel text (*.txt *.kernel);;NumPy array (*.npy);;All files (*)"
#: Menu text, button text and tip for each transform (engine.kernel_transforms names them).
TRANSFORM_TEXT = {
    "rotate clockwise": ("Rotate &clockwise", "\u21bb",
                         "Turn the kernel 90 degrees clockwise (Sobel x becomes Sobel y)"),
    "rotate counter-clockwise": ("Rotate c&ounter-clockwise", "\u21ba", "Turn the kernel 90 degrees counter-clockwise"),
    "flip horizontal": ("Flip &horizontally", "\u2194", "Mirror the kernel left to right"),
    "flip vertical": ("Flip &vertically", "\u2195", "Mirror the kernel top to bottom"),
    "transpose": ("&Transpose", "T", "Swap rows and columns (what the notebook's loop does to a kernel)"),
}


class KernelActions(QObject):
    """Kernel actions on ``document`` (an object with ``options``, ``change(**changes)`` and ``optionsChanged``);
    dialogs are parented to ``parent``, messages go to ``say(text, error=...)``."""

    def __init__(self, document, parent: QWidget, say: Callable[..., None]):
        super().__init__(parent)
        self.document, self.parent_widget, self.say = document, parent, say
        self.menu = QMenu("&Kernel", parent)
        self.transforms: dict[str, QAction] = {}
        for name, (text, _symbol, tip) in TRANSFORM_TEXT.items():
            self.transforms[name] = self._action(text, tip, lambda _=False, n=name: self.transform(n))
        self.menu.addSeparator()
        self._action("&Load kernel...", "Load a kernel from a text file (rows of numbers) or a .npy array",
                     self.choose_kernel_file)
        self._action("&Save kernel...", "Save the kernel as text (one row per line) or as a .npy array",
                     self.save_kernel_as)

    def _action(self, text: str, tip: str, slot) -> QAction:
        return make_action(self.parent_widget, text, slot, tip=tip, menu=self.menu)

    def button_row(self) -> QWidget:
        """A row of small buttons for the transforms, for under the kernel editor."""
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        for name, action in self.transforms.items():
            button = QToolButton()
            button.setDefaultAction(action)
            button.setText(TRANSFORM_TEXT[name][1])
            layout.addWidget(button)
        layout.addStretch(1)
        return row

    # -- transforms -----------------------------------------------------------------------------------
    def transform(self, name: str) -> bool:
        return self.document.change(kernel=TRANSFORMS[name](self.document.options.kernel))

    # -- files ----------------------------------------------------------------------------------------
    def choose_kernel_file(self) -> None:
        path = ask_open_path(self.parent_widget, "Load kernel", KERNEL_FILTER)
        if path:
            self.load_from(path)

    def load_from(self, path: str | Path) -> bool:
        """Use the kernel in a file (the weight and offset stay); on failure, one message and no change."""
        try:
            kernel = load_kernel(path)
        except engine.KernelscopeError as e:
            self.say(str(e), error=True)
            return False
        app_settings.set_last_folder(path)
        if not self.document.change(kernel=kernel):
            return False
        self.say(f"Loaded the {len(kernel)}x{len(kernel[0])} kernel from {Path(path).name}")
        return True

    def save_kernel_as(self) -> None:
        path = ask_save_path(self.parent_widget, "Save kernel", "kernel.txt", KERNEL_FILTER)
        if path:
            self.save_to(path)

    def save_to(self, path: str | Path) -> bool:
        try:
            save_kernel(path, self.document.options.kernel)
        except engine.KernelscopeError as e:
            self.say(str(e), error=True)
            return False
        app_settings.set_last_folder(path)
        self.say(f"Saved the kernel to {Path(path).name}")
        return True
