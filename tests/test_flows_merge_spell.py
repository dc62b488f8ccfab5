"""`flows` merges a person's moves into a firm and into its unit only when they leave the same
spell, and never across a parent link the unit's record marks inferred.

On small fictional knowledge bases written here (every name and source made up)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiorg.loader import load
from aiorg.queries.flows import flows
from tests.conftest import write_spec

_SAID = {"source": "s", "quote": "q"}
_SOURCE = {"id": "s", "title": "A fictional article", "published": "2025-06", "kind": "article"}


def _boomerang(deal_date: str | None) -> dict[str, list[dict[str, Any]]]:
    """Dan: Origco -> Buyco (2015), back to Origco (2018), then to Buyco Lab (2024); a deal moves
    him from Origco to Buyco, on `deal_date` (None: undated)."""
    return {
        "sources": [_SOURCE],
        "firms": [
            {"id": "origco", "name": "Origco", **_SAID},
            {"id": "buyco", "name": "Buyco", **_SAID},
            {"id": "buyco-lab", "name": "Buyco Lab", "parent": "buyco", "category": "unit", **_SAID},
        ],
        "people": [{"id": "dan", "name": "Dan Example", **_SAID}],
        "tenures": [
            {"id": "d1", "person": "dan", "firm": "origco", "title": "Eng", "start": "2010", "end": "2015",
             "end_cause": "left", **_SAID},
            {"id": "d2", "person": "dan", "firm": "buyco", "title": "Eng", "after": "d1", "start": "2015",
             "end": "2018", "end_cause": "left", **_SAID},
            {"id": "d3", "person": "dan", "firm": "origco", "title": "Lead", "after": "d2", "start": "2018",
             "end": "2024", "end_cause": "left", **_SAID},
            {"id": "d4", "person": "dan", "firm": "buyco-lab", "title": "Head", "after": "d3", "start": "2024",
             **_SAID},
        ],
        "deals": [
            {"id": "dan-deal", "kind": "recruitment", "title": "Buyco recruits Dan from Origco", "buyers": ["buyco"],
             "targets": ["origco"], "people": ["dan"],
             "history": [{"status": "agreed", **({"date": deal_date} if deal_date else {}), **_SAID}], **_SAID},
        ],
    }  # fmt: skip


def _rows(tmp_path: Path, spec: dict[str, list[dict[str, Any]]]) -> dict[tuple[str, str], tuple[list[str], list[str]]]:
    write_spec(tmp_path, spec)
    return {(r["origin"], r["destination"]): (r["evidence"], r["status"]) for r in flows(load(tmp_path))}


def test_a_boomerang_move_is_not_merged_with_the_later_one(tmp_path: Path) -> None:
    """The 2015 move to Buyco left spell d1; the 2024 move to Buyco Lab left d3: two moves, each
    at its own destination (it was filed under Buyco Lab, keyed by the origin firm alone)."""
    spec = _boomerang(None)
    spec["deals"] = []
    assert _rows(tmp_path, spec) == {
        ("origco", "buyco"): (["d2"], ["moved"]),
        ("buyco", "origco"): (["d3"], ["moved"]),
        ("origco", "buyco-lab"): (["d4"], ["moved"]),
    }


def test_a_dated_deal_merges_with_the_spell_it_leaves(tmp_path: Path) -> None:
    """A 2024-03 deal can only leave d3 (d1 ended in 2015): one move with d4, at Buyco Lab."""
    rows = _rows(tmp_path, _boomerang("2024-03"))
    assert rows[("origco", "buyco-lab")] == (["d4", "dan-deal"], ["moved", "deal agreed (to Buyco)"])
    assert rows[("origco", "buyco")] == (["d2"], ["moved"])


def test_an_undated_deal_that_may_leave_either_spell_merges_with_none(tmp_path: Path) -> None:
    rows = _rows(tmp_path, _boomerang(None))
    assert rows[("origco", "buyco")] == (["d2", "dan-deal"], ["moved", "deal agreed"])
    assert rows[("origco", "buyco-lab")] == (["d4"], ["moved"])


def test_no_merge_across_an_inferred_parent_link(tmp_path: Path) -> None:
    """Eve's deal with Bigco and her planned role at Lab, a unit of Bigco only by inference, stay
    two rows: one row at Lab would show the merge unmarked."""
    spec: dict[str, list[dict[str, Any]]] = {
        "sources": [_SOURCE],
        "firms": [
            {"id": "origco", "name": "Origco", **_SAID},
            {"id": "bigco", "name": "Bigco", **_SAID},
            {"id": "lab", "name": "Lab", "parent": "bigco", "category": "unit", "inferred": ["parent"], **_SAID},
        ],
        "people": [{"id": "eve", "name": "Eve Example", **_SAID}],
        "tenures": [
            {"id": "e1", "person": "eve", "firm": "origco", "title": "CEO", **_SAID},
            {"id": "e2", "person": "eve", "firm": "lab", "title": "Head", "certainty": "planned", "after": "e1",
             **_SAID},
        ],
        "deals": [
            {"id": "eve-deal", "kind": "stake", "title": "Bigco buys part of Origco", "buyers": ["bigco"],
             "targets": ["origco"], "people": ["eve"], "history": [{"date": "2025-05", "status": "agreed", **_SAID}],
             **_SAID},
        ],
    }  # fmt: skip
    assert _rows(tmp_path, spec) == {
        ("origco", "bigco"): (["eve-deal"], ["deal agreed"]),
        ("origco", "lab"): (["e2"], ["planned"]),
    }
    # stated, the link merges them, as before
    spec["firms"][2].pop("inferred")
    assert _rows(tmp_path, spec) == {("origco", "lab"): (["e2", "eve-deal"], ["planned", "deal agreed (to Bigco)"])}
