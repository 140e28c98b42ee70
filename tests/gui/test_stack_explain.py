"""Clicking a pixel of any layer in the stack: its receptive field outlined on every earlier view (the
engine's rectangles, and every input pixel the click depends on inside them), the step panel's terms,
and "go down" to the pixel a term reads."""

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

import engine
from tests.gui.test_stack_window import run_stack


@pytest.fixture
def stacked(qtbot, window):
    """conv 3x3 (2 maps), ReLU, 2x2 max pool, conv 3x3x2x1 on the 32x36 test crop."""
    first = np.zeros((3, 3, 1, 2))
    first[:, :, 0, 0] = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]
    first[:, :, 0, 1] = [[-1, -2, -1], [0, 0, 0], [1, 2, 1]]
    last = np.zeros((3, 3, 2, 1))
    last[:, :, 0, 0] = [[0, 1, 0], [1, -4, 1], [0, 1, 0]]
    last[:, :, 1, 0] = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
    pipeline = engine.Pipeline((engine.ConvLayer.make(first), engine.ReluLayer(),
                                engine.PoolLayer(engine.PoolOptions("max", 2)), engine.ConvLayer.make(last)))
    run_stack(qtbot, window, lambda: window.document.stack.activate(pipeline))
    return window


def click(qtbot, window, view, row, col):
    cell = window.stack_mode.views.cell(view)
    widget = cell.panel.widget
    point = widget.mapFromScene(window.stack_mode.views.click_point(view, row, col))
    qtbot.mouseClick(widget.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(point.x(), point.y()))


def outlined(window):
    """(view, rectangle) of every receptive-field outline shown, and the pixel outlined."""
    fields, pixel = [], None
    for cell in window.stack_mode.views.cells:
        if cell.field.isVisible():
            r = cell.field.rect()
            fields.append((cell.index, engine.Rect(int(r.top()), int(r.left()), int(r.height()), int(r.width()))))
        if cell.pixel.isVisible():
            r = cell.pixel.rect()
            pixel = (cell.index, int(r.top()), int(r.left()))
    return fields, pixel


def test_clicking_a_pixel_outlines_its_receptive_field_on_every_earlier_view(qtbot, stacked, small_image):
    stacked.resize(1280, 720)
    qtbot.wait(50)
    click(qtbot, stacked, 4, 6, 7)
    stack = stacked.document.stack
    expected = engine.receptive_field(stack.pipeline, small_image.shape, 3, 6, 7)
    fields, pixel = outlined(stacked)
    assert pixel == (4, 6, 7)
    assert fields == [(k, expected[k]) for k in range(4)]
    # by hand: the last conv reads pooled rows 5..7 (cols 6..8), the pool conv rows 10..15 (cols 12..17),
    # the first conv image rows 9..16 (cols 11..18): 1 + (3-1) + (2-1)*1 + (3-1)*2 = 8 a side
    assert fields[0] == (0, engine.Rect(9, 11, 8, 8))
    assert fields[3] == (3, engine.Rect(5, 6, 3, 3))


def test_the_outlined_input_field_holds_exactly_the_pixels_the_click_depends_on(qtbot, stacked, small_image):
    """Brute force: change one input pixel at a time, rerun, see whether the clicked output changes."""
    stack = stacked.document.stack
    click(qtbot, stacked, 4, 3, 4)
    field = outlined(stacked)[0][0][1]
    base = engine.run_pipeline(small_image, stack.pipeline).outputs[3][3, 4]
    rows, cols = [], []
    for r in range(0, 16):
        for c in range(0, 18):
            image = small_image.copy()
            image[r, c] = 255 - image[r, c] if image[r, c] != 128 else 0
            out = engine.run_pipeline(image, stack.pipeline).outputs[3][3, 4]
            if out != base:
                rows.append(r)
                cols.append(c)
    assert rows and field.top <= min(rows) and max(rows) < field.bottom
    assert field.left <= min(cols) and max(cols) < field.right


def test_the_step_panel_explains_the_clicked_pixel_with_the_engine_s_terms(qtbot, stacked):
    click(qtbot, stacked, 4, 6, 7)
    panel = stacked.stack_mode.panel
    shown = stacked.document.stack.shown
    assert stacked.stack_mode.step_dock.isVisible()
    assert panel.table.rowCount() == 3 * 3 * 2
    assert "layer 4" in panel.heading.text() and engine.format_number(shown.outputs[3][6, 7]) in panel.heading.text()
    explanation = panel.explanation
    assert explanation.stored == shown.outputs[3][6, 7]
    assert sum(t.product for t in explanation.terms) == pytest.approx(explanation.sum)


def test_go_down_follows_a_term_to_the_pixel_it_reads_and_back_up(qtbot, stacked):
    mode, panel = stacked.stack_mode, stacked.stack_mode.panel
    shown = stacked.document.stack.shown
    click(qtbot, stacked, 4, 6, 7)
    term_row = next(n for n, t in enumerate(panel.explanation.terms) if t.channel == 1 and t.source_pos is not None)
    term = panel.explanation.terms[term_row]
    panel.choose_term(term_row)
    panel.down.click()
    assert mode.selected == (3, *term.source_pos)  # the pool layer's pixel, on the map the term reads
    assert mode.views.cell(3).channel == 1
    assert panel.explanation.result == term.value == shown.outputs[2][(*term.source_pos, 1)]
    assert outlined(stacked)[1] == (3, *term.source_pos)
    # down through the pool (its chosen cell), the ReLU, to the first conv
    panel.down.click()
    pool = mode.history[-1]
    assert mode.selected[0] == 2 and panel.explanation.stored == shown.outputs[1][(*mode.selected[1:], 1)]
    panel.down.click()
    assert mode.selected[0] == 1 and panel.explanation.stored == shown.outputs[0][(*mode.selected[1:], 1)]
    panel.up.click()
    panel.up.click()
    assert mode.selected == pool
    panel.up.click()
    assert mode.selected == (4, 6, 7) and not panel.up.isEnabled()


