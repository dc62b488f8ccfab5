"""What a firm's profile lists because of an inference says so (README, "An inference says it is
one"): a unit below the firm through a parent its record marks inferred, a group the firm is an
inferred member of (the group's certainty is `inferred`, or the firm marks its `groups`
inferred), and a strategy claim shown only through such a group. In the table, and in JSON as the
profile's `inferred` (the ids stay bare).

On the bundled data (data/firms.yaml: deepmind `inferred: [parent]`; data/groups.yaml:
four-strong `certainty: inferred`) and on a small fictional knowledge base written here (every
name made up)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import cli_json as _json
from tests.conftest import cli_text as _cli
from tests.conftest import write_spec

_SAID = {"source": "s", "quote": "a quote"}


def _line(table: str, label: str) -> str:
    """The value of a profile's `Label: value` header line."""
    return next(line.removeprefix(f"{label}: ") for line in table.splitlines() if line.startswith(f"{label}: "))


# --- the bundled data ---------------------------------------------------------------------------


def test_bundled_google_lists_deepmind_as_a_unit_by_an_inferred_parent() -> None:
    assert _line(_cli("firm", "google"), "Units") == "deepmind (parent inferred)"
    google = _json("firm", "google")
    assert (google["units"], google["inferred"]["units"]) == (["deepmind"], [["parent"]])  # the id stays bare


def test_bundled_minimax_marks_its_inferred_group() -> None:
    table = _cli("firm", "minimax")
    assert _line(table, "Groups") == "six-dragons; four-strong (inferred)"
    assert "four-strong (inferred)" in " ".join(table.split())  # the claim via four-strong, wrapped
    minimax = _json("firm", "minimax")
    assert minimax["groups"] == ["six-dragons", "four-strong"]
    assert minimax["inferred"]["groups"] == [[], ["certainty"]]
    via = {row["claim"]: fields for row, fields in zip(minimax["claims"], minimax["inferred"]["claims"], strict=True)}
    assert via["claim-four-strong-focus"] == ["via"]
    assert via["claim-six-retrench"] == []


# --- a fictional knowledge base -----------------------------------------------------------------


def _spec() -> dict[str, list[dict[str, Any]]]:
    return {
        "sources": [{"id": "s", "title": "A fictional article", "published": "2025-01", "kind": "article"}],
        "groups": [
            {"id": "said", "name": "Said Five", **_SAID},
            {"id": "read", "name": "Read Four", "certainty": "inferred", **_SAID},
        ],
        "firms": [
            {"id": "hold", "name": "Hold", **_SAID},
            {"id": "arm", "name": "Arm", "parent": "hold", "inferred": ["parent"], **_SAID},
            {"id": "leg", "name": "Leg", "parent": "arm", **_SAID},  # stated, but under an inferred parent
            {"id": "toe", "name": "Toe", "parent": "hold", **_SAID},
            {"id": "pip", "name": "Pip", "groups": ["said", "read"], **_SAID},
            {"id": "quo", "name": "Quo", "groups": ["said"], "inferred": ["groups"], **_SAID},
        ],
        "people": [],
        "tenures": [],
        "deals": [],
        "events": [],
        "metrics": [],
        "products": [],
        "claims": [
            {"id": "c-read", "subjects": ["read"], "strategy": "retrench", "text": "The four cut staff", **_SAID},
            {"id": "c-said", "subjects": ["said"], "strategy": "retrench", "text": "The five cut staff", **_SAID},
            {"id": "c-both", "subjects": ["said", "read"], "strategy": "retrench", "text": "All cut staff", **_SAID},
        ],
    }


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("inferred-memberships")
    write_spec(folder, _spec())
    return str(folder)


