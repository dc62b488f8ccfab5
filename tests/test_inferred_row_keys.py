"""`flows` and `search` rows name what they rest on that is an inference in an `inferred` key, as
`people`, `deals` and `timeline` rows do, so a JSON or CSV reader need not parse the texts; a
`path` hop through a group whose membership is inferred says so; a `people` row marks a name
its person's or firm's own record infers (README, "An inference says it is one").

On the bundled data (data/groups.yaml: four-strong `certainty: inferred`; data/deals.yaml:
meta-gross-friedman-recruitment names no firm Daniel Gross leaves, his stated spell does) and on a small fictional
knowledge base written here (every name made up)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import cli_json as _json
from tests.conftest import cli_text as _cli
from tests.conftest import write_spec

_SAID = {"source": "s", "quote": "a quote"}
_LEFT = {"end": "2024-01", "end_cause": "left"}


def _csv(*args: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_cli(*args, "--format", "csv"))))


# --- the bundled data ---------------------------------------------------------------------------


def test_bundled_flows_name_no_inference() -> None:
    """Daniel Gross's origin, SSI, is his current firm, which the article dating the talks states
    (tests/test_inferred_flows_search.py): no bundled move rests on an inference."""
    rows = {(row["origin"], row["destination"]): row["inferred"] for row in _json("flows")}
    assert rows == {("ssi", "meta"): [], ("scale-ai", "meta-superintelligence-team"): [], (None, "meta"): []}
    lines = {(line["origin"], line["destination"]): line["inferred"] for line in _csv("flows")}
    assert lines[("ssi", "meta")] == "" and lines[("scale-ai", "meta-superintelligence-team")] == ""


def test_bundled_path_through_an_inferred_group_says_so() -> None:
    """MiniMax's membership of the four little strong is read, not stated; of the six, stated."""
    rows = _json("path", "minimax", "four-strong")
    relations = [(row["from"], row["relation"], row["to"]) for row in rows]
    assert relations[0] == ("minimax", "member of (membership inferred)", "four-strong")
    assert ("minimax", "member of", "six-dragons") in relations
    assert ("six-dragons", "has member", "moonshot") in relations
    for start, relation, end in relations:
        assert relation.endswith("(membership inferred)") == (end == "four-strong"), (start, relation, end)
    (back, *_) = _json("path", "four-strong", "minimax")
    assert back["relation"] == "has member (membership inferred)"
    assert "member of (membership inferred)" in _cli("path", "minimax", "four-strong", width=160)


def test_bundled_search_rows_name_an_inferred_alias() -> None:
    (alias,) = _json("search", "Meta AI lab")
    assert alias["inferred"] == ["aliases"]
    (group,) = _json("search", "四小强")  # the name is the source's word; only its members are read
    assert (group["id"], group["matched"], group["inferred"]) == ("four-strong", "四小强", [])


# --- a fictional knowledge base -----------------------------------------------------------------


def _spell(spell: str, person: str, firm: str, **more: Any) -> dict[str, Any]:
    return {"id": spell, "person": person, "firm": firm, **more, **_SAID}


def _deal(deal: str, buyer: str, person: str, **step: Any) -> dict[str, Any]:
    history = [{"date": "2024-06", "status": "agreed", **step, **_SAID}]
    return {"id": deal, "kind": "acquihire", "buyers": [buyer], "targets": [person], "people": [person], **_SAID} | {
        "history": history
    }


