"""A firm's row and profile never overstate (README, "What left means", "An inference says it is
one"): a departure count says what each departure was (a move to advisor is not a plain
departure), and a row a profile lists only through an inferred link (a unit's inferred parent,
an inferred group membership, a product's inferred maker) says so, in the table, in JSON and in a
section's CSV.

On the bundled data (StepFun's and MiniMax's advisor moves) and on a fictional knowledge base
written here: every firm, person and source in it is made up."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pytest

from aiorg.queries import shapes
from tests.conftest import run_cli, write_spec

_SAID = {"source": "s", "quote": "a quote"}


def _cli(*args: str, width: int = 120) -> str:
    result = run_cli(*args, env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _flat(table: str) -> str:
    """A table with each run of spaces as one: cells padded to any width read the same."""
    return re.sub(" +", " ", table)


def _json(*args: str) -> Any:
    return json.loads(_cli(*args, "--format", "json"))


def _csv(*args: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_cli(*args, "--format", "csv"))))


def _titles(table: str) -> list[str]:
    """The section titles of a profile's table: 'Products (2)'."""
    return [line for line in table.splitlines() if line.endswith(")") and not line.startswith(("│", "Id:"))]


def _counts(row: dict[str, Any]) -> tuple[int, ...]:
    return tuple(row[key] for key in ("departures", "formal_departures", "advisor_moves", "reported_departures"))


# --- departures say what they were --------------------------------------------------------------


def test_bundled_advisor_moves_are_not_counted_as_plain_departures() -> None:
    """StepFun's only 'departure' is 张心皓's move to advisor: `Departures 1` and `People who
    left (1)` called it a plain departure."""
    rows = {row["firm"]: row for row in _json("firms", "--group", "四小强")}
    assert _counts(rows["stepfun"]) == (1, 0, 1, 0)
    assert _counts(rows["minimax"]) == (2, 1, 1, 0)  # Wei Wei left; 张前川 moved to advisor
    table = _cli("firms", "--group", "四小强", width=80)
    departures = [line.split(maxsplit=1)[1] for line in table.splitlines() if line.startswith("Departures")]
    assert departures == ["1 left; 1 moved to advisor", "1 left", "1 moved to advisor", "1 left"]
    assert "People who moved to an advisor role (1)" in _titles(_cli("firm", "阶跃星辰"))
    assert "People who left or moved to an advisor role (2)" in _titles(_cli("firm", "minimax"))
    assert "People who left (1)" in _titles(_cli("firm", "zhipu"))
    stepfun = _json("firm", "stepfun")
    assert _counts(stepfun) == (1, 0, 1, 0) and len(stepfun["people_left"]) == 1


def _person(person_id: str) -> dict[str, Any]:
    return {"id": person_id, "name": person_id.title() + " Example", **_SAID}


def _spell(person: str, firm: str, **fields: Any) -> dict[str, Any]:
    return {"id": f"{person}-{firm}", "person": person, "firm": firm, "title": "Engineer", **fields, **_SAID}


def _told(**fields: Any) -> dict[str, Any]:
    """What the later statement `t` says of a spell."""
    return {"source": "t", "quote": "q", **fields}


