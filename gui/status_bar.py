"""The window's status bar: one message, the value under the mouse, job progress with Cancel, the last job's
time, and the details of a job that failed because of a bug."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QLabel, QMessageBox, QProgressBar, QPushButton, QStatusBar

from engine.pixel_text import format_pixel

from gui.document import Document, ShownResult
from gui.text_labels import set_text_if_changed
from gui.worker import JobFailure

PROGRESS_DELAY_MS = 150  # quick jobs never flash a progress bar
TIME_ROOM = "last job 00000 ms"  # the widest job time the label makes room for


class StatusBar(QStatusBar):
    """Follows the document's jobs and the views' hover; ``show_message`` is the one place messages go."""

    def __init__(self, document: Document, views, parent=None):
        super().__init__(parent)
        self.document = document
        self.message_label = QLabel()
        self.hover_label = QLabel()
        self.hover_label.setMinimumWidth(220)
        self.time_label = QLabel()
        self.time_label.setToolTip("How long the last job took (convolve + pool, on the worker thread)")
        self._fix_time_width()
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setMaximumWidth(160)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel_job)
        self.details_button = QPushButton("Details...")
        self.details_button.clicked.connect(self._show_error_details)
        self._error_details = ""
        self._failure_message = ""  # the failed job's message, cleared by the next result if still shown
        self._refusal = ""  # a refused edit's reason, cleared when the options or the mode change if still shown
        self._hovered: tuple[str, int, int] | None = None
        self.addWidget(self.message_label, 1)
        for widget in (self.details_button, self.hover_label, self.progress, self.cancel_button, self.time_label):
            self.addPermanentWidget(widget)
        self._progress_timer = QTimer(self, singleShot=True, interval=PROGRESS_DELAY_MS)
        self._progress_timer.timeout.connect(self._show_progress)
        self._hide_progress()
        self.details_button.hide()

        document.jobStarted.connect(self._on_started)
        document.jobProgress.connect(lambda fraction: self.progress.setValue(int(fraction * 100)))
        document.resultReady.connect(self._on_result)
        document.jobFailed.connect(self._on_failed)
        document.idle.connect(self._hide_progress)
        document.refused.connect(self.show_refusal)
        document.optionsChanged.connect(self.drop_refusal)
        document.imageChanged.connect(self._show_hover)
        views.pixelHovered.connect(self._on_hover)

    def _fix_time_width(self) -> None:
        """The job time's label keeps one width: a text of another width after every job would lay out the
        status bar and then the whole window again."""
        metrics = self.time_label.fontMetrics()  # both sides fixed: only then does Qt skip the layout
        self.time_label.setFixedSize(metrics.horizontalAdvance(TIME_ROOM) + 8, metrics.height() + 2)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # presentation mode
            self._fix_time_width()

    def show_message(self, text: str, error: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet("color: #c62828; font-weight: bold;" if error and text else "")
        self.message_label.setToolTip(text)

    def show_refusal(self, why: str) -> None:
        """Why an edit was not applied; it goes when the options or the mode change (drop_refusal)."""
        self.show_message(why, error=True)
        self._refusal = why

    def drop_refusal(self, *_args) -> None:
        """The refusal no longer applies: clear it if it is still the message shown."""
        if self._refusal and self.message_label.text() == self._refusal:
            self.show_message("")
        self._refusal = ""

    def cancel_job(self) -> None:
        if self.document.cancel():
            self.show_message("Job cancelled; the views show the last finished result.")

    # -- jobs -----------------------------------------------------------------------------------------
    def _on_started(self) -> None:
        if not self._progress_timer.isActive() and not self.progress.isVisible():
            self._progress_timer.start()

    def _on_result(self, shown: ShownResult) -> None:
        self._progress_timer.stop()
        self.time_label.setText(f"last job {shown.result.seconds * 1000:.0f} ms")
        self.details_button.hide()
        if self._failure_message and self.message_label.text() == self._failure_message:
            self.show_message("")
        self._failure_message = ""
        self._show_hover()

    def _on_failed(self, failure: JobFailure) -> None:
        self._hide_progress()
        self._error_details = failure.details
        self.details_button.setVisible(failure.is_bug)
        self.show_message(failure.message, error=True)
        self._failure_message = failure.message

    def _show_progress(self) -> None:
        if self.document.is_busy():
            self.progress.setValue(0)
            self.progress.show()
            self.cancel_button.show()

    def _hide_progress(self) -> None:
        self._progress_timer.stop()
        self.progress.hide()
        self.cancel_button.hide()

    def _show_error_details(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "Job failed", self.message_label.text(), parent=self)
        box.setDetailedText(self._error_details)
        box.exec()

    # -- hover ------------------------------------------------------------------------------------------
    def _on_hover(self, panel: str, row: int, col: int) -> None:
        self._hovered = None if row < 0 else (panel, row, col)
        self._show_hover()

    def _show_hover(self) -> None:
        """The value under the mouse, read again from the document after every change."""
        data = None
        if self._hovered is not None:
            panel, row, col = self._hovered
            result = self.document.result
            data = {"input": self.document.image, "convolved": result and result.convolved,
                    "pooled": result and result.pooled}[panel]
        if data is None or not (row < data.shape[0] and col < data.shape[1]):
            set_text_if_changed(self.hover_label, "")  # after every result: the same text asks for a layout
            return
        set_text_if_changed(self.hover_label, f"{panel} [{row}, {col}] = {_number(data[row, col], data.dtype.kind)}")


#: the hover readout has room for more digits than a pixel's own label
HOVER_CHARS = 10


def _number(value, kind: str) -> str:
    if getattr(value, "ndim", 0):  # a pixel of several channels: each value, e.g. (200, 30, 60)
        return "(" + ", ".join(_number(v, kind) for v in value) + ")"
    return str(int(value)) if kind in "ui" else format_pixel(value, HOVER_CHARS)

