"""Time `aiorg changes` on a generated knowledge base kept in git.

    python benchmarks/changes_bench.py                      # 100k people (the size the targets are for)
    python benchmarks/changes_bench.py --people 10000 --runs 3
    python benchmarks/changes_bench.py --reuse              # the repository of an earlier run, if complete

Builds WORKDIR/repo-N: the knowledge base of benchmarks/generate.py committed, then one edited
role spell in tenures.yaml (the largest file) committed, then the knowledge base generated again
with another seed (every record differs) committed. Times, each a separate process with stdout
captured (wall, and the CPU of the command and every process it waited for: git, workers):

  one edited file, committed      changes --since HEAD~2 --until HEAD~1   target <= 2 s
  one edited file, working tree   changes --since HEAD, in a worktree of HEAD~1 whose spell is
                                  edited again on disk            target <= 2 s
  everything changed, uncached    changes --since HEAD~2 --until HEAD -f json, with an empty
                                  file cache (both revisions parsed)        target <= 30 s
  everything changed, cached      the same again: both revisions' files are now in the file
                                  cache, as the later one is after any query on it

Every run uses a file cache of its own (WORKDIR/cache, emptied first), never the user's. Peak
is the largest resident set of the command or any process it waited for (getrusage of wait4).
The machine's other work slows the wall times; the CPU times show what the command itself costs.
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


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, float, int, int]:
    """Wall and CPU time (the command's and every process it waited for: git, workers), peak
    resident set in bytes and the number of output lines of one run; stdout is counted, not kept."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=errors, env=env)
        assert process.stdout is not None
        lines = 0
        while chunk := process.stdout.read(1 << 20):
            lines += chunk.count(b"\n")
        _, status, used = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        if process.returncode != 0:
            errors.seek(0)
            raise SystemExit(f"failed: {' '.join(argv)}: {errors.read().decode(errors='replace').strip()}")
    return seconds, used.ru_utime + used.ru_stime, used.ru_maxrss * 1024, lines


def _time(argv: list[str], runs: int, cache: Path) -> tuple[float, float, int, int]:
    """Median wall and CPU time of `runs` runs, the largest peak, and the output lines of the last."""
    env = {**os.environ, "AIORG_CACHE_DIR": str(cache)}
    results = [_run(argv, env) for _ in range(runs)]
    return (
        statistics.median(r[0] for r in results),
        statistics.median(r[1] for r in results),
        max(r[2] for r in results),
        results[-1][3],
    )


_MESSAGES = ["generated again with another seed", "one role spell edited", "generated"]


def _build(repo: Path, people: int) -> None:
    """The repository: generated, one spell edited, generated again with another seed."""
    if repo.exists():
        shutil.rmtree(repo)
    repo.mkdir(parents=True)
    _git(repo, "init", "-q")
    generate(people, repo)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", _MESSAGES[2])
    _edit_one_spell(repo / "data" / "tenures.yaml", "founded")
    _git(repo, "commit", "-qam", _MESSAGES[1])
    generate(people, repo, seed=7)
    _git(repo, "commit", "-qam", _MESSAGES[0])


def _complete(repo: Path) -> bool:
    """Whether an earlier run left the whole repository, unedited."""
    log = subprocess.run(["git", "-C", str(repo), "log", "--format=%s"], capture_output=True, check=False)
    status = subprocess.run(["git", "-C", str(repo), "status", "--porcelain"], capture_output=True, check=False)
    return log.returncode == 0 and log.stdout.decode().splitlines() == _MESSAGES and not status.stdout.strip()


def _changes(checkout: Path, *args: str) -> list[str]:
    return [sys.executable, "-c", _RUNNER, "--data", str(checkout / "data"), "changes", *args]


def main() -> None:
    """Build the repository (or reuse it) and print the timings."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/aiorg-changes-bench"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="keep WORKDIR/repo-N if an earlier run completed it")
    options = parser.parse_args()
    repo = options.workdir / f"repo-{options.people}"
    if not (options.reuse and _complete(repo)):
        _build(repo, options.people)
    cache = options.workdir / "cache"
    if cache.exists():
        shutil.rmtree(cache)
    cache.mkdir(mode=0o700)
    one_edit = _changes(repo, "--since", "HEAD~2", "--until", "HEAD~1")
    results = [("one edited file, committed", *_time(one_edit, options.runs, cache))]
    tree = options.workdir / f"tree-{options.people}"  # the second commit checked out, the spell edited again on disk
    _git(repo, "worktree", "prune")
    if tree.exists():
        shutil.rmtree(tree)
    _git(repo, "worktree", "add", "-q", "--detach", str(tree), "HEAD~1")
    try:
        _edit_one_spell(tree / "data" / "tenures.yaml", "demoted")
        results.append(
            ("one edited file, working tree", *_time(_changes(tree, "--since", "HEAD"), options.runs, cache))
        )
    finally:
        _git(repo, "worktree", "remove", "--force", str(tree))
    argv = _changes(repo, "--since", "HEAD~2", "--until", "HEAD", "--format", "json")
    shutil.rmtree(cache)
    cache.mkdir(mode=0o700)
    results.append(("everything changed, uncached", *_time(argv, 1, cache)))
    results.append(("everything changed, cached", *_time(argv, 1, cache)))
    print(f"aiorg changes at {options.people} people ({os.cpu_count()} cores)")
    for label, seconds, cpu, peak, lines in results:
        print(f"  {label:32} {seconds:7.2f} s wall {cpu:7.2f} s CPU {peak / 2**30:6.2f} GB peak   {lines} output lines")


if __name__ == "__main__":
    main()
