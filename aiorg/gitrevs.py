"""The git plumbing `aiorg changes` needs: where the repository is, what a revision names, which
data files differ between two revisions (or a revision and the working tree), and their texts.

Everything goes through the `git` program (plumbing commands with -z output), so any revision
git understands works: a commit, HEAD~3, a tag, a branch. A date (YYYY-MM-DD) names the last
commit on HEAD made before that day began. The library raises UsageError; it never prints.
"""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from aiorg.errors import UsageError

YAML_SUFFIXES = (".yaml", ".yml")
#: what `--until` names when it is left out: the files on disk, uncommitted edits included
WORKING_TREE = "working tree"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class Revision:
    """A resolved revision: the commit, how the user wrote it; `commit` None is the working tree."""

    commit: str | None
    given: str

    @property
    def label(self) -> str:
        """How rows and titles name it: a short commit id, or 'working tree'."""
        return self.commit[:10] if self.commit is not None else WORKING_TREE


@dataclass(frozen=True, slots=True)
class FileChange:
    """One data file that differs: its path from the repository's top, and whether it exists
    before and after."""

    path: str
    before: bool
    after: bool


class Repo:
    """The git repository holding a data directory."""

    def __init__(self, data_dir: Path) -> None:
        if shutil.which("git") is None:
            raise UsageError("changes needs the git program, and it is not installed")
        self.data_dir = data_dir
        found = _run(["git", "-C", str(data_dir), "rev-parse", "--show-toplevel"], check=False)
        if found.returncode != 0:
            raise UsageError(f"changes needs the knowledge base in a git repository; {data_dir} is not in one")
        self.top = Path(found.stdout.decode().strip())
        relative = data_dir.resolve().relative_to(self.top.resolve()).as_posix()
        self.pathspec = relative if relative != "." else ""

    def git(self, *args: str, data: bytes | None = None) -> bytes:
        """Run one git command at the repository's top; a failure is a one-line UsageError."""
        done = _run(["git", "--literal-pathspecs", "-C", str(self.top), *args], data=data, check=False)
        if done.returncode != 0:
            first = (done.stderr.decode(errors="replace").strip().splitlines() or ["failed"])[0]
            raise UsageError(f"git {args[0]}: {first}")
        return done.stdout

    def stream(self, *args: str, data: bytes) -> bytes:
        """Like `git`, for a large output: read in one go, not polled a pipe's worth at a time
        (at 160 MB, `subprocess.run` spent 0.6 s in its poll loop, this 0.1 s over git's own time)."""
        argv = ["git", "--literal-pathspecs", "-C", str(self.top), *args]
        with tempfile.TemporaryFile() as requests, tempfile.TemporaryFile() as errors:
            requests.write(data)  # from a file, not a pipe: git can never wait on us while we wait on it
            requests.seek(0)
            process = subprocess.Popen(argv, stdin=requests, stdout=subprocess.PIPE, stderr=errors)
            assert process.stdout is not None
            with process.stdout:
                out = process.stdout.read()
            if process.wait() != 0:
                errors.seek(0)
                first = (errors.read().decode(errors="replace").strip().splitlines() or ["failed"])[0]
                raise UsageError(f"git {args[0]}: {first}")
        return out

    def resolve(self, given: str | None) -> Revision:
        """A revision the user typed (None: the working tree); UsageError naming it if git knows none."""
        if given is None:
            return Revision(None, WORKING_TREE)
        if not given.strip() or given.startswith("-"):
            raise UsageError(f"unknown revision {given!r}")
        found = _run(
            ["git", "-C", str(self.top), "rev-parse", "--verify", "--quiet", f"{given}^{{commit}}"], check=False
        )
        if found.returncode == 0:
            return Revision(found.stdout.decode().strip(), given)
        if _DATE.match(given):
            day = _day_start(given)
            # As Unix seconds (`@N`): git reads no other form of a day after 2099 (it took
            # `2100-01-02T00:00:00` for no date at all, and found no commit before it).
            before = _run(["git", "-C", str(self.top), "rev-list", "-1", f"--before=@{day}", "HEAD"], check=False)
            commit = before.stdout.decode().strip()
            if before.returncode == 0 and commit:
                return Revision(commit, given)
            raise UsageError(f"no commit was made before {given}")
        raise UsageError(f"unknown revision {given!r}; give a commit, a tag, HEAD~N or a date YYYY-MM-DD")

    def check_order(self, since: Revision, until: Revision) -> None:
        """UsageError when `until` is an earlier commit than `since` (an ancestor of it): the feed
        would run backwards, every added fact reading as retracted. Two revisions on diverging
        branches are compared as they are (the changes from one's files to the other's)."""
        if since.commit is None or until.commit is None or since.commit == until.commit:
            return
        found = _run(
            ["git", "-C", str(self.top), "merge-base", "--is-ancestor", until.commit, since.commit], check=False
        )
        if found.returncode == 0:
            raise UsageError(
                f"--until {until.given} ({until.label}) is earlier than --since {since.given} ({since.label});"
                " give the earlier revision as --since"
            )

    def changed_files(self, since: Revision, until: Revision) -> list[FileChange]:
        """The YAML files under the data directory that differ between the two revisions."""
        spec = ["--", self.pathspec] if self.pathspec else []
        revisions = [r.commit for r in (since, until) if r.commit is not None]
        raw = self.git("diff", "--name-status", "-z", "--no-renames", "--no-ext-diff", *revisions, *spec)
        fields = raw.split(b"\0")
        changes: dict[str, FileChange] = {}
        for status, name in zip(fields[0::2], fields[1::2], strict=False):
            path = name.decode()
            if not path.endswith(YAML_SUFFIXES):
                continue
            kind = status.decode()[:1]
            changes[path] = FileChange(path, kind != "A", kind != "D")
        if until.commit is None:  # files git does not track yet are part of the knowledge base on disk
            for path in self.untracked():
                changes[path] = FileChange(path, self.exists(since, path), True)
        return sorted(changes.values(), key=lambda change: change.path)

    def untracked(self) -> list[str]:
        """YAML files under the data directory that git does not track (ignored ones too: aiorg reads them)."""
        spec = ["--", self.pathspec] if self.pathspec else []
        raw = self.git("ls-files", "-z", "--others", *spec)
        return [p for p in raw.decode().split("\0") if p.endswith(YAML_SUFFIXES)]

    def exists(self, revision: Revision, path: str) -> bool:
        """Whether a file exists at a revision."""
        if revision.commit is None:
            return (self.top / path).is_file()
        found = _run(["git", "-C", str(self.top), "cat-file", "-e", f"{revision.commit}:{path}"], check=False)
        return found.returncode == 0

    def files(self, revision: Revision) -> list[str]:
        """Every YAML file under the data directory at a revision, from the repository's top."""
        if revision.commit is None:
            root = self.top / self.pathspec if self.pathspec else self.top
            return sorted(
                p.relative_to(self.top).as_posix()
                for p in root.rglob("*")
                if p.suffix in YAML_SUFFIXES and p.is_file() and ".git" not in p.relative_to(self.top).parts
            )
        spec = ["--", self.pathspec] if self.pathspec else []
        raw = self.git("ls-tree", "-r", "-z", "--name-only", revision.commit, *spec)
        return sorted(p for p in raw.decode().split("\0") if p.endswith(YAML_SUFFIXES))

    def read(self, revision: Revision, paths: Iterable[str]) -> dict[str, bytes]:
        """The bytes of files at a revision (from disk for the working tree), in one git call."""
        wanted = list(paths)
        if revision.commit is None:
            return {path: (self.top / path).read_bytes() for path in wanted}
        if not wanted:
            return {}
        requests = "".join(f"{revision.commit}:{path}\n" for path in wanted).encode()
        out = self.stream("cat-file", "--batch", data=requests)
        texts: dict[str, bytes] = {}
        at = 0
        for path in wanted:
            end = out.index(b"\n", at)
            header = out[at:end].split()
            if len(header) != 3 or header[1] != b"blob":
                raise UsageError(f"cannot read {path} at {revision.given}")
            size = int(header[2])
            texts[path] = out[end + 1 : end + 1 + size]
            at = end + 1 + size + 1
        return texts


def _day_start(day: str) -> int:
    """The Unix time at which a day YYYY-MM-DD began, in the local time zone (as git reads a
    date with no zone); a day the calendar does not have is a UsageError."""
    try:
        start = datetime.datetime.strptime(day, "%Y-%m-%d")
    except ValueError:
        raise UsageError(f"no such day: {day}") from None
    return int(start.timestamp())


def _run(argv: list[str], data: bytes | None = None, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(argv, input=data, capture_output=True, check=check)
