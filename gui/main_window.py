"""The main window: it composes the document, the views, the side dock, step mode, the menus and the status
bar, and wires each to the document. It holds no state of its own."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QWidget

import engine
from gui import pixel_numbers, settings as app_settings
from gui.centre_area import CentreArea
from gui.clamp_overlay import ClampOverlay
from gui.compare_actions import attach_compare_mode
from gui.dock_layout import DockLayout
from gui.docks import build_side_dock, learn_dock, lesson_dock
from gui.document import Document
from gui.document_views import DocumentViews
from gui.edit_panels import EditPanels
from gui.export.actions import ExportActions
from gui.file_actions import FileActions
from gui.image_views import ImageViews
from gui.kernel_actions import KernelActions
from gui.kernel_analysis_panel import build_analysis_dock
from gui.kernel_editor import DEFAULT_PRESET, KernelEditor
from gui.layer_panel import LayerPanel
from gui.menus import build_menus
from gui.options_panel import OptionsPanel
from gui.presentation import Presentation
from gui.presets import Presets
from gui.stack_docks import ChosenKernel
from gui.stack_mode import StackMode
from gui.status_bar import StatusBar
from gui.step.mode import StepMode


class MainWindow(QMainWindow):
    """Kernel editor and options on the left, input/convolved/pooled views in the middle, step mode's dock
    right of them or below (gui.dock_layout). Widgets talk to ``self.document``; every edit there starts a
    job on the worker thread and the views show its result when it is ready (gui.document_views). What the
    window does not show at first (the Learn, Lesson and analysis docks, compare mode's views) is built when
    first opened.

    ``restore`` reads the window's geometry and last session from the settings; ``persist`` saves them on
    close (both off for tests and scripted screenshots)."""

    def __init__(self, restore: bool = True, persist: bool = True):
        super().__init__()
        self.persist, self._restore = persist, restore
        self.setWindowTitle("Kernelscope")
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
        self.options_panel = OptionsPanel()
        self.layer_panel = LayerPanel()
        self.options_panel.layout().addRow(self.layer_panel)
        # the views first: others read what they show
        self.document_views = DocumentViews(self, self.document, self.views, self.centre, self.layer_panel)
        self.clamp_overlay = ClampOverlay(self.document, self.views.convolved)
        self.status = StatusBar(self.document, self.views, self)
        self.setStatusBar(self.status)
        say = self.status.show_message
        self.presets = Presets(self.document, self, say)
        self.presets.userPresetsChanged.connect(self.editor.set_user_presets)
        self.presets.chosen.connect(self.editor.set_preset)
        self.editor.set_user_presets(self.presets.user_presets)
        self.kernel_actions = KernelActions(self.document, self, say)
        self.side_dock = build_side_dock(self, self.editor, self.presets.menu, self.options_panel,
                                         self.kernel_actions.button_row())
        self.step_mode = StepMode(self.document, self.views, self)  # its dock on the right
        self.chosen_kernel = ChosenKernel(self.document, self.layer_panel, self)  # what analysis and Learn follow
        self.learn_dock = learn_dock(self, self.chosen_kernel)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.step_mode.controls.toolbar)
        self.dock_layout = DockLayout(self, self.side_dock, self.step_mode)
        self.presentation = Presentation(self.views, self.pixel_numbers, self.step_mode, self.dock_layout.schedule)
        self.set_presentation = self.presentation.set
        self.files = FileActions(self.document, self, say, self.step_mode, self.editor)
        self.exports = ExportActions(self)
        self.lesson_dock = lesson_dock(self)
        self.menus = build_menus(self)
        self.presentation.action = self.menus.presentation
        toolbar = self.step_mode.controls.toolbar
        toolbar.insertAction(toolbar.actions()[1], self.menus.presentation)  # early: it stays on narrow screens
        self.menuBar().insertMenu(self.menus.view.menuAction(), self.kernel_actions.menu)
        self.analysis_dock = build_analysis_dock(self, self.chosen_kernel, self.dock_layout)
        self.menus.view.addAction(self.analysis_dock.toggleViewAction())
        self.stack_mode = StackMode(self)  # the layer stack (issue 15): its own views, strip and step panel
        self.compare = attach_compare_mode(self)

        self.panels = EditPanels(self.document, self.editor, self.options_panel, self.layer_panel, say,
                                 lambda: self.learn_dock.built and self.learn_panel.mirroring,
                                 self.dock_layout.kernel_shape_changed, self._pooling_changed)
        self.presets.layerChosen.connect(self.panels.fill_layer)
        self.document_views.follow_slice(self.step_mode, self.stack_mode)
        self.centre.tiles.mapChosen.connect(self.layer_panel.out_channel.setValue)
        self.panels.show_options(self.document.options)
        app_settings.place_window(self, restore)

    @property
    def learn_panel(self):
        """View > Learn a kernel's panel (gui.learn_panel), built on first use."""
        return self.learn_dock.content

    @property
    def lessons(self):
        """Help > Lessons' panel (gui.lessons), built on first use."""
        return self.lesson_dock.content

    def _pooling_changed(self, pooling: bool) -> None:
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

    def dragEnterEvent(self, event) -> None:
        self.files.drag_entered(event)

    def dropEvent(self, event) -> None:
        self.files.dropped(event)

    # -- settings -------------------------------------------------------------------------------------
    def restore_last_session(self) -> bool:
        """Apply the session saved at the last exit (unless the window was made not to restore)."""
        return self._restore and app_settings.restore_last_session(self.files, self.status.show_message)

    def save_settings(self) -> None:
        app_settings.save_window(self, self.files.current_session())

    def closeEvent(self, event) -> None:
        if self.learn_dock.built:
            self.learn_panel.shutdown()
        self.compare.leave()  # the saved layout is the normal one, and step mode is back where it was
        if self.persist:
            self.save_settings()  # first: the session keeps the step position only while step mode is on
        self.step_mode.exit()
        self.document.shutdown()
        super().closeEvent(event)
