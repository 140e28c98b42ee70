"""View > Show what the clamp threw away: the engine's clamp report on the convolved view."""

import numpy as np

from engine.clamp_report import HIGH, NEGATIVE
from tests.engine import reference as ref


def test_the_overlay_marks_the_pixels_the_reference_loop_clamps(qtbot, window, small_image, monkeypatch):
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.clamp_overlay.set_visible(True)  # the job runs again, with the report
    kernel = [list(row) for row in window.document.options.kernel]
    monkeypatch.setattr(ref, "store", lambda value, _range: value)
    before = np.array(ref.convolve(small_image, kernel))
    labels = window.clamp_overlay.item.image
    assert window.clamp_overlay.item.isVisible()
    assert (labels == NEGATIVE).tolist() == (before < 0).tolist()
    assert (labels == HIGH).tolist() == (before > 255).tolist()
    share = round(100 * np.count_nonzero(before < 0) / before.size)
    assert window.clamp_overlay.text.startswith(f"{share}% of pixels were negative and show as black")
    assert window.clamp_overlay.box.isVisible()
    # raw output clamps nothing: no marks, and the caption says why
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.change(output_range="raw")
    assert not window.clamp_overlay.item.isVisible() and "raw" in window.clamp_overlay.text
    window.clamp_overlay.set_visible(False)
    assert not window.clamp_overlay.box.isVisible() and not window.document.want_clamp_report


def test_on_a_colour_photo_the_overlay_says_why_it_shows_nothing_and_the_results_stay(qtbot, window, small_image):
    """Seen under Xvfb: Ctrl+K on face (RGB) made the jobs fail, so both results went 'Out of date' with
    'the image has 3 dimension(s)' in the status bar and the caption said the output was raw."""
    from gui.document import Source

    rgb = np.stack([small_image, small_image[::-1], small_image[:, ::-1]], axis=2)
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.set_image(rgb, Source("colour crop"))
    window.clamp_overlay.set_visible(True)
    assert window.document.wait_for_idle(10000)
    qtbot.wait(50)  # the last job's signals
    assert window.document.failure is None and window.document.is_current
    assert not window.views.convolved.title.text.startswith("Out of date")
    assert not window.clamp_overlay.item.isVisible() and "one-channel" in window.clamp_overlay.text
    assert window.status.message_label.text() == ""
