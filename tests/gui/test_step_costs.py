"""What a step costs besides its arithmetic: the texts that change from pixel to pixel ask for no layout of
the panel unless they need another height, and the views draw from an image Qt copies without converting."""

from PySide6.QtCore import QEvent, QObject

from gui.image_panel import FAST_FORMATS


class _LayoutRequests(QObject):
    def __init__(self, watched):
        super().__init__()
        self.watched, self.count = watched, 0

    def eventFilter(self, obj, event) -> bool:
        if obj is self.watched and event.type() == QEvent.Type.LayoutRequest:
            self.count += 1
        return False


def _walk(step, start=(4, 2), steps=5):
    step.select(*start)
    for _ in range(steps):
        step.move(1)


def test_stepping_lays_out_nothing_in_the_panel(qtbot, qapp, window):
    step = window.step_mode
    _walk(step)  # the running sum's label grows to the widest of these pixels once
    qtbot.wait(20)
    step.select(4, 2)
    qtbot.wait(20)
    body = step.panel.scroll.widget()
    requests = _LayoutRequests(body)
    qapp.installEventFilter(requests)
    headings = []
    try:
        for _ in range(5):
            step.move(1)
            headings.append(step.panel.heading.text())
            qtbot.wait(5)
    finally:
        qapp.removeEventFilter(requests)
    assert step.current == (4, 7) and len(set(headings)) == 5
    assert requests.count == 0


def test_a_text_that_needs_more_lines_gets_them(qtbot, window):
    step = window.step_mode
    step.select(3, 4)
    qtbot.wait(20)
    label = step.panel.result
    needed = label.heightForWidth(label.width())
    label.setText(label.text() + "<br>one more line<br>and another")
    assert label.heightForWidth(label.width()) > needed
    qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()), timeout=2000)


def test_the_views_draw_from_images_qt_copies_without_converting_each_paint(qtbot, window):
    for panel in window.views.panels():
        panel.widget.grab()  # renders
        assert panel.item.qimage.format() in FAST_FORMATS, panel.name


class _Paints(QObject):
    def __init__(self, watched):
        super().__init__()
        self.counts = {w: 0 for w in watched}

    def eventFilter(self, obj, event) -> bool:
        if obj in self.counts and event.type() == QEvent.Type.Paint:
            self.counts[obj] += 1
        return False


def test_a_step_that_pans_paints_each_view_once(qtbot, qapp, window):
    step = window.step_mode
    step.select(5, 2)
    qtbot.wait(20)
    view = window.views.input.view
    viewports = [panel.widget.viewport() for panel in window.views.panels()]
    while view.viewRect().contains(step.current[1] + 1.5, step.current[0] + 0.5):  # up to the view's edge
        step.move(1)
    qapp.processEvents()
    paints = _Paints(viewports)
    qapp.installEventFilter(paints)
    try:
        before = view.viewRect()
        step.move(1)
        qapp.processEvents()
        qapp.processEvents()
    finally:
        qapp.removeEventFilter(paints)
    assert view.viewRect() != before  # it panned
    assert list(paints.counts.values()) == [1, 1, 1]


def test_a_tap_repaints_only_the_cells_it_changes(qtbot, qapp, window):
    step, panel = window.step_mode, window.step_mode.panel
    step.select(6, 9)
    step.set_tap_mode(True)
    for _ in range(9):  # through one pixel (the running sum's label grows to its full size once)
        step.next_tap()
        qapp.processEvents()
    assert step.current == (6, 10) and step.tap == 0
    step.next_tap()  # tap 1 of 9
    qtbot.wait(20)
    grids = (panel.values, panel.kernel, panel.products)
    for grid in grids:
        grid.canvas.painted = set()
    step.next_tap()  # tap 2: the focus moves from (0, 1) to (0, 2), and (0, 2)'s product appears
    qapp.processEvents()
    assert panel.products.cells[0][2].exact is not None and panel.products.cells[0][2].focus
    for grid in grids:
        assert grid.canvas.painted == {(0, 1), (0, 2)}, grid.title.text()
    step.set_tap_mode(False)
    qtbot.wait(20)
    for grid in grids:
        grid.canvas.painted = set()
    step.move(1)  # a whole pixel on: every input value and product changes, the kernel does not
    qapp.processEvents()
    assert panel.values.canvas.painted == {(0, 2), (1, 2), (2, 2)}  # the rest moved one cell left
    assert len(panel.products.canvas.painted) == 9 and panel.kernel.canvas.painted == set()


def _on_screen(widget):
    """What the window shows of ``widget`` (its backing store, not a fresh paint)."""
    from PySide6.QtGui import QGuiApplication

    top_left = widget.mapTo(widget.window(), widget.rect().topLeft())
    return QGuiApplication.primaryScreen().grabWindow(widget.window().winId(), top_left.x(), top_left.y(),
                                                       widget.width(), widget.height()).toImage()


def test_input_values_moved_along_look_as_painted_afresh(qtbot, qapp, window):
    step, panel = window.step_mode, window.step_mode.panel
    step.select(6, 9)
    moves = (1, 1, step.row_length(), -1)  # right, right, down, left
    for move in moves:  # once first: the panel settles (the running sum's label grows to fit these pixels)
        step.move(move)
        qtbot.wait(10)
    step.select(6, 9)
    qtbot.wait(50)
    canvas = panel.values.canvas
    for move in moves:
        step.move(move)
        qapp.processEvents()
        assert len(canvas.painted) == 3, (move, canvas.painted)
        moved = _on_screen(canvas)
        canvas.repaint()
        assert moved == _on_screen(canvas), move


def test_the_taps_outline_moved_along_outlines_the_taps_of_the_new_pixel(qtbot, window):
    step = window.step_mode
    step.select(4, 4)
    line = step.overlays.taps.line
    for move in (1, 1, step.row_length(), -1, 5):
        step.move(move)
        drawn = {tuple(round(v, 6) for v in polygon.boundingRect().translated(line.pos()).getRect())
                 for polygon in line.path().toSubpathPolygons()}
        row, col = step.current
        want = {(round(c + 0.08, 6), round(r + 0.08, 6), 0.84, 0.84)  # cells inset so that neighbours stay apart
                for r in range(row - 1, row + 2) for c in range(col - 1, col + 2)}
        assert drawn == want, (move, step.current)
