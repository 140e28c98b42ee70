"""What one kernel edit makes the window do besides showing the new result: the job starts before the widgets
show the new options, and nothing outside the kernel editor's column is laid out again or told something it
already shows (each of those costs milliseconds a frame at 60 Hz does not have)."""

from PySide6.QtCore import QEvent, QObject


class _Events(QObject):
    """Counts events of some types by the receiving object's class name."""

    def __init__(self, *types):
        super().__init__()
        self.types, self.seen = types, {}

    def eventFilter(self, obj, event) -> bool:
        if event.type() in self.types:
            key = (event.type(), type(obj).__name__)
            self.seen[key] = self.seen.get(key, 0) + 1
        return False

    def count(self, kind, class_name: str) -> int:
        return self.seen.get((kind, class_name), 0)


def _events_of_edits(qtbot, qapp, window, *types) -> _Events:
    events = _Events(*types)
    qapp.installEventFilter(events)
    try:
        _edit_and_wait(qtbot, window)
    finally:
        qapp.removeEventFilter(events)
    return events


def _edit_and_wait(qtbot, window, steps=(1, -1, 1, -1)):
    for step in steps:
        with qtbot.waitSignal(window.document.resultReady, timeout=10000):
            window.editor.cell(1, 1).stepBy(step)
    qtbot.wait(20)  # the posted layout requests and repaints of the last edit


def test_the_job_is_running_when_the_widgets_hear_of_the_new_options(qtbot, window):
    busy = []
    window.document.optionsChanged.connect(lambda _options: busy.append(window.document.is_busy()))
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.editor.cell(0, 0).stepBy(1)
    assert busy == [True]


def test_kernel_edits_lay_out_neither_the_window_nor_its_status_bar_nor_the_layer_controls(qtbot, qapp, window):
    _edit_and_wait(qtbot, window, steps=(1,))  # the first edit may settle sizes once
    events = _events_of_edits(qtbot, qapp, window, QEvent.Type.LayoutRequest)
    assert events.count(QEvent.Type.LayoutRequest, "KernelEditor") > 0  # the filter sees the editor's own
    for name in ("MainWindow", "StatusBar", "LayerPanel", "OptionsPanel"):
        assert events.count(QEvent.Type.LayoutRequest, name) == 0, name


def test_the_job_time_label_keeps_its_size_whatever_the_time(qtbot, window):
    label = window.status.time_label
    size = label.size()
    for seconds in (0.001, 12.345):
        window.status._on_result(_shown_with_seconds(window, seconds))
        assert label.size() == size and label.minimumSize() == label.maximumSize()
    assert label.text() == "last job 12345 ms"
    assert label.fontMetrics().horizontalAdvance(label.text()) <= label.contentsRect().width()  # all of it shows


def _shown_with_seconds(window, seconds):
    from dataclasses import replace

    shown = window.document.shown
    return replace(shown, result=replace(shown.result, seconds=seconds))


def test_edits_leave_the_tooltips_of_the_size_boxes_and_the_levels_bars_alone(qtbot, qapp, window):
    events = _events_of_edits(qtbot, qapp, window, QEvent.Type.ToolTipChange)
    assert events.count(QEvent.Type.ToolTipChange, "SizeBox") == 0
    assert events.count(QEvent.Type.ToolTipChange, "LevelsBar") == 0


def test_lab_mode_still_locks_the_kernel_size_and_says_why(qtbot, window):
    assert window.document.change(lab=True)
    assert not window.editor.rows.isEnabled() and "Lab mode" in window.editor.rows.toolTip()
    assert window.document.change(lab=False)
    assert window.editor.rows.isEnabled() and "Lab mode" not in window.editor.rows.toolTip()
