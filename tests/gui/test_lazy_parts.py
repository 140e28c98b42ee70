"""What the window does not show at first is built when first opened, with its menus and shortcuts there
from the start: the Learn, Lesson and Kernel analysis docks, compare mode's views, the step panels of step
mode, compare mode and the layer stack, and the layer strip."""
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


def _unbuilt_docks(window):
    return {"step": window.step_mode.dock, "compare": window.compare.dock, "strip": window.stack_mode.strip_dock,
            "stack step": window.stack_mode.step_dock}


def test_the_step_panels_and_the_layer_strip_are_not_built_with_the_window(qtbot, window):
    assert [name for name, dock in _unbuilt_docks(window).items() if dock.built] == []
    assert all(dock.isHidden() for dock in _unbuilt_docks(window).values())


@pytest.mark.parametrize("presentation", [False, True])
def test_step_mode_builds_its_panel_on_entering_and_explains_the_pixel(qtbot, window, presentation):
    if presentation:
        window.set_presentation(True)
    try:
        window.step_mode.controls.toggle.trigger()  # F9, as from the toolbar
        assert window.step_mode.dock.built and window.step_mode.dock.isVisible()
        window.step_mode.select(2, 3)
        explanation = window.step_mode.panel.explanation
        assert explanation.out_pos == (2, 3)
        assert window.step_mode.panel.presentation is presentation
    finally:
        window.set_presentation(False)


def test_compare_mode_builds_its_step_dock_with_the_toolbar_actions_on_entering(qtbot, window):
    with qtbot.waitSignal(window.compare.compared, timeout=10000):
        menu_action(window, "View", "Compare with", "A = current kernel (freeze it, then edit B)").trigger()
    step = window.compare.step
    assert window.compare.dock.isVisible()
    texts = [a.text() for a in step.toolbar.actions()]
    assert texts == ["Go to the &largest difference", "◀ Previous pixel", "▶ Play", "Next pixel ▶",
                     "&Next differing pixel", "", "&Leave compare mode"]
    step.toolbar.actions()[-1].trigger()  # Leave, from the dock's own toolbar
    assert not window.compare.is_active and window.compare.dock.isHidden()


def test_the_layer_stack_builds_its_strip_showing_the_pipeline_on_first_use(qtbot, window):
    with qtbot.waitSignal(window.document.stack.resultReady, timeout=10000):
        menu_action(window, "Layers", "Layer stack").trigger()
    strip = window.stack_mode.strip
    assert window.stack_mode.strip_dock.isVisible()
    layers = window.document.stack.pipeline.layers
    assert [strip.list.item(i).text() for i in range(strip.list.count())] == [
        f"{n}. {layer.label}" for n, layer in enumerate(layers, start=1)]
    with qtbot.waitSignal(window.document.stack.resultReady, timeout=10000):
        strip.buttons["relu"].click()  # one stack edit, shown in the strip
    assert strip.list.count() == len(layers) + 1
    window.stack_mode.select(1, 0, 0)
    assert window.stack_mode.step_dock.isVisible()
    assert window.stack_mode.step_dock.widget() is window.stack_mode.panel


def test_every_menu_action_is_there_and_works_right_after_the_window_is_shown(qtbot, tmp_path, no_dialogs,
                                                                                 monkeypatch):
    """The window just shown, before its first result or any turn of the event loop: each dock's and
    mode's keys are there, and the actions that open what is built on first use open it at once."""
    from PySide6.QtGui import QKeySequence
    from PySide6.QtWidgets import QFileDialog

    from gui.main_window import MainWindow

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: ("", "")))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    w = MainWindow(restore=False, persist=False)
    qtbot.addWidget(w)
    w.files.load_sample("ascent")
    w.show()
    keys = {a.shortcut().toString(QKeySequence.SequenceFormat.PortableText) for a in _all_actions(w.menuBar())}
    assert {"F9", "F8", "Shift+F8", "Ctrl+Shift+L", "Ctrl+L", "F1", "Ctrl+K", "Ctrl+H", "F11"} <= keys
    try:
        menu_action(w, "Step", "Step through").trigger()
        assert w.step_mode.is_active and w.step_mode.dock.isVisible() and w.step_mode.dock.built
        menu_action(w, "Step", "Step through").trigger()
        assert not w.step_mode.is_active
        menu_action(w, "View", "Learn a kernel").trigger()
        assert w.learn_dock.built
        menu_action(w, "Help", "Lessons").trigger()
        assert w.lesson_dock.built
        with qtbot.waitSignal(w.compare.compared, timeout=20000):
            menu_action(w, "View", "Compare with", "A = current kernel (freeze it, then edit B)").trigger()
        assert w.compare.dock.isVisible()
        menu_action(w, "View", "Compare with", "Leave compare mode").trigger()
        assert not w.compare.is_active
        with qtbot.waitSignal(w.document.stack.resultReady, timeout=20000):
            menu_action(w, "Layers", "Layer stack").trigger()
        assert w.stack_mode.strip_dock.isVisible()
        menu_action(w, "Layers", "Layer stack").trigger()
        assert not w.document.stack.active
        assert menu_action(w, "Edit", "Copy as code", "NumPy").isEnabled()
    finally:
        w.document.runner.shutdown()


def _all_actions(menu_or_bar):
    for action in menu_or_bar.actions():
        yield action
        if action.menu() is not None:
            yield from _all_actions(action.menu())


def test_starting_the_window_imports_none_of_what_it_does_not_show():
    late = ["gui.learn_panel", "gui.lessons", "gui.export.figure", "engine.learn", "engine.lessons",
            "engine.analysis", "engine.frequency", "engine.comparison",
            # the step panels (and their text layout), the layer strip, the compare views and step dock
            "gui.step.panel", "gui.step.labels", "gui.compare_step", "gui.compare_views", "gui.stack_step",
            "gui.layer_strip", "gui.self_test",
            # Pillow (ascent opens from its decoded copy), the HTML escapes of the shortcut list
            "PIL", "html", "scipy"]
    code = ("import os, sys; os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
            "from gui.application import make_application\n"
            "app = make_application()\n"
            "from gui.main_window import MainWindow\n"
            "window = MainWindow(restore=False, persist=False)\n"
            "window.files.load_sample('ascent')\n"
            f"print(sorted(m for m in {late!r} if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stderr
