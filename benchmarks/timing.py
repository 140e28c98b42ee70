"""Small helpers the benchmark scripts share."""


def percentile(values, fraction: float) -> float:
    """The value at ``fraction`` (0..1) of the sorted values, nearest rank (p95: fraction 0.95)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run_until(condition, timeout_s: float = 60.0) -> bool:
    """Run the Qt event loop as the app does (exec, which releases the GIL while idle: a processEvents()
    loop would keep it and starve the engine's threads) until condition() holds, polled every 1 ms."""
    from PySide6.QtCore import QEventLoop, QTimer

    if condition():
        return True
    loop = QEventLoop()
    poll = QTimer(interval=1, timeout=lambda: condition() and loop.quit())
    deadline = QTimer(singleShot=True, timeout=loop.quit)
    poll.start()
    deadline.start(int(timeout_s * 1000))
    loop.exec()
    poll.stop()
    deadline.stop()
    return condition()


def open_window(width: int = 1280, height: int = 720):
    """The real main window, offscreen, with no saved settings or session, shown at width x height:
    (the application, the window)."""
    from gui.application import make_application

    app = make_application()
    from gui.main_window import MainWindow

    window = MainWindow(restore=False, persist=False)
    window.resize(width, height)
    window.show()
    app.processEvents()
    return app, window


def close_window(app, window) -> None:
    """Stop the window's jobs and close it (the counterpart of open_window)."""
    window.document.shutdown()
    window.close()
    app.processEvents()
