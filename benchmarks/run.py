"""Benchmark aiorg: medians of whole-process runs, on bundled and synthetic knowledge bases.

    python benchmarks/run.py                 # 1k and 10k people (a few minutes)
    python benchmarks/run.py --sizes 1000 10000 100000   # adds 100k (about half an hour)

Each measurement runs the command as a separate process several times after one warm-up
and reports the median wall time and the peak RSS. Ratios are against the import floor
(`python -c "import typer, rich, yaml, networkx"`) measured in the same run. Knowledge bases
are generated with benchmarks/generate.py into --workdir; the aiorg cache is private to the run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402


@dataclass
class Result:
    """One measurement: median seconds and peak RSS over the runs."""

    name: str
    seconds: float
    rss_mb: float
    runs: int


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and max RSS (MB) of one run of `command`."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    stderr = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(command)}\n{stderr}")
    return elapsed, usage.ru_maxrss / 1024


def measure(
    name: str,
    command: list[str],
    env: dict[str, str],
    runs: int,
    warmup: int = 1,
    before_each: Callable[[], None] | None = None,
) -> Result:
    """Median of `runs` runs after `warmup` runs; `before_each` (a callable) runs before every run."""
    times, peaks = [], []
    for index in range(warmup + runs):
        if before_each is not None:
            before_each()
        seconds, rss = run_once(command, env)
        if index >= warmup:
            times.append(seconds)
            peaks.append(rss)
    result = Result(name, statistics.median(times), max(peaks), runs)
    print(f"  {name:<52} {result.seconds:8.3f} s  {result.rss_mb:8.0f} MB  (median of {runs})", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=5, help="runs per fast measurement")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "aiorg-bench")
    args = parser.parse_args()

    python = sys.executable
    # The console script, as users run it; `python -m aiorg` adds runpy's start-up cost.
    script = Path(python).parent / "aiorg"
    aiorg = [str(script)] if script.exists() else [python, "-m", "aiorg"]
    cache = Path(tempfile.mkdtemp(prefix="aiorg-bench-cache-"))
    env = {**os.environ, "AIORG_CACHE_DIR": str(cache), "COLUMNS": "200"}
    results: dict[str, Result] = {}

    def fresh_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)
        cache.mkdir(mode=0o700)

    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, work dir {args.workdir}")
    print("Baselines")
    results["floor"] = measure(
        "import floor: import typer, rich, yaml, networkx",
        [python, "-c", "import typer, rich, yaml, networkx"],
        env,
        args.runs,
    )
    results["typer"] = measure('python -c "import typer"', [python, "-c", "import typer"], env, args.runs)
    results["help"] = measure("aiorg --help", [*aiorg, "--help"], env, args.runs)
    results["bundled"] = measure(
        "aiorg people --left minimax (bundled data, warm)", [*aiorg, "people", "--left", "minimax"], env, args.runs
    )

    for size in args.sizes:
        folder = args.workdir / f"kb-{size}"
        data = folder / "data"
        if not (data / "people.yaml").exists():
            print(f"Generating {size} people ...", flush=True)
            generate(size, folder)
        label = f"{size // 1000}k"
        megabytes = sum(p.stat().st_size for p in data.iterdir()) / 1e6
        print(f"{label} people ({megabytes:.0f} MB of YAML)")
        query = [*aiorg, "--data", str(data), "people", "--left", "firm-3"]
        slow_runs = 1 if size >= 100000 else max(1, args.runs // 2)
        results[f"cold-{label}"] = measure(
            "cold people --left (no cache)", query, env, slow_runs, warmup=0, before_each=fresh_cache
        )
        results[f"warm-{label}"] = measure("warm people --left", query, env, args.runs)
        events = data / "events.yaml"
        original = events.read_text(encoding="utf-8")
        edits = iter(range(10**6))

        def edit_one_file(events: Path = events, original: str = original, edits: Iterator[int] = edits) -> None:
            version = next(edits)
            events.write_text(
                original.replace("text: Reorganised", f"text: Reorganised {version}", 1), encoding="utf-8"
            )

        results[f"edit-{label}"] = measure(
            "people --left after editing one file (events.yaml)",
            query,
            env,
            args.runs,  # an edit re-reads one small file: cheap enough for a proper median
            warmup=0,
            before_each=edit_one_file,
        )
        events.write_text(original, encoding="utf-8")
        run_once(query, env)  # back to a warm cache for the original files
        results[f"deals-{label}"] = measure(
            "warm deals --min 1e9", [*aiorg, "--data", str(data), "deals", "--min", "1e9"], env, args.runs
        )
        json_file = folder / "graph.json"
        if not json_file.exists():
            run_once([*aiorg, "--data", str(data), "export", "json", str(json_file)], env)
        jq = shutil.which("jq")
        if jq:
            program = (
                '[.edges[] | select(.target == "firm-3" and .relation == "held_role_at" and '
                '(.end_cause == "left" or .end_cause == "founded" or .end_cause == "advisor" or '
                '.end_cause == "reported"))] | length'
            )
            results[f"jq-{label}"] = measure(
                "peer: jq answering who left firm-3 (node-link JSON)", [jq, program, str(json_file)], env, slow_runs
            )
        results[f"graphml-{label}"] = measure(
            "aiorg export graphml (whole command, warm)",
            [*aiorg, "--data", str(data), "export", "graphml", str(folder / "out.graphml")],
            env,
            slow_runs,
        )
        writer_script = (
            "import sys, time, networkx as nx\n"
            "from pathlib import Path\n"
            "from aiorg.cache import Cache, default_dir\n"
            "from aiorg.loader import load\n"
            "from aiorg.graph import build_graph\n"
            "from aiorg.export.graphs import select, write_graphml\n"
            f"kb = load(Path({str(data)!r}), cache=Cache(default_dir()))\n"
            "graph = select(build_graph(kb))\n"
            "t = time.perf_counter(); nx.write_graphml(graph, sys.argv[1]); networkx = time.perf_counter() - t\n"
            "t = time.perf_counter(); write_graphml(kb, graph, Path(sys.argv[2])); ours = time.perf_counter() - t\n"
            "print(f'{networkx:.3f} {ours:.3f}', file=sys.stderr)\n"
        )
        probe = subprocess.run(
            [python, "-c", writer_script, str(folder / "nx.graphml"), str(folder / "ours.graphml")],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        networkx_seconds, our_seconds = (float(x) for x in probe.stderr.split()[-2:])
        print(f"  {'GraphML writer, same graph: networkx / aiorg':<52} {networkx_seconds:8.3f} s / {our_seconds:.3f} s")
        results[f"nxwrite-{label}"] = Result("networkx write_graphml", networkx_seconds, 0, 1)
        results[f"ourwrite-{label}"] = Result("aiorg write_graphml", our_seconds, 0, 1)
        results[f"validate-{label}"] = measure(
            "aiorg validate (warm file cache)", [*aiorg, "--data", str(data), "validate"], env, slow_runs
        )

    floor = results["floor"].seconds
    print("\nRatios and targets")
    checks: list[tuple[str, float, float | None]] = [
        ("bundled query / import floor", results["bundled"].seconds / floor, 1.3),
        ("aiorg --help / import typer", results["help"].seconds / results["typer"].seconds, 1.3),
    ]
    for size in args.sizes:
        label = f"{size // 1000}k"
        warm = results[f"warm-{label}"].seconds
        checks.append((f"{label}: warm people --left (s)", warm, 1.0 if size >= 100000 else None))
        if f"jq-{label}" in results:
            checks.append(
                (f"{label}: warm / jq", warm / results[f"jq-{label}"].seconds, 0.5 if size >= 100000 else None)
            )
        checks.append((f"{label}: after one edit / warm", results[f"edit-{label}"].seconds / warm, 2.0))
        checks.append((f"{label}: cold (s)", results[f"cold-{label}"].seconds, 30.0 if size >= 100000 else None))
        checks.append(
            (f"{label}: cold peak RSS (MB)", results[f"cold-{label}"].rss_mb, 1536.0 if size >= 100000 else None)
        )
        checks.append(
            (f"{label}: warm peak RSS (MB)", results[f"warm-{label}"].rss_mb, 1536.0 if size >= 100000 else None)
        )
        checks.append(
            (
                f"{label}: our GraphML writer / networkx's",
                results[f"ourwrite-{label}"].seconds / results[f"nxwrite-{label}"].seconds,
                2.0,
            )
        )
    for name, value, limit in checks:
        verdict = "" if limit is None else ("ok" if value <= limit else f"MISSED (target <= {limit:g})")
        print(f"  {name:<44} {value:9.3f}  {verdict}")
    if len(args.sizes) > 1:
        print("\nGrowth (warm and cold, per 10x people)")
        for before, after in zip(args.sizes, args.sizes[1:], strict=False):
            a, b = f"{before // 1000}k", f"{after // 1000}k"
            for kind in ("warm", "cold"):
                print(f"  {kind} {a} -> {b}: x{results[f'{kind}-{b}'].seconds / results[f'{kind}-{a}'].seconds:.1f}")
    shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
