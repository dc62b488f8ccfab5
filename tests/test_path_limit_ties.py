"""`path --limit N` shows the first N connections of `--limit 0`, ties included.

Yen's algorithm yields paths of one length in an order of its own; the first N it yielded were
sorted and shown, so a page could hold other equally short connections than the first N of the
whole answer (a path listed under --limit 2 missing from the first two of --limit 0). Every
connection as long as the last one shown is now taken before the ties are put in node order.
On the bundled data (records joined by many paths of equal length) and on a fictional knowledge
base written here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aiorg import network
from aiorg.kb import KnowledgeBase
from aiorg.loader import load
from tests.conftest import write_spec

_SAID = {"source": "s", "quote": "a quote"}
PAIRS = [("minimax", "moonshot"), ("stepfun", "zhipu"), ("meta", "scale-ai"), ("alexandr-wang", "meta")]


def _fan() -> dict[str, list[dict[str, Any]]]:
    """Two firms joined through each of eight people: eight connections of two hops each,
    whose ids sort otherwise than their names."""
    people = [f"p{n}" for n in (7, 3, 5, 1, 8, 2, 6, 4)]
    spells = [{"id": f"{p}-{firm}", "person": p, "firm": firm, **_SAID} for p in people for firm in ("hub", "rim")]
    return {
        "sources": [{"id": "s", "title": "A fictional article", "published": "2025-01", "kind": "article"}],
        "firms": [{"id": f, "name": f.title(), **_SAID} for f in ("hub", "rim")],
        "people": [{"id": p, "name": f"Person {p}", **_SAID} for p in people],
        "tenures": spells,
    }


def _ids(paths: list[list[dict[str, Any]]]) -> list[list[str]]:
    return [[hop["to"] for hop in path] for path in paths]


@pytest.mark.parametrize(("start", "end"), PAIRS)
def test_bundled_pages_are_the_first_connections(bundled_kb: KnowledgeBase, start: str, end: str) -> None:
    every = _ids(network.paths_between(bundled_kb, start, end, None, 4))
    for limit in range(1, min(len(every), 12) + 1):
        assert _ids(network.paths_between(bundled_kb, start, end, limit, 4)) == every[:limit], limit


def test_ties_are_cut_in_node_order(tmp_path: Path) -> None:
    data = tmp_path / "data"
    write_spec(data, _fan())
    kb = load(data)
    every = _ids(network.paths_between(kb, "hub", "rim", None, 4))
    assert len(every) == 8
    for limit in range(1, 9):
        assert _ids(network.paths_between(kb, "hub", "rim", limit, 4)) == every[:limit], limit
