"""`aiorg path --limit`: 0 means every connection within --max-hops, as `--limit 0` does for
every other command; any other limit, and the default of 10, behave as before."""

from __future__ import annotations

import json
from typing import Any

from aiorg import network
from aiorg.errors import ExitCode
from aiorg.kb import KnowledgeBase
from tests.conftest import run_cli

#: in the bundled data, Meta and Scale AI have 20 connections of up to 4 hops: more than the default 10
START, END = "meta", "scale-ai"
MORE = "note: more connections exist"


def _path(*args: str) -> tuple[list[Any], str]:
    result = run_cli("path", START, END, *args, "--format", "json")
    assert result.exit_code == ExitCode.OK, result.stderr
    return json.loads(result.stdout), result.stderr


def _connections(rows: list[Any]) -> int:
    return len({row["path"] for row in rows})


def test_limit_zero_shows_every_connection_within_max_hops(bundled_kb: KnowledgeBase) -> None:
    every, said = _path("--limit", "0")
    assert every == network.connections(bundled_kb, START, END, None, 4)
    assert _connections(every) == 20
    assert MORE not in said  # nothing is held back
    assert _path("--limit", "1000") == (every, said)  # the same as a limit above the count


def test_limit_zero_is_still_bounded_by_max_hops(bundled_kb: KnowledgeBase) -> None:
    every, _ = _path("--limit", "0", "--max-hops", "2")
    assert every == network.connections(bundled_kb, START, END, None, 2)
    assert max(row["step"] for row in every) <= 2
    assert _connections(every) < 20


def _hops(rows: list[Any]) -> list[tuple[str, ...]]:
    """Each connection as the records it passes through, in the order shown."""
    walks: dict[int, tuple[str, ...]] = {}
    for row in rows:
        walks[row["path"]] = (*walks.get(row["path"], (row["from"],)), row["to"])
    return list(walks.values())


def test_other_limits_and_the_default_are_unchanged() -> None:
    every = _hops(_path("--limit", "0")[0])
    for args, shown in (((), 10), (("--limit", "3"), 3), (("--limit", "19"), 19)):
        rows, said = _path(*args)
        some = _hops(rows)
        # the `shown` shortest: as long as the first of all, each one of all (equally short ones
        # may be picked in another order than --limit 0 lists them)
        assert [len(walk) for walk in some] == [len(walk) for walk in every[:shown]]
        assert set(some) <= set(every)
        assert f"note: more connections exist within 4 hops; showing the {shown} shortest (see --limit)" in said
    assert "more connections" not in _path("--limit", "20")[1]


def test_a_negative_limit_is_refused_and_help_says_what_0_means() -> None:
    result = run_cli("path", START, END, "--limit", "-1")
    assert result.exit_code == ExitCode.USAGE_ERROR
    shown = run_cli("path", "--help", env={"COLUMNS": "200"}).stdout
    assert "Show at most N connections, 0 for every one within --max-hops." in " ".join(shown.split())
