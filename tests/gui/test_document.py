"""The document: the one place the window's state lives and every edit is validated."""

import numpy as np
import pytest

import engine
from gui.document import Document, Source
from gui.image_views import result_levels


@pytest.fixture
def document(qapp, small_image):
    doc = Document(result_levels)
    yield doc
    doc.shutdown()


def test_a_result_arrives_with_its_display_levels_for_the_current_options(qtbot, document, small_image):
    with qtbot.waitSignal(document.resultReady, timeout=10000) as ready:
        document.set_image(small_image, Source("crop"))
    shown = ready.args[0]
    assert shown is document.shown and shown.result.options == document.options
    assert shown.result.image is document.image
    levels = shown.levels["convolved"]
    assert levels.low <= float(shown.result.convolved.min()) and float(shown.result.convolved.max()) <= levels.high
    assert set(shown.levels) == {"convolved", "pooled"}


def test_a_refused_edit_changes_nothing_and_says_why_once(qtbot, document):
    five = engine.get_preset("Gaussian blur 5x5")
    assert document.change(kernel=five.kernel, weight=five.weight)
    before = document.options
    changed, refused = [], []
    document.optionsChanged.connect(changed.append)
    document.refused.connect(refused.append)
    assert not document.change(lab=True)
    assert document.options is before and changed == []
    assert len(refused) == 1 and "3x3" in refused[0]


def test_turning_lab_mode_on_applies_its_rules(document):
    assert document.change(offset=50.0, border="wrap", output_range="raw", pool=engine.PoolOptions("avg", 3))
    assert document.change(lab=True)
    options = document.options
    assert options.lab and options.pool == engine.LAB_POOL
    assert (options.offset, options.border, options.output_range) == (0.0, "zero", "clamp")
    refused = []
    document.refused.connect(refused.append)
    assert not document.change(offset=7.0)  # the notebook's loop adds no offset: refused, with the reason
    assert document.options is options and "offset" in refused[0]


def test_a_new_image_drops_the_old_result_until_its_own_arrives(qtbot, document, small_image):
    with qtbot.waitSignal(document.resultReady, timeout=10000):
        document.set_image(small_image, Source("crop"))
    other = np.ascontiguousarray(small_image[:20, :20])
    document.set_image(other, Source("smaller", sample=None))
    assert document.result is None and document.source.label == "smaller"
    assert document.wait_for_idle() and document.result.image is document.image


def _rgb_layer_shown(qtbot, document, monkeypatch):
    """A 4-map raw layer on an RGB image, shown; returns the image, its kernel, the shown result and the list
    of ``previous`` results the following jobs are given."""
    image = (np.arange(40 * 30 * 3) * 7 % 256).astype(np.uint8).reshape(40, 30, 3)
    kernel = engine.fill_layer("Per-channel edge", [[1]], 3, 4)
    document.change(kernel=kernel, output_range="raw")
    with qtbot.waitSignal(document.resultReady, timeout=10000):
        document.set_image(image, Source("rgb"))
    given = []
    job_steps = engine.job_steps
    monkeypatch.setattr(engine, "job_steps", lambda image, options, previous=None:
                        given.append(previous) or job_steps(image, options, previous))
    return image, kernel, document.result, given


def _assert_equals_a_fresh_run(document, image):
    fresh = engine.run_job(image, document.options)  # every map, and the range the levels come from
    assert np.array_equal(document.result.convolved, fresh.convolved)
    assert np.array_equal(document.result.pooled, fresh.pooled)
    assert document.result.convolved_range == fresh.convolved_range


def test_an_edit_of_one_map_runs_with_the_shown_result_and_copies_the_other_maps(qtbot, document, monkeypatch):
    image, kernel, first, given = _rgb_layer_shown(qtbot, document, monkeypatch)
    edited = kernel.copy()
    edited[1, 1, 2, 2] = -3.0
    with qtbot.waitSignal(document.resultReady, timeout=10000):
        document.change(kernel=edited)
    assert given == [first]
    assert engine.reused_maps(document.image, document.options, first) == [0, 1, 3]
    _assert_equals_a_fresh_run(document, image)


def test_a_weight_edit_runs_with_the_shown_result_and_finishes_its_sums(qtbot, document, monkeypatch):
    image, _, first, given = _rgb_layer_shown(qtbot, document, monkeypatch)
    with qtbot.waitSignal(document.resultReady, timeout=10000):
        document.change(weight=1.1)
    assert given == [first]
    assert engine.refinished_maps(document.image, document.options, first) == [0, 1, 2, 3]
    _assert_equals_a_fresh_run(document, image)
