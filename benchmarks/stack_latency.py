"""Layer stack latency: from one kernel spinbox step in a layer of the stack to the views painted.

Drives the real window offscreen (1280x720) with the four-layer stack of issue 15 (3x3 conv, ReLU, 2x2 max
pool, 3x3 conv; raw outputs) on a random image. For each edit it steps the centre cell of the chosen
layer's kernel by one (what an Up/Down key does), then runs the event loop until the stack has emitted its
result for exactly that pipeline and the views the edit changes have rendered the new arrays:
- last layer edited: that layer's view (the earlier layers' outputs are kept, their views untouched);
- first layer edited: every layer's view.
Targets (p95, edit to painted): 1024x1024 last layer <= 30 ms, first layer <= 60 ms; 4096x4096 first
layer <= 250 ms (its last-layer edit is reported too).

    python benchmarks/stack_latency.py [--edits 100] [--big-edits 40]
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
from timing import close_window, open_window, percentile, run_until  # noqa: E402  (benchmarks/timing.py)

#: (side, layer edited) -> p95 target in ms (None: reported only)
TARGETS = {(1024, "last"): 30.0, (1024, "first"): 60.0, (4096, "last"): None, (4096, "first"): 250.0}


def four_layers() -> engine.Pipeline:
    return engine.Pipeline((
        engine.ConvLayer.make([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]), engine.ReluLayer(),
        engine.PoolLayer(engine.PoolOptions("max", 2)), engine.ConvLayer.make([[0, 1, 0], [1, -4, 1], [0, 1, 0]])))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--edits", type=int, default=100, help="edits per 1024x1024 case")
    parser.add_argument("--big-edits", type=int, default=40, help="edits per 4096x4096 case")
    args = parser.parse_args()

    from gui.document import Source

    app, window = open_window()
    stack = window.document.stack
    shown_at = []
    stack.resultReady.connect(lambda shown: shown_at.append((time.perf_counter(), shown.pipeline)))


    print(f"{'case':34} {'edits':>5} {'job med':>8} {'shown med':>9} {'p95':>7} {'painted med':>11} {'p95':>7}"
          f"  {'target':>13}  result")
    failed = False
    for side in (1024, 4096):
        image = np.random.default_rng(0).integers(0, 256, size=(side, side)).astype(np.uint8)
        window.document.set_image(image, Source(f"random {side}x{side}"))
        stack.activate(four_layers())
        if not window.document.wait_for_idle(300000):
            print(f"{side}x{side}: the first job did not finish")
            return 1
        app.processEvents()
        for which in ("last", "first"):
            layer = 3 if which == "last" else 0
            stack.choose(layer)
            app.processEvents()
            views = [cell.panel.item for cell in window.stack_mode.views.cells[layer + 1:]]
            cell = window.editor.cell(1, 1)
            jobs, shown, painted = [], [], []
            for n in range(args.edits if side == 1024 else args.big_edits):
                shown_at.clear()
                start = time.perf_counter()
                cell.stepBy(1 if n % 2 == 0 else -1)
                wanted = stack.pipeline
                if not run_until(lambda: bool(shown_at) and shown_at[-1][1] == wanted, 120.0):
                    print(f"{side} {which}: edit {n} never showed its result")
                    return 1
                middle = shown_at[-1][0]
                if not run_until(lambda: all(item.qimage is not None for item in views), 120.0):
                    print(f"{side} {which}: edit {n} was never painted")
                    return 1
                end = time.perf_counter()
                result = stack.shown.result
                jobs.append(sum(result.seconds[result.start:]) * 1000)
                shown.append((middle - start) * 1000)
                painted.append((end - start) * 1000)
            target = TARGETS[(side, which)]
            p95 = percentile(painted, 0.95)
            verdict = "info" if target is None else "PASS" if p95 <= target else "FAIL"
            failed |= verdict == "FAIL"
            name = f"{side}x{side} edit in the {which} layer"
            goal = "" if target is None else f"p95 <= {target:3.0f} ms"
            print(f"{name:34} {len(painted):5d} {statistics.median(jobs):6.1f}ms {statistics.median(shown):7.1f}ms "
                  f"{percentile(shown, 0.95):5.1f}ms {statistics.median(painted):9.1f}ms {p95:5.1f}ms"
                  f"  {goal:>13}  {verdict}", flush=True)
    close_window(app, window)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
