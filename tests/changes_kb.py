"""A small fictional knowledge base in a temporary git repository, for the change-feed tests.

Every name, firm, source and quote here is invented for the tests (Acme AI, Globex Labs, 示例日报).
Records are kept as plain dicts and written in aiorg's usual file shape, so a test edits the
dicts, writes them and commits.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
from pathlib import Path
from typing import Any

Records = dict[str, list[dict[str, Any]]]  # kind -> records
Files = dict[str, Records]  # file name -> its records

_GIT_ENV = {
    "GIT_AUTHOR_NAME": "test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}

BASE: Files = {
    "sources.yaml": {
        "sources": [
            {"id": "s1", "title": "Fictional report one (fixture)", "publisher": "Example Daily", "language": "en"},
            {"id": "s2", "title": "虚构报道二（测试用）", "publisher": "示例日报", "language": "zh"},
            {"id": "s3", "title": "Fictional report three (test fixture)", "publisher": "Example Weekly"},
        ]
    },
    "firms.yaml": {
        "firms": [
            {"id": "acme", "name": "Acme AI", "country": "US", "source": "s1", "quote": "Acme AI"},
            {"id": "globex", "name": "Globex Labs", "name_zh": "格洛贝克斯", "source": "s2", "quote": "格洛贝克斯"},
            {"id": "initech", "name": "Initech", "source": "s1", "quote": "Initech"},
        ]
    },
    "people.yaml": {
        "people": [
            {"id": "p-lin", "name": "Lin Mu", "name_zh": "林木", "source": "s2", "quote": "林木"},
            {"id": "p-kim", "name": "Kim Ode", "source": "s1", "quote": "Kim Ode"},
        ]
    },
    "tenures.yaml": {
        "tenures": [
            {
                "id": "t-lin-acme",
                "person": "p-lin",
                "firm": "acme",
                "title": "Head of product",
                "end": "2024-09",
                "end_cause": "left",
                "source": "s1",
                "quote": "Lin Mu left Acme AI",
            },
            {"id": "t-kim-globex", "person": "p-kim", "firm": "globex", "start": "2023", "source": "s1", "quote": "x"},
        ]
    },
    "deals.yaml": {
        "deals": [
            {
                "id": "d-acme-globex",
                "kind": "stake",
                "buyers": ["acme"],
                "targets": ["globex"],
                "amount": "$14.3B",
                "history": [{"date": "2025-05", "status": "rumoured", "source": "s1", "quote": "rumoured stake"}],
                "source": "s1",
                "quote": "Acme AI may buy into Globex Labs",
            }
        ]
    },
}


def base() -> Files:
    """A fresh copy of the fixture knowledge base."""
    return copy.deepcopy(BASE)


def record(files: Files, record_id: str) -> dict[str, Any]:
    """The dict of a record, wherever it is."""
    for records in files.values():
        for items in records.values():
            for item in items:
                if item["id"] == record_id:
                    return item
    raise KeyError(record_id)


def _scalar(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    # JSON text is a YAML double-quoted scalar, but for the characters YAML reads as line breaks,
    # which must be escapes there (aiorg refuses them raw).
    text = json.dumps(str(value), ensure_ascii=False)
    return text.replace("\x85", "\\x85").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _mapping(item: dict[str, Any], indent: int) -> list[str]:
    lines = []
    first = True
    for key, value in item.items():
        lead = " " * (indent - 2) + "- " if first else " " * indent
        first = False
        if isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{lead}{key}:")
            for entry in value:
                lines += _mapping(entry, indent + 4)
        else:
            lines.append(f"{lead}{key}: {_scalar(value)}")
    return lines


def render(records: Records) -> str:
    """One file's text in aiorg's usual shape: `kind:` over two-space `  - ` records."""
    lines = ["# fictional test data"]
    for kind, items in records.items():
        lines.append(f"{kind}:")
        for item in items:
            lines += _mapping(item, 4)
    return "\n".join(lines) + "\n"


def write(data: Path, files: Files) -> None:
    """Write the files (and delete the YAML files that are not in `files`)."""
    data.mkdir(parents=True, exist_ok=True)
    for old in data.glob("*.yaml"):
        if old.name not in files:
            old.unlink()
    for name, records in files.items():
        (data / name).write_text(render(records), encoding="utf-8")


def git(repo: Path, *args: str) -> str:
    """Run git in `repo` with a fixed identity and no user configuration."""
    env = {**os.environ, **_GIT_ENV}
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=True)
    return done.stdout


def commit(repo: Path, message: str = "edit") -> None:
    """Commit everything under `repo`."""
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)


def new_repo(root: Path, files: Files | None = None) -> Path:
    """A git repository at `root` holding the knowledge base in root/data, committed; returns data/."""
    git(root.parent, "init", "-q", str(root))
    data = root / "data"
    write(data, files or base())
    commit(root, "first")
    return data


def two_revisions(tmp_path: Path, first: Files, second: Files) -> Path:
    """A repository whose two commits hold `first`, then `second`; returns its data/."""
    data = new_repo(tmp_path / "kb", first)
    write(data, second)
    commit(data.parent)
    return data
