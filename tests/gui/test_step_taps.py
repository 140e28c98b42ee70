"""Tap by tap: one output pixel's products one at a time, in the order of the engine's explanation, and
the focus that lights up a term's partners in the panel and on the image."""

import pytest
from PySide6.QtCore import Qt

import engine
from gui.shortcuts import shortcut_rows
from gui.step.controls import SPEEDS
from tests.gui.test_step_mode import reference_terms


def focused(grid):
    return [(r, c) for r, line in enumerate(grid.cells) for c, cell in enumerate(line) if cell.focus]


def shown_products(panel):
    return [cell.exact for line in panel.products.cells for cell in line if cell.exact is not None]


def test_taps_follow_the_explanations_term_order_and_light_up_together(qtbot, window, small_image):
    step, panel = window.step_mode, window.step_mode.panel
    window.activateWindow()
    step.select(6, 9)
    qtbot.keyClick(window, Qt.Key.Key_T)
    kernel = [list(row) for row in window.document.options.kernel]
    want = reference_terms(small_image, kernel, 6, 9)
    terms = engine.explain_pixel(small_image, window.document.options, 6, 9).terms
    kh, kw = len(kernel), len(kernel[0])
    for k, term in enumerate(terms):
        assert step.tap == k and step.current == (6, 9)
        # kernel cells in row-major order, as the sum is made
        assert term.kernel_pos == (k // kw, k % kw)
        for grid in (panel.values, panel.kernel, panel.products):
            assert focused(grid) == [term.kernel_pos]
        assert shown_products(panel) == [t[2] for t in want[:k + 1]]
        assert panel.running_exact == [t[3] for t in want[:k + 1]]
        assert panel.sums.text().count("▶") == 1 and panel.sums.text().count("<br>") == k
        row, col = term.input_pos
        assert step.overlays.tap.isVisible() and step.overlays.tap.rect().getRect() == (col, row, 1, 1)
        qtbot.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    # after the last tap: the next pixel's first
    assert (step.current, step.tap) == ((6, 10), 0)
    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert (step.current, step.tap) == ((6, 9), kh * kw - 1)
    assert "stored value" in panel.result.text()  # the whole arithmetic once every tap is in
    qtbot.keyClick(window, Qt.Key.Key_T)
    assert step.tap is None and len(shown_products(panel)) == kh * kw


def test_lab_mode_taps_go_in_the_notebooks_transposed_order(qtbot, window, small_image):
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.change(lab=True)
    step = window.step_mode
    step.select(4, 4)
    step.set_tap_mode(True)
    terms = engine.explain_pixel(small_image, window.document.options, 4, 4).terms
    seen = []
    for _ in terms:
        seen.append((focused(step.panel.kernel)[0], step.overlays.tap.rect().getRect()))
        step.next_tap()
    assert seen == [(t.kernel_pos, (t.input_pos[1], t.input_pos[0], 1, 1)) for t in terms]
    # filter[a][b] meets i[x+b-1, y+a-1]: the second tap (a=0, b=1) reads the next row, same column
    assert terms[1].kernel_pos == (0, 1) and terms[1].input_pos == (4, 3)


def test_play_goes_tap_by_tap_then_pixel_by_pixel(qtbot, window):
    step = window.step_mode
    step.select(2, 2)
    step.set_tap_mode(True)
    # 10 taps a second: even a frame stalled by a busy machine (capped at 0.25 s) advances at most 2 taps,
    # so play cannot jump past the 9 taps of a pixel between two looks
    step.speed.setValue(SPEEDS.index(10))
    seen = []
    step.play()
    qtbot.waitUntil(lambda: seen.append((step.current, step.tap)) or step.current != (2, 2), timeout=15000)
    taps = [tap for at, tap in seen if at == (2, 2)]
    assert taps == sorted(taps) and max(taps) >= 4  # tap by tap through the pixel, in order
    assert step.controls.speed_label.text().strip().endswith("taps/s")
    assert step.current == (2, 3) and step.tap is not None  # on into the next pixel's taps
    step.set_tap_mode(False)
    assert step.playing and step.tap is None
    at = step.cursor.index
    qtbot.waitUntil(lambda: step.cursor.index >= at + 5, timeout=15000)
    step.pause()


def test_hovering_a_cell_or_an_input_pixel_lights_up_its_partners(qtbot, window, small_image):
    step, panel = window.step_mode, window.step_mode.panel
    step.select(10, 12)
    terms = panel.explanation.terms
    panel.products.hovered.emit(2, 1)  # the mouse over product [2][1]
    k = next(k for k, t in enumerate(terms) if t.kernel_pos == (2, 1))
    assert focused(panel.values) == focused(panel.kernel) == focused(panel.products) == [(2, 1)]
    assert f"▶" in panel.sums.text()
    row, col = terms[k].input_pos
    assert step.overlays.tap.rect().getRect() == (col, row, 1, 1)
    panel.products.hovered.emit(-1, -1)
    assert focused(panel.kernel) == [] and not step.overlays.tap.isVisible()
    # the input pixel below-left of the centre is read by kernel cell [2][0]
    window.views.pixelHovered.emit("input", 11, 11)
    assert focused(panel.kernel) == [(2, 0)]
    window.views.pixelHovered.emit("input", 0, 0)  # outside the window: nothing
    assert focused(panel.kernel) == []


def test_help_lists_a_key_for_every_step_action(window):
    rows = shortcut_rows(window.menuBar())
    step_rows = {text: keys for menu, text, keys in rows if menu == "Step"}
    for action in window.step_mode.controls.menu_actions():
        if action is not None:
            assert step_rows.get(action.text()), action.text()
    assert any(text == "Keyboard shortcuts" and menu == "Help" for menu, text, _ in rows)
    menus = [menu for menu, _text, _keys in rows]
    groups = [m for k, m in enumerate(menus) if k == 0 or menus[k - 1] != m]
    assert len(groups) == len(set(groups))  # each menu listed once, in one piece


def test_a_sweep_at_top_speed_ends_on_the_bulk_result_with_nothing_dimmed(qtbot, window, small_image):
    from tests.engine import reference as ref

    step = window.step_mode
    step.select(0, 0)
    step.speed.setValue(len(SPEEDS) - 1)
    frames = []
    step.panel.heading.setText = lambda text, original=step.panel.heading.setText: (frames.append(text),
                                                                                   original(text))
    step.play()
    assert any(item.isVisible() for item in step.overlays.dim_conv)  # the build-up is covered at first
    qtbot.waitUntil(lambda: not step.playing, timeout=5000)
    height, width = small_image.shape
    assert step.current == (height - 1, width - 1)
    assert not any(item.isVisible() for item in step.overlays.dim_conv + step.overlays.dim_pool)
    kernel = [list(row) for row in window.document.options.kernel]
    shown = window.views.convolved.data
    assert shown.tolist() == ref.convolve(small_image, kernel)
    # the panel followed the sweep frame by frame, and ended on the last pixel's own arithmetic
    assert len(frames) >= 2
    assert step.panel.stored_exact == ref.convolve(small_image, kernel)[height - 1][width - 1]


def test_a_smaller_kernel_while_on_a_late_tap_starts_the_pixel_again(qtbot, window):
    step = window.step_mode
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.change(kernel=engine.get_preset("Gaussian blur 5x5").kernel, weight=1 / 256)
    step.select(8, 8)
    step.set_tap_mode(True)
    for _ in range(20):
        step.next_tap()
    assert step.tap == 20
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.change(kernel=engine.get_preset("Sharpen").kernel, weight=1.0)
    assert step.tap == 0 and step.current == (8, 8)
    assert step.panel.explanation.terms[0].weight == 0 and "tap <b>1</b> of 9" in step.panel.result.text()
