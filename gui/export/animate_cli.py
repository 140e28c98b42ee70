"""``python main.py animate [--image FILE_OR_SAMPLE] [apply's options] --out FILE.gif|.png|.mp4``: record the
step-through offscreen, as File > Export animation does. The parser is Qt-free; running starts Qt.
Exit status: 2 for a malformed command line, 1 for a refused value, file or recording, 0 on success."""

from __future__ import annotations

import argparse
import os
import sys

from engine.animation import FPS_RANGE, MAX_FRAMES, WIDTH_RANGE
from engine.code_cli import add_job_options, kernel_and_preset_clash

WINDOW_SIZE = (1440, 820)


def add_animate_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "animate", help="record the step-through as an animated GIF or PNG (MP4 with ffmpeg)",
        description="Open the window offscreen with these options and record step mode: STEPS frames from "
                    "--start (default: the first pixel the computation visits), --every pixels apart, or "
                    "spread over the whole image with --sweep, or one pixel's kernel taps one by one with "
                    "--taps. Each frame is the window (views with their "
                    "overlays and the step panel). .gif and .png (animated PNG) always work; .mp4 needs "
                    "ffmpeg on the PATH.")
    p.add_argument("--image", default="ascent", metavar="FILE_OR_SAMPLE",
                   help="image file or built-in sample (default ascent)")
    p.add_argument("--start", metavar="ROW,COL", help="the convolved pixel of the first frame")
    p.add_argument("--steps", type=int, default=30, metavar="N", help=f"frames, 1 to {MAX_FRAMES} (default 30)")
    p.add_argument("--every", type=int, default=1, metavar="K", help="pixels between frames (default 1)")
    p.add_argument("--sweep", action="store_true", help="spread the frames over the whole image")
    p.add_argument("--taps", action="store_true",
                   help="stay on the --start pixel and show one kernel tap per frame (its multiply-and-add)")
    p.add_argument("--fps", type=float, default=4.0, metavar="F",
                   help=f"frames per second, {FPS_RANGE[0]} to {FPS_RANGE[1]} (default 4)")
    p.add_argument("--width", type=int, default=960, metavar="PX",
                   help=f"frame width in pixels, {WIDTH_RANGE[0]} to {WIDTH_RANGE[1]} (default 960)")
    p.add_argument("--presentation", action="store_true", help="large fonts, as in presentation mode")
    p.add_argument("--out", required=True, metavar="FILE", help=".gif, .png (animated) or .mp4")
    add_job_options(p)
    return p


def _start(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    try:
        row, col = (int(v) for v in text.split(","))
    except ValueError:
        raise ValueError(f"--start needs ROW,COL, e.g. --start 1,1, not {text!r}") from None
    return row, col


def run_animate(args: argparse.Namespace) -> int:
    import engine
    from engine.animation import AnimationRequest, animation_format
    from engine.cli import options_from_args

    if kernel_and_preset_clash(args):
        return 2
    try:
        request = AnimationRequest(steps=args.steps, start=_start(args.start), every=args.every,
                                   sweep=args.sweep, taps=args.taps, fps=args.fps, width=args.width)
        animation_format(args.out)
        options = options_from_args(args)
        sample = args.image in engine.sample_names()
        image = engine.load_image(engine.sample_path(args.image) if sample else args.image)
    except (engine.KernelscopeError, ValueError) as e:
        print(f"kernelscope: error: {e}", file=sys.stderr)
        return 1
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return _record(args, request, options, image, args.image if sample else os.path.basename(args.image))


def _record(args, request, options, image, label) -> int:
    from PySide6.QtCore import QEventLoop

    from gui.application import make_application
    from gui.document import Source
    from gui.export.animation import AnimationRecorder
    from gui.main_window import MainWindow

    app = make_application()  # noqa: F841 - the application must outlive the window
    window = MainWindow(restore=False, persist=False)
    window.resize(*WINDOW_SIZE)
    if args.presentation:
        window.set_presentation(True)
    window.document.set_options(options)
    window.document.set_image(image, Source(label))
    window.show()
    if not window.document.wait_for_idle(60000) or not window.document.is_current:
        print("kernelscope: error: the job did not finish", file=sys.stderr)
        return 1
    recorder = AnimationRecorder(window, request, args.out)
    loop, outcome = QEventLoop(), []
    recorder.finished.connect(lambda path: (outcome.append(("ok", path)), loop.quit()))
    recorder.failed.connect(lambda message: (outcome.append(("error", message)), loop.quit()))
    recorder.cancelled.connect(lambda: (outcome.append(("error", "cancelled")), loop.quit()))
    recorder.start()
    if not outcome:
        loop.exec()
    window.close()
    kind, text = outcome[0]
    if kind == "error":
        print(f"kernelscope: error: {text}", file=sys.stderr)
        return 1
    print(f"recorded {recorder.total} frames -> {text}")
    return 0
