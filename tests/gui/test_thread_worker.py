"""gui.thread_worker: functions and generators on the thread pool, their outcomes as signals on the GUI thread."""

import subprocess
import sys
import threading
from pathlib import Path

from gui.thread_worker import create_worker

ROOT = Path(__file__).resolve().parents[2]


def _record(worker):
    """Every signal the worker emits, in order, with the thread its slot ran on."""
    events = []
    main = threading.get_ident()
    for name in ("started", "yielded", "returned", "errored", "aborted", "finished"):
        getattr(worker, name).connect(
            lambda *args, name=name: events.append((name, args[0] if args else None, threading.get_ident() == main)))
    return events


def test_a_generator_yields_then_returns_on_a_pool_thread(qtbot):
    threads = []

    def steps(n):
        threads.append(threading.get_ident())
        for k in range(n):
            yield k / n
        return "done"

    worker = create_worker(steps, 3)
    events = _record(worker)
    with qtbot.waitSignal(worker.finished, timeout=5000):
        worker.start()
    assert [e[:2] for e in events] == [("started", None), ("yielded", 0.0), ("yielded", 1 / 3), ("yielded", 2 / 3),
                                       ("returned", "done"), ("finished", None)]
    assert all(on_main for *_, on_main in events)  # slots run on the GUI thread
    assert threads and threads[0] != threading.get_ident()  # the work did not


def test_a_function_returns_and_an_error_is_emitted_not_raised(qtbot):
    worker = create_worker(lambda a, b=0: a + b, 2, b=5)
    events = _record(worker)
    with qtbot.waitSignal(worker.finished, timeout=5000):
        worker.start()
    assert [e[:2] for e in events] == [("started", None), ("returned", 7), ("finished", None)]

    def fails():
        yield 0.5
        raise ValueError("bad input")

    worker = create_worker(fails)
    events = _record(worker)
    with qtbot.waitSignal(worker.finished, timeout=5000):
        worker.start()
    names = [name for name, *_ in events]
    assert names == ["started", "yielded", "errored", "finished"]
    error = events[2][1]
    assert isinstance(error, ValueError) and str(error) == "bad input"


def test_quit_stops_a_generator_at_its_next_yield_and_runs_its_clean_up(qtbot):
    release, cleaned = threading.Event(), threading.Event()
    reached = []

    def endless():
        try:
            k = 0
            while True:
                reached.append(k)
                release.wait(5)
                yield k
                k += 1
        finally:
            cleaned.set()

    worker = create_worker(endless)
    events = _record(worker)
    worker.start()
    qtbot.waitUntil(lambda: bool(reached), timeout=5000)
    worker.quit()
    assert worker.abort_requested
    with qtbot.waitSignal(worker.finished, timeout=5000):
        release.set()
    names = [name for name, *_ in events]
    assert "aborted" in names and "returned" not in names and names[-1] == "finished"
    assert cleaned.is_set() and len(reached) == 1


def test_the_window_starts_without_importing_superqt():
    code = ("import sys; import gui.main_window, gui.worker, gui.learn_runner, gui.export.animation; "
            "sys.exit(1 if any(m.split('.')[0] == 'superqt' for m in sys.modules) else 0)")
    env = {"QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, timeout=120).returncode == 0
