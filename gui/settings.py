"""What the window remembers between runs (QSettings) and where its files live."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

import engine

ORG = "Kernelscope"
APP = "Kernelscope"


def settings() -> QSettings:
    return QSettings(ORG, APP)


def data_dir() -> Path:
    """The user's data folder (log file, user presets); created on demand."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    path = Path(folder) if folder else Path.home() / ".kernelscope"
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_path() -> Path:
    return data_dir() / "kernelscope.log"


def presets_path() -> Path:
    return data_dir() / "presets.json"


def save_last_session(session: engine.Session) -> None:
    settings().setValue("session/last", json.dumps(session.to_dict()))


def load_last_session() -> tuple[engine.Session | None, str | None]:
    """The session saved at the last exit, or (None, reason) if there is none or it is unusable."""
    text = settings().value("session/last")
    if not text:
        return None, None
    try:
        return engine.Session.from_dict(json.loads(str(text)), "the last session"), None
    except (ValueError, engine.KernelscopeError) as e:
        return None, f"The last session could not be restored: {e}"


def restore_last_session(files, say) -> bool:
    """Apply the session saved at the last exit through ``files`` (gui.file_actions); a problem reading it
    goes to ``say(text, error=True)``. False if there was none to apply."""
    session, problem = load_last_session()
    if problem:
        say(problem, error=True)
    if session is None:
        return False
    files.apply_session(session)
    return True


def last_folder() -> str:
    return str(settings().value("files/last_folder", str(Path.home())))


def set_last_folder(path: str | Path) -> None:
    settings().setValue("files/last_folder", str(Path(path).parent))


def place_window(window, restore: bool) -> None:
    """The first window (or one not to ``restore``) takes most of the screen, centred; else the window's
    geometry and dock layout from the last run."""
    screen = window.screen().availableGeometry()
    window.resize(int(screen.width() * 0.9), int(screen.height() * 0.9))
    window.move(screen.center() - window.rect().center())
    if restore:
        restore_window(window)


def restore_window(window) -> None:
    """The window's geometry and dock layout from the last run."""
    store = settings()
    geometry = store.value("window/geometry")
    if geometry is not None:
        window.restoreGeometry(geometry)
    state = store.value("window/state")
    if state is not None:
        window.restoreState(state)
    if not window.lesson_dock.isHidden():  # the Lesson dock was open: its lesson and step where they were
        window.lessons.resume(*lesson_position(store))


def lesson_position(store: QSettings) -> tuple[int, int]:
    """(lesson, step) the Lesson dock showed at the last exit; (0, 0) if none or unreadable."""
    try:
        return int(store.value("lessons/lesson", 0)), int(store.value("lessons/step", 0))
    except (TypeError, ValueError):
        return 0, 0


def save_window(window, session: engine.Session) -> None:
    """The window's geometry and dock layout, and the session to restore at the next start."""
    store = settings()
    store.setValue("window/geometry", window.saveGeometry())
    store.setValue("window/state", window.saveState())
    position = window.lessons.position if window.lesson_dock.built else None
    if position is not None:
        store.setValue("lessons/lesson", position[0])
        store.setValue("lessons/step", position[1])
    save_last_session(session)
    store.sync()
