"""Run every benchmark in this folder, one after another, and print their tables."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ["engine_speed.py", "window_latency.py", "layer_window_latency.py", "step_latency.py", "startup.py", "learn_speed.py"]

if __name__ == "__main__":
    scripts = [HERE / name for name in ORDER if (HERE / name).exists()]
    failed = 0
    for script in scripts:
        print(f"\n=== {script.name} ===", flush=True)
        failed |= subprocess.call([sys.executable, str(script), *sys.argv[1:]], cwd=HERE.parent) != 0
    sys.exit(1 if failed else 0)
