"""The Learn panel (a dock): watch gradient descent find a hidden kernel, the way a CNN learns its first layer.

The target is the raw output of a kernel the student cannot see (random or a preset) on the document's
image (with the layer stack on: on what the chosen conv layer reads, gui.stack_docks), or an image file of
the same size. Learn, Stop, Resume, Step once and Reset drive a LearnRunner; each
frame updates the loss curve, the panel's views and, with "Show in window", the document's kernel
(so the kernel editor's spinboxes and the convolved view follow every step). Every number comes from
engine.learn.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDockWidget, QFileDialog, QLabel, QMainWindow, QVBoxLayout, QWidget

import engine
from engine.learn import CLAMP_NOTE, KernelFit, LearnStep, applied_kernel, make_target, random_kernel
from gui.learn_controls import FILE, RANDOM, LearnControls
from gui.learn_runner import LearnFrame, LearnRunner, Prepared, RunRequest
from gui.learn_views import DockScroll, KernelComparison, LearnImages, LossCurve
from gui.wheel_guard import scroll_on_wheel

DOCK_WIDTH = 380  # leaves the side dock and the three main views room at 1280x720


class LearnPanel(QObject):
    """Owns the dock and the learning state; talks only to the document (image, options, set_options)."""

    def __init__(self, document, parent: QWidget | None = None, dock: QDockWidget | None = None):
        """``dock``: the dock to fill (e.g. a gui.docks.LazyDock building the panel on first show); by default
        a new hidden one."""
        super().__init__(parent)
        self.document = document
        self.runner = LearnRunner(self)
        self.prepared: Prepared | None = None
        self.current: LearnStep | None = None  # the last step shown
        self.file_target = None  # (path, array) when the target is an image file
        self._mirrored: LearnStep | None = None  # a step waiting for the document to be idle
        #: True while a learned kernel is being handed to the document, so that the window shows the whole
        #: run as one undo step of the editor instead of one per frame.
        self.mirroring = False
        self.seed = 1
        self._build(parent, dock)
        self.runner.prepared.connect(self._on_prepared)
        self.runner.frame.connect(self._on_frame)
        self.runner.failed.connect(self._on_failed)
        self.runner.ended.connect(self._update_buttons)
        document.imageChanged.connect(self._invalidate)
        document.idle.connect(self._mirror)
        self._update_buttons()

    # -- building --------------------------------------------------------------------------------------
    def _build(self, parent, dock: QDockWidget | None) -> None:
        self.controls = LearnControls()
        self.source = QLabel()  # whose kernel "Show in window" and "current" mean, when the window says
        self.source.setWordWrap(True)
        self.source.hide()
        self.status = QLabel("Choose a target and press Learn.")
        self.status.setWordWrap(True)
        self.note = QLabel(CLAMP_NOTE)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #8a5a00")
        self.images, self.curve, self.kernels = LearnImages(), LossCurve(), KernelComparison()

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(self.controls)
        for widget in (self.source, self.status, self.note, self.images, self.curve, self.kernels):
            layout.addWidget(widget)
        layout.addStretch(1)
        scroll = DockScroll()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll_on_wheel(scroll)  # the wheel scrolls the panel, not the Target or Rate under the pointer
        if dock is None:
            dock = QDockWidget("Learn a kernel", parent)
            dock.setObjectName("learn_dock")
            dock.hide()  # View > Learn a kernel shows it
        self.dock = dock
        self.dock.setWidget(scroll)
        self.dock.visibilityChanged.connect(self._fit_width)

        self.controls.buttons["Learn"].clicked.connect(self.learn)
        self.controls.buttons["Stop"].clicked.connect(self.stop)
        self.controls.buttons["Resume"].clicked.connect(self.resume)
        self.controls.buttons["Step once"].clicked.connect(self.step_once)
        self.controls.buttons["Reset"].clicked.connect(self.reset)
        self.controls.new_target.clicked.connect(self._new_random)
        self.controls.target_choice.activated.connect(self._target_chosen)
        for widget in (self.controls.rows, self.controls.cols):
            widget.valueChanged.connect(self._invalidate)
        self.controls.border.currentIndexChanged.connect(self._invalidate)
        self.controls.bias.toggled.connect(self._invalidate)
        self.document.optionsChanged.connect(self._show_note)
        self._show_note()

    def show_source(self, text: str) -> None:
        """Say whose kernel Learn starts from and shows in the window (gui.stack_docks.ChosenKernel)."""
        self.source.setText(f"Kernel: {text}")
        self.source.setVisible(bool(text))

    # -- the problem: rebuilt on the worker thread whenever its inputs change -----------------------------
    def _invalidate(self, *_args) -> None:
        if self.runner.is_running():  # a run that ends unasked says why
            self.status.setText("Stopped: the image changed, and with it the problem; press Learn to start again.")
        self.runner.stop()
        self.prepared, self.current = None, None
        self.curve.reset()
        self.images.clear_output()
        self.kernels.show_kernels({})
        self._update_buttons()

    def _new_random(self) -> None:
        self.seed += 1
        self.controls.target_choice.setCurrentIndex(0)
        self._invalidate()

    def _target_chosen(self, index: int) -> None:
        if self.controls.target_choice.itemText(index) == FILE:
            path, _ = QFileDialog.getOpenFileName(self.dock, "Target image", "",
                                                  "Images and arrays (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.npy)")
            if not path:
                self.controls.target_choice.setCurrentIndex(0)
                return
            self.set_file_target(path)
            return
        hidden = self.hidden_kernel()
        if hidden is not None and self.controls.target_choice.currentText() != RANDOM:
            kernel, bias = hidden
            self.controls.rows.setValue(len(kernel))  # a preset's own size (a larger one would also do)
            self.controls.cols.setValue(len(kernel[0]))
            if bias:
                self.controls.bias.setChecked(True)  # its offset can only be matched by a bias
        self._invalidate()

    def set_file_target(self, path: str) -> bool:
        """Use an image file as the target (its kernel unknown); False, with the reason shown, if unusable."""
        try:
            self.file_target = (path, engine.load_image(path))
        except engine.KernelscopeError as e:
            self.status.setText(f"Cannot use {path}: {e}")
            self.controls.target_choice.setCurrentIndex(0)
            return False
        self.controls.target_choice.setCurrentIndex(self.controls.target_choice.count() - 1)
        self._invalidate()
        return True

    def hidden_kernel(self):
        """(kernel, bias) that made the target, or None for an image-file target."""
        choice = self.controls.target_choice.currentText()
        if choice == FILE:
            return None
        if choice == RANDOM:
            return random_kernel(self.controls.shape, self.seed), 0.0
        return applied_kernel(engine.get_preset(choice.split(": ", 1)[1]))

    def _make_fit(self):
        image, border, shape, bias = self.document.image, self.controls.border.currentText(), \
            self.controls.shape, self.controls.bias.isChecked()
        hidden = self.hidden_kernel()
        target = None if self.file_target is None else self.file_target[1]
        if hidden is not None:
            def make() -> KernelFit:
                return KernelFit(image, make_target(image, hidden[0], border, hidden[1]), shape, border=border,
                                 fit_bias=bias)
        else:
            def make() -> KernelFit:
                return KernelFit(image, target, shape, border=border, fit_bias=bias)
        return make

    # -- running --------------------------------------------------------------------------------------
    def _request(self, start: LearnStep | None, count: int, per_frame: int) -> RunRequest:
        kind, kernel, bias = self.controls.start_kind.currentText(), (), 0.0
        if kind == "current":
            kind, (kernel, bias) = "kernel", applied_kernel(self.document.options)
        return RunRequest(start=start, count=count, lr_factor=self.controls.rate.value(),
                          momentum=self.controls.momentum.value(), per_frame=per_frame, start_kind=kind,
                          seed=self.seed, start_kernel=kernel,
                          start_bias=bias if self.controls.bias.isChecked() else 0.0)

    def _run(self, request: RunRequest) -> None:
        if self.document.image is None:
            self.status.setText("Open an image first (in the layer stack: wait for the layers before this one).")
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
        self._run(self._request(None, self.controls.steps.value(), self.controls.frame_steps))

    def resume(self) -> None:
        if self.current is not None:
            left = max(1, self.controls.steps.value() - self.current.step)
            self._run(self._request(self.current, left, self.controls.frame_steps))

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
        if self.controls.mirror.isChecked():
            self._mirrored = step
            self._mirror()

    def _mirror(self) -> None:
        """The document gets the newest learned kernel whenever it is not busy with the previous one: a
        new kernel on every frame would cancel each convolution before it could finish."""
        step, self._mirrored = self._mirrored, None
        if step is None or not self.controls.mirror.isChecked() or self.document.is_busy():
            self._mirrored = step
            return
        self.mirroring = True
        try:
            self.document.set_options(self.document.options.with_changes(
                kernel=step.kernel, weight=1.0, offset=step.bias, border=self.prepared.fit.border,
                output_range="raw", lab=False))
        finally:
            self.mirroring = False

    def _on_failed(self, message: str) -> None:
        self.status.setText(message)

    def _show_kernels(self) -> None:
        if self.prepared is None or self.current is None:
            return
        bias = self.controls.bias.isChecked()
        grids = {"Learned": (self.current.kernel, self.current.bias if bias else None)}
        hidden = self.hidden_kernel()
        if hidden is not None:
            grids["True"] = (hidden[0], hidden[1] if bias else None)
        exact = self.prepared.exact
        grids["Least squares"] = (exact.kernel, exact.bias if bias else None)
        self.kernels.show_kernels(grids)

    def _update_buttons(self) -> None:
        running = self.runner.is_running()
        self.controls.buttons["Learn"].setEnabled(not running)
        self.controls.buttons["Stop"].setEnabled(running)
        self.controls.buttons["Resume"].setEnabled(not running and self.current is not None)
        self.controls.buttons["Step once"].setEnabled(not running)
        if not running:
            self._show_kernels()

    def _show_note(self, *_args) -> None:
        self.note.setVisible(self.document.options.output_range == "clamp")

    def _fit_width(self, visible: bool) -> None:
        window = self.dock.parentWidget()
        if visible and isinstance(window, QMainWindow) and self.dock.width() > DOCK_WIDTH:
            window.resizeDocks([self.dock], [DOCK_WIDTH], Qt.Orientation.Horizontal)

    def shutdown(self) -> None:
        self.controls.mirror.setChecked(False)  # nothing more for the document, which is shutting down too
        self._mirrored = None
        self.runner.shutdown()
