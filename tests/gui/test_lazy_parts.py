"""What the window does not show at first is built when first opened, with its menus and shortcuts there
from the start: the Learn, Lesson and Kernel analysis docks, compare mode's views."""
import subprocess
import sys
from pathlib import Path

import pytest

from tests.gui.menu_support import menu_action

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("dock, menu", [("learn_dock", ("View", "Learn a kernel")),
                                        ("analysis_dock", ("View", "Kernel analysis")),
                                        ("lesson_dock", ("Help", "Lessons"))])
def test_a_dock_is_built_when_its_menu_first_opens_it(qtbot, window, dock, menu):
    dock = getattr(window, dock)
    assert not dock.built and dock.isHidden()
    menu_action(window, *menu).trigger()
    qtbot.waitUntil(dock.isVisible)
    assert dock.built and dock.widget() is not None and dock.widget().isVisible()


def test_the_lessons_and_learn_panels_work_once_built(qtbot, window):
    menu_action(window, "Help", "Lessons").trigger()
    assert window.lessons.lesson is not None  # the first lesson started
    assert window.learn_panel.dock is window.learn_dock
    window.learn_dock.show()
    qtbot.waitUntil(lambda: window.learn_panel.controls.isVisible())


def test_compare_mode_builds_its_views_on_entering_in_presentation_mode_if_on(qtbot, window, monkeypatch):
    from gui.compare_views import CompareViews

    presented = []
    monkeypatch.setattr(CompareViews, "set_presentation", lambda views, on: presented.append(on))
    assert window.compare._views is None
    window.menus.presentation.trigger()  # followed once built, without building them
    try:
        assert window.compare._views is None
        with qtbot.waitSignal(window.compare.compared, timeout=10000):
            assert window.compare.freeze()
        assert window.shown_views is window.compare.views
        assert presented == [True]
    finally:
        window.set_presentation(False)  # the application's font is shared with the tests that follow


def test_starting_the_window_imports_none_of_what_it_does_not_show():
    late = ["gui.learn_panel", "gui.lessons", "gui.export.figure", "engine.learn", "engine.lessons",
            "engine.analysis", "engine.frequency", "engine.comparison"]
    code = ("import os, sys; os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
            "from gui.application import make_application\n"
            "app = make_application()\n"
            "from gui.main_window import MainWindow\n"
            "window = MainWindow(restore=False, persist=False)\n"
            f"print(sorted(m for m in {late!r} if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stderr
