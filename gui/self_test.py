"""`kernelscope --self-test [SHOT.png]`: check, offscreen, that this build works end to end.

Opens the window, loads every built-in sample, runs standard and lab jobs through the worker and compares
what the views show with the engine called directly, steps through one pixel, saves a screenshot. Prints
one PASS/FAIL line per check and exits 0 only if every check passed.
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from pathlib import Path

import numpy as np


def run_self_test(args) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import engine
    from gui.application import make_application

    app = make_application()
    from gui.main_window import MainWindow

    shot = Path(args.self_test) if args.self_test else Path(tempfile.gettempdir()) / "kernelscope-self-test.png"
    results: list[tuple[str, bool, str]] = []

    def check(name: str, fn) -> None:
        try:
            detail = fn()
            results.append((name, True, detail or ""))
        except Exception as error:  # noqa: BLE001 - a self-test reports every failure by name
            results.append((name, False, f"{type(error).__name__}: {error}"))
            traceback.print_exc(file=sys.stderr)

    window = MainWindow(restore=False, persist=False)
    window.resize(1280, 720)
    window.show()

    def shown_equals_engine(label: str) -> str:
        if not window.document.wait_for_idle(60000) or window.document.result is None:
            raise AssertionError(f"{label}: no result shown")
        direct = engine.run_job(window.document.image, window.document.options)
        if not np.array_equal(window.views.convolved.item.image, direct.convolved):
            raise AssertionError(f"{label}: convolved view differs from the engine")
        if not np.array_equal(window.views.pooled.item.image, direct.pooled):
            raise AssertionError(f"{label}: pooled view differs from the engine")
        return f"{window.document.image.shape[1]}x{window.document.image.shape[0]}, {window.document.result.seconds * 1000:.0f} ms"

    def resources() -> str:
        missing = [str(p) for p in [engine.sample_path(n) for n in engine.sample_names()]
                   + [engine.resources.resource_path("icons", "kernelscope.png"),
                      engine.resources.resource_path("images", "PROVENANCE.md")] if not p.is_file()]
        if missing:
            raise AssertionError("missing " + ", ".join(missing))
        return str(engine.resources.resource_dir())

    check("resources", resources)
    for name in engine.sample_names():
        def sample(name=name) -> str:
            if not window.files.load_sample(name):
                raise AssertionError(f"cannot load {name}")
            return shown_equals_engine(name)
        check(f"sample {name} (standard mode)", sample)

    def lab_mode() -> str:
        window.files.load_sample("ascent")
        preset = engine.get_preset("Notebook: 'vertical lines'")
        window.document.set_options(engine.JobOptions(kernel=preset.kernel, lab=True, pool=engine.LAB_POOL))
        return shown_equals_engine("lab mode")
    check("lab mode job on ascent", lab_mode)

    def big_kernel() -> str:
        kernel = [[(3 * i + 5 * j) % 7 - 3 for j in range(15)] for i in range(15)]
        window.document.set_options(engine.JobOptions(kernel=kernel, weight=1 / 64, border="symmetric"))
        shown = shown_equals_engine("15x15 kernel")
        if engine.Convolution(window.document.image, window.document.options).path != "fft":
            raise AssertionError("a 15x15 integer kernel did not take the FFT path")
        document = window.document
        direct = engine.convolve(document.image, document.options, fft=False)  # the same sums tap by tap
        if not np.array_equal(window.document.result.convolved, direct):
            raise AssertionError("the FFT path differs from the tap-by-tap sums")
        return shown
    check("15x15 kernel on the FFT path equals the tap-by-tap sums", big_kernel)

    def raw_mode() -> str:
        window.document.set_options(engine.JobOptions(kernel=engine.get_preset("Sobel x").kernel,
                                                      output_range="raw", border="reflect",
                                                      pool=engine.PoolOptions("avg", 3, 2)))
        return shown_equals_engine("raw output")
    check("raw output, reflect border, avg pooling", raw_mode)

    def step(label: str, row: int, col: int) -> str:
        window.step_mode.enter()
        if not window.step_mode.is_active:
            raise AssertionError("step mode did not start")
        window.step_mode.select(row, col)
        app.processEvents()
        want = engine.explain_pixel(window.document.image, window.document.options, row, col)
        panel = window.step_mode.panel
        if panel.stored_exact != want.stored or panel.stored_exact != float(window.document.result.convolved[row, col]):
            raise AssertionError(f"{label}: panel shows {panel.stored_exact}, engine says {want.stored}")
        products = sorted(cell.exact for line in panel.products.cells for cell in line if cell.exact is not None)
        if products != sorted(t.product for t in want.terms):
            raise AssertionError(f"{label}: panel products differ from the engine's explanation")
        pool = window.document.options.pool
        if pool is not None:
            pr, pc = row // pool.step, col // pool.step
            want_pool = engine.explain_pool(window.document.image, window.document.options, pr, pc)
            if panel.pool_result_exact != want_pool.result or want_pool.result != float(window.document.result.pooled[pr, pc]):
                raise AssertionError(f"{label}: pooling panel shows {panel.pool_result_exact}, "
                                     f"engine says {want_pool.result}")
        return f"convolved[{row}, {col}] = {want.stored:g}"
    check("step through one pixel (raw output)", lambda: step("raw", 100, 200))

    def step_lab() -> str:
        window.step_mode.exit()
        window.document.set_options(engine.JobOptions(kernel=engine.get_preset("Notebook: 'vertical lines'").kernel,
                                             lab=True, pool=engine.LAB_POOL))
        if not window.document.wait_for_idle(60000):
            raise AssertionError("lab job did not finish")
        return step("lab", 100, 200)  # step mode stays on for the screenshot
    check("step through one pixel (lab mode)", step_lab)

    def file_dialog() -> str:
        # Qt's own file dialog (what Linux gets without the GTK theme): lists files and sorts them with
        # QCollator, which falls back to Qt's own comparison where the build has no ICU collation data.
        from PySide6.QtCore import QCollator, QElapsedTimer, QLocale
        from PySide6.QtWidgets import QFileDialog, QListView

        if not QCollator(QLocale("de_DE")).compare("a2", "b1") < 0 or not QLocale("tr_TR").toUpper("abc"):
            raise AssertionError("QCollator/QLocale do not work")
        folder = engine.resources.resource_path("images")
        dialog = QFileDialog(window, "Open image", str(folder), "Images (*.png)")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.show()
        view = dialog.findChild(QListView, "listView")
        timer = QElapsedTimer()
        timer.start()
        while (view is None or view.model().rowCount(view.rootIndex()) < len(engine.sample_names())) \
                and timer.elapsed() < 5000:
            app.processEvents()
        listed = 0 if view is None else view.model().rowCount(view.rootIndex())
        dialog.close()
        if listed < len(engine.sample_names()):
            raise AssertionError(f"the file dialog lists {listed} files in {folder}")
        return f"{listed} files listed"
    check("file dialog", file_dialog)

    def screenshot() -> str:
        for _ in range(5):
            app.processEvents()
        if not window.grab().save(str(shot)) or shot.stat().st_size == 0:
            raise AssertionError(f"cannot write {shot}")
        return str(shot)
    check("screenshot", screenshot)

    window.close()
    for name, ok, detail in results:
        print(f"{'PASS' if ok else 'FAIL'}  {name}" + (f"  ({detail})" if detail else ""))
    failed = [name for name, ok, _ in results if not ok]
    if failed:
        print(f"self-test FAILED: {', '.join(failed)}")
        return 1
    print(f"self-test passed: {len(results)} checks")
    return 0
