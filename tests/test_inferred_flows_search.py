"""A `flows` move and a `search` row say what they rest on that is an inference (README, "An
inference says it is one"): a move's origin worked out as the person's current firm (the deal
names none), a move out of a spell inferred as a whole, a move of a person a spell left is
inferred for, and a name its record marks inferred, in `flows`' names and `search`'s name and
the firm of a title it found.

On the bundled data and on a small fictional knowledge base written here (every name made up)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import cli_json as _json
from tests.conftest import cli_text as _cli
from tests.conftest import write_spec

_SAID = {"source": "s", "quote": "a quote"}


# --- the bundled data ---------------------------------------------------------------------------


def test_bundled_flows_take_a_stated_current_firm_as_the_origin_unmarked() -> None:
    """data/deals.yaml: meta-gross-friedman-recruitment names Daniel Gross, not the firm he leaves;
    SSI is his current firm, and the article that dates the talks (~2025-06) says so in words
    (data/tenures.yaml: gross-ssi-ceo, 'SSI的现任CEO格罗斯'), so the origin is no inference.
    Scale AI is the stake deal's stated target, so that move is not marked either (it is shown
    with Wang's planned role in Meta's unit: tests/test_flows_distinct_people.py)."""
    rows = {(row["origin"], row["destination"]): row["status"] for row in _json("flows")}
    assert rows[("ssi", "meta")] == ["deal in_talks"]
    assert rows[("scale-ai", "meta-superintelligence-team")] == ["planned", "deal agreed (to Meta)"]
    assert "origin inferred" not in " ".join(_cli("flows").split())


# --- a fictional knowledge base -----------------------------------------------------------------


def _spell(spell: str, person: str, firm: str, **more: Any) -> dict[str, Any]:
    return {"id": spell, "person": person, "firm": firm, **more, **_SAID}


def _spec() -> dict[str, list[dict[str, Any]]]:
    left = {"end": "2024-01", "end_cause": "left"}
    return {
        "sources": [{"id": "s", "title": "A fictional article", "published": "2025-01", "kind": "article"}],
        "groups": [],
        "firms": [
            {"id": "orb", "name": "Orb", "inferred": ["name"], **_SAID},
            {"id": "nova", "name": "Nova", "name_zh": "新星", "inferred": ["name_zh"], **_SAID},
            {"id": "pip", "name": "Pip", **_SAID},
            {"id": "quo", "name": "Quo", **_SAID},
            {"id": "rex", "name": "Rex", **_SAID},
            {"id": "sol", "name": "Sol", **_SAID},
        ],
        "people": [
            {"id": "eve", "name": "Eve", "inferred": ["name"], **_SAID},
            *({"id": p, "name": p.title(), **_SAID} for p in ("ann", "bo", "cy", "di")),
        ],
        "tenures": [
            # Eve, whose name is inferred, moves from Orb to Nova, whose names are
            _spell("t-eve-orb", "eve", "orb", **left),
            _spell("t-eve-nova", "eve", "nova", title="Chief Pilot", start="2024-02", after="t-eve-orb"),
            # a move out of a spell inferred as a whole
            _spell("t-ann-sol", "ann", "sol", certainty="inferred", **left),
            _spell("t-ann-pip", "ann", "pip", start="2024-02", after="t-ann-sol"),
            # a move of a person only the spell left says is theirs
            _spell("t-bo-rex", "bo", "rex", inferred=["person"], **left),
            _spell("t-bo-pip", "bo", "pip", start="2024-02", after="t-bo-rex"),
            # Cy's current firm, which the deal below does not name
            _spell("t-cy-quo", "cy", "quo", title="Head of Orbits", current=True),
            _spell("t-di-rex", "di", "rex", current=True),
        ],
        "deals": [
            {
                "id": "d-cy",
                "kind": "recruitment",
                "buyers": ["pip"],
                "targets": ["cy"],
                "people": ["cy"],
                "history": [{"date": "2024-06", "status": "agreed", **_SAID}],
                **_SAID,
            },
            {
                "id": "d-di",
                "kind": "acquihire",
                "buyers": ["quo"],
                "targets": ["rex"],
                "people": ["di"],
                "history": [{"date": "2024-06", "status": "agreed", **_SAID}],
                **_SAID,
            },
        ],
        "events": [],
        "metrics": [],
        "products": [],
        "claims": [],
    }


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("inferred-flows-search")
    write_spec(folder, _spec())
    return str(folder)


def _flows(data: str) -> dict[tuple[str, str], dict[str, Any]]:
    return {(row["origin"], row["destination"]): row for row in _json("--data", data, "flows")}


def test_a_deal_move_from_the_current_firm_says_its_origin_is_inferred(data: str) -> None:
    """Cy's spell at Quo has no start, and the only source calling it current was published in
    2025-01, after the deal (2024-06): nothing places him at Quo on the deal's date."""
    rows = _flows(data)
    assert rows[("quo", "pip")]["status"] == ["deal agreed (cy: origin inferred)"]
    assert rows[("rex", "quo")]["status"] == ["deal agreed"]  # the deal names Rex, the firm Di leaves


def test_a_move_out_of_an_inferred_spell_says_its_origin_is_inferred(data: str) -> None:
    assert _flows(data)[("sol", "pip")]["status"] == ["moved (ann: origin inferred)"]


def test_a_move_whose_earlier_spell_infers_the_person_marks_the_name(data: str) -> None:
    bo = _flows(data)[("rex", "pip")]
    assert (bo["people"], bo["names"], bo["status"]) == (["bo"], ["Bo (inferred)"], ["moved"])


def test_flows_mark_names_their_records_mark_inferred(data: str) -> None:
    eve = _flows(data)[("orb", "nova")]
    assert (eve["origin_name"], eve["destination_name"], eve["names"], eve["status"]) == (
        "Orb (inferred)",
        "Nova (新星 (inferred))",  # only the Chinese name is inferred: the mark is on it
        ["Eve (inferred)"],
        ["moved"],
    )
    table = " ".join(_cli("--data", data, "flows", width=120).split())
    assert "Orb (inferred)" in table and "Eve (inferred)" in table


def test_search_marks_a_name_its_record_marks_inferred(data: str) -> None:
    (orb,) = [row for row in _json("--data", data, "search", "Orb") if row["kind"] == "firm"]
    assert (orb["name"], orb["matched"]) == ("Orb (inferred)", "Orb (inferred)")
    (nova,) = _json("--data", data, "search", "新星")
    assert (nova["name"], nova["field"], nova["matched"]) == (
        "Nova (新星 (inferred))",
        "Chinese name",
        "新星 (inferred)",
    )
    (pilot,) = _json("--data", data, "search", "Chief Pilot")
    assert (pilot["name"], pilot["field"]) == ("Eve (inferred)", "title at Nova (新星 (inferred))")
    (pip,) = _json("--data", data, "search", "Pip")
    assert (pip["name"], pip["matched"]) == ("Pip", "Pip")  # stated: unmarked
    assert "Orb (inferred)" in _cli("--data", data, "search", "Orb", width=120)
