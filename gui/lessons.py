"""Help > Lessons: a dock that walks through the lesson files (engine.lessons), one step at a time. Each
step sets the window's state through the document, the file actions and step mode (the same paths a user's
clicks take), shows its text, and, when it asks for something, says whether the app's state does it yet,
answered by the lesson's check (an engine function)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (QComboBox, QDockWidget, QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea,
                               QVBoxLayout, QWidget)

import engine
from engine import lessons as engine_lessons

CHECK_MS = 250  # how often a step's question is checked against the app's state (each check is cheap)


class LessonPanel(QWidget):
    """The lesson chooser, the step's text, its question and Back/Next."""

    def __init__(self, window):
        super().__init__()
        self.window = window
        self.lessons: list[engine_lessons.Lesson] = []
        self.lesson: engine_lessons.Lesson | None = None
        self.index = 0
        self.chooser = QComboBox()
        self.chooser.currentIndexChanged.connect(self._choose)
        self.counter = QLabel()
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # wrapping measures a line a few pixels narrower than large bold text paints (the title in presentation
        # mode): room on the right keeps its last letters off the scroll bar's edge
        self.text.setContentsMargins(0, 0, 8, 0)
        self.question = QLabel()
        self.question.setWordWrap(True)
        self.back = QPushButton("◀ Back")
        self.next = QPushButton("Next ▶")
        self.back.clicked.connect(lambda: self.go(self.index - 1))
        self.next.clicked.connect(lambda: self.go(self.index + 1))
        buttons = QHBoxLayout()
        buttons.addWidget(self.back)
        buttons.addWidget(self.counter, 1, Qt.AlignmentFlag.AlignCenter)
        buttons.addWidget(self.next)
        layout = QVBoxLayout(self)
        layout.addWidget(self.chooser)
        scroll = QScrollArea()
        scroll.setWidget(self.text)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setMinimumHeight(160)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.question)
        layout.addLayout(buttons)
        self.timer = QTimer(self, interval=CHECK_MS, timeout=self.show_check)

    def load(self) -> None:
        """Read the lesson files (once); a broken file is reported and the others still offered."""
        if self.lessons:
            return
        for path in engine_lessons.lesson_paths():
            try:
                self.lessons.append(engine_lessons.load_lesson(path))
            except engine_lessons.LessonError as e:
                self.window.status.show_message(str(e), error=True)
        self.chooser.blockSignals(True)
        self.chooser.addItems([lesson.title for lesson in self.lessons])
        self.chooser.blockSignals(False)

    def start(self, number: int = 0) -> None:
        self.load()
        if self.lessons:
            self.chooser.setCurrentIndex(number)
            self._choose(number)
        self.timer.start()

    def _choose(self, number: int) -> None:
        if 0 <= number < len(self.lessons):
            self.lesson = self.lessons[number]
            self.go(0)

    def resume(self, number: int = 0, index: int = 0) -> None:
        """Show lesson ``number`` at step ``index`` (the first of each where they no longer exist) without
        setting its state: the dock restored from the last run, over the session the user left."""
        self.load()
        if not self.lessons:
            return
        number = number if 0 <= number < len(self.lessons) else 0
        self.chooser.blockSignals(True)
        self.chooser.setCurrentIndex(number)
        self.chooser.blockSignals(False)
        self.lesson = self.lessons[number]
        self._show(index if 0 <= index < len(self.lesson.steps) else 0)

    @property
    def position(self) -> tuple[int, int] | None:
        """(lesson, step) shown, or None before a lesson is."""
        return None if self.lesson is None else (self.lessons.index(self.lesson), self.index)

    @property
    def step(self) -> engine_lessons.LessonStep | None:
        return None if self.lesson is None else self.lesson.steps[self.index]

    def go(self, index: int) -> None:
        """Show step ``index`` of the lesson and set the app's state to it."""
        if self.lesson is None or not 0 <= index < len(self.lesson.steps):
            return
        self._show(index)
        try:
            self.apply(engine_lessons.state_at(self.lesson, index))
        except engine.KernelscopeError as e:
            self.text.setText(f"{self.text.text()}<p><b>This step cannot be set up:</b> {html.escape(str(e))}</p>")
        self.show_check()

    def _show(self, index: int) -> None:
        """Step ``index``'s text, counter and question, the app's state left as it is."""
        self.index = index
        step = self.lesson.steps[index]
        self.counter.setText(f"step {index + 1} of {len(self.lesson.steps)}")
        self.back.setEnabled(index > 0)
        self.next.setEnabled(index < len(self.lesson.steps) - 1)
        self.text.setText(f"<h3>{html.escape(self.lesson.title)}</h3>{step.text}")
        self.show_check()

    def apply(self, state: dict) -> None:
        """Set a step's (or a solution's) state: image, options, step position and tap, zoom."""
        window = self.window
        document, step_mode = window.document, window.step_mode
        window.compare.leave()  # lessons set up the one-layer window, which compare mode and the stack hide
        document.stack.deactivate()
        sample = state.get("sample")
        if sample is not None and (document.source is None or document.source.sample != sample):
            window.files.load_sample(sample)
        options = engine_lessons.state_options(document.options, state)
        document.set_options(options)
        if "step" in state:
            if state["step"] is None:
                step_mode.exit()
            else:
                step_mode.select(*state["step"])
        if "tap" in state and step_mode.is_active:
            step_mode.set_tap_mode(True)
            step_mode.tap = min(int(state["tap"]), step_mode.taps_per_pixel() - 1)
            step_mode.refresh()
        elif "step" in state and step_mode.tap is not None:
            step_mode.set_tap_mode(False)
        zoom = state.get("zoom")
        if zoom == "fit" or zoom is not None and step_mode.current is None:
            window.views.fit()
        elif zoom is not None:
            step_mode.zoom_to_current(zoom)

    def passed(self) -> bool | None:
        """Whether the app's state answers this step's question (None: it asks nothing)."""
        step, document = self.step, self.window.document
        if step is None or step.check is None or document.image is None:
            return None
        return step.check.passed(document.image, document.options, self.window.step_mode.current)

    def show_check(self) -> None:
        passed = self.passed()
        if passed is None:
            self.question.setText("")
        elif passed:
            self.question.setText(f"<span style='color:#1b5e20'><b>✓ Done:</b> {self.step.check.asks}.</span>")
        else:
            self.question.setText(f"<b>Your turn:</b> {self.step.check.asks}.")


def build_lesson_panel(dock: QDockWidget, window) -> LessonPanel:
    """The lesson dock's content (gui.docks.lesson_dock builds it when the dock is first shown); its
    checks run while the dock shows."""
    panel = LessonPanel(window)
    dock.visibilityChanged.connect(lambda shown: panel.timer.start() if shown else panel.timer.stop())
    return panel


def open_lessons(window) -> None:
    """Help > Lessons: show the lesson dock on the left, starting with the first lesson."""
    window.lesson_dock.show()
    window.lesson_dock.raise_()
    height = window.height()  # under the kernel editor, with room for a step's few sentences
    window.resizeDocks([window.side_dock, window.lesson_dock], [height * 2 // 5, height * 3 // 5],
                       Qt.Orientation.Vertical)
    if window.lessons.lesson is None:
        window.lessons.start(0)
