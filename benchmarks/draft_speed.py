"""How long `aiorg draft` takes on a 10,000-character article against a large knowledge base (warm).

    python benchmarks/generate.py 100000 /tmp/kb100k      # once (minutes)
    python benchmarks/draft_speed.py /tmp/kb100k/data     # the target: a median <= 2 s

The article is the seed article followed by the fictional articles of tests/draft_articles, repeated
until it holds 10,000 characters, cut there. The knowledge base is warmed with one `aiorg stats`
(its store built) and one draft (the index of its names and, once per installed jieba, jieba's
dictionary cached: see aiorg/draft/known.py and aiorg/draft/tagger.py); then the command
`aiorg --data DATA draft ARTICLE --source-id x --published 2025-06 --format json` is timed three times,
each a new process, as a user runs it. Prints each wall time and CPU time (user + sys of the
process, steadier than wall time when other work shares the machine) and their medians.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_a8261eb4c3cf4880.txt"
ARTICLES = ROOT / "tests" / "draft_articles"
LENGTH = 10_000
RUNS = 3


def article() -> str:
    """The seed and the fictional articles, repeated, cut at LENGTH characters."""
    parts = [SEED.read_text(encoding="utf-8")]
    parts += [path.read_text(encoding="utf-8") for path in sorted(ARTICLES.glob("*.txt"))]
    text = ""
    while len(text) < LENGTH:
        text += "\n\n".join(parts) + "\n\n"
    return text[:LENGTH]


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(command: list[str]) -> tuple[float, float]:
    """Wall seconds the command took and CPU seconds (user + sys) it used; exits with its error if it failed."""
    cpu = _child_cpu()
    began = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    took = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"draft_speed: {' '.join(command)} failed: {done.stderr.strip()}")
    return took, _child_cpu() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="the knowledge base's data folder (e.g. /tmp/kb100k/data)")
    args = parser.parse_args()
    aiorg = [sys.executable, "-m", "aiorg", "--data", str(args.data)]
    with tempfile.TemporaryDirectory(prefix="aiorg-draft-speed-") as folder:
        path = Path(folder) / "article.txt"
        path.write_text(article(), encoding="utf-8")
        draft = [*aiorg, "draft", str(path), "--source-id", "x", "--published", "2025-06", "--format", "json"]
        print(f"warming: stats {run([*aiorg, 'stats'])[0]:.2f} s, first draft {run(draft)[0]:.2f} s")
        runs = [run(draft) for _ in range(RUNS)]
    walls, cpus = [w for w, _ in runs], [c for _, c in runs]
    print("runs (wall):", ", ".join(f"{t:.2f} s" for t in walls))
    print("runs (CPU, user + sys):", ", ".join(f"{t:.2f} s" for t in cpus))
    print(f"median: {statistics.median(walls):.2f} s wall, {statistics.median(cpus):.2f} s CPU for {LENGTH} characters")
    print("(target <= 2 s; on a busy machine the CPU figure is the steadier one)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
