"""Compare mode: kernel A (frozen from the editor, a preset or a kernel file) against kernel B (the editor's,
live), on the same image and options. The views become A, B and A - B (gui.compare_views); a dock under
them steps through both kernels' arithmetic for one pixel side by side (gui.compare_step), and Play walks
both through the image at step mode's speed (gui.step.playback). Comparisons run on the worker thread
(gui.worker's pattern, engine.compare_steps), after each of the document's results; leaving the mode puts
the normal views back as they were."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDockWidget, QMainWindow

import engine
from gui.compare_stepping import CompareStepping
from gui.docks import LazyDock
from gui.image_views import is_diverging
from gui.step.cursor import StepCursor
from gui.step.playback import Playback
from gui.worker import JobFailure, JobRunner

B_LABEL = "B: the editor's kernel"


@dataclass(frozen=True)
class KernelA:
    """Kernel A: its kernel, weight and offset (the other options are B's) and what to call it."""

    name: str
    kernel: tuple
    weight: float = 1.0
    offset: float = 0.0

    @property
    def label(self) -> str:
        return f"A: {self.name}"

    def options(self, b: engine.JobOptions) -> engine.JobOptions:
        """B's options with A's kernel (OptionsError if they cannot take it, e.g. 5x5 in lab mode)."""
        return b.with_changes(kernel=self.kernel, weight=self.weight, offset=self.offset)


@dataclass(frozen=True)
class CompareRequest:
    """One comparison for the worker: A's and B's options and the results that can be reused."""

    a: engine.JobOptions
    b: engine.JobOptions
    a_result: engine.JobResult | None
    b_result: engine.JobResult | None


def _compare_steps(image, request: CompareRequest):
    return engine.compare_steps(image, request.a, request.b, request.a_result, request.b_result)


class CompareMode(QObject, CompareStepping):
    """Owns the compare views (swapped in for ``views``, the window's central widget, while active), the
    step dock and the comparison runner. ``say(text, error=...)`` reports refusals."""

    entered = Signal()
    left = Signal()
    compared = Signal(object)  # the engine.Comparison now shown
    failed = Signal(str)  # why the newest comparison could not be made
    playingChanged = Signal(bool)

    def __init__(self, window: QMainWindow, document, views, say: Callable[..., None],
                 channel: Callable[[], int] = lambda: 0, relayout: Callable = lambda _dock: None,
                 rate: Callable[[], float] = lambda: 10):
        """``views``: the window's ImageViews (their levels choice is followed); ``channel()``: the feature
        map shown of results with several; ``relayout(dock)``: lay the docks out again (the views changed),
        ``dock`` in front of any it shares tabs with; ``rate()``: Play's pixels a second."""
        super().__init__(window)
        self.window, self.document, self.normal_views, self.say = window, document, views, say
        self._channel, self._relayout = channel, relayout
        self._views: CompareViews | None = None  # built when first needed
        self._presentation = False
        #: the actions on the step dock's toolbar (gui.compare_actions), added when the dock is built
        self.toolbar_actions: tuple = ()
        self.dock = LazyDock("Compare: how A and B make this pixel", "compare_dock", self._build_step, window,
                             Qt.DockWidgetArea.BottomDockWidgetArea)
        self.dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.a: KernelA | None = None
        self.is_active = False
        self.comparison: engine.Comparison | None = None
        self.levels: engine.ComparisonLevels | None = None
        self.problem: str | None = None
        self.cursor: StepCursor | None = None
        self._explained: dict[str, tuple] = {}  # side -> (image, (options, pixel, channel), explanation)
        self.playing = False
        self.playback = Playback(self._advance, rate, self.pause, self)
        self.runner = JobRunner(self, prepare=self._levels, steps=_compare_steps)
        self.runner.finished.connect(lambda _seq, shown: self._show(*shown))
        self.runner.failed.connect(lambda _seq, failure: self._fail(failure.message))
        document.resultReady.connect(lambda shown: self._submit(shown.result))
        document.jobFailed.connect(lambda failure: self._fail(failure.message) if self.is_active else None)
        document.imageChanged.connect(self._image_changed)

    # -- entering and leaving ---------------------------------------------------------------------------
    def freeze(self) -> bool:
        """A = the editor's kernel as it is now; then edit B and watch the difference."""
        o = self.document.options
        return self.enter(KernelA("the kernel when frozen", o.kernel, o.weight, o.offset))

    def compare_with_preset(self, preset: engine.Preset) -> bool:
        return self.enter(KernelA(preset.name, preset.kernel, preset.weight, preset.offset))

    def compare_with_file(self, path: str) -> bool:
        try:
            kernel = engine.load_kernel(path)
        except (OSError, engine.KernelscopeError) as e:
            return self._refuse(f"Cannot read kernel A from {path}: {e}")
        name = path.replace("\\", "/").rsplit("/", 1)[-1]
        return self.enter(KernelA(name, tuple(tuple(r) for r in kernel)))

    def enter(self, a: KernelA) -> bool:
        """Compare ``a`` with the editor's kernel (or, already comparing, switch to this A). Refused with one
        message, changing nothing, when there is no image, the layer stack is on, or A cannot run with B's
        options on it."""
        document = self.document
        if document.image is None:
            return self._refuse("Open an image first: compare mode runs both kernels on it")
        if document.stack.active:  # its editor edits the stack's layer, and its views are the stack's
            return self._refuse("Compare mode compares two kernels in the one-layer window: leave the layer "
                                "stack first (Layers > Layer stack)")
        try:
            engine.check_comparable(document.image.shape, a.options(document.options), document.options)
        except engine.KernelscopeError as e:
            return self._refuse(f"Cannot compare with {a.name}: {e}")
        self.a, self.comparison, self.problem = a, None, None
        self.step.set_titles(a.label, B_LABEL)
        if not self.is_active:
            self.is_active = True
            self._swap_views(compare=True)
            self.dock.show()
            self.entered.emit()
            self._relayout(self.dock)
        self._submit(document.result if document.is_current else None)
        return True

    def leave(self) -> None:
        """Back to the normal views, as they were; the runner drops any comparison in flight."""
        if not self.is_active:
            return
        self.pause()
        self.is_active = False
        self.runner.cancel()
        self.comparison = self.cursor = self.views.comparison = None  # next time: fitted afresh
        self._explained.clear()
        self.views.mark(None)
        self.dock.hide()
        self._swap_views(compare=False)
        self.left.emit()
        self._relayout(None)

    def _build_step(self, _dock):
        from gui.compare_step import CompareStep

        step = CompareStep()
        for action in self.toolbar_actions:
            step.toolbar.addAction(action) if action is not None else step.toolbar.addSeparator()
        if self._presentation:
            step.set_presentation(True)
        return step

    @property
    def step(self):
        """The dock's gui.compare_step.CompareStep (A's and B's step panels), built on first use."""
        return self.dock.content

    @property
    def views(self):
        """A's, B's and A - B's views (gui.compare_views), swapped in for the normal ones while the mode is on."""
        if self._views is None:
            from gui.compare_views import CompareViews

            self._views = CompareViews()
            self._views.pixelClicked.connect(self.select)
            if self._presentation:
                self._views.set_presentation(True)
        return self._views

    def set_presentation(self, on: bool) -> None:
        self._presentation = on
        if self._views is not None:
            self._views.set_presentation(on)
        if self.dock.built:
            self.step.set_presentation(on)
        if self.is_active:
            self.refresh()

    def _refuse(self, message: str) -> bool:
        self.say(message, error=True)
        return False

    def _swap_views(self, compare: bool) -> None:
        """The compare views in the central area, or the normal views again (which kept their zoom)."""
        self.normal_views.colour_ahead = not compare
        self.window.show_views(self.views if compare else None)

    # -- comparing --------------------------------------------------------------------------------------
    def _image_changed(self) -> None:
        self.comparison, self.cursor = None, None

    def _submit(self, b_result: engine.JobResult | None) -> None:
        """Compare A with B's result (after each of the document's results; B's options otherwise)."""
        document = self.document
        if not self.is_active or document.image is None:
            return
        b = document.options if b_result is None else b_result.options
        try:
            a = self.a.options(b)
        except engine.KernelscopeError as e:
            self._fail(str(e))
            return
        kept = self.comparison.a if self.comparison is not None else None
        self.runner.submit(document.image, CompareRequest(a, b, kept, b_result))

    def _levels(self, comparison: engine.Comparison) -> tuple[engine.Comparison, engine.ComparisonLevels]:
        """On the worker thread, with the comparison: its display levels (the normal views' rule)."""
        signed = is_diverging(comparison.b.options)
        return comparison, engine.comparison_levels(comparison, signed, self.normal_views.levels_choice)

    def _show(self, comparison: engine.Comparison, levels: engine.ComparisonLevels) -> None:
        if not self.is_active:
            return
        first = self.comparison is None
        self.comparison, self.levels, self.problem = comparison, levels, None
        channel = self._channel()
        self.views.show_comparison(comparison, levels, self.a.label, B_LABEL, channel)
        height, width = comparison.difference.shape[:2]
        lab = comparison.b.options.lab
        # a new A or image opens at the largest difference; B's edits keep the pixel (where it still exists)
        keep = None if first or self.cursor is None else self.cursor.pos
        if self.cursor is None or (self.cursor.height, self.cursor.width, self.cursor.lab) != (height, width, lab):
            self.cursor = StepCursor(height, width, lab)
        if keep is None or not self._place(keep):
            self._place(comparison.largest_at[:2] if comparison.largest_at else (0, 0))  # lab: (0, 0) is refused
        self.refresh()
        self.compared.emit(comparison)

    def _fail(self, message: str) -> None:
        if not self.is_active:
            return
        self.problem = message
        self.pause()
        self.views.show_problem(message)
        self.step.show_unavailable(message)
        self.failed.emit(message)

    def _explain(self, side: str, image, options: engine.JobOptions, pixel: tuple[int, int], channel: int
                 ) -> engine.PixelExplanation:
        """engine.explain_pixel, the same object again while its inputs are: B's edits leave A's panel be."""
        key = (options, pixel, channel)
        known = self._explained.get(side)
        if known is None or known[0] is not image or known[1] != key:
            known = (image, key, engine.explain_pixel(image, options, *pixel, channel))
            self._explained[side] = known
        return known[2]

    def refresh(self, zoom: bool = False) -> None:
        """Explain the current pixel with A and B (engine.explain_pixel) and mark it in the views."""
        pixel, comparison = self.current, self.comparison
        if pixel is None or comparison is None or self.problem is not None:
            return
        image, channel = comparison.a.image, self._channel()
        try:
            a, b = (self._explain(side, image, result.options, pixel, channel)
                    for side, result in (("a", comparison.a), ("b", comparison.b)))
        except engine.KernelscopeError as e:
            self.step.show_unavailable(str(e))
            return
        try:
            pools = engine.explain_pooled_both(comparison, *pixel, channel)
        except engine.KernelscopeError:
            pools = None  # e.g. lab mode's pooling of an odd-sized result: the convolved side still shows
        self.step.show_pixel(comparison, a, b, channel, pools)
        self.views.mark(pixel, engine.pooled_pixel(comparison, *pixel))
        if zoom:
            self.views.zoom_to(pixel, 3 * max(comparison.b.options.shape) + 20)
