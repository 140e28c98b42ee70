"""Kernelscope: learn image convolution and pooling, live and exact.

    python main.py                      start the window on the built-in ascent image
    python main.py apply INPUT ...      convolve and pool headlessly (see `python main.py apply --help`)
    python main.py learn INPUT TARGET   learn the kernel that made TARGET (see `python main.py learn --help`)
    python main.py export-code --to numpy --out SCRIPT.py [apply's options]   the same as a Python script
    python main.py animate --lab --steps 20 --out lab.gif   record the step-through
    python main.py analyse KERNEL       what a kernel does: sum, DC gain, separability, frequency response
    python main.py --screenshot F.png   render the window offscreen to a PNG
"""

from __future__ import annotations

import gc

if __name__ == "__main__":
    # Start-up allocates ~75,000 long-lived objects (modules, classes, widgets), and the cyclic garbage
    # collector would traverse them again and again while they pile up (a sixth of start-up's CPU), finding
    # next to nothing: it is off until the window's first results are painted (gui.application.
    # resume_garbage_collection), or until a command starts.
    gc.disable()

import argparse
import sys

#: The commands, and the module that defines each one's options (``add_..._parser``) and runs it (``run_...``):
#: imported only when a command line names a command or asks for help, so the window starts without them.
COMMANDS = {"apply": "engine.cli", "learn": "engine.learn_cli", "export-code": "engine.code_cli",
            "animate": "gui.export.animate_cli", "analyse": "engine.cli_analysis", "analyze": "engine.cli_analysis"}


class _WindowOnlyParser(argparse.ArgumentParser):
    """The window's options alone; a command line they do not explain goes to the full parser instead (which
    also reads option values starting with '-': engine.cli.CommandLineParser, not imported to start the
    window)."""

    class Unexplained(Exception):
        pass

    def error(self, message: str) -> None:
        raise self.Unexplained(message)


def build_parser(commands: bool = True, parser_class: type | None = None) -> argparse.ArgumentParser:
    if parser_class is None:
        from engine.cli import CommandLineParser as parser_class
    parser = parser_class(
        prog="kernelscope",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Kernelscope: learn image convolution and pooling interactively. With no command, "
                    "starts the window.",
        epilog="Examples:\n  python main.py --image face --preset 'Gaussian blur 5x5'\n  python main.py apply resources/images/ascent.png --preset 'Sobel x' --out conv.png "
               "--pooled-out pooled.png")
    window = parser.add_argument_group("window options (no command)")
    window.add_argument("--image", metavar="FILE_OR_SAMPLE",
                        help="image file to open, or a built-in sample name: ascent (default), face")
    window.add_argument("--preset", metavar="NAME", help="start with this kernel preset")
    window.add_argument("--lab", action="store_true", help="start in lab mode (the notebook's loops)")
    window.add_argument("--screenshot", metavar="FILE.png",
                        help="render the window offscreen once results are shown, save it, and exit")
    window.add_argument("--step", metavar="ROW,COL", help="with --screenshot: show step mode at this pixel")
    window.add_argument("--presentation", action="store_true", help="large fonts for projection")
    window.add_argument("--self-test", nargs="?", const="", metavar="SCREENSHOT.png",
                        help="run the built-in checks offscreen (window, samples, jobs, step mode) and exit "
                             "0 only if all pass")
    window.add_argument("--fresh", action="store_true", help="ignore the saved settings and last session")
    if not commands:
        parser.set_defaults(command=None)
        return parser
    from engine.cli import add_apply_parser
    from engine.learn_cli import add_learn_parser
    from engine.code_cli import add_export_code_parser
    from gui.export.animate_cli import add_animate_parser
    from engine.cli_analysis import add_analyse_parser

    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    apply = add_apply_parser(sub)
    add_learn_parser(sub)
    add_export_code_parser(sub)
    add_animate_parser(sub)
    add_analyse_parser(sub)
    # `--help` shows everything, the apply command's options included.
    parser.epilog = (apply.format_help().replace("usage: kernelscope apply", "usage: python main.py apply", 1)
                     + "\n" + parser.epilog)
    return parser


def parse_command_line(argv: list[str]) -> argparse.Namespace:
    """The parsed command line: the window's options alone when no command (or help) is named, so starting
    the window does not import the commands' modules; anything else, or anything they do not explain, by
    the full parser, with its messages."""
    if not any(arg in COMMANDS or arg in ("-h", "--help") for arg in argv):
        try:
            return build_parser(commands=False, parser_class=_WindowOnlyParser).parse_args(argv)
        except _WindowOnlyParser.Unexplained:
            pass
    return build_parser().parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_command_line(sys.argv[1:] if argv is None else list(argv))
    if args.command is not None:
        gc.enable()
    if args.command == "apply":
        from engine.cli import run_apply

        return run_apply(args)
    if args.command == "learn":
        from engine.learn_cli import run_learn

        return run_learn(args)
    if args.command == "export-code":
        from engine.code_cli import run_export_code

        return run_export_code(args)
    if args.command == "animate":
        from gui.export.animate_cli import run_animate

        return run_animate(args)
    if args.command in ("analyse", "analyze"):
        from engine.cli_analysis import run_analyse

        return run_analyse(args)
    from gui.app import run_app

    return run_app(args)


if __name__ == "__main__":
    sys.exit(main())
