"""The fast change feed (changed record blocks only) against a naive oracle that loads both whole
versions with aiorg.loader.load and compares every record by id, on random edits."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from aiorg.change_rows import rows_for, sort_key
from aiorg.changes import changes
from aiorg.kb import KnowledgeBase
from aiorg.loader import load
from aiorg.model import Record
from tests.changes_kb import Files, base, commit, new_repo, record, write

Edit = Callable[[Files], None]


def _move_kim(files: Files) -> None:
    kim = record(files, "p-kim")
    files["people.yaml"]["people"].remove(kim)
    files.setdefault("more.yaml", {}).setdefault("people", []).append(kim)


EDITS: list[Edit] = [
    lambda f: record(f, "t-lin-acme").update(end_cause="advisor"),
    lambda f: record(f, "t-lin-acme").update(source="s3"),
    lambda f: record(f, "d-acme-globex").update(amount="$15B"),
    lambda f: record(f, "d-acme-globex").update(amount="143亿美元"),
    lambda f: record(f, "d-acme-globex")["history"].append(
        {"date": "2025-06", "status": "agreed", "source": "s2", "quote": "达成协议"}
    ),
    lambda f: f["tenures.yaml"]["tenures"].append(
        {"id": "t-lin-globex", "person": "p-lin", "firm": "globex", "after": "t-lin-acme", "source": "s2", "quote": "q"}
    ),
    lambda f: f["firms.yaml"].update(firms=[x for x in f["firms.yaml"]["firms"] if x["id"] != "initech"]),
    lambda f: f["people.yaml"]["people"].insert(0, {"id": "p-new", "name": "Ada Vale", "source": "s3", "quote": "A"}),
    lambda f: record(f, "p-lin").update(name="Lin Muyu"),
    _move_kim,
]


def _records(kb: KnowledgeBase) -> dict[str, Record]:
    return {
        r.id: r
        for kind in ("sources", "groups", "firms", "people", "products", "tenures", "deals")
        for r in kb.records(kind)
    }


def _oracle(old_files: Files, new_files: Files, since: str, until: str) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as tmp:
        write(Path(tmp) / "old", old_files)
        write(Path(tmp) / "new", new_files)
        old, new = _records(load(Path(tmp) / "old")), _records(load(Path(tmp) / "new"))
    lookup = lambda i: new.get(i) or old.get(i)  # noqa: E731
    rows = [
        row
        for i in sorted(old.keys() | new.keys())
        if old.get(i) != new.get(i)
        for row in rows_for(old.get(i), new.get(i), lookup, since, until)
    ]
    return sorted(rows, key=sort_key)


@settings(max_examples=15, deadline=None)
@given(
    first=st.lists(st.sampled_from(range(len(EDITS))), unique=True),
    second=st.lists(st.sampled_from(range(len(EDITS))), unique=True),
)
def test_fast_feed_matches_the_oracle(first: list[int], second: list[int]) -> None:
    old_files, new_files = base(), base()
    for i in first:
        EDITS[i](old_files)
    for i in second:
        EDITS[i](new_files)
    with tempfile.TemporaryDirectory() as tmp:
        data = new_repo(Path(tmp) / "kb", old_files)
        write(data, new_files)
        commit(data.parent)
        feed = changes(data, "HEAD~1", "HEAD")
        assert feed.rows == _oracle(old_files, new_files, feed.since.label, feed.until.label)
