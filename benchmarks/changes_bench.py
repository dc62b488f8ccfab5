"""Time `aiorg changes` on a generated knowledge base kept in git.

    python benchmarks/changes_bench.py                      # 100k people (the size the targets are for)
    python benchmarks/changes_bench.py --people 10000 --runs 3

Builds WORKDIR/repo: the knowledge base of benchmarks/generate.py committed, then one edited
role spell in tenures.yaml (the largest file) committed, then the knowledge base generated again
with another seed (every record differs) committed. Times, each a separate process with stdout
to /dev/null:

  one edited file, committed      changes --since HEAD~2 --until HEAD~1   target <= 2 s
  one edited file, working tree   changes --since HEAD~1 (edit on disk)   target <= 2 s
  everything changed              changes --since HEAD~2 --until HEAD -f json   target <= 30 s
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate

# Runs the command even before it is listed in aiorg.cli.main's COMMAND_INDEX.
_RUNNER = (
    "import sys\nfrom aiorg.cli import main\n"
    "main.COMMAND_INDEX.setdefault('changes', ('aiorg.cli.change_commands', 'changes'))\n"
    "main.main(sys.argv[1:])\n"
)
_GIT_ENV = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "b@example.invalid"}
_GIT_ENV |= {"GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "b@example.invalid"}


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, env={**os.environ, **_GIT_ENV}, capture_output=True)


def _edit_one_spell(tenures: Path, cause: str) -> None:
    """Change the end cause of one role spell in the middle of the file."""
    raw = tenures.read_bytes()
    at = raw.index(b"    end_cause: ", len(raw) // 2)
    end = raw.index(b"\n", at)
    tenures.write_bytes(raw[:at] + f"    end_cause: {cause}".encode() + raw[end:])


def _time(argv: list[str], runs: int) -> tuple[float, int]:
    """Median wall time of `runs` runs, and the number of output lines of the last."""
    times, lines = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(f"failed: {' '.join(argv)}: {done.stderr.decode(errors='replace').strip()}")
        lines = done.stdout.count(b"\n")
    return statistics.median(times), lines


def main() -> None:
    """Build the repository and print the timings."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/aiorg-changes-bench"))
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    repo = options.workdir / f"repo-{options.people}"
    if repo.exists():
        shutil.rmtree(repo)
    repo.mkdir(parents=True)
    _git(repo, "init", "-q")
    generate(options.people, repo)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "generated")
    tenures = repo / "data" / "tenures.yaml"
    _edit_one_spell(tenures, "founded")
    _git(repo, "commit", "-qam", "one role spell edited")
    aiorg = [sys.executable, "-c", _RUNNER, "--data", str(repo / "data"), "changes"]
    figures = [("one edited file, committed", [*aiorg, "--since", "HEAD~1", "--until", "HEAD"], options.runs)]
    _edit_one_spell(tenures, "demoted")
    figures.append(("one edited file, working tree", [*aiorg, "--since", "HEAD~1"], options.runs))
    results = [(label, *_time(argv, runs)) for label, argv, runs in figures]
    _git(repo, "checkout", "-q", "--", "data")
    generate(options.people, repo, seed=7)
    _git(repo, "commit", "-qam", "generated again with another seed")
    argv = [*aiorg, "--since", "HEAD~2", "--until", "HEAD", "--format", "json"]
    results.append(("everything changed", *_time(argv, 1)))
    print(f"aiorg changes at {options.people} people ({os.cpu_count()} cores)")
    for label, seconds, lines in results:
        print(f"  {label:32} {seconds:7.2f} s   {lines} output lines")


if __name__ == "__main__":
    main()