def test_a_unit_under_an_inferred_parent_anywhere_on_the_way_says_so(data: str) -> None:
    hold = _json("--data", data, "firm", "hold")
    assert hold["units"] == ["arm", "leg", "toe"]
    assert hold["inferred"]["units"] == [["parent"], ["parent"], []]
    assert _line(_cli("--data", data, "firm", "hold"), "Units") == "arm (parent inferred); leg (parent inferred); toe"
    arm = _json("--data", data, "firm", "arm")  # leg's own parent is stated
    assert (arm["units"], "units" in arm["inferred"]) == (["leg"], False)
    assert _line(_cli("--data", data, "firm", "arm"), "Units") == "leg"


def test_a_group_whose_membership_is_read_says_so(data: str) -> None:
    pip = _json("--data", data, "firm", "pip")
    assert (pip["groups"], pip["inferred"]["groups"]) == (["said", "read"], [[], ["certainty"]])
    table = _cli("--data", data, "firm", "pip", width=120)
    assert _line(table, "Groups") == "said; read (inferred)"
    vias = {row["claim"]: row["via"] for row in pip["claims"]}
    claims = dict(zip(vias, pip["inferred"]["claims"], strict=True))
    # only the claim shown through the read membership alone rests on it; the ids stay bare
    assert claims == {"c-read": ["via"], "c-said": [], "c-both": []}
    assert vias == {"c-read": ["read"], "c-said": ["said"], "c-both": ["said", "read"]}
    rows = [line for line in table.splitlines() if "cut staff" in line]
    assert [("read (inferred)" in row, "said (inferred)" in row) for row in rows] == [
        (True, False),
        (False, False),
        (True, False),
    ], table


def test_a_firm_that_infers_its_groups_marks_each(data: str) -> None:
    quo = _json("--data", data, "firm", "quo")
    assert quo["inferred"]["firm"] == ["groups"] and "groups" not in quo["inferred"]
    assert quo["inferred"]["claims"] == [["via"], ["via"]]  # c-said, c-both: through `said` only
    table = _cli("--data", data, "firm", "quo", width=120)
    assert _line(table, "Groups") == "said (inferred)"
    assert all("said (inferred)" in line for line in table.splitlines() if "cut staff" in line), table


def test_stated_units_and_groups_are_not_marked(data: str) -> None:
    toe = _json("--data", data, "firm", "toe")
    assert toe["inferred"] == {} and "(inferred)" not in _cli("--data", data, "firm", "toe")


# --- the firms listing --------------------------------------------------------------------------


def test_bundled_firms_listing_marks_the_four_strong_membership() -> None:
    rows = {row["firm"]: row for row in _json("firms")}
    members = {firm for firm, row in rows.items() if "four-strong" in row["groups"]}
    assert members and all(rows[firm]["inferred"] == ["groups"] for firm in members)
    assert rows["01ai"]["groups"] == ["six-dragons"] and rows["01ai"]["inferred"] == []
    table = _cli("firms", "--group", "四小强")
    assert table.count("six-dragons; four-strong (inferred)") == len(members)
    assert "six-dragons (inferred)" not in _cli("firms")


def test_the_firms_listing_marks_a_membership_that_is_read(data: str) -> None:
    rows = {row["firm"]: row for row in _json("--data", data, "firms")}
    assert (rows["pip"]["groups"], rows["pip"]["inferred"]) == (["said", "read"], ["groups"])  # ids bare
    assert rows["quo"]["inferred"] == ["groups"] and rows["arm"]["inferred"] == ["parent"]
    assert rows["toe"]["inferred"] == []
    cells = {line.split()[1]: line for line in _cli("--data", data, "firms", width=200).splitlines()[3:-1]}
    assert "said; read (inferred)" in cells["pip"]  # the group's certainty is inferred
    assert "said (inferred)" in cells["quo"]  # the firm marks its own groups inferred
    header, *csv_rows = _cli("--data", data, "firms", "--format", "csv").splitlines()
    assert header.endswith(",inferred")
    assert any(line.startswith("pip,") and line.endswith(",groups") for line in csv_rows)
