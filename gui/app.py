"""Starting the window: --image/--preset/--lab, the last session, --screenshot and --self-test."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import engine
from gui.application import install_excepthook, make_application, resume_garbage_collection


#: How long the window waits for its first results before it is shown (see run_app)
FIRST_RESULT_WAIT_MS = 200


def open_start_image(window, args) -> None:
    """--image (a sample name or a file), else the last session, else ascent as in the notebook; then
    --preset and --lab, each refused with a message if the options cannot take it."""
    files, document = window.files, window.document
    if args.image:
        if args.image in engine.sample_names():
            files.load_sample(args.image)
        elif not files.open_image(args.image):
            files.load_sample("ascent")
    elif not window.restore_last_session():
        files.load_sample("ascent")
    if document.image is None:
        files.load_sample("ascent")
    if args.preset:
        try:
            preset = engine.get_preset(args.preset)
        except engine.KernelscopeError as e:
            window.status.show_message(str(e), error=True)
        else:
            document.change(kernel=preset.kernel, weight=preset.weight, offset=preset.offset)
    if args.lab:
        document.change(lab=True)


def parse_step(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    try:
        row, col = (int(v) for v in text.split(","))
    except ValueError:
        raise SystemExit(f"kernelscope: error: --step needs ROW,COL, e.g. --step 100,200, not {text!r}")
    return row, col


def unusable_start(args) -> str | None:
    """Why --image or --preset cannot be used, for --screenshot, where no one would answer the dialog."""
    try:
        if args.image and args.image not in engine.sample_names():
            engine.load_image(args.image)
        if args.preset:
            engine.get_preset(args.preset)
    except engine.KernelscopeError as e:
        return str(e)
    return None


def run_app(args) -> int:
    if args.self_test is not None:
        from gui.self_test import run_self_test

        resume_garbage_collection()
        return run_self_test(args)
    step = parse_step(args.step)
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        problem = unusable_start(args)
        if problem:
            print(f"kernelscope: error: {problem}", file=sys.stderr)
            return 1
    app = make_application()
    from gui.main_window import MainWindow

    scripted = bool(args.screenshot)
    if not scripted:
        install_excepthook()
    window = MainWindow(restore=not (args.fresh or scripted), persist=not scripted)
    after_first_result(window, resume_garbage_collection)
    if args.presentation:
        window.set_presentation(True)
    if scripted:
        window.resize(1440, 820)
    open_start_image(window, args)
    if not scripted:
        # The first results in the window's first paint when they come soon (ascent's take tens of ms),
        # instead of a paint without them and one more with them; a longer job (a big image from the last
        # session) shows the window with its progress bar after this wait.
        window.document.wait_for_idle(FIRST_RESULT_WAIT_MS)
    window.show()
    if os.environ.get("KERNELSCOPE_STARTUP_PROBE"):
        _quit_when_first_result_is_painted(app, window)
    if scripted:
        return take_screenshot(window, Path(args.screenshot), step)
    return app.exec()


def after_first_result(window, callback, fallback_ms: int = 10000) -> None:
    """``callback()`` once, when the window's first result (or refusal) has been shown: on the event loop's
    next turn, after the paint it asked for; or after ``fallback_ms`` if no job ever ends."""
    from PySide6.QtCore import QTimer

    document, pending = window.document, [True]

    def once(*_args) -> None:
        if pending:
            pending.clear()
            document.resultReady.disconnect(once)
            document.jobFailed.disconnect(once)
            QTimer.singleShot(0, callback)

    document.resultReady.connect(once)
    document.jobFailed.connect(once)
    QTimer.singleShot(fallback_ms, window, once)  # not after the window is gone


def _quit_when_first_result_is_painted(app, window) -> None:
    """For benchmarks/startup.py, once the window is shown: print 'ready' once the first results are on
    screen (painted now if the window came with them), then quit."""
    from PySide6.QtCore import QTimer

    def ready(_shown=None) -> None:
        window.repaint()
        print("ready", flush=True)
        QTimer.singleShot(0, window.close)

    document = window.document
    if document.shown is not None and document.is_current:
        QTimer.singleShot(0, ready)
        return

    def first(shown) -> None:
        document.resultReady.disconnect(first)
        ready(shown)

    document.resultReady.connect(first)


def take_screenshot(window, path: Path, step: tuple[int, int] | None) -> int:
    from PySide6.QtWidgets import QApplication

    if not window.document.wait_for_idle(30000):
        print("kernelscope: error: the job did not finish in time for the screenshot", file=sys.stderr)
        return 1
    if step is not None:
        window.step_mode.enter()
        try:
            window.step_mode.select(*step)
        except engine.KernelscopeError as e:
            print(f"kernelscope: error: {e}", file=sys.stderr)
            return 1
    for _ in range(5):
        QApplication.processEvents()
    if not window.grab().save(str(path)):
        print(f"kernelscope: error: cannot write {path}", file=sys.stderr)
        return 1
    window.close()
    print(f"saved {path}")
    return 0
