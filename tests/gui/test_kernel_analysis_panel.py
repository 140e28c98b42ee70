"""The kernel analysis panel shows engine.analysis's numbers and words for the kernel being edited, live."""

import numpy as np
import pytest
from PySide6.QtCore import QObject, QPointF, Signal

import engine
from engine.analysis import kernel_analysis
from gui.kernel_analysis_panel import KernelAnalysisPanel


class FakeDocument(QObject):
    """The two things the panel reads of a document: its options and their change signal."""

    optionsChanged = Signal(object)

    def __init__(self, options):
        super().__init__()
        self.options = options

    def change(self, **changes):
        self.options = self.options.with_changes(**changes)
        self.optionsChanged.emit(self.options)


@pytest.fixture
def panel(qtbot):
    widget = KernelAnalysisPanel()
    qtbot.addWidget(widget)
    widget.resize(420, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def assert_shows(panel, expected):
    assert panel.sum_label.text() == expected.sum_text()
    assert panel.gain_label.text() == expected.dc_gain_text()
    assert panel.separable_label.text() == expected.separability_text()
    assert panel.reading_label.text() == expected.frequency.reading()
    assert panel.peak_label.text() == expected.peak_text()
    f = expected.frequency
    np.testing.assert_array_equal(panel.image_item.image, f.response)
    for name, cut in (("x", f.cut_x), ("y", f.cut_y)):
        x, y = panel.shown_cuts()[name]
        np.testing.assert_array_equal(x, f.frequencies)
        np.testing.assert_array_equal(y, cut)
    assert tuple(panel.image_item.getLevels()) == (0.0, f.scale_top) and f.scale_top >= f.peak


def test_panel_shows_what_engine_analysis_says(qtbot, panel):
    preset = engine.get_preset("Sobel x")
    with qtbot.waitSignal(panel.updated, timeout=5000):
        panel.show_kernel(preset.kernel, preset.weight)
    assert_shows(panel, kernel_analysis(preset.kernel, preset.weight))
    assert "[1, 2, 1]^T x [-1, 0, 1]" in panel.separable_label.text()
    assert "along x" in panel.reading_label.text()


def test_response_image_axes_are_in_cycles_per_pixel(qtbot, panel):
    with qtbot.waitSignal(panel.updated, timeout=5000):
        panel.show_kernel(engine.get_preset("Laplacian").kernel)
    # pixel centres land on the frequencies: column b at fx = (b - 32) / 64, row a at fy = (a - 32) / 64
    item = panel.image_item
    for a, b in ((0, 0), (32, 32), (63, 10)):
        point = item.mapToView(QPointF(b + 0.5, a + 0.5))
        assert (point.x(), point.y()) == pytest.approx(((b - 32) / 64, (a - 32) / 64))


def test_panel_follows_the_documents_kernel_live(qtbot):
    document = FakeDocument(engine.JobOptions(kernel=engine.get_preset("Box blur 3x3").kernel, weight=1 / 9))
    panel = KernelAnalysisPanel(document)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.updated, timeout=5000):
        panel.show()
    assert panel.gain_label.text().endswith("= 1") and "low-pass" in panel.reading_label.text()
    with qtbot.waitSignal(panel.updated, timeout=5000) as blocker:  # several edits in one turn: one update
        document.change(kernel=[[1, 2], [3, 4]])
        document.change(kernel=engine.get_preset("Laplacian").kernel, weight=1.0)
    assert blocker.args[0].kernel == engine.JobOptions(kernel=engine.get_preset("Laplacian").kernel).kernel
    assert_shows(panel, kernel_analysis(engine.get_preset("Laplacian").kernel))


def test_a_hidden_panel_waits_until_it_is_shown(qtbot):
    document = FakeDocument(engine.JobOptions())
    panel = KernelAnalysisPanel(document)
    qtbot.addWidget(panel)
    document.change(kernel=engine.get_preset("Sharpen").kernel)
    qtbot.wait(50)
    assert panel.analysis is None  # no work for a panel nobody sees
    with qtbot.waitSignal(panel.updated, timeout=5000):
        panel.show()
    assert_shows(panel, kernel_analysis(engine.get_preset("Sharpen").kernel))


