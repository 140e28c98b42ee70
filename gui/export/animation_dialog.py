"""File > Export animation: what to record (from the current pixel, or a sweep of the image), how many
frames, frame rate, size and file; progress and Cancel while it records and encodes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QProgressBar, QPushButton, QSpinBox, QVBoxLayout, QWidget)

import engine
from engine.animation import FPS_RANGE, MAX_FRAMES, WIDTH_RANGE, AnimationRequest, mp4_unavailable
from gui import settings as app_settings
from gui.export.animation import AnimationRecorder

KINDS = (("GIF", ".gif"), ("Animated PNG", ".png"), ("MP4 video", ".mp4"))


class AnimationDialog(QDialog):
    def __init__(self, window, say):
        super().__init__(window)
        self.window, self.say, self.recorder = window, say, None
        self.setWindowTitle("Export animation")
        form = QFormLayout()
        self.what = QComboBox()
        self.what.addItems(["Step through from the current pixel (or the first)", "Sweep the whole image",
                            "The taps of the current pixel (or the first), one by one"])
        self.steps = QSpinBox(minimum=1, maximum=MAX_FRAMES, value=30)
        self.every = QSpinBox(minimum=1, maximum=10 ** 6, value=1)
        self.fps = QSpinBox(minimum=FPS_RANGE[0], maximum=FPS_RANGE[1], value=4)
        self.width_box = QSpinBox(minimum=WIDTH_RANGE[0], maximum=WIDTH_RANGE[1], value=960, singleStep=80)
        self.kind = QComboBox()
        why = mp4_unavailable()
        for n, (name, _) in enumerate(KINDS):
            self.kind.addItem(name if not (why and name.startswith("MP4")) else f"{name} (needs ffmpeg)")
            if why and name.startswith("MP4"):
                item = self.kind.model().item(n)
                item.setEnabled(False)
                item.setToolTip(why)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.path = QLineEdit(str(Path(app_settings.last_folder()) / "kernelscope.gif"))
        browse = QPushButton("Browse...", clicked=self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path)
        row.addWidget(browse)
        path_row = QWidget()
        path_row.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)
        form.addRow("Record:", self.what)
        form.addRow("Frames:", self.steps)
        form.addRow("Pixels between frames:", self.every)
        form.addRow("Frames per second:", self.fps)
        form.addRow("Width in pixels:", self.width_box)
        form.addRow("Format:", self.kind)
        form.addRow("File:", path_row)
        self.what.currentIndexChanged.connect(lambda i: self.every.setEnabled(i == 0))
        self.note = QLabel(why or "")
        self.note.setWordWrap(True)
        self.bar = QProgressBar(maximum=1000, visible=False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.record = self.buttons.addButton("Record", QDialogButtonBox.ButtonRole.AcceptRole)
        self.record.clicked.connect(self.start)
        self.buttons.rejected.connect(self.cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.bar)
        layout.addWidget(self.buttons)

    def _kind_changed(self, index: int) -> None:
        path = Path(self.path.text())
        self.path.setText(str(path.with_suffix(KINDS[index][1])))

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export animation", self.path.text(),
                                              "Animations (*.gif *.png *.mp4)")
        if path:
            self.path.setText(path)

    def request(self) -> AnimationRequest:
        current = self.window.step_mode.current
        sweep, taps = self.what.currentIndex() == 1, self.what.currentIndex() == 2
        return AnimationRequest(steps=self.steps.value(), start=None if sweep else current, every=self.every.value(),
                                sweep=sweep, taps=taps, fps=float(self.fps.value()), width=self.width_box.value())

    def start(self) -> None:
        try:
            request = self.request()
        except engine.KernelscopeError as e:
            self.note.setText(str(e))
            return
        self.record.setEnabled(False)
        self.bar.setVisible(True)
        self.recorder = AnimationRecorder(self.window, request, self.path.text(), self)
        self.recorder.progress.connect(lambda f: self.bar.setValue(round(f * 1000)))
        self.recorder.finished.connect(self._finished)
        self.recorder.failed.connect(self._failed)
        self.recorder.cancelled.connect(self.reject)
        self.recorder.start()

    def cancel(self) -> None:
        if self.recorder is not None:
            self.recorder.cancel()  # closes the dialog once it has stopped
        else:
            self.reject()

    def _finished(self, path: str) -> None:
        app_settings.set_last_folder(path)
        self.say(f"Exported {self.recorder.total} frames to {path}")
        self.accept()

    def _failed(self, message: str) -> None:
        self.note.setText(f"Cannot export: {message}")
        self.record.setEnabled(True)
        self.bar.setVisible(False)
        self.recorder = None
