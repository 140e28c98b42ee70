"""Layer window latency: a 1 MP RGB image into 8 feature maps of 3x3, from one kernel spinbox step to every
map painted (issue 14's target: p95 <= 100 ms).

Drives the real window offscreen (1280x720). Each edit steps the centre cell of the edited slice by one
(what an Up/Down key does; that slice is one map's, so the job computes that map and copies the seven
others from the shown result: engine.layer_jobs.reused_maps), or with ``--edit weight`` the weight by 0.1
(which changes every map, so all eight are computed), and runs the event loop until
- "shown": the document has emitted resultReady for exactly that kernel (the layer computed on the worker
  thread, with its display levels), and
- "painted": the big convolved and pooled views have rendered the chosen map and the small multiples have
  rendered all 8 maps and their pooled maps for that result (each renders in its paint), i.e. what a user sees.

Beside the latencies it prints the CPU time per edit of the whole process and of the GUI thread alone:
on a busy machine those count the work where wall times mostly count the waiting.

    python benchmarks/layer_window_latency.py [--edits 40] [--edit cell|weight] [--profile] [--only raw]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

import engine  # noqa: E402
from timing import close_window, open_window, percentile, run_until  # noqa: E402  (benchmarks/timing.py)

TARGET_MS = 100.0
SIDE = 1024  # 1 MP
MAPS = 8


def cases():
    image = np.random.default_rng(0).integers(0, 256, size=(SIDE, SIDE, 3)).astype(np.uint8)
    kernel = engine.fill_layer("Per-channel edge", [[1]], 3, MAPS)
    yield "clamp, max pool", image, engine.JobOptions(kernel=kernel)
    yield "raw (colormap), max pool", image, engine.JobOptions(kernel=kernel, output_range="raw")
    yield "relu, no pooling", image, engine.JobOptions(kernel=kernel, output_range="relu", pool=None)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--edits", type=int, default=40, help="edits per case")
    parser.add_argument("--profile", action="store_true", help="print the GUI thread's top functions")
    parser.add_argument("--only", default="", help="run only the cases whose name contains this")
    parser.add_argument("--edit", choices=("cell", "weight"), default="cell",
                        help="what each edit steps: a cell of one map's slice, or the weight (every map)")
    args = parser.parse_args()

    from gui.document import Source

    app, window = open_window()
    items = (window.views.convolved.item, window.views.pooled.item)
    tiles = window.centre.tiles
    shown_at = []
    window.document.resultReady.connect(lambda shown: shown_at.append((time.perf_counter(), shown.result)))

    def painted(result) -> bool:
        drawn = all(item.qimage is not None or item.image is None for item in items)
        return drawn and tiles._rendered_for is not None and tiles._rendered_for[0] == id(result)

    profiler = cProfile.Profile() if args.profile else None
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"1 MP RGB -> {MAPS} maps of 3x3, window 1280x720, each edit steps the {args.edit}; load average {load:.2f}")
    print(f"{'case':28} {'edits':>5} {'job med':>8} {'shown med':>9} {'p95':>7} {'painted med':>11} {'p95':>7}"
          f"  {'target':>13}  result  {'cpu/edit':>8} {'gui cpu':>8}")
    failed = False
    for name, image, options in cases():
        if args.only not in name:
            continue
        window.document.set_options(options)
        window.document.set_image(image, Source(name))
        if not window.document.wait_for_idle(120000):
            print(f"{name:28} the first job did not finish")
            return 1
        run_until(lambda: painted(window.document.result))
        if not tiles.isVisible():
            print(f"{name:28} the small multiples are not on screen")
            return 1
        cell = window.editor.cell(1, 1) if args.edit == "cell" else window.editor.weight
        jobs, shown, drawn = [], [], []
        if profiler:
            profiler.enable()
        cpu, gui_cpu = time.process_time(), time.thread_time()
        for n in range(args.edits):
            shown_at.clear()
            start = time.perf_counter()
            cell.stepBy(1 if n % 2 == 0 else -1)
            wanted = window.document.options
            if not run_until(lambda: bool(shown_at) and shown_at[-1][1].options == wanted):
                print(f"{name:28} edit {n} never showed its result")
                return 1
            middle, result = shown_at[-1]
            if not run_until(lambda: painted(result)):
                print(f"{name:28} edit {n} was never painted")
                return 1
            end = time.perf_counter()
            jobs.append(result.seconds * 1000)
            shown.append((middle - start) * 1000)
            drawn.append((end - start) * 1000)
        cpu, gui_cpu = [(time.process_time() - cpu) * 1000 / args.edits, (time.thread_time() - gui_cpu) * 1000 / args.edits]
        if profiler:
            profiler.disable()
        p95 = percentile(drawn, 0.95)
        verdict = "PASS" if p95 <= TARGET_MS else "FAIL"
        failed |= verdict == "FAIL"
        print(f"{name:28} {len(drawn):5d} {statistics.median(jobs):6.1f}ms {statistics.median(shown):7.1f}ms "
              f"{percentile(shown, 0.95):5.1f}ms {statistics.median(drawn):9.1f}ms {p95:5.1f}ms"
              f"  p95 <= {TARGET_MS:3.0f} ms  {verdict}    {cpu:6.1f}ms {gui_cpu:6.1f}ms", flush=True)
    if profiler:
        pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "tottime")).print_stats(int(os.environ.get("TOP", "25")))
    close_window(app, window)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
