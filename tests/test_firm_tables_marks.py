"""A firm row's departures mark the part an inference counts, not the part after it (README, "An
inference says it is one"): Ann left Arm, a unit under Hold through an inferred parent, and Bob
moved to advisor at Hold itself; the table said '1 left; 1 moved to advisor (parent inferred)',
marking the stated advisor move and leaving the inferred departure bare.

On a fictional knowledge base written here: every firm, person and source in it is made up."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from aiorg.cli.firm_tables import departures_text
from aiorg.queries.firm_counts import COUNTS
from tests.conftest import run_cli, write_spec

_SAID = {"source": "s", "quote": "a fictional quote"}
_ENDED: dict[str, Any] = {"end": "2024-06"}
#: the departure counts by cause, each with the end of a spell that lands in it
_CAUSES: dict[str, dict[str, Any]] = {
    "formal_departures": {"end_cause": "left"},
    "advisor_moves": {"end_cause": "advisor"},
    "reported_departures": {"end_cause": "reported"},
    # a later statement says advisor: sources disagree on what it was
    "disputed_departures": {"end_cause": "left", "also": [{"source": "t", "quote": "q", "end_cause": "advisor"}]},
}
_SHORT = {"formal_departures": "f", "advisor_moves": "a", "reported_departures": "r", "disputed_departures": "d"}
#: per holding firm: the causes of its spells at a unit below it by an inferred parent, and at itself
_FIRMS = {
    # the reviewer's case
    "hold": (["formal_departures"], ["advisor_moves"]),
    # each count through the unit, with every other cause stated at the firm itself
    **{f"h{_SHORT[key]}": ([key], [other for other in _CAUSES if other != key]) for key in _CAUSES},
    # two counts through the unit around a stated one
    "hfd": (["formal_departures", "disputed_departures"], ["advisor_moves"]),
}
#: the Departures cell each holding firm's row must show
_EXPECTED = {
    "hold": "1 left (parent inferred); 1 moved to advisor",
    "hf": "1 left (parent inferred); 1 moved to advisor; 1 reportedly left; 1 disputed",
    "ha": "1 left; 1 moved to advisor (parent inferred); 1 reportedly left; 1 disputed",
    "hr": "1 left; 1 moved to advisor; 1 reportedly left (parent inferred); 1 disputed",
    "hd": "1 left; 1 moved to advisor; 1 reportedly left; 1 disputed (parent inferred)",
    "hfd": "1 left (parent inferred); 1 moved to advisor; 1 disputed (parent inferred)",
}


def _spec() -> dict[str, list[dict[str, Any]]]:
    firms: list[dict[str, Any]] = []
    people: list[dict[str, Any]] = []
    tenures: list[dict[str, Any]] = []
    for firm, (through_unit, at_firm) in _FIRMS.items():
        unit = f"{firm}-unit"
        firms += [
            {"id": firm, "name": firm.title(), **_SAID},
            {"id": unit, "name": unit.title(), "parent": firm, "inferred": ["parent"], **_SAID},
        ]
        for where, keys in ((unit, through_unit), (firm, at_firm)):
            for key in keys:
                person = f"{where}-{_SHORT[key]}"
                people.append({"id": person, "name": person.title() + " Example", **_SAID})
                spell: dict[str, Any] = {"id": f"{person}-spell", "person": person, "firm": where, "title": "Engineer"}
                tenures.append(
                    spell
                    | _ENDED
                    | copy.deepcopy(_CAUSES[key])  # (a shared list would be written as a YAML anchor)
                    | _SAID
                )
    return {
        "sources": [
            {"id": "s", "title": "A fictional article", "published": "2025-01", "kind": "article"},
            {"id": "t", "title": "A later fictional statement", "published": "2025-06", "kind": "official_statement"},
        ],
        "firms": firms,
        "people": people,
        "tenures": tenures,
    }


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("firm-table-marks")
    write_spec(folder, _spec())
    return str(folder)


def _cli(*args: str) -> str:
    result = run_cli(*args, env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_the_fixture_counts_what_it_means_to(data: str) -> None:
    """Each holding firm's row names as inferred just the counts its unit's spells are in."""
    rows = {row["firm"]: row for row in json.loads(_cli("--data", data, "firms", "--format", "json"))}
    assert set(_CAUSES) <= set(COUNTS)  # every departure count by cause is one this test covers
    for firm, (through_unit, at_firm) in _FIRMS.items():
        assert set(rows[firm]["inferred"]) == {"people", "departures", *through_unit}, firm
        assert all(rows[firm][key] == 1 for key in [*through_unit, *at_firm]), firm


def test_departures_mark_each_part_an_inference_counts(data: str) -> None:
    table = _cli("--data", data, "firms")
    for firm, expected in _EXPECTED.items():
        (line,) = [line for line in table.splitlines() if line.startswith(f"│ {firm} ")]
        people, departures, deals = [cell.strip() for cell in line.split("│")[-4:-1]]
        assert (people, departures, deals) == (
            f"{len(_FIRMS[firm][0]) + len(_FIRMS[firm][1])} (parent inferred)",
            expected,
            "0",
        ), firm
        unit_line = next(line for line in table.splitlines() if line.startswith(f"│ {firm}-unit "))
        assert "inferred)" not in unit_line.split("│")[-3], firm  # the unit's own departures are its own


def test_a_departures_total_called_inferred_with_no_part_named_still_says_so() -> None:
    """Never expected from the counts (a part differs whenever the total does), but a table must
    not drop the mark the row's `inferred` gives."""
    row: dict[str, Any] = dict.fromkeys(COUNTS, 0) | {"departures": 1, "formal_departures": 1}
    assert departures_text(row | {"inferred": ["departures"]}) == "1 left (parent inferred)"
    assert departures_text(row | {"inferred": []}) == "1 left"
    assert departures_text(dict.fromkeys(COUNTS, 0) | {"inferred": []}) == "0"
