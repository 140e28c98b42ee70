"""Start-up time: from launching Kernelscope to the window showing ascent with its convolved and pooled views.

Runs the app (from source, and the PyInstaller build if dist/kernelscope exists) with
KERNELSCOPE_STARTUP_PROBE=1, which makes it print 'ready' once the first results are painted, and times
launch -> 'ready' from outside; and the floor, benchmarks/startup_floor.py (PySide6 + pyqtgraph showing three
512x512 images, nothing else), the same way. The runs alternate (floor, app, build, floor, ...) so that a
busy moment of a shared machine hits all of them. Offscreen Qt platform (this machine has no screen).
Targets: median <= 1.0 s, and median <= 1.25x the floor's median. Also shown: the CPU seconds each process
used up to its exit (user + system), which a machine busy with other work inflates far less than wall time.

Python's bytecode cache is on, in a temporary directory (PYTHONPYCACHEPREFIX), for every case alike: a user's
second launch does not compile the app's modules again, and the frozen build ships them compiled. (A
shell with PYTHONDONTWRITEBYTECODE set would otherwise compile all of Kernelscope's modules on every launch,
which only the app pays: the floor's modules are compiled in site-packages.) ``--no-cache`` measures that.

    python benchmarks/startup.py [--runs 9] [--no-cache] [--before DIR]

``--before DIR`` also times DIR/main.py, another checkout of the app (e.g. ``git worktree add /tmp/before
main``), in the same alternation: a before/after that a busy machine skews alike.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from timing import percentile  # benchmarks/timing.py

ROOT = Path(__file__).resolve().parent.parent
TARGET = 1.0
TARGET_RATIO = 1.25


#: The bytecode cache of every launch (None: as the calling shell says)
CACHE_DIR: str | None = None


def launch_to_ready(command: list[str]) -> tuple[float, float]:
    """(seconds from launch to 'ready', CPU seconds the process used in all, or nan where unknown)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KERNELSCOPE_STARTUP_PROBE="1")
    if CACHE_DIR is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = CACHE_DIR
    start = time.perf_counter()
    process = subprocess.Popen(command + ["--fresh"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               env=env, cwd=ROOT)
    watchdog = threading.Timer(60, process.kill)  # an app that never reports 'ready' must not hang the benchmark
    watchdog.start()
    ready = None
    try:
        for line in process.stdout:
            if line.strip() == "ready":
                ready = time.perf_counter() - start
                break
        else:
            raise RuntimeError(f"{command[0]} never printed 'ready' (is the build older than the probe?)")
        for _ in process.stdout:  # the probe quits right after 'ready'
            pass
    finally:
        watchdog.cancel()
        cpu = _exit_cpu(process)
    return ready, cpu


def _exit_cpu(process: subprocess.Popen) -> float:
    """Wait for the process; its user + system CPU seconds (a measure a busy machine inflates far less than
    wall time), nan where os.wait4 does not exist."""
    if not hasattr(os, "wait4"):
        process.wait(timeout=30)
        return float("nan")
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--before", type=Path, metavar="DIR", help="also time DIR/main.py (another checkout)")
    parser.add_argument("--no-cache", action="store_true",
                        help="inherit the shell's bytecode setting (PYTHONDONTWRITEBYTECODE: compile every launch)")
    args = parser.parse_args()
    global CACHE_DIR
    if not args.no_cache:
        CACHE_DIR = tempfile.mkdtemp(prefix="kernelscope-pycache-")
    cases = [("floor: PySide6 + pyqtgraph, 3 images", [sys.executable, str(ROOT / "benchmarks" / "startup_floor.py")]),
             ("from source (python main.py)", [sys.executable, str(ROOT / "main.py")])]
    if args.before is not None:
        cases.append((f"before ({args.before})"[:40], [sys.executable, str(args.before.resolve() / "main.py")]))
    frozen = ROOT / "dist" / "kernelscope" / ("kernelscope.exe" if sys.platform == "win32" else "kernelscope")
    if frozen.exists():
        cases.append(("PyInstaller build (dist/kernelscope)", [str(frozen)]))
    for _, command in cases:
        launch_to_ready(command)  # warm the OS file cache once
    times = {name: [] for name, _ in cases}
    cpus = {name: [] for name, _ in cases}
    for _ in range(args.runs):
        for name, command in cases:
            seconds, cpu = launch_to_ready(command)
            times[name].append(seconds)
            cpus[name].append(cpu)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    cache = "inherited from the shell" if args.no_cache else "on (a fresh PYTHONPYCACHEPREFIX, warmed once)"
    print(f"{args.runs} runs each, alternating; load average {load:.2f}; bytecode cache {cache}")
    print(f"{'case':40} {'median':>8} {'p95':>8} {'min':>8} {'x floor':>8} {'CPU med':>8} {'x floor':>8}  "
          "target              result")
    floor = statistics.median(times[cases[0][0]])
    floor_cpu = statistics.median(cpus[cases[0][0]])
    for number, (name, _) in enumerate(cases):
        median, p95, fastest = statistics.median(times[name]), percentile(times[name], 0.95), min(times[name])
        cpu = statistics.median(cpus[name])
        columns = f"{name:40} {median:7.2f}s {p95:7.2f}s {fastest:7.2f}s {median / floor:7.2f}x {cpu:7.2f}s " \
                  f"{cpu / floor_cpu:7.2f}x"
        if number == 0:
            print(f"{columns}  -")
            continue
        ratio = median / floor
        verdict = "PASS" if median <= TARGET and ratio <= TARGET_RATIO else "FAIL"
        print(f"{columns}  <= {TARGET:.1f}s, <= {TARGET_RATIO}x   {verdict}")


if __name__ == "__main__":
    main()
