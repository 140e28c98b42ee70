"""The main window: it composes the document, the views, the side dock, step mode, the menus and the status
bar, and wires each to the document. It holds no state of its own besides presentation mode."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QStackedWidget, QWidget

import engine
from engine.numbers import format_size
from gui import pixel_numbers, settings as app_settings
from gui.dock_layout import DockLayout
from gui.docks import build_side_dock
from gui.centre_area import CentreArea
from gui.clamp_overlay import ClampOverlay
from gui.compare_actions import attach_compare_mode
from gui.document import Document
from gui.export.actions import ExportActions
from gui.lessons import build_lessons_dock
from gui.file_actions import FileActions
from gui.image_views import ImageViews
from gui.kernel_actions import KernelActions
from gui.kernel_analysis_panel import build_analysis_dock
from gui.kernel_editor import DEFAULT_PRESET, KernelEditor
from gui.learn_panel import LearnPanel
from gui.layer_panel import (LayerPanel, edit_changes, editor_values, layer_preset_changes, outputs_changes,
                             shown_result)
from gui.menus import build_menus
from gui.options_panel import OptionsPanel
from gui.presets import Presets
from gui.stack_mode import StackMode
from gui.status_bar import StatusBar
from gui.step.mode import StepMode

PRESENTATION_SCALE = 1.6


class MainWindow(QMainWindow):
    """Kernel editor and options on the left, input/convolved/pooled views in the middle, step mode's dock
    right of them or below (gui.dock_layout). Widgets talk to ``self.document``; every edit there starts a
    job on the worker thread and the views show its result when it is ready.

    ``restore`` reads the window's geometry and last session from the settings; ``persist`` saves them on
    close (both off for tests and scripted screenshots)."""

    def __init__(self, restore: bool = True, persist: bool = True):
        super().__init__()
        self.persist, self._restore = persist, restore
        self._base_point_size: float | None = None
        self.setWindowTitle("Kernelscope")
        self.setAcceptDrops(True)
        self.editor = KernelEditor()
        self.views = ImageViews()
        self.document = Document(self.views.prepare_levels, engine.JobOptions(
            kernel=DEFAULT_PRESET.kernel, weight=DEFAULT_PRESET.weight, offset=DEFAULT_PRESET.offset), self,
            display=self.views.prepare_display)
        self.centre = CentreArea(self.views)  # the views over the feature maps' small multiples
        self.pages = QStackedWidget()  # the central area: the centre above, or a mode's own views (compare, stack)
        self.pages.addWidget(self.centre)
        self.setCentralWidget(self.pages)
        self.pixel_numbers = pixel_numbers.attach(self.views)
        self.document.imageChanged.connect(self._show_image)  # the views first: others read what they show
        self.document.resultReady.connect(self._show_result)
        self.document.jobFailed.connect(self._mark_out_of_date)
        self.clamp_overlay = ClampOverlay(self.document, self.views.convolved)
        self.status = StatusBar(self.document, self.views, self)
        self.setStatusBar(self.status)
        say = self.status.show_message
        self.options_panel = OptionsPanel()
        self.layer_panel = LayerPanel()
        self.options_panel.layout().addRow(self.layer_panel)
        self.presets = Presets(self.document, self, say)
        self.presets.userPresetsChanged.connect(self.editor.set_user_presets)
        self.presets.chosen.connect(self.editor.set_preset)
        self.presets.layerChosen.connect(self._fill_layer)
        self.editor.set_user_presets(self.presets.user_presets)
        self.kernel_actions = KernelActions(self.document, self, say)
        self.side_dock = build_side_dock(self, self.editor, self.presets.menu, self.options_panel,
                                         self.kernel_actions.button_row())
        self.step_mode = StepMode(self.document, self.views, self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.step_mode.dock)
        self.learn_panel = LearnPanel(self.document, self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.learn_panel.dock)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.step_mode.controls.toolbar)
        self.dock_layout = DockLayout(self, self.side_dock, self.step_mode)
        self.files = FileActions(self.document, self, say, self.step_mode, self.editor)
        self.exports = ExportActions(self)
        self.lesson_dock, self.lessons = build_lessons_dock(self)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.lesson_dock)
        self.menus = build_menus(self)
        toolbar = self.step_mode.controls.toolbar
        toolbar.insertAction(toolbar.actions()[1], self.menus.presentation)  # early: it stays on narrow screens
        self.menuBar().insertMenu(self.menus.view.menuAction(), self.kernel_actions.menu)
        self.analysis_dock = build_analysis_dock(self, self.document, self.dock_layout)
        self.menus.view.addAction(self.analysis_dock.toggleViewAction())
        self.stack_mode = StackMode(self)  # the layer stack (issue 15): its own views, strip and step panel
        self.compare = attach_compare_mode(self)

        self.editor.stateChanged.connect(self._on_kernel_edited)
        self.editor.message.connect(lambda text: say(text, error=True))
        self.options_panel.edited.connect(lambda changes: self.edits.change(**changes))
        self.layer_panel.outputsChosen.connect(lambda maps: self.edits.change(**outputs_changes(
            self.edits.options, self.layer_panel.slice, maps, self._channels())))
        self.layer_panel.sliceChosen.connect(self._show_slice)
        self.centre.tiles.mapChosen.connect(self.layer_panel.out_channel.setValue)
        self.document.optionsChanged.connect(self._show_options)
        self.document.refused.connect(lambda _why: self._show_options(self.document.options, again=True))
        self._show_options(self.document.options)
        self._use_most_of_the_screen()
        if restore:
            app_settings.restore_window(self)

    # -- wiring ---------------------------------------------------------------------------------------
    @property
    def edits(self):
        """Where the editor's and options panel's edits go: the document's options, or the layer the stack
        has chosen (both offer options, change and accepts)."""
        return self.document.stack if self.document.stack.active else self.document

    def _channels(self) -> int:
        if self.document.stack.active:
            return self.document.stack.input_channels()
        image = self.document.image
        return 1 if image is None else engine.channel_count(image)

    def _on_kernel_edited(self, state: engine.Preset) -> None:
        edits = self.edits
        if not edits.change(**edit_changes(edits.options, self.layer_panel.slice, state)):
            self.editor.set_values(*editor_values(edits.options, self.layer_panel.slice), text="Refused edit")

    def _fill_layer(self, name: str) -> None:
        """A layer preset: every slice of the kernel at once (refused with the reason, e.g. in lab mode)."""
        try:
            changes = layer_preset_changes(self.document.options, self.layer_panel.slice, name, self._channels())
        except engine.KernelscopeError as e:
            self.status.show_message(str(e), error=True)
            return
        self.document.change(**changes)

    def _show_slice(self, _in_channel: int, _out_channel: int) -> None:
        """Another kernel slice in the editor; its map in the big views and in step mode."""
        self._show_options(self.edits.options, again=True)
        self.step_mode.channel = self.layer_panel.slice[1]
        self.step_mode.refresh()
        if self.document.shown is not None:
            self._show_result(self.document.shown)

    def _show_options(self, options: engine.JobOptions, again: bool = False) -> None:
        """The editor, the options panel and the menus show what the document holds."""
        self.editor.set_lab_mode(options.lab)
        state, shown = self.editor.state, editor_values(options, self.layer_panel.slice)
        if (state.kernel, state.weight, state.offset) != shown:
            if self.learn_panel.mirroring:  # a whole learning run is one undo step
                self.editor.set_values(*shown, text="Learned kernel", merge_key="learned")
            else:
                self.editor.set_values(*shown, text="Set options")
        self.options_panel.show_options(options, again)
        self.layer_panel.show_layer(options, self._channels())
        image, stack = self.document.image, self.document.stack
        shape = stack.input_shape() if stack.active else None if image is None else image.shape  # what it reads
        self.options_panel.show_shape(shape, options)
        self.dock_layout.kernel_shape_changed(options.shape)
        pooling = options.pool is not None
        if self.menus.save_pooled.isEnabled() != pooling:  # a new text redraws the menu's action: only on change
            self.menus.save_pooled.setEnabled(pooling)
            self.menus.save_pooled.setText("Save &pooled image..." if pooling else "Save pooled image (pooling is off)")

    def show_views(self, views: QWidget | None = None) -> None:
        """The central area shows a mode's own ``views`` (compare mode, the layer stack), or with None the
        normal views over the feature maps; pages once added stay, keeping their zoom and results."""
        page = self.centre if views is None else views
        if self.pages.indexOf(page) < 0:
            self.pages.addWidget(page)
        self.pages.setCurrentWidget(page)

    @property
    def shown_views(self) -> QWidget:
        """What the central area shows: ``centre`` (the normal views) or a mode's own views."""
        return self.pages.currentWidget()

    def _use_most_of_the_screen(self) -> None:
        """The first window (no saved geometry) takes most of the screen, centred."""
        screen = self.screen().availableGeometry()
        self.resize(int(screen.width() * 0.9), int(screen.height() * 0.9))
        self.move(screen.center() - self.rect().center())

    def _show_image(self) -> None:
        document = self.document
        image, label = document.image, document.source.label
        self.views.show_input(image)
        self.views.input.set_title(f"Input: {label}, {format_size(image.shape)}")
        self.setWindowTitle(f"Kernelscope - {label}")
        if document.stack.active:
            self.stack_mode.show_chosen(document.stack.options)
            return
        self.options_panel.show_shape(image.shape, document.options)
        self.layer_panel.show_layer(document.options, self._channels())

    def _show_result(self, shown) -> None:
        for panel in (self.views.convolved, self.views.pooled):
            if panel.item.opacity() != 1.0:
                panel.item.setOpacity(1.0)
        self.views.show_result(shown_result(shown.result, self.layer_panel.slice), shown.levels, shown.display)
        self.centre.show_result(shown.result, shown.levels, self.layer_panel.slice[1])

    def _mark_out_of_date(self, failure) -> None:
        """The options cannot run: the results on screen are those of earlier options, and say so."""
        for panel in (self.views.convolved, self.views.pooled):
            if panel.data is not None:
                panel.item.setOpacity(0.35)
                panel.set_title(f"Out of date (these options cannot run): {failure.message}")
        self.centre.tiles.set_stale(True)

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self.files.open_dropped(files)

    # -- view -----------------------------------------------------------------------------------------
    def show_histograms(self, checked: bool) -> None:
        for panel in self.views.panels():
            panel.set_histogram_visible(checked)
        QTimer.singleShot(0, self.views.fit)  # the views changed height: fit the image again

    def set_presentation(self, on: bool) -> None:
        """Presentation mode: the application's font scaled up for projection; step mode follows."""
        font = QApplication.font()
        if self._base_point_size is None:
            self._base_point_size = font.pointSizeF()
        font.setPointSizeF(self._base_point_size * (PRESENTATION_SCALE if on else 1.0))
        QApplication.setFont(font)
        self.menus.presentation.setChecked(on)
        self.views.set_presentation(on)
        for numbers in self.pixel_numbers:
            numbers.set_presentation(on)
        self.step_mode.set_presentation(on)
        self.dock_layout.schedule()

    # -- settings -------------------------------------------------------------------------------------
    def restore_last_session(self) -> bool:
        """Apply the session saved at the last exit (unless the window was made not to restore)."""
        if not self._restore:
            return False
        session, problem = app_settings.load_last_session()
        if problem:
            self.status.show_message(problem, error=True)
        if session is None:
            return False
        self.files.apply_session(session)
        return True

    def save_settings(self) -> None:
        app_settings.save_window(self, self.files.current_session())

    def closeEvent(self, event) -> None:
        self.learn_panel.shutdown()
        self.compare.leave()  # the saved layout is the normal one, and step mode is back where it was
        if self.persist:
            self.save_settings()  # first: the session keeps the step position only while step mode is on
        self.step_mode.exit()
        self.document.shutdown()
        super().closeEvent(event)
