"""Step latency: from pressing Next (the Right arrow) in step mode to the panel and overlays updated.

Drives the real window offscreen: shows an image, waits for its job, enters step mode at a pixel, then
presses Right N times. Two times per press:
- "handled": the key event returns (explain_pixel/explain_pool, panel text, overlay rectangles set);
- "painted": handled + the paint events Qt then runs for what changed (panel, overlays on the views),
  i.e. until the event loop is idle again.
Target: p95 "painted" <= 16 ms (one frame at 60 Hz). The same for taps (Shift+Right in tap-by-tap mode).
Beside them, the main thread's CPU time per press (median / p95): on a busy machine the wall times wait for
the CPU, the CPU time much less.

Then the sweep: Play at the top speed from the first pixel, timed until it stops at the last (target: a
512x512 image in <= 5 s), with the longest gap between frames (the window never blocks: on 4096x4096 the
sweep skips pixels, not frames, and is timed for a few seconds only).

    python benchmarks/step_latency.py [--presses 200] [--cases 15x15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

import engine  # noqa: E402
from timing import percentile  # noqa: E402  (benchmarks/timing.py)

TARGET_MS = 16.0
SWEEP_TARGET_S = 5.0


def cases():
    rng = np.random.default_rng(0)
    sobel = engine.get_preset("Sobel x").kernel
    big_kernel = tuple(tuple(float(v) for v in row) for row in rng.integers(-3, 4, size=(15, 15)))
    for side in (512, 4096):
        image = rng.integers(0, 256, size=(side, side)).astype(np.uint8)
        yield f"{side}x{side} Sobel 3x3, max pool", image, engine.JobOptions(kernel=sobel)
        yield f"{side}x{side} lab mode", image, engine.JobOptions(kernel=sobel, lab=True, pool=engine.LAB_POOL)
        yield f"{side}x{side} 15x15 kernel, avg pool", image, engine.JobOptions(
            kernel=big_kernel, weight=1 / 225, border="reflect", pool=engine.PoolOptions("avg", 2))


def press(window, key, modifier, presses):
    """(handled, painted, cpu) times in ms of ``presses`` key presses; cpu is the main thread's CPU time
    from the press to painted, which other work on the machine inflates far less than the wall time."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    handled, painted, cpu = [], [], []
    for _ in range(presses):
        start, start_cpu = time.perf_counter(), time.thread_time()
        QTest.keyClick(window, key, modifier)
        middle = time.perf_counter()
        QApplication.processEvents()  # the deferred paints of the changed widgets and view items
        end = time.perf_counter()
        cpu.append((time.thread_time() - start_cpu) * 1000)
        handled.append((middle - start) * 1000)
        painted.append((end - start) * 1000)
    return handled, painted, cpu


def report(name, handled, painted, cpu) -> bool:
    p95 = percentile(painted, 0.95)
    verdict = "PASS" if p95 <= TARGET_MS else "FAIL"
    print(f"{name:38} {statistics.median(handled):9.2f}ms {percentile(handled, 0.95):5.2f}ms "
          f"{min(painted):9.2f}ms {statistics.median(painted):5.2f}ms {p95:5.2f}ms  p95 <= {TARGET_MS:.0f}ms"
          f"  {verdict}   cpu {statistics.median(cpu):5.2f} / {percentile(cpu, 0.95):5.2f}ms", flush=True)
    return verdict == "PASS"


def sweep(window, limit_s: float) -> tuple[float, float, int, bool]:
    """Play at top speed from the first pixel: (seconds, longest frame gap in ms, frames, reached the end)."""
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

    step = window.step_mode
    step.home()
    step.speed.setValue(step.speed.maximum())
    gaps, last = [], [time.perf_counter()]

    def frame():
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    step.playback.timer.timeout.connect(frame)
    loop = QEventLoop()
    poll = QTimer(interval=5, timeout=lambda: step.playing or loop.quit())
    QTimer.singleShot(int(limit_s * 1000), loop.quit)
    start = time.perf_counter()
    step.play()
    poll.start()
    loop.exec()
    seconds = time.perf_counter() - start
    poll.stop()
    done = not step.playing
    step.pause()
    step.playback.timer.timeout.disconnect(frame)
    QCoreApplication.processEvents()
    return seconds, max(gaps) * 1000 if gaps else 0.0, len(gaps), done and step.cursor.at_end()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--presses", type=int, default=200)
    parser.add_argument("--cases", default="", help="run only the cases whose name contains this, e.g. 15x15")
    args = parser.parse_args()

    import pyqtgraph as pg
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from gui.application import make_application
    app = make_application()
    pg.setConfigOptions(imageAxisOrder="row-major")
    from gui.document import Source
    from gui.main_window import MainWindow

    window = MainWindow(restore=False, persist=False)
    window.resize(1280, 720)
    window.show()
    QApplication.processEvents()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{os.cpu_count()} CPUs, load average {load:.2f} (other work on the machine inflates the p95)")
    print(f"{'case':38} {'handled med':>11} {'p95':>7} {'painted min':>11} {'med':>7} {'p95':>7}  target"
          f"      result   main-thread cpu med / p95")
    failed = False
    for name, image, options in cases():
        if args.cases not in name:
            continue
        window.document.set_options(options)
        window.document.set_image(image, Source(name))
        if not window.document.wait_for_idle(120000):
            print(f"{name:38} the job did not finish")
            return 1
        step = window.step_mode
        step.enter()
        step.select(image.shape[0] // 2, image.shape[1] // 3)
        window.activateWindow()
        QApplication.processEvents()
        handled, painted, cpu = press(window, Qt.Key.Key_Right, Qt.KeyboardModifier.NoModifier, args.presses)
        moved = step.current[1] - image.shape[1] // 3
        if moved != args.presses:
            print(f"{name:38} only {moved} of {args.presses} presses moved the cursor")
            return 1
        failed |= not report(name, handled, painted, cpu)
        step.set_tap_mode(True)
        handled, painted, cpu = press(window, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier, args.presses)
        step.set_tap_mode(False)
        failed |= not report("  taps (Shift+Right)", handled, painted, cpu)
        if "15x15" not in name:
            big = image.shape[0] > 512
            seconds, gap, frames, done = sweep(window, 3.0 if big else 30.0)
            pixels = step.cursor.count
            if big:
                print(f"  sweep at top speed: {frames} frames in {seconds:.1f} s, longest gap {gap:.0f} ms "
                      f"(a whole sweep of {pixels:,} pixels would take {pixels / 60000:.0f} s)", flush=True)
            else:
                verdict = "PASS" if done and seconds <= SWEEP_TARGET_S else "FAIL"
                failed |= verdict == "FAIL"
                print(f"  sweep of {pixels:,} pixels at top speed: {seconds:.2f} s, {frames} frames, longest gap "
                      f"{gap:.0f} ms  <= {SWEEP_TARGET_S:.0f} s  {verdict}", flush=True)
        step.exit()
    window.document.runner.shutdown()
    window.close()
    app.processEvents()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
