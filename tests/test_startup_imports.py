"""Starting the window parses its options without importing the commands' modules, with the same results and
the same messages as the full command line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("argv", [[], ["--fresh"], ["--image", "face", "--preset", "Sobel x", "--lab"],
                                  ["--screenshot", "s.png", "--step", "3,4", "--presentation"], ["--self-test"]])
def test_window_options_parse_as_the_full_parser_does(argv):
    assert vars(main.parse_command_line(argv)) == vars(main.build_parser().parse_args(argv))


@pytest.mark.parametrize("argv, message", [(["bogus"], "invalid choice: 'bogus'"),
                                           (["--bogus"], "unrecognized arguments: --bogus"),
                                           (["--image"], "expected one argument")])
def test_a_command_line_the_window_options_do_not_explain_gets_the_full_parsers_message(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_:
        main.parse_command_line(argv)
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err


def test_commands_are_still_parsed_and_help_still_lists_them(capsys):
    assert main.parse_command_line(["analyse", "Sobel x"]).command == "analyse"
    with pytest.raises(SystemExit):
        main.parse_command_line(["--help"])
    text = capsys.readouterr().out
    assert all(command in text for command in ("apply", "learn", "export-code", "animate", "analyse"))


def test_parsing_the_window_options_imports_no_command_module():
    lazy = sorted(set(main.COMMANDS.values()) - {"engine.cli"})  # engine.cli holds the parser class itself
    code = (f"import sys, main; main.parse_command_line(['--fresh']); "
            f"sys.exit(1 if any(m in sys.modules for m in {lazy!r}) else 0)")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, timeout=120).returncode == 0


def test_importing_engine_imports_each_module_on_first_use_of_its_names():
    code = ("import sys, engine\n"
            "before = [m for m in sys.modules if m.startswith('engine.')]\n"
            "engine.run_job\n"
            "from engine import JobOptions\n"
            "print(before, 'engine.jobs' in sys.modules, 'engine.learn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["[]", "True", "False"], out.stderr


def test_every_exported_name_is_the_object_its_module_defines():
    import importlib

    import engine

    assert sorted(engine.__all__) == sorted(engine.EXPORTS)
    for name, module_name in engine.EXPORTS.items():
        module = importlib.import_module(f"engine.{module_name}")
        assert getattr(engine, name) is (module if name == module_name else getattr(module, name))
    namespace = {}
    exec("from engine import *", namespace)
    assert set(engine.__all__) <= set(namespace)
    assert engine.jobs is importlib.import_module("engine.jobs")  # a module not in the table, by its name


def test_a_name_the_engine_does_not_have_is_refused_as_before():
    import engine

    with pytest.raises(AttributeError, match="no_such_name"):
        engine.no_such_name
    with pytest.raises(ImportError):
        exec("from engine import no_such_name", {})


def _run_main_as_script(tmp_path, argv: list[str], before: str = "", after: str = "") -> subprocess.CompletedProcess:
    """Run main.py as `python main.py ARGV` does, with ``before`` and ``after`` (Python code) in the same
    process; settings and data go to ``tmp_path``, never the user's own."""
    code = (f"import runpy, sys\n{before}\nsys.argv = ['main.py'] + {argv!r}\n"
            "try:\n    runpy.run_path('main.py', run_name='__main__')\nexcept SystemExit:\n    pass\n" + after)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"), XDG_CACHE_HOME=str(tmp_path / "cache"))
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env=env)


def test_a_command_runs_with_the_garbage_collector_on(tmp_path):
    out = _run_main_as_script(tmp_path, ["analyse", "Sobel x"], after="import gc; print('gc on:', gc.isenabled())")
    assert out.stdout.strip().splitlines()[-1] == "gc on: True", out.stderr


#: Watches the window from inside its own event loop: the collector's state when the window is made, and a
#: second after its first result.
_WATCH_GC = """
import gc
from PySide6.QtCore import QTimer
import gui.app
seen = []
real = gui.app.after_first_result

def spy(window, callback, *args):
    seen.append(("off at start", not gc.isenabled()))
    real(window, callback, *args)

    def check(*_):
        def later():
            seen.extend([("on after", gc.isenabled()), ("frozen", gc.get_freeze_count() > 10000)])
            window.close()
        QTimer.singleShot(1000, later)

    window.document.resultReady.connect(check)

gui.app.after_first_result = spy
"""


def test_the_window_turns_the_garbage_collector_back_on_once_its_first_results_are_shown(tmp_path):
    """main.py starts with the collector off; the window resumes it after its first result, with what
    start-up made frozen out of later collections."""
    out = _run_main_as_script(tmp_path, ["--fresh"], before=_WATCH_GC, after="print(seen)")
    assert out.stdout.strip().splitlines()[-1] == str([("off at start", True), ("on after", True),
                                                         ("frozen", True)]), out.stderr


def test_importing_main_leaves_the_garbage_collector_alone():
    code = "import gc, main; print(gc.isenabled())"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=120).stdout.strip() == "True"


#: Records, when the window is shown, whether it already holds its first results, then closes it.
_WATCH_SHOW = """
from PySide6.QtCore import QTimer
import gui.main_window
seen = []
real_show = gui.main_window.MainWindow.show

def show(window):
    seen.append(("results when shown", window.document.shown is not None and window.document.is_current))
    real_show(window)
    QTimer.singleShot(500, window.close)

gui.main_window.MainWindow.show = show
"""


def test_the_window_is_shown_with_its_first_results_when_they_come_quickly(tmp_path):
    """The first paint shows ascent's results (a job of tens of ms), not empty views painted again a moment
    later."""
    out = _run_main_as_script(tmp_path, ["--fresh"], before=_WATCH_SHOW, after="print(seen)")
    assert out.stdout.strip().splitlines()[-1] == str([("results when shown", True)]), out.stderr
