"""Pipeline speed (issue 15), the engine's part: the four-layer stack 3x3 conv -> ReLU -> 2x2 max pool ->
3x3 conv (raw outputs) on 1024x1024 and 4096x4096 gray images (ascent tiled):

- a first-layer edit: every layer computed (run_pipeline from layer 0);
- a last-layer edit: only the last conv recomputed (run_pipeline with the previous result and start=3).

Each edit alternates between two kernels, so every run is real work. Prints the median and p95 of --runs
runs in ms; the window's latency (painting included) is measured by benchmarks/window_latency.py's peers.

    python benchmarks/pipeline_speed.py [--runs 15] [--sizes 1024,4096]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

import engine  # noqa: E402
from timing import percentile  # noqa: E402

FIRST = ([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], [[1, 2, 1], [0, 0, 0], [-1, -2, -1]])
LAST = ([[0, 1, 0], [1, -4, 1], [0, 1, 0]], [[1, 1, 1], [1, -8, 1], [1, 1, 1]])


def stack(first, last) -> engine.Pipeline:
    return engine.Pipeline((engine.ConvLayer.make(first), engine.ReluLayer(), engine.PoolLayer(),
                            engine.ConvLayer.make(last)))


def image(size: int) -> np.ndarray:
    gray = engine.load_image(engine.sample_path("ascent"))
    return np.ascontiguousarray(np.tile(gray, (size // gray.shape[0] + 1, size // gray.shape[1] + 1))[:size, :size])


def measure(size: int, runs: int) -> dict[str, list[float]]:
    picture = image(size)
    result = engine.run_pipeline(picture, stack(FIRST[0], LAST[0]))  # warm-up: buffers, thread pool
    times: dict[str, list[float]] = {"first-layer edit (all 4 layers)": [], "last-layer edit (layer 4 only)": []}
    for run in range(runs):
        pipeline = stack(FIRST[run % 2], LAST[0])
        started = time.perf_counter()
        result = engine.run_pipeline(picture, pipeline, previous=result, start=0)
        times["first-layer edit (all 4 layers)"].append(time.perf_counter() - started)
        edited = stack(FIRST[run % 2], LAST[(run + 1) % 2])
        started = time.perf_counter()
        result = engine.run_pipeline(picture, edited, previous=result, start=edited.first_difference(pipeline))
        times["last-layer edit (layer 4 only)"].append(time.perf_counter() - started)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--sizes", default="1024,4096")
    args, _ = parser.parse_known_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{os.cpu_count()} cores, load average {load:.1f} (other work on the machine slows every number)")
    print(f"{'image':>10}  {'edit':<34} {'median ms':>10} {'p95 ms':>8}")
    for size in (int(s) for s in args.sizes.split(",")):
        for name, values in measure(size, args.runs).items():
            ms = [v * 1000 for v in values]
            print(f"{size}x{size:<5}  {name:<34} {statistics.median(ms):10.1f} {percentile(ms, 0.95):8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
