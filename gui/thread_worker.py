"""The app's one worker pattern: a function or generator run on Qt's thread pool, its outcome as signals.

``create_worker(function, *args)`` has the interface of superqt's ``create_worker`` (which the app used
before): ``yielded`` for each value a generator yields, ``returned`` with what it returns, ``errored``
with an exception it raises, ``aborted`` when ``quit()`` stopped it at a ``yield``, and ``finished`` last
in every case; ``start()`` hands it to the pool. The signals live on a QObject made on the calling (GUI)
thread, so their slots run there. Own code because importing superqt loads every one of its widgets (and
pygments) first, about a tenth of the window's start-up, for these few lines.
"""

from __future__ import annotations

import inspect
from functools import partial
from typing import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

_ABORTED = object()


class _Signals(QObject):
    started = Signal()
    yielded = Signal(object)
    returned = Signal(object)
    errored = Signal(object)
    aborted = Signal()
    finished = Signal()


class Worker(QRunnable):
    """One run of a function or generator on the thread pool (see the module docstring)."""

    #: started workers, kept alive until they have finished (the pool does not own them)
    _running: set["Worker"] = set()

    def __init__(self, function: Callable, *args, **kwargs) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self._signals = _Signals()
        self._call = partial(function, *args, **kwargs)
        self._generator = inspect.isgeneratorfunction(function)
        self._abort = False
        for name in ("started", "yielded", "returned", "errored", "aborted", "finished"):
            setattr(self, name, getattr(self._signals, name))

    @property
    def abort_requested(self) -> bool:
        return self._abort

    def quit(self) -> None:
        """Ask a generator to stop at its next ``yield`` (a function runs to its end)."""
        self._abort = True

    def start(self) -> None:
        Worker._running.add(self)
        self._signals.finished.connect(lambda: Worker._running.discard(self))
        QThreadPool.globalInstance().start(self)

    def run(self) -> None:  # on a pool thread
        try:
            self._signals.started.emit()
            try:
                result = self._work()
            except RuntimeError as error:
                if self._gone(error):
                    return
                self._signals.errored.emit(error)
            except Exception as error:  # noqa: BLE001 - handed to the GUI thread as a signal
                self._signals.errored.emit(error)
            else:
                if result is not _ABORTED:
                    self._signals.returned.emit(result)
            self._signals.finished.emit()
        except RuntimeError as error:
            if not self._gone(error):
                raise

    @staticmethod
    def _gone(error: RuntimeError) -> bool:
        """Did Qt delete the signals' object (the application is shutting down)? Nobody is listening then."""
        text = str(error)
        return "deleted" in text and ("Signal source" in text or "C++ object" in text)

    def _work(self):
        if not self._generator:
            return self._call()
        generator = self._call()
        try:
            while True:
                if self._abort:
                    self._signals.aborted.emit()
                    return _ABORTED
                try:
                    value = next(generator)
                except StopIteration as stop:
                    return stop.value
                self._signals.yielded.emit(value)
        finally:
            generator.close()  # its own clean-up (finally blocks) runs here, on this thread


def create_worker(function: Callable, *args, _start_thread: bool = False, **kwargs) -> Worker:
    """A Worker for ``function(*args, **kwargs)``; started at once only with ``_start_thread=True``."""
    worker = Worker(function, *args, **kwargs)
    if _start_thread:
        worker.start()
    return worker
