#!/usr/bin/env bash
# Set up Kernelscope in ./.venv (system libraries Qt needs, Python packages) and then:
#   bash tools/setup.sh run [ARGS...]   start the window (on the built-in ascent image)
#   bash tools/setup.sh test [ARGS...]  run the test suite (pytest ARGS)
#   bash tools/setup.sh build           build the standalone app into dist/kernelscope/
#   bash tools/setup.sh bench           run the benchmarks
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-run}; shift || true
PY=${PYTHON:-python3}

# Qt's offscreen and xcb platforms need these on a bare Debian/Ubuntu; install only what is missing.
sys_pkgs="libegl1 libgl1 libopengl0 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6 libdbus-1-3
 libglib2.0-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xfixes0 libxcb-xkb1 libxrender1 libxi6
 fonts-dejavu-core binutils"
if command -v dpkg >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  missing=$(for p in $sys_pkgs; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
  if ! "$PY" -c 'import venv, ensurepip' >/dev/null 2>&1; then missing="$missing python3-venv"; fi
  if [ -n "$(echo $missing)" ]; then
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "setup: installing system libraries Qt needs: $(echo $missing)"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
  fi
fi

if [ ! -x .venv/bin/python ]; then "$PY" -m venv .venv; fi
# Running the app needs only the base packages; the test tools (and PyInstaller, which the suite's build
# test uses) come with test, build and bench. One stamp per set and pyproject.toml version: switching
# between commands installs what the new one lacks, once.
case "$what" in
  test) extras="test";; build) extras="test,build";; bench) extras="test,bench";; *) extras="";;
esac
stamp=".venv/.kernelscope-${extras:-base}-$(cat pyproject.toml | cksum | cut -d' ' -f1)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".${extras:+[$extras]}"
  touch "$stamp"
fi

case "$what" in
  run) exec .venv/bin/python main.py "$@";;
  test) exec env QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest "$@";;
  build) exec .venv/bin/python tools/build_app.py "$@";;
  bench) exec .venv/bin/python benchmarks/run_all.py "$@";;
  *) echo "usage: bash tools/setup.sh run|test|build|bench [ARGS...]" >&2; exit 2;;
esac
