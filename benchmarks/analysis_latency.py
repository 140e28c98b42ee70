"""Kernel analysis latency: what one kernel edit costs the analysis panel.

- "analyse": engine.analysis.kernel_analysis on a kernel not seen before (the cache cleared each time), for
  the presets' sizes and for the worst case: 15x15 random floats (exact rank of 225 binary fractions);
- "panel": KernelAnalysisPanel.show_analysis plus painting the panel offscreen (labels, the 64x64 response
  image and both cuts), i.e. the GUI thread's share.
Target: analyse + panel p95 <= 8 ms for kernels up to 7x7 (half a 60 Hz frame, so the panel beside a live
512x512 view keeps its 16 ms edit-to-screen target), <= 30 ms for 15x15.

    python benchmarks/analysis_latency.py [--repeats 50]
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
from engine import analysis  # noqa: E402
from timing import percentile  # noqa: E402  (benchmarks/timing.py)


def kernels(rng: np.random.Generator):
    yield "3x3 Sobel x", engine.get_preset("Sobel x").kernel, 1.0
    yield "3x3 random integers", rng.integers(-9, 10, (3, 3)).tolist(), 1.0
    yield "7x7 random integers", rng.integers(-9, 10, (7, 7)).tolist(), 1.0
    yield "15x15 random integers", rng.integers(-9, 10, (15, 15)).tolist(), 1.0
    yield "15x15 random floats", (rng.random((15, 15)) * 100 - 50).tolist(), 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=50)
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    from gui.kernel_analysis_panel import KernelAnalysisPanel

    app = QApplication.instance() or QApplication(sys.argv)
    panel = KernelAnalysisPanel()
    panel.resize(420, 700)
    panel.show()
    app.processEvents()
    rng = np.random.default_rng(0)
    print(f"{'kernel':24} {'analyse p50/p95 ms':>20} {'panel p50/p95 ms':>18}")
    for name, kernel, weight in kernels(rng):
        analyse_ms, panel_ms = [], []
        for n in range(args.repeats):
            edited = [list(row) for row in kernel]
            edited[0][0] += n  # a kernel not in the cache, as a live edit makes
            analysis._analyse.cache_clear()
            start = time.perf_counter()
            result = analysis.kernel_analysis(edited, weight)
            middle = time.perf_counter()
            panel.show_analysis(result)
            panel.repaint()
            panel.plots.viewport().repaint()
            end = time.perf_counter()
            analyse_ms.append(1000 * (middle - start))
            panel_ms.append(1000 * (end - middle))
        print(f"{name:24} {statistics.median(analyse_ms):9.2f}/{percentile(analyse_ms, 0.95):<9.2f} "
              f"{statistics.median(panel_ms):8.2f}/{percentile(panel_ms, 0.95):<8.2f}")


if __name__ == "__main__":
    main()
