"""Running exported scripts as users run them: in a fresh interpreter, from their file, on a saved image.
``run_scripts`` runs many in one interpreter (one import of torch or tensorflow for all of them)."""

import os
import subprocess
import sys

import numpy as np
import pytest

DRIVER = '''
import runpy, sys
for argv in {cases!r}:
    sys.argv = argv
    runpy.run_path(argv[0], run_name="__main__")
'''


def run_script(tmp_path, text, image, python=sys.executable, pooled=True):
    """(convolved, pooled or None) from running ``text`` as ``python SCRIPT.py in.npy out.npy [pooled.npy]``."""
    return run_scripts(tmp_path, [(text, image, pooled)], python)[0]


def run_scripts(tmp_path, cases, python=sys.executable):
    """Run each (script text, image, pooled) case in one interpreter; their (convolved, pooled or None)."""
    argvs = []
    for n, (text, image, pooled) in enumerate(cases):
        source = tmp_path / f"script{n}.py"
        source.write_text(text)
        np.save(tmp_path / f"in{n}.npy", image)
        outputs = [tmp_path / f"out{n}.npy"] + ([tmp_path / f"pooled{n}.npy"] if pooled else [])
        argvs.append([str(source), str(tmp_path / f"in{n}.npy"), *map(str, outputs)])
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER.format(cases=argvs))
    done = subprocess.run([python, str(driver)], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": ""})
    assert done.returncode == 0, done.stderr[-3000:]
    return [(np.load(argv[2]), np.load(argv[3]) if len(argv) > 3 else None) for argv in argvs]


def framework_python(module):
    """An interpreter that can import ``module``: this one, or one of those KERNELSCOPE_FRAMEWORK_PYTHON
    lists (separated like PATH); else skip."""
    for python in [sys.executable, *os.environ.get("KERNELSCOPE_FRAMEWORK_PYTHON", "").split(os.pathsep)]:
        if python and subprocess.run([python, "-c", f"import {module}, numpy, PIL"], capture_output=True,
                                     timeout=120).returncode == 0:
            return python
    pytest.skip(f"{module} is not installed (set KERNELSCOPE_FRAMEWORK_PYTHON to an interpreter that has it)")