def _spec() -> dict[str, list[dict[str, Any]]]:
    ended = {"end": "2024-06"}
    return {
        "sources": [
            {"id": "s", "title": "A fictional article", "published": "2025-01", "kind": "article"},
            {"id": "t", "title": "A later fictional statement", "published": "2025-06", "kind": "official_statement"},
        ],
        "groups": [
            {"id": "said", "name": "Said Five", **_SAID},
            {"id": "read", "name": "Read Four", "certainty": "inferred", **_SAID},
        ],
        "firms": [
            {"id": "acme", "name": "Acme", **_SAID},
            {"id": "hold", "name": "Hold", **_SAID},
            {"id": "arm", "name": "Arm", "parent": "hold", "inferred": ["parent"], **_SAID},
            {"id": "toe", "name": "Toe", "parent": "arm", **_SAID},  # stated, under an inferred parent
            {"id": "sib", "name": "Sib", "parent": "hold", **_SAID},
            {"id": "pip", "name": "Pip", "groups": ["said", "read"], **_SAID},
            {"id": "origco", "name": "Origco", **_SAID},
        ],
        "people": [_person(p) for p in ("ann", "bob", "cat", "dan", "eve", "fay", "gus", "hal", "ivy", "jon")],
        "tenures": [
            _spell("ann", "acme", end_cause="left", **ended),
            _spell("bob", "acme", end_cause="founded", **ended),
            _spell("cat", "acme", end_cause="advisor", **ended),
            _spell("dan", "acme", end_cause="reported", **ended),
            # the firm's later statement says advisor: a contested departure, never a plain one
            _spell("eve", "acme", end_cause="left", **ended, also=[_told(end_cause="advisor")]),
            # left, or left to found a company: a formal departure either way
            _spell("fay", "acme", end_cause="left", **ended, also=[_told(end_cause="founded")]),
            # another source says the role is still held
            _spell("gus", "acme", end_cause="left", **ended, also=[_told(current=True)]),
            _spell("hal", "acme", end_cause="demoted", **ended),  # not a departure
            _spell("ivy", "toe", current=True),
            _spell("jon", "sib", current=True),
        ],
        "deals": [
            _deal("d-toe", ["toe"]),
            _deal("d-both", ["toe", "hold"]),
        ],
        "products": [
            {"id": "toe-app", "name": "Toe App", "kind": "app", "maker": "toe", **_SAID},
            {"id": "guess-app", "name": "Guess App", "kind": "app", "maker": "hold", "inferred": ["maker"], **_SAID},
            {"id": "hold-app", "name": "Hold App", "kind": "app", "maker": "hold", **_SAID},
        ],
        "metrics": [
            {"id": "m-toe", "subject": "toe-app", "metric": "dau", "value": 5, "unit": "users", **_SAID},
            {"id": "m-hold", "subject": "hold", "metric": "headcount", "value": 9, "unit": "people", **_SAID},
        ],
        "claims": [
            {"id": "c-read", "subjects": ["read"], "strategy": "retrench", "text": "The four cut staff", **_SAID},
            {"id": "c-pip", "subjects": ["pip", "read"], "strategy": "retrench", "text": "Pip cuts staff", **_SAID},
            {"id": "c-toe", "subjects": ["toe"], "strategy": "retrench", "text": "Toe cuts staff", **_SAID},
        ],
        "events": [
            _event("e-read", ["read"], "The four reorganise"),
            _event("e-pip", ["pip", "read"], "Pip and the four reorganise"),
            _event("e-toe", ["toe"], "Toe reorganises"),
            _event("e-guess", ["guess-app"], "Guess App ships"),
            _event("e-hold", ["hold-app"], "Hold App ships"),
        ],
    }


def _deal(deal_id: str, buyers: list[str]) -> dict[str, Any]:
    step = {"date": "2024-09", "status": "completed", **_SAID}
    return {"id": deal_id, "kind": "acquisition", "title": deal_id, "buyers": buyers, "targets": ["origco"]} | {
        "history": [step],
        **_SAID,
    }


def _event(event_id: str, subjects: list[str], text: str) -> dict[str, Any]:
    return {"id": event_id, "kind": "reorganisation", "date": "2024-03", "subjects": subjects, "text": text, **_SAID}


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("firm-counts-reach")
    write_spec(folder, _spec())
    return str(folder)


def test_departures_are_counted_by_what_each_was(data: str) -> None:
    (acme,) = [row for row in _json("--data", data, "firms") if row["firm"] == "acme"]
    # ann, bob, fay (left | founded); cat; dan; eve (left | advisor) and gus (left | still held)
    assert (*_counts(acme), acme["disputed_departures"]) == (7, 3, 1, 1, 2)
    assert acme["departures"] == sum(_counts(acme)[1:]) + acme["disputed_departures"]
    table = _cli("--data", data, "firms", "--limit", "1", width=200)
    assert "3 left; 1 moved to advisor; 1 reportedly left; 2 disputed" in table
    profile = _json("--data", data, "firm", "acme")
    assert len(profile["people_left"]) == profile["departures"]
    title = "People who left, moved to an advisor role or were reported to have left"
    title += ", or whose departure is disputed (7)"
    assert title in _titles(_cli("--data", data, "firm", "acme", width=200))


# --- rows there only through an inference say so ------------------------------------------------


def _inferred(profile: dict[str, Any], section: str, key: str) -> dict[str, list[str]]:
    return {str(row[key]): row["inferred"] for row in profile[section]}


