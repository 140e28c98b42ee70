"""Options that are not the kernel: lab/standard mode, border, output range, stride and dilation (with the
output-size arithmetic of engine.layer_options shown for the current image), pooling."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLabel, QSizePolicy, QSpinBox, QWidget

import engine
from gui.text_labels import set_text_if_changed
from engine.layer_options import MAX_STEP, shape_arithmetic
from engine.options import MAX_POOL_SIZE

POOL_LABELS = {"max": "Max", "avg": "Average", "min": "Min", None: "Off"}


class OptionsPanel(QWidget):
    """Shows the document's options (``show_options``) and emits ``edited(changes)`` with the one option
    the user changed, as keyword arguments for engine.JobOptions.with_changes; it never decides whether
    the change is allowed (the document does, and the panel shows what the document then holds)."""

    edited = Signal(dict)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.lab = QCheckBox("Lab mode")
        self.lab.setToolTip(
            "Run the notebook's own loops bit for bit: 3x3 kernel applied transposed (its loop indexes "
            "filter[a][b] with i[x+b-1, y+a-1] and x is the row), the 1-pixel margin left as it was, "
            "weight, clamp to 0..255, then 2x2 max pooling. Standard mode follows TensorFlow/PyTorch.")
        self.flip = QCheckBox("True convolution")
        self.flip.setToolTip(
            "Turn the kernel 180 degrees before sliding it, as scipy.signal.convolve2d and textbooks do. Off: "
            "cross-correlation, as TensorFlow, PyTorch and OpenCV's filter2D compute. Step mode shows the "
            "kernel as it is multiplied.")
        self.border = QComboBox()
        for name in engine.BORDERS:
            self.border.addItem(name, name)
            self.border.setItemData(self.border.count() - 1, engine.BORDER_HELP[name], 3)  # ToolTipRole
        self.border.setToolTip("What the kernel sees beyond the image's edge:\n" + "\n".join(
            f"{k}: {v}" for k, v in engine.BORDER_HELP.items()))
        self.output_range = QComboBox()
        self.output_range.addItem("clamp", "clamp")
        self.output_range.addItem("raw (signed)", "raw")
        self.output_range.addItem("relu (max(v, 0))", "relu")
        self.output_range.setToolTip("clamp: values below 0 become 0, above 255 become 255, then the fraction is "
                                     "dropped, as when the notebook stores into its 8-bit image.\nraw: keep the "
                                     "signed value; shown with blue for negative, red for positive.\nrelu: max(v, "
                                     "0) as float, what a CNN layer passes to the next one.")
        self.steps = {}
        for name, tip in (("stride", "How far the kernel moves between output pixels (rows, columns): stride 2 "
                                     "keeps every other pixel, as a strided Conv2D layer does."),
                          ("dilation", "Spacing between the kernel's taps (rows, columns): dilation 2 reads every "
                                       "other pixel, widening the window without more taps.")):
            boxes = (QSpinBox(), QSpinBox())
            for box, axis in zip(boxes, ("rows", "columns")):
                box.setRange(1, MAX_STEP)
                box.setToolTip(f"{tip}\nThis box: {axis}.")
                box.valueChanged.connect(lambda _v, n=name: self._emit(**{n: self._pair(n)}))
            self.steps[name] = boxes
        self.shape_note = QLabel()
        self.shape_note.setWordWrap(True)
        self.shape_note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.shape_note.setToolTip("The convolved image's size: (input + padding - the dilated kernel's span) "
                                   "/ stride, rounded down, plus one (TensorFlow's 'SAME' and 'VALID' rules).")
        self.pool_op = QComboBox()
        for op in ("max", "avg", "min", None):
            self.pool_op.addItem(POOL_LABELS[op], op)
        self.pool_op.setToolTip("Pooling shrinks the convolved image: each window becomes its max, average or "
                                "min. Windows that do not fit are dropped.")
        self.pool_size = QSpinBox()
        self.pool_size.setRange(1, MAX_POOL_SIZE)
        self.pool_size.setValue(2)
        self.pool_size.setToolTip("Pooling window size (the notebook uses 2x2).")
        self.pool_stride = QSpinBox()
        self.pool_stride.setRange(0, MAX_POOL_SIZE)
        self.pool_stride.setSpecialValueText("= size")
        self.pool_stride.setToolTip("How far the pooling window moves each step; '= size' means windows do not "
                                    "overlap.")
        # narrow rows (window and stride under the operation): the side dock stays narrow enough for three
        # 240-pixel views beside it at 1024x768, in presentation mode too
        window_row = QHBoxLayout()
        window_row.addWidget(self.pool_size, 1)
        window_row.addWidget(QLabel("stride"))
        window_row.addWidget(self.pool_stride, 1)
        lab_note = QLabel("the notebook's own loops, quirks included")
        lab_note.setWordWrap(True)
        lab_note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.lab)
        form.addRow(lab_note)
        form.addRow(self.flip)
        form.addRow("Border", self.border)
        form.addRow("Output", self.output_range)
        for name, boxes in self.steps.items():
            row = QHBoxLayout()
            row.addWidget(boxes[0], 1)
            row.addWidget(QLabel("x"))
            row.addWidget(boxes[1], 1)
            form.addRow(name.capitalize(), row)
        form.addRow(self.shape_note)
        form.addRow("Pooling", self.pool_op)
        form.addRow("Window", window_row)
        self.lab.toggled.connect(lambda on: self._emit(lab=on))
        self.flip.toggled.connect(lambda on: self._emit(flip=on))
        self.border.currentIndexChanged.connect(lambda _i: self._emit(border=self.border.currentData()))
        self.output_range.currentIndexChanged.connect(
            lambda _i: self._emit(output_range=self.output_range.currentData()))
        for signal in (self.pool_op.currentIndexChanged, self.pool_size.valueChanged, self.pool_stride.valueChanged):
            signal.connect(lambda _v: self._emit(pool=self._pool()))
        self._showing = False
        self._shown: tuple | None = None
        self._tips: dict[QWidget, str] = {}  # tooltips as written, before lab mode adds why a widget is off
        self._stack_kind: str | None = None  # the layer stack's chosen layer (set_stack_layer)

    def _pair(self, name: str) -> tuple[int, int]:
        rows, columns = self.steps[name]
        return (rows.value(), columns.value())

    def show_shape(self, image_shape: tuple[int, ...] | None, options: engine.JobOptions) -> None:
        """The output-size arithmetic for an image of ``image_shape`` (rows and columns), numbers filled in;
        a setting that leaves no output says why, here, in place."""
        if image_shape is None or options.lab:
            set_text_if_changed(self.shape_note, "")
            return
        valid = options.border == "valid"
        lines = [f"{axis}: " + shape_arithmetic(size, k, s, d, valid, axis) for axis, size, k, s, d in zip(
            ("rows", "columns"), image_shape[:2], options.shape, options.stride, options.dilation)]
        set_text_if_changed(self.shape_note, "\n".join(lines))

    def _pool(self) -> engine.PoolOptions | None:
        op = self.pool_op.currentData()
        return None if op is None else engine.PoolOptions(op, self.pool_size.value(), self.pool_stride.value() or None)

    def _emit(self, **changes) -> None:
        if not self._showing:
            self.edited.emit(changes)

    def show_options(self, options: engine.JobOptions, again: bool = False) -> None:
        """Show ``options``; what lab mode fixes is shown disabled. ``again``: even if they were shown last
        (after a refused edit the widgets may show something else)."""
        shown = (options.lab, options.border, options.output_range, options.pool, options.stride, options.dilation)
        if shown == self._shown and not again:
            return  # a kernel edit: nothing here changes
        self._shown = shown
        self._showing = True
        try:
            self.lab.setChecked(options.lab)
            self.flip.setChecked(options.flip)
            self.border.setCurrentIndex(self.border.findData(options.border))
            self.output_range.setCurrentIndex(self.output_range.findData(options.output_range))
            for name, boxes in self.steps.items():
                for box, value in zip(boxes, getattr(options, name)):
                    box.setValue(value)
            pool = options.pool
            self.pool_op.setCurrentIndex(self.pool_op.findData(None if pool is None else pool.op))
            if pool is not None:
                self.pool_size.setValue(pool.size)
                self.pool_stride.setValue(pool.stride or 0)
        finally:
            self._showing = False
        self._show_lab_limits(options)

    def _show_lab_limits(self, options: engine.JobOptions) -> None:
        """Disable what lab mode fixes (engine.lab_rules), each saying why in its tooltip."""
        lab = options.lab
        fixed = engine.lab_rules.FIXED
        pool_why = "lab mode pools the way the notebook does: 2x2 windows, stride 2"
        step_why = "the notebook's loop moves one pixel at a time over adjacent pixels"
        for widget, why in ((self.flip, fixed["flip"][1]), (self.border, fixed["border"][1]),
                            (self.output_range, fixed["output_range"][1]),
                            (self.pool_size, pool_why), (self.pool_stride, pool_why),
                            *((box, step_why) for boxes in self.steps.values() for box in boxes)):
            base = self._tips.setdefault(widget, widget.toolTip())
            widget.setToolTip(f"Fixed in lab mode: {why}.\n\n{base}" if lab else base)
            widget.setEnabled(not lab and (widget not in (self.pool_size, self.pool_stride) or options.pool is not None))
        choices = {None if choice is None else choice[0] for choice in engine.lab_rules.POOL_CHOICES}
        for index in range(self.pool_op.count()):
            self.pool_op.model().item(index).setEnabled(not lab or self.pool_op.itemData(index) in choices)
        self._show_stack_limits()

    def set_stack_layer(self, kind: str | None) -> None:
        """In the layer stack only the chosen layer's own options are editable: a conv layer's (not pooling,
        which is a layer of its own there), a pool layer's pooling, nothing of a ReLU; None: today's window."""
        self._stack_kind = kind
        self._show_stack_limits()

    def _show_stack_limits(self) -> None:
        kind = self._stack_kind
        if kind is None:  # today's window: these two are never disabled there
            self.lab.setEnabled(True)
            self.pool_op.setEnabled(True)
            return
        self.lab.setEnabled(kind == "conv")  # a ReLU or pool layer chosen before disabled it
        if kind != "conv":
            for widget in (self.lab, self.flip, self.border, self.output_range, *self.steps["stride"],
                           *self.steps["dilation"]):
                widget.setEnabled(False)
        for widget in (self.pool_op, self.pool_size, self.pool_stride):
            widget.setEnabled(kind == "pool")
