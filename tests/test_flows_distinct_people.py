"""`flows` neither counts one move twice nor drops a person unsaid.

A person's deal with a firm and planned role in a unit of it, from the same origin, are one move:
one row, at the unit, keeping both statuses and both pieces of evidence, the same row whatever
`--from`/`--to` finds it. A person moved by a deal that names no firm they leave, with no one
current role, is in a row from 'not stated' (origin null), in every format.

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


def test_a_person_with_no_stated_origin_is_in_a_row_of_their_own(folder: Path) -> None:
    kb = load(folder)
    answer = flow_answer(kb)
    unstated = [row for row in answer.rows if row["origin"] is None]
    assert [(r["origin_name"], r["destination"], r["people"], r["status"], r["evidence"]) for r in unstated] == [
        ("not stated", "buyco", ["bo"], ["deal in_talks"], ["bo-deal"]),  # no 'origin inferred': there is none
        ("not stated", "elsco", ["bo"], ["deal rumoured"], ["pair-deal"]),
    ]
    assert answer.unstated == 1
    assert flows(kb) == answer.rows  # the query's rows are the command's, these included
    assert [r for r in flow_answer(kb, destination="buyco").rows if r["origin"] is None] == unstated[:1]
    assert not any(r["origin"] is None for r in flow_answer(kb, destination="origco").rows)
    # with --from, in a row only where he held a role (he may have left from there)
    from_old = [r["evidence"] for r in flow_answer(kb, origin="oldco").rows if r["origin"] is None]
    assert from_old == [["bo-deal"], ["pair-deal"]]
    assert not any(r["origin"] is None for r in flow_answer(kb, origin="origco").rows)  # Bo was never there


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_the_cli_shows_who_has_no_stated_origin_in_every_format(folder: Path, fmt: str) -> None:
    result = run_cli("--data", str(folder), "flows", "--format", fmt, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    assert "Bo Example" in result.stdout and "not stated" in result.stdout
    assert "Bo Example" not in result.stderr
    assert "note: 1 person is in rows from 'not stated': no firm they leave is stated" in result.stderr
    if fmt == "json":
        rows = [row for row in json.loads(result.stdout) if row["people"] == ["bo"]]
        assert [(row["origin"], row["origin_name"]) for row in rows] == [(None, "not stated")] * 2


def test_totals_count_distinct_people(folder: Path) -> None:
    kb = load(folder)
    answer = flow_answer(kb)
    # Ann once; Cy three times, for three moves; Bo twice, from no stated firm
    assert sum(row["count"] for row in answer.rows) == 6
    assert answer.people == 3
    result = run_cli("--data", str(folder), "flows", "--format", "json")
    assert len(json.loads(result.stdout)) == 6
    assert (
        "these flows hold 3 distinct people; the People column sums to 6, as a person is in a row for each "
        "origin and destination they are shown at" in result.stderr
    )
    # one row a person: no such note
    alone = run_cli("--data", str(folder), "flows", "--to", "buyco", "--format", "csv")
    assert "distinct" not in alone.stderr


def test_bundled_meta_flows_count_each_person_once_and_show_friedman() -> None:
    """data/: Wang's stake deal with Meta and his planned lead of Meta's superintelligence team are
    one move; Nat Friedman, recruited with Daniel Gross, has no current firm the deal leaves from:
    his row is from 'not stated'."""
    for fmt in ("table", "json", "csv"):
        result = run_cli("flows", "--to", "meta", "--format", fmt, env={"COLUMNS": "80"})
        assert result.exit_code == 0, result.stderr
        assert "Nat Friedman" in result.stdout and "not stated" in result.stdout, fmt
        assert "note: 1 person is in rows from 'not stated'" in result.stderr, fmt
    rows = json.loads(run_cli("flows", "--to", "meta", "--format", "json").stdout)
    people = ["alexandr-wang", "daniel-gross", "nat-friedman"]
    assert sorted(person for row in rows for person in row["people"]) == people
    assert sum(row["count"] for row in rows) == 3


def test_the_summed_people_note_groups_thousands(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Large counts read '1,500', as in every other note."""
    import sys

    from aiorg.queries.flow_rows import FlowAnswer

    flows_module = sys.modules["aiorg.queries.flows"]  # the module (aiorg.queries.flows is also the function)

    answer = flow_answer(load(folder))
    rows = [dict(answer.rows[0], count=700), dict(answer.rows[0], count=800)]
    monkeypatch.setattr(flows_module, "flow_answer", lambda *_, **__: FlowAnswer(rows, 1200, 0))
    result = run_cli("--data", str(folder), "flows", "--format", "json")
    assert "these flows hold 1,200 distinct people; the People column sums to 1,500," in result.stderr
