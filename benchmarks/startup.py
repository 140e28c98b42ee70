"""Start-up time: from launching Kernelscope to the window showing ascent with its convolved and pooled views.

Runs the app (from source, and the PyInstaller build if dist/kernelscope exists) with
KERNELSCOPE_STARTUP_PROBE=1, which makes it print 'ready' once the first results are painted, and times
launch -> 'ready' from outside; and the floor, benchmarks/startup_floor.py (PySide6 + pyqtgraph showing three
512x512 images, nothing else), the same way. The runs alternate (floor, app, build, floor, ...) so that a
busy moment of a shared machine hits all of them. Offscreen Qt platform (this machine has no screen).
Targets: median <= 1.0 s, and median <= 1.25x the floor's median.

    python benchmarks/startup.py [--runs 9]
"""

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from timing import percentile  # benchmarks/timing.py

ROOT = Path(__file__).resolve().parent.parent
TARGET = 1.0
TARGET_RATIO = 1.25


def launch_to_ready(command: list[str]) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KERNELSCOPE_STARTUP_PROBE="1")
    start = time.perf_counter()
    process = subprocess.Popen(command + ["--fresh"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               env=env, cwd=ROOT)
    watchdog = threading.Timer(60, process.kill)  # an app that never reports 'ready' must not hang the benchmark
    watchdog.start()
    try:
        for line in process.stdout:
            if line.strip() == "ready":
                return time.perf_counter() - start
        raise RuntimeError(f"{command[0]} never printed 'ready' (is the build older than the probe?)")
    finally:
        watchdog.cancel()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    cases = [("floor: PySide6 + pyqtgraph, 3 images", [sys.executable, str(ROOT / "benchmarks" / "startup_floor.py")]),
             ("from source (python main.py)", [sys.executable, str(ROOT / "main.py")])]
    frozen = ROOT / "dist" / "kernelscope" / ("kernelscope.exe" if sys.platform == "win32" else "kernelscope")
    if frozen.exists():
        cases.append(("PyInstaller build (dist/kernelscope)", [str(frozen)]))
    for _, command in cases:
        launch_to_ready(command)  # warm the OS file cache once
    times = {name: [] for name, _ in cases}
    for _ in range(args.runs):
        for name, command in cases:
            times[name].append(launch_to_ready(command))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{args.runs} runs each, alternating; load average {load:.2f}")
    print(f"{'case':40} {'median':>8} {'p95':>8} {'min':>8} {'x floor':>8}  target              result")
    floor = statistics.median(times[cases[0][0]])
    for number, (name, _) in enumerate(cases):
        median, p95, fastest = statistics.median(times[name]), percentile(times[name], 0.95), min(times[name])
        if number == 0:
            print(f"{name:40} {median:7.2f}s {p95:7.2f}s {fastest:7.2f}s {1:7.2f}x  -")
            continue
        ratio = median / floor
        verdict = "PASS" if median <= TARGET and ratio <= TARGET_RATIO else "FAIL"
        print(f"{name:40} {median:7.2f}s {p95:7.2f}s {fastest:7.2f}s {ratio:7.2f}x  <= {TARGET:.1f}s, <= "
              f"{TARGET_RATIO}x   {verdict}")


if __name__ == "__main__":
    main()
