"""A spinbox for the numbers of a kernel: reads and writes them with engine.numbers (1/9 stays exactly 1/9),
refuses what it cannot read visibly instead of dropping characters, and leaves Ctrl+Z to the editor's undo."""

from __future__ import annotations

from fractions import Fraction

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QPalette, QValidator
from PySide6.QtWidgets import QAbstractSpinBox, QDoubleSpinBox, QSpinBox, QStyle, QStyleOptionSpinBox

from engine import OptionsError
from engine.numbers import format_number, parse_number
from engine.options import VALUE_LIMIT

#: Key sequences that belong to the kernel's undo stack, not to the line edit, once the text is committed.
UNDO_KEYS = (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo)
EXTRA_UNDO_KEYS = (QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y"))
INVALID_BASE = QColor("#ffd8d8")


def is_undo_key(event) -> bool:
    """Whether a key event is one of the window's undo/redo shortcuts (the platform's and Ctrl+Shift+Z, Ctrl+Y)."""
    if any(event.matches(key) for key in UNDO_KEYS):
        return True
    pressed = QKeySequence(event.keyCombination())
    return any(pressed.matches(key) == QKeySequence.SequenceMatch.ExactMatch for key in EXTRA_UNDO_KEYS)


def leave_undo_to_window(box: QAbstractSpinBox, event) -> bool:
    """For a spinbox's event(): True (handled, not accepted) when Ctrl+Z/Ctrl+Shift+Z should reach the window's
    undo actions. The line edit claims those keys for its own text; it keeps them only for uncommitted typing."""
    if event.type() == QEvent.Type.ShortcutOverride and is_undo_key(event) and not box.is_uncommitted():
        event.ignore()
        return True
    return False


class SizeBox(QSpinBox):
    """A kernel side (rows or columns), applied when committed (Enter, focus-out, arrows), not per keystroke."""

    def __init__(self, maximum: int):
        super().__init__()
        self.setRange(1, maximum)
        self.setKeyboardTracking(False)

    def is_uncommitted(self) -> bool:
        return self.lineEdit().text().strip() != str(self.value())

    def event(self, event) -> bool:
        return leave_undo_to_window(self, event) or super().event(event)


class NumberBox(QDoubleSpinBox):
    """A value the user types as 2, -0.5, 1e-3 or 1/9; shown by engine.numbers.format_number.

    Text that does not read as a number in range is kept as typed, marked invalid, and reported through
    ``refused`` when the user tries to commit it; the value never changes silently.
    """

    refused = Signal(str)  # why the typed text was not taken (one sentence for the user)
    accepted = Signal()  # committed text was read: an earlier refusal no longer applies

    def __init__(self, what: str, step: float = 1.0, min_chars: int = 3, max_chars: int = 6):
        super().__init__()
        self.what = what
        self.min_chars, self.max_chars = min_chars, max_chars
        # QDoubleSpinBox rounds every value to `decimals`; its maximum (323) keeps any float as it is.
        self.setDecimals(323)
        self.setRange(-VALUE_LIMIT, VALUE_LIMIT)
        self.setSingleStep(step)
        self.setKeyboardTracking(False)  # one edit per commit, not one job per keystroke
        self.setAccelerated(True)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToPreviousValue)
        self._invalid = False
        self._refused = False
        self.lineEdit().textEdited.connect(lambda _text: self._mark_invalid(False))
        self.lineEdit().textChanged.connect(self._recheck)
        self._hint_chars = None
        self.valueChanged.connect(lambda _value: self._follow_text())

    # -- reading and writing -------------------------------------------------------------------------
    def textFromValue(self, value: float) -> str:
        return format_number(value)

    def valueFromText(self, text: str) -> float:
        value, _why = self._read(text)  # Qt asks only for text validate() accepted; keep the value otherwise
        return self.value() if value is None or text.strip() == format_number(self.value()) else value

    def validate(self, text: str, pos: int) -> QValidator.State:
        # Never Invalid: an Invalid keystroke is dropped silently (that is how "1/9" became 19).
        return QValidator.State.Acceptable if self._read(text)[0] is not None else QValidator.State.Intermediate

    def fixup(self, text: str) -> str:
        return text  # what was typed stays as typed; a refusal says why

    def _read(self, text: str) -> tuple[float | None, str]:
        try:
            value = parse_number(text)
        except OptionsError as e:
            return None, str(e)
        if not -VALUE_LIMIT <= value <= VALUE_LIMIT:
            return None, f"{text.strip()!r} is out of range; values go from {-VALUE_LIMIT:g} to {VALUE_LIMIT:g}"
        return value, ""

    def show_value(self, value: float) -> None:
        """Show ``value`` (replacing any uncommitted typing) without signalling an edit."""
        self.blockSignals(True)
        self.setValue(value)
        self.blockSignals(False)
        self._follow_text()

    def is_uncommitted(self) -> bool:
        """Whether the text was typed and not yet taken as the value."""
        return self.lineEdit().text().strip() != format_number(self.value())

    def _check_commit(self) -> bool:
        """Before Enter, focus-out or a step: True if the text can be taken; else say why and mark it."""
        if not self.is_uncommitted():
            return True
        text = self.lineEdit().text()
        value, why = self._read(text)
        if value is None:
            self._mark_invalid(True)
            self._refused = True
            self.refused.emit(f"{self.what}: {why}. It stays {format_number(self.value())}.")
            return False
        self.accepted.emit()
        return True

    def _recheck(self, text: str) -> None:
        """A refused text corrected, or taken back with Ctrl+Z: the refusal no longer applies."""
        if self._refused and self._read(text)[0] is not None:
            self._refused = False
            self.accepted.emit()

    def _mark_invalid(self, invalid: bool) -> None:
        if invalid == self._invalid:
            return
        self._invalid = invalid
        palette = QPalette()  # an empty palette inherits every role; the invalid one overrides only Base
        if invalid:
            palette.setColor(QPalette.ColorRole.Base, INVALID_BASE)
        self.setPalette(palette)
        self.setProperty("invalid", invalid)

    @property
    def invalid(self) -> bool:
        return self._invalid

    # -- committing and stepping -----------------------------------------------------------------------
    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self._check_commit():
            self.lineEdit().selectAll()  # kept, so it can be corrected
            event.accept()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:
        if not self._check_commit():
            # Qt puts the previous value back; the refusal message stays to say so
            self._mark_invalid(False)
            self._refused = False
        super().focusOutEvent(event)

    def stepBy(self, steps: int) -> None:
        """Step in exact arithmetic on the number as shown, so 0.1 steps give 0.3, not 0.30000000000000004."""
        if not self._check_commit():
            return
        base = parse_number(self.lineEdit().text()) if self.is_uncommitted() else self.value()
        exact = Fraction(format_number(base)) + steps * Fraction(format_number(self.singleStep()))
        self.setValue(min(max(float(exact), self.minimum()), self.maximum()))
        self.selectAll()

    def event(self, event) -> bool:
        return leave_undo_to_window(self, event) or super().event(event)

    # -- size: shrink to a few characters rather than to the width of -1000000 ------------------------
    def _size_for(self, text: str) -> QSize:
        option = QStyleOptionSpinBox()
        self.initStyleOption(option)
        metrics = self.fontMetrics()
        content = QSize(metrics.horizontalAdvance(text) + 4, self.lineEdit().sizeHint().height())
        return self.style().sizeFromContents(QStyle.ContentsType.CT_SpinBox, option, content, self)

    def _hint_length(self) -> int:
        return min(max(len(format_number(self.value())), self.min_chars + 1), self.max_chars)

    def _follow_text(self) -> None:
        """Ask for a new layout only when the size hint changes: a relayout of the window on every edit
        repaints all three views."""
        chars = self._hint_length()
        if chars != self._hint_chars:
            self._hint_chars = chars
            self.updateGeometry()

    def sizeHint(self) -> QSize:
        return self._size_for("-" + "8" * (self._hint_length() - 1))

    def minimumSizeHint(self) -> QSize:
        return self._size_for("-" + "8" * (self.min_chars - 1))