def test_a_padding_term_cannot_go_down(qtbot, stacked):
    click(qtbot, stacked, 4, 0, 0)
    panel = stacked.stack_mode.panel
    padded = next(n for n, t in enumerate(panel.explanation.terms) if t.source_pos is None)
    panel.choose_term(padded)
    assert not panel.down.isEnabled()


def test_an_edit_redraws_the_field_and_the_explanation_for_the_new_result(qtbot, stacked):
    click(qtbot, stacked, 4, 6, 7)
    stacked.stack_mode.strip.list.setCurrentRow(3)
    shown = run_stack(qtbot, stacked, lambda: stacked.editor.cell(1, 1).stepBy(2))
    assert stacked.stack_mode.panel.explanation.stored == shown.outputs[3][6, 7]


def test_the_chosen_term_s_pixel_is_outlined_on_the_layer_below(qtbot, stacked):
    click(qtbot, stacked, 4, 6, 7)
    panel, views = stacked.stack_mode.panel, stacked.stack_mode.views
    for row in (0, 4, 13):
        panel.choose_term(row)
        r, c = panel.explanation.terms[row].source_pos
        term = views.cell(3).term
        assert term.isVisible() and (int(term.rect().top()), int(term.rect().left())) == (r, c)
        assert not any(cell.term.isVisible() for cell in views.cells if cell.index != 3)


def test_going_down_from_the_first_layer_reaches_the_input_and_can_come_back(qtbot, stacked, small_image):
    mode, panel = stacked.stack_mode, stacked.stack_mode.panel
    click(qtbot, stacked, 1, 5, 5)
    term = panel.explanation.terms[0]
    panel.choose_term(0)
    panel.down.click()
    assert mode.selected == (0, *term.source_pos) and term.value == small_image[term.source_pos]
    assert outlined(stacked)[1] == (0, *term.source_pos)
    assert "input" in panel.heading.text() and panel.up.isEnabled()
    panel.up.click()
    assert mode.selected == (1, 5, 5) and panel.explanation.out_pos == (5, 5)


def test_hovering_a_layer_pixel_shows_its_value_in_the_status_bar(qtbot, stacked):
    shown = stacked.document.stack.shown
    stacked.stack_mode.views.pixelHovered.emit(3, 4, 5)  # the pool layer, map 0
    from engine.pixel_text import format_pixel

    value = format_pixel(shown.outputs[2][4, 5, 0], 10)
    assert stacked.status.hover_label.text() == f"layer 3 map 0 [4, 5] = {value}"
    stacked.stack_mode.views.pixelHovered.emit(3, -1, -1)
    assert stacked.status.hover_label.text() == ""


def test_arrow_keys_over_the_views_move_the_selected_pixel_within_its_layer(qtbot, stacked):
    mode = stacked.stack_mode
    click(qtbot, stacked, 4, 6, 7)
    mode.views.cell(4).panel.widget.setFocus()
    for key, expected in ((Qt.Key.Key_Right, (4, 6, 8)), (Qt.Key.Key_Down, (4, 7, 8)), (Qt.Key.Key_Left, (4, 7, 7)),
                          (Qt.Key.Key_Up, (4, 6, 7))):
        qtbot.keyClick(mode.views.cell(4).panel.widget, key)
        assert mode.selected == expected
        assert stacked.stack_mode.panel.explanation.out_pos == expected[1:]
    mode.select(4, 0, 0)
    mode.step(-1, -1)
    assert mode.selected == (4, 0, 0)  # stays on the image


def test_a_pool_pixel_shows_its_window_and_max_without_empty_product_columns(qtbot, stacked):
    """Seen under Xvfb: a pool pixel's table had empty "× w" and "= product" columns."""
    panel = stacked.stack_mode.panel
    shown = stacked.document.stack.shown
    table = panel.table

    def visible_headers():
        return [table.horizontalHeaderItem(c).text() for c in range(table.columnCount()) if not table.isColumnHidden(c)]

    click(qtbot, stacked, 3, 4, 5)  # the 2x2 max pool's [4, 5] reads the ReLU's rows 8..9, columns 10..11
    window = shown.outputs[1][8:10, 10:12, 0]
    assert visible_headers() == ["reads", "value"]
    assert [table.item(n, 0).text() for n in range(4)] == ["[8, 10]", "[8, 11]", "[9, 10]", "[9, 11]"]
    assert [table.item(n, 1).text() for n in range(4)] == [engine.format_number(v) for v in window.ravel()]
    assert f"max of the 4 cells = <b>{engine.format_number(window.max())}</b>" in panel.result.text()
    click(qtbot, stacked, 4, 6, 7)  # a conv pixel multiplies: its columns are back
    assert visible_headers() == ["reads", "value", "× w", "= product"]