def _spec() -> dict[str, list[dict[str, Any]]]:
    return {
        "sources": [{"id": "s", "title": "A fictional article", "published": "2025-01", "kind": "article"}],
        "groups": [
            {"id": "said", "name": "Said Five", **_SAID},
            {"id": "read", "name": "Read Four", "certainty": "inferred", **_SAID},
        ],
        "firms": [
            {"id": "orb", "name": "Orb", "inferred": ["name"], **_SAID},
            {"id": "nova", "name": "Nova", "name_zh": "新星", "inferred": ["name_zh"], **_SAID},
            {"id": "pip", "name": "Pip", "groups": ["said", "read"], **_SAID},
            {"id": "quo", "name": "Quo", "groups": ["said"], "inferred": ["groups"], **_SAID},
            *({"id": firm, "name": firm.title(), **_SAID} for firm in ("rex", "sol", "tam", "uma", "vex")),
        ],
        "people": [
            {"id": "eve", "name": "Eve", "name_zh": "伊芙", "inferred": ["name", "name_zh"], **_SAID},
            *({"id": p, "name": p.title(), **_SAID} for p in ("ann", "bo", "cy", "di", "fay", "gus", "hal")),
        ],
        "tenures": [
            # Eve (her names inferred) at Orb (its name inferred)
            _spell("t-eve-orb", "eve", "orb", title="Chief Pilot", **_LEFT),
            # Ann moves to Rex, a firm and a move the spell infers
            _spell("t-ann-sol", "ann", "sol", **_LEFT),
            _spell("t-ann-rex", "ann", "rex", start="2024-02", after="t-ann-sol", inferred=["firm", "after"]),
            # Bo: only the spell left says it is his
            _spell("t-bo-sol", "bo", "sol", inferred=["person"], **_LEFT),
            _spell("t-bo-tam", "bo", "tam", start="2024-02", after="t-bo-sol"),
            # Cy joins a spell inferred as a whole; Di one whose certainty the source implies
            _spell("t-cy-sol", "cy", "sol", **_LEFT),
            _spell("t-cy-uma", "cy", "uma", start="2024-02", after="t-cy-sol", certainty="inferred"),
            _spell("t-di-tam", "di", "tam", **_LEFT),
            _spell(
                "t-di-uma", "di", "uma", start="2024-02", after="t-di-tam", certainty="planned", inferred=["certainty"]
            ),
            # Fay and Gus: current at Vex, moved by deals; Hal's move is stated throughout
            _spell("t-fay-vex", "fay", "vex", title="Head of Orbits", current=True),
            _spell("t-gus-vex", "gus", "vex", current=True),
            _spell("t-hal-tam", "hal", "tam", **_LEFT),
            _spell("t-hal-vex", "hal", "vex", start="2024-02", after="t-hal-tam"),
        ],
        "deals": [
            # a latest step inferred as a whole; a status the step infers
            _deal("d-fay", "pip", "fay", certainty="inferred"),
            _deal("d-gus", "quo", "gus", inferred=["status"]),
        ],
        "events": [],
        "metrics": [],
        "products": [
            {
                "id": "kite",
                "name": "Kite",
                "kind": "app",
                "maker": "pip",
                "category": "orbit planner",
                "inferred": ["category"],
                **_SAID,
            }
        ],
        "claims": [],
    }


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("inferred-row-keys")
    write_spec(folder, _spec())
    return str(folder)


def _flows(data: str) -> dict[tuple[str, str], dict[str, Any]]:
    return {(row["origin"], row["destination"]): row for row in _json("--data", data, "flows")}


def test_a_flow_names_each_inference_its_moves_rest_on(data: str) -> None:
    rows = _flows(data)
    inferred = {pair: row["inferred"] for pair, row in rows.items()}
    assert inferred[("sol", "rex")] == ["destination", "move"]
    assert rows[("sol", "rex")]["status"] == ["moved (ann: destination, move inferred)"]
    assert inferred[("sol", "tam")] == ["people"]  # Bo: the spell he left infers him
    assert rows[("sol", "tam")]["names"] == ["Bo (inferred)"]
    assert inferred[("tam", "vex")] == []  # Hal: stated throughout
    # Cy and Di into Uma: a spell inferred as a whole ('inferred'), a certainty inferred
    assert (rows[("sol", "uma")]["status"], inferred[("sol", "uma")]) == (["inferred"], ["status"])
    assert (rows[("tam", "uma")]["status"], inferred[("tam", "uma")]) == (["planned (inferred)"], ["status"])


