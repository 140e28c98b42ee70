"""Every lesson file, every step, against the real window: each state is valid (applied without a refusal
or a failed job) and each check is reachable by the step's scripted solution."""

import json

import pytest

import engine
from engine import lessons as engine_lessons

LESSONS = engine_lessons.lesson_paths()


def test_there_are_the_six_lessons_and_the_first_is_the_lab():
    titles = [engine_lessons.load_lesson(p).title for p in LESSONS]
    assert len(titles) >= 6 and "lab" in titles[0].lower()


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_every_step_sets_a_valid_state_and_every_check_is_reachable(qtbot, window, path):
    refused = []
    window.document.refused.connect(refused.append)
    window.lesson_dock.show()
    panel = window.lessons
    panel.load()
    number = [lesson.path for lesson in panel.lessons].index(str(path))
    panel.start(number)
    lesson = panel.lesson
    for index, step in enumerate(lesson.steps):
        panel.go(index)
        assert window.document.wait_for_idle(30000)
        assert not refused and window.document.failure is None, (index, refused)
        assert "cannot be set up" not in panel.text.text(), index
        assert window.document.source.sample is not None  # every lesson runs on a built-in sample
        if "step" in step.state:
            want = None if step.state["step"] is None else tuple(step.state["step"])
            assert window.step_mode.current == want, index
        if "tap" in step.state:
            assert window.step_mode.tap == step.state["tap"]
        if step.check is None:
            assert panel.question.text() == ""
            continue
        assert step.solution, f"step {index + 1} asks something but has no solution"
        panel.apply(step.solution)
        assert window.document.wait_for_idle(30000) and not refused
        assert panel.passed() is True, (index, step.check)
        panel.show_check()
        assert "Done" in panel.question.text()
        panel.go(index)  # back to the step as written: the question is open again
        window.document.wait_for_idle(30000)
        assert panel.passed() is False, (index, step.check)


def test_a_broken_lesson_file_gets_one_clear_message(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"title": "x", "steps": [{"text": "t", "check": {"kind": "be_happy"}}]}))
    with pytest.raises(engine_lessons.LessonError, match="unknown check 'be_happy'"):
        engine_lessons.load_lesson(bad)
    bad.write_text(json.dumps({"title": "x", "steps": [{"text": "t", "state": {"preset": "Nope"}}]}))
    with pytest.raises(engine_lessons.LessonError, match="step 1"):
        engine_lessons.load_lesson(bad)
    bad.write_text("{not json")
    with pytest.raises(engine_lessons.LessonError, match="cannot read"):
        engine_lessons.load_lesson(bad)


def test_the_frozen_build_ships_the_lessons():
    spec = open("kernelscope.spec").read()
    assert '(str(ROOT / "resources"), "resources")' in spec  # the whole folder, lessons included
    assert engine.resources.resource_path("lessons").is_dir()


def _window(qtbot, restore, persist):
    from gui.main_window import MainWindow

    window = MainWindow(restore=restore, persist=persist)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_the_lesson_dock_restored_from_the_last_run_shows_its_lesson_and_step(qtbot):
    from gui.lessons import open_lessons

    first = _window(qtbot, restore=False, persist=True)
    open_lessons(first)
    first.lessons.go(2)
    assert first.document.wait_for_idle(30000)
    first.document.set_options(first.document.options.with_changes(weight=0.5))  # the user's own edit
    assert first.document.wait_for_idle(30000)
    first.close()

    again = _window(qtbot, restore=True, persist=False)
    assert again.restore_last_session()
    assert again.document.wait_for_idle(30000)
    panel = again.lessons
    assert again.lesson_dock.isVisible()
    titles = [engine_lessons.load_lesson(p).title for p in LESSONS]
    assert [panel.chooser.itemText(i) for i in range(panel.chooser.count())] == titles
    assert panel.position == (0, 2) and panel.chooser.currentIndex() == 0
    assert panel.counter.text() == f"step 3 of {len(panel.lesson.steps)}"
    assert titles[0] in panel.text.text()
    assert again.document.options.weight == 0.5  # the session the user left, not the step's state
    panel.next.click()  # and the lesson goes on from there
    assert panel.position == (0, 3)
    again.document.runner.shutdown()


def test_a_restored_lesson_position_that_no_longer_exists_starts_at_the_first(qtbot):
    window = _window(qtbot, restore=False, persist=False)
    window.lesson_dock.show()
    window.lessons.resume(len(LESSONS) + 3, 99)
    assert window.lessons.position == (0, 0) and window.lessons.chooser.count() == len(LESSONS)
    window.lessons.resume(1, 99)
    assert window.lessons.position == (1, 0)
    window.document.runner.shutdown()
def _go_to_lesson_1s_first_step_in_step_mode(window):
    """Opens the Lesson dock and goes to lesson 1's first step that puts the window in step mode."""
    window.lesson_dock.show()
    panel = window.lessons
    panel.load()
    panel.start(0)
    stepped = next(i for i, step in enumerate(panel.lesson.steps) if step.state.get("step"))
    panel.go(stepped)
    return panel, stepped


def test_a_lesson_step_turns_the_layer_stack_off_to_set_up_the_window(qtbot, window):
    """Seen under Xvfb: a lesson step taken with the stack on showed the hidden one-layer window's step panel
    under the stack's views."""
    with qtbot.waitSignal(window.document.stack.resultReady, timeout=20000):
        window.document.stack.activate(engine.PIPELINE_PRESETS["Edges of edges"])
    panel, stepped = _go_to_lesson_1s_first_step_in_step_mode(window)
    assert not window.document.stack.active and window.shown_views is window.centre
    assert window.step_mode.current == tuple(panel.lesson.steps[stepped].state["step"])


def test_a_lesson_step_leaves_compare_mode_to_set_up_the_window(qtbot, window):
    """Taken in compare mode, a lesson step put the one-layer step panel in a sliver beside the compare dock."""
    assert window.compare.freeze()
    panel, stepped = _go_to_lesson_1s_first_step_in_step_mode(window)
    assert not window.compare.is_active and window.shown_views is window.centre
    assert window.step_mode.current == tuple(panel.lesson.steps[stepped].state["step"])


def test_the_lesson_title_is_not_clipped_in_presentation_mode_at_1024x768(qtbot, window):
    """Seen under Xvfb: the title's last letters ran under the scroll bar ('...ascent phot'). Nothing is
    painted in the text's last pixel columns, so no letter reaches the edge where it would be cut."""
    from gui.lessons import open_lessons

    window.resize(1024, 768)
    window.set_presentation(True)
    try:
        open_lessons(window)
        qtbot.wait(100)
        label = window.lessons.text
        image = label.grab().toImage()
        background = label.palette().color(label.backgroundRole()).rgb()
        edge = {image.pixel(x, y) for x in range(image.width() - 3, image.width()) for y in range(image.height())}
        assert edge <= {background}
    finally:
        window.set_presentation(False)
