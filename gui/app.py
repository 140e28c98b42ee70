"""Starting the window: QApplication set-up, the crash handler, --screenshot and --self-test."""

from __future__ import annotations

import datetime
import os
import sys
import traceback
from pathlib import Path

import engine


def install_excepthook() -> None:
    """Unhandled exceptions are written to the log file and shown, instead of silently killing the app."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    from gui.settings import log_path

    showing = []

    def hook(kind, error, tb) -> None:
        details = "".join(traceback.format_exception(kind, error, tb))
        try:
            with open(log_path(), "a", encoding="utf-8") as log:
                log.write(f"--- {datetime.datetime.now().isoformat(timespec='seconds')}\n{details}\n")
            where = f"\n\nDetails were written to {log_path()}"
        except OSError:
            where = ""
        sys.__stderr__.write(details)
        if QApplication.instance() is None or showing or os.environ.get("QT_QPA_PLATFORM") == "offscreen":
            return
        showing.append(1)
        try:
            box = QMessageBox(QMessageBox.Icon.Critical, "Kernelscope: unexpected error",
                              f"Something went wrong: {kind.__name__}: {error}{where}\n\nThe window keeps working; "
                              "if something looks wrong, reopen the image.")
            box.setDetailedText(details)
            box.exec()
        finally:
            showing.clear()

    sys.excepthook = hook


def make_application(argv: list[str] | None = None):
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtGui import QGuiApplication, QIcon
    from PySide6.QtWidgets import QApplication
    import pyqtgraph as pg

    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv or [sys.argv[0]])
    QCoreApplication.setOrganizationName("Kernelscope")
    QCoreApplication.setApplicationName("Kernelscope")
    icon = engine.resources.resource_path("icons", "kernelscope.png")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    pg.setConfigOptions(imageAxisOrder="row-major", antialias=False)
    return app


def open_start_image(window, args) -> None:
    """--image (a sample name or a file), else the last session, else ascent as in the notebook."""
    if args.image:
        if args.image in engine.sample_names():
            window.load_sample(args.image)
        elif not window.open_image(args.image):
            window.load_sample("ascent")
    elif not window.restore_last_session():
        window.load_sample("ascent")
    if window.image is None:
        window.load_sample("ascent")
    options = window.options
    if args.preset:
        try:
            preset = engine.get_preset(args.preset)
        except engine.KernelscopeError as e:
            window.show_message(str(e), error=True)
        else:
            options = options.with_changes(kernel=preset.kernel, weight=preset.weight, offset=preset.offset)
    if args.lab:
        try:
            options = options.with_changes(lab=True, pool=engine.LAB_POOL, **engine.lab_rules.fixed_options())
        except engine.KernelscopeError as e:
            window.show_message(str(e), error=True)
    if options != window.options:
        window.set_options(options)


def parse_step(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    try:
        row, col = (int(v) for v in text.split(","))
    except ValueError:
        raise SystemExit(f"kernelscope: error: --step needs ROW,COL, e.g. --step 100,200, not {text!r}")
    return row, col


def run_app(args) -> int:
    if args.self_test is not None:
        from gui.self_test import run_self_test

        return run_self_test(args)
    step = parse_step(args.step)
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = make_application()
    from gui.main_window import MainWindow

    scripted = bool(args.screenshot)
    if not scripted:
        install_excepthook()
    window = MainWindow(restore=not (args.fresh or scripted), persist=not scripted)
    if args.presentation:
        window.set_presentation(True)
    if scripted:
        window.resize(1440, 820)
    if os.environ.get("KERNELSCOPE_STARTUP_PROBE"):
        _quit_when_first_result_is_painted(app, window)
    open_start_image(window, args)
    window.show()
    if scripted:
        return take_screenshot(window, Path(args.screenshot), step)
    return app.exec()


def _quit_when_first_result_is_painted(app, window) -> None:
    """For benchmarks/startup.py: print 'ready' once the first results are on screen, then quit."""
    from PySide6.QtCore import QTimer

    def ready(_result) -> None:
        window.resultShown.disconnect(ready)
        window.repaint()
        print("ready", flush=True)
        QTimer.singleShot(0, window.close)

    window.resultShown.connect(ready)


def take_screenshot(window, path: Path, step: tuple[int, int] | None) -> int:
    from PySide6.QtWidgets import QApplication

    if not window.wait_for_idle(30000):
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
