"""The window's export actions: Edit > Copy as code (NumPy, PyTorch, Keras), File > Export figure and
File > Export animation. Each reads the document; a file that cannot be written gets one message."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QInputDialog, QMenu, QMessageBox

import engine
from engine.codegen import FRAMEWORKS, pipeline_script, script
from gui import settings as app_settings
from gui.file_dialogs import ask_save_path
from gui.menus import make_action

FIGURE_FILTER = "PNG image (*.png);;SVG drawing (*.svg)"


class ExportActions(QObject):
    """Exports of ``window`` (its document, step mode and views); messages go to its status bar."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.document = window.document
        self.say = window.status.show_message

    def add_file_actions(self, file: QMenu) -> None:
        make_action(self.window, "Export &figure...", self.export_figure, tip="Input, convolved and pooled images "
                    "with the kernel and options as one picture (PNG or SVG)", menu=file)
        make_action(self.window, "Export &animation...", self.export_animation, tip="The step-through as an "
                    "animated GIF or PNG (MP4 with ffmpeg)", menu=file)

    def add_edit_actions(self, edit: QMenu) -> None:
        code = edit.addMenu("Copy as &code")
        code.setToolTipsVisible(True)
        for key, (name, *_) in FRAMEWORKS.items():
            make_action(self.window, name, lambda _=False, k=key: self.copy_code(k),
                        tip=f"Copy a {name} script that applies this kernel and these options (or the layer stack)", menu=code)

    # -- code -----------------------------------------------------------------------------------------
    def copy_code(self, framework: str) -> str | None:
        """Put the script on the clipboard: the layer stack's, when it is on, else the kernel and options'; it
        opens pictures the way the current image was opened."""
        image, stack = self.document.image, self.document.stack
        channels = "rgb" if image is not None and image.ndim == 3 else "gray"
        try:
            if stack.active:
                text = pipeline_script(stack.pipeline, framework, channels)
                usage = "python SCRIPT.py INPUT OUTPUT.npy [--save-layers DIR]"
            else:
                text = script(self.document.options, framework, channels)
                usage = "python SCRIPT.py INPUT OUTPUT.npy [POOLED.npy]"
        except engine.KernelscopeError as e:
            self.say(f"Cannot copy as code: {e}")
            return None
        QApplication.clipboard().setText(text)
        self.say(f"Copied a {FRAMEWORKS[framework][0]} script to the clipboard: run it as {usage}")
        return text

    # -- figure ---------------------------------------------------------------------------------------
    def current_result(self) -> engine.JobResult | None:
        """The result on screen if it is that of the current image and options, else None (with a message)."""
        if self.document.stack.active:  # the figure and step mode are the one-layer window's, hidden by the stack
            self.say("Figures and animations show the one-layer window's images and step mode: leave the layer "
                     "stack first (Layers > Layer stack)", error=True)
            return None
        if self.document.is_current:
            return self.document.result
        QMessageBox.information(self.window, "Nothing to export", "There is no up-to-date result yet: wait for "
                                "the job to finish, or change options that cannot run.")
        return None

    def export_figure(self) -> None:
        result = self.current_result()
        if result is None:
            return
        path = ask_save_path(self.window, "Export figure", "figure.png", FIGURE_FILTER)
        if not path:
            return
        if not Path(path).parent.resolve().is_dir():  # before asking the DPI, which would be asked for nothing
            QMessageBox.warning(self.window, "Cannot export figure",
                                f"{path}: the folder {Path(path).parent} does not exist")
            return
        from gui.export.figure import DEFAULT_DPI, DPI_RANGE  # with QtSvg: loaded when first used

        dpi = DEFAULT_DPI
        if path.lower().endswith(".png"):
            dpi, ok = QInputDialog.getInt(self.window, "Figure resolution", "Dots per inch:", DEFAULT_DPI,
                                          *DPI_RANGE)
            if not ok:
                return
        self.save_figure(path, dpi)

    def save_figure(self, path: str | Path, dpi: int | None = None) -> bool:
        """Save the figure (at ``dpi``, by default gui.export.figure's); False, with a message, if it cannot."""
        from gui.export.figure import DEFAULT_DPI, save_figure

        label = self.document.source.label if self.document.source else ""
        try:
            save_figure(path, self.document.result, label, DEFAULT_DPI if dpi is None else dpi)
        except (engine.KernelscopeError, OSError) as e:
            QMessageBox.warning(self.window, "Cannot export figure", str(e))
            return False
        app_settings.set_last_folder(path)
        self.say(f"Exported the figure to {path}")
        return True

    # -- animation ------------------------------------------------------------------------------------
    def export_animation(self) -> None:
        if self.current_result() is None:
            return
        from gui.export.animation_dialog import AnimationDialog

        AnimationDialog(self.window, self.say).exec()
