"""A listing filtered on a firm takes in its units, and never passes off a unit that is the firm's
only by an inference as the firm's own (README, "An inference says it is one").

On the bundled data, DeepMind is Google's only by an inference (`inferred: [parent]`): `people
--joined google` listed Kavukcuoglu's DeepMind role as a plain Google hire. The same held for
`flows --to`, `deals --party` and `timeline --firm`. Each row there only through such a link now
names `parent` in its `inferred` and says so after the unit's name or the fact's text, as a
firm's profile does; rows through a stated link stay as they were. Checked against the reference
oracle (tests/oracle.py) on a fictional knowledge base written here: every firm, person and
source in it is made up."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from aiorg import queries
from aiorg.kb import KnowledgeBase
from aiorg.loader import load
from aiorg.queries.flows import flow_answer
from tests import oracle
from tests.conftest import run_cli, write_spec

_SAID = {"source": "s", "quote": "a quote"}
MARK = " (parent inferred)"


def _spell(person: str, firm: str, **fields: Any) -> dict[str, Any]:
    return {"id": f"{person}-{firm}", "person": person, "firm": firm, **fields, **_SAID}


def _deal(deal_id: str, buyers: list[str], targets: list[str]) -> dict[str, Any]:
    step = {"status": "agreed", "date": "2025-03", **_SAID}
    return {"id": deal_id, "kind": "acquisition", "buyers": buyers, "targets": targets, "history": [step], **_SAID}


SPEC: dict[str, list[dict[str, Any]]] = {
    "sources": [{"id": "s", "title": "A fictional article", "published": "2025-06", "kind": "article"}],
    "groups": [],
    "firms": [
        {"id": "hold", "name": "Hold", **_SAID},
        {"id": "arm", "name": "Arm", "parent": "hold", "inferred": ["parent"], **_SAID},  # Hold's by an inference
        {"id": "toe", "name": "Toe", "parent": "arm", **_SAID},  # stated, under the inferred link
        {"id": "sib", "name": "Sib", "parent": "hold", **_SAID},  # stated
        {"id": "orig", "name": "Orig", **_SAID},
    ],
    "people": [{"id": p, "name": p.title(), **_SAID} for p in ("ann", "bob", "cat", "dan")],
    "tenures": [
        _spell("ann", "orig", start="2023-01", end="2024-01", end_cause="left"),
        _spell("ann", "toe", start="2024-02", end="2025-01", end_cause="left", after="ann-orig"),
        _spell("bob", "orig", start="2023-01", end="2024-01", end_cause="left"),
        _spell("bob", "sib", start="2024-02", end="2025-01", end_cause="left", after="bob-orig"),
        _spell("cat", "arm", start="2024-05", current=True),
        _spell("dan", "hold", start="2024-06", current=True),
    ],
    "deals": [
        _deal("d-toe", ["toe"], ["orig"]),  # Hold's only through the inferred link
        _deal("d-both", ["toe", "hold"], ["orig"]),  # Hold itself is a party: stated
        _deal("d-sib", ["sib"], ["orig"]),
    ],
    "products": [
        {"id": "arm-app", "name": "Arm App", "kind": "app", "maker": "arm", **_SAID},
        {"id": "guess-app", "name": "Guess App", "kind": "app", "maker": "hold", "inferred": ["maker"], **_SAID},
    ],
    "events": [
        {
            "id": "e-arm",
            "kind": "statement",
            "subjects": ["arm-app"],
            "date": "2025-02",
            "text": "Arm App ships",
            **_SAID,
        },
        {"id": "e-guess", "kind": "statement", "subjects": ["guess-app"], "date": "2025-03", "text": "Guess", **_SAID},
        {"id": "e-sib", "kind": "statement", "subjects": ["sib", "arm"], "date": "2025-04", "text": "Both", **_SAID},
    ],
    "metrics": [],
    "claims": [],
}


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("reach") / "data"
    write_spec(folder, SPEC)
    return folder


@pytest.fixture(scope="module")
def kb(data: Path) -> KnowledgeBase:
    return load(data)


def _json(data: Path, *args: str) -> Any:
    result = run_cli("--data", str(data), *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("option", ["left", "joined", "at"])
def test_people_on_a_firm_mark_units_reached_by_an_inferred_parent(kb: KnowledgeBase, option: str) -> None:
    filters: dict[str, Any] = {option: "hold"}
    rows = queries.people(kb, **filters)
    assert rows == oracle.people_rows(SPEC, **filters)
    marked = {row["firm"]: (row["firm_name"], "parent" in row["inferred"]) for row in rows}
    # Toe and Arm are below Hold only through Arm's inferred parent; Sib and Hold itself are stated
    expected = {"toe": ("Toe" + MARK, True), "arm": ("Arm" + MARK, True), "sib": ("Sib", False)}
    expected["hold"] = ("Hold", False)
    assert marked == {firm: expected[firm] for firm in marked}
    assert rows, "the fictional knowledge base has rows for every option"


def test_people_on_the_unit_itself_are_not_marked(kb: KnowledgeBase) -> None:
    """Below Arm, Toe is stated: a listing on Arm marks nothing."""
    rows = queries.people(kb, left="arm")
    assert [(row["firm_name"], row["inferred"]) for row in rows] == [("Toe", [])]


def test_flows_to_a_firm_mark_the_side_reached_by_an_inferred_parent(kb: KnowledgeBase) -> None:
    answer = flow_answer(kb, destination="hold")
    sides = {(row["origin_name"], row["destination_name"], "parent" in row["inferred"]) for row in answer.rows}
    assert sides == {("Orig", "Toe" + MARK, True), ("Orig", "Sib", False)}
    assert [(r["origin"], r["destination"], r["people"]) for r in answer.rows] == oracle.flows(
        SPEC, destination="hold", unstated=True
    )
    back = flow_answer(kb, origin="hold")  # from Hold: Ann and Bob left nothing below it for elsewhere
    assert all("parent" not in row["inferred"] for row in back.rows)


def test_deals_with_a_party_mark_units_reached_by_an_inferred_parent(kb: KnowledgeBase) -> None:
    found = queries.deals(kb, party="hold")
    assert found == oracle.deal_rows(SPEC, party="hold")
    rows = {row["deal"]: (row["buyer_names"], "parent" in row["inferred"]) for row in found}
    assert rows == {
        "d-toe": (["Toe" + MARK], True),
        "d-both": (["Toe", "Hold"], False),  # Hold itself is a buyer: the row is Hold's as stated
        "d-sib": (["Sib"], False),
    }


def test_timeline_of_a_firm_marks_facts_reached_by_inferred_links(kb: KnowledgeBase) -> None:
    rows = queries.timeline(kb, firm="hold")
    assert rows == oracle.timeline_rows(SPEC, firm="hold")
    texts = {row["record"]: (row["text"], row["inferred"]) for row in rows if row["record"].startswith("e-")}
    assert texts == {
        "e-arm": ("Arm App ships" + MARK, ["parent"]),  # made by Arm, Hold's by an inference
        "e-guess": ("Guess (maker inferred)", ["maker"]),  # made by Hold, by an inference
        "e-sib": ("Both", []),  # Sib is Hold's as stated
    }


def test_the_command_line_carries_the_marks(data: Path) -> None:
    """JSON and the table say the same as the library."""
    rows = _json(data, "people", "--joined", "hold")
    assert {row["firm_name"] for row in rows} >= {"Toe" + MARK, "Arm" + MARK}
    table = run_cli("--data", str(data), "flows", "--to", "hold", env={"COLUMNS": "120"})
    assert table.exit_code == 0 and "Toe (parent inferred)" in table.stdout


def test_bundled_deepmind_is_googles_only_by_an_inference() -> None:
    """The bundled data: Kavukcuoglu's DeepMind role is no plain Google hire."""
    rows = _json(Path(__file__).resolve().parents[1] / "data", "people", "--joined", "google")
    deepmind = [row for row in rows if row["firm"] == "deepmind"]
    assert deepmind and all(row["firm_name"] == "DeepMind" + MARK and "parent" in row["inferred"] for row in deepmind)
    assert all("parent" not in row["inferred"] for row in rows if row["firm"] == "google")
