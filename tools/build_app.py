"""Build the standalone one-folder app with PyInstaller: dist/kernelscope/kernelscope(.exe).

    python tools/build_app.py [--dist DIR] [--work DIR]

Prints the bundle's size and the size of a .tar.gz of it when done.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def strip_interpreter(app: Path) -> None:
    """On Linux, drop debug symbols from libpython and the standard library's extension modules (a Python
    built from source, e.g. by pyenv, ships them unstripped: ~30 MB). The wheels' own libraries are left
    alone: auditwheel patched them and stripping breaks their loading."""
    if not sys.platform.startswith("linux") or shutil.which("strip") is None:
        return
    internal = app / "_internal"
    targets = list(internal.glob("libpython*.so*")) + list(internal.glob("python3*/lib-dynload/*.so"))
    for path in targets:
        subprocess.call(["strip", "--strip-debug", str(path)])


def unresolved_libraries(app: Path) -> list[str]:
    """Libraries a bundled binary links to that neither the bundle nor this machine has (Linux, via ldd).
    Wayland's client libraries are expected on any Wayland desktop and are not reported."""
    if not sys.platform.startswith("linux") or shutil.which("ldd") is None:
        return []
    missing = set()
    for path in (app / "_internal").rglob("*.so*"):
        out = subprocess.run(["ldd", str(path)], capture_output=True, text=True).stdout
        missing.update(f"{path.relative_to(app)} needs {line.split()[0]}" for line in out.splitlines()
                       if "not found" in line and "libwayland-" not in line)
    return sorted(missing)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build")
    parser.add_argument("--no-archive", action="store_true", help="skip measuring the .tar.gz size")
    args = parser.parse_args()
    start = time.perf_counter()
    # No --clean: PyInstaller's cache of analysed binaries (~/.cache/pyinstaller) stays valid between builds.
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
               "--distpath", str(args.dist), "--workpath", str(args.work), str(ROOT / "kernelscope.spec")]
    if subprocess.call(command, cwd=ROOT) != 0:
        print("build failed", file=sys.stderr)
        return 1
    app = args.dist / "kernelscope"
    strip_interpreter(app)
    size = folder_size(app)
    print(f"built {app} in {time.perf_counter() - start:.0f} s: {size / 1e6:.1f} MB")
    for line in unresolved_libraries(app):
        print("note:", line)
    if not args.no_archive:
        with tempfile.TemporaryDirectory() as tmp:
            archive = Path(tmp) / "kernelscope.tar.gz"
            if shutil.which("tar"):  # `tar czf`, as users pack it (gzip level 6)
                subprocess.run(["tar", "czf", str(archive), "-C", str(app.parent), app.name], check=True)
            else:
                with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
                    tar.add(app, arcname=app.name)
            print(f"kernelscope.tar.gz: {archive.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
