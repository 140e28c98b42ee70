"""Start-up time: from launching Kernelscope to the window showing ascent with its convolved and pooled views.

Runs the app (from source, and the PyInstaller build if dist/kernelscope exists) with
KERNELSCOPE_STARTUP_PROBE=1, which makes it print 'ready' once the first results are painted, and times
launch -> 'ready' from outside. Offscreen Qt platform (this machine has no screen). Target: median <= 1.0 s.

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
    cases = [("from source (python main.py)", [sys.executable, str(ROOT / "main.py")])]
    frozen = ROOT / "dist" / "kernelscope" / ("kernelscope.exe" if sys.platform == "win32" else "kernelscope")
    if frozen.exists():
        cases.append(("PyInstaller build (dist/kernelscope)", [str(frozen)]))
    print(f"{'case':40} {'median':>8} {'p95':>8} {'min':>8}  target   result")
    for name, command in cases:
        launch_to_ready(command)  # warm the OS file cache once
        times = sorted(launch_to_ready(command) for _ in range(args.runs))
        median = statistics.median(times)
        p95 = percentile(times, 0.95)
        verdict = "PASS" if median <= TARGET else "FAIL"
        print(f"{name:40} {median:7.2f}s {p95:7.2f}s {times[0]:7.2f}s  <= {TARGET:.1f}s   {verdict}")


if __name__ == "__main__":
    main()