# -- in the window ---------------------------------------------------------------------------------------
def test_the_analysis_dock_follows_kernel_edits_in_the_window(qtbot, window):
    dock = window.analysis_dock
    assert not dock.isVisible() and dock.toggleViewAction() in window.menus.view.actions()
    panel = dock.widget()
    with qtbot.waitSignal(panel.updated, timeout=5000):
        dock.toggleViewAction().trigger()
    assert_shows(panel, kernel_analysis(window.document.options.kernel, window.document.options.weight))
    with qtbot.waitSignal(panel.updated, timeout=5000):
        window.editor.cell(1, 1).setValue(7.0)
    options = window.document.options
    assert options.kernel[1][1] == 7.0
    assert_shows(panel, kernel_analysis(options.kernel, options.weight))


def test_true_convolution_switch_flips_what_runs_what_is_explained_and_what_is_analysed(qtbot, window, small_image):
    window.analysis_dock.show()
    panel = window.analysis_dock.widget()
    kernel = [[1, 2, 0], [-3, 5, 7], [0, 4, -2]]
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.change(kernel=kernel, output_range="raw")
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.options_panel.flip.setChecked(True)
    options = window.document.options
    assert options.flip and options.kernel == engine.JobOptions(kernel=kernel).kernel  # the editor's kernel stays
    flipped = [row[::-1] for row in kernel[::-1]]
    from tests.engine import reference as ref
    np.testing.assert_array_equal(window.document.result.convolved,
                                  np.array(ref.convolve(small_image, flipped, output_range="raw"), dtype=np.float32))
    explanation = engine.explain_pixel(small_image, options, 3, 4)
    assert [t.weight for t in explanation.terms] == [float(v) for row in flipped for v in row]
    qtbot.waitUntil(lambda: panel.analysis is not None and panel.analysis.kernel == options.effective_kernel)
    assert "turned 180 degrees" in panel.applied_label.text()


def test_lab_mode_disables_the_convolution_switch(qtbot, window):
    window.options_panel.lab.setChecked(True)
    assert window.document.options.lab and not window.options_panel.flip.isEnabled()
    assert "correlates" in window.options_panel.flip.toolTip()


def test_kernel_menu_sits_between_edit_and_view_and_rotates_the_editors_kernel(qtbot, window):
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles.index("&Kernel") == titles.index("&Edit") + 1 and titles.index("&View") == titles.index("&Kernel") + 1
    before = window.document.options.kernel
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.kernel_actions.transforms["rotate clockwise"].trigger()
    rotated = tuple(zip(*reversed(before)))
    assert window.document.options.kernel == rotated
    assert [[window.editor.cell(r, c).value() for c in range(3)] for r in range(3)] == [list(row) for row in rotated]


def test_step_mode_says_it_shows_the_turned_kernel(qtbot, window):
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.change(flip=True)
    window.step_mode.select(5, 6)
    panel = window.step_mode.panel
    qtbot.waitUntil(lambda: panel.explanation is not None and panel.explanation.out_pos == (5, 6))
    assert "turned 180 degrees" in panel.note.text() and panel.note.isVisibleTo(panel)
    kernel = window.document.options.kernel
    assert panel.kernel.cells[0][0].exact == kernel[-1][-1] != kernel[0][0]


class BusyDocument(FakeDocument):
    """A document whose job runs until ``finish()``: then it is idle (after showing the result)."""

    idle = Signal()

    def __init__(self, options):
        super().__init__(options)
        self.busy = False

    def is_busy(self):
        return self.busy

    def finish(self):
        self.busy = False
        self.idle.emit()


def test_an_update_due_while_a_job_runs_waits_until_the_job_is_done(qtbot):
    """The dock's update (milliseconds of painting) never lands between an edit and its result on screen."""
    document = BusyDocument(engine.JobOptions())
    panel = KernelAnalysisPanel(document)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.updated, timeout=5000):
        panel.show()
    panel._timer.setInterval(0)  # due at once
    updates = []
    panel.updated.connect(updates.append)
    document.busy = True
    document.change(kernel=engine.get_preset("Sharpen").kernel)
    document.change(kernel=engine.get_preset("Laplacian").kernel)
    qtbot.wait(50)
    assert updates == [] and document.is_busy()
    with qtbot.waitSignal(panel.updated, timeout=5000):
        document.finish()
    assert len(updates) == 1
    assert_shows(panel, kernel_analysis(engine.get_preset("Laplacian").kernel))
