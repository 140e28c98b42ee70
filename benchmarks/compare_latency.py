"""Compare mode latency: from one kernel spinbox step (B) to A, B and A - B holding the new comparison.

Drives the real window offscreen (1280x720) in compare mode (A = Scharr x, B = the editor's Sobel x on the
512x512 ascent). For each edit it steps B's centre cell by one, then runs the event loop until
- "compared": compare mode has shown the comparison of exactly that B (the document's job, then the
  comparison and its levels on the worker thread, both explanations of the current pixel), and
- "painted": the compare views shown have also rendered their new arrays (six with pooling: A, B, A - B
  and the pooled three; three without).
Target (p95 "painted"): 512x512 <= 33 ms (two frames at 60 Hz: B's job, then the comparison after it).

    python benchmarks/compare_latency.py [--edits 100]
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

import engine  # noqa: E402
from timing import open_window, percentile, run_until  # noqa: E402  (benchmarks/timing.py)

TARGET_MS = 33.0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--edits", type=int, default=100)
    args = parser.parse_args()

    from gui.document import Source

    app, window = open_window()
    mode = window.compare
    compared_at = []
    mode.compared.connect(lambda c: compared_at.append((time.perf_counter(), c.b.options.kernel)))


    sobel = engine.get_preset("Sobel x")
    cases = (("512x512 Sobel x vs Scharr x, clamp, max pool 2", engine.JobOptions(kernel=sobel.kernel)),
             ("512x512 Sobel x vs Scharr x, raw, max pool 2", engine.JobOptions(kernel=sobel.kernel,
                                                                               output_range="raw")),
             ("512x512 Sobel x vs Scharr x, raw, no pooling", engine.JobOptions(kernel=sobel.kernel,
                                                                               output_range="raw", pool=None)))
    for name, options in cases:
        window.document.set_options(options)
        window.document.set_image(engine.load_image(engine.sample_path("ascent")), Source("ascent"))
        window.document.wait_for_idle()
        if not mode.compare_with_preset(engine.get_preset("Scharr x")) or not run_until(lambda: mode.comparison):
            print(f"{name}: compare mode did not start")
            return 1
        items = [panel.item for panel in mode.views.panels() if panel.isVisible()]
        cell = window.editor.cell(1, 1)
        compared, painted = [], []
        for n in range(args.edits):
            compared_at.clear()
            start = time.perf_counter()
            cell.stepBy(1 if n % 2 == 0 else -1)
            wanted = window.document.options.kernel
            if not run_until(lambda: bool(compared_at) and compared_at[-1][1] == wanted):
                print(f"{name}: edit {n} was never compared")
                return 1
            middle = compared_at[-1][0]
            if not run_until(lambda: all(item.qimage is not None for item in items)):
                print(f"{name}: edit {n} was never painted")
                return 1
            compared.append((middle - start) * 1000)
            painted.append((time.perf_counter() - start) * 1000)
        p95 = percentile(painted, 0.95)
        print(f"{name:48} {len(painted)} edits  compared med {statistics.median(compared):5.1f} ms  "
              f"p95 {percentile(compared, 0.95):5.1f} ms  painted med {statistics.median(painted):5.1f} ms  "
              f"p95 {p95:5.1f} ms  target p95 <= {TARGET_MS:.0f} ms  {'PASS' if p95 <= TARGET_MS else 'FAIL'}",
              flush=True)
        mode.leave()
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
