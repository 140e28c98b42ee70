"""The kernel analysis dock (and compare mode's dock) are placed by gui.dock_layout like the step dock: at
1024x768, 1280x720 and 1600x1000, with step mode on or off, each image view keeps MIN_VIEW pixels and the
analysis panel shows whole (beside the views where there is room, else tabbed with step or under them)."""

import pytest

import engine
from gui.dock_layout import MIN_VIEW


def settle(qtbot, window):
    qtbot.wait(20)
    window.dock_layout.arrange()
    qtbot.wait(20)


def view_widths(window) -> list[int]:
    views = window.compare.views if window.compare.is_active else window.views
    return [panel.width() for panel in views.panels()]


@pytest.mark.parametrize("size", [(1024, 768), (1280, 720), (1600, 1000)])
@pytest.mark.parametrize("stepping", [False, True])
def test_the_analysis_dock_leaves_the_views_their_width(qtbot, window, size, stepping):
    window.resize(*size)
    dock, panel = window.analysis_dock, window.analysis_dock.widget()
    try:
        if stepping:
            window.step_mode.select(5, 5)
        dock.show()
        settle(qtbot, window)
        widths = view_widths(window)
        assert min(widths) >= MIN_VIEW, f"{size} step={stepping}: views {widths}"
        assert (window.width(), window.height()) == size, "the dock made the window grow past the screen"
        assert dock.isVisible() or dock in window.tabifiedDockWidgets(window.step_mode.dock)
        assert panel.width() >= panel.minimumSizeHint().width() and panel.height() >= panel.minimumSizeHint().height()
        below = window.dockWidgetArea(dock) == window.dockWidgetArea(window.step_mode.dock).BottomDockWidgetArea
        assert panel.wide == below
        dock.hide()
        settle(qtbot, window)
        assert min(view_widths(window)) >= MIN_VIEW
    finally:
        dock.hide()
        window.step_mode.exit()


@pytest.mark.parametrize("size", [(1024, 768), (1280, 720), (1600, 1000)])
@pytest.mark.parametrize("pooling", [False, True])
def test_compare_mode_with_the_analysis_open_keeps_the_views_wide(qtbot, window, size, pooling):
    from gui.compare_views import PANEL_LEAST

    window.resize(*size)
    try:
        if not pooling:
            with qtbot.waitSignal(window.document.resultReady, timeout=10000):
                window.document.change(pool=None)
        window.analysis_dock.show()
        with qtbot.waitSignal(window.compare.compared, timeout=10000):
            assert window.compare.compare_with_preset(engine.get_preset("Scharr x"))
        settle(qtbot, window)
        assert window.compare.dock.isVisible() or window.analysis_dock.isVisible()
        panels = [panel for panel in window.compare.views.panels() if panel.isVisible()]
        assert len(panels) == (6 if pooling else 3)
        if not pooling:
            assert min(view_widths(window)) >= MIN_VIEW, f"{size}: {view_widths(window)}"
            assert min(panel.height() for panel in panels) >= 160
        else:  # six views, in two rows or one: none squeezed below its least size (which would cut it off)
            assert sum(panel.width() for panel in panels[:3]) >= 3 * MIN_VIEW * 0.5, f"{size}"
            assert min(min(panel.width(), panel.height()) for panel in panels) >= PANEL_LEAST
    finally:
        window.compare.leave()
        window.analysis_dock.hide()


def test_beside_the_views_the_numbers_show_whole(qtbot, window):
    window.resize(1600, 1000)
    dock, panel = window.analysis_dock, window.analysis_dock.widget()
    try:
        with qtbot.waitSignal(panel.updated, timeout=5000):
            dock.show()
        settle(qtbot, window)
        assert window.dockWidgetArea(dock) == dock.allowedAreas().RightDockWidgetArea and not panel.wide
        assert not panel.numbers.verticalScrollBar().isVisible()
        assert panel.numbers.height() >= panel.numbers.widget().heightForWidth(panel.numbers.viewport().width())
    finally:
        dock.hide()


@pytest.mark.parametrize("size", [(1024, 768), (1280, 720)])
def test_the_analysis_numbers_are_never_cut_off_after_edits(qtbot, window, size):
    """Each number's text keeps its whole wrapped height as the kernel changes (the rows scroll when the dock
    is short; a row laid out for the previous, shorter text used to cut the new one off mid-sentence)."""
    window.resize(*size)
    dock, panel = window.analysis_dock, window.analysis_dock.widget()
    labels = (panel.source_label, panel.applied_label, panel.sum_label, panel.gain_label, panel.separable_label,
              panel.reading_label, panel.peak_label)
    try:
        dock.show()
        settle(qtbot, window)
        for centre in (8.0, 0.5, -5.0, 3.0):
            kernel = [list(row) for row in window.document.options.kernel]
            kernel[1][1] = centre
            with qtbot.waitSignal(panel.updated, timeout=10000):
                window.document.change(kernel=tuple(tuple(row) for row in kernel))
            qtbot.wait(30)
            cut = [(label.text()[:30], label.height(), label.heightForWidth(label.width())) for label in labels
                   if label.height() < label.heightForWidth(label.width())]
            assert not cut, f"{size}, centre {centre}: cut off {cut}"
    finally:
        dock.hide()
