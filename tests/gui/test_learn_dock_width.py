"""The Learn dock beside the Kernel analysis dock fits its content without scrolling sideways (seen at
1600x1000: a learned 7x7 kernel, a 5x5 one with its bias, and presentation mode's larger controls made the
dock scroll): the dock is never narrower than its content's least width, labels wrap, and only kernel grids
too wide for any dock scroll, in their own box."""

import pytest

import engine


def settle(qtbot, window):
    for _ in range(3):
        qtbot.wait(30)
        window.dock_layout.arrange()
    qtbot.wait(30)


@pytest.mark.parametrize("side, bias, presenting", [(3, False, False), (5, True, False), (7, True, False),
                                                    (3, False, True)])
def test_the_learn_dock_beside_the_analysis_fits_without_scrolling_sideways(qtbot, window, side, bias, presenting):
    window.resize(1440, 900)  # the window on a 1600x1000 screen
    window.learn_dock.toggleViewAction().trigger()
    window.analysis_dock.toggleViewAction().trigger()
    panel = window.learn_panel
    try:
        if presenting:
            window.menus.presentation.trigger()
        panel.controls.rows.setValue(side)
        panel.controls.cols.setValue(side)
        panel.controls.bias.setChecked(bias)
        panel.controls.target_choice.setCurrentText("Hidden preset: Sobel x" if side == 3 else
                                                    panel.controls.target_choice.itemText(0))
        panel.controls.steps.setValue(20)
        panel.controls.per_frame.setCurrentText("10")
        with qtbot.waitSignal(panel.runner.ended, timeout=30000):
            panel.learn()
        window.document.wait_for_idle(20000)
        settle(qtbot, window)
        scroll = panel.dock.widget()
        content = scroll.widget()
        where = f"{side}x{side} bias={bias} presentation={presenting}"
        assert panel.dock.isVisible() and window.analysis_dock.isVisible(), where
        assert len(panel.kernels.grids) >= 2, where  # the learned kernel and the least-squares one are shown
        assert not scroll.horizontalScrollBar().isVisible(), where
        assert content.width() <= scroll.viewport().width(), where
        assert content.width() >= content.minimumSizeHint().width(), f"{where}: content squeezed"
        for label in (panel.status, panel.source, panel.note):
            assert label.wordWrap(), where
        if side < 7:  # a 5x5 grid and its bias fit the dock whole
            assert not panel.kernels.horizontalScrollBar().isVisible(), where
    finally:
        if window.menus.presentation.isChecked():
            window.menus.presentation.trigger()
        panel.shutdown()
        window.learn_dock.hide()
        window.analysis_dock.hide()
