"""Everything that reads or writes a file for the window: open (dialog, drop, samples), save and copy
results, sessions. A file that cannot be read or written gets one message and changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

import engine
from gui import settings as app_settings
from gui.document import Document, Source
from gui.file_dialogs import ask_open_path, ask_save_path

IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.npy);;All files (*)"
RESULT_FILTER = "PNG image (*.png);;NumPy array, exact values (*.npy)"
SESSION_FILTER = "Kernelscope session (*.kscope.json *.json)"


class FileActions(QObject):
    """File actions on ``document``; dialogs are parented to ``parent``, messages go to ``say(text, error)``,
    and files dropped on ``parent`` are opened (it hands its drag and drop events here). Sessions also save
    and restore ``step`` mode's position and the name ``editor`` gives the kernel."""

    sessionOpening = Signal()  # a session replaces the window's state: modes it does not keep end first

    def __init__(self, document: Document, parent: QWidget, say: Callable[..., None], step, editor):
        super().__init__(parent)
        self.document, self.parent_widget, self.say = document, parent, say
        self.step, self.editor = step, editor
        parent.setAcceptDrops(True)

    def drag_entered(self, event) -> None:
        """Local files dragged onto the window are accepted (the window's dragEnterEvent)."""
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropped(self, event) -> None:
        """Local files dropped on the window are opened (the window's dropEvent)."""
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self.open_dropped(files)

    # -- images ---------------------------------------------------------------------------------------
    def choose_image(self, channels: str = "gray") -> None:
        path = ask_open_path(self.parent_widget, "Open image as RGB" if channels == "rgb" else "Open image",
                             IMAGE_FILTER)
        if path:
            self.open_image(path, channels)

    def open_image(self, path: str | Path, channels: str = "gray") -> bool:
        """Load an image file (as gray or RGB); on failure show one message and keep everything as it was."""
        try:
            try:
                image = engine.load_image(path, channels=channels)
            except engine.ImageTooLargeError as e:
                if e.factor is None:
                    raise
                answer = QMessageBox.question(
                    self.parent_widget, "Large image", f"{e}.\n\nOpen it downscaled 1:{e.factor} instead?",
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
                if answer != QMessageBox.StandardButton.Yes:
                    return False
                image = engine.load_image(path, downscale=True, channels=channels)
        except engine.KernelscopeError as e:
            QMessageBox.warning(self.parent_widget, "Cannot open image", str(e))
            return False
        except MemoryError:
            QMessageBox.warning(self.parent_widget, "Cannot open image",
                                f"{path}: not enough memory to open this image")
            return False
        app_settings.set_last_folder(path)
        self.document.set_image(image, Source(Path(path).name, path=str(Path(path).resolve())))
        return True

    def load_sample(self, name: str, channels: str = "gray") -> bool:
        try:
            image = engine.load_sample(name, channels)
        except engine.KernelscopeError as e:
            QMessageBox.warning(self.parent_widget, "Cannot open sample", str(e))
            return False
        colour = ", RGB" if channels == "rgb" else ""
        self.document.set_image(image, Source(f"{name} (built-in sample{colour})", sample=name))
        return True

    def open_dropped(self, files: list[str]) -> None:
        """A file dropped on the window: a session if it is JSON, else an image."""
        if files[0].lower().endswith(".json"):
            self.open_session(files[0])
        else:
            self.open_image(files[0])

    # -- results --------------------------------------------------------------------------------------
    def save_result_as(self, which: str) -> None:
        result = self.document.result
        if result is None or getattr(result, which) is None:
            QMessageBox.information(self.parent_widget, "Nothing to save", f"There is no {which} image yet.")
            return
        path = ask_save_path(self.parent_widget, f"Save {which} image", f"{which}.png", RESULT_FILTER)
        if path:
            self.save_result(which, path)

    def save_result(self, which: str, path: str | Path) -> bool:
        try:
            result = self.document.result
            engine.save_result(path, getattr(result, which), result.options.output_range)
        except (engine.KernelscopeError, OSError) as e:
            QMessageBox.warning(self.parent_widget, "Cannot save", str(e))
            return False
        app_settings.set_last_folder(path)
        self.say(f"Saved the {which} image to {path}")
        return True

    def copy_convolved(self) -> None:
        result = self.document.result
        if result is None:
            return
        data = np.ascontiguousarray(engine.to_display_uint8(result.convolved, result.options.output_range))
        height, width = data.shape
        image = QImage(data.data, width, height, width, QImage.Format.Format_Grayscale8).copy()
        QApplication.clipboard().setImage(image)
        self.say("Copied the convolved image to the clipboard")

    # -- sessions -------------------------------------------------------------------------------------
    def current_session(self) -> engine.Session:
        return self.document.session(self.step.current, self.editor.state.name or None)

    def save_session_as(self) -> None:
        path = ask_save_path(self.parent_widget, "Save session", "session.kscope.json", SESSION_FILTER)
        if path:
            self.save_session(path)

    def save_session(self, path: str | Path) -> bool:
        try:
            engine.save_session(path, self.current_session())
        except (engine.KernelscopeError, OSError) as e:
            QMessageBox.warning(self.parent_widget, "Cannot save session", str(e))
            return False
        self.say(f"Saved the session to {path}")
        return True

    def choose_session(self) -> None:
        path = ask_open_path(self.parent_widget, "Open session", SESSION_FILTER)
        if path:
            self.open_session(path)

    def open_session(self, path: str | Path) -> bool:
        try:
            session = engine.load_session(path)
        except engine.KernelscopeError as e:
            QMessageBox.warning(self.parent_widget, "Cannot open session", str(e))
            return False
        self.apply_session(session, announce=True)
        return True

    def apply_session(self, session: engine.Session, announce: bool = False) -> None:
        """Restore a session; if its image is gone, restore the rest and say so."""
        problem = None
        self.sessionOpening.emit()
        if session.pipeline is None:
            self.document.stack.deactivate()
        if session.sample:
            self.load_sample(session.sample, session.channels)
        elif session.image_path:
            try:
                image = engine.load_image(session.image_path, channels=session.channels)
                self.document.set_image(image, Source(Path(session.image_path).name, path=session.image_path))
            except engine.KernelscopeError as e:
                problem = f"The session's image could not be opened ({e}); kernel and options were restored."
        options = session.options
        self.document.set_options(options)
        if session.preset:  # the editor names the kernel as it was named, "(modified)" included
            self.editor.set_values(options.kernel_slice(0, 0), options.weight, options.offset_of(0), session.preset,
                                   "Open session")
        if session.step_pos is not None and self.document.image is not None:
            self.step.restore_position(session.step_pos)
        if session.pipeline is not None and not self.document.stack.activate(session.pipeline, session.chosen_layer):
            problem = "The session's layer stack cannot run on its image; kernel and options were restored."
        if problem:
            self.say(problem, error=True)
        elif announce:
            self.say("Session restored")