def test_rows_there_only_through_an_inferred_parent_say_so(data: str) -> None:
    hold = _json("--data", data, "firm", "hold")
    assert _inferred(hold, "people_joined", "person") == {"ivy": ["parent"], "jon": []}
    assert _inferred(hold, "deals_as_buyer", "deal") == {"d-toe": ["parent"], "d-both": []}
    assert _inferred(hold, "products", "product") == {"toe-app": ["parent"], "guess-app": ["maker"], "hold-app": []}
    assert _inferred(hold, "metrics", "metric") == {"dau": ["parent"], "headcount": []}
    assert _inferred(hold, "claims", "claim") == {"c-toe": ["parent"]}
    assert _inferred(hold, "events", "event") == {"e-toe": ["parent"], "e-guess": ["maker"], "e-hold": []}
    # the profile's `inferred` gives the same lists, and comes last
    assert hold["inferred"]["people_joined"] == [["parent"], []]
    assert list(hold)[-1] == "inferred"
    table = _flat(_cli("--data", data, "firm", "hold", width=200))
    for text in (
        "Ivy Example │ Toe (parent inferred)",
        "Jon Example │ Sib │",
        "d-toe │ Toe (parent inferred) │",
        "d-both │ Toe; Hold │",  # there through Hold itself: nothing to mark
        "Toe App (parent inferred)",
        "Guess App (maker inferred)",
        "toe-app (parent inferred)",
        "Toe cuts staff (parent inferred)",
        "Toe reorganises (parent inferred)",
        "Guess App ships (maker inferred)",
        "Hold App ships │",
    ):
        assert text in table, text


def test_a_count_through_an_inferred_parent_says_so(data: str) -> None:
    rows = {row["firm"]: row for row in _json("--data", data, "firms")}
    # ivy is counted only through toe, below hold by arm's inferred parent; jon through sib, stated
    assert (rows["hold"]["people"], rows["hold"]["deals"], rows["hold"]["inferred"]) == (2, 2, ["people", "deals"])
    assert rows["sib"]["inferred"] == [] and rows["arm"]["inferred"] == ["parent"]
    table = _cli("--data", data, "firms", width=200)
    (line,) = [line for line in table.splitlines() if line.startswith("│ hold ")]
    assert [cell.strip() for cell in line.split("│")[-4:-1]] == ["2 (parent inferred)", "0", "2 (parent inferred)"]
    assert _json("--data", data, "firm", "hold")["inferred"]["firm"] == ["people", "deals"]


def test_rows_there_only_through_an_inferred_membership_say_so(data: str) -> None:
    pip = _json("--data", data, "firm", "pip")
    # c-pip and e-pip name Pip itself: they are Pip's whatever its groups are
    assert _inferred(pip, "claims", "claim") == {"c-read": ["via"], "c-pip": []}
    assert _inferred(pip, "events", "event") == {"e-read": ["groups"], "e-pip": []}
    assert pip["inferred"]["claims"] == [["via"], []]
    table = _flat(_cli("--data", data, "firm", "pip", width=200))
    assert "The four reorganise (groups inferred)" in table
    assert "Pip and the four reorganise │" in table


def test_a_sections_csv_and_json_keep_what_the_table_marks(data: str) -> None:
    for section, keys, key in (
        ("claims", shapes.CLAIM, "claim"),
        ("events", shapes.EVENT, "event"),
        ("products", shapes.PRODUCT, "product"),
        ("metrics", shapes.METRIC, "metric"),
        ("people_joined", shapes.SPELL, "person"),
        ("deals_as_buyer", shapes.DEAL, "deal"),
    ):
        for firm in ("hold", "pip"):
            profile = _json("--data", data, "firm", firm)
            rows = _csv("--data", data, "firm", firm, "--section", section)
            assert [tuple(row) for row in rows[:1]] in ([], [keys])
            expected = {str(row[key]): "; ".join(row["inferred"]) for row in profile[section]}
            assert {row[key]: row["inferred"] for row in rows} == expected, (firm, section)
            assert _json("--data", data, "firm", firm, "--section", section) == profile[section]
    assert {row["claim"]: row["inferred"] for row in _csv("--data", data, "firm", "pip", "--section", "claims")} == {
        "c-read": "via",
        "c-pip": "",
    }


def test_bundled_deepmind_cto_is_marked_in_googles_profile() -> None:
    google = _json("firm", "google")
    marks = [(row["firm"], row["inferred"]) for row in google["people_joined"] if row["person"] == "koray-kavukcuoglu"]
    assert sorted(marks) == [("deepmind", ["parent"]), ("google", ["start"])]  # start: 几乎…同一时期, worked out
    assert "DeepMind (parent inferred)" in _cli("firm", "google", width=200)
    assert list(google)[-1] == "inferred"
