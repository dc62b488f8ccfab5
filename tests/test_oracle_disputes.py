"""Disputed dates against the naive oracle: whole `people` rows where sources give a spell
different starts or ends (README, "When sources disagree"), on random knowledge bases.

tests/test_oracle.py draws a firm filter for most examples, so few of its rows show a disputed
date; here the filters that read dates (--as-of, --since/--until, --joined) are the subject,
and a firm filter is rare.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiorg import queries
from aiorg.asof import as_of_day
from aiorg.errors import UsageError
from tests import oracle
from tests.test_oracle import AS_OF, FIRMS, QUOTE, _load, knowledge_bases

_counter = iter(range(10**9))


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("oracle-disputes")


def _rarely(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str | None]:
    return st.one_of(st.none(), st.none(), st.none(), strategy)


@given(
    spec=knowledge_bases(),
    cached=st.booleans(),
    joined=_rarely(st.sampled_from(FIRMS)),
    since=st.sampled_from([None, None, "2024", "2024-10"]),
    until=st.sampled_from([None, None, "2024-09", "2025"]),
    as_of=st.sampled_from([None, *AS_OF]),
)
def test_people_rows_with_disputed_dates_equal_the_oracle(
    scratch: Path, spec: Any, cached: bool, joined: str | None, since: Any, until: Any, as_of: str | None
) -> None:
    kb = _load(spec, scratch / str(next(_counter)), cached)
    window = queries.Window.parse(since, until)
    day = as_of_day(as_of) if as_of else None
    try:
        rows = queries.people(kb, joined=joined, window=window, as_of=day)
    except UsageError:
        return  # an empty window (test_oracle.py)
    assert rows == oracle.people_rows(spec, joined=joined, since=window.since, until=window.until, as_of=day)


def _spec(start: str, other_start: str) -> dict[str, list[dict[str, Any]]]:
    """One spell at a fictional firm whose article gives one start and an interview (weightier,
    shown first) another."""
    spec: dict[str, list[dict[str, Any]]] = {kind: [] for kind in
            ("groups", "products", "deals", "events", "metrics", "claims")}  # fmt: skip
    spec["sources"] = [
        {"id": "s", "title": "A fictional article", "published": "2025-01", "kind": "article"},
        {"id": "s1", "title": "A fictional interview", "published": "2025-02", "kind": "interview"},
    ]
    spec["firms"] = [{"id": "acme", "name": "Acme", "source": "s", "quote": QUOTE}]
    spec["people"] = [{"id": "ann", "name": "Ann", "source": "s", "quote": QUOTE}]
    also = [{"source": "s1", "quote": "another", "start": other_start}]
    spec["tenures"] = [{"id": "t0", "person": "ann", "firm": "acme", "current": True, "start": start, "source": "s",
                        "quote": QUOTE, "also": also}]  # fmt: skip
    return spec


def test_joined_by_a_claimed_start_says_the_start_is_disputed(scratch: Path) -> None:
    """--joined --until 2024-09 keeps a spell one source starts in 2024-09 (filters match every
    claimed value); the row, which shows the interview's 2024-10 first, says the start is disputed."""
    kb = _load(_spec("2024-09", "2024-10"), scratch / str(next(_counter)), False)
    (row,) = queries.people(kb, joined="acme", window=queries.Window.parse(None, "2024-09"))
    assert (row["start"], row["state"], row["disputed"]) == ("2024-10", "current", ["start"])
    assert row["when"] == "2024-10 | 2024-09 (disputed, 2 sources)"


def test_as_of_a_day_only_one_source_had_begun_the_spell_by(scratch: Path) -> None:
    """On 2024-09-30 the spell had begun only as the article tells it: the row is that version,
    started 2024-09 (not the interview's 2024-10, which would contradict `current`), marked."""
    kb = _load(_spec("2024-09", "2024-10"), scratch / str(next(_counter)), False)
    (row,) = queries.people(kb, at="acme", as_of=date(2024, 9, 30))
    assert (row["start"], row["state"]) == ("2024-09", "current")
    assert row["when"] == "2024-10 | 2024-09 (disputed, 2 sources)"
    assert queries.people(kb, at="acme", as_of=date(2024, 8, 31)) == []
