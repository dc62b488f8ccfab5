"""Benchmark every aiorg command, cold, warm and after editing one file, on synthetic knowledge bases.

    python benchmarks/run.py                                  # 1k and 10k people
    python benchmarks/run.py --sizes 1000 10000 100000        # adds 100k (the targets' size)
    python benchmarks/run.py --sizes 1000 --commands path --modes warm edit   # rerun one line
    python benchmarks/run.py --sizes 100000 --sources-per-fact 2 --modes warm # many sources per fact

Every measurement is a separate process with stdout to /dev/null; it records the wall time and
the peak RSS (ru_maxrss from os.wait4). Modes, for each command and size:

  cold  the private cache (AIORG_CACHE_DIR) deleted before each run
  warm  the cache populated by one warm-up run; median of --runs
  edit  one line of events.yaml changed before each run; median of --runs
  edit-spells  the same with one line of tenures.yaml, the largest file (80 MB at 100k people)

Ratios are against the import floor (`python -c "import typer, rich, yaml, networkx"`) measured in
the same run. Knowledge bases are generated with benchmarks/generate.py into --workdir and reused.
A failing command is recorded as FAILED with its first stderr line, a slow one as TIMEOUT.
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_commands import COMMANDS, JQ, JQ_PROGRAM, NAMES, Command  # noqa: E402
from bench_report import (  # noqa: E402
    COLD,
    EDIT,
    EDIT_SPELLS,
    FLOOR,
    MODES,
    WARM,
    Key,
    Results,
    render_markdown,
    render_text,
    size_label,
)
from bench_timing import Measurement, measure  # noqa: E402

#: what each edit mode changes: a file, and a text generate.py writes in it (the edit appends a counter)
EDITED = {EDIT: ("events.yaml", "text: Reorganised"), EDIT_SPELLS: ("tenures.yaml", "title: Engineer\n")}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="people per knowledge base")
    parser.add_argument("--runs", type=int, default=3, help="runs per warm and edit measurement (median)")
    parser.add_argument("--commands", nargs="+", choices=NAMES, metavar="NAME", help=f"only these: {' '.join(NAMES)}")
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES), help=" ".join(MODES))
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds before a run is killed (TIMEOUT)")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "aiorg-bench")
    parser.add_argument("--markdown", type=Path, metavar="FILE", help="also write the table as Markdown")
    parser.add_argument(
        "--sources-per-fact", type=int, choices=(1, 2), default=1, help="2: every fact also cited by a second source"
    )
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def knowledge_base(size: int, workdir: Path, sources: int = 1) -> Path:
    """The data directory of the `size`-people knowledge base (with `sources` sources per fact),
    generated unless a complete one exists."""
    folder = workdir / (f"kb-{size}" if sources == 1 else f"kb-{size}-{sources}sources")
    data = folder / "data"
    done = folder / ".generated"  # holds a digest of generate.py: a changed generator means a new KB
    variant = b"" if sources == 1 else f"sources={sources}".encode()  # one source: as before, reused
    digest = hashlib.sha256((HERE / "generate.py").read_bytes() + variant).hexdigest()
    for name, _ in EDITED.values():
        backup = folder / f"{name}.orig"
        if backup.exists():  # a run killed while the file was edited: put the original back
            shutil.copyfile(backup, data / name)
            backup.unlink()
    if not done.exists() or done.read_text(encoding="utf-8") != digest:
        print(f"Generating {size} people into {folder} ...", flush=True)
        shutil.rmtree(folder, ignore_errors=True)
        # In a child process: the runner's own RSS is the floor of every ru_maxrss it reads, so it stays small.
        options = ["--sources-per-fact", str(sources)] if sources != 1 else []
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(size), str(folder), *options], check=True)
        done.write_text(digest, encoding="utf-8")
    return data


class EditedFile:
    """Changes one line of a file before each run; restores the file on exit, even on Ctrl-C."""

    def __init__(self, data: Path, name: str, mark: str) -> None:
        self.file = data / name
        self.backup = data.parent / f"{name}.orig"
        self.mark = mark
        self.original = self.file.read_text(encoding="utf-8")
        if mark not in self.original:
            raise SystemExit(f"{self.file} has no {mark!r} to edit: generate.py changed?")
        self.versions: Iterator[int] = iter(range(10**9))

    def __enter__(self) -> EditedFile:
        self.backup.write_text(self.original, encoding="utf-8")
        return self

    def __exit__(self, *exc: object) -> None:
        self.file.write_text(self.original, encoding="utf-8")
        self.backup.unlink(missing_ok=True)

    def edit(self) -> None:
        version = next(self.versions)
        text = self.mark.rstrip("\n") + f" {version}" + ("\n" if self.mark.endswith("\n") else "")
        self.file.write_text(self.original.replace(self.mark, text, 1), encoding="utf-8")


def compile_bytecode() -> None:
    """Compile aiorg's modules as `pip install` does, so that every command runs from bytecode, as
    users' do. An editable install left to itself writes bytecode on first import, except where
    PYTHONDONTWRITEBYTECODE is set (as in some containers); every measured command would then
    compile every module it imports again (about 0.1 s a command)."""
    spec = importlib.util.find_spec("aiorg")
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    for folder in folders:
        compileall.compile_dir(folder, quiet=1)
    print(f"bytecode compiled for {', '.join(folders) or 'nothing: aiorg is not importable'}", flush=True)


class Bench:
    """Runs the measurements and prints each one as it finishes."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        python = sys.executable
        # The console script, as users run it; `python -m aiorg` adds runpy's start-up cost.
        script = Path(python).parent / "aiorg"
        self.python = python
        self.aiorg = [str(script)] if script.exists() else [python, "-m", "aiorg"]
        compile_bytecode()
        self.cache = Path(tempfile.mkdtemp(prefix="aiorg-bench-cache-"))
        self.env = {**os.environ, "AIORG_CACHE_DIR": str(self.cache), "COLUMNS": "200"}
        self.found: dict[Key, Measurement] = {}
        self.lines: dict[tuple[str, int], int | None] = {}

    def fresh_cache(self) -> None:
        shutil.rmtree(self.cache, ignore_errors=True)
        self.cache.mkdir(mode=0o700)

    def measure(
        self,
        title: str,
        command: list[str],
        runs: int,
        warmup: int = 0,
        before_each: Callable[[], None] | None = None,
    ) -> Measurement:
        result = measure(command, self.env, runs, self.args.timeout, warmup, before_each)
        if result.ok:
            shown = f"{result.seconds:8.3f} s {result.rss_mb:6.0f} MB  (median of {result.runs})"
        else:
            shown = f"{result.status}: {result.message}"
        print(f"  {title:<58} {shown}", flush=True)
        return result

    def baselines(self) -> dict[str, Measurement]:
        runs = max(self.args.runs, 5)  # cheap, and every ratio depends on the floor
        floor = [self.python, "-c", "import typer, rich, yaml, networkx"]
        return {
            "floor": self.measure("import floor: import typer, rich, yaml, networkx", floor, runs, warmup=1),
            "typer": self.measure('python -c "import typer"', [self.python, "-c", "import typer"], runs, warmup=1),
            "help": self.measure("aiorg --help", [*self.aiorg, "--help"], runs, warmup=1),
            "bundled": self.measure(
                "aiorg people --left minimax (bundled data, warm)",
                [*self.aiorg, "people", "--left", "minimax"],
                runs,
                warmup=1,
            ),
        }

    def command(self, size: int, data: Path, command: Command) -> None:
        out_dir = data.parent / "out"
        out_dir.mkdir(exist_ok=True)
        argv = command.argv(self.aiorg, data, out_dir)
        out = out_dir / command.out if command.out else None

        def clear_out() -> None:  # an export writes a new file every run, never replaces one
            if out is not None:
                out.unlink(missing_ok=True)

        def cold() -> None:
            clear_out()
            self.fresh_cache()

        modes = self.args.modes
        slow = size >= 100000
        if COLD in modes:
            runs = 1 if slow else max(1, (self.args.runs + 1) // 2)
            self.found[command.name, size, COLD] = self.measure(f"{command.label} [cold]", argv, runs, before_each=cold)
        if WARM in modes:
            floor = [self.python, "-c", "import typer, rich, yaml, networkx"]
            self.found[command.name, size, FLOOR] = self.measure("  (import floor, just before)", floor, 3, warmup=1)
            self.found[command.name, size, WARM] = self.measure(
                f"{command.label} [warm]", argv, self.args.runs, warmup=1, before_each=clear_out
            )
            self.lines[command.name, size] = self.lines_printed(argv, clear_out)
        for mode in (EDIT, EDIT_SPELLS):
            if mode not in modes:
                continue
            if WARM not in modes:  # an edit is measured against a warm cache
                measure(argv, self.env, 1, self.args.timeout, before_each=clear_out)
            name, mark = EDITED[mode]
            with EditedFile(data, name, mark) as edited_file:

                def edited(file: EditedFile = edited_file) -> None:
                    clear_out()
                    file.edit()

                self.found[command.name, size, mode] = self.measure(
                    f"{command.label} [after editing {name}]", argv, self.args.runs, before_each=edited
                )
            if mode == EDIT_SPELLS:  # the original back in the cache and the store, as the next command expects
                measure(argv, self.env, 1, self.args.timeout, before_each=clear_out)

    def lines_printed(self, argv: list[str], before: Callable[[], None]) -> int | None:
        """How many lines a command prints (one more run, not timed): how much longer its answer
        grows with the knowledge base, beside how much slower it gets."""
        before()
        try:
            done = subprocess.run(argv, env=self.env, capture_output=True, timeout=self.args.timeout)
        except subprocess.TimeoutExpired:
            return None
        return done.stdout.count(b"\n") if done.returncode == 0 else None

    def jq_peer(self, size: int, data: Path) -> None:
        jq = shutil.which("jq")
        if jq is None or WARM not in self.args.modes:
            return
        exported = self.found.get(("export-json", size, WARM))
        graph = data.parent / "out" / "graph.json"
        if exported is None or not exported.ok or not graph.exists():  # not exported by this run's aiorg
            graph = data.parent / "peer.json"
            export = [*self.aiorg, "--data", str(data), "export", "json", str(graph)]
            try:
                failed = subprocess.run(export, env=self.env, capture_output=True, timeout=self.args.timeout).returncode
            except subprocess.TimeoutExpired:
                failed = True
            if failed:
                print("  peer: jq skipped, the JSON export failed", flush=True)
                return
        runs = 1 if size >= 100000 else self.args.runs
        self.found[JQ, size, WARM] = self.measure(
            "peer: jq answering who left firm-3 (node-link JSON)", [jq, JQ_PROGRAM, str(graph)], runs
        )

    def run(self) -> Results:
        args = self.args
        wanted = set(args.commands or NAMES)
        commands = [c for c in COMMANDS if c.name in wanted]
        context = f"python {sys.version.split()[0]}, {os.cpu_count()} cores, work dir {args.workdir}"
        print(context)
        print("Baselines", flush=True)
        baselines = self.baselines()
        if not baselines["floor"].ok:
            raise SystemExit(f"the import floor failed, so no ratio means anything: {baselines['floor'].message}")
        for size in args.sizes:
            data = knowledge_base(size, args.workdir, args.sources_per_fact)
            megabytes = sum(p.stat().st_size for p in data.iterdir()) / 1e6
            print(f"{size_label(size)} people ({megabytes:.0f} MB of YAML)", flush=True)
            for command in commands:
                self.command(size, data, command)
            if JQ in wanted:
                self.jq_peer(size, data)
        floor = baselines["floor"]
        context += (
            f"; medians of {args.runs} warm/edit runs; import floor {floor.seconds:.3f} s, "
            f"`import typer` {baselines['typer'].seconds:.3f} s, `aiorg --help` {baselines['help'].seconds:.3f} s, "
            f"bundled `people --left minimax` {baselines['bundled'].seconds:.3f} s"
        )
        return Results(args.sizes, commands, baselines, self.found, context, self.lines)


def main() -> None:
    args = parse_args()
    # A polite kill unwinds like Ctrl-C: events.yaml is restored and the running command is ended.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    args.workdir.mkdir(parents=True, exist_ok=True)
    bench = Bench(args)
    try:
        results = bench.run()
    except KeyboardInterrupt:
        print("\ninterrupted: nothing measured is reported", file=sys.stderr)
        sys.exit(130)
    finally:
        shutil.rmtree(bench.cache, ignore_errors=True)
    print()
    print(render_text(results), end="")
    if args.markdown is not None:
        args.markdown.write_text(render_markdown(results), encoding="utf-8")
        print(f"\nMarkdown written to {args.markdown}")


if __name__ == "__main__":
    main()
