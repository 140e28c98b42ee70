"""The main window: kernel editor and options on the left, input/convolved/pooled views in the middle.

Every change of kernel, options or image starts a job on the worker thread; results appear when ready.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEventLoop, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QImage, QKeySequence
from PySide6.QtWidgets import (QApplication, QDockWidget, QFileDialog, QGroupBox, QHBoxLayout, QInputDialog, QLabel,
                               QMainWindow, QMenu, QMessageBox, QProgressBar, QPushButton, QScrollArea,
                               QToolButton, QVBoxLayout, QWidget)

import engine
from gui import settings as app_settings
from gui.image_views import ImageViews
from gui.kernel_editor import KernelEditor, KernelState
from gui.options_panel import OptionsPanel
from gui.worker import JobRunner

IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.npy);;All files (*)"
RESULT_FILTER = "PNG image (*.png);;NumPy array, exact values (*.npy)"
SESSION_FILTER = "Kernelscope session (*.kscope.json *.json)"
PROGRESS_DELAY_MS = 150


class MainWindow(QMainWindow):
    resultShown = Signal(object)  # engine.JobResult, right after the views show it
    optionsChanged = Signal(object)  # engine.JobOptions
    imageChanged = Signal()

    def __init__(self, restore: bool = True, persist: bool = True):
        super().__init__()
        self.persist = persist  # save settings and the session on close (off for screenshots and tests)
        self.setWindowTitle("Kernelscope")
        self.setAcceptDrops(True)
        self.image: np.ndarray | None = None
        self.image_path: str | None = None
        self.sample: str | None = None
        self.options = engine.JobOptions()
        self.result: engine.JobResult | None = None
        self.user_presets: list[engine.Preset] = []
        self._submitted_at = 0.0

        self.views = ImageViews()
        self.runner = JobRunner(self, prepare=self.views.prepare_levels)
        self.setCentralWidget(self.views)
        self.editor = KernelEditor()
        self.options_panel = OptionsPanel()
        self._build_side_panel()
        self._build_status_bar()
        self._build_menus()

        self.editor.stateChanged.connect(lambda _state: self._rebuild_options())
        self.editor.stateChanged.connect(self._fit_side_dock)
        self._side_fitted_for: tuple[int, int] | None = None
        self.editor.message.connect(lambda text: self.show_message(text, error=True))
        self.options_panel.changed.connect(self._rebuild_options)
        self.runner.started.connect(self._on_job_started)
        self.runner.progress.connect(self._on_job_progress)
        self.runner.finished.connect(self._on_job_finished)
        self.runner.failed.connect(self._on_job_failed)
        self.runner.idle.connect(self._hide_progress)
        self.views.pixelHovered.connect(self._on_hover)

        self._load_user_presets()
        self.options_panel.set_values(self.options)
        self._rebuild_options(submit=False)
        if restore:
            self._restore_settings()
        from gui.step_mode import StepMode

        self.step_mode = StepMode(self)

    # -- layout ----------------------------------------------------------------------------------
    def _build_side_panel(self) -> None:
        side = QWidget()
        layout = QVBoxLayout(side)
        kernel_box = QGroupBox("Kernel")
        kernel_layout = QVBoxLayout(kernel_box)
        kernel_layout.addWidget(self.editor)
        buttons = QHBoxLayout()
        self.presets_button = QToolButton()
        self.presets_button.setText("Presets")
        self.presets_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.presets_menu = QMenu("&Presets", self)
        self.presets_button.setMenu(self.presets_menu)
        reset = QPushButton("Reset")
        reset.setToolTip("Back to the notebook's filter (-1,-2,-1 / 0,0,0 / 1,2,1), weight 1.")
        reset.clicked.connect(self.editor.reset)
        buttons.addWidget(self.presets_button)
        buttons.addWidget(reset)
        buttons.addStretch(1)
        kernel_layout.addLayout(buttons)
        options_box = QGroupBox("Options")
        QVBoxLayout(options_box).addWidget(self.options_panel)
        layout.addWidget(kernel_box)
        layout.addWidget(options_box)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(side)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.side_dock = QDockWidget("Kernel and options", self)
        self.side_dock.setObjectName("side_dock")
        self.side_dock.setWidget(scroll)
        self.side_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                                   | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.side_dock)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self._fit_side_dock)  # a restored 7x7 kernel gets room at once

    def _fit_side_dock(self, _state=None) -> None:
        shape = self.options.shape
        if shape != self._side_fitted_for and self.fit_dock(self.side_dock, self.side_dock.widget(), 0.3):
            self._side_fitted_for = shape

    def fit_dock(self, dock: QDockWidget, scroll: QScrollArea, share: float) -> bool:
        """Widen ``dock`` so the content of its ``scroll`` area fits without a horizontal scrollbar, up to
        ``share`` of the window (a bigger kernel's grids); never narrows it (the user may have widened it on
        purpose) and leaves it alone when the content fits. False if the dock is not on screen yet."""
        if not dock.isVisible():
            return False
        QApplication.sendPostedEvents()  # pending layout requests, so the size hint is current
        missing = scroll.widget().sizeHint().width() - scroll.viewport().width()
        if missing > 0:
            margin = scroll.verticalScrollBar().sizeHint().width() + 8  # room for a vertical scrollbar too
            want = min(dock.width() + missing + margin, int(self.width() * share))
            if want > dock.width():
                self.resizeDocks([dock], [want], Qt.Orientation.Horizontal)
        return True

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.message_label = QLabel()
        self.hover_label = QLabel()
        self.hover_label.setMinimumWidth(220)
        self.time_label = QLabel()
        self.time_label.setToolTip("How long the last job took (convolve + pool, on the worker thread)")
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setMaximumWidth(160)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel_job)
        self.details_button = QPushButton("Details...")
        self.details_button.clicked.connect(self._show_error_details)
        self._error_details = ""
        bar.addWidget(self.message_label, 1)
        bar.addPermanentWidget(self.details_button)
        bar.addPermanentWidget(self.hover_label)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        bar.addPermanentWidget(self.time_label)
        self._progress_timer = QTimer(self, singleShot=True, interval=PROGRESS_DELAY_MS)
        self._progress_timer.timeout.connect(self._show_progress)
        self._hide_progress()
        self.details_button.hide()

    def _action(self, menu: QMenu, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        self._action(file, "&Open image...", self.choose_image, QKeySequence.StandardKey.Open,
                     "Open a PNG, JPEG, BMP, TIFF or .npy image (colour becomes gray)")
        samples = file.addMenu("&Samples")
        for n, name in enumerate(engine.sample_names(), start=1):
            self._action(samples, name, lambda _=False, s=name: self.load_sample(s), f"Ctrl+{n}",
                         f"The built-in {name} image")
        file.addSeparator()
        self._action(file, "Open &session...", self.choose_session, "Ctrl+Shift+O")
        self._action(file, "Save s&ession...", self.save_session_as, "Ctrl+Shift+S")
        file.addSeparator()
        self._action(file, "Save &convolved image...", lambda: self.save_result_as("convolved"), QKeySequence.StandardKey.Save)
        self._action(file, "Save &pooled image...", lambda: self.save_result_as("pooled"), "Ctrl+Alt+S")
        self._action(file, "Cop&y convolved image", self.copy_convolved, "Ctrl+Shift+C")
        file.addSeparator()
        self._action(file, "&Quit", self.close, "Ctrl+Q")  # StandardKey.Quit is empty on Windows

        edit = bar.addMenu("&Edit")
        undo = self.editor.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.editor.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        edit.addAction(undo)
        edit.addAction(redo)
        edit.addSeparator()
        self._action(edit, "Reset &kernel", self.editor.reset, "Ctrl+R")
        self._action(edit, "&Normalize weight", self.editor.normalize_weight, "Ctrl+N",
                     "weight = 1 / sum of the kernel")
        edit.addMenu(self.presets_menu)
        self._action(edit, "Save kernel as preset...", self.save_user_preset)
        self._action(edit, "Cancel job", self.cancel_job, "Esc")

        self.view_menu = bar.addMenu("&View")
        self._action(self.view_menu, "&Fit images", self.views.fit, "Ctrl+0")
        self.histogram_action = self._action(self.view_menu, "Show &histograms/levels", self._toggle_histograms, "Ctrl+H")
        self.histogram_action.setCheckable(True)
        self.presentation_action = self._action(self.view_menu, "&Presentation mode (large text)",
                                                self._toggle_presentation, "F11")
        self.presentation_action.setCheckable(True)
        self.view_menu.addMenu(self.views.levels_menu)
        self.view_menu.addAction(self.side_dock.toggleViewAction())

        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&About Kernelscope", self.show_about)
        self._action(help_menu, "About &Qt", QApplication.aboutQt)
        self._rebuild_presets_menu()

    def _rebuild_presets_menu(self) -> None:
        menu = self.presets_menu
        menu.clear()
        for preset in engine.PRESETS:
            action = menu.addAction(preset.name)
            action.setToolTip(preset.description)
            action.triggered.connect(lambda _=False, p=preset: self.editor.set_preset(p))
        menu.setToolTipsVisible(True)
        if self.user_presets:
            menu.addSeparator()
            for preset in self.user_presets:
                action = menu.addAction(f"{preset.name} (yours)")
                action.triggered.connect(lambda _=False, p=preset: self.editor.set_preset(p))
        menu.addSeparator()
        menu.addAction("Save current kernel as preset...").triggered.connect(self.save_user_preset)

    # -- options and jobs ----------------------------------------------------------------------------
    def _rebuild_options(self, submit: bool = True) -> None:
        state = self.editor.state
        values = self.options_panel.values()
        self.editor.set_lab_mode(values["lab"])
        try:
            fixed = engine.lab_rules.fixed_options() if values["lab"] else {}
            options = engine.JobOptions(kernel=state.kernel, weight=state.weight,
                                        **{"offset": state.offset, **values, **fixed})
        except engine.OptionsError as e:
            self.show_message(str(e), error=True)
            if values["lab"] and not self.options.lab:  # lab mode refused (kernel not 3x3): stay in standard mode
                self.options_panel.set_values(self.options)
                self.editor.set_lab_mode(False)
            return
        if options == self.options and self.result is not None and not submit:
            return
        self.options = options
        self.optionsChanged.emit(options)
        if submit:
            self.submit_job()

    def set_options(self, options: engine.JobOptions) -> None:
        """Show and run ``options`` (kernel editor and options panel follow)."""
        self.options_panel.set_values(options)
        self.editor.set_lab_mode(options.lab)
        before = self.editor.state
        self.editor.set_state(KernelState(options.kernel, options.weight, options.offset), "Set options")
        if self.editor.state == before:
            self._rebuild_options()

    def submit_job(self) -> None:
        if self.image is None:
            return
        self._submitted_at = time.perf_counter()
        self.runner.submit(self.image, self.options)

    def cancel_job(self) -> None:
        if self.runner.is_busy():
            self.runner.cancel()
            self.show_message("Job cancelled; the views show the last finished result.")
            self._hide_progress()

    def _on_job_started(self, _seq: int) -> None:
        if not self._progress_timer.isActive() and not self.progress.isVisible():
            self._progress_timer.start()

    def _on_job_progress(self, _seq: int, fraction: float) -> None:
        self.progress.setValue(int(fraction * 100))

    def _on_job_finished(self, _seq: int, result: engine.JobResult) -> None:
        self._progress_timer.stop()
        self.result = result
        self.views.show_result(result, levels=self.runner.prepared)
        self.time_label.setText(f"last job {result.seconds * 1000:.0f} ms")
        if self.details_button.isVisible():
            self.details_button.hide()
            self.show_message("")
        self.resultShown.emit(result)

    def _on_job_failed(self, _seq: int, message: str, details: str) -> None:
        self._progress_timer.stop()
        self._hide_progress()
        self._error_details = details
        self.details_button.setVisible(not isinstance(details, str) or "KernelscopeError" not in details)
        self.show_message(message, error=True)

    def _show_progress(self) -> None:
        if self.runner.is_busy():
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

    def wait_for_idle(self, timeout_ms: int = 10000) -> bool:
        """Run the event loop until no job runs or is pending (for tests and scripted screenshots).

        A nested QEventLoop, not a processEvents() loop: PySide6 keeps the GIL while processEvents waits,
        which starves the engine's threads (a 4096x4096 job took 4x longer)."""
        if self.runner.is_busy():
            loop = QEventLoop()
            poll = QTimer(interval=2, timeout=lambda: self.runner.is_busy() or loop.quit())
            deadline = QTimer(singleShot=True, timeout=loop.quit)
            poll.start()
            deadline.start(timeout_ms)
            loop.exec()
            poll.stop()
            deadline.stop()
        QCoreApplication.processEvents()
        return not self.runner.is_busy()

    # -- images ------------------------------------------------------------------------------------
    def choose_image(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open image", app_settings.last_folder(), IMAGE_FILTER)
        if path:
            self.open_image(path)

    def open_image(self, path: str | Path) -> bool:
        """Load an image file; on failure show one message and keep everything as it was."""
        try:
            try:
                image = engine.load_image(path)
            except engine.ImageTooLargeError as e:
                if e.factor is None:
                    raise
                answer = QMessageBox.question(
                    self, "Large image", f"{e}.\n\nOpen it downscaled 1:{e.factor} instead?",
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
                if answer != QMessageBox.StandardButton.Yes:
                    return False
                image = engine.load_image(path, downscale=True)
        except engine.KernelscopeError as e:
            QMessageBox.warning(self, "Cannot open image", str(e))
            return False
        except MemoryError:
            QMessageBox.warning(self, "Cannot open image", f"{path}: not enough memory to open this image")
            return False
        app_settings.set_last_folder(path)
        self.set_image_array(image, Path(path).name, path=str(Path(path).resolve()))
        return True

    def load_sample(self, name: str) -> bool:
        try:
            image = engine.load_image(engine.sample_path(name))
        except engine.KernelscopeError as e:
            QMessageBox.warning(self, "Cannot open sample", str(e))
            return False
        self.set_image_array(image, f"{name} (built-in sample)", sample=name)
        return True

    def set_image_array(self, image: np.ndarray, label: str, path: str | None = None, sample: str | None = None) -> None:
        image = engine.check_image(image)
        self.image, self.image_path, self.sample = image, path, sample
        self.result = None
        self.views.show_input(image)
        self.views.input.set_title(f"Input: {label}, {image.shape[1]}x{image.shape[0]}")
        self.setWindowTitle(f"Kernelscope - {label}")
        self.imageChanged.emit()
        self.submit_job()

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            event.acceptProposedAction()
            if files[0].lower().endswith(".json"):
                self.open_session(files[0])
            else:
                self.open_image(files[0])

    # -- saving ----------------------------------------------------------------------------------
    def save_result_as(self, which: str) -> None:
        array = None if self.result is None else getattr(self.result, which)
        if array is None:
            QMessageBox.information(self, "Nothing to save", f"There is no {which} image yet.")
            return
        path, chosen = QFileDialog.getSaveFileName(self, f"Save {which} image",
                                                   str(Path(app_settings.last_folder()) / f"{which}.png"),
                                                   RESULT_FILTER)
        if path:
            if not Path(path).suffix:
                path += ".npy" if "npy" in chosen else ".png"
            self.save_result(which, path)

    def save_result(self, which: str, path: str | Path) -> bool:
        try:
            engine.save_result(path, getattr(self.result, which), self.result.options.output_range)
        except (engine.KernelscopeError, OSError) as e:
            QMessageBox.warning(self, "Cannot save", str(e))
            return False
        app_settings.set_last_folder(path)
        self.show_message(f"Saved the {which} image to {path}")
        return True

    def copy_convolved(self) -> None:
        if self.result is None:
            return
        data = np.ascontiguousarray(engine.to_display_uint8(self.result.convolved, self.result.options.output_range))
        height, width = data.shape
        image = QImage(data.data, width, height, width, QImage.Format.Format_Grayscale8).copy()
        QApplication.clipboard().setImage(image)
        self.show_message("Copied the convolved image to the clipboard")

    # -- sessions -------------------------------------------------------------------------------------
    def current_session(self) -> engine.Session:
        step = getattr(getattr(self, "step_mode", None), "current", None)
        return engine.Session(self.image_path, self.options, step if step else None, self.sample)

    def save_session_as(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save session", str(Path(app_settings.last_folder()) /
                                                                         "session.kscope.json"), SESSION_FILTER)
        if path:
            self.save_session(path)

    def save_session(self, path: str | Path) -> bool:
        try:
            engine.save_session(path, self.current_session())
        except (engine.KernelscopeError, OSError) as e:
            QMessageBox.warning(self, "Cannot save session", str(e))
            return False
        self.show_message(f"Saved the session to {path}")
        return True

    def choose_session(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open session", app_settings.last_folder(), SESSION_FILTER)
        if path:
            self.open_session(path)

    def open_session(self, path: str | Path) -> bool:
        try:
            session = engine.load_session(path)
        except engine.KernelscopeError as e:
            QMessageBox.warning(self, "Cannot open session", str(e))
            return False
        self.apply_session(session, announce=True)
        return True

    def apply_session(self, session: engine.Session, announce: bool = False) -> None:
        """Restore a session; if its image is gone, restore the rest and say so."""
        problem = None
        if session.sample:
            self.load_sample(session.sample)
        elif session.image_path:
            try:
                image = engine.load_image(session.image_path)
                self.set_image_array(image, Path(session.image_path).name, path=session.image_path)
            except engine.KernelscopeError as e:
                problem = f"The session's image could not be opened ({e}); kernel and options were restored."
        self.set_options(session.options)
        if session.step_pos is not None and self.image is not None and hasattr(self, "step_mode"):
            self.step_mode.restore_position(session.step_pos)
        if problem:
            self.show_message(problem, error=True)
        elif announce:
            self.show_message("Session restored")

    # -- user presets ----------------------------------------------------------------------------------
    def _load_user_presets(self) -> None:
        path = app_settings.presets_path()
        self._presets_error = None
        if path.exists():
            try:
                self.user_presets = engine.load_presets(path)
            except engine.KernelscopeError as e:
                self._presets_error = str(e)  # reported, and the file is left untouched
                self.show_message(f"Your presets file is damaged and was not changed: {e}", error=True)

    def save_user_preset(self) -> None:
        name, ok = QInputDialog.getText(self, "Save preset", "Name for this kernel:")
        if ok and name.strip():
            self.add_user_preset(name.strip())

    def add_user_preset(self, name: str) -> bool:
        if self._presets_error:
            QMessageBox.warning(self, "Cannot save preset", "Your presets file is damaged, so it was left as it is "
                                f"and nothing was saved: {self._presets_error}")
            return False
        state = self.editor.state
        preset = engine.Preset(name, state.kernel, state.weight, state.offset, "Saved by you")
        presets = [p for p in self.user_presets if p.name != name] + [preset]
        try:
            engine.save_presets(app_settings.presets_path(), presets)
        except (OSError, engine.KernelscopeError) as e:
            QMessageBox.warning(self, "Cannot save preset", str(e))
            return False
        self.user_presets = presets
        self._rebuild_presets_menu()
        self.show_message(f"Saved preset {name!r}")
        return True

    # -- status bar and view ------------------------------------------------------------------------
    def show_message(self, text: str, error: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet("color: #c62828; font-weight: bold;" if error and text else "")
        self.message_label.setToolTip(text)

    def _on_hover(self, panel: str, row: int, col: int) -> None:
        data = self.views.panel(panel).data
        if row < 0 or data is None:
            self.hover_label.setText("")
            return
        value = data[row, col]
        text = str(int(value)) if data.dtype.kind in "ui" else f"{float(value):.6g}"
        self.hover_label.setText(f"{panel} [{row}, {col}] = {text}")

    def _toggle_histograms(self, checked: bool) -> None:
        for panel in self.views.panels():
            panel.set_histogram_visible(checked)
        QTimer.singleShot(0, self.views.fit)  # the views changed height: fit the image again

    def _toggle_presentation(self, checked: bool) -> None:
        self.set_presentation(checked)

    def set_presentation(self, on: bool) -> None:
        font = QApplication.font()
        base = getattr(self, "_base_point_size", None) or font.pointSizeF()
        self._base_point_size = base
        font.setPointSizeF(base * (1.6 if on else 1.0))
        QApplication.setFont(font)
        self.presentation_action.setChecked(on)
        self.views.set_presentation(on)
        if hasattr(self, "step_mode") and hasattr(self.step_mode, "set_presentation"):
            self.step_mode.set_presentation(on)

    def show_about(self) -> None:
        QMessageBox.about(
            self, "About Kernelscope",
            "<h3>Kernelscope</h3><p>Learn how image convolution and pooling work, the first idea behind every "
            "convolutional neural network.</p><p>It grows out of the TensorFlow lab <i>Introduction to "
            "Convolutions</i>, which runs a 3x3 filter over SciPy's 'ascent' stairwell photo with a Python loop, "
            "multiplies by a weight, clamps to 0..255 and 2x2 max-pools. Kernelscope makes that live: edit the "
            "kernel and watch the results; step through the image to see every multiply-and-sum; switch on "
            "<b>lab mode</b> to run the notebook's own loops bit for bit, quirks included.</p>"
            "<p>Sample images: public domain, from SciPy.</p>")

    # -- settings ------------------------------------------------------------------------------------
    def _restore_settings(self) -> None:
        store = app_settings.settings()
        geometry = store.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = store.value("window/state")
        if state is not None:
            self.restoreState(state)
        self._pending_session, problem = app_settings.load_last_session()
        if problem:
            self.show_message(problem, error=True)

    def restore_last_session(self) -> bool:
        """Apply the session saved at the last exit (called once the step mode exists)."""
        session = getattr(self, "_pending_session", None)
        self._pending_session = None
        if session is None:
            return False
        self.apply_session(session)
        return True

    def save_settings(self) -> None:
        store = app_settings.settings()
        store.setValue("window/geometry", self.saveGeometry())
        store.setValue("window/state", self.saveState())
        app_settings.save_last_session(self.current_session())
        store.sync()

    def closeEvent(self, event) -> None:
        if hasattr(self, "step_mode"):
            self.step_mode.exit()
        if self.persist:
            self.save_settings()
        self.runner.shutdown()
        super().closeEvent(event)
