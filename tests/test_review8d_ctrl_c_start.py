"""Review 8d, defect (minor): Ctrl-C in the first few tenths of a second of any command, while
`aiorg.cli.main` is still importing typer (before `main()` has set up its handlers), prints a
Python traceback ending in KeyboardInterrupt and the process dies of SIGINT, instead of "aiorg:
interrupted" and exit 130 as README promises. Found by interrupting `aiorg accept` after 0.1 to
0.4 s (4 of 12 tries; nothing was written in any). Made certain here: an import hook sends the
process SIGINT when typer starts to import (the interpreter's own start-up is out of reach)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HOOK = """\
import os, signal, sys

class _Interrupt:
    def find_spec(self, name, path=None, target=None):
        if name == "typer":
            sys.meta_path.remove(self)
            os.kill(os.getpid(), signal.SIGINT)
        return None

sys.meta_path.insert(0, _Interrupt())
"""


def test_ctrl_c_while_the_cli_imports_is_one_line_and_exit_130(tmp_path: Path) -> None:
    (tmp_path / "sitecustomize.py").write_text(HOOK, encoding="utf-8")
    root = Path(__file__).resolve().parent.parent
    path = os.pathsep.join([str(tmp_path), str(root), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "PYTHONPATH": path}
    done = subprocess.run(
        [sys.executable, "-m", "aiorg", "validate"], capture_output=True, text=True, env=env, timeout=60
    )
    assert "Traceback" not in done.stderr, done.stderr[-300:]
    assert (done.returncode, done.stderr) == (130, "aiorg: interrupted\n")


def test_the_console_script_runs_the_same_guarded_entry_point(tmp_path: Path) -> None:
    """Added with the fix: the `aiorg` script (pyproject.toml) runs aiorg.entry too, which
    imports nothing heavy itself (start-up time unchanged), and passes main's exit code on."""
    import tomllib

    root = Path(__file__).resolve().parent.parent
    scripts = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts == {"aiorg": "aiorg.entry:run"}
    (tmp_path / "sitecustomize.py").write_text(HOOK, encoding="utf-8")
    path = os.pathsep.join([str(tmp_path), str(root), os.environ.get("PYTHONPATH", "")])
    script = [sys.executable, "-c", "import sys; from aiorg.entry import run; sys.argv[0] = 'aiorg'; run()"]
    done = subprocess.run(
        [*script, "validate"], capture_output=True, text=True, env={**os.environ, "PYTHONPATH": path}, timeout=60
    )
    assert (done.returncode, done.stderr) == (130, "aiorg: interrupted\n")
    light = "import sys, aiorg.entry; print(sorted({'typer', 'click', 'aiorg.cli.main'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", light], capture_output=True, text=True, timeout=60)
    assert done.stdout == "[]\n", done.stdout + done.stderr
    done = subprocess.run([*script, "--version"], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout) == (0, "aiorg 0.1.0\n"), done.stderr
    done = subprocess.run([*script, "no-such-command"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stderr.startswith("aiorg: error: "), done.stderr
