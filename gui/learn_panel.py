"""The Learn panel (a dock): watch gradient descent find a hidden kernel, the way a CNN learns its first layer.

The target is the raw output of a kernel the student cannot see (random or a preset) on the document's
image, or an image file of the same size. Learn, Stop, Resume, Step once and Reset drive a LearnRunner; each
frame updates the loss curve, the panel's views and, with "Show in the main window", the document's kernel
(so the kernel editor's spinboxes and the convolved view follow every step). Every number comes from
engine.learn.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDockWidget, QDoubleSpinBox, QFileDialog, QGridLayout,
                               QHBoxLayout, QMainWindow, QLabel, QPushButton, QScrollArea, QSpinBox, QVBoxLayout, QWidget)

import engine
from engine.learn import CLAMP_NOTE, KernelFit, LearnStep, make_target, random_kernel
from gui.learn_runner import LearnFrame, LearnRunner, Prepared, RunRequest
from gui.learn_views import KernelComparison, LearnImages, LossCurve

RANDOM, FILE = "Hidden random kernel", "Image file..."
PER_FRAME = (1, 10, 100)
DOCK_WIDTH = 420  # leaves the three main views room at 1280x720


class LearnPanel(QObject):
    """Owns the dock and the learning state; talks only to the document (image, options, set_options)."""

    def __init__(self, document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.runner = LearnRunner(self)
        self.prepared: Prepared | None = None
        self.current: LearnStep | None = None  # the last step shown
        self.file_target = None  # (path, array) when the target is an image file
        self._mirrored: LearnStep | None = None  # a step waiting for the document to be idle
        self.seed = 1
        self._build(parent)
        self.runner.prepared.connect(self._on_prepared)
        self.runner.frame.connect(self._on_frame)
        self.runner.failed.connect(self._on_failed)
        self.runner.ended.connect(self._update_buttons)
        document.imageChanged.connect(self._invalidate)
        document.idle.connect(self._mirror)
        self._update_buttons()

    # -- building --------------------------------------------------------------------------------------
    def _build(self, parent) -> None:
        self.target_choice = QComboBox()
        self.target_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.target_choice.setMinimumContentsLength(10)
        self.target_choice.addItems([RANDOM] + [f"Hidden preset: {name}" for name in engine.preset_names()] + [FILE])
        self.target_choice.setToolTip("What to learn: the raw output of a kernel you cannot see, or an image "
                                      "file the size of the image (a .npy keeps signed values).")
        self.new_target = QPushButton("New")
        self.new_target.setToolTip("Hide another random kernel")
        self.rows, self.cols = QSpinBox(minimum=1, maximum=engine.MAX_KERNEL_SIDE, value=3), \
            QSpinBox(minimum=1, maximum=engine.MAX_KERNEL_SIDE, value=3)
        self.border = QComboBox()
        self.border.addItems(engine.BORDERS)
        self.bias = QCheckBox("Learn a bias")
        self.start_kind = QComboBox()
        self.start_kind.addItems(["zeros", "random", "current"])
        self.start_kind.setToolTip("Where the kernel starts: all zeros, random numbers in -1..1, or the kernel "
                                   "in the editor")
        self.rate = QDoubleSpinBox(minimum=0.05, maximum=3.0, singleStep=0.05, value=1.0, suffix=" /L")
        self.rate.setToolTip("Step size as a multiple of the safe rate 1/L (L = 2 x the largest eigenvalue of "
                             "A^T A / n). Up to 1 the loss falls at every step; from 2 on it runs away.")
        self.momentum = QDoubleSpinBox(minimum=0.0, maximum=0.99, singleStep=0.05, value=0.0, decimals=2)
        self.momentum.setToolTip("0: plain gradient descent. Momentum crosses a long, narrow valley in far fewer "
                                 "steps, but the loss may rise now and then. Resume starts it again from 0.")
        self.steps = QSpinBox(minimum=1, maximum=1_000_000, value=5000, singleStep=500)
        self.per_frame = QComboBox()
        self.per_frame.addItems([str(n) for n in PER_FRAME])
        self.per_frame.setCurrentIndex(1)
        self.mirror = QCheckBox("Show in window")
        self.mirror.setChecked(True)
        self.mirror.setToolTip("Each step sets the kernel editor (and so the convolved view) to the learned "
                               "kernel, with raw output")
        self.buttons = {name: QPushButton(name) for name in ("Learn", "Stop", "Resume", "Step once", "Reset")}
        for button in self.buttons.values():
            button.setMinimumWidth(10)  # five in a row in a narrow dock
        self.status = QLabel("Choose a target and press Learn.")
        self.status.setWordWrap(True)
        self.note = QLabel(CLAMP_NOTE)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #8a5a00")
        self.images, self.curve, self.kernels = LearnImages(), LossCurve(), KernelComparison()

        grid = QGridLayout()
        size = QHBoxLayout()
        for widget in (self.rows, QLabel("x"), self.cols):
            size.addWidget(widget)
        rows = [("Target", self.target_choice, None, self.new_target),
                ("Kernel", size, "Border", self.border),
                (None, self.bias, "Start", self.start_kind),
                ("Rate", self.rate, "Momentum", self.momentum),
                ("Steps", self.steps, "Per frame", self.per_frame)]
        for row, (label, first, second_label, second) in enumerate(rows):
            if label:
                grid.addWidget(QLabel(label), row, 0)
            add = grid.addLayout if isinstance(first, QHBoxLayout) else grid.addWidget
            add(first, row, 1, 1, 1 if second_label else 2)
            if second_label:
                grid.addWidget(QLabel(second_label), row, 2)
            grid.addWidget(second, row, 3)
        grid.addWidget(self.mirror, len(rows), 1, 1, 3)
        buttons = QGridLayout()
        for n, button in enumerate(self.buttons.values()):
            buttons.addWidget(button, n // 3, n % 3)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addLayout(grid)
        layout.addLayout(buttons)
        for widget in (self.status, self.note, self.images, self.curve, self.kernels):
            layout.addWidget(widget)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        self.dock = QDockWidget("Learn a kernel", parent)
        self.dock.setObjectName("learn_dock")
        self.dock.setWidget(scroll)
        self.dock.hide()  # View > Learn a kernel shows it
        self.dock.visibilityChanged.connect(self._fit_width)

        self.buttons["Learn"].clicked.connect(self.learn)
        self.buttons["Stop"].clicked.connect(self.stop)
        self.buttons["Resume"].clicked.connect(self.resume)
        self.buttons["Step once"].clicked.connect(self.step_once)
        self.buttons["Reset"].clicked.connect(self.reset)
        self.new_target.clicked.connect(self._new_random)
        self.target_choice.activated.connect(self._target_chosen)
        for widget in (self.rows, self.cols):
            widget.valueChanged.connect(self._invalidate)
        self.border.currentIndexChanged.connect(self._invalidate)
        self.bias.toggled.connect(self._invalidate)
        self.document.optionsChanged.connect(self._show_note)
        self._show_note()

    # -- the problem: rebuilt on the worker thread whenever its inputs change -----------------------------
    def _invalidate(self, *_args) -> None:
        self.runner.stop()
        self.prepared, self.current = None, None
        self.curve.reset()
        self.images.clear_output()
        self.kernels.show_kernels({})
        self._update_buttons()

    def _new_random(self) -> None:
        self.seed += 1
        self.target_choice.setCurrentIndex(0)
        self._invalidate()

    def _target_chosen(self, index: int) -> None:
        if self.target_choice.itemText(index) == FILE:
            path, _ = QFileDialog.getOpenFileName(self.dock, "Target image", "",
                                                  "Images and arrays (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.npy)")
            if not path:
                self.target_choice.setCurrentIndex(0)
                return
            self.set_file_target(path)
            return
        hidden = self.hidden_kernel()
        if hidden is not None and self.target_choice.currentText() != RANDOM:
            self.rows.setValue(len(hidden))  # a preset's own size (a larger one would also do)
            self.cols.setValue(len(hidden[0]))
        self._invalidate()

    def set_file_target(self, path: str) -> bool:
        """Use an image file as the target (its kernel unknown); False, with the reason shown, if unusable."""
        try:
            self.file_target = (path, engine.load_image(path))
        except engine.KernelscopeError as e:
            self.status.setText(f"Cannot use {path}: {e}")
            self.target_choice.setCurrentIndex(0)
            return False
        self.target_choice.setCurrentIndex(self.target_choice.count() - 1)
        self._invalidate()
        return True

    def hidden_kernel(self):
        """The kernel that made the target, or None for an image-file target."""
        choice = self.target_choice.currentText()
        if choice == FILE:
            return None
        if choice == RANDOM:
            return random_kernel((self.rows.value(), self.cols.value()), self.seed)
        return engine.get_preset(choice.split(": ", 1)[1]).kernel

    def _make_fit(self):
        image, border, shape, bias = self.document.image, self.border.currentText(), \
            (self.rows.value(), self.cols.value()), self.bias.isChecked()
        hidden = self.hidden_kernel()
        target = None if self.file_target is None else self.file_target[1]
        if hidden is not None:
            def make() -> KernelFit:
                return KernelFit(image, make_target(image, hidden, border), shape, border=border, fit_bias=bias)
        else:
            def make() -> KernelFit:
                return KernelFit(image, target, shape, border=border, fit_bias=bias)
        return make

    # -- running --------------------------------------------------------------------------------------
    def _request(self, start: LearnStep | None, count: int, per_frame: int) -> RunRequest:
        kind = self.start_kind.currentText()
        if kind == "current" and start is None:
            options = self.document.options
            start = LearnStep(0, 0.0, options.kernel, options.offset if self.bias.isChecked() else 0.0)
            kind = "zeros"
        return RunRequest(start=start, count=count, lr_factor=self.rate.value(), momentum=self.momentum.value(),
                          per_frame=per_frame, start_kind=kind, seed=self.seed)

    def _run(self, request: RunRequest) -> None:
        if self.document.image is None:
            self.status.setText("Open an image first.")
            return
        if self.prepared is None:
            self.status.setText("Setting up: building A^T A and the least-squares optimum...")
        self.curve.expect((0 if request.start is None else request.start.step) + request.count)
        self.runner.start(self.prepared, self._make_fit(), request)
        self._update_buttons()

    def learn(self) -> None:
        """Start again from the chosen start, for the chosen number of steps."""
        self.runner.stop()
        self.current = None
        self.curve.reset(None if self.prepared is None else self.prepared.fit.min_loss)
        self._run(self._request(None, self.steps.value(), PER_FRAME[self.per_frame.currentIndex()]))

    def resume(self) -> None:
        if self.current is not None:
            left = max(1, self.steps.value() - self.current.step)
            self._run(self._request(self.current, left, PER_FRAME[self.per_frame.currentIndex()]))

    def step_once(self) -> None:
        if self.current is None:
            self.runner.stop()
            self.curve.reset(None if self.prepared is None else self.prepared.fit.min_loss)
            self._run(self._request(None, 1, 1))
        else:
            self._run(self._request(self.current, 1, 1))

    def stop(self) -> None:
        self.runner.stop()
        self._show_kernels()

    def reset(self) -> None:
        self._invalidate()
        self.status.setText("Reset. Press Learn to start again.")

    # -- what the runner sends -----------------------------------------------------------------------
    def _on_prepared(self, prepared: Prepared) -> None:
        self.prepared = prepared
        fit = prepared.fit
        self.images.show_target(fit.target, prepared.levels)
        self.curve.reset(fit.min_loss, self.curve.getViewBox().viewRange()[0][1])

    def _on_frame(self, frame: LearnFrame) -> None:
        step = frame.step
        self.current = step
        self.curve.extend(step.step, frame.losses)
        self.images.show_output(frame.convolved, frame.difference)
        fit = self.prepared.fit
        self.status.setText(f"Step {step.step}: loss {step.loss:.6g} (least squares: {fit.min_loss:.3g}). "
                            f"Safe rate 1/L = {fit.safe_lr:.3g}; the valley is {fit.condition:.0f} times "
                            "longer than wide.")
        self._show_kernels()
        self.runner.frame_shown()
        if self.mirror.isChecked():
            self._mirrored = step
            self._mirror()

    def _mirror(self) -> None:
        """The document gets the newest learned kernel whenever it is not busy with the previous one: a
        new kernel on every frame would cancel each convolution before it could finish."""
        step, self._mirrored = self._mirrored, None
        if step is None or not self.mirror.isChecked() or self.document.is_busy():
            self._mirrored = step
            return
        self.document.set_options(self.document.options.with_changes(
            kernel=step.kernel, weight=1.0, offset=step.bias, border=self.prepared.fit.border, output_range="raw",
            lab=False))

    def _on_failed(self, message: str) -> None:
        self.status.setText(message)

    def _show_kernels(self) -> None:
        if self.prepared is None or self.current is None:
            return
        bias = self.bias.isChecked()
        grids = {"Learned": (self.current.kernel, self.current.bias if bias else None)}
        hidden = self.hidden_kernel()
        if hidden is not None:
            grids["True"] = (hidden, 0.0 if bias else None)
        exact = self.prepared.exact
        grids["Least squares"] = (exact.kernel, exact.bias if bias else None)
        self.kernels.show_kernels(grids)

    def _update_buttons(self) -> None:
        running = self.runner.is_running()
        self.buttons["Learn"].setEnabled(not running)
        self.buttons["Stop"].setEnabled(running)
        self.buttons["Resume"].setEnabled(not running and self.current is not None)
        self.buttons["Step once"].setEnabled(not running)
        if not running:
            self._show_kernels()

    def _show_note(self, *_args) -> None:
        self.note.setVisible(self.document.options.output_range == "clamp")

    def _fit_width(self, visible: bool) -> None:
        window = self.dock.parentWidget()
        if visible and isinstance(window, QMainWindow) and self.dock.width() > DOCK_WIDTH:
            window.resizeDocks([self.dock], [DOCK_WIDTH], Qt.Orientation.Horizontal)

    def shutdown(self) -> None:
        self.mirror.setChecked(False)  # nothing more for the document, which is shutting down too
        self._mirrored = None
        self.runner.shutdown()
