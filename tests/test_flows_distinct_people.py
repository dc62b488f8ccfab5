"""`flows` neither counts one move twice nor drops a person unsaid.

A person's deal with a firm and planned role in a unit of it, from the same origin, are one move:
one row, at the unit, keeping both statuses and both pieces of evidence, the same row whatever
`--from`/`--to` finds it. A person moved by a deal that names no firm they leave, with no one
current role, is in no row, and stderr says who was left out and why, in every format.

On a small fictional knowledge base written here (every name and source made up)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from aiorg.loader import load
from aiorg.queries.flows import flow_answer, flows
from tests.conftest import run_cli, write_spec

_SAID = {"source": "s", "quote": "q"}


def _spec() -> dict[str, list[dict[str, Any]]]:
    return {
        "sources": [{"id": "s", "title": "A fictional article", "published": "2025-06", "kind": "article"}],
        "firms": [
            {"id": "origco", "name": "Origco", **_SAID},
            {"id": "buyco", "name": "Buyco", **_SAID},
            {"id": "buyco-lab", "name": "Buyco Lab", "parent": "buyco", "category": "unit", **_SAID},
            {"id": "oldco", "name": "Oldco", **_SAID},
            {"id": "elsco", "name": "Elsco", **_SAID},
        ],
        "people": [
            {"id": "ann", "name": "Ann Example", **_SAID},
            {"id": "bo", "name": "Bo Example", **_SAID},
            {"id": "cy", "name": "Cy Example", **_SAID},
        ],
        "tenures": [
            {"id": "ann-orig", "person": "ann", "firm": "origco", "title": "CEO", **_SAID},
            {"id": "ann-lab", "person": "ann", "firm": "buyco-lab", "title": "Head", "certainty": "planned",
             "after": "ann-orig", **_SAID},
            {"id": "bo-old", "person": "bo", "firm": "oldco", "title": "CEO", "end_cause": "left", **_SAID},
            # Cy moves twice: two moves, two rows, one person
            {"id": "cy-orig", "person": "cy", "firm": "origco", "title": "Engineer", "end_cause": "left", **_SAID},
            {"id": "cy-els", "person": "cy", "firm": "elsco", "title": "Lead", "after": "cy-orig",
             "end_cause": "left", **_SAID},
            {"id": "cy-old", "person": "cy", "firm": "oldco", "title": "Lead", "after": "cy-els", **_SAID},
        ],
        "deals": [
            {"id": "ann-deal", "kind": "stake", "title": "Buyco buys part of Origco, and Ann joins",
             "buyers": ["buyco"], "targets": ["origco"], "people": ["ann"],
             "history": [{"date": "2025-05", "status": "agreed", **_SAID}], **_SAID},
            {"id": "bo-deal", "kind": "recruitment", "title": "Buyco recruits Bo", "buyers": ["buyco"],
             "targets": ["bo"], "people": ["bo"],
             "history": [{"date": "2025-06", "status": "in_talks", **_SAID}], **_SAID},
            # Cy leaves from his current role; Bo, never at Origco, from no stated firm
            {"id": "pair-deal", "kind": "recruitment", "title": "Elsco recruits Cy and Bo", "buyers": ["elsco"],
             "targets": ["cy", "bo"], "people": ["cy", "bo"],
             "history": [{"date": "2025-06", "status": "rumoured", **_SAID}], **_SAID},
        ],
    }  # fmt: skip


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("flows-distinct")
    write_spec(root, _spec())
    return root


def test_a_deal_with_a_firm_and_a_role_in_its_unit_are_one_move(folder: Path) -> None:
    kb = load(folder)
    rows = {(row["origin"], row["destination"]): row for row in flows(kb)}
    assert ("origco", "buyco") not in rows  # not a second row for the same move
    row = rows[("origco", "buyco-lab")]
    assert (row["count"], row["people"]) == (1, ["ann"])
    assert row["status"] == ["planned", "deal agreed (to Buyco)"]  # both kept, the deal saying where it goes
    assert row["evidence"] == ["ann-lab", "ann-deal"]
    # the same row, whichever end a journalist asks from
    for asked in ({"destination": "buyco-lab"}, {"destination": "buyco"}, {"origin": "origco"}):
        found = [r for r in flows(kb, **asked) if r["people"] == ["ann"]]
        assert found == [row], asked


def test_a_person_with_no_stated_origin_is_told_not_dropped(folder: Path) -> None:
    kb = load(folder)
    answer = flow_answer(kb)
    assert not any("bo" in row["people"] for row in answer.rows)
    assert [(m["person"], m["destination"], m["status"], m["evidence"]) for m in answer.unplaced] == [
        ("bo", "buyco", ["deal in_talks"], ["bo-deal"]),  # no 'origin inferred': there is no origin
        ("bo", "elsco", ["deal rumoured"], ["pair-deal"]),
    ]
    assert flow_answer(kb, destination="buyco").unplaced == answer.unplaced[:1]
    assert flow_answer(kb, destination="origco").unplaced == []
    # with --from, told only where he held a role (he may have left from there)
    assert [m["evidence"] for m in flow_answer(kb, origin="oldco").unplaced] == [["bo-deal"], ["pair-deal"]]
    assert flow_answer(kb, origin="origco").unplaced == []  # the pair deal is found, but Bo was never there


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_the_cli_says_who_was_left_out_in_every_format(folder: Path, fmt: str) -> None:
    result = run_cli("--data", str(folder), "flows", "--format", fmt, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.stderr
    assert "Bo Example" not in result.stdout
    assert "note: 1 person is left out, as no firm they leave is stated" in result.stderr
    assert "Bo Example to Buyco (deal in_talks: bo-deal); Bo Example to Elsco" in result.stderr


def test_totals_count_distinct_people(folder: Path) -> None:
    kb = load(folder)
    answer = flow_answer(kb)
    assert sum(row["count"] for row in answer.rows) == 4  # Ann once; Cy three times, for three moves
    assert answer.people == 2
    result = run_cli("--data", str(folder), "flows", "--format", "json")
    assert len(json.loads(result.stdout)) == 4
    assert (
        "these flows hold 2 distinct people; the People column sums to 4, as a person is in a row for each "
        "origin and destination they are shown at" in result.stderr
    )
    # one row a person: no such note
    alone = run_cli("--data", str(folder), "flows", "--to", "buyco", "--format", "csv")
    assert "distinct" not in alone.stderr


def test_bundled_meta_flows_count_each_person_once_and_tell_of_friedman() -> None:
    """data/: Wang's stake deal with Meta and his planned lead of Meta's superintelligence team are
    one move; Nat Friedman, recruited with Daniel Gross, has no current firm the deal leaves from."""
    for fmt in ("table", "json", "csv"):
        result = run_cli("flows", "--to", "meta", "--format", fmt, env={"COLUMNS": "80"})
        assert result.exit_code == 0, result.stderr
        assert "Nat Friedman" not in result.stdout
        assert "note: 1 person is left out" in result.stderr and "Nat Friedman" in result.stderr, fmt
    rows = json.loads(run_cli("flows", "--to", "meta", "--format", "json").stdout)
    assert sorted(person for row in rows for person in row["people"]) == ["alexandr-wang", "daniel-gross"]
    assert sum(row["count"] for row in rows) == 2


def test_the_summed_people_note_groups_thousands(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Large counts read '1,500', as in every other note."""
    import sys

    from aiorg.queries.flow_rows import FlowAnswer

    flows_module = sys.modules["aiorg.queries.flows"]  # the module (aiorg.queries.flows is also the function)

    answer = flow_answer(load(folder))
    rows = [dict(answer.rows[0], count=700), dict(answer.rows[0], count=800)]
    monkeypatch.setattr(flows_module, "flow_answer", lambda *_, **__: FlowAnswer(rows, 1200, []))
    result = run_cli("--data", str(folder), "flows", "--format", "json")
    assert "these flows hold 1,200 distinct people; the People column sums to 1,500," in result.stderr