def test_a_deal_move_whose_step_is_inferred_says_so(data: str) -> None:
    """Fay and Gus are current at Vex, which neither deal names: an inferred origin too."""
    rows = _flows(data)
    fay, gus = rows[("vex", "pip")], rows[("vex", "quo")]
    assert (fay["status"], fay["inferred"]) == (["deal agreed (inferred) (fay: origin inferred)"], ["origin", "status"])
    assert (gus["status"], gus["inferred"]) == (["deal agreed (inferred) (gus: origin inferred)"], ["origin", "status"])
    lines = {(line["origin"], line["destination"]): line["inferred"] for line in _csv("--data", data, "flows")}
    assert lines[("vex", "pip")] == "origin; status"
    assert "deal agreed (inferred)" in " ".join(_cli("--data", data, "flows", width=120).split())


def test_search_rows_name_their_inferred_fields(data: str) -> None:
    (eve,) = _json("--data", data, "search", "Eve")
    assert (eve["name"], eve["inferred"]) == ("Eve (伊芙) (inferred)", ["name", "name_zh"])
    (nova,) = _json("--data", data, "search", "新星")
    assert (nova["matched"], nova["inferred"]) == ("新星 (inferred)", ["name_zh"])
    (pilot,) = _json("--data", data, "search", "Chief Pilot")  # Eve's name, and nothing the spell infers
    assert (pilot["field"], pilot["inferred"]) == ("title at Orb (inferred)", ["name", "name_zh"])
    (fay,) = _json("--data", data, "search", "Head of Orbits")
    assert (fay["id"], fay["inferred"]) == ("fay", [])
    (kite,) = _json("--data", data, "search", "orbit planner")
    assert (kite["matched"], kite["inferred"]) == ("orbit planner (inferred)", ["category"])
    (pip,) = _json("--data", data, "search", "Pip")
    assert (pip["matched"], pip["inferred"]) == ("Pip", [])


def test_search_names_what_a_title_rests_on(tmp_path: Path) -> None:
    spec = _spec()  # one more spell, which infers its person, firm and title
    spec["tenures"].append(_spell("t-ann-hat", "ann", "pip", title="Hat Keeper", inferred=["person", "firm", "title"]))
    write_spec(tmp_path, spec)
    (hat,) = _json("--data", str(tmp_path), "search", "Hat Keeper")
    assert (hat["field"], hat["matched"], hat["inferred"]) == (
        "title at Pip (inferred) (person inferred)",
        "Hat Keeper (inferred)",
        ["person", "firm", "title"],
    )


def test_a_path_through_a_read_group_says_so_and_a_said_one_does_not(data: str) -> None:
    relations = {(row["from"], row["to"]): row["relation"] for row in _json("--data", data, "path", "pip", "read")}
    assert relations[("pip", "read")] == "member of (membership inferred)"
    said = {(row["from"], row["to"]): row["relation"] for row in _json("--data", data, "path", "pip", "said")}
    assert said[("pip", "said")] == "member of"
    quo = {(row["from"], row["to"]): row["relation"] for row in _json("--data", data, "path", "said", "quo")}
    assert quo[("said", "quo")] == "has member (groups inferred)"  # Quo's own record infers it


def test_a_people_row_marks_names_their_records_infer(data: str) -> None:
    (row,) = [row for row in _json("--data", data, "people") if row["tenure"] == "t-eve-orb"]
    assert (row["name"], row["name_zh"], row["firm_name"]) == ("Eve (inferred)", "伊芙 (inferred)", "Orb (inferred)")
    assert row["inferred"] == []  # the spell's own fields are stated
    (career,) = _json("--data", data, "person", "eve")["career"]
    assert career["firm_name"] == "Orb (inferred)"
    (stated,) = [row for row in _json("--data", data, "people") if row["tenure"] == "t-hal-vex"]
    assert (stated["name"], stated["firm_name"]) == ("Hal", "Vex")
    table = _cli("--data", data, "people", width=160)
    assert "Orb (inferred)" in table and "伊芙 (inferred)" in table
